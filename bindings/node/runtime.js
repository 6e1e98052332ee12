'use strict'
// The `Stockbook` class over the native handle, and the runtime the generated surface
// (`surface.js`: every command, query and calculation, and the package's exports) is
// built on.
// Written once for every operation:
// - the scalar conversions: text, booleans, integers (range-checked, never wrapped or
//   truncated), floats, quantities (decimal text, safe integers, bigints), instants (`Date`
//   or epoch ms, an invalid `Date` refused), lists, maps; objects refuse unknown keys;
//   `null` in an optional field is absent;
// - the calls: a call becomes the core's JSON (`{"op", "args", "meta"?}`) for the native
//   generic entry, off the main thread (`call`, a promise) or on it (`callSync`, cheap
//   in-memory reads), and its answer JSON becomes the generated converter's object;
// - the errors: an argument of the wrong type is a `TypeError`, a value out of range an
//   `InvalidArgument` naming the field as the caller spelt it; a refusal of the engine is
//   built here from its JSON, as the class of its code, without a stack for a rejection
//   (which settles from the event loop: there is no caller's frame to keep, and capturing
//   one per refusal is what made a burst of refusals stall the loop). A method returning a
//   promise never throws.
// No domain logic lives here.

const native = require('./index.js')
const errors = require('./errors.js')

const { fromNative, classOf } = errors

// ---- paths and argument errors --------------------------------------------------------

/** The path of `name` inside `path` (`conversions[0].factor`). */
function join(path, name) {
  if (path === '') return name
  if (name === '') return path
  return name.charCodeAt(0) === 91 /* [ */ ? path + name : `${path}.${name}`
}

/** `args.shelf_life_days` → `args.shelfLifeDays`. */
const camelPath = (path) => path.replace(/_([a-z0-9])/g, (_m, c) => c.toUpperCase())

function typeError(path, what) {
  const err = new TypeError(`${path} ${what}`)
  err.code = 'ERR_INVALID_ARG_TYPE'
  return err
}

function invalidArgument(path, reason) {
  const facts = { field: path, reason }
  const InvalidArgument = classOf('invalid_argument')
  return new InvalidArgument(`invalid argument ${path}: ${reason}`, 'invalid_argument', facts, facts)
}

/** A required value left out, or one of the wrong type. */
const wrong = (x, p, n, expected) =>
  typeError(join(p, n), x == null ? 'is required' : `must be ${expected}`)

// ---- scalar and compound conversions (the generated converters call these) ------------

const SAFE = Number.MAX_SAFE_INTEGER

const str = (x, p, n) => (typeof x === 'string' ? x : throwing(wrong(x, p, n, 'text')))
const bool = (x, p, n) => (typeof x === 'boolean' ? x : throwing(wrong(x, p, n, 'true or false')))
const json = (x) => x

function throwing(err) {
  throw err
}

/** A float. NaN and the infinities have no JSON form: refused here as the engine refuses
 * them, an `InvalidParameter` naming the parameter (`series` for `series[1]`). */
