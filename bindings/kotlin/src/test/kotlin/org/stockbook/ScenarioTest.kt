package org.stockbook

import org.json.JSONArray
import org.json.JSONObject
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.TestFactory
import java.io.File
import java.math.BigDecimal
import java.math.BigInteger
import kotlin.test.Test
import kotlin.test.assertTrue
import kotlin.test.fail

/**
 * Replays every `tests/scenarios/\*.json` through the Kotlin API, with the rules of the Rust
 * runner (core/tests/scenarios.rs; the format is in tests/scenarios/README.md): each op is
 * a call of the binding's own typed method, an expected error is matched by code and facts,
 * a refused step must leave `lastSeq` unchanged, and the book must verify at the end.
 */
class ScenarioTest {

    private val dir: File = File(System.getProperty("stockbook.scenarios.dir") ?: "../../tests/scenarios")

    private fun files(): List<File> =
        (dir.listFiles { f -> f.isFile && f.name.endsWith(".json") } ?: emptyArray()).sortedBy { it.name }

    @Test
    fun `the scenario corpus is there`() {
        assertTrue(dir.isDirectory, "no scenario directory at ${dir.absolutePath}")
        assertTrue(files().isNotEmpty(), "no scenarios in ${dir.absolutePath}")
    }

    @TestFactory
    fun `every scenario replays`(): List<DynamicTest> = files().map { file ->
        DynamicTest.dynamicTest(file.name) {
            val scenario = JSONObject(file.readText())
            ScenarioRunner(scenario).run()?.let { fail("${file.name}: $it") }
        }
    }
}

/** Runs one scenario; answers null when it passed, otherwise what went wrong. */
class ScenarioRunner(private val scenario: JSONObject) {
    private val clock = ManualClock(scenario.optLong("start_ms", START_MS))
    private val sb = Stockbook.inMemory(Options(clock = clock))

    fun run(): String? = sb.use {
        val steps = scenario.optJSONArray("steps") ?: return "no steps"
        for (i in 0 until steps.length()) {
            val step = steps.getJSONObject(i)
            step(step)?.let { return "step $i (${step.opt("op")}): $it" }
        }
        val report = sb.verify()
        if (!report.sound) "verify after the scenario: ${report.problems}" else null
    }

    private fun step(step: JSONObject): String? {
        val op = step.optString("op").ifEmpty { return "op missing" }
        val args = step.optJSONObject("args") ?: JSONObject()
        val expect = step.optJSONObject("expect")
        val meta = step.optJSONObject("meta")?.let(::meta) ?: Meta()
        val seqBefore = sb.lastSeq()
        val result = try {
            Result.success(perform(op, args, meta))
        } catch (e: StockbookException) {
            Result.failure(e)
        }
        val wantError = expect?.opt("error")
        val err = result.exceptionOrNull() as StockbookException?
        return when {
            err != null && wantError != null -> {
                if (wantError != err.errorCode()) {
                    return "expected error $wantError, got ${err.errorCode()} (${err.errorDetail()})"
                }
                expect.optJSONObject("facts")?.let { facts ->
                    matches(facts, JSONObject(err.errorFacts()))?.let { return "facts: $it" }
                }
                val seqAfter = sb.lastSeq()
                if (seqAfter != seqBefore) "a refused step wrote events ($seqBefore → $seqAfter)" else null
            }
            err != null -> "unexpected error ${err.errorCode()}: ${err.errorDetail()}"
            wantError != null -> "expected error $wantError, but it succeeded"
            else -> {
                val want = expect?.opt("ok") ?: expect?.opt("value")
                if (want != null) matches(want, result.getOrNull()) else null
            }
        }
    }

