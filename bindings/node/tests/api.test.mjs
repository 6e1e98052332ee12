// Every method of the binding, with its conversions and its errors. The inventory rules
// themselves are the core's (and the scenarios'); these tests check that each method
// reaches the engine with the right arguments and brings back the right JavaScript values.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { writeFileSync } from 'node:fs'

import {
  AlreadyExists,
  Archived,
  BatchRefused,
  Closed,
  Conflict,
  HierarchyCycle,
  InsufficientStock,
  InvalidArgument,
  InvalidCode,
  InvalidQuantity,
  Io,
  Locked,
  LotExpired,
  ManualClock,
  NotAStockbookFile,
  NotEmpty,
  NotFound,
  Stockbook,
  StockbookError,
  Tracking,
} from '../lib.js'
import { eventKind, freshBook, START_MS, tempDir } from './helpers.mjs'

const DAY_MS = 86_400_000

test('open creates a file, reopens it with its data, and close releases it', async () => {
  const { dir, cleanup } = tempDir()
  try {
    const path = join(dir, 'inv.stockbook')
    const sb = await Stockbook.open(path)
    assert.ok(sb instanceof Stockbook)
    assert.equal(sb.path, path)
    await sb.defineItem({ sku: 'A' })
    await sb.defineLocation({ code: 'B' })
    await sb.receive({ sku: 'A', location: 'B', qty: 7 })
    assert.equal(sb.lastSeq(), 3)
    await sb.close()
    await assert.rejects(sb.receive({ sku: 'A', location: 'B', qty: 1 }), Closed)
    assert.throws(() => sb.onHand('A', 'B'), Closed)

    const again = await Stockbook.open(path, { durability: 'bulk_load', cacheSizeBytes: 1 << 20 })
    assert.equal(again.onHand('A', 'B'), '7')
    assert.equal(again.lastSeq(), 3)
    await again.receive({ sku: 'A', location: 'B', qty: 1 })
    await again.sync()
    await again.close()
  } finally {
    cleanup()
  }
})

test('indexBlockEvents sets a new file\'s index block length; the file keeps it', async () => {
  const { dir, cleanup } = tempDir()
  try {
    const path = join(dir, 'blocks.stockbook')
    // Blocks of 4 events: thirty receipts fold several blocks into the tables.
    const sb = await Stockbook.open(path, { indexBlockEvents: 4 })
    await sb.defineItem({ sku: 'A' })
    await sb.defineLocation({ code: 'B' })
    for (let n = 1; n <= 30; n++) await sb.receive({ sku: 'A', location: 'B', qty: n })
    await sb.close()
    const again = await Stockbook.open(path)
    assert.equal(await again.onHandAt('A', 'B', { seq: 12 }), String((10 * 11) / 2))
    assert.equal(await again.onHandAt('A', 'B', { seq: 32 }), String((30 * 31) / 2))
    assert.equal((await again.history('A', 0, 100)).length, 31)
    assert.deepEqual((await again.verify()).problems, [])
    await again.close()
  } finally {
    cleanup()
  }
})

test('open refuses a locked file, a foreign file and a missing directory', async () => {
  const { dir, cleanup } = tempDir()
  try {
    const path = join(dir, 'inv.stockbook')
    const sb = await Stockbook.open(path)
    const locked = await Stockbook.open(path).then(
      async (second) => {
        await second.close()
        return null
      },
      (err) => err,
    )
    // redb refuses a second open of the same file in one process as "already open".
    assert.ok(locked instanceof Locked, `expected Locked, got ${locked}`)
    assert.equal(locked.code, 'locked')
    assert.equal(locked.path, path)
    await sb.close()

    const foreign = join(dir, 'notes.txt')
    writeFileSync(foreign, 'not a database, just text that is long enough to be read\n'.repeat(100))
    const err = await Stockbook.open(foreign).then(() => null, (e) => e)
    assert.ok(err instanceof NotAStockbookFile, `expected NotAStockbookFile, got ${err}`)
    assert.equal(err.path, foreign)

    await assert.rejects(Stockbook.open(join(dir, 'missing', 'x.stockbook')), (e) => {
      assert.ok(e instanceof Io)
      assert.equal(e.kind, 'not_found')
      assert.equal(e.facts.kind, 'not_found')
      assert.equal(typeof e.facts.message, 'string')
      return true
    })
  } finally {
    cleanup()
  }
})

