// Hand-written: the event log as a Kotlin Sequence.
@file:JvmName("Events")

package org.stockbook

/**
 * Every event from [fromSeq] on, read lazily a page at a time. The underlying iterator is
 * released when the sequence is exhausted; stop early with `take`/`first` and it is
 * released by the cleaner.
 */
fun Stockbook.eventSequence(fromSeq: Long = 1): Sequence<Envelope> = sequence {
    eventsIter(fromSeq).use { cursor ->
        while (true) {
            val next = cursor.nextJson() ?: break
            yield(decodeEnvelope(Json.parse(next), "event"))
        }
    }
}
