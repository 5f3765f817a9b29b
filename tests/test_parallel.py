"""--jobs: worker processes give the same report, in content and order, as checking in one process."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from conftest import ROOT, run_cookielint

sys.path.insert(0, str(ROOT / "bench"))
from generate import generate


@pytest.mark.slow
def test_parallel_output_is_identical_to_serial(tmp_path: Path):
    generate(tmp_path / "corpus", files=120, cookies=4)  # over the threshold for workers
    (tmp_path / "corpus" / "zz-broken.yaml").write_bytes(b"\x00\x01")
    outputs = {}
    for jobs in ("1", "2", "3"):
        for fmt in ("json", "text", "sarif"):
            result = run_cookielint(
                "check", "--isolated", "--jobs", jobs, "--format", fmt, "corpus", cwd=tmp_path
            )
            assert result.returncode == 1
            outputs[(jobs, fmt)] = result.stdout
    for fmt in ("json", "text", "sarif"):
        assert outputs[("1", fmt)] == outputs[("2", fmt)] == outputs[("3", fmt)]
    report = json.loads(outputs[("1", "json")])
    assert report["files"] == 121
    assert len(report["findings"]) >= 12  # one policy in ten has a mistake, and the broken file
    assert report["findings"][-1]["path"] == "corpus/zz-broken.yaml"


def test_jobs_must_be_positive():
    result = run_cookielint("check", "--jobs", "0", "policies", cwd=ROOT)
    assert result.returncode == 2
    assert b"0 is not in the range x>=1" in result.stderr
