"""Untrusted pull requests: a policy, a file name or a configuration from a stranger cannot hurt the
CI that checks it. One test (or more) per attack, each asserting the safe outcome.

Exhaustion cases run in a child process with an address-space ceiling, so a
regression fails the test instead of taking the machine down.
"""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
import xml.dom.minidom
from pathlib import Path

import pytest
from conftest import ROOT, STATISTICS_EXEMPT_POLICY, VALID_POLICY, run_cookielint
from runner_commands import commands, markers

from cookielint.reporters import REPORTERS


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A checkout: a git repository with a policies/ directory."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "policies").mkdir()
    return tmp_path


def _put(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


# 1. Reports are never written over an input, another report, or anything not a regular file ---


def test_a_report_over_a_checked_policy_is_refused(repo):
    policy = _put(repo / "policies" / "shop.yaml", VALID_POLICY)
    result = run_cookielint("check", "-o", "policies/shop.yaml", "policies/", cwd=repo)
    assert result.returncode == 2
    assert result.stderr.decode() == (
        "cookielint: error: will not write a report over policies/shop.yaml: "
        "it is a file this run reads\n"
    )
    assert policy.read_text() == VALID_POLICY


def test_a_report_over_a_hard_link_to_a_policy_is_refused(repo):
    policy = _put(repo / "policies" / "shop.yaml", VALID_POLICY)
    os.link(policy, repo / "report.txt")
    result = run_cookielint("check", "-o", "report.txt", "policies/", cwd=repo)
    assert result.returncode == 2
    assert "it is a file this run reads" in result.stderr.decode()
    assert policy.read_text() == VALID_POLICY


def test_two_reports_to_one_file_are_refused_and_nothing_is_written(repo):
    _put(repo / "policies" / "shop.yaml", VALID_POLICY)
    result = run_cookielint(
        "check", "--format", "json=X", "--format", "sarif=./X", "policies", cwd=repo
    )
    assert result.returncode == 2
    assert (
        result.stderr.decode() == "cookielint: error: two reports would be written to ./X (and X)\n"
    )
    assert sorted(p.name for p in repo.iterdir()) == [".git", "policies"]


def _device(repo: Path) -> str:
    """A character device to aim a report at. As root, a private copy of /dev/null: a build
    without this protection would replace the real one for the whole machine."""
    if os.geteuid() != 0:
        return "/dev/null"  # only root could replace it
    os.mknod(repo / "a-device", 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    return "a-device"


@pytest.mark.parametrize("target", ["device", "a-directory", "a-fifo", "a-link"])
def test_a_report_over_something_not_a_regular_file_is_refused(repo, target):
    _put(repo / "policies" / "shop.yaml", VALID_POLICY)
    (repo / "a-directory").mkdir()
    os.mkfifo(repo / "a-fifo")
    (repo / "a-link").symlink_to(repo / "elsewhere.txt")
    if target == "device":
        target = _device(repo)
    before = os.stat(repo / target, follow_symlinks=False)
    result = run_cookielint("check", "-o", target, "policies", cwd=repo)
    assert result.returncode == 2
    kind = "a symbolic link" if target == "a-link" else "not a regular file"
    assert result.stderr.decode() == (
        f"cookielint: error: will not write a report over {target}: {kind}\n"
    )
    assert not (repo / "elsewhere.txt").exists()
    after = os.stat(repo / target, follow_symlinks=False)
    assert (after.st_mode, after.st_ino, after.st_rdev) == (
        before.st_mode,
        before.st_ino,
        before.st_rdev,
    )


def test_a_refused_report_means_none_is_written(repo):
    _put(repo / "policies" / "shop.yaml", VALID_POLICY)
    device = _device(repo)
    result = run_cookielint(
        "check", "--format", "json=good.json", "--format", f"sarif={device}", "policies", cwd=repo
    )
    assert result.returncode == 2
    assert not (repo / "good.json").exists()


# 2. Report paths from a configuration file stay in its directory -----------------------------


@pytest.mark.parametrize(
    ("format_value", "message"),
    [
        (
            "text=../outside.txt",
            "report path ../outside.txt must not leave the configuration's directory ('..')",
        ),
        ("text=sub/../../outside.txt", "must not leave the configuration's directory ('..')"),
        (
            "junit=ABSOLUTE",
            "report path ABSOLUTE must be relative to the configuration's directory",
        ),
        (
            "json=out/r.json",
            "report path out/r.json leaves the configuration's directory through a symbolic link",
        ),
    ],
)
def test_a_configuration_cannot_write_outside_its_directory(tmp_path, format_value, message):
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / ".git").mkdir()
    _put(repo / "policies" / "shop.yaml", VALID_POLICY)
    (tmp_path / "elsewhere").mkdir()
    (repo / "out").symlink_to(tmp_path / "elsewhere")
    absolute = str(tmp_path / "elsewhere" / "abs.xml")
    format_value = format_value.replace("ABSOLUTE", absolute)
    message = message.replace("ABSOLUTE", absolute)
    _put(repo / ".cookielint.yaml", f"format: [{json.dumps(format_value)}]\n")
    result = run_cookielint("check", "policies", cwd=repo)
    assert result.returncode == 2
    stderr = result.stderr.decode()
    assert stderr.startswith(f"cookielint: error: {repo / '.cookielint.yaml'}: format: ")
    assert message in stderr
    assert list((tmp_path / "elsewhere").iterdir()) == []
    assert not (tmp_path / "outside.txt").exists()


def test_a_configured_report_path_is_relative_to_the_configuration(repo):
    _put(repo / "policies" / "shop.yaml", VALID_POLICY)
    _put(repo / "policies" / ".cookielint.yaml", "format: [text, json=reports/r.json]\n")
    (repo / "policies" / "reports").mkdir()
    result = run_cookielint("check", ".", cwd=repo / "policies")
    assert result.returncode == 0, result.stderr
    assert json.loads((repo / "policies" / "reports" / "r.json").read_text())["files"] == 1


def test_the_command_line_may_still_write_elsewhere(repo, tmp_path_factory):
    _put(repo / "policies" / "shop.yaml", VALID_POLICY)
    elsewhere = tmp_path_factory.mktemp("reports") / "r.json"
    result = run_cookielint("check", "--format", f"json={elsewhere}", "policies", cwd=repo)
    assert result.returncode == 0
    assert json.loads(elsewhere.read_text())["files"] == 1


def test_show_settings_says_where_the_configuration_search_stopped(tmp_path, repo):
    _put(repo / "policies" / "shop.yaml", VALID_POLICY)
    inside = run_cookielint("check", "--show-settings", "policies/shop.yaml", cwd=repo)
    assert f"searched: {repo / 'policies'} up to {repo}, the repository root\n" in (
        inside.stdout.decode()
    )
    outside = tmp_path / "not-a-repo"
    _put(outside / "p.yaml", VALID_POLICY)
    result = run_cookielint("check", "--show-settings", str(outside / "p.yaml"), cwd=outside)
    text = result.stdout.decode()
    # Unless some directory above the temporary one is a repository, the search reaches /.
    searched = next(line for line in text.splitlines() if line.startswith("searched: "))
    assert searched.startswith(f"searched: {outside} up to ")
    assert searched.endswith(
        (
            ", the repository root",
            ": not inside a git repository, so every directory up to the root",
        )
    )


def test_configuration_discovery_stops_at_the_repository_root(tmp_path):
    _put(tmp_path / ".cookielint.yaml", "ignore: [ALL]\n")
    repo = tmp_path / "checkout"
    (repo / ".git").mkdir(parents=True)
    _put(repo / "policies" / "stats.yaml", STATISTICS_EXEMPT_POLICY)
    result = run_cookielint("check", "policies", cwd=repo)
    assert result.returncode == 1
    assert b"CL201" in result.stdout


# 3. File names are never options ----------------------------------------------------------------


def test_a_file_name_after_double_dash_is_a_file(repo):
    _put(repo / "cookie.yaml", "ignore: [ALL]\n")
    _put(repo / "--config=cookie.yaml", "")
    _put(repo / "policies" / "stats.yaml", STATISTICS_EXEMPT_POLICY)
    result = run_cookielint(
        "check", "--format", "json", "--", "--config=cookie.yaml", "policies/stats.yaml", cwd=repo
    )
    assert result.returncode == 1
    findings = json.loads(result.stdout)["findings"]
    assert ("policies/stats.yaml", "CL201") in {(f["path"], f["code"]) for f in findings}
    assert ("--config=cookie.yaml", "CL003") in {(f["path"], f["code"]) for f in findings}


def test_the_offered_hook_ends_options_before_file_names():
    import yaml

    offered = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    # Every hook that is given file names ends the options first; one given none (the
    # render hook, whose args the user writes) has nothing to end.
    named = [hook["entry"] for hook in offered if hook.get("pass_filenames", True)]
    assert named == ["cookielint check --force-exclude --"]
    assert all(not hook.get("pass_filenames", True) for hook in offered[1:])
    own = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    hooks = {hook["id"]: hook for hook in own["repos"][0]["hooks"]}
    assert hooks["cookielint"]["entry"].endswith(" --")


# 4. No workflow command reaches a CI log, from any format or message ---------------------------

HOSTILE_NAMES = [
    "##[stop-commands]tok",
    "##[error file=README.md;line=1]forged",
    "::error::forged",
    "  ::warning file=a.yaml::forged",
    ":\u034f:error::forged",
    "#\u200b#[error]forged",
    "x ##[add-mask]secret",
    "tok",
    "::tok::",
    "\x1b]0;title\x07##[group]x",
]


def _hostile_policy() -> str:
    entries = "".join(
        f"  - name: {json.dumps(name)}\n"
        f"    provider: {json.dumps('##[error]provider ' + name)}\n"
        "    party: third\n"
        "    category: marketing\n"
        f"    purposes: [{json.dumps('::error::' + name)}]\n"
        "    consent: exempt\n"
        "    duration: 2 years\n"
        for name in HOSTILE_NAMES
    )
    return (
        'version: 1\nsite: {name: "##[error]site", url: "https://x.example"}\n'
        f"cookies:\n{entries}"
    )


HOSTILE_FILE_NAMES = ["::error::f.yaml", "##[error]g.yaml", ":.yaml", "##[stop-commands]t.yaml"]


@pytest.fixture
def hostile_repo(repo: Path) -> Path:
    for name in HOSTILE_FILE_NAMES:
        _put(repo / "policies" / name, _hostile_policy())
    _put(
        repo / "known.csv",
        "ID,Platform,Category,Cookie / Data Key name,Domain,Description,Retention period,"
        "Data Controller,User Privacy & GDPR Rights Portals,Wildcard match\n"
        '1,##[error]P,Marketing,c1,x (3rd party),"##[error file=a;line=1]described\n'
        '::error::x",1 year,::error::controller,https://x.example/##[error]s,0\n',
    )
    return repo


def _assert_no_commands(output: str, allowed: int = 0) -> None:
    found = commands(output)
    assert len(found) == allowed, found
    if allowed == 0:
        assert markers(output) == []


@pytest.mark.parametrize("format_name", sorted(REPORTERS))
def test_no_format_lets_a_policy_run_a_workflow_command(hostile_repo, format_name):
    runs = [(["policies"], hostile_repo, color) for color in ("never", "always")] + [
        (["--", *HOSTILE_FILE_NAMES], hostile_repo / "policies", "never")
    ]  # names first
    for paths, cwd, color in runs:
        result = run_cookielint("check", "--format", format_name, "--color", color, *paths, cwd=cwd)
        assert result.returncode == 1, result.stderr
        stdout, stderr = result.stdout.decode(), result.stderr.decode()
        _assert_no_commands(stderr)
        if format_name == "github":
            found = commands(stdout)
            assert {c.name for c in found} <= {"error", "warning"}
            assert len(found) == len(stdout.splitlines())  # one annotation per line, nothing more
            assert "##[" not in stdout
        else:
            _assert_no_commands(stdout)
    if format_name in ("json", "sarif", "gitlab"):
        # The escapes change the bytes, not the data: the names read back exactly.
        result = run_cookielint("check", "--format", format_name, "policies", cwd=hostile_repo)
        text = result.stdout.decode()
        json.loads(text)
        for name in HOSTILE_NAMES[:4]:
            assert json.dumps(name)[1:-1] not in text or "::" not in name and "##[" not in name
        if format_name == "json":
            names = {f["message"] for f in json.loads(text)["findings"]}
            assert any("##[stop-commands]tok" in m for m in names)


def test_no_message_on_standard_error_runs_a_workflow_command(hostile_repo):
    cases = [
        ({".cookielint.yaml": 'ignore: ["\\n::error::i ##[error]j"]\n'}, ["check", "policies"]),
        ({".cookielint.yaml": '"\\n::error::k ##[error]l": 1\n'}, ["check", "policies"]),
        ({".cookielint.yaml": 'exclude: ["[::error::"]\n'}, ["check", "policies"]),
        (
            {
                "k.csv": "ID,Platform,Category,Cookie / Data Key name,Domain,Description,"
                "Retention period,Data Controller,User Privacy & GDPR Rights Portals,"
                'Wildcard match\n1,P,"x\n::error::c\x1b]0;t\x07##[error]c",n,d,e,1 year,c,u,0\n'
            },
            ["check", "--known-cookies", "k.csv", "policies"],
        ),
        ({}, ["check", "::error::missing.yaml"]),
        ({}, ["check", "--", "##[error]missing.yaml"]),
        ({}, ["check", "--format", "##[error]x"]),
        ({}, ["check", "--format", "::error::x"]),
        ({}, ["check", "--no-such-option", "::error::x"]),
        ({}, ["explain", "##[error]x"]),
        ({}, ["explain", "::error::x"]),
        ({}, ["lookup", "--known-cookies", "::error::missing.yaml", "x"]),
    ]
    for files, args in cases:
        for name, text in files.items():
            _put(hostile_repo / name, text)
        result = run_cookielint(*args, cwd=hostile_repo)
        assert result.returncode in (1, 2), (args, result.stderr)  # a skipped row: a warning
        assert result.stderr and b"Traceback" not in result.stderr, args
        _assert_no_commands(result.stdout.decode() + result.stderr.decode())
        for name in files:
            (hostile_repo / name).unlink()


def test_lookup_and_show_settings_print_no_workflow_command(hostile_repo):
    found = run_cookielint("lookup", "--known-cookies", "known.csv", "c1", cwd=hostile_repo)
    assert found.returncode == 0, found.stderr
    assert "  provider:  ##\\x5berror]P\n" in found.stdout.decode()
    _assert_no_commands(found.stdout.decode() + found.stderr.decode())
    unknown = run_cookielint("lookup", "##[error]nothing", cwd=hostile_repo)
    assert unknown.returncode == 1
    _assert_no_commands(unknown.stdout.decode() + unknown.stderr.decode())
    _put(hostile_repo / ".cookielint.yaml", 'exclude: ["::error::x", "##[error]y"]\n')
    shown = run_cookielint("check", "--show-settings", "policies", cwd=hostile_repo)
    assert shown.returncode == 0, shown.stderr
    _assert_no_commands(shown.stdout.decode() + shown.stderr.decode())


def test_no_other_command_prints_a_workflow_command():
    from cookielint import rules

    for args in (
        ["rules"],
        ["rules", "--format", "markdown"],
        ["schema"],
        ["--help"],
        ["check", "--help"],
        ["--version"],
        *(["explain", code] for code in rules.RULES),
    ):
        result = run_cookielint(*args)
        assert result.returncode == 0, args
        _assert_no_commands(result.stdout.decode() + result.stderr.decode())


def test_the_runner_model_finds_what_the_runner_runs():
    """The parser the tests rely on, against the forms the runner documents and executes."""
    assert [c.name for c in commands("::error file=a.yaml,line=1::x\n")] == ["error"]
    assert [c.name for c in commands("  ::warning::x")] == ["warning"]
    assert [c.name for c in commands("text ##[error]x\r##[group]y")] == ["error", "group"]
    assert [c.name for c in commands("a ::error::x")] == []  # :: only at the start
    assert [c.name for c in commands("::ERROR::x")] == ["ERROR"]
    assert [c.name for c in commands("##[stop-commands]tok\n::tok::\n")] == ["stop-commands", "tok"]
    assert [c.name for c in commands(":\u034f:error::x")] == ["error"]
    assert [c.name for c in commands("::unknown::x\n##[nope]y")] == []
    assert markers("::unknown::x\n##[nope]y") == ["::unknown::x", "##[nope]y"]


# 12. Ctrl-C exits 130 and leaves no partial report ---------------------------------------------


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_interrupt_exits_130_and_writes_no_report(repo, jobs, tmp_path_factory):
    trace = tmp_path_factory.mktemp("trace")
    for i in range(400):
        _put(repo / "policies" / f"p{i}.yaml", STATISTICS_EXEMPT_POLICY)
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            _WRAPPER,
            "check",
            "-j",
            jobs,
            "--format",
            "json=r.json",
            "--format",
            "sarif=r.sarif",
            "policies",
        ],
        cwd=repo,
        env={**os.environ, "TRACE": str(trace), "DELAY": "0.05"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while not any(trace.iterdir()) and time.monotonic() < deadline:  # checking has begun
        time.sleep(0.05)
    time.sleep(0.3)
    os.killpg(child.pid, signal.SIGINT)  # as a terminal's Ctrl-C: to every process of the job
    stdout, stderr = child.communicate(timeout=60)
    assert child.returncode == 130, stderr
    assert b"Traceback" not in stderr
    assert sorted(p.name for p in repo.iterdir()) == [".git", "policies"]


def test_interrupt_while_reports_are_put_in_place_leaves_all_of_them(repo, monkeypatch):
    import io

    from cookielint import outputs
    from cookielint.finding import Report

    real_replace = os.replace

    def interrupted(source, target):
        os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C, between the first and the second
        real_replace(source, target)

    monkeypatch.setattr(outputs.os, "replace", interrupted)
    monkeypatch.chdir(repo)
    with pytest.raises(KeyboardInterrupt):
        outputs.write_reports(
            Report([], []),
            [outputs.Output("json", "a.json"), outputs.Output("sarif", "b.sarif")],
            io.StringIO(),
            io.StringIO(),
        )
    # Held back until both were in place: two whole reports, no temporary file.
    assert sorted(p.name for p in repo.iterdir()) == [".git", "a.json", "b.sarif", "policies"]
    assert json.loads((repo / "a.json").read_text())["files"] == 0
    assert json.loads((repo / "b.sarif").read_text())["version"] == "2.1.0"


# 13. Output stays well-formed: XML without noncharacters, JSON without half characters --------


def test_noncharacters_make_valid_junit(repo):
    name = "bad\ufffe\uffff.yaml"
    _put(repo / "policies" / name, STATISTICS_EXEMPT_POLICY.replace("_ga", "_ga\ufffe"))
    result = run_cookielint("check", "--format", "junit", "policies", cwd=repo)
    assert result.returncode == 1
    document = xml.dom.minidom.parseString(result.stdout)
    case = document.getElementsByTagName("testcase")[0]
    assert case.getAttribute("name") == "policies/bad\\ufffe\\uffff.yaml"


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS file systems refuse undecodable names")
@pytest.mark.parametrize("format_name", ["json", "gitlab", "sarif"])
def test_undecodable_file_names_make_valid_json(repo, format_name):
    (repo / "policies").joinpath(os.fsdecode(b"caf\xe9.yaml")).write_text(STATISTICS_EXEMPT_POLICY)
    result = run_cookielint("check", "--format", format_name, "policies", cwd=repo)
    assert result.returncode == 1
    text = result.stdout.decode("utf-8")
    assert "\\udc" not in text
    document = json.loads(text)
    rendered = json.dumps(document, ensure_ascii=False)
    rendered.encode("utf-8")  # no lone surrogate anywhere
    if format_name == "json":
        assert document["findings"][0]["path"] == "policies/caf\\xe9.yaml"
    if format_name == "gitlab":
        assert document[0]["location"]["path"] == "policies/caf\\xe9.yaml"


# 8. A configuration can't lift the limits without bound -----------------------------------------


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        (
            "max-alias-expansion: 1000000000000",
            "max-alias-expansion: 1000000000000 is greater than the maximum of 1000000",
        ),
        (
            "max-file-size: 100 MiB",
            "max-file-size: 104,857,600 is more than the ceiling, 67,108,864",
        ),
        (
            "max-file-size: 67108865",
            "max-file-size: 67108865 is not valid here (Larger files are not parsed and get a CL002 "
            'finding: bytes, or a size such as "5 MiB". Default 5 MiB, at most 64 MiB.)',
        ),
        (
            "max-nesting-depth: 100000",
            "max-nesting-depth: 100000 is greater than the maximum of 200",
        ),
    ],
)
def test_every_limit_has_a_ceiling(repo, setting, message):
    _put(repo / "policies" / "shop.yaml", VALID_POLICY)
    _put(repo / ".cookielint.yaml", setting + "\n")
    result = run_cookielint("check", "policies", cwd=repo)
    assert result.returncode == 2
    assert result.stderr.decode() == (
        f"cookielint: error: {repo / '.cookielint.yaml'}: {message}\n"
    )


