#!/usr/bin/env bash
# The one version of every artifact is the Rust workspace's ([workspace.package] in
# Cargo.toml). The wheel takes it from there through maturin, and Python's and Rust's
# run-time versions through CARGO_PKG_VERSION; npm and Maven need it written in their own
# manifests, which this script does:
#   bash scripts/version.sh            prints the version
#   bash scripts/version.sh --write    writes it into the npm and Maven manifests
#   bash scripts/version.sh --check    fails, naming the file, where one differs (CI)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mode="${1:-}"
python3 - "$mode" <<'PY'
import json, re, sys, tomllib
from pathlib import Path

mode = sys.argv[1]
version = tomllib.loads(Path("Cargo.toml").read_text())["workspace"]["package"]["version"]
if mode == "":
    print(version)
    sys.exit(0)
if mode not in ("--write", "--check"):
    sys.exit(f"usage: scripts/version.sh [--write|--check], not {mode}")


def set_json(doc, version):
    doc["version"] = version
    packages = doc.get("packages")
    if packages and "" in packages:  # package-lock.json: the root package again
        packages[""]["version"] = version
    return doc


def rewrite_json(text):
    return json.dumps(set_json(json.loads(text), version), indent=2, ensure_ascii=False) + "\n"


def rewrite_loader(text):
    # napi's generated loader compares the platform package's version with the main one.
    text = re.sub(r"bindingPackageVersion !== '[^']*'", f"bindingPackageVersion !== '{version}'", text)
    return re.sub(r"expected [^ ]+ but got", f"expected {version} but got", text)


def rewrite_pom(text):
    # The project's own <version>: the first one after the project's <artifactId>.
    return re.sub(
        r"(<artifactId>stockbook</artifactId>\s*<version>)[^<]*(</version>)",
        rf"\g<1>{version}\g<2>", text, count=1)


def rewrite_example_pom(text):
    return re.sub(r"(<stockbook.version>)[^<]*(</stockbook.version>)", rf"\g<1>{version}\g<2>", text)


files = {
    "bindings/node/package.json": rewrite_json,
    "bindings/node/package-lock.json": rewrite_json,
    "bindings/node/npm/linux-x64-gnu/package.json": rewrite_json,
    "bindings/node/index.js": rewrite_loader,
    "bindings/kotlin/pom.xml": rewrite_pom,
    "examples/kotlin/pom.xml": rewrite_example_pom,
}
stale = []
for name, rewrite in files.items():
    path = Path(name)
    text = path.read_text()
    new = rewrite(text)
    if new != text:
        stale.append(name)
        if mode == "--write":
            path.write_text(new)
if mode == "--check" and stale:
    sys.exit(f"version {version} (Cargo.toml) is not the one in: {', '.join(stale)}; run bash scripts/version.sh --write")
print(f"version {version}: " + ("written into " + ", ".join(stale) if stale and mode == "--write" else "every manifest agrees"))
PY
