//! The change feed: a reader woken by the commit that publishes new events (measured
//! wake-up latency), never returning early without events before its timeout; its cursor
//! moved only by an acknowledgement (at-least-once), bad acknowledgements refused with the
//! cursor unmoved; and the log exported as CloudEvents 1.0 JSON, by the function and by
//! the `cloud_events` query.

use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use serde_json::json;
use stockbook::integration::{cloud_event, cloudevents::rfc3339};
use stockbook::{Answer, Issue, Item, Location, ManualClock, Options, Query, Receive, Stockbook};

const T0: i64 = 1_767_225_600_000; // 2026-01-01T00:00:00Z

fn book() -> Stockbook {
    let clock = ManualClock::new(T0);
    let sb = Stockbook::in_memory_with(Options::default().with_clock(clock)).unwrap();
    sb.define_item(Item::new("A")).unwrap();
    sb.define_location(Location::new("WH1")).unwrap();
    sb
}

#[test]
fn a_waiting_reader_is_woken_by_a_later_commit() {
    let sb = book();
    let mut latencies = Vec::new();
    for round in 0..21 {
        let feed = sb.feed(sb.last_seq().unwrap() + 1);
        let reader = {
            let feed = feed.clone();
            thread::spawn(move || {
                let batch = feed.next_batch(100, Duration::from_secs(30)).unwrap();
                (batch, Instant::now())
            })
        };
        // Let the reader get to its wait before the commit.
        thread::sleep(Duration::from_millis(20));
        let committed_at = Instant::now();
        sb.receive(Receive::new("A", "WH1", 1 + round)).unwrap();
        let (batch, woken_at) = reader.join().unwrap();
        assert_eq!(batch.len(), 1, "round {round}: {batch:?}");
        assert_eq!(batch[0].seq, feed.cursor());
        assert_eq!(batch[0].event.name(), "moved");
        // The commit returned after publishing: the reader may be woken before `receive`
        // returns to this thread, so the latency is at most the span measured here.
        latencies.push(woken_at.saturating_duration_since(committed_at));
    }
    latencies.sort();
    let median = latencies[latencies.len() / 2];
    let worst = latencies[latencies.len() - 1];
    println!(
        "change feed wake-up: median {median:?}, worst {worst:?} (commit call to reader awake, 21 rounds)"
    );
    assert!(worst < Duration::from_secs(1), "{latencies:?}");
}

#[test]
fn a_reader_without_events_waits_out_its_timeout() {
    let sb = book();
    let feed = sb.feed(sb.last_seq().unwrap() + 1);
    let timeout = Duration::from_millis(300);
    let start = Instant::now();
    let batch = feed.next_batch(10, timeout).unwrap();
    let waited = start.elapsed();
    assert!(batch.is_empty(), "{batch:?}");
    assert!(waited >= timeout, "returned after {waited:?}");
    // A commit that writes nothing (a refusal) wakes nobody early either.
    let reader = {
        let feed = feed.clone();
        thread::spawn(move || {
            let start = Instant::now();
            (feed.next_batch(10, timeout).unwrap(), start.elapsed())
        })
    };
    thread::sleep(Duration::from_millis(50));
    assert!(sb.ship(Issue::new("A", "WH1", 1)).is_err());
    let (batch, waited) = reader.join().unwrap();
    assert!(batch.is_empty(), "{batch:?}");
    assert!(waited >= timeout, "returned after {waited:?}");
}

#[test]
fn a_closed_book_ends_the_wait() {
    let sb = book();
    let waiter = {
        let sb = sb.clone();
        thread::spawn(move || sb.wait_for_events(u64::MAX - 1, Duration::from_secs(30)))
    };
    thread::sleep(Duration::from_millis(50));
    let start = Instant::now();
    sb.close().unwrap();
    let err = waiter.join().unwrap().unwrap_err();
    assert_eq!(err.code(), "closed");
    assert!(start.elapsed() < Duration::from_secs(5));
}

