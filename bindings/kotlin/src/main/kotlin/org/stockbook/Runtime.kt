// Hand-written runtime of the generated surface (generated/*.kt), written once for every
// command: a call goes out as JSON text through the native `callJson`, its answer comes back
// as JSON text, and the few value types with a Kotlin idiom convert here: quantities as
// BigDecimal (exact decimal text on the wire), instants as java.time.Instant and durations
// as java.time.Duration (both milliseconds on the wire). A refusal naming a field
// (`args.unit_cost`) is rethrown naming it as Kotlin spells it (`unitCost`).
package org.stockbook

import java.math.BigDecimal
import java.time.Duration
import java.time.Instant

/** Performs one call through the generic entry point and answers its parsed JSON. */
internal fun Stockbook.perform(op: String, args: Map<String, Any?>, meta: Meta? = null, kind: String? = null): Any? {
    val call = LinkedHashMap<String, Any?>(4)
    call["op"] = op
    if (kind != null) call["kind"] = kind
    call["args"] = args
    if (meta != null) call["meta"] = meta.toJson()
    val answer = try {
        callJson(Json.write(call))
    } catch (e: StockbookException.InvalidArgument) {
        throw kotlinSpelling(e)
    }
    return Json.parse(answer)
}

/** Performs one stateless calculation (`calculateJson`) and answers its parsed JSON. */
internal fun calculation(op: String, args: Map<String, Any?>): Any? {
    val answer = try {
        calculateJson(Json.write(mapOf("op" to op, "args" to args)))
    } catch (e: StockbookException.InvalidArgument) {
        throw kotlinSpelling(e)
    }
    return Json.parse(answer)
}

/**
 * `args.unit_cost` → `unitCost`, `args.lines[1].unit_cost` → `lines[1].unitCost`,
 * `args.ttl_ms` → `ttl` (a Duration says its unit), `meta.key` kept.
 */
internal fun kotlinField(field: String): String =
    field.removePrefix("args.").split('.').joinToString(".") { camel(it.removeSuffix("_ms")) }

private fun camel(s: String): String {
    val b = StringBuilder(s.length)
    var up = false
    for (c in s) {
        if (c == '_') { up = true; continue }
        b.append(if (up) c.uppercaseChar() else c)
        up = false
    }
    return b.toString()
}

private fun kotlinSpelling(e: StockbookException.InvalidArgument): StockbookException.InvalidArgument {
    val field = e.facts["field"] ?: return e
    val spelt = kotlinField(field)
    if (spelt == field) return e
    return StockbookException.InvalidArgument(e.code, e.detail.replace(field, spelt), e.facts + ("field" to spelt))
}

/** A refusal of an argument before anything reaches the engine, named as Kotlin spells it. */
internal fun invalidArgument(field: String, reason: String): StockbookException =
    StockbookException.InvalidArgument(
        "invalid_argument", "invalid argument $field: $reason", mapOf("field" to field, "reason" to reason),
    )

/** An answer that does not read as its type: a binding older than its engine, or a bug. */
private fun unreadable(path: String, what: String): Nothing =
    throw StockbookException.Internal(
        "internal", "the answer's $path is not $what", mapOf("message" to "the answer's $path is not $what"),
    )

// ---- encoding: the few types with a Kotlin idiom ------------------------------------------

/** An internally tagged variant: its fields with the tag beside them. */
internal fun tagged(tag: String, name: String, data: Any?): Map<String, Any?> {
    val m = LinkedHashMap<String, Any?>()
    m[tag] = name
    (data as? Map<*, *>)?.forEach { (k, v) -> m[k as String] = v }
    return m
}

/** An object of the non-null entries: a null (absent) optional field is left out. */
internal fun obj(vararg entries: Pair<String, Any?>): Map<String, Any?> {
    val m = LinkedHashMap<String, Any?>(entries.size)
    for ((k, v) in entries) if (v != null) m[k] = v
    return m
}

internal fun encQty(v: BigDecimal): String = v.toPlainString()

/** A finite number: JSON has no NaN or infinity, so the binding refuses them as the engine would. */
internal fun encFloat(v: Double, field: String): Double {
    if (!v.isFinite()) {
        throw StockbookException.InvalidParameter(
            "invalid_parameter", "invalid parameter $field: not a finite number ($v)",
            mapOf("parameter" to field, "reason" to "not a finite number ($v)"),
        )
    }
    return v
}

internal fun encInstant(v: Instant, field: String): Long = try {
    v.toEpochMilli()
} catch (e: ArithmeticException) {
    throw invalidArgument(field, "out of range of milliseconds since the epoch")
}

internal fun encDuration(v: Duration, field: String): Long = try {
    v.toMillis()
} catch (e: ArithmeticException) {
    throw invalidArgument(field, "out of range of milliseconds")
}

// ---- decoding, each naming the path of what does not read ---------------------------------

@Suppress("UNCHECKED_CAST")
internal fun decObj(j: Any?, path: String): Map<String, Any?> = j as? Map<String, Any?> ?: unreadable(path, "an object")

internal fun decStr(j: Any?, path: String): String = j as? String ?: unreadable(path, "text")

internal fun decBool(j: Any?, path: String): Boolean = j as? Boolean ?: unreadable(path, "a boolean")

internal fun decLong(j: Any?, path: String): Long = when (j) {
    is Long -> j
    is BigDecimal -> runCatching { j.longValueExact() }.getOrNull() ?: unreadable(path, "a 64-bit integer")
    else -> unreadable(path, "an integer")
}

internal fun decInt(j: Any?, path: String): Int {
    val v = decLong(j, path)
    return if (v in Int.MIN_VALUE..Int.MAX_VALUE) v.toInt() else unreadable(path, "a 32-bit integer")
}

internal fun decDouble(j: Any?, path: String): Double = when (j) {
    is Long -> j.toDouble()
    is BigDecimal -> j.toDouble()
    null -> Double.NaN // serde_json writes a non-finite number as null
    else -> unreadable(path, "a number")
}

internal fun decQty(j: Any?, path: String): BigDecimal = when (j) {
    is String -> runCatching { BigDecimal(j) }.getOrNull() ?: unreadable(path, "a decimal quantity")
    is Long -> BigDecimal.valueOf(j)
    is BigDecimal -> j
    else -> unreadable(path, "a quantity")
}

internal fun decInstant(j: Any?, path: String): Instant = Instant.ofEpochMilli(decLong(j, path))

internal fun decDuration(j: Any?, path: String): Duration = Duration.ofMillis(decLong(j, path))

internal inline fun <T> decList(j: Any?, path: String, each: (Any?, String) -> T): List<T> {
    val l = j as? List<*> ?: unreadable(path, "a list")
    return l.mapIndexed { i, e -> each(e, "$path[$i]") }
}

internal inline fun <T> decMap(j: Any?, path: String, each: (Any?, String) -> T): Map<String, T> {
    val m = decObj(j, path)
    val out = LinkedHashMap<String, T>(m.size)
    for ((k, v) in m) out[k] = each(v, "$path.$k")
    return out
}

/** The one key of an externally tagged variant with settings (`{"ses": {…}}`). */
internal fun decTag(j: Any?, path: String): Pair<String, Any?> = when (j) {
    is String -> j to null
    is Map<*, *> -> if (j.size == 1) (j.keys.first() as String) to j.values.first() else unreadable(path, "a one-key object")
    else -> unreadable(path, "a variant")
}

internal fun unknownVariant(path: String, tag: String): Nothing = unreadable(path, "a known variant (got `$tag`)")
