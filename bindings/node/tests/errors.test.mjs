// The error family: one class per engine code, `instanceof` through the hierarchy, facts
// as text and as typed properties, unknown codes, and napi's argument errors as TypeErrors.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

import * as stockbook from '../lib.js'
import { freshBook } from './helpers.mjs'

const { StockbookError, fromNative } = stockbook
const pascal = (code) => code.replace(/(^|_)([a-z])/g, (_m, _u, c) => c.toUpperCase())

/** The codes of core/src/error.rs (`Error::Variant { .. } => "code"`). */
function coreCodes() {
  const source = readFileSync(join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..', '..', 'core', 'src', 'error.rs'), 'utf8')
  const codes = [...source.matchAll(/Error::\w+(?: \{ \.\. \})? => "([a-z_]+)"/g)].map((m) => m[1])
  assert.ok(codes.length >= 20, `found only ${codes.length} codes in core/src/error.rs`)
  return codes
}

test('every engine error code has its class, named after the code', () => {
  for (const code of coreCodes()) {
    const cls = stockbook[pascal(code)]
    assert.equal(typeof cls, 'function', `no class ${pascal(code)} for ${code}`)
    assert.equal(cls.code, code)
    assert.equal(cls.name, pascal(code))
    assert.ok(cls.prototype instanceof StockbookError)
    assert.equal(cls.prototype.name, pascal(code))
  }
})

test('a native error becomes an instance of its class, with facts as text and typed properties', () => {
  const native = Object.assign(new Error('lot L1 of MILK expired at 5'), {
    name: 'StockbookError',
    code: 'lot_expired',
    facts: { sku: 'MILK', lot: 'L1', expiry_ms: '5' },
    sku: 'MILK',
    lot: 'L1',
    expiryMs: 5,
  })
  const err = fromNative(native)
  assert.ok(err instanceof stockbook.LotExpired)
  assert.ok(err instanceof StockbookError)
  assert.ok(err instanceof Error)
  assert.equal(err.message, 'lot L1 of MILK expired at 5')
  assert.equal(err.code, 'lot_expired')
  assert.equal(err.expiryMs, 5)
  assert.deepEqual(err.facts, { sku: 'MILK', lot: 'L1', expiry_ms: '5' })
  assert.equal(fromNative(err), err, 'idempotent')
})

test('a code this build does not know is a plain StockbookError with its code', () => {
  const native = Object.assign(new Error('something new'), { name: 'StockbookError', code: 'brand_new', facts: { x: '1' }, x: '1' })
  const err = fromNative(native)
  assert.equal(err.constructor, StockbookError)
  assert.equal(err.code, 'brand_new')
  assert.equal(err.x, '1')
})

test("napi's argument errors become TypeErrors; other values pass unchanged", () => {
  for (const code of ['InvalidArg', 'StringExpected', 'NumberExpected', 'ObjectExpected', 'BigintExpected']) {
    const err = fromNative(Object.assign(new Error('bad'), { code }))
    assert.ok(err instanceof TypeError, code)
    assert.equal(err.code, 'ERR_INVALID_ARG_TYPE')
  }
  const other = Object.assign(new Error('x'), { code: 'GenericFailure' })
  assert.equal(fromNative(other), other)
  assert.equal(fromNative('text'), 'text')
  assert.equal(fromNative(null), null)
})

test('facts whose name an Error uses already stay in facts only', async () => {
  const { sb } = await freshBook()
  await assert.rejects(sb.defineItem({ sku: 'a\u0007b' }), (e) => {
    assert.ok(e instanceof stockbook.InvalidCode)
    assert.equal(e.code, 'invalid_code', 'the error code is not clobbered by the fact `code`')
    assert.equal(e.facts.code, 'a\u0007b')
    assert.equal(e.kind, 'sku')
    return true
  })
})

test('wrong argument types are TypeErrors: thrown by sync methods, rejected by async ones', async () => {
  const { sb } = await freshBook()
  assert.throws(() => sb.item(42), TypeError)
  assert.throws(() => sb.onHand('BOLT'), TypeError)
  await assert.rejects(sb.receive('BOLT'), TypeError)
  await assert.rejects(sb.receive({ sku: 'BOLT', location: 'WH1/A1' }), TypeError)
  await assert.rejects(sb.receive({ sku: 'BOLT', location: 'WH1/A1', qty: 1 }, { key: 7 }), TypeError)
  assert.throws(() => stockbook.Stockbook.inMemory({ durability: 'sometimes' }), TypeError)
  await assert.rejects(stockbook.Stockbook.open(7), TypeError)
  assert.throws(() => new stockbook.ManualClock('noon'), TypeError)
  const clock = new stockbook.ManualClock(0)
  assert.throws(() => clock.advance(0.5), TypeError)
  assert.throws(() => clock.set('later'), TypeError)
  assert.equal(clock.now(), 0)
})
