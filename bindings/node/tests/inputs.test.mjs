// Bad inputs a new user tried (issue 15, point 4): each one refused or read as meant, never
// stored wrong. The rule: integers are range-checked (never wrapped or truncated), dates
// are validated, `null` means absent in an optional field, an unknown field is refused,
// errors name the field as JavaScript spells it, a method returning a promise rejects
// rather than throws, and results are JSON-serializable.
import assert from 'node:assert/strict'
import test from 'node:test'

import { InvalidArgument, Stockbook } from '../lib.js'
import { freshBook } from './helpers.mjs'

/** An `InvalidArgument` naming `field`, with the field (and no Rust) in its message. */
const invalidArgument = (field) => (err) => {
  assert.ok(err instanceof InvalidArgument, `${err.name}: ${err.message}`)
  assert.equal(err.code, 'invalid_argument')
  assert.equal(err.field, field)
  assert.match(err.message, new RegExp(`\\b${field.replace(/[.[\]]/g, '\\$&')}\\b`))
  assert.doesNotMatch(err.message, /rust|Rust|u32|String|`/)
  return true
}

/** A `TypeError` naming `field`, without napi's Rust wording. */
const typeError = (field) => (err) => {
  assert.ok(err instanceof TypeError, `${err.name}: ${err.message}`)
  assert.match(err.message, new RegExp(`\\b${field}\\b`))
  assert.doesNotMatch(err.message, /rust type|JavaScript value|`/)
  return true
}

test('an invalid Date is refused, never stored as 1970-01-01', async () => {
  const { sb } = await freshBook()
  await sb.defineItem({ sku: 'MILK', tracking: 'lot' })
  await assert.rejects(
    sb.receive({ sku: 'MILK', location: 'WH1/A1', qty: 1, lot: 'L1', expiry: new Date('x') }),
    invalidArgument('expiry'),
  )
  await assert.rejects(sb.defineLot({ sku: 'MILK', lot: 'L2', expiry: new Date('x') }), invalidArgument('expiry'))
  assert.throws(() => sb.lot('MILK', 'L1'), (e) => e.code === 'not_found')
  await assert.rejects(
    sb.receive({ sku: 'BOLT', location: 'WH1/A1', qty: 1 }, { effectiveAt: new Date('nope') }),
    invalidArgument('effectiveAt'),
  )
  assert.equal(sb.onHand('BOLT', 'WH1/A1'), '0.00')
})

test('a negative shelfLifeDays is refused, not wrapped to 4294967293', async () => {
  const { sb } = await freshBook()
  await assert.rejects(sb.defineItem({ sku: 'FISH', shelfLifeDays: -3 }), invalidArgument('shelfLifeDays'))
  assert.throws(() => sb.item('FISH'), (e) => e.code === 'not_found')
  await sb.defineItem({ sku: 'FISH', shelfLifeDays: 3 })
  assert.equal(sb.item('FISH').shelfLifeDays, 3)
})

test('a negative priority is refused, not read as the lowest priority', async () => {
  const { sb } = await freshBook()
  await sb.defineLocation({ code: 'STAGE', parent: 'WH1' })
  const order = { orderId: 'O1', shipFrom: 'WH1', staging: 'STAGE', lines: [{ sku: 'BOLT', qty: 1 }] }
  await assert.rejects(sb.createOrder({ ...order, priority: -1 }), invalidArgument('priority'))
  await assert.rejects(sb.createOrder({ ...order, priority: 2 ** 32 }), invalidArgument('priority'))
  await sb.createOrder({ ...order, priority: 7 })
  assert.equal(sb.order('O1').priority, 7)
})

test('a fractional integer is refused, not truncated (decimals: 2.5)', async () => {
  const { sb } = await freshBook()
  await assert.rejects(sb.defineItem({ sku: 'X', decimals: 2.5 }), invalidArgument('decimals'))
  await assert.rejects(sb.defineItem({ sku: 'X', decimals: 256 }), invalidArgument('decimals'))
  await assert.rejects(sb.events(0n, -1), invalidArgument('limit'))
  await assert.rejects(Stockbook.open('/tmp/never', { queueDepthMax: -1 }), invalidArgument('queueDepthMax'))
  assert.throws(() => Stockbook.inMemory({ groupCommandsMax: 1.5 }), invalidArgument('groupCommandsMax'))
})

test('a method returning a promise rejects on a wrong argument type, never throws', async () => {
  const { sb } = await freshBook()
  let promise
  assert.doesNotThrow(() => {
    promise = sb.receive({ sku: 42, location: 'WH1/A1', qty: 1 })
  })
  await assert.rejects(promise, typeError('sku'))
  await assert.rejects(sb.receive(), typeError('args'))
  await assert.rejects(sb.verify.call({}), TypeError)
  // Synchronous methods still throw.
  assert.throws(() => sb.onHand(42, 'WH1'), typeError('sku'))
})

