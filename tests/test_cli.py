"""The command line as the README describes it: formats, exit codes, stdin, directories."""

from __future__ import annotations

import json
import re

from conftest import ROOT, STATISTICS_EXEMPT_POLICY, VALID_POLICY, run_cookielint

from cookielint import __version__, rules

TEXT_LINE = re.compile(
    r"^(?P<path>.+):(?P<line>\d+):(?P<column>\d+): (?P<code>CL\d{3}) \[(?P<severity>error|warning)\] (?P<message>.+)$"
)


def test_shipped_policies_pass():
    result = run_cookielint("check", "policies/", cwd=ROOT)
    assert result.returncode == 0, result.stdout.decode()
    assert result.stdout.decode().splitlines()[-1].startswith("No problems found in ")


def test_no_path_checks_policies_directory():
    result = run_cookielint("check", cwd=ROOT)
    assert result.returncode == 0
    count = len(list((ROOT / "policies").glob("*.yaml")))
    assert result.stdout.decode() == f"No problems found in {count} files.\n"


def test_statistics_exempt_exits_1_naming_the_cookie(write):
    path = write("stats.yaml", STATISTICS_EXEMPT_POLICY)
    result = run_cookielint("check", str(path))
    assert result.returncode == 1
    lines = result.stdout.decode().splitlines()
    assert lines == [
        f"{path}:11:14: CL201 [error] cookie '_ga' is statistics exempt from consent "
        "but not declared anonymized: true",
        "Found 1 error and 0 warnings in 1 file.",
    ]
    assert result.stderr == b""


def test_missing_path_exits_2_with_one_line():
    result = run_cookielint("check", "does-not-exist.yaml")
    assert result.returncode == 2
    assert result.stdout == b""
    assert result.stderr.decode() == "cookielint: error: path does not exist: does-not-exist.yaml\n"


def test_bad_usage_exits_2():
    result = run_cookielint("check", "--format", "yaml", "policies")
    assert result.returncode == 2
    assert b"Traceback" not in result.stderr
    assert (
        b"unknown format 'yaml' (choose from text, full, json, sarif, github, gitlab, junit)"
        in result.stderr
    )


def test_warnings_alone_exit_0(write):
    path = write("p.yaml", VALID_POLICY.replace("duration: session", "duration: 2 years"))
    result = run_cookielint("check", str(path))
    assert result.returncode == 0
    assert result.stdout.decode().splitlines() == [
        f"{path}:12:15: CL404 [warning] cookie 'cart' declares 2 years (730.5 days), "
        "but browsers keep cookies at most 400 days",
        "Found 0 errors and 1 warning in 1 file.",
    ]


def test_json_output_is_the_spec_object(write):
    path = write("stats.yaml", STATISTICS_EXEMPT_POLICY)
    good = write("good.yaml", VALID_POLICY)
    result = run_cookielint("check", "--format", "json", str(path), str(good))
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report == {
        "version": __version__,
        "files": 2,
        "findings": [
            {
                "path": str(path),
                "line": 11,
                "column": 14,
                "code": "CL201",
                "name": "statistics-exempt-not-anonymized",
                "severity": "error",
                "message": "cookie '_ga' is statistics exempt from consent but not declared anonymized: true",
                "pointer": "/cookies/0/consent",
            }
        ],
        "summary": {"errors": 1, "warnings": 0},
    }


def test_json_with_no_findings(write):
    result = run_cookielint("check", "--format", "json", str(write("good.yaml", VALID_POLICY)))
    assert result.returncode == 0
    assert json.loads(result.stdout)["findings"] == []
    assert json.loads(result.stdout)["summary"] == {"errors": 0, "warnings": 0}


def test_stdin_with_filename():
    result = run_cookielint(
        "check", "--stdin-filename", "site/cookies.yaml", "-", stdin=STATISTICS_EXEMPT_POLICY
    )
    assert result.returncode == 1
    assert result.stdout.decode().startswith("site/cookies.yaml:11:14: CL201 [error] ")


def test_stdin_without_filename_is_dash():
    result = run_cookielint("check", "-", stdin=VALID_POLICY.replace("exempt", "maybe"))
    assert result.returncode == 1
    assert result.stdout.decode().startswith(
        "-:11:14: CL003 [error] cookie 'cart': 'consent' must be one of required, exempt, not 'maybe'"
    )


