// The pure planning math as module-level functions: forecasts (async), classification and
// the replenishment policies (sync). Plain numbers in and out; a bad parameter is an
// `InvalidParameter` naming it; arguments of the wrong shape are TypeErrors.
import { test } from 'node:test'
import assert from 'node:assert/strict'

import {
  InvalidArgument,
  InvalidParameter,
  StockbookError,
  autoForecast,
  classify,
  eoq,
  epq,
  forecast,
  leadTimeDemand,
  minMax,
  newsvendorNormal,
  newsvendorPoisson,
  normalCdf,
  normalPdf,
  normalQuantile,
  periodicReview,
  rQCost,
  rQEil,
  rQPoisson,
  reorderPoint,
  roundOrderQuantity,
  safetyStockCycle,
  safetyStockFillRate,
  sSCostPoisson,
  sSOptimalPoisson,
  standardNormalLoss,
} from '../lib.js'

/** Φ⁻¹(0.95) and Φ⁻¹(0.9). */
const Z95 = 1.6448536269514722
const Z90 = 1.2815515655446004

const close = (got, want, what, eps = 1e-9) =>
  assert.ok(Math.abs(got - want) <= eps * Math.max(1, Math.abs(want)), `${what}: ${got} is not ${want}`)

/** `err` is an `InvalidParameter` naming `parameter`. */
const invalidParameter = (parameter) => (err) => {
  assert.ok(err instanceof InvalidParameter, `${err.name}: ${err.message}`)
  assert.ok(err instanceof StockbookError)
  assert.equal(err.code, 'invalid_parameter')
  assert.equal(err.parameter, parameter)
  return true
}

test('forecast: the simple methods, their fitted values, parameters and accuracy', async () => {
  const pending = forecast([3, 5, 4], 'naive', 2)
  assert.ok(pending instanceof Promise, 'forecasts run off the main thread')
  assert.deepEqual(await pending, {
    method: 'naive',
    mean: [4, 4],
    fitted: [null, 3, 5],
    params: { kind: 'none' },
    accuracy: { sigma: Math.sqrt(2.5), mae: 1.5, mase: 1, n: 2 },
    // No levels asked for: no intervals; the naive method has no state to update.
    intervals: undefined,
    state: null,
  })
  assert.deepEqual((await forecast([2, 4, 6], 'historic_average', 1)).mean, [4])
  assert.deepEqual((await forecast([1, 2, 3, 5], { movingAverage: { window: 2 } }, 1)).mean, [4])
  const seasonal = await forecast([1, 2, 3, 4], { seasonalNaive: { seasonLength: 2 } }, 3)
  assert.deepEqual(seasonal.mean, [3, 4, 3])
  assert.deepEqual(seasonal.method, { seasonalNaive: { seasonLength: 2 } })
  assert.equal((await forecast([5, 5, 5], 'naive', 1)).accuracy.mase, null, 'no scale for a constant series')

  const ses = await forecast([1, 2, 3, 4, 5], { ses: { alpha: 0.5 } }, 3)
  assert.deepEqual(ses.method, { ses: { alpha: 0.5 } })
  assert.deepEqual(ses.mean, [4.0625, 4.0625, 4.0625])
  assert.deepEqual(ses.fitted, [null, 1, 1.5, 2.25, 3.125])
  assert.deepEqual(ses.params, { kind: 'ses', alpha: 0.5 })
  // The same recursion as an ETS model with the caller's constants.
  const spec = { error: 'additive', trend: 'none', season: 'none', damped: false, seasonLength: 1 }
  const ets = await forecast([1, 2, 3, 4, 5], { etsFixed: { spec, params: { alpha: 0.5, level: 1, seasonal: [] } } }, 1)
  assert.deepEqual(ets.mean, [4.0625])
  // Answers carry every field of the contract, the absent ones as null.
  const params = { alpha: 0.5, beta: null, gamma: null, phi: null, level: 1, slope: null, seasonal: [] }
  assert.deepEqual(ets.method, { etsFixed: { spec, params } })
  assert.equal(ets.params.kind, 'ets')
  assert.deepEqual(ets.params.spec, spec)
})

