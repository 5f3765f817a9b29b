"""`cookielint diff --base GITREF` in real temporary git repositories: the revision is read
through git, never checked out; renames, added and removed files; hostile names and refs."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from conftest import run_cookielint
from test_diff_changes import GA, edit, policy

SHOP = policy(GA)
PORTAL = policy(
    "- name: sessionid\n  provider: Opendatasoft\n  party: first\n  category: necessary\n"
    "  purposes: [To remember the user from one page to another]\n  consent: exempt\n"
    "  duration: 2 weeks\n"
).replace("shop.example.com", "portal.example.org")


def git(repo: Path, *args: str) -> str:
    env = dict(
        os.environ,
        GIT_AUTHOR_DATE="2026-01-01T00:00:00Z",
        GIT_COMMITTER_DATE="2026-01-01T00:00:00Z",
        GIT_OPTIONAL_LOCKS="0",
    )
    done = subprocess.run(
        ["git", *args], cwd=repo, capture_output=True, text=True, check=True, env=env
    )
    return done.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.email", "dev@example.com")
    git(root, "config", "user.name", "Dev")
    git(root, "config", "commit.gpgsign", "false")
    (root / "policies").mkdir()
    (root / "policies" / "shop.yaml").write_text(SHOP)
    (root / "policies" / "portal.yaml").write_text(PORTAL)
    commit(root, "first")
    return root


def commit(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


def diff(repo: Path, *args: str):
    result = run_cookielint("diff", *args, cwd=repo)
    return result.returncode, result.stdout.decode(), result.stderr.decode()


def validate_report(report: dict) -> None:
    from jsonschema import Draft202012Validator

    schema = json.loads(
        (
            Path(__file__).resolve().parent.parent / "schema" / "cookielint-diff.schema.json"
        ).read_text()
    )
    assert list(Draft202012Validator(schema).iter_errors(report)) == []


def untouched(repo: Path):
    """What diff must leave as it was: the index, the status, the files."""
    return (
        (repo / ".git" / "index").read_bytes(),
        git(repo, "status", "--porcelain", "--untracked-files=all"),
        sorted(str(p.relative_to(repo)) for p in repo.rglob("*") if ".git" not in p.parts),
    )


LONGER = (
    "policies/shop.yaml:13:15: CD401 [warning] cookie '_ga': lifetime made longer, from 13 "
    "months to 400 days (GDPR art. 13(2)(a) and 5(1)(e): visitors are told how long storage "
    "lasts; storage limitation)"
)


def test_base_head_tilde_1(repo):
    (repo / "policies" / "shop.yaml").write_text(
        policy(edit(GA, "13 months", "400 days"), updated="2026-02-01")
    )
    commit(repo, "longer")
    before = untouched(repo)
    status, out, err = diff(repo, "--base", "HEAD~1")  # no path: the configured policies/
    assert (status, err) == (0, "")
    assert out.splitlines() == [
        LONGER,
        "Changes: 0 errors, 1 warning, 0 info in 1 of 2 files compared with HEAD~1. "
        "Check of the head: No problems found in 2 files.",
    ]
    assert untouched(repo) == before
    status, out, _ = diff(repo, "--base", "HEAD~1", "--fail-on", "warning")
    assert status == 1


def test_working_tree_changes_count_and_nothing_is_written(repo):
    (repo / "policies" / "shop.yaml").write_text(policy(edit(GA, "13 months", "400 days")))
    before = untouched(repo)
    status, out, _ = diff(repo, "--base", "HEAD", "policies")
    assert status == 1
    assert out.splitlines()[:2] == [
        "policies/shop.yaml:5:10: CD001 [error] 1 consent-relevant change (CD401; first: "
        "cookie '_ga': lifetime made longer, from 13 months to 400 days) but `updated` stays "
        "2026-01-10: set it to the date of this change so that visitors are asked again "
        "(GDPR art. 4(11) and 7: consent is specific and informed, so consent given to the "
        "earlier policy does not cover this)",
        LONGER,
    ]
    assert untouched(repo) == before


def test_renamed_policy_file(repo):
    git(repo, "mv", "policies/shop.yaml", "policies/shop.example.com.yaml")
    (repo / "policies" / "shop.example.com.yaml").write_text(
        policy(edit(GA, "13 months", "6 months"))
    )
    commit(repo, "rename")
    status, out, _ = diff(repo, "--base", "HEAD~1", "--format", "json")
    assert status == 0
    report = json.loads(out)
    validate_report(report)
    assert report["files"] == [
        {"base": "policies/portal.yaml", "head": "policies/portal.yaml", "status": "unchanged"},
        {
            "base": "policies/shop.yaml",
            "head": "policies/shop.example.com.yaml",
            "status": "renamed",
        },
    ]
    assert [(c["code"], c["path"], c["line"], c["message"]) for c in report["changes"]] == [
        (
            "CD004",
            "policies/shop.example.com.yaml",
            1,
            "policy renamed from policies/shop.yaml to policies/shop.example.com.yaml",
        ),
        (
            "CD402",
            "policies/shop.example.com.yaml",
            13,
            "cookie '_ga': lifetime made shorter, from 13 months to 6 months",
        ),
    ]


def test_untracked_rename_is_paired_by_site(repo):
    (repo / "policies" / "shop.yaml").rename(repo / "policies" / "moved.yaml")
    status, out, _ = diff(repo, "--base", "HEAD", "--format", "json", "--no-check")
    report = json.loads(out)
    assert status == 0
    assert {
        "base": "policies/shop.yaml",
        "head": "policies/moved.yaml",
        "status": "renamed",
    } in report["files"]
    assert [c["code"] for c in report["changes"]] == ["CD004"]


def test_a_file_added_and_one_deleted(repo):
    (repo / "policies" / "portal.yaml").unlink()
    (repo / "policies" / "blog.yaml").write_text(
        SHOP.replace("shop.example.com", "blog.example.net")
    )
    commit(repo, "add and delete")
    status, out, _ = diff(repo, "--base", "HEAD~1", "--format", "github")
    assert status == 0
    assert out.splitlines() == [
        "::warning file=policies/blog.yaml,line=7,col=11,title=CD302 consent-cookie-added::new "
        "cookie '_ga' requires consent (statistics, set by Google) (GDPR art. 4(11) and 7: "
        "consent is specific and informed, so consent given to the earlier policy does not "
        "cover this)",
        "::notice file=policies/blog.yaml,line=1,col=1,title=CD002 policy-added::policy added: "
        "policies/blog.yaml (blog.example.net) (GDPR art. 13: the policy tells visitors what is "
        "stored and why)",
        # A removal is annotated on the base file.
        "::notice file=policies/portal.yaml,line=1,col=1,title=CD003 policy-removed::policy "
        "removed: policies/portal.yaml (portal.example.org) (GDPR art. 13: the policy tells "
        "visitors what is stored and why)",
    ]


def test_a_branch_with_several_commits(repo):
    git(repo, "checkout", "-q", "-b", "feature")
    shop = repo / "policies" / "shop.yaml"
    shop.write_text(policy(edit(GA, "consent: required", "consent: exempt")))
    commit(repo, "exempt")
    shop.write_text(policy(edit(GA, "consent: required", "consent: exempt") + "  refresh: true\n"))
    commit(repo, "refresh")
    (repo / "policies" / "portal.yaml").write_text(
        PORTAL.replace("duration: 2 weeks", "duration: 1 week")
    )
    commit(repo, "shorter session")
    status, out, _ = diff(repo, "--base", "main", "--no-check")
    assert status == 1
    assert [line.split(" [")[0] for line in out.splitlines()[:-1]] == [
        "policies/shop.yaml:5:10: CD001",
        "policies/shop.yaml:12:14: CD101",
        "policies/shop.yaml:14:14: CD104",
        "policies/portal.yaml:13:15: CD402",
    ]
    # Compared with the previous commit only, the branch's last step.
    status, out, _ = diff(repo, "--base", "HEAD~1", "--no-check")
    assert status == 0
    assert [line.split(" [")[0] for line in out.splitlines()[:-1]] == [
        "policies/portal.yaml:13:15: CD402"
    ]


def test_removal_in_text_names_the_revision(repo):
    (repo / "policies" / "shop.yaml").write_text(SHOP.split("cookies:")[0] + "cookies: []\n")
    status, out, _ = diff(repo, "--base", "HEAD", "--no-check")
    assert (
        "HEAD:policies/shop.yaml:7:11: CD304 [info] cookie '_ga' removed (it was statistics, "
        "consent required)"
    ) in out


@pytest.mark.parametrize(
    ("revision", "message"),
    [
        ("--upload-pack=touch pwned", "not a revision: '--upload-pack=touch pwned'"),
        ("-h", "not a revision: '-h'"),
        ("nope", "unknown revision: nope"),
        ("HEAD~5", "unknown revision: HEAD~5"),
        ("HEAD\nmain", "not a revision: 'HEAD\\nmain'"),
    ],
)
def test_bad_revisions_exit_2(repo, revision, message):
    status, out, err = diff(repo, f"--base={revision}")
    assert (status, out) == (2, "")
    assert err == f"cookielint: error: {message}\n"
    assert not (repo / "pwned").exists()


def test_hostile_file_names_never_become_options(repo):
    for name in ("--output=owned.yaml", "-rf.yaml", "a\nb.yaml"):
        (repo / "policies" / name).write_text(SHOP.replace("shop.example.com", "x.example.com"))
    commit(repo, "odd names")
    for name in ("--output=owned.yaml", "-rf.yaml", "a\nb.yaml"):
        (repo / "policies" / name).write_text(
            SHOP.replace("shop.example.com", "x.example.com").replace("13 months", "6 months")
        )
    status, out, err = diff(repo, "--base", "HEAD", "--no-check", "--format", "json")
    assert status == 0, err
    report = json.loads(out)
    validate_report(report)
    assert sorted(f["head"] for f in report["files"] if f["status"] == "modified") == [
        "policies/--output=owned.yaml",
        "policies/-rf.yaml",
        "policies/a\nb.yaml",
    ]
    assert not (repo / "owned.yaml").exists()


def test_outside_a_repository_exits_2(tmp_path):
    (tmp_path / "p.yaml").write_text(SHOP)
    result = run_cookielint("diff", "--base", "HEAD", "p.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.decode().endswith("is not in a git repository (--base needs one)\n")


def test_usage_needs_base_and_head_or_a_revision(tmp_path):
    result = run_cookielint("diff", "only-one.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert (
        "give BASE and HEAD (two files or two directories), or --base GITREF"
        in result.stderr.decode()
    )


def test_readme_example_is_true(repo):
    """README: the `cookielint diff --base HEAD~1` example, on the policy it shows."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    block = readme.split("```console\n$ cookielint diff --base HEAD~1\n", 1)[1].split("```", 1)[0]
    (repo / "policies" / "data.yaml").write_text(
        PORTAL.replace("portal.example.org", "data.example.org")
    )
    commit(repo, "three policies")
    shop = repo / "policies" / "shop.yaml"
    shop.write_text(shop.read_text().replace("consent: required", "consent: exempt"))
    commit(repo, "exempt")
    status, out, _ = diff(repo, "--base", "HEAD~1")
    assert status == 1
    assert out == block


