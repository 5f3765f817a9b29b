"""Output formats. A reporter turns a ``Report`` into text on a stream and knows nothing of rules.

Adding a format is adding a module with a ``Reporter`` subclass and one line
in ``REPORTERS``.
"""

from __future__ import annotations

from cookielint.reporters.base import Reporter
from cookielint.reporters.json import JsonReporter
from cookielint.reporters.text import TextReporter

REPORTERS: dict[str, type[Reporter]] = {
    "text": TextReporter,
    "json": JsonReporter,
}

__all__ = ["REPORTERS", "Reporter"]