test('forecast: fitted models and intermittent methods report their parameters', async () => {
  const line = Array.from({ length: 14 }, (_v, i) => i + 1)
  const holt = await forecast(line, { holt: {} }, 2)
  assert.deepEqual(holt.method, { holt: { damped: null } })
  close(holt.mean[0], 15, 'holt h=1', 1e-6)
  close(holt.mean[1], 16, 'holt h=2', 1e-6)
  assert.equal(holt.params.kind, 'ets')
  assert.equal(holt.params.spec.trend, 'additive')
  assert.equal(typeof holt.params.aicc, 'number')
  assert.equal(typeof holt.params.nParams, 'number')
  const damped = await forecast(line, { holt: { damped: true } }, 1)
  assert.equal(damped.params.spec.damped, true)
  assert.equal(typeof damped.params.params.phi, 'number')
  const seasonal = [10, 20, 30, 10, 20, 30, 10, 20, 30, 10, 20, 30]
  const hw = await forecast(seasonal, { holtWinters: { seasonLength: 3, seasonality: 'additive' } }, 3)
  assert.deepEqual(hw.method, { holtWinters: { seasonLength: 3, seasonality: 'additive', damped: null } })
  assert.equal(hw.params.params.seasonal.length, 3)
  assert.equal((await forecast(seasonal, { autoEts: { seasonLength: 3 } }, 3)).params.kind, 'ets')

  const sporadic = [0, 3, 0, 0, 5, 0, 2, 0, 0, 4]
  const classic = await forecast(sporadic, 'croston_classic', 1)
  const sba = await forecast(sporadic, 'croston_sba', 1)
  assert.equal(classic.params.kind, 'croston')
  assert.equal(classic.params.factor, 1)
  assert.equal(sba.params.factor, 0.95)
  close(sba.mean[0], 0.95 * classic.mean[0], 'SBA is 0.95 × Croston')
  assert.equal((await forecast(sporadic, 'croston_optimized', 1)).params.kind, 'croston')
  const tsb = await forecast(sporadic, { tsb: { alphaDemand: 0.2, alphaProbability: 0.1 } }, 1)
  assert.deepEqual(tsb.params, { kind: 'tsb', alphaDemand: 0.2, alphaProbability: 0.1 })
  const imapa = await forecast(sporadic, 'imapa', 1)
  assert.equal(imapa.params.kind, 'aggregation')
  assert.ok(imapa.params.levels.length >= 1)
  assert.equal(imapa.params.levels[0].level, 1)
  assert.equal((await forecast(sporadic, 'adida', 1)).params.kind, 'aggregation')
  assert.equal((await forecast(sporadic, 'ses_optimized', 1)).params.kind, 'ses')
})

test('forecast refusals: InvalidParameter for the engine, TypeError for the shape', async () => {
  await assert.rejects(forecast([], 'naive', 1), invalidParameter('series'))
  await assert.rejects(forecast([1], 'naive', 1), invalidParameter('series'))
  await assert.rejects(forecast([1, -2, 3], 'naive', 1), invalidParameter('series'))
  await assert.rejects(forecast([1, NaN, 3], 'naive', 1), invalidParameter('series'))
  await assert.rejects(forecast([1, 2, 3], 'naive', 0), invalidParameter('horizon'))
  await assert.rejects(forecast([1, 2, 3], { ses: { alpha: 0 } }, 1), invalidParameter('alpha'))
  await assert.rejects(forecast([1, 2, 3], { movingAverage: { window: 0 } }, 1), invalidParameter('window'))
  await assert.rejects(forecast([1, 2, 3], { seasonalNaive: { seasonLength: 0 } }, 1), invalidParameter('seasonLength'))
  await assert.rejects(forecast(Array(3001).fill(1), 'imapa', 1), invalidParameter('series'))
  await assert.rejects(forecast([1, 2], 'best', 1), TypeError)
  await assert.rejects(forecast([1, 2], {}, 1), TypeError)
  await assert.rejects(forecast([1, 2], { ses: { alpha: 0.1 }, holt: {} }, 1), TypeError)
  await assert.rejects(forecast([1, 2], { holtWinters: { seasonLength: 2, seasonality: 'sideways' } }, 1), TypeError)
  await assert.rejects(forecast('1,2', 'naive', 1), TypeError)
})

