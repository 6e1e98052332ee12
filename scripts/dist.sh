#!/usr/bin/env bash
# Builds every artifact a user receives into dist/ (gitignored):
#   dist/python/  the abi3 manylinux wheel (maturin, linked with zig against glibc 2.17 so
#                 that `auditwheel show` accepts it as manylinux_2_17) and the sdist
#   dist/npm/     the main package `stockbook` and the platform package
#                 `stockbook-linux-x64-gnu` holding the prebuilt, stripped `.node`
#                 (napi-rs's layout: the main package names it in optionalDependencies, its
#                 loader, index.js, requires it)
#   dist/maven/   the jar org.stockbook:stockbook (the Kotlin compiled, the native library
#                 at linux-x86-64/ inside, where JNA loads it from) and its pom, also
#                 installed into ~/.m2 by `mvn install`
#   dist/crates/  the core crate `stockbook` as `cargo publish` would upload it (after
#                 `cargo publish --dry-run`, which builds the packaged crate on its own)
# The native libraries come from the `dist` profile (Cargo.toml). The Node module and the
# Kotlin library are one cargo build; the wheel is a second one, because maturin builds its
# crate alone and for the manylinux target, and a build of a different feature set of the
# shared dependencies (pyo3's, napi's and uniffi's proc macros enable different ones) is a
# different build of the core. The versions are the workspace's (scripts/version.sh).
#
#   bash scripts/dist.sh
# Environment: CARGO_TARGET_DIR (default ./target); STOCKBOOK_DIST_VENV, the venv of the
# Python build tools (default $CARGO_TARGET_DIR/dist-venv; made and filled from PyPI).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
target="$CARGO_TARGET_DIR"
dist="$root/dist"
version="$(bash scripts/version.sh)"
bash scripts/version.sh --check
rm -rf "$dist"
mkdir -p "$dist/python" "$dist/npm" "$dist/maven" "$dist/crates"

step() { echo "== dist: $*"; }

# ---- Python: the wheel and the sdist -----------------------------------------------------
venv="${STOCKBOOK_DIST_VENV:-$target/dist-venv}"
if [[ ! -x "$venv/bin/maturin" ]]; then
    step "the Python build tools into $venv"
    "${PYTHON:-python3}" -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check \
        "maturin==1.16.0" "ziglang==0.17.0" "auditwheel==6.8.2"
fi
step "python wheel (maturin, profile dist, zig for manylinux2014)"
# maturin finds zig through the venv's `python -m ziglang`.
(cd bindings/python && PATH="$venv/bin:$PATH" maturin build --quiet --profile dist \
    --zig --compatibility manylinux2014 --strip --out "$dist/python")
(cd bindings/python && PATH="$venv/bin:$PATH" maturin sdist --out "$dist/python")
wheel="$(ls "$dist"/python/*.whl)"
# (Outputs are captured before grep: `grep -q` leaving a pipe early would fail it.)
audit="$("$venv/bin/auditwheel" show "$wheel" | tr '\n' ' ')"
grep -q 'consistent with the following platform tag: "manylinux_2_17_x86_64"' <<<"$audit" || {
    echo "$audit" >&2
    echo "dist: $wheel is not manylinux_2_17" >&2
    exit 1
}

# ---- the Node module and the Kotlin library: one build -----------------------------------
step "native libraries for Node and Kotlin (cargo build --profile dist)"
cargo build --quiet --profile dist -p stockbook-node -p stockbook-ffi --lib
# What ships is stripped (the profile keeps the symbol table, which uniffi-bindgen reads).
lib_ffi_full="$target/dist/libstockbook_ffi.so"
native="$target/dist-native"
rm -rf "$native" && mkdir -p "$native"
lib_node="$native/stockbook.linux-x64-gnu.node"
lib_ffi="$native/libstockbook_ffi.so"
strip --strip-all -o "$lib_node" "$target/dist/libstockbook_node.so"
strip --strip-all -o "$lib_ffi" "$lib_ffi_full"
for lib in "$lib_node" "$lib_ffi"; do
    sections="$(readelf -S "$lib")"
    if grep -qE '\.(debug_|symtab)' <<<"$sections"; then
        echo "dist: $lib is not stripped" >&2
        exit 1
    fi
