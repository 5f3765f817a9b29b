"""CL6xx: the policy against what a browser observed (``cookielint audit``).

A policy can be consistent in itself and still false: the site sets a cookie
nobody declared, a tracker runs before the visitor has chosen, a "session"
cookie lives a year. These rules compare the declarations with captures of a
real visit; their logic lives in ``cookielint.commands.audit``, since they need the
captures as well as the policy. Each example starts with the observation, as
the ``Set-Cookie`` header a response carried.
"""

from __future__ import annotations

from cookielint.rules import ERROR, WARNING, declare, example

SESSION = """\
- name: sessionid
  provider: Example shop
  party: first
  category: necessary
  purposes: [To keep the visitor signed in]
  consent: exempt
  duration: session
"""
GA = """\
- name: _ga
  provider: Google Analytics
  party: first
  category: statistics
  purposes: [To tell visitors apart in audience statistics]
  consent: required
  duration: 13 months
"""


def seen(phase: str, header: str, url: str = "https://shop.example.com/") -> str:
    """The comment that says what a capture of ``phase`` saw."""
    return f"# Observed {phase}, from {url}:\n#   Set-Cookie: {header}\n"


declare(
    "CL601",
    "undeclared-storage",
    ERROR,
    summary="An observed cookie or storage key that no declaration matches",
    rationale="""
        Visitors must be told about every item a site stores on their device
        (ePrivacy Directive art. 5(3); GDPR art. 13). A cookie the site sets but
        the policy leaves out is the policy's most common falsehood: a new
        tag, a library update, a forgotten load balancer. Names and wildcards
        match as in `check`, and the storage (cookie, localStorage,
        sessionStorage) must agree. When the knowledge base knows the name,
        the finding says who sets it and what it is for.""",
    fail=seen("before consent", "cart=8f3a; Path=/") + example(SESSION),
    ok=seen("before consent", "sessionid=8f3a; Path=/; HttpOnly") + example(SESSION),
    hint="Declare it (`cookielint init --from CAPTURE` drafts the declaration), or stop setting it.",
)

declare(
    "CL602",
    "set-before-consent",
    ERROR,
    summary="A cookie that requires consent was set before consent or after a refusal",
    rationale="""
        Storage that needs consent may only be set once the visitor has agreed
        (ePrivacy Directive art. 5(3); CJEU C-673/17 Planet49); a refusal must
        be respected as well as an acceptance (EDPB Guidelines 05/2020 on
        consent). A tag that fires on page load instead of after the consent
        banner's answer is a violation the policy can't show on its own.""",
    fail=seen("before consent", "_ga=GA1.1.42; Max-Age=34128000; Path=/") + example(GA),
    ok=seen("after accepting", "_ga=GA1.1.42; Max-Age=34128000; Path=/") + example(GA),
    hint="Load the tag only after the visitor accepts (through the consent platform), or, "
    "if it truly needs no consent, fix the declaration.",
)

declare(
    "CL603",
    "lifetime-exceeds-declaration",
    WARNING,
    summary="An observed cookie lives longer than declared, or persists where the declaration "
    "says session",
    rationale="""
        The lifetime is one of the facts a policy owes visitors (WP29 Opinion
        04/2012; CNIL deliberation 2020-091 limits audience cookies to 13
        months). A cookie set for a year but declared for two weeks
        misinforms them. Small differences (rounding, a day) are tolerated:
        the finding needs the observed lifetime to exceed 1.5 times the
        declared one and by at least a day. Observed lifetimes are capped at
        400 days as browsers cap them (RFC 6265bis).""",
    fail=seen("before consent", "sessionid=8f3a; Max-Age=31536000; Path=/") + example(SESSION),
    ok=seen("before consent", "sessionid=8f3a; Path=/") + example(SESSION),
    hint="Declare the lifetime the cookie really has, or change what sets it to match the policy.",
)

declare(
    "CL604",
    "attribute-mismatch",
    WARNING,
    summary="A cookie was observed with other attributes than declared",
    rationale="""
        Attributes a policy states are promises reviewers rely on: `http_only`
        keeps scripts (and cross-site scripting) away from a session,
        `secure` keeps it off plain HTTP, `same_site` limits cross-site
        requests (RFC 6265bis). Only attributes the declaration states are
        compared, and only where the capture records them.""",
    fail=seen("before consent", "sessionid=8f3a; Path=/")
    + example(SESSION + "  http_only: true\n"),
    ok=seen("before consent", "sessionid=8f3a; Path=/; HttpOnly")
    + example(SESSION + "  http_only: true\n"),
    hint="Set the attribute as declared (usually the safer value), or correct the declaration.",
)

declare(
    "CL605",
    "party-mismatch",
    WARNING,
    summary="A cookie declared first party was observed on another site's domain, or the reverse",
    rationale="""
        Whether a cookie is first or third party tells visitors who can read
        it: a third-party cookie lets another site follow them across every
        site that embeds it (the seed policy's own words). The site's
        registrable domain is found with the Public Suffix List, so
        `www.shop.example.co.uk` and `static.shop.example.co.uk` are one
        party and `shop.example.co.uk` and `tracker.co.uk` are not.""",
    fail=seen(
        "after accepting",
        "uid=7; Domain=tracker.example.net; Max-Age=86400; SameSite=None; Secure",
        "https://tracker.example.net/pixel.gif",
    )
    + example(SESSION.replace("sessionid", "uid").replace("duration: session", "duration: 1 day")),
    ok=seen(
        "after accepting",
        "uid=7; Domain=tracker.example.net; Max-Age=86400; SameSite=None; Secure",
        "https://tracker.example.net/pixel.gif",
    )
    + example(
        SESSION.replace("sessionid", "uid")
        .replace("duration: session", "duration: 1 day")
        .replace("party: first", "party: third")
    ),
    hint="Declare the party the domain shows (`third` for another site's domain).",
)

declare(
    "CL606",
    "never-observed",
    WARNING,
    summary="A declaration with an exact name was seen in no after-accept capture",
    rationale="""
        A declaration for a cookie the site no longer sets tells visitors
        about data that isn't collected and hides, among stale entries, the
        ones that matter. Only exact names are checked (a wildcard may match
        nothing on a given visit), and only when a capture taken after
        accepting everything is given. Cookies set only on some pages or for
        signed-in visitors are never seen by an anonymous scan: suppress
        this rule on their declarations
        (`# cookielint: disable=never-observed -- set only after sign-in`).""",
    fail=seen("after accepting", "sessionid=8f3a; Path=/") + example(SESSION + GA),
    ok=seen("after accepting", "sessionid=8f3a; Path=/")
    + seen("after accepting", "_ga=GA1.1.42; Max-Age=34128000; Path=/")
    + example(SESSION + GA),
    hint="Remove the declaration if the site no longer sets it; suppress the rule on it if "
    "the scan can't reach it.",
)
