"""One mistake, one finding: which rule reports a declaration's consent mistake.

Three rules can see the same wrong `consent: exempt`: CL202 (a marketing or
social declaration exempt from consent, self-contradictory on its face), CL501
(a known tracker declared necessary or preferences, which is why it was made
exempt) and CL502 (a known advertising or social cookie exempt from consent).
The first that applies, in that order, reports it; the others stay silent, so
a reviewer fixes one mistake once. Every rule that can see one of these
mistakes asks ``consent_mistake`` before reporting.
"""

from __future__ import annotations

from cookielint.knowledge import TRACKING, KnownCookie
from cookielint.policy import Cookie

ADVERTISING = ("marketing", "social")
NOT_TRACKING = ("necessary", "preferences")


def known(cookie: Cookie) -> KnownCookie | None:
    """The knowledge base's entry for a declaration: the one of its provider if several match."""
    return cookie.known[0] if cookie.known else None


def relies_on(entry: KnownCookie, fact: str) -> bool:
    """Whether a rule may rely on ``fact`` of ``entry``: not one marked unverified."""
    return fact not in entry.unverified


def consent_mistake(cookie: Cookie) -> str | None:
    """The code of the one rule that reports ``cookie``'s consent mistake, or None."""
    if cookie.category in ADVERTISING and cookie.consent == "exempt":
        return "CL202"
    entry = known(cookie)
    if entry is None or not relies_on(entry, "category"):
        return None
    if cookie.category in NOT_TRACKING and entry.category in TRACKING:
        return "CL501"
    if cookie.consent == "exempt" and entry.category in ADVERTISING:
        return "CL502"
    return None
