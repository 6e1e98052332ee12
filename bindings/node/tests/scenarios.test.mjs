// Replays every scenario of tests/scenarios/ through the binding's own typed methods, with
// the matching rules of core/tests/scenarios.rs (see tests/scenarios/README.md):
// - a step without `expect` must succeed;
// - `{error, facts}`: that code, `facts` a subset of the error's facts (text), and after
//   the refusal `lastSeq` is unchanged;
// - `{ok}` / `{value}`: objects match as subsets, arrays element by element with the same
//   length, scalars equal.
// Scenario arguments and expectations use the engine's snake_case names; the runner maps
// them to the binding's camelCase ones.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

import { ManualClock, Stockbook, StockbookError } from '../lib.js'
import { camelKeys, SCENARIO_DIR } from './helpers.mjs'

const DEFAULT_START_MS = 1_767_225_600_000

const files = readdirSync(SCENARIO_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()

/** A step's args for a typed method: camelCase keys. */
const argsOf = (step) => camelKeys(step.args ?? {})

/** A scenario's point in the past (`at_ms` or `seq`) as the binding takes it. */
const asOf = (a) => (a.atMs !== undefined ? { at: a.atMs } : { seq: a.seq })

/** The binding call for each scenario op. */
const OPS = {
  define_item: (sb, a, m) => sb.defineItem(a, m),
  update_item: (sb, a, m) => sb.updateItem(a, m),
  archive_item: (sb, a, m) => sb.archiveItem(a.sku, m),
  define_location: (sb, a, m) => sb.defineLocation(a, m),
  update_location: (sb, a, m) => sb.updateLocation(a, m),
  archive_location: (sb, a, m) => sb.archiveLocation(a.code, m),
  define_lot: (sb, a, m) => sb.defineLot(a, m),
  receive: (sb, a, m) => sb.receive(a, m),
  issue: (sb, a, m) => sb.issue(a, m),
  ship: (sb, a, m) => sb.ship(a, m),
  adjust: (sb, a, m) => sb.adjust(a, m),
  scrap: (sb, a, m) => sb.scrap(a, m),
  transfer: (sb, a, m) => sb.transferStock(a, m),
  dispatch_transfer: (sb, a, m) => sb.dispatchTransfer(a, m),
  receive_transfer: (sb, a, m) => sb.receiveTransfer(a, m),
  count: (sb, a, m) => sb.count(a, m),
  batch: (sb, a, m) =>
    sb.executeBatch(
      a.commands.map((c) => ({ op: c.op, args: c.args })),
      m,
    ),
  on_hand: (sb, a) => sb.onHand(a.sku, a.location, a.lot),
  on_hand_at: (sb, a) => sb.onHandAt(a.sku, a.location, asOf(a)),
  item_total: (sb, a) => sb.itemTotal(a.sku),
  balances: (sb, a) => sb.balances(a),
  item: (sb, a) => sb.item(a.sku),
  location: (sb, a) => sb.location(a.code),
  lot: (sb, a) => sb.lot(a.sku, a.lot),
  transfer_record: (sb, a) => sb.transfer(a.id),
  serial: (sb, a) => sb.serial(a.sku, a.serial),
  history: async (sb, a) => (await sb.history(a.sku)).map((e) => e.event.type),
  last_seq: (sb) => sb.lastSeq(),
  // Reservations and orders.
  reserve: (sb, a, m) => sb.reserve(a, m),
  commit_reservation: (sb, a, m) => sb.commitReservation(a, m),
  release_reservation: (sb, a, m) => sb.releaseReservation(a.reservationId, a.qty, m),
  expire_due: (sb, _a, m) => sb.expireDue(m),
  create_order: (sb, a, m) => sb.createOrder(a, m),
  confirm_order: (sb, a, m) => sb.confirmOrder(a.orderId, m),
  allocate_order: (sb, a, m) => sb.allocateOrder(a.orderId, a.strategy, m),
  allocate_orders: (sb, a, m) => sb.allocateOrders(a, m),
  fill_backorders: (sb, a, m) => sb.fillBackorders(a, m),
  pick_order: (sb, a, m) => sb.pickOrder(a, m),
  pack_order: (sb, a, m) => sb.packOrder(a, m),
  ship_order: (sb, a, m) => sb.shipOrder(a.orderId, m),
  deliver_order: (sb, a, m) => sb.deliverOrder(a.orderId, m),
  cancel_order: (sb, a, m) => sb.cancelOrder(a.orderId, a.returnTo, m),
  reservation: (sb, a) => sb.reservation(a.id),
  reservations: (sb, a) => sb.reservations(a),
  available: (sb, a) => sb.available(a.sku, a.location),
  reserved: (sb, a) => sb.reserved(a.sku, a.location),
  stock_level: (sb, a) => sb.stockLevel(a.sku, a.location),
  available_at: (sb, a) => sb.availableAt(a.sku, a.location, asOf(a)),
  reserved_at: (sb, a) => sb.reservedAt(a.sku, a.location, asOf(a)),
  order: (sb, a) => sb.order(a.id),
  backorders: (sb, a) => sb.backorders(a.sku),
  plan_allocation: (sb, a) => sb.planAllocation(a.sku, a.qty, a.scope, a.strategy),
  // Purchase orders and planning.
  create_purchase_order: (sb, a, m) => sb.createPurchaseOrder(a, m),
  receive_purchase_order: (sb, a, m) => sb.receivePurchaseOrder(a, m),
  close_purchase_order: (sb, a, m) => sb.closePurchaseOrder(a.poId, m),
  cancel_purchase_order: (sb, a, m) => sb.cancelPurchaseOrder(a.poId, m),
  purchase_order: (sb, a) => sb.purchaseOrder(a.id),
  purchase_orders: (sb, a) => sb.purchaseOrders(a),
  on_order: (sb, a) => sb.onOrder(a.sku, a.location),
  lead_time_stats: (sb, a) => sb.leadTimeStats(a.supplier, a.sku),
  demand_history: (sb, a) => sb.demandHistory(a.sku, a.location, a.bucket, a.fromMs, a.toMs, a.includeBackorders),
  replenishment_plan: (sb, a) => sb.replenishmentPlan(a),
  advance_clock: (_sb, a, _m, clock) => clock.advance(a.ms),
  set_clock: (_sb, a, _m, clock) => clock.set(a.ms),
}
// `transfer` is both a command and a query in the scenario format: the query has `id`.
const opFor = (step) => (step.op === 'transfer' && step.args?.id !== undefined ? 'transfer_record' : step.op)

/** `want` matches `got`: objects as subsets, arrays element-wise, scalars equal. */
function matches(want, got, path = '') {
  if (want !== null && typeof want === 'object' && !Array.isArray(want)) {
    if (got === null || typeof got !== 'object') throw new Error(`${path}: expected an object, got ${show(got)}`)
    for (const [k, w] of Object.entries(want)) matches(w, got[k] ?? null, `${path}.${k}`)
    return
  }
  if (Array.isArray(want)) {
    if (!Array.isArray(got) || got.length !== want.length) {
      throw new Error(`${path}: expected ${want.length} elements, got ${show(got)}`)
    }
    want.forEach((w, i) => matches(w, got[i], `${path}[${i}]`))
    return
  }
  const same = typeof got === 'bigint' && typeof want === 'number' ? got === BigInt(want) : got === want
  if (!same) throw new Error(`${path}: expected ${show(want)}, got ${show(got)}`)
}

const show = (v) => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x))

