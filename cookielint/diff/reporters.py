"""Output formats of ``cookielint diff``: text, markdown, json, github, sarif.

Each shows the changes, most severe first, and then the check's findings on
the head files in the check's own form. Text from the policies reaches a
terminal, a log or a pull-request comment only through ``visible`` (and the
format's own escaping).
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any, TextIO

import click

from cookielint import __version__
from cookielint.diff.changes import CLASSES, ERROR, INFO, WARNING, Change
from cookielint.diff.command import DiffReport
from cookielint.escape import visible
from cookielint.finding import Report
from cookielint.reporters.base import ReportOptions, plural, repository_path, write_json
from cookielint.reporters.base import summary as check_summary
from cookielint.reporters.github import GithubReporter, escape_data, escape_property
from cookielint.reporters.sarif import INFORMATION_URI
from cookielint.reporters.sarif import SarifReporter as CheckSarifReporter
from cookielint.reporters.text import TextReporter as CheckTextReporter

__all__ = ["ReportOptions", "reporter_class", "summary", "FORMATS"]

MARKER = "<!-- cookielint-diff -->"
"""The first line of the markdown report: finds the comment to update on the next push."""


class DiffReporter:
    def __init__(self, stream: TextIO, options: ReportOptions | None = None) -> None:
        self.stream = stream
        self.options = options or ReportOptions()
        self.root = self.options.root or Path.cwd()

    def report(self, report: DiffReport) -> None:
        raise NotImplementedError


def summary(report: DiffReport) -> str:
    counts = ", ".join(
        plural(report.count(level), str(level))
        if level is not INFO
        else f"{report.count(level)} info"
        for level in (ERROR, WARNING, INFO)
    )
    files = plural(len(report.files), "file")
    text = f"Changes: {counts} in {report.changed_files} of {files} compared with {visible(report.base_label)}"
    if report.accepted:
        text += f"; {len(report.accepted)} accepted"
    text += "."
    if report.check is not None:
        text += " Check of the head: " + check_summary(report.check)
    return text


def _where(change: Change, report: DiffReport) -> str:
    path = visible(change.path)
    if change.side == "base" and report.revision is not None:
        path = f"{visible(report.revision)}:{path}"  # git's own name for a file in a revision
    return f"{path}:{change.line}:{change.column}:"


_LEVEL_COLORS = {ERROR: "red", WARNING: "yellow", INFO: "blue"}


class TextReporter(DiffReporter):
    def report(self, report: DiffReport) -> None:
        for change in report.changes:
            where = self._style(_where(change, report), bold=True)
            code = self._style(change.code, fg=_LEVEL_COLORS[change.level], bold=True)
            self.stream.write(f"{where} {code} [{change.level}] {visible(change.text)}\n")
        if report.check is not None:
            lines = CheckTextReporter(self.stream, self.options)
            for finding in report.check.findings:
                self.stream.write(lines.line(finding) + "\n")
        self.stream.write(self._style(summary(report), bold=True) + "\n")

    def _style(self, text: str, **styles: Any) -> str:
        return click.style(text, **styles) if self.options.color else text


class JsonReporter(DiffReporter):
    def report(self, report: DiffReport) -> None:
        check = report.check
        document = {
            "version": __version__,
            "base": {"label": report.base_label, "commit": report.commit},
            "head": {"label": report.head_label},
            "files": [{"base": f.base, "head": f.head, "status": f.status} for f in report.files],
            "changes": [c.to_dict() for c in report.changes],
            "accepted": [
                {"change": c.to_dict(), "reason": entry.reason, "line": entry.line}
                for c, entry in report.accepted
            ],
            "check": None
            if check is None
            else {
                "files": check.files,
                "findings": [f.to_dict() for f in check.findings],
                "summary": {"errors": check.errors, "warnings": check.warnings},
            },
            "summary": {
                "errors": report.count(ERROR),
                "warnings": report.count(WARNING),
                "info": report.count(INFO),
                "accepted": len(report.accepted),
                "files": len(report.files),
                "changed_files": report.changed_files,
            },
        }
        write_json(document, self.stream)


_GITHUB_LEVELS = {ERROR: "error", WARNING: "warning", INFO: "notice"}


class GithubAnnotations(DiffReporter):
    """One workflow command per change, on the head file's line (a removal: the base file's)."""

    def report(self, report: DiffReport) -> None:
        root = self.root
        for c in report.changes:
            properties = ",".join(
                f"{key}={escape_property(value)}"
                for key, value in (
                    ("file", repository_path(c.path, root)),
                    ("line", str(c.line)),
                    ("col", str(c.column)),
                    ("title", f"{c.code} {c.name}"),
                )
            )
            self.stream.write(f"::{_GITHUB_LEVELS[c.level]} {properties}::{escape_data(c.text)}\n")
        if report.check is not None:
            GithubReporter(self.stream, self.options).report(report.check)


_SARIF_LEVELS = {ERROR: "error", WARNING: "warning", INFO: "note"}


class SarifReporter(DiffReporter):
    """One SARIF run: the changes as results of the change classes, then the check's findings."""

    def report(self, report: DiffReport) -> None:
        root = self.root
        check = report.check or Report([], [])
        buffer = _Capture()
        CheckSarifReporter(buffer, self.options).report(check)  # type: ignore[arg-type]
        log = json.loads(buffer.text)
        run = log["runs"][0]
        codes = sorted({c.code for c in report.changes})
        offset = len(run["tool"]["driver"]["rules"])
        index = {code: offset + i for i, code in enumerate(codes)}
        run["tool"]["driver"]["rules"] += [_descriptor(code) for code in codes]
        seen: dict[str, int] = {}
        results = []
        for c in report.changes:
            key = "\0".join(
                (c.code, c.side, repository_path(c.path, root), re.sub(r"\d+", "N", c.message))
            )
            seen[key] = seen.get(key, 0) + 1
            fingerprint = hashlib.sha256(
                f"{key}\0{seen[key]}".encode(errors="surrogateescape")
            ).hexdigest()
            results.append(
                {
                    "ruleId": c.code,
                    "ruleIndex": index[c.code],
                    "level": _SARIF_LEVELS[c.level],
                    "message": {"text": c.text},
                    "locations": [
                        {
                            "physicalLocation": {
                                "artifactLocation": {
                                    "uri": _uri(repository_path(c.path, root)),
                                    "uriBaseId": "%SRCROOT%",
                                },
                                "region": {"startLine": c.line, "startColumn": c.column},
                            }
                        }
                    ],
                    "partialFingerprints": {"cookielintChange/v1": fingerprint},
                    "properties": {"side": c.side, "base": c.base, "head": c.head},
                }
            )
        run["results"] = results + run["results"]
        write_json(log, self.stream)


