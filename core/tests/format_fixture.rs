//! Files written by earlier releases keep opening and answering the same.
//!
//! `tests/data/format/script.json` issues every command kind. Each release that changed the
//! file format ran it once with `STOCKBOOK_BLESS_FORMAT_FIXTURE=1 cargo test -p stockbook
//! --test format_fixture` and committed what it wrote under `tests/data/format/v<N>/`: the
//! store itself, every answer the store gave (`answers.json`) and every command's outcome
//! (`outcomes.json`). Every later build must open each of those stores, pass `verify()`,
//! give the same answers — balances now and at past times, history, the log, reservations,
//! orders and purchase orders — and answer a retry of every keyed command with its first
//! outcome, writing nothing.
//!
//! A field added to a public type after a store was written is absent in that store's
//! answers: it must read as absent (`null`, empty) from the old store.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::{Map, Value, json};
use stockbook::orders::ReservationFilter;
use stockbook::planning::PurchaseOrderFilter;
use stockbook::{
    AsOf, BalanceFilter, Command, FORMAT_VERSION, ManualClock, Meta, Options, Receipt, Stockbook,
};

fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/format")
}

fn script() -> Value {
    let text = std::fs::read_to_string(data_dir().join("script.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

/// The stores committed by earlier releases, oldest first.
fn fixture_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(data_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('v'))
        })
        .filter(|p| p.join("stockbook.redb").is_file())
        .collect();
    dirs.sort();
    dirs
}

fn command(step: &Value) -> Command {
    let op = json!({"op": step["op"], "args": step.get("args").cloned().unwrap_or(json!({}))});
    serde_json::from_value(op).unwrap_or_else(|e| panic!("{step}: {e}"))
}

fn meta(step: &Value) -> Meta {
    step.get("meta")
        .map(|m| serde_json::from_value(m.clone()).unwrap())
        .unwrap_or_default()
}

fn outcome_json(result: stockbook::Result<Vec<Receipt>>) -> Value {
    match result {
        Ok(receipts) => json!({"ok": receipts}),
        Err(e) => json!({"error": e.code(), "message": e.to_string()}),
    }
}

/// Runs one command step (a single command or a batch) and its outcome as JSON.
fn execute(sb: &Stockbook, step: &Value) -> Value {
    if step["op"] == "batch" {
        let commands = step["args"]["commands"]
            .as_array()
            .unwrap()
            .iter()
            .map(command)
            .collect();
        outcome_json(sb.execute_batch(commands, meta(step)))
    } else {
        outcome_json(sb.execute(command(step), meta(step)).map(|r| vec![r]))
    }
}

/// Plays the whole script on `sb`: the outcome of every step.
fn play(sb: &Stockbook, clock: &ManualClock) -> Vec<Value> {
    let mut outcomes = Vec::new();
    for step in script()["steps"].as_array().unwrap() {
        if step["op"] == "advance_clock" {
            clock.advance(step["args"]["ms"].as_i64().unwrap());
            outcomes.push(Value::Null);
            continue;
        }
        let outcome = execute(sb, step);
        match (step.get("refused"), outcome.get("error")) {
            (Some(want), Some(got)) => assert_eq!(want, got, "{step}"),
            (None, None) => {}
            _ => panic!("{step}: unexpected outcome {outcome}"),
        }
        outcomes.push(outcome);
    }
    outcomes
}

fn to_json<T: serde::Serialize>(value: T) -> Value {
    serde_json::to_value(value).unwrap()
}

