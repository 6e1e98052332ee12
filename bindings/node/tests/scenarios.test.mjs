// Replays every scenario of tests/scenarios/ through the binding's one generic entry point,
// `Stockbook#callJson`: each step (without its `expect`) is handed over as JSON text and the
// answer parsed back; the runner maps nothing. The rules are those of
// tests/scenarios/README.md:
// - a step without `expect` must succeed;
// - `{error, facts}`: a `StockbookError` of that code, `facts` a subset of its facts (text),
//   and after the refusal `last_seq` is unchanged;
// - `{ok}` / `{value}`: objects match as subsets, arrays element by element with the same
//   length, scalars equal;
// - the book verifies sound at the end. `advance_clock` / `set_clock` move the scenario's
//   clock.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

import { ManualClock, Stockbook, StockbookError } from '../lib.js'
import { SCENARIO_DIR, START_MS } from './helpers.mjs'

const files = readdirSync(SCENARIO_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()

const call = async (sb, step) => JSON.parse(await sb.callJson(JSON.stringify(step)))

/** `want` matches `got`: objects as subsets, arrays element-wise, scalars equal. */
function matches(want, got, path = '') {
  if (want !== null && typeof want === 'object' && !Array.isArray(want)) {
    if (got === null || typeof got !== 'object') throw new Error(`${path}: expected an object, got ${show(got)}`)
    for (const [k, w] of Object.entries(want)) matches(w, got[k] ?? null, `${path}.${k}`)
    return
  }
  if (Array.isArray(want)) {
    if (!Array.isArray(got) || got.length !== want.length) {
      throw new Error(`${path}: expected ${want.length} elements, got ${show(got)}`)
    }
    want.forEach((w, i) => matches(w, got[i], `${path}[${i}]`))
    return
  }
  if (got !== want) throw new Error(`${path}: expected ${show(want)}, got ${show(got)}`)
}

const show = (v) => JSON.stringify(v)

async function runStep(sb, { expect = {}, ...step }) {
  const seqBefore = await call(sb, { op: 'last_seq' })
  let result
  let error
  try {
    result = await call(sb, step)
  } catch (err) {
    error = err
  }
  if (expect.error !== undefined) {
    if (error === undefined) throw new Error(`expected error ${expect.error}, but it succeeded`)
    if (!(error instanceof StockbookError)) throw new Error(`expected error ${expect.error}, got ${error.stack}`)
    if (error.code !== expect.error) throw new Error(`expected error ${expect.error}, got ${error.code} (${error.message})`)
    matches(expect.facts ?? {}, error.facts, 'facts')
    const seqAfter = await call(sb, { op: 'last_seq' })
    if (seqAfter !== seqBefore) throw new Error(`a refused step wrote events (${seqBefore} → ${seqAfter})`)
    return
  }
  if (error !== undefined) throw new Error(`unexpected error ${error.code ?? error.name}: ${error.message}`)
  const want = expect.ok ?? expect.value
  if (want !== undefined) matches(want, result)
}

for (const file of files) {
  const scenario = JSON.parse(readFileSync(join(SCENARIO_DIR, file), 'utf8'))
  test(`scenario ${file}: ${scenario.name}`, async () => {
    const clock = new ManualClock(scenario.start_ms ?? START_MS)
    const sb = Stockbook.inMemory({ clock })
    try {
      for (const [i, step] of scenario.steps.entries()) {
        try {
          if (step.op === 'advance_clock') clock.advance(step.args.ms)
          else if (step.op === 'set_clock') clock.set(step.args.ms)
          else await runStep(sb, step)
        } catch (err) {
          assert.fail(`step ${i} (${step.op}): ${err.message}`)
        }
      }
      assert.deepEqual((await call(sb, { op: 'verify' })).problems, [], 'verify after the scenario')
    } finally {
      await sb.close()
    }
  })
}

test('the corpus covers the ledger', () => {
  assert.ok(files.length >= 15, `expected at least 15 scenarios, found ${files.length}`)
})

test('callJson rejects with the error class of the code', async () => {
  const sb = Stockbook.inMemory()
  try {
    const refused = sb.callJson('{"op": "receive", "args": {"sku": "A", "location": "WH1", "qty": 1.5}}')
    await assert.rejects(refused, (err) => err.name === 'InvalidArgument' && err.facts.field === 'args.qty')
    const missing = sb.callJson('{"op": "transfer", "kind": "query", "args": {"id": "T1"}}')
    await assert.rejects(missing, (err) => err.code === 'not_found' && err.facts.kind === 'transfer')
  } finally {
    await sb.close()
  }
})
