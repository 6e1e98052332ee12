// Hand-written: the event log read lazily, typed.
@file:JvmName("Events")

package org.stockbook

/** The next event, or `null` when the log has no more (yet). */
fun EventIterator.next(): Envelope? = nextJson()?.let { decodeEnvelope(Json.parse(it), "event") }

/**
 * Every event from [fromSeq] on, read lazily a page at a time. The underlying iterator is
 * released when the sequence is exhausted; stop early with `take`/`first` and it is
 * released by the cleaner.
 */
fun Stockbook.eventSequence(fromSeq: Long = 1): Sequence<Envelope> = sequence {
    eventsIter(fromSeq).use { cursor ->
        while (true) {
            yield(cursor.next() ?: break)
        }
    }
}