def test_the_ceilings_are_in_the_schema_and_the_code():
    from cookielint.config import limits
    from cookielint.config.files import config_schema

    properties = config_schema()["properties"]
    assert properties["max-file-size"]["oneOf"][0]["maximum"] == limits.MAX_FILE_SIZE_CEILING
    assert properties["max-nesting-depth"]["maximum"] == limits.MAX_NESTING_DEPTH_CEILING
    assert properties["max-alias-expansion"]["maximum"] == limits.MAX_ALIAS_EXPANSION_CEILING
    assert properties["max-collections"]["maximum"] == limits.MAX_COLLECTIONS_CEILING
    with pytest.raises(limits.ConfigError, match="more than the ceiling"):
        limits.parse_size("65 MiB")
    with pytest.raises(limits.ConfigError, match="more than the ceiling"):
        limits.bounded("max-alias-expansion", 10**12, 0, limits.MAX_ALIAS_EXPANSION_CEILING)


# 11. Named errors, never "internal error" ------------------------------------------------------


def _deep_tree(top: Path, depth: int) -> Path:
    directory = top
    for _ in range(depth):
        directory = directory / "d"
        directory.mkdir()
    return directory


def _remove_deep_tree(top: Path, depth: int) -> None:
    """Bottom up: shutil.rmtree (and so pytest's clean-up) recurses once per level."""
    directories = [top / Path(*["d"] * n) for n in range(1, depth + 1)]
    for directory in reversed(directories):
        for child in directory.iterdir():
            if not child.is_dir():
                child.unlink()
        directory.rmdir()


