"""What is known about well-known cookies: the built-in knowledge base and files added to it.

Sources are read in order, the built-in one first. Added sources add what
the earlier ones do not know: where two know a name, the earlier entry wins,
unless the added file says ``replaces_built_in: true`` (cookielint's format
only). For the rules, a name is decided by the first source that knows it, an
exact name before a pattern. Two formats are read: cookielint's own (YAML,
``schema/known-cookies.schema.json``) and the Open Cookie Database's CSV
export, whose platform names resolve through the provider registry
(``cookielint.providers``).
"""

from __future__ import annotations

import csv
import functools
import io
import os
import re
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:  # the registry is built when a provider is first compared
    from cookielint.providers import Providers

from cookielint.duration import Duration, parse_duration
from cookielint.names import matches

BUILT_IN = Path(__file__).resolve().parent / "data" / "known-cookies.yaml"
KNOWN_COOKIES_SCHEMA = "known-cookies.schema.json"

TRACKING = frozenset({"statistics", "marketing", "social"})
# The Open Cookie Database's "Functional" is necessary or preferences: never a tracker.
FUNCTIONAL = "necessary or preferences"
# An added pattern whose literal text is this short matches too much (`_s*`, `tp*`): skipped.
MIN_PATTERN_LITERAL = 4

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
    "necessary": "necessary",
    "analytics": "statistics",
    "marketing": "marketing",
    "personalization": "preferences",
    "security": "necessary",
    "functional": FUNCTIONAL,
}


class KnowledgeError(Exception):
    """A knowledge file that can't be used: the command can't do its job (exit 2)."""


class KnownCookie(NamedTuple):
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
    unverified: tuple[str, ...] = ()
    """The facts (category, lifetime, party...) not checked against the provider's own page."""
    rank: int = 0
    """Which source decides first: the lowest rank (the built-in base is 0)."""

    @property
    def is_wildcard(self) -> bool:
        return "*" in self.name


class KnownProvider(NamedTuple):
    name: str
    aliases: tuple[str, ...] = ()
    note: str = ""
    self_hosted: bool = False
    """Software the site runs itself: the site may name itself as the provider."""
    origin: str = "built-in"


class KnowledgeBase:
    def __init__(
        self,
        cookies: list[KnownCookie],
        providers: dict[str, KnownProvider],
        notes: tuple[str, ...] = (),
    ) -> None:
        self.providers = providers
        self.notes = notes
        """What was skipped in added files, and why (one line each)."""
        self.exact: dict[str, list[KnownCookie]] = {}
        # Patterns by their text before the first *: a name is only tried against
        # the patterns whose prefix it starts with.
        self.patterns: dict[str, list[KnownCookie]] = {}
        for cookie in cookies:
            self.exact.setdefault(cookie.name, []).append(cookie)
            if cookie.is_wildcard:
                prefix = cookie.name.split("*", 1)[0]
                self.patterns.setdefault(prefix, []).append(cookie)
        # The lengths of those prefixes, by their first character: a name is cut at the
        # lengths of the prefixes that start as it does ("" for a pattern that starts with
        # *), never at each of its own characters (a name of 800,000 characters would be
        # cut 800,000 times).
        lengths: dict[str, set[int]] = {}
        for prefix in self.patterns:
            lengths.setdefault(prefix[:1], set()).add(len(prefix))
        self.prefix_lengths = {first: sorted(found) for first, found in lengths.items()}
        self._cached = functools.lru_cache(maxsize=4096)(self._lookup)

    @functools.cached_property
    def registry(self) -> Providers:
        """Who is who among providers: built when a declaration's provider is first compared."""
        from cookielint.providers import Providers

        return Providers(
            (p.name, p.aliases) for p in self.providers.values() if p.origin != "built-in"
        )

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
        # The prefixes by length, as they were written: "" first, then those of name's start.
        for first in ("", name[:1]) if name else ("",):
            for end in self.prefix_lengths.get(first, ()):
                if end > len(name):
                    break
                for cookie in self.patterns.get(name[:end], ()):
                    if cookie.name != name and matches(cookie.name, name):
                        found.append(cookie)
        if storage is not None:
            found = [cookie for cookie in found if cookie.storage == storage]
        found.sort(key=lambda cookie: cookie.rank)
        return tuple(found)

    def deciding(self, name: str, storage: str | None = None) -> tuple[KnownCookie, ...]:
        """The entries the rules go by: from the first source that knows ``name``, its exact
        entries if it has any (``AMP_TOKEN`` is not an ``AMP_*``), generic names left out."""
        found = [cookie for cookie in self.lookup(name, storage) if not cookie.generic]
        if not found:
            return ()
        rank = min(cookie.rank for cookie in found)
        found = [cookie for cookie in found if cookie.rank == rank]
        exact = [cookie for cookie in found if cookie.name == name]
        return tuple(exact or found)

    def is_self_hosted(self, provider: str) -> bool:
        known = self.providers.get(provider)
        return (known is not None and known.self_hosted) or self.registry.is_self_hosted(provider)


