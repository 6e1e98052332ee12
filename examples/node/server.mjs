// A small HTTP inventory service on node:http, backed by one Stockbook file.
//
//   POST /items      {"sku": "BOLT", "decimals": 0, ...}             define an item
//   POST /locations  {"code": "WH1", ...}                            define a location
//   POST /receive    {"sku", "location", "qty", "lot"?}              receive stock
//   POST /orders     {"id", "shipFrom", "staging"?, "customer"?,     reserve, pick, pack and ship
//                     "lines": [{"sku", "qty"}]}                     every line, all or nothing
//   GET  /orders/:id                                                 the order and its lines
//   GET  /stock/:sku                                                 total and balances
//
// An `Idempotency-Key` header makes a POST safe to retry: the same key returns the first
// outcome and writes nothing. An order runs the engine's order saga — create, confirm,
// allocate (reserves stock in bins), pick each allocation to staging, pack, ship — one
// command per step, each keyed by the order's key (the header, or `order-<id>`) plus the
// step, so a retried order resumes where it stopped and ships once. When stock is short the
// order is cancelled (its reservations are released) and the answer is 409.
// Engine refusals become 4xx answers with the engine's error code and facts.
//
// Run it:  UV_THREADPOOL_SIZE=64 node examples/node/server.mjs [file] [port]
// (every write waits for its group commit on a libuv pool thread: a larger pool lets more
// requests share one commit.)
import { createServer } from 'node:http'
import { fileURLToPath } from 'node:url'

// In an application: `import { Stockbook, ... } from 'stockbook'`.
import {
  BatchRefused,
  Conflict,
  InsufficientStock,
  NotFound,
  Stockbook,
  StockbookError,
} from '../../bindings/node/lib.js'

/** The HTTP status for an engine refusal. */
function statusOf(err) {
  if (err instanceof BatchRefused) return statusOf(err.source)
  if (err instanceof ShortOrder) return 409
  if (err instanceof NotFound) return 404
  if (err instanceof InsufficientStock || err instanceof Conflict) return 409
  if (err instanceof StockbookError) return ['closed', 'io', 'storage', 'locked'].includes(err.code) ? 503 : 422
  if (err instanceof TypeError || err instanceof SyntaxError) return 400
  return 500
}

/** JSON with bigints (sequence numbers) as decimal text. */
const json = (value) => JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))

function send(res, status, body) {
  const text = json(body)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
  res.end(text)
}

const BODY_BYTES_MAX = 1 << 20

async function readJson(req) {
  const chunks = []
  let size = 0
  for await (const chunk of req) {
    size += chunk.length
    if (size > BODY_BYTES_MAX) throw new TypeError('request body too large')
    chunks.push(chunk)
  }
  return chunks.length === 0 ? {} : JSON.parse(Buffer.concat(chunks).toString('utf8'))
}

/** An order refused for want of stock: answered with 409. */
class ShortOrder extends Error {
  constructor(order, short) {
    super(`order ${order} is short of stock and was cancelled`)
    this.code = 'insufficient_stock'
    this.order = order
    this.short = short
  }
}

/**
 * Runs the order saga for `body`: create → confirm → allocate → pick each allocation →
 * pack → ship. Every step carries its own idempotency key, derived from the order's, so a
 * retry replays the steps already done (writing nothing) and finishes the rest.
 */