def test_a_very_deep_directory_tree_is_searched(repo):
    deepest = _deep_tree(repo / "policies", 1200)
    _put(deepest / "stats.yaml", STATISTICS_EXEMPT_POLICY)
    try:
        result = run_cookielint("check", "--format", "json", "policies", cwd=repo)
    finally:
        _remove_deep_tree(repo / "policies", 1200)
    assert result.returncode == 1, result.stderr
    findings = json.loads(result.stdout)["findings"]
    assert [f["code"] for f in findings] == ["CL201"]
    assert findings[0]["path"] == "policies/" + "d/" * 1200 + "stats.yaml"


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "pyproject.toml",
            "tool = 1\n",
            "pyproject.toml: tool must be a table ([tool.cookielint])",
        ),
        (
            "pyproject.toml",
            "[tool.cookielint]\nselect = " + "[" * 2000 + "]" * 2000 + "\n",
            "pyproject.toml: nested more than 8 levels deep; no setting needs that",
        ),
        (
            ".cookielint.yaml",
            "select: " + "[" * 2000 + "]" * 2000 + "\n",
            ".cookielint.yaml: nested more than 8 levels deep; no setting needs that",
        ),
        (
            ".cookielint.yaml",
            "select: " + "{a: " * 2000 + "}" * 2000 + "\n",
            ".cookielint.yaml: nested more than 8 levels deep; no setting needs that",
        ),
        (
            ".cookielint.yaml",
            "per-file-ignores: {x: [[[[[[[[a]]]]]]]]}\n",
            ".cookielint.yaml: nested more than 8 levels deep; no setting needs that",
        ),
        (
            ".cookielint.yaml",
            "max-file-size: 5.0\n",
            ".cookielint.yaml: max-file-size: 5.0 is not a size: a whole number of bytes, "
            "or a size such as 5 MiB",
        ),
        (
            ".cookielint.yaml",
            "max-file-size: 99999999999999999999999999999 GiB\n",
            ".cookielint.yaml: max-file-size: '99999999999999999999999999999 GiB' is not valid here",
        ),
        (
            ".cookielint.yaml",
            "max-file-size: 99999999999999999999999999999\n",
            ".cookielint.yaml: max-file-size: 99999999999999999999999999999 is not valid here",
        ),
    ],
)
def test_hostile_configuration_is_a_named_error(repo, name, text, message):
    _put(repo / "policies" / "shop.yaml", VALID_POLICY)
    _put(repo / name, text)
    result = run_cookielint("check", "policies", cwd=repo)
    assert result.returncode == 2
    stderr = result.stderr.decode()
    assert stderr.startswith(f"cookielint: error: {repo}/{message}"), stderr
    assert "internal error" not in stderr


