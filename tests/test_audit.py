"""audit through the command line: the same configuration, selection, formats and exit status as check."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, run_cookielint

CAPTURES = ROOT / "tests" / "captures"

POLICY = """\
version: 1
site: {name: Shop, url: "https://www.shop.example"}
cookies:
  - name: sessionid
    provider: Shop
    party: first
    category: necessary
    purposes: [TODO]
    consent: exempt
    duration: session
    http_only: false
"""


@pytest.fixture
def visit(tmp_path: Path) -> Path:
    shutil.copy(CAPTURES / "visit.har", tmp_path / "visit.har")
    (tmp_path / "policy.yaml").write_text(POLICY)
    return tmp_path


def _audit(directory: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return run_cookielint(
        "audit", "policy.yaml", "--before-consent", "visit.har", *args, cwd=directory
    )


def test_audit_reports_check_and_audit_findings_together(visit: Path) -> None:
    result = _audit(visit)
    assert result.returncode == 1
    assert result.stdout.decode().splitlines() == [
        "policy.yaml:3:1: CL601 [error] cookie '_ga' on www.shop.example, seen before consent (in visit.har, sent to https://www.shop.example/consent/accept), matches no declaration; Google Analytics documents _ga as statistics (https://support.google.com/analytics/answer/11397207)",
        "policy.yaml:3:1: CL601 [error] cookie 'consent' on www.shop.example, seen before consent (in visit.har, set by https://www.shop.example/consent/accept), matches no declaration",
        "policy.yaml:3:1: CL601 [error] cookie 'csrftoken' on www.shop.example, seen before consent (in visit.har, set by https://www.shop.example/), matches no declaration",
        "policy.yaml:3:1: CL601 [error] cookie 'lang' on shop.example, seen before consent (in visit.har, set by https://www.shop.example/), matches no declaration",
        "policy.yaml:3:1: CL601 [error] cookie 'uid' on tracker.example, seen before consent (in visit.har, set by https://px.tracker.example/p.gif), matches no declaration",
        "policy.yaml:4:11: CL604 [warning] cookie 'sessionid' is declared http_only: false, but was set with http_only: true, before consent (in visit.har, set by https://www.shop.example/)",
        "policy.yaml:8:16: CL102 [error] cookie 'sessionid' has a placeholder purpose ('TODO')",
        "Found 6 errors and 1 warning in 1 file.",
    ]  # fmt: skip


def test_no_check_leaves_the_check_rules_out(visit: Path) -> None:
    result = _audit(visit, "--no-check", "--format", "json")
    assert "CL102" not in {f["code"] for f in json.loads(result.stdout)["findings"]}


def test_selection_and_fail_on(visit: Path) -> None:
    result = _audit(visit, "--select", "attribute-mismatch")
    assert result.returncode == 0  # a warning only
    assert result.stdout.decode().endswith("Found 0 errors and 1 warning in 1 file.\n")
    assert _audit(visit, "--select", "CL604", "--fail-on", "warning").returncode == 1
    assert _audit(visit, "--ignore", "CL6", "--format", "json").stdout.count(b'"code"') == 1


def test_configuration_applies_to_the_policy(visit: Path) -> None:
    (visit / ".cookielint.yaml").write_text(
        "ignore: [undeclared-storage]\nseverity:\n  CL604: error\n"
    )
    result = _audit(visit, "--format", "json")
    findings = json.loads(result.stdout)["findings"]
    assert [(f["code"], f["severity"]) for f in findings] == [
        ("CL604", "error"),
        ("CL102", "error"),
    ]


def test_json_findings_carry_evidence_and_check_findings_none(visit: Path) -> None:
    findings = json.loads(_audit(visit, "--format", "json").stdout)["findings"]
    by_code = {f["code"]: f for f in findings}
    assert by_code["CL604"]["evidence"] == {
        "capture": "visit.har",
        "phase": "before-consent",
        "url": "https://www.shop.example/",
    }
    assert "evidence" not in by_code["CL102"]
    assert list(by_code["CL102"]) == [
        "path", "line", "column", "code", "name", "severity", "message", "pointer",
    ]  # fmt: skip


@pytest.mark.parametrize("output", ["sarif", "github", "gitlab", "junit", "full"])
def test_every_format(visit: Path, output: str) -> None:
    result = _audit(visit, "--format", output)
    assert result.returncode == 1, result.stderr
    assert b"CL604" in result.stdout and b"Traceback" not in result.stderr


def test_a_report_file_and_a_summary(visit: Path) -> None:
    result = _audit(visit, "--format", "sarif=audit.sarif")
    assert result.stdout.decode() == "Found 6 errors and 1 warning in 1 file.\n"
    sarif = json.loads((visit / "audit.sarif").read_text())
    assert {r["ruleId"] for r in sarif["runs"][0]["results"]} == {"CL601", "CL604", "CL102"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.yaml", "--before-consent", "visit.har"], "policy does not exist: missing.yaml"),
        (
            ["policy.yaml", "--before-consent", "visit.har", "--consent-marker", "("],
            "--consent-marker: not a regular expression: missing ), unterminated subpattern at position 0",
        ),
        (["policy.yaml", "--before-consent", "visit.har", "--select", "CL699"], "--select: unknown rule 'CL699'; did you mean 'CL606'?"),
    ],
)  # fmt: skip
def test_what_stops_an_audit_is_an_exit_2_message(
    visit: Path, args: list[str], message: str
) -> None:
    result = run_cookielint("audit", *args, cwd=visit)
    assert (result.returncode, result.stdout) == (2, b"")
    assert result.stderr.decode() == f"cookielint: error: {message}\n"


def test_an_audit_without_captures_is_a_usage_error(visit: Path) -> None:
    result = run_cookielint("audit", "policy.yaml", cwd=visit)
    assert result.returncode == 2
    assert result.stderr.decode().endswith(
        "Error: give at least one capture (--before-consent, --after-accept or --after-reject)\n"
    )


def test_an_unreadable_policy_is_a_finding_as_in_check(visit: Path) -> None:
    (visit / "policy.yaml").write_bytes(b"\xff\xfe\x00binary")
    result = _audit(visit)
    assert result.returncode == 1
    assert result.stdout.decode().splitlines()[0].startswith("policy.yaml:1:1: CL002 [error] ")


def test_a_long_url_is_shortened_in_the_message_and_kept_in_the_evidence() -> None:
    from audit_cases import seen

    from cookielint.commands.audit import policy_findings
    from cookielint.pipeline import DEFAULT_SETTINGS

    url = "https://www.shop.example/?" + "q" * 300
    observed = seen([{"phase": "before-consent", "set-cookie": "lb=1; Path=/", "url": url}])
    (finding,) = policy_findings(POLICY.replace("[TODO]", "[To keep the visitor signed in]"),
                                 "policy.yaml", DEFAULT_SETTINGS, observed, [])  # fmt: skip
    assert finding.message == (
        "cookie 'lb' on www.shop.example, seen before consent (in before-consent.har, set by "
        + url[:199] + "…), matches no declaration"
    )  # fmt: skip
    assert finding.evidence is not None and finding.evidence.url == url


def test_a_fifo_capture_is_refused_not_waited_on(visit: Path) -> None:
    import os

    os.mkfifo(visit / "pipe.har")
    result = _audit(visit, "--after-accept", "pipe.har")
    assert result.returncode == 2
    assert result.stderr.decode() == (
        "cookielint: error: pipe.har: not a regular file (a FIFO, socket or device)\n"
    )


def test_a_policy_over_the_size_limit_is_a_finding(visit: Path) -> None:
    (visit / ".cookielint.yaml").write_text("max-file-size: 100\n")
    result = _audit(visit)
    assert result.returncode == 1
    assert result.stdout.decode().splitlines()[0].startswith("policy.yaml:1:1: CL002 [error] ")
