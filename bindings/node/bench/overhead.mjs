// Per-call overhead of the binding: `receive` awaited one at a time on a file store (each a
// durable commit), the same on an in-memory book, and `available` on an in-memory book, in
// µs per call, the median of several rounds: wall time, and the process's CPU time (all
// its threads), which a machine shared with other work disturbs less. Issue 15's goal: the generated surface costs at most 1.10 × the
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

/** CPU µs of the process (user + system, every thread) since `start`. */
const cpuUs = (start) => {
  const used = process.cpuUsage(start)
  return used.user + used.system
}

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
  const receiveCpu = []
  for (let r = 0; r < rounds; r++) {
    const start = performance.now()
    const cpu = process.cpuUsage()
    for (let i = 0; i < receives; i++) await file.receive({ sku: 'A', location: 'WH', qty: 1 })
    receiveCpu.push(cpuUs(cpu) / receives)
    receiveUs.push(((performance.now() - start) * 1000) / receives)
  }
  await file.close()

  const memory = Stockbook.inMemory()
  await setUp(memory)
  // The same receive in memory: no fsync, so the binding's own cost shows.
  const memoryReceiveUs = []
  const memoryReceiveCpu = []
  for (let r = 0; r < rounds; r++) {
    const start = performance.now()
    const cpu = process.cpuUsage()
    for (let i = 0; i < receives; i++) await memory.receive({ sku: 'A', location: 'WH', qty: 1 })
    memoryReceiveCpu.push(cpuUs(cpu) / receives)
    memoryReceiveUs.push(((performance.now() - start) * 1000) / receives)
  }
  const availableUs = []
  const availableCpu = []
  let sink = 0
  for (let r = 0; r < rounds; r++) {
    const start = performance.now()
    const cpu = process.cpuUsage()
    for (let i = 0; i < availables; i++) sink += memory.available('A', 'WH').length
    availableCpu.push(cpuUs(cpu) / availables)
    availableUs.push(((performance.now() - start) * 1000) / availables)
  }
  if (sink === 0) throw new Error('available answered nothing')

  const fmt = (xs) => xs.map((x) => x.toFixed(3)).join(' ')
  console.log(`lib: ${lib}`)
  const line = (what, wall, cpu, n, digits) =>
    console.log(`${what}: median ${median(wall).toFixed(digits)} µs/call wall, ${median(cpu).toFixed(digits)} µs/call CPU, over ${rounds} rounds of ${n} [wall ${fmt(wall)}]`)
  line('receive (file store, awaited one by one)', receiveUs, receiveCpu, receives, 2)
  line('receive (in memory, awaited one by one)', memoryReceiveUs, memoryReceiveCpu, receives, 2)
  line('available (in memory)', availableUs, availableCpu, availables, 3)
} finally {
  rmSync(dir, { recursive: true, force: true })
}
