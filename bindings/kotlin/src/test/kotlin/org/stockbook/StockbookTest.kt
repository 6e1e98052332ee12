package org.stockbook

import java.io.File
import java.math.BigDecimal
import java.nio.file.Files
import java.time.Instant
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue

/** Every method of the binding, with its errors as typed exceptions. */
class StockbookTest {

    private fun tempDir(): File = Files.createTempDirectory("stockbook-kt").toFile().also { it.deleteOnExit() }

    // ---- open and close ----------------------------------------------------------------------

    @Test
    fun `open creates a file that keeps its data across a reopen`() {
        val path = File(tempDir(), "book.redb").path
        val sb = Stockbook.open(path)
        assertEquals(path, sb.path())
        sb.defineItem(item("A"))
        sb.defineLocation(bin("B1"))
        sb.receive(Receive(sku = "A", location = "B1", qty = q("7")))
        assertEquals(3L, sb.lastSeq())
        sb.closeEngine()
        sb.close()

        Stockbook.open(path).use { again ->
            assertEquals(3L, again.lastSeq())
            assertEquals(q("7"), again.onHand("A", "B1"))
            assertTrue(again.verify().sound)
        }
    }

    @Test
    fun `a closed engine answers Closed to every call`() {
        val sb = stockedBook()
        sb.closeEngine()
        val e = assertFailsWith<StockbookException.Closed> { sb.lastSeq() }
        assertEquals("closed", e.code)
        assertFailsWith<StockbookException.Closed> { sb.receive(Receive(sku = "A", location = "WH2", qty = q("1"))) }
        assertFailsWith<StockbookException.Closed> { sb.item("A") }
        assertFailsWith<StockbookException.Closed> { sb.sync() }
        assertFailsWith<StockbookException.Closed> { sb.now() }
        sb.closeEngine() // closing twice is harmless
    }

    @Test
    fun `releasing the last handle releases the file`() {
        val path = File(tempDir(), "book.redb").path
        Stockbook.open(path).use { it.defineItem(item("A")) }
        Stockbook.open(path).use { assertEquals(1L, it.lastSeq()) }
    }

    @Test
    fun `a second open of an open file is Locked`() {
        val path = File(tempDir(), "book.redb").path
        Stockbook.open(path).use {
            val e = assertFailsWith<StockbookException.Locked> { Stockbook.open(path) }
            assertEquals("locked", e.code)
            assertEquals(path, e.facts["path"])
        }
    }

    @Test
    fun `a foreign file is NotAStockbookFile and a missing directory is Io`() {
        val dir = tempDir()
        val foreign = File(dir, "notes.txt").apply { writeText("hello, this is not a database at all ".repeat(200)) }
        val e = assertFailsWith<StockbookException.NotAStockbookFile> { Stockbook.open(foreign.path) }
        assertEquals("not_a_stockbook_file", e.code)
        val io = assertFailsWith<StockbookException.Io> { Stockbook.open(File(dir, "no/such/dir/book.redb").path) }
        assertEquals("io", io.code)
        assertEquals("not_found", io.facts["kind"])
    }

    @Test
    fun `bulk load commits become durable with sync`() {
        val path = File(tempDir(), "bulk.redb").path
        val sb = Stockbook.open(path, Options(durability = Durability.BULK_LOAD))
        sb.defineItem(item("A"))
        sb.defineLocation(bin("B1"))
        repeat(50) { sb.receive(Receive(sku = "A", location = "B1", qty = q("2"))) }
        sb.sync()
        sb.closeEngine()
        Stockbook.open(path).use { assertEquals(q("100"), it.onHand("A", "B1")) }
    }

    @Test
    fun `options refuse negative sizes`() {
        val e = assertFailsWith<StockbookException.InvalidArgument> {
            Stockbook.inMemory(Options(groupCommandsMax = -1))
        }
        assertEquals("groupCommandsMax", e.facts["field"])
        assertFailsWith<StockbookException.InvalidArgument> { Stockbook.inMemory(Options(cacheSizeBytes = -5)) }
        val blocks = assertFailsWith<StockbookException.InvalidArgument> {
            Stockbook.inMemory(Options(indexBlockEvents = -1))
        }
        assertEquals("indexBlockEvents", blocks.facts["field"])
        Stockbook.inMemory(Options(groupCommandsMax = 8, queueDepthMax = 16, snapshotEveryEvents = 10, cacheSizeBytes = 1 shl 20, indexBlockEvents = 64))
            .use { assertEquals(0L, it.lastSeq()) }
    }

