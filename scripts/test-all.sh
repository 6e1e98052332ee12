#!/usr/bin/env bash
# Runs every test of every language: the Rust workspace, then the Python, Node and
# Kotlin bindings against the same core. One shared cargo target dir; each step prints
# its runner's summary line. Stops at the first failing suite.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
export CARGO_TERM_COLOR=never

echo "== rust: cargo test --workspace"
cargo test --workspace --all-targets
cargo test --workspace --doc

for lang in python node kotlin; do
  script="bindings/$lang/run-tests.sh"
  if [ -f "$script" ]; then
    echo "== $lang: $script"
    bash "$script"
  fi
done
echo "== all suites passed"
