// Per-call overhead of the Kotlin binding: `receive` on a file store and `available` in
// memory, median of several rounds, in microseconds per call. Not part of the test run:
//   bash bindings/kotlin/bench/run.sh            (release build; see run.sh)
package org.stockbook.bench

import java.io.File
import java.math.BigDecimal
import java.nio.file.Files
import org.stockbook.*

private fun median(xs: List<Double>): Double = xs.sorted().let { s ->
    if (s.size % 2 == 1) s[s.size / 2] else (s[s.size / 2 - 1] + s[s.size / 2]) / 2
}

/** Times `calls` calls of [body] per round, [rounds] rounds after one warm-up round. */
private fun perCallUs(rounds: Int, calls: Int, body: () -> Unit): Pair<Double, List<Double>> {
    repeat(calls) { body() }
    val each = (1..rounds).map {
        val t0 = System.nanoTime()
        repeat(calls) { body() }
        (System.nanoTime() - t0) / 1000.0 / calls
    }
    return median(each) to each
}

fun main(args: Array<String>) {
    val rounds = args.getOrNull(0)?.toInt() ?: 7
    val receives = args.getOrNull(1)?.toInt() ?: 300
    val reads = args.getOrNull(2)?.toInt() ?: 50_000
    val dir = Files.createTempDirectory("stockbook-bench").toFile()
    try {
        Stockbook.open(File(dir, "bench.redb").path).use { sb ->
            setUp(sb)
            val (m, all) = perCallUs(rounds, receives) { receiveOne(sb) }
            report("receive (file store)", m, all, receives)
        }
        Stockbook.inMemory().use { sb ->
            setUp(sb)
            receiveOne(sb)
            val (m, all) = perCallUs(rounds, reads) { availableOne(sb) }
            report("available (in memory)", m, all, reads)
        }
    } finally {
        dir.deleteRecursively()
    }
}

private fun report(what: String, median: Double, rounds: List<Double>, calls: Int) {
    val each = rounds.joinToString(" ") { "%.2f".format(it) }
    println("%-24s median %8.2f us/call  (%d rounds x %d calls: %s)".format(what, median, rounds.size, calls, each))
}

// ---- the two calls, in the surface of the build under test --------------------------------
// (The old build spelt them `Receive(…, qty = "1")` and `available(…).isNotEmpty()`: quantities
// were decimal text then.)

private val ONE = BigDecimal.ONE

private fun setUp(sb: Stockbook) {
    sb.defineItem(Item(sku = "A", tracking = Tracking.NONE, decimals = 0))
    sb.defineLocation(Location(code = "B1", kind = LocationKind.BIN))
}

private fun receiveOne(sb: Stockbook) {
    sb.receive(Receive(sku = "A", location = "B1", qty = ONE))
}

private fun availableOne(sb: Stockbook) {
    check(sb.available("A", "B1").signum() >= 0)
}
