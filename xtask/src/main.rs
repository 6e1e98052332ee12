//! Repository tasks, run as `cargo run -p xtask -- <task>`:
//!
//! - `generate`: writes every file generated from the core's one definition of commands,
//!   queries, answers and errors: `schema/stockbook.schema.json` (the JSON Schema) and
//!   `bindings/node/contract.d.ts` and `bindings/python/python/stockbook/contract.py` (the
//!   same as TypeScript and Python types);
//! - `model`: prints the contract model the generators read ([`model::Contract`]);
//! - `check`: fails when a committed generated file differs from what `generate` would
//!   write (CI runs it, so a change to the definitions cannot land without its files).

mod kotlin_surface;
pub mod model;
mod node_surface;
mod python;
mod python_surface;
mod typescript;

use std::path::PathBuf;
use std::process::ExitCode;

use stockbook::command::schema;

/// The generated schema, relative to the workspace root.
const SCHEMA_PATH: &str = "schema/stockbook.schema.json";

fn main() -> ExitCode {
    let task = std::env::args().nth(1);
    match task.as_deref() {
        Some("generate") => write_all(),
        Some("check") => check_all(),
        Some("model") => {
            let document: serde_json::Value = serde_json::from_str(&schema::document_text())
                .expect("the schema document is JSON");
            print!(
                "{}",
                model::summary(&model::Contract::from_schema(&document))
            );
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("usage: cargo run -p xtask -- <generate|check>");
            eprintln!("  generate  write every generated file from the core's definitions");
            eprintln!("  check     fail if a committed generated file is stale");
            eprintln!("  model     print the contract model every binding generator reads");
            ExitCode::from(2)
        }
    }
}

/// Every generated file: its path from the workspace root and its text.
fn generated() -> Vec<(&'static str, String)> {
    let text = schema::document_text();
    let document: serde_json::Value =
        serde_json::from_str(&text).expect("the schema document is JSON");
    let contract = model::Contract::from_schema(&document);
    vec![
        (SCHEMA_PATH, text),
        (
            typescript::PATH,
            typescript::render(&document, schema::GENERATED_BY),
        ),
        (
            node_surface::JS_PATH,
            node_surface::render_js(&contract, schema::GENERATED_BY),
        ),
        (
            node_surface::DTS_PATH,
            node_surface::render_dts(&contract, schema::GENERATED_BY),
        ),
        (
            python::PATH,
            python::render(&document, schema::GENERATED_BY),
        ),
        (
            python_surface::PATH,
            python_surface::render(&contract, schema::GENERATED_BY),
        ),
        (
            kotlin_surface::PATH,
            kotlin_surface::render(&contract, schema::GENERATED_BY),
        ),
    ]
}

/// The workspace root: the parent of this crate's directory.
fn root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest
        .parent()
        .expect("xtask lives in the workspace root")
        .to_path_buf()
}

fn write_all() -> ExitCode {
    for (relative, text) in generated() {
        let path = root().join(relative);
        if let Some(dir) = path.parent()
            && let Err(e) = std::fs::create_dir_all(dir)
        {
            eprintln!("cannot create {}: {e}", dir.display());
            return ExitCode::FAILURE;
        }
        if let Err(e) = std::fs::write(&path, text) {
            eprintln!("cannot write {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
        println!("wrote {relative}");
    }
    ExitCode::SUCCESS
}

fn check_all() -> ExitCode {
    let mut stale = false;
    for (relative, expected) in generated() {
        let committed = match std::fs::read_to_string(root().join(relative)) {
            Ok(text) => text,
            Err(e) => {
                eprintln!("{relative} cannot be read ({e})");
                stale = true;
                continue;
            }
        };
        if committed == expected {
            println!("{relative} is current");
            continue;
        }
        let line = committed
            .lines()
            .zip(expected.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| committed.lines().count().min(expected.lines().count()))
            + 1;
        eprintln!(
            "{relative} is stale: it differs from the core's definitions from line {line} on."
        );
        stale = true;
    }
    if stale {
        eprintln!("Run `cargo run -p xtask -- generate` and commit the files.");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
