'use strict'
// The error family: `StockbookError` and one class per engine error code, so that
// `err instanceof InsufficientStock` works. The native module throws plain `Error` objects
// with `name: 'StockbookError'`, `code`, `facts` and typed fact properties; `fromNative`
// re-wraps them into these classes (and napi's argument errors into `TypeError`s).

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

// One line per engine error code: the class and its code.
class InsufficientStock extends StockbookError { static code = 'insufficient_stock' }
class NotFound extends StockbookError { static code = 'not_found' }
class AlreadyExists extends StockbookError { static code = 'already_exists' }
class Archived extends StockbookError { static code = 'archived' }
class NotEmpty extends StockbookError { static code = 'not_empty' }
class InvalidCode extends StockbookError { static code = 'invalid_code' }
class InvalidQuantity extends StockbookError { static code = 'invalid_quantity' }
class InvalidArgument extends StockbookError { static code = 'invalid_argument' }
class InvalidParameter extends StockbookError { static code = 'invalid_parameter' }
class HierarchyCycle extends StockbookError { static code = 'hierarchy_cycle' }
class Tracking extends StockbookError { static code = 'tracking' }
class LotExpired extends StockbookError { static code = 'lot_expired' }
class Conflict extends StockbookError { static code = 'conflict' }
class InvalidTransition extends StockbookError { static code = 'invalid_transition' }
class BatchRefused extends StockbookError { static code = 'batch_refused' }
class Locked extends StockbookError { static code = 'locked' }
class NotAStockbookFile extends StockbookError { static code = 'not_a_stockbook_file' }
class UnsupportedFormat extends StockbookError { static code = 'unsupported_format' }
class Io extends StockbookError { static code = 'io' }
class Storage extends StockbookError { static code = 'storage' }
class Closed extends StockbookError { static code = 'closed' }
class Internal extends StockbookError { static code = 'internal' }
class InvariantViolated extends StockbookError { static code = 'invariant_violated' }
class LimitExceeded extends StockbookError { static code = 'limit_exceeded' }
class KeyExpired extends StockbookError { static code = 'key_expired' }

const CLASSES = {
  InsufficientStock, NotFound, AlreadyExists, Archived, NotEmpty, InvalidCode,
  InvalidQuantity, InvalidArgument, InvalidParameter, HierarchyCycle, Tracking, LotExpired,
  Conflict, InvalidTransition, BatchRefused, Locked, NotAStockbookFile, UnsupportedFormat,
  Io, Storage, Closed, Internal, InvariantViolated, LimitExceeded, KeyExpired,
}
for (const cls of [StockbookError, ...Object.values(CLASSES)]) {
  Object.defineProperty(cls.prototype, 'name', { value: cls.name, configurable: true, writable: true })
}
const BY_CODE = new Map(Object.values(CLASSES).map((cls) => [cls.code, cls]))

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

// Listed one by one so that ESM `import { NotFound } from 'stockbook'` sees every name.
module.exports = {
  StockbookError,
  InsufficientStock,
  NotFound,
  AlreadyExists,
  Archived,
  NotEmpty,
  InvalidCode,
  InvalidQuantity,
  InvalidArgument,
  InvalidParameter,
  HierarchyCycle,
  Tracking,
  LotExpired,
  Conflict,
  InvalidTransition,
  BatchRefused,
  Locked,
  NotAStockbookFile,
  UnsupportedFormat,
  Io,
  Storage,
  Closed,
  Internal,
  InvariantViolated,
  LimitExceeded,
  KeyExpired,
  fromNative,
  classOf,
}
