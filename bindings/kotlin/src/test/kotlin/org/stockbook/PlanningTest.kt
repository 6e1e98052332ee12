package org.stockbook

import org.json.JSONObject
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNull
import kotlin.test.assertTrue

/** Purchase orders, stock on order, lead times, demand history and the replenishment plan. */
class PlanningTest {

    private fun book(clock: ManualClock): Stockbook {
        val sb = newBook(clock)
        sb.defineItem(item("A"))
        sb.defineItem(item("K", decimals = 2))
        sb.defineLocation(bin("WH1", kind = LocationKind.SITE))
        sb.defineLocation(bin("WH1/A", parent = "WH1"))
        return sb
    }

    @Test
    fun `a purchase order is placed, received and closed`() {
        val clock = ManualClock(START_MS)
        val sb = book(clock)
        val expected = START_MS + 10 * DAY_MS
        sb.createPurchaseOrder(
            CreatePurchaseOrder(
                poId = "PO-1", supplier = "ACME", location = "WH1", expectedAt = expected,
                lines = listOf(
                    NewPurchaseOrderLine(sku = "A", qty = "100", unitCost = "2.40", currency = "EUR"),
                    NewPurchaseOrderLine(sku = "K", qty = "12.5"),
                ),
            ),
        )
        val placed = sb.purchaseOrder("PO-1")
        assertEquals(PurchaseOrderState.OPEN, placed.state)
        assertEquals(START_MS, placed.orderedAt)
        assertEquals(expected, placed.expectedAt)
        assertEquals(OverReceipt.Refuse, placed.overReceipt)
        assertEquals("0", placed.underTolerancePct)
        assertEquals(
            listOf(PurchaseOrderLine(1, "A", "100", "0", "2.40", "EUR"), PurchaseOrderLine(2, "K", "12.50", "0.00", null, null)),
            placed.lines,
        )
        assertEquals("100", sb.onOrder("A", "WH1"))
        assertEquals("12.50", sb.onOrder("K", "WH1"))
        assertEquals("0", sb.onOrder("A", "WH1/A"), "on order counts for the delivery location and above")

        clock.advance(5 * DAY_MS)
        val r = sb.receivePurchaseOrder(ReceivePurchaseOrder(poId = "PO-1", line = 1, qty = "40", location = "WH1/A"))
        assertTrue(r.lastSeq > r.firstSeq, "a receive plus the order's update")
        assertEquals("40", sb.onHand("A", "WH1"))
        assertEquals("60", sb.onOrder("A", "WH1"))
        val partial = sb.purchaseOrder("PO-1")
        assertEquals(PurchaseOrderState.PARTIALLY_RECEIVED, partial.state)
        assertEquals(listOf(PurchaseOrderReceipt(1, "40", "WH1/A", START_MS + 5 * DAY_MS)), partial.receipts)
        assertFailsWith<StockbookException.InvalidQuantity> {
            sb.receivePurchaseOrder(ReceivePurchaseOrder(poId = "PO-1", line = 1, qty = "61"))
        }
        val noLine = assertFailsWith<StockbookException.NotFound> {
            sb.receivePurchaseOrder(ReceivePurchaseOrder(poId = "PO-1", line = 3, qty = "1"))
        }
        assertEquals("purchase_order_line", noLine.facts["kind"])
        assertFailsWith<StockbookException.InvalidArgument> {
            sb.receivePurchaseOrder(ReceivePurchaseOrder(poId = "PO-1", line = -1, qty = "1"))
        }

        val stats = sb.leadTimeStats("ACME")
        assertEquals(LeadTimeStats("ACME", null, 1, 5.0, 0.0, 5.0, 5.0), stats)
        assertEquals(1L, sb.leadTimeStats("ACME", "A").count)
        assertEquals(LeadTimeStats("OTHER", null, 0, null, null, null, null), sb.leadTimeStats("OTHER"))
        assertFailsWith<StockbookException.InvalidCode> { sb.leadTimeStats("") }

        sb.closePurchaseOrder("PO-1")
        val closed = sb.purchaseOrder("PO-1")
        assertEquals(PurchaseOrderState.CLOSED, closed.state)
        assertEquals(START_MS + 5 * DAY_MS, closed.closedAt)
        assertEquals("0", sb.onOrder("A", "WH1"))
        val late = assertFailsWith<StockbookException.InvalidTransition> {
            sb.receivePurchaseOrder(ReceivePurchaseOrder(poId = "PO-1", line = 1, qty = "1"))
        }
        assertEquals("purchase_order", late.facts["entity"])
        assertEquals("closed", late.facts["state"])

        assertFailsWith<StockbookException.AlreadyExists> {
            sb.createPurchaseOrder(CreatePurchaseOrder("PO-1", "ACME", "WH1", listOf(NewPurchaseOrderLine("A", "1")), expected))
        }
        assertFailsWith<StockbookException.NotFound> { sb.purchaseOrder("PO-9") }
        assertFailsWith<StockbookException.InvalidQuantity> {
            sb.createPurchaseOrder(CreatePurchaseOrder("PO-9", "ACME", "WH1", listOf(NewPurchaseOrderLine("A", "1")), expected, underTolerancePct = "x"))
        }
    }

