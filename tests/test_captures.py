"""Every capture format read into the same observations; broken captures are a clear error, exit 2."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOT, run_cookielint

from cookielint.captures import CaptureError, read_capture, registrable_domain
from cookielint.captures.set_cookie import parse_set_cookie

CAPTURES = ROOT / "tests" / "captures"
# Captures without a time of their own count lifetimes from the file's modification time.
TAKEN = 1772355600  # 2026-03-01T09:00:00Z


@pytest.fixture
def capture(tmp_path: Path) -> Callable[[str], Path]:
    def capture(name: str) -> Path:
        path = tmp_path / name
        shutil.copy(CAPTURES / name, path)
        os.utime(path, (TAKEN, TAKEN))
        return path

    return capture


def _read(path: Path, marker: str | None = None) -> list[tuple[object, ...]]:
    found = read_capture(path, path.name, re.compile(marker) if marker else None)
    return [
        (
            o.name,
            o.storage,
            o.host,
            o.domain,
            o.path,
            o.lifetime,
            o.secure,
            o.http_only,
            o.same_site,
            o.url,
        )  # fmt: skip
        for o in found.observations
    ]


HOME = "https://www.shop.example/"
YEAR, SIX_MONTHS = 31536000.0, 15552000.0


def test_har_set_cookie_headers_with_expires_max_age_and_joined_lines(capture) -> None:
    assert _read(capture("visit.har")) == [
        ("sessionid", "cookie", "www.shop.example", None, "/", None, True, True, "lax", HOME),
        # Expires counts from the response's Date header.
        ("csrftoken", "cookie", "www.shop.example", None, "/", YEAR, True, False, None, HOME),
        ("lang", "cookie", "shop.example", "shop.example", "/", SIX_MONTHS, False, False, None, HOME),
        # "old=; Max-Age=0" deletes a cookie: not an observation.
        ("consent", "cookie", "www.shop.example", None, "/", SIX_MONTHS, False, False, None,
         HOME + "consent/accept"),
        # Sent with a request: only the name and where it went are known.
        ("sessionid", "cookie", "www.shop.example", None, None, None, None, None, None,
         HOME + "consent/accept"),
        ("_ga", "cookie", "www.shop.example", None, None, None, None, None, None,
         HOME + "consent/accept"),
        # From response.cookies, the entry's Date header being its reference.
        ("uid", "cookie", "tracker.example", "tracker.example", "/", YEAR, True, False, "none",
         "https://px.tracker.example/p.gif"),
    ]  # fmt: skip


def test_storage_state(capture) -> None:
    assert _read(capture("storage-state.json")) == [
        ("sessionid", "cookie", "www.shop.example", None, "/", None, True, True, "lax", None),
        ("_ga", "cookie", "shop.example", "shop.example", "/", 33868800.0, False, False, "lax", None),
        ("cart_items", "local_storage", "www.shop.example", None, None, None, None, None, None,
         "https://www.shop.example"),
    ]  # fmt: skip


def test_devtools_dumps_as_an_object_or_a_bare_list(capture) -> None:
    assert _read(capture("devtools-cookies.json")) == [
        ("sessionid", "cookie", "www.shop.example", None, "/", None, True, True, "lax", None),
        ("_fbp", "cookie", "shop.example", "shop.example", "/", 7948800.5, False, False, None, None),
    ]  # fmt: skip
    assert _read(capture("devtools-list.json")) == [
        ("NID", "cookie", "google.com", "google.com", "/", 15724800.0, True, True, "none", None),
    ]


def test_netscape_cookies_txt_with_httponly_prefix(capture) -> None:
    assert _read(capture("cookies.txt")) == [
        ("sessionid", "cookie", "www.shop.example", None, "/", None, True, True, None, None),
        ("_ga", "cookie", "shop.example", "shop.example", "/", 33868800.0, False, False, None, None),
        ("prefs", "cookie", "www.shop.example", None, "/account", 604800.0, True, False, None, None),
    ]  # fmt: skip


def test_scan_output_with_session_storage_and_first_seen(capture) -> None:
    found = read_capture(capture("scan.json"), "scan.json")
    assert (found.kind, found.phase, found.url) == ("scan", "after-accept", HOME)
    assert _read(capture("scan.json")) == [
        # expires counts from when it was first seen.
        ("_ga", "cookie", "shop.example", "shop.example", "/", 33868800.0, False, False, "lax", HOME),
        ("cart_items", "local_storage", "www.shop.example", None, None, None, None, None, None,
         "https://www.shop.example"),
        ("tab_id", "session_storage", "www.shop.example", None, None, None, None, None, None,
         "https://www.shop.example"),
    ]  # fmt: skip


BROKEN = [
    ("truncated.har", "truncated.har: not valid JSON (truncated?): parse error: premature EOF"),
    ("truncated.json", "truncated.json:4:30: not valid JSON (truncated?)"),
    ("har-1.1.har", "har-1.1.har: HAR version '1.1'; cookielint reads HAR 1.2 (export the HAR again from a current browser)"),
    ("seven-tabs.txt", "seven-tabs.txt:3: 13 tab-separated fields, expected 7 (domain, subdomains, path, secure, expiry, name, value; a value can't hold a tab)"),
    ("not-a-capture.txt", "not-a-capture.txt: not a capture cookielint reads (HAR 1.2, Playwright storageState, a DevTools cookie dump, Netscape cookies.txt, or cookielint scan output)"),
    ("other.json", "other.json: JSON, but not a capture cookielint reads (a HAR has log.entries, storageState and DevTools dumps a cookies list)"),
    ("bad-entry.har", "bad-entry.har: entry 1 is not an object"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "message"), BROKEN, ids=[n for n, _ in BROKEN])
def test_a_broken_capture_is_an_error_naming_the_file(name: str, message: str) -> None:
    with pytest.raises(CaptureError) as error:
        read_capture(CAPTURES / name, name)
    assert str(error.value) == message
    result = run_cookielint(
        "audit", "policies/shop.example.com.yaml", "--before-consent", f"tests/captures/{name}",
        cwd=ROOT,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stdout == b""
    assert result.stderr.decode() == f"cookielint: error: tests/captures/{message}\n"


def test_a_missing_capture_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text((ROOT / "policies" / "shop.example.com.yaml").read_text())
    result = run_cookielint("audit", "p.yaml", "--after-accept", "nothing.har", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.decode() == (
        "cookielint: error: nothing.har: cannot read the capture: No such file or directory\n"
    )


VISIT_POLICY = (CAPTURES / "visit-policy.yaml").read_text(encoding="utf-8")


def test_consent_marker_splits_one_har(tmp_path: Path) -> None:
    """Before the first request matching the marker: before consent; from its response on:
    after accepting. A cookie sent with the marker's request was set before the choice."""
    (tmp_path / "policy.yaml").write_text(VISIT_POLICY)
    shutil.copy(CAPTURES / "visit.har", tmp_path / "visit.har")
    result = run_cookielint(
        "audit", "policy.yaml", "--before-consent", "visit.har",
        "--consent-marker", r"/consent/accept$", cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stdout.decode() == (
        "policy.yaml:19:11: CL602 [error] cookie 'lang' requires consent, but was seen before "
        "consent (in visit.har, set by https://www.shop.example/)\n"
        "policy.yaml:33:11: CL602 [error] cookie '_ga' requires consent, but was seen before "
        "consent (in visit.har, sent to https://www.shop.example/consent/accept)\n"
        "Found 2 errors and 0 warnings in 1 file.\n"
    )
    # Without the marker, all of it is before consent: uid too.
    whole = run_cookielint(
        "audit", "policy.yaml", "--before-consent", "visit.har", "--select", "CL602",
        cwd=tmp_path,
    )  # fmt: skip
    assert [line.split(" cookie ")[1].split()[0] for line in whole.stdout.decode().splitlines()[:-1]] == [
        "'lang'", "'_ga'", "'uid'",
    ]  # fmt: skip


def test_a_consent_marker_that_matches_nothing_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "policy.yaml").write_text(VISIT_POLICY)
    shutil.copy(CAPTURES / "visit.har", tmp_path / "visit.har")
    result = run_cookielint(
        "audit", "policy.yaml", "--before-consent", "visit.har", "--consent-marker", "/accept-all",
        cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.decode() == (
        "cookielint: error: visit.har: no request URL matches the consent marker '/accept-all'\n"
    )


def test_set_cookie_parsing_follows_browsers() -> None:
    cookie = parse_set_cookie(" a = 1 ; max-age=-5 ; SECURE; samesite=bogus; Path=relative", None)
    assert cookie is not None
    assert (cookie.name, cookie.lifetime, cookie.secure, cookie.same_site, cookie.path) == (
        "a", -1.0, True, None, None,
    )  # fmt: skip
    assert parse_set_cookie("no-equals-sign", None) is None
    assert parse_set_cookie("=value", None) is None
    # Browsers cap every lifetime at 400 days (RFC 6265bis).
    assert parse_set_cookie("a=1; Max-Age=999999999999999999", None).lifetime == 400 * 86400


def test_registrable_domain_by_the_public_suffix_list() -> None:
    assert registrable_domain("www.shop.example.co.uk") == "example.co.uk"
    assert registrable_domain("user.github.io") == "user.github.io"
    assert registrable_domain("127.0.0.1") == "127.0.0.1"
    assert registrable_domain("localhost") == "localhost"


def test_capture_text_in_an_error_is_escaped(tmp_path: Path) -> None:
    (tmp_path / "policy.yaml").write_text(VISIT_POLICY)
    (tmp_path / "evil.txt").write_text(
        "# Netscape HTTP Cookie File\nwww.shop.example\tFALSE\t/\tTRUE\t\x1b[2J\u202e\tsid\tabc\n"
    )
    result = run_cookielint("audit", "policy.yaml", "--before-consent", "evil.txt", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.decode() == (
        "cookielint: error: evil.txt:2: the expiry '\\x1b[2J\\u202e' is not a number\n"
    )


def _both_paths(path: Path, marker: str | None = None) -> tuple[object, object, bool]:
    """The capture read by the fast path and by the streaming parser alone, and whether the
    fast path read it itself."""
    from cookielint.captures import Capture, har

    pattern = re.compile(marker) if marker else None
    fast = read_capture(path, path.name, pattern)
    reader = har._Reader(Capture(path.name, "har"), pattern)
    with path.open("rb") as stream:
        took = har._read_entries_fast(stream, reader)
    original = har._read_entries_fast
    har._read_entries_fast = lambda stream, reader: False
    try:
        slow = read_capture(path, path.name, pattern)
    finally:
        har._read_entries_fast = original
    return (fast.observations, fast.consent_at), (slow.observations, slow.consent_at), took


def _generated(tmp_path: Path, minified: bool) -> Path:
    import json
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    from har import generate

    path = tmp_path / "visit.har"
    generate(path, 1)
    if minified:  # as Playwright writes it
        path.write_text(json.dumps(json.loads(path.read_text()), separators=(",", ":")))
    return path


@pytest.mark.parametrize("minified", [False, True], ids=["pretty", "minified"])
def test_the_fast_path_reads_what_the_streaming_parser_reads(
    tmp_path: Path, minified: bool
) -> None:
    fast, slow, took = _both_paths(_generated(tmp_path, minified))
    assert took and fast == slow
    assert len(fast[0]) == 25
    fast, slow, took = _both_paths(CAPTURES / "visit.har", r"/consent/accept$")
    assert took and fast == slow


@pytest.mark.parametrize(
    "change",
    [
        # An entry that starts with a key HAR doesn't define: the guesses find no end.
        lambda text: text.replace('{\n        "startedDateTime": "2026-03-01T09:00:05', '{"x-custom": 1, "startedDateTime": "2026-03-01T09:00:05'),
        # A request of another type than HAR says.
        lambda text: text.replace('"request": {"method": "POST"', '"request": [1], "r": {"method": "POST"'),
        # "entries" first inside another object.
        lambda text: text.replace('"pages": [', '"_extra": {"entries": [{}]}, "pages": ['),
    ],
    ids=["unknown-first-key", "odd-type", "other-entries-key"],
)  # fmt: skip
def test_what_the_fast_path_leaves_the_streaming_parser_reads_the_same(
    tmp_path: Path, change: object
) -> None:
    path = tmp_path / "odd.har"
    text = change((CAPTURES / "visit.har").read_text())  # type: ignore[operator]
    assert text != (CAPTURES / "visit.har").read_text()
    path.write_text(text)
    fast, slow, _ = _both_paths(path)
    assert fast == slow and fast[0]


def test_entries_full_of_false_boundaries_go_to_the_streaming_parser(tmp_path: Path) -> None:
    """Each wrong guess decodes part of an entry again: the retries are bounded by the file's
    size, so that hostile input stays linear, and the parser reads what the guesses can't."""
    import json

    from cookielint.captures import Capture, har

    entry = {
        "startedDateTime": "2026-03-01T09:00:00Z",
        "request": {"url": "https://a.example/", "cookies": [{"name": "sid", "value": "1"}],
                    "x": [{"time": i} for i in range(500)]},
        "response": {"headers": [], "cookies": []},
    }  # fmt: skip
    path = tmp_path / "hostile.har"
    path.write_text(json.dumps({"log": {"version": "1.2", "entries": [entry] * 200}}))
    reader = har._Reader(Capture("hostile.har", "har"), None)
    with path.open("rb") as stream:
        assert har._read_entries_fast(stream, reader) is False
    assert [o.name for o in read_capture(path, "hostile.har").observations] == ["sid"]