/// Every answer the store gives about what the script did.
fn answers(sb: &Stockbook) -> Value {
    let start = script()["start_ms"].as_i64().unwrap();
    let report = sb.verify().unwrap();
    assert!(report.is_sound(), "{:?}", report.problems);
    let items = sb.items().unwrap();
    let locations = sb.locations().unwrap();
    let skus: Vec<String> = items.iter().map(|i| i.sku.clone()).collect();
    let codes: Vec<String> = locations.iter().map(|l| l.code.clone()).collect();
    let last = sb.last_seq().unwrap();
    let times = [
        -86_400_000,
        -1,
        0,
        3_599_999,
        3_600_000,
        7_200_000,
        7_320_000,
        9_000_000,
    ];
    let seqs = [1, 20, 40, 60, 80, 100, 120, 140, last];
    let mut at = Map::new();
    for sku in &skus {
        for code in &codes {
            let mut row = Vec::new();
            for t in times {
                let as_of = AsOf::Time(start + t);
                row.push(json!([
                    sb.on_hand_at(sku, code, as_of).map(|q| q.to_string()).ok(),
                    sb.reserved_at(sku, code, as_of).map(|q| q.to_string()).ok(),
                ]));
            }
            for s in seqs {
                let as_of = AsOf::Seq(s);
                row.push(json!([
                    sb.on_hand_at(sku, code, as_of).map(|q| q.to_string()).ok(),
                    sb.available_at(sku, code, as_of)
                        .map(|q| q.to_string())
                        .ok(),
                ]));
            }
            let level = sb.stock_level(sku, code).ok().map(to_json);
            at.insert(format!("{sku}@{code}"), json!({"past": row, "now": level}));
        }
    }
    let mut per_item = Map::new();
    for sku in &skus {
        let history: Vec<u64> = sb
            .history(sku, 0, 100_000)
            .unwrap()
            .iter()
            .map(|e| e.seq)
            .collect();
        let serials: Vec<Value> = codes
            .iter()
            .map(|c| to_json(sb.serials_at(sku, c).unwrap_or_default()))
            .collect();
        per_item.insert(
            sku.clone(),
            json!({
                "history": history,
                "lots": sb.lots(sku).map(to_json).ok(),
                "total": sb.item_total(sku).map(|q| q.to_string()).ok(),
                "on_order": sb.on_order(sku, "WH1").map(|q| q.to_string()).ok(),
                "serials": serials,
            }),
        );
    }
    let transfers: Vec<Value> = ["T1", "T2", "T3"]
        .iter()
        .map(|t| to_json(sb.transfer(t).unwrap()))
        .collect();
    json!({
        "last_seq": last,
        "items": to_json(items),
        "locations": to_json(locations),
        "balances": to_json(sb.balances(&BalanceFilter::new().include_virtual(true)).unwrap()),
        "per_item": per_item,
        "at": at,
        "transfers": transfers,
        "events": to_json(sb.events(1, 1_000_000).unwrap()),
        "reservations": to_json(sb.reservations(&ReservationFilter::default()).unwrap()),
        "orders": to_json(sb.orders(None).unwrap()),
        "backorders": to_json(sb.backorders(None).unwrap()),
        "purchase_orders": to_json(sb.purchase_orders(&PurchaseOrderFilter::default()).unwrap()),
    })
}

/// `actual` answers as `expected` did, allowing only fields that `expected` does not know
/// (added by a later release) and that are absent: `null`, `false`, empty.
fn same_answer(expected: &Value, actual: &Value, path: &str) -> Result<(), String> {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (key, value) in e {
                let other = a.get(key).unwrap_or(&Value::Null);
                same_answer(value, other, &format!("{path}.{key}"))?;
            }
            for (key, value) in a {
                let absent = match value {
                    Value::Null | Value::Bool(false) => true,
                    Value::Array(v) => v.is_empty(),
                    Value::Object(m) => m.is_empty(),
                    _ => false,
                };
                if !e.contains_key(key) && !absent {
                    return Err(format!(
                        "{path}.{key}: new field reads as {value}, not absent"
                    ));
                }
            }
            Ok(())
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                return Err(format!("{path}: {} entries, expected {}", a.len(), e.len()));
            }
            for (i, (x, y)) in e.iter().zip(a).enumerate() {
                same_answer(x, y, &format!("{path}[{i}]"))?;
            }
            Ok(())
        }
        _ if expected == actual => Ok(()),
        _ => Err(format!("{path}: {actual}, expected {expected}")),
    }
}

/// Short index blocks and frequent snapshots, so that the script leaves folded index parts,
/// history pairs and a snapshot in the file, not only the log.
fn options(clock: Arc<ManualClock>) -> Options {
    let mut options = Options::default().with_clock(clock);
    options.index_block_events = 16;
    options.snapshot_every_events = 40;
    options
}

fn fresh_store(path: &Path) -> (Stockbook, Arc<ManualClock>) {
    let clock = ManualClock::new(script()["start_ms"].as_i64().unwrap());
    (
        Stockbook::open_with(path, options(clock.clone())).unwrap(),
        clock,
    )
}

