'use strict'
// The error family's base, `StockbookError`, and the lookup of the class of a code (the
// classes themselves, one per engine code, are generated into `surface.js`). The few native
// methods that throw (open, close, the clock) throw plain `Error` objects with `name:
// 'StockbookError'`, `code`, `facts` and typed fact properties; `fromNative` re-wraps them
// into these classes (and napi's argument errors into `TypeError`s).

/** Property names that are never copied from the native error as facts. */
const OWN = new Set(['name', 'message', 'stack', 'code', 'facts', 'cause'])

class StockbookError extends Error {
  /**
   * @param {string} message the engine's message
   * @param {string} code the engine's stable snake_case code
   * @param {Record<string, string>} facts the facts as text, under the engine's names
   * @param {Record<string, unknown>} typed the facts as typed camelCase properties
   */
  constructor(message, code, facts = {}, typed = {}) {
    super(message, typed.source instanceof Error ? { cause: typed.source } : undefined)
    this.code = code
    this.facts = facts
    // Plain assignments (no prototype here has setters for facts): a `defineProperty` per
    // fact cost more than the rest of the constructor, paid by every refusal of a burst.
    for (const key of Object.keys(typed)) {
      if (OWN.has(key)) continue
      if (key === 'source') {
        // `source` is also the standard `cause`: keep it out of the printed properties.
        Object.defineProperty(this, key, { value: typed.source, enumerable: false, writable: true, configurable: true })
      } else {
        this[key] = typed[key]
      }
    }
  }
}

// One class per engine error code is generated (`surface.js`, from the contract's `Error`)
// and registered here, so that a refusal becomes an instance of the class of its code.
const BY_CODE = new Map()

/** Registers the classes of the engine's codes (each with its `static code`). */
function register(...classes) {
  for (const cls of classes) {
    Object.defineProperty(cls.prototype, 'name', { value: cls.name, configurable: true, writable: true })
    BY_CODE.set(cls.code, cls)
  }
}
Object.defineProperty(StockbookError.prototype, 'name', { value: 'StockbookError', configurable: true, writable: true })

/** The class of an engine error code (the base class for a code this build does not know). */
const classOf = (code) => BY_CODE.get(code) ?? StockbookError

/** napi's codes for an argument of the wrong type (`InvalidArg`, `StringExpected`, …). */
const isArgumentStatus = (code) => code === 'InvalidArg' || /^[A-Z][a-z]+Expected$/.test(code)

/**
 * `err` with the call frames of `native` (a synchronous throw has the caller's frames).
 * Reading `native.stack` formats it, which costs more than building the error: only a
 * synchronous throw has frames worth copying (a rejection settles from the event loop).
 */
function withFrames(err, native, sync) {
  if (!sync) return err
  const at = typeof native.stack === 'string' ? native.stack.indexOf('\n    at ') : -1
  if (at >= 0) err.stack = `${err.name}: ${err.message}${native.stack.slice(at)}`
  return err
}

/**
 * The public form of an error thrown by the native module: an instance of the class of
 * its code (the base class for a code this build does not know), a `TypeError` for an
 * argument of the wrong type, anything else unchanged. `sync` (the default) for an error
 * thrown by a call, whose frames are kept; `false` for a promise's rejection.
 */
function fromNative(err, sync = true) {
  if (err instanceof StockbookError || err === null || typeof err !== 'object') return err
  if (err.name === 'StockbookError' && typeof err.code === 'string') {
    const typed = {}
    for (const key of Object.keys(err)) {
      if (!OWN.has(key)) typed[key] = key === 'source' ? fromNative(err[key], false) : err[key]
    }
    const cls = BY_CODE.get(err.code) ?? StockbookError
    return withFrames(new cls(err.message, err.code, err.facts ?? {}, typed), err, sync)
  }
  if (typeof err.code === 'string' && isArgumentStatus(err.code)) {
    const typeError = new TypeError(err.message)
    typeError.code = 'ERR_INVALID_ARG_TYPE'
    return withFrames(typeError, err, sync)
  }
  return err
}

module.exports = { StockbookError, fromNative, classOf, register }
