// Type-checks the generated contract (contract.d.ts) under `tsc --strict`: calls built
// by their op compile, and the lines marked @ts-expect-error must be refused (tsc fails
// on an expect-error line that compiles), so the types are as narrow as the contract.
import type { CommandCall, QueryAnswers, QueryCall, Receipt } from '../../contract'

export const receive: CommandCall = {
  op: 'receive',
  args: { sku: 'A', location: 'WH1', qty: '10.5', lot: null },
  meta: { key: 'rcv-1', actor: 'ann' },
}
export const batch: CommandCall[] = [
  { op: 'define_item', args: { sku: 'A', decimals: 2 } },
  { op: 'expire_due', args: {} },
  { op: 'transfer', args: { sku: 'A', from: 'WH1', to: 'WH2', qty: 1 } },
]
export const lookup: QueryCall = { op: 'transfer', args: { id: 'TR-1' }, kind: 'query' }
export const onHand: QueryCall = { op: 'on_hand', args: { sku: 'A', location: 'WH1' } }

export function firstSeq(receipt: Receipt): number {
  return receipt.first_seq
}
export function onHandText(answer: QueryAnswers['on_hand']): string {
  return typeof answer === 'number' ? String(answer) : answer
}

// @ts-expect-error an unknown field is refused
export const unknownField: CommandCall = { op: 'receive', args: { sku: 'A', location: 'WH1', qty: 1, colour: 'red' } }
// @ts-expect-error a required field is missing
export const missing: CommandCall = { op: 'receive', args: { sku: 'A', qty: 1 } }
// @ts-expect-error an op with the args of another
export const crossed: QueryCall = { op: 'on_hand', args: { id: 'TR-1' } }
// @ts-expect-error a query takes no meta
export const queryMeta: QueryCall = { op: 'last_seq', args: {}, meta: { actor: 'ann' } }
// @ts-expect-error a quantity is text or a number
export const badQty: CommandCall = { op: 'issue', args: { sku: 'A', location: 'WH1', qty: true } }
