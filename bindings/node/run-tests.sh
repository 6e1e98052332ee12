#!/usr/bin/env bash
# Builds the Node binding and runs its tests, from a clean clone or again (idempotent):
#   npm ci (from the committed lockfile; install scripts skipped: only the benchmark needs
#   better-sqlite3's native build), a debug build of the native module with the napi CLI
#   (dev profile: fast to build; honours CARGO_TARGET_DIR and RUSTFLAGS), in CI a check that
#   the committed index.js / index.d.ts are what the build generates, then `node --test`.
# Prints node's own summary and a closing `node: N passed, N failed` line; the exit code is
# the test run's.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

echo "== npm ci"
npm ci --ignore-scripts --no-audit --no-fund

echo "== napi build (debug)"
npx napi build --platform

# In CI, the committed generated files must be the ones this build generates.
if [ -n "${CI:-}" ] && git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  if ! git diff --quiet -- index.js index.d.ts; then
    echo "index.js / index.d.ts differ from what the build generates: commit the regenerated files" >&2
    git --no-pager diff --stat -- index.js index.d.ts >&2
    exit 1
  fi
fi

echo "== node --test"
# Every write waits for its group commit on a libuv pool thread: a larger pool lets the
# concurrency test keep many writes in flight (the default of 4 only makes it slower).
export UV_THREADPOOL_SIZE="${UV_THREADPOOL_SIZE:-64}"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
set +e
node --test --test-reporter=tap tests/ 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
passed=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$log" | tail -1)
failed=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$log" | tail -1)
echo "node: ${passed:-0} passed, ${failed:-0} failed"
exit "$status"
