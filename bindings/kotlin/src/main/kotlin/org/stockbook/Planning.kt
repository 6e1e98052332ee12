// Hand-written helpers: a demand history as the input of the forecasting functions.
@file:JvmName("Planning")

package org.stockbook

/**
 * The demand of each period as numbers, oldest first: the `series` that [forecast],
 * [autoForecast] and [classify] take. Demand is exact decimal text in the history; a
 * forecast is statistics, so it takes `Double`s (exact for the magnitudes of demand).
 */
fun DemandHistory.series(): List<Double> = periods.map { it.demand.toDouble() }