test('inMemory takes options and a ManualClock drives the engine time', async () => {
  const clock = new ManualClock(new Date(START_MS))
  assert.equal(clock.now(), START_MS)
  const sb = Stockbook.inMemory({
    clock,
    durability: 'immediate',
    groupCommandsMax: 16,
    queueDepthMax: 128,
    snapshotEveryEvents: 1000,
  })
  assert.equal(sb.path, null)
  assert.equal(sb.now(), START_MS)
  clock.advance(1500)
  assert.equal(sb.now(), START_MS + 1500)
  clock.set(new Date(START_MS + DAY_MS))
  assert.equal(sb.now(), START_MS + DAY_MS)
  clock.set(START_MS)
  assert.equal(clock.now(), START_MS)
  assert.equal(sb.lastSeq(), 0)
  await sb.close()
})

test('items: define, read, list, update and archive', async () => {
  const { sb } = await freshBook()
  const receipt = await sb.defineItem({
    sku: 'MILK',
    name: 'Milk 1L',
    unit: 'l',
    decimals: 1,
    tracking: 'lot',
    shelfLifeDays: 10,
    conversions: [{ unit: 'crate', factor: 12 }],
    category: 'dairy',
    attributes: { brand: 'Alpine' },
  })
  // A typed receipt: what define_item reports, and nothing else.
  assert.deepEqual(receipt, { firstSeq: 4, lastSeq: 4 })
  assert.deepEqual(sb.item('MILK'), {
    sku: 'MILK',
    name: 'Milk 1L',
    unit: 'l',
    decimals: 1,
    tracking: 'lot',
    shelfLifeDays: 10,
    conversions: [{ unit: 'crate', factor: '12' }],
    allowNegative: false,
    category: 'dairy',
    attributes: { brand: 'Alpine' },
    archived: false,
    dimensions: null,
    weightG: null,
  })
  assert.deepEqual(
    sb.items().map((i) => i.sku),
    ['BOLT', 'MILK'],
  )
  await sb.updateItem({ sku: 'MILK', name: 'Whole milk 1L', decimals: 1, tracking: 'lot' })
  assert.equal(sb.item('MILK').name, 'Whole milk 1L')
  assert.equal(sb.item('MILK').shelfLifeDays, null, 'an update replaces the whole record')
  await sb.archiveItem('MILK', { actor: 'ann' })
  assert.equal(sb.item('MILK').archived, true)

  await assert.rejects(sb.defineItem({ sku: 'BOLT' }), AlreadyExists)
  await assert.rejects(sb.defineItem({ sku: '' }), (e) => e instanceof InvalidCode && e.facts.code === '')
  await assert.rejects(sb.defineItem({ sku: 'X', decimals: 7 }), InvalidArgument)
  await assert.rejects(sb.updateItem({ sku: 'NOPE' }), NotFound)
  await assert.rejects(sb.archiveItem('MILK'), Archived)
  assert.throws(() => sb.item('NOPE'), (e) => e instanceof NotFound && e.kind === 'item' && e.key === 'NOPE')
  await assert.rejects(sb.defineItem({ sku: 'X', tracking: 'batch' }), TypeError)
  await assert.rejects(sb.defineItem({ name: 'no sku' }), TypeError)
})

