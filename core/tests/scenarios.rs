//! Replays every scenario of `tests/scenarios/` (see its README for the format) through the
//! one generic entry point, [`Stockbook::call`]: each step is a call, answered in JSON.

use std::path::PathBuf;

use serde_json::{Value, json};
use stockbook::{ManualClock, Options, Stockbook};

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
    let mut failures = Vec::new();
    for file in &scenario_files() {
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
    let clock = ManualClock::new(scenario["start_ms"].as_i64().unwrap_or(DEFAULT_START_MS));
    let sb = Stockbook::in_memory_with(Options::default().with_clock(clock.clone()))
        .map_err(|e| e.to_string())?;
    let steps = scenario["steps"].as_array().ok_or("no steps")?;
    for (i, step) in steps.iter().enumerate() {
        let ms = step["args"]["ms"].as_i64().unwrap_or(0);
        // The scenario's manual clock is the runner's, not the engine's.
        match step["op"].as_str() {
            Some("advance_clock") => clock.advance(ms),
            Some("set_clock") => clock.set(ms),
            _ => run_step(&sb, step).map_err(|m| format!("step {i} ({}): {m}", step["op"]))?,
        }
    }
    let report = sb.verify().map_err(|e| e.to_string())?;
    if !report.is_sound() {
        return Err(format!("verify after the scenario: {:?}", report.problems));
    }
    Ok(())
}

fn run_step(sb: &Stockbook, step: &Value) -> Result<(), String> {
    let expect = step.get("expect").cloned().unwrap_or(Value::Null);
    let mut call = step.clone();
    call.as_object_mut()
        .ok_or("a step is an object")?
        .remove("expect");
    let last_seq = || {
        sb.call(json!({"op": "last_seq"}))
            .map_err(|e| e.to_string())
    };
    let seq_before = last_seq()?;
    match (sb.call(call), expect.get("error")) {
        (Err(err), Some(code)) => {
            if code.as_str() != Some(err.code()) {
                return Err(format!("expected error {code}, got {} ({err})", err.code()));
            }
            if let Some(facts) = expect.get("facts") {
                let actual = err.facts().into_iter();
                let actual = actual.map(|(k, v)| (k.to_owned(), Value::String(v)));
                matches(facts, &Value::Object(actual.collect()))
                    .map_err(|m| format!("facts{m}"))?;
            }
            let seq_after = last_seq()?;
            if seq_after != seq_before {
                return Err(format!(
                    "a refused step wrote events ({seq_before} → {seq_after})"
                ));
            }
            Ok(())
        }
        (Err(err), None) => Err(format!("unexpected error {}: {err}", err.code())),
        (Ok(_), Some(code)) => Err(format!("expected error {code}, but it succeeded")),
        (Ok(actual), None) => match expect.get("ok").or_else(|| expect.get("value")) {
            Some(want) => matches(want, &actual),
            None => Ok(()),
        },
    }
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
