"""init: a starter policy that check accepts but for its TODO purpose, drafts from captures,
and never a file written over or outside where asked."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml
from conftest import ROOT, run_cookielint

CAPTURES = ROOT / "tests" / "captures"


def test_starter_policy_passes_check_but_for_its_todo_purpose(tmp_path: Path) -> None:
    result = run_cookielint("init", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (0, b"")
    starter = result.stdout.decode()
    assert starter.startswith("# yaml-language-server: $schema=cookie-policy.schema.json\n# ")
    assert list(tmp_path.iterdir()) == []  # standard output only
    checked = run_cookielint("check", "-", "--stdin-filename", "cookies.yaml", stdin=starter)
    assert checked.returncode == 1
    assert checked.stdout.decode() == (
        "cookies.yaml:21:9: CL102 [error] cookie 'sessionid' has a placeholder purpose ('TODO')\n"
        "Found 1 error and 0 warnings in 1 file.\n"
    )
    filled = starter.replace("- TODO", "- To keep the visitor signed in")
    checked = run_cookielint("check", "-", stdin=filled)
    assert (checked.returncode, checked.stdout) == (0, b"No problems found in 1 file.\n")


def test_starter_takes_the_site_url(tmp_path: Path) -> None:
    result = run_cookielint("init", "--site-url", "https://www.shop.example", cwd=tmp_path)
    data = yaml.safe_load(result.stdout)
    assert data["site"] == {"name": "shop.example", "url": "https://www.shop.example"}
    assert data["cookies"][0]["provider"] == "shop.example"


def test_output_file_is_never_overwritten_without_force(tmp_path: Path) -> None:
    assert run_cookielint("init", "-o", "cookies.yaml", cwd=tmp_path).returncode == 0
    (tmp_path / "cookies.yaml").write_text("mine\n")
    result = run_cookielint("init", "-o", "cookies.yaml", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, b"")
    assert result.stderr.decode() == (
        "cookielint: error: cookies.yaml exists; give --force to overwrite it\n"
    )
    assert (tmp_path / "cookies.yaml").read_text() == "mine\n"
    forced = run_cookielint("init", "-o", "cookies.yaml", "--force", cwd=tmp_path)
    assert forced.returncode == 0
    assert (tmp_path / "cookies.yaml").read_text().startswith("# yaml-language-server:")
    (tmp_path / "folder").mkdir()
    result = run_cookielint("init", "-o", "folder", "--force", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.decode() == "cookielint: error: folder is not a regular file\n"
    missing = run_cookielint("init", "-o", "no/such/dir/cookies.yaml", cwd=tmp_path)
    assert missing.returncode == 2
    assert missing.stderr.decode().startswith(
        "cookielint: error: cannot write no/such/dir/cookies.yaml"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cookies.yaml", "folder"]


def test_draft_from_a_har_fills_in_what_is_known(tmp_path: Path) -> None:
    shutil.copy(CAPTURES / "visit.har", tmp_path / "visit.har")
    result = run_cookielint("init", "--from", "visit.har", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    draft = yaml.safe_load(result.stdout)
    assert draft["site"] == {"name": "shop.example", "url": "https://www.shop.example/"}
    cookies = {c["name"]: c for c in draft["cookies"]}
    assert list(cookies) == ["sessionid", "csrftoken", "lang", "consent", "_ga", "uid"]
    assert cookies["_ga"] == {
        "name": "_ga",
        "provider": "Google Analytics",
        "party": "first",
        "category": "statistics",
        "purposes": ["Holds the random client ID that tells one browser from another."],
        "consent": "required",
        "duration": "13 months",  # the provider's 2 years, as browsers cap it
    }
    assert cookies["csrftoken"]["duration"] == "1 year"
    assert cookies["uid"]["party"] == "third" and cookies["uid"]["same_site"] == "none"
    assert "# Google Analytics documents it: https://" in result.stdout.decode()
    checked = run_cookielint("check", "-", stdin=result.stdout)
    assert {line.split()[1] for line in checked.stdout.decode().splitlines()[:-1]} == {"CL102"}


def test_hostile_capture_content_stays_data(tmp_path: Path) -> None:
    """Names and URLs from a capture can't add keys, end a comment or hide text in a terminal."""
    state = {
        "cookies": [
            {"name": "x\nversion: 2", "domain": "evil.example", "path": "/", "expires": -1,
             "httpOnly": False, "secure": False, "sameSite": "Lax"},
            {"name": "yes", "domain": "evil.example", "path": "/", "expires": -1},
        ],
        "origins": [{"origin": "https://evil.example\u202e/x\n- name: injected",
                     "localStorage": [{"name": "k", "value": "v"}]}],
    }  # fmt: skip
    (tmp_path / "state.json").write_text(json.dumps(state))
    result = run_cookielint(
        "init", "--from", "state.json", "--site-url", "https://evil.example", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    text = result.stdout.decode()
    assert "\u202e" not in text and "\\u202e" in text
    draft = yaml.safe_load(text)
    assert draft["version"] == 1
    assert [c["name"] for c in draft["cookies"]] == ["x\nversion: 2", "yes", "k"]
    checked = run_cookielint("check", "-", stdin=text)
    assert checked.returncode == 1 and b"Traceback" not in checked.stderr
    assert b"CL405" in checked.stdout  # the invalid name, reported


def test_draft_from_a_broken_capture_is_an_exit_2_message(tmp_path: Path) -> None:
    shutil.copy(CAPTURES / "truncated.json", tmp_path / "truncated.json")
    result = run_cookielint("init", "--from", "truncated.json", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, b"")
    assert result.stderr.decode() == (
        "cookielint: error: truncated.json:4:30: not valid JSON (truncated?)\n"
    )
