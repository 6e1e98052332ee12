// The package's two entry points (package.json `exports`): the ES module `lib.mjs` and the
// CommonJS `lib.js` give the same exports, one instance of every class, and the version,
// which is the Rust workspace's.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

import * as esm from '../lib.mjs'

const require = createRequire(import.meta.url)
const cjs = require('../lib.js')
const pkg = require('../package.json')

test('the ES module and CommonJS entries export the same values', () => {
  const names = Object.keys(cjs).sort()
  assert.deepEqual(Object.keys(esm).filter((n) => n !== 'default').sort(), names)
  for (const name of names) assert.equal(esm[name], cjs[name], name)
  assert.equal(esm.default, cjs)
  assert.ok(names.includes('Stockbook') && names.includes('InsufficientStock') && names.includes('eoq'))
})

test('version is the workspace version of Cargo.toml', () => {
  const cargo = readFileSync(new URL('../../../Cargo.toml', import.meta.url), 'utf8')
  const workspace = cargo.slice(cargo.indexOf('[workspace.package]'))
  const version = workspace.match(/^version = "([^"]+)"$/m)[1]
  assert.equal(cjs.version, version)
  assert.equal(esm.version, version)
  assert.equal(pkg.version, version)
})

test('package.json routes import to lib.mjs and require to lib.js, and ships both', () => {
  assert.deepEqual(pkg.exports['.'], { types: './lib.d.ts', import: './lib.mjs', require: './lib.js' })
  for (const file of ['lib.js', 'lib.mjs', 'lib.d.ts', 'index.js', 'runtime.js', 'surface.js', 'errors.js']) {
    assert.ok(pkg.files.includes(file), file)
  }
  assert.equal(pkg.devDependencies['better-sqlite3'], undefined, 'the benchmark dependency stays in bench/')
})
