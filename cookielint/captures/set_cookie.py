"""A ``Set-Cookie`` header as a browser reads it (RFC 6265bis, section 5.6).

Browsers never reject a header for a bad attribute: they ignore the
attribute. So does this parser; only a header with no name is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

# RFC 6265bis 5.6.1/5.6.2: a cookie lives at most 400 days, whatever it asks for.
MAX_LIFETIME = 400 * 86400


@dataclass(frozen=True)
class SetCookie:
    name: str
    lifetime: float | None
    """Seconds; None for a session cookie. 0 or less: the header deletes the cookie."""
    domain: str | None
    path: str | None
    secure: bool
    http_only: bool
    same_site: str | None


def parse_set_cookie(header: str, now: datetime | None) -> SetCookie | None:
    """The cookie a header sets, its Expires read against ``now`` (the response's date)."""
    pair, *attributes = header.split(";")
    name, equals, _ = pair.partition("=")
    name = name.strip(" \t")
    if not equals or not name:
        return None
    max_age: float | None = None
    expires: datetime | None = None
    domain = path = same_site = None
    secure = http_only = False
    for attribute in attributes:
        key, _, value = attribute.partition("=")
        key, value = key.strip(" \t").lower(), value.strip(" \t")
        if key == "max-age":
            if value[:1].isdigit() or (value[:1] == "-" and value[1:2].isdigit()):
                digits = value.lstrip("-")
                if digits.isdigit():
                    max_age = -1.0 if value.startswith("-") else float(min(int(digits), 10**12))
        elif key == "expires":
            expires = parse_date(value)
        elif key == "domain" and value:
            domain = value.lstrip(".").lower() or None
        elif key == "path":
            path = value if value.startswith("/") else None
        elif key == "secure":
            secure = True
        elif key == "httponly":
            http_only = True
        elif key == "samesite":
            same_site = value.lower() if value.lower() in ("strict", "lax", "none") else None
    lifetime: float | None = None
    if max_age is not None:  # Max-Age wins over Expires
        lifetime = max_age
    elif expires is not None:
        reference = now or datetime.now(timezone.utc)
        lifetime = (expires - reference).total_seconds()
    if lifetime is not None and lifetime > 0:
        lifetime = min(lifetime, MAX_LIFETIME)
    return SetCookie(name, lifetime, domain, path, secure, http_only, same_site)


def parse_date(text: str) -> datetime | None:
    """An HTTP date (``Wed, 21 Oct 2026 07:28:00 GMT``, and the older forms) in UTC."""
    try:
        parsed = parsedate_to_datetime(text.replace("-", " "))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed
