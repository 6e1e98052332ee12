// Purchase orders, stock on order, lead times, demand history and the replenishment plan
// through the binding: every method reaches the engine with its arguments and brings back
// typed records (ledger quantities as exact text, statistics as numbers); refusals are
// typed errors, bad planning parameters `InvalidParameter` naming the parameter.
import { test } from 'node:test'
import assert from 'node:assert/strict'

import {
  AlreadyExists,
  InvalidArgument,
  InvalidParameter,
  InvalidQuantity,
  InvalidTransition,
  NotFound,
  StockbookError,
} from '../lib.js'
import { camel, eventKind, freshBook, START_MS } from './helpers.mjs'

const DAY_MS = 86_400_000

/** `err` is an `InvalidParameter` naming `parameter`. */
const invalidParameter = (parameter) => (err) => {
  assert.ok(err instanceof InvalidParameter, `${err.name}: ${err.message}`)
  assert.ok(err instanceof StockbookError)
  assert.equal(err.code, 'invalid_parameter')
  assert.equal(err.parameter, parameter)
  // The facts keep the engine's names (the scenarios' contract); the property is camelCase.
  assert.equal(camel(err.facts.parameter), parameter)
  assert.equal(typeof err.reason, 'string')
  return true
}

/** A book with BOLT (2 decimals), NUT (0 decimals), site WH1 with bin A1, site WH2. */
async function planningBook() {
  const { sb, clock } = await freshBook()
  await sb.defineItem({ sku: 'NUT' })
  await sb.defineLocation({ code: 'WH2', kind: 'site' })
  await sb.defineLocation({ code: 'WH2/A1', parent: 'WH2' })
  return { sb, clock }
}

