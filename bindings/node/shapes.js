'use strict'
// The shapes of the native surface, read once from the generated `index.d.ts`, and the
// checks every call's arguments pass through before they reach the native module.
//
// napi converts a JavaScript object field by field: it ignores keys it does not know, takes
// `null` for a required value and reports a wrong type in Rust's words. Here, against the
// same declarations TypeScript users compile with, so the two cannot drift:
// - `null` and `undefined` in an optional field mean "absent" (the field is left out);
// - a key an input does not declare is refused (`InvalidArgument` naming it);
// - an invalid `Date` is refused (`InvalidArgument`), never read as 1970-01-01;
// - a value of the wrong type is a `TypeError` naming the field as the caller spelt it.
// Integer ranges are the native side's to check (TypeScript has no integer type).

const fs = require('fs')
const path = require('path')

// ---- reading index.d.ts -------------------------------------------------------------------

/** The tokens of a declaration file, comments left out. */
function tokenize(text) {
  const tokens = []
  const re = /\/\*[\s\S]*?\*\/|\/\/[^\n]*|\s+|'(?:[^'\\]|\\.)*'|[A-Za-z_$][\w$]*|=>|[{}()<>[\]|,:?=;&.]|\S/g
  for (const m of text.matchAll(re)) {
    const t = m[0]
    if (/^\s/.test(t) || t.startsWith('/*') || t.startsWith('//')) continue
    tokens.push(t)
  }
  return tokens
}

/** A recursive-descent reader of the subset of TypeScript that napi generates. */
class Reader {
  constructor(tokens) {
    this.tokens = tokens
    this.at = 0
  }

  peek(ahead = 0) {
    return this.tokens[this.at + ahead]
  }

  next() {
    return this.tokens[this.at++]
  }

  eat(token) {
    if (this.peek() === token) {
      this.at++
      return true
    }
    return false
  }

  expect(token) {
    const got = this.next()
    if (got !== token) throw new Error(`index.d.ts: expected ${token}, found ${got} (token ${this.at})`)
  }

  /** `A | B | C`, with an optional leading `|`. */
  type() {
    this.eat('|')
    const alts = [this.intersection()]
    while (this.eat('|')) alts.push(this.intersection())
    return alts.length === 1 ? alts[0] : { k: 'union', alts }
  }

  /** `A & B`: only in results (never checked), kept as an opaque type. */
  intersection() {
    const first = this.postfix()
    if (this.peek() !== '&') return first
    const args = [first]
    while (this.eat('&')) args.push(this.postfix())
    return { k: 'ref', name: '&', args }
  }

  postfix() {
    let t = this.primary()
    while (this.peek() === '[' && this.peek(1) === ']') {
      this.at += 2
      t = { k: 'array', of: t }
    }
    return t
  }

  primary() {
    const t = this.next()
    if (t.startsWith("'")) return { k: 'lit', v: t.slice(1, -1) }
    if (t === '{') return { k: 'obj', fields: this.fields('}') }
    if (t === '(') {
      const inner = this.type()
      this.expect(')')
      return inner
    }
    const args = []
    if (this.eat('<')) {
      do args.push(this.type())
      while (this.eat(','))
      this.expect('>')
    }
    if (t === 'Array' && args.length === 1) return { k: 'array', of: args[0] }
    if (t === 'Record' && args.length === 2) return { k: 'record', of: args[1] }
    return { k: 'ref', name: t, args }
  }

  /** `name?: type` entries up to `close`, separated by newlines, `,` or `;`. */
  fields(close) {
    const fields = new Map()
    while (!this.eat(close)) {
      if (this.eat(',') || this.eat(';')) continue
      if (this.eat('readonly')) continue
      const name = this.next()
      const optional = this.eat('?')
      this.expect(':')
      fields.set(name, { type: this.type(), optional })
    }
    return fields
  }

  /** `(a: T, b?: U)` */
  params() {
    this.expect('(')
    const params = []
    while (!this.eat(')')) {
      if (this.eat(',')) continue
      const name = this.next()
      const optional = this.eat('?')
      this.expect(':')
      params.push({ name, optional, type: this.type() })
    }
    return params
  }

  /** A method's or function's signature after its name. */
  signature() {
    const params = this.params()
    let returns = { k: 'ref', name: 'void', args: [] }
    if (this.eat(':')) returns = this.type()
    return { params, returns }
  }

  classBody() {
    const members = new Map()
    this.expect('{')
    while (!this.eat('}')) {
      this.eat('static')
      if ((this.peek() === 'get' || this.peek() === 'set') && this.peek(1) !== '(') {
        this.next()
        this.next()
        this.signature()
        continue
      }
      const name = this.next()
      members.set(name, this.signature())
    }
    return members
  }