test('locations: define, read, list, children, update and archive', async () => {
  const { sb } = await freshBook()
  await sb.defineLocation({
    code: 'WH1/A2',
    name: 'Aisle 2',
    kind: 'aisle',
    parent: 'WH1',
    capacity: { units: 500, weightKg: '1200.5', volumeL: 800n },
    coordinates: { x: 2, y: 0, z: 1 },
    pickable: false,
    receivable: true,
  })
  assert.deepEqual(sb.location('WH1/A2'), {
    code: 'WH1/A2',
    name: 'Aisle 2',
    kind: 'aisle',
    parent: 'WH1',
    capacity: { units: '500', weightKg: '1200.5', volumeL: '800' },
    coordinates: { x: 2, y: 0, z: 1 },
    pickable: false,
    receivable: true,
    archived: false,
  })
  const defaults = sb.location('WH1/A1')
  assert.equal(defaults.kind, 'bin')
  assert.equal(defaults.pickable, true)
  assert.deepEqual(defaults.capacity, { units: null, weightKg: null, volumeL: null })
  assert.equal(defaults.coordinates, null)
  const codes = sb.locations().map((l) => l.code)
  assert.ok(codes.includes('@supplier') && codes.includes('WH1/A2'))
  assert.deepEqual(sb.children('WH1').sort(), ['WH1/A1', 'WH1/A2'])

  await sb.updateLocation({ code: 'WH1/A2', kind: 'aisle', parent: 'WH1', name: 'Aisle two' })
  assert.equal(sb.location('WH1/A2').name, 'Aisle two')
  await assert.rejects(sb.updateLocation({ code: 'WH1', parent: 'WH1/A2' }), HierarchyCycle)
  await sb.receive({ sku: 'BOLT', location: 'WH1/A1', qty: 1 })
  await assert.rejects(sb.archiveLocation('WH1/A1'), NotEmpty)
  await sb.archiveLocation('WH1/A2')
  assert.equal(sb.location('WH1/A2').archived, true)
  await assert.rejects(sb.defineLocation({ code: '@mine' }), InvalidCode)
  await assert.rejects(sb.defineLocation({ code: 'X', parent: 'NOPE' }), NotFound)
  assert.throws(() => sb.children('NOPE'), NotFound)
  assert.throws(() => sb.location('NOPE'), NotFound)
})

test('lots: defineLot, lot, lots, expiry as Date or ms, LotExpired', async () => {
  const { sb, clock } = await freshBook()
  await sb.defineItem({ sku: 'MILK', tracking: 'lot', shelfLifeDays: 5 })
  const produced = new Date(START_MS)
  await sb.defineLot({ sku: 'MILK', lot: 'L1', produced })
  const lot = sb.lot('MILK', 'L1')
  assert.equal(lot.produced, START_MS)
  assert.equal(lot.expiry, START_MS + 5 * DAY_MS, 'expiry filled from the shelf life')
  assert.equal(lot.firstReceived, null)
  await sb.receive({ sku: 'MILK', location: 'WH1/A1', qty: 3, lot: 'L2', expiry: START_MS + DAY_MS })
  assert.equal(sb.lot('MILK', 'L2').expiry, START_MS + DAY_MS)
  assert.equal(sb.lot('MILK', 'L2').firstReceived, START_MS)
  assert.deepEqual(
    sb.lots('MILK').map((l) => l.lot),
    ['L1', 'L2'],
  )
  clock.advance(2 * DAY_MS)
  await assert.rejects(sb.ship({ sku: 'MILK', location: 'WH1/A1', qty: 1, lot: 'L2' }), (e) => {
    assert.ok(e instanceof LotExpired)
    assert.equal(e.expiryMs, START_MS + DAY_MS)
    assert.equal(e.facts.expiry_ms, String(START_MS + DAY_MS))
    return true
  })
  await sb.ship({ sku: 'MILK', location: 'WH1/A1', qty: 1, lot: 'L2', allowExpired: true })
  await assert.rejects(sb.receive({ sku: 'MILK', location: 'WH1/A1', qty: 1 }), Tracking)
  await assert.rejects(sb.defineLot({ sku: 'BOLT', lot: 'L1' }), Tracking)
  assert.throws(() => sb.lot('MILK', 'NOPE'), NotFound)
  assert.throws(() => sb.lots('NOPE'), NotFound)
  await assert.rejects(sb.defineLot({ sku: 'MILK', lot: 'L3', expiry: 'tomorrow' }), TypeError)
  await assert.rejects(sb.defineLot({ sku: 'MILK', lot: 'L3', expiry: 1.5 }), TypeError)
})