    @Test
    fun `the manual clock drives the engine time`() {
        val clock = ManualClock(START_MS)
        val sb = newBook(clock)
        assertEquals(START, sb.now())
        clock.advance(1_500)
        assertEquals(START + 1_500, sb.now())
        assertEquals(START_MS + 1_500, clock.nowMs())
        clock.set(Instant.parse("2027-03-04T05:06:07Z"))
        assertEquals(Instant.parse("2027-03-04T05:06:07Z"), sb.now())
        assertEquals(Instant.parse("2027-03-04T05:06:07Z"), clock.instant())
        assertNull(sb.path())
    }

    // ---- items -------------------------------------------------------------------------------

    @Test
    fun `items are defined, read, updated and archived`() {
        val sb = newBook()
        val full = Item(
            sku = "MILK", tracking = Tracking.LOT, name = "Milk 1l", unit = "l", decimals = 3,
            shelfLifeDays = 10, conversions = listOf(UnitConversion(unit = "crate", factor = q("12"))),
            allowNegative = false, category = "dairy", attributes = mapOf("brand" to "Alp"),
        )
        val r = sb.defineItem(full)
        assertEquals(1L, r.firstSeq)
        assertEquals(1L, r.lastSeq)
        assertEquals(full, sb.item("MILK"))
        sb.defineItem(item("BOLT"))
        assertEquals(listOf("BOLT", "MILK"), sb.items().map { it.sku })
        assertEquals("ea", sb.item("BOLT").unit)

        sb.updateItem(full.copy(name = "Milk 1 litre"))
        assertEquals("Milk 1 litre", sb.item("MILK").name)

        sb.archiveItem("BOLT")
        assertTrue(sb.item("BOLT").archived)
        val archived = assertFailsWith<StockbookException.Archived> { sb.updateItem(item("BOLT")) }
        assertEquals("BOLT", archived.facts["key"])
    }

    @Test
    fun `item errors are typed`() {
        val sb = newBook()
        sb.defineItem(item("A"))
        val dup = assertFailsWith<StockbookException.AlreadyExists> { sb.defineItem(item("A")) }
        assertEquals("already_exists", dup.code)
        assertEquals("item", dup.facts["kind"])
        assertEquals("A", dup.facts["key"])
        val missing = assertFailsWith<StockbookException.NotFound> { sb.item("NOPE") }
        assertEquals(mapOf("kind" to "item", "key" to "NOPE"), missing.facts)
        assertFailsWith<StockbookException.NotFound> { sb.updateItem(item("NOPE")) }
        assertFailsWith<StockbookException.NotFound> { sb.archiveItem("NOPE") }
        val code = assertFailsWith<StockbookException.InvalidCode> { sb.defineItem(item(" padded ")) }
        assertEquals("sku", code.facts["kind"])
        assertFailsWith<StockbookException.InvalidCode> { sb.defineItem(item("")) }
        val decimals = assertFailsWith<StockbookException.InvalidArgument> { sb.defineItem(item("B", decimals = 7)) }
        assertEquals("decimals", decimals.facts["field"])
        // Refused by the binding's conversion, with the same error family.
        val negative = assertFailsWith<StockbookException.InvalidArgument> { sb.defineItem(item("B", decimals = -1)) }
        assertEquals("decimals", negative.facts["field"])
        assertFailsWith<StockbookException.InvalidArgument> {
            sb.defineItem(Item(sku = "C", tracking = Tracking.NONE, shelfLifeDays = -3))
        }
        val factor = assertFailsWith<StockbookException.InvalidArgument> {
            sb.defineItem(Item(sku = "D", tracking = Tracking.NONE, conversions = listOf(UnitConversion("box", q("-12")))))
        }
        assertEquals("conversions", factor.facts["field"])
        assertEquals(1L, sb.lastSeq(), "refusals write nothing")
    }

    @Test
    fun `an item holding stock cannot be archived`() {
        val sb = stockedBook()
        sb.receive(Receive(sku = "A", location = "WH2", qty = q("1")))
        val e = assertFailsWith<StockbookException.NotEmpty> { sb.archiveItem("A") }
        assertEquals("not_empty", e.code)
        sb.ship(Issue(sku = "A", location = "WH2", qty = q("1")))
        sb.archiveItem("A")
        assertFailsWith<StockbookException.Archived> { sb.receive(Receive(sku = "A", location = "WH2", qty = q("1"))) }
    }

    // ---- locations ---------------------------------------------------------------------------

