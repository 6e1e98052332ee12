// Per-call overhead of the binding: `receive` awaited one at a time on a file store (each a
// durable commit), the same on an in-memory book, and `available` on an in-memory book, in µs per call, the median of
// several rounds. Issue 15's goal: the generated surface costs at most 1.10 × the
// hand-written one it replaced.
//
//   node bench/overhead.mjs [rounds] [receives-per-round] [availables-per-round]
//   STOCKBOOK_LIB=/path/to/other/lib.js node bench/overhead.mjs   # another build of the package
//
// A benchmark, not a test: run it on a release build (`npx napi build --platform --release`),
// on a quiet machine.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { performance } from 'node:perf_hooks'

const lib = process.env.STOCKBOOK_LIB
  ? pathToFileURL(resolve(process.env.STOCKBOOK_LIB)).href
  : new URL('../lib.js', import.meta.url).href
const { Stockbook } = await import(lib)

const rounds = Number(process.argv[2] ?? 7)
const receives = Number(process.argv[3] ?? 500)
const availables = Number(process.argv[4] ?? 200_000)

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

async function setUp(sb) {
  await sb.defineItem({ sku: 'A', name: 'A' })
  await sb.defineLocation({ code: 'WH', kind: 'site' })
  await sb.receive({ sku: 'A', location: 'WH', qty: 10 })
}

const dir = mkdtempSync(join(tmpdir(), 'stockbook-overhead-'))
try {
  const file = await Stockbook.open(join(dir, 'bench.stockbook'))
  await setUp(file)
  const receiveUs = []
  for (let r = 0; r < rounds; r++) {
    const start = performance.now()
    for (let i = 0; i < receives; i++) await file.receive({ sku: 'A', location: 'WH', qty: 1 })
    receiveUs.push(((performance.now() - start) * 1000) / receives)
  }
  await file.close()

  const memory = Stockbook.inMemory()
  await setUp(memory)
  // The same receive in memory: no fsync, so the binding's own cost shows.
  const memoryReceiveUs = []
  for (let r = 0; r < rounds; r++) {
    const start = performance.now()
    for (let i = 0; i < receives; i++) await memory.receive({ sku: 'A', location: 'WH', qty: 1 })
    memoryReceiveUs.push(((performance.now() - start) * 1000) / receives)
  }
  const availableUs = []
  let sink = 0
  for (let r = 0; r < rounds; r++) {
    const start = performance.now()
    for (let i = 0; i < availables; i++) sink += memory.available('A', 'WH').length
    availableUs.push(((performance.now() - start) * 1000) / availables)
  }
  if (sink === 0) throw new Error('available answered nothing')

  const fmt = (xs) => xs.map((x) => x.toFixed(3)).join(' ')
  console.log(`lib: ${lib}`)
  console.log(`receive (file store, awaited one by one): median ${median(receiveUs).toFixed(2)} µs/call over ${rounds} rounds of ${receives} [${fmt(receiveUs)}]`)
  console.log(`receive (in memory, awaited one by one): median ${median(memoryReceiveUs).toFixed(2)} µs/call over ${rounds} rounds of ${receives} [${fmt(memoryReceiveUs)}]`)
  console.log(`available (in memory): median ${median(availableUs).toFixed(3)} µs/call over ${rounds} rounds of ${availables} [${fmt(availableUs)}]`)
} finally {
  rmSync(dir, { recursive: true, force: true })
}
