"""The Python examples run against the installed package: the ERP script twice on one file
(the second run writes nothing), and the SQLite comparison on a tiny workload (it exits
with an error when the two ledgers accept different commands)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "python"


def run(script: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / script), *args],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_erp_sync_is_idempotent(tmp_path: Path) -> None:
    db = str(tmp_path / "erp.redb")
    first = run("erp_sync.py", "--db", db)
    assert "SO-1004 (Sparky Ltd): backordered" in first
    assert "shipped 24 (24 from WH1/B/02), backordered 6" in first
    assert "SO-1004 line 2: 6 GLUE-PU" in first
    written = re.search(r"(\d+) new events \(log at (\d+)\); verify: sound", first)
    assert written is not None and written.group(1) == written.group(2) != "0"
    second = run("erp_sync.py", "--db", db)
    assert f"0 new events (log at {written.group(2)}); verify: sound" in second
    assert "shipped 24 (in an earlier run), backordered 6" in second


def test_bench_vs_sqlite_runs_the_same_workload(tmp_path: Path) -> None:
    out = run("bench_vs_sqlite.py", "--ops", "40", "--threads", "2", "--dir", str(tmp_path))
    ops = [line.split()[0] for line in out.splitlines()[1:-1]]
    assert ops == ["receive", "issue", "reserve", "commit", "on_hand", "threaded"]
    assert "reservations accepted and committed" in out