test('serials: receive, serial, serialsAt', async () => {
  const { sb } = await freshBook()
  await sb.defineItem({ sku: 'LAPTOP', tracking: 'serial' })
  await sb.receive({ sku: 'LAPTOP', location: 'WH1/A1', qty: 2, serials: ['S2', 'S1'] })
  assert.deepEqual(sb.serialsAt('LAPTOP', 'WH1/A1'), ['S1', 'S2'])
  await sb.ship({ sku: 'LAPTOP', location: 'WH1/A1', qty: 1, serials: ['S1'] })
  assert.deepEqual(sb.serial('LAPTOP', 'S1'), { sku: 'LAPTOP', serial: 'S1', location: '@customer' })
  assert.deepEqual(sb.serialsAt('LAPTOP', 'WH1/A1'), ['S2'])
  assert.throws(() => sb.serial('LAPTOP', 'S9'), NotFound)
  await assert.rejects(sb.receive({ sku: 'LAPTOP', location: 'WH1/A1', qty: 2, serials: ['S3'] }), Tracking)
})

test('movements: receive, issue, ship, adjust, scrap, transferStock; onHand, itemTotal, balances', async () => {
  const { sb } = await freshBook()
  await sb.defineLocation({ code: 'WH1/A2', parent: 'WH1' })
  await sb.receive({ sku: 'BOLT', location: 'WH1/A1', qty: '10.5', unitCost: '0.25', currency: 'EUR' })
  await sb.issue({ sku: 'BOLT', location: 'WH1/A1', qty: 1 })
  await sb.ship({ sku: 'BOLT', location: 'WH1/A1', qty: '1.25' })
  await sb.adjust({ sku: 'BOLT', location: 'WH1/A1', qty: -1, reasonCode: 'damaged' })
  await sb.adjust({ sku: 'BOLT', location: 'WH1/A1', qty: '0.5', reasonCode: 'found' })
  await sb.scrap({ sku: 'BOLT', location: 'WH1/A1', qty: 2n, reasonCode: 'rust' })
  await sb.transferStock({ sku: 'BOLT', from: 'WH1/A1', to: 'WH1/A2', qty: 3 })
  assert.equal(sb.onHand('BOLT', 'WH1/A1'), '2.75')
  assert.equal(sb.onHand('BOLT', 'WH1/A2'), '3.00')
  assert.equal(sb.onHand('BOLT', 'WH1'), '5.75', 'rolled up to the site')
  assert.equal(sb.itemTotal('BOLT'), '5.75')
  assert.deepEqual(sb.balances({ sku: 'BOLT' }), [
    { sku: 'BOLT', location: 'WH1/A1', lot: null, onHand: '2.75' },
    { sku: 'BOLT', location: 'WH1/A2', lot: null, onHand: '3.00' },
  ])
  assert.deepEqual(
    sb.balances({ sku: 'BOLT', location: 'WH1/A2' }).map((b) => b.location),
    ['WH1/A2'],
  )
  const virtual = sb.balances({ sku: 'BOLT', includeVirtual: true }).map((b) => [b.location, b.onHand])
  assert.deepEqual(virtual, [
    ['@adjustment', '0.50'],
    ['@customer', '2.25'],
    ['@scrap', '2.00'],
    ['@supplier', '-10.50'],
    ['WH1/A1', '2.75'],
    ['WH1/A2', '3.00'],
  ])
  assert.equal(sb.balances().length, 2)

  await assert.rejects(sb.ship({ sku: 'BOLT', location: 'WH1/A1', qty: 3 }), (e) => {
    assert.ok(e instanceof InsufficientStock)
    assert.ok(e instanceof StockbookError)
    assert.ok(e instanceof Error)
    assert.equal(e.name, 'InsufficientStock')
    assert.equal(e.code, 'insufficient_stock')
    assert.deepEqual(
      [e.sku, e.location, e.lot, e.requested, e.available],
      ['BOLT', 'WH1/A1', null, '3.00', '2.75'],
    )
    assert.deepEqual(e.facts, { sku: 'BOLT', location: 'WH1/A1', requested: '3.00', available: '2.75' })
    assert.match(e.message, /insufficient stock of BOLT at WH1\/A1/)
    return true
  })
  await assert.rejects(sb.ship({ sku: 'BOLT', location: 'WH1/A1', qty: '0.001' }), InvalidQuantity)
  // Text that is no quantity is refused where the call is read, naming the field.
  await assert.rejects(sb.ship({ sku: 'BOLT', location: 'WH1/A1', qty: '1.2.3' }), (e) => {
    assert.ok(e instanceof InvalidArgument)
    assert.equal(e.field, 'qty')
    assert.match(e.reason, /1\.2\.3/)
    return true
  })
  await assert.rejects(sb.receive({ sku: 'NOPE', location: 'WH1/A1', qty: 1 }), NotFound)
  await assert.rejects(sb.receive({ sku: 'BOLT', location: 'WH1/A1', qty: 1, currency: 'euro', unitCost: 1 }), InvalidArgument)
  assert.throws(() => sb.onHand('NOPE', 'WH1'), NotFound)
  assert.throws(() => sb.itemTotal('NOPE'), NotFound)
  assert.throws(() => sb.balances({ location: 'NOPE' }), NotFound)
})