function float(x, p, n) {
  if (typeof x !== 'number') throw wrong(x, p, n, 'a number')
  if (Number.isFinite(x)) return x
  const parameter = join(p, n).split(/[.[]/)[0]
  const facts = { parameter, reason: `must be a finite number, got ${x}` }
  const InvalidParameter = classOf('invalid_parameter')
  throw new InvalidParameter(`invalid parameter ${parameter}: ${facts.reason}`, 'invalid_parameter', facts, facts)
}

/** A converter of whole numbers from `min` to `max` (bigints too). */
function int(min, max) {
  const range = `expected a whole number from ${min} to ${max}`
  return (x, p, n) => {
    if (typeof x === 'number') {
      if (Number.isInteger(x) && x >= min && x <= max) return x
      throw invalidArgument(join(p, n), `${range}, got ${x}`)
    }
    if (typeof x === 'bigint') {
      if (x >= BigInt(min) && x <= BigInt(max)) return Number(x)
      throw invalidArgument(join(p, n), `${range}, got ${x}`)
    }
    throw wrong(x, p, n, 'a whole number')
  }
}

/** Whole milliseconds (a duration, or an instant as epoch ms): a fraction is a wrong type. */
function millis(x, p, n) {
  if (typeof x === 'number' && !Number.isInteger(x) && Number.isFinite(x)) throw wrong(x, p, n, 'whole milliseconds')
  return MILLIS(x, p, n)
}
const MILLIS = int(-SAFE, SAFE)

/** A converter of one of the `|`-separated names (an enum). */
function choice(names) {
  const set = Object.create(null)
  for (const name of names.split('|')) set[name] = true
  const list = names.replaceAll('|', ', ')
  return (x, p, n) => (typeof x === 'string' && set[x] === true ? x : throwing(wrong(x, p, n, `one of: ${list}`)))
}

function qty(x, p, n) {
  if (typeof x === 'string') return x
  if (typeof x === 'number' && Number.isSafeInteger(x)) return x
  if (typeof x === 'bigint') return x.toString()
  throw wrong(x, p, n, 'decimal text, a safe integer or a bigint')
}

function instant(x, p, n) {
  if (x instanceof Date) {
    const ms = x.getTime()
    if (Number.isNaN(ms)) throw invalidArgument(join(p, n), 'is an invalid Date')
    return ms
  }
  if (typeof x === 'number' || typeof x === 'bigint') return millis(x, p, n)
  throw wrong(x, p, n, 'a Date or epoch milliseconds')
}

function list(conv) {
  return (x, p, n) => {
    if (!Array.isArray(x)) throw wrong(x, p, n, 'a list')
    const path = join(p, n)
    const out = new Array(x.length)
    for (let i = 0; i < x.length; i++) out[i] = conv(x[i], path, `[${i}]`)
    return out
  }
}

function map(conv) {
  return (x, p, n) => {
    const path = object(x, p, n, null)
    const out = {}
    for (const key of Object.keys(x)) out[key] = conv(x[key], path, key)
    return out
  }
}

const opt = (conv) => (x, p, n) => (x == null ? null : conv(x, p, n))

/** The names a record takes, for `object`. */
function fields(names) {
  const set = Object.create(null)
  for (const name of names.split(' ')) if (name !== '') set[name] = true
  return set
}

/**
 * Checks that `x` is a plain object whose keys are all in `keys` (any keys when `null`);
 * answers the path of its fields (`''` for a method's own argument object).
 */
function object(x, p, n, keys, root = false) {
  if (x === null || typeof x !== 'object' || Array.isArray(x) || x instanceof Date) {
    throw wrong(x, p, n, 'an object')
  }
  const path = root ? '' : join(p, n)
  if (keys !== null) {
    for (const key in x) if (keys[key] !== true) throw invalidArgument(join(path, key), 'is not a known field')
  }
  return path
}

/** A union's one-key object: its key (one of `keys`) and the key's path. */
function variant(x, p, n, keys) {
  const choices = Object.keys(keys).join(', ')
  if (x === null || typeof x !== 'object' || Array.isArray(x)) {
    throw wrong(x, p, n, `a name or an object with one of: ${choices}`)
  }
  const own = Object.keys(x)
  const unknown = own.find((key) => keys[key] !== true)
  if (unknown !== undefined) {
    throw typeError(join(join(p, n), unknown), `is not one of: ${choices}`)
  }
  if (own.length !== 1) throw typeError(join(p, n), `must have exactly one of: ${choices}`)
  return [own[0], join(p, n)]
}

const listOut = (v, conv) => v.map(conv)

function mapOut(v, conv) {
  const out = {}
  for (const key of Object.keys(v)) out[key] = conv(v[key])
  return out
}

// ---- engine refusals ------------------------------------------------------------------

/**
 * The error of a refusal's JSON (`{code, message, facts, fields}`). `spell` turns the
 * engine's field path into the caller's (`null`: keep the engine's); `sync` keeps the
 * caller's frames (a throw), else no stack is captured (a rejection).
 */
function refusal(e, spell, sync) {
  const typed = {}
  let message = e.message
  for (const key of Object.keys(e.fields)) {
    let value = e.fields[key]
    if (key === 'source' && value !== null && typeof value === 'object') value = refusal(value, spell, false)
    typed[key.includes('_') ? camelPath(key) : key] = value
  }
  if (spell !== null) {
    if (e.code === 'invalid_argument') {
      typed.field = spell(typed.field)
      message = `invalid argument ${typed.field}: ${typed.reason}`
    } else if (e.code === 'invalid_parameter') {
      typed.parameter = camelPath(typed.parameter)
      message = `invalid parameter ${typed.parameter}: ${typed.reason}`
    }
  }
  const cls = classOf(e.code)
  if (sync) return new cls(message, e.code, e.facts, typed)
  const limit = Error.stackTraceLimit
  Error.stackTraceLimit = 0
  try {
    return new cls(message, e.code, e.facts, typed)
  } finally {
    Error.stackTraceLimit = limit
  }
}

/** `InsufficientStock` → `insufficient_stock`. */
const snake = (name) => name.replace(/[A-Z]/g, (c, i) => (i === 0 ? '' : '_') + c.toLowerCase())

/**
 * An engine error carried in an answer (a plan's problem), in the core's serde form
 * (`{"Variant": {fields}}`, or `"Variant"`), as an instance of its class. Its message is
 * written from its facts: the serde form has no message.
 */
function errorOut(v) {
  const [variant, inner] = typeof v === 'string' ? [v, {}] : Object.entries(v)[0]
  const code = snake(variant)
  const facts = {}
  for (const [key, value] of Object.entries(inner)) {
    if (value !== null) facts[key] = typeof value === 'string' ? value : JSON.stringify(value)
  }
  const detail = Object.entries(facts).map(([key, value]) => `${key} ${value}`).join(', ')
  const message = detail === '' ? code.replaceAll('_', ' ') : `${code.replaceAll('_', ' ')}: ${detail}`
  return refusal({ code, message, facts, fields: inner }, methodField, false)
}

/** A method's own fields: `args.shelf_life_days` → `shelfLifeDays`. */
const methodField = (field) => camelPath(field.replace(/^(args|meta)\./, ''))

/** The answer of the native entry: the converted value, or the refusal thrown. */
function settle(answer, out, spell, sync) {
  if (answer.charCodeAt(0) === 33 /* ! */) throw refusal(JSON.parse(answer.slice(1)), spell, sync)
  const value = JSON.parse(answer)
  return out === null ? value : out(value)
}

// ---- the class ------------------------------------------------------------------------

const TOKEN = Symbol('Stockbook')
let handleOf

/**
 * An open Stockbook: an inventory ledger over one file (or in memory). Open one with
 * `Stockbook.open(path, options?)` or `Stockbook.inMemory(options?)`.
 */
class Stockbook {
  #native

  constructor(token, handle) {
    if (token !== TOKEN) {
      throw new TypeError('Stockbook has no constructor: use Stockbook.open(path) or Stockbook.inMemory()')
    }
    this.#native = handle
  }

  static {
    handleOf = (book) => {
      if (book === null || typeof book !== 'object' || !(#native in book)) {
        throw new TypeError('the receiver is not a Stockbook')
      }
      return book.#native
    }
  }

  /** Opens (or creates) the Stockbook file at `path`, off the main thread. */
  static open(path, options) {
    try {
      const opts = openOptions(options)
      return native.openStockbook(str(path, '', 'path'), opts).then(
        (handle) => new Stockbook(TOKEN, handle),
        (err) => {
          throw fromNative(err, false)
        },
      )
    } catch (err) {
      return Promise.reject(fromNative(err, false))
    }
  }

  /** A Stockbook that lives in memory only: for tests and scratch work. */
  static inMemory(options) {
    try {
      return new Stockbook(TOKEN, native.inMemoryStockbook(openOptions(options)))
    } catch (err) {
      throw fromNative(err)
    }
  }

  /** The file's path (`null` in memory). */
  get path() {
    return handleOf(this).path ?? null
  }

  /** Closes the engine: waits for queued commands, makes everything durable, releases the file. */
  close() {
    try {
      return handleOf(this).close().catch((err) => {
        throw fromNative(err, false)
      })
    } catch (err) {
      return Promise.reject(err)
    }
  }

  /** Makes everything committed so far durable (needed only with `bulk_load`). */
  sync() {
    try {
      return handleOf(this).sync().catch((err) => {
        throw fromNative(err, false)
      })
    } catch (err) {
      return Promise.reject(err)
    }
  }

  /**
   * The generic entry: one call as the core's JSON text (`{"op", "args", "meta"?, "kind"?}`,
   * snake_case), answered with JSON text; a refusal rejects with its error class, naming
   * fields as the engine does.
   */
  callJson(call) {
    try {
      return handleOf(this).call(str(call, '', 'call')).then((answer) => {
        if (answer.charCodeAt(0) === 33) throw refusal(JSON.parse(answer.slice(1)), null, false)
        return answer
      })
    } catch (err) {
      return Promise.reject(err)
    }
  }

  /** Executes one command (`{ op, args }`, camelCase args); resolved once it is durable. */
  execute(command, meta) {
    try {
      const [op, args] = commandOf(command, '', 'command', true)
      return rt.command(this, op, JSON.stringify(args), meta, s.receipts[op], genericField)
    } catch (err) {
      return Promise.reject(err)
    }
  }

  /** Executes `commands` all or nothing, in order, in one commit. */
  executeBatch(commands, meta) {
    try {
      const list = Array.isArray(commands) ? commands : throwing(wrong(commands, '', 'commands', 'a list'))
      const batch = list.map((command, i) => {
        const [op, args] = commandOf(command, 'commands', `[${i}]`)
        return { op, args }
      })
      const typed = (v) => v.map((receipt, i) => s.receipts[batch[i].op](receipt))
      return rt.command(this, 'batch', JSON.stringify({ commands: batch }), meta, typed, genericField)
    } catch (err) {
      return Promise.reject(err)
    }
  }
}

/** `args.commands[1].args.qty` stays a path: the caller wrote `args` too. */
const genericField = (field) => camelPath(field)

/** A command's op and its args in the core's form. */
function commandOf(command, p, n, root = false) {
  const path = object(command, p, n, COMMAND, root)
  const op = str(command.op, path, 'op')
  const conv = Object.hasOwn(s.commands, op) ? s.commands[op] : null
  if (conv === null) throw typeError(join(path, 'op'), `is not a known command: ${op}`)
  return [op, command.args == null ? {} : conv(command.args, path, 'args')]
}

const COMMAND = fields('op args')
const OPTIONS = fields('durability clock groupCommandsMax queueDepthMax snapshotEveryEvents cacheSizeBytes indexBlockEvents')
const OPTION_INT = int(0, SAFE)
const DURABILITY = choice('immediate|bulk_load')

/** `Stockbook.open`'s options, checked. */
function openOptions(options) {
  if (options == null) return undefined
  object(options, '', 'options', OPTIONS, true)
  const out = {}
  if (options.durability != null) out.durability = DURABILITY(options.durability, '', 'durability')
  if (options.clock != null) {
    if (!(options.clock instanceof native.ManualClock)) throw wrong(options.clock, '', 'clock', 'a ManualClock')
    out.clock = options.clock
  }
  for (const key of ['groupCommandsMax', 'queueDepthMax', 'snapshotEveryEvents', 'cacheSizeBytes', 'indexBlockEvents']) {
    if (options[key] != null) out[key] = OPTION_INT(options[key], '', key)
  }
  return out
}

/** The JSON text of a call (`args` already JSON text). */
function callText(op, args, meta, kind) {
  let text = `{"op":"${op}","args":${args}`
  if (meta != null) text += `,"meta":${JSON.stringify(s.inMeta(meta, object(meta, '', 'meta', s.metaKeys, true)))}`
  if (kind !== undefined) text += `,"kind":"${kind}"`
  return `${text}}`
}

const rt = {
  /** Refuses an argument past a method's last one, unless absent (`null`/`undefined`). */
  extra(args, count, signature) {
    for (let i = count; i < args.length; i++) {
      if (args[i] != null) throw new TypeError(`${signature} takes ${count} argument${count === 1 ? '' : 's'}, got another: ${args[i]}`)
    }
  },
  errorOut, str, bool, float, qty, instant, millis, json, int, choice, list, map, opt, object, variant, fields, listOut, mapOut, join, typeError,
  /** A command, off the main thread. */
  command(book, op, args, meta, out, spell = methodField) {
    return handleOf(book).call(callText(op, args, meta)).then((answer) => settle(answer, out, spell, false))
  },
  /** A query that reads the store, off the main thread. */
  ask(book, op, args, out, kind) {
    return handleOf(book).call(callText(op, args, undefined, kind)).then((answer) => settle(answer, out, methodField, false))
  },
  /** A read of the in-memory state, on this thread. */
  read(book, op, args, out, kind) {
    return settle(handleOf(book).callSync(callText(op, args, undefined, kind)), out, methodField, true)
  },
  /** A read of the in-memory state with one text field, on this thread, without JSON. */
  read1(book, op, k1, v1, out) {
    const answer = handleOf(book).read1(op, k1, v1)
    if (answer === '?') return rt.read(book, op, JSON.stringify({ [k1]: v1 }), out)
    return settle(answer, out, methodField, true)
  },
  /** As `read1`, with two text fields. */
  read2(book, op, k1, v1, k2, v2, out) {
    const answer = handleOf(book).read2(op, k1, v1, k2, v2)
    if (answer === '?') return rt.read(book, op, JSON.stringify({ [k1]: v1, [k2]: v2 }), out)
    return settle(answer, out, methodField, true)
  },
  /** A stateless calculation, on this thread. */
  calculate(op, args, out) {
    return settle(native.calculate(`{"op":"${op}","args":${args}}`), out, methodField, true)
  },
  /** A slow stateless calculation (fitting a forecast), off the main thread. */
  calculateAsync(op, args, out) {
    return native
      .calculateAsync(`{"op":"${op}","args":${args}}`)
      .then((answer) => settle(answer, out, methodField, false))
  },
}

/** Set by `install`: the generated command table, receipt and meta converters. */
let s = null

/** Adds the generated methods to `Stockbook` (called once, by `surface.js`). */
function install(surface) {
  s = surface
  for (const [name, method] of Object.entries(surface.methods)) {
    Object.defineProperty(Stockbook.prototype, name, { value: method, writable: true, configurable: true })
  }
}

/** A clock that moves only when told: for tests and simulations (the `clock` option). */
class ManualClock extends native.ManualClock {
  /** A clock standing at `now` (a `Date` or epoch milliseconds). */
  constructor(now) {
    super(instant(now, '', 'now'))
  }

  /** Sets the time (a `Date` or epoch milliseconds). */
  set(now) {
    super.set(instant(now, '', 'now'))
  }

  /** Moves the time forward by `ms` milliseconds. */
  advance(ms) {
    super.advance(millis(ms, '', 'ms'))
  }
}

module.exports = { rt, install, Stockbook, ManualClock }
