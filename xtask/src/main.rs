//! Repository tasks, run as `cargo run -p xtask -- <task>`:
//!
//! - `schema`: writes `schema/stockbook.schema.json`, the JSON Schema of every command,
//!   query, answer and error, from the core's serde definitions;
//! - `check`: fails when the committed file differs from what `schema` would write (CI
//!   runs it, so a change to the definitions cannot land without its schema).

use std::path::PathBuf;
use std::process::ExitCode;

/// The generated file, relative to the workspace root.
const SCHEMA_PATH: &str = "schema/stockbook.schema.json";

fn main() -> ExitCode {
    let task = std::env::args().nth(1);
    match task.as_deref() {
        Some("schema") => write_schema(),
        Some("check") => check_schema(),
        _ => {
            eprintln!("usage: cargo run -p xtask -- <schema|check>");
            eprintln!("  schema  write {SCHEMA_PATH} from the core's definitions");
            eprintln!("  check   fail if the committed {SCHEMA_PATH} is stale");
            ExitCode::from(2)
        }
    }
}

/// The workspace root: the parent of this crate's directory.
fn root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest
        .parent()
        .expect("xtask lives in the workspace root")
        .to_path_buf()
}

fn write_schema() -> ExitCode {
    let path = root().join(SCHEMA_PATH);
    let text = stockbook::command::schema::document_text();
    if let Some(dir) = path.parent()
        && let Err(e) = std::fs::create_dir_all(dir)
    {
        eprintln!("cannot create {}: {e}", dir.display());
        return ExitCode::FAILURE;
    }
    match std::fs::write(&path, text) {
        Ok(()) => {
            println!("wrote {SCHEMA_PATH}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("cannot write {}: {e}", path.display());
            ExitCode::FAILURE
        }
    }
}

fn check_schema() -> ExitCode {
    let path = root().join(SCHEMA_PATH);
    let expected = stockbook::command::schema::document_text();
    let committed = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("{SCHEMA_PATH} cannot be read ({e}): run `cargo run -p xtask -- schema`");
            return ExitCode::FAILURE;
        }
    };
    if committed == expected {
        println!("{SCHEMA_PATH} is current");
        return ExitCode::SUCCESS;
    }
    let line = committed
        .lines()
        .zip(expected.lines())
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| committed.lines().count().min(expected.lines().count()))
        + 1;
    eprintln!(
        "{SCHEMA_PATH} is stale: it differs from the core's definitions from line {line} on.\n\
         Run `cargo run -p xtask -- schema` and commit the file."
    );
    ExitCode::FAILURE
}
