"""End to end: the real pre-commit installs this checkout's hook and runs it in another repository."""

from __future__ import annotations

import os
import re
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
def pre_commit_home(tmp_path_factory) -> str:
    """One pre-commit cache for the module: the hook's environment is built once per revision."""
    return str(tmp_path_factory.mktemp("pre-commit-home"))


@pytest.fixture(scope="module")
def site_repo(tmp_path_factory, pre_commit_home) -> tuple[Path, dict[str, str]]:
    repo = tmp_path_factory.mktemp("site")
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": pre_commit_home,
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
    assert [(h["id"], h["language"]) for h in offered] == [
        ("cookielint", "python"),
        ("cookielint-render", "python"),
    ]


# A consumer repository set up as the README says: its configuration, a CI workflow, drafts
# excluded by configuration, and policies named in mixed case.
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _readme_workflow() -> str:
    (workflow,) = [
        block
        for block in re.findall(r"```yaml\n(.*?)```", README, flags=re.S)
        if block.startswith("name: cookielint")
    ]
    return workflow


@pytest.fixture(scope="module")
def consumer_repo(tmp_path_factory, pre_commit_home) -> tuple[Path, dict[str, str]]:
    repo, env = (
        tmp_path_factory.mktemp("consumer"),
        {
            **os.environ,
            "PRE_COMMIT_HOME": pre_commit_home,
        },
    )
    subprocess.run(["git", "init", "-q", str(repo)], check=True, env=env)
    files = {
        ".cookielint.yaml": "exclude: [drafts]\nignore: [CL206]\n",
        ".github/workflows/cookielint.yml": _readme_workflow(),
        "drafts/cookies.yaml": STATISTICS_EXEMPT_POLICY,  # excluded by the configuration
        "Cookies.yaml": STATISTICS_EXEMPT_POLICY,
        "privacy/Cookie-Policy.yaml": VALID_POLICY,
        "policies/shop.yml": VALID_POLICY,
        "known-cookies.yaml": "cookies: []\n",  # a knowledge file, not a policy
        "mkdocs.yml": "site_name: Example\n",
    }
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text)
    subprocess.run(["git", "add", "."], cwd=repo, check=True, env=env)
    return repo, env


def _hook_output(stdout: str) -> str:
    """What cookielint printed, as pre-commit --verbose shows it after the hook's header."""
    return stdout.split("- exit code: 1\n\n", 1)[-1].split("\n\n", 1)[0] + "\n"


