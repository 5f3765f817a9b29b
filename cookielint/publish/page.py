"""The policy as a visitor reads it, in one language: the data every template and exporter shows.

Texts come from the policy in the asked-for language; where the policy lacks
one, the default language's text is shown and the gap is recorded in
``Page.fallbacks`` so that the command can list it. Words that are not the
policy's own (headings, categories, durations) come from the vocabulary.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

from cookielint.policy import Cookie, LocalText, Policy
from cookielint.publish import i18n
from cookielint.publish.i18n import Vocabulary

DEFAULT_LANGUAGE = "en"
"""The language of a policy that declares none."""


class Row(NamedTuple):
    """One line of a section's table (a named tuple: a page of many rows is built quickly)."""

    name: str
    provider: str
    provider_url: str | None
    """The provider's privacy policy, when the policy gives one."""
    function: str | None
    location: tuple[str, ...]
    purposes: tuple[str, ...]
    duration: str
    party: str
    storage: str
    consent: str
    cookie: Cookie


class Section(NamedTuple):
    category: str
    title: str
    caption: str
    description: str
    rows: list[Row]
    has_function: bool
    """Whether any row has a function: the table has that column (known once, not per row)."""
    has_location: bool


class Fallback(NamedTuple):
    """A text the policy does not give in the page's language: ``shown`` is in the default one."""

    pointer: str
    language: str
    shown: str


class Page(NamedTuple):
    language: str
    default_language: str
    site_name: str
    site_url: str
    updated: str | None
    """The date in words, in the page's language; None when the policy gives none."""
    updated_iso: str | None
    contact_email: str | None
    contact_url: str | None
    sections: list[Section]
    words: Vocabulary
    fallbacks: list[Fallback]

    def _(self, message: str) -> str:
        return self.words.gettext(message)

    @property
    def title(self) -> str:
        return self._(i18n.TITLE) % {"site": self.site_name}

    @property
    def introduction(self) -> str:
        return self._(i18n.INTRODUCTION) % {"site": self.site_name, "url": self.site_url}

    @property
    def updated_line(self) -> str | None:
        return None if self.updated is None else self._(i18n.UPDATED) % {"date": self.updated}

    def column(self, key: str) -> str:
        return self._(i18n.COLUMNS[key])

    @property
    def cookies(self) -> list[Row]:
        return [row for section in self.sections for row in section.rows]


def languages_of(policy: Policy) -> tuple[str, ...]:
    """The policy's languages, the default first; a policy that declares none is in English."""
    return policy.languages or (DEFAULT_LANGUAGE,)


def build_page(policy: Policy, language: str | None = None) -> Page:
    default = languages_of(policy)[0]
    language = language or default
    words = Vocabulary.for_tag(language)
    fallbacks: list[Fallback] = []

    # A page in the default language of a policy whose texts are all plain strings shows
    # the fields as they are: no text to look up, no pointer to build.
    plain = not policy.texts and language == default

    def text(pointer: str, written: str | None) -> str | None:
        if plain or written is None:
            return written
        return _in_language(
            policy.texts.get(pointer), pointer, written, language, default, fallbacks
        )

    # Words repeat from row to row: each is looked up once.
    party = {key: words.gettext(message) for key, message in i18n.PARTY.items()}
    storage = {key: words.gettext(message) for key, message in i18n.STORAGE.items()}
    consent = {key: words.gettext(message) for key, message in i18n.CONSENT.items()}
    duration = functools.lru_cache(maxsize=1024)(words.duration)
    # The provider's privacy policy, by the provider's name, for its link.
    privacy = {p.name: p.privacy_policy for p in policy.providers or () if p.name is not None}
    by_category: dict[str, list[Row]] = {category: [] for category in i18n.CATEGORIES}
    for cookie in policy.cookies:
        rows = by_category.get(cookie.category or "")
        if rows is None:
            continue
        if plain:
            function = cookie.function
            location = tuple(cookie.location) if cookie.location else ()
            purposes = tuple(cookie.purposes) if cookie.purposes else ()
        else:
            function = text(f"{cookie.pointer}/function", cookie.function)
            location = tuple(
                text(f"{cookie.pointer}/location/{i}", item) or item
                for i, item in enumerate(cookie.location or ())
            )
            purposes = tuple(
                text(f"{cookie.pointer}/purposes/{i}", item) or item
                for i, item in enumerate(cookie.purposes or ())
            )
        rows.append(
            Row(
                cookie.name or "",
                cookie.provider or "",
                privacy.get(cookie.provider or ""),
                function,
                location,
                purposes,
                duration(cookie.duration.text) if cookie.duration else "",
                party[cookie.party] if cookie.party else "",
                storage[cookie.storage or "cookie"],
                consent[cookie.consent] if cookie.consent else "",
                cookie,
            )
        )
    sections = [
        Section(
            category,
            words.gettext(i18n.CATEGORY_TITLES[category]),
            words.gettext(i18n.CATEGORY_CAPTIONS[category]),
            words.gettext(i18n.CATEGORY_DESCRIPTIONS[category]),
            rows,
            has_function=any(row.function for row in rows),
            has_location=any(row.location for row in rows),
        )
        for category, rows in by_category.items()
        if rows
    ]
    site_name = text("/site/name", policy.site_name) or policy.site_host or ""
    return Page(
        language=language,
        default_language=default,
        site_name=site_name,
        site_url=policy.site_url or "",
        updated=words.date(policy.updated) if policy.updated else None,
        updated_iso=policy.updated,
        contact_email=policy.contact_email,
        contact_url=policy.contact_url,
        sections=sections,
        words=words,
        fallbacks=fallbacks,
    )


def _in_language(
    text: LocalText | None,
    pointer: str,
    written: str,
    language: str,
    default: str,
    fallbacks: list[Fallback],
) -> str:
    """The text in ``language``; else ``written``, the default language's, recorded as a fallback.

    A plain string (``text`` None) is the default language's text."""
    if text is None:
        if language == default:
            return written
    elif language in text.values:
        return text.values[language]
    fallbacks.append(Fallback(pointer, language, written))
    return written
