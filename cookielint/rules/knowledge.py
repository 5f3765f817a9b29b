"""CL5xx: declarations that contradict what the provider documents about a well-known cookie.

The most common consent mistake is not a typo: it is a known tracker filed under
the wrong category, so that it is set without consent. The declaration is
consistent in itself; only knowledge of the provider's cookies can see it.
"""

from __future__ import annotations

from collections.abc import Iterator

from cookielint.duration import BROWSER_CAP_DAYS, describe_days
from cookielint.finding import Problem
from cookielint.knowledge import TRACKING, KnownCookie, provider_matches
from cookielint.policy import Cookie, Policy
from cookielint.rules import ERROR, WARNING, cookie_rule, example
from cookielint.rules.precedence import ADVERTISING, NOT_TRACKING, known, relies_on


def _says(entry: KnownCookie) -> str:
    return f"{entry.provider} documents {entry.name} as {entry.category} ({entry.source})"


def _ga(
    category: str = "statistics", consent: str = "required", provider: str = "Google", **more: str
) -> str:
    fields = {
        "provider": provider,
        "party": "first",
        "category": category,
        "purposes": "[To tell visitors apart in audience statistics]",
        "consent": consent,
        "duration": "13 months",
        **more,
    }
    return example("- name: _ga\n" + "".join(f"  {k}: {v}\n" for k, v in fields.items()))


@cookie_rule(
    "CL501",
    "known-tracker-miscategorized",
    ERROR,
    summary="A well-known tracker is declared necessary or preferences",
    fail=_ga(category="necessary", consent="exempt"),
    ok=_ga(),
    hint="Declare the category the provider documents, with `consent: required`.",
)
def known_tracker_miscategorized(cookie: Cookie, policy: Policy) -> Iterator[Problem]:
    """A cookie its provider documents as audience measurement, advertising or
    social tracking is not strictly necessary and is no mere preference:
    declared as such, it is set without the consent it needs (ePrivacy
    Directive art. 5(3); WP29 Opinion 04/2012). Facts from the provider's own
    documentation, linked in each finding (a category the knowledge base marks
    unverified is not relied on). Reported once: the exemption that follows
    from the wrong category is not also CL502."""
    entry = known(cookie)
    if (
        entry is not None
        and relies_on(entry, "category")
        and cookie.category in NOT_TRACKING
        and entry.category in TRACKING
    ):
        yield Problem(
            f"{cookie.label} is declared {cookie.category}, but {_says(entry)}",
            cookie.at("category"),
        )


@cookie_rule(
    "CL502",
    "known-tracker-exempt",
    ERROR,
    summary="A well-known advertising or social cookie is exempt from consent",
    fail=_ga(category="statistics", consent="exempt", anonymized="true")
    .replace("_ga", "_fbp")
    .replace("Google", "Meta"),
    ok=_ga(category="marketing").replace("_ga", "_fbp").replace("Google", "Meta"),
    hint="Set `consent: required`: the provider's advertising and social cookies always need it.",
    outranked_by=("CL202", "CL501"),
)
def known_tracker_exempt(cookie: Cookie, policy: Policy) -> Iterator[Problem]:
    """Advertising and social-network tracking cookies are never exempt from
    consent, whatever category a policy gives them (WP29 Opinion 04/2012:
    "third party advertising cookies cannot be exempted from consent").
    Reported once: a declaration that says marketing or social and exempt is
    CL202, one that says necessary or preferences is CL501."""
    entry = known(cookie)
    if (
        entry is not None
        and relies_on(entry, "category")
        and cookie.consent == "exempt"
        and entry.category in ADVERTISING
    ):
        yield Problem(
            f"{cookie.label} is exempt from consent, but {_says(entry)}", cookie.at("consent")
        )


@cookie_rule(
    "CL503",
    "lifetime-understated",
    WARNING,
    summary="A well-known cookie is declared to live far shorter than its provider documents",
    fail=_ga(duration="1 month"),
    ok=_ga(),
    hint="Declare the lifetime the cookie really has, or configure the tracker to match the policy.",
)
def lifetime_understated(cookie: Cookie, policy: Policy) -> Iterator[Problem]:
    """A lifetime shorter than the provider's documented default by more than
    half tells visitors less than the truth, unless the site configured the
    tracker to match (then say so in `description` and suppress this). The
    comparison allows for the 400-day browser cap (RFC 6265bis). A lifetime the
    knowledge base marks unverified is not relied on."""
    if cookie.duration is None:
        return
    entry = known(cookie)
    if entry is None or entry.lifetime is None or entry.lifetime.days is None:
        return
    if not relies_on(entry, "lifetime"):
        return
    documented = entry.lifetime.days
    if entry.storage == "cookie":
        documented = min(documented, BROWSER_CAP_DAYS)
    declared = cookie.duration.days
    if declared is None:  # a session cookie, for a provider's persistent one
        if documented >= 1:
            yield Problem(
                f"{cookie.label} is declared a session cookie, but {entry.provider} documents "
                f"{entry.name} as living {entry.lifetime.text} ({entry.source})",
                cookie.at("duration"),
            )
    elif declared * 2 < documented:
        yield Problem(
            f"{cookie.label} is declared to live {cookie.duration.text}, but {entry.provider} "
            f"documents {entry.name} as living {entry.lifetime.text} ({describe_days(documented)}; {entry.source})",
            cookie.at("duration"),
        )


@cookie_rule(
    "CL504",
    "provider-mismatch",
    WARNING,
    summary="A well-known cookie is declared with another provider than the one that sets it",
    fail=_ga(provider="Matomo"),
    ok=_ga(provider="Google Analytics"),
    hint="Name the provider that sets the cookie (its privacy policy is the one visitors need).",
)
def provider_mismatch(cookie: Cookie, policy: Policy) -> Iterator[Problem]:
    """Visitors must be told who receives their data (GDPR art. 13(1)(e));
    a well-known cookie attributed to another provider points them at the
    wrong privacy policy. A declaration may name the organisation ("Google
    Ireland Limited"), the product ("Google (DoubleClick)"), an alias or a
    former name ("Twitter"); legal suffixes, punctuation and case don't count,
    and names are compared as whole words, never as bare prefixes. Software
    the site runs itself (Django, WordPress) may be declared under the site's
    own name, but not under another known provider's."""
    entry = known(cookie)
    if entry is None or cookie.provider is None or policy.knowledge is None:
        return
    if not relies_on(entry, "provider"):
        return
    if not provider_matches(cookie.provider, entry, policy.knowledge):  # the best match first
        yield Problem(
            f"{cookie.label} names provider '{cookie.provider}', but {entry.name} is "
            f"{entry.provider}'s {entry.category} cookie ({entry.source})",
            cookie.at("provider"),
        )
