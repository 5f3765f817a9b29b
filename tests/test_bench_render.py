"""bench/render.py runs and prints its table (a smoke run on a small policy: never a timed pass/fail)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import ROOT


@pytest.mark.slow
@pytest.mark.parametrize(
    ("options", "policy"),
    [
        ((), "one policy of 200 cookies (0.1 MB)"),
        (("--distinct",), "one policy of 200 cookies (0.1 MB, every purpose its own)"),
    ],
)
def test_render_benchmark_smoke_run_prints_the_table(options: tuple[str, ...], policy: str) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "render.py"), "--smoke", *options],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Machine: ") and policy in lines[0]
    assert lines[1] == "| command | median s | peak MiB | × check |"
    commands = [line.split(" | ")[0].removeprefix("| ") for line in lines[3:]]
    assert commands == [
        "check",
        "render markdown",
        "render html",
        "export tcf",
        "export cookieconsent",
    ]
