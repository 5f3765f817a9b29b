"""The vocabulary of published pages and consent tools: headings, categories, durations with
their plural forms, yes/no, party and storage words, in each language cookielint has a
message catalog for.

Catalogs are gettext ``.po`` files in ``locales/<language>/LC_MESSAGES/messages.po``
(English is the source language and needs none); ``messages.pot`` is their template;
``tests/test_i18n.py`` keeps every catalog complete. A page is written from each one's
``messages.mo``, compiled from it with Babel, and dates in the catalogs' languages from
``locales/dates.json``, the CLDR long date formats as Babel gives them: neither Babel nor
its locale data is loaded to render a page (a pre-commit hook does it on every commit).

    python -m cookielint.builtin_data      # after editing a .po file

A test fails while a ``.mo`` file or ``dates.json`` is not what Babel makes.
"""

from __future__ import annotations

import datetime
import functools
import gettext
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cookielint.duration import parts

SOURCE_LANGUAGE = "en"
DOMAIN = "messages"


LOCALES = Path(__file__).resolve().parent / "locales"
"""The message catalogs, beside this module (as the package's other data is)."""


def catalog_file(language: str, suffix: str) -> Path:
    """``language``'s catalog: ``.po`` as written, ``.mo`` as compiled."""
    return LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}{suffix}"


@functools.cache
def catalog_languages() -> tuple[str, ...]:
    """The languages with a vocabulary: English and every shipped catalog."""
    found = [
        entry.name
        for entry in LOCALES.iterdir()
        if entry.is_dir() and catalog_file(entry.name, ".po").is_file()
    ]
    return (SOURCE_LANGUAGE, *sorted(found))


def vocabulary_language(tag: str) -> str | None:
    """The catalog for a BCP 47 tag: the tag itself (pt-BR → pt_BR), else its language (fr-CA → fr)."""
    available = catalog_languages()
    candidates = [tag.replace("-", "_"), tag.split("-")[0]]
    for candidate in candidates:
        for language in available:
            if language.lower() == candidate.lower():
                return language
    return None


@functools.cache
def translations(language: str) -> gettext.NullTranslations:
    """The compiled catalog of ``language`` (one of ``catalog_languages()``)."""
    if language == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    with catalog_file(language, ".mo").open("rb") as stream:
        return gettext.GNUTranslations(stream)


def compiled_catalog(language: str) -> bytes:
    """``messages.mo`` of ``language``, as Babel compiles its ``messages.po``."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with catalog_file(language, ".po").open("rb") as stream:
        catalog = read_po(stream, locale=language, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    return compiled.getvalue()


DATES = LOCALES / "dates.json"
# The fields a long date format may use: the day, the month's name, the year.
_DATE_FIELDS = {"d", "MMMM", "y"}


def date_formats() -> dict[str, dict[str, Any]]:
    """Each catalog language's long date format (``%(d)s %(MMMM)s %(y)s``) and month names,
    as Babel's CLDR data gives them; what ``locales/dates.json`` holds."""
    from babel.core import Locale

    formats = {}
    for language in catalog_languages():
        locale = Locale.parse(language)
        pattern = locale.date_formats["long"]
        fields = set(re.findall(r"%\((\w+)\)s", pattern.format))
        if fields != _DATE_FIELDS or pattern.format.count("%") != len(_DATE_FIELDS):
            raise ValueError(f"{language}: long date format {pattern.pattern!r} has {fields}")
        months = locale.months["format"]["wide"]
        formats[language] = {
            "format": pattern.format,
            "months": [months[number] for number in range(1, 13)],
        }
    return formats


@functools.cache
def _date_formats() -> dict[str, dict[str, Any]]:
    formats: dict[str, dict[str, Any]] = json.loads(DATES.read_text(encoding="utf-8"))
    return formats