async function placeOrder(sb, body, meta) {
  const { id, shipFrom, staging, customer, lines } = body
  if (typeof id !== 'string' || typeof shipFrom !== 'string' || !Array.isArray(lines)) {
    throw new TypeError('an order needs an "id", a "shipFrom" and "lines"')
  }
  const base = meta.key ?? `order-${id}`
  const step = (name) => ({ ...meta, key: `${base}/${name}`, correlation: id })

  await sb.createOrder(
    { orderId: id, shipFrom, staging, customer, lines: lines.map(({ sku, qty }) => ({ sku, qty })) },
    step('create'),
  )
  await sb.confirmOrder(id, step('confirm'))
  await sb.allocateOrder(id, 'fifo', step('allocate'))
  let order = sb.order(id)
  if (order.state === 'cancelled') throw new ShortOrder(id, [])
  const short = order.lines.filter((l) => Number(l.backordered) !== 0)
  if (short.length > 0) {
    // All or nothing: give back what was reserved.
    await sb.cancelOrder(id, null, step('cancel'))
    throw new ShortOrder(
      id,
      short.map((l) => ({ line: l.line, sku: l.sku, ordered: l.ordered, backordered: l.backordered })),
    )
  }
  // One pick per allocation: each pending reservation holds a bin (and lot). On a retry the
  // reservations already picked are no longer pending, so only the rest are picked.
  for (const line of order.lines) {
    for (const reservationId of line.reservations) {
      const r = sb.reservation(reservationId)
      await sb.pickOrder(
        // (Input objects take a left-out field, not `null`, for "none".)
        { orderId: id, line: line.line, location: r.scope, lot: r.lot ?? undefined, qty: r.qty },
        step(`pick-${reservationId}`),
      )
    }
  }
  // One package with every line, as ordered (the same on every retry).
  const contents = order.lines.map((l) => ({ line: l.line, qty: l.ordered }))
  await sb.packOrder({ orderId: id, packages: [{ id: `${id}-1`, contents }] }, step('pack'))
  const receipt = await sb.shipOrder(id, step('ship'))
  order = sb.order(id)
  return [201, { order, receipt }]
}

/** The request handler for `sb`. */
export function inventoryHandler(sb) {
  const routes = {
    'POST /items': async (body, meta) => [201, await sb.defineItem(body, meta)],
    'POST /locations': async (body, meta) => [201, await sb.defineLocation(body, meta)],
    'POST /receive': async (body, meta) => {
      const { sku, location, qty, lot } = body
      const receipt = await sb.receive({ sku, location, qty, lot }, meta)
      return [200, { receipt, onHand: sb.onHand(sku, location) }]
    },
    'POST /orders': async (body, meta) => placeOrder(sb, body, meta),
  }

  return async (req, res) => {
    try {
      const url = new URL(req.url, 'http://localhost')
      const stock = req.method === 'GET' && url.pathname.match(/^\/stock\/([^/]+)$/)
      if (stock) {
        const sku = decodeURIComponent(stock[1])
        return send(res, 200, { sku, total: sb.itemTotal(sku), balances: sb.balances({ sku }) })
      }
      const order = req.method === 'GET' && url.pathname.match(/^\/orders\/([^/]+)$/)
      if (order) return send(res, 200, sb.order(decodeURIComponent(order[1])))
      const route = routes[`${req.method} ${url.pathname}`]
      if (!route) return send(res, 404, { error: 'no_route', message: `${req.method} ${url.pathname}` })
      const key = req.headers['idempotency-key']
      const [status, body] = await route(await readJson(req), key ? { key } : {})
      return send(res, status, body)
    } catch (err) {
      const status = statusOf(err)
      if (status === 500) console.error(err)
      const refused = err instanceof BatchRefused ? err.source : err
      return send(res, status, {
        error: err.code ?? err.name,
        message: err.message,
        ...(err instanceof BatchRefused ? { line: err.index } : {}),
        ...(refused instanceof StockbookError ? { facts: refused.facts } : {}),
        ...(err instanceof ShortOrder ? { order: err.order, short: err.short } : {}),
      })
    }
  }
}

/** Opens `path` and serves it on `port` (0: any free port) at `host`. */
export async function startServer({ path, port = 0, host = '127.0.0.1' }) {
  const sb = await Stockbook.open(path)
  const server = createServer(inventoryHandler(sb))
  await new Promise((resolve) => server.listen(port, host, resolve))
  const close = async () => {
    await new Promise((resolve) => server.close(resolve))
    await sb.close()
  }
  return { server, sb, url: `http://${host}:${server.address().port}`, close }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [path = 'inventory.stockbook', port = '8080'] = process.argv.slice(2)
  const { url, close } = await startServer({ path, port: Number(port) })
  console.log(`stockbook inventory service on ${url} (file ${path})`)
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => close().then(() => process.exit(0)))
}
