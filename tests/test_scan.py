"""scan in a real headless Chromium against a site served here, then audit and init on what it saw.

These tests need Chromium (Debian's /usr/bin/chromium; .ci/run installs it)
and Playwright; they never skip: a scan that can't run is a failure.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_cookielint
from shop_site import serve

# A real browser: left out of `pytest -m "not slow"`, run by CI.
pytestmark = pytest.mark.slow

PHASES = ("before-consent", "after-accept", "after-reject")
CAPTURES = [
    option
    for phase in PHASES
    for option in (f"--{phase}", f"scans/{phase}.json", f"--{phase}", f"scans/{phase}.har")
]


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A directory holding scans/ of the shop site, and the site's URL (its port varies)."""
    assert shutil.which("chromium") or shutil.which("chromium-browser"), (
        "Chromium is needed: apt-get install -y chromium"
    )
    directory = tmp_path_factory.mktemp("shop")
    with serve() as url:
        result = subprocess.run(
            [sys.executable, "-m", "cookielint", "scan", url, "--out", "scans",
             "--accept", "#accept", "--reject", "#reject"],
            capture_output=True, cwd=directory, timeout=300,
        )  # fmt: skip
    assert result.returncode == 0, result.stderr.decode()
    written = [f"wrote scans/{phase}.{kind}" for phase in PHASES for kind in ("json", "har")]
    assert result.stdout.decode().splitlines() == written
    assert result.stderr == b""  # no progress when not on a terminal
    return directory, url


def _items(directory: Path, phase: str) -> dict[str, list[str]]:
    data = json.loads((directory / "scans" / f"{phase}.json").read_text())
    assert data["format"] == "cookielint-scan" and data["phase"] == phase
    return {
        "cookies": [f"{c['name']}@{c['domain']}" for c in data["cookies"]],
        "localStorage": [i["name"] for o in data["origins"] for i in o["localStorage"]],
        "sessionStorage": [i["name"] for o in data["origins"] for i in o["sessionStorage"]],
    }


def test_scan_sees_what_the_site_stores_in_each_phase(scanned: tuple[Path, str]) -> None:
    directory, _ = scanned
    first = ["prefs@127.0.0.1", "sid@127.0.0.1", "theme@127.0.0.1"]
    assert _items(directory, "before-consent") == {
        "cookies": first,
        "localStorage": ["cart_items"],
        "sessionStorage": ["tab_id"],
    }
    # The tracker's pixel on localhost (another site) sets a partitioned third-party cookie.
    assert _items(directory, "after-accept")["cookies"] == [
        "_tk@127.0.0.1", "consent@127.0.0.1", *first, "uid@localhost",
    ]  # fmt: skip
    assert _items(directory, "after-reject")["cookies"] == ["consent@127.0.0.1", *first]


def test_scan_records_where_and_how_each_cookie_was_set(scanned: tuple[Path, str]) -> None:
    directory, url = scanned
    data = json.loads((directory / "scans" / "after-accept.json").read_text())
    cookies = {c["name"]: c for c in data["cookies"]}
    port = url.rsplit(":", 1)[1].strip("/")
    assert cookies["uid"]["url"] == f"http://localhost:{port}/pixel.gif"
    assert cookies["uid"]["sameSite"] == "None" and cookies["uid"]["secure"] is True
    assert cookies["sid"]["httpOnly"] is True and cookies["sid"]["expires"] == -1
    assert cookies["sid"]["url"] == url
    assert all("value" not in c for c in data["cookies"])  # values may be personal data
    har = json.loads((directory / "scans" / "after-accept.har").read_text())
    assert har["log"]["version"] == "1.2"


WRONG_POLICY = """\
version: 1
site: {name: Shop, url: "http://127.0.0.1"}
cookies:
  - name: sid
    provider: Shop
    party: first
    category: necessary
    purposes: [To keep the visitor signed in]
    consent: exempt
    duration: session
    http_only: false
  - name: prefs
    provider: Shop
    party: first
    category: preferences
    purposes: [To remember the visitor's language]
    consent: exempt
    duration: 1 day
  - name: theme
    provider: Shop
    party: first
    category: preferences
    purposes: [To remember the chosen colours]
    consent: required
    duration: 1 year
  - name: consent
    provider: Shop
    party: first
    category: necessary
    purposes: [To remember the visitor's consent choice]
    consent: exempt
    duration: 6 months
  - name: _tk
    provider: Tracker
    party: third
    category: statistics
    purposes: [To count visits]
    consent: required
    duration: 13 months
  - name: uid
    provider: Tracker
    party: first
    category: marketing
    purposes: [To follow the visitor across sites for advertising]
    consent: required
    duration: 1 year
    secure: true
  - name: old_banner
    provider: Shop
    party: first
    category: necessary
    purposes: [To remember the old banner]
    consent: exempt
    duration: 1 month
  - name: cart_items
    provider: Shop
    party: first
    category: necessary
    purposes: [To keep the shopping cart]
    consent: exempt
    duration: 1 month
    storage: local_storage
"""


