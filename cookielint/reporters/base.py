"""What every reporter shares: the stream it writes to, and making untrusted text safe to show."""

from __future__ import annotations

import os
import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from cookielint.finding import Report


@dataclass(frozen=True)
class ReportOptions:
    color: bool = False
    root: Path = field(default_factory=Path.cwd)
    """The repository root that SARIF and GitLab paths are relative to."""


class Reporter(ABC):
    def __init__(self, stream: TextIO, options: ReportOptions | None = None) -> None:
        self.stream = stream
        self.options = options or ReportOptions()

    @abstractmethod
    def report(self, report: Report) -> None: ...


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary(report: Report) -> str:
    files = plural(report.files, "file")
    if not report.findings:
        return f"No problems found in {files}."
    errors, warnings = plural(report.errors, "error"), plural(report.warnings, "warning")
    return f"Found {errors} and {warnings} in {files}."


def repository_path(path: str, root: Path) -> str:
    """``path`` relative to the repository root, with forward slashes, as CI systems expect."""
    try:
        return Path(os.path.abspath(path)).relative_to(os.path.abspath(root)).as_posix()
    except (ValueError, OSError):
        return Path(path).as_posix()


def fingerprints(report: Report, root: Path) -> list[str]:
    """A stable identity per finding: the same finding keeps it when lines move.

    It hashes the rule, the file and the message (line numbers in messages
    left out), plus a counter for identical findings in one file; never the
    position itself.
    """
    import hashlib

    seen: dict[str, int] = {}
    result = []
    for f in report.findings:
        message = _LINE_NUMBER.sub("line N", f.message)
        key = "\0".join((f.code, repository_path(f.path, root), message))
        seen[key] = seen.get(key, 0) + 1
        result.append(
            hashlib.sha256(f"{key}\0{seen[key]}".encode(errors="surrogateescape")).hexdigest()
        )
    return result


_LINE_NUMBER = re.compile(r"\bline \d+")