    @Test
    fun `locations form a tree that rolls balances up`() {
        val sb = stockedBook()
        val loc = sb.location("WH1/A1")
        assertEquals(LocationKind.BIN, loc.kind)
        assertEquals("WH1", loc.parent)
        assertTrue(loc.pickable && loc.receivable && !loc.archived)
        assertEquals(listOf("WH1/A1", "WH1/A2"), sb.children("WH1").sorted())
        val codes = sb.locations().map { it.code }
        assertTrue(codes.containsAll(listOf("@supplier", "@customer", "@in-transit", "WH1", "WH2")), "$codes")
        assertEquals(LocationKind.SUPPLIER, sb.location("@supplier").kind)

        val rich = Location(
            code = "WH1/A3", kind = LocationKind.BIN, name = "Aisle 3", parent = "WH1",
            capacity = Capacity(units = q("100"), weightKg = q("250.5")), coordinates = Coordinates(x = 3, y = 7, z = 1),
            pickable = false,
        )
        sb.defineLocation(rich)
        assertEquals(rich, sb.location("WH1/A3"))
        sb.updateLocation(rich.copy(name = "Aisle three", pickable = true))
        assertEquals("Aisle three", sb.location("WH1/A3").name)
        sb.archiveLocation("WH1/A3")
        assertTrue(sb.location("WH1/A3").archived)
    }

    @Test
    fun `location errors are typed`() {
        val sb = stockedBook()
        assertFailsWith<StockbookException.AlreadyExists> { sb.defineLocation(bin("WH2")) }
        assertFailsWith<StockbookException.NotFound> { sb.location("NOWHERE") }
        assertFailsWith<StockbookException.NotFound> { sb.children("NOWHERE") }
        assertFailsWith<StockbookException.NotFound> { sb.defineLocation(bin("X", parent = "NOWHERE")) }
        assertFailsWith<StockbookException.InvalidCode> { sb.defineLocation(bin("@mine")) }
        val cycle = assertFailsWith<StockbookException.HierarchyCycle> { sb.updateLocation(bin("WH1", parent = "WH1/A1", kind = LocationKind.SITE)) }
        assertEquals("hierarchy_cycle", cycle.code)
        assertEquals("WH1", cycle.facts["location"])
        assertEquals("WH1/A1", cycle.facts["parent"])
        val capacity = assertFailsWith<StockbookException.InvalidArgument> {
            sb.defineLocation(Location(code = "Y", kind = LocationKind.BIN, capacity = Capacity(units = q("-1"))))
        }
        assertEquals("capacity.units", capacity.facts["field"])
        sb.receive(Receive(sku = "A", location = "WH1/A1", qty = q("1")))
        val notEmpty = assertFailsWith<StockbookException.NotEmpty> { sb.archiveLocation("WH1/A1") }
        assertEquals("location", notEmpty.facts["kind"])
    }

    // ---- lots and serials --------------------------------------------------------------------

    @Test
    fun `lots carry expiry and refuse expired stock unless allowed`() {
        val clock = ManualClock(START_MS)
        val sb = stockedBook(clock)
        sb.defineItem(item("MILK", tracking = Tracking.LOT))
        val expiry = START + 2 * DAY_MS
        sb.defineLot(Lot(sku = "MILK", lot = "L1", expiry = expiry))
        sb.receive(Receive(sku = "MILK", location = "WH2", qty = q("10"), lot = "L1"))
        sb.receive(Receive(sku = "MILK", location = "WH2", qty = q("5"), lot = "L2", expiry = START + 9 * DAY_MS, produced = START - DAY_MS))

        val l1 = sb.lot("MILK", "L1")
        assertEquals(expiry, l1.expiry)
        assertEquals(START, l1.firstReceived)
        assertEquals(START - DAY_MS, sb.lot("MILK", "L2").produced)
        assertEquals(listOf("L1", "L2"), sb.lots("MILK").map { it.lot })
        assertEquals(q("10"), sb.onHandLot("MILK", "WH2", "L1"))
        assertEquals(q("15"), sb.onHandLot("MILK", "WH2", null))
        assertEquals(q("5"), sb.onHandLot("MILK", "WH2", "L2"))

        val noLot = assertFailsWith<StockbookException.Tracking> { sb.ship(Issue(sku = "MILK", location = "WH2", qty = q("1"))) }
        assertEquals("MILK", noLot.facts["sku"])
        assertFailsWith<StockbookException.Tracking> { sb.defineLot(Lot(sku = "A", lot = "L1")) }
        assertFailsWith<StockbookException.NotFound> { sb.lot("MILK", "L9") }
        assertFailsWith<StockbookException.NotFound> { sb.lots("NOPE") }

        clock.advance(3 * DAY_MS)
        val expired = assertFailsWith<StockbookException.LotExpired> { sb.ship(Issue(sku = "MILK", location = "WH2", qty = q("1"), lot = "L1")) }
        assertEquals("lot_expired", expired.code)
        assertEquals("L1", expired.facts["lot"])
        assertEquals(expiry.toEpochMilli().toString(), expired.facts["expiry_ms"])
        sb.scrap(Scrap(sku = "MILK", location = "WH2", qty = q("10"), lot = "L1", reasonCode = "expired"))
        sb.ship(Issue(sku = "MILK", location = "WH2", qty = q("1"), lot = "L2"))
        assertEquals(q("4"), sb.onHand("MILK", "WH2"))
    }

