package org.stockbook

import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNotNull
import kotlin.test.assertTrue

/** Reservations, allocation and the order lifecycle through the binding. */
class OrdersTest {

    /** Item A; site WH1 with bins A (6 units, received first), B (4 units) and a staging bin. */
    private fun book(clock: ManualClock = ManualClock(START_MS)): Stockbook {
        val sb = newBook(clock)
        sb.defineItem(item("A"))
        sb.defineLocation(bin("WH1", kind = LocationKind.SITE))
        sb.defineLocation(Location(code = "WH1/A", kind = LocationKind.BIN, parent = "WH1", coordinates = Coordinates(1, 1)))
        sb.defineLocation(Location(code = "WH1/B", kind = LocationKind.BIN, parent = "WH1", coordinates = Coordinates(9, 9)))
        sb.defineLocation(bin("WH1/STAGE", parent = "WH1"))
        sb.receive(Receive(sku = "A", location = "WH1/A", qty = q("6")))
        clock.advance(1_000)
        sb.receive(Receive(sku = "A", location = "WH1/B", qty = q("4")))
        return sb
    }

    @Test
    fun `reservations hold stock until committed or released`() {
        val sb = book()
        val soft = sb.reserve(Reserve(sku = "A", qty = q("7"), scope = "WH1", reservationId = "R1"))
        assertEquals("R1", soft.reservationId)
        assertEquals(StockLevel(onHand = q("10"), reserved = q("7"), available = q("3")), sb.stockLevel("A", "WH1"))
        assertEquals(q("7"), sb.reserved("A", "WH1"))
        assertEquals(q("3"), sb.available("A", "WH1"))
        val short = assertFailsWith<StockbookException.InsufficientStock> { sb.reserve(Reserve(sku = "A", qty = q("4"), scope = "WH1")) }
        assertEquals("WH1", short.facts["location"])
        assertEquals("3", short.facts["available"])

        val hard = sb.reserve(Reserve(sku = "A", qty = q("3"), scope = "WH1/B", hard = true))
        val hardId = assertNotNull(hard.reservationId)
        assertTrue(hardId.startsWith("RS-"), hardId)
        val r1 = sb.reservation("R1")
        assertEquals(
            Reservation(id = "R1", sku = "A", scope = "WH1", hard = false, qty = q("7"), requested = q("7"), committed = q("0"), createdAt = at(START_MS + 1_000), state = ReservationState.PENDING),
            r1,
        )
        assertEquals(listOf("R1", hardId), sb.reservations(ReservationFilter(sku = "A")).map { it.id })
        assertEquals(listOf(hardId), sb.reservations(ReservationFilter(scope = "WH1/B")).map { it.id })
        assertEquals(2, sb.reservations().size)
        val afterReserving = sb.lastSeq()

        // A partial commit ships part and releases the rest.
        val commit = sb.commitReservation(CommitReservation(reservationId = "R1", qty = q("5"), location = "WH1/A"))
        assertTrue(commit.lastSeq > commit.firstSeq)
        val committed = sb.reservation("R1")
        assertEquals(ReservationState.COMMITTED, committed.state)
        assertEquals(q("5"), committed.committed)
        assertEquals(q("0"), committed.qty)
        assertEquals(q("1"), sb.onHand("A", "WH1/A"))
        val closed = assertFailsWith<StockbookException.InvalidTransition> { sb.commitReservation(CommitReservation(reservationId = "R1")) }
        assertEquals("reservation", closed.facts["entity"])
        assertEquals("committed", closed.facts["state"])

        assertFailsWith<StockbookException.InvalidQuantity> { sb.releaseReservation(hardId, q("0.001")) }
        sb.releaseReservation(hardId, q("1"))
        assertEquals(q("2"), sb.reservation(hardId).qty)
        sb.releaseReservation(hardId)
        assertEquals(ReservationState.RELEASED, sb.reservation(hardId).state)
        assertFailsWith<StockbookException.InvalidTransition> { sb.releaseReservation(hardId) }
        assertEquals(listOf("R1"), sb.reservations(ReservationFilter(state = ReservationState.COMMITTED)).map { it.id })
        assertEquals(StockLevel(q("5"), q("0"), q("5")), sb.stockLevel("A", "WH1"))

        assertEquals(q("10"), sb.reservedAt("A", "WH1", AsOf.Seq(afterReserving)))
        assertEquals(q("0"), sb.availableAt("A", "WH1", AsOf.Seq(afterReserving)))
        assertEquals(q("0"), sb.reservedAt("A", "WH1", AsOf.Time(at(START_MS))))
        assertEquals(q("6"), sb.availableAt("A", "WH1", AsOf.Time(at(START_MS))))

        assertFailsWith<StockbookException.NotFound> { sb.reservation("NOPE") }
        assertFailsWith<StockbookException.NotFound> { sb.releaseReservation("NOPE") }
        assertFailsWith<StockbookException.NotFound> { sb.reservations(ReservationFilter(scope = "NOWHERE")) }
        assertFailsWith<StockbookException.NotFound> { sb.stockLevel("A", "NOWHERE") }
        assertFailsWith<StockbookException.AlreadyExists> { sb.reserve(Reserve(sku = "A", qty = q("1"), scope = "WH1", reservationId = "R1")) }
        assertFailsWith<StockbookException.InvalidQuantity> { sb.reserve(Reserve(sku = "A", qty = q("0"), scope = "WH1")) }
        val line = assertFailsWith<StockbookException.InvalidArgument> { sb.reserve(Reserve(sku = "A", qty = q("1"), scope = "WH1", line = -1)) }
        assertEquals("line", line.facts["field"])
    }

