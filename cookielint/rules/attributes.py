"""CL4xx: cookie names and attributes as browsers treat them (RFC 6265 and RFC 6265bis)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from cookielint.duration import BROWSER_CAP_DAYS, in_days
from cookielint.finding import Problem
from cookielint.policy import Cookie, Policy
from cookielint.rules import ERROR, WARNING, cookie_rule, example


def _session(name: str, *attributes: str) -> str:
    lines = [
        f"- name: {name}",
        "  provider: Example shop",
        "  party: first",
        "  category: necessary",
        "  purposes: [To keep the visitor logged in]",
        "  consent: exempt",
        "  duration: 2 weeks",
        *(f"  {a}" for a in attributes),
    ]
    return example("\n".join(lines))


def _is_cookie(cookie: Cookie) -> bool:
    return cookie.storage == "cookie" and cookie.name is not None


def _secure_or_name(cookie: Cookie) -> tuple[str, bool]:
    """Where to report a missing Secure: the `secure` key if written, else the name."""
    if "secure" in cookie.declared:
        return cookie.at("secure"), True
    return cookie.at("name"), False


@cookie_rule(
    "CL401",
    "host-prefix",
    ERROR,
    summary="A `__Host-` cookie lacks Secure, sets a Domain, or a Path other than /",
    fail=_session("__Host-session", "secure: true", "domain: shop.example.com"),
    ok=_session("__Host-session", "secure: true", "path: /"),
    hint="A __Host- cookie needs `secure: true`, `path: /` (or none) and no `domain`.",
)
def host_prefix(cookie: Cookie, policy: Policy) -> Iterator[Problem]:
    """Browsers reject a cookie named __Host-... unless it is Secure, has
    Path=/ and no Domain attribute (RFC 6265bis §4.1.3.2), so a declaration
    that says otherwise describes a cookie that is never stored."""
    if not _is_cookie(cookie) or not (cookie.name or "").lower().startswith("__host-"):
        return
    if cookie.secure is not True:
        pointer, key = _secure_or_name(cookie)
        yield Problem(
            f"{cookie.label} has the __Host- prefix but is not secure: true", pointer, key
        )
    if cookie.domain is not None:
        yield Problem(
            f"{cookie.label} has the __Host- prefix but declares a domain",
            cookie.at("domain"),
            True,
        )
    if cookie.path is not None and cookie.path != "/":
        yield Problem(
            f"{cookie.label} has the __Host- prefix but a path other than /",
            cookie.at("path"),
            True,
        )


@cookie_rule(
    "CL402",
    "secure-prefix",
    ERROR,
    summary="A `__Secure-` cookie is not declared secure",
    fail=_session("__Secure-session"),
    ok=_session("__Secure-session", "secure: true"),
    hint="Add `secure: true`.",
)
def secure_prefix(cookie: Cookie, policy: Policy) -> Iterator[Problem]:
    """Browsers reject a cookie named __Secure-... unless it has the Secure
    attribute (RFC 6265bis §4.1.3.1)."""
    prefixed = _is_cookie(cookie) and (cookie.name or "").lower().startswith("__secure-")
    if prefixed and cookie.secure is not True:
        pointer, key = _secure_or_name(cookie)
        yield Problem(
            f"{cookie.label} has the __Secure- prefix but is not secure: true", pointer, key
        )


@cookie_rule(
    "CL403",
    "samesite-none-insecure",
    ERROR,
    summary="A cookie has SameSite=None without Secure",
    fail=_session("session", "same_site: none"),
    ok=_session("session", "same_site: none", "secure: true"),
    hint="Add `secure: true`, or use `same_site: lax`.",
)
def samesite_none_insecure(cookie: Cookie, policy: Policy) -> Iterator[Problem]:
    """Browsers reject a cookie with SameSite=None that is not Secure
    (RFC 6265bis §5.6.7; Chrome since M80)."""
    if _is_cookie(cookie) and cookie.same_site == "none" and cookie.secure is not True:
        yield Problem(
            f"{cookie.label} has same_site: none but is not secure: true", cookie.at("same_site")
        )


@cookie_rule(
    "CL404",
    "lifetime-over-browser-cap",
    WARNING,
    summary="A cookie's declared lifetime is over the 400 days browsers allow",
    fail=_session("remember_me").replace("2 weeks", "2 years"),
    ok=_session("remember_me").replace("2 weeks", "13 months"),
    hint="Declare the lifetime browsers really give it (400 days at most).",
)
def lifetime_over_browser_cap(cookie: Cookie, policy: Policy) -> Iterator[Problem]:
    """Browsers cap a cookie's lifetime at 400 days (RFC 6265bis §5.6.1 and
    §5.6.2; Chrome since M104), so a longer declared lifetime misstates how
    long the cookie really lives."""
    duration = cookie.duration
    days = duration.days if duration else None
    if _is_cookie(cookie) and duration is not None and days is not None and days > BROWSER_CAP_DAYS:
        yield Problem(
            f"{cookie.label} declares {in_days(duration, BROWSER_CAP_DAYS)}, "
            f"but browsers keep cookies at most {BROWSER_CAP_DAYS} days",
            cookie.at("duration"),
        )


# RFC 6265 §4.1.1: a cookie-name is an RFC 2616 token.
_TOKEN = re.compile(r"[A-Za-z0-9!#$%&'*+\-.^_`|~]+")


@cookie_rule(
    "CL405",
    "invalid-cookie-name",
    ERROR,
    summary="A cookie name has characters outside the RFC 6265 token set, or only wildcards",
    fail=_session('"session id"'),
    ok=_session("session_id"),
    hint="Use letters, digits and ! # $ % & ' * + - . ^ _ ` | ~ only; * is a wildcard.",
    left_to_rule=((("cookies", "*", "name"), "pattern"),),
)
def invalid_cookie_name(cookie: Cookie, policy: Policy) -> Iterator[Problem]:
    """A cookie name is an RFC 6265 token (§4.1.1): no spaces, quotes,
    separators or control characters. A name of wildcards only matches every
    cookie, which declares nothing."""
    name = cookie.name
    if name is None:
        return
    if not name:
        yield Problem(f"{cookie.label} has an empty name", cookie.at("name"))
    elif not _TOKEN.fullmatch(name):
        bad = sorted({c for c in name if not _TOKEN.fullmatch(c)})
        shown = ", ".join(repr(c) for c in bad)
        yield Problem(
            f"{cookie.label} has characters not allowed in a name: {shown}", cookie.at("name")
        )
    elif not name.strip("*"):
        yield Problem(
            f"{cookie.label} is only wildcards, which matches every cookie", cookie.at("name")
        )