    /** One op through the binding's typed API; the answer as JSON for matching. */
    private fun perform(op: String, a: JSONObject, meta: Meta): Any? = when (op) {
        "advance_clock" -> clock.advance(a.optLong("ms", 0)).let { JSONObject.NULL }
        "set_clock" -> clock.set(a.optLong("ms", 0)).let { JSONObject.NULL }
        "on_hand" -> sb.onHandLot(a.str("sku"), a.str("location"), a.optStr("lot"))
        "on_hand_at" -> sb.onHandAt(a.str("sku"), a.str("location"), asOf(a))
        "item_total" -> sb.itemTotal(a.str("sku"))
        "balances" -> JSONArray(
            sb.balances(BalanceFilter(a.optStr("sku"), a.optStr("location"), a.optBoolean("include_virtual", false)))
                .map(::json),
        )
        "item" -> json(sb.item(a.str("sku")))
        "location" -> json(sb.location(a.str("code")))
        "lot" -> json(sb.lot(a.str("sku"), a.str("lot")))
        // `transfer` names both the query (by `id`) and the one-step command.
        "transfer" -> if (a.has("id")) json(sb.transfer(a.str("id"))) else json(execute(op, a, meta))
        "serial" -> json(sb.serial(a.str("sku"), a.str("serial")))
        "history" -> JSONArray(sb.history(a.str("sku"), 0, 10_000).map { it.event })
        "last_seq" -> sb.lastSeq()
        "reservation" -> json(sb.reservation(a.str("id")))
        "reservations" -> JSONArray(
            sb.reservations(
                ReservationFilter(
                    a.optStr("order"), a.optStr("sku"), a.optStr("scope"),
                    a.optStr("state")?.let { enumOf(a, "state", ReservationState.values()) },
                ),
            ).map(::json),
        )
        "available" -> sb.available(a.str("sku"), a.str("location"))
        "reserved" -> sb.reserved(a.str("sku"), a.str("location"))
        "stock_level" -> json(sb.stockLevel(a.str("sku"), a.str("location")))
        "available_at" -> sb.availableAt(a.str("sku"), a.str("location"), asOf(a))
        "reserved_at" -> sb.reservedAt(a.str("sku"), a.str("location"), asOf(a))
        "order" -> json(sb.order(a.str("id")))
        "backorders" -> JSONArray(sb.backorders(a.optStr("sku")).map(::json))
        "plan_allocation" -> json(sb.planAllocation(a.str("sku"), a.qty("qty"), a.str("scope"), strategy(a, "strategy")))
        "purchase_order" -> json(sb.purchaseOrder(a.str("id")))
        "purchase_orders" -> JSONArray(
            sb.purchaseOrders(
                PurchaseOrderFilter(
                    a.optStr("supplier"), a.optStr("sku"),
                    a.optStr("state")?.let { enumOf(a, "state", PurchaseOrderState.values()) }, a.optStr("location"),
                ),
            ).map(::json),
        )
        "on_order" -> sb.onOrder(a.str("sku"), a.str("location"))
        "lead_time_stats" -> json(sb.leadTimeStats(a.str("supplier"), a.optStr("sku")))
        "demand_history" -> json(
            sb.demandHistory(
                a.str("sku"), a.str("location"), enumOf(a, "bucket", Bucket.values()),
                a.optLongOrNull("from_ms") ?: throw invalidArgument("from_ms", "from_ms and to_ms are required"),
                a.optLongOrNull("to_ms") ?: throw invalidArgument("from_ms", "from_ms and to_ms are required"),
                a.optBoolean("include_backorders", false),
            ),
        )
        "replenishment_plan" -> json(sb.replenishmentPlan(planOptions(a)))
        "batch" -> {
            val list = a.optJSONArray("commands") ?: throw invalidArgument("commands", "missing in the scenario")
            val commands = (0 until list.length()).map { i ->
                val c = list.getJSONObject(i)
                command(c.optString("op"), c.optJSONObject("args") ?: JSONObject())
            }
            JSONArray(sb.executeBatch(commands, meta).map(::json))
        }
        else -> json(execute(op, a, meta))
    }

    /** A command op through its own typed method. */
    private fun execute(op: String, a: JSONObject, meta: Meta): Receipt = when (op) {
        "define_item" -> sb.defineItem(item(a), meta)
        "update_item" -> sb.updateItem(item(a), meta)
        "archive_item" -> sb.archiveItem(a.str("sku"), meta)
        "define_location" -> sb.defineLocation(location(a), meta)
        "update_location" -> sb.updateLocation(location(a), meta)
        "archive_location" -> sb.archiveLocation(a.str("code"), meta)
        "define_lot" -> sb.defineLot(lot(a), meta)
        "receive" -> sb.receive(receive(a), meta)
        "issue" -> sb.issue(issue(a), meta)
        "ship" -> sb.ship(issue(a), meta)
        "adjust" -> sb.adjust(adjust(a), meta)
        "scrap" -> sb.scrap(scrap(a), meta)
        "transfer" -> sb.transferStock(transfer(a), meta)
        "dispatch_transfer" -> sb.dispatchTransfer(dispatch(a), meta)
        "receive_transfer" -> sb.receiveTransfer(receiveTransfer(a), meta)
        "count" -> sb.count(count(a), meta)
        "reserve" -> sb.reserve(reserve(a), meta)
        "commit_reservation" -> sb.commitReservation(commitReservation(a), meta)
        "release_reservation" -> sb.releaseReservation(a.str("reservation_id"), a.qtyOrNull("qty"), meta)
        "expire_due" -> sb.expireDue(meta)
        "create_order" -> sb.createOrder(createOrder(a), meta)
        "confirm_order" -> sb.confirmOrder(a.str("order_id"), meta)
        "allocate_order" -> sb.allocateOrder(a.str("order_id"), strategy(a, "strategy"), meta)
        "allocate_orders" -> sb.allocateOrders(allocateOrders(a), meta)
        "fill_backorders" -> sb.fillBackorders(fillBackorders(a), meta)
        "pick_order" -> sb.pickOrder(pickOrder(a), meta)
        "pack_order" -> sb.packOrder(a.str("order_id"), packages(a), meta)
        "ship_order" -> sb.shipOrder(a.str("order_id"), meta)
        "deliver_order" -> sb.deliverOrder(a.str("order_id"), meta)
        "cancel_order" -> sb.cancelOrder(a.str("order_id"), a.optStr("return_to"), meta)
        "create_purchase_order" -> sb.createPurchaseOrder(createPurchaseOrder(a), meta)
        "receive_purchase_order" -> sb.receivePurchaseOrder(receivePurchaseOrder(a), meta)
        "close_purchase_order" -> sb.closePurchaseOrder(a.str("po_id"), meta)
        "cancel_purchase_order" -> sb.cancelPurchaseOrder(a.str("po_id"), meta)
        else -> fail("unknown op $op: the Kotlin binding or this runner lacks it")
    }

    /** A command of a batch, as the binding's Command. */
    private fun command(op: String, a: JSONObject): Command = when (op) {
        "define_item" -> Command.DefineItem(item(a))
        "update_item" -> Command.UpdateItem(item(a))
        "archive_item" -> Command.ArchiveItem(a.str("sku"))
        "define_location" -> Command.DefineLocation(location(a))
        "update_location" -> Command.UpdateLocation(location(a))
        "archive_location" -> Command.ArchiveLocation(a.str("code"))
        "define_lot" -> Command.DefineLot(lot(a))
        "receive" -> Command.Receive(receive(a))
        "issue" -> Command.Issue(issue(a))
        "ship" -> Command.Ship(issue(a))
        "adjust" -> Command.Adjust(adjust(a))
        "scrap" -> Command.Scrap(scrap(a))
        "transfer" -> Command.Transfer(transfer(a))
        "dispatch_transfer" -> Command.DispatchTransfer(dispatch(a))
        "receive_transfer" -> Command.ReceiveTransfer(receiveTransfer(a))
        "count" -> Command.Count(count(a))
        "reserve" -> Command.Reserve(reserve(a))
        "commit_reservation" -> Command.CommitReservation(commitReservation(a))
        "release_reservation" -> Command.ReleaseReservation(a.str("reservation_id"), a.qtyOrNull("qty"))
        "expire_due" -> Command.ExpireDue
        "create_order" -> Command.CreateOrder(createOrder(a))
        "confirm_order" -> Command.ConfirmOrder(a.str("order_id"))
        "allocate_order" -> Command.AllocateOrder(a.str("order_id"), strategy(a, "strategy"))
        "allocate_orders" -> Command.AllocateOrders(allocateOrders(a))
        "fill_backorders" -> Command.FillBackorders(fillBackorders(a))
        "pick_order" -> Command.PickOrder(pickOrder(a))
        "pack_order" -> Command.PackOrder(a.str("order_id"), packages(a))
        "ship_order" -> Command.ShipOrder(a.str("order_id"))
        "deliver_order" -> Command.DeliverOrder(a.str("order_id"))
        "cancel_order" -> Command.CancelOrder(a.str("order_id"), a.optStr("return_to"))
        "create_purchase_order" -> Command.CreatePurchaseOrder(createPurchaseOrder(a))
        "receive_purchase_order" -> Command.ReceivePurchaseOrder(receivePurchaseOrder(a))
        "close_purchase_order" -> Command.ClosePurchaseOrder(a.str("po_id"))
        "cancel_purchase_order" -> Command.CancelPurchaseOrder(a.str("po_id"))
        else -> fail("unknown batch op $op: the Kotlin binding or this runner lacks it")
    }
}

// ---- JSON → binding records (the defaults are serde's in the core) ----------------------------

private fun invalidArgument(field: String, reason: String) = StockbookException.InvalidArgument(
    "invalid_argument", "invalid argument $field: $reason", mapOf("field" to field, "reason" to reason),
)

private fun JSONObject.str(name: String): String =
    (opt(name) as? String) ?: throw invalidArgument(name, "missing in the scenario")

private fun JSONObject.optStr(name: String): String? = (opt(name) as? String)

private fun JSONObject.optLongOrNull(name: String): Long? =
    if (isNull(name)) null else (opt(name) as? Number)?.toLong() ?: throw invalidArgument(name, "not a number")

private fun JSONObject.optIntOrNull(name: String): Int? = optLongOrNull(name)?.toInt()

private fun JSONObject.optDoubleOrNull(name: String): Double? =
    if (isNull(name)) null else (opt(name) as? Number)?.toDouble() ?: throw invalidArgument(name, "not a number")

private fun JSONObject.strings(name: String): List<String> =
    optJSONArray(name)?.let { arr -> (0 until arr.length()).map { arr.getString(it) } } ?: emptyList()

/** A quantity: decimal text, or an integer (as the core's JSON accepts). */
private fun JSONObject.qtyOrNull(name: String): String? = when (val v = opt(name)) {
    null, JSONObject.NULL -> null
    is String -> v
    is Int, is Long, is BigInteger -> v.toString()
    else -> throw invalidArgument(name, "a quantity is decimal text or an integer, got $v")
}

private fun JSONObject.qty(name: String): String = qtyOrNull(name) ?: throw invalidArgument(name, "missing in the scenario")

