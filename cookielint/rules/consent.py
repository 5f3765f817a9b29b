"""CL2xx: consent. Only strictly necessary storage and anonymized audience
measurement may be set without asking the visitor first."""

from __future__ import annotations

from collections.abc import Iterator

from cookielint.duration import DAYS_PER_MONTH, days_text, in_days
from cookielint.finding import Problem
from cookielint.policy import Cookie, Policy
from cookielint.rules import ERROR, WARNING, cookie_rule, example
from cookielint.rules.precedence import ADVERTISING

# CNIL, deliberation 2020-091 and its audience-measurement guidance: an exempt
# audience-measurement cookie lives at most 13 months.
MAX_EXEMPT_STATISTICS_DAYS = 13 * DAYS_PER_MONTH


def _matomo(**fields: str) -> str:
    base = {
        "party": "first",
        "category": "statistics",
        "consent": "exempt",
        "anonymized": "true",
        "duration": "13 months",
    }
    base.update(fields)
    lines = ["- name: _pk_id.*", "  provider: Matomo"]
    lines += [f"  {key}: {value}" for key, value in base.items() if value]
    lines.append("  purposes: [To count visits without identifying visitors]")
    return example("\n".join(lines))


def _exempt_statistics(cookie: Cookie) -> bool:
    return cookie.category == "statistics" and cookie.consent == "exempt"


@cookie_rule(
    "CL201",
    "statistics-exempt-not-anonymized",
    ERROR,
    summary="Statistics are exempt from consent but not declared anonymized",
    fail=_matomo(anonymized=""),
    ok=_matomo(),
    hint="Set `consent: required`, or anonymize the statistics and say `anonymized: true`.",
)
def statistics_exempt_not_anonymized(cookie: Cookie, policy: Policy) -> Iterator[Problem]:
    """Audience measurement may be set without consent only when the statistics
    are anonymized, meaning they cannot be traced back to a person (the seed
    policy's own words; CNIL deliberation 2020-091 art. 5 and its
    audience-measurement guidance). Statistics that are not anonymized are
    personal data and need consent (ePrivacy Directive art. 5(3))."""
    if _exempt_statistics(cookie) and cookie.anonymized is not True:
        yield Problem(
            f"{cookie.label} is statistics exempt from consent but not declared anonymized: true",
            cookie.at("consent"),
        )


@cookie_rule(
    "CL202",
    "tracking-exempt",
    ERROR,
    summary="A marketing or social cookie is exempt from consent",
    fail=example("""
        - name: _fbp
          provider: Meta
          party: first
          category: marketing
          purposes: [To measure and target Meta advertising]
          consent: exempt
          duration: 90 days
    """),
    ok=example("""
        - name: _fbp
          provider: Meta
          party: first
          category: marketing
          purposes: [To measure and target Meta advertising]
          consent: required
          duration: 90 days
    """),
    hint="Set `consent: required`: advertising and social tracking always need consent.",
)
def tracking_exempt(cookie: Cookie, policy: Policy) -> Iterator[Problem]:
    """Advertising and social-network tracking cookies are never strictly
    necessary for the service the visitor asked for, so they always need
    consent (Article 29 Working Party Opinion 04/2012 on the cookie consent
    exemption: "third party advertising cookies cannot be exempted from
    consent"; ePrivacy Directive art. 5(3)). A known advertising cookie declared
    this way is reported here only, not also as CL502."""
    if cookie.category in ADVERTISING and cookie.consent == "exempt":
        yield Problem(
            f"{cookie.label} is {cookie.category} but exempt from consent", cookie.at("consent")
        )


@cookie_rule(
    "CL203",
    "statistics-exempt-third-party",
    ERROR,
    summary="Statistics exempt from consent are set by a third party",
    fail=_matomo(party="third"),
    ok=_matomo(),
    hint="Host the audience measurement first-party, or set `consent: required`.",
)
def statistics_exempt_third_party(cookie: Cookie, policy: Policy) -> Iterator[Problem]:
    """The consent exemption for audience measurement covers only statistics
    kept for the site itself: no identifier may be shared across sites
    through a third-party domain (CNIL deliberation 2020-091 and its
    audience-measurement guidance)."""
    if _exempt_statistics(cookie) and cookie.party == "third":
        yield Problem(
            f"{cookie.label} is third-party statistics exempt from consent", cookie.at("party")
        )


@cookie_rule(
    "CL204",
    "statistics-exempt-too-long",
    ERROR,
    summary="Statistics exempt from consent live longer than 13 months",
    fail=_matomo(duration="400 days"),
    ok=_matomo(),
    hint="Shorten the lifetime to 13 months at most, or set `consent: required`.",
)
def statistics_exempt_too_long(cookie: Cookie, policy: Policy) -> Iterator[Problem]:
    """An audience-measurement cookie exempt from consent may live at most 13
    months (CNIL deliberation 2020-091 and its audience-measurement
    guidance)."""
    duration = cookie.duration
    days = duration.days if duration else None
    if (
        _exempt_statistics(cookie)
        and duration is not None
        and days is not None
        and days > MAX_EXEMPT_STATISTICS_DAYS
    ):
        yield Problem(
            f"{cookie.label} is statistics exempt from consent but lives "
            f"{in_days(duration, MAX_EXEMPT_STATISTICS_DAYS)}; exempt statistics may live "
            f"at most 13 months ({days_text(MAX_EXEMPT_STATISTICS_DAYS)})",
            cookie.at("duration"),
        )


@cookie_rule(
    "CL205",
    "statistics-exempt-refreshed",
    ERROR,
    summary="Statistics exempt from consent have their lifetime extended on every visit",
    fail=_matomo(refresh="true"),
    ok=_matomo(refresh="false"),
    hint="Configure the tracker not to extend the cookie on new visits, or set `consent: required`.",
)
def statistics_exempt_refreshed(cookie: Cookie, policy: Policy) -> Iterator[Problem]:
    """A cookie whose lifetime is extended on every visit never expires for a
    regular visitor, which defeats the 13-month limit of the consent
    exemption for audience measurement (CNIL deliberation 2020-091 and its
    audience-measurement guidance: the lifetime "must not be extended
    automatically on new visits")."""
    if _exempt_statistics(cookie) and cookie.refresh is True:
        yield Problem(
            f"{cookie.label} is statistics exempt from consent but refreshed on every visit",
            cookie.at("refresh"),
        )


@cookie_rule(
    "CL206",
    "necessary-requires-consent",
    WARNING,
    summary="A strictly necessary cookie is declared as requiring consent",
    fail=example("""
        - name: cart
          provider: Example shop
          party: first
          category: necessary
          purposes: [To keep the visitor's shopping cart]
          consent: required
          duration: session
    """),
    ok=example("""
        - name: cart
          provider: Example shop
          party: first
          category: necessary
          purposes: [To keep the visitor's shopping cart]
          consent: exempt
          duration: session
    """),
    hint="Set `consent: exempt` if it is strictly necessary, or choose the category it really has.",
)
def necessary_requires_consent(cookie: Cookie, policy: Policy) -> Iterator[Problem]:
    """Strictly necessary storage can't be refused without breaking the
    service the visitor asked for, so asking consent for it is a
    contradiction: either the cookie is not strictly necessary (and its
    category is wrong) or it is exempt (ePrivacy Directive art. 5(3); WP29
    Opinion 04/2012)."""
    if cookie.category == "necessary" and cookie.consent == "required":
        yield Problem(
            f"{cookie.label} is necessary but declared as requiring consent", cookie.at("consent")
        )
