//! Replays every scenario of `tests/scenarios/` (see its README for the format).

use std::path::PathBuf;
use std::sync::Arc;

use serde_json::{Value, json};
use stockbook::orders::{ReservationFilter, Strategy};
use stockbook::planning::{Bucket, PlanOptions, PurchaseOrderFilter};
use stockbook::{
    AsOf, BalanceFilter, Command, Error, ManualClock, Meta, Options, Qty, Receipt, Stockbook,
};

const DEFAULT_START_MS: i64 = 1_767_225_600_000;

fn scenario_files() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/scenarios exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

#[test]
fn the_corpus_covers_the_ledger() {
    let files = scenario_files();
    assert!(
        files.len() >= 15,
        "expected at least 15 scenarios, found {}",
        files.len()
    );
}

#[test]
fn every_scenario_replays() {
    let files = scenario_files();
    let mut failures = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let scenario: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{}: invalid JSON: {e}", file.display()));
        if let Err(msg) = run(&scenario) {
            failures.push(format!("{}: {msg}", file.display()));
        }
    }
    assert!(
        failures.is_empty(),
        "scenario failures:\n{}",
        failures.join("\n")
    );
}

fn run(scenario: &Value) -> Result<(), String> {
    let start = scenario["start_ms"].as_i64().unwrap_or(DEFAULT_START_MS);
    let clock = ManualClock::new(start);
    let sb = Stockbook::in_memory_with(Options::default().with_clock(clock.clone()))
        .map_err(|e| e.to_string())?;
    let steps = scenario["steps"].as_array().ok_or("no steps")?;
    for (i, step) in steps.iter().enumerate() {
        run_step(&sb, &clock, step).map_err(|m| format!("step {i} ({}): {m}", step["op"]))?;
    }
    let report = sb.verify().map_err(|e| e.to_string())?;
    if !report.is_sound() {
        return Err(format!("verify after the scenario: {:?}", report.problems));
    }
    Ok(())
}

fn run_step(sb: &Stockbook, clock: &Arc<ManualClock>, step: &Value) -> Result<(), String> {
    let op = step["op"].as_str().ok_or("op missing")?;
    let args = step.get("args").cloned().unwrap_or(json!({}));
    let expect = step.get("expect").cloned().unwrap_or(Value::Null);
    let meta: Meta = match step.get("meta") {
        Some(m) => serde_json::from_value(m.clone()).map_err(|e| format!("meta: {e}"))?,
        None => Meta::default(),
    };
    let seq_before = sb.last_seq().map_err(|e| e.to_string())?;
    let result = perform(sb, clock, op, &args, meta);
    match (&result, expect.get("error")) {
        (Err(err), Some(code)) => {
            if code.as_str() != Some(err.code()) {
                return Err(format!("expected error {code}, got {} ({err})", err.code()));
            }
            if let Some(facts) = expect.get("facts") {
                let actual: serde_json::Map<String, Value> = err
                    .facts()
                    .into_iter()
                    .map(|(k, v)| (k.to_owned(), Value::String(v)))
                    .collect();
                matches(facts, &Value::Object(actual)).map_err(|m| format!("facts: {m}"))?;
            }
            let seq_after = sb.last_seq().map_err(|e| e.to_string())?;
            if seq_after != seq_before {
                return Err(format!(
                    "a refused step wrote events ({seq_before} → {seq_after})"
                ));
            }
            Ok(())
        }
        (Err(err), None) => Err(format!("unexpected error {}: {err}", err.code())),
        (Ok(_), Some(code)) => Err(format!("expected error {code}, but it succeeded")),
        (Ok(actual), None) => {
            if let Some(want) = expect.get("ok").or_else(|| expect.get("value")) {
                matches(want, actual)?;
            }
            Ok(())
        }
    }
}

fn s<'a>(args: &'a Value, name: &str) -> Result<&'a str, Error> {
    args[name].as_str().ok_or_else(|| Error::InvalidArgument {
        field: name.to_owned(),
        reason: "missing in the scenario".into(),
    })
}

