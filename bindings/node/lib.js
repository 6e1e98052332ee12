'use strict'
// The package's entry point: the generated native binding (`index.js`) with every error
// it throws or rejects with re-wrapped by `fromNative` (so `instanceof InsufficientStock`
// works and wrong argument types are `TypeError`s), and the two constructors
// `Stockbook.open` / `Stockbook.inMemory`. No domain logic lives here.

const native = require('./index.js')
const errors = require('./errors.js')

const { fromNative } = errors

/** `fn` with its thrown errors and rejections passed through `fromNative`. */
function guarded(fn) {
  return function guardedCall(...args) {
    let result
    try {
      result = fn.apply(this, args)
    } catch (err) {
      throw fromNative(err)
    }
    if (result instanceof Promise) {
      return result.catch((err) => {
        throw fromNative(err)
      })
    }
    return result
  }
}

/** Wraps every method and accessor of a class's prototype with `guarded`. */
function guardPrototype(cls) {
  for (const name of Object.getOwnPropertyNames(cls.prototype)) {
    if (name === 'constructor') continue
    const desc = Object.getOwnPropertyDescriptor(cls.prototype, name)
    if (!desc.configurable) continue
    if (typeof desc.value === 'function') desc.value = guarded(desc.value)
    if (desc.get) desc.get = guarded(desc.get)
    if (desc.set) desc.set = guarded(desc.set)
    Object.defineProperty(cls.prototype, name, desc)
  }
}

const { Stockbook, ManualClock: NativeManualClock } = native
guardPrototype(Stockbook)
guardPrototype(NativeManualClock)

Stockbook.open = guarded(native.openStockbook)
Stockbook.inMemory = guarded(native.inMemoryStockbook)

/** The native clock, with its constructor's argument errors as `TypeError`s too. */
class ManualClock extends NativeManualClock {
  constructor(now) {
    try {
      super(now)
    } catch (err) {
      throw fromNative(err)
    }
  }
}

module.exports = {
  Stockbook,
  ManualClock,
  ...require('./errors.js'),
}
