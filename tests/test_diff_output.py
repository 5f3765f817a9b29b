"""`cookielint diff BASE HEAD`: its formats (text, markdown, json against its schema, github,
sarif), its configuration (levels, the ignore file) and its exit codes."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, run_cookielint
from test_diff_changes import GA, edit, policy

BASE = policy(GA + GA.replace("_ga", "_gid"))
# _gid removed (info, on the base file), a new cookie whose name and purpose hold markup,
# the consent of _ga made exempt (error), and `updated` left as it was (error).
ODD = (
    "- name: a|b`c\n  provider: Ads <Inc>\n  party: third\n  category: marketing\n"
    '  purposes: ["To | target `ads` <img src=x> @team\\nand more"]\n  consent: required\n'
    "  duration: 90 days\n"
)
HEAD = policy(edit(GA, "consent: required", "consent: exempt\n  anonymized: true") + ODD)


@pytest.fixture
def pair(tmp_path: Path) -> Path:
    (tmp_path / "base").mkdir()
    (tmp_path / "head").mkdir()
    (tmp_path / "base" / "shop.yaml").write_text(BASE)
    (tmp_path / "head" / "shop.yaml").write_text(HEAD)
    return tmp_path


def diff(cwd: Path, *args: str):
    result = run_cookielint("diff", *args, cwd=cwd)
    return result.returncode, result.stdout.decode(), result.stderr.decode()


def test_text(pair):
    status, out, err = diff(pair, "base", "head")
    assert (status, err) == (1, "")
    assert out.splitlines() == [
        "head/shop.yaml:5:10: CD001 [error] 4 consent-relevant changes (CD101, CD203, CD204, "
        "CD302; first: cookie '_ga': consent changed from required to exempt: it would be set "
        "without asking) but `updated` stays 2026-01-10: set it to the date of this change so "
        "that visitors are asked again (GDPR art. 4(11) and 7: consent is specific and "
        "informed, so consent given to the earlier policy does not cover this)",
        "head/shop.yaml:12:14: CD101 [error] cookie '_ga': consent changed from required to "
        "exempt: it would be set without asking (ePrivacy Directive art. 5(3): only storage "
        "strictly necessary for the service the visitor asked for may be set without consent)",
        "head/shop.yaml:15:11: CD302 [warning] new cookie 'a|b`c' requires consent (marketing, "
        "set by Ads <Inc>) (GDPR art. 4(11) and 7: consent is specific and informed, so "
        "consent given to the earlier policy does not cover this)",
        "head/shop.yaml:16:15: CD203 [warning] new provider 'Ads <Inc>': it sets cookie 'a|b`c' "
        "(GDPR art. 13(1)(e): visitors are told who receives their data)",
        "head/shop.yaml:17:12: CD204 [warning] cookie 'a|b`c' is third-party storage of "
        "'Ads <Inc>', which set no third-party storage before (GDPR art. 13(1)(e); WP29 "
        "Opinion 04/2012: third-party storage lets another site follow the visitor)",
        "base/shop.yaml:14:11: CD304 [info] cookie '_gid' removed (it was statistics, consent "
        "required) (GDPR art. 13: the policy tells visitors what is stored and why)",
        "Changes: 2 errors, 3 warnings, 1 info in 1 of 1 file compared with base. "
        "Check of the head: No problems found in 1 file.",
    ]


def test_json_validates_against_its_schema(pair):
    from jsonschema import Draft202012Validator

    schema = json.loads((ROOT / "schema" / "cookielint-diff.schema.json").read_text())
    Draft202012Validator.check_schema(schema)
    status, out, _ = diff(pair, "base", "head", "--format", "json")
    assert status == 1
    report = json.loads(out)
    assert list(Draft202012Validator(schema).iter_errors(report)) == []
    assert report["summary"] == {
        "errors": 2,
        "warnings": 3,
        "info": 1,
        "accepted": 0,
        "files": 1,
        "changed_files": 1,
    }
    first = report["changes"][1]
    assert first == {
        "code": "CD101",
        "name": "consent-exempted",
        "level": "error",
        "message": "cookie '_ga': consent changed from required to exempt: it would be set "
        "without asking",
        "regulation": "ePrivacy Directive art. 5(3): only storage strictly necessary for the "
        "service the visitor asked for may be set without consent",
        "path": "head/shop.yaml",
        "line": 12,
        "column": 14,
        "side": "head",
        "pointer": "/cookies/0/consent",
        "cookie": "_ga",
        "base": "required",
        "head": "exempt",
    }
    # With findings of the check, accepted changes, and --no-check: the schema still holds.
    (pair / "head" / "shop.yaml").write_text(HEAD.replace("duration: 90 days", "duration: 2 years"))
    (pair / "accepted.yaml").write_text(
        "accepted:\n  - change: CD304\n    cookie: _gid\n    reason: Retired with the old theme\n"
    )
    for extra in ([], ["--no-check"]):
        status, out, _ = diff(
            pair, "base", "head", "--format", "json", "--ignore-file", "accepted.yaml", *extra
        )
        report = json.loads(out)
        assert list(Draft202012Validator(schema).iter_errors(report)) == []
        assert [a["reason"] for a in report["accepted"]] == ["Retired with the old theme"]
        assert (report["check"] is None) == bool(extra)
    assert [
        f["code"]
        for f in json.loads(diff(pair, "base", "head", "--format", "json")[1])["check"]["findings"]
    ] == ["CL404"]


UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def test_markdown_is_a_pull_request_comment(pair):
    status, out, _ = diff(pair, "base", "head", "--format", "markdown")
    assert status == 1
    lines = out.splitlines()
    assert lines[0] == "<!-- cookielint-diff -->"
    assert lines[1] == "### cookielint diff: ❌ 2 changes break visitors' consent"
    assert lines[3] == (
        "**2** error · **3** warning · **1** info — 1 changed file of 1, compared with base"
    )
    header = "| level | change | cookie | base | head | where | why |"
    assert lines[5] == header
    assert lines[6] == "|---|---|---|---|---|---|---|"
    rows = [line for line in lines if line.startswith("| ") and line != header]
    for row in rows:
        # Every row has the header's seven cells: no `|` from a name or purpose splits one.
        assert len(UNESCAPED_PIPE.split(row)) == 9, row
    odd = next(row for row in rows if "CD302 consent" in row)
    assert "| a\\|b\\`c |" in odd
    assert "<img" not in out and "\\<img" not in out or "\\<Inc\\>" in out
    assert "@team" not in out.replace("\\@team", "")
    # The most severe first; the info change folded away.
    codes = [re.search(r"CD\d{3}", row).group() for row in rows]
    assert codes == ["CD001", "CD101", "CD302", "CD203", "CD204", "CD304"]
    details = out.index("<details><summary>1 more change (1 info)</summary>")
    assert out.index("CD304") > details
    assert out.rstrip().endswith("</details>")


def test_markdown_escapes_what_would_break_the_table(tmp_path):
    from cookielint.diff.reporters import cell

    assert cell("a|b") == "a\\|b"
    assert cell("`code`") == "\\`code\\`"
    assert cell("<script>alert(1)</script>") == "\\<script\\>alert(1)\\</script\\>"
    assert cell("one\ntwo\r\nthree") == "one two three"
    assert cell("@org/team #12 *bold* _it_ [x](y) $x$ ~s~ \\") == (
        "\\@org/team \\#12 \\*bold\\* \\_it\\_ \\[x\\](y) \\$x\\$ \\~s\\~ \\\\"
    )
    assert cell("\x1b[31mred") == "\\\\x1b\\[31mred"


def test_markdown_verdicts(tmp_path):
    (tmp_path / "a.yaml").write_text(policy(GA))
    (tmp_path / "b.yaml").write_text(policy(edit(GA, "13 months", "6 months")))
    status, out, _ = diff(tmp_path, "a.yaml", "b.yaml", "--format", "markdown")
    assert status == 0
    assert out.splitlines()[1] == "### cookielint diff: ✅ No consent-relevant change"
    (tmp_path / "b.yaml").write_text(policy(GA + "  refresh: true\n", updated="2026-02-02"))
    status, out, _ = diff(tmp_path, "a.yaml", "b.yaml", "--format", "markdown")
    assert status == 0  # warnings fail only with --fail-on warning
    assert out.splitlines()[1] == "### cookielint diff: ⚠️ 1 change needs new consent or review"


def test_github_annotations_removal_on_the_base_line(pair):
    status, out, _ = diff(pair, "base", "head", "--format", "github")
    lines = out.splitlines()
    assert lines[-1] == (
        "::notice file=base/shop.yaml,line=14,col=11,title=CD304 cookie-removed::cookie '_gid' "
        "removed (it was statistics, consent required) (GDPR art. 13: the policy tells visitors "
        "what is stored and why)"
    )
    odd = next(line for line in lines if "title=CD204" in line)
    assert odd.startswith(
        "::warning file=head/shop.yaml,line=17,col=12,title=CD204 third-party-added::"
    )


def test_github_is_the_default_under_github_actions(pair):
    result = subprocess.run(
        [os.sys.executable, "-m", "cookielint", "diff", "base", "head"],
        cwd=pair,
        capture_output=True,
        env=dict(os.environ, GITHUB_ACTIONS="true"),
    )
    assert result.stdout.decode().startswith("::error file=head/shop.yaml,line=5,col=10,")


def test_sarif(pair):
    (pair / "head" / "shop.yaml").write_text(HEAD.replace("duration: 90 days", "duration: 2 years"))
    status, out, _ = diff(pair, "base", "head", "--format", "sarif")
    log = json.loads(out)
    (run,) = log["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [
        "CL404",
        "CD001",
        "CD101",
        "CD203",
        "CD204",
        "CD302",
        "CD304",
    ]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    levels = {r["ruleId"]: r["level"] for r in run["results"]}
    assert levels == {
        "CD001": "error",
        "CD101": "error",
        "CD302": "warning",
        "CD203": "warning",
        "CD204": "warning",
        "CD304": "note",
        "CL404": "warning",
    }
    removal = next(r for r in run["results"] if r["ruleId"] == "CD304")
    location = removal["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "base/shop.yaml"
    assert location["region"] == {"startLine": 14, "startColumn": 11}
    _validate_sarif(out, pair)


def _validate_sarif(text: str, directory: Path) -> None:
    from test_reporters import _sarif_multitool

    validator = _sarif_multitool()
    if validator is None and os.environ.get("COOKIELINT_REQUIRE_SARIF_VALIDATOR"):
        pytest.fail(
            "COOKIELINT_REQUIRE_SARIF_VALIDATOR is set but the SARIF Multitool is not installed"
        )
    if validator is None:
        return  # the structure is checked above; .ci/run installs the validator
    (directory / "out.sarif").write_text(text)
    result = subprocess.run(
        [
            validator,
            "validate",
            "--rule-kind",
            "Gh;Sarif",
            "--output",
            str(directory / "v.sarif"),
            str(directory / "out.sarif"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    validation = json.loads((directory / "v.sarif").read_text(encoding="utf-8-sig"))
    assert validation["runs"][0].get("results", []) == []


def test_levels_from_the_configuration_and_the_command_line(pair):
    (pair / ".cookielint.yaml").write_text(
        "diff:\n  levels:\n    consent-exempted: warning\n    CD001: none\n    CD204: none\n"
    )
    status, out, _ = diff(pair, "base", "head", "--no-check")
    assert status == 0
    assert [
        line.split(": ")[1].split(" [")[0] + " " + line.split("[")[1].split("]")[0]
        for line in out.splitlines()[:-1]
    ] == [
        "CD101 warning",
        "CD302 warning",
        "CD203 warning",
        "CD304 info",
    ]
    status, out, _ = diff(
        pair,
        "base",
        "head",
        "--no-check",
        "--level",
        "CD101=error",
        "--level",
        "cookie-removed=none",
    )
    assert status == 1
    assert [line.split(": ")[1].split(" [")[0] for line in out.splitlines()[:-1]] == [
        "CD101",
        "CD302",
        "CD203",
    ]
    status, out, _ = diff(
        pair, "base", "head", "--fail-on", "warning", "--no-check", "--level", "CD101=info"
    )
    assert status == 1


@pytest.mark.parametrize(
    ("config", "args", "message"),
    [
        ("", ["--level", "CD999=error"], "--level: unknown change class 'CD999'"),
        (
            "",
            ["--level", "CD101=fatal"],
            "--level: 'CD101': level must be one of error, warning, info, none, not 'fatal'",
        ),
        (
            "diff:\n  levels:\n    made-up: error\n",
            [],
            "{cwd}/.cookielint.yaml: diff.levels: unknown change class 'made-up'",
        ),
        (
            "diff:\n  level: {}\n",
            [],
            "{cwd}/.cookielint.yaml: diff: Additional properties are not allowed ('level' was unexpected)",
        ),
    ],
)
def test_bad_levels_exit_2(pair, config, args, message):
    if config:
        (pair / ".cookielint.yaml").write_text(config)
    status, out, err = diff(pair, "base", "head", *args)
    assert (status, out) == (2, "")
    assert err == f"cookielint: error: {message.format(cwd=pair)}\n"


def test_ignore_file_from_the_configuration(pair):
    (pair / ".cookielint.yaml").write_text("diff:\n  ignore-file: review/accepted.yaml\n")
    (pair / "review").mkdir()
    (pair / "review" / "accepted.yaml").write_text(
        "accepted:\n"
        "  - change: consent-exempted\n"
        "    cookie: _ga\n"
        "    path: head/*.yaml\n"
        "    reason: Anonymized per CNIL guidance, DPO ticket PRIV-7\n"
        "  - change: CD001\n"
        "    reason: The consent banner version is bumped in the CMP\n"
        "  - change: CD402\n"
        "    reason: Left over from an earlier review\n"
    )
    status, out, _ = diff(pair, "base", "head", "--no-check")
    assert status == 0
    assert (
        "review/accepted.yaml:8:5: CD006 [warning] the accepted change CD402 matches no change; "
        "remove the entry (its reason: Left over from an earlier review) (an accepted change that "
        "no longer happens hides the next one)"
    ) in out.splitlines()
    assert "CD101" not in out and "CD001" not in out
    assert out.splitlines()[-1].endswith("; 2 accepted.")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "accepted:\n  - change: CD101\n",
            "accepted.yaml:2:5: an accepted change gives its reason: reason: why it is accepted",
        ),
        (
            "accepted:\n  - change: CD777\n    reason: x\n",
            "accepted.yaml:2:13: unknown change class 'CD777'",
        ),
        (
            "accepted:\n  - change: CD101\n    reason: ''\n",
            "accepted.yaml:3:13: reason must be a non-empty string",
        ),
        (
            "accepted:\n  - change: CD101\n    reason: ok\n    why: x\n",
            "accepted.yaml:4:5: unknown key 'why' (known: change, cookie, path, reason)",
        ),
        (
            "- change: CD101\n",
            "accepted.yaml:1:1: the ignore file is a mapping with one key, accepted: a list of changes",
        ),
        (
            "accepted: [\n",
            "accepted.yaml:2:1: did not find expected node content (while parsing a flow node on line 2)",
        ),
    ],
)
def test_bad_ignore_file_exits_2(pair, text, message):
    (pair / "accepted.yaml").write_text(text)
    status, out, err = diff(pair, "base", "head", "--ignore-file", "accepted.yaml")
    assert (status, out) == (2, "")
    assert err == f"cookielint: error: {message}\n"


def test_check_findings_on_the_head_fail_on_their_own(tmp_path):
    (tmp_path / "a.yaml").write_text(policy(GA))
    bad = policy(edit(GA, "13 months", "2 years"), updated="2026-02-01")
    (tmp_path / "b.yaml").write_text(bad)
    status, out, _ = diff(tmp_path, "a.yaml", "b.yaml", "--level", "CD401=none")
    assert status == 0  # CL404 is a warning
    assert out.splitlines() == [
        "b.yaml:13:15: CL404 [warning] cookie '_ga' declares 2 years (730.5 days), but "
        "browsers keep cookies at most 400 days",
        "Changes: 0 errors, 0 warnings, 0 info in 1 of 1 file compared with a.yaml. "
        "Check of the head: Found 0 errors and 1 warning in 1 file.",
    ]
    status, _, _ = diff(
        tmp_path, "a.yaml", "b.yaml", "--level", "CD401=none", "--fail-on", "warning"
    )
    assert status == 1
    status, out, _ = diff(tmp_path, "a.yaml", "b.yaml", "--level", "CD401=none", "--no-check")
    assert status == 0 and "CL404" not in out


def test_several_formats_and_files(pair):
    status, out, _ = diff(
        pair, "base", "head", "--format", "markdown=comment.md", "--format", "json=diff.json"
    )
    assert status == 1
    assert (pair / "comment.md").read_text().startswith("<!-- cookielint-diff -->\n")
    assert json.loads((pair / "diff.json").read_text())["summary"]["errors"] == 2
    assert out.startswith("Changes: 2 errors, 3 warnings, 1 info")  # a summary on the terminal


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["base", "head", "--format", "yaml"],
            "unknown format 'yaml' (choose from text, markdown, json, github, sarif)",
        ),
        (["base", "missing"], "cookielint: error: path does not exist: missing"),
        (
            ["base", "head/shop.yaml"],
            "cookielint: error: base and head/shop.yaml must be two files or two directories",
        ),
    ],
)
def test_usage_errors_exit_2(pair, args, message):
    status, out, err = diff(pair, *args)
    assert (status, out) == (2, "")
    assert message in err
    assert "Traceback" not in err


def test_markdown_stays_under_the_comment_size_limit(tmp_path):
    many = "".join(GA.replace("_ga", f"_c{i}") for i in range(600))
    (tmp_path / "a.yaml").write_text(policy(GA))
    (tmp_path / "b.yaml").write_text(policy(GA + many.replace("To tell", "x" * 500 + " To tell")))
    status, out, _ = diff(tmp_path, "a.yaml", "b.yaml", "--format", "markdown", "--no-check")
    assert status == 1
    assert len(out) < 65_536  # GitHub's limit for a comment
    assert "…and " in out and "more: the job's log has them all." in out
    assert out.count("<details>") == out.count("</details>")
    row = next(line for line in out.splitlines() if "CD302" in line and "_c0" in line)
    assert len(row) < 2000


def test_a_failure_of_cookielint_itself_exits_2_even_with_no_check(pair, monkeypatch):
    from cookielint.config import Configuration
    from cookielint.diff import command

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(command, "compare", broken)
    for check in (True, False):
        settings = command.DiffSettings(
            base=str(pair / "base"),
            head=str(pair / "head"),
            check=check,
            configuration=Configuration(isolated=True),
        )
        report = command.run(settings)
        assert [f.message for f in report.check.findings if f.code == "CL000"] == [
            "internal error: RuntimeError: boom; please report this bug with the file"
        ]
        assert command.exit_status(report, settings) == 2


@pytest.mark.parametrize("output", ["text", "github", "markdown", "sarif", "json"])
def test_hostile_text_never_reaches_the_terminal_raw(tmp_path, output):
    (tmp_path / "base").mkdir()
    (tmp_path / "head").mkdir()
    name = "\x1b[2J\u202eevil.yaml"
    (tmp_path / "base" / name).write_text(policy(GA))
    hostile = 'purposes: ["To \\e[31mred\\e[0m and \\u202e reversed\\nlines"]'
    (tmp_path / "head" / name).write_text(
        policy(GA.replace("purposes: [To tell visitors apart in audience statistics]", hostile))
    )
    status, out, err = diff(tmp_path, "base", "head", "--format", output)
    assert status == 0, err
    assert "\x1b" not in out and "\u202e" not in out
    if output in ("text", "github", "markdown"):
        assert "\\x1b" in out and "\\u202e" in out
    if output == "markdown":
        assert all(
            len(UNESCAPED_PIPE.split(row)) == 9 for row in out.splitlines() if row.startswith("| ℹ")
        )
