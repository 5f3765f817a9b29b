"""What the rules that rely on the knowledge base share: a declaration's known entry, and
which of its facts they may rely on.

One mistake, one finding: three rules can see the same wrong `consent: exempt`,
CL202 (a marketing or social declaration exempt from consent, self-contradictory
on its face), CL501 (a known tracker declared necessary or preferences, which is
why it was made exempt) and CL502 (a known advertising or social cookie exempt
from consent). CL502 is declared ``outranked_by`` the other two, so the pipeline
reports only theirs when they apply (and CL502 when they are turned off).
"""

from __future__ import annotations

from cookielint.knowledge import KnownCookie
from cookielint.policy import Cookie

ADVERTISING = ("marketing", "social")
NOT_TRACKING = ("necessary", "preferences")


def known(cookie: Cookie) -> KnownCookie | None:
    """The knowledge base's entry for a declaration: the one of its provider if several match."""
    return cookie.known[0] if cookie.known else None


def relies_on(entry: KnownCookie, fact: str) -> bool:
    """Whether a rule may rely on ``fact`` of ``entry``: not one marked unverified."""
    return fact not in entry.unverified
