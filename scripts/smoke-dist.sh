#!/usr/bin/env bash
# Installs each artifact of dist/ (scripts/dist.sh) into a clean environment, as a user
# would, and runs its smoke test there: nothing comes from the build tree.
#   python  a fresh venv installs the wheel (no index, no compiler); examples/python/
#           erp_sync.py runs twice against one file (the second run writes nothing) and the
#           README's first snippet runs as printed
#   node    a fresh npm project installs the two tarballs (no compiler: CC and CXX fail);
#           examples/node/server.mjs, importing 'stockbook', serves a file over HTTP and
#           takes an order; the README's ES module and CommonJS snippets run as printed
#   kotlin  examples/kotlin, a separate Maven project, builds against the jar installed
#           in ~/.m2 and runs (its main holds the README's snippet, checked verbatim)
# Each prints its install time; the closing line is `dist smoke: N passed, N failed`.
#
#   bash scripts/smoke-dist.sh [python|node|kotlin]...
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dist="$root/dist"
version="$(bash "$root/scripts/version.sh")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The fenced block of `lang` in `file` whose first line starts with `marker` (or, with
# no marker, the first block of `lang`), as printed.
snippet() {
    python3 - "$@" <<'PY'
import re, sys
file, lang, marker = sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else ""
blocks = re.findall(r"^```" + lang + r"\n(.*?)^```$", open(file).read(), re.M | re.S)
found = [b for b in blocks if b.startswith(marker)]
if not found:
    sys.exit(f"{file}: no ```{lang} block starting with {marker!r}")
sys.stdout.write(found[0])
PY
}

seconds_since() { python3 -c "import sys,time; print(f'{time.time() - float(sys.argv[1]):.1f}')" "$1"; }

smoke_python() {
    local venv="$work/py-venv" start
    python3 -m venv "$venv"
    start="$(date +%s.%N)"
    "$venv/bin/pip" install --quiet --disable-pip-version-check --no-index "$dist"/python/*.whl
    echo "python: wheel installed in $(seconds_since "$start") s"
    mkdir "$work/py" && cd "$work/py"
    "$venv/bin/python" - "$venv" "$version" <<'PY'
import sys, stockbook
venv, version = sys.argv[1], sys.argv[2]
assert stockbook.__file__.startswith(venv), f"stockbook from {stockbook.__file__}, not the venv"
assert stockbook.__version__ == version, (stockbook.__version__, version)
print(f"python: stockbook {stockbook.__version__} from {stockbook.__file__}")
PY
    start="$(date +%s.%N)"
    first="$("$venv/bin/python" "$root/examples/python/erp_sync.py" --db "$work/py/erp.redb")"
    second="$("$venv/bin/python" "$root/examples/python/erp_sync.py" --db "$work/py/erp.redb")"
    echo "python: erp_sync.py twice in $(seconds_since "$start") s"
    grep -q 'verify: sound' <<<"$first"
    grep -qE '(^|[^0-9])0 new events .*verify: sound' <<<"$second"
    grep -q 'SO-1004 (Sparky Ltd): backordered' <<<"$first"
    snippet "$root/bindings/python/README.md" python > readme.py
    "$venv/bin/python" readme.py > /dev/null
    echo "python: the README's snippet ran"
}

smoke_node() {
    local proj="$work/node" start
    mkdir -p "$proj" && cd "$proj"
    printf '{ "name": "stockbook-smoke", "version": "1.0.0", "private": true }\n' > package.json
    start="$(date +%s.%N)"
    # No compiler: a native build attempted by anything would fail here.
    CC=false CXX=false npm install --no-audit --no-fund --loglevel=error \
        "$dist/npm/stockbook-linux-x64-gnu-$version.tgz" "$dist/npm/stockbook-$version.tgz"
    echo "node: both tarballs installed in $(seconds_since "$start") s"
    # The example service as an application writes it: importing the package by name.
    sed "s#from '../../bindings/node/lib.js'#from 'stockbook'#" "$root/examples/node/server.mjs" > server.mjs
    grep -q "from 'stockbook'" server.mjs
    cat > drive.mjs <<'JS'
// Starts server.mjs as a user would (a file, port 0), takes an order over HTTP, stops it.
import { spawn } from 'node:child_process'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import * as esm from 'stockbook'

const cjs = createRequire(import.meta.url)('stockbook')
assert.equal(esm.version, process.argv[2], 'the ES module entry exports the version')
assert.equal(cjs.version, process.argv[2], 'the CommonJS entry exports the version')
assert.equal(esm.Stockbook, cjs.Stockbook, 'one instance of the classes')
assert.match(createRequire(import.meta.url).resolve('stockbook-linux-x64-gnu'), /node_modules\/stockbook-linux-x64-gnu\//)

const server = spawn(process.execPath, ['server.mjs', 'shop.stockbook', '0'], { stdio: ['ignore', 'pipe', 'inherit'] })
const url = await new Promise((resolve, reject) => {
  let out = ''
  server.stdout.on('data', (d) => {
    out += d
    const m = out.match(/on (http:\/\/\S+)/)
    if (m) resolve(m[1])
  })
  server.on('exit', (code) => reject(new Error(`server exited (${code}): ${out}`)))
})
const call = async (method, path, body) => {
  const res = await fetch(url + path, { method, headers: { 'content-type': 'application/json' }, body: body && JSON.stringify(body) })
  return { status: res.status, body: await res.json() }
}
assert.equal((await call('POST', '/items', { sku: 'MUG' })).status, 201)
assert.equal((await call('POST', '/locations', { code: 'WH', kind: 'site' })).status, 201)
assert.equal((await call('POST', '/locations', { code: 'WH/B1', parent: 'WH' })).status, 201)
assert.equal((await call('POST', '/locations', { code: 'WH/PACK', parent: 'WH' })).status, 201)
assert.equal((await call('POST', '/receive', { sku: 'MUG', location: 'WH/B1', qty: 10 })).body.onHand, '10')
const order = await call('POST', '/orders', { id: 'SO-1', shipFrom: 'WH', staging: 'WH/PACK', lines: [{ sku: 'MUG', qty: 3 }] })
assert.equal(order.body.order.state, 'shipped', JSON.stringify(order.body))
assert.equal((await call('GET', '/stock/MUG')).status, 200)
const exited = new Promise((resolve) => server.on('exit', resolve))
server.kill('SIGTERM')
assert.equal(await exited, 0, 'the server closes the file and exits 0 on SIGTERM')
console.log(`node: server.mjs took an order (stockbook ${esm.version})`)
JS
    node drive.mjs "$version"
    snippet "$root/bindings/node/README.md" js '// ES module' > readme.mjs
    snippet "$root/bindings/node/README.md" js '// CommonJS' > readme.cjs
    local f out expected
    for f in readme.mjs readme.cjs; do
        rm -f inventory.stockbook
        out="$(node "$f")"
        # What the snippet's comment says it prints.
        expected="$(sed -n 's#.*console.log(err.code.*// ##p' "$f")"
        [[ -n "$expected" && "$out" == *"$expected"* ]] || { echo "node: $f printed: $out" >&2; return 1; }
    done
    echo "node: the README's ES module and CommonJS snippets ran"
}

