// Reservations, allocation and orders through the binding: every method reaches the
// engine with its arguments and brings back typed records; refusals are typed errors.
import { test } from 'node:test'
import assert from 'node:assert/strict'

import { InsufficientStock, InvalidTransition, NotFound, Stockbook } from '../lib.js'
import { eventKind, freshBook, START_MS } from './helpers.mjs'

async function stocked() {
  const { sb, clock } = await freshBook()
  await sb.defineLocation({ code: 'WH1/A2', parent: 'WH1' })
  await sb.defineLocation({ code: 'WH1/OUT', parent: 'WH1' })
  await sb.receive({ sku: 'BOLT', location: 'WH1/A1', qty: 10 })
  await sb.receive({ sku: 'BOLT', location: 'WH1/A2', qty: 5 })
  return { sb, clock }
}

test('reserve, reservation(s), reserved / available / stockLevel, commit and release', async () => {
  const { sb } = await stocked()
  const soft = await sb.reserve({ sku: 'BOLT', scope: 'WH1', qty: '4', reservationId: 'R-SOFT', ttlMs: 60_000 })
  assert.equal(soft.reservationId, 'R-SOFT')
  const hard = await sb.reserve({ sku: 'BOLT', scope: 'WH1/A2', qty: 2, hard: true, order: 'O-9', line: 1 })
  assert.equal(typeof hard.reservationId, 'string')
  assert.deepEqual(sb.reservation('R-SOFT'), {
    id: 'R-SOFT', sku: 'BOLT', scope: 'WH1', lot: null, hard: false, qty: '4.00', requested: '4.00',
    committed: '0.00', order: null, line: null, createdAt: START_MS, expiresAt: START_MS + 60_000, state: 'pending',
  })
  assert.deepEqual(sb.reservations({ order: 'O-9' }).map((r) => r.id), [hard.reservationId])
  assert.equal(sb.reservations().length, 2)
  assert.equal(sb.reservations({ state: 'released' }).length, 0)
  assert.equal(sb.reserved('BOLT', 'WH1'), '6.00')
  assert.equal(sb.available('BOLT', 'WH1'), '9.00')
  assert.deepEqual(sb.stockLevel('BOLT', 'WH1/A2'), { onHand: '5.00', reserved: '2.00', available: '3.00' })
  await assert.rejects(sb.reserve({ sku: 'BOLT', scope: 'WH1', qty: 10 }), InsufficientStock)

  await sb.commitReservation({ reservationId: 'R-SOFT', qty: 1, location: 'WH1/A1' })
  assert.equal(sb.reservation('R-SOFT').state, 'committed')
  assert.equal(sb.onHand('BOLT', 'WH1'), '14.00')
  await sb.releaseReservation(hard.reservationId, '0.5')
  assert.equal(sb.reservation(hard.reservationId).qty, '1.50')
  await sb.releaseReservation(hard.reservationId)
  assert.equal(sb.reservation(hard.reservationId).state, 'released')
  await assert.rejects(sb.releaseReservation(hard.reservationId), InvalidTransition)
  await assert.rejects(sb.commitReservation({ reservationId: 'NOPE' }), NotFound)
  assert.throws(() => sb.reservation('NOPE'), NotFound)
  assert.throws(() => sb.reservations({ state: 'lost' }), TypeError)
})

test('reservations expire with their time-to-live; expireDue records it; the past is readable', async () => {
  const { sb, clock } = await stocked()
  const r = await sb.reserve({ sku: 'BOLT', scope: 'WH1/A1', qty: 3, ttlMs: 1000 })
  const seq = r.lastSeq
  clock.advance(1000)
  assert.equal(sb.reservation(r.reservationId).state, 'expired')
  assert.equal(sb.available('BOLT', 'WH1/A1'), '10.00')
  const expired = await sb.expireDue({ actor: 'cron' })
  assert.ok(expired.lastSeq > seq)
  assert.equal(await sb.reservedAt('BOLT', 'WH1/A1', { seq }), '3.00')
  assert.equal(await sb.availableAt('BOLT', 'WH1/A1', { seq }), '7.00')
  assert.equal(await sb.reservedAt('BOLT', 'WH1/A1', { time: clock.now() }), '0.00')
  const kinds = (await sb.events(seq)).map(eventKind)
  assert.deepEqual(kinds, ['reservationCreated', 'reservationExpired'])
  await assert.rejects(sb.reserve({ sku: 'BOLT', scope: 'WH1', qty: 1, ttlMs: 0.5 }), TypeError)
})

