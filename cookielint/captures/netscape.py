"""Netscape ``cookies.txt``, as curl, wget and browser extensions write it.

Seven tab-separated fields a line: domain, include-subdomains flag, path,
secure, expiry (seconds since the epoch, 0 for a session cookie), name,
value. ``#HttpOnly_`` before the domain marks an HttpOnly cookie; other
lines starting with # are comments.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

from cookielint.captures import MAX_SMALL_CAPTURE, Capture, CaptureError, Observation
from cookielint.captures.set_cookie import MAX_LIFETIME

HTTP_ONLY = "#HttpOnly_"


def looks_like_netscape(head: bytes) -> bool:
    text = head.decode("utf-8", errors="replace")
    if "Netscape HTTP Cookie File" in text or "HTTP Cookie File" in text:
        return True
    lines = [line for line in text.splitlines() if line and not line.startswith("# ")]
    return bool(lines) and all(line.count("\t") >= 6 or line.startswith("#") for line in lines[:5])


def read(path: Path, display: str) -> Capture:
    try:
        if os.stat(path).st_size > MAX_SMALL_CAPTURE:
            raise CaptureError(f"{display}: too large for a cookies.txt file")
        text = path.read_bytes().decode("utf-8-sig")
        taken = datetime.fromtimestamp(os.stat(path).st_mtime, timezone.utc).timestamp()
    except UnicodeDecodeError:
        raise CaptureError(f"{display}: not UTF-8 text") from None
    except OSError as error:
        raise CaptureError(
            f"{display}: cannot read the capture: {error.strerror or error}"
        ) from None
    capture = Capture(display, "netscape")
    for number, line in enumerate(text.splitlines(), 1):
        http_only = line.startswith(HTTP_ONLY)
        if http_only:
            line = line[len(HTTP_ONLY) :]
        elif line.startswith("#") or not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) != 7:
            raise CaptureError(
                f"{display}:{number}: {len(fields)} tab-separated fields, expected 7 "
                "(domain, subdomains, path, secure, expiry, name, value; "
                "a value can't hold a tab)"
            )
        domain, subdomains, cookie_path, secure, expiry, name, _ = fields
        if subdomains not in ("TRUE", "FALSE") or secure not in ("TRUE", "FALSE"):
            raise CaptureError(f"{display}:{number}: the flags must be TRUE or FALSE")
        if not expiry.isdigit():
            raise CaptureError(f"{display}:{number}: the expiry '{expiry[:40]}' is not a number")
        if not name or not domain.strip("."):
            raise CaptureError(f"{display}:{number}: a cookie needs a domain and a name")
        seconds = int(expiry[:15])
        lifetime = None if seconds == 0 else min(seconds - taken, MAX_LIFETIME)
        capture.observations.append(
            Observation(
                name,
                "cookie",
                domain.lstrip(".").lower(),
                domain=domain.lstrip(".").lower() if subdomains == "TRUE" else None,
                path=cookie_path or None,
                lifetime=lifetime,
                secure=secure == "TRUE",
                http_only=http_only,
            )
        )
    return capture
