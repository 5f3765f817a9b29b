"""An IAB TCF Device Storage Disclosure (``deviceStorage.json``, specification v1.1).

One disclosure per declaration. Purpose 1 ("Store and/or access information on
a device") is listed exactly when the declaration says ``consent: required``:
the specification uses it to mark storage subject to the ePrivacy Directive's
consent requirement. The other purposes come from the declaration's
``tcf_purposes``, else from ``DEFAULT_PURPOSES`` by category.
"""

from __future__ import annotations

import functools
import json
import math
import re
from typing import Any

from cookielint.publish.export import (
    Exported,
    Inexpressible,
    host,
    purposes_text,
    text_language,
    to_json,
    untranslated,
    unused_fields,
)
from cookielint.publish.source import Source

SCHEMA_NAME = "tcf-device-storage-disclosure.schema.json"

# TCF v2.2 purposes: 2 limited data to select advertising, 3 create profiles for
# personalised advertising, 4 use them to select advertising, 7 measure advertising
# performance, 8 measure content performance, 9 understand audiences through statistics.
# Necessary and preference storage serves none of the GVL's purposes beyond storing.
DEFAULT_PURPOSES = {
    "necessary": [],
    "preferences": [],
    "statistics": [8, 9],
    "marketing": [2, 3, 4, 7],
    "social": [3, 4],
}
# A * stands for a run of characters at the start or the end of an identifier only
# (the specification's examples: "id*", "*id"); a * alone is invalid.
_IDENTIFIER = re.compile(r"\*?[^*]+\*?")
_SECONDS_PER_DAY = 86400
# What a disclosure has no field for.
_LEFT_OUT = (
    "provider",
    "party",
    "category",
    "function",
    "location",
    "path",
    "secure",
    "http_only",
    "same_site",
)


def export(source: Source, form: str = "json") -> Exported:
    policy = source.policy
    language = text_language(policy)
    disclosures: list[dict[str, Any]] = []
    pointers: list[str] = []
    problems: list[tuple[str, str]] = []
    domains: dict[str, None] = {}
    storage_without_lifetime = 0
    for cookie in policy.cookies:
        name = cookie.name or ""
        if not _IDENTIFIER.fullmatch(name):
            problems.append(
                (
                    cookie.at("name"),
                    f"{cookie.label}: a TCF identifier can have a * only at its start or its "
                    f"end (id*, *id); write one declaration per name instead",
                )
            )
            continue
        is_cookie = (cookie.storage or "cookie") == "cookie"
        item: dict[str, Any] = {
            "identifier": name,
            "type": "cookie" if is_cookie else "web",
            "maxAgeSeconds": None,
        }
        if is_cookie:
            seconds = _seconds(cookie.duration.days if cookie.duration else None)
            if seconds is None:
                problems.append(
                    (
                        cookie.at("duration"),
                        f"{cookie.label}: a duration this long has no number of seconds",
                    )
                )
                continue
            item["maxAgeSeconds"] = seconds
            item["cookieRefresh"] = bool(cookie.refresh)
        elif cookie.duration is not None:
            storage_without_lifetime += 1
        domain = host(policy, cookie)
        item["domains"] = [domain]
        domains.setdefault(domain, None)
        extra = cookie.tcf_purposes
        if extra is None:
            extra = DEFAULT_PURPOSES.get(cookie.category or "", [])
        consent = [1] if cookie.consent == "required" else []
        item["purposes"] = sorted(set(consent + list(extra)))
        description = purposes_text(policy, cookie, language)
        if description:
            item["description"] = description
        disclosures.append(item)
        pointers.append(cookie.pointer)
    if problems:
        raise Inexpressible(problems)
    document = {
        "disclosures": disclosures,
        "domains": [{"domain": domain} for domain in domains],
    }
    problems = [
        (pointers[path[1]] if len(path) > 1 and path[0] == "disclosures" else "", message)
        for path, message in validate(document)
    ]
    if problems:
        raise Inexpressible(problems)
    notes = untranslated(policy, language)
    lost = unused_fields(policy.cookies, _LEFT_OUT)
    if lost:
        notes.append(f"a disclosure has no field for {', '.join(lost)}; left out")
    if storage_without_lifetime:
        notes.append(
            f"the lifetime of {storage_without_lifetime} non-cookie storage item(s) is left out: "
            "TCF gives web storage no maxAgeSeconds"
        )
    return Exported(to_json(document), notes)


def _seconds(days: float | None) -> int | None:
    if days is None:  # a session cookie
        return 0
    if math.isinf(days):
        return None
    return round(days * _SECONDS_PER_DAY)


@functools.cache
def _validator() -> Any:
    from jsonschema import Draft202012Validator

    from cookielint.schema import schema_text

    return Draft202012Validator(json.loads(schema_text(SCHEMA_NAME)))


@functools.cache
def _compiled() -> Any:
    try:
        import jsonschema_rs
    except ImportError:
        return None
    from cookielint.schema import schema_text

    return jsonschema_rs.validator_for(json.loads(schema_text(SCHEMA_NAME)))


def validate(document: Any) -> list[tuple[tuple[Any, ...], str]]:
    """Where ``document`` breaks the TCF disclosure schema, and how."""
    compiled = _compiled()
    if compiled is not None and compiled.is_valid(document):  # the common case, fast
        return []
    return [
        (tuple(error.absolute_path), f"the TCF disclosure would be invalid: {error.message}")
        for error in _validator().iter_errors(document)
    ]