def test_limits_and_exclusions_apply_to_the_base_too(repo):
    (repo / "policies" / "legacy").mkdir()
    (repo / "policies" / "legacy" / "old.yaml").write_text(SHOP)
    (repo / "policies" / "big.yaml").write_text(SHOP + "# padding\n" * 200)
    (repo / "policies" / "link.yaml").symlink_to("shop.yaml")
    commit(repo, "more")
    (repo / "policies" / "legacy" / "old.yaml").unlink()
    (repo / "policies" / "big.yaml").write_text(SHOP)
    (repo / ".cookielint.yaml").write_text("exclude: [legacy]\nmax-file-size: 1000\n")
    status, out, err = diff(repo, "--base", "HEAD", "--no-check", "--format", "json")
    report = json.loads(out)
    # The excluded directory is compared on neither side; the symbolic link is no policy
    # of the base, and in the working tree it is the same file as shop.yaml: checked once.
    assert {(f["base"], f["head"], f["status"]) for f in report["files"]} == {
        ("policies/big.yaml", "policies/big.yaml", "modified"),
        ("policies/portal.yaml", "policies/portal.yaml", "unchanged"),
        ("policies/shop.yaml", "policies/shop.yaml", "unchanged"),
    }
    big = [c for c in report["changes"] if c["path"] == "policies/big.yaml"]
    assert [(c["code"], c["side"], c["message"]) for c in big] == [
        (
            "CD005",
            "base",
            "the base version can't be compared: file is 2,284 bytes, over the 1,000-byte limit",
        )
    ]
    assert status == 1


