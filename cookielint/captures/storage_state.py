"""Cookie lists in JSON: Playwright's ``storageState``, a DevTools Protocol dump
(``Network.getAllCookies`` / ``Storage.getCookies``: ``{"cookies": [...]}`` or the bare list),
and ``cookielint scan`` output, which adds sessionStorage and where each item was first seen.

Their ``expires`` is seconds since the epoch (-1 for a session cookie); a
lifetime is counted from the time the capture was taken: the scan's own
``time``, else the file's modification time.
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cookielint.captures import MAX_SMALL_CAPTURE, Capture, CaptureError, Observation
from cookielint.captures.har import parse_iso
from cookielint.captures.set_cookie import MAX_LIFETIME

SCAN_FORMAT = "cookielint-scan"


def read(path: Path, display: str) -> Capture:
    try:
        size = os.stat(path).st_size
        if size > MAX_SMALL_CAPTURE:
            raise CaptureError(
                f"{display}: {size} bytes is too large for a cookie list "
                f"(at most {MAX_SMALL_CAPTURE}); only a HAR may be larger"
            )
        with path.open("rb") as stream:
            data = json.loads(stream.read().decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise CaptureError(f"{display}: not UTF-8 text") from None
    except json.JSONDecodeError as error:
        problem = "truncated?" if error.pos >= len(error.doc.rstrip()) else error.msg
        raise CaptureError(
            f"{display}:{error.lineno}:{error.colno}: not valid JSON ({problem})"
        ) from None
    except RecursionError:
        raise CaptureError(f"{display}: JSON nested too deeply") from None
    except OSError as error:
        raise CaptureError(
            f"{display}: cannot read the capture: {error.strerror or error}"
        ) from None
    taken = datetime.fromtimestamp(os.stat(path).st_mtime, timezone.utc)
    if isinstance(data, list):
        return _read_cookies(Capture(display, "cdp"), data, taken)
    if not isinstance(data, dict) or not (
        isinstance(data.get("cookies"), list) or isinstance(data.get("origins"), list)
    ):
        raise CaptureError(
            f"{display}: JSON, but not a capture cookielint reads (a HAR has log.entries, "
            "storageState and DevTools dumps a cookies list)"
        )
    if data.get("format") == SCAN_FORMAT:
        kind = "scan"
        taken = parse_iso(data.get("time")) or taken
    elif "origins" in data:
        kind = "storage-state"
    else:
        kind = "cdp"
    capture = _read_cookies(Capture(display, kind), data.get("cookies") or [], taken)
    _read_origins(capture, data.get("origins") or [])
    if kind == "scan":
        phase, url = data.get("phase"), data.get("url")
        capture.phase = (
            phase if phase in ("before-consent", "after-accept", "after-reject") else None
        )
        capture.url = url if isinstance(url, str) else None
    return capture


def _read_cookies(capture: Capture, cookies: list[Any], taken: datetime) -> Capture:
    display = capture.display
    for number, cookie in enumerate(cookies, 1):
        if not isinstance(cookie, dict) or not isinstance(cookie.get("name"), str):
            raise CaptureError(f"{display}: cookie {number} is not an object with a name")
        domain = cookie.get("domain")
        if not isinstance(domain, str) or not domain.strip("."):
            raise CaptureError(f"{display}: cookie {number} ({cookie['name']}) has no domain")
        expires = cookie.get("expires")
        lifetime: float | None = None
        if cookie.get("session") is not True and isinstance(expires, (int, float)) and expires >= 0:
            seen = parse_iso(cookie.get("seen")) or taken
            lifetime = min(float(expires) - seen.timestamp(), MAX_LIFETIME)
        same_site = cookie.get("sameSite")
        capture.observations.append(
            Observation(
                cookie["name"],
                "cookie",
                domain.lstrip(".").lower(),
                # A leading dot is how these formats say the cookie has a Domain attribute.
                domain=domain.lstrip(".").lower() if domain.startswith(".") else None,
                path=cookie.get("path") if isinstance(cookie.get("path"), str) else None,
                lifetime=lifetime,
                secure=_bool(cookie.get("secure")),
                http_only=_bool(cookie.get("httpOnly")),
                same_site=same_site.lower()
                if isinstance(same_site, str) and same_site.lower() in ("strict", "lax", "none")
                else None,
                url=cookie.get("url") if isinstance(cookie.get("url"), str) else None,
                time=cookie.get("seen") if isinstance(cookie.get("seen"), str) else None,
            )
        )
    return capture


def _read_origins(capture: Capture, origins: list[Any]) -> None:
    for number, origin in enumerate(origins, 1):
        if not isinstance(origin, dict) or not isinstance(origin.get("origin"), str):
            raise CaptureError(
                f"{capture.display}: origin {number} is not an object with an origin"
            )
        try:
            host = urlsplit(origin["origin"]).hostname or ""
        except ValueError:
            host = ""
        for key, storage in (
            ("localStorage", "local_storage"),
            ("sessionStorage", "session_storage"),
        ):
            items = origin.get(key) or []
            if not isinstance(items, list):
                raise CaptureError(f"{capture.display}: origin {number}: {key} is not a list")
            for item in items:
                if isinstance(item, dict) and isinstance(item.get("name"), str):
                    capture.observations.append(
                        Observation(item["name"], storage, host, url=origin["origin"])
                    )


def _bool(value: object) -> bool | None:
    return value if isinstance(value, bool) else None