private fun <E : Enum<E>> JSONObject.enumOf(name: String, default: E, values: Array<E>): E =
    if (optStr(name) == null) default else enumOf(this, name, values)

/** The enum value whose snake_case name is the text at [name]. */
private fun <E : Enum<E>> enumOf(a: JSONObject, name: String, values: Array<E>): E {
    val text = a.str(name)
    return values.firstOrNull { it.name.lowercase() == text } ?: throw invalidArgument(name, "unknown variant $text")
}

private fun asOf(a: JSONObject): AsOf = when {
    a.has("at_ms") -> AsOf.Time(a.getLong("at_ms"))
    a.has("seq") -> AsOf.Seq(a.getLong("seq"))
    else -> throw invalidArgument("at_ms", "at_ms or seq")
}

/** A strategy as the core's JSON writes it: `"fifo"` or `{"fefo": {"min_remaining_days": 3}}`. */
private fun strategy(a: JSONObject, name: String): Strategy? = when (val v = a.opt(name)) {
    null, JSONObject.NULL -> null
    "fifo" -> Strategy.Fifo
    "lifo" -> Strategy.Lifo
    "fewest_locations" -> Strategy.FewestLocations
    is JSONObject -> {
        val key = v.keySet().singleOrNull() ?: throw invalidArgument(name, "one strategy, got $v")
        val inner = v.optJSONObject(key) ?: JSONObject()
        when (key) {
            "fefo" -> Strategy.Fefo(inner.optIntOrNull("min_remaining_days") ?: 0)
            "nearest" -> Strategy.Nearest(inner.str("location"))
            "ordered" -> Strategy.Ordered(inner.strings("locations"))
            else -> throw invalidArgument(name, "unknown strategy $key")
        }
    }
    else -> throw invalidArgument(name, "unknown strategy $v")
}

private fun policy(a: JSONObject): ShortagePolicy? =
    if (a.optStr("policy") == null) null else enumOf(a, "policy", ShortagePolicy.values())

private fun meta(m: JSONObject) = Meta(
    actor = m.optStr("actor"), key = m.optStr("key"), correlation = m.optStr("correlation"),
    reason = m.optStr("reason"), effectiveAt = m.optLongOrNull("effective_at"),
)

private fun item(a: JSONObject) = Item(
    sku = a.str("sku"),
    tracking = a.enumOf("tracking", Tracking.NONE, Tracking.values()),
    name = a.optStr("name") ?: "",
    unit = a.optStr("unit") ?: "ea",
    decimals = a.optIntOrNull("decimals") ?: 0,
    shelfLifeDays = a.optIntOrNull("shelf_life_days"),
    conversions = a.optJSONArray("conversions")?.let { arr ->
        (0 until arr.length()).map { i -> arr.getJSONObject(i).let { UnitConversion(it.str("unit"), it.qty("factor")) } }
    } ?: emptyList(),
    allowNegative = a.optBoolean("allow_negative", false),
    category = a.optStr("category"),
    attributes = a.optJSONObject("attributes")?.let { o -> o.keySet().associateWith { o.getString(it) } } ?: emptyMap(),
    archived = a.optBoolean("archived", false),
)

private fun location(a: JSONObject) = Location(
    code = a.str("code"),
    kind = a.enumOf("kind", LocationKind.BIN, LocationKind.values()),
    name = a.optStr("name") ?: "",
    parent = a.optStr("parent"),
    capacity = a.optJSONObject("capacity")?.let {
        Capacity(it.qtyOrNull("units"), it.qtyOrNull("weight_kg"), it.qtyOrNull("volume_l"))
    } ?: Capacity(),
    coordinates = a.optJSONObject("coordinates")?.let { Coordinates(it.getInt("x"), it.getInt("y"), it.optInt("z", 0)) },
    pickable = a.optBoolean("pickable", true),
    receivable = a.optBoolean("receivable", true),
    archived = a.optBoolean("archived", false),
)

private fun lot(a: JSONObject) = Lot(
    sku = a.str("sku"), lot = a.str("lot"), expiry = a.optLongOrNull("expiry"),
    produced = a.optLongOrNull("produced"), firstReceived = a.optLongOrNull("first_received"),
)

private fun receive(a: JSONObject) = Receive(
    sku = a.str("sku"), location = a.str("location"), qty = a.qty("qty"), unit = a.optStr("unit"),
    lot = a.optStr("lot"), expiry = a.optLongOrNull("expiry"), produced = a.optLongOrNull("produced"),
    serials = a.strings("serials"), unitCost = a.qtyOrNull("unit_cost"), currency = a.optStr("currency"),
    from = a.optStr("from"),
)

private fun issue(a: JSONObject) = Issue(
    sku = a.str("sku"), location = a.str("location"), qty = a.qty("qty"), unit = a.optStr("unit"),
    lot = a.optStr("lot"), serials = a.strings("serials"), allowExpired = a.optBoolean("allow_expired", false),
    to = a.optStr("to"),
)

