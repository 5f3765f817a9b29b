"""CL3xx: each cookie and provider is declared once."""

from __future__ import annotations

from collections.abc import Iterator

from cookielint.finding import Problem
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
    for cookies in groups.values():
        wildcards = [c for c in cookies if c.is_wildcard]
        if not wildcards:
            continue
        for exact in cookies:
            if exact.is_wildcard:
                continue
            for wildcard in wildcards:
                if wildcard.name and exact.name and matches(wildcard.name, exact.name):
                    later, earlier = sorted((wildcard, exact), key=lambda c: c.index, reverse=True)
                    yield Problem(
                        f"{wildcard.label} also matches {exact.label} "
                        f"(declared on line {{related_line}})",
                        later.at("name"),
                        related=earlier.at("name"),
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
