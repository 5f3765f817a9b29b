"""What every reporter shares: the stream it writes to, and making untrusted text safe to show."""

from __future__ import annotations

import json
import os
import re
from abc import ABC, abstractmethod
from pathlib import Path
from typing import NamedTuple, TextIO

from cookielint.finding import Report


class ReportOptions(NamedTuple):
    color: bool = False
    root: Path | None = None
    """The repository root that SARIF and GitLab paths are relative to; None: the working
    directory when the reporter is made."""


class Reporter(ABC):
    def __init__(self, stream: TextIO, options: ReportOptions | None = None) -> None:
        self.stream = stream
        self.options = options or ReportOptions()
        self.root = self.options.root or Path.cwd()

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


def write_json(document: object, stream: TextIO) -> None:
    """``document`` as JSON that reads back unchanged yet can't act on the log it is printed to.

    JSON escapes spell out what a CI runner would read as a workflow command
    (``::`` and ``##[``; outside strings this JSON never has either), and a lone
    surrogate (an undecodable byte of a file name) becomes the byte, escaped as
    ``\\xe9``, since no JSON reader can take half a character.
    """
    stream.write(json_text(document, indent=2) + "\n")


def json_text(document: object, indent: int | None = None, ensure_ascii: bool = True) -> str:
    """``document`` as JSON text with no workflow-command marker and no half character (as
    ``write_json``); also a YAML double-quoted scalar, for a string."""
    text = json.dumps(_whole_characters(document), indent=indent, ensure_ascii=ensure_ascii)
    return text.replace("::", ":\\u003a").replace("##[", "##\\u005b")


_SURROGATE = re.compile("[\ud800-\udfff]")


def _whole_characters(value: object) -> object:
    if isinstance(value, str):
        return _SURROGATE.sub(_byte_or_escape, value) if _SURROGATE.search(value) else value
    if isinstance(value, dict):
        return {_whole_characters(k): _whole_characters(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_whole_characters(v) for v in value]
    return value


def _byte_or_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"
