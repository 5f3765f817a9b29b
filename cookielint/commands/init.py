"""The ``init`` command: a starter policy, or a draft policy from captures of a visit.

Both are written by one writer, so a starter and a draft look alike: the
schema modeline, comments that say what to do next, and ``TODO`` purposes
that ``check`` reports (CL102) until a person writes them. Everything else in
a draft comes from what was observed, and from the knowledge base where it
knows the name; a draft passes the schema.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from cookielint import knowledge
from cookielint.captures import Capture, Observation, read_capture, registrable_domain
from cookielint.captures.set_cookie import MAX_LIFETIME
from cookielint.duration import DAYS_PER_MONTH, DAYS_PER_YEAR
from cookielint.escape import visible
from cookielint.knowledge import KnownCookie
from cookielint.reporters.base import json_text

# A path that works without network access and in any editor once the schema is
# written beside the policy: `cookielint schema > cookie-policy.schema.json`.
SCHEMA_REFERENCE = "cookie-policy.schema.json"
TODO = "TODO"


class InitError(Exception):
    """``init`` can't do its job: a file in the way, an unreadable capture (exit 2)."""


@dataclass
class Draft:
    """A declaration to write: its fields in order, and comments above it."""

    fields: list[tuple[str, object]]
    comments: list[str] = field(default_factory=list)


@dataclass
class Site:
    name: str
    url: str


# Writing -----------------------------------------------------------------------------------------


def write_policy(site: Site, drafts: list[Draft], header: list[str], schema: str) -> str:
    lines = [f"# yaml-language-server: $schema={schema}"]
    lines += [_comment(line) for line in header]
    lines += ["version: 1", "site:", f"  name: {_scalar(site.name)}", f"  url: {_scalar(site.url)}"]
    lines.append("cookies:" if drafts else "cookies: []")
    for draft in drafts:
        lines += ["  " + _comment(c) for c in draft.comments]
        first = True
        for key, value in draft.fields:
            prefix = "  - " if first else "    "
            first = False
            if isinstance(value, list):
                lines.append(f"{prefix}{key}:")
                lines += [f"      - {_scalar(item)}" for item in value]
            else:
                lines.append(f"{prefix}{key}: {_scalar(value)}")
    return "\n".join(lines) + "\n"


def _comment(text: str) -> str:
    # Text from captures is untrusted: a line break in it would end the comment.
    return "#" + (" " + visible(text) if text else "")


_PLAIN = re.compile(
    r"[A-Za-z_][A-Za-z0-9_.\-]*|[A-Za-z][A-Za-z0-9 ,.'()/:\-]*[A-Za-z0-9.)]|[1-9][0-9]* [a-z]+"
)
_RESERVED = re.compile(r"(?i)(y|yes|n|no|true|false|on|off|null|~)")


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    safe = visible(text) == text
    if safe and _PLAIN.fullmatch(text) and not _RESERVED.fullmatch(text) and ": " not in text:
        return text
    # A JSON string is a YAML double-quoted scalar; invisible or control characters
    # from a capture, and CI workflow-command markers, are written as escapes, which
    # YAML reads back as they were.
    return json_text(text, ensure_ascii=not safe)


# The starter --------------------------------------------------------------------------------------


def starter(site_url: str | None, schema: str = SCHEMA_REFERENCE) -> str:
    """A commented policy to start from: one declaration to copy, its purpose left to write."""
    url = site_url or "https://www.example.com"
    name = _site_name(url)
    header = [
        "A cookie policy: one declaration for every cookie or storage key the site sets.",
        f"Editors complete and check it with the schema: cookielint schema > {SCHEMA_REFERENCE}",
        "Check it: cookielint check THIS_FILE. Compare it with a real visit:",
        "cookielint scan URL --out scans/ --accept SELECTOR, then cookielint audit.",
        "Fields: docs/rules.md and the README's 'A policy' section; a purpose says,",
        "in words a visitor understands, why the site stores the item.",
    ]
    drafts = [
        Draft(
            [
                ("name", "sessionid"),
                ("provider", name),
                ("party", "first"),
                ("category", "necessary"),
                ("purposes", [TODO]),
                ("consent", "exempt"),
                ("duration", "session"),
                ("http_only", True),
                ("secure", True),
            ],
            [
                "An example: rename it to a cookie the site really sets, and write why.",
                "category: necessary, preferences, statistics, marketing or social;",
                "consent: exempt only for what the site can't work without.",
            ],
        )
    ]
    return write_policy(Site(name, url), drafts, header, schema)