def test_audit_of_a_wrong_policy_gives_exactly_the_expected_findings(
    scanned: tuple[Path, str],
) -> None:
    directory, url = scanned
    (directory / "wrong.yaml").write_text(WRONG_POLICY)
    result = run_cookielint("audit", "wrong.yaml", *CAPTURES, "--format", "json", cwd=directory)
    assert result.returncode == 1, result.stderr.decode()
    report = json.loads(result.stdout)
    got = [
        (
            f["code"],
            f["line"],
            f["column"],
            f["message"].replace(url, "URL/").replace(url[:-1], "URL"),
        )
        for f in report["findings"]
    ]
    port = url.rsplit(":", 1)[1].strip("/")
    got = [(c, line, col, m.replace(port, "PORT")) for c, line, col, m in got]
    assert got == EXPECTED
    undeclared = report["findings"][0]
    assert undeclared["evidence"] == {
        "capture": "scans/before-consent.json", "phase": "before-consent", "url": url[:-1],
    }  # fmt: skip


EXPECTED = [
    ("CL601", 3, 1, "sessionStorage key 'tab_id' on 127.0.0.1, seen before consent (in scans/before-consent.json, on URL), matches no declaration"),
    ("CL604", 4, 11, "cookie 'sid' is declared http_only: false, but was set with http_only: true, before consent (in scans/before-consent.json, set by URL/)"),
    ("CL603", 12, 11, "cookie 'prefs' is declared to live 1 day, but was set to live 30 days, before consent (in scans/before-consent.json, set by URL/)"),
    ("CL602", 19, 11, "cookie 'theme' requires consent, but was seen after refusing (in scans/after-reject.json, set by URL/)"),
    ("CL602", 19, 11, "cookie 'theme' requires consent, but was seen before consent (in scans/before-consent.json, set by URL/)"),
    ("CL605", 33, 11, "cookie '_tk' is declared third party, but was set on the site's own domain 127.0.0.1, after accepting (in scans/after-accept.json, set by URL/)"),
    ("CL605", 40, 11, "cookie 'uid' is declared first party, but was set on localhost, outside the site's domain 127.0.0.1, after accepting (in scans/after-accept.json, set by http://localhost:PORT/pixel.gif)"),
    ("CL606", 48, 11, "cookie 'old_banner' is declared, but no capture taken after accepting saw it (scans/after-accept.json, scans/after-accept.har)"),
]  # fmt: skip


def _corrected(policy: str) -> str:
    return (
        policy.replace("http_only: false", "http_only: true")
        .replace("duration: 1 day", "duration: 30 days")
        .replace(
            "purposes: [To remember the chosen colours]\n    consent: required",
            "purposes: [To remember the chosen colours]\n    consent: exempt",
        )
        .replace("provider: Tracker\n    party: third", "provider: Tracker\n    party: first")
        .replace("  - name: uid\n    provider: Tracker\n    party: first", "  - name: uid\n    provider: Tracker\n    party: third")
        .split("  - name: old_banner")[0]
        + "  - name: cart_items\n    provider: Shop\n    party: first\n    category: necessary\n"
        "    purposes: [To keep the shopping cart]\n    consent: exempt\n    duration: 1 month\n"
        "    storage: local_storage\n"
        "  - name: tab_id\n    provider: Shop\n    party: first\n    category: necessary\n"
        "    purposes: [To tell the shop's tabs apart]\n    consent: exempt\n    duration: session\n"
        "    storage: session_storage\n"
    )  # fmt: skip


def test_audit_of_a_correct_policy_finds_nothing(scanned: tuple[Path, str]) -> None:
    directory, _ = scanned
    (directory / "right.yaml").write_text(_corrected(WRONG_POLICY))
    result = run_cookielint("audit", "right.yaml", *CAPTURES, cwd=directory)
    assert (result.returncode, result.stdout.decode()) == (0, "No problems found in 1 file.\n")


