"""The ``check`` command's work, apart from argument parsing: files in, a report out."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import TextIO

from cookielint.files import Source, discover
from cookielint.finding import Finding, Report, Severity
from cookielint.linter import check_bytes, check_path
from cookielint.reporters import REPORTERS

EXIT_OK, EXIT_FINDINGS, EXIT_FAILURE = 0, 1, 2
DEFAULT_PATHS = ["policies"]


@dataclass
class CheckSettings:
    paths: list[str] = field(default_factory=list)
    format: str = "text"
    stdin_filename: str = "-"


def run(settings: CheckSettings) -> Report:
    findings = []
    files = 0
    for source in discover(settings.paths or DEFAULT_PATHS, settings.stdin_filename):
        findings += _check(source)
        files += 1
    findings.sort(key=lambda f: f.sort_key)
    return Report(files, findings)


def _check(source: Source) -> list[Finding]:
    if source.path is None:
        return check_bytes(sys.stdin.buffer.read(), source.display)
    return check_path(source.path, source.display)


def execute(settings: CheckSettings, stdout: TextIO) -> int:
    report = run(settings)
    REPORTERS[settings.format](stdout).report(report)
    return exit_status(report)


def exit_status(report: Report) -> int:
    if any(f.code == "CL000" for f in report.findings):
        return EXIT_FAILURE
    if any(f.severity is Severity.ERROR for f in report.findings):
        return EXIT_FINDINGS
    return EXIT_OK
