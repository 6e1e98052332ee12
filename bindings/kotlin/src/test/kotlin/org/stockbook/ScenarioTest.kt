package org.stockbook

import org.json.JSONArray
import org.json.JSONObject
import org.json.JSONTokener
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.TestFactory
import java.io.File
import java.math.BigDecimal
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue
import kotlin.test.fail

/**
 * Replays every `tests/scenarios/\*.json` through the binding's one generic entry point,
 * `Stockbook.callJson`: each step (without its `expect`) is handed over as JSON text and the
 * answer parsed back; the runner maps nothing. The rules are those of
 * tests/scenarios/README.md: an expected error is matched by code and facts, a refused step
 * must leave `last_seq` unchanged, `ok` / `value` match as subsets, and the book must verify
 * sound at the end. `advance_clock` / `set_clock` move the scenario's clock.
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
            ScenarioRunner(JSONObject(file.readText())).run()?.let { fail("${file.name}: $it") }
        }
    }

    @Test
    fun `callJson throws the exception of the code`() = newBook().use { sb ->
        val refused = assertFailsWith<StockbookException.InvalidArgument> {
            sb.callJson("""{"op": "receive", "args": {"sku": "A", "location": "WH1", "qty": 1.5}}""")
        }
        assertEquals("args.qty", refused.errorFacts()["field"])
        val missing = assertFailsWith<StockbookException.NotFound> {
            sb.callJson("""{"op": "transfer", "kind": "query", "args": {"id": "T1"}}""")
        }
        assertEquals("transfer", missing.errorFacts()["kind"])
    }
}

/** Runs one scenario; answers null when it passed, otherwise what went wrong. */
class ScenarioRunner(private val scenario: JSONObject) {
    private val clock = ManualClock(scenario.optLong("start_ms", START_MS))
    private val sb = newBook(clock)

    private fun call(call: JSONObject): Any? = JSONTokener(sb.callJson(call.toString())).nextValue()

    private fun lastSeq(): Any? = call(JSONObject().put("op", "last_seq"))

    fun run(): String? = sb.use {
        val steps = scenario.optJSONArray("steps") ?: return "no steps"
        for (i in 0 until steps.length()) {
            val step = steps.getJSONObject(i)
            val ms = step.optJSONObject("args")?.optLong("ms", 0) ?: 0
            when (step.optString("op")) {
                "advance_clock" -> clock.advance(ms)
                "set_clock" -> clock.set(ms)
                else -> step(step)?.let { return "step $i (${step.opt("op")}): $it" }
            }
        }
        val report = call(JSONObject().put("op", "verify")) as JSONObject
        matches(JSONObject().put("problems", JSONArray()), report)?.let { "verify after the scenario: $report" }
    }

    private fun step(step: JSONObject): String? {
        val expect = step.optJSONObject("expect")
        val callOf = JSONObject(step, *step.keySet().filter { it != "expect" }.toTypedArray())
        val seqBefore = lastSeq()
        val result = try {
            Result.success(call(callOf))
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
                matches(expect.optJSONObject("facts") ?: JSONObject(), JSONObject(err.errorFacts()))?.let {
                    return "facts: $it"
                }
                val seqAfter = lastSeq()
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
}

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
