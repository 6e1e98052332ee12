// Drives examples/node/server.mjs over HTTP on 127.0.0.1 with an ephemeral port.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'

import { startServer } from '../../../examples/node/server.mjs'
import { tempDir } from './helpers.mjs'

test('the example inventory service receives, ships orders atomically and reports stock', async () => {
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
    assert.equal(typeof received.body.receipt.firstSeq, 'string', 'bigints travel as text')
    // A retried request with the same key writes nothing.
    const retried = await call('POST', '/receive', { sku: 'MUG', location: 'WH/B1', qty: 10 }, { 'idempotency-key': 'po-1' })
    assert.deepEqual(retried.body, received.body)
    await call('POST', '/receive', { sku: 'TEA', location: 'WH/B1', qty: '2.5' })

    const order = await call('POST', '/orders', {
      id: 'SO-1',
      lines: [
        { sku: 'MUG', location: 'WH/B1', qty: 3 },
        { sku: 'TEA', location: 'WH/B1', qty: '0.250' },
      ],
    })
    assert.equal(order.status, 201)
    assert.equal(order.body.receipts.length, 2)
    // The same order again is the same answer, not a second shipment.
    assert.deepEqual((await call('POST', '/orders', { id: 'SO-1', lines: [
      { sku: 'MUG', location: 'WH/B1', qty: 3 },
      { sku: 'TEA', location: 'WH/B1', qty: '0.250' },
    ] })).body, order.body)

    // One short line refuses the whole order.
    const short = await call('POST', '/orders', {
      id: 'SO-2',
      lines: [
        { sku: 'MUG', location: 'WH/B1', qty: 1 },
        { sku: 'TEA', location: 'WH/B1', qty: 5 },
      ],
    })
    assert.equal(short.status, 409)
    assert.equal(short.body.error, 'batch_refused')
    assert.equal(short.body.line, 1)
    assert.deepEqual(short.body.facts, { sku: 'TEA', location: 'WH/B1', requested: '5.000', available: '2.250' })

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
    assert.equal((await call('DELETE', '/stock/MUG')).status, 404)
  } finally {
    await close()
    cleanup()
  }
})
