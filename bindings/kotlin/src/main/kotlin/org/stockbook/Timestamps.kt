// Hand-written helpers: timestamps as java.time.Instant.
//
// Timestamps cross the binding as milliseconds since the Unix epoch (UTC), a Long.
@file:JvmName("Timestamps")

package org.stockbook

import java.time.Instant

/** This instant in epoch milliseconds, as the binding takes timestamps. */
fun Instant.toEpochMs(): Long = toEpochMilli()

/** Epoch milliseconds from the binding as an Instant. */
fun instantOfMs(ms: Long): Instant = Instant.ofEpochMilli(ms)

/** [Lot.expiry] as an Instant. */
val Lot.expiryInstant: Instant? get() = expiry?.let(::instantOfMs)

/** [Lot.produced] as an Instant. */
val Lot.producedInstant: Instant? get() = produced?.let(::instantOfMs)

/** [Lot.firstReceived] as an Instant. */
val Lot.firstReceivedInstant: Instant? get() = firstReceived?.let(::instantOfMs)

/** [Envelope.recordedAt] as an Instant. */
val Envelope.recordedAtInstant: Instant get() = instantOfMs(recordedAt)

/** [Envelope.effectiveAt] as an Instant. */
val Envelope.effectiveAtInstant: Instant get() = instantOfMs(effectiveAt)

/** The engine clock's time as an Instant. */
fun Stockbook.nowInstant(): Instant = instantOfMs(now())

/** A point in business time for [Stockbook.onHandAt]. */
fun asOf(instant: Instant): AsOf = AsOf.Time(instant.toEpochMs())

/** A manual clock standing at [instant]. */
fun manualClockAt(instant: Instant): ManualClock = ManualClock(instant.toEpochMs())

/** Sets the manual clock to [instant]. */
fun ManualClock.set(instant: Instant) = set(instant.toEpochMs())

/** The manual clock's time as an Instant. */
fun ManualClock.instant(): Instant = instantOfMs(nowMs())

/** Meta whose command takes effect at [instant] in business time. */
fun Meta.effectiveAt(instant: Instant): Meta = copy(effectiveAt = instant.toEpochMs())