def test_a_huge_csv_field_is_a_named_note_not_an_internal_error(repo):
    _put(repo / "policies" / "shop.yaml", VALID_POLICY)
    header = (
        "ID,Platform,Category,Cookie / Data Key name,Domain,Description,Retention period,"
        "Data Controller,User Privacy & GDPR Rights Portals,Wildcard match\n"
    )
    _put(repo / "k.csv", header + "1,P,Marketing,n,d," + "x" * 200_000 + ",1 year,c,u,0\n")
    result = run_cookielint("check", "--known-cookies", "k.csv", "policies", cwd=repo)
    assert result.returncode == 0
    assert result.stderr.decode() == (
        "cookielint: warning: k.csv: row 2: skipped: field larger than field limit (131072)\n"
    )


def test_standard_input_closed_is_a_named_error(repo):
    result = subprocess.run(
        [sys.executable, "-m", "cookielint", "check", "-"],
        cwd=repo,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        preexec_fn=lambda: os.close(0),
        timeout=60,
    )
    assert result.returncode == 2
    assert (
        result.stderr.decode()
        == "cookielint: error: cannot read standard input (-): it is closed\n"
    )


# 6. Configuration globs are matched in linear time ---------------------------------------------


def _reference_regex(glob: str) -> str:
    """The glob as a (backtracking) regular expression: the meaning the matcher must keep."""
    import re

    glob = glob.rstrip("/").removeprefix("./")
    out, i = [], 0
    while i < len(glob):
        if glob.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if glob.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        c = glob[i]
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            end = glob.index("]", i + 2 if glob[i + 1] in "!]" else i + 1)
            body = glob[i + 1 : end]
            out.append("[" + ("^" + body[1:] if body.startswith("!") else body) + "]")
            i = end
        else:
            out.append(re.escape(c))
        i += 1
    return "".join(out)