    @Test
    fun `reserved stock is not shipped to someone else`() {
        val sb = book()
        sb.reserve(Reserve(sku = "A", qty = q("6"), scope = "WH1/A", hard = true))
        val e = assertFailsWith<StockbookException.InsufficientStock> { sb.ship(Issue(sku = "A", location = "WH1/A", qty = q("1"))) }
        assertEquals("insufficient_stock", e.code)
        sb.ship(Issue(sku = "A", location = "WH1/B", qty = q("4")))
        assertEquals(StockLevel(q("6"), q("6"), q("0")), sb.stockLevel("A", "WH1"))
    }

    @Test
    fun `a reservation with a time to live expires`() {
        val clock = ManualClock(START_MS)
        val sb = book(clock)
        sb.reserve(Reserve(sku = "A", qty = q("8"), scope = "WH1", reservationId = "T1", ttl = java.time.Duration.ofMillis(60_000)))
        assertEquals(at(START_MS + 61_000), sb.reservation("T1").expiresAt)
        clock.advance(60_000)
        assertEquals(ReservationState.EXPIRED, sb.reservation("T1").state.let { sb.reservations().single().state })
        assertEquals(q("10"), sb.available("A", "WH1"))
        val before = sb.lastSeq()
        sb.expireDue()
        assertEquals(before + 1, sb.lastSeq(), "expire_due records the expiry")
        assertEquals(ReservationState.EXPIRED, sb.reservation("T1").state)
        sb.expireDue()
        assertEquals(before + 1, sb.lastSeq(), "nothing more to expire, nothing written")
        assertFailsWith<StockbookException.InvalidArgument> { sb.reserve(Reserve(sku = "A", qty = q("1"), scope = "WH1", ttl = java.time.Duration.ZERO)) }
    }