def test_hook_checks_exactly_the_policies_of_a_readme_setup(consumer_repo):
    repo, env = consumer_repo
    result = subprocess.run(
        [PRE_COMMIT, "try-repo", str(ROOT), "cookielint", "--verbose", "--all-files"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert re.search(r"^cookielint\.+Failed$", result.stdout, flags=re.M)
    # Cookies.yaml, privacy/Cookie-Policy.yaml and policies/shop.yml: not the configuration,
    # the workflow, the excluded draft, the knowledge file or mkdocs.yml.
    assert _hook_output(result.stdout) == (
        "Cookies.yaml:11:14: CL201 [error] cookie '_ga' is statistics exempt from consent "
        "but not declared anonymized: true\n"
        "Found 1 error and 0 warnings in 3 files.\n"
    )


def test_hook_passes_once_the_policy_is_fixed(consumer_repo):
    repo, env = consumer_repo
    (repo / "Cookies.yaml").write_text(STATISTICS_EXEMPT_POLICY.replace("exempt", "required"))
    subprocess.run(["git", "add", "."], cwd=repo, check=True, env=env)
    result = subprocess.run(
        [PRE_COMMIT, "try-repo", str(ROOT), "cookielint", "--verbose", "--all-files"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"^cookielint\.+Passed$", result.stdout, flags=re.M)
    assert "No problems found in 3 files." in result.stdout


def test_default_files_pattern():
    import yaml

    hook = next(
        hook
        for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
        if hook["id"] == "cookielint"
    )
    pattern = re.compile(hook["files"])
    policies = [
        "Cookies.yaml",
        "privacy/Cookie-Policy.yaml",
        "policies/shop.yml",
        "Policies/Shop.YAML",
        "site/policies/a.yaml",
        "data/cookie_policy.yml",
        "drafts/cookies.yaml",
    ]
    others = [
        ".cookielint.yaml",
        ".github/workflows/cookielint.yml",
        ".pre-commit-config.yaml",
        ".gitlab-ci.yml",
        "config/cookielint.yaml",
        "known-cookies.yaml",
        "policies/.hidden.yaml",
        "docs/cookies.md",
        "mkdocs.yml",
    ]
    assert [p for p in policies if not pattern.search(p)] == []
    assert [p for p in others if pattern.search(p)] == []
    assert hook["entry"] == "cookielint check --force-exclude --"


def test_a_file_name_never_becomes_an_option(tmp_path, pre_commit_home):
    """An empty file named --config=cookie.yaml beside a cookie.yaml that ignores every rule must
    not switch the rules off: the hook ends options with -- before the file names."""
    repo = tmp_path / "fork"
    env = {**os.environ, "PRE_COMMIT_HOME": pre_commit_home}
    subprocess.run(["git", "init", "-q", str(repo)], check=True, env=env)
    (repo / "policies").mkdir()
    (repo / "policies" / "stats.yaml").write_text(STATISTICS_EXEMPT_POLICY)
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


def _hook_repo(tmp_path_factory, env: dict[str, str]) -> tuple[Path, str]:
    """This checkout's working tree as a git repository pre-commit can install hooks from.

    ``pre-commit try-repo`` gives a hook no args, and cookielint-render needs them (the
    policy and the page), so the render hook is installed the way users install it: a
    ``repo`` and a ``rev`` in .pre-commit-config.yaml, here a local path.
    """
    repo = tmp_path_factory.mktemp("hook-repo")
    for name in ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml"):
        shutil.copy(ROOT / name, repo / name)
    for folder in ("cookielint", "schema"):
        shutil.copytree(ROOT / folder, repo / folder, ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run(["git", "init", "-q", str(repo)], check=True, env=env)
    subprocess.run(["git", "add", "."], cwd=repo, check=True, env=env)
    subprocess.run(["git", "commit", "-qm", "hooks"], cwd=repo, check=True, env=env)
    rev = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=repo, check=True, env=env, capture_output=True, text=True
    ).stdout.strip()
    return repo, rev


@pytest.mark.slow
def test_render_hook_passes_on_a_current_page_and_fails_on_a_stale_one(site_repo, tmp_path_factory):
    site, env = site_repo
    hook_repo, rev = _hook_repo(tmp_path_factory, env)
    (site / "docs").mkdir(exist_ok=True)
    page = site / "docs" / "cookies.md"
    rendered = subprocess.run(
        [sys.executable, "-m", "cookielint", "render", "policies/good.yaml", "-o", str(page)],
        cwd=site,
        capture_output=True,
        text=True,
    )
    assert rendered.returncode == 0, rendered.stderr
    (site / ".pre-commit-config.yaml").write_text(
        f"""repos:
  - repo: {hook_repo}
    rev: {rev}
    hooks:
      - id: cookielint-render
        args: [policies/good.yaml, -o, docs/cookies.md]
"""
    )

    def run_hook() -> subprocess.CompletedProcess:
        return subprocess.run(
            [PRE_COMMIT, "run", "cookielint-render", "--verbose", "--files", "policies/good.yaml"],
            cwd=site,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )

    result = run_hook()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "cookielint render --check" in result.stdout and "Passed" in result.stdout
    policy = site / "policies" / "good.yaml"
    policy.write_text(policy.read_text().replace("duration: session", "duration: 2 weeks"))
    result = run_hook()
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Failed" in result.stdout
    assert (
        "-| cart | Example shop | To keep the visitor's shopping cart | Session |" in result.stdout
    )
    assert (
        "+| cart | Example shop | To keep the visitor's shopping cart | 2 weeks |" in result.stdout
    )
    assert "docs/cookies.md: is stale; run the same command without --check" in result.stdout
