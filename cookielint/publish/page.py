"""The policy as a visitor reads it, in one language: the data every template and exporter shows.

Texts come from the policy in the asked-for language; where the policy lacks
one, the default language's text is shown and the gap is recorded in
``Page.fallbacks`` so that the command can list it. Words that are not the
policy's own (headings, categories, durations) come from the vocabulary.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cookielint.policy import Cookie, LocalText, Policy
from cookielint.publish import i18n
from cookielint.publish.i18n import Vocabulary

DEFAULT_LANGUAGE = "en"
"""The language of a policy that declares none."""


@dataclass(frozen=True)
class Row:
    name: str
    provider: str
    provider_url: str | None
    """The provider's privacy policy, when the policy gives one."""
    function: str | None
    location: list[str]
    purposes: list[str]
    duration: str
    party: str
    storage: str
    consent: str
    cookie: Cookie


@dataclass(frozen=True)
class Section:
    category: str
    title: str
    caption: str
    description: str
    rows: list[Row]

    @property
    def has_function(self) -> bool:
        return any(row.function for row in self.rows)

    @property
    def has_location(self) -> bool:
        return any(row.location for row in self.rows)


@dataclass(frozen=True)
class Fallback:
    """A text the policy does not give in the page's language: ``shown`` is in the default one."""

    pointer: str
    language: str
    shown: str


@dataclass
class Page:
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
    fallbacks: list[Fallback] = field(default_factory=list)

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

    def text(pointer: str, written: str | None) -> str | None:
        local = policy.texts.get(pointer)
        if local is None:
            return written
        return _in_language(local, language, default, fallbacks)

    providers = {p.name: p for p in policy.providers or () if p.name is not None}
    by_category: dict[str, list[Row]] = {category: [] for category in i18n.CATEGORIES}
    for cookie in policy.cookies:
        if cookie.category not in by_category:
            continue
        provider = providers.get(cookie.provider or "")
        row = Row(
            name=cookie.name or "",
            provider=cookie.provider or "",
            provider_url=provider.privacy_policy if provider else None,
            function=text(cookie.at("function"), cookie.function),
            location=[
                text(cookie.at("location", i), item) or item
                for i, item in enumerate(cookie.location or ())
            ],
            purposes=[
                text(cookie.at("purposes", i), item) or item
                for i, item in enumerate(cookie.purposes or ())
            ],
            duration=words.duration(cookie.duration.text) if cookie.duration else "",
            party=words.gettext(i18n.PARTY[cookie.party]) if cookie.party else "",
            storage=words.gettext(i18n.STORAGE[cookie.storage or "cookie"]),
            consent=words.gettext(i18n.CONSENT[cookie.consent]) if cookie.consent else "",
            cookie=cookie,
        )
        by_category[cookie.category].append(row)
    sections = [
        Section(
            category,
            words.gettext(i18n.CATEGORY_TITLES[category]),
            words.gettext(i18n.CATEGORY_CAPTIONS[category]),
            words.gettext(i18n.CATEGORY_DESCRIPTIONS[category]),
            rows,
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
    text: LocalText, language: str, default: str, fallbacks: list[Fallback]
) -> str:
    found = text.get(language, default)
    if found is not None:
        return found
    shown = text.get(default, default)
    if shown is None:  # not even in the default language: the first one given
        shown = next(iter(text.values.values()))
    fallbacks.append(Fallback(text.pointer, language, shown))
    return shown
