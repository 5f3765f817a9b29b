"""The typed policy model the rules see: only the fields the schema accepted.

A declaration the schema rejects in part still reaches the rules; each field
it got wrong is simply absent (None), so rules run on everything well-formed.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from cookielint.duration import Duration, parse_duration
from cookielint.pointer import join_pointer

if TYPE_CHECKING:
    from cookielint.knowledge import KnowledgeBase, KnownCookie


@dataclass(frozen=True)
class Provider:
    pointer: str
    name: str | None


@dataclass(frozen=True)
class Cookie:
    pointer: str
    index: int
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


@dataclass(frozen=True)
class Policy:
    site_host: str | None
    providers: list[Provider] | None
    """None when the file has no (well-formed) providers list: then any provider name goes."""
    cookies: list[Cookie]
    knowledge: KnowledgeBase | None = None
    """What is known about well-known cookies, for the CL5xx rules."""
    updated: str | None = None
    """The date the policy last changed for visitors (YYYY-MM-DD), when given and well-formed."""


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
}


def build_policy(
    data: Any, rejected: Collection[str], knowledge: KnowledgeBase | None = None
) -> Policy:
    """The model of ``data``, leaving out every value at a pointer in ``rejected``.

    ``rejected`` holds the pointers of schema errors and all their ancestors.
    """
    if not isinstance(data, dict):
        return Policy(None, None, [], knowledge)
    cookies = _cookies(data, rejected)
    if knowledge is not None:
        cookies = [_with_knowledge(cookie, knowledge) for cookie in cookies]
    return Policy(
        _site_host(data, rejected),
        _providers(data, rejected),
        cookies,
        knowledge,
        updated=_updated(data, rejected),
    )


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
    return replace(cookie, known=tuple(entries))


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
        name = entry.get("name") if isinstance(entry, dict) else None
        if not isinstance(name, str) or pointer + "/name" in rejected:
            name = None
        result.append(Provider(pointer, name))
    return result


def _cookies(data: dict[str, Any], rejected: Collection[str]) -> list[Cookie]:
    cookies = data.get("cookies")
    if not isinstance(cookies, list):
        return []
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
            if not isinstance(value, kind) or (rejected and f"{pointer}/{key}" in rejected):
                fields[key] = None
            elif isinstance(value, str) and key == "duration":
                fields[key] = parse_duration(value)
            elif isinstance(value, list):
                fields[key] = [item for item in value if isinstance(item, str)]
            else:
                fields[key] = value
        result.append(Cookie(pointer, index, tuple(entry), **fields))
    return result
