package org.stockbook

/** 2026-01-01T00:00:00Z, the scenarios' default start. */
const val START_MS = 1_767_225_600_000L

const val DAY_MS = 86_400_000L

/** An in-memory Stockbook on a manual clock standing at [START_MS]. */
fun newBook(clock: ManualClock = ManualClock(START_MS)): Stockbook =
    Stockbook.inMemory(Options(clock = clock))

fun item(sku: String, decimals: Int = 0, tracking: Tracking = Tracking.NONE) =
    Item(sku = sku, tracking = tracking, decimals = decimals)

fun bin(code: String, parent: String? = null, kind: LocationKind = LocationKind.BIN) =
    Location(code = code, kind = kind, parent = parent)

/** A book with item A (2 decimals), site WH1 and bins WH1/A1, WH1/A2 and WH2. */
fun stockedBook(clock: ManualClock = ManualClock(START_MS)): Stockbook {
    val sb = newBook(clock)
    sb.defineItem(item("A", decimals = 2))
    sb.defineLocation(bin("WH1", kind = LocationKind.SITE))
    sb.defineLocation(bin("WH1/A1", parent = "WH1"))
    sb.defineLocation(bin("WH1/A2", parent = "WH1"))
    sb.defineLocation(bin("WH2"))
    return sb
}

/** An exact quantity from its decimal text (`q("10.50")` keeps the scale). */
fun q(text: String): java.math.BigDecimal = java.math.BigDecimal(text)

/** The instant [ms] milliseconds after the epoch. */
fun at(ms: Long): java.time.Instant = java.time.Instant.ofEpochMilli(ms)

/** [START_MS] as an instant. */
val START: java.time.Instant = at(START_MS)

/** This instant [ms] milliseconds later. */
operator fun java.time.Instant.plus(ms: Long): java.time.Instant = plusMillis(ms)

/** This instant [ms] milliseconds earlier. */
operator fun java.time.Instant.minus(ms: Long): java.time.Instant = minusMillis(ms)