/// Writes the fixture of this build's format, once: `STOCKBOOK_BLESS_FORMAT_FIXTURE=1`.
fn bless() {
    let dir = data_dir().join(format!("v{FORMAT_VERSION}"));
    if dir.join("stockbook.redb").exists() {
        return;
    }
    // Written aside and moved in whole: a failed run leaves no half fixture behind.
    let draft = data_dir().join(format!(".v{FORMAT_VERSION}.draft"));
    let _ = std::fs::remove_dir_all(&draft);
    std::fs::create_dir_all(&draft).unwrap();
    let path = draft.join("stockbook.redb");
    let (sb, clock) = fresh_store(&path);
    let outcomes = play(&sb, &clock);
    let answers = answers(&sb);
    sb.close().unwrap();
    let write = |name: &str, value: &Value| {
        let text = serde_json::to_string_pretty(value).unwrap() + "\n";
        std::fs::write(draft.join(name), text).unwrap();
    };
    write("outcomes.json", &Value::Array(outcomes));
    write("answers.json", &answers);
    std::fs::rename(&draft, &dir).unwrap();
}

#[test]
fn every_committed_store_opens_verifies_and_answers_the_same() {
    if std::env::var_os("STOCKBOOK_BLESS_FORMAT_FIXTURE").is_some() {
        bless();
    }
    let dirs = fixture_dirs();
    assert!(
        !dirs.is_empty(),
        "no committed store under {}",
        data_dir().display()
    );
    for dir in dirs {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("old.stockbook");
        std::fs::copy(dir.join("stockbook.redb"), &path).unwrap();
        let expected_answers = read_json(&dir.join("answers.json"));
        let expected_outcomes = read_json(&dir.join("outcomes.json"));
        let steps = script()["steps"].as_array().unwrap().clone();
        // The clock stands after the script's end, so that the retries are late.
        let clock = ManualClock::new(script()["start_ms"].as_i64().unwrap() + 86_400_000);
        let sb = Stockbook::open_with(&path, options(clock.clone())).unwrap();
        let shown = dir.display();
        same_answer(&expected_answers, &answers(&sb), "answers")
            .unwrap_or_else(|e| panic!("{shown}: {e}"));
        let last = sb.last_seq().unwrap();
        let mut retried = 0;
        for (step, expected) in steps.iter().zip(expected_outcomes.as_array().unwrap()) {
            if step.pointer("/meta/key").is_none() {
                continue;
            }
            let outcome = execute(&sb, step);
            assert_eq!(&outcome, expected, "{shown}: retry of {step}");
            retried += 1;
        }
        assert!(retried >= 10, "{shown}: only {retried} keyed steps");
        assert_eq!(sb.last_seq().unwrap(), last, "{shown}: a retry wrote");
        // The same key with another payload is still a conflict.
        let mut changed = steps
            .iter()
            .find(|s| s.pointer("/meta/key").and_then(Value::as_str) == Some("rcv-1"))
            .unwrap()
            .clone();
        changed["args"]["qty"] = json!("101");
        assert_eq!(execute(&sb, &changed)["error"], "conflict", "{shown}");
        sb.close().unwrap();
        // Reopened after this build wrote to it, it still answers the same.
        let (sb, _) = fresh_store(&path);
        same_answer(&expected_answers, &answers(&sb), "answers after reopen")
            .unwrap_or_else(|e| panic!("{shown}: {e}"));
        sb.close().unwrap();
    }
}

#[test]
fn the_script_gives_todays_build_the_answers_of_the_newest_store() {
    let newest = fixture_dirs().pop().expect("a committed store");
    let tmp = tempfile::tempdir().unwrap();
    let (sb, clock) = fresh_store(&tmp.path().join("new.stockbook"));
    let outcomes = play(&sb, &clock);
    same_answer(
        &read_json(&newest.join("outcomes.json")),
        &Value::Array(outcomes),
        "outcomes",
    )
    .unwrap();
    same_answer(
        &read_json(&newest.join("answers.json")),
        &answers(&sb),
        "answers",
    )
    .unwrap();
    sb.close().unwrap();
}
