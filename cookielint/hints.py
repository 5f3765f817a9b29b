"""Ways forward for a value the format does not allow: the word the writer most likely meant, and why.

Consent tools name categories their own way: OneTrust's standard categories
are "Strictly Necessary", "Performance", "Functional", "Targeting" and "Social
Media"; the Open Cookie Database says "Functional" for what is strictly
necessary; Google's consent mode speaks of "analytics_storage" and
"ad_storage" (tests/data/category-labels.yaml lists them, with sources). A
writer who uses those words meant one of the format's categories; a hint names
it, with the reason, instead of the closest spelling (``not-required`` is
nearer to ``required`` than to ``exempt``, and means the opposite)."""

from __future__ import annotations

import re

from cookielint.suggest import did_you_mean

_NECESSARY = "necessary: the site cannot work without it"
_STATISTICS = "statistics: it measures how visitors use the site"
_PREFERENCES = (
    "preferences when it remembers a visitor's choice (a language, a layout), "
    "or necessary if the site cannot work without it"
)
_MARKETING = "marketing: it follows visitors to choose or measure advertising"
_SOCIAL = "social: it lets a social network recognise visitors (share and like buttons)"
_EXEMPT = "exempt: set without asking the visitor"
_UNKNOWN = (
    "find out what it does first (`cookielint lookup NAME` knows well-known cookies), "
    "then choose one; until then, marketing asks for consent"
)
_REQUIRED = "required: set only after the visitor agrees"

# Words writers use, read lower-case with runs of spaces, '-' and '_' as one space.
_MEANT: dict[str, dict[str, tuple[str, str]]] = {
    "category": {
        "analytics": ("statistics", _STATISTICS),
        "analytic": ("statistics", _STATISTICS),
        "audience measurement": ("statistics", _STATISTICS),
        "measurement": ("statistics", _STATISTICS),
        "performance": (
            "statistics",
            "statistics: performance cookies usually count visits and measure how the site is used",
        ),
        "statistic": ("statistics", _STATISTICS),
        "stats": ("statistics", _STATISTICS),
        "essential": ("necessary", _NECESSARY),
        "strictly necessary": ("necessary", _NECESSARY),
        "technical": ("necessary", _NECESSARY),
        "required": ("necessary", _NECESSARY),
        "security": ("necessary", _NECESSARY),
        "functional": ("preferences", _PREFERENCES),
        "functionality": ("preferences", _PREFERENCES),
        "personalization": ("preferences", _PREFERENCES),
        "personalisation": ("preferences", _PREFERENCES),
        "preference": ("preferences", _PREFERENCES),
        "advertising": ("marketing", _MARKETING),
        "advertisement": ("marketing", _MARKETING),
        "ads": ("marketing", _MARKETING),
        "targeting": ("marketing", _MARKETING),
        "tracking": ("marketing", _MARKETING),
        "social media": ("social", _SOCIAL),
        "social network": ("social", _SOCIAL),
        "social networking": ("social", _SOCIAL),
        "ad": ("marketing", _MARKETING),
        "unclassified": ("", _UNKNOWN),
        "uncategorized": ("", _UNKNOWN),
        "uncategorised": ("", _UNKNOWN),
        "unknown": ("", _UNKNOWN),
        "other": ("", _UNKNOWN),
        "others": ("", _UNKNOWN),
    },
    "consent": {
        "not required": ("exempt", _EXEMPT),
        "no consent": ("exempt", _EXEMPT),
        "not needed": ("exempt", _EXEMPT),
        "none": ("exempt", _EXEMPT),
        "exempted": ("exempt", _EXEMPT),
        "false": ("exempt", _EXEMPT),
        "no": ("exempt", _EXEMPT),
        "opt in": ("required", _REQUIRED),
        "needed": ("required", _REQUIRED),
        "true": ("required", _REQUIRED),
        "yes": ("required", _REQUIRED),
    },
    "party": {
        "1st": ("first", "first: stored by the site visited"),
        "first party": ("first", "first: stored by the site visited"),
        "1st party": ("first", "first: stored by the site visited"),
        "3rd": ("third", "third: stored by or for another site"),
        "third party": ("third", "third: stored by or for another site"),
        "3rd party": ("third", "third: stored by or for another site"),
    },
}


def _word(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    word = re.sub(r"[\s_-]+", " ", str(value).strip().lower())
    # Banners say "Targeting Cookies"; Google's consent mode says "analytics_storage".
    return re.sub(r" (cookies?|storage)$", "", word)


def value_hint(field: str, value: object, allowed: list[str]) -> str:
    """``"; X means ..."`` or ``"; did you mean 'X'?"`` for a value outside ``allowed``, or ""."""
    if not isinstance(value, (str, bool)):
        return ""
    meant = _MEANT.get(field, {}).get(_word(value))
    if meant is not None:
        return f"; use {meant[1]}" if meant[0] else f"; {meant[1]}"
    if isinstance(value, str):
        # Another case or spelling of an allowed word: Lax, localStorage, Indexed-DB.
        squeezed = re.sub(r"[\W_]+", "", value.lower())
        for choice in allowed:
            if squeezed == re.sub(r"[\W_]+", "", choice):
                return f"; did you mean '{choice}'?"
        return did_you_mean(value, allowed)
    return ""
