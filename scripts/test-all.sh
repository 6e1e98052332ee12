#!/usr/bin/env bash
# Runs every test of every language: the Rust workspace, then the Python, Node and
# Kotlin bindings against the same core, then builds every artifact users receive
# (scripts/dist.sh) and installs each into a clean environment to use it there
# (scripts/smoke-dist.sh). One shared cargo target dir; each step prints its runner's
# summary line. Stops at the first failing suite.
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

# One version, the workspace's: package.json and pom.xml must carry it.
echo "== versions: scripts/version.sh --check"
bash scripts/version.sh --check

# The crate's docs as docs.rs builds them: a broken link or a bad doc is an error.
echo "== rust: cargo doc -p stockbook --no-deps (warnings are errors)"
RUSTDOCFLAGS="-D warnings" cargo doc --quiet -p stockbook --no-deps

# The MSRV: no dependency of the core may ask for a newer Rust than `rust-version`, and the
# core builds with that toolchain (when rustup can install it).
msrv="$(sed -n 's/^rust-version = "\(.*\)"$/\1/p' Cargo.toml)"
echo "== rust: MSRV $msrv"
cargo metadata --format-version 1 --locked | python3 -c '
import json, sys
msrv = tuple(int(x) for x in sys.argv[1].split("."))
meta = json.load(sys.stdin)
packages = {p["id"]: p for p in meta["packages"]}
nodes = {n["id"]: n for n in meta["resolve"]["nodes"]}
todo = [p["id"] for p in meta["packages"] if p["name"] == "stockbook" and p["source"] is None]
seen, newer = set(), []
while todo:
    pid = todo.pop()
    if pid in seen:
        continue
    seen.add(pid)
    want = packages[pid].get("rust_version")
    if want and tuple(int(x) for x in want.split(".")) > msrv:
        newer.append("%s %s wants Rust %s" % (packages[pid]["name"], packages[pid]["version"], want))
    todo += [d["pkg"] for d in nodes[pid]["deps"] if any(k["kind"] in (None, "build") for k in d["dep_kinds"])]
if newer:
    sys.exit("rust-version " + sys.argv[1] + " is older than what the core needs: " + "; ".join(newer))
' "$msrv"
# (Bounded in time: where only the package registries are reachable, rustup cannot download.)
if timeout 600 rustup toolchain install "$msrv" --profile minimal --no-self-update >/dev/null 2>&1; then
    cargo "+$msrv" check --quiet -p stockbook --lib --locked
    echo "stockbook builds with Rust $msrv"
else
    echo "rustup could not install Rust $msrv: checked the dependencies' rust-version only"
fi

for lang in python node kotlin; do
  script="bindings/$lang/run-tests.sh"
  if [ -f "$script" ]; then
    echo "== $lang: $script"
    bash "$script"
  fi
done
# The Swift sources are committed (no Swift toolchain here): the Kotlin tests' generate.sh
# rewrites them from the library just built, so in CI a difference means they were stale.
# (The Kotlin surface is checked by xtask; uniffi's Kotlin is generated into target/.)
if [ -n "${CI:-}" ] && [ -n "$(git status --porcelain -- bindings/kotlin/swift)" ]; then
  echo "bindings/kotlin/swift is not what generate.sh writes: commit the regenerated files" >&2
  git status --porcelain -- bindings/kotlin/swift >&2
  exit 1
fi

# What users receive: every artifact built once (the `dist` profile), then each installed
# into a clean environment and used there.
echo "== dist: scripts/dist.sh"
bash scripts/dist.sh
echo "== dist: scripts/smoke-dist.sh"
bash scripts/smoke-dist.sh
echo "== all suites passed"
