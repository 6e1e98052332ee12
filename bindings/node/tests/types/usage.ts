// Compiled with `tsc --noEmit` by tests/types.test.mjs: the published types must accept
// ordinary use and reject misuse (`@ts-expect-error` lines fail the build if they compile).
import {
  BatchRefused,
  InsufficientStock,
  ManualClock,
  NotFound,
  Stockbook,
  StockbookError,
  type Envelope,
  type Receipt,
} from '../../lib'

async function main(): Promise<void> {
  const clock = new ManualClock(new Date('2026-01-01T00:00:00Z'))
  const sb: Stockbook = Stockbook.inMemory({ clock, durability: 'immediate' })
  const file: Stockbook = await Stockbook.open('/tmp/x.stockbook', { durability: 'bulk_load' })
  await file.close()

  const receipt: Receipt = await sb.defineItem({ sku: 'A', decimals: 2, tracking: 'lot' })
  const first: bigint = receipt.firstSeq
  await sb.defineLocation({ code: 'WH1', kind: 'site' })
  await sb.receive({ sku: 'A', location: 'WH1', qty: '10.5', lot: 'L1', expiry: new Date() })
  await sb.ship({ sku: 'A', location: 'WH1', qty: 2n, lot: 'L1' }, { key: 'k1', effectiveAt: 1 })
  await sb.execute({ op: 'receive', args: { sku: 'A', location: 'WH1', qty: 1, lot: 'L1' } })
  const receipts: Receipt[] = await sb.executeBatch([
    { op: 'issue', args: { sku: 'A', location: 'WH1', qty: '1', lot: 'L1' } },
  ])
  const onHand: string = sb.onHand('A', 'WH1')
  const past: string = await sb.onHandAt('A', 'WH1', { at: new Date() })
  const events: Envelope[] = await sb.events(0n, 100)
  for (const env of events) {
    const seq: bigint = env.seq
    const at: number = env.recordedAt
    if (env.event.type === 'moved') {
      const qty: string = env.event.movement.qty
      void qty
    }
    void seq
    void at
  }
  const report = await sb.verify()
  const sound: boolean = report.sound
  const last: bigint = sb.lastSeq()

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
