"""The typed policy model the rules see: only the fields the schema accepted.

A declaration the schema rejects in part still reaches the rules; each field
it got wrong is simply absent (None), so rules run on everything well-formed.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import urlsplit

from cookielint.duration import Duration, parse_duration
from cookielint.pointer import join_pointer

if TYPE_CHECKING:
    from cookielint.knowledge import KnowledgeBase, KnownCookie


class Provider(NamedTuple):
    pointer: str
    name: str | None
    url: str | None = None
    privacy_policy: str | None = None


class LocalText(NamedTuple):
    """A text visitors read (site name, function, location, purpose, description) given per
    language, as a mapping of language tags to texts."""

    pointer: str
    values: dict[str, str]
    """Language tag → text, in the order written."""


class Cookie(NamedTuple):
    """One declaration of ``cookies``, as the rules read it (a named tuple: a policy of
    thousands is built quickly)."""

    pointer: str
    index: int  # type: ignore[assignment]  # the declaration's index, in place of tuple.index
    declared: tuple[str, ...]
    """Every key the declaration writes, well-formed or not, in the order written."""
    name: str | None = None
    provider: str | None = None
    party: str | None = None
    category: str | None = None
    function: str | None = None
    location: list[str] | None = None
    purposes: list[str] | None = None
    description: str | None = None
    consent: str | None = None
    duration: Duration | None = None
    storage: str | None = "cookie"
    anonymized: bool | None = None
    refresh: bool | None = None
    domain: str | None = None
    path: str | None = None
    secure: bool | None = None
    http_only: bool | None = None
    same_site: str | None = None
    tcf_purposes: list[int] | None = None
    known: tuple[KnownCookie, ...] = ()
    """What the knowledge base knows about this name (generic names left out), the entry of
    the declared provider first."""

    def at(self, key: str, *more: object) -> str:
        """The JSON pointer of one of this declaration's fields."""
        return self.pointer + join_pointer(key, *more)

    @property
    def label(self) -> str:
        return label(self.name, "cookie", self.index)

    @property
    def is_wildcard(self) -> bool:
        return self.name is not None and "*" in self.name


class Policy(NamedTuple):
    site_host: str | None
    providers: list[Provider] | None
    """None when the file has no (well-formed) providers list: then any provider name goes."""
    cookies: list[Cookie]
    knowledge: KnowledgeBase | None = None
    """What is known about well-known cookies, for the CL5xx rules."""
    updated: str | None = None
    """The date the policy last changed for visitors (YYYY-MM-DD), when given and well-formed."""
    languages: tuple[str, ...] = ()
    """``site.languages`` as declared; the first is the default language."""
    texts: Mapping[str, LocalText] = MappingProxyType({})  # empty, and no one can fill it
    """The texts given per language (a mapping), by JSON pointer. A text given as a plain
    string is not here: it is the default language's, as the field that holds it."""
    site_name: str | None = None
    site_url: str | None = None
    contact_email: str | None = None
    contact_url: str | None = None

    @property
    def default_language(self) -> str | None:
        return self.languages[0] if self.languages else None


def label(name: object, kind: str, index: int) -> str:
    if isinstance(name, str) and name:
        return f"{kind} '{name}'"
    return f"{kind} #{index + 1}"


_FIELDS = {
    "name": str,
    "provider": str,
    "party": str,
    "category": str,
    "function": str,
    "location": list,
    "purposes": list,
    "description": str,
    "consent": str,
    "duration": str,
    "storage": str,
    "anonymized": bool,
    "refresh": bool,
    "domain": str,
    "path": str,
    "secure": bool,
    "http_only": bool,
    "same_site": str,
    "tcf_purposes": list,
}
# Texts visitors read: a string, or a mapping of language tags to strings.
_TEXTS = {"function", "description"}
_TEXT_LISTS = {"location", "purposes"}


def build_policy(
    data: Any, rejected: Collection[str], knowledge: KnowledgeBase | None = None
) -> Policy:
    """The model of ``data``, leaving out every value at a pointer in ``rejected``.

    ``rejected`` holds the pointers of schema errors and all their ancestors.
    """
    if not isinstance(data, dict):
        return Policy(None, None, [], knowledge)
    languages = _languages(data, rejected)
    texts: dict[str, LocalText] = {}
    cookies = _cookies(data, rejected, languages[0] if languages else None, texts)
    if knowledge is not None:
        cookies = [_with_knowledge(cookie, knowledge) for cookie in cookies]
    site = data.get("site")
    site = site if isinstance(site, dict) else {}
    contact = site.get("contact")
    contact = contact if isinstance(contact, dict) else {}
    site_name = _text("/site/name", site.get("name"), rejected, texts, languages)
    return Policy(
        _site_host(data, rejected),
        _providers(data, rejected),
        cookies,
        knowledge,
        updated=_updated(data, rejected),
        languages=languages,
        texts=texts,
        site_name=site_name,
        site_url=_string(site.get("url"), "/site/url", rejected),
        contact_email=_string(contact.get("email"), "/site/contact/email", rejected),
        contact_url=_string(contact.get("url"), "/site/contact/url", rejected),
    )


