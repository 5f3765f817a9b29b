"""What is known about well-known cookies: the built-in knowledge base and files added to it.

Sources are read in order, the built-in one first; an entry from a later
source replaces every earlier entry of the same name. Two formats are read:
cookielint's own (YAML, ``schema/known-cookies.schema.json``) and the Open
Cookie Database's CSV export.
"""

from __future__ import annotations

import csv
import functools
import io
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cookielint.duration import Duration, parse_duration
from cookielint.names import matches

BUILT_IN = Path(__file__).resolve().parent / "data" / "known-cookies.yaml"
KNOWN_COOKIES_SCHEMA = "known-cookies.schema.json"

TRACKING = frozenset({"statistics", "marketing", "social"})
# The Open Cookie Database's "Functional" is necessary or preferences: never a tracker.
FUNCTIONAL = "necessary or preferences"

OPEN_COOKIE_DATABASE_HEADER = [
    "ID",
    "Platform",
    "Category",
    "Cookie / Data Key name",
    "Domain",
    "Description",
    "Retention period",
    "Data Controller",
    "User Privacy & GDPR Rights Portals",
    "Wildcard match",
]
_OCD_CATEGORIES = {
    "analytics": "statistics",
    "marketing": "marketing",
    "personalization": "preferences",
    "security": "necessary",
    "functional": FUNCTIONAL,
}


class KnowledgeError(Exception):
    """A knowledge file that can't be used: the command can't do its job (exit 2)."""


@dataclass(frozen=True)
class KnownCookie:
    name: str
    """An exact name, or a pattern with * wildcards."""
    provider: str
    category: str
    party: str | None
    lifetime: Duration | None
    storage: str
    source: str
    description: str = ""
    origin: str = "built-in"
    generic: bool = False
    """A name other software also uses: shown by lookup, but no rule relies on it."""

    @property
    def is_wildcard(self) -> bool:
        return "*" in self.name


@dataclass(frozen=True)
class KnownProvider:
    name: str
    aliases: tuple[str, ...] = ()
    note: str = ""
    self_hosted: bool = False
    """Software the site runs itself: the site may name itself as the provider."""


class KnowledgeBase:
    def __init__(self, cookies: list[KnownCookie], providers: dict[str, KnownProvider]) -> None:
        self.providers = providers
        self.exact: dict[str, list[KnownCookie]] = {}
        # Patterns by their text before the first *: a name is only tried against
        # the patterns whose prefix it starts with.
        self.patterns: dict[str, list[KnownCookie]] = {}
        for cookie in cookies:
            self.exact.setdefault(cookie.name, []).append(cookie)
            if cookie.is_wildcard:
                prefix = cookie.name.split("*", 1)[0]
                self.patterns.setdefault(prefix, []).append(cookie)
        # The lengths of those prefixes: a name is cut at each, not at each of its own
        # characters (a name of 800,000 characters would be cut 800,000 times).
        self.prefix_lengths = sorted({len(prefix) for prefix in self.patterns})
        self._cached = functools.lru_cache(maxsize=4096)(self._lookup)

    @property
    def cookies(self) -> list[KnownCookie]:
        return [cookie for entries in self.exact.values() for cookie in entries]

    def lookup(self, name: str, storage: str | None = None) -> tuple[KnownCookie, ...]:
        """Every entry for ``name``: exact (or the same pattern) first, then patterns matching it."""
        if len(name) > _CACHED_NAME_LENGTH:  # a hostile name is not kept for later
            return self._lookup(name, storage)
        return self._cached(name, storage)

    def _lookup(self, name: str, storage: str | None = None) -> tuple[KnownCookie, ...]:
        found = list(self.exact.get(name, ()))
        for end in self.prefix_lengths:
            if end > len(name):
                break
            for cookie in self.patterns.get(name[:end], ()):
                if cookie.name != name and matches(cookie.name, name):
                    found.append(cookie)
        if storage is not None:
            found = [cookie for cookie in found if cookie.storage == storage]
        return tuple(found)

    def aliases(self, provider: str) -> tuple[str, ...]:
        known = self.providers.get(provider)
        return (provider, *known.aliases) if known is not None else (provider,)