test('autoForecast and classify', async () => {
  const sporadic = [1, 0, 3, 0, 0, 2, 0, 4, 0, 0, 1, 2]
  const auto = await autoForecast(sporadic, 1, 3)
  assert.equal(auto.class.pattern, 'intermittent')
  assert.equal(auto.holdout, 3)
  const names = auto.candidates.map((c) => (typeof c.method === 'string' ? c.method : Object.keys(c.method)[0]))
  assert.deepEqual(names, ['naive', 'ses_optimized', 'croston_classic', 'croston_sba', 'croston_optimized', 'adida', 'imapa'])
  const best = auto.candidates.reduce((a, b) => (b.mase < a.mase ? b : a))
  assert.deepEqual(auto.forecast.method, best.method, 'the lowest MASE wins')
  assert.equal(auto.forecast.mean.length, 3)
  await assert.rejects(autoForecast([1, 2, 3], 1, 1), invalidParameter('series'))
  await assert.rejects(autoForecast(sporadic, 0, 1), invalidParameter('seasonLength'))
  await assert.rejects(autoForecast(sporadic, 1, 0), invalidParameter('horizon'))

  const c = classify([0, 3, 0, 0, 5, 0, 2])
  assert.equal(c.pattern, 'intermittent')
  close(c.adi, 7 / 3, 'adi')
  const mean = 10 / 3
  close(c.cv2, ((3 - mean) ** 2 + (5 - mean) ** 2 + (2 - mean) ** 2) / 3 / mean ** 2, 'cv2')
  assert.equal(c.demandPeriods, 3)
  assert.equal(classify([4, 5, 4, 5]).pattern, 'smooth')
  assert.equal(classify([1, 9, 1, 9]).pattern, 'erratic')
  assert.equal(classify([0, 1, 0, 0, 9, 0, 0, 1]).pattern, 'lumpy')
  assert.deepEqual(classify([0, 0]), { pattern: 'no_demand', adi: null, cv2: null, demandPeriods: 0 })
  assert.throws(() => classify([]), invalidParameter('series'))
  assert.throws(() => classify([-1]), invalidParameter('series'))
})

test('lead-time demand, safety stock for a cycle service level or a fill rate, reorder point', () => {
  const demand = { mean: 10, stdDev: 2 }
  assert.deepEqual(leadTimeDemand(demand, { mean: 4 }), { mean: 40, stdDev: 4 })
  const variable = leadTimeDemand(demand, { mean: 4, stdDev: 1 })
  assert.equal(variable.mean, 40)
  close(variable.stdDev, Math.sqrt(4 * 4 + 100 * 1), 'σ of a random lead time')

  const cycle = safetyStockCycle(0.95, demand, { mean: 4 })
  close(cycle.k, Z95, 'k')
  close(cycle.safetyStock, 4 * Z95, 'safety stock')
  close(cycle.reorderPoint, 40 + 4 * Z95, 'reorder point')
  assert.deepEqual(cycle.leadTimeDemand, { mean: 40, stdDev: 4 })

  // G(k) = Q(1 − P2)/σ_L = 4 × 0.1 / 4 = 0.1 gives k ≈ 0.90; the exact expression less.
  const approximate = safetyStockFillRate(0.9, 4, demand, { mean: 4 }, 'approximate')
  const exact = safetyStockFillRate(0.9, 4, demand, { mean: 4 }, 'exact')
  assert.ok(approximate.k > 0.85 && approximate.k < 0.95, `k ${approximate.k}`)
  assert.ok(exact.k < approximate.k - 0.01, 'the approximation overstates the shortage')
  close(approximate.reorderPoint, 40 + approximate.safetyStock, 'reorder point')
  const generous = safetyStockFillRate(0.5, 1000, demand, { mean: 4 }, 'exact')
  assert.ok(generous.k < 0 && generous.safetyStock < 0, 'a large order quantity meets the target alone')
  assert.equal(safetyStockFillRate(0.99, 10, { mean: 10, stdDev: 0 }, { mean: 4 }, 'exact').safetyStock, 0)

  assert.equal(reorderPoint(demand, { mean: 4 }, 5), 45)
  assert.equal(reorderPoint(demand, { mean: 2, stdDev: 1 }, 0), 20)

  assert.throws(() => safetyStockCycle(1, demand, { mean: 4 }), invalidParameter('serviceLevel'))
  assert.throws(() => safetyStockCycle(0.95, { mean: -1, stdDev: 2 }, { mean: 4 }), invalidParameter('demand.mean'))
  assert.throws(() => safetyStockCycle(0.95, { mean: 1, stdDev: -2 }, { mean: 4 }), invalidParameter('demand.stdDev'))
  assert.throws(() => safetyStockCycle(0.95, demand, { mean: -1 }), invalidParameter('leadTime.mean'))
  // A lead time of zero is same-day delivery: nothing to cover, nothing to buffer.
  const sameDay = safetyStockCycle(0.95, demand, { mean: 0 })
  assert.equal(sameDay.safetyStock, 0)
  assert.equal(sameDay.reorderPoint, 0)
  assert.throws(() => leadTimeDemand(demand, { mean: 4, stdDev: -1 }), invalidParameter('leadTime.stdDev'))
  assert.throws(() => safetyStockFillRate(1, 100, demand, { mean: 4 }, 'exact'), invalidParameter('fillRate'))
  assert.throws(() => safetyStockFillRate(0.9, 0, demand, { mean: 4 }, 'exact'), invalidParameter('orderQuantity'))
  assert.throws(() => reorderPoint(demand, { mean: 4 }, Infinity), invalidParameter('safetyStock'))
  assert.throws(() => safetyStockCycle(0.95, { mean: 10 }, { mean: 4 }), TypeError)
  assert.throws(() => safetyStockCycle(0.95, demand, 'two weeks'), TypeError)
  assert.throws(() => safetyStockFillRate(0.9, 10, demand, { mean: 4 }, 'fast'), TypeError)
})

