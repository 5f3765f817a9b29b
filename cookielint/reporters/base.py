from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TextIO

from cookielint.finding import Report


class Reporter(ABC):
    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    @abstractmethod
    def report(self, report: Report) -> None: ...


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary(report: Report) -> str:
    files = plural(report.files, "file")
    if not report.findings:
        return f"No problems found in {files}."
    return f"Found {plural(report.errors, 'error')} and {plural(report.warnings, 'warning')} in {files}."