def test_globs_mean_what_they_meant():
    import random
    import re

    from cookielint.config.globs import _compile

    pieces = ["a", "b", "/", "*", "**", "**/", "?", ".", "[ab]", "[!a]", "[a-b]"]
    chooser = random.Random(11)
    for _ in range(20_000):
        glob = "".join(chooser.choice(pieces) for _ in range(chooser.randint(1, 6)))
        text = "".join(chooser.choice("ab/.") for _ in range(chooser.randint(0, 8)))
        expected = re.fullmatch(_reference_regex(glob), text) is not None
        assert _compile(glob).matches(text) is expected, (glob, text)


def test_a_hostile_exclude_glob_is_fast(repo):
    name = "a" * 60 + ".yaml"
    _put(repo / "policies" / name, VALID_POLICY)
    _put(repo / ".cookielint.yaml", 'exclude: ["*a*a*a*a*a*a*a*a*b", "' + "*a" * 30 + '*b"]\n')
    started = time.perf_counter()
    result = run_cookielint("check", "--format", "json", "policies", cwd=repo)
    assert time.perf_counter() - started < 10
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["files"] == 1


def test_glob_matching_time_grows_linearly():
    from cookielint.config.globs import _compile

    glob = _compile("*a" * 10 + "*b")
    started = time.perf_counter()
    assert not glob.matches("a" * 4096)
    assert time.perf_counter() - started < 1


# 5. Exhaustion: linear or bounded, measured in a child with a memory ceiling -------------------

CEILING_BYTES = 2 * 2**30
"""The child's address space: a runaway fails with MemoryError instead of eating the machine."""


def _measured(setup: str, action: str) -> dict[str, object]:
    """Run ``setup`` then ``action`` in a fresh interpreter under an address-space ceiling: the
    seconds ``action`` took and the whole process's peak resident memory (VmHWM)."""
    code = "\n".join(
        [
            "import json, re, time",
            setup,
            "started = time.perf_counter()",
            f"result = {action}",
            "elapsed = time.perf_counter() - started",
            'status = open("/proc/self/status").read()',
            'peak = int(re.search(r"VmHWM:\\s+(\\d+) kB", status).group(1)) * 1024',
            'print(json.dumps({"seconds": elapsed, "peak": peak, "result": result}))',
        ]
    )

    def ceiling() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (CEILING_BYTES, CEILING_BYTES))

    completed = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        preexec_fn=ceiling,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    return json.loads(completed.stdout)


def _policy(names: list[str]) -> str:
    entry = (
        "  - {{name: {name}, provider: Example, party: first, category: necessary,"
        " purposes: [x], consent: exempt, duration: session}}\n"
    )
    return "version: 1\nsite: {name: Example, url: 'https://example.org'}\ncookies:\n" + "".join(
        entry.format(name=json.dumps(n)) for n in names
    )


LINT = "from cookielint.pipeline import lint_bytes\nfrom collections import Counter"
MiB = 2**20


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads VmHWM from /proc")
def test_a_long_cookie_name_in_the_knowledge_lookup(tmp_path):
    path = _put(tmp_path / "long.yaml", _policy(["_ga" + "a" * 800_000]))
    measured = _measured(
        LINT,
        f"sorted(Counter(f.code for f in lint_bytes(open({str(path)!r}, 'rb').read(), 'x')))",
    )
    assert measured["seconds"] < 2 and measured["peak"] < 300 * MiB, measured


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads VmHWM from /proc")
def test_many_wildcards_against_many_names(tmp_path):
    # 2,000 different wildcards that each match each of 2,000 names: 4 million overlaps.
    wildcards = ["a" + "*" * k for k in range(1, 2001)]
    names = [f"a{i}" for i in range(2000)]
    path = _put(tmp_path / "overlaps.yaml", _policy(wildcards + names))
    measured = _measured(
        LINT,
        f"[(f.code, f.message) for f in lint_bytes(open({str(path)!r}, 'rb').read(), 'x')"
        " if f.code == 'CL302']",
    )
    assert measured["seconds"] < 2 and measured["peak"] < 300 * MiB, measured
    findings = measured["result"]
    assert len(findings) == 100
    # Both at the cookies key, so first: the check stopped, and how many overlaps it found
    # beyond the 98 reported.
    messages = sorted(message for _, message in findings[:2])
    assert messages[0] == (
        "2,000 wildcards and 2,000 exact names are too many to compare each with each; "
        "overlaps were not all checked"
    )
    assert messages[1].endswith(
        "more wildcard names also match cookies declared by exact name; not each is reported"
    )


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads VmHWM from /proc")
def test_wildcard_overlaps_are_counted_not_each_reported(tmp_path):
    wildcards = [f"a{i}*" for i in range(300)]
    names = [f"a{i}x{j}" for i in range(300) for j in range(3)]
    path = _put(tmp_path / "overlaps.yaml", _policy(wildcards + names))
    measured = _measured(
        LINT,
        f"[(f.code, f.line, f.message) for f in lint_bytes(open({str(path)!r}, 'rb').read(), 'x')"
        " if f.code == 'CL302']",
    )
    assert measured["seconds"] < 2 and measured["peak"] < 300 * MiB, measured
    findings = measured["result"]
    # a1* matches a1x0, a10x0, a100x0...: 2,370 overlaps; 99 shown, and how many more.
    assert len(findings) == 100
    assert findings[0][1:] == [
        4,
        "2,271 more wildcard names also match cookies declared by exact name; not each is reported",
    ]
    assert findings[1][1:] == [
        304,
        "cookie 'a0*' also matches cookie 'a0x0' (declared on line 4)",
    ]


