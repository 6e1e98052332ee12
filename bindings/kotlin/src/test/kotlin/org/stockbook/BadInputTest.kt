package org.stockbook

import java.time.Duration
import java.time.Instant
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith

/**
 * The generated surface's rules for bad input: integers are range-checked (never wrapped),
 * instants and durations validated, `null` is absent, and a refusal names the field as Kotlin
 * spells it.
 */
class BadInputTest {

    private fun refusedField(field: String, block: () -> Unit) {
        val e = assertFailsWith<StockbookException.InvalidArgument> { block() }
        assertEquals(field, e.facts["field"], e.detail)
        assertEquals(true, e.detail.contains(field), e.detail)
    }

    @Test
    fun `integers out of their range are refused, not wrapped`() = stockedBook().use { sb ->
        refusedField("decimals") { sb.defineItem(Item(sku = "X", decimals = 256)) }
        refusedField("shelfLifeDays") { sb.defineItem("X", shelfLifeDays = -3) }
        refusedField("priority") {
            sb.createOrder("O1", "WH1", listOf(NewOrderLine("A", q("1"))), priority = -1)
        }
        assertEquals(5L, sb.lastSeq(), "nothing was written")
    }

    @Test
    fun `instants and durations are validated`() = stockedBook().use { sb ->
        refusedField("expiry") { sb.receive("A", "WH2", q("1"), lot = "L", expiry = Instant.MAX) }
        refusedField("ttl") { sb.reserve("A", q("1"), "WH2", ttl = Duration.ofMillis(-1)) }
        refusedField("effectiveAt") {
            sb.receive("A", "WH2", q("1"), meta = Meta(effectiveAt = Instant.MIN))
        }
    }

    @Test
    fun `null is absent and takes the engine's default`() = stockedBook().use { sb ->
        val r = sb.receive("A", "WH2", q("2"), lot = null, serials = null, unit = null, meta = null)
        assertEquals(r.firstSeq, r.lastSeq)
        assertEquals(q("2.00"), sb.onHand("A", "WH2"))
        assertEquals(q("2.00"), sb.available("A", "WH2"))
        assertEquals(listOf("A"), sb.balances(sku = null, location = "WH2").map { it.sku })
    }

    @Test
    fun `a refusal names the field in Kotlin's spelling, nested ones by path`() = stockedBook().use { sb ->
        val tooPrecise = q("1.0000000000000000001")
        refusedField("unitCost") { sb.receive("A", "WH2", q("1"), unitCost = tooPrecise) }
        refusedField("lines[1].qty") {
            sb.createOrder("O1", "WH1", listOf(NewOrderLine("A", q("1")), NewOrderLine("A", tooPrecise)))
        }
        refusedField("commands[1].args.qty") {
            sb.executeBatch(listOf(Command.Receive("A", "WH2", q("1")), Command.Ship("A", "WH2", tooPrecise)))
        }
    }

    @Test
    fun `a non-finite number is refused before the engine, naming the parameter`() {
        val e = assertFailsWith<StockbookException.InvalidParameter> { eoq(40.0, Double.NaN, 10.0) }
        assertEquals("holding_cost", e.facts["parameter"])
    }
}