    @Test
    fun `serials are tracked unit by unit`() {
        val sb = stockedBook()
        sb.defineItem(item("PHONE", tracking = Tracking.SERIAL))
        sb.receive(Receive(sku = "PHONE", location = "WH1/A1", qty = q("3"), serials = listOf("S1", "S2", "S3")))
        assertEquals(listOf("S1", "S2", "S3"), sb.serialsAt("PHONE", "WH1/A1"))
        sb.ship(Issue(sku = "PHONE", location = "WH1/A1", qty = q("1"), serials = listOf("S2")))
        assertEquals(Serial(sku = "PHONE", serial = "S2", location = "@customer"), sb.serial("PHONE", "S2"))
        assertEquals("WH1/A1", sb.serial("PHONE", "S1").location)
        assertEquals(listOf("S1", "S3"), sb.serialsAt("PHONE", "WH1/A1"))
        val mismatch = assertFailsWith<StockbookException.Tracking> {
            sb.ship(Issue(sku = "PHONE", location = "WH1/A1", qty = q("2"), serials = listOf("S1")))
        }
        assertEquals("tracking", mismatch.code)
        assertFailsWith<StockbookException.Tracking> {
            sb.ship(Issue(sku = "PHONE", location = "WH1/A1", qty = q("1"), serials = listOf("S2")))
        }
        assertFailsWith<StockbookException.NotFound> { sb.serial("PHONE", "S9") }
    }

    // ---- movements and balances --------------------------------------------------------------

    @Test
    fun `movements change balances exactly`() {
        val sb = stockedBook()
        sb.updateItem(Item(sku = "A", tracking = Tracking.NONE, decimals = 2, conversions = listOf(UnitConversion("box", q("12")))))
        val r = sb.receive(Receive(sku = "A", location = "WH1/A1", qty = q("10.5"), unitCost = q("1.25"), currency = "EUR"))
        assertEquals(r.firstSeq, r.lastSeq)
        sb.receive(Receive(sku = "A", location = "WH1/A2", qty = q("2"), unit = "box"))
        assertEquals(q("34.50"), sb.onHand("A", "WH1"))
        sb.issue(Issue(sku = "A", location = "WH1/A1", qty = q("0.5")))
        sb.ship(Issue(sku = "A", location = "WH1/A2", qty = q("4")))
        sb.adjust(Adjust(sku = "A", location = "WH1/A1", qty = q("-1"), reasonCode = "damaged"))
        sb.adjust(Adjust(sku = "A", location = "WH1/A1", qty = q("0.25"), reasonCode = "found"))
        sb.scrap(Scrap(sku = "A", location = "WH1/A1", qty = q("0.75")))
        sb.transferStock(Transfer(sku = "A", from = "WH1/A2", to = "WH2", qty = q("20")))
        assertEquals(q("8.50"), sb.onHand("A", "WH1/A1"))
        assertEquals(q("0.00"), sb.onHand("A", "WH1/A2"))
        assertEquals(q("20.00"), sb.onHand("A", "WH2"))
        assertEquals(q("8.50"), sb.onHand("A", "WH1"))
        assertEquals(q("28.50"), sb.itemTotal("A"))
        assertEquals(q("28.50"), sb.itemTotal("A"))
        assertEquals(q("8.50"), sb.onHand("A", "WH1"))

        assertEquals(
            listOf(Balance(sku = "A", location = "WH1/A1", onHand = q("8.50")), Balance(sku = "A", location = "WH2", onHand = q("20.00"))),
            sb.balances(),
            "emptied balances are not listed",
        )
        assertEquals(listOf("WH1/A1"), sb.balances(BalanceFilter(location = "WH1")).map { it.location })
        val withVirtual = sb.balances(BalanceFilter(sku = "A", includeVirtual = true))
        val supplier = withVirtual.single { it.location == "@supplier" }
        assertEquals(q("-34.50"), supplier.onHand)
        assertEquals(BigDecimal.ZERO.setScale(2), withVirtual.map { it.onHand }.reduce(BigDecimal::add), "the ledger sums to zero")
        assertTrue(sb.balances(BalanceFilter(sku = "B")).isEmpty())
        assertFailsWith<StockbookException.NotFound> { sb.balances(BalanceFilter(location = "NOWHERE")) }
        assertFailsWith<StockbookException.NotFound> { sb.onHand("A", "NOWHERE") }
        assertFailsWith<StockbookException.NotFound> { sb.itemTotal("NOPE") }
    }