test('createPurchaseOrder, purchaseOrder, onOrder, receivePurchaseOrder, close and cancel', async () => {
  const { sb, clock } = await planningBook()
  const created = await sb.createPurchaseOrder(
    {
      poId: 'PO-1',
      supplier: 'ACME',
      location: 'WH1',
      expectedAt: new Date(START_MS + 10 * DAY_MS),
      orderedAt: START_MS - 2 * DAY_MS,
      lines: [
        { sku: 'BOLT', qty: '12.5', unitCost: '0.40', currency: 'EUR' },
        { sku: 'NUT', qty: 100n },
      ],
      underTolerancePct: 5,
    },
    { key: 'po-1', actor: 'buyer' },
  )
  assert.equal(typeof created.firstSeq, 'number')
  assert.equal(created.firstSeq, created.lastSeq)
  assert.deepEqual(sb.purchaseOrder('PO-1'), {
    id: 'PO-1',
    supplier: 'ACME',
    location: 'WH1',
    lines: [
      { line: 1, sku: 'BOLT', ordered: '12.50', received: '0.00', unitCost: '0.40', currency: 'EUR' },
      { line: 2, sku: 'NUT', ordered: '100', received: '0', unitCost: null, currency: null },
    ],
    orderedAt: START_MS - 2 * DAY_MS,
    expectedAt: START_MS + 10 * DAY_MS,
    overReceipt: 'refuse',
    underTolerancePct: '5',
    receipts: [],
    state: 'open',
    createdAt: START_MS,
    createdSeq: created.firstSeq,
    closedAt: null,
  })
  // The same key again is the first outcome, not a second order.
  assert.deepEqual(
    await sb.createPurchaseOrder(
      {
        poId: 'PO-1', supplier: 'ACME', location: 'WH1', expectedAt: new Date(START_MS + 10 * DAY_MS),
        orderedAt: START_MS - 2 * DAY_MS, underTolerancePct: 5,
        lines: [{ sku: 'BOLT', qty: '12.5', unitCost: '0.40', currency: 'EUR' }, { sku: 'NUT', qty: 100n }],
      },
      { key: 'po-1', actor: 'buyer' },
    ),
    created,
  )
  assert.equal(sb.onOrder('BOLT', 'WH1'), '12.50')
  assert.equal(sb.onOrder('BOLT', 'WH1/A1'), '0.00', 'on order counts for the location and above')
  assert.equal(sb.onOrder('NUT', 'WH2'), '0')

  clock.advance(DAY_MS)
  const received = await sb.receivePurchaseOrder({ poId: 'PO-1', line: 1, qty: '10', location: 'WH1/A1' })
  assert.equal(received.lastSeq - received.firstSeq, 1, 'a movement and the order record')
  assert.equal(sb.onHand('BOLT', 'WH1'), '10.00')
  assert.equal(sb.onOrder('BOLT', 'WH1'), '2.50')
  const po = sb.purchaseOrder('PO-1')
  assert.equal(po.state, 'partially_received')
  assert.deepEqual(po.receipts, [{ line: 1, qty: '10.00', location: 'WH1/A1', receivedAt: START_MS + DAY_MS }])
  const history = await sb.history('BOLT')
  const { moved } = history.at(-2).event
  assert.equal(moved.unitCost, '0.40', "the line's cost is carried to the movement")
  const changed = history.at(-1).event.purchaseOrderChanged
  assert.equal(changed.step, 'received')
  assert.equal(changed.order.lines[0].received, '10.00')

  // Within the 5% under-receipt tolerance the line is complete.
  await sb.receivePurchaseOrder({ poId: 'PO-1', line: 1, qty: '2', location: 'WH1/A1' })
  assert.equal(sb.onOrder('BOLT', 'WH1'), '0.00')
  await assert.rejects(
    sb.receivePurchaseOrder({ poId: 'PO-1', line: 1, qty: '1', location: 'WH1/A1' }),
    InvalidQuantity,
  )
  await assert.rejects(sb.receivePurchaseOrder({ poId: 'PO-1', line: 1, qty: '0.001' }), InvalidQuantity)
  await assert.rejects(sb.receivePurchaseOrder({ poId: 'PO-1', line: 2, qty: 1, location: 'WH2/A1' }), (err) => {
    assert.ok(err instanceof InvalidArgument)
    assert.equal(err.field, 'location')
    return true
  })
  await assert.rejects(sb.receivePurchaseOrder({ poId: 'PO-1', line: 3, qty: 1 }), (err) => {
    assert.ok(err instanceof NotFound)
    assert.equal(err.kind, 'purchase_order_line')
    assert.equal(err.key, 'PO-1/3')
    return true
  })
  await assert.rejects(sb.cancelPurchaseOrder('PO-1'), InvalidTransition)
  await sb.closePurchaseOrder('PO-1', { reason: 'rest not coming' })
  assert.equal(sb.purchaseOrder('PO-1').state, 'closed')
  assert.equal(sb.purchaseOrder('PO-1').closedAt, START_MS + DAY_MS)
  assert.equal(sb.onOrder('NUT', 'WH1'), '0')
  await assert.rejects(sb.receivePurchaseOrder({ poId: 'PO-1', line: 2, qty: 1 }), (err) => {
    assert.ok(err instanceof InvalidTransition)
    assert.deepEqual(err.facts, { entity: 'purchase_order', id: 'PO-1', state: 'closed', step: 'receive' })
    return true
  })

  // Over-receipt allowed up to a tolerance; cancel before anything arrived.
  await sb.createPurchaseOrder({
    poId: 'PO-2',
    supplier: 'BOLTCO',
    location: 'WH2/A1',
    expectedAt: START_MS + 20 * DAY_MS,
    overReceipt: { allow: { tolerancePct: '10' } },
    lines: [{ sku: 'NUT', qty: 50 }],
  })
  assert.deepEqual(sb.purchaseOrder('PO-2').overReceipt, { allow: { tolerancePct: '10' } })
  assert.equal(sb.onOrder('NUT', 'WH2'), '50')
  await sb.receivePurchaseOrder({ poId: 'PO-2', line: 1, qty: 55 })
  assert.equal(sb.purchaseOrder('PO-2').state, 'received')
  await assert.rejects(sb.receivePurchaseOrder({ poId: 'PO-2', line: 1, qty: 1 }), InvalidQuantity)
  await sb.createPurchaseOrder({ poId: 'PO-3', supplier: 'BOLTCO', location: 'WH2', expectedAt: START_MS + DAY_MS, lines: [{ sku: 'NUT', qty: 7 }] })
  assert.equal(sb.onOrder('NUT', 'WH2'), '7')
  await sb.cancelPurchaseOrder('PO-3')
  assert.equal(sb.purchaseOrder('PO-3').state, 'cancelled')
  assert.equal(sb.onOrder('NUT', 'WH2'), '0')

  // Refusals.
  await assert.rejects(
    sb.createPurchaseOrder({ poId: 'PO-3', supplier: 'X', location: 'WH1', expectedAt: START_MS + DAY_MS, lines: [{ sku: 'NUT', qty: 1 }] }),
    AlreadyExists,
  )
  await assert.rejects(
    sb.createPurchaseOrder({ poId: 'PO-9', supplier: 'X', location: 'WH1', expectedAt: START_MS - 5 * DAY_MS, lines: [{ sku: 'NUT', qty: 1 }] }),
    (err) => err instanceof InvalidArgument && err.field === 'expectedAt' && err.facts.field === 'expected_at',
  )
  await assert.rejects(
    sb.createPurchaseOrder({ poId: 'PO-9', supplier: 'X', location: 'WH1', expectedAt: START_MS + 5 * DAY_MS, lines: [{ sku: 'NUT', qty: '1.5' }] }),
    InvalidQuantity,
  )
  await assert.rejects(sb.closePurchaseOrder('NOPE'), NotFound)
  assert.throws(() => sb.purchaseOrder('NOPE'), (err) => err instanceof NotFound && err.kind === 'purchase_order')
  assert.throws(() => sb.onOrder('NOPE', 'WH1'), NotFound)
  // Wrong JavaScript types: rejected by async methods, thrown by sync ones.
  await assert.rejects(sb.createPurchaseOrder({ poId: 'PO-9', supplier: 'X', location: 'WH1', lines: [] }), TypeError)
  await assert.rejects(sb.receivePurchaseOrder({ poId: 'PO-2', line: '1', qty: 1 }), TypeError)
  await assert.rejects(
    sb.createPurchaseOrder({ poId: 'P', supplier: 'X', location: 'WH1', expectedAt: 1, overReceipt: 'maybe', lines: [] }),
    TypeError,
  )
  await assert.rejects(sb.receivePurchaseOrder({ poId: 'PO-2', line: 1, qty: 0.5 }), TypeError)
  assert.throws(() => sb.purchaseOrders({ state: 'lost' }), TypeError)
})