def test_readme_workflow_is_valid_and_uses_only_official_tools(tmp_path):
    import yaml

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("### On every pull request, one comment kept up to date", 1)[1]
    workflow = yaml.safe_load(section.split("```yaml\n", 1)[1].split("```", 1)[0])
    steps = workflow["jobs"]["diff"]["steps"]
    uses = [step["uses"].split("@")[0] for step in steps if "uses" in step]
    assert uses == ["actions/checkout", "actions/setup-python"]
    assert workflow["permissions"] == {"contents": "read", "pull-requests": "write"}
    scripts = [step["run"] for step in steps if "run" in step]
    assert any("cookielint diff --base HEAD^1" in s and "markdown=" in s for s in scripts)
    post = next(s for s in scripts if "gh api" in s)
    assert "--method PATCH" in post and "gh pr comment" in post
    assert "<!-- cookielint-diff -->" in post  # the marker the markdown report starts with
    for script in scripts:
        checked = subprocess.run(["bash", "-n"], input=script, capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr


def test_a_file_named_that_was_removed_is_compared(repo):
    (repo / "policies" / "portal.yaml").unlink()
    status, out, err = diff(repo, "--base", "HEAD", "policies/portal.yaml", "policies/shop.yaml")
    assert (status, err) == (0, "")
    assert out.splitlines() == [
        "HEAD:policies/portal.yaml:1:1: CD003 [info] policy removed: policies/portal.yaml "
        "(portal.example.org) (GDPR art. 13: the policy tells visitors what is stored and why)",
        "Changes: 0 errors, 0 warnings, 1 info in 1 of 2 files compared with HEAD. "
        "Check of the head: No problems found in 1 file.",
    ]
    status, out, err = diff(repo, "--base", "HEAD", "policies/nowhere.yaml")
    assert (status, out) == (2, "")
    assert err == "cookielint: error: path does not exist here or in HEAD: policies/nowhere.yaml\n"