    @Test
    fun `a shortfall is InsufficientStock with its facts`() {
        val sb = stockedBook()
        sb.receive(Receive(sku = "A", location = "WH1/A1", qty = q("8.25")))
        val before = sb.lastSeq()
        try {
            sb.ship(Issue(sku = "A", location = "WH1/A1", qty = q("9")))
            error("the ship should have been refused")
        } catch (e: StockbookException.InsufficientStock) {
            assertEquals("insufficient_stock", e.code)
            assertEquals("A", e.facts["sku"])
            assertEquals("WH1/A1", e.facts["location"])
            assertEquals("9.00", e.facts["requested"])
            assertEquals("8.25", e.facts["available"])
            assertFalse("lot" in e.facts)
            assertTrue(e.detail.contains("insufficient stock"), e.detail)
            assertTrue(e.message!!.contains(e.detail))
        }
        assertEquals(before, sb.lastSeq())
        // Caught through the base class too.
        val base: StockbookException = assertFailsWith<StockbookException> { sb.issue(Issue(sku = "A", location = "WH1/A1", qty = q("100"))) }
        assertTrue(base is StockbookException.InsufficientStock)
        assertFailsWith<StockbookException.InsufficientStock> { sb.transferStock(Transfer(sku = "A", from = "WH1/A1", to = "WH2", qty = q("9"))) }
        assertFailsWith<StockbookException.InsufficientStock> { sb.scrap(Scrap(sku = "A", location = "WH1/A1", qty = q("9"))) }
        assertFailsWith<StockbookException.InsufficientStock> { sb.adjust(Adjust(sku = "A", location = "WH1/A1", qty = q("-9"), reasonCode = "lost")) }
    }

    @Test
    fun `quantities are exact or refused`() {
        val sb = stockedBook()
        val tooPrecise = assertFailsWith<StockbookException.InvalidQuantity> { sb.receive(Receive(sku = "A", location = "WH2", qty = q("1.125"))) }
        assertEquals("invalid_quantity", tooPrecise.code)
        assertEquals("1.125", tooPrecise.facts["value"])
        val digits = assertFailsWith<StockbookException.InvalidArgument> { sb.receive(Receive(sku = "A", location = "WH2", qty = q("1.0000000000000000001"))) }
        assertEquals("qty", digits.facts["field"])
        assertFailsWith<StockbookException.InvalidQuantity> { sb.receive(Receive(sku = "A", location = "WH2", qty = q("0"))) }
        assertFailsWith<StockbookException.InvalidQuantity> { sb.receive(Receive(sku = "A", location = "WH2", qty = q("-1"))) }
        assertFailsWith<StockbookException.InvalidQuantity> { sb.adjust(Adjust(sku = "A", location = "WH2", qty = q("0"), reasonCode = "x")) }
        assertFailsWith<StockbookException.NotFound> { sb.receive(Receive(sku = "A", location = "WH2", qty = q("1"), unit = "pallet")) }
        assertFailsWith<StockbookException.InvalidArgument> { sb.receive(Receive(sku = "A", location = "WH2", qty = q("1"), currency = "EUR")) }
        assertFailsWith<StockbookException.InvalidArgument> { sb.transferStock(Transfer(sku = "A", from = "WH2", to = "WH2", qty = q("1"))) }
        sb.receive(Receive(sku = "A", location = "WH2", qty = q("2.50")))
        sb.receive(Receive(sku = "A", location = "WH2", qty = 3.toBigDecimal()))
        sb.receive(Receive(sku = "A", location = "WH2", qty = 4L.toBigDecimal()))
        assertEquals(q("9.50"), sb.onHand("A", "WH2"))
        assertEquals(3L, sb.lastSeq() - 5, "only the three accepted receipts wrote")
    }

    // ---- two-step transfers and counts -------------------------------------------------------

