'use strict'
// The package's entry point: the generated native binding (`index.js`) with every error
// it throws or rejects with re-wrapped by `fromNative` (so `instanceof InsufficientStock`
// works and wrong argument types are `TypeError`s), the two constructors
// `Stockbook.open` / `Stockbook.inMemory` and the module-level planning functions. No
// domain logic lives here.

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

// A plan's problems carry engine errors as values: the same classes as thrown ones.
const nativePlan = Stockbook.prototype.replenishmentPlan
Stockbook.prototype.replenishmentPlan = function replenishmentPlan(...args) {
  return nativePlan.apply(this, args).then((plan) => {
    for (const problem of plan.problems) problem.error = fromNative(problem.error)
    return plan
  })
}

// The pure planning math: module-level functions of the native module. (One constant each
// so that ESM `import { forecast } from 'stockbook'` sees every name.)
const forecast = guarded(native.forecast)
const autoForecast = guarded(native.autoForecast)
const classify = guarded(native.classify)
const leadTimeDemand = guarded(native.leadTimeDemand)
const safetyStockCycle = guarded(native.safetyStockCycle)
const safetyStockFillRate = guarded(native.safetyStockFillRate)
const reorderPoint = guarded(native.reorderPoint)
const minMax = guarded(native.minMax)
const periodicReview = guarded(native.periodicReview)
const eoq = guarded(native.eoq)
const epq = guarded(native.epq)
const roundOrderQuantity = guarded(native.roundOrderQuantity)

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
  forecast,
  autoForecast,
  classify,
  leadTimeDemand,
  safetyStockCycle,
  safetyStockFillRate,
  reorderPoint,
  minMax,
  periodicReview,
  eoq,
  epq,
  roundOrderQuantity,
  ...require('./errors.js'),
}