test('quantities: text, safe integers and bigints in; exact text out; fractions and unsafe numbers are TypeErrors', async () => {
  const { sb } = await freshBook()
  await sb.receive({ sku: 'BOLT', location: 'WH1/A1', qty: '1.50' })
  await sb.receive({ sku: 'BOLT', location: 'WH1/A1', qty: 2 })
  await sb.receive({ sku: 'BOLT', location: 'WH1/A1', qty: 3n })
  assert.equal(sb.onHand('BOLT', 'WH1/A1'), '6.50')
  await assert.rejects(sb.receive({ sku: 'BOLT', location: 'WH1/A1', qty: 1.5 }), (e) => {
    assert.ok(e instanceof TypeError)
    assert.equal(e.code, 'ERR_INVALID_ARG_TYPE')
    assert.match(e.message, /qty/)
    return true
  })
  await assert.rejects(sb.receive({ sku: 'BOLT', location: 'WH1/A1', qty: 2 ** 53 }), TypeError)
  await assert.rejects(sb.receive({ sku: 'BOLT', location: 'WH1/A1', qty: NaN }), TypeError)
  await assert.rejects(sb.receive({ sku: 'BOLT', location: 'WH1/A1', qty: { units: 1 } }), TypeError)
  // A bigint beyond the engine's range is the engine's refusal, not a type error.
  await assert.rejects(sb.receive({ sku: 'BOLT', location: 'WH1/A1', qty: 2n ** 80n }), (e) => {
    assert.ok(e instanceof InvalidArgument)
    assert.equal(e.field, 'qty')
    assert.ok(e.reason.includes((2n ** 80n).toString()))
    return true
  })
  await assert.rejects(sb.receive({ sku: 'BOLT', location: 'WH1/A1', qty: -(2n ** 70n) }), InvalidArgument)
  assert.equal(sb.onHand('BOLT', 'WH1/A1'), '6.50', 'nothing was written by the refusals')
})

test('unit conversions: unit on movements', async () => {
  const { sb } = await freshBook()
  await sb.defineItem({ sku: 'EGG', conversions: [{ unit: 'box', factor: '12' }] })
  await sb.receive({ sku: 'EGG', location: 'WH1/A1', qty: 2, unit: 'box' })
  assert.equal(sb.onHand('EGG', 'WH1/A1'), '24')
  await assert.rejects(sb.receive({ sku: 'EGG', location: 'WH1/A1', qty: 1, unit: 'crate' }), NotFound)
})