    @Test
    fun `a two-step transfer goes through transit`() {
        val sb = stockedBook()
        sb.receive(Receive(sku = "A", location = "WH1/A1", qty = q("10")))
        val d = sb.dispatchTransfer(Dispatch(sku = "A", from = "WH1/A1", to = "WH2", qty = q("6")))
        val id = assertNotNull(d.transferId)
        assertEquals(d.firstSeq + 1, d.lastSeq, "a dispatch writes two events")
        assertEquals(q("6.00"), sb.onHand("A", "@in-transit"))
        val t = sb.transfer(id)
        assertEquals(TransferRecord(id = id, sku = "A", from = "WH1/A1", to = "WH2", dispatched = q("6.00"), received = q("0.00"), serialsInTransit = emptyList()), t)
        assertEquals(q("6.00"), t.dispatched - t.received)

        sb.receiveTransfer(ReceiveTransfer(transferId = id, qty = q("4")))
        assertEquals(q("4.00"), sb.transfer(id).received)
        assertEquals(q("6.00"), sb.transfer(id).dispatched)
        val over = assertFailsWith<StockbookException.InvalidQuantity> { sb.receiveTransfer(ReceiveTransfer(transferId = id, qty = q("3"))) }
        assertEquals("3.00", over.facts["value"])
        sb.receiveTransfer(ReceiveTransfer(transferId = id, qty = q("2")))
        assertEquals(q("6.00"), sb.onHand("A", "WH2"))
        val done = assertFailsWith<StockbookException.InvalidTransition> { sb.receiveTransfer(ReceiveTransfer(transferId = id, qty = q("1"))) }
        assertEquals("invalid_transition", done.code)
        assertEquals("transfer", done.facts["entity"])
        assertEquals(id, done.facts["id"])

        val named = sb.dispatchTransfer(Dispatch(sku = "A", from = "WH1/A1", to = "WH2", qty = q("1"), transferId = "T-42"))
        assertEquals("T-42", named.transferId)
        assertFailsWith<StockbookException.AlreadyExists> { sb.dispatchTransfer(Dispatch(sku = "A", from = "WH1/A1", to = "WH2", qty = q("1"), transferId = "T-42")) }
        assertFailsWith<StockbookException.NotFound> { sb.transfer("T-0") }
        assertFailsWith<StockbookException.NotFound> { sb.receiveTransfer(ReceiveTransfer(transferId = "T-0", qty = q("1"))) }
    }

    @Test
    fun `a count posts its difference`() {
        val sb = stockedBook()
        sb.receive(Receive(sku = "A", location = "WH2", qty = q("10")))
        val down = sb.count(Count(sku = "A", location = "WH2", counted = q("8.5")))
        assertEquals(q("-1.50"), down.difference)
        assertEquals(q("-1.50"), down.difference)
        assertEquals(q("8.50"), sb.onHand("A", "WH2"))
        val same = sb.count(Count(sku = "A", location = "WH2", counted = q("8.50")))
        assertEquals(q("0.00"), same.difference)
        assertEquals(same.firstSeq, same.lastSeq, "no difference, no movement")
        assertFailsWith<StockbookException.InvalidQuantity> { sb.count(Count(sku = "A", location = "WH2", counted = q("-1"))) }
    }

    // ---- execute, batches, idempotency, meta -------------------------------------------------

    @Test
    fun `execute and atomic batches`() {
        val sb = stockedBook()
        val one = sb.execute(Command.Receive(Receive(sku = "A", location = "WH2", qty = q("5"))))
        assertEquals(sb.lastSeq(), one.lastSeq)
        val receipts = sb.executeBatch(
            listOf(
                Command.DefineItem(item("B")),
                Command.Receive(Receive(sku = "B", location = "WH2", qty = q("3"))),
                Command.Ship(Issue(sku = "B", location = "WH2", qty = q("1"))),
                Command.Transfer(Transfer(sku = "A", from = "WH2", to = "WH1/A1", qty = q("1"))),
            ),
        )
        assertEquals(4, receipts.size)
        assertEquals(receipts[0].firstSeq + 3, receipts[3].lastSeq)
        assertEquals(q("2"), sb.onHand("B", "WH2"))

        val before = sb.lastSeq()
        val refused = assertFailsWith<StockbookException.BatchRefused> {
            sb.executeBatch(
                listOf(
                    Command.Receive(Receive(sku = "B", location = "WH2", qty = q("1"))),
                    Command.Ship(Issue(sku = "B", location = "WH2", qty = q("100"))),
                ),
            )
        }
        assertEquals("batch_refused", refused.code)
        assertEquals("1", refused.facts["index"])
        assertTrue(refused.facts["source"]!!.contains("InsufficientStock"), refused.facts.toString())
        assertEquals(before, sb.lastSeq(), "nothing of a refused batch is applied")
        assertEquals(q("2"), sb.onHand("B", "WH2"))
        assertEquals(emptyList(), sb.executeBatch(emptyList()))
        // A conversion failure refuses the whole batch before anything is sent.
        val batchDigits = assertFailsWith<StockbookException.InvalidArgument> {
            sb.executeBatch(listOf(Command.Receive(Receive(sku = "B", location = "WH2", qty = q("1.0000000000000000001")))))
        }
        assertEquals("commands[0].args.qty", batchDigits.facts["field"])
        // Every command variant converts.
        sb.executeBatch(
            listOf(
                Command.DefineLocation(bin("WH3")),
                Command.UpdateLocation(bin("WH3").copy(name = "three")),
                Command.DefineItem(item("LOTTY", tracking = Tracking.LOT)),
                Command.UpdateItem(item("LOTTY", tracking = Tracking.LOT).copy(name = "lotty")),
                Command.DefineLot(Lot(sku = "LOTTY", lot = "L1")),
                Command.Receive(Receive(sku = "LOTTY", location = "WH3", qty = q("5"), lot = "L1")),
                Command.Issue(Issue(sku = "LOTTY", location = "WH3", qty = q("1"), lot = "L1")),
                Command.Adjust(Adjust(sku = "LOTTY", location = "WH3", qty = q("1"), lot = "L1", reasonCode = "found")),
                Command.Scrap(Scrap(sku = "LOTTY", location = "WH3", qty = q("1"), lot = "L1")),
                Command.DispatchTransfer(Dispatch(sku = "LOTTY", from = "WH3", to = "WH2", qty = q("2"), lot = "L1", transferId = "TX")),
                Command.ReceiveTransfer(ReceiveTransfer(transferId = "TX", qty = q("2"))),
                Command.Count(Count(sku = "LOTTY", location = "WH3", lot = "L1", counted = q("2"))),
                Command.Transfer(Transfer(sku = "LOTTY", from = "WH3", to = "WH2", qty = q("2"), lot = "L1")),
                Command.DefineItem(item("GONE")),
                Command.ArchiveItem("GONE"),
                Command.DefineLocation(bin("WH4")),
                Command.ArchiveLocation("WH4"),
            ),
        )
        assertEquals(q("4"), sb.onHandLot("LOTTY", "WH2", "L1"))
        assertEquals("three", sb.location("WH3").name)
        assertTrue(sb.item("GONE").archived && sb.location("WH4").archived)
    }