class _Capture:
    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, text: str) -> int:
        self.parts.append(text)
        return len(text)

    @property
    def text(self) -> str:
        return "".join(self.parts)


def _uri(path: str) -> str:
    from urllib.parse import quote

    return quote(path, errors="surrogateescape")


def _descriptor(code: str) -> dict[str, object]:
    change_class = CLASSES[code]
    return {
        "id": code,
        "name": "".join(part.capitalize() for part in change_class.name.split("-")),
        "shortDescription": {"text": change_class.summary.replace("`", "") + "."},
        "fullDescription": {"text": change_class.regulation + "."},
        "help": {
            "text": f"{change_class.summary}. Why it is {change_class.level}: "
            f"{change_class.regulation}.",
            "markdown": f"{change_class.summary}.\n\n**Why it is {change_class.level}:** "
            f"{change_class.regulation}.",
        },
        "helpUri": f"{INFORMATION_URI}#reviewing-a-change-cookielint-diff",
        "defaultConfiguration": {"level": _SARIF_LEVELS[change_class.level]},
        "properties": {"tags": ["cookie-policy", "diff", change_class.name]},
    }


# Markdown ----------------------------------------------------------------------------------------

# Errors and warnings shown before the rest is folded away; GitHub refuses a comment over
# 65,536 characters, so rows stop at a budget (the job's log has everything), and a cell at
# a length.
SHOWN_ROWS = 50
BUDGET = 60_000
MAX_CELL = 300
# What can end a cell (|), start formatting (` * _ ~ [ ] ! $ for math), open HTML or an
# entity (< > &), mention someone or link an issue (@ #), or escape the escape (\\).
_MARKUP = re.compile(r"([\\`*_~\[\]!$<>&|@#])")


def cell(text: str) -> str:
    """``text`` safe in a GitHub table cell: line breaks made spaces, control characters made
    visible, and markup characters backslash-escaped (CommonMark allows it for any ASCII
    punctuation), so that `|` can't end the cell, a backtick or `*` can't start formatting,
    `<` can't open HTML and `@` can't mention anyone. Long text is cut."""
    flat = " ".join(text.split())
    if len(flat) > MAX_CELL:
        flat = flat[: MAX_CELL - 1] + "…"
    return _MARKUP.sub(r"\\\1", visible(flat))


