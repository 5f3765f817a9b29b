"""End to end: the real pre-commit installs this checkout's hook and runs it in another repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, STATISTICS_EXEMPT_POLICY, VALID_POLICY

PRE_COMMIT = shutil.which("pre-commit") or str(Path(sys.executable).parent / "pre-commit")

pytestmark = pytest.mark.skipif(
    not (ROOT / ".git").exists(),
    reason="pre-commit try-repo needs this checkout to be a git repository",
)


@pytest.fixture(scope="module")
def site_repo(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    repo = tmp_path_factory.mktemp("site")
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path_factory.mktemp("pre-commit-home")),
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.com",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.com",
    }
    subprocess.run(["git", "init", "-q", str(repo)], check=True, env=env)
    (repo / "policies").mkdir()
    (repo / "policies" / "good.yaml").write_text(VALID_POLICY)
    (repo / "policies" / "stats.yaml").write_text(STATISTICS_EXEMPT_POLICY)
    subprocess.run(["git", "add", "."], cwd=repo, check=True, env=env)
    return repo, env


def _try_repo(site_repo, *files: str) -> subprocess.CompletedProcess:
    repo, env = site_repo
    return subprocess.run(
        [PRE_COMMIT, "try-repo", str(ROOT), "cookielint", "--verbose", "--files", *files],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_hook_passes_on_a_good_policy(site_repo):
    result = _try_repo(site_repo, "policies/good.yaml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "cookielint" in result.stdout and "Passed" in result.stdout


def test_hook_fails_on_a_bad_policy(site_repo):
    result = _try_repo(site_repo, "policies/good.yaml", "policies/stats.yaml")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Failed" in result.stdout
    assert (
        "policies/stats.yaml:11:14: CL201 [error] cookie '_ga' is statistics exempt from consent"
        in result.stdout
    )


def test_project_hooks_config_is_local_only():
    import yaml

    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    assert [repo["repo"] for repo in config["repos"]] == ["local"]
    hooks = {hook["id"]: hook for hook in config["repos"][0]["hooks"]}
    assert {"cookielint", "ruff"} <= set(hooks)
    offered = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert [(h["id"], h["language"]) for h in offered] == [("cookielint", "python")]


def test_a_file_name_never_becomes_an_option(site_repo):
    """An empty file named --config=cookie.yaml beside a cookie.yaml that ignores every rule must
    not switch the rules off: the hook ends options with -- before the file names."""
    repo, env = site_repo
    (repo / "cookie.yaml").write_text("ignore: [ALL]\n")
    (repo / "--config=cookie.yaml").write_text("")
    subprocess.run(["git", "add", "--", "."], cwd=repo, check=True, env=env)
    result = subprocess.run(
        [PRE_COMMIT, "try-repo", str(ROOT), "cookielint", "--verbose", "--all-files"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert (
        "policies/stats.yaml:11:14: CL201 [error] cookie '_ga' is statistics exempt from consent"
        in result.stdout
    )
    assert "--config=cookie.yaml:1:1: CL003" in result.stdout