private fun adjust(a: JSONObject) = Adjust(
    sku = a.str("sku"), location = a.str("location"), qty = a.qty("qty"), reasonCode = a.str("reason_code"),
    unit = a.optStr("unit"), lot = a.optStr("lot"), serials = a.strings("serials"),
)

private fun scrap(a: JSONObject) = Scrap(
    sku = a.str("sku"), location = a.str("location"), qty = a.qty("qty"), unit = a.optStr("unit"),
    lot = a.optStr("lot"), serials = a.strings("serials"), reasonCode = a.optStr("reason_code"),
)

private fun transfer(a: JSONObject) = Transfer(
    sku = a.str("sku"), from = a.str("from"), to = a.str("to"), qty = a.qty("qty"), unit = a.optStr("unit"),
    lot = a.optStr("lot"), serials = a.strings("serials"), allowExpired = a.optBoolean("allow_expired", false),
)

private fun dispatch(a: JSONObject) = Dispatch(
    sku = a.str("sku"), from = a.str("from"), to = a.str("to"), qty = a.qty("qty"),
    transferId = a.optStr("transfer_id"), unit = a.optStr("unit"), lot = a.optStr("lot"),
    serials = a.strings("serials"), allowExpired = a.optBoolean("allow_expired", false),
)

private fun receiveTransfer(a: JSONObject) = ReceiveTransfer(
    transferId = a.str("transfer_id"), qty = a.qty("qty"), unit = a.optStr("unit"), serials = a.strings("serials"),
)

private fun count(a: JSONObject) = Count(
    sku = a.str("sku"), location = a.str("location"), counted = a.qty("counted"), lot = a.optStr("lot"),
    unit = a.optStr("unit"),
)

private fun reserve(a: JSONObject) = Reserve(
    sku = a.str("sku"), qty = a.qty("qty"), scope = a.str("scope"), reservationId = a.optStr("reservation_id"),
    unit = a.optStr("unit"), lot = a.optStr("lot"), hard = a.optBoolean("hard", false), order = a.optStr("order"),
    line = a.optIntOrNull("line"), ttlMs = a.optLongOrNull("ttl_ms"),
)

private fun commitReservation(a: JSONObject) = CommitReservation(
    reservationId = a.str("reservation_id"), qty = a.qtyOrNull("qty"), location = a.optStr("location"),
    lot = a.optStr("lot"), serials = a.strings("serials"), to = a.optStr("to"),
)

private fun createOrder(a: JSONObject) = CreateOrder(
    orderId = a.str("order_id"), shipFrom = a.str("ship_from"),
    lines = (a.optJSONArray("lines") ?: throw invalidArgument("lines", "missing in the scenario")).let { arr ->
        (0 until arr.length()).map { i -> arr.getJSONObject(i).let { NewOrderLine(it.str("sku"), it.qty("qty"), it.optStr("unit")) } }
    },
    customer = a.optStr("customer"), priority = a.optIntOrNull("priority") ?: 100, dueAt = a.optLongOrNull("due_at"),
    staging = a.optStr("staging"), shipTo = a.optStr("ship_to"),
)

private fun allocateOrders(a: JSONObject) =
    AllocateOrders(orderIds = a.strings("order_ids"), policy = policy(a), strategy = strategy(a, "strategy"))

private fun fillBackorders(a: JSONObject) =
    FillBackorders(sku = a.optStr("sku"), policy = policy(a), strategy = strategy(a, "strategy"))

private fun pickOrder(a: JSONObject) = PickOrder(
    orderId = a.str("order_id"), line = a.optIntOrNull("line") ?: throw invalidArgument("line", "missing in the scenario"),
    location = a.str("location"), qty = a.qty("qty"), lot = a.optStr("lot"), serials = a.strings("serials"),
    short = a.optBoolean("short", false),
)

private fun packages(a: JSONObject): List<Package> =
    (a.optJSONArray("packages") ?: throw invalidArgument("packages", "missing in the scenario")).let { arr ->
        (0 until arr.length()).map { i ->
            val p = arr.getJSONObject(i)
            val contents = p.optJSONArray("contents") ?: JSONArray()
            Package(
                p.str("id"),
                (0 until contents.length()).map { j ->
                    contents.getJSONObject(j).let { PackageContent(it.getInt("line"), it.qty("qty")) }
                },
            )
        }
    }

/** `"refuse"` or `{"allow": {"tolerance_pct": "10"}}`, as the core's JSON writes it. */
private fun overReceipt(a: JSONObject, name: String): OverReceipt? = when (val v = a.opt(name)) {
    null, JSONObject.NULL -> null
    "refuse" -> OverReceipt.Refuse
    is JSONObject -> v.optJSONObject("allow")?.let { OverReceipt.Allow(it.qty("tolerance_pct")) }
        ?: throw invalidArgument(name, "unknown over-receipt policy $v")
    else -> throw invalidArgument(name, "unknown over-receipt policy $v")
}