test('purchaseOrders filters by supplier, item, state and location', async () => {
  const { sb } = await planningBook()
  const place = (poId, supplier, location, sku) =>
    sb.createPurchaseOrder({ poId, supplier, location, expectedAt: START_MS + DAY_MS, lines: [{ sku, qty: 1 }] })
  await place('PO-A', 'ACME', 'WH1', 'BOLT')
  await place('PO-B', 'ACME', 'WH2/A1', 'NUT')
  await place('PO-C', 'BOLTCO', 'WH1/A1', 'NUT')
  await sb.cancelPurchaseOrder('PO-C')
  const ids = (filter) => sb.purchaseOrders(filter).map((po) => po.id)
  assert.deepEqual(ids(), ['PO-A', 'PO-B', 'PO-C'])
  assert.deepEqual(ids({ supplier: 'ACME' }), ['PO-A', 'PO-B'])
  assert.deepEqual(ids({ sku: 'NUT' }), ['PO-B', 'PO-C'])
  assert.deepEqual(ids({ state: 'cancelled' }), ['PO-C'])
  assert.deepEqual(ids({ location: 'WH1' }), ['PO-A', 'PO-C'])
  assert.deepEqual(ids({ location: 'WH2', sku: 'NUT', state: 'open' }), ['PO-B'])
  assert.throws(() => sb.purchaseOrders({ location: 'NOWHERE' }), NotFound)
})

