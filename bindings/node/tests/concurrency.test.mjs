// Many in-flight promises on one SKU never oversell: 10,000 concurrent takes of one unit
// against 6,000 in stock, by shipping and by reserving. Each call runs on the libuv pool;
// the engine's writer decides them one by one, so exactly 6,000 succeed and nothing goes
// below zero. (Run with a larger UV_THREADPOOL_SIZE, as run-tests.sh does, to keep more
// writes in flight per commit; the outcome is the same with the default pool of 4.)
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'

import { InsufficientStock, Stockbook } from '../lib.js'
import { tempDir } from './helpers.mjs'

const CALLERS = 10_000
const STOCK = 6_000

// One line per way of taking stock; each is followed by the state it must leave.
const WAYS = {
  ship: {
    take: (sb, i) => sb.ship({ sku: 'HOT', location: 'WH', qty: 1 }, { key: `t-${i}` }),
    after: (sb) => {
      assert.equal(sb.onHand('HOT', 'WH'), '0')
      assert.equal(sb.onHand('HOT', '@customer'), String(STOCK))
    },
  },
  reserve: {
    take: (sb, i) => sb.reserve({ sku: 'HOT', scope: 'WH', qty: 1 }, { key: `t-${i}` }),
    after: (sb) => {
      assert.deepEqual(sb.stockLevel('HOT', 'WH'), { onHand: String(STOCK), reserved: String(STOCK), available: '0' })
      assert.equal(sb.reservations({ sku: 'HOT' }).length, STOCK)
    },
  },
}

for (const [way, { take, after }] of Object.entries(WAYS)) {
  test(`${CALLERS} concurrent ${way} promises on one SKU never oversell`, async () => {
    const { dir, cleanup } = tempDir()
    const sb = await Stockbook.open(join(dir, 'hot.stockbook'))
    try {
      await sb.defineItem({ sku: 'HOT' })
      await sb.defineLocation({ code: 'WH' })
      await sb.receive({ sku: 'HOT', location: 'WH', qty: STOCK })

      const outcomes = await Promise.allSettled(Array.from({ length: CALLERS }, (_x, i) => take(sb, i)))
      const taken = outcomes.filter((o) => o.status === 'fulfilled')
      const refused = outcomes.filter((o) => o.status === 'rejected')
      assert.equal(taken.length, STOCK)
      assert.equal(refused.length, CALLERS - STOCK)
      for (const { reason } of refused) {
        assert.ok(reason instanceof InsufficientStock, `unexpected refusal ${reason}`)
        assert.equal(reason.available, '0')
      }
      // Every success got its own event: sequence numbers are distinct.
      assert.equal(new Set(taken.map((o) => o.value.firstSeq)).size, STOCK)
      after(sb)
      const report = await sb.verify()
      assert.deepEqual(report.problems, [])
      // Retrying callers with their keys changes nothing: outcomes are remembered.
      const before = sb.lastSeq()
      const again = await Promise.allSettled(Array.from({ length: 200 }, (_x, i) => take(sb, i)))
      assert.deepEqual(
        again.map((o) => o.status),
        outcomes.slice(0, 200).map((o) => o.status),
      )
      assert.equal(sb.lastSeq(), before)
    } finally {
      await sb.close()
      cleanup()
    }
  })
}
