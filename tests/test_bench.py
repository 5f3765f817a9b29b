"""The benchmark runs and prints its table (a smoke test on tiny corpora: never a timed pass/fail)."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from conftest import ROOT


@pytest.mark.slow
def test_benchmark_smoke_run_prints_the_table():
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--smoke"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Machine: ")
    assert (
        lines[1]
        == "| corpus | method | median s | files/s | MB/s | peak MiB | × check-jsonschema | × floor |"
    )
    rows = [line.split(" | ") for line in lines[3:] if line.startswith("| ")]
    methods = {(row[0].removeprefix("| ").split(" (")[0], row[1]) for row in rows}
    for corpus in ("1k", "10k"):
        for method in (
            "cookielint --jobs 1",
            "cookielint --jobs 2",
            "check-jsonschema",
            "compose floor",
        ):
            assert (corpus, method) in methods
    for corpus in ("big", "one-valid", "one-error"):
        assert {
            (corpus, "cookielint --jobs 1"),
            (corpus, "check-jsonschema"),
            (corpus, "compose floor"),
        } <= methods
    for row in rows:
        assert re.fullmatch(r"\d+\.\d{3}", row[2]), row
        assert row[6] == "1.00" if row[1] == "check-jsonschema" else float(row[6]) > 0