test('two-step transfers: dispatchTransfer, transfer, receiveTransfer', async () => {
  const { sb } = await freshBook()
  await sb.defineLocation({ code: 'WH2', kind: 'site' })
  await sb.receive({ sku: 'BOLT', location: 'WH1/A1', qty: 10 })
  const dispatched = await sb.dispatchTransfer({ sku: 'BOLT', from: 'WH1/A1', to: 'WH2', qty: 4 })
  assert.equal(typeof dispatched.transferId, 'string')
  const id = dispatched.transferId
  assert.deepEqual(sb.transfer(id), {
    id,
    sku: 'BOLT',
    lot: null,
    from: 'WH1/A1',
    to: 'WH2',
    dispatched: '4.00',
    received: '0.00',
    serialsInTransit: [],
  })
  assert.equal(sb.onHand('BOLT', '@in-transit'), '4.00')
  await sb.receiveTransfer({ transferId: id, qty: 1 })
  assert.equal(sb.transfer(id).received, '1.00')
  await sb.dispatchTransfer({ transferId: 'T-9', sku: 'BOLT', from: 'WH1/A1', to: 'WH2', qty: 1 })
  assert.equal(sb.transfer('T-9').dispatched, '1.00')
  await assert.rejects(sb.receiveTransfer({ transferId: id, qty: 4 }), InvalidQuantity)
  await assert.rejects(sb.receiveTransfer({ transferId: 'NOPE', qty: 1 }), NotFound)
  assert.throws(() => sb.transfer('NOPE'), NotFound)
})

test('count posts the difference in the receipt', async () => {
  const { sb } = await freshBook()
  await sb.receive({ sku: 'BOLT', location: 'WH1/A1', qty: 10 })
  const receipt = await sb.count({ sku: 'BOLT', location: 'WH1/A1', counted: '8.5' })
  assert.equal(receipt.difference, '-1.50')
  assert.equal(sb.onHand('BOLT', 'WH1/A1'), '8.50')
  await assert.rejects(sb.count({ sku: 'BOLT', location: 'NOPE', counted: 1 }), NotFound)
})

test('execute and executeBatch take { op, args } commands; a batch is all or nothing', async () => {
  const { sb } = await freshBook()
  const receipt = await sb.execute({ op: 'receive', args: { sku: 'BOLT', location: 'WH1/A1', qty: 5 } }, { actor: 'ann' })
  assert.equal(receipt.firstSeq, 4)
  const receipts = await sb.executeBatch(
    [
      { op: 'define_item', args: { sku: 'NUT' } },
      { op: 'receive', args: { sku: 'NUT', location: 'WH1/A1', qty: 3 } },
      { op: 'transfer', args: { sku: 'NUT', from: 'WH1/A1', to: 'WH1', qty: 1 } },
      { op: 'archive_location', args: { code: 'WH1/A1' } },
    ].slice(0, 3),
    { correlation: 'PO-1' },
  )
  assert.deepEqual(
    receipts.map((r) => r.firstSeq),
    [5, 6, 7],
  )
  assert.deepEqual(await sb.executeBatch([]), [])
  const before = sb.lastSeq()
  await assert.rejects(
    sb.executeBatch([
      { op: 'ship', args: { sku: 'BOLT', location: 'WH1/A1', qty: 1 } },
      { op: 'ship', args: { sku: 'BOLT', location: 'WH1/A1', qty: 99 } },
    ]),
    (e) => {
      assert.ok(e instanceof BatchRefused)
      assert.equal(e.index, 1)
      assert.ok(e.source instanceof InsufficientStock)
      assert.equal(e.cause, e.source)
      assert.equal(e.source.available, '4.00', 'the first ship is seen by the second')
      assert.equal(e.facts.index, '1')
      return true
    },
  )
  assert.equal(sb.lastSeq(), before, 'a refused batch writes nothing')
  assert.equal(sb.onHand('BOLT', 'WH1/A1'), '5.00')
  await assert.rejects(sb.execute({ op: 'teleport', args: {} }), TypeError)
  await assert.rejects(sb.executeBatch([{ op: 'receive', args: { sku: 'BOLT', location: 'WH1/A1', qty: 0.5 } }]), TypeError)
})

