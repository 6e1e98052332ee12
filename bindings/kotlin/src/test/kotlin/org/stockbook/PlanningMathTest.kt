package org.stockbook

import kotlin.math.PI
import kotlin.math.exp
import kotlin.math.sqrt
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNull
import kotlin.test.assertTrue

/**
 * The pure forecasting and policy functions, checked against values computed by hand (the
 * numbers in the comments), and each one's refusal: `InvalidParameter` naming the parameter.
 */
class PlanningMathTest {

    private val eps = 1e-9

    /** Φ⁻¹(0.95), from the tables. */
    private val z95 = 1.6448536269514722

    /** The standard normal density at 0 and 1, and Φ(1) from the tables. */
    private val phi0 = 1 / sqrt(2 * PI)
    private val phi1 = exp(-0.5) / sqrt(2 * PI)
    private val cdf1 = 0.8413447460685429

    private fun near(expected: Double, actual: Double?, what: String = "") {
        assertTrue(actual != null && kotlin.math.abs(expected - actual) <= eps * maxOf(1.0, kotlin.math.abs(expected)), "$what: expected $expected, got $actual")
    }

    private fun near(expected: List<Double?>, actual: List<Double?>, what: String = "") {
        assertEquals(expected.size, actual.size, "$what: $actual")
        expected.zip(actual).forEachIndexed { i, (e, a) -> if (e == null) assertNull(a, "$what[$i]") else near(e, a, "$what[$i]") }
    }

    /** Runs [block], which must throw `InvalidParameter` naming [parameter]. */
    /** A negative count is refused before the planning math sees it, naming the Kotlin parameter. */
    private fun outOfRange(field: String, block: () -> Unit) {
        val e = assertFailsWith<StockbookException.InvalidArgument> { block() }
        assertEquals(field, e.facts["field"], e.detail)
    }

    private fun refused(parameter: String, block: () -> Unit) {
        val e = assertFailsWith<StockbookException.InvalidParameter> { block() }
        assertEquals("invalid_parameter", e.code)
        assertEquals(parameter, e.facts["parameter"], e.detail)
    }

    // ---- forecast ---------------------------------------------------------------------------

    @Test
    fun `SES with a fixed alpha, by hand`() {
        // Level starts at 10; fitted 10, then 0.5·20 + 0.5·10 = 15; forecast 0.5·30 + 0.5·15 = 22.5.
        // Errors 10 and 15: σ = √((100 + 225)/2), MAE 12.5; naive scale (10 + 10)/2 = 10 → MASE 1.25.
        val f = forecast(listOf(10.0, 20.0, 30.0), Method.Ses(0.5), 2)
        assertEquals(Method.Ses(0.5), f.method)
        assertEquals(listOf(22.5, 22.5), f.mean)
        assertEquals(listOf(null, 10.0, 15.0), f.fitted)
        assertEquals(Params.Ses(0.5), f.params)
        near(sqrt(162.5), f.accuracy.sigma, "sigma")
        near(12.5, f.accuracy.mae, "mae")
        near(1.25, f.accuracy.mase, "mase")
        assertEquals(2, f.accuracy.n)
    }

    @Test
    fun `the simple methods, by hand`() {
        // Naive: forecast the last value; errors 5−3 = 2 and 4−5 = −1; scale (2 + 1)/2 → MASE 1.
        val naive = forecast(listOf(3.0, 5.0, 4.0), Method.Naive, 3)
        assertEquals(listOf(4.0, 4.0, 4.0), naive.mean)
        assertEquals(listOf(null, 3.0, 5.0), naive.fitted)
        assertEquals(Params.None, naive.params)
        near(sqrt(2.5), naive.accuracy.sigma, "naive sigma")
        near(1.5, naive.accuracy.mae, "naive mae")
        near(1.0, naive.accuracy.mase, "naive mase")

        // Moving average of 2: fitted (2+4)/2 = 3 and (4+6)/2 = 5, errors 3 and 3; forecast (6+8)/2.
        val ma = forecast(listOf(2.0, 4.0, 6.0, 8.0), Method.MovingAverage(2), 1)
        assertEquals(listOf(7.0), ma.mean)
        assertEquals(listOf(null, null, 3.0, 5.0), ma.fitted)
        near(3.0, ma.accuracy.sigma, "ma sigma")
        near(1.5, ma.accuracy.mase, "ma mase")

        // Historic average: 2 everywhere, errors −1, 0, 1.
        val avg = forecast(listOf(1.0, 2.0, 3.0), Method.HistoricAverage, 2)
        assertEquals(listOf(2.0, 2.0), avg.mean)
        near(sqrt(2.0 / 3.0), avg.accuracy.sigma, "avg sigma")
        assertEquals(3, avg.accuracy.n)

        // Seasonal naive: the last season repeated; a constant series has no MASE (scale 0).
        val seasonal = forecast(listOf(1.0, 2.0, 1.0, 2.0), Method.SeasonalNaive(2), 3)
        assertEquals(listOf(1.0, 2.0, 1.0), seasonal.mean)
        assertEquals(0.0, seasonal.accuracy.sigma)
        assertNull(forecast(listOf(4.0, 4.0, 4.0), Method.Naive, 1).accuracy.mase)
    }

