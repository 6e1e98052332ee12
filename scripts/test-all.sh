#!/usr/bin/env bash
# Runs every test of every language: the Rust workspace, then the Python, Node and
# Kotlin bindings against the same core. One shared cargo target dir; each step prints
# its runner's summary line. Stops at the first failing suite.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
export CARGO_TERM_COLOR=never
# The bindings' tests use the dev profile, like `cargo test`: one build of the core
# serves every language, and CI stays well inside its time.
export STOCKBOOK_PY_PROFILE="${STOCKBOOK_PY_PROFILE:-dev}"

echo "== rust: cargo test --workspace"
cargo test --workspace --lib --bins --tests --examples
cargo test --workspace --doc

# The committed JSON Schema must be the one the core's definitions generate.
echo "== schema: cargo run -p xtask -- check"
cargo run --quiet -p xtask -- check

for lang in python node kotlin; do
  script="bindings/$lang/run-tests.sh"
  if [ -f "$script" ]; then
    echo "== $lang: $script"
    bash "$script"
  fi
done
echo "== all suites passed"
