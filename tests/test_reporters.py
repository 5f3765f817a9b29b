"""Every output format, parsed as its consumer parses it, on ordinary and on hostile input."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import ROOT, STATISTICS_EXEMPT_POLICY, VALID_POLICY, run_cookielint

from cookielint import __version__, rules
from cookielint.config import Configuration
from cookielint.outputs import Output
from cookielint.reporters import REPORTERS, ReportOptions, reporter_class
from cookielint.run import run

# GitHub's workflow-command syntax: ::level key=value,...::message, on one line.
# Property values can hold neither a raw ',' nor ':'; data holds no raw CR or LF,
# and every '%' starts one of the escapes GitHub decodes.
WORKFLOW_COMMAND = re.compile(
    r"::(?P<level>error|warning|notice) (?P<properties>[a-zA-Z]+=[^,:\r\n]*(?:,[a-zA-Z]+=[^,:\r\n]*)*)"
    r"::(?P<data>[^\r\n]*)"
)
UNSAFE_BYTES = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

HOSTILE_POLICY = r"""version: 1
site: {name: "Evil", url: "https://evil.example"}
cookies:
  - name: "bad\nname::error file=x.yaml,line=1::injected %0A, 100%"
    provider: "Evil, Inc.: a provider"
    party: first
    category: marketing
    purposes: ["\e[31mred\e[0m and %25 and \u202eevil\r\n::warning::x", "TODO"]
    consent: exempt
    duration: 2 years
  - name: "\e]0;title\a"
    provider: x
    party: first
    category: necessary
    purposes: ["-"]
    consent: exempt
    duration: session