def _string(value: object, pointer: str, rejected: Collection[str]) -> str | None:
    return value if isinstance(value, str) and pointer not in rejected else None


def _languages(data: dict[str, Any], rejected: Collection[str]) -> tuple[str, ...]:
    site = data.get("site")
    languages = site.get("languages") if isinstance(site, dict) else None
    if not isinstance(languages, list) or "/site/languages" in rejected:
        return ()
    return tuple(dict.fromkeys(tag for tag in languages if isinstance(tag, str)))


def _text(
    pointer: str,
    value: object,
    rejected: Collection[str],
    texts: dict[str, LocalText],
    languages: tuple[str, ...],
) -> str | None:
    """The default language's text at ``pointer`` (a text given per language is recorded in
    ``texts``); None when it is not well-formed."""
    if isinstance(value, str):
        return value if pointer not in rejected else None
    if not isinstance(value, dict) or not value or pointer in rejected:
        return None
    if not all(isinstance(v, str) for v in value.values()):
        return None
    text = LocalText(pointer, {str(tag): v for tag, v in value.items()})
    texts[pointer] = text
    # What the rules read: the text in the default language, else the first one given.
    if languages and languages[0] in text.values:
        return text.values[languages[0]]
    return next(iter(text.values.values()))


def _with_knowledge(cookie: Cookie, knowledge: KnowledgeBase) -> Cookie:
    if cookie.name is None or cookie.storage is None:
        return cookie
    entries = list(knowledge.deciding(cookie.name, cookie.storage))
    if not entries:
        return cookie
    provider = cookie.provider
    if provider is not None:
        from cookielint.knowledge import provider_matches

        entries.sort(key=lambda e: not provider_matches(provider, e, knowledge))
    return cookie._replace(known=tuple(entries))


def _site_host(data: dict[str, Any], rejected: Collection[str]) -> str | None:
    site = data.get("site")
    if (
        not isinstance(site, dict)
        or "/site/url" in rejected
        or not isinstance(site.get("url"), str)
    ):
        return None
    try:
        host = urlsplit(site["url"]).hostname
    except ValueError:
        return None
    return host or None


def _updated(data: dict[str, Any], rejected: Collection[str]) -> str | None:
    updated = data.get("updated")
    if not isinstance(updated, str) or "/updated" in rejected:
        return None
    return updated


def _providers(data: dict[str, Any], rejected: Collection[str]) -> list[Provider] | None:
    providers = data.get("providers")
    if not isinstance(providers, list):
        return None
    result = []
    for index, entry in enumerate(providers):
        pointer = join_pointer("providers", index)
        if not isinstance(entry, dict):
            result.append(Provider(pointer, None))
            continue
        result.append(
            Provider(
                pointer,
                _string(entry.get("name"), pointer + "/name", rejected),
                _string(entry.get("url"), pointer + "/url", rejected),
                _string(entry.get("privacy_policy"), pointer + "/privacy_policy", rejected),
            )
        )
    return result


def _cookies(
    data: dict[str, Any],
    rejected: Collection[str],
    default_language: str | None = None,
    texts: dict[str, LocalText] | None = None,
) -> list[Cookie]:
    cookies = data.get("cookies")
    if not isinstance(cookies, list):
        return []
    languages = (default_language,) if default_language else ()
    result = []
    for index, entry in enumerate(cookies):
        if type(entry) is not dict:
            continue
        pointer = f"/cookies/{index}"
        fields: dict[str, Any] = {}
        for key, value in entry.items():
            kind = _FIELDS.get(key)
            if kind is None:
                continue
            if texts is not None and key in _TEXTS:
                fields[key] = _text(f"{pointer}/{key}", value, rejected, texts, languages)
            elif not isinstance(value, kind) or (rejected and f"{pointer}/{key}" in rejected):
                fields[key] = None
            elif texts is not None and key in _TEXT_LISTS and isinstance(value, list):
                items: list[str | None] = [
                    v
                    if type(v) is str
                    else _text(f"{pointer}/{key}/{i}", v, rejected, texts, languages)
                    for i, v in enumerate(value)
                ]
                fields[key] = [item for item in items if item is not None]
            elif key == "tcf_purposes" and isinstance(value, list):
                fields[key] = [item for item in value if type(item) is int]
            elif isinstance(value, str) and key == "duration":
                fields[key] = parse_duration(value)
            elif isinstance(value, list):
                fields[key] = [item for item in value if isinstance(item, str)]
            else:
                fields[key] = value
        result.append(Cookie(pointer, index, tuple(entry), **fields))
    return result