fn receipt_json(r: &Receipt) -> Value {
    serde_json::to_value(r).expect("receipts serialise")
}

fn perform(
    sb: &Stockbook,
    clock: &Arc<ManualClock>,
    op: &str,
    args: &Value,
    meta: Meta,
) -> Result<Value, Error> {
    match op {
        "advance_clock" => {
            clock.advance(args["ms"].as_i64().unwrap_or(0));
            Ok(Value::Null)
        }
        "set_clock" => {
            clock.set(args["ms"].as_i64().unwrap_or(0));
            Ok(Value::Null)
        }
        "on_hand" => Ok(json!(
            sb.on_hand_lot(s(args, "sku")?, s(args, "location")?, args["lot"].as_str())?
                .to_string()
        )),
        "on_hand_at" => {
            let as_of = as_of(args)?;
            Ok(json!(
                sb.on_hand_at(s(args, "sku")?, s(args, "location")?, as_of)?
                    .to_string()
            ))
        }
        "item_total" => Ok(json!(sb.item_total(s(args, "sku")?)?.to_string())),
        "balances" => {
            let filter: BalanceFilter =
                serde_json::from_value(args.clone()).map_err(|e| Error::InvalidArgument {
                    field: "balances".into(),
                    reason: e.to_string(),
                })?;
            Ok(json(sb.balances(&filter)?))
        }
        "item" => Ok(json(sb.item(s(args, "sku")?)?)),
        "location" => Ok(json(sb.location(s(args, "code")?)?)),
        "lot" => Ok(json(sb.lot(s(args, "sku")?, s(args, "lot")?)?)),
        // `transfer` names both the query (by `id`) and the one-step command.
        "transfer" if args.get("id").is_some() => Ok(json(sb.transfer(s(args, "id")?)?)),
        "serial" => Ok(json(sb.serial(s(args, "sku")?, s(args, "serial")?)?)),
        "history" => Ok(json!(
            sb.history(s(args, "sku")?, 0, 10_000)?
                .iter()
                .map(|e| e.event.name())
                .collect::<Vec<_>>()
        )),
        "last_seq" => Ok(json!(sb.last_seq()?)),
        "reservation" => Ok(json(sb.reservation(s(args, "id")?)?)),
        "reservations" => {
            let filter: ReservationFilter =
                serde_json::from_value(args.clone()).map_err(|e| Error::InvalidArgument {
                    field: "reservations".into(),
                    reason: e.to_string(),
                })?;
            Ok(json(sb.reservations(&filter)?))
        }
        "available" => Ok(json!(
            sb.available(s(args, "sku")?, s(args, "location")?)?
                .to_string()
        )),
        "reserved" => Ok(json!(
            sb.reserved(s(args, "sku")?, s(args, "location")?)?
                .to_string()
        )),
        "stock_level" => Ok(json(sb.stock_level(s(args, "sku")?, s(args, "location")?)?)),
        "available_at" | "reserved_at" => {
            let as_of = as_of(args)?;
            let (sku, location) = (s(args, "sku")?, s(args, "location")?);
            let value = if op == "available_at" {
                sb.available_at(sku, location, as_of)?
            } else {
                sb.reserved_at(sku, location, as_of)?
            };
            Ok(json!(value.to_string()))
        }
        "order" => Ok(json(sb.order(s(args, "id")?)?)),
        "backorders" => Ok(json(sb.backorders(args["sku"].as_str())?)),
        "plan_allocation" => {
            let strategy: Strategy = match args.get("strategy") {
                Some(v) => {
                    serde_json::from_value(v.clone()).map_err(|e| Error::InvalidArgument {
                        field: "strategy".into(),
                        reason: e.to_string(),
                    })?
                }
                None => Strategy::default(),
            };
            let qty: Qty = serde_json::from_value(args["qty"].clone()).map_err(|e| {
                Error::InvalidArgument {
                    field: "qty".into(),
                    reason: e.to_string(),
                }
            })?;
            Ok(json(sb.plan_allocation(
                s(args, "sku")?,
                qty,
                s(args, "scope")?,
                &strategy,
            )?))
        }
        "purchase_order" => Ok(json(sb.purchase_order(s(args, "id")?)?)),
        "purchase_orders" => {
            let filter: PurchaseOrderFilter = from_args("purchase_orders", args)?;
            Ok(json(sb.purchase_orders(&filter)?))
        }
        "on_order" => Ok(json!(
            sb.on_order(s(args, "sku")?, s(args, "location")?)?
                .to_string()
        )),
        "lead_time_stats" => Ok(json(
            sb.lead_time_stats(s(args, "supplier")?, args["sku"].as_str())?,
        )),
        "demand_history" => {
            let bucket: Bucket = from_args("bucket", &args["bucket"])?;
            let (from, to) = (args["from_ms"].as_i64(), args["to_ms"].as_i64());
            let (Some(from), Some(to)) = (from, to) else {
                return Err(Error::InvalidArgument {
                    field: "from_ms".into(),
                    reason: "from_ms and to_ms are required".into(),
                });
            };
            let include_backorders = args["include_backorders"].as_bool().unwrap_or(false);
            Ok(json(sb.demand_history(
                s(args, "sku")?,
                s(args, "location")?,
                bucket,
                from,
                to,
                include_backorders,
            )?))
        }
        "replenishment_plan" => {
            let options: PlanOptions = from_args("replenishment_plan", args)?;
            Ok(json(sb.replenishment_plan(&options)?))
        }
        "batch" => {
            let commands: Vec<Command> =
                serde_json::from_value(args["commands"].clone()).map_err(|e| {
                    Error::InvalidArgument {
                        field: "commands".into(),
                        reason: e.to_string(),
                    }
                })?;
            let receipts = sb.execute_batch(commands, meta)?;
            Ok(Value::Array(receipts.iter().map(receipt_json).collect()))
        }
        _ => {
            let command: Command = serde_json::from_value(json!({"op": op, "args": args}))
                .map_err(|e| Error::InvalidArgument {
                    field: op.to_owned(),
                    reason: e.to_string(),
                })?;
            Ok(receipt_json(&sb.execute(command, meta)?))
        }
    }
}

