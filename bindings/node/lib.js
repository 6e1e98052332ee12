'use strict'
// The package's entry point: the generated native binding (`index.js`) with every call
// passed through `guarded`: its arguments checked against the generated declarations
// (`shapes.js`), its errors re-wrapped by `fromNative` (so `instanceof InsufficientStock`
// works and wrong argument types are `TypeError`s), a method returning a promise rejecting
// rather than throwing, and results holding bigints given a `toJSON`. Also the two
// constructors `Stockbook.open` / `Stockbook.inMemory` and the module-level planning
// functions. No domain logic lives here.

const native = require('./index.js')
const errors = require('./errors.js')
const { load, signature, Shapes, withToJSON } = require('./shapes.js')

const { fromNative } = errors
const shapes = load(errors)

/**
 * `fn` with its arguments checked against `signature` (when the declarations have it),
 * its errors passed through `fromNative`, and its result JSON-ready.
 */
function guarded(fn, signature) {
  const isAsync = signature !== undefined && Shapes.isAsync(signature)
  const json = signature !== undefined && shapes.holdsBigint(signature.returns)
  const done = json ? withToJSON : (value) => value
  return function guardedCall(...args) {
    let result
    try {
      result = fn.apply(this, signature === undefined ? args : shapes.args(signature, args))
    } catch (err) {
      if (isAsync) return Promise.reject(fromNative(err))
      throw fromNative(err)
    }
    if (result instanceof Promise) {
      return result.then(done, (err) => {
        throw fromNative(err, false)
      })
    }
    return done(result)
  }
}

/** Wraps every method and accessor of a class's prototype with `guarded`. */
function guardPrototype(cls) {
  const members = shapes.classes.get(cls.name) ?? new Map()
  for (const name of Object.getOwnPropertyNames(cls.prototype)) {
    if (name === 'constructor') continue
    const desc = Object.getOwnPropertyDescriptor(cls.prototype, name)
    if (!desc.configurable) continue
    if (typeof desc.value === 'function') desc.value = guarded(desc.value, members.get(name))
    if (desc.get) desc.get = guarded(desc.get)
    if (desc.set) desc.set = guarded(desc.set)
    Object.defineProperty(cls.prototype, name, desc)
  }
}

/** A module-level native function, guarded with its declared signature. */
const fn = (name) => guarded(native[name], shapes.functions.get(name))

const { ManualClock: NativeManualClock } = native
guardPrototype(native.Stockbook)
guardPrototype(NativeManualClock)

// The handle has no public constructor: it comes from `open` or `inMemory`.
const Stockbook = new Proxy(native.Stockbook, {
  construct() {
    throw new TypeError('Stockbook has no constructor: use Stockbook.open(path) or Stockbook.inMemory()')
  },
})
// Declared in lib.d.ts (the native functions are left out of index.d.ts).
Stockbook.open = guarded(native.openStockbook, signature('(path: string, options?: Options | null): Promise<Stockbook>'))
Stockbook.inMemory = guarded(native.inMemoryStockbook, signature('(options?: Options | null): Stockbook'))

// A plan's problems carry engine errors as values: the same classes as thrown ones.
const nativePlan = Stockbook.prototype.replenishmentPlan
Stockbook.prototype.replenishmentPlan = function replenishmentPlan(...args) {
  return nativePlan.apply(this, args).then((plan) => {
    for (const problem of plan.problems) problem.error = fromNative(problem.error, false)
    return plan
  })
}

// The pure planning math: module-level functions of the native module. (One constant each
// so that ESM `import { forecast } from 'stockbook'` sees every name.)
const forecast = fn('forecast')
const autoForecast = fn('autoForecast')
const classify = fn('classify')
const leadTimeDemand = fn('leadTimeDemand')
const safetyStockCycle = fn('safetyStockCycle')
const safetyStockFillRate = fn('safetyStockFillRate')
const reorderPoint = fn('reorderPoint')
const minMax = fn('minMax')
const periodicReview = fn('periodicReview')
const eoq = fn('eoq')
const epq = fn('epq')
const roundOrderQuantity = fn('roundOrderQuantity')
const normalPdf = fn('normalPdf')
const normalCdf = fn('normalCdf')
const normalQuantile = fn('normalQuantile')
const standardNormalLoss = fn('standardNormalLoss')
const newsvendorNormal = fn('newsvendorNormal')
const newsvendorPoisson = fn('newsvendorPoisson')
const sSCostPoisson = fn('sSCostPoisson')
const sSOptimalPoisson = fn('sSOptimalPoisson')
const rQCost = fn('rQCost')
const rQEil = fn('rQEil')
const rQPoisson = fn('rQPoisson')

/** The native clock, with its constructor's argument errors as `TypeError`s too. */
const clockConstructor = shapes.classes.get('ManualClock')?.get('constructor')
class ManualClock extends NativeManualClock {
  constructor(now) {
    try {
      super(...(clockConstructor ? shapes.args(clockConstructor, [now]) : [now]))
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
  normalPdf,
  normalCdf,
  normalQuantile,
  standardNormalLoss,
  newsvendorNormal,
  newsvendorPoisson,
  sSCostPoisson,
  sSOptimalPoisson,
  rQCost,
  rQEil,
  rQPoisson,
  ...require('./errors.js'),
}