test('leadTimeStats: days from ordering to each receipt, per supplier and item', async () => {
  const { sb, clock } = await planningBook()
  const empty = sb.leadTimeStats('ACME')
  assert.deepEqual(empty, { supplier: 'ACME', sku: null, count: 0, meanDays: null, stdDevDays: null, minDays: null, maxDays: null })
  await sb.createPurchaseOrder({
    poId: 'PO-1', supplier: 'ACME', location: 'WH1', orderedAt: START_MS - 5 * DAY_MS, expectedAt: START_MS,
    lines: [{ sku: 'BOLT', qty: 10 }, { sku: 'NUT', qty: 10 }],
  })
  await sb.receivePurchaseOrder({ poId: 'PO-1', line: 1, qty: 4, location: 'WH1/A1' })
  clock.advance(2 * DAY_MS)
  await sb.receivePurchaseOrder({ poId: 'PO-1', line: 1, qty: 6, location: 'WH1/A1' })
  clock.advance(DAY_MS)
  await sb.receivePurchaseOrder({ poId: 'PO-1', line: 2, qty: 10, location: 'WH1/A1' })
  assert.deepEqual(sb.leadTimeStats('ACME', 'BOLT'), {
    supplier: 'ACME', sku: 'BOLT', count: 2, meanDays: 6, stdDevDays: Math.SQRT2, minDays: 5, maxDays: 7,
  })
  const all = sb.leadTimeStats('ACME')
  assert.equal(all.count, 3)
  assert.equal(all.meanDays, 20 / 3)
  assert.equal(all.maxDays, 8)
  assert.equal(sb.leadTimeStats('ACME', 'NUT').stdDevDays, 0, 'one observation')
  assert.equal(sb.leadTimeStats('OTHER').count, 0)
  assert.throws(() => sb.leadTimeStats(''), (err) => err.code === 'invalid_code')
})

test('demandHistory: shipments and issues per bucket, returns apart, off the main thread', async () => {
  const { sb, clock } = await planningBook()
  await sb.receive({ sku: 'BOLT', location: 'WH1/A1', qty: 20 })
  await sb.ship({ sku: 'BOLT', location: 'WH1/A1', qty: 2 })
  clock.advance(8 * DAY_MS)
  await sb.issue({ sku: 'BOLT', location: 'WH1/A1', qty: '3.25' })
  await sb.transferStock({ sku: 'BOLT', from: 'WH1/A1', to: 'WH2/A1', qty: 4 })
  // 2026-01-01 is a Thursday: ISO weeks start on Monday 2025-12-29.
  const monday = START_MS - 3 * DAY_MS
  const pending = sb.demandHistory('BOLT', 'WH1', 'week', new Date(START_MS), START_MS + 14 * DAY_MS)
  assert.ok(pending instanceof Promise)
  assert.deepEqual(await pending, {
    sku: 'BOLT',
    location: 'WH1',
    bucket: 'week',
    includeBackorders: false,
    periods: [
      { start: monday, demand: '2.00', returns: '0.00' },
      { start: monday + 7 * DAY_MS, demand: '3.25', returns: '0.00' },
      { start: monday + 14 * DAY_MS, demand: '0.00', returns: '0.00' },
    ],
  })
  const daily = await sb.demandHistory('BOLT', 'WH1/A1', 'day', START_MS, START_MS + 2 * DAY_MS, true)
  assert.equal(daily.includeBackorders, true)
  assert.deepEqual(daily.periods.map((p) => p.demand), ['2.00', '0.00'])
  const monthly = await sb.demandHistory('BOLT', 'WH1', 'month', START_MS, START_MS + 40 * DAY_MS)
  assert.deepEqual(monthly.periods.map((p) => [p.start, p.demand]), [[START_MS, '5.25'], [START_MS + 31 * DAY_MS, '0.00']])

  await assert.rejects(sb.demandHistory('BOLT', 'WH1', 'week', START_MS, START_MS), invalidParameter('to'))
  await assert.rejects(sb.demandHistory('BOLT', 'WH1', 'day', START_MS, START_MS + 20_000 * DAY_MS), invalidParameter('to'))
  await assert.rejects(sb.demandHistory('BOLT', '@customer', 'week', START_MS, START_MS + DAY_MS), InvalidArgument)
  await assert.rejects(sb.demandHistory('NOPE', 'WH1', 'week', START_MS, START_MS + DAY_MS), NotFound)
  await assert.rejects(sb.demandHistory('BOLT', 'WH1', 'year', START_MS, START_MS + DAY_MS), TypeError)
  await assert.rejects(sb.demandHistory('BOLT', 'WH1', 'week', 'yesterday', START_MS), TypeError)
})