#[test]
fn the_cursor_moves_only_on_ack() {
    let sb = book();
    for n in 1..=5 {
        sb.receive(Receive::new("A", "WH1", n)).unwrap();
    }
    let last = sb.last_seq().unwrap();
    let mut feed = sb.feed(1);
    let first = feed.next_batch(3, Duration::ZERO).unwrap();
    assert_eq!(first.iter().map(|e| e.seq).collect::<Vec<_>>(), [1, 2, 3]);
    // Not acknowledged: the same events again.
    assert_eq!(feed.next_batch(3, Duration::ZERO).unwrap(), first);
    feed.ack(2).unwrap();
    assert_eq!(feed.cursor(), 3);
    let next = feed.next_batch(100, Duration::ZERO).unwrap();
    assert_eq!(next, sb.events(3, 100).unwrap());
    assert_eq!(next.last().unwrap().seq, last);
    feed.ack(last).unwrap();
    assert!(feed.next_batch(100, Duration::ZERO).unwrap().is_empty());

    // Refusals leave the cursor where it was.
    for (seq, field) in [(last, "seq"), (1, "seq"), (last + 1, "seq")] {
        let err = feed.ack(seq).unwrap_err();
        assert_eq!(err.code(), "invalid_argument", "{seq}");
        assert!(err.to_string().contains(field), "{err}");
        assert_eq!(feed.cursor(), last + 1);
    }
    assert_eq!(
        feed.next_batch(0, Duration::ZERO).unwrap_err().code(),
        "invalid_argument"
    );
    assert_eq!(
        feed.next_batch(10_001, Duration::ZERO).unwrap_err().code(),
        "limit_exceeded"
    );
    // Several readers are independent of each other.
    let other = sb.feed(1);
    assert_eq!(other.next_batch(2, Duration::ZERO).unwrap(), first[..2]);
    assert_eq!(feed.cursor(), last + 1);
}

#[test]
fn an_event_as_a_cloud_event() {
    let sb = book();
    sb.receive(Receive::new("A", "WH1", 7)).unwrap();
    let envelope = sb.events(3, 1).unwrap().remove(0);
    let record = serde_json::to_value(cloud_event(&envelope, "east")).unwrap();
    assert_eq!(
        record,
        json!({
            "specversion": "1.0",
            "type": "stockbook.moved",
            "source": "stockbook://east",
            "id": "3",
            "time": "2026-01-01T00:00:00.000Z",
            "datacontenttype": "application/json",
            "subject": "A",
            "data": {
                "kind": "receive",
                "sku": "A",
                "lot": null,
                "from": "@supplier",
                "to": "WH1",
                "qty": "7",
                "serials": [],
                "unit_cost": null,
                "currency": null,
                "reason_code": null,
                "transfer": null,
            },
        })
    );
    // An event naming no item has no subject; its data are its fields.
    let first = serde_json::to_value(cloud_event(&sb.events(2, 1).unwrap()[0], "east")).unwrap();
    assert_eq!(first["type"], "stockbook.location_defined");
    assert!(first.get("subject").is_none(), "{first}");
    assert_eq!(first["data"]["code"], "WH1");
}

