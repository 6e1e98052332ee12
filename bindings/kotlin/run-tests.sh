#!/usr/bin/env bash
# Builds the stockbook-ffi cdylib (debug, in the shared cargo target dir), generates the
# Kotlin and Swift bindings, runs the Kotlin tests on the JVM with Maven, and prints
#   kotlin: N passed, N failed
# from the surefire XML reports. Exits with Maven's exit code.
#
# Works from a clean clone: Maven fetches its plugins and dependencies from Maven Central
# on the first run and works offline after that.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
target_dir="${CARGO_TARGET_DIR:-$root/target}"

"$here/generate.sh" || { echo "kotlin: 0 passed, 1 failed (build or generation failed)"; exit 1; }

reports="$here/target/surefire-reports"
rm -rf "$reports"
cd "$here"
# Maven 3.8 still prints colour resets with -B; strip every escape sequence so that the
# summary line below stands alone.
mvn -q -B -Dstyle.color=never test \
    -Dstockbook.lib.dir="$target_dir/debug" \
    -Dstockbook.scenarios.dir="$root/tests/scenarios" \
    "$@" 2>&1 | sed -u 's/\x1b\[[0-9;]*m//g'
status=${PIPESTATUS[0]}
echo

# Sum the counts of every surefire report (one per test class).
read -r tests failures errors skipped < <(
    cat "$reports"/TEST-*.xml 2>/dev/null | python3 -c '
import re, sys
t = f = e = s = 0
for m in re.finditer(r"<testsuite\b[^>]*>", sys.stdin.read()):
    tag = m.group(0)
    get = lambda k: int(re.search(k + r"=\"(\d+)\"", tag).group(1)) if re.search(k + r"=\"(\d+)\"", tag) else 0
    t += get("tests"); f += get("failures"); e += get("errors"); s += get("skipped")
print(t, f, e, s)'
)
failed=$((failures + errors))
passed=$((tests - failed - skipped))
if [[ $status -ne 0 && $failed -eq 0 ]]; then
    failed=1 # Maven failed before or outside the tests (compilation, a crash): count it.
fi
if [[ $skipped -gt 0 ]]; then
    echo "kotlin: $passed passed, $failed failed, $skipped skipped"
else
    echo "kotlin: $passed passed, $failed failed"
fi
exit $status
