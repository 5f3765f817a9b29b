"""bench/audit.py runs and prints its table (a smoke run on small HARs: never a timed pass/fail)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import ROOT


@pytest.mark.slow
def test_audit_benchmark_smoke_run_prints_the_table() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "audit.py"), "--smoke"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Machine: ")
    assert lines[1].startswith("| HAR | entries | method | median work s | median work CPU s |")
    rows = [line.split(" | ") for line in lines[3:] if line.startswith("| ")]
    assert [row[2] for row in rows] == ["audit", "json.load", "audit", "json.load"]
    assert lines[-1].startswith("audit work CPU per 10 MB: ")
    assert not (ROOT / "bench" / ".corpus" / "har-smoke").exists()