    @Test
    fun `tolerances, cancellation and listing`() {
        val clock = ManualClock(START_MS)
        val sb = book(clock)
        val expected = START_MS + 7 * DAY_MS
        sb.createPurchaseOrder(
            CreatePurchaseOrder("PO-2", "ACME", "WH1", listOf(NewPurchaseOrderLine("A", "50")), expected, overReceipt = OverReceipt.Allow("10")),
        )
        assertEquals(OverReceipt.Allow("10"), sb.purchaseOrder("PO-2").overReceipt)
        sb.receivePurchaseOrder(ReceivePurchaseOrder(poId = "PO-2", line = 1, qty = "55", location = "WH1/A"))
        assertEquals(listOf("55"), sb.purchaseOrder("PO-2").lines.map { it.received })
        assertFailsWith<StockbookException.InvalidQuantity> {
            sb.createPurchaseOrder(
                CreatePurchaseOrder("PO-X", "ACME", "WH1", listOf(NewPurchaseOrderLine("A", "5")), expected, overReceipt = OverReceipt.Allow("ten")),
            )
        }

        sb.createPurchaseOrder(
            CreatePurchaseOrder("PO-3", "BOLTCO", "WH1/A", listOf(NewPurchaseOrderLine("K", "3")), expected, underTolerancePct = "5"),
        )
        assertEquals("3.00", sb.onOrder("K", "WH1"))
        sb.cancelPurchaseOrder("PO-3")
        assertEquals(PurchaseOrderState.CANCELLED, sb.purchaseOrder("PO-3").state)
        assertEquals("0.00", sb.onOrder("K", "WH1"))
        assertFailsWith<StockbookException.InvalidTransition> { sb.cancelPurchaseOrder("PO-2") }

        assertEquals(listOf("PO-2", "PO-3"), sb.purchaseOrders().map { it.id })
        assertEquals(listOf("PO-3"), sb.purchaseOrders(PurchaseOrderFilter(supplier = "BOLTCO")).map { it.id })
        assertEquals(listOf("PO-2"), sb.purchaseOrders(PurchaseOrderFilter(sku = "A")).map { it.id })
        assertEquals(listOf("PO-3"), sb.purchaseOrders(PurchaseOrderFilter(state = PurchaseOrderState.CANCELLED)).map { it.id })
        assertEquals(listOf("PO-2", "PO-3"), sb.purchaseOrders(PurchaseOrderFilter(location = "WH1")).map { it.id })
        assertFailsWith<StockbookException.NotFound> { sb.purchaseOrders(PurchaseOrderFilter(location = "NOWHERE")) }

        val receipts = sb.executeBatch(
            listOf(
                Command.CreatePurchaseOrder(CreatePurchaseOrder("PO-4", "ACME", "WH1", listOf(NewPurchaseOrderLine("A", "2")), expected)),
                Command.ReceivePurchaseOrder(ReceivePurchaseOrder(poId = "PO-4", line = 1, qty = "2", location = "WH1/A")),
                Command.CreatePurchaseOrder(CreatePurchaseOrder("PO-5", "ACME", "WH1", listOf(NewPurchaseOrderLine("A", "2")), expected)),
                Command.CancelPurchaseOrder("PO-5"),
                Command.ClosePurchaseOrder("PO-4"),
            ),
        )
        assertEquals(5, receipts.size)
        assertEquals(PurchaseOrderState.CLOSED, sb.purchaseOrder("PO-4").state)
        assertEquals("57", sb.onHand("A", "WH1"))
    }

