"""``cookielint export``: a policy in another tool's format, one module per target.

Each target module offers ``export(source, form) -> Exported``: the text to
write, and notes on what the target has no place for (listed on standard
error, never dropped in silence). A policy the target cannot express raises
``Inexpressible`` with the places in the file that say why; nothing is
written then. Every export is checked before it is written (the TCF one
against ``schema/tcf-device-storage-disclosure.schema.json``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from cookielint.policy import Cookie, LocalText, Policy
from cookielint.publish.page import languages_of
from cookielint.publish.source import Source


@dataclass
class Exported:
    text: str
    notes: list[str] = field(default_factory=list)
    """What the target has no place for, one sentence each."""


class Inexpressible(Exception):
    """The policy says something the target cannot hold; ``problems`` are (pointer, message)."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(message for _, message in problems))
        self.problems = problems


Exporter = Callable[[Source, str], Exported]
"""A target's export: the policy read, and the form asked for (json, module, csv)."""


def targets() -> dict[str, tuple[Exporter, str]]:
    from cookielint.publish.export import cookieconsent, klaro, ocd, tcf

    return {
        "tcf": (tcf.export, "json"),
        "klaro": (klaro.export, "json"),
        "cookieconsent": (cookieconsent.export, "module"),
        "ocd-csv": (ocd.export, "csv"),
    }


TARGETS = ("tcf", "klaro", "cookieconsent", "ocd-csv")


# -- what the exporters share ------------------------------------------------------------


def text_language(policy: Policy) -> str:
    """The language of texts in a format that holds one: English when the policy has it."""
    languages = languages_of(policy)
    return "en" if "en" in languages else languages[0]


def local(policy: Policy, pointer: str, written: str | None, language: str) -> str | None:
    """The text at ``pointer`` in ``language``, else in the default language."""
    text: LocalText | None = policy.texts.get(pointer)
    if text is None:  # a plain string: the default language's
        return written
    return text.values.get(language, written)


def untranslated(policy: Policy, language: str) -> list[str]:
    """A note when texts the page shows have no ``language`` version (the default's is used)."""
    from cookielint.rules.translations import shown_texts

    default = languages_of(policy)[0]
    if language == default and not policy.texts:
        return []
    missing = 0
    for pointer in shown_texts(policy):
        text = policy.texts.get(pointer)
        if (language not in text.values) if text is not None else (language != default):
            missing += 1
    if not missing:
        return []
    return [
        f"{missing} text(s) have no '{language}' translation; the '{default}' text is used "
        "(cookielint check lists them as CL103)"
    ]


def purposes_text(policy: Policy, cookie: Cookie, language: str) -> str:
    return "; ".join(
        local(policy, cookie.at("purposes", i), item, language) or item
        for i, item in enumerate(cookie.purposes or ())
    )


def host(policy: Policy, cookie: Cookie) -> str:
    """The domain a cookie lives on: its Domain attribute without the leading dot, else the site's host."""
    return (cookie.domain or "").lstrip(".") or policy.site_host or ""


def regex(name: str) -> str:
    """A wildcard name as an anchored regular expression: ``_ga_*`` → ``^_ga_.*$``."""
    return "^" + ".*".join(re.escape(part) for part in name.split("*")) + "$"


def unused_fields(cookies: Iterable[Cookie], fields: Iterable[str]) -> list[str]:
    """Which of ``fields`` some declaration gives: what a target without them leaves out."""
    wanted = list(fields)
    declared = {key for cookie in cookies for key in cookie.declared}
    return [name for name in wanted if name in declared]


class Pattern(str):
    """A regular expression that a JavaScript module writes as a RegExp."""


def to_json(data: Any) -> str:
    """JSON that is also safe inside an HTML <script> element."""
    return _script_safe(json.dumps(data, ensure_ascii=False, indent=2)) + "\n"


def to_module(data: Any, comment: str) -> str:
    """An ES module whose default export is ``data``; ``Pattern`` strings become RegExps."""
    patterns: list[str] = []

    def mark(value: Any) -> Any:
        if isinstance(value, Pattern):
            patterns.append(str(value))
            return f"\x00pattern:{len(patterns) - 1}"
        if isinstance(value, dict):
            return {key: mark(item) for key, item in value.items()}
        if isinstance(value, list):
            return [mark(item) for item in value]
        return value

    text = json.dumps(mark(data), ensure_ascii=False, indent=2)
    for index, pattern in enumerate(patterns):
        placeholder = json.dumps(f"\x00pattern:{index}")
        text = text.replace(placeholder, f"new RegExp({json.dumps(pattern)})", 1)
    return f"// {comment}\nexport default {_script_safe(text)};\n"


def _script_safe(text: str) -> str:
    # <, > and & only occur inside JSON strings, where the \u escapes mean the same.
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