test('min/max, periodic review, EOQ, EPQ and order-quantity rounding', () => {
  const mm = minMax(0.9, { mean: 4, stdDev: 2 }, { mean: 4 }, 30)
  close(mm.min, 16 + Z90 * 4, 'min')
  close(mm.max, mm.min + 30, 'max')
  close(mm.safetyStock.k, Z90, 'k')
  assert.throws(() => minMax(0.9, { mean: 4, stdDev: 2 }, { mean: 4 }, 0), invalidParameter('orderQuantity'))

  const review = periodicReview(0.95, { mean: 10, stdDev: 3 }, { mean: 2 }, 7)
  assert.deepEqual(review.protectionDemand, { mean: 90, stdDev: 9 })
  close(review.orderUpTo, 90 + 9 * Z95, 'order-up-to')
  close(review.safetyStock, 9 * Z95, 'safety stock')
  assert.throws(() => periodicReview(0.95, { mean: 10, stdDev: 3 }, { mean: 2 }, 0), invalidParameter('reviewPeriod'))

  const e = eoq(100, 2, 1000)
  close(e.quantity, Math.sqrt((2 * 100 * 1000) / 2), 'EOQ')
  close(e.cost, Math.sqrt(2 * 100 * 1000 * 2), 'EOQ cost')
  assert.throws(() => eoq(-1, 2, 1000), invalidParameter('fixedCost'))
  // No fixed cost: order one for one (a base-stock policy), at no ordering cost.
  assert.equal(eoq(0, 2, 1000).quantity, 0)
  assert.throws(() => eoq(100, 0, 1000), invalidParameter('holdingCost'))
  assert.throws(() => eoq(100, 2, -1), invalidParameter('demandRate'))
  const p = epq(100, 2, 1000, 2000)
  close(p.quantity, Math.sqrt((2 * 100 * 1000) / (2 * 0.5)), 'EPQ')
  close(p.cost, p.quantity * 2 * 0.5, 'EPQ cost')
  assert.throws(() => epq(100, 2, 1000, 1000), invalidParameter('productionRate'))

  assert.equal(roundOrderQuantity(0, 50, 12), 0)
  assert.equal(roundOrderQuantity(7, 50, 12), 60)
  assert.equal(roundOrderQuantity(61, 50, 12), 72)
  assert.equal(roundOrderQuantity(72, 50, 12), 72)
  close(roundOrderQuantity(1.1, 0, 0.1), 1.1, 'decimal packs')
  close(roundOrderQuantity(1.11, 0, 0.1), 1.2, 'decimal packs up')
  assert.throws(() => roundOrderQuantity(10, 0, 0), invalidParameter('packSize'))
  assert.throws(() => roundOrderQuantity(-1, 0, 1), invalidParameter('quantity'))
  assert.throws(() => roundOrderQuantity(1, -1, 1), invalidParameter('minimum'))
  assert.throws(() => roundOrderQuantity('10', 0, 1), TypeError)
})

// Reference values: stockpyl 1.0.2 on Snyder & Shen's examples and the SPP table of G(k)
// (the project's replenishment reference vectors), which the core's tests also meet.

