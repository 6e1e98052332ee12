// The generated surface covers the contract: every command and query of the schema is a
// method of Stockbook, every calculation a function of the package, every engine error code
// a class; so adding one to the core and regenerating (`cargo run -p xtask -- generate`) is
// all a new operation needs in Node.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

import * as stockbook from '../lib.js'
import { camel } from './helpers.mjs'

const here = import.meta.dirname ?? new URL('.', import.meta.url).pathname
const schema = JSON.parse(readFileSync(join(here, '..', '..', '..', 'schema', 'stockbook.schema.json'), 'utf8'))
const ops = (def) => schema.$defs[def].oneOf.map((v) => v.properties.op.const)

test('every command and query of the contract is a method of Stockbook', () => {
  const methods = [
    ...ops('Command').map((op) => (op === 'transfer' ? 'transferStock' : camel(op))),
    ...ops('Query').map(camel),
  ]
  assert.ok(methods.length >= 70)
  for (const name of methods) {
    assert.equal(typeof stockbook.Stockbook.prototype[name], 'function', `no method ${name}`)
  }
})

test('every calculation of the contract is a function of the package', () => {
  const calculations = ops('Calculation').map(camel)
  assert.ok(calculations.length >= 20)
  for (const name of calculations) assert.equal(typeof stockbook[name], 'function', `no function ${name}`)
})

test('every engine error of the contract is a class of the package, with its code', () => {
  for (const code of schema.$defs.ErrorCode.enum) {
    const name = code.replace(/(^|_)([a-z])/g, (_m, _u, c) => c.toUpperCase())
    assert.equal(stockbook[name]?.code, code, `no class ${name}`)
    assert.ok(stockbook[name].prototype instanceof stockbook.StockbookError)
  }
})