private fun createPurchaseOrder(a: JSONObject) = CreatePurchaseOrder(
    poId = a.str("po_id"), supplier = a.str("supplier"), location = a.str("location"),
    lines = (a.optJSONArray("lines") ?: throw invalidArgument("lines", "missing in the scenario")).let { arr ->
        (0 until arr.length()).map { i ->
            arr.getJSONObject(i).let {
                NewPurchaseOrderLine(it.str("sku"), it.qty("qty"), it.optStr("unit"), it.qtyOrNull("unit_cost"), it.optStr("currency"))
            }
        }
    },
    expectedAt = a.optLongOrNull("expected_at") ?: throw invalidArgument("expected_at", "missing in the scenario"),
    orderedAt = a.optLongOrNull("ordered_at"), overReceipt = overReceipt(a, "over_receipt"),
    underTolerancePct = a.qtyOrNull("under_tolerance_pct"),
)

private fun receivePurchaseOrder(a: JSONObject) = ReceivePurchaseOrder(
    poId = a.str("po_id"), line = a.optIntOrNull("line") ?: throw invalidArgument("line", "missing in the scenario"),
    qty = a.qty("qty"), unit = a.optStr("unit"), location = a.optStr("location"), lot = a.optStr("lot"),
    expiry = a.optLongOrNull("expiry"), produced = a.optLongOrNull("produced"), serials = a.strings("serials"),
    unitCost = a.qtyOrNull("unit_cost"), currency = a.optStr("currency"),
)

/** The plan's options; absent fields stay null (the core's defaults). */
private fun planOptions(a: JSONObject) = PlanOptions(
    asOf = a.optLongOrNull("as_of"),
    bucket = a.optStr("bucket")?.let { enumOf(a, "bucket", Bucket.values()) },
    historyPeriods = a.optIntOrNull("history_periods"),
    horizonPeriods = a.optIntOrNull("horizon_periods"),
    method = when (val m = a.opt("method")) {
        null, JSONObject.NULL -> null
        "by_class" -> PlanMethod.ByClass
        is JSONObject -> when (m.keySet().singleOrNull()) {
            "auto" -> PlanMethod.Auto(m.getJSONObject("auto").optIntOrNull("season_length") ?: 1)
            "fixed" -> PlanMethod.Fixed(forecastMethod(m.get("fixed")))
            else -> throw invalidArgument("method", "unknown plan method $m")
        }
        else -> throw invalidArgument("method", "unknown plan method $m")
    },
    serviceLevel = a.optDoubleOrNull("service_level"),
    leadTimeDays = a.optDoubleOrNull("lead_time_days"),
    orderQuantity = a.optJSONObject("order_quantity")?.let { q ->
        q.optJSONObject("cover")?.let { OrderQuantity.Cover(it.getDouble("periods")) }
            ?: q.optJSONObject("eoq")?.let { OrderQuantity.Eoq(it.getDouble("ordering_cost"), it.getDouble("holding_cost")) }
            ?: throw invalidArgument("order_quantity", "unknown order quantity $q")
    },
    minOrderQty = a.optDoubleOrNull("min_order_qty"),
    packSize = a.optDoubleOrNull("pack_size"),
    includeBackorders = a.optBoolean("include_backorders", false),
    sites = a.strings("sites"),
    skus = a.strings("skus"),
    items = a.optJSONArray("items")?.let { arr ->
        (0 until arr.length()).map { i ->
            arr.getJSONObject(i).let {
                ItemPlanning(
                    it.str("sku"), it.optStr("supplier"), it.optDoubleOrNull("lead_time_days"),
                    it.optDoubleOrNull("lead_time_std_days"), it.optDoubleOrNull("service_level"),
                    it.optDoubleOrNull("min_order_qty"), it.optDoubleOrNull("pack_size"),
                )
            }
        }
    } ?: emptyList(),
    series = a.optJSONArray("series")?.let { arr ->
        (0 until arr.length()).map { i ->
            arr.getJSONObject(i).let { s ->
                val demand = s.optJSONArray("demand") ?: JSONArray()
                DemandSeries(s.str("sku"), s.str("site"), (0 until demand.length()).map { demand.getDouble(it) })
            }
        }
    },
)

