// A smoke test of the Stockbook artifact as an application receives it: the jar from the
// local Maven repository, whose native library JNA loads from the jar itself. The middle
// part is bindings/kotlin/README.md's first snippet as printed (scripts/smoke-kotlin.sh
// checks that it still is), then a file on disk and a reservation.
package example

import org.stockbook.*
import java.math.BigDecimal
import java.nio.file.Files
import kotlin.system.exitProcess

fun check(ok: Boolean, what: String) {
    if (!ok) {
        System.err.println("FAILED: $what")
        exitProcess(1)
    }
}

fun readmeSnippet(): BigDecimal {
    // --- README snippet ---
    val sb = Stockbook.inMemory()                         // or Stockbook.open("/data/stock.redb")
    sb.defineItem(Item(sku = "BOLT-M8", decimals = 2))
    sb.defineLocation(Location(code = "WH1", kind = LocationKind.SITE))
    sb.defineLocation(Location(code = "WH1/A1", kind = LocationKind.BIN, parent = "WH1"))
    sb.receive("BOLT-M8", "WH1/A1", BigDecimal("10.5"), meta = Meta(actor = "ann", key = "rcv-1"))
    try {
        sb.ship(Issue(sku = "BOLT-M8", location = "WH1/A1", qty = BigDecimal("11")))
    } catch (e: StockbookException.InsufficientStock) {
        println("${e.code}: only ${e.facts["available"]} there")   // insufficient_stock: only 10.50 there
    }
    val onHand: BigDecimal = sb.onHand("BOLT-M8", "WH1")            // 10.50, rolled up the tree
    sb.close()                                                      // AutoCloseable: releases this handle
    // --- end of README snippet ---
    return onHand
}

fun main() {
    println("stockbook $STOCKBOOK_VERSION")
    check(STOCKBOOK_VERSION.matches(Regex("""\d+\.\d+\.\d+\S*""")), "a version: $STOCKBOOK_VERSION")
    check(readmeSnippet() == BigDecimal("10.50"), "the README snippet's on hand")

    val dir = Files.createTempDirectory("stockbook-example")
    try {
        val path = dir.resolve("stock.redb").toString()
        Stockbook.open(path).use { sb ->
            sb.defineItem(Item(sku = "NUT-M8", decimals = 0))
            sb.defineLocation(Location(code = "WH1", kind = LocationKind.SITE))
            sb.receive("NUT-M8", "WH1", BigDecimal(100))
            val held = sb.reserve("NUT-M8", BigDecimal(30), scope = "WH1")
            check(sb.available("NUT-M8", "WH1") == BigDecimal(70), "available after a reservation")
            sb.commitReservation(held.reservationId)
        }
        // Reopened: the file kept every acknowledged command.
        Stockbook.open(path).use { sb ->
            check(sb.onHand("NUT-M8", "WH1") == BigDecimal(70), "on hand after reopening")
            check(sb.verify().sound, "verify() of the reopened file")
        }
    } finally {
        dir.toFile().deleteRecursively()
    }
    println("kotlin example: 1 passed, 0 failed")
}
