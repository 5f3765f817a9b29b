"""The ``scan`` command: what a real browser stores on a visit, before and after the consent choice.

For each phase a fresh browser context (no cookies, no storage) loads the
URL and any extra pages, waits for the network to settle, clicks the consent
button of the phase, and waits again. It writes ``DIR/<phase>.json`` (cookies
with the URL and time each was first seen, localStorage and sessionStorage
per origin; values are left out, they may be personal data) and
``DIR/<phase>.har``. Playwright is imported only here, so that the rest of
cookielint does without it.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlsplit

from cookielint.captures.storage_state import SCAN_FORMAT
from cookielint.escape import visible

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
INSTALL = (
    "install Chromium (Debian/Ubuntu: apt-get install chromium; Fedora: dnf install chromium; "
    "macOS: brew install --cask chromium) or give one with --browser PATH"
)


class ScanError(Exception):
    """The scan can't be done: no browser, no Playwright, a page that won't load (exit 2)."""


@dataclass
class ScanSettings:
    url: str
    out: Path
    accept: str | None = None
    reject: str | None = None
    pages: list[str] = field(default_factory=list)
    browser: str | None = None
    timeout: float = 30.0
    """Seconds per page: loading, settling, and the click."""
    other_origins: bool = False
    ignore_https_errors: bool = False
    browser_args: list[str] = field(default_factory=list)


def find_browser(given: str | None) -> str | None:
    """The browser to drive: the one given, else one on PATH, else None (Playwright's own)."""
    if given is not None:
        if not os.access(given, os.X_OK) or not Path(given).is_file():
            raise ScanError(f"--browser {given}: not an executable file")
        return given
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


def phases(settings: ScanSettings) -> list[tuple[str, str | None]]:
    result: list[tuple[str, str | None]] = [("before-consent", None)]
    if settings.accept:
        result.append(("after-accept", settings.accept))
    if settings.reject:
        result.append(("after-reject", settings.reject))
    return result


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def check_urls(settings: ScanSettings) -> None:
    for url in [settings.url, *settings.pages]:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ScanError(f"{url}: not an http or https URL")
    if not settings.other_origins:
        home = _origin(settings.url)
        for page in settings.pages:
            if _origin(page) != home:
                raise ScanError(
                    f"--page {page}: another origin than {home}; add --other-origins to scan it"
                )


def run(settings: ScanSettings, progress: TextIO | None) -> list[Path]:
    """Scan every phase; the files written."""
    check_urls(settings)
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise ScanError(
            "scan needs Playwright, cookielint's scan extra: pip install playwright (it drives "
            "the system's Chromium; no browser download is needed)"
        ) from None
    executable = find_browser(settings.browser)
    written: list[Path] = []
    try:
        with sync_playwright() as playwright:
            try:
                browser = playwright.chromium.launch(
                    executable_path=executable, args=settings.browser_args
                )
            except PlaywrightError as error:
                what = executable or "Playwright's own Chromium"
                raise ScanError(f"cannot start {what}: {_first_line(error)}; {INSTALL}") from None
            try:
                try:  # only once there is a browser: a failed start leaves nothing behind
                    settings.out.mkdir(parents=True, exist_ok=True)
                except OSError as error:
                    raise ScanError(
                        f"{settings.out}: cannot create the directory: {error.strerror}"
                    ) from None
                for phase, selector in phases(settings):
                    written += _scan_phase(browser, settings, phase, selector, progress)
            finally:
                browser.close()
    except PlaywrightError as error:
        raise ScanError(f"the browser failed: {_first_line(error)}") from None
    return written


def _first_line(error: Exception) -> str:
    return visible(
        str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    )


class _FirstSeen:
    """When and where each cookie first appeared: the response whose Set-Cookie header set it,
    else the page it appeared on (a script set it)."""

    def __init__(self) -> None:
        self.pages: dict[tuple[str, str], tuple[str, str]] = {}
        self.set_by: dict[tuple[str, str], tuple[str, str]] = {}

    def response(self, response: Any) -> None:
        try:
            headers = response.headers_array()
            host = urlsplit(response.url).hostname or ""
        except Exception:  # a response the browser dropped: nothing to learn from it
            return
        now = _now()
        for header in headers:
            if header["name"].lower() == "set-cookie":
                for line in header["value"].split("\n"):
                    name = line.split("=", 1)[0].strip()
                    if name:
                        self.set_by.setdefault((name, host), (response.url, now))

    def update(self, cookies: list[dict[str, Any]], page_url: str) -> None:
        now = _now()
        for cookie in cookies:
            self.pages.setdefault((cookie["name"], cookie["domain"]), (page_url, now))

    def first(self, cookie: dict[str, Any]) -> tuple[str | None, str | None]:
        """Where and when: events may arrive after the cookie is already in the jar, so the
        response that set it is looked for last."""
        name, domain = cookie["name"], cookie["domain"].lstrip(".")
        for (set_name, host), found in self.set_by.items():
            if set_name == name and (host == domain or host.endswith("." + domain)):
                return found
        return self.pages.get((cookie["name"], cookie["domain"]), (None, None))


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _scan_phase(
    browser: Any, settings: ScanSettings, phase: str, selector: str | None, progress: TextIO | None
) -> list[Path]:
    har = settings.out / f"{phase}.har"
    context = browser.new_context(
        record_har_path=str(har), ignore_https_errors=settings.ignore_https_errors
    )
    context.set_default_timeout(settings.timeout * 1000)
    seen = _FirstSeen()
    storage: dict[str, dict[str, set[str]]] = {}
    try:
        page = context.new_page()
        page.on("response", seen.response)
        for url in [settings.url, *settings.pages]:
            _load(page, url, settings)
            seen.update(context.cookies(), page.url)
            if selector is not None and url == settings.url:
                _click(page, selector, settings)
                seen.update(context.cookies(), page.url)
            _storage(page, storage)
            _say(progress, phase, url, len(seen.pages), storage)
        cookies = context.cookies()
        seen.update(cookies, page.url)
    finally:
        context.close()  # writes the HAR
    state = {
        "format": SCAN_FORMAT,
        "version": 1,
        "url": settings.url,
        "phase": phase,
        "time": _now(),
        "cookies": [
            _cookie(c, seen) for c in sorted(cookies, key=lambda c: (c["domain"], c["name"]))
        ],
        "origins": [
            {
                "origin": origin,
                "localStorage": [{"name": n} for n in sorted(kinds["localStorage"])],
                "sessionStorage": [{"name": n} for n in sorted(kinds["sessionStorage"])],
            }
            for origin, kinds in sorted(storage.items())
        ],
    }
    path = settings.out / f"{phase}.json"
    path.write_text(json.dumps(state, indent=2) + "\n", encoding="utf-8")
    return [path, har]


def _cookie(cookie: dict[str, Any], seen: _FirstSeen) -> dict[str, Any]:
    url, when = seen.first(cookie)
    kept = {k: v for k, v in cookie.items() if k != "value" and not k.startswith("_")}
    return kept | {"url": url, "seen": when}


def _load(page: Any, url: str, settings: ScanSettings) -> None:
    from playwright.sync_api import Error as PlaywrightError

    try:
        page.goto(url, wait_until="load", timeout=settings.timeout * 1000)
    except PlaywrightError as error:
        raise ScanError(f"{url}: the page did not load: {_first_line(error)}") from None
    _settle(page, settings)


def _settle(page: Any, settings: ScanSettings) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    # A page that polls forever never settles; what it did until then is kept.
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_load_state("networkidle", timeout=settings.timeout * 1000)


def _click(page: Any, selector: str, settings: ScanSettings) -> None:
    from playwright.sync_api import Error as PlaywrightError

    try:
        page.click(selector, timeout=settings.timeout * 1000)
    except PlaywrightError as error:
        raise ScanError(
            f"{page.url}: cannot click the consent button '{selector}': {_first_line(error)}"
        ) from None
    _settle(page, settings)


_STORAGE = """() => {
  const keys = (s) => { try { return Object.keys(s); } catch (e) { return []; } };
  return {localStorage: keys(window.localStorage), sessionStorage: keys(window.sessionStorage)};
}"""


def _storage(page: Any, storage: dict[str, dict[str, set[str]]]) -> None:
    for frame in page.frames:
        try:
            keys = frame.evaluate(_STORAGE)
            origin = frame.evaluate("() => window.location.origin")
        except Exception:  # a frame that went away or forbids scripts
            continue
        if not isinstance(origin, str) or origin == "null":
            continue
        kinds = storage.setdefault(origin, {"localStorage": set(), "sessionStorage": set()})
        for kind in kinds:
            kinds[kind] |= {k for k in keys.get(kind, []) if isinstance(k, str)}


def _say(
    progress: TextIO | None,
    phase: str,
    url: str,
    cookies: int,
    storage: dict[str, dict[str, set[str]]],
) -> None:
    if progress is None:
        return
    keys = sum(len(names) for kinds in storage.values() for names in kinds.values())
    progress.write(f"{phase}: {visible(url)}: {cookies} cookies, {keys} storage keys\n")
    progress.flush()


def show_progress(stream: TextIO) -> bool:
    """Progress on a terminal, never in CI logs."""
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and not os.environ.get("CI")