@dataclass(frozen=True)
class Vocabulary:
    """Words in one language: ``tag`` as asked for, ``language`` the catalog that gives them."""

    tag: str
    language: str

    @classmethod
    def for_tag(cls, tag: str) -> Vocabulary:
        return cls(tag, vocabulary_language(tag) or SOURCE_LANGUAGE)

    @property
    def has_catalog(self) -> bool:
        return vocabulary_language(self.tag) is not None

    def gettext(self, message: str) -> str:
        return translations(self.language).gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        return translations(self.language).ngettext(singular, plural, count)

    def duration(self, text: str) -> str:
        """A duration in words: ``2 weeks``, ``1 year 6 months``, ``Session``."""
        if text == "session":
            return self.gettext("Session")
        words = [self._unit(count, unit) for count, unit in parts(text)]
        return " ".join(words) if words else text

    def _unit(self, count: int, unit: str) -> str:
        singular, plural = _UNITS[unit]
        return self.ngettext(singular, plural, count) % {"num": count}

    def date(self, iso: str) -> str:
        """A YYYY-MM-DD date as the language writes it in full (29 November 2026)."""
        try:
            day = datetime.date.fromisoformat(iso)
        except ValueError:  # the schema's pattern lets 2026-13-45 through
            return iso
        known = _date_formats().get(self.tag)
        if known is not None:
            month = known["months"][day.month - 1]
            return str(known["format"] % {"d": day.day, "MMMM": month, "y": day.year})
        # Another language, or a region's (fr-CA): as Babel writes it.
        from babel.core import Locale, UnknownLocaleError
        from babel.dates import format_date

        try:
            locale = Locale.parse(self.tag.replace("-", "_"))
        except (ValueError, UnknownLocaleError):
            locale = Locale.parse(self.language)
        return format_date(day, format="long", locale=locale)


def N_(message: str) -> str:
    """Marks a message for extraction; it is translated where it is shown."""
    return message


def Np_(singular: str, plural: str) -> tuple[str, str]:
    """Marks a message with plural forms for extraction."""
    return singular, plural


# Plural forms differ by language (French says "1 mois", "2 mois"; German "1 Monat",
# "2 Monate"); each catalog says how through its Plural-Forms header.
_UNITS = {
    "second": Np_("%(num)d second", "%(num)d seconds"),
    "minute": Np_("%(num)d minute", "%(num)d minutes"),
    "hour": Np_("%(num)d hour", "%(num)d hours"),
    "day": Np_("%(num)d day", "%(num)d days"),
    "week": Np_("%(num)d week", "%(num)d weeks"),
    "month": Np_("%(num)d month", "%(num)d months"),
    "year": Np_("%(num)d year", "%(num)d years"),
}


CATEGORIES = ("necessary", "preferences", "statistics", "marketing", "social")
CATEGORY_TITLES = {
    "necessary": N_("Necessary"),
    "preferences": N_("Preferences"),
    "statistics": N_("Statistics"),
    "marketing": N_("Marketing"),
    "social": N_("Social networks"),
}
CATEGORY_CAPTIONS = {
    "necessary": N_("Necessary cookies and other storage"),
    "preferences": N_("Preference cookies and other storage"),
    "statistics": N_("Statistics cookies and other storage"),
    "marketing": N_("Marketing cookies and other storage"),
    "social": N_("Social network cookies and other storage"),
}
CATEGORY_DESCRIPTIONS = {
    "necessary": N_(
        "The site cannot work without these: they keep you signed in, protect forms, "
        "and remember your choices about cookies."
    ),
    "preferences": N_("These remember settings you chose, such as your language."),
    "statistics": N_(
        "These count visits and measure how the site is used, so that it can be improved."
    ),
    "marketing": N_(
        "These follow your visits, here and on other sites, to choose and measure advertising."
    ),
    "social": N_(
        "These let social networks know you visited this site, for sharing buttons, "
        "embedded content and their advertising."
    ),
}
PARTY = {"first": N_("First party"), "third": N_("Third party")}
STORAGE = {
    "cookie": N_("Cookie"),
    "local_storage": N_("Local storage"),
    "session_storage": N_("Session storage"),
    "indexed_db": N_("IndexedDB"),
}
CONSENT = {"required": N_("Yes"), "exempt": N_("No")}
COLUMNS = {
    "name": N_("Name"),
    "provider": N_("Provider"),
    "function": N_("Function"),
    "location": N_("Location"),
    "purposes": N_("Purposes"),
    "duration": N_("Duration"),
    "party": N_("Party"),
    "storage": N_("Storage"),
    "consent": N_("Consent asked"),
}
TITLE = N_("Cookies on %(site)s")
INTRODUCTION = N_(
    "This page lists every cookie and other storage that %(site)s (%(url)s) sets on your "
    "device: who sets it, why, for how long, and whether you are asked first."
)
UPDATED = N_("Last updated: %(date)s")
CONTACT = N_("Questions about this policy:")
NOTHING = N_("This site stores nothing on your device.")
# The consent banner and preferences dialog of consent tools.
BANNER = N_(
    "%(site)s uses cookies and other storage. Some are necessary for the site to work; "
    "the others are used only if you accept them."
)
ACCEPT_ALL = N_("Accept all")
REJECT_ALL = N_("Reject all")
MANAGE = N_("Manage preferences")
SAVE = N_("Save preferences")
CLOSE = N_("Close")
PREFERENCES = N_("Cookie preferences")