def _site_name(url: str) -> str:
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        host = ""
    return host.removeprefix("www.") or "Example site"


# A draft from captures ----------------------------------------------------------------------------


def draft(
    captures: list[str], site_url: str | None, known_cookies: tuple[str, ...] = (),
    schema: str = SCHEMA_REFERENCE,
) -> str:  # fmt: skip
    from cookielint.captures import CaptureError

    read: list[Capture] = []
    for path in captures:
        try:
            read.append(read_capture(Path(path), path))
        except CaptureError as error:
            raise InitError(visible(str(error))) from None
    url = site_url or _first_url(read)
    if url is None:
        raise InitError("no capture says which site it is: give --site-url URL")
    site = Site(_site_name(url), url)
    try:
        site_host = urlsplit(url).hostname or ""
    except ValueError:
        raise InitError(f"--site-url {url}: not a URL") from None
    base = knowledge.load(known_cookies)
    drafts = [
        _declaration(observations, phases, site, registrable_domain(site_host), base)
        for observations, phases in _grouped(read)
    ]
    header = [
        f"A draft from {len(read)} capture{'s' if len(read) != 1 else ''}: " + ", ".join(captures),
        "Every TODO purpose needs a person: say why the site stores the item, in words",
        "a visitor understands. Check the categories and consents: they are what was",
        "observed and what providers document, not what the law allows.",
        f"Editors complete it with the schema: cookielint schema > {SCHEMA_REFERENCE}",
    ]
    return write_policy(site, drafts, header, schema)


def _first_url(captures: list[Capture]) -> str | None:
    for capture in captures:
        if capture.url:
            return capture.url
    for capture in captures:
        for observation in capture.observations:
            if observation.url and observation.url.startswith(("http://", "https://")):
                parts = urlsplit(observation.url)
                return f"{parts.scheme}://{parts.netloc}/"
    return None


def _grouped(captures: list[Capture]) -> Iterator[tuple[list[Observation], set[str]]]:
    """Observations by storage and name, in the order first seen, with the phases they were seen in."""
    groups: dict[tuple[str, str], tuple[list[Observation], set[str]]] = {}
    for capture in captures:
        for observation in capture.observations:
            key = (observation.storage, observation.name)
            observations, phases = groups.setdefault(key, ([], set()))
            observations.append(observation)
            phases.add(capture.phase or "")
    yield from groups.values()


def _declaration(
    observations: list[Observation],
    phases: set[str],
    site: Site,
    site_domain: str,
    base: knowledge.KnowledgeBase,
) -> Draft:
    first = observations[0]
    complete = [o for o in observations if o.lifetime_known] or observations
    known = [e for e in base.lookup(first.name, first.storage) if not e.generic]
    entry: KnownCookie | None = known[0] if known else None
    host = first.domain or first.host
    party = "first" if registrable_domain(host) == site_domain else "third"
    before = "before-consent" in phases or "after-reject" in phases
    comments = []
    if entry is not None:
        category = entry.category if entry.category in _CATEGORIES else "preferences"
        provider = entry.provider
        consent = "exempt" if category == "necessary" else "required"
        purpose = entry.description or TODO
        comments.append(f"{entry.provider} documents it: {entry.source}")
        if before and consent == "required":
            comments.append(
                "Seen before consent or after a refusal: the site must not set it until the "
                "visitor agrees."
            )
    elif before:
        category, consent, provider, purpose = "necessary", "exempt", _provider(host, site), TODO
        comments.append(
            "Set without consent, so declared necessary: if the site works without it, "
            "it needs consent and must wait for it."
        )
    else:
        category, consent, provider, purpose = (
            "preferences",
            "required",
            _provider(host, site),
            TODO,
        )
        comments.append(
            "Seen only after accepting: check the category."
            if phases != {""}
            else "The capture doesn't say when it was taken: check the category and consent."
        )
    where = first.url or first.host
    comments.append(f"Observed on {first.host}" + (f", from {where}" if first.url else ""))
    fields: list[tuple[str, object]] = [
        ("name", first.name),
        ("provider", provider),
        ("party", party),
        ("category", category),
        ("purposes", [purpose]),
        ("consent", consent),
        ("duration", _duration(complete, entry)),
    ]
    if first.storage == "local_storage" and (entry is None or entry.lifetime is None):
        comments.append(
            "localStorage has no expiry: say how long the site keeps it (1 year is a guess)."
        )
    if first.storage == "cookie" and not any(o.lifetime_known for o in observations):
        guess = "the provider's documented lifetime" if entry and entry.lifetime else "session"
        comments.append(f"Only seen sent with requests: the lifetime ({guess}) is a guess.")
    if first.storage != "cookie":
        fields.append(("storage", first.storage))
    else:
        fields += _attributes(complete)
    return Draft(fields, comments)