  declarations() {
    const out = { types: new Map(), classes: new Map(), functions: new Map() }
    while (this.at < this.tokens.length) {
      const t = this.next()
      if (t !== 'export') continue
      this.eat('declare')
      const kind = this.next()
      const name = this.next()
      if (kind === 'interface') {
        this.expect('{')
        out.types.set(name, { k: 'obj', fields: this.fields('}'), name })
      } else if (kind === 'type') {
        this.expect('=')
        out.types.set(name, this.type())
      } else if (kind === 'class') {
        out.classes.set(name, this.classBody())
      } else if (kind === 'function') {
        out.functions.set(name, this.signature())
      } else if (kind === 'const') {
        this.expect(':')
        this.type()
      }
    }
    return out
  }
}

// ---- checking values -----------------------------------------------------------------------

const PRIMITIVES = new Set(['string', 'number', 'boolean', 'bigint'])

const isPlainObject = (v) =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date)

/** What a value is, for a message. */
function kindOf(value) {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (value instanceof Date) return 'a Date'
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`
}

/** `a.b[2].c` */
const join = (at, key) => (at === '' ? key : typeof key === 'number' ? `${at}[${key}]` : `${at}.${key}`)

class Shapes {
  constructor(decls, errors) {
    this.types = decls.types
    this.classes = decls.classes
    this.functions = decls.functions
    this.errors = errors
  }

  /** A named type's definition (`undefined` for built-ins and classes). */
  resolve(type) {
    while (type.k === 'ref' && this.types.has(type.name)) type = this.types.get(type.name)
    return type
  }

  /** Text for a message: `a string`, `a Date or a number`, `an object (ReceiveArgs)`. */
  describe(type) {
    type = this.resolve(type)
    switch (type.k) {
      case 'union': {
        const alts = type.alts.map((a) => this.resolve(a))
        const names = alts.filter((a) => a.k === 'lit').map((a) => `'${a.v}'`)
        const others = alts.filter((a) => a.k !== 'lit').map((a) => this.describe(a))
        const parts = names.length > 0 ? [`one of ${names.join(', ')}`, ...others] : others
        return [...new Set(parts)].join(' or ')
      }
      case 'lit':
        return `'${type.v}'`
      case 'array':
        return 'an array'
      case 'obj':
      case 'record':
        return 'an object'
      default:
        if (type.name === 'Date') return 'a Date'
        return PRIMITIVES.has(type.name) ? `a ${type.name}` : type.name
    }
  }

  typeError(at, type, value) {
    const got = typeof value === 'string' ? `'${value}'` : kindOf(value)
    const err = new TypeError(`${at || 'argument'} must be ${this.describe(type)}, not ${got}`)
    err.code = 'ERR_INVALID_ARG_TYPE'
    return err
  }

  invalid(field, reason) {
    const { InvalidArgument } = this.errors
    const facts = { field, reason }
    return new InvalidArgument(`invalid argument ${field}: ${reason}`, 'invalid_argument', facts, facts)
  }

  /** Whether `value` could be of `type` at first sight (for choosing a union's member). */
  fits(value, type) {
    type = this.resolve(type)
    switch (type.k) {
      case 'lit':
        return value === type.v
      case 'array':
        return Array.isArray(value)
      case 'obj':
      case 'record':
        return isPlainObject(value)
      case 'union':
        return type.alts.some((a) => this.fits(value, a))
      default:
        if (type.name === 'null') return value === null
        if (type.name === 'undefined' || type.name === 'void') return value === undefined
        if (type.name === 'Date') return value instanceof Date
        if (PRIMITIVES.has(type.name)) return typeof value === type.name
        return true
    }
  }

  /** `value` checked against `type`; objects come back as copies without null fields. */
  check(value, type, at) {
    type = this.resolve(type)
    switch (type.k) {
      case 'union':
        return this.checkUnion(value, type, at)
      case 'lit':
        if (value !== type.v) throw this.typeError(at, type, value)
        return value
      case 'array':
        if (!Array.isArray(value)) throw this.typeError(at, type, value)
        return value.map((v, i) => this.check(v, type.of, join(at, i)))
      case 'record': {
        if (!isPlainObject(value)) throw this.typeError(at, type, value)
        const out = {}
        for (const [k, v] of Object.entries(value)) out[k] = this.check(v, type.of, join(at, k))
        return out
      }
      case 'obj':
        return this.checkObject(value, type, at)
      default:
        return this.checkNamed(value, type, at)
    }
  }

  checkNamed(value, type, at) {
    const name = type.name
    if (name === 'Date') {
      if (!(value instanceof Date)) throw this.typeError(at, type, value)
      if (Number.isNaN(value.getTime())) throw this.invalid(at, 'is an invalid Date')
      return value
    }
    if (PRIMITIVES.has(name) && typeof value !== name) throw this.typeError(at, type, value)
    return value
  }

  checkObject(value, type, at) {
    if (!isPlainObject(value)) throw this.typeError(at, type, value)
    const out = {}
    for (const key of Object.keys(value)) {
      if (!type.fields.has(key)) {
        const known = [...type.fields.keys()].join(', ')
        throw this.invalid(join(at, key), `unknown field (${type.name ?? 'this object'} takes ${known})`)
      }
    }
    for (const [key, field] of type.fields) {
      const v = value[key]
      if (v === undefined || v === null) {
        if (!field.optional) {
          const err = new TypeError(`${join(at, key)} is required`)
          err.code = 'ERR_INVALID_ARG_TYPE'
          throw err
        }
        continue
      }
      out[key] = this.check(v, field.type, join(at, key))
    }
    return out
  }

  checkUnion(value, type, at) {
    const alts = type.alts.map((a) => this.resolve(a))
    if (value === null || value === undefined) {
      if (alts.some((a) => this.fits(value, a))) return value
      throw this.typeError(at, type, value)
    }
    const candidates = alts.filter((a) => this.fits(value, a))
    if (candidates.length === 0) throw this.typeError(at, type, value)
    if (candidates.length === 1) return this.check(value, candidates[0], at)
    // Several objects: the one whose literal field (`op`, `kind`) the value carries.
    const objects = candidates.filter((a) => a.k === 'obj')
    for (const alt of objects) {
      const tags = [...alt.fields].filter(([, f]) => this.resolve(f.type).k === 'lit')
      if (tags.length > 0 && tags.every(([k, f]) => value[k] === this.resolve(f.type).v)) {
        return this.check(value, alt, at)
      }
    }
    // A tagged union (`{ op: 'receive', args }`) with an unknown tag: name the choices.
    const tag = objects.length > 1 ? this.tagOf(objects) : undefined
    if (tag !== undefined) {
      const names = { k: 'union', alts: objects.map((o) => this.resolve(o.fields.get(tag).type)) }
      throw this.typeError(join(at, tag), names, value[tag])
    }
    return this.check(value, candidates[0], at)
  }

  /** The literal-typed field every member of a tagged union has (`op`, `kind`, `type`). */
  tagOf(objects) {
    const [first, ...rest] = objects
    for (const [key, field] of first.fields) {
      const isTag = (f) => f !== undefined && this.resolve(f.type).k === 'lit'
      if (isTag(field) && rest.every((o) => isTag(o.fields.get(key)))) return key
    }
    return undefined
  }

  /** A call's arguments checked against a signature; a copy, nulls in objects dropped. */
  args(signature, args) {
    const out = args.slice()
    signature.params.forEach((p, i) => {
      const v = args[i]
      if (v === undefined || v === null) {
        if (!p.optional && !this.fits(v, p.type)) {
          const err = new TypeError(`${p.name} is required`)
          err.code = 'ERR_INVALID_ARG_TYPE'
          throw err
        }
        return
      }
      // A positional value is named by its parameter; an object's fields by their own names.
      const resolved = this.resolve(p.type)
      const at = resolved.k === 'obj' || (resolved.k === 'union' && isPlainObject(v)) ? '' : p.name
      out[i] = this.check(v, p.type, at)
    })
    return out
  }

  /** Whether a value of `type` can hold a bigint (and so needs `toJSON`). */
  holdsBigint(type, seen = new Set()) {
    switch (type.k) {
      case 'union':
        return type.alts.some((a) => this.holdsBigint(a, seen))
      case 'array':
      case 'record':
        return this.holdsBigint(type.of, seen)
      case 'obj':
        return [...type.fields.values()].some((f) => this.holdsBigint(f.type, seen))
      case 'ref': {
        if (type.name === 'bigint') return true
        if (seen.has(type.name)) return false
        seen.add(type.name)
        const def = this.types.get(type.name)
        return def ? this.holdsBigint(def, seen) : type.args.some((a) => this.holdsBigint(a, seen))
      }
      default:
        return false
    }
  }

  /** Whether a signature returns a promise. */
  static isAsync(signature) {
    const r = signature.returns
    return r.k === 'ref' && r.name === 'Promise'
  }
}

/** A JSON-ready copy: bigints as decimal text (they are exact; a JSON number may not be). */
function jsonSafe(value) {
  if (typeof value === 'bigint') return value.toString()
  if (Array.isArray(value)) return value.map(jsonSafe)
  if (isPlainObject(value)) {
    const out = {}
    for (const [k, v] of Object.entries(value)) out[k] = jsonSafe(v)
    return out
  }
  return value
}

function toJSON() {
  return jsonSafe(this)
}

/** `value` (a record or a list of them) with a `toJSON` that `JSON.stringify` can use. */
function withToJSON(value) {
  if (Array.isArray(value)) {
    for (const v of value) withToJSON(v)
  } else if (isPlainObject(value)) {
    Object.defineProperty(value, 'toJSON', { value: toJSON, configurable: true, writable: true })
  }
  return value
}

/** A signature written as in a declaration (`(path: string): Promise<Stockbook>`). */
function signature(text) {
  return new Reader(tokenize(text)).signature()
}

/** The shapes of `index.d.ts` next to this file. */
function load(errors) {
  const text = fs.readFileSync(path.join(__dirname, 'index.d.ts'), 'utf8')
  return new Shapes(new Reader(tokenize(text)).declarations(), errors)
}

module.exports = { load, signature, Shapes, withToJSON, jsonSafe }
