// A small HTTP inventory service on node:http, backed by one Stockbook file.
//
//   POST /items      {"sku": "BOLT", "decimals": 0, ...}             define an item
//   POST /locations  {"code": "WH1", ...}                            define a location
//   POST /receive    {"sku", "location", "qty", "lot"?}              receive stock
//   POST /orders     {"id", "lines": [{"sku", "location", "qty"}]}   ship every line, all or nothing
//   GET  /stock/:sku                                                 total and balances
//
// An `Idempotency-Key` header makes a POST safe to retry: the same key returns the first
// outcome and writes nothing. An order's id is its key, so a retried order ships once.
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
    'POST /orders': async (body, meta) => {
      if (typeof body.id !== 'string' || !Array.isArray(body.lines)) {
        throw new TypeError('an order needs an "id" and "lines"')
      }
      // Every line ships, or none does: one atomic batch.
      const commands = body.lines.map(({ sku, location, qty, lot }) => ({
        op: 'ship',
        args: { sku, location, qty, lot },
      }))
      const receipts = await sb.executeBatch(commands, { ...meta, key: meta.key ?? `order-${body.id}`, correlation: body.id })
      return [201, { order: body.id, receipts }]
    },
  }

  return async (req, res) => {
    try {
      const url = new URL(req.url, 'http://localhost')
      const stock = req.method === 'GET' && url.pathname.match(/^\/stock\/([^/]+)$/)
      if (stock) {
        const sku = decodeURIComponent(stock[1])
        return send(res, 200, { sku, total: sb.itemTotal(sku), balances: sb.balances({ sku }) })
      }
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
