"""The one type every check produces: a finding at a place in a file."""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from cookielint.rules import Rule

FINDINGS_PER_RULE = 100
"""At most this many findings of one rule in one file; one more finding says how many were left out."""


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"

    def __str__(self) -> str:
        return self.value


class Evidence(NamedTuple):
    """Where an audit saw what a finding is about: the capture, the consent phase, the URL."""

    capture: str
    phase: str
    url: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {"capture": self.capture, "phase": self.phase, "url": self.url}


class Problem(NamedTuple):
    """What a check saw, before it is placed in a file and given its rule's metadata.

    A check names the place by JSON pointer (``key`` picks the key rather than
    the value at that pointer); only the loader, which still holds the parser's
    marks, gives an explicit 1-based ``line`` and ``column`` instead.
    """

    message: str
    pointer: str = ""
    key: bool = False
    code: str = ""
    line: int = 0
    column: int = 0
    related: str | None = None
    """Another place the message refers to; its line replaces ``{related_line}``."""
    evidence: Evidence | None = None


class Finding(NamedTuple):
    path: str
    line: int
    column: int
    code: str
    name: str
    severity: Severity
    message: str
    pointer: str
    hint: str = ""
    """How to fix it: the rule's advice, carried so that reporters need not look the rule up."""
    evidence: Evidence | None = None
    """What an audit observed; absent from check's findings and from their JSON."""

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.column, self.code, self.message)

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "code": self.code,
            "name": self.name,
            "severity": self.severity.value,
            "message": self.message,
            "pointer": self.pointer,
        } | ({"evidence": self.evidence.to_dict()} if self.evidence is not None else {})


class Report(NamedTuple):
    """What one run found: the files it checked, in order, and every finding, sorted."""

    checked: list[str]
    findings: list[Finding]
    sources: Mapping[str, str] = MappingProxyType({})
    """The text of inputs that can't be read again, such as standard input, by path."""
    rules: Mapping[str, Rule] = MappingProxyType({})
    """The rule of every code the findings have, for reports that describe rules (SARIF)."""

    @property
    def files(self) -> int:
        return len(self.checked)

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.WARNING)
