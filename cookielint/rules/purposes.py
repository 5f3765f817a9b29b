"""CL1xx: every cookie says, in words a visitor can read, why it exists."""

from __future__ import annotations

import re
from collections.abc import Iterator

from cookielint.finding import Problem
from cookielint.policy import Cookie, Policy
from cookielint.rules import ERROR, cookie_rule, example

_FIELDS = """
  provider: Example shop
  party: first
  category: necessary
  consent: exempt
  duration: session
"""


@cookie_rule(
    "CL101",
    "missing-purpose",
    ERROR,
    summary="A cookie does not say what it is for",
    fail=example("- name: cart" + _FIELDS + "  purposes: []"),
    ok=example("- name: cart" + _FIELDS + "  purposes: [To keep the visitor's shopping cart]"),
    hint="Add `purposes:` with at least one sentence saying why the cookie exists.",
    left_to_rule=(
        (("cookies", "*"), "required:purposes"),
        (("cookies", "*", "purposes"), "minItems"),
    ),
)
def missing_purpose(cookie: Cookie, policy: Policy) -> Iterator[Problem]:
    """Consent is valid only when it is informed: visitors must be told the
    purpose of each cookie before anything is stored (ePrivacy Directive
    art. 5(3), "clear and comprehensive information ... about the purposes of
    the processing"; GDPR art. 13(1)(c))."""
    if "purposes" not in cookie.declared:
        first_key = cookie.at(cookie.declared[0]) if cookie.declared else cookie.pointer
        yield Problem(f"{cookie.label} declares no purposes", first_key, key=True)
    elif cookie.purposes == []:
        yield Problem(f"{cookie.label} has an empty purposes list", cookie.at("purposes"), key=True)


_PLACEHOLDERS = {"todo", "tbd", "tba", "na", "none", "xxx", "purpose", "loremipsum", ""}
_SPACE_AND_PUNCTUATION = re.compile(r"[\W_]+")


@cookie_rule(
    "CL102",
    "placeholder-purpose",
    ERROR,
    summary="A purpose is blank or a placeholder such as TODO",
    fail=example("- name: cart" + _FIELDS + "  purposes: [TODO]"),
    ok=example("- name: cart" + _FIELDS + "  purposes: [To keep the visitor's shopping cart]"),
    hint="Replace the placeholder with a sentence saying why the cookie exists.",
    left_to_rule=((("cookies", "*", "purposes", "*"), "pattern"),),
)
def placeholder_purpose(cookie: Cookie, policy: Policy) -> Iterator[Problem]:
    """A placeholder ("TODO", "n/a", "-") satisfies the schema but tells the
    visitor nothing, so consent given on it is not informed (ePrivacy
    Directive art. 5(3); GDPR art. 13(1)(c)). Placeholders are what is left
    when a declaration was written before anyone knew why the cookie exists."""
    for index, purpose in enumerate(cookie.purposes or ()):
        if _SPACE_AND_PUNCTUATION.sub("", purpose).lower() in _PLACEHOLDERS:
            shown = repr(purpose) if purpose.strip() else "blank"
            yield Problem(
                f"{cookie.label} has a placeholder purpose ({shown})", cookie.at("purposes", index)
            )