_CACHED_NAME_LENGTH = 256


@functools.cache
def load(paths: tuple[str, ...] = ()) -> KnowledgeBase:
    """The built-in knowledge base, with the files at ``paths`` added in order.

    What an added file could not use (a bad row, a pattern too short to trust)
    is skipped with a note on standard error; only a file that can't be read
    at all is an error.
    """
    cookies, providers, _ = _read_own(BUILT_IN, validate=False)
    notes: list[str] = []
    for number, path in enumerate(paths, start=1):
        if path.lower().endswith(".csv"):
            more, more_providers, skipped = _read_open_cookie_database(Path(path))
            replaces = False
        else:
            more, more_providers, replaces = _read_own(Path(path), validate=True)
            skipped = []
        notes += skipped
        rank = -number if replaces else number
        more = [cookie._replace(rank=rank) for cookie in more]
        if replaces:
            names = {cookie.name for cookie in more}
            cookies = [cookie for cookie in cookies if cookie.name not in names]
        else:
            names = {cookie.name for cookie in cookies}
            more = [cookie for cookie in more if cookie.name not in names]
        cookies += more
        for name, provider in more_providers.items():
            providers.setdefault(name, provider)
    for note in notes:
        from cookielint.escape import visible

        sys.stderr.write(f"cookielint: warning: {visible(note)}\n")
    return KnowledgeBase(cookies, providers, tuple(notes))


def _read_own(
    path: Path, validate: bool
) -> tuple[list[KnownCookie], dict[str, KnownProvider], bool]:
    from cookielint.document import ReadError, clean, parse

    if path == BUILT_IN:
        from cookielint import builtin_data

        return _entries(builtin_data.load("known-cookies"), path, validate=False)
    text = _read_text(path, "utf-8")
    # cookielint's own reader: safe YAML, and faster than building PyYAML's node tree.
    document = clean(parse(text))
    if isinstance(document, ReadError):
        raise KnowledgeError(
            f"{path}:{document.line}:{document.column}: not valid YAML: {document.message}"
        )
    return _entries(document.data, path, validate)


def _entries(
    data: Any, path: Path, validate: bool
) -> tuple[list[KnownCookie], dict[str, KnownProvider], bool]:
    if not isinstance(data, dict):
        raise KnowledgeError(
            f"{path}: not a known-cookies file (a mapping with providers and cookies)"
        )
    if validate:
        _validate(data, path)
    origin = "built-in" if path == BUILT_IN else str(path)
    providers = {
        p["name"]: KnownProvider(
            p["name"],
            tuple(p.get("aliases", ())),
            p.get("note", ""),
            p.get("self_hosted", False),
            origin,
        )
        for p in data.get("providers", ())
    }
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
            unverified=tuple(c.get("unverified", ())),
        )
        for c in data.get("cookies", ())
    ]
    return cookies, providers, bool(data.get("replaces_built_in", False))


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