_CACHED_NAME_LENGTH = 256


@functools.cache
def load(paths: tuple[str, ...] = ()) -> KnowledgeBase:
    """The built-in knowledge base, with the files at ``paths`` read over it in order."""
    cookies, providers = _read_own(BUILT_IN, validate=False)
    for path in paths:
        if path.lower().endswith(".csv"):
            more, more_providers = _read_open_cookie_database(Path(path))
        else:
            more, more_providers = _read_own(Path(path), validate=True)
        names = {cookie.name for cookie in more}
        cookies = [cookie for cookie in cookies if cookie.name not in names] + more
        providers.update(more_providers)
    return KnowledgeBase(cookies, providers)


def _read_own(path: Path, validate: bool) -> tuple[list[KnownCookie], dict[str, KnownProvider]]:
    from cookielint.document import parse

    text = _read_text(path, "utf-8")
    # cookielint's own reader: safe YAML, and faster than building PyYAML's node tree.
    document, problems = parse(text)
    if document is None or problems:
        problem = problems[0]
        raise KnowledgeError(
            f"{path}:{problem.line}:{problem.column}: not valid YAML: {problem.message}"
        )
    data = document.data
    if not isinstance(data, dict):
        raise KnowledgeError(
            f"{path}: not a known-cookies file (a mapping with providers and cookies)"
        )
    if validate:
        _validate(data, path)
    providers = {
        p["name"]: KnownProvider(
            p["name"], tuple(p.get("aliases", ())), p.get("note", ""), p.get("self_hosted", False)
        )
        for p in data.get("providers", ())
    }
    origin = "built-in" if path == BUILT_IN else str(path)
    cookies = [
        KnownCookie(
            name=c["name"],
            provider=c["provider"],
            category=c["category"],
            party=c.get("party"),
            lifetime=parse_duration(c["lifetime"]) if "lifetime" in c else None,
            storage=c.get("storage", "cookie"),
            source=c["source"],
            description=c.get("description", ""),
            origin=origin,
            generic=c.get("generic", False),
        )
        for c in data.get("cookies", ())
    ]
    return cookies, providers


# A known-cookies file is read whole; the Open Cookie Database's export is about 1 MB.
MAX_KNOWLEDGE_FILE_SIZE = 64 * 2**20


def _read_text(path: Path, encoding: str) -> str:
    """The text of a known-cookies file: a regular file, read once and never past the size limit
    (a FIFO could block forever, a device never end)."""
    try:
        # Opened without waiting: opening a FIFO for reading blocks until a writer comes.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(descriptor, "rb") as stream:
            if not stat.S_ISREG(os.fstat(descriptor).st_mode):
                raise KnowledgeError(
                    f"{path}: cannot read the known-cookies file: not a regular file"
                )
            raw = stream.read(MAX_KNOWLEDGE_FILE_SIZE + 1)
        if len(raw) > MAX_KNOWLEDGE_FILE_SIZE:
            raise KnowledgeError(
                f"{path}: cannot read the known-cookies file: larger than "
                f"{MAX_KNOWLEDGE_FILE_SIZE // 2**20} MiB"
            )
        return raw.decode(encoding)
    except (OSError, UnicodeDecodeError) as error:
        raise KnowledgeError(f"{path}: cannot read the known-cookies file: {error}") from None


def _validate(data: Any, path: Path) -> None:
    from cookielint.schema import reference_validator

    validator = reference_validator(KNOWN_COOKIES_SCHEMA)
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        error = errors[0]
        where = "/".join(str(p) for p in error.absolute_path)
        row = (
            f"entry {error.absolute_path[1] + 1}"
            if len(error.absolute_path) > 1
            else where or "top level"
        )
        raise KnowledgeError(f"{path}: {row}: {error.message}")
    providers = {p["name"] for p in data["providers"]}
    for index, cookie in enumerate(data["cookies"]):
        if cookie["provider"] not in providers:
            raise KnowledgeError(
                f"{path}: entry {index + 1} ({cookie['name']}): provider '{cookie['provider']}' is not in providers"
            )


