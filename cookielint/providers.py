"""Who a provider name stands for: organisations, their products, and the ways sites write them.

Cookie policies name providers the way their lawyers or marketers do: "Google
Ireland Limited", "Google (DoubleClick)", "Meta Platforms Ireland Ltd",
"Bing / Microsoft", "Snap Inc.". The registry (``data/providers.yaml``,
``schema/providers.schema.json``) knows organisations, their products, aliases
and former names; a written name resolves to the organisations it names.

Names are compared as words, never as bare prefixes: legal suffixes ("Inc",
"Ltd", "GmbH", "Ireland Unlimited Company"), punctuation and case are ignored,
text in parentheses is an alternative name, and a known name found inside a
longer one counts only as whole words and only when it is at least
``MIN_CONTAINED`` characters long ("Xandr" never stands for "X").

The built-in registry is read from ``data/providers-index.json``, its names
already normalised (``python -m cookielint.builtin_data`` writes it from the
YAML); added knowledge is normalised when it is read.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

BUILT_IN = Path(__file__).resolve().parent / "data" / "providers.yaml"
PROVIDERS_SCHEMA = "providers.schema.json"

# A known name found inside a longer one must be this long (normalised, spaces included).
MIN_CONTAINED = 4
# Words that say what kind of company it is, or where, not who: dropped from the end of a name.
LEGAL_WORDS = frozenset(
    [
        "inc",
        "incorporated",
        "llc",
        "llp",
        "lp",
        "ltd",
        "limited",
        "unlimited",
        "company",
        "co",
        "corp",
        "corporation",
        "plc",
        "pty",
        "pte",
        "gmbh",
        "mbh",
        "ag",
        "kg",
        "ohg",
        "ug",
        "ev",
        "sa",
        "sas",
        "sasu",
        "sarl",
        "srl",
        "spa",
        "sl",
        "slu",
        "bv",
        "nv",
        "ab",
        "as",
        "aps",
        "oy",
        "oyj",
        "kk",
        "holding",
        "holdings",
        "group",
        "international",
        "operations",
        "ireland",
        "europe",
        "emea",
        "eu",
        "uk",
        "us",
        "usa",
        "com",
        "net",
        "io",
        "org",
    ]
)
MAX_WORDS = 16
_PARENTHESES = re.compile(r"\(([^()]*)\)|\[([^\[\]]*)\]")
_SPLIT = re.compile(r"\s*(?:/|\||;|,|\s[-–—]\s|\bvia\b)\s*", re.IGNORECASE)
_AS = re.compile(r"\ba/s\b", re.IGNORECASE)
_NOT_WORD = re.compile(r"[^0-9a-z]+")
# Dotted initials are one word: S.A., B.V., S.à r.l. (accents are gone by then).
_INITIALS = re.compile(r"\b(?:[a-z]\.\s?){2,}(?![a-z0-9])")


class Identity(NamedTuple):
    organisation: str
    product: str | None = None

    @property
    def name(self) -> str:
        return self.product or self.organisation


def words(text: str) -> str:
    """``text`` lowercased, accents, punctuation and trailing legal words removed."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = _INITIALS.sub(lambda m: m[0].replace(".", "").replace(" ", "") + " ", text)
    text = text.replace("&", " and ").replace("'", "").replace("’", "")
    tokens = _NOT_WORD.sub(" ", text).split()[:MAX_WORDS]
    while tokens and tokens[-1] in LEGAL_WORDS:
        tokens.pop()
    if tokens and tokens[0] == "the":
        tokens = tokens[1:]
    return " ".join(tokens)


def phrases(text: str) -> list[str]:
    """The names a written provider holds: the text, what is in parentheses, each part of a list."""
    text = _AS.sub(" as ", text[:500])
    inside = [a or b for a, b in _PARENTHESES.findall(text)]
    outside = _PARENTHESES.sub(" ", text)
    found = []
    for part in [outside, *inside]:
        for piece in [part, *_SPLIT.split(part)]:
            normal = words(piece)
            if normal and normal not in found:
                found.append(normal)
    return found


class Registry:
    """Organisations and products by every normalised name they go by."""

    def __init__(
        self,
        names: dict[str, set[Identity]] | None = None,
        self_hosted: set[str] | None = None,
        frameworks: set[str] | None = None,
    ) -> None:
        self.names = names if names is not None else {}
        self.self_hosted = self_hosted if self_hosted is not None else set()
        self.frameworks = frameworks if frameworks is not None else set()

    def add(self, identity: Identity, *names: str) -> None:
        for name in names:
            for phrase in phrases(name):
                self.names.setdefault(phrase, set()).add(identity)
                joined = phrase.replace(" ", "")  # "AB Tasty" is also written "ABTasty"
                if joined != phrase and len(joined) >= MIN_CONTAINED:
                    self.names.setdefault(joined, set()).add(identity)

    def resolve(self, text: str, contained: bool = True) -> frozenset[Identity]:
        """Who ``text`` names: the names it is, else (``contained``) the longest known name in it."""
        return _resolve(self, text, contained)