#[test]
fn the_cloud_events_query_answers_the_function() {
    let sb = book();
    sb.receive(Receive::new("A", "WH1", 7)).unwrap();
    let query = Query::from_json(r#"{"op": "cloud_events", "args": {"from_seq": 2}}"#).unwrap();
    let Answer::CloudEvents(records) = sb.query(&query).unwrap() else {
        panic!("not a cloud_events answer");
    };
    let expected: Vec<_> = sb
        .events(2, 100)
        .unwrap()
        .iter()
        .map(|e| cloud_event(e, "memory"))
        .collect();
    assert_eq!(records, expected);
    assert_eq!(records.len(), 2);
    // A given source; a book in a file is named after the file.
    let named = sb.cloud_events(1, 1, Some("plant-7")).unwrap();
    assert_eq!(named[0].source, "stockbook://plant-7");
    let dir = tempfile::tempdir().unwrap();
    let filed = Stockbook::open(dir.path().join("east.stockbook")).unwrap();
    filed.define_item(Item::new("A")).unwrap();
    assert_eq!(
        filed.cloud_events(1, 1, None).unwrap()[0].source,
        "stockbook://east"
    );
    // Through the generic entry point, as every binding calls it.
    let answer = sb
        .call_json(r#"{"op": "cloud_events", "args": {"from_seq": 3, "source": "x"}}"#)
        .unwrap();
    let answer: serde_json::Value = serde_json::from_str(&answer).unwrap();
    assert_eq!(answer[0]["id"], "3");
    assert_eq!(answer[0]["source"], "stockbook://x");
    assert_eq!(answer[0]["type"], "stockbook.moved");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Every instant formats as the calendar says, read back by the same rule.
    #[test]
    fn rfc3339_round_trips(t in -62_135_596_800_000i64..253_402_300_799_999) {
        let text = rfc3339(t);
        prop_assert_eq!(text.len(), 24, "{}", text);
        let (date, time) = text.split_once('T').unwrap();
        let ymd: Vec<i64> = date.split('-').map(|p| p.parse().unwrap()).collect();
        let (y, m, d) = (ymd[0], ymd[1], ymd[2]);
        // Days since the epoch (H. Hinnant), independent of the formatter's inverse.
        let yy = if m <= 2 { y - 1 } else { y };
        let era = yy.div_euclid(400);
        let yoe = yy - era * 400;
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
        let days = era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468;
        let hms: Vec<f64> = time.trim_end_matches('Z').split(':').map(|p| p.parse().unwrap()).collect();
        let ms = days * 86_400_000
            + (hms[0] as i64) * 3_600_000
            + (hms[1] as i64) * 60_000
            + (hms[2] * 1000.0).round() as i64;
        prop_assert_eq!(ms, t);
    }

    /// For random commits and acknowledgement points, a feed hands out the log in order,
    /// nothing skipped and nothing past what was acknowledged lost.
    #[test]
    fn a_feed_delivers_the_log_in_order(
        steps in proptest::collection::vec((1i64..5, 0usize..4, 1usize..6), 1..20),
    ) {
        let sb = book();
        let mut feed = sb.feed(1);
        let mut delivered = Vec::new();
        for (qty, commits, max) in steps {
            for _ in 0..commits {
                sb.receive(Receive::new("A", "WH1", qty)).unwrap();
            }
            let batch = feed.next_batch(max, Duration::ZERO).unwrap();
            prop_assert!(batch.len() <= max);
            if let Some(first) = batch.first() {
                prop_assert_eq!(first.seq, feed.cursor());
            }
            // Acknowledge a random prefix (here: all but the last when there are several).
            let keep = batch.len().saturating_sub(usize::from(batch.len() > 1));
            if keep > 0 {
                feed.ack(batch[keep - 1].seq).unwrap();
                delivered.extend(batch[..keep].iter().cloned());
            }
        }
        loop {
            let batch = feed.next_batch(100, Duration::ZERO).unwrap();
            let Some(last) = batch.last() else { break };
            feed.ack(last.seq).unwrap();
            delivered.extend(batch);
        }
        prop_assert_eq!(delivered, sb.events(1, 10_000).unwrap());
    }
}

#[test]
fn a_shared_handle_wakes_every_waiter() {
    let sb = Arc::new(book());
    let from = sb.last_seq().unwrap();
    let waiters: Vec<_> = (0..4)
        .map(|_| {
            let sb = Arc::clone(&sb);
            thread::spawn(move || sb.wait_for_events(from, Duration::from_secs(30)).unwrap())
        })
        .collect();
    thread::sleep(Duration::from_millis(50));
    sb.receive(Receive::new("A", "WH1", 1)).unwrap();
    for waiter in waiters {
        assert_eq!(waiter.join().unwrap(), from + 1);
    }
}
