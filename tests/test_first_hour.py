"""What a new user meets first: a run that checked nothing fails, options that contradict each
other are refused, and every refusal says what to do instead (exact messages, exit statuses)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, STATISTICS_EXEMPT_POLICY, VALID_POLICY, run_cookielint

# The installed command, so that usage messages name it as a user sees it.
COOKIELINT = str(Path(sys.executable).parent / "cookielint")


def run_command(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([COOKIELINT, *args], capture_output=True, cwd=cwd, timeout=60)


USAGE = "Usage: cookielint check [OPTIONS] [PATHS]...\nTry 'cookielint check --help' for help.\n\n"


def _error(result) -> str:
    assert result.stdout == b""
    return result.stderr.decode()


# A path that yields no policy file -----------------------------------------------------------


def test_an_empty_directory_is_an_error_not_a_green_run(tmp_path):
    (tmp_path / "empty").mkdir()
    result = run_cookielint("check", "empty/", cwd=tmp_path)
    assert result.returncode == 2
    assert _error(result) == (
        "cookielint: error: no policy file in empty/: "
        "directories are searched for *.yaml and *.yml files\n"
    )


def test_a_directory_of_json_policies_says_they_are_checked_when_named(write, tmp_path):
    write("site/policy.json", json.dumps({"version": 1}))
    write("site/cookies.JSON", "{}")
    result = run_cookielint("check", "site", cwd=tmp_path)
    assert result.returncode == 2
    assert _error(result) == (
        "cookielint: error: no policy file in site: directories are searched for *.yaml and "
        "*.yml files; 2 .json files skipped: JSON policies are checked when named "
        "(cookielint check FILE.json)\n"
    )
    named = run_cookielint("check", "site/policy.json", cwd=tmp_path)
    assert named.returncode == 1
    assert b"missing required key 'site'" in named.stdout


def test_a_directory_whose_policies_are_all_excluded_says_so(write, tmp_path):
    write(".cookielint.yaml", "exclude: [drafts]\n")
    write("drafts/new.yaml", VALID_POLICY)
    result = run_cookielint("check", "drafts", cwd=tmp_path)
    assert result.returncode == 2
    assert _error(result) == (
        "cookielint: error: no policy file in drafts: directories are searched for *.yaml and "
        "*.yml files; 1 entry skipped by the configured exclude\n"
    )


def test_a_configured_path_that_yields_nothing_is_an_error(write, tmp_path):
    write(".cookielint.yaml", "paths: [privacy]\n")
    (tmp_path / "privacy").mkdir()
    result = run_cookielint("check", cwd=tmp_path)
    assert result.returncode == 2
    assert _error(result) == (
        "cookielint: error: no policy file in privacy: directories are searched for *.yaml "
        f"and *.yml files (from paths in {tmp_path / '.cookielint.yaml'})\n"
    )


def test_the_default_path_missing_says_how_to_name_one(tmp_path):
    result = run_cookielint("check", cwd=tmp_path)
    assert result.returncode == 2
    assert _error(result) == (
        "cookielint: error: path does not exist: policies (checked by default when no PATH is "
        "given; name the files or directories to check, or set paths in .cookielint.yaml)\n"
    )


def test_one_empty_directory_among_good_ones_still_fails(write, tmp_path):
    write("policies/good.yaml", VALID_POLICY)
    (tmp_path / "typo").mkdir()
    result = run_cookielint("check", "policies", "typo", cwd=tmp_path)
    assert result.returncode == 2
    assert "no policy file in typo" in _error(result)


# Each file once ---------------------------------------------------------------------------------


def test_a_file_reached_twice_is_checked_and_reported_once(write, tmp_path):
    write("policies/bad.yaml", STATISTICS_EXEMPT_POLICY)
    write("policies/good.yaml", VALID_POLICY)
    result = run_cookielint(
        "check", "policies/", "policies/bad.yaml", "./policies/bad.yaml", cwd=tmp_path
    )
    assert result.returncode == 1
    assert result.stdout.decode() == (
        "policies/bad.yaml:11:14: CL201 [error] cookie '_ga' is statistics exempt from consent "
        "but not declared anonymized: true\n"
        "Found 1 error and 0 warnings in 2 files.\n"
    )


def test_the_same_directory_twice_is_searched_once(write, tmp_path):
    write("policies/good.yaml", VALID_POLICY)
    result = run_cookielint("check", "policies", str(tmp_path / "policies"), cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.decode() == "No problems found in 1 file.\n"


# Options that would ignore each other ---------------------------------------------------------


def test_stdin_filename_without_dash_is_a_usage_error(write, tmp_path):
    write("policies/good.yaml", VALID_POLICY)
    result = run_command("check", "--stdin-filename", "site/cookies.yaml", "policies", cwd=tmp_path)
    assert result.returncode == 2
    assert _error(result) == USAGE + (
        "Error: --stdin-filename names standard input, but '-' is not among the paths: add - to "
        "check standard input as site/cookies.yaml, or leave out --stdin-filename\n"
    )


def test_config_with_isolated_is_a_usage_error(write, tmp_path):
    write("ci.yaml", "ignore: [CL206]\n")
    result = run_command("check", "--config", "ci.yaml", "--isolated", cwd=tmp_path)
    assert result.returncode == 2
    assert _error(result) == USAGE + (
        "Error: --config and --isolated contradict each other: --config uses one configuration "
        "file for everything, --isolated uses none; give one of them\n"
    )


# Force-exclude --------------------------------------------------------------------------------


def test_a_named_file_is_checked_even_when_excluded_unless_forced(write, tmp_path):
    write(".cookielint.yaml", "exclude: [drafts]\n")
    write("drafts/wip.yaml", STATISTICS_EXEMPT_POLICY)
    write("policies/good.yaml", VALID_POLICY)
    named = run_cookielint("check", "drafts/wip.yaml", "policies/good.yaml", cwd=tmp_path)
    assert named.returncode == 1
    forced = run_cookielint(
        "check", "--force-exclude", "drafts/wip.yaml", "policies/good.yaml", cwd=tmp_path
    )
    assert forced.returncode == 0
    assert forced.stdout.decode() == "No problems found in 1 file.\n"


def test_force_exclude_setting_and_its_negation(write, tmp_path):
    write(".cookielint.yaml", "exclude: [drafts]\nforce-exclude: true\n")
    write("drafts/wip.yaml", STATISTICS_EXEMPT_POLICY)
    configured = run_cookielint("check", "drafts/wip.yaml", cwd=tmp_path)
    assert (configured.returncode, configured.stdout) == (0, b"No problems found in 0 files.\n")
    overridden = run_cookielint("check", "--no-force-exclude", "drafts/wip.yaml", cwd=tmp_path)
    assert overridden.returncode == 1


def test_force_exclude_applies_to_the_name_given_to_standard_input(write, tmp_path):
    write(".cookielint.yaml", "exclude: [drafts]\nforce-exclude: true\n")
    result = run_cookielint(
        "check",
        "--stdin-filename",
        "drafts/wip.yaml",
        "-",
        stdin=STATISTICS_EXEMPT_POLICY,
        cwd=tmp_path,
    )
    assert (result.returncode, result.stdout) == (0, b"No problems found in 0 files.\n")


# Small ways forward ---------------------------------------------------------------------------


def test_a_path_where_a_command_belongs_suggests_check():
    result = run_command("policies/x.yaml", cwd=ROOT)
    assert result.returncode == 2
    assert _error(result) == (
        "Usage: cookielint [OPTIONS] COMMAND [ARGS]...\nTry 'cookielint --help' for help.\n\n"
        "Error: 'policies/x.yaml' is not a command; to check it: cookielint check policies/x.yaml\n"
    )


def test_explain_a_family_lists_it():
    result = run_cookielint("explain", "CL2")
    assert result.returncode == 0
    lines = result.stdout.decode().splitlines()
    assert lines[:2] == ["The CL2 family; explain one with: cookielint explain CL201", ""]
    assert [line.split()[0] for line in lines[2:]] == [
        "CL201",
        "CL202",
        "CL203",
        "CL204",
        "CL205",
        "CL206",
    ]


def test_explain_an_unknown_rule_still_fails():
    result = run_cookielint("explain", "CL9")
    assert (result.returncode, _error(result)) == (2, "cookielint: error: unknown rule 'CL9'\n")


def test_top_level_help_shows_whole_sentences():
    result = run_cookielint("--help")
    commands = result.stdout.decode().split("Commands:\n", 1)[1]
    summaries = " ".join(commands.split())
    for sentence in (
        "check Check policy files.",
        "explain Explain a rule: why it exists, how to fix what it finds, and examples.",
        "lookup Show what is known about a cookie name, with sources.",
        "schema Print a JSON Schema: of policies (the default), of the configuration, or of "
        "known-cookies files.",
    ):
        assert sentence in summaries
    assert "..." not in summaries


def test_schema_prints_each_shipped_schema():
    for name, file in [
        ("policy", "cookie-policy.schema.json"),
        ("config", "cookielint-config.schema.json"),
        ("known-cookies", "known-cookies.schema.json"),
    ]:
        result = run_cookielint("schema", name)
        assert result.returncode == 0
        assert result.stdout.decode() == (ROOT / "schema" / file).read_text(encoding="utf-8")
    assert run_cookielint("schema").stdout == run_cookielint("schema", "policy").stdout


def test_a_directory_name_reaches_the_terminal_escaped(tmp_path):
    (tmp_path / "evil\x1b[31m").mkdir()
    result = run_cookielint("check", "evil\x1b[31m", cwd=tmp_path)
    assert result.returncode == 2
    assert _error(result) == (
        "cookielint: error: no policy file in evil\\x1b[31m: "
        "directories are searched for *.yaml and *.yml files\n"
    )


def test_messages_about_words_lead_to_the_right_word():
    policy = (
        VALID_POLICY.replace("category: necessary", "category: functional")
        .replace("consent: exempt", "consent: not-required")
        .replace("duration: session", "duration: 13 Months")
    )
    result = run_cookielint("check", "--stdin-filename", "site/cookies.yaml", "-", stdin=policy)
    assert result.returncode == 1
    assert result.stdout.decode() == (
        "site/cookies.yaml:9:15: CL003 [error] cookie 'cart': 'category' must be one of "
        "necessary, preferences, statistics, marketing, social, not 'functional'; use "
        "preferences when it remembers a visitor's choice (a language, a layout), or necessary "
        "if the site cannot work without it\n"
        "site/cookies.yaml:11:14: CL003 [error] cookie 'cart': 'consent' must be one of "
        "required, exempt, not 'not-required'; use exempt: set without asking the visitor\n"
        "Found 2 errors and 0 warnings in 1 file.\n"
    )


def test_cl204_says_its_limit_in_days():
    policy = STATISTICS_EXEMPT_POLICY.replace(
        "duration: 13 months", "duration: 396 days\n    anonymized: true"
    )
    result = run_cookielint("check", "-", stdin=policy)
    assert result.returncode == 1
    assert result.stdout.decode() == (
        "-:12:15: CL204 [error] cookie '_ga' is statistics exempt from consent but lives "
        "396 days; exempt statistics may live at most 13 months (395.7 days)\n"
        "Found 1 error and 0 warnings in 1 file.\n"
    )