def test_directories_are_searched_recursively_in_order(write, tmp_path):
    write("b/z.yml", VALID_POLICY)
    write("b/a/deep.yaml", STATISTICS_EXEMPT_POLICY)
    write("a.yaml", VALID_POLICY.replace("[To keep the visitor's shopping cart]", "[TODO]"))
    write("notes.txt", "not a policy")
    write(".hidden/x.yaml", ": not even yaml [")
    result = run_cookielint("check", "--format", "json", str(tmp_path) + "/")
    report = json.loads(result.stdout)
    assert report["files"] == 3
    assert [(f["path"], f["code"]) for f in report["findings"]] == [
        (f"{tmp_path}/a.yaml", "CL102"),
        (f"{tmp_path}/b/a/deep.yaml", "CL201"),
    ]


def test_findings_sorted_by_path_line_column(write, tmp_path):
    text = VALID_POLICY.replace(
        "consent: exempt", "consent: exempt\n    secure: yes\n    colour: blue"
    )
    write("b.yaml", text)
    write("a.yaml", text)
    result = run_cookielint("check", str(tmp_path / "b.yaml"), str(tmp_path / "a.yaml"))
    rows = [TEXT_LINE.match(line).groupdict() for line in result.stdout.decode().splitlines()[:-1]]
    keys = [(r["path"], int(r["line"]), int(r["column"]), r["code"]) for r in rows]
    assert keys == sorted(keys)
    assert [r["code"] for r in rows] == ["CL006", "CL003"] * 2


def test_every_text_line_matches_the_format(write):
    path = write(
        "messy.yaml", "version: 2\nsite: {name: x}\ncookies:\n  - name: a b\n    purposes: []\n"
    )
    result = run_cookielint("check", str(path))
    lines = result.stdout.decode().splitlines()
    assert all(TEXT_LINE.match(line) for line in lines[:-1]), lines
    assert re.fullmatch(r"Found \d+ errors? and \d+ warnings? in 1 file\.", lines[-1])


def test_version():
    result = run_cookielint("--version")
    assert result.returncode == 0
    assert result.stdout.decode() == f"cookielint, version {__version__}\n"


def test_rules_lists_the_catalogue():
    result = run_cookielint("rules")
    lines = result.stdout.decode().splitlines()
    assert result.returncode == 0
    assert any(
        re.match(r"CL201\s+statistics-exempt-not-anonymized\s+error\s+Statistics", line)
        for line in lines
    )
    assert len(lines) == len(rules.RULES) == 35


def test_explain_by_code_and_by_name():
    by_code = run_cookielint("explain", "CL201")
    by_name = run_cookielint("explain", "statistics-exempt-not-anonymized")
    assert by_code.returncode == 0
    assert by_code.stdout == by_name.stdout
    text = by_code.stdout.decode()
    assert text.startswith("CL201 statistics-exempt-not-anonymized (error)\n")
    assert "CNIL deliberation 2020-091" in text
    assert "Fails\n" in text and "Passes\n" in text


def test_explain_unknown_rule_suggests():
    result = run_cookielint("explain", "statistics-exempt-not-anonymised")
    assert result.returncode == 2
    assert result.stderr.decode() == (
        "cookielint: error: unknown rule 'statistics-exempt-not-anonymised'; "
        "did you mean 'statistics-exempt-not-anonymized'?\n"
    )


def test_schema_command_prints_the_schema():
    result = run_cookielint("schema")
    assert result.returncode == 0
    assert result.stdout.decode() == (ROOT / "schema" / "cookie-policy.schema.json").read_text()


def test_broken_files_are_findings_not_crashes(write, tmp_path):
    write("binary.yaml", b"\x00\x01\x02\xff")
    write("latin1.yaml", "version: 1\nsite: {name: Caf\xe9}\n".encode("latin-1"))
    write("syntax.yaml", "version: [1\n")
    write("empty.yaml", "")
    write("scalar.yaml", "just a string\n")
    result = run_cookielint("check", "--format", "json", str(tmp_path))
    assert result.returncode == 1
    assert result.stderr == b""
    report = json.loads(result.stdout)
    assert report["files"] == 5
    assert [
        (f["path"].rsplit("/", 1)[1], f["code"], f["line"], f["column"]) for f in report["findings"]
    ] == [
        ("binary.yaml", "CL002", 1, 1),
        ("empty.yaml", "CL003", 1, 1),
        ("latin1.yaml", "CL002", 1, 1),
        ("scalar.yaml", "CL003", 1, 1),
        ("syntax.yaml", "CL001", 2, 1),
    ]
