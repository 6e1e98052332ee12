// Compiled with `tsc --noEmit` by tests/types.test.mjs: the published types must accept
// ordinary use and reject misuse (`@ts-expect-error` lines fail the build if they compile).
import {
  BatchRefused,
  InsufficientStock,
  InvalidParameter,
  ManualClock,
  NotFound,
  Stockbook,
  StockbookError,
  autoForecast,
  classify,
  eoq,
  forecast,
  roundOrderQuantity,
  safetyStockCycle,
  safetyStockFillRate,
  type DemandHistory,
  type Envelope,
  type Forecast,
  type PurchaseOrder,
  type Receipt,
  type Written,
  type AnyReceipt,
  type ReplenishmentPlan,
} from '../../lib'

async function planning(sb: Stockbook): Promise<void> {
  await sb.createPurchaseOrder({
    poId: 'PO-1',
    supplier: 'ACME',
    location: 'WH1',
    expectedAt: new Date(),
    overReceipt: { allow: { tolerancePct: '10' } },
    lines: [{ sku: 'A', qty: '12.5', unitCost: '0.40', currency: 'EUR' }],
  })
  await sb.receivePurchaseOrder({ poId: 'PO-1', line: 1, qty: 5n }, { key: 'grn-1' })
  await sb.closePurchaseOrder('PO-1')
  await sb.cancelPurchaseOrder('PO-2', { reason: 'not needed' })
  const po: PurchaseOrder = sb.purchaseOrder('PO-1')
  const ordered: string = po.lines[0].ordered
  const state: 'open' | 'partially_received' | 'received' | 'closed' | 'cancelled' = po.state
  const open: PurchaseOrder[] = sb.purchaseOrders({ supplier: 'ACME', state: 'open' })
  const onOrder: string = sb.onOrder('A', 'WH1')
  const mean: number | null = sb.leadTimeStats('ACME', 'A').meanDays
  const history: DemandHistory = await sb.demandHistory('A', 'WH1', 'week', new Date(0), Date.now(), true)
  const demand: string = history.periods[0].demand
  const plan: ReplenishmentPlan = await sb.replenishmentPlan({
    bucket: 'month',
    method: { fixed: { holtWinters: { seasonLength: 12, seasonality: 'multiplicative' } } },
    orderQuantity: { eoq: { orderingCost: 50, holdingCost: 0.2 } },
    items: [{ sku: 'A', leadTimeDays: 14 }],
    series: [{ sku: 'A', site: 'WH1', demand: [1, 2, 3] }],
  })
  await sb.replenishmentPlan({ method: { auto: { seasonLength: 52 } } })
  await sb.replenishmentPlan()
  for (const row of plan.rows) {
    const position: number = row.position
    const qty: string | undefined = row.order?.qty
    void [position, qty]
  }
  for (const problem of plan.problems) {
    const code: string = problem.error.code
    if (problem.error instanceof InvalidParameter) {
      const parameter: string = problem.error.parameter
      void parameter
    }
    void code
  }

  const fc: Forecast = await forecast([1, 2, 3], { ses: { alpha: 0.3 } }, 4)
  const next: number = fc.mean[0]
  const sigma: number = fc.accuracy.sigma
  if (fc.params.kind === 'ets') {
    const aicc: number = fc.params.aicc
    void aicc
  }
  await forecast([1, 2, 3], 'croston_sba', 1)
  const auto = await autoForecast([1, 0, 2, 0], 1, 2)
  const pattern: 'smooth' | 'erratic' | 'intermittent' | 'lumpy' | 'no_demand' = auto.class.pattern
  const adi: number | null = classify([1, 0, 2]).adi
  const rop: number = safetyStockCycle(0.95, { mean: 10, stdDev: 2 }, { mean: 2, stdDev: 0.5 }).reorderPoint
  const k: number = safetyStockFillRate(0.98, 100, { mean: 10, stdDev: 2 }, { mean: 2 }, 'exact').k
  const q: number = eoq(50, 0.2, 1000).quantity
  const rounded: number = roundOrderQuantity(q, 25, 12)

  // @ts-expect-error: a method name that does not exist
  await forecast([1, 2, 3], 'crystal_ball', 1)
  // @ts-expect-error: forecasts are promises
  const sync: Forecast = forecast([1, 2, 3], 'naive', 1)
  // @ts-expect-error: demand needs its standard deviation
  safetyStockCycle(0.95, { mean: 10 }, 2)
  // @ts-expect-error: planning numbers are numbers, not text
  await sb.replenishmentPlan({ serviceLevel: '0.95' })
  // @ts-expect-error: the bucket is day, week or month
  await sb.demandHistory('A', 'WH1', 'year', 0, 1)

  void [ordered, state, open, onOrder, mean, demand, next, sigma, pattern, adi, rop, k, rounded, sync]
}

async function main(): Promise<void> {
  const clock = new ManualClock(new Date('2026-01-01T00:00:00Z'))
  const sb: Stockbook = Stockbook.inMemory({ clock, durability: 'immediate' })
  const file: Stockbook = await Stockbook.open('/tmp/x.stockbook', { durability: 'bulk_load' })
  await file.close()

  const receipt: Written = await sb.defineItem({ sku: 'A', decimals: 2, tracking: 'lot' })
  const first: number = receipt.firstSeq
  await sb.defineLocation({ code: 'WH1', kind: 'site' })
  await sb.receive({ sku: 'A', location: 'WH1', qty: '10.5', lot: 'L1', expiry: new Date() })
  await sb.ship({ sku: 'A', location: 'WH1', qty: 2n, lot: 'L1' }, { key: 'k1', effectiveAt: 1 })
  await sb.execute({ op: 'receive', args: { sku: 'A', location: 'WH1', qty: 1, lot: 'L1' } })
  const receipts: AnyReceipt[] = await sb.executeBatch([
    { op: 'issue', args: { sku: 'A', location: 'WH1', qty: '1', lot: 'L1' } },
  ])
  const onHand: string = sb.onHand('A', 'WH1')
  const past: string = await sb.onHandAt('A', 'WH1', { time: new Date() })
  const events: Envelope[] = await sb.events(0n, 100)
  for (const env of events) {
    const seq: number = env.seq
    const at: number = env.recordedAt
    if ('moved' in env.event) {
      const qty: string = env.event.moved.qty
      void qty
    }
    void seq
    void at
  }
  const report = await sb.verify()
  const sound: boolean = report.problems.length === 0
  const last: number = sb.lastSeq()

  try {
    await sb.ship({ sku: 'A', location: 'WH1', qty: '99', lot: 'L1' })
  } catch (err) {
    if (err instanceof InsufficientStock) {
      const available: string = err.available
      const code: 'insufficient_stock' = err.code
      void available
      void code
    } else if (err instanceof BatchRefused) {
      const inner: StockbookError = err.source
      void inner
    } else if (err instanceof NotFound) {
      const kind: string = err.kind
      void kind
    }
  }

  // @ts-expect-error: quantities are not booleans
  await sb.receive({ sku: 'A', location: 'WH1', qty: true })
  // @ts-expect-error: an unknown op
  await sb.execute({ op: 'teleport', args: {} })
  // @ts-expect-error: tracking is one of none | lot | serial
  await sb.defineItem({ sku: 'B', tracking: 'batch' })
  // @ts-expect-error: onHand is synchronous and returns text
  const wrong: Promise<string> = sb.onHand('A', 'WH1')

  void [first, receipts, onHand, past, sound, last, wrong]
}

void main
void planning