test('meta: idempotency keys, actor, correlation, reason and effectiveAt reach the log', async () => {
  const { sb } = await freshBook()
  const meta = { key: 'rcv-1', actor: 'ann', correlation: 'PO-7', reason: 'delivery', effectiveAt: new Date(START_MS - 1000) }
  const first = await sb.receive({ sku: 'BOLT', location: 'WH1/A1', qty: 5 }, meta)
  const again = await sb.receive({ sku: 'BOLT', location: 'WH1/A1', qty: 5 }, meta)
  assert.deepEqual(again, first, 'the same key returns the first receipt')
  assert.equal(sb.onHand('BOLT', 'WH1/A1'), '5.00')
  await assert.rejects(sb.receive({ sku: 'BOLT', location: 'WH1/A1', qty: 6 }, meta), Conflict)
  const [env] = await sb.events(first.firstSeq, 1)
  assert.equal(env.seq, first.firstSeq)
  assert.equal(env.actor, 'ann')
  assert.equal(env.key, 'rcv-1')
  assert.equal(env.correlation, 'PO-7')
  assert.equal(env.reason, 'delivery')
  assert.equal(env.effectiveAt, START_MS - 1000)
  assert.equal(env.recordedAt, START_MS)
  await assert.rejects(sb.receive({ sku: 'BOLT', location: 'WH1/A1', qty: 1 }, { effectiveAt: START_MS + 2 * DAY_MS }), InvalidArgument)
  await assert.rejects(sb.receive({ sku: 'BOLT', location: 'WH1/A1', qty: 1 }, { actor: '' }), InvalidCode)
  await assert.rejects(sb.receive({ sku: 'BOLT', location: 'WH1/A1', qty: 1 }, { effectiveAt: 'now' }), TypeError)
})

test('events and history: typed envelopes, bigint sequences, paging', async () => {
  const { sb } = await freshBook()
  await sb.receive({ sku: 'BOLT', location: 'WH1/A1', qty: 5 })
  await sb.count({ sku: 'BOLT', location: 'WH1/A1', counted: 4 })
  await sb.defineLocation({ code: 'WH2' })
  await sb.dispatchTransfer({ transferId: 'T1', sku: 'BOLT', from: 'WH1/A1', to: 'WH2', qty: 1 })
  await sb.receiveTransfer({ transferId: 'T1', qty: 1 })
  await sb.updateItem({ sku: 'BOLT', decimals: 2, name: 'Bolt' })
  await sb.updateLocation({ code: 'WH2', name: 'Second' })
  const all = await sb.events()
  assert.deepEqual(
    all.map((e) => e.seq),
    all.map((_e, i) => i + 1),
  )
  assert.deepEqual(
    all.map(eventKind),
    [
      'itemDefined', 'locationDefined', 'locationDefined', 'moved', 'counted', 'moved',
      'locationDefined', 'transferDispatched', 'moved', 'transferReceived', 'moved',
      'itemUpdated', 'locationUpdated',
    ],
  )
  assert.equal(eventKind(all[3]), 'moved')
  assert.deepEqual(all[3].event.moved, {
    kind: 'receive', sku: 'BOLT', lot: null, from: '@supplier', to: 'WH1/A1', qty: '5.00',
    serials: [], unitCost: null, currency: null, reasonCode: null, transfer: null,
  })
  assert.deepEqual(all[4].event.counted, { sku: 'BOLT', location: 'WH1/A1', lot: null, counted: '4.00', expected: '5.00' })
  assert.equal(all[0].event.itemDefined.sku, 'BOLT')
  assert.equal(all[1].event.locationDefined.code, 'WH1')
  assert.equal(all[7].event.transferDispatched.id, 'T1')
  assert.deepEqual(all[9].event, { transferReceived: { id: 'T1', qty: '1.00', serials: [] } })

  const page = await sb.events(3n, 2)
  assert.deepEqual(page.map((e) => e.seq), [3, 4])
  assert.deepEqual((await sb.events(4, 1)).map((e) => e.seq), [4])
  assert.deepEqual(await sb.events(1000n), [])

  // Which events concern an item is the engine's rule; the binding must return exactly
  // those envelopes, in log order, as `events` returns them.
  const history = await sb.history('BOLT')
  const bySeq = new Map(all.map((e) => [e.seq, e]))
  assert.ok(history.length >= 6)
  for (const [i, env] of history.entries()) {
    assert.deepEqual(env, bySeq.get(env.seq))
    if (i > 0) assert.ok(env.seq > history[i - 1].seq)
  }
  for (const kind of ['itemDefined', 'moved', 'counted', 'transferDispatched', 'itemUpdated']) {
    assert.ok(history.some((e) => eventKind(e) === kind), kind)
  }
  assert.ok(!history.some((e) => eventKind(e) === 'locationDefined'))
  assert.deepEqual((await sb.history('BOLT', 5n, 2)).map((e) => e.seq), [5, 6])
  await assert.rejects(sb.history('NOPE'), NotFound)
  await assert.rejects(sb.events(-1), InvalidArgument)
  await assert.rejects(sb.events(1.5), InvalidArgument)
})