test('replenishmentPlan: rows from the ledger with on hand, on order, reserved and the suggested order', async () => {
  const { sb, clock } = await planningBook()
  await sb.receive({ sku: 'NUT', location: 'WH1/A1', qty: 100 })
  // Ten a week for eight weeks, then the plan a week later.
  for (let week = 0; week < 8; week += 1) {
    await sb.ship({ sku: 'NUT', location: 'WH1/A1', qty: 10 })
    clock.advance(7 * DAY_MS)
  }
  await sb.createPurchaseOrder({ poId: 'PO-N', supplier: 'ACME', location: 'WH1', expectedAt: clock.now() + 14 * DAY_MS, lines: [{ sku: 'NUT', qty: 30 }] })
  await sb.reserve({ sku: 'NUT', scope: 'WH1', qty: 5 })
  const asOf = START_MS - 3 * DAY_MS + 8 * 7 * DAY_MS // the Monday after the eighth week
  const plan = await sb.replenishmentPlan({ asOf, historyPeriods: 8, horizonPeriods: 4, skus: ['NUT'], sites: ['WH1'], minOrderQty: 25, packSize: 10 })
  assert.equal(plan.asOf, asOf)
  assert.equal(plan.bucket, 'week')
  assert.deepEqual(plan.problems, [])
  assert.equal(plan.rows.length, 1)
  const row = plan.rows[0]
  assert.equal(row.sku, 'NUT')
  assert.equal(row.site, 'WH1')
  assert.equal(row.onHand, '20')
  assert.equal(row.onOrder, '30')
  assert.equal(row.reserved, '5')
  assert.equal(row.backordered, '0')
  assert.equal(row.position, 45)
  assert.equal(row.historyPeriods, 8)
  assert.equal(row.pattern, 'smooth')
  assert.equal(row.method, 'ses_optimized')
  assert.ok(Math.abs(row.demandRate - 10) < 1e-9, `demand rate ${row.demandRate}`)
  assert.equal(row.supplier, 'ACME')
  assert.equal(row.leadTimeSource, 'default', 'no receipts yet: the default lead time')
  assert.equal(row.leadTimeDays, 7)
  assert.equal(row.serviceLevel, 0.95)
  assert.equal(row.projected.length, 4)
  assert.ok(Math.abs(row.projected[0] - 35) < 1e-9)
  assert.equal(typeof row.order.qty, 'string')
  assert.equal(Number(row.order.qty) % 10, 0, 'whole packs')
  assert.ok(Number(row.order.qty) >= 25, 'at least the minimum order quantity')
  assert.ok(row.order.expectedReceipt > row.order.orderDate)
  assert.equal(row.order.expectedReceipt - row.order.orderDate, 7 * DAY_MS)

  // An item override: its own lead time and no rounding.
  const own = await sb.replenishmentPlan({
    asOf, historyPeriods: 8, skus: ['NUT'], sites: ['WH1'], method: 'by_class',
    orderQuantity: { cover: { periods: 2 } },
    items: [{ sku: 'NUT', leadTimeDays: 21, leadTimeStdDays: 0, serviceLevel: 0.9 }],
  })
  assert.equal(own.rows[0].leadTimeSource, 'item')
  assert.equal(own.rows[0].leadTimeDays, 21)
  assert.equal(own.rows[0].serviceLevel, 0.9)
  const eoq = await sb.replenishmentPlan({ asOf, skus: ['NUT'], sites: ['WH1'], historyPeriods: 8, orderQuantity: { eoq: { orderingCost: 50, holdingCost: 1 } } })
  assert.equal(eoq.rows.length, 1)
})