smoke_kotlin() {
    local start
    # The example's main holds the README's Kotlin snippet as printed.
    snippet "$root/bindings/kotlin/README.md" kotlin 'import org.stockbook' | sed -n '/^val sb = /,/^sb.close()/p' \
        | sed 's/^/    /' > "$work/readme.kt"
    sed -n '/--- README snippet ---/,/--- end of README snippet ---/p' "$root/examples/kotlin/src/main/kotlin/example/Main.kt" \
        | sed '1d;$d' > "$work/main.kt"
    if ! diff -u "$work/readme.kt" "$work/main.kt"; then
        echo "kotlin: examples/kotlin's Main.kt no longer holds bindings/kotlin/README.md's snippet" >&2
        return 1
    fi
    # A copy of the project, so that its build leaves nothing in the work tree.
    cp -r "$root/examples/kotlin" "$work/kotlin" && cd "$work/kotlin"
    start="$(date +%s.%N)"
    mvn -q -B -Dstyle.color=never compile 2>&1 | sed -u 's/\x1b\[[0-9;]*m//g'
    echo "kotlin: the example built against the installed jar in $(seconds_since "$start") s"
    mvn -q -B -Dstyle.color=never exec:java 2>&1 | sed -u 's/\x1b\[[0-9;]*m//g' | tee "$work/kotlin.out"
    grep -q "^stockbook $version$" "$work/kotlin.out"
    grep -q '^kotlin example: 1 passed, 0 failed$' "$work/kotlin.out"
}

langs=("$@")
[[ ${#langs[@]} -gt 0 ]] || langs=(python node kotlin)
passed=0
failed=0
for lang in "${langs[@]}"; do
    echo "== smoke: $lang"
    # A subshell with -e of its own (in an `if` condition -e would be ignored).
    set +e
    (set -e; "smoke_$lang")
    status=$?
    set -e
    if [[ $status -eq 0 ]]; then
        passed=$((passed + 1))
    else
        echo "smoke: $lang FAILED" >&2
        failed=$((failed + 1))
    fi
done
echo "dist smoke: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