test('onHandAt reads the past by business time or by sequence', async () => {
  const { sb, clock } = await freshBook()
  const t0 = sb.now()
  const r1 = await sb.receive({ sku: 'BOLT', location: 'WH1/A1', qty: 10 })
  clock.advance(60_000)
  await sb.ship({ sku: 'BOLT', location: 'WH1/A1', qty: 4 })
  assert.equal(await sb.onHandAt('BOLT', 'WH1/A1', { time: t0 - 1 }), '0.00')
  assert.equal(await sb.onHandAt('BOLT', 'WH1/A1', { time: new Date(t0) }), '10.00')
  assert.equal(await sb.onHandAt('BOLT', 'WH1', { time: t0 + 60_000 }), '6.00')
  assert.equal(await sb.onHandAt('BOLT', 'WH1/A1', { seq: r1.lastSeq }), '10.00')
  assert.equal(await sb.onHandAt('BOLT', 'WH1/A1', { seq: Number(r1.lastSeq) + 1 }), '6.00')
  await assert.rejects(sb.onHandAt('NOPE', 'WH1', { seq: 1n }), NotFound)
  await assert.rejects(sb.onHandAt('BOLT', 'WH1', {}), TypeError)
  await assert.rejects(sb.onHandAt('BOLT', 'WH1', { at: 1 }), TypeError)
})

test('verify reports a sound file', async () => {
  const { sb } = await freshBook()
  await sb.receive({ sku: 'BOLT', location: 'WH1/A1', qty: 3 })
  const report = await sb.verify()
  assert.deepEqual(report, { events: 4, indexRows: 2, problems: [] })
})

test('methods that return a promise run off the main thread: the event loop keeps turning', async () => {
  const { dir, cleanup } = tempDir()
  try {
    const sb = await Stockbook.open(join(dir, 'x.stockbook'))
    await sb.defineItem({ sku: 'A' })
    await sb.defineLocation({ code: 'B' })
    let ticks = 0
    const timer = setInterval(() => ticks++, 0)
    try {
      const writes = []
      for (let i = 0; i < 200; i++) writes.push(sb.receive({ sku: 'A', location: 'B', qty: 1 }))
      assert.ok(writes.every((w) => w instanceof Promise))
      await Promise.all(writes)
    } finally {
      clearInterval(timer)
    }
    assert.equal(sb.onHand('A', 'B'), '200')
    assert.ok(ticks > 0, 'timers ran while the writes were in flight')
    await sb.close()
  } finally {
    cleanup()
  }
})
