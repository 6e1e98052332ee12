#!/usr/bin/env bash
# Builds the `stockbook` Python package from source into a virtualenv, checks the package's
# types against it (mypy.stubtest: the inline annotations of the generated surface and the
# stub of the native module), type-checks the package (--strict), the tests and the examples,
# and runs pytest. Idempotent: the venv is reused, cargo rebuilds only what changed.
#
#   bash bindings/python/run-tests.sh [pytest args…]
#
# Environment:
#   CARGO_TARGET_DIR      shared cargo target dir (the venv goes to $CARGO_TARGET_DIR/py-venv)
#   STOCKBOOK_PY_VENV     the venv to use (default: $CARGO_TARGET_DIR/py-venv or ./.venv)
#   STOCKBOOK_PY_PROFILE  cargo profile of the native module (default: release, as users get)
#   PYTHON                the interpreter that creates the venv (default: python3)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
if [[ -n "${STOCKBOOK_PY_VENV:-}" ]]; then
    venv="$STOCKBOOK_PY_VENV"
elif [[ -n "${CARGO_TARGET_DIR:-}" ]]; then
    venv="$CARGO_TARGET_DIR/py-venv"
else
    venv="$here/.venv"
fi
py="$venv/bin/python"

if [[ ! -x "$py" ]]; then
    echo "python: creating $venv"
    "${PYTHON:-python3}" -m venv "$venv"
fi
"$py" -m pip install --quiet --disable-pip-version-check "pytest>=7" "mypy>=1.10"

echo "python: building and installing the package from source (profile ${STOCKBOOK_PY_PROFILE:-release})"
MATURIN_PEP517_ARGS="--profile ${STOCKBOOK_PY_PROFILE:-release}" \
    "$py" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps "$here"

# Run from the tests folder so that `import stockbook` is the installed package.
cd "$here/tests"
echo "python: stubtest (the native module's stub)"
"$py" -m mypy.stubtest stockbook._stockbook
echo "python: mypy --strict (the package)"
(cd "$here/python" && "$py" -m mypy --strict --no-error-summary --cache-dir "$venv/.mypy_cache" -p stockbook)
echo "python: mypy (tests and examples against the stubs)"
"$py" -m mypy --no-error-summary --cache-dir "$venv/.mypy_cache" \
    --disallow-untyped-defs --warn-unused-ignores \
    "$here/tests" "$root/examples/python"
echo "python: pytest"
"$py" -m pytest -p no:cacheprovider --rootdir "$here" -q "$here/tests" "$@"
