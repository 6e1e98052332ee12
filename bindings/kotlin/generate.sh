#!/usr/bin/env bash
# Builds the stockbook-ffi cdylib and generates its bindings with the workspace's own
# uniffi-bindgen, in library mode:
#   - Kotlin (package org.stockbook) into target/generated-sources/uniffi/ (not committed;
#     Maven compiles it from there, see pom.xml);
#   - Swift sources, C header and modulemap into swift/ (committed: no Swift toolchain
#     exists on our machines, so this is what an iOS build picks up).
#
# Usage: bindings/kotlin/generate.sh [--release]
# Honours CARGO_TARGET_DIR (default: <workspace>/target) and RUSTFLAGS.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
profile=debug
cargo_profile=()
if [[ "${1:-}" == "--release" ]]; then
    profile=release
    cargo_profile=(--release)
fi
target_dir="${CARGO_TARGET_DIR:-$root/target}"
case "$(uname -s)" in
    Darwin) lib="$target_dir/$profile/libstockbook_ffi.dylib" ;;
    *) lib="$target_dir/$profile/libstockbook_ffi.so" ;;
esac

cd "$root"
cargo build -p stockbook-ffi "${cargo_profile[@]}"
cargo build -p uniffi-bindgen
bindgen="$target_dir/debug/uniffi-bindgen"

kotlin_out="$here/target/generated-sources/uniffi"
rm -rf "$kotlin_out"
mkdir -p "$kotlin_out"
"$bindgen" generate --library "$lib" --crate stockbook_ffi --language kotlin \
    --out-dir "$kotlin_out" --no-format

swift_tmp="$(mktemp -d)"
trap 'rm -rf "$swift_tmp"' EXIT
"$bindgen" generate --library "$lib" --crate stockbook_ffi --language swift \
    --out-dir "$swift_tmp" --no-format
mkdir -p "$here/swift"
for f in "$swift_tmp"/*; do
    # Rewrite only on change, so an unchanged API leaves the committed files untouched.
    if ! cmp -s "$f" "$here/swift/$(basename "$f")"; then
        cp "$f" "$here/swift/"
    fi
done

echo "generated: $kotlin_out/org/stockbook/stockbook_ffi.kt and $here/swift/ ($(ls "$here/swift" | tr '\n' ' '))"