fn from_args<T: serde::de::DeserializeOwned>(field: &str, args: &Value) -> Result<T, Error> {
    serde_json::from_value(args.clone()).map_err(|e| Error::InvalidArgument {
        field: field.to_owned(),
        reason: e.to_string(),
    })
}

fn as_of(args: &Value) -> Result<AsOf, Error> {
    match (args["at_ms"].as_i64(), args["seq"].as_u64()) {
        (Some(t), _) => Ok(AsOf::Time(t)),
        (None, Some(seq)) => Ok(AsOf::Seq(seq)),
        (None, None) => Err(Error::InvalidArgument {
            field: "at_ms".into(),
            reason: "at_ms or seq".into(),
        }),
    }
}

fn json<T: serde::Serialize>(value: T) -> Value {
    serde_json::to_value(value).expect("serialisable")
}

/// `want` matches `got`: objects as subsets, arrays element-wise, scalars equal.
fn matches(want: &Value, got: &Value) -> Result<(), String> {
    match (want, got) {
        (Value::Object(w), Value::Object(g)) => {
            for (k, wv) in w {
                let gv = g.get(k).unwrap_or(&Value::Null);
                matches(wv, gv).map_err(|m| format!(".{k}{m}"))?;
            }
            Ok(())
        }
        (Value::Array(w), Value::Array(g)) => {
            if w.len() != g.len() {
                return Err(format!(
                    ": expected {} elements, got {} ({got})",
                    w.len(),
                    g.len()
                ));
            }
            for (i, (wv, gv)) in w.iter().zip(g).enumerate() {
                matches(wv, gv).map_err(|m| format!("[{i}]{m}"))?;
            }
            Ok(())
        }
        (Value::Number(w), Value::Number(g)) if w.as_f64() == g.as_f64() => Ok(()),
        _ if want == got => Ok(()),
        _ => Err(format!(": expected {want}, got {got}")),
    }
}
