// Shared helpers of the binding's tests.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

import { ManualClock, Stockbook } from '../lib.js'

const here = dirname(fileURLToPath(import.meta.url))

/** The repository's language-neutral scenarios. */
export const SCENARIO_DIR = join(here, '..', '..', '..', 'tests', 'scenarios')
/** The repository's examples/node folder. */
export const EXAMPLES_DIR = join(here, '..', '..', '..', 'examples', 'node')

/** 2026-01-01T00:00:00Z, the scenarios' default start. */
export const START_MS = 1_767_225_600_000

/** `expiry_ms` → `expiryMs`. */
export const camel = (name) => name.replace(/_([a-z0-9])/g, (_m, c) => c.toUpperCase())

/** A fresh in-memory Stockbook on a manual clock, with item `BOLT` (2 decimals) and bin `WH1/A1`. */
export async function freshBook() {
  const clock = new ManualClock(START_MS)
  const sb = Stockbook.inMemory({ clock })
  await sb.defineItem({ sku: 'BOLT', name: 'Bolt M8', decimals: 2 })
  await sb.defineLocation({ code: 'WH1', kind: 'site' })
  await sb.defineLocation({ code: 'WH1/A1', parent: 'WH1' })
  return { sb, clock }
}

/** A temporary directory, removed by the returned `cleanup`. */
export function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'stockbook-node-'))
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

/** The kind of an envelope's event: its one key (`itemDefined`, `moved`, …). */
export const eventKind = (envelope) => Object.keys(envelope.event)[0]
