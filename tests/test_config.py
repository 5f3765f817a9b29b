"""Configuration: each key and flag, discovery, precedence, validation errors, --show-settings."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from conftest import STATISTICS_EXEMPT_POLICY, VALID_POLICY, run_cookielint

# A policy with one finding of each of three rules:
#   CL201 (error) at 11:14, CL204 (error) and CL404 (warning) at 12:15.
THREE_RULES = STATISTICS_EXEMPT_POLICY.replace("duration: 13 months", "duration: 2 years")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    return tmp_path


def put(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def codes(
    repo: Path, *args: str, cwd: Path | None = None
) -> tuple[int, list[tuple[str, str, str]]]:
    result = run_cookielint("check", "--format", "json", *args, cwd=cwd or repo)
    assert result.stderr == b"", result.stderr.decode()
    report = json.loads(result.stdout)
    return result.returncode, [
        (Path(f["path"]).name, f["code"], f["severity"]) for f in report["findings"]
    ]


def test_defaults_report_every_rule(repo):
    put(repo / "policies" / "p.yaml", THREE_RULES)
    assert codes(repo) == (
        1,
        [
            ("p.yaml", "CL201", "error"),
            ("p.yaml", "CL204", "error"),
            ("p.yaml", "CL404", "warning"),
        ],
    )


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ("select: [CL4]\n", ["CL404"]),
        ("select: [statistics-exempt-not-anonymized]\n", ["CL201"]),
        ("select: [CL201]\nextend-select: [CL404]\n", ["CL201", "CL404"]),
        ("ignore: [CL2]\n", ["CL404"]),
        ("ignore: [ALL]\n", []),
        ("select: [ALL]\nignore: [lifetime-over-browser-cap, CL201]\n", ["CL204"]),
        ("per-file-ignores:\n  'policies/*.yaml': [CL20]\n", ["CL404"]),
        ("per-file-ignores:\n  'other/*.yaml': [CL20]\n", ["CL201", "CL204", "CL404"]),
        ("per-file-ignores:\n  'p.yaml': [CL201]\n", ["CL204", "CL404"]),
    ],
)
def test_selection_keys(repo, config, expected):
    put(repo / "policies" / "p.yaml", THREE_RULES)
    put(repo / ".cookielint.yaml", config)
    assert [code for _, code, _ in codes(repo)[1]] == expected


def test_severity_key_raises_and_lowers(repo):
    put(repo / "policies" / "p.yaml", THREE_RULES)
    put(
        repo / ".cookielint.yaml",
        "severity:\n  CL404: error\n  statistics-exempt-too-long: warning\n  CL201: warning\n",
    )
    status, found = codes(repo)
    assert found == [
        ("p.yaml", "CL201", "warning"),
        ("p.yaml", "CL204", "warning"),
        ("p.yaml", "CL404", "error"),
    ]
    assert status == 1


def test_fail_on_key(repo):
    put(
        repo / "policies" / "p.yaml", VALID_POLICY.replace("duration: session", "duration: 2 years")
    )
    assert codes(repo)[0] == 0
    put(repo / ".cookielint.yaml", "fail-on: warning\n")
    assert codes(repo)[0] == 1
    assert (
        run_cookielint("check", "--fail-on", "error", cwd=repo).returncode == 0
    )  # the command line wins


def test_paths_and_exclude_keys(repo):
    put(repo / "privacy" / "site.yaml", THREE_RULES)
    put(repo / "privacy" / "legacy" / "old.yaml", THREE_RULES)
    put(repo / "policies" / "ignored.yaml", THREE_RULES)
    put(repo / "pyproject.toml", '[tool.cookielint]\npaths = ["privacy"]\nexclude = ["legacy"]\n')
    result = run_cookielint("check", cwd=repo)
    assert result.stdout.decode().splitlines()[0].startswith("privacy/site.yaml:11:14: CL201")
    assert "old.yaml" not in result.stdout.decode() and "ignored.yaml" not in result.stdout.decode()
    # A file named on the command line is checked even when excluded.
    assert (
        "old.yaml" in run_cookielint("check", "privacy/legacy/old.yaml", cwd=repo).stdout.decode()
    )


def test_format_key(repo):
    put(repo / "policies" / "p.yaml", THREE_RULES)
    put(repo / ".cookielint.yaml", "format: [github, sarif=out.sarif]\n")
    result = run_cookielint("check", cwd=repo)
    assert result.stdout.decode().startswith("::error file=policies/p.yaml,line=11,col=14,")
    assert json.loads((repo / "out.sarif").read_text())["version"] == "2.1.0"
    assert (
        run_cookielint("check", "--format", "text", cwd=repo)
        .stdout.decode()
        .startswith("policies/p.yaml:11:14")
    )


def test_max_file_size_key(repo):
    put(repo / "policies" / "p.yaml", VALID_POLICY)
    put(repo / ".cookielint.yaml", "max-file-size: 100\n")
    result = run_cookielint("check", "--format", "json", cwd=repo)
    (finding,) = json.loads(result.stdout)["findings"]
    assert (finding["code"], finding["message"]) == (
        "CL002",
        f"file is {len(VALID_POLICY)} bytes, over the 100-byte limit",
    )
    put(repo / ".cookielint.yaml", "max-file-size: 1 KiB\n")
    assert codes(repo) == (0, [])


def test_require_reason_key(repo):
    put(
        repo / "policies" / "p.yaml",
        VALID_POLICY.replace("duration: session", "duration: 2 years  # cookielint: disable=CL404"),
    )
    assert codes(repo) == (0, [])
    put(repo / ".cookielint.yaml", "require-reason: true\n")
    assert codes(repo) == (1, [("p.yaml", "CL008", "error")])


def test_pyproject_without_table_is_skipped(repo):
    put(repo / ".cookielint.yaml", "ignore: [CL404]\n")
    put(repo / "policies" / "pyproject.toml", "[project]\nname = 'x'\n")
    put(repo / "policies" / "p.yaml", THREE_RULES)
    assert [code for _, code, _ in codes(repo)[1]] == ["CL201", "CL204"]


def test_yaml_config_wins_over_pyproject_in_the_same_directory(repo):
    put(repo / "pyproject.toml", "[tool.cookielint]\nignore = ['CL201']\n")
    put(repo / ".cookielint.yaml", "ignore: [CL204]\n")
    put(repo / "policies" / "p.yaml", THREE_RULES)
    assert [code for _, code, _ in codes(repo)[1]] == ["CL201", "CL404"]


def test_precedence_command_line_over_closest_over_farther_over_defaults(repo):
    put(
        repo / "pyproject.toml",
        "[tool.cookielint]\nignore = ['CL404']\nseverity = {CL201 = 'warning'}\n",
    )
    put(repo / "policies" / "team" / ".cookielint.yaml", "ignore: [CL204]\n")
    put(repo / "policies" / "top.yaml", THREE_RULES)
    put(repo / "policies" / "team" / "deep.yaml", THREE_RULES)
    put(repo / "elsewhere" / "x.yaml", THREE_RULES)
    status, found = codes(repo, "policies", "elsewhere")
    assert found == [
        # the farther file (pyproject.toml) applies where it is the closest
        ("x.yaml", "CL201", "warning"),
        ("x.yaml", "CL204", "error"),
        # the closest file (team/.cookielint.yaml) applies alone: its ignore, default severity
        ("deep.yaml", "CL201", "error"),
        ("deep.yaml", "CL404", "warning"),
        ("top.yaml", "CL201", "warning"),
        ("top.yaml", "CL204", "error"),
    ]
    # The command line wins over both: select re-enables what a file ignores.
    _, found = codes(
        repo, "--select", "CL404,CL204", "policies/team/deep.yaml", "policies/top.yaml"
    )
    assert [(name, code) for name, code, _ in found] == [
        ("deep.yaml", "CL204"),
        ("deep.yaml", "CL404"),
        ("top.yaml", "CL204"),
        ("top.yaml", "CL404"),
    ]
    # --isolated: defaults only.
    _, found = codes(repo, "--isolated", "policies/team/deep.yaml")
    assert found == [
        ("deep.yaml", "CL201", "error"),
        ("deep.yaml", "CL204", "error"),
        ("deep.yaml", "CL404", "warning"),
    ]


def test_search_stops_at_the_repository_root(tmp_path):
    put(tmp_path / ".cookielint.yaml", "ignore: [ALL]\n")
    inner = tmp_path / "repo"
    subprocess.run(["git", "init", "-q", str(inner)], check=True)
    put(inner / "policies" / "p.yaml", THREE_RULES)
    assert len(codes(inner)[1]) == 3


def test_explicit_config_applies_everywhere(repo, tmp_path_factory):
    put(repo / ".cookielint.yaml", "ignore: [CL404]\n")
    put(repo / "policies" / "p.yaml", THREE_RULES)
    other = put(tmp_path_factory.mktemp("cfg") / "strict.yaml", "select: [CL404]\n")
    assert [c for _, c, _ in codes(repo, "--config", str(other))[1]] == ["CL404"]


@pytest.mark.parametrize(
    ("flag", "expected"),
    [
        (["--select", "CL201"], ["CL201"]),
        (["--select", "CL201", "--extend-select", "lifetime-over-browser-cap"], ["CL201", "CL404"]),
        (["--ignore", "CL204,CL404"], ["CL201"]),
        (["--ignore", "CL204", "--ignore", "CL404"], ["CL201"]),
        (["--per-file-ignores", "policies/*.yaml:CL2"], ["CL404"]),
        (["--per-file-ignores", "nomatch/*.yaml:CL2"], ["CL201", "CL204", "CL404"]),
    ],
)
def test_selection_flags(repo, flag, expected):
    put(repo / "policies" / "p.yaml", THREE_RULES)
    assert [code for _, code, _ in codes(repo, *flag)[1]] == expected


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (
            "ignore: [statistics-exempt-not-anonymised]\n",
            "ignore: unknown rule 'statistics-exempt-not-anonymised'; did you mean 'statistics-exempt-not-anonymized'?",
        ),
        ("selet: [CL2]\n", "unknown key 'selet'; did you mean 'select'?"),
        ("select: CL201\n", "select: 'CL201' is not of type 'array'"),
        ("fail-on: never\n", "fail-on: 'never' is not one of ['error', 'warning']"),
        (
            "per-file-ignores:\n  'a/[b.yaml': [CL201]\n",
            "per-file-ignores: bad glob 'a/[b.yaml': '[' is never closed",
        ),
        ("severity:\n  CL999: error\n", "severity: unknown rule 'CL999'"),
        ("max-file-size: lots\n", "max-file-size: 'lots' is not valid here"),
        ("- a list\n", "the configuration must be a mapping of settings"),
        (
            "select: [CL2\n",
            ".cookielint.yaml:2:1: not valid YAML: expected ',' or ']', but got '<stream end>'",
        ),
    ],
)
def test_configuration_errors_exit_2_naming_file_and_key(repo, config, message):
    put(repo / "policies" / "p.yaml", VALID_POLICY)
    put(repo / ".cookielint.yaml", config)
    result = run_cookielint("check", cwd=repo)
    assert result.returncode == 2
    stderr = result.stderr.decode()
    assert stderr.startswith(f"cookielint: error: {repo / '.cookielint.yaml'}")
    assert message in stderr
    assert stderr.count("\n") == 1 and "Traceback" not in stderr


def test_pyproject_errors_name_the_table(repo):
    put(repo / "pyproject.toml", "[tool.cookielint]\nignore = ['lifetime-over-browser-capp']\n")
    put(repo / "policies" / "p.yaml", VALID_POLICY)
    result = run_cookielint("check", cwd=repo)
    assert result.returncode == 2
    assert result.stderr.decode() == (
        f"cookielint: error: {repo / 'pyproject.toml'}: ignore: unknown rule 'lifetime-over-browser-capp'; "
        "did you mean 'lifetime-over-browser-cap'?\n"
    )


def test_misspelt_rule_on_the_command_line_exits_2():
    result = run_cookielint("check", "--ignore", "tracking-exmpt", "policies")
    assert result.returncode == 2
    assert result.stderr.decode() == (
        "cookielint: error: --ignore: unknown rule 'tracking-exmpt'; did you mean 'tracking-exempt'?\n"
    )


def test_missing_explicit_config_exits_2(tmp_path):
    result = run_cookielint("check", "--config", str(tmp_path / "nope.yaml"), "policies")
    assert result.returncode == 2
    assert "cannot read the configuration" in result.stderr.decode()


def test_show_settings(repo):
    put(repo / "pyproject.toml", "[tool.cookielint]\nignore = ['CL404']\nfail-on = 'warning'\n")
    put(repo / "policies" / "p.yaml", VALID_POLICY)
    result = run_cookielint(
        "check", "--show-settings", "--select", "CL2,CL4", "policies/p.yaml", cwd=repo
    )
    assert result.returncode == 0
    text = result.stdout.decode()
    assert text.startswith(
        f"Settings for policies/p.yaml\nconfiguration file: {repo / 'pyproject.toml'} [tool.cookielint]\n"
    )
    # --select starts afresh: the file's ignore does not apply, and the settings say so.
    assert (
        f"ignore = []  # command line; --select replaces the ignore of {repo / 'pyproject.toml'} "
        "[tool.cookielint]\n" in text
    )
    assert 'select = ["CL2", "CL4"]  # command line' in text
    assert 'fail-on = "warning"' in text
    assert "max-file-size = 5242880  # default" in text
    assert (
        "enabled rules: CL000, CL001, CL002, CL201, CL202, CL203, CL204, CL205, CL206, CL401, CL402, CL403, CL404, CL405\n"
        in text
    )


def test_config_schema_is_valid_and_matches_the_keys():
    from jsonschema import Draft202012Validator

    from cookielint.config import CONFIG_SCHEMA, DEFAULTS
    from cookielint.schema import schema_text

    schema = json.loads(schema_text(CONFIG_SCHEMA))
    Draft202012Validator.check_schema(schema)
    assert set(schema["properties"]) == set(DEFAULTS)
    for name, prop in schema["properties"].items():
        assert prop.get("title") and prop.get("description"), name