def _read_open_cookie_database(
    path: Path,
) -> tuple[list[KnownCookie], dict[str, KnownProvider], list[str]]:
    text = _read_text(path, "utf-8-sig")
    rows = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(rows, None)
    except csv.Error as error:
        raise KnowledgeError(f"{path}: row 1: {error}") from None
    if header is None or [h.strip() for h in header] != OPEN_COOKIE_DATABASE_HEADER:
        raise KnowledgeError(
            f"{path}: row 1: not the Open Cookie Database header ({','.join(OPEN_COOKIE_DATABASE_HEADER)})"
        )
    cookies = []
    providers: dict[str, KnownProvider] = {}
    notes: list[str] = []
    number = 1
    while True:
        try:
            row = next(rows, None)
        except csv.Error as error:  # a stray NUL, an unterminated quote at the end
            notes.append(f"{path}: row {number + 1}: skipped: {error}")
            break
        if row is None:
            break
        number += 1
        if not any(cell.strip() for cell in row):
            continue
        entry, note = _open_cookie_database_row(path, number, row)
        if note:
            notes.append(f"{path}: row {number}: {note}")
        if entry is None:
            continue
        cookie, provider = entry
        providers.setdefault(provider.name, provider)
        cookies.append(cookie)
    return cookies, providers, notes


def _open_cookie_database_row(
    path: Path, number: int, row: list[str]
) -> tuple[tuple[KnownCookie, KnownProvider] | None, str]:
    """One row as an entry, or None and why it is skipped."""
    if len(row) != len(OPEN_COOKIE_DATABASE_HEADER):
        return None, f"skipped: {len(row)} fields, expected {len(OPEN_COOKIE_DATABASE_HEADER)}"
    _, platform, category, name, domain, description, retention, controller, portal, wild = (
        cell.strip() for cell in row
    )
    mapped = _OCD_CATEGORIES.get(category.lower())
    if mapped is None:
        return None, f"skipped: unknown category '{category}'"
    if not name:
        return None, "skipped: no cookie name"
    if wild not in ("0", "1", ""):
        return None, f"skipped: Wildcard match must be 0 or 1, not '{wild}'"
    if wild == "1" and not name.endswith("*"):
        name += "*"
    if "*" in name and len(name.replace("*", "")) < MIN_PATTERN_LITERAL:
        return None, f"skipped: the pattern {name} is too short to tell one cookie from another"
    if not _TOKEN.fullmatch(name):
        return None, f"skipped: '{name}' is not a cookie name"
    provider = platform or controller or "unknown"
    source = portal if portal.startswith("https://") else f"{path} row {number}"
    cookie = KnownCookie(
        name=name,
        provider=provider,
        category=mapped,
        party="third" if "3rd party" in domain.lower() or "third" in domain.lower() else None,
        lifetime=parse_retention(retention),
        storage="cookie",
        source=source,
        description=description,
        origin=f"{path} row {number}",
    )
    return (
        cookie,
        KnownProvider(provider, tuple({controller} - {"", provider}), origin=str(path)),
    ), ""


# RFC 6265 token characters, and * for a pattern.
_TOKEN = re.compile(r"[A-Za-z0-9!#$%&'*+.^_`|~-]+")


_RETENTION = re.compile(
    r"(?P<n>\d+|an?|one|two|three|six|twelve|thirteen)\s*(?P<unit>second|sec|minute|min|hour|day|week|month|year)s?",
    re.IGNORECASE,
)
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "six": 6, "twelve": 12, "thirteen": 13}
_UNITS = {"sec": "second", "min": "minute"}


def parse_retention(text: str) -> Duration | None:
    """The Open Cookie Database's free-text retention ("2 years", "session", "Unknown") as a duration."""
    lowered = text.strip().lower()[:200]
    if not lowered or lowered.startswith(
        ("unknown", "persistent", "n/a", "varies", "various", "forever", "unlimited", "permanent")
    ):
        return None
    if "session" in lowered or lowered == "seesion":
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


def provider_matches(declared: str, known: KnownCookie, base: KnowledgeBase) -> bool:
    """Whether ``declared`` names the organisation that sets ``known`` (``cookielint.providers``).

    Software the site runs itself may be declared under any name but another
    known organisation's (the site's own, its operator's); the cookies of web
    frameworks and load balancers under any name at all, since hosted services
    run them too (Zendesk's `connect.sid`).
    """
    registry = base.registry
    theirs = registry.organisations(known.provider)
    if registry.is_framework(known.provider):
        return True
    if base.is_self_hosted(known.provider):
        mine = registry.organisations(declared, contained=False)
        return not mine or bool(mine & theirs)
    if not theirs:
        from cookielint.providers import words

        return bool(words(declared)) and words(declared) == words(known.provider)
    return bool(registry.organisations(declared) & theirs)
