"""bench/diff.py runs and prints its table (a smoke test on a tiny corpus: never a timed pass/fail)."""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import ROOT


def test_diff_benchmark_smoke_run_prints_the_table():
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "diff.py"), "--smoke"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Machine: ")
    assert lines[1].startswith("Corpus: 50 files of 5 cookies")
    assert lines[3] == "| method | --jobs | wall s | × check | CPU s | × check |"
    rows = [line.split(" | ") for line in lines[5:]]
    assert [(r[0].removeprefix("| "), r[1]) for r in rows] == [
        (method, jobs)
        for jobs in ("1", "2")
        for method in ("check HEAD", "diff BASE HEAD", "diff --base HEAD~1")
    ]
    for row in rows:
        assert re.fullmatch(r"\d+\.\d{3}", row[2]), row
        assert float(row[3]) > 0 and re.fullmatch(r"\d+\.\d{3}", row[4]), row
        assert float(row[5].removesuffix(" |")) > 0