test('null in an optional field means absent', async () => {
  const { sb } = await freshBook()
  await sb.defineItem({ sku: 'NUT', name: null, unit: null, decimals: null, tracking: null, shelfLifeDays: null, category: null })
  assert.equal(sb.item('NUT').unit, 'ea')
  await sb.receive({ sku: 'BOLT', location: 'WH1/A1', qty: '2', unit: null, lot: null, expiry: null }, { key: null, actor: null })
  assert.equal(sb.onHand('BOLT', 'WH1/A1', null), '2.00')
  assert.equal(sb.balances({ sku: 'BOLT', location: null }).length, 1)
  // A required field cannot be null: named, in JavaScript's words.
  await assert.rejects(sb.receive({ sku: null, location: 'WH1/A1', qty: 1 }), typeError('sku'))
})

test('an unknown field is refused with its name', async () => {
  const { sb } = await freshBook()
  await assert.rejects(sb.receive({ sku: 'BOLT', location: 'WH1/A1', qty: 1, qtty: 2 }), invalidArgument('qtty'))
  await assert.rejects(sb.defineItem({ sku: 'X', shelf_life_days: 3 }), invalidArgument('shelf_life_days'))
  await assert.rejects(
    sb.defineItem({ sku: 'X', conversions: [{ unit: 'box', factor: 12, factr: 1 }] }),
    invalidArgument('conversions[0].factr'),
  )
  await assert.rejects(sb.receive({ sku: 'BOLT', location: 'WH1/A1', qty: 1 }, { kee: 'k1' }), invalidArgument('kee'))
  await assert.rejects(
    sb.execute({ op: 'receive', args: { sku: 'BOLT', location: 'WH1/A1', qty: 1, lott: 'L' } }),
    invalidArgument('args.lott'),
  )
  assert.throws(() => sb.balances({ skuu: 'BOLT' }), invalidArgument('skuu'))
  assert.throws(() => Stockbook.inMemory({ durabilty: 'immediate' }), invalidArgument('durabilty'))
  assert.equal(sb.onHand('BOLT', 'WH1/A1'), '0.00')
})

test('results are plain JSON-serializable objects (no bigints)', async () => {
  const { sb } = await freshBook()
  const receipt = await sb.receive({ sku: 'BOLT', location: 'WH1/A1', qty: '1.5' })
  assert.equal(typeof receipt.lastSeq, 'number')
  const json = JSON.parse(JSON.stringify(receipt))
  assert.deepEqual(json, receipt)
  const events = await sb.events()
  assert.equal(JSON.parse(JSON.stringify(events)).length, events.length)
  assert.equal(JSON.parse(JSON.stringify({ receipt })).receipt.firstSeq, receipt.firstSeq)
  // toJSON is not an own enumerable field: records still compare field by field.
  assert.deepEqual(Object.keys(receipt).includes('toJSON'), false)
})

test('errors name the field in camelCase, without Rust words', async () => {
  const { sb } = await freshBook()
  await assert.rejects(sb.reserve({ sku: 'BOLT', scope: 'WH1', qty: 1, ttlMs: -5 }), (err) => {
    invalidArgument('ttlMs')(err)
    // The facts keep the engine's names: the scenarios' language-neutral contract.
    assert.equal(err.facts.field, 'ttl_ms')
    return true
  })
  await assert.rejects(sb.receive({ sku: 'BOLT', location: null, qty: 1 }), typeError('location'))
  await assert.rejects(sb.releaseReservation('NOPE-R1'), (err) => err.field === undefined || /^[a-z][A-Za-z]*$/.test(err.field))
  assert.throws(() => new Stockbook(), (err) => {
    assert.ok(err instanceof TypeError)
    assert.match(err.message, /Stockbook\.open|Stockbook\.inMemory/)
    assert.doesNotMatch(err.message, /`constructor`/)
    return true
  })
})

test('an argument past the last is refused, never silently ignored', async () => {
  const { sb } = await freshBook()
  await sb.receive({ sku: 'BOLT', location: 'WH1/A1', qty: 2 })
  // onHand takes no lot: asking it of one must not answer for every lot.
  assert.throws(() => sb.onHand('BOLT', 'WH1/A1', 'L1'), (err) => {
    assert.ok(err instanceof TypeError)
    assert.match(err.message, /onHand\(sku, location\) takes 2 arguments/)
    return true
  })
  assert.equal(sb.onHandLot('BOLT', 'WH1/A1', null), '2.00')
  // A promise-returning method rejects instead.
  await assert.rejects(sb.archiveItem('BOLT', {}, 'extra'), TypeError)
  // Absent trailing arguments are fine.
  assert.equal(sb.onHand('BOLT', 'WH1/A1', undefined), '2.00')
})
