// The same inventory workload through Stockbook and through a ledger on better-sqlite3,
// with the same durability: every acknowledged write is on disk (Stockbook `immediate`;
// SQLite WAL with synchronous=FULL, one transaction per request).
//
// Workload: 200 items in 10 bins, stocked first; then a mix of requests arriving together
// (45% ship one to three units — refused when short —, 35% receive, 20% on-hand reads).
// Stockbook gets them as many in-flight promises (its writer commits concurrent requests
// together); better-sqlite3 is synchronous, so it runs them one after another, each write
// in its own transaction, which is how it serves concurrent requests in one Node process.
//
//   npm ci                          # once, in bindings/node/bench: better-sqlite3 (a native build)
//   npm run build                   # the release build of the binding, in bindings/node
//   node examples/node/bench_vs_sqlite.mjs [requests] [in-flight]
//
// The script re-runs itself with UV_THREADPOOL_SIZE=64 when it is not set: every write
// waits for its commit on a libuv pool thread, so the pool's size caps the writes in flight.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

if (!process.env.UV_THREADPOOL_SIZE) {
  const run = spawnSync(process.execPath, process.argv.slice(1), {
    stdio: 'inherit',
    env: { ...process.env, UV_THREADPOOL_SIZE: '64' },
  })
  process.exit(run.status ?? 1)
}

// In an application: `import { Stockbook } from 'stockbook'`.
const { Stockbook, InsufficientStock } = await import('../../bindings/node/lib.js')
const Database = createRequire(fileURLToPath(new URL('../../bindings/node/bench/package.json', import.meta.url)))('better-sqlite3')

const REQUESTS = Number(process.argv[2] ?? 20_000)
const IN_FLIGHT = Number(process.argv[3] ?? 256)
const ITEMS = 200
const BINS = 10
const START_QTY = 50

/** A small deterministic PRNG (mulberry32), so both engines get the same requests. */
function prng(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = Math.imul(a ^ (a >>> 15), a | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const skus = Array.from({ length: ITEMS }, (_x, i) => `SKU-${String(i).padStart(4, '0')}`)
const bins = Array.from({ length: BINS }, (_x, i) => `WH/B${i}`)

function workload() {
  const rnd = prng(42)
  const pick = (list) => list[Math.floor(rnd() * list.length)]
  return Array.from({ length: REQUESTS }, () => {
    const r = rnd()
    const kind = r < 0.45 ? 'ship' : r < 0.8 ? 'receive' : 'read'
    return { kind, sku: pick(skus), bin: pick(bins), qty: 1 + Math.floor(rnd() * 3) }
  })
}

// ---- Stockbook ----------------------------------------------------------------------------

async function runStockbook(dir, requests) {
  const sb = await Stockbook.open(join(dir, 'bench.stockbook'))
  await sb.defineLocation({ code: 'WH', kind: 'site' })
  const setup = []
  for (const bin of bins) setup.push({ op: 'define_location', args: { code: bin, parent: 'WH' } })
  for (const sku of skus) {
    setup.push({ op: 'define_item', args: { sku } })
    for (const bin of bins) setup.push({ op: 'receive', args: { sku, location: bin, qty: START_QTY } })
  }
  await sb.executeBatch(setup)

  let next = 0
  let refused = 0
  let reads = 0
  const worker = async () => {
    while (next < requests.length) {
      const { kind, sku, bin, qty } = requests[next++]
      if (kind === 'read') {
        reads += Number(sb.onHand(sku, bin)) >= 0 ? 1 : 0
        continue
      }
      try {
        if (kind === 'ship') await sb.ship({ sku, location: bin, qty })
        else await sb.receive({ sku, location: bin, qty })
      } catch (err) {
        if (!(err instanceof InsufficientStock)) throw err
        refused++
      }
    }
  }
  const started = performance.now()
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker))
  const seconds = (performance.now() - started) / 1000
  const report = await sb.verify()
  if (report.problems.length > 0) throw new Error(`stockbook verify: ${report.problems.join('; ')}`)
  const totals = Object.fromEntries(skus.slice(0, 3).map((s) => [s, sb.itemTotal(s)]))
  await sb.close()
  return { seconds, refused, reads, totals }
}

// ---- better-sqlite3: the same ledger --------------------------------------------------------