def _read_open_cookie_database(path: Path) -> tuple[list[KnownCookie], dict[str, KnownProvider]]:
    text = _read_text(path, "utf-8-sig")
    rows = _rows(csv.reader(io.StringIO(text, newline="")), path)
    header = next(rows, None)
    if header is None or [h.strip() for h in header] != OPEN_COOKIE_DATABASE_HEADER:
        raise KnowledgeError(
            f"{path}: row 1: not the Open Cookie Database header ({','.join(OPEN_COOKIE_DATABASE_HEADER)})"
        )
    cookies = []
    providers: dict[str, KnownProvider] = {}
    for number, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(OPEN_COOKIE_DATABASE_HEADER):
            raise KnowledgeError(
                f"{path}: row {number}: {len(row)} fields, expected {len(OPEN_COOKIE_DATABASE_HEADER)}"
            )
        _, platform, category, name, domain, description, retention, controller, portal, wild = (
            cell.strip() for cell in row
        )
        mapped = _OCD_CATEGORIES.get(category.lower())
        if mapped is None:
            raise KnowledgeError(f"{path}: row {number}: unknown category '{category}'")
        if not name:
            raise KnowledgeError(f"{path}: row {number}: no cookie name")
        if wild not in ("0", "1", ""):
            raise KnowledgeError(
                f"{path}: row {number}: Wildcard match must be 0 or 1, not '{wild}'"
            )
        provider = platform or controller or "unknown"
        providers.setdefault(
            provider, KnownProvider(provider, tuple({controller} - {"", provider}))
        )
        cookies.append(
            KnownCookie(
                name=name + "*" if wild == "1" and not name.endswith("*") else name,
                provider=provider,
                category=mapped,
                party="third"
                if "3rd party" in domain.lower() or "third" in domain.lower()
                else None,
                lifetime=parse_retention(retention),
                storage="cookie",
                source=portal or f"{path} row {number}",
                description=description,
                origin=f"{path} row {number}",
            )
        )
    return cookies, providers


def _rows(reader: Iterator[list[str]], path: Path) -> Iterator[list[str]]:
    """The CSV's rows; a row the reader refuses (a field over its size limit) is a KnowledgeError."""
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise KnowledgeError(
                f"{path}: row {getattr(reader, 'line_num', '?')}: not valid CSV: {error}"
            ) from None
        yield row


_RETENTION = re.compile(
    r"(?P<n>\d+|an?|one|two|three|six|twelve|thirteen)\s*(?P<unit>second|sec|minute|min|hour|day|week|month|year)s?",
    re.IGNORECASE,
)
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "six": 6, "twelve": 12, "thirteen": 13}
_UNITS = {"sec": "second", "min": "minute"}


def parse_retention(text: str) -> Duration | None:
    """The Open Cookie Database's free-text retention ("2 years", "session", "Unknown") as a duration."""
    lowered = text.strip().lower()
    if not lowered or lowered.startswith(("unknown", "persistent", "n/a", "varies")):
        return None
    if "session" in lowered:
        return Duration("session", None)
    match = _RETENTION.search(lowered)
    if match is None:
        return None
    number = match["n"].lower()
    count = int(number) if number.isdigit() else _NUMBERS[number]
    if count <= 0:
        return None
    unit = _UNITS.get(match["unit"].lower(), match["unit"].lower())
    return parse_duration(f"{count} {unit}{'s' if count != 1 else ''}")


_SEPARATORS = re.compile(r"[\W_]+")


def normalize_provider(name: str) -> str:
    return _SEPARATORS.sub("", name).lower()


def provider_matches(declared: str, known: KnownCookie, base: KnowledgeBase) -> bool:
    """Tolerant of case, punctuation, known aliases, and "Google" vs "Google Analytics".

    Any provider goes for self-hosted software's cookies: the site sets them itself.
    """
    provider = base.providers.get(known.provider)
    if provider is not None and provider.self_hosted:
        return True
    mine = normalize_provider(declared)
    if not mine:
        return False
    for alias in base.aliases(known.provider):
        theirs = normalize_provider(alias)
        if theirs and (mine == theirs or mine.startswith(theirs) or theirs.startswith(mine)):
            return True
    return False