test('replenishmentPlan on given series: fixed and auto methods, problems as typed errors', async () => {
  const { sb } = await planningBook()
  await sb.receive({ sku: 'BOLT', location: 'WH1/A1', qty: 10 })
  const plan = await sb.replenishmentPlan({
    asOf: new Date(START_MS),
    method: { fixed: { seasonalNaive: { seasonLength: 4 } } },
    series: [
      { sku: 'BOLT', site: 'WH1', demand: [6, 6, 6, 6, 6] },
      { sku: 'NUT', site: 'WH1', demand: [1, 2, 3] },
    ],
  })
  assert.equal(plan.rows.length, 1)
  const row = plan.rows[0]
  assert.equal(row.method, 'seasonal_naive')
  assert.equal(row.onHand, '10.00')
  assert.equal(row.position, 10)
  assert.equal(row.demandRate, 6)
  assert.equal(row.sigma, 0)
  assert.equal(row.safetyStock, 0)
  assert.equal(row.reorderPoint, 6, 'one week of demand over a 7-day lead time')
  assert.equal(row.orderUpTo, 30, 'plus four periods of demand')
  assert.deepEqual(row.projected.slice(0, 3), [4, -2, -8])
  assert.deepEqual(row.order, {
    qty: '24.00',
    rawQty: 24,
    period: 0,
    orderDate: START_MS + (4 / 6) * 7 * DAY_MS,
    expectedReceipt: START_MS + (4 / 6) * 7 * DAY_MS + 7 * DAY_MS,
    positionAtOrder: 6,
  })
  assert.equal(plan.problems.length, 1)
  const [problem] = plan.problems
  assert.equal(problem.sku, 'NUT')
  assert.equal(problem.site, 'WH1')
  assert.ok(problem.error instanceof InvalidParameter, 'a problem carries the typed error')
  assert.equal(problem.error.parameter, 'series')
  assert.match(problem.error.message, /at least 5/)

  const auto = await sb.replenishmentPlan({
    asOf: START_MS,
    method: { auto: { seasonLength: 1 } },
    series: [{ sku: 'NUT', site: 'WH2', demand: [0, 3, 0, 0, 4, 0, 2, 0] }],
  })
  assert.equal(auto.rows[0].pattern, 'intermittent')
  assert.equal(typeof auto.rows[0].method, 'string')
  assert.equal(auto.rows[0].order === null || typeof auto.rows[0].order.qty === 'string', true)
})