    @Test
    fun `an order goes from draft to delivered`() {
        val sb = book()
        val due = at(START_MS + 3 * DAY_MS)
        sb.createOrder(
            CreateOrder(
                orderId = "O1", shipFrom = "WH1", lines = listOf(NewOrderLine(sku = "A", qty = q("5"))),
                customer = "ACME", priority = 10, dueAt = due, staging = "WH1/STAGE",
            ),
        )
        val draft = sb.order("O1")
        assertEquals(OrderState.DRAFT, draft.state)
        assertEquals("ACME", draft.customer)
        assertEquals(10, draft.priority)
        assertEquals(due, draft.dueAt)
        assertEquals("WH1/STAGE", draft.staging)
        assertEquals("@customer", draft.shipTo)
        assertEquals(OrderLine(1, "A", q("5"), q("0"), q("0"), q("0"), q("0"), emptyList(), emptyList()), draft.lines.single())

        sb.confirmOrder("O1")
        sb.confirmOrder("O1") // repeating a done step is a no-op
        assertEquals(OrderState.CONFIRMED, sb.order("O1").state)

        sb.allocateOrder("O1", Strategy.Fifo)
        val allocated = sb.order("O1")
        assertEquals(OrderState.ALLOCATED, allocated.state)
        assertEquals(q("5"), allocated.lines[0].allocated)
        val held = sb.reservations(ReservationFilter(order = "O1"))
        assertEquals(allocated.lines[0].reservations, held.map { it.id })
        assertTrue(held.all { it.hard && it.line == 1L && it.scope == "WH1/A" }, held.toString())
        assertEquals(q("5"), sb.reserved("A", "WH1"))

        assertFailsWith<StockbookException.InvalidQuantity> {
            sb.pickOrder(PickOrder(orderId = "O1", line = 1, location = "WH1/A", qty = q("6")))
        }
        sb.pickOrder(PickOrder(orderId = "O1", line = 1, location = "WH1/A", qty = q("5")))
        val picking = sb.order("O1")
        assertEquals(OrderState.PICKING, picking.state)
        assertEquals(q("5"), picking.lines[0].picked)
        assertEquals("WH1/A", picking.lines[0].picks.single().from)
        assertEquals(q("5"), sb.onHand("A", "WH1/STAGE"))

        val wrong = assertFailsWith<StockbookException.InvalidArgument> {
            sb.packOrder("O1", listOf(Package("P1", listOf(PackageContent(1, q("4"))))))
        }
        assertEquals("packages", wrong.facts["field"])
        val packages = listOf(Package("P1", listOf(PackageContent(1, q("3")))), Package("P2", listOf(PackageContent(1, q("2")))))
        sb.packOrder("O1", packages)
        assertEquals(OrderState.PACKED, sb.order("O1").state)
        assertEquals(packages, sb.order("O1").packages)

        sb.shipOrder("O1")
        val shipped = sb.order("O1")
        assertEquals(OrderState.SHIPPED, shipped.state)
        assertEquals(q("5"), shipped.lines[0].shipped)
        assertEquals(q("5"), sb.onHand("A", "WH1"))
        assertEquals(q("0"), sb.reserved("A", "WH1"))
        sb.deliverOrder("O1")
        assertEquals(OrderState.DELIVERED, sb.order("O1").state)
        assertEquals(listOf("O1"), sb.orders(OrderState.DELIVERED).map { it.id })
        assertEquals(listOf("O1"), sb.orders().map { it.id })
        assertTrue(sb.orders(OrderState.DRAFT).isEmpty())
        val changes = sb.events(1, 1_000).filter { it.event is Event.OrderChanged }
        assertEquals(7, changes.size, "created, confirmed, allocated, picked, packed, shipped, delivered")
        assertEquals("delivered", (changes.last().event as Event.OrderChanged).step, changes.last().toString())

        val late = assertFailsWith<StockbookException.InvalidTransition> { sb.cancelOrder("O1") }
        assertEquals("order", late.facts["entity"])
        assertEquals("delivered", late.facts["state"])
        assertFailsWith<StockbookException.AlreadyExists> {
            sb.createOrder(CreateOrder(orderId = "O1", shipFrom = "WH1", lines = listOf(NewOrderLine("A", q("1")))))
        }
        assertFailsWith<StockbookException.InvalidArgument> {
            sb.createOrder(CreateOrder(orderId = "O2", shipFrom = "WH1", lines = listOf(NewOrderLine("A", q("1"))), priority = -1))
        }
        assertFailsWith<StockbookException.InvalidArgument> { sb.createOrder(CreateOrder(orderId = "O3", shipFrom = "WH1", lines = emptyList())) }
        assertFailsWith<StockbookException.NotFound> { sb.order("NOPE") }
        assertFailsWith<StockbookException.NotFound> { sb.confirmOrder("NOPE") }
    }

    @Test
    fun `short stock is backordered, shared, filled and cancelled`() {
        val sb = book()
        for ((id, priority) in listOf("O2" to 1, "O3" to 2)) {
            sb.createOrder(CreateOrder(orderId = id, shipFrom = "WH1", lines = listOf(NewOrderLine("A", q("8"))), priority = priority.toLong(), staging = "WH1/STAGE"))
            sb.confirmOrder(id)
        }
        sb.allocateOrders(AllocateOrders(orderIds = listOf("O2", "O3"), policy = ShortagePolicy.FAIR_SHARE))
        assertEquals(listOf(q("5"), q("5")), listOf("O2", "O3").map { sb.order(it).lines[0].allocated })
        val backorders = sb.backorders()
        assertEquals(listOf(Backorder("O2", 1, "A", q("3"), 1, null), Backorder("O3", 1, "A", q("3"), 2, null)), backorders)
        assertEquals(backorders, sb.backorders("A"))
        assertTrue(sb.backorders("B").isEmpty())

        sb.receive(Receive(sku = "A", location = "WH1/B", qty = q("3")))
        sb.fillBackorders(FillBackorders(sku = "A"))
        assertEquals(q("8"), sb.order("O2").lines[0].allocated, "the first in priority is filled first")
        assertEquals(listOf(Backorder("O3", 1, "A", q("3"), 2, null)), sb.backorders())

        sb.pickOrder(PickOrder(orderId = "O3", line = 1, location = sb.reservation(sb.order("O3").lines[0].reservations[0]).scope, qty = q("1")))
        sb.cancelOrder("O3", returnTo = "WH1/B")
        assertEquals(OrderState.CANCELLED, sb.order("O3").state)
        assertEquals(q("8"), sb.reserved("A", "WH1"), "only O2 holds stock now")
        sb.cancelOrder("O3") // cancelling twice is a no-op
        sb.cancelOrder("O2")
        assertEquals(StockLevel(q("13"), q("0"), q("13")), sb.stockLevel("A", "WH1"))

        sb.createOrder(CreateOrder(orderId = "O4", shipFrom = "WH1", lines = listOf(NewOrderLine("A", q("1")))))
        assertFailsWith<StockbookException.InvalidTransition> { sb.allocateOrder("O4") }
        assertFailsWith<StockbookException.InvalidTransition> { sb.pickOrder(PickOrder(orderId = "O4", line = 1, location = "WH1/A", qty = q("1"))) }
        assertFailsWith<StockbookException.InvalidTransition> { sb.shipOrder("O4") }
        assertFailsWith<StockbookException.InvalidTransition> { sb.deliverOrder("O4") }
        assertFailsWith<StockbookException.InvalidArgument> { sb.allocateOrder("O4", Strategy.Fefo(minRemainingDays = -1)) }
        assertTrue(sb.verify().sound)
    }