class MarkdownReporter(DiffReporter):
    """A pull-request comment: a verdict, counts, the changes most severe first, the rest folded."""

    def report(self, report: DiffReport) -> None:
        self.budget = BUDGET
        out = [MARKER + "\n", f"### {_verdict(report)}\n\n", _counts(report) + "\n\n"]
        main = [c for c in report.changes if c.level is not INFO][:SHOWN_ROWS]
        rest = report.changes[len(main) :] if main else report.changes
        if main:
            out.append(self._table(_CHANGE_HEADER, [_change_row(c, report) for c in main]))
        if rest:
            title = f"{plural(len(rest), 'more change')} ({_levels_of(rest)})"
            rows = [_change_row(c, report) for c in rest]
            out.append(self._folded(title, _CHANGE_HEADER, rows))
        if report.accepted:
            rows = [
                [cell(f"{c.code} {c.message}"), cell(_place(c, report)), cell(entry.reason)]
                for c, entry in report.accepted
            ]
            title = plural(len(report.accepted), "accepted change")
            out.append(self._folded(title, ["change", "where", "reason"], rows))
        check = report.check
        if check is not None and check.findings:
            title = f"Check of the head: {plural(check.errors, 'error')}, {plural(check.warnings, 'warning')}"
            rows = [
                [
                    f.severity.value,
                    cell(f"{f.code} {f.name}"),
                    cell(f"{f.path}:{f.line}:{f.column}"),
                    cell(f.message),
                ]
                for f in check.findings
            ]
            out.append(self._folded(title, ["severity", "rule", "where", "message"], rows))
        self.stream.write("".join(out))

    def _folded(self, title: str, header: list[str], rows: list[list[str]]) -> str:
        return (
            f"\n<details><summary>{cell(title)}</summary>\n\n"
            + self._table(header, rows)
            + "\n</details>\n"
        )

    def _table(self, header: list[str], rows: list[list[str]]) -> str:
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        for index, row in enumerate(rows):
            line = "| " + " | ".join(row) + " |"
            if len(line) + 1 > self.budget:
                lines.append(f"\n…and {len(rows) - index} more: the job's log has them all.")
                self.budget = 0
                break
            self.budget -= len(line) + 1
            lines.append(line)
        return "\n".join(lines) + "\n"


_CHANGE_HEADER = ["level", "change", "cookie", "base", "head", "where", "why"]


def _change_row(c: Change, report: DiffReport) -> list[str]:
    return [
        _LEVEL_BADGES[c.level],
        cell(f"{c.code} {c.name}"),
        cell(c.cookie or ""),
        cell(c.base or ""),
        cell(c.head or ""),
        cell(_place(c, report)),
        cell(c.message) + "<br><sub>" + cell(c.regulation) + "</sub>",
    ]


def _verdict(report: DiffReport) -> str:
    errors, warnings = report.count(ERROR), report.count(WARNING)
    check = report.check
    check_errors = check.errors if check is not None else 0
    if errors:
        head = f"❌ {plural(errors, 'change')} {'breaks' if errors == 1 else 'break'} visitors' consent"
    elif warnings:
        head = f"⚠️ {plural(warnings, 'change')} {'needs' if warnings == 1 else 'need'} new consent or review"
    elif check_errors:
        head = "❌ No consent-relevant change"
    else:
        head = "✅ No consent-relevant change"
    if check_errors:
        head += f"; the check finds {plural(check_errors, 'error')}"
    return f"cookielint diff: {head}"


def _counts(report: DiffReport) -> str:
    parts = [
        f"**{report.count(ERROR)}** error",
        f"**{report.count(WARNING)}** warning",
        f"**{report.count(INFO)}** info",
    ]
    text = " · ".join(parts)
    text += (
        f" — {plural(report.changed_files, 'changed file')} of {len(report.files)}, "
        f"compared with {cell(report.base_label)}"
    )
    if report.accepted:
        text += f"; {len(report.accepted)} accepted"
    return text


def _levels_of(changes: list[Change]) -> str:
    counts = {
        level: sum(1 for c in changes if c.level is level) for level in (ERROR, WARNING, INFO)
    }
    return ", ".join(f"{n} {level}" for level, n in counts.items() if n)


def _place(change: Change, report: DiffReport) -> str:
    where = f"{change.path}:{change.line}"
    if change.side == "base":
        where = f"{report.revision}:{where}" if report.revision else f"{where} (base)"
    return where


_LEVEL_BADGES = {ERROR: "❌ error", WARNING: "⚠️ warning", INFO: "ℹ️ info"}

FORMATS: dict[str, type[DiffReporter]] = {
    "text": TextReporter,
    "markdown": MarkdownReporter,
    "json": JsonReporter,
    "github": GithubAnnotations,
    "sarif": SarifReporter,
}


def reporter_class(name: str) -> type[DiffReporter]:
    return FORMATS[name]
