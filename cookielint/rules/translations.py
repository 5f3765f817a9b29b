"""CL103: a policy offered in several languages says everything in each of them."""

from __future__ import annotations

from collections.abc import Iterator

from cookielint.finding import Problem
from cookielint.pointer import split_pointer
from cookielint.policy import Policy, label
from cookielint.rules import WARNING, policy_rule

_EXAMPLE = """\
version: 1
site:
  name: {{en: Example shop, fr: Boutique exemple}}
  url: https://shop.example.com
  languages: [en, fr]
cookies:
  - name: cart
    provider: Example shop
    party: first
    category: necessary
    purposes:
      - en: To keep the visitor's shopping cart
{french}    consent: exempt
    duration: session
"""


@policy_rule(
    "CL103",
    "missing-translation",
    WARNING,
    summary="A text the cookie page shows is not given in every language the site declares",
    fail=_EXAMPLE.format(french=""),
    ok=_EXAMPLE.format(french="        fr: Pour garder le panier du visiteur\n"),
    hint="Give the text in each language of `site.languages`, as a mapping "
    "(`{en: ..., fr: ...}`); a plain string is the first language's text.",
)
def missing_translation(policy: Policy) -> Iterator[Problem]:
    """Information is only "clear and comprehensive" (ePrivacy Directive art. 5(3))
    and "in clear and plain language" (GDPR art. 12(1)) to a visitor who can read
    it: a site offered in French owes French readers its cookie information in
    French. Where a text lacks a language, `cookielint render` falls back to the
    default language (the first of `site.languages`); this rule says where. It
    covers what the page shows: the site name, and each cookie's function,
    locations and purposes (a description, notes for the policy's maintainers,
    may be given per language but need not be)."""
    languages = policy.languages
    if len(languages) < 2:
        return
    default = languages[0]
    labels = cookie_labels(policy)
    for pointer in shown_texts(policy):
        text = policy.texts.get(pointer)
        given = set(text.values) if text is not None else {default}
        missing = [tag for tag in languages if tag not in given]
        if not missing:
            continue
        tokens = split_pointer(pointer)
        in_list = tokens[-1].isdigit()
        yield Problem(
            f"{_subject(labels, tokens)} has no translation into {', '.join(missing)} "
            f"(site.languages: {', '.join(languages)})",
            pointer,
            key=not in_list,
        )


def shown_texts(policy: Policy) -> Iterator[str]:
    """The pointers of the texts the cookie page shows, plain or per language."""
    if policy.site_name is not None:
        yield "/site/name"
    for cookie in policy.cookies:
        if cookie.function is not None:
            yield f"{cookie.pointer}/function"
        for key, items in (("location", cookie.location), ("purposes", cookie.purposes)):
            for index in range(len(items or ())):
                yield f"{cookie.pointer}/{key}/{index}"


def text_subject(policy: Policy, pointer: str, labels: dict[int, str] | None = None) -> str:
    """What the text at ``pointer`` is, as messages name it: "cookie 'cart': 'purposes[0]'".

    ``labels`` (from ``cookie_labels``) saves looking the cookie up in a long policy."""
    return _subject(labels if labels is not None else cookie_labels(policy), split_pointer(pointer))


def cookie_labels(policy: Policy) -> dict[int, str]:
    return {cookie.index: cookie.label for cookie in policy.cookies}


def _subject(labels: dict[int, str], tokens: list[str]) -> str:
    if tokens[0] == "site":
        return "the site name"
    index = int(tokens[1])
    owner = labels.get(index) or label(None, "cookie", index)
    field = tokens[2] + "".join(f"[{token}]" for token in tokens[3:])
    return f"{owner}: '{field}'"