    @Test
    fun `Croston on intermittent demand, by hand`() {
        // Sizes 2, 4 and intervals 2, 3 (the first from the start), each SES with α = 0.1:
        // 0.1·4 + 0.9·2 = 2.2 over 0.1·3 + 0.9·2 = 2.1. SBA is 0.95 of that.
        val y = listOf(0.0, 2.0, 0.0, 0.0, 4.0)
        val classic = forecast(y, Method.CrostonClassic, 2)
        near(listOf(2.2 / 2.1, 2.2 / 2.1), classic.mean, "croston")
        assertEquals(Params.Croston(0.1, 0.1, 1.0), classic.params)
        val sba = forecast(y, Method.CrostonSba, 1)
        near(0.95 * 2.2 / 2.1, sba.mean.single(), "sba")
        assertEquals(0.95, (sba.params as Params.Croston).factor)
        val tsb = forecast(y, Method.Tsb(0.1, 0.2), 1)
        assertEquals(Params.Tsb(0.1, 0.2), tsb.params)
        // The fitted methods cross with their parameters typed.
        assertTrue(forecast(y, Method.Adida, 1).params is Params.Aggregation)
        val holt = forecast((0 until 10).map { 10.0 + 2.0 * it }, Method.Holt(damped = false), 2)
        val fit = (holt.params as Params.Ets).value
        assertEquals(Component.ADDITIVE, fit.spec.trend)
        assertEquals(false, fit.spec.damped)
        assertTrue(fit.params.beta != null && fit.params.phi == null, "$fit")
    }

    @Test
    fun `an ETS model with fixed parameters runs the textbook recursion`() {
        // ANN with α = 0.5 and initial level 10 is SES from level 10: fitted 10, 15; forecast 22.5.
        val spec = EtsSpec(error = Component.ADDITIVE, trend = Component.NONE, season = Component.NONE, damped = false, seasonLength = 1)
        val f = forecast(listOf(20.0, 30.0), Method.EtsFixed(spec, EtsParams(alpha = 0.5, level = 10.0, seasonal = emptyList())), 1)
        near(listOf(10.0, 15.0), f.fitted, "fitted")
        near(22.5, f.mean.single(), "mean")
        assertEquals(spec, (f.params as Params.Ets).value.spec)
    }

    @Test
    fun `forecast refuses bad input naming the parameter`() {
        refused("horizon") { forecast(listOf(1.0, 2.0), Method.Naive, 0) }
        outOfRange("horizon") { forecast(listOf(1.0, 2.0), Method.Naive, -1) }
        refused("series") { forecast(listOf(1.0, -2.0), Method.Naive, 1) }
        refused("series") { forecast(listOf(1.0), Method.Naive, 1) }
        refused("series") { forecast(listOf(1.0, Double.NaN), Method.Naive, 1) }
        refused("alpha") { forecast(listOf(1.0, 2.0), Method.Ses(1.5), 1) }
        outOfRange("method.movingAverage.window") { forecast(listOf(1.0, 2.0), Method.MovingAverage(-3), 1) }
    }

    @Test
    fun `classify follows Syntetos–Boylan`() {
        // Sizes 2 and 4: mean 3, variance 1, CV² 1/9; intervals 2 and 3: ADI 2.5 → intermittent.
        assertEquals(DemandClass(pattern = DemandPattern.INTERMITTENT, adi = 2.5, cv2 = 1.0 / 9.0, demandPeriods = 2), classify(listOf(0.0, 2.0, 0.0, 0.0, 4.0)))
        // Every period, sizes 1 and 9: CV² = 16/25 → erratic.
        val erratic = classify(listOf(1.0, 9.0, 1.0, 9.0))
        assertEquals(DemandPattern.ERRATIC, erratic.pattern)
        near(0.64, erratic.cv2, "cv2")
        assertEquals(1.0, erratic.adi)
        assertEquals(DemandPattern.SMOOTH, classify(listOf(10.0, 12.0, 10.0, 12.0)).pattern)
        assertEquals(DemandPattern.LUMPY, classify(listOf(0.0, 1.0, 0.0, 9.0, 0.0, 1.0, 0.0, 9.0)).pattern)
        assertEquals(DemandClass(pattern = DemandPattern.NO_DEMAND, adi = null, cv2 = null, demandPeriods = 0), classify(listOf(0.0, 0.0, 0.0)))
        refused("series") { classify(emptyList()) }
        refused("series") { classify(listOf(Double.POSITIVE_INFINITY)) }
    }