@functools.lru_cache(maxsize=8192)
def _resolve(registry: Registry, text: str, contained: bool) -> frozenset[Identity]:
    found: set[Identity] = set()
    candidates = phrases(text)
    for phrase in candidates:
        found |= registry.names.get(phrase, set()) | registry.names.get(
            phrase.replace(" ", ""), set()
        )
    if found or not contained:
        return frozenset(found)
    for phrase in candidates:
        tokens = phrase.split()
        best: set[Identity] = set()
        best_length = 0
        for start in range(len(tokens)):
            for end in range(len(tokens), start, -1):
                window = " ".join(tokens[start:end])
                if len(window) < max(MIN_CONTAINED, best_length):
                    break
                identities = registry.names.get(window)
                if identities:
                    if len(window) > best_length:
                        best, best_length = set(identities), len(window)
                    elif len(window) == best_length:
                        best |= identities
                    break
        found |= best
    return frozenset(found)


def build(data: Mapping[str, Any]) -> Registry:
    """A registry from the providers file's data (already valid against its schema)."""
    registry = Registry()
    for organisation in data.get("organisations", ()):
        name = organisation["name"]
        registry.add(
            Identity(name),
            name,
            *organisation.get("aliases", ()),
            *organisation.get("former_names", ()),
        )
        for product in organisation.get("products", ()):
            identity = Identity(name, product["name"])
            registry.add(
                identity,
                product["name"],
                *product.get("aliases", ()),
                *product.get("former_names", ()),
            )
            if product.get("self_hosted") or product.get("framework"):
                registry.self_hosted.add(product["name"])
            if product.get("framework"):
                registry.frameworks.add(product["name"])
    return registry


def index(registry: Registry) -> dict[str, Any]:
    """``registry`` as JSON data, every list sorted: what ``from_index`` reads."""
    return {
        "names": {
            phrase: [list(identity) for identity in sorted(registry.names[phrase], key=_order)]
            for phrase in sorted(registry.names)
        },
        "self_hosted": sorted(registry.self_hosted),
        "frameworks": sorted(registry.frameworks),
    }


def _order(identity: Identity) -> tuple[str, str]:
    return identity.organisation, identity.product or ""


def from_index(data: Mapping[str, Any]) -> Registry:
    """The registry that ``index`` wrote as ``data``."""
    return Registry(
        {phrase: {Identity(*pair) for pair in pairs} for phrase, pairs in data["names"].items()},
        set(data["self_hosted"]),
        set(data["frameworks"]),
    )


@functools.cache
def built_in() -> Registry:
    from cookielint import builtin_data

    return from_index(builtin_data.load(builtin_data.PROVIDERS_INDEX))


class Providers:
    """The built-in registry, with the providers that added knowledge brings.

    A name resolves against the built-in registry first; only names it does not
    know are looked up among the added ones, so that added knowledge can never
    change what a well-known name stands for.
    """

    def __init__(self, added: Iterable[tuple[str, tuple[str, ...]]] = ()) -> None:
        self.built_in = built_in()
        self.added = Registry()
        for name, aliases in added:
            identities = self.built_in.resolve(name)
            if not identities:
                # An unknown product of a known organisation ("Google Optimize" by "Google").
                owners = [self.built_in.resolve(alias) for alias in aliases]
                organisations = {i.organisation for found in owners for i in found}
                identities = frozenset(Identity(o, name) for o in organisations) or frozenset(
                    {Identity(name)}
                )
            for identity in identities:
                self.added.add(identity, name, *aliases)

    def resolve(self, text: str, contained: bool = True) -> frozenset[Identity]:
        return self.built_in.resolve(text, contained) or self.added.resolve(text, contained)

    def organisations(self, text: str, contained: bool = True) -> frozenset[str]:
        return frozenset(identity.organisation for identity in self.resolve(text, contained))

    def is_self_hosted(self, provider: str) -> bool:
        return any(
            identity.product in self.built_in.self_hosted
            for identity in self.built_in.resolve(provider, contained=False)
        )

    def is_framework(self, provider: str) -> bool:
        return any(
            identity.product in self.built_in.frameworks
            for identity in self.built_in.resolve(provider, contained=False)
        )