def test_init_drafts_a_policy_that_check_asks_purposes_of_and_audit_accepts(
    scanned: tuple[Path, str],
) -> None:
    directory, url = scanned
    captures = [f"scans/{phase}.json" for phase in PHASES]
    result = run_cookielint(
        "init", *[a for c in captures for a in ("--from", c)], "-o", "draft.yaml", cwd=directory
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, b"", b"")
    draft = (directory / "draft.yaml").read_text()
    assert draft.startswith("# yaml-language-server: $schema=cookie-policy.schema.json\n")
    assert f'  url: "{url}"\n' in draft
    checked = run_cookielint("check", "draft.yaml", "--format", "json", cwd=directory)
    assert checked.returncode == 1
    findings = json.loads(checked.stdout)["findings"]
    names = ["prefs", "sid", "theme", "cart_items", "tab_id", "_tk", "consent", "uid"]
    assert [(f["code"], f["message"]) for f in findings] == [
        ("CL102", f"cookie '{name}' has a placeholder purpose ('TODO')") for name in names
    ]
    lines = draft.splitlines()
    assert [lines[f["line"] - 1] for f in findings] == ["      - TODO"] * len(names)
    # A person writes the purposes; the draft is then true to the visit.
    (directory / "draft.yaml").write_text(draft.replace("- TODO", "- To run the shop"))
    audited = run_cookielint("audit", "draft.yaml", *CAPTURES, cwd=directory)
    assert (audited.returncode, audited.stdout.decode()) == (0, "No problems found in 1 file.\n")
    again = run_cookielint("init", "--from", captures[0], "-o", "draft.yaml", cwd=directory)
    assert again.returncode == 2
    assert again.stderr.decode() == (
        "cookielint: error: draft.yaml exists; give --force to overwrite it\n"
    )


def test_scan_says_what_to_install_without_a_browser(tmp_path: Path) -> None:
    result = run_cookielint(
        "scan", "http://127.0.0.1:9/", "--out", "scans", "--browser", "no-such-browser",
        cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.decode() == (
        "cookielint: error: --browser no-such-browser: not an executable file\n"
    )
    assert not (tmp_path / "scans").exists()


def test_scan_keeps_to_the_origin_unless_asked(tmp_path: Path) -> None:
    result = run_cookielint(
        "scan", "http://127.0.0.1:9/", "--out", "scans", "--page", "http://localhost:9/x",
        cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.decode() == (
        "cookielint: error: --page http://localhost:9/x: another origin than "
        "http://127.0.0.1:9; add --other-origins to scan it\n"
    )


def test_scan_of_a_page_that_does_not_load_is_an_error(tmp_path: Path) -> None:
    result = run_cookielint("scan", "http://127.0.0.1:9/", "--out", "scans", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.decode().startswith(
        "cookielint: error: http://127.0.0.1:9/: the page did not load: "
    )
    assert b"Traceback" not in result.stderr


def test_scan_without_any_browser_says_what_to_install(tmp_path: Path) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "cookielint", "scan", "http://127.0.0.1:9/", "--out", "scans"],
        capture_output=True,
        cwd=tmp_path,
        timeout=120,
        env={"PATH": str(empty), "PLAYWRIGHT_BROWSERS_PATH": str(tmp_path / "none")},
    )
    assert result.returncode == 2
    message = result.stderr.decode()
    assert message.startswith("cookielint: error: cannot start Playwright's own Chromium: ")
    assert message.endswith(
        "; install Chromium (Debian/Ubuntu: apt-get install chromium; Fedora: dnf install "
        "chromium; macOS: brew install --cask chromium) or give one with --browser PATH\n"
    )
    assert not (tmp_path / "scans").exists()


def test_scan_visits_the_extra_pages_of_the_origin(tmp_path: Path) -> None:
    with serve() as url:
        result = run_cookielint(
            "scan", url, "--out", "scans", "--page", url + "about", cwd=tmp_path
        )
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().splitlines() == [
        "wrote scans/before-consent.json", "wrote scans/before-consent.har",
    ]  # fmt: skip
    cookies = json.loads((tmp_path / "scans" / "before-consent.json").read_text())["cookies"]
    about = next(c for c in cookies if c["name"] == "about_seen")
    assert (about["path"], about["url"]) == ("/about", url + "about")


def test_scan_bounds_the_time_a_page_may_take(tmp_path: Path) -> None:
    import time

    with serve() as url:
        started = time.monotonic()
        result = run_cookielint(
            "scan", url + "polling", "--out", "scans", "--timeout", "1", cwd=tmp_path
        )
        elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    assert elapsed < 30  # the network never settles; the scan goes on after --timeout
    assert (tmp_path / "scans" / "before-consent.json").exists()