test('replenishmentPlan refuses bad options as a whole with InvalidParameter naming the parameter', async () => {
  const { sb } = await planningBook()
  const series = [{ sku: 'NUT', site: 'WH2', demand: [1, 2, 3] }]
  const lastSeq = sb.lastSeq()
  await assert.rejects(sb.replenishmentPlan({ serviceLevel: 1 }), invalidParameter('serviceLevel'))
  await assert.rejects(sb.replenishmentPlan({ serviceLevel: 0 }), invalidParameter('serviceLevel'))
  await assert.rejects(sb.replenishmentPlan({ leadTimeDays: -1 }), invalidParameter('leadTimeDays'))
  await assert.rejects(sb.replenishmentPlan({ packSize: 0 }), invalidParameter('packSize'))
  await assert.rejects(sb.replenishmentPlan({ minOrderQty: -1 }), invalidParameter('minOrderQty'))
  await assert.rejects(sb.replenishmentPlan({ horizonPeriods: 0 }), invalidParameter('horizonPeriods'))
  await assert.rejects(sb.replenishmentPlan({ historyPeriods: 1 }), invalidParameter('historyPeriods'))
  await assert.rejects(sb.replenishmentPlan({ method: { auto: { seasonLength: 0 } } }), invalidParameter('seasonLength'))
  await assert.rejects(sb.replenishmentPlan({ orderQuantity: { cover: { periods: 0 } } }), invalidParameter('orderQuantity.periods'))
  await assert.rejects(
    sb.replenishmentPlan({ orderQuantity: { eoq: { orderingCost: 1, holdingCost: -1 } } }),
    invalidParameter('orderQuantity.holdingCost'),
  )
  await assert.rejects(sb.replenishmentPlan({ series: [{ sku: 'NUT', site: 'WH2', demand: [3, -1, 2] }] }), invalidParameter('series'))
  await assert.rejects(sb.replenishmentPlan({ series: [{ sku: 'NUT', site: 'WH2', demand: [3] }] }), invalidParameter('series'))
  await assert.rejects(sb.replenishmentPlan({ series: [{ sku: 'NUT', site: 'WH2', demand: [NaN, 1] }] }), invalidParameter('series'))
  await assert.rejects(sb.replenishmentPlan({ series: [{ sku: 'NUT', site: 'WH9', demand: [1, 2] }] }), NotFound)
  await assert.rejects(sb.replenishmentPlan({ skus: ['NOPE'] }), NotFound)
  assert.equal(sb.lastSeq(), lastSeq, 'planning writes nothing')
  // Options of the wrong shape are TypeErrors, thrown at once.
  await assert.rejects(sb.replenishmentPlan({ bucket: 'fortnight', series }), TypeError)
  await assert.rejects(sb.replenishmentPlan({ method: 'best', series }), TypeError)
  await assert.rejects(sb.replenishmentPlan({ method: { auto: { seasonLength: 1 }, fixed: 'naive' }, series }), TypeError)
  await assert.rejects(sb.replenishmentPlan({ method: { fixed: { ses: { alpha: 0.1 }, tsb: { alphaDemand: 0.1, alphaProbability: 0.1 } } }, series }), TypeError)
  await assert.rejects(sb.replenishmentPlan({ orderQuantity: {}, series }), TypeError)
  await assert.rejects(sb.replenishmentPlan({ serviceLevel: 'high', series }), TypeError)
  await assert.rejects(sb.replenishmentPlan({ asOf: 1.5, series }), TypeError)
  // Left out entirely: every default.
  await sb.receive({ sku: 'NUT', location: 'WH2/A1', qty: 5 })
  const plan = await sb.replenishmentPlan()
  assert.equal(plan.bucket, 'week')
  assert.equal(plan.asOf, START_MS)
  assert.deepEqual(plan.rows.map((r) => [r.sku, r.site, r.onHand]), [['NUT', 'WH2', '5']])
  assert.equal(plan.rows[0].pattern, 'no_demand')
  assert.equal(plan.rows[0].projected.length, 13)
  assert.equal(plan.rows[0].order, null)
})

test('execute and executeBatch take the purchase-order commands by name', async () => {
  const { sb } = await planningBook()
  await sb.execute({
    op: 'create_purchase_order',
    args: { poId: 'PO-X', supplier: 'ACME', location: 'WH1', expectedAt: START_MS + DAY_MS, lines: [{ sku: 'NUT', qty: 10 }, { sku: 'NUT', qty: 5 }] },
  })
  const receipts = await sb.executeBatch([
    { op: 'receive_purchase_order', args: { poId: 'PO-X', line: 1, qty: 10, location: 'WH1/A1' } },
    { op: 'close_purchase_order', args: { poId: 'PO-X' } },
  ])
  assert.equal(receipts.length, 2)
  assert.equal(sb.purchaseOrder('PO-X').state, 'closed')
  await sb.execute({ op: 'create_purchase_order', args: { poId: 'PO-Y', supplier: 'ACME', location: 'WH1', expectedAt: START_MS, lines: [{ sku: 'NUT', qty: 1 }] } })
  await sb.execute({ op: 'cancel_purchase_order', args: { poId: 'PO-Y' } })
  assert.equal(sb.purchaseOrder('PO-Y').state, 'cancelled')
  const events = await sb.events()
  const changes = events.filter((e) => eventKind(e) === 'purchaseOrderChanged').map((e) => e.event.purchaseOrderChanged)
  const steps = changes.map((change) => [change.order.id, change.step])
  assert.deepEqual(steps, [['PO-X', 'created'], ['PO-X', 'received'], ['PO-X', 'closed'], ['PO-Y', 'created'], ['PO-Y', 'cancelled']])
})