    @Test
    fun `an idempotency key answers the first outcome and a changed payload conflicts`() {
        val sb = stockedBook()
        val meta = Meta(key = "rcv-1", actor = "ann")
        val first = sb.receive(Receive(sku = "A", location = "WH2", qty = q("5")), meta)
        val seq = sb.lastSeq()
        val again = sb.receive(Receive(sku = "A", location = "WH2", qty = q("5")), meta)
        assertEquals(first, again)
        assertEquals(seq, sb.lastSeq())
        assertEquals(q("5.00"), sb.onHand("A", "WH2"))
        val conflict = assertFailsWith<StockbookException.Conflict> { sb.receive(Receive(sku = "A", location = "WH2", qty = q("6")), meta) }
        assertEquals("conflict", conflict.code)
        assertEquals("rcv-1", conflict.facts["key"])
        // A remembered refusal stays a refusal.
        val bad = Meta(key = "ship-1")
        assertFailsWith<StockbookException.InsufficientStock> { sb.ship(Issue(sku = "A", location = "WH2", qty = q("50")), bad) }
        sb.receive(Receive(sku = "A", location = "WH2", qty = q("100")))
        assertFailsWith<StockbookException.InsufficientStock> { sb.ship(Issue(sku = "A", location = "WH2", qty = q("50")), bad) }
    }

    @Test
    fun `meta lands in the envelope`() {
        val sb = stockedBook()
        val at = START - 7 * DAY_MS
        sb.receive(
            Receive(sku = "A", location = "WH2", qty = q("5")),
            Meta(actor = "ann", key = "k1", correlation = "PO-7", reason = "late entry", effectiveAt = at),
        )
        val env = sb.events(sb.lastSeq(), 1).single()
        assertEquals("ann", env.actor)
        assertEquals("k1", env.key)
        assertEquals("PO-7", env.correlation)
        assertEquals("late entry", env.reason)
        assertEquals(at, env.effectiveAt)
        assertEquals(START, env.recordedAt)
        val future = assertFailsWith<StockbookException.InvalidArgument> {
            sb.receive(Receive(sku = "A", location = "WH2", qty = q("5")), Meta(effectiveAt = START + 2 * DAY_MS))
        }
        assertEquals("effectiveAt", future.facts["field"])
        assertFailsWith<StockbookException.InvalidCode> { sb.receive(Receive(sku = "A", location = "WH2", qty = q("5")), Meta(actor = "")) }
    }

    // ---- point in time, the log, verify ------------------------------------------------------

    @Test
    fun `on hand at a past time or sequence`() {
        val clock = ManualClock(START_MS)
        val sb = stockedBook(clock)
        sb.receive(Receive(sku = "A", location = "WH1/A1", qty = q("10")))
        val afterFirst = sb.lastSeq()
        clock.advance(DAY_MS)
        sb.ship(Issue(sku = "A", location = "WH1/A1", qty = q("4")))
        assertEquals(q("10.00"), sb.onHandAt("A", "WH1", AsOf.Seq(afterFirst)))
        assertEquals(q("0.00"), sb.onHandAt("A", "WH1", AsOf.Seq(0)))
        assertEquals(q("10.00"), sb.onHandAt("A", "WH1/A1", AsOf.Time(START)))
        assertEquals(q("6.00"), sb.onHandAt("A", "WH1/A1", AsOf.Time(START + DAY_MS)))
        assertEquals(q("6.00"), sb.onHandAt("A", "WH1", AsOf.Time(START + DAY_MS)))
        assertEquals(q("0.00"), sb.onHandAt("A", "WH1", AsOf.Time(START - 1)))
        val negative = assertFailsWith<StockbookException.InvalidArgument> { sb.onHandAt("A", "WH1", AsOf.Seq(-1)) }
        assertEquals("asOf.seq", negative.facts["field"])
        assertFailsWith<StockbookException.NotFound> { sb.onHandAt("NOPE", "WH1", AsOf.Seq(1)) }
    }

