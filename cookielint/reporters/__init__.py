"""Output formats. A reporter turns a ``Report`` into text on a stream and knows nothing of rules' logic.

Adding a format is adding a module with a ``Reporter`` subclass and one line
in ``REPORTERS``. Modules are imported only when their format is used, so a
one-file run starts fast.
"""

from __future__ import annotations

import importlib

from cookielint.reporters.base import Reporter, ReportOptions

REPORTERS: dict[str, str] = {
    "text": "text:TextReporter",
    "full": "full:FullReporter",
    "json": "json:JsonReporter",
    "sarif": "sarif:SarifReporter",
    "github": "github:GithubReporter",
    "gitlab": "gitlab:GitlabReporter",
    "junit": "junit:JunitReporter",
}

# Formats a person reads on a terminal: they carry their own summary and may be colored.
TERMINAL_FORMATS = frozenset({"text", "full"})
# Formats that show the source lines of findings: the run keeps the text it read for them.
SOURCE_FORMATS = frozenset({"full"})


def reporter_class(name: str) -> type[Reporter]:
    module, _, cls = REPORTERS[name].partition(":")
    return getattr(importlib.import_module(f"cookielint.reporters.{module}"), cls)


__all__ = [
    "REPORTERS",
    "SOURCE_FORMATS",
    "TERMINAL_FORMATS",
    "Reporter",
    "ReportOptions",
    "reporter_class",
]
