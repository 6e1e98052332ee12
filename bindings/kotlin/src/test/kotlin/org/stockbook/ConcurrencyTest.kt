package org.stockbook

import java.io.File
import java.nio.file.Files
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertTrue

/** One handle shared by 16 JVM threads: the engine never oversells. */
class ConcurrencyTest {

    private val threads = 16

    /** Runs [body] on [threads] threads started together; answers the first failure, if any. */
    private fun race(body: (thread: Int) -> Unit) {
        val pool = Executors.newFixedThreadPool(threads)
        val start = CountDownLatch(1)
        try {
            val futures = (0 until threads).map { t -> pool.submit { start.await(); body(t) } }
            start.countDown()
            futures.forEach { it.get(120, TimeUnit.SECONDS) }
        } finally {
            pool.shutdownNow()
        }
    }

    private fun oversellRace(sb: Stockbook, stock: Int, attemptsPerThread: Int) {
        sb.defineItem(item("HOT"))
        sb.defineLocation(bin("B1"))
        sb.receive(Receive(sku = "HOT", location = "B1", qty = stock.toBigDecimal()))
        val shipped = AtomicInteger()
        val refused = AtomicInteger()
        race { t ->
            repeat(attemptsPerThread) { n ->
                val take = Issue(sku = "HOT", location = "B1", qty = q("1"))
                try {
                    if ((t + n) % 2 == 0) sb.ship(take) else sb.issue(take)
                    shipped.incrementAndGet()
                } catch (e: StockbookException.InsufficientStock) {
                    assertEquals("HOT", e.facts["sku"])
                    refused.incrementAndGet()
                }
            }
        }
        assertEquals(stock, shipped.get(), "exactly the stock is taken, never more")
        assertEquals(threads * attemptsPerThread - stock, refused.get())
        assertEquals(q("0"), sb.onHand("HOT", "B1"))
        assertEquals(q("0"), sb.itemTotal("HOT"))
        // item, location, receipt, then one event per accepted take: refusals wrote nothing.
        assertEquals(3L + stock, sb.lastSeq())
        val report = sb.verify()
        assertTrue(report.sound, report.problems.toString())
    }

    @Test
    fun `sixteen threads shipping from one bin in memory never oversell`() {
        newBook().use { oversellRace(it, stock = 500, attemptsPerThread = 50) }
    }

    @Test
    fun `sixteen threads shipping from one bin on a file never oversell`() {
        val dir = Files.createTempDirectory("stockbook-kt").toFile().also { it.deleteOnExit() }
        val path = File(dir, "race.redb").path
        Stockbook.open(path).use { oversellRace(it, stock = 200, attemptsPerThread = 20) }
        Stockbook.open(path).use {
            assertEquals(q("0"), it.onHand("HOT", "B1"))
            assertTrue(it.verify().sound)
        }
    }

    @Test
    fun `sixteen threads reserving and shipping never promise more than there is`() {
        val sb = newBook()
        sb.defineItem(item("HOT"))
        sb.defineLocation(bin("WH1", kind = LocationKind.SITE))
        sb.defineLocation(bin("WH1/A", parent = "WH1"))
        val stock = 200
        sb.receive(Receive(sku = "HOT", location = "WH1/A", qty = stock.toBigDecimal()))
        val reservations = java.util.concurrent.ConcurrentLinkedQueue<String>()
        val shipped = AtomicInteger()
        val refused = AtomicInteger()
        race { t ->
            repeat(30) {
                try {
                    if (t % 2 == 0) {
                        val r = sb.reserve(Reserve(sku = "HOT", qty = q("1"), scope = "WH1"))
                        reservations.add(r.reservationId!!)
                    } else {
                        // Only unreserved stock may be shipped to someone else.
                        sb.ship(Issue(sku = "HOT", location = "WH1/A", qty = q("1")))
                        shipped.incrementAndGet()
                    }
                } catch (e: StockbookException.InsufficientStock) {
                    refused.incrementAndGet()
                }
                val level = sb.stockLevel("HOT", "WH1")
                assertTrue(level.available.toInt() >= 0 && level.reserved.toInt() <= level.onHand.toInt(), level.toString())
            }
        }
        assertEquals(stock, reservations.size + shipped.get(), "every unit is promised or shipped exactly once")
        assertEquals(threads * 30 - stock, refused.get())
        assertEquals(StockLevel((stock - shipped.get()).toBigDecimal(), reservations.size.toBigDecimal(), q("0")), sb.stockLevel("HOT", "WH1"))

        // Committing every reservation from 16 threads ships exactly what was promised.
        val ids = reservations.toList()
        race { t -> ids.filterIndexed { i, _ -> i % threads == t }.forEach { sb.commitReservation(CommitReservation(reservationId = it, location = "WH1/A")) } }
        assertEquals(StockLevel(q("0"), q("0"), q("0")), sb.stockLevel("HOT", "WH1"))
        assertTrue(sb.reservations(ReservationFilter(state = ReservationState.PENDING)).isEmpty())
        assertTrue(sb.verify().sound)
        sb.close()
    }

    @Test
    fun `readers see consistent totals while writers move stock`() {
        val sb = newBook()
        sb.defineItem(item("X"))
        listOf("P", "Q").forEach { sb.defineLocation(bin(it)) }
        sb.receive(Receive(sku = "X", location = "P", qty = q("1000")))
        race { t ->
            repeat(40) { n ->
                if (t % 2 == 0) {
                    val (from, to) = if (n % 2 == 0) "P" to "Q" else "Q" to "P"
                    try {
                        sb.transferStock(Transfer(sku = "X", from = from, to = to, qty = q("3")))
                    } catch (_: StockbookException.InsufficientStock) {
                        // Q may be empty when a thread tries to move back: refused, not oversold.
                    }
                } else {
                    // Transfers move stock between bins: the physical total never changes.
                    assertEquals(q("1000"), sb.itemTotal("X"))
                }
            }
        }
        assertEquals(1000, sb.onHand("X", "P").toInt() + sb.onHand("X", "Q").toInt())
        assertTrue(sb.verify().sound)
        sb.close()
    }
}