    @Test
    fun `autoForecast scores the candidates on the holdout`() {
        // Season 5, 9, 14, 7 repeated 6 times; the last 4 held out. Seasonal naive forecasts them
        // exactly; naive forecasts 7 for 5, 9, 14, 7: MAE (2 + 2 + 7 + 0)/4 = 2.75. The training
        // part repeats exactly, so the seasonal-naive scale is 0 and no MASE exists.
        val pattern = listOf(5.0, 9.0, 14.0, 7.0)
        val y = (0 until 24).map { pattern[it % 4] }
        val auto = autoForecast(y, 4, 4)
        assertEquals(DemandPattern.SMOOTH, auto.demandClass.pattern)
        assertEquals(4, auto.holdout)
        assertEquals(Method.Naive, auto.candidates[0].method)
        assertEquals(2.75, auto.candidates[0].mae)
        assertEquals(Method.SeasonalNaive(4), auto.candidates[1].method)
        assertEquals(0.0, auto.candidates[1].mae)
        assertTrue(auto.candidates.all { it.mase == null }, "${auto.candidates}")
        assertTrue(Method.HoltWinters(4, Seasonality.MULTIPLICATIVE) in auto.candidates.map { it.method })
        assertEquals(Method.SeasonalNaive(4), auto.forecast.method)
        assertEquals(pattern, auto.forecast.mean)

        refused("season_length") { autoForecast(y, 0, 4) }
        outOfRange("seasonLength") { autoForecast(y, -4, 4) }
        refused("series") { autoForecast(listOf(1.0, 2.0, 3.0), 1, 1) }
        refused("horizon") { autoForecast(y, 1, 0) }
    }

    // ---- policies ---------------------------------------------------------------------------

    private val demand = Demand(mean = 10.0, stdDev = 3.0)

    @Test
    fun `lead-time demand combines both variabilities`() {
        // Fixed L = 4: mean 40, σ 3·√4 = 6. With σ_L = 1: √(4·9 + 100·1) = √136.
        assertEquals(IntervalDemand(40.0, 6.0), leadTimeDemand(demand, LeadTime(4.0)))
        val variable = leadTimeDemand(demand, LeadTime(4.0, stdDev = 1.0))
        near(sqrt(136.0), variable.stdDev, "σ")
        refused("lead_time.mean") { leadTimeDemand(demand, LeadTime(-1.0)) }
        // A lead time of zero is same-day delivery: no demand to cover.
        assertEquals(IntervalDemand(0.0, 0.0), leadTimeDemand(demand, LeadTime(0.0)))
        refused("demand.std_dev") { leadTimeDemand(Demand(10.0, -1.0), LeadTime(4.0)) }
    }

    @Test
    fun `cycle-service safety stock is z times sigma times the root of L`() {
        // z(0.95) · 3 · √4, reorder point 40 + that.
        val ss = safetyStockCycle(0.95, demand, LeadTime(4.0))
        near(z95, ss.k, "k")
        near(z95 * 3.0 * sqrt(4.0), ss.safetyStock, "safety stock")
        near(40.0 + z95 * 6.0, ss.reorderPoint, "reorder point")
        assertEquals(IntervalDemand(40.0, 6.0), ss.leadTimeDemand)
        // The median service level needs no safety stock.
        near(0.0, safetyStockCycle(0.5, demand, LeadTime(4.0)).safetyStock, "at 0.5")
        refused("service_level") { safetyStockCycle(1.0, demand, LeadTime(4.0)) }
        refused("service_level") { safetyStockCycle(0.0, demand, LeadTime(4.0)) }
    }