_CATEGORIES = ("necessary", "preferences", "statistics", "marketing", "social")


def _provider(host: str, site: Site) -> str:
    return (
        site.name
        if host
        and registrable_domain(host) == registrable_domain(urlsplit(site.url).hostname or "")
        else (host.removeprefix("www.") or site.name)
    )


def _duration(observations: list[Observation], entry: KnownCookie | None) -> str:
    if entry is not None and entry.lifetime is not None and observations[0].storage != "cookie":
        return entry.lifetime.text
    if observations[0].storage == "local_storage":
        return "1 year"
    known = [o for o in observations if o.lifetime_known]
    if not known:
        if entry is None or entry.lifetime is None:
            return "session"
        days = entry.lifetime.days
        # Browsers keep a cookie 400 days at most (RFC 6265bis), whatever the provider asks.
        if days is not None and days > MAX_LIFETIME / 86400:
            return duration_text(MAX_LIFETIME)
        return entry.lifetime.text
    if all(o.lifetime is None for o in known):
        return "session"
    return duration_text(max(o.lifetime or 0 for o in known))


def duration_text(seconds: float) -> str:
    """A lifetime in the policy's words, rounded to the unit a person would use."""
    days = seconds / 86400
    if days >= DAYS_PER_YEAR - 0.5 and round(days / DAYS_PER_YEAR * 12) % 12 == 0:
        return _count(round(days / DAYS_PER_YEAR), "year")
    if days >= 28:
        return _count(max(1, round(days / DAYS_PER_MONTH)), "month")
    if days >= 1:
        return _count(round(days), "day")
    if seconds >= 3600:
        return _count(round(seconds / 3600), "hour")
    return _count(max(1, round(seconds / 60)), "minute")


def _count(number: int, unit: str) -> str:
    return f"{number} {unit}{'s' if number != 1 else ''}"


def _attributes(observations: list[Observation]) -> list[tuple[str, object]]:
    """The attributes every observation agrees on."""
    result: list[tuple[str, object]] = []
    for attribute in ("secure", "http_only", "same_site", "domain", "path"):
        values = {getattr(o, attribute) for o in observations}
        if len(values) != 1:
            continue
        value = values.pop()
        # Stated only where it says something: true flags, a path below the root.
        if value is None or value is False or (attribute == "path" and value == "/"):
            continue
        result.append((attribute, value))
    return result


# Writing the file ---------------------------------------------------------------------------------


def write(text: str, output: str | None, force: bool) -> None:
    """Standard output, or ``output``, which is never overwritten unless ``force``."""
    import sys

    if output is None:
        sys.stdout.write(text)
        return
    path = Path(output)
    try:
        if path.exists() or path.is_symlink():
            if not force:
                raise InitError(f"{output} exists; give --force to overwrite it")
            if not path.is_file():
                raise InitError(f"{output} is not a regular file")
        from cookielint.outputs import OutputError, atomic_writer

        try:
            with atomic_writer(path) as stream:
                stream.write(text)
        except OutputError as error:
            raise InitError(str(error)) from None
    except OSError as error:
        raise InitError(f"cannot write {output}: {error.strerror or error}") from None