/** A forecasting method as the core's JSON writes it: `"naive"` or `{"ses": {"alpha": 0.3}}`. */
private fun forecastMethod(v: Any): ForecastMethod {
    val (name, s) = when (v) {
        is String -> v to JSONObject()
        is JSONObject -> (v.keySet().singleOrNull() ?: throw invalidArgument("method", "one method, got $v")).let { it to v.getJSONObject(it) }
        else -> throw invalidArgument("method", "unknown method $v")
    }
    fun damped() = if (s.isNull("damped")) null else s.getBoolean("damped")
    return when (name) {
        "naive" -> ForecastMethod.Naive
        "seasonal_naive" -> ForecastMethod.SeasonalNaive(s.getInt("season_length"))
        "historic_average" -> ForecastMethod.HistoricAverage
        "moving_average" -> ForecastMethod.MovingAverage(s.getInt("window"))
        "ses" -> ForecastMethod.Ses(s.getDouble("alpha"))
        "ses_optimized" -> ForecastMethod.SesOptimized
        "holt" -> ForecastMethod.Holt(damped())
        "holt_winters" -> ForecastMethod.HoltWinters(
            s.getInt("season_length"), enumOf(s, "seasonality", Seasonality.values()), damped(),
        )
        "auto_ets" -> ForecastMethod.AutoEts(s.getInt("season_length"))
        "croston_classic" -> ForecastMethod.CrostonClassic
        "croston_sba" -> ForecastMethod.CrostonSba
        "croston_optimized" -> ForecastMethod.CrostonOptimized
        "tsb" -> ForecastMethod.Tsb(s.getDouble("alpha_demand"), s.getDouble("alpha_probability"))
        "adida" -> ForecastMethod.Adida
        "imapa" -> ForecastMethod.Imapa
        else -> throw invalidArgument("method", "the scenario runner does not know method $name")
    }
}

// ---- binding records → JSON (field names as the core's serde writes them) -------------------

private fun nul(v: Any?): Any = v ?: JSONObject.NULL

private fun obj(vararg pairs: Pair<String, Any?>): JSONObject =
    JSONObject().apply { for ((k, v) in pairs) put(k, nul(v)) }

private fun snake(e: Enum<*>): String = e.name.lowercase()

fun json(r: Receipt) = obj(
    "first_seq" to r.firstSeq, "last_seq" to r.lastSeq, "transfer_id" to r.transferId, "difference" to r.difference,
    "reservation_id" to r.reservationId,
)

fun json(b: Balance) = obj("sku" to b.sku, "location" to b.location, "lot" to b.lot, "on_hand" to b.onHand)

fun json(i: Item) = obj(
    "sku" to i.sku, "name" to i.name, "unit" to i.unit, "decimals" to i.decimals, "tracking" to snake(i.tracking),
    "shelf_life_days" to i.shelfLifeDays,
    "conversions" to JSONArray(i.conversions.map { obj("unit" to it.unit, "factor" to it.factor) }),
    "allow_negative" to i.allowNegative, "category" to i.category, "attributes" to JSONObject(i.attributes),
    "archived" to i.archived,
)

fun json(l: Location) = obj(
    "code" to l.code, "name" to l.name, "kind" to snake(l.kind), "parent" to l.parent,
    "capacity" to obj("units" to l.capacity.units, "weight_kg" to l.capacity.weightKg, "volume_l" to l.capacity.volumeL),
    "coordinates" to l.coordinates?.let { obj("x" to it.x, "y" to it.y, "z" to it.z) },
    "pickable" to l.pickable, "receivable" to l.receivable, "archived" to l.archived,
)

fun json(l: Lot) = obj(
    "sku" to l.sku, "lot" to l.lot, "expiry" to l.expiry, "produced" to l.produced, "first_received" to l.firstReceived,
)

fun json(t: TransferRecord) = obj(
    "id" to t.id, "sku" to t.sku, "lot" to t.lot, "from" to t.from, "to" to t.to, "dispatched" to t.dispatched,
    "received" to t.received, "serials_in_transit" to JSONArray(t.serialsInTransit),
)

fun json(s: Serial) = obj("sku" to s.sku, "serial" to s.serial, "location" to s.location)

fun json(r: Reservation) = obj(
    "id" to r.id, "sku" to r.sku, "scope" to r.scope, "lot" to r.lot, "hard" to r.hard, "qty" to r.qty,
    "requested" to r.requested, "committed" to r.committed, "order" to r.order, "line" to r.line,
    "created_at" to r.createdAt, "expires_at" to r.expiresAt, "state" to snake(r.state),
)

fun json(s: StockLevel) = obj("on_hand" to s.onHand, "reserved" to s.reserved, "available" to s.available)

fun json(b: Backorder) = obj(
    "order" to b.order, "line" to b.line, "sku" to b.sku, "qty" to b.qty, "priority" to b.priority, "due_at" to b.dueAt,
)

fun json(p: AllocationPlan) = obj(
    "sku" to p.sku, "requested" to p.requested, "short" to p.short,
    "lines" to JSONArray(p.lines.map { obj("location" to it.location, "lot" to it.lot, "qty" to it.qty) }),
)

fun json(o: Order) = obj(
    "id" to o.id, "customer" to o.customer, "priority" to o.priority, "due_at" to o.dueAt, "ship_from" to o.shipFrom,
    "staging" to o.staging, "ship_to" to o.shipTo, "state" to snake(o.state), "created_at" to o.createdAt,
    "created_seq" to o.createdSeq,
    "lines" to JSONArray(
        o.lines.map { l ->
            obj(
                "line" to l.line, "sku" to l.sku, "ordered" to l.ordered, "allocated" to l.allocated,
                "picked" to l.picked, "shipped" to l.shipped, "backordered" to l.backordered,
                "picks" to JSONArray(
                    l.picks.map {
                        obj("from" to it.from, "lot" to it.lot, "qty" to it.qty, "serials" to JSONArray(it.serials), "reservation" to it.reservation)
                    },
                ),
                "reservations" to JSONArray(l.reservations),
            )
        },
    ),
    "packages" to JSONArray(
        o.packages.map { p -> obj("id" to p.id, "contents" to JSONArray(p.contents.map { obj("line" to it.line, "qty" to it.qty) })) },
    ),
)