    @Test
    fun `allocation plans follow the strategy`() {
        val sb = book()
        fun plan(strategy: Strategy?, qty: java.math.BigDecimal = q("3")) =
            sb.planAllocation("A", qty, "WH1", strategy).lines.map { it.location to it.qty }

        assertEquals(listOf("WH1/A" to q("3")), plan(null), "FIFO by default: the oldest receipt first")
        assertEquals(listOf("WH1/A" to q("3")), plan(Strategy.Fifo))
        assertEquals(listOf("WH1/B" to q("3")), plan(Strategy.Lifo))
        assertEquals(listOf("WH1/B" to q("4")), plan(Strategy.FewestLocations, q("4")))
        assertEquals(listOf("WH1/B" to q("3")), plan(Strategy.Nearest("WH1/B")))
        assertEquals(listOf("WH1/B" to q("4"), "WH1/A" to q("1")), plan(Strategy.Ordered(listOf("WH1/B", "WH1/A")), q("5")))
        assertEquals(listOf("WH1/A" to q("3")), plan(Strategy.Fefo(minRemainingDays = 0)))
        val short = sb.planAllocation("A", q("12"), "WH1", Strategy.Ordered(listOf("WH1/B")))
        assertEquals(AllocationPlan(sku = "A", requested = q("12"), lines = listOf(AllocationLine(location = "WH1/B", qty = q("4"))), short = q("8")), short)
        assertEquals(sb.lastSeq(), sb.lastSeq().also { plan(null) }, "planning reserves nothing")
        assertFailsWith<StockbookException.InvalidQuantity> { sb.planAllocation("A", q("0.001"), "WH1") }
        assertFailsWith<StockbookException.InvalidArgument> { sb.planAllocation("A", q("1"), "WH1", Strategy.Fefo(-2)) }
        assertFailsWith<StockbookException.NotFound> { sb.planAllocation("NOPE", q("1"), "WH1") }
    }

    @Test
    fun `order commands run in atomic batches too`() {
        val sb = book()
        val receipts = sb.executeBatch(
            listOf(
                Command.CreateOrder(CreateOrder(orderId = "B1", shipFrom = "WH1", lines = listOf(NewOrderLine("A", q("2"))), staging = "WH1/STAGE")),
                Command.ConfirmOrder("B1"),
                Command.AllocateOrder("B1", Strategy.Lifo),
                Command.PickOrder(PickOrder(orderId = "B1", line = 1, location = "WH1/B", qty = q("2"))),
                Command.PackOrder("B1", listOf(Package("P", listOf(PackageContent(1, q("2")))))),
                Command.ShipOrder("B1"),
                Command.DeliverOrder("B1"),
                Command.Reserve(Reserve(sku = "A", qty = q("1"), scope = "WH1", reservationId = "BR")),
                Command.CommitReservation(CommitReservation(reservationId = "BR", location = "WH1/A")),
                Command.Reserve(Reserve(sku = "A", qty = q("1"), scope = "WH1", reservationId = "BR2")),
                Command.ReleaseReservation("BR2", null),
                Command.ExpireDue,
                Command.CreateOrder(CreateOrder(orderId = "B2", shipFrom = "WH1", lines = listOf(NewOrderLine("A", q("1"))))),
                Command.ConfirmOrder("B2"),
                Command.AllocateOrders(AllocateOrders(orderIds = listOf("B2"))),
                Command.FillBackorders(FillBackorders()),
                Command.CancelOrder("B2", null),
            ),
        )
        assertEquals(17, receipts.size)
        assertEquals("BR", receipts[7].reservationId)
        assertEquals(OrderState.DELIVERED, sb.order("B1").state)
        assertEquals(OrderState.CANCELLED, sb.order("B2").state)
        assertEquals(StockLevel(q("7"), q("0"), q("7")), sb.stockLevel("A", "WH1"))
    }
}
