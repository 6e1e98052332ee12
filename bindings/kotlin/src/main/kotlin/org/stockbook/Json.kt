// Hand-written runtime: a small JSON reader and writer, the one the generated surface
// encodes its calls with and decodes its answers with (no dependency, no reflection).
//
// A JSON value is a plain Kotlin value: null, Boolean, String, Long (an integer that fits)
// or BigDecimal (any other number, kept exact), List<Any?> and Map<String, Any?>.
package org.stockbook

import java.math.BigDecimal

internal object Json {
    /** The value of [text]; throws [IllegalArgumentException] on malformed JSON. */
    fun parse(text: String): Any? {
        val r = Reader(text)
        val v = r.value()
        r.skipSpace()
        require(r.i == text.length) { "trailing characters at ${r.i}" }
        return v
    }

    /** [value] as JSON text. */
    fun write(value: Any?): String = StringBuilder().also { write(it, value) }.toString()

    fun write(out: StringBuilder, value: Any?) {
        when (value) {
            null -> out.append("null")
            is String -> string(out, value)
            is Boolean, is Int, is Long -> out.append(value.toString())
            is BigDecimal -> out.append(value.toPlainString())
            is Double -> {
                require(value.isFinite()) { "not a finite number: $value" }
                out.append(value.toString())
            }
            is Map<*, *> -> {
                out.append('{')
                var first = true
                for ((k, v) in value) {
                    if (!first) out.append(',')
                    first = false
                    string(out, k as String)
                    out.append(':')
                    write(out, v)
                }
                out.append('}')
            }
            is List<*> -> {
                out.append('[')
                value.forEachIndexed { i, v ->
                    if (i > 0) out.append(',')
                    write(out, v)
                }
                out.append(']')
            }
            else -> throw IllegalArgumentException("not a JSON value: ${value::class}")
        }
    }

    private fun string(out: StringBuilder, s: String) {
        out.append('"')
        for (c in s) {
            when {
                c == '"' -> out.append("\\\"")
                c == '\\' -> out.append("\\\\")
                c == '\n' -> out.append("\\n")
                c == '\r' -> out.append("\\r")
                c == '\t' -> out.append("\\t")
                c < ' ' -> out.append("\\u%04x".format(c.code))
                else -> out.append(c)
            }
        }
        out.append('"')
    }

    private class Reader(val s: String) {
        var i = 0

        fun skipSpace() {
            while (i < s.length && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t')) i++
        }

        fun value(): Any? {
            skipSpace()
            require(i < s.length) { "unexpected end of JSON" }
            return when (val c = s[i]) {
                '{' -> obj()
                '[' -> list()
                '"' -> string()
                't' -> word("true", true)
                'f' -> word("false", false)
                'n' -> word("null", null)
                else -> if (c == '-' || c in '0'..'9') number() else throw IllegalArgumentException("unexpected '$c' at $i")
            }
        }

        private fun word(w: String, v: Any?): Any? {
            require(s.startsWith(w, i)) { "unexpected text at $i" }
            i += w.length
            return v
        }

        private fun obj(): Map<String, Any?> {
            val m = LinkedHashMap<String, Any?>()
            i++
            skipSpace()
            if (s[i] == '}') { i++; return m }
            while (true) {
                skipSpace()
                val k = string()
                skipSpace()
                require(s[i] == ':') { "expected ':' at $i" }
                i++
                m[k] = value()
                skipSpace()
                when (s[i++]) {
                    ',' -> continue
                    '}' -> return m
                    else -> throw IllegalArgumentException("expected ',' or '}' at ${i - 1}")
                }
            }
        }

        private fun list(): List<Any?> {
            val l = ArrayList<Any?>()
            i++
            skipSpace()
            if (s[i] == ']') { i++; return l }
            while (true) {
                l.add(value())
                skipSpace()
                when (s[i++]) {
                    ',' -> continue
                    ']' -> return l
                    else -> throw IllegalArgumentException("expected ',' or ']' at ${i - 1}")
                }
            }
        }

        private fun string(): String {
            require(s[i] == '"') { "expected a string at $i" }
            i++
            val start = i
            while (s[i] != '"' && s[i] != '\\') i++
            if (s[i] == '"') return s.substring(start, i++)
            val b = StringBuilder().append(s, start, i)
            while (true) {
                val c = s[i++]
                when (c) {
                    '"' -> return b.toString()
                    '\\' -> when (val e = s[i++]) {
                        'n' -> b.append('\n')
                        'r' -> b.append('\r')
                        't' -> b.append('\t')
                        'b' -> b.append('\b')
                        'f' -> b.append('\u000c')
                        'u' -> { b.append(s.substring(i, i + 4).toInt(16).toChar()); i += 4 }
                        else -> b.append(e)
                    }
                    else -> b.append(c)
                }
            }
        }

        private fun number(): Any {
            val start = i
            if (s[i] == '-') i++
            var integral = true
            while (i < s.length) {
                val c = s[i]
                if (c in '0'..'9') i++
                else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') { integral = false; i++ }
                else break
            }
            val text = s.substring(start, i)
            if (integral && text.length < 19) return text.toLong()
            return BigDecimal(text).let { d ->
                if (integral) runCatching { d.longValueExact() }.getOrDefault(d) else d
            }
        }
    }
}