fun json(o: OverReceipt): Any = when (o) {
    is OverReceipt.Refuse -> "refuse"
    is OverReceipt.Allow -> obj("allow" to obj("tolerance_pct" to o.tolerancePct))
}

fun json(p: PurchaseOrder) = obj(
    "id" to p.id, "supplier" to p.supplier, "location" to p.location,
    "lines" to JSONArray(
        p.lines.map {
            obj(
                "line" to it.line, "sku" to it.sku, "ordered" to it.ordered, "received" to it.received,
                "unit_cost" to it.unitCost, "currency" to it.currency,
            )
        },
    ),
    "ordered_at" to p.orderedAt, "expected_at" to p.expectedAt, "over_receipt" to json(p.overReceipt),
    "under_tolerance_pct" to p.underTolerancePct,
    "receipts" to JSONArray(
        p.receipts.map { obj("line" to it.line, "qty" to it.qty, "location" to it.location, "received_at" to it.receivedAt) },
    ),
    "state" to snake(p.state), "created_at" to p.createdAt, "created_seq" to p.createdSeq, "closed_at" to p.closedAt,
)

fun json(s: LeadTimeStats) = obj(
    "supplier" to s.supplier, "sku" to s.sku, "count" to s.count, "mean_days" to s.meanDays,
    "std_dev_days" to s.stdDevDays, "min_days" to s.minDays, "max_days" to s.maxDays,
)

fun json(h: DemandHistory) = obj(
    "sku" to h.sku, "location" to h.location, "bucket" to snake(h.bucket), "include_backorders" to h.includeBackorders,
    "periods" to JSONArray(h.periods.map { obj("start" to it.start, "demand" to it.demand, "returns" to it.returns) }),
)

// ---- matching (the Rust runner's rules) --------------------------------------------------------

/** `want` matches `got`: objects as subsets, arrays element by element, scalars equal. */
fun matches(want: Any?, got: Any?): String? {
    val w = want ?: JSONObject.NULL
    val g = got ?: JSONObject.NULL
    return when {
        w is JSONObject && g is JSONObject -> {
            for (k in w.keySet()) {
                matches(w.get(k), g.opt(k))?.let { return ".$k$it" }
            }
            null
        }
        w is JSONArray && g is JSONArray -> {
            if (w.length() != g.length()) return ": expected ${w.length()} elements, got ${g.length()} ($g)"
            for (i in 0 until w.length()) {
                matches(w.get(i), g.get(i))?.let { return "[$i]$it" }
            }
            null
        }
        w is Number && g is Number ->
            if (BigDecimal(w.toString()).compareTo(BigDecimal(g.toString())) == 0) null else ": expected $w, got $g"
        w == JSONObject.NULL && g == JSONObject.NULL -> null
        w == g -> null
        else -> ": expected ${JSONObject.wrap(w)}, got ${JSONObject.wrap(g)}"
    }
}

fun json(p: ReplenishmentPlan) = obj(
    "as_of" to p.asOf, "bucket" to snake(p.bucket),
    "rows" to JSONArray(
        p.rows.map { r ->
            obj(
                "sku" to r.sku, "site" to r.site, "on_hand" to r.onHand, "on_order" to r.onOrder,
                "reserved" to r.reserved, "backordered" to r.backordered, "position" to r.position,
                "history_periods" to r.historyPeriods, "pattern" to snake(r.pattern), "method" to r.method,
                "demand_rate" to r.demandRate, "sigma" to r.sigma, "supplier" to r.supplier,
                "lead_time_days" to r.leadTimeDays, "lead_time_std_days" to r.leadTimeStdDays,
                "lead_time_source" to snake(r.leadTimeSource), "service_level" to r.serviceLevel,
                "safety_stock" to r.safetyStock, "reorder_point" to r.reorderPoint, "order_up_to" to r.orderUpTo,
                "projected" to JSONArray(r.projected),
                "order" to r.order?.let {
                    obj(
                        "qty" to it.qty, "raw_qty" to it.rawQty, "period" to it.period, "order_date" to it.orderDate,
                        "expected_receipt" to it.expectedReceipt, "position_at_order" to it.positionAtOrder,
                    )
                },
            )
        },
    ),
    "problems" to JSONArray(
        p.problems.map {
            obj("sku" to it.sku, "site" to it.site, "error" to obj("code" to it.error.errorCode(), "facts" to JSONObject(it.error.errorFacts())))
        },
    ),
)
