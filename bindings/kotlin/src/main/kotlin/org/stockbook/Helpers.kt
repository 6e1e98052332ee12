// Hand-written conveniences over generated records and the native handle, written once.
@file:JvmName("Helpers")

package org.stockbook

import java.time.Instant

/** Whether the rebuilt projections matched the maintained ones: no problems. */
val IntegrityReport.sound: Boolean get() = problems.isEmpty()

/** A manual clock standing at [instant]. */
fun manualClockAt(instant: Instant): ManualClock = ManualClock(instant.toEpochMilli())

/** Sets the manual clock to [instant]. */
fun ManualClock.set(instant: Instant) = set(instant.toEpochMilli())

/** The manual clock's time as an Instant. */
fun ManualClock.instant(): Instant = Instant.ofEpochMilli(nowMs())

/** The demand of each period as numbers, oldest first: the `series` the forecasting functions take. */
fun DemandHistory.series(): List<Double> = periods.map { it.demand.toDouble() }
