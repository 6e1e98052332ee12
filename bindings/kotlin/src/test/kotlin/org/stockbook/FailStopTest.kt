package org.stockbook

import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.CyclicBarrier
import kotlin.concurrent.thread
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertIs
import kotlin.test.assertNull
import kotlin.test.assertTrue

/** The writer's fail-stop rule seen from Kotlin: a panic refuses its request alone. */
class FailStopTest {

    @Test
    fun `a panic in one request refuses it with Internal and its neighbours commit`() = newBook().use { sb ->
        sb.defineLocation(bin("WH"))
        sb.defineItem(item("A"))
        sb.defineItem(item("BAD"))
        val before = sb.lastSeq()
        sb.injectPanicForSku("BAD")
        val start = CyclicBarrier(8)
        val outcomes = ConcurrentHashMap<Int, Result<Written>>()
        (0 until 8).map { i ->
            thread {
                start.await()
                outcomes[i] = runCatching { sb.receive(if (i == 3) "BAD" else "A", "WH", q("1")) }
            }
        }.forEach { it.join() }
        val failed = assertIs<StockbookException.Internal>(outcomes.getValue(3).exceptionOrNull())
        assertEquals("internal", failed.code)
        assertTrue(failed.facts.getValue("message").contains("injected panic"), failed.facts.toString())
        for (i in 0 until 8) if (i != 3) assertNull(outcomes.getValue(i).exceptionOrNull(), "request $i")
        assertEquals(q("7"), sb.onHand("A", "WH"))
        assertEquals(q("0"), sb.onHand("BAD", "WH"))
        assertEquals(before + 7, sb.lastSeq())
        assertTrue(sb.verify().sound)
    }
}
