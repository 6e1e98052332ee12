package org.stockbook

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
        val expected = START + 10 * DAY_MS
        sb.createPurchaseOrder(
            CreatePurchaseOrder(
                poId = "PO-1", supplier = "ACME", location = "WH1", expectedAt = expected,
                lines = listOf(
                    NewPurchaseOrderLine(sku = "A", qty = q("100"), unitCost = q("2.40"), currency = "EUR"),
                    NewPurchaseOrderLine(sku = "K", qty = q("12.5")),
                ),
            ),
        )
        val placed = sb.purchaseOrder("PO-1")
        assertEquals(PurchaseOrderState.OPEN, placed.state)
        assertEquals(START, placed.orderedAt)
        assertEquals(expected, placed.expectedAt)
        assertEquals(OverReceipt.Refuse, placed.overReceipt)
        assertEquals(q("0"), placed.underTolerancePct)
        assertEquals(
            listOf(PurchaseOrderLine(line = 1, sku = "A", ordered = q("100"), received = q("0"), unitCost = q("2.40"), currency = "EUR"), PurchaseOrderLine(line = 2, sku = "K", ordered = q("12.50"), received = q("0.00"))),
            placed.lines,
        )
        assertEquals(q("100"), sb.onOrder("A", "WH1"))
        assertEquals(q("12.50"), sb.onOrder("K", "WH1"))
        assertEquals(q("0"), sb.onOrder("A", "WH1/A"), "on order counts for the delivery location and above")

        clock.advance(5 * DAY_MS)
        val r = sb.receivePurchaseOrder(ReceivePurchaseOrder(poId = "PO-1", line = 1, qty = q("40"), location = "WH1/A"))
        assertTrue(r.lastSeq > r.firstSeq, "a receive plus the order's update")
        assertEquals(q("40"), sb.onHand("A", "WH1"))
        assertEquals(q("60"), sb.onOrder("A", "WH1"))
        val partial = sb.purchaseOrder("PO-1")
        assertEquals(PurchaseOrderState.PARTIALLY_RECEIVED, partial.state)
        assertEquals(listOf(PurchaseOrderReceipt(1, q("40"), "WH1/A", START + 5 * DAY_MS)), partial.receipts)
        assertFailsWith<StockbookException.InvalidQuantity> {
            sb.receivePurchaseOrder(ReceivePurchaseOrder(poId = "PO-1", line = 1, qty = q("61")))
        }
        val noLine = assertFailsWith<StockbookException.NotFound> {
            sb.receivePurchaseOrder(ReceivePurchaseOrder(poId = "PO-1", line = 3, qty = q("1")))
        }
        assertEquals("purchase_order_line", noLine.facts["kind"])
        assertFailsWith<StockbookException.InvalidArgument> {
            sb.receivePurchaseOrder(ReceivePurchaseOrder(poId = "PO-1", line = -1, qty = q("1")))
        }

        val stats = sb.leadTimeStats("ACME")
        assertEquals(LeadTimeStats(supplier = "ACME", count = 1, meanDays = 5.0, stdDevDays = 0.0, minDays = 5.0, maxDays = 5.0), stats)
        assertEquals(1L, sb.leadTimeStats("ACME", "A").count)
        assertEquals(LeadTimeStats(supplier = "OTHER", count = 0), sb.leadTimeStats("OTHER"))
        assertFailsWith<StockbookException.InvalidCode> { sb.leadTimeStats("") }

        sb.closePurchaseOrder("PO-1")
        val closed = sb.purchaseOrder("PO-1")
        assertEquals(PurchaseOrderState.CLOSED, closed.state)
        assertEquals(START + 5 * DAY_MS, closed.closedAt)
        assertEquals(q("0"), sb.onOrder("A", "WH1"))
        val late = assertFailsWith<StockbookException.InvalidTransition> {
            sb.receivePurchaseOrder(ReceivePurchaseOrder(poId = "PO-1", line = 1, qty = q("1")))
        }
        assertEquals("purchase_order", late.facts["entity"])
        assertEquals("closed", late.facts["state"])

        assertFailsWith<StockbookException.AlreadyExists> {
            sb.createPurchaseOrder(CreatePurchaseOrder("PO-1", "ACME", "WH1", listOf(NewPurchaseOrderLine("A", q("1"))), expected))
        }
        assertFailsWith<StockbookException.NotFound> { sb.purchaseOrder("PO-9") }
        val tolerance = assertFailsWith<StockbookException.InvalidArgument> {
            sb.createPurchaseOrder(CreatePurchaseOrder("PO-9", "ACME", "WH1", listOf(NewPurchaseOrderLine("A", q("1"))), expected, underTolerancePct = q("1.0000000000000000001")))
        }
        assertEquals("underTolerancePct", tolerance.facts["field"])
    }

    @Test
    fun `tolerances, cancellation and listing`() {
        val clock = ManualClock(START_MS)
        val sb = book(clock)
        val expected = START + 7 * DAY_MS
        sb.createPurchaseOrder(
            CreatePurchaseOrder("PO-2", "ACME", "WH1", listOf(NewPurchaseOrderLine("A", q("50"))), expected, overReceipt = OverReceipt.Allow(q("10"))),
        )
        assertEquals(OverReceipt.Allow(q("10")), sb.purchaseOrder("PO-2").overReceipt)
        sb.receivePurchaseOrder(ReceivePurchaseOrder(poId = "PO-2", line = 1, qty = q("55"), location = "WH1/A"))
        assertEquals(listOf(q("55")), sb.purchaseOrder("PO-2").lines.map { it.received })
        val over = assertFailsWith<StockbookException.InvalidArgument> {
            sb.createPurchaseOrder(
                CreatePurchaseOrder("PO-X", "ACME", "WH1", listOf(NewPurchaseOrderLine("A", q("5"))), expected, overReceipt = OverReceipt.Allow(q("1.0000000000000000001"))),
            )
        }
        assertEquals("overReceipt.allow.tolerancePct", over.facts["field"])

        sb.createPurchaseOrder(
            CreatePurchaseOrder("PO-3", "BOLTCO", "WH1/A", listOf(NewPurchaseOrderLine("K", q("3"))), expected, underTolerancePct = q("5")),
        )
        assertEquals(q("3.00"), sb.onOrder("K", "WH1"))
        sb.cancelPurchaseOrder("PO-3")
        assertEquals(PurchaseOrderState.CANCELLED, sb.purchaseOrder("PO-3").state)
        assertEquals(q("0.00"), sb.onOrder("K", "WH1"))
        assertFailsWith<StockbookException.InvalidTransition> { sb.cancelPurchaseOrder("PO-2") }

        assertEquals(listOf("PO-2", "PO-3"), sb.purchaseOrders().map { it.id })
        assertEquals(listOf("PO-3"), sb.purchaseOrders(PurchaseOrderFilter(supplier = "BOLTCO")).map { it.id })
        assertEquals(listOf("PO-2"), sb.purchaseOrders(PurchaseOrderFilter(sku = "A")).map { it.id })
        assertEquals(listOf("PO-3"), sb.purchaseOrders(PurchaseOrderFilter(state = PurchaseOrderState.CANCELLED)).map { it.id })
        assertEquals(listOf("PO-2", "PO-3"), sb.purchaseOrders(PurchaseOrderFilter(location = "WH1")).map { it.id })
        assertFailsWith<StockbookException.NotFound> { sb.purchaseOrders(PurchaseOrderFilter(location = "NOWHERE")) }

        val receipts = sb.executeBatch(
            listOf(
                Command.CreatePurchaseOrder(CreatePurchaseOrder("PO-4", "ACME", "WH1", listOf(NewPurchaseOrderLine("A", q("2"))), expected)),
                Command.ReceivePurchaseOrder(ReceivePurchaseOrder(poId = "PO-4", line = 1, qty = q("2"), location = "WH1/A")),
                Command.CreatePurchaseOrder(CreatePurchaseOrder("PO-5", "ACME", "WH1", listOf(NewPurchaseOrderLine("A", q("2"))), expected)),
                Command.CancelPurchaseOrder("PO-5"),
                Command.ClosePurchaseOrder("PO-4"),
            ),
        )
        assertEquals(5, receipts.size)
        assertEquals(PurchaseOrderState.CLOSED, sb.purchaseOrder("PO-4").state)
        assertEquals(q("57"), sb.onHand("A", "WH1"))
    }

    @Test
    fun `demand history buckets the shipments`() {
        val clock = ManualClock(START_MS)
        val sb = book(clock)
        sb.receive(Receive(sku = "A", location = "WH1/A", qty = q("100")))
        sb.ship(Issue(sku = "A", location = "WH1/A", qty = q("3")))
        clock.advance(DAY_MS)
        sb.issue(Issue(sku = "A", location = "WH1/A", qty = q("4")))
        sb.ship(Issue(sku = "A", location = "WH1/A", qty = q("1")))
        clock.advance(DAY_MS)
        val h = sb.demandHistory("A", "WH1", Bucket.DAY, START, START + 3 * DAY_MS)
        assertEquals("A", h.sku)
        assertEquals(Bucket.DAY, h.bucket)
        assertEquals(false, h.includeBackorders)
        assertEquals(
            listOf(DemandPeriod(START, q("3"), q("0")), DemandPeriod(START + DAY_MS, q("5"), q("0")), DemandPeriod(START + 2 * DAY_MS, q("0"), q("0"))),
            h.periods,
        )
        // The series a forecast takes: 3, 5, 0; naive forecasts the last value.
        assertEquals(listOf(3.0, 5.0, 0.0), h.series())
        assertEquals(listOf(0.0), forecast(h.series(), Method.Naive, 1).mean)
        val weekly = sb.demandHistory("A", "WH1", Bucket.WEEK, START, START + DAY_MS, includeBackorders = true)
        assertEquals(1, weekly.periods.size)
        assertEquals(q("8"), weekly.periods.single().demand)
        assertTrue(weekly.includeBackorders)
        val backwards = assertFailsWith<StockbookException.InvalidParameter> {
            sb.demandHistory("A", "WH1", Bucket.DAY, START, START)
        }
        assertEquals("invalid_parameter", backwards.code)
        assertEquals("to", backwards.facts["parameter"])
        assertFailsWith<StockbookException.NotFound> { sb.demandHistory("NOPE", "WH1", Bucket.MONTH, START, START + DAY_MS) }
        assertFailsWith<StockbookException.InvalidArgument> { sb.demandHistory("A", "@customer", Bucket.DAY, START, START + DAY_MS) }
    }

    @Test
    fun `the replenishment plan is typed both ways`() {
        val clock = ManualClock(START_MS)
        val sb = book(clock)
        sb.receive(Receive(sku = "A", location = "WH1/A", qty = q("100")))
        // Naive on a steady 10 a week with the default lead time of 7 days (one week): no
        // error, so no safety stock; reorder point 10; order up to 10 + 4 weeks' cover = 50.
        // The position (100) falls by 10 a week and reaches the reorder point at the end of
        // the 9th week (period 8), where 50 − 10 = 40 is ordered.
        val plan = sb.replenishmentPlan(
            PlanOptions(
                method = PlanMethod.Fixed(Method.Naive),
                series = listOf(DemandSeries("A", "WH1", listOf(10.0, 10.0, 10.0, 10.0))),
            ),
        )
        assertEquals(START, plan.asOf)
        assertEquals(Bucket.WEEK, plan.bucket)
        assertEquals(emptyList(), plan.problems)
        val row = plan.rows.single()
        assertEquals("A" to "WH1", row.sku to row.site)
        assertEquals(listOf(q("100"), q("0"), q("0"), q("0")), listOf(row.onHand, row.onOrder, row.reserved, row.backordered))
        assertEquals(100.0, row.position)
        assertEquals(4, row.historyPeriods)
        assertEquals(DemandPattern.SMOOTH, row.pattern)
        assertEquals("naive", row.method)
        assertEquals(10.0, row.demandRate)
        assertEquals(0.0, row.sigma)
        assertNull(row.supplier)
        assertEquals(7.0, row.leadTimeDays)
        assertEquals(LeadTimeSource.DEFAULT, row.leadTimeSource)
        assertEquals(0.95, row.serviceLevel)
        assertEquals(0.0, row.safetyStock)
        assertEquals(10.0, row.reorderPoint)
        assertEquals(50.0, row.orderUpTo)
        assertEquals((1..13).map { 100.0 - 10.0 * it }, row.projected)
        val order = row.order!!
        assertEquals(q("40"), order.qty)
        assertEquals(40.0, order.rawQty)
        assertEquals(8, order.period)
        assertEquals(10.0, order.positionAtOrder)
        assertEquals(order.orderDate + 7 * DAY_MS, order.expectedReceipt)

        // Per-item overrides, packs, EOQ and day buckets cross typed as well.
        val daily = sb.replenishmentPlan(
            PlanOptions(
                bucket = Bucket.DAY, leadTimeDays = 2.0, horizonPeriods = 3,
                orderQuantity = OrderQuantity.Eoq(orderingCost = 50.0, holdingCost = 1.0),
                items = listOf(ItemPlanning(sku = "A", packSize = 12.0, leadTimeDays = 1.0)),
                series = listOf(DemandSeries("A", "WH1", listOf(100.0, 100.0))),
                method = PlanMethod.Fixed(Method.Naive),
            ),
        ).rows.single()
        assertEquals(LeadTimeSource.ITEM, daily.leadTimeSource)
        assertEquals(1.0, daily.leadTimeDays)
        // EOQ √(2·100·50/1) = 100 on top of the reorder point 100 (a day of demand).
        assertEquals(200.0, daily.orderUpTo, 1e-9)
        assertEquals(listOf(0.0, -100.0, -200.0), daily.projected)
        // Ordered now: 200 − 100 = 100, rounded up to whole packs of 12 = 108.
        assertEquals(q("108"), daily.order?.qty)

        // A pair the method cannot fit is a problem, carrying the error, and the others are planned.
        val partial = sb.replenishmentPlan(
            PlanOptions(
                method = PlanMethod.Fixed(Method.SeasonalNaive(12)),
                series = listOf(DemandSeries("A", "WH1", listOf(1.0, 2.0, 3.0))),
            ),
        )
        assertEquals(emptyList(), partial.rows)
        val problem = partial.problems.single()
        assertEquals("A" to "WH1", problem.sku to problem.site)
        assertTrue(problem.error is StockbookException.InvalidParameter, "${problem.error}")
        assertEquals("series", problem.error.errorFacts()["parameter"])

        // The defaults (no options): the ledger's history, every item × site with stock or
        // demand (K has neither).
        val defaults = sb.replenishmentPlan()
        assertEquals(START, defaults.asOf)
        assertEquals(listOf("A" to "WH1"), defaults.rows.map { it.sku to it.site })
        assertEquals(q("100"), defaults.rows.single().onHand)

        val bad = assertFailsWith<StockbookException.InvalidParameter> { sb.replenishmentPlan(PlanOptions(serviceLevel = 1.5)) }
        assertEquals("service_level", bad.facts["parameter"])
        val negative = assertFailsWith<StockbookException.InvalidArgument> { sb.replenishmentPlan(PlanOptions(historyPeriods = -1)) }
        assertEquals("historyPeriods", negative.facts["field"])
        assertFailsWith<StockbookException.NotFound> { sb.replenishmentPlan(PlanOptions(skus = listOf("NOPE"))) }
    }
}