function runSqlite(dir, requests) {
  const db = new Database(join(dir, 'bench.sqlite'))
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.exec(`
    CREATE TABLE items (sku TEXT PRIMARY KEY, decimals INTEGER NOT NULL DEFAULT 0);
    CREATE TABLE locations (code TEXT PRIMARY KEY, parent TEXT);
    CREATE TABLE balances (sku TEXT NOT NULL, location TEXT NOT NULL, on_hand INTEGER NOT NULL,
                           PRIMARY KEY (sku, location)) WITHOUT ROWID;
    CREATE TABLE events (seq INTEGER PRIMARY KEY, recorded_at INTEGER NOT NULL, kind TEXT NOT NULL,
                         sku TEXT NOT NULL, from_loc TEXT NOT NULL, to_loc TEXT NOT NULL, qty INTEGER NOT NULL);
    CREATE INDEX events_by_item ON events (sku, seq);
  `)
  const itemExists = db.prepare('SELECT 1 FROM items WHERE sku = ?').pluck()
  const locationExists = db.prepare('SELECT 1 FROM locations WHERE code = ?').pluck()
  const onHand = db.prepare('SELECT on_hand FROM balances WHERE sku = ? AND location = ?').pluck()
  const addBalance = db.prepare(`INSERT INTO balances (sku, location, on_hand) VALUES (?, ?, ?)
    ON CONFLICT (sku, location) DO UPDATE SET on_hand = on_hand + excluded.on_hand`)
  const addEvent = db.prepare('INSERT INTO events (recorded_at, kind, sku, from_loc, to_loc, qty) VALUES (?, ?, ?, ?, ?, ?)')
  const move = (kind, sku, from, to, qty) => {
    if (!itemExists.get(sku) || !locationExists.get(from === '@supplier' ? to : from)) throw new Error('not found')
    if (kind !== 'receive' && (onHand.get(sku, from) ?? 0) < qty) return false
    addBalance.run(sku, from, -qty)
    addBalance.run(sku, to, qty)
    addEvent.run(Date.now(), kind, sku, from, to, qty)
    return true
  }
  const moveTx = db.transaction(move)

  db.transaction(() => {
    db.prepare('INSERT INTO locations (code) VALUES (?)').run('WH')
    for (const bin of bins) db.prepare('INSERT INTO locations (code, parent) VALUES (?, ?)').run(bin, 'WH')
    for (const sku of skus) {
      db.prepare('INSERT INTO items (sku) VALUES (?)').run(sku)
      for (const bin of bins) move('receive', sku, '@supplier', bin, START_QTY)
    }
  })()

  let refused = 0
  let reads = 0
  const started = performance.now()
  for (const { kind, sku, bin, qty } of requests) {
    if (kind === 'read') {
      reads += (onHand.get(sku, bin) ?? 0) >= 0 ? 1 : 0
    } else if (kind === 'ship') {
      // IMMEDIATE: the write lock is taken before the balance is read.
      if (!moveTx.immediate('ship', sku, bin, '@customer', qty)) refused++
    } else {
      moveTx.immediate('receive', sku, '@supplier', bin, qty)
    }
  }
  const seconds = (performance.now() - started) / 1000
  const total = db.prepare("SELECT SUM(on_hand) FROM balances WHERE sku = ? AND location LIKE 'WH/%'").pluck()
  const totals = Object.fromEntries(skus.slice(0, 3).map((s) => [s, String(total.get(s))]))
  db.close()
  return { seconds, refused, reads, totals }
}

// ---- run ------------------------------------------------------------------------------------

const dir = mkdtempSync(join(tmpdir(), 'stockbook-bench-'))
try {
  const requests = workload()
  const writes = requests.filter((r) => r.kind !== 'read').length
  console.log(`${REQUESTS} requests (${writes} writes, ${REQUESTS - writes} reads) over ${ITEMS} items × ${BINS} bins`)
  console.log(`stockbook: ${IN_FLIGHT} requests in flight, UV_THREADPOOL_SIZE=${process.env.UV_THREADPOOL_SIZE}`)
  const sb = await runStockbook(dir, requests)
  const lite = runSqlite(dir, requests)
  for (const [name, r] of [['stockbook', sb], ['better-sqlite3', lite]]) {
    console.log(
      `${name.padEnd(15)} ${(REQUESTS / r.seconds).toFixed(0).padStart(8)} requests/s  ` +
        `${(writes / r.seconds).toFixed(0).padStart(8)} writes/s  ${r.seconds.toFixed(2)} s  ` +
        `(${r.refused} refused as short)`,
    )
  }
  console.log(`ratio stockbook / better-sqlite3: ${(lite.seconds / sb.seconds).toFixed(2)}×`)
  // The two ledgers must agree where the order of requests cannot matter: refusals can
  // differ (Stockbook serves concurrent requests in commit order), totals are printed.
  console.log(`sample totals  stockbook ${JSON.stringify(sb.totals)}  sqlite ${JSON.stringify(lite.totals)}`)
} finally {
  rmSync(dir, { recursive: true, force: true })
}
