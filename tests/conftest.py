from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# The fuzz tests run a fixed, derandomized budget by default (CI); a longer search:
#   HYPOTHESIS_PROFILE=long pytest tests/test_fuzz.py
settings.register_profile(
    "ci",
    max_examples=300,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "long", max_examples=20_000, deadline=None, suppress_health_check=list(HealthCheck)
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ROOT = Path(__file__).resolve().parent.parent

VALID_POLICY = """\
version: 1
site:
  name: Example shop
  url: https://shop.example.com
cookies:
  - name: cart
    provider: Example shop
    party: first
    category: necessary
    purposes: [To keep the visitor's shopping cart]
    consent: exempt
    duration: session
"""

# A non-anonymized statistics cookie set without consent: CL201 on line 11.
STATISTICS_EXEMPT_POLICY = """\
version: 1
site:
  name: Example shop
  url: https://shop.example.com
cookies:
  - name: _ga
    provider: Google
    party: first
    category: statistics
    purposes: [To tell visitors apart in audience statistics]
    consent: exempt
    duration: 13 months
"""


def run_cookielint(*args: str, stdin: str | bytes | None = None, cwd: Path | None = None):
    """Run the real command line in a child process, as a user would."""
    data = stdin.encode() if isinstance(stdin, str) else stdin
    return subprocess.run(
        [sys.executable, "-m", "cookielint", *args],
        input=data,
        capture_output=True,
        cwd=cwd,
        timeout=60,
    )


@pytest.fixture
def write(tmp_path: Path):
    def write(name: str, text: str | bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def passes_over_text(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One item per pass the reader makes over a file's text to place pointers: a test can
    tell that many places were found in one pass, not one pass each."""
    from cookielint import document

    passes: list[int] = []
    real = document._positions
    monkeypatch.setattr(document, "_positions", lambda *a: passes.append(1) or real(*a))
    return passes
