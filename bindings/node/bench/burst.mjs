// A burst of refusals: 10,000 `reserve` calls fired at once against an in-memory book that
// holds stock for only a few of them, so almost every call is refused with
// `InsufficientStock`. Measures the burst's wall time and the event loop's delay while it
// runs (perf_hooks.monitorEventLoopDelay, 1 ms resolution), with the default libuv thread
// pool unless UV_THREADPOOL_SIZE is set. The goal (issue 15): p99 lag ≤ 20 ms.
//
//   node bench/burst.mjs [calls] [stock]
//   STOCKBOOK_LIB=/path/to/other/lib.js node bench/burst.mjs   # another build of the package
//
// Prints one line per figure. A benchmark, not a test: run it on a release build
// (`npx napi build --platform --release`), on a quiet machine.
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'

import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

const lib = process.env.STOCKBOOK_LIB
  ? pathToFileURL(resolve(process.env.STOCKBOOK_LIB)).href
  : new URL('../lib.js', import.meta.url).href
const { InsufficientStock, Stockbook } = await import(lib)

const calls = Number(process.argv[2] ?? 10_000)
const stock = Number(process.argv[3] ?? 100)

const sb = Stockbook.inMemory()
await sb.defineItem({ sku: 'HOT', name: 'Hot item' })
await sb.defineLocation({ code: 'WH', kind: 'site' })
await sb.receive({ sku: 'HOT', location: 'WH', qty: stock })

const delay = monitorEventLoopDelay({ resolution: 1 })
delay.enable()
const start = performance.now()
const outcomes = await Promise.allSettled(
  Array.from({ length: calls }, () => sb.reserve({ sku: 'HOT', scope: 'WH', qty: 1 })),
)
const wallMs = performance.now() - start
delay.disable()

const refused = outcomes.filter((o) => o.status === 'rejected')
const other = refused.filter((o) => !(o.reason instanceof InsufficientStock))
if (other.length > 0) throw other[0].reason
const ms = (ns) => (ns / 1e6).toFixed(2)
console.log(`threadpool: ${process.env.UV_THREADPOOL_SIZE ?? 'default (4)'}`)
console.log(`calls: ${calls}, reserved: ${calls - refused.length}, refused: ${refused.length}`)
console.log(`burst wall: ${wallMs.toFixed(1)} ms`)
console.log(`event-loop delay p50: ${ms(delay.percentile(50))} ms`)
console.log(`event-loop delay p99: ${ms(delay.percentile(99))} ms`)
console.log(`event-loop delay max: ${ms(delay.max)} ms`)