    @Test
    fun `fill-rate safety stock solves the loss equation`() {
        // σ_L = 5·√4 = 10. With Q = 10 (Q/σ_L = 1) and 1 − P2 = G(0) − G(1), the exact formula
        // G(k) − G(k + 1) = 1 − P2 has its root at k = 0, where G(0) = φ(0), G(1) = φ(1) − (1 − Φ(1)).
        val d = Demand(mean = 20.0, stdDev = 5.0)
        val lt = LeadTime(4.0)
        val shortage = phi0 - (phi1 - (1 - cdf1))
        val exact = safetyStockFillRate(1 - shortage, 10.0, d, lt, FillRateFormula.EXACT)
        assertTrue(kotlin.math.abs(exact.k) < 1e-7, "k = ${exact.k}")
        assertTrue(kotlin.math.abs(exact.safetyStock) < 1e-6, "ss = ${exact.safetyStock}")
        near(80.0, exact.leadTimeDemand.mean, "ltd")
        // The approximate rule G(k) = 1 − P2 asks for less shortage than G(0): a positive k.
        val approx = safetyStockFillRate(1 - shortage, 10.0, d, lt, FillRateFormula.APPROXIMATE)
        assertTrue(approx.k > 0.1, "k = ${approx.k}")
        // With G(k) = Q(1 − P2)/σ_L = φ(0) exactly, the approximate root is k = 0.
        val atZero = safetyStockFillRate(1 - phi0 / 10.0, 100.0, d, lt, FillRateFormula.APPROXIMATE)
        assertTrue(kotlin.math.abs(atZero.k) < 1e-7, "k = ${atZero.k}")
        // A large order meets the target alone: G(k) = 1000·0.01/10 = 1 > G(0), so −1 < k < 0
        // (G(−1) ≈ 1.083), and the negative safety stock is returned as it is.
        val large = safetyStockFillRate(0.99, 1000.0, d, lt, FillRateFormula.APPROXIMATE)
        assertTrue(large.k > -1.0 && large.k < 0.0, "k = ${large.k}")
        near(large.k * 10.0, large.safetyStock, "negative ss")
        refused("fill_rate") { safetyStockFillRate(1.0, 10.0, d, lt, FillRateFormula.EXACT) }
        refused("order_quantity") { safetyStockFillRate(0.9, 0.0, d, lt, FillRateFormula.EXACT) }
    }

    @Test
    fun `reorder point, min-max and periodic review`() {
        assertEquals(45.0, reorderPoint(demand, LeadTime(4.0), 5.0))
        refused("safety_stock") { reorderPoint(demand, LeadTime(4.0), Double.NaN) }

        // min = 40 + z·6, max = min + 100.
        val mm = minMax(0.95, demand, LeadTime(4.0), 100.0)
        near(40.0 + z95 * 6.0, mm.min, "min")
        near(mm.min + 100.0, mm.max, "max")
        near(z95 * 6.0, mm.safetyStock.safetyStock, "min-max ss")
        refused("order_quantity") { minMax(0.95, demand, LeadTime(4.0), -1.0) }

        // R = 7, L = 2: protection mean 10·9 = 90, σ 3·√9 = 9, S = 90 + z·9.
        val pr = periodicReview(0.95, demand, LeadTime(2.0), 7.0)
        assertEquals(IntervalDemand(90.0, 9.0), pr.protectionDemand)
        near(z95, pr.k, "k")
        near(z95 * 9.0, pr.safetyStock, "ss")
        near(90.0 + z95 * 9.0, pr.orderUpTo, "S")
        refused("review_period") { periodicReview(0.95, demand, LeadTime(2.0), 0.0) }
    }

    @Test
    fun `EOQ is the root of 2DK over h`() {
        // K = 100, h = 2, D = 1000: √(2·1000·100/2) = √100000, cost √(2·1000·100·2) = √400000.
        val e = eoq(100.0, 2.0, 1000.0)
        near(sqrt(100_000.0), e.quantity, "eoq")
        near(sqrt(400_000.0), e.cost, "cost")
        assertEquals(Eoq(0.0, 0.0), eoq(100.0, 2.0, 0.0))
        refused("holding_cost") { eoq(100.0, 0.0, 1000.0) }
        refused("fixed_cost") { eoq(-1.0, 2.0, 1000.0) }
        refused("demand_rate") { eoq(100.0, 2.0, -5.0) }

        // EPQ with μ = 2000: ρ = 0.5, √(2·100·1000/(2·0.5)) = √200000, cost q·h·(1 − ρ).
        val p = epq(100.0, 2.0, 1000.0, 2000.0)
        near(sqrt(200_000.0), p.quantity, "epq")
        near(sqrt(200_000.0), p.cost, "epq cost")
        refused("production_rate") { epq(100.0, 2.0, 1000.0, 1000.0) }
    }

