// Planning at the scale of a book through the binding: forecasts recorded as they were
// made, their accuracy against the demand that came, and a what-if replay of the log under
// another policy. The figures are the hand computations of core/tests/planning_accuracy.rs
// and core/tests/whatif.rs.
import { test } from 'node:test'
import assert from 'node:assert/strict'

import { InvalidParameter, ManualClock, NotFound, Stockbook } from '../lib.js'
import { START_MS } from './helpers.mjs'

const DAY_MS = 86_400_000
const HOUR_MS = 3_600_000
const day = (d) => START_MS + d * DAY_MS
const close = (a, b) => assert.ok(Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b)), `${a} ≠ ${b}`)

/** Item A in bin WH1/A of site WH1, `received` on day 0, then `(day, qty)` shipped. */
async function book(received, shipments, receipts = {}) {
  const clock = new ManualClock(START_MS)
  const sb = Stockbook.inMemory({ clock })
  await sb.defineLocation({ code: 'WH1', kind: 'site' })
  await sb.defineLocation({ code: 'WH1/A', parent: 'WH1' })
  await sb.defineItem({ sku: 'A' })
  await sb.receive({ sku: 'A', location: 'WH1/A', qty: received })
  for (const [d, qty] of shipments) {
    clock.set(day(d) + HOUR_MS)
    if (receipts[d]) await sb.receive({ sku: 'A', location: 'WH1/A', qty: receipts[d] })
    await sb.ship({ sku: 'A', location: 'WH1/A', qty })
  }
  return { sb, clock }
}

test('recordForecast, recordForecasts and forecastAccuracy', async () => {
  const { sb, clock } = await book(1000, [[0, 4], [1, 6], [2, 5], [3, 9], [4, 10], [6, 5]])
  clock.set(day(7))
  await sb.recordForecast({ sku: 'A', site: 'WH1', bucket: 'day', start: day(4), points: [7, 7, 7], method: 'naive', madeAt: day(4) })
  await sb.recordForecasts([
    { sku: 'A', site: 'WH1', bucket: 'day', start: day(6), points: [6], method: 'ses_optimized', lower: [4], upper: [8], level: 80, madeAt: day(5.5) },
  ])
  const acc = await sb.forecastAccuracy('WH1', day(4), day(7), 'day')
  assert.equal(acc.rows.length, 1)
  const [row] = acc.rows
  assert.deepEqual([row.sku, row.site, row.compared, row.mapePeriods, row.masePeriods], ['A', 'WH1', 3, 2, 3])
  assert.deepEqual(row.periods.map((p) => p.forecast), [7, 7, 6])
  assert.deepEqual(row.periods.map((p) => p.step), [1, 2, 1])
  assert.deepEqual(row.periods.map((p) => p.actual), [10, 0, 5])
  close(row.mae, 11 / 3)
  close(row.bias, 5 / 3)
  close(row.mape, 25)
  close(row.mase, (3 / (7 / 3) + 7 / (7 / 3) + 1 / 3.6) / 3)
  await assert.rejects(
    sb.recordForecast({ sku: 'A', site: 'WH1', bucket: 'day', start: day(4), points: [1], method: 'naive', upper: [0] }),
    (err) => err instanceof InvalidParameter && err.parameter === 'upper',
  )
  await assert.rejects(
    sb.recordForecast({ sku: 'NOPE', site: 'WH1', bucket: 'day', start: day(4), points: [1], method: 'naive' }),
    NotFound,
  )
})

test('whatIf replays the log under another policy beside what happened', async () => {
  const { sb, clock } = await book(5, [[1, 2], [2, 4], [3, 3], [4, 5], [5, 1]], { 2: 10 })
  clock.set(day(9))
  const w = await sb.whatIf('A', 'WH1', day(1), day(6), { minMax: { reorderPoint: 3, orderUpTo: '10' } }, null, 'day')
  assert.deepEqual([w.reorderPoint, w.orderUpTo], ['3', '10'])
  assert.deepEqual(w.periods.map((p) => p.onHand), ['3', '0', '4', '0', '0'])
  assert.deepEqual(w.periods.map((p) => p.ordered), ['0', '7', '0', '0', '10'])
  assert.deepEqual(w.periods.map((p) => p.actualOnHand), ['3', '9', '6', '1', '0'])
  const s = w.simulated
  assert.deepEqual([s.startOnHand, s.stockoutPeriods, s.unitsShort, s.orders, s.unitsOrdered], ['5', 3, '3', 2, '17'])
  close(s.fillRate, 0.8)
  close(s.averageOnHand, 1.4)
  assert.deepEqual([w.actual.stockoutPeriods, w.actual.receipts, w.actual.unitsReceived], [1, 1, '10'])
  close(w.actual.averageOnHand, 3.8)
  const backordered = await sb.whatIf('A', 'WH1', day(1), day(6), { reorderQuantity: { reorderPoint: 2, orderQty: 4 } }, true, 'day', null, null, 0)
  assert.deepEqual(backordered.periods.map((p) => p.backordered), ['0', '1', '0', '1', '0'])
  await assert.rejects(
    sb.whatIf('A', 'WH1', day(1), day(6), { orderUpTo: { level: 5, reviewPeriods: 0 } }, null, 'day'),
    (err) => err instanceof InvalidParameter && err.parameter === 'reviewPeriods' && err.facts.parameter === 'review_periods',
  )
})
