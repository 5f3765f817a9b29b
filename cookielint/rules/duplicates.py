"""CL3xx: each cookie and provider is declared once."""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Iterator

from cookielint.finding import FINDINGS_PER_RULE, Problem
from cookielint.names import matches
from cookielint.policy import Cookie, Policy
from cookielint.rules import ERROR, WARNING, example, policy_rule

_CART = """
- name: {name}
  provider: Example shop
  party: first
  category: necessary
  purposes: [{purpose}]
  consent: exempt
  duration: session
"""


def _carts(*names: str) -> str:
    purposes = ["To keep the visitor's shopping cart", "To keep the cart between pages"]
    return example(
        "".join(_CART.format(name=n, purpose=purposes[i % 2]) for i, n in enumerate(names))
    )


def _domain(cookie: Cookie, policy: Policy) -> str | None:
    # A missing Domain attribute means the host that set the cookie; a leading
    # dot is ignored by browsers (RFC 6265 §5.2.3).
    domain = cookie.domain if cookie.domain is not None else policy.site_host
    return domain.lstrip(".").lower() if domain is not None else None


@policy_rule(
    "CL301",
    "duplicate-cookie",
    ERROR,
    summary="Two declarations describe the same cookie",
    fail=_carts("cart", "cart"),
    ok=_carts("cart", "cart_hash"),
    hint="Merge the two declarations into one.",
)
def duplicate_cookie(policy: Policy) -> Iterator[Problem]:
    """A browser keeps one cookie per name, domain and path (RFC 6265 §5.3
    step 11), so two declarations of the same one disagree or repeat each
    other, and a consent tool built from the policy may apply either."""
    first: dict[tuple[str, str, str | None, str], Cookie] = {}
    for cookie in policy.cookies:
        if cookie.name is None or cookie.storage is None:
            continue
        key = (cookie.storage, cookie.name, _domain(cookie, policy), cookie.path or "/")
        earlier = first.setdefault(key, cookie)
        if earlier is not cookie:
            yield Problem(
                f"{cookie.label} is declared twice (first on line {{related_line}})",
                cookie.at("name"),
                related=earlier.at("name"),
            )


@policy_rule(
    "CL302",
    "overlapping-wildcard",
    WARNING,
    summary="A wildcard name also matches a cookie declared by its exact name",
    fail=_carts("cart_*", "cart_hash"),
    ok=_carts("cart_*", "basket"),
    hint="Narrow the wildcard, or remove the exact declaration it already covers.",
)
def overlapping_wildcard(policy: Policy) -> Iterator[Problem]:
    """A cookie matched by both a wildcard and an exact declaration has two
    descriptions, which may disagree on category, consent or lifetime; a
    consent tool may apply either."""
    groups: dict[tuple[str, str | None], list[Cookie]] = {}
    for cookie in policy.cookies:
        if cookie.name is not None and cookie.storage is not None:
            groups.setdefault((cookie.storage, _domain(cookie, policy)), []).append(cookie)
    budget = COMPARISONS
    # Only the first overlaps (in declaration order) become problems; the rest are counted.
    shown: list[tuple[int, int, Cookie, Cookie]] = []  # a max-heap on the negated order
    overlaps = 0
    for cookies in groups.values():
        wildcards = [c for c in cookies if c.is_wildcard]
        if not wildcards:
            continue
        # Exact names in order, so that a wildcard is compared only with the names
        # that start with its text before the first *.
        exacts = sorted((c for c in cookies if not c.is_wildcard), key=lambda c: c.name or "")
        names = [c.name or "" for c in exacts]
        for wildcard in wildcards:
            name = wildcard.name or ""
            prefix = name.split("*", 1)[0]
            start = bisect.bisect_left(names, prefix)
            end = bisect.bisect_left(names, prefix + "\U0010ffff")
            # A comparison costs a step per piece between the stars.
            budget -= (end - start) * (name.count("*") + 1)
            if budget < 0:
                break
            for exact in exacts[start:end]:
                if matches(name, exact.name or ""):
                    overlaps += 1
                    entry = (-exact.index, -wildcard.index, wildcard, exact)
                    if len(shown) < FINDINGS_PER_RULE - 1:
                        heapq.heappush(shown, entry)
                    elif entry[:2] > shown[0][:2]:
                        heapq.heapreplace(shown, entry)
        if budget < 0:
            yield _stopped(policy, len(wildcards), len(names))
            break
    # With the one saying how many more (and the one saying the check stopped), no more
    # than a file's share of findings per rule.
    room = FINDINGS_PER_RULE - 1 - (budget < 0)
    ordered = sorted(shown, key=lambda e: (-e[0], -e[1]))[:room]
    for _, _, wildcard, exact in ordered:
        later, earlier = sorted((wildcard, exact), key=lambda c: c.index, reverse=True)
        yield Problem(
            f"{wildcard.label} also matches {exact.label} (declared on line {{related_line}})",
            later.at("name"),
            related=earlier.at("name"),
        )
    if overlaps > len(ordered):
        yield Problem(
            f"{overlaps - len(ordered):,} more wildcard names also match cookies declared by "
            "exact name; not each is reported",
            "/cookies",
        )


# Steps comparing wildcards with exact names, per policy (a step per piece of a
# wildcard): far more than a real policy needs (250 two-piece wildcards each
# against 1,000 names), yet a hostile policy of thousands of both is checked in
# a bounded time.
COMPARISONS = 500_000


def _stopped(policy: Policy, wildcards: int, names: int) -> Problem:
    return Problem(
        f"{wildcards:,} wildcards and {names:,} exact names are too many to compare each "
        "with each; overlaps were not all checked",
        "/cookies",
    )


@policy_rule(
    "CL303",
    "duplicate-provider",
    ERROR,
    summary="Two providers entries have the same name",
    fail=example("[]", providers="- name: Google\n- name: Google"),
    ok=example("[]", providers="- name: Google\n- name: Meta"),
    hint="Merge the two provider entries into one.",
)
def duplicate_provider(policy: Policy) -> Iterator[Problem]:
    """Cookies refer to providers by name; two entries with one name make it
    unclear which address, privacy policy and country a cookie's provider
    has."""
    seen: dict[str, str] = {}
    for provider in policy.providers or ():
        if provider.name is None:
            continue
        earlier = seen.setdefault(provider.name, provider.pointer)
        if earlier != provider.pointer:
            yield Problem(
                f"provider '{provider.name}' is listed twice (first on line {{related_line}})",
                provider.pointer + "/name",
                related=earlier + "/name",
            )