done

# ---- npm: the platform package and the main package --------------------------------------
step "npm packages"
stage="$target/npm-stage"
rm -rf "$stage"
mkdir -p "$stage/platform" "$stage/main"
cp bindings/node/npm/linux-x64-gnu/package.json "$stage/platform/"
cp "$lib_node" "$stage/platform/"
printf '# stockbook-linux-x64-gnu\n\nThe prebuilt native module of the npm package `stockbook` for Linux x64 (glibc).\nInstall `stockbook`, not this package: it is its optional dependency on this platform.\n' \
    > "$stage/platform/README.md"
# The main package: its `files`, and its package.json naming the platform package as
# napi-rs's `prepublish` does (the committed one does not, so that `npm ci` in
# bindings/node never looks for it in the registry).
node -e '
  const fs = require("fs")
  const [from, to, version] = process.argv.slice(1)
  const pkg = JSON.parse(fs.readFileSync(`${from}/package.json`, "utf8"))
  for (const f of [...pkg.files, "README.md"]) fs.copyFileSync(`${from}/${f}`, `${to}/${f}`)
  pkg.optionalDependencies = { "stockbook-linux-x64-gnu": version }
  delete pkg.devDependencies
  delete pkg.scripts
  fs.writeFileSync(`${to}/package.json`, JSON.stringify(pkg, null, 2) + "\n")
' "$root/bindings/node" "$stage/main" "$version"
(cd "$stage/platform" && npm pack --silent --pack-destination "$dist/npm" >/dev/null)
(cd "$stage/main" && npm pack --silent --pack-destination "$dist/npm" >/dev/null)

# ---- Maven: the jar with the native library inside ---------------------------------------
step "maven jar (mvn -Pdist install)"
# `clean` first: the jar holds only this build's classes and library (the tests' build
# shares bindings/kotlin/target; run-tests.sh compiles it again), then uniffi's Kotlin into
# target/, from the library just built.
(cd bindings/kotlin && mvn -q -B -Dstyle.color=never clean 2>&1 | sed -u 's/\x1b\[[0-9;]*m//g')
cargo build --quiet -p uniffi-bindgen
kotlin_generated="bindings/kotlin/target/generated-sources/uniffi"
mkdir -p "$kotlin_generated"
"$target/debug/uniffi-bindgen" generate --library "$lib_ffi_full" --crate stockbook_ffi \
    --language kotlin --out-dir "$kotlin_generated" --no-format
(cd bindings/kotlin && mvn -q -B -Dstyle.color=never -Pdist install -DskipTests \
    -Dstockbook.native.dir="$native" 2>&1 | sed -u 's/\x1b\[[0-9;]*m//g')
jar="bindings/kotlin/target/stockbook-$version.jar"
listing="$(unzip -Z1 "$jar")"
grep -qx 'linux-x86-64/libstockbook_ffi.so' <<<"$listing" || {
    echo "dist: $jar holds no linux-x86-64/libstockbook_ffi.so" >&2
    exit 1
}
cp "$jar" "$dist/maven/"
cp bindings/kotlin/pom.xml "$dist/maven/stockbook-$version.pom"

# ---- Rust: the core crate -----------------------------------------------------------------
step "crate (cargo publish --dry-run -p stockbook)"
# --allow-dirty: dist/ may be built from a work tree with changes; nothing is uploaded.
cargo publish --quiet --dry-run --allow-dirty -p stockbook
# The same .crate where `cargo package` puts it (the dry run verified its build).
cargo package --quiet --no-verify --allow-dirty -p stockbook
cp "$target/package/stockbook-$version.crate" "$dist/crates/"

step "built"
(cd "$dist" && find . -type f -printf '%P\t%s bytes\n' | sort)