test('an order from draft to delivered, with typed records and events', async () => {
  const { sb } = await stocked()
  await sb.defineLocation({ code: 'CUST', kind: 'customer' })
  await sb.createOrder({
    orderId: 'O1', customer: 'ACME', dueAt: new Date(START_MS + 86_400_000), shipFrom: 'WH1',
    staging: 'WH1/OUT', shipTo: 'CUST', lines: [{ sku: 'BOLT', qty: 12 }],
  })
  const draft = sb.order('O1')
  assert.equal(draft.state, 'draft')
  assert.equal(draft.priority, 100, "the engine's default priority")
  assert.equal(draft.dueAt, START_MS + 86_400_000)
  assert.equal(typeof draft.createdSeq, 'number')
  assert.deepEqual(draft.lines[0], {
    line: 1, sku: 'BOLT', ordered: '12.00', allocated: '0.00', picked: '0.00', shipped: '0.00',
    backordered: '0.00', picks: [], reservations: [],
  })
  await assert.rejects(sb.allocateOrder('O1'), InvalidTransition)
  await sb.confirmOrder('O1')
  const plan = sb.planAllocation('BOLT', 12, 'WH1', 'fewest_locations')
  assert.deepEqual(plan, {
    sku: 'BOLT', requested: '12.00', short: '0.00',
    lines: [{ location: 'WH1/A1', lot: null, qty: '10.00' }, { location: 'WH1/A2', lot: null, qty: '2.00' }],
  })
  assert.deepEqual(sb.planAllocation('BOLT', 3, 'WH1', { ordered: { locations: ['WH1/A2'] } }).lines.map((l) => l.location), ['WH1/A2'])
  assert.throws(() => sb.planAllocation('BOLT', 3, 'WH1', { ordered: { locations: [] }, nearest: { location: 'WH1' } }), TypeError)
  await sb.allocateOrder('O1', { nearest: { location: 'WH1/A2' } })
  const allocated = sb.order('O1')
  assert.equal(allocated.state, 'allocated')
  assert.equal(allocated.lines[0].allocated, '12.00')
  assert.deepEqual(sb.orders('allocated').map((o) => o.id), ['O1'])
  await sb.pickOrder({ orderId: 'O1', line: 1, location: 'WH1/A1', qty: 10 })
  await sb.pickOrder({ orderId: 'O1', line: 1, location: 'WH1/A2', qty: 2 })
  assert.equal(sb.order('O1').lines[0].picks.length, 2)
  await sb.packOrder({ orderId: 'O1', packages: [{ id: 'P1', contents: [{ line: 1, qty: '12' }] }] })
  assert.deepEqual(sb.order('O1').packages, [{ id: 'P1', contents: [{ line: 1, qty: '12' }] }])
  await sb.shipOrder('O1', { correlation: 'O1' })
  await sb.deliverOrder('O1')
  const done = sb.order('O1')
  assert.equal(done.state, 'delivered')
  assert.equal(done.lines[0].shipped, '12.00')
  assert.equal(sb.onHand('BOLT', 'CUST'), '12.00')
  const changes = (await sb.events()).filter((e) => eventKind(e) === 'orderChanged').map((e) => e.event.orderChanged)
  assert.deepEqual(changes.map((e) => e.step).slice(0, 2), ['created', 'confirmed'])
  assert.equal(changes.at(-1).order.state, 'delivered')
  assert.throws(() => sb.order('NOPE'), NotFound)
})

test('short stock: allocateOrders by policy, backorders, fillBackorders, cancelOrder', async () => {
  const { sb } = await stocked()
  for (const [id, priority] of [['A', 1], ['B', 2]]) {
    await sb.createOrder({ orderId: id, priority, shipFrom: 'WH1', lines: [{ sku: 'BOLT', qty: 10 }] })
    await sb.confirmOrder(id)
  }
  await sb.allocateOrders({ orderIds: ['A', 'B'], policy: 'priority_due_date', strategy: 'fifo' })
  assert.equal(sb.order('A').lines[0].allocated, '10.00')
  assert.equal(sb.order('B').lines[0].allocated, '5.00')
  assert.deepEqual(sb.backorders(), [{ order: 'B', line: 1, sku: 'BOLT', qty: '5.00', priority: 2, dueAt: null }])
  assert.deepEqual(sb.backorders('NUT'), [])
  await sb.receive({ sku: 'BOLT', location: 'WH1/A1', qty: 5 })
  await sb.fillBackorders({ sku: 'BOLT', policy: 'fair_share' })
  assert.equal(sb.order('B').lines[0].backordered, '0.00')
  await sb.fillBackorders()
  await sb.cancelOrder('B')
  assert.equal(sb.order('B').state, 'cancelled')
  assert.equal(sb.reserved('BOLT', 'WH1'), '10.00', "only A's allocation remains")
  await assert.rejects(sb.shipOrder('B', { actor: 'ann' }), InvalidTransition)
  await assert.rejects(sb.confirmOrder('NOPE'), NotFound)
  await assert.rejects(sb.allocateOrders({ policy: 'random' }), TypeError)
})

test('orders and reservations through execute and executeBatch', async () => {
  const { sb } = await stocked()
  const receipts = await sb.executeBatch([
    { op: 'reserve', args: { reservationId: 'R1', sku: 'BOLT', scope: 'WH1', qty: 1 } },
    { op: 'commit_reservation', args: { reservationId: 'R1', location: 'WH1/A1' } },
    { op: 'create_order', args: { orderId: 'O1', shipFrom: 'WH1', lines: [{ sku: 'BOLT', qty: 1 }] } },
    { op: 'confirm_order', args: { orderId: 'O1' } },
    { op: 'allocate_order', args: { orderId: 'O1', strategy: 'lifo' } },
    { op: 'cancel_order', args: { orderId: 'O1' } },
    { op: 'reserve', args: { reservationId: 'R2', sku: 'BOLT', scope: 'WH1', qty: 1 } },
    { op: 'release_reservation', args: { reservationId: 'R2' } },
    { op: 'expire_due' },
  ])
  assert.equal(receipts.length, 9)
  assert.equal(receipts[0].reservationId, 'R1')
  assert.equal(sb.order('O1').state, 'cancelled')
  assert.equal(sb.reservation('R2').state, 'released')
  await sb.execute({ op: 'reserve', args: { sku: 'BOLT', scope: 'WH1', qty: 2 } })
  assert.equal(sb.reserved('BOLT', 'WH1'), '2.00')
  assert.deepEqual((await sb.verify()).problems, [])
})

test('a closed book refuses order methods too', async () => {
  const sb = Stockbook.inMemory()
  await sb.close()
  assert.throws(() => sb.orders(), (e) => e.code === 'closed')
  await assert.rejects(sb.expireDue(), (e) => e.code === 'closed')
})