    @Test
    fun `order quantities round to the minimum, then to packs`() {
        assertEquals(0.0, roundOrderQuantity(0.0, 50.0, 12.0))
        assertEquals(60.0, roundOrderQuantity(7.0, 50.0, 12.0))
        assertEquals(72.0, roundOrderQuantity(61.0, 50.0, 12.0))
        assertEquals(72.0, roundOrderQuantity(72.0, 50.0, 12.0))
        near(1.1, roundOrderQuantity(1.1, 0.0, 0.1), "decimal pack")
        near(1.2, roundOrderQuantity(1.11, 0.0, 0.1), "decimal pack up")
        refused("pack_size") { roundOrderQuantity(10.0, 0.0, 0.0) }
        refused("quantity") { roundOrderQuantity(-1.0, 0.0, 1.0) }
    }

    // ---- the standard normal distribution and the cost models ----------------------------
    // Reference values: /work/shared/reference/replenishment_vectors.json (stockpyl 1.0.2,
    // Snyder & Shen's examples; G(k) and Φ(k) from SPP Appendix B / scipy).

    @Test
    fun `the standard normal functions meet the tables`() {
        near(phi0, normalPdf(0.0), "φ(0)")
        near(phi1, normalPdf(1.0), "φ(1)")
        near(cdf1, normalCdf(1.0), "Φ(1)")
        near(0.022750131948179195, normalCdf(-2.0), "Φ(-2)")
        near(z95, normalQuantile(0.95), "Φ⁻¹(0.95)")
        near(1.0, normalQuantile(cdf1), "Φ⁻¹(Φ(1))")
        near(0.04552796208651397, standardNormalLoss(1.3), "G(1.3)")
        near(2.0084907026168297, standardNormalLoss(-2.0), "G(-2)")
        refused("p") { normalQuantile(1.0) }
        refused("p") { normalQuantile(Double.NaN) }
    }

    @Test
    fun `newsvendor levels meet Snyder and Shen`() {
        // h = 0.18, p = 0.7, demand N(50, 8) and Poisson(50).
        val n = newsvendorNormal(0.18, 0.7, Demand(50.0, 8.0))
        near(56.60395592743389, n.level, "S*")
        near(1.9976051931766445, n.cost, "cost")
        val p = newsvendorPoisson(0.18, 0.7, 50.0)
        assertEquals(56.0, p.level)
        near(1.7972352118091772, p.cost, "Poisson cost")
        refused("holding_cost") { newsvendorNormal(0.0, 0.7, Demand(50.0, 8.0)) }
        refused("demand.std_dev") { newsvendorNormal(0.18, 0.7, Demand(50.0, -1.0)) }
        refused("demand_mean") { newsvendorPoisson(0.18, 0.7, 0.0) }
    }

    @Test
    fun `(s, S) with Poisson demand meets Snyder and Shen`() {
        // h = 1, p = 4, K = 5, Poisson(6) per period: (4, 10) costs 8.0341 and is optimal.
        val costs = InventoryCosts(holding = 1.0, stockout = 4.0, fixed = 5.0)
        near(8.034111561471642, sSCostPoisson(4, 10, costs, 6.0), "(s,S) cost")
        val best = sSOptimalPoisson(costs, 6.0)
        assertEquals(4L, best.reorderPoint)
        assertEquals(10L, best.orderUpTo)
        near(sSCostPoisson(best.reorderPoint, best.orderUpTo, costs, 6.0), best.cost, "optimum")
        refused("order_up_to") { sSCostPoisson(10, 10, costs, 6.0) }
        refused("demand_mean") { sSOptimalPoisson(costs, -1.0) }
    }

    @Test
    fun `(r, Q) policies meet Snyder and Shen`() {
        // h = 0.225, p = 7.5, K = 8, λ = 1300, σ = 150 per year, L = 1/12 year.
        val costs = InventoryCosts(holding = 0.225, stockout = 7.5, fixed = 8.0)
        val demand = Demand(1300.0, 150.0)
        near(78.07116250928294, rQCost(126.8, 328.5, costs, demand, 1.0 / 12), "(r,Q) cost")
        val eil = rQEil(costs, demand, 1.0 / 12)
        near(213.97044213580244, eil.reorderPoint, "EIL r")
        near(318.5901810768729, eil.orderQuantity, "EIL Q")
        near(95.45114022285196, eil.cost, "EIL cost")
        // h = 20, p = 150, K = 100, λ = 1.5, L = 2: (3, 5) at 107.92.
        val poisson = rQPoisson(InventoryCosts(20.0, 150.0, 100.0), 1.5, 2.0)
        assertEquals(RqPolicy(3.0, 5.0, poisson.cost), poisson)
        near(107.92358063314975, poisson.cost, "Poisson (r,Q) cost")
        refused("order_quantity") { rQCost(10.0, 0.0, costs, demand, 1.0) }
        refused("lead_time") { rQEil(costs, demand, -1.0) }
        refused("demand_rate") { rQPoisson(costs, 0.0, 1.0) }
    }
}