async function runStep(sb, clock, step) {
  const op = opFor(step)
  const call = OPS[op]
  if (!call) throw new Error(`op ${op} is not supported by the Node runner`)
  // Batch commands keep their op names; only their args are renamed.
  const args = op === 'batch' ? { commands: step.args.commands.map((c) => ({ op: c.op, args: camelKeys(c.args) })) } : argsOf(step)
  const meta = step.meta ? camelKeys(step.meta) : undefined
  const expect = step.expect ?? {}
  const seqBefore = sb.lastSeq()
  let result
  let error
  try {
    result = await call(sb, args, meta, clock)
  } catch (err) {
    error = err
  }
  if (expect.error !== undefined) {
    if (error === undefined) throw new Error(`expected error ${expect.error}, but it succeeded`)
    if (!(error instanceof StockbookError)) throw new Error(`expected error ${expect.error}, got ${error.stack}`)
    if (error.code !== expect.error) throw new Error(`expected error ${expect.error}, got ${error.code} (${error.message})`)
    if (expect.facts) matches(expect.facts, error.facts, 'facts')
    const seqAfter = sb.lastSeq()
    if (seqAfter !== seqBefore) throw new Error(`a refused step wrote events (${seqBefore} → ${seqAfter})`)
    return
  }
  if (error !== undefined) throw new Error(`unexpected error ${error.code ?? error.name}: ${error.message}`)
  const want = expect.ok ?? expect.value
  if (want !== undefined) matches(camelKeys(want), result)
}

for (const file of files) {
  const scenario = JSON.parse(readFileSync(join(SCENARIO_DIR, file), 'utf8'))
  test(`scenario ${file}: ${scenario.name}`, async () => {
    const clock = new ManualClock(scenario.start_ms ?? DEFAULT_START_MS)
    const sb = Stockbook.inMemory({ clock })
    try {
      for (const [i, step] of scenario.steps.entries()) {
        try {
          await runStep(sb, clock, step)
        } catch (err) {
          assert.fail(`step ${i} (${step.op}): ${err.message}`)
        }
      }
      const report = await sb.verify()
      assert.deepEqual(report.problems, [], 'verify after the scenario')
      assert.equal(report.sound, true)
    } finally {
      await sb.close()
    }
  })
}

test('the corpus covers the ledger', () => {
  assert.ok(files.length >= 15, `expected at least 15 scenarios, found ${files.length}`)
})