def test_findings_are_capped_per_rule_per_file():
    from cookielint.pipeline import lint_bytes

    text = _policy([f"c{i}" for i in range(250)]).replace("consent: exempt", "consent: maybe")
    findings = lint_bytes(text.encode(), "many.yaml")
    cl003 = [f for f in findings if f.code == "CL003"]
    assert len(cl003) == 101
    assert [f.line for f in cl003[:100]] == list(range(4, 104))
    last = cl003[-1]
    assert (last.line, last.message) == (
        104,
        "150 more CL003 findings in this file not shown (at most 100 per rule per file)",
    )


# 14. Symbolic links leaving the repository (or the directory named) are not read ----------------

SECRET = STATISTICS_EXEMPT_POLICY.replace(
    "https://shop.example.com", "https://user:token@secret.example"
)


@pytest.mark.parametrize("format_name", ["text", "full", "json"])
def test_a_link_out_of_the_repository_is_not_read(tmp_path, format_name):
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    secret = _put(tmp_path / "home" / "credentials.yaml", SECRET + "password: hunter2\n")
    _put(repo / "policies" / "good.yaml", VALID_POLICY)
    _put(repo / "policies" / "also-good.yaml", VALID_POLICY)
    (repo / "policies" / "leak.yaml").symlink_to(secret)
    (repo / "policies" / "inside.yaml").symlink_to(repo / "policies" / "good.yaml")
    (repo / "outside-dir").symlink_to(secret.parent)
    for args in (["policies"], ["policies/leak.yaml"], ["outside-dir/credentials.yaml"]):
        result = run_cookielint("check", "--format", format_name, *args, cwd=repo)
        assert result.returncode == 1, result.stderr
        out = result.stdout.decode() + result.stderr.decode()
        assert "token" not in out and "hunter2" not in out and "CL201" not in out
        assert "a symbolic link to a file outside the repository; not read" in out
    report = json.loads(run_cookielint("check", "--format", "json", "policies", cwd=repo).stdout)
    assert report["files"] == 3  # inside.yaml is good.yaml, checked once
    assert [(f["path"], f["code"]) for f in report["findings"]] == [("policies/leak.yaml", "CL002")]


def test_outside_a_repository_links_stay_in_the_directory_named(tmp_path):
    _put(tmp_path / "secret.yaml", SECRET)
    _put(tmp_path / "site" / "policies" / "good.yaml", VALID_POLICY)
    (tmp_path / "site" / "policies" / "leak.yaml").symlink_to(tmp_path / "secret.yaml")
    site = tmp_path / "site"
    result = run_cookielint("check", "--format", "json", "policies", cwd=site)
    if (tmp_path / ".git").exists() or any((p / ".git").exists() for p in tmp_path.parents):
        pytest.skip("the temporary directory is inside a repository")
    findings = json.loads(result.stdout)["findings"]
    assert [(f["path"], f["code"], f["message"]) for f in findings] == [
        (
            "policies/leak.yaml",
            "CL002",
            "a symbolic link to a file outside the directory named; not read",
        )
    ]
    # A file named on the command line, outside any repository, is read: it was named.
    named = run_cookielint("check", "--format", "json", "policies/leak.yaml", cwd=site)
    assert "CL201" in [f["code"] for f in json.loads(named.stdout)["findings"]]


# 10. Workers: as many as useful, dying with the run, losing nothing when one dies ---------------


def test_workers_are_capped_by_files_and_cpus():
    from cookielint.workers import useful_workers

    assert useful_workers(1000, 40, 2) == 2
    assert useful_workers(1000, 3, 64) == 3
    assert useful_workers(4, 1000, 64) == 4
    assert useful_workers(0, 0, 0) == 1


_WRAPPER = (
    "import os, sys, time, cookielint.run as r\n"
    "real = r._lint\n"
    "def traced(task):\n"
    "    open(os.path.join(os.environ['TRACE'], str(os.getpid())), 'w').close()\n"
    "    time.sleep(float(os.environ.get('DELAY', '0')))\n"
    "    return real(task)\n"
    "r._lint = traced\n"
    "from cookielint.cli import main\n"
    "main()"
)