    @Test
    fun `the log reads in pages, per item and lazily`() {
        val sb = stockedBook()
        sb.defineItem(item("B"))
        sb.receive(Receive(sku = "A", location = "WH2", qty = q("10.5")))
        sb.receive(Receive(sku = "B", location = "WH2", qty = q("1")))
        sb.ship(Issue(sku = "A", location = "WH2", qty = q("1")))
        val all = sb.events(1, 1_000)
        assertEquals(sb.lastSeq(), all.size.toLong())
        assertEquals((1L..sb.lastSeq()).toList(), all.map { it.seq })
        assertEquals(
            listOf("ItemDefined", "LocationDefined", "LocationDefined", "LocationDefined", "LocationDefined", "ItemDefined", "Moved", "Moved", "Moved"),
            all.map { it.event.javaClass.simpleName },
        )
        val moved = all[6]
        val movement = (moved.event as Event.Moved).value
        assertEquals(q("10.50"), movement.qty)
        assertEquals(MovementKind.RECEIVE, movement.kind)
        assertEquals(listOf(3L, 4L), sb.events(3, 2).map { it.seq })
        assertEquals(emptyList(), sb.events(100, 10))

        assertEquals(listOf("ItemDefined", "Moved", "Moved"), sb.history("A", 0, 100).map { it.event.javaClass.simpleName })
        assertEquals(listOf(8L), sb.history("B", 7, 100).map { it.seq })
        assertFailsWith<StockbookException.NotFound> { sb.history("NOPE", 0, 10) }

        sb.eventsIter(5).use { cursor ->
            val seen = generateSequence { cursor.next() }.map { it.seq }.toList()
            assertEquals((5L..9L).toList(), seen)
            assertNull(cursor.next())
        }
        assertEquals(all, sb.eventSequence().toList())
        assertEquals(listOf(8L, 9L), sb.eventSequence(8).map { it.seq }.toList())

        assertFailsWith<StockbookException.InvalidArgument> { sb.events(-1, 10) }
        assertFailsWith<StockbookException.InvalidArgument> { sb.events(1, -10) }
        assertFailsWith<StockbookException.InvalidArgument> { sb.history("A", 0, -1) }
        assertFailsWith<StockbookException.InvalidArgument> { sb.eventsIter(-3) }
    }

    @Test
    fun `verify finds a sound book`() {
        val sb = stockedBook()
        sb.receive(Receive(sku = "A", location = "WH2", qty = q("3")))
        val report = sb.verify()
        assertTrue(report.sound, report.problems.toString())
        assertEquals(emptyList(), report.problems)
        assertEquals(sb.lastSeq(), report.events)
        assertTrue(report.indexRows > 0)
    }

    @Test
    fun `every exception carries its code detail and facts`() {
        val sb = stockedBook()
        val failures: List<StockbookException> = listOf(
            runCatching { sb.item("X") },
            runCatching { sb.defineItem(item("A")) },
            runCatching { sb.ship(Issue(sku = "A", location = "WH2", qty = q("1"))) },
        ).map { it.exceptionOrNull() as StockbookException }
        assertEquals(listOf("not_found", "already_exists", "insufficient_stock"), failures.map { it.errorCode() })
        for (e in failures) {
            assertTrue(e.errorDetail().isNotEmpty())
            assertTrue(e.message!!.contains(e.errorDetail()))
            assertTrue(e.errorFacts().isNotEmpty())
        }
    }

    @Test
    fun `quantity and time helpers convert exactly`() {
        // Quantities cross as exact decimal text both ways: the scale is kept, exponents expand.
        newBook().use { sb ->
            sb.defineItem(item("A", decimals = 6))
            sb.defineLocation(bin("B"))
            sb.receive(Receive(sku = "A", location = "B", qty = BigDecimal("1E-6")))
            sb.receive(Receive(sku = "A", location = "B", qty = BigDecimal("1E+3")))
            assertEquals(q("1000.000001"), sb.onHand("A", "B"))
            assertEquals(6, sb.onHand("A", "B").scale())
        }
        val t = Instant.parse("2026-01-01T00:00:00Z")
        assertEquals(START_MS, manualClockAt(t).nowMs())
        assertEquals(t, manualClockAt(t).instant())
    }
}