"""


def _unescape_data(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def _unescape_property(text: str) -> str:
    return _unescape_data(text.replace("%3A", ":").replace("%2C", ","))


@pytest.fixture
def every_rule_dir(tmp_path: Path) -> Path:
    """One file per rule holding its failing example: a run with findings of every rule."""
    for rule in rules.all_rules():
        if rule.code != "CL000":
            (tmp_path / f"{rule.code}.yaml").write_text(rule.fail_example + "\n")
    (tmp_path / ".cookielint.yaml").write_text("require-reason: true\n")  # CL008 exists only then
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    return tmp_path


def _report_every_rule(every_rule_dir: Path, monkeypatch) -> object:
    """The report of that run, with a rule made to fail on one more file to cover CL000 too."""
    original = rules.RULES["CL402"]

    def check_or_explode(cookie, policy):
        if cookie.name == "explode-me":
            raise RuntimeError("boom")
        return original.check(cookie, policy)

    monkeypatch.setitem(rules.RULES, "CL402", original.with_check(check_or_explode))
    (every_rule_dir / "CL000.yaml").write_text(
        rules.example(
            """
            - name: explode-me
              provider: Example shop
              party: first
              category: necessary
              purposes: [To show an internal error]
              consent: exempt
              duration: session
            """
        )
    )
    monkeypatch.chdir(every_rule_dir)
    report = run(Configuration(), ["."])
    # The audit rules' findings come from their examples audited, as `cookielint audit` does.
    from audit_cases import seen_in_example

    from cookielint.commands.audit import ACCEPT, policy_findings
    from cookielint.finding import Report
    from cookielint.pipeline import DEFAULT_SETTINGS

    audited = []
    for rule in rules.all_rules():
        seen = seen_in_example(rule.fail_example)
        if seen:
            path = next(p for p in report.checked if p.endswith(f"{rule.code}.yaml"))
            accepted = sorted({item.capture for item in seen if item.phase == ACCEPT})
            text = rule.fail_example + "\n"
            audited += policy_findings(text, path, DEFAULT_SETTINGS, seen, accepted, False)
    findings = sorted(report.findings + audited, key=lambda f: f.sort_key)
    return Report(report.checked, findings, report.sources, rules.used_by(findings))


def _render(format_name: str, report, root: Path, color: bool = False) -> str:
    import io

    stream = io.StringIO()
    reporter_class(format_name)(stream, ReportOptions(color=color, root=root)).report(report)
    return stream.getvalue()


def test_report_covers_every_rule(every_rule_dir, monkeypatch):
    report = _report_every_rule(every_rule_dir, monkeypatch)
    assert {f.code for f in report.findings} == set(rules.RULES)


# SARIF -------------------------------------------------------------------------------------------


def _sarif_multitool() -> str | None:
    candidates = [
        os.environ.get("SARIF_MULTITOOL", ""),
        str(
            ROOT
            / ".ci"
            / "tools"
            / "node_modules"
            / "@microsoft"
            / "sarif-multitool-linux"
            / "Sarif.Multitool"
        ),
        shutil.which("Sarif.Multitool") or "",
    ]
    return next((c for c in candidates if c and os.access(c, os.X_OK)), None)


def test_sarif_structure(every_rule_dir, monkeypatch):
    report = _report_every_rule(every_rule_dir, monkeypatch)
    log = json.loads(_render("sarif", report, every_rule_dir))
    assert log["version"] == "2.1.0"
    (run_,) = log["runs"]
    driver = run_["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("cookielint", __version__)
    assert driver["informationUri"].startswith("https://")
    descriptors = driver["rules"]
    assert [d["id"] for d in descriptors] == sorted(rules.RULES)
    for descriptor in descriptors:
        rule = rules.RULES[descriptor["id"]]
        assert descriptor["shortDescription"]["text"] == rule.summary + "."
        assert descriptor["fullDescription"]["text"] and descriptor["help"]["text"].startswith(
            rule.rationale[:40]
        )
        assert descriptor["defaultConfiguration"]["level"] == rule.severity.value
    assert len(run_["results"]) == len(report.findings)
    for result, finding in zip(run_["results"], report.findings, strict=True):
        assert descriptors[result["ruleIndex"]]["id"] == result["ruleId"] == finding.code
        assert result["level"] == finding.severity.value
        assert result["message"]["text"] == finding.message
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == finding.path.removeprefix("./")
        assert location["region"] == {"startLine": finding.line, "startColumn": finding.column}
    fingerprints = [r["partialFingerprints"]["cookielintFinding/v1"] for r in run_["results"]]
    assert len(set(fingerprints)) == len(fingerprints)


def test_sarif_fingerprints_survive_moved_lines(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    policy = tmp_path / "p.yaml"
    policy.write_text(STATISTICS_EXEMPT_POLICY)
    before = json.loads(_render("sarif", run(Configuration(), ["p.yaml"]), tmp_path))
    policy.write_text("# a comment that moves every line\n\n" + STATISTICS_EXEMPT_POLICY)
    after = json.loads(_render("sarif", run(Configuration(), ["p.yaml"]), tmp_path))
    (b,), (a,) = before["runs"][0]["results"], after["runs"][0]["results"]
    assert a["locations"][0]["physicalLocation"]["region"]["startLine"] == 13
    assert b["locations"][0]["physicalLocation"]["region"]["startLine"] == 11
    assert a["partialFingerprints"] == b["partialFingerprints"]


@pytest.mark.slow
def test_sarif_passes_microsoft_validator_with_github_rules(
    every_rule_dir, monkeypatch, tmp_path_factory
):
    validator = _sarif_multitool()
    if validator is None and os.environ.get("COOKIELINT_REQUIRE_SARIF_VALIDATOR"):
        pytest.fail(
            "COOKIELINT_REQUIRE_SARIF_VALIDATOR is set but the SARIF Multitool is not installed"
        )
    if validator is None:
        pytest.skip(
            "Microsoft SARIF Multitool not installed (npm install @microsoft/sarif-multitool, "
            "or set SARIF_MULTITOOL to the Sarif.Multitool binary); .ci/run installs it"
        )
    report = _report_every_rule(every_rule_dir, monkeypatch)
    out = tmp_path_factory.mktemp("sarif")
    (out / "out.sarif").write_text(_render("sarif", report, every_rule_dir))
    result = subprocess.run(
        [
            validator,
            "validate",
            "--rule-kind",
            "Gh;Sarif",
            "--output",
            str(out / "validation.sarif"),
            str(out / "out.sarif"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    validation = json.loads((out / "validation.sarif").read_text(encoding="utf-8-sig"))
    problems = [
        (r.get("level", "warning"), r["ruleId"], r["message"])
        for r in validation["runs"][0].get("results", [])
    ]
    assert [p for p in problems if p[0] == "error"] == []
    assert problems == []  # not even a warning


# GitHub ------------------------------------------------------------------------------------------


def test_github_annotations_parse(every_rule_dir, monkeypatch):
    report = _report_every_rule(every_rule_dir, monkeypatch)
    lines = _render("github", report, every_rule_dir).splitlines()
    assert len(lines) == len(report.findings)
    for line, finding in zip(lines, report.findings, strict=True):
        match = WORKFLOW_COMMAND.fullmatch(line)
        assert match, line
        properties = dict(p.split("=", 1) for p in match["properties"].split(","))
        assert match["level"] == finding.severity.value
        assert _unescape_property(properties["file"]) == finding.path.removeprefix("./")
        assert (properties["line"], properties["col"]) == (str(finding.line), str(finding.column))
        assert _unescape_property(properties["title"]) == f"{finding.code} {finding.name}"
        assert _unescape_data(match["data"]) == finding.message


def test_github_is_the_default_under_github_actions(tmp_path):
    policy = tmp_path / "p.yaml"
    policy.write_text(STATISTICS_EXEMPT_POLICY)
    env = {**os.environ, "GITHUB_ACTIONS": "true"}
    result = subprocess.run(
        [*_python_cookielint(), "check", str(policy)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert result.returncode == 1
    assert result.stdout.startswith(
        "::error file=p.yaml,line=11,col=14,title=CL201 statistics-exempt-not-anonymized::"
    )
    env["GITHUB_ACTIONS"] = "false"
    result = subprocess.run(
        [*_python_cookielint(), "check", str(policy)], capture_output=True, text=True, env=env
    )
    assert result.stdout.startswith(f"{policy}:11:14: CL201 [error]")


def _python_cookielint() -> list[str]:
    import sys

    return [sys.executable, "-m", "cookielint"]


# Hostile input: nothing from a policy file can break or inject into any format --------------------


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    path = tmp_path / "hostile, %0A::error.yaml"
    path.write_text(HOSTILE_POLICY)
    return path


def test_hostile_input_findings(hostile):
    result = run_cookielint("check", "--format", "json", str(hostile))
    codes = [f["code"] for f in json.loads(result.stdout)["findings"]]
    assert codes == ["CL405", "CL102", "CL202", "CL404", "CL405", "CL102"]


def test_hostile_input_github_one_annotation_per_finding(hostile):
    findings = json.loads(run_cookielint("check", "--format", "json", str(hostile)).stdout)[
        "findings"
    ]
    result = run_cookielint("check", "--format", "github", hostile.name, cwd=hostile.parent)
    lines = result.stdout.decode().split("\n")
    assert lines[-1] == ""
    assert len(lines[:-1]) == len(findings) == 6
    for line, finding in zip(lines[:-1], findings, strict=True):
        match = WORKFLOW_COMMAND.fullmatch(line)
        assert match, line
        assert not UNSAFE_BYTES.search(line)
        assert re.fullmatch(r"(?:[^%]|%25|%0D|%0A|%3A|%2C)*", match["data"]), "a bare % in the data"
        properties = dict(p.split("=", 1) for p in match["properties"].split(","))
        assert set(properties) == {"file", "line", "col", "title"}
        assert _unescape_property(properties["file"]) == Path(finding["path"]).name
        assert (properties["line"], properties["col"]) == (
            str(finding["line"]),
            str(finding["column"]),
        )


@pytest.mark.parametrize("format_name", ["text", "full"])
def test_hostile_input_terminal_output_has_no_raw_escapes(hostile, format_name):
    result = run_cookielint("check", "--format", format_name, "--color", "never", str(hostile))
    text = result.stdout.decode()
    assert not UNSAFE_BYTES.search(text.replace("\n", "")), repr(text)
    assert "cookie '\\x1b]0;title\\x07'" in text
    lines = text.splitlines()
    if format_name == "text":
        assert len(lines) == 7  # six findings and the summary: no line was split


def test_hostile_input_machine_formats_stay_well_formed(hostile, tmp_path):
    outputs = {name: tmp_path / f"out.{name}" for name in ("json", "sarif", "gitlab", "junit")}
    args = [f"--format={name}={path}" for name, path in outputs.items()]
    result = run_cookielint("check", *args, str(hostile))
    assert result.returncode == 1
    assert result.stdout.decode() == "Found 5 errors and 1 warning in 1 file.\n"
    report = json.loads(outputs["json"].read_text())
    assert len(report["findings"]) == 6
    assert "\x1b" in report["findings"][1]["message"] or "\x1b" not in json.dumps(report)
    sarif = json.loads(outputs["sarif"].read_text())
    assert len(sarif["runs"][0]["results"]) == 6
    gitlab = json.loads(outputs["gitlab"].read_text())
    assert len(gitlab) == 6
    junit = ET.fromstring(outputs["junit"].read_bytes())
    assert len(junit.findall("./testsuite/testcase/failure")) == 6
    for path in outputs.values():
        assert not UNSAFE_BYTES.search(path.read_text().replace("\n", ""))


# GitLab and JUnit --------------------------------------------------------------------------------


def test_gitlab_code_quality(every_rule_dir, monkeypatch):
    report = _report_every_rule(every_rule_dir, monkeypatch)
    issues = json.loads(_render("gitlab", report, every_rule_dir))
    assert len(issues) == len(report.findings)
    for issue, finding in zip(issues, report.findings, strict=True):
        assert set(issue) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["check_name"] == finding.code
        assert issue["description"] == f"{finding.code} {finding.message}"
        assert issue["severity"] == {"error": "major", "warning": "minor"}[finding.severity.value]
        assert issue["location"] == {
            "path": finding.path.removeprefix("./"),
            "lines": {"begin": finding.line},
        }
    assert len({i["fingerprint"] for i in issues}) == len(issues)


def test_junit_one_case_per_file_one_failure_per_finding(tmp_path):
    (tmp_path / "good.yaml").write_text(VALID_POLICY)
    (tmp_path / "bad.yaml").write_text(
        STATISTICS_EXEMPT_POLICY.replace("duration: 13 months", "duration: 2 years")
    )
    result = run_cookielint("check", "--format", "junit", str(tmp_path))
    assert result.returncode == 1
    root = ET.fromstring(result.stdout)
    suite = root.find("testsuite")
    assert (root.tag, suite.get("tests"), suite.get("failures")) == ("testsuites", "2", "3")
    cases = {case.get("name"): case for case in suite.findall("testcase")}
    assert set(cases) == {f"{tmp_path}/bad.yaml", f"{tmp_path}/good.yaml"}
    assert cases[f"{tmp_path}/good.yaml"].findall("failure") == []
    failures = cases[f"{tmp_path}/bad.yaml"].findall("failure")
    assert [f.get("type") for f in failures] == [
        "CL201 statistics-exempt-not-anonymized",
        "CL204 statistics-exempt-too-long",
        "CL404 lifetime-over-browser-cap",
    ]
    assert failures[0].text.startswith(f"{tmp_path}/bad.yaml:11:14: CL201 [error] cookie '_ga'")


# Full text ---------------------------------------------------------------------------------------


def test_full_shows_the_line_a_caret_and_a_hint(tmp_path):
    policy = tmp_path / "p.yaml"
    policy.write_text(STATISTICS_EXEMPT_POLICY)
    result = run_cookielint("check", "--format", "full", str(policy))
    assert result.stdout.decode() == (
        f"{policy}:11:14: CL201 [error] cookie '_ga' is statistics exempt from consent but not declared anonymized: true\n"
        "     |\n"
        "  11 |     consent: exempt\n"
        "     |              ^\n"
        f"  = hint: {rules.get('CL201').hint}\n"
        "\n"
        "Found 1 error and 0 warnings in 1 file.\n"
    )


def test_full_reads_stdin_source_from_the_run():
    result = run_cookielint(
        "check",
        "--format",
        "full",
        "--stdin-filename",
        "x.yaml",
        "-",
        stdin=STATISTICS_EXEMPT_POLICY,
    )
    assert "  11 |     consent: exempt\n     |              ^\n" in result.stdout.decode()


def test_full_caret_after_tabs_and_escapes(tmp_path):
    policy = tmp_path / "p.yaml"
    policy.write_text(
        VALID_POLICY.replace("name: Example shop", 'name: "\\e[1m"\t# x').replace(
            "consent: exempt", "consent: required"
        )
    )
    text = run_cookielint("check", "--format", "full", str(policy)).stdout.decode()
    assert "  11 |     consent: required\n     |              ^\n" in text


# Options -----------------------------------------------------------------------------------------


def test_several_formats_each_with_its_file(tmp_path):
    policy = tmp_path / "p.yaml"
    policy.write_text(STATISTICS_EXEMPT_POLICY)
    sarif = tmp_path / "reports" / "out.sarif"
    sarif.parent.mkdir()
    result = run_cookielint(
        "check", "--format", f"sarif={sarif}", "--format", "github", str(policy), cwd=tmp_path
    )
    assert result.returncode == 1
    assert result.stdout.decode().startswith("::error file=p.yaml,line=11,col=14,")
    assert json.loads(sarif.read_text())["runs"][0]["results"][0]["ruleId"] == "CL201"
    assert sorted(p.name for p in sarif.parent.iterdir()) == ["out.sarif"]  # no temporary file left


def test_output_file_keeps_a_summary_on_the_terminal(tmp_path):
    policy = tmp_path / "p.yaml"
    policy.write_text(STATISTICS_EXEMPT_POLICY)
    out = tmp_path / "report.json"
    result = run_cookielint("check", "--format", "json", "--output-file", str(out), str(policy))
    assert result.returncode == 1
    assert result.stdout.decode() == "Found 1 error and 0 warnings in 1 file.\n"
    assert json.loads(out.read_text())["summary"] == {"errors": 1, "warnings": 0}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--format", "json", "--format", "github"],
            "only one --format can write to standard output",
        ),
        (
            ["--format", "json", "--format", "sarif=x", "-o", "y"],
            "--output-file goes with a single --format",
        ),
        (["--format", "sarif="], "names no file after '='"),
        (["--format", "sarf"], "did you mean 'sarif'?"),
    ],
)
def test_format_usage_errors_exit_2(args, message):
    result = run_cookielint("check", *args, "policies", cwd=ROOT)
    assert result.returncode == 2
    assert message in result.stderr.decode()
    assert b"Traceback" not in result.stderr


def test_unwritable_output_file_exits_2(tmp_path):
    result = run_cookielint(
        "check", "--output-file", str(tmp_path / "missing" / "out.txt"), "policies", cwd=ROOT
    )
    assert result.returncode == 2
    assert result.stderr.decode().startswith("cookielint: error: cannot write ")
    assert result.stderr.decode().count("\n") == 1


def test_statistics_most_frequent_first(tmp_path):
    text = STATISTICS_EXEMPT_POLICY.replace("duration: 13 months", "duration: 2 years")
    text += STATISTICS_EXEMPT_POLICY.split("cookies:\n")[1].replace("_ga", "_gid")
    (tmp_path / "p.yaml").write_text(text)
    result = run_cookielint("check", "--statistics", str(tmp_path / "p.yaml"))
    lines = result.stdout.decode().splitlines()
    assert lines[-4:] == [
        "Found 3 errors and 1 warning in 1 file.",
        "2  CL201  statistics-exempt-not-anonymized",
        "1  CL204  statistics-exempt-too-long",
        "1  CL404  lifetime-over-browser-cap",
    ]


def test_statistics_with_json_on_stdout_go_to_stderr(tmp_path):
    (tmp_path / "p.yaml").write_text(STATISTICS_EXEMPT_POLICY)
    result = run_cookielint("check", "--statistics", "--format", "json", str(tmp_path / "p.yaml"))
    json.loads(result.stdout)
    assert result.stderr.decode() == "1  CL201  statistics-exempt-not-anonymized\n"


def test_exit_zero_and_fail_on(tmp_path):
    errors = tmp_path / "errors.yaml"
    errors.write_text(STATISTICS_EXEMPT_POLICY)
    warnings = tmp_path / "warnings.yaml"
    warnings.write_text(VALID_POLICY.replace("duration: session", "duration: 2 years"))
    assert run_cookielint("check", "--exit-zero", str(errors)).returncode == 0
    assert run_cookielint("check", str(warnings)).returncode == 0
    assert run_cookielint("check", "--fail-on", "warning", str(warnings)).returncode == 1
    assert run_cookielint("check", "--fail-on", "error", str(warnings)).returncode == 0


@pytest.mark.parametrize(
    ("args", "env", "colored"),
    [
        (["--color", "always"], {}, True),
        (["--color", "never"], {"FORCE_COLOR": "1"}, False),
        (["--color", "auto"], {}, False),  # a pipe is not a terminal
        (["--color", "auto"], {"FORCE_COLOR": "1"}, True),
        (["--color", "auto"], {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
        (
            ["--color", "always"],
            {"NO_COLOR": "1"},
            True,
        ),  # an explicit flag wins over the environment
    ],
)
def test_color(tmp_path, args, env, colored):
    (tmp_path / "p.yaml").write_text(STATISTICS_EXEMPT_POLICY)
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    result = subprocess.run(
        [*_python_cookielint(), "check", *args, str(tmp_path / "p.yaml")],
        capture_output=True,
        env={**environment, **env},
    )
    assert (b"\x1b[" in result.stdout) is colored


def test_color_never_reaches_a_report_file(tmp_path):
    (tmp_path / "p.yaml").write_text(STATISTICS_EXEMPT_POLICY)
    out = tmp_path / "out.txt"
    run_cookielint(
        "check", "--color", "always", "--format", f"full={out}", str(tmp_path / "p.yaml")
    )
    assert b"\x1b" not in out.read_bytes()


def test_every_format_is_registered_and_importable():
    assert set(REPORTERS) == {"text", "full", "json", "sarif", "github", "gitlab", "junit"}
    for name in REPORTERS:
        assert reporter_class(name).report


def test_format_options_become_outputs():
    import click

    from cookielint.cli import OutputSpec

    spec = OutputSpec()
    assert spec.convert("sarif=reports/x.sarif", None, None) == Output("sarif", "reports/x.sarif")
    assert spec.convert("json", None, None) == Output("json", None)
    with pytest.raises(click.BadParameter, match="'sarif=' names no file after '='"):
        spec.convert("sarif=", None, None)
    with pytest.raises(click.BadParameter, match="unknown format 'sarf'.*did you mean 'sarif'"):
        spec.convert("sarf", None, None)
    with pytest.raises(AttributeError):
        Output("json").path = "x.json"  # type: ignore[misc]