    @Test
    fun `demand history buckets the shipments`() {
        val clock = ManualClock(START_MS)
        val sb = book(clock)
        sb.receive(Receive(sku = "A", location = "WH1/A", qty = "100"))
        sb.ship(Issue(sku = "A", location = "WH1/A", qty = "3"))
        clock.advance(DAY_MS)
        sb.issue(Issue(sku = "A", location = "WH1/A", qty = "4"))
        sb.ship(Issue(sku = "A", location = "WH1/A", qty = "1"))
        clock.advance(DAY_MS)
        val h = sb.demandHistory("A", "WH1", Bucket.DAY, START_MS, START_MS + 3 * DAY_MS)
        assertEquals("A", h.sku)
        assertEquals(Bucket.DAY, h.bucket)
        assertEquals(false, h.includeBackorders)
        assertEquals(
            listOf(DemandPeriod(START_MS, "3", "0"), DemandPeriod(START_MS + DAY_MS, "5", "0"), DemandPeriod(START_MS + 2 * DAY_MS, "0", "0")),
            h.periods,
        )
        val weekly = sb.demandHistory("A", "WH1", Bucket.WEEK, START_MS, START_MS + DAY_MS, includeBackorders = true)
        assertEquals(1, weekly.periods.size)
        assertEquals("8", weekly.periods.single().demand)
        assertTrue(weekly.includeBackorders)
        val backwards = assertFailsWith<StockbookException.InvalidParameter> {
            sb.demandHistory("A", "WH1", Bucket.DAY, START_MS, START_MS)
        }
        assertEquals("invalid_parameter", backwards.code)
        assertEquals("to", backwards.facts["parameter"])
        assertFailsWith<StockbookException.NotFound> { sb.demandHistory("NOPE", "WH1", Bucket.MONTH, START_MS, START_MS + DAY_MS) }
        assertFailsWith<StockbookException.InvalidArgument> { sb.demandHistory("A", "@customer", Bucket.DAY, START_MS, START_MS + DAY_MS) }
    }

    @Test
    fun `the replenishment plan crosses as JSON`() {
        val clock = ManualClock(START_MS)
        val sb = book(clock)
        sb.receive(Receive(sku = "A", location = "WH1/A", qty = "100"))
        val options = JSONObject()
            .put("bucket", "day")
            .put("skus", listOf("A"))
            .put("series", listOf(mapOf("sku" to "A", "site" to "WH1", "demand" to listOf(10, 12, 9, 11, 10, 13, 8, 10))))
            .put("lead_time_days", 2)
        val plan = JSONObject(sb.replenishmentPlan(options.toString()))
        assertEquals("day", plan.getString("bucket"))
        val row = plan.getJSONArray("rows").getJSONObject(0)
        assertEquals("A", row.getString("sku"))
        assertEquals("WH1", row.getString("site"))
        assertEquals("100", row.getString("on_hand"))
        assertTrue(row.getDouble("demand_rate") > 8 && row.getDouble("demand_rate") < 13, row.toString())
        assertTrue(row.getDouble("reorder_point") > 0, row.toString())
        assertEquals(0, plan.getJSONArray("problems").length())

        val defaults = JSONObject(sb.replenishmentPlan())
        assertTrue(defaults.has("rows") && defaults.has("as_of"), defaults.toString())
        assertEquals(START_MS, defaults.getLong("as_of"))

        val bad = assertFailsWith<StockbookException.InvalidArgument> { sb.replenishmentPlan("{not json") }
        assertEquals("options_json", bad.facts["field"])
        assertFailsWith<StockbookException.InvalidParameter> { sb.replenishmentPlan("""{"service_level": 1.5}""") }
        assertNull(row.opt("nonexistent"))
    }
}