def test_jobs_1000_starts_no_more_workers_than_cpus(repo, tmp_path_factory):
    from cookielint.run import default_jobs

    trace = tmp_path_factory.mktemp("trace")
    for i in range(40):
        _put(repo / "policies" / f"p{i}.yaml", VALID_POLICY)
    result = subprocess.run(
        [sys.executable, "-c", _WRAPPER, "check", "--jobs", "1000", "policies"],
        cwd=repo,
        env={**os.environ, "TRACE": str(trace)},
        capture_output=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    workers = {p.name for p in trace.iterdir()}
    assert 1 <= len(workers) <= default_jobs()


def _children(parent: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == parent:
                found.add(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="lists processes from /proc")
def test_workers_exit_with_a_killed_parent(repo, tmp_path_factory):
    trace = tmp_path_factory.mktemp("trace")
    for i in range(64):
        _put(repo / "policies" / f"p{i}.yaml", VALID_POLICY)
    parent = subprocess.Popen(
        [sys.executable, "-c", _WRAPPER, "check", "--jobs", "2", "policies"],
        cwd=repo,
        env={**os.environ, "TRACE": str(trace), "DELAY": "0.5"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while not any(trace.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.1)
    workers = {int(p.name) for p in trace.iterdir()}
    assert workers and workers <= _children(parent.pid)
    parent.kill()
    # The pipes close: nothing holds the run's output open after the run is gone.
    stdout, _ = parent.communicate(timeout=15)
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{pid}").exists() for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    alive = [pid for pid in workers if Path(f"/proc/{pid}").exists()]
    for pid in alive:  # not left behind, whatever the test finds
        os.kill(pid, signal.SIGKILL)
    assert alive == []


def _dies_on_bad(name: str) -> str:
    if name.startswith("bad"):
        os.kill(os.getpid(), signal.SIGKILL)
    return name.upper()


def _dies_once(name: str) -> str:
    marker = Path(os.environ["MARKER"])
    if name == "t7" and not marker.exists():
        marker.touch()
        os.kill(os.getpid(), signal.SIGKILL)
    return name.upper()


def test_a_dying_worker_loses_no_other_result():
    from cookielint.workers import parallel_map

    tasks = [f"t{i}" for i in range(40)] + ["bad"] + [f"u{i}" for i in range(40)]
    results = parallel_map(_dies_on_bad, tasks, 2, lambda task, why: f"lost {task}: {why}")
    assert results == (
        [f"T{i}" for i in range(40)]
        + ["lost bad: the worker process checking it ended abruptly"]
        + [f"U{i}" for i in range(40)]
    )


def test_a_worker_killed_once_has_its_files_checked_again(tmp_path, monkeypatch):
    from cookielint.workers import parallel_map

    monkeypatch.setenv("MARKER", str(tmp_path / "killed"))
    tasks = [f"t{i}" for i in range(80)]
    results = parallel_map(_dies_once, tasks, 2, lambda task, why: f"lost {task}")
    assert (tmp_path / "killed").exists()
    assert results == [f"T{i}" for i in range(80)]


def test_a_lost_file_is_an_error_of_the_run(repo):
    from cookielint.files import Source
    from cookielint.pipeline import DEFAULT_SETTINGS
    from cookielint.run import _lost, _Task

    [finding], text = _lost(_Task(Source("p.yaml", Path("p.yaml")), DEFAULT_SETTINGS), "it died")
    assert text is None
    assert (finding.path, finding.code) == ("p.yaml", "CL000")
    assert "it died" in finding.message


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads VmHWM from /proc")
def test_a_million_empty_cookies_are_not_each_examined_by_the_schema():
    """5 MiB of `- {}`: schema validation stops after 1,000 errors instead of making 7 million."""
    header = "version: 1\nsite: {name: a, url: 'https://a.example'}\ncookies:\n"
    setup = (
        "from cookielint.document import parse\n"
        "from cookielint.schema import validate\n"
        "from cookielint import rules\n"
        f"text = {header!r} + '- {{}}\\n' * 1_048_000\n"
        "document = parse(text, 64, 100_000, max_collections=2_000_000)"
    )
    measured = _measured(
        setup,
        "[(p.code, p.pointer, p.message) for p in "
        "validate(document.data, rules.left_to_rules(), document.words)][-1:] + "
        "[len(validate(document.data, rules.left_to_rules(), document.words))]",
    )
    assert measured["seconds"] < 2 and measured["peak"] < 600 * MiB, measured
    last, count = measured["result"]
    assert count <= 1001
    assert last == [
        "CL003",
        last[1],
        "more than 1,000 schema errors; the rest of the file was not checked against the schema",
    ]


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads VmHWM from /proc")
def test_a_million_empty_cookies_are_refused_before_the_model_and_the_rules_pay_for_them():
    """5 MiB of `- {}`, within the default size limit: once 426 s and 10.4 GB, 5 million findings."""
    header = "version: 1\nsite: {name: a, url: 'https://a.example'}\ncookies:\n"
    setup = f"{LINT}\nraw = ({header!r} + '- {{}}\\n' * 1_048_000).encode()"
    measured = _measured(
        setup,
        "[(f.code, f.line, f.column, f.message) for f in lint_bytes(raw, 'p.yaml')]",
    )
    assert measured["seconds"] < 2 and measured["peak"] < 300 * MiB, measured
    # The root mapping, site and the cookies list are three; the 99,998th `{}` is one too many.
    assert measured["result"] == [["CL002", 100_001, 3, "holds over 100,000 lists and mappings"]]


def test_the_collection_limit_is_a_setting(repo):
    _put(repo / "policies" / "shop.yaml", VALID_POLICY)
    _put(repo / ".cookielint.yaml", "max-collections: 3\n")
    result = run_cookielint("check", "--format", "json", "policies", cwd=repo)
    findings = json.loads(result.stdout)["findings"]
    assert [(f["code"], f["line"], f["column"], f["message"]) for f in findings] == [
        ("CL002", 6, 5, "holds over 3 lists and mappings")
    ]
    assert result.returncode == 1


# 2 and 14, the same class: other paths a configuration names stay in its directory --------------


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ('known-cookies: ["/etc/passwd"]', "known-cookies: /etc/passwd must be relative"),
        ('known-cookies: ["../k.csv"]', "known-cookies: ../k.csv must not leave"),
        ('paths: ["/etc"]', "paths: /etc must be relative"),
        ('paths: ["../.."]', "paths: ../.. must not leave"),
        ('paths: ["up/x"]', "paths: up/x leaves the configuration's directory through a symbolic"),
    ],
)
def test_a_configuration_reads_nothing_outside_its_directory(tmp_path, setting, message):
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    _put(repo / "policies" / "shop.yaml", VALID_POLICY)
    (repo / "up").symlink_to(tmp_path)
    _put(repo / ".cookielint.yaml", setting + "\n")
    result = run_cookielint("check", cwd=repo)
    assert result.returncode == 2
    assert result.stderr.decode().startswith(
        f"cookielint: error: {repo / '.cookielint.yaml'}: {message}"
    ), result.stderr


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_known_cookies_file_that_never_ends_is_refused(repo, kind):
    _put(repo / "policies" / "shop.yaml", VALID_POLICY)
    if kind == "fifo":
        os.mkfifo(repo / "k.csv")
        name = "k.csv"
    else:
        name = "/dev/zero"
    result = run_cookielint("check", "--known-cookies", name, "policies", cwd=repo)
    assert result.returncode == 2
    assert result.stderr.decode() == (
        f"cookielint: error: {name}: cannot read the known-cookies file: not a regular file\n"
    )


def test_diff_audit_and_init_print_no_workflow_command(hostile_repo):
    """The other commands that print what a policy, a file name or a capture says."""
    _put(hostile_repo / "::error::c.har", '{"log": {"entries": []}}')
    a, b = (f"policies/{name}" for name in HOSTILE_FILE_NAMES[:2])
    for args, statuses in (
        (["diff", a, b], (0, 1)),
        (["diff", "--format", "markdown", a, b], (0, 1)),
        (["diff", "--format", "json", a, b], (0, 1)),
        (["diff", "::error::missing.yaml", "##[error]missing.yaml"], (2,)),
        (["audit", a, "--before-consent", "::error::c.har"], (1,)),
        (["audit", a, "--before-consent", "##[error]missing.har"], (2,)),
        (["init", "--from", "::error::c.har", "--site-url", "https://x.example/##[error]x"], (0,)),
        (["init", "--from", "##[error]missing.har"], (2,)),
    ):
        result = run_cookielint(*args, cwd=hostile_repo)
        assert result.returncode in statuses, (args, result.stderr)
        _assert_no_commands(result.stdout.decode() + result.stderr.decode())


def test_init_keeps_the_data_it_escapes(hostile_repo):
    import yaml

    _put(hostile_repo / "c.har", '{"log": {"entries": []}}')
    url = "https://x.example/##[error]x::y"
    result = run_cookielint("init", "--from", "c.har", "--site-url", url, cwd=hostile_repo)
    assert result.returncode == 0, result.stderr
    assert yaml.safe_load(result.stdout)["site"]["url"] == url


# 5 (suppressions), 7 and 9: what a file says in comments, and what it is when read ----------


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads VmHWM from /proc")
def test_one_long_suppression_comment_is_linear():
    """160 KB in one suppression comment: once 87 s (each selector matched against every rule
    name, and a backtracking pattern over the comment)."""
    header = "version: 1\nsite: {name: a, url: 'https://a.example'}\ncookies: []\n"
    comment = (
        "'# cookielint: disable=' + ','.join(f'x{i}' for i in range(30_000)) + ' ' * 2000"
        " + 'a' * 40_000 + ' -- ' + 'why ' * 5000"
    )
    setup = f"{LINT}\nraw = ({header!r} + {comment} + '\\n').encode()"
    measured = _measured(
        setup,
        "[len(f.message) for f in lint_bytes(raw, 'p.yaml')][:3] + "
        "[len(lint_bytes(raw, 'p.yaml'))]",
    )
    assert measured["seconds"] < 2 and measured["peak"] < 300 * MiB, measured
    *lengths, count = measured["result"]
    assert count == 101  # 100 unknown rules reported, and one finding saying how many more
    assert max(lengths) < 200  # a selector is shown cut, never whole


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads VmHWM from /proc")
def test_many_standalone_suppression_lines_are_linear():
    """40,000 suppression comments on lines of their own above one declaration: once 88 s
    (each looked for the next line that is not a comment)."""
    header = "version: 1\nsite: {name: a, url: 'https://a.example'}\ncookies:\n"
    entry = (
        "  - {name: a, provider: p, party: first, category: necessary, purposes: [x], "
        "consent: exempt, duration: session}\n"
    )
    lines = "'  # cookielint: disable=CL404\\n' * 40_000"
    setup = f"{LINT}\nraw = ({header!r} + {lines} + {entry!r}).encode()"
    measured = _measured(
        setup, "sorted(Counter(f.code for f in lint_bytes(raw, 'p.yaml')).items())"
    )
    assert measured["seconds"] < 2 and measured["peak"] < 300 * MiB, measured
    assert measured["result"] == [["CL007", 101]]


def test_full_reports_never_read_a_file_again(repo):
    """--format full shows source lines from the text read for checking: a FIFO is not waited
    on, a sparse file over the size limit is not read, and a file changed since is shown as
    it was checked."""
    _put(repo / "policies" / "stats.yaml", STATISTICS_EXEMPT_POLICY)
    os.mkfifo(repo / "policies" / "pipe.yaml")
    with open(repo / "policies" / "sparse.yaml", "wb") as sparse:
        sparse.truncate(2**30)  # 1 GiB of holes
    started = time.perf_counter()
    result = run_cookielint("check", "--format", "full", "policies", cwd=repo)
    assert time.perf_counter() - started < 10
    out = result.stdout.decode()
    assert "policies/pipe.yaml:1:1: CL002 [error] not a regular file" in out
    assert "policies/sparse.yaml:1:1: CL002 [error] file is 1,073,741,824 bytes" in out
    assert "  11 |     consent: exempt\n" in out  # the line the CL201 finding is on


def test_a_file_is_opened_then_checked_so_a_swapped_path_is_never_read_unbounded(tmp_path):
    """A path flipped between a small policy and /dev/zero while it is checked: what was
    opened is what is checked, and never more than the size limit plus one byte is read."""
    import threading

    from cookielint.pipeline import DEFAULT_SETTINGS, lint_file

    small = _put(tmp_path / "small.yaml", VALID_POLICY)
    link = tmp_path / "p.yaml"
    link.symlink_to(small)
    stop = threading.Event()

    def flip() -> None:
        targets = [Path("/dev/zero"), small]
        while not stop.is_set():
            temporary = tmp_path / "p.tmp"
            temporary.unlink(missing_ok=True)
            temporary.symlink_to(targets[0])
            os.replace(temporary, link)
            targets.reverse()

    flipper = threading.Thread(target=flip)
    flipper.start()
    try:
        outcomes = set()
        started = time.perf_counter()
        for _ in range(150):
            findings = lint_file(link, "p.yaml", DEFAULT_SETTINGS).findings
            outcomes.add(tuple((f.code, f.message) for f in findings))
        elapsed = time.perf_counter() - started
    finally:
        stop.set()
        flipper.join()
    assert elapsed < 10
    assert outcomes <= {
        (),
        (("CL002", "not a regular file (a FIFO, socket or device); skipped"),),
    }