test('the standard normal density, distribution, quantile and loss function', () => {
  close(normalPdf(0), 1 / Math.sqrt(2 * Math.PI), 'φ(0)')
  close(normalCdf(1), 0.8413447460685429, 'Φ(1)')
  close(normalCdf(-2), 0.022750131948179195, 'Φ(-2)')
  close(normalQuantile(0.95), Z95, 'Φ⁻¹(0.95)')
  close(normalQuantile(normalCdf(1.3)), 1.3, 'Φ⁻¹(Φ(1.3))')
  close(standardNormalLoss(1.3), 0.04552796208651397, 'G(1.3)')
  close(standardNormalLoss(-2), 2.0084907026168297, 'G(-2)')
  for (const p of [0, 1, 1.5, NaN]) assert.throws(() => normalQuantile(p), invalidParameter('p'))
  assert.throws(() => normalCdf('1'), TypeError)
})

test('newsvendor with normal and Poisson demand', () => {
  // h = 0.18, p = 0.7, demand N(50, 8) and Poisson(50).
  const normal = newsvendorNormal(0.18, 0.7, { mean: 50, stdDev: 8 })
  close(normal.level, 56.60395592743389, 'S*')
  close(normal.cost, 1.9976051931766445, 'cost')
  const poisson = newsvendorPoisson(0.18, 0.7, 50)
  assert.equal(poisson.level, 56)
  close(poisson.cost, 1.7972352118091772, 'Poisson cost')
  assert.throws(() => newsvendorNormal(0, 0.7, { mean: 50, stdDev: 8 }), invalidParameter('holdingCost'))
  assert.throws(() => newsvendorNormal(0.18, 0.7, { mean: 50, stdDev: -1 }), invalidParameter('demand.stdDev'))
  assert.throws(() => newsvendorPoisson(0.18, 0.7, 0), invalidParameter('demandMean'))
})

test('(s, S) with Poisson demand', () => {
  // h = 1, p = 4, K = 5, Poisson(6) per period: (4, 10) costs 8.0341 and is the optimum.
  const costs = { holding: 1, stockout: 4, fixed: 5 }
  close(sSCostPoisson(4, 10, costs, 6), 8.034111561471642, '(s, S) cost')
  const best = sSOptimalPoisson(costs, 6)
  assert.deepEqual([best.reorderPoint, best.orderUpTo], [4, 10])
  close(best.cost, sSCostPoisson(4, 10, costs, 6), 'optimal cost')
  assert.throws(() => sSCostPoisson(10, 10, costs, 6), invalidParameter('orderUpTo'))
  assert.throws(() => sSOptimalPoisson(costs, -1), invalidParameter('demandMean'))
  assert.throws(() => sSCostPoisson(4.5, 10, costs, 6), (err) => {
    assert.ok(err instanceof InvalidArgument)
    assert.equal(err.field, 'reorderPoint')
    return true
  })
  assert.throws(() => sSOptimalPoisson({ holding: 1, stockout: 4 }, 6), TypeError)
})

test('(r, Q) with normal and Poisson demand', () => {
  // h = 0.225, p = 7.5, K = 8, λ = 1300 and σ = 150 per year, L = 1/12 year.
  const costs = { holding: 0.225, stockout: 7.5, fixed: 8 }
  const demand = { mean: 1300, stdDev: 150 }
  close(rQCost(126.8, 328.5, costs, demand, 1 / 12), 78.07116250928294, '(r, Q) cost')
  const eil = rQEil(costs, demand, 1 / 12)
  close(eil.reorderPoint, 213.97044213580244, 'EIL r')
  close(eil.orderQuantity, 318.5901810768729, 'EIL Q')
  close(eil.cost, 95.45114022285196, 'EIL cost')
  // h = 20, p = 150, K = 100, λ = 1.5, L = 2: (3, 5) at 107.92.
  const exact = rQPoisson({ holding: 20, stockout: 150, fixed: 100 }, 1.5, 2)
  assert.deepEqual([exact.reorderPoint, exact.orderQuantity], [3, 5])
  close(exact.cost, 107.92358063314975, 'Poisson (r, Q) cost')
  assert.throws(() => rQCost(10, 0, costs, demand, 1), invalidParameter('orderQuantity'))
  assert.throws(() => rQEil(costs, demand, -1), invalidParameter('leadTime'))
  assert.throws(() => rQPoisson(costs, 0, 1), invalidParameter('demandRate'))
})
