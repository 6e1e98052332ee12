// Hand-written helpers: quantities as java.math.BigDecimal.
//
// Quantities cross the binding as exact decimal text ("10.50"): never a Double. These
// helpers convert both ways without rounding; the engine refuses more digits than an item
// allows (StockbookException.InvalidQuantity), it never rounds.
@file:JvmName("Quantities")

package org.stockbook

import java.math.BigDecimal

/** This quantity as the decimal text the binding takes (`BigDecimal("2.50")` → `"2.50"`). */
fun BigDecimal.toQty(): String = toPlainString()

/** A whole quantity as the decimal text the binding takes. */
fun Long.toQty(): String = toString()

/** A whole quantity as the decimal text the binding takes. */
fun Int.toQty(): String = toString()

/** Decimal text from the binding as an exact BigDecimal; the scale is kept (`"10.50"` → scale 2). */
fun qtyOf(text: String): BigDecimal = BigDecimal(text)

/** [Balance.onHand] as a BigDecimal. */
val Balance.onHandDecimal: BigDecimal get() = qtyOf(onHand)

/** [Receipt.difference] (set by counts) as a BigDecimal. */
val Receipt.differenceDecimal: BigDecimal? get() = difference?.let(::qtyOf)

/** [TransferRecord.dispatched] as a BigDecimal. */
val TransferRecord.dispatchedDecimal: BigDecimal get() = qtyOf(dispatched)

/** [TransferRecord.received] as a BigDecimal. */
val TransferRecord.receivedDecimal: BigDecimal get() = qtyOf(received)

/** What is still in transit on this transfer. */
val TransferRecord.inTransitDecimal: BigDecimal get() = dispatchedDecimal - receivedDecimal

/** [Stockbook.onHand] as a BigDecimal. */
fun Stockbook.onHandDecimal(sku: String, location: String): BigDecimal = qtyOf(onHand(sku, location))

/** [Stockbook.onHandLot] as a BigDecimal. */
fun Stockbook.onHandLotDecimal(sku: String, location: String, lot: String?): BigDecimal =
    qtyOf(onHandLot(sku, location, lot))

/** [Stockbook.itemTotal] as a BigDecimal. */
fun Stockbook.itemTotalDecimal(sku: String): BigDecimal = qtyOf(itemTotal(sku))

/** [Stockbook.onHandAt] as a BigDecimal. */
fun Stockbook.onHandAtDecimal(sku: String, location: String, asOf: AsOf): BigDecimal =
    qtyOf(onHandAt(sku, location, asOf))
