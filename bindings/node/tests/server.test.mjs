// Drives examples/node/server.mjs over HTTP on 127.0.0.1 with an ephemeral port.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'

import { startServer } from '../../../examples/node/server.mjs'
import { tempDir } from './helpers.mjs'

test('the example inventory service receives, ships orders through the order saga and reports stock', async () => {
  const { dir, cleanup } = tempDir()
  const { url, close } = await startServer({ path: join(dir, 'shop.stockbook'), port: 0 })
  const call = async (method, path, body, headers = {}) => {
    const res = await fetch(url + path, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    return { status: res.status, body: await res.json() }
  }
  try {
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/)
    assert.equal((await call('POST', '/items', { sku: 'MUG', name: 'Mug' })).status, 201)
    assert.equal((await call('POST', '/items', { sku: 'TEA', decimals: 3, unit: 'kg' })).status, 201)
    assert.equal((await call('POST', '/locations', { code: 'WH', kind: 'site' })).status, 201)
    assert.equal((await call('POST', '/locations', { code: 'WH/B1', parent: 'WH' })).status, 201)

    const received = await call('POST', '/receive', { sku: 'MUG', location: 'WH/B1', qty: 10 }, { 'idempotency-key': 'po-1' })
    assert.equal(received.status, 200)
    assert.equal(received.body.onHand, '10')
    assert.equal(typeof received.body.receipt.firstSeq, 'number', 'receipts are plain JSON')
    // A retried request with the same key writes nothing.
    const retried = await call('POST', '/receive', { sku: 'MUG', location: 'WH/B1', qty: 10 }, { 'idempotency-key': 'po-1' })
    assert.deepEqual(retried.body, received.body)
    await call('POST', '/receive', { sku: 'TEA', location: 'WH/B1', qty: '2.5' })

    assert.equal((await call('POST', '/locations', { code: 'WH/PACK', parent: 'WH' })).status, 201)
    const soBody = {
      id: 'SO-1',
      shipFrom: 'WH',
      staging: 'WH/PACK',
      lines: [
        { sku: 'MUG', qty: 3 },
        { sku: 'TEA', qty: '0.250' },
      ],
    }
    const order = await call('POST', '/orders', soBody)
    assert.equal(order.status, 201, JSON.stringify(order.body))
    assert.equal(order.body.order.id, 'SO-1')
    assert.equal(order.body.order.state, 'shipped')
    assert.deepEqual(
      order.body.order.lines.map((l) => [l.sku, l.ordered, l.shipped, l.backordered]),
      [
        ['MUG', '3', '3', '0'],
        ['TEA', '0.250', '0.250', '0.000'],
      ],
    )
    assert.equal(typeof order.body.receipt.lastSeq, 'number')
    // It went through the saga: reserved, picked to staging, packed, shipped.
    const saga = await call('GET', '/orders/SO-1')
    assert.equal(saga.status, 200)
    assert.deepEqual(saga.body.packages, [{ id: 'SO-1-1', contents: [{ line: 1, qty: '3' }, { line: 2, qty: '0.250' }] }])
    // The same order again is the same answer, not a second shipment.
    const seqBefore = (await call('GET', '/orders/SO-1')).body.createdSeq
    assert.deepEqual((await call('POST', '/orders', soBody)).body, order.body)
    assert.equal((await call('GET', '/orders/SO-1')).body.createdSeq, seqBefore)

    // One short line refuses the whole order: it is cancelled, its reservations released.
    const soShort = {
      id: 'SO-2',
      shipFrom: 'WH',
      staging: 'WH/PACK',
      lines: [
        { sku: 'MUG', qty: 1 },
        { sku: 'TEA', qty: 5 },
      ],
    }
    const short = await call('POST', '/orders', soShort)
    assert.equal(short.status, 409)
    assert.equal(short.body.error, 'insufficient_stock')
    assert.deepEqual(short.body.short, [{ line: 2, sku: 'TEA', ordered: '5.000', backordered: '2.750' }])
    assert.equal((await call('GET', '/orders/SO-2')).body.state, 'cancelled')
    // Retried, it stays refused.
    const again = await call('POST', '/orders', soShort)
    assert.equal(again.status, 409)
    assert.equal(again.body.order, 'SO-2')

    const stock = await call('GET', '/stock/MUG')
    assert.equal(stock.status, 200)
    assert.deepEqual(stock.body, {
      sku: 'MUG',
      total: '7',
      balances: [{ sku: 'MUG', location: 'WH/B1', lot: null, onHand: '7' }],
    })
    assert.equal((await call('GET', '/stock/TEA')).body.total, '2.250')

    const missing = await call('GET', '/stock/NOPE')
    assert.equal(missing.status, 404)
    assert.equal(missing.body.error, 'not_found')
    const fraction = await call('POST', '/receive', { sku: 'MUG', location: 'WH/B1', qty: 1.5 })
    assert.equal(fraction.status, 400)
    const tooPrecise = await call('POST', '/receive', { sku: 'MUG', location: 'WH/B1', qty: '1.5' })
    assert.equal(tooPrecise.status, 422)
    assert.equal(tooPrecise.body.error, 'invalid_quantity')
    assert.equal((await call('POST', '/orders', { lines: [] })).status, 400)
    assert.equal((await call('GET', '/orders/NOPE')).status, 404)
    assert.equal((await call('DELETE', '/stock/MUG')).status, 404)
  } finally {
    await close()
    cleanup()
  }
})
