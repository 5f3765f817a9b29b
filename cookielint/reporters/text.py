"""One line per finding, ``path:line:col: CODE [severity] message``, then a summary."""

from __future__ import annotations

from typing import Any

import click

from cookielint.escape import visible
from cookielint.finding import Finding, Report, Severity
from cookielint.reporters.base import Reporter, summary

SEVERITY_COLORS = {Severity.ERROR: "red", Severity.WARNING: "yellow"}


class TextReporter(Reporter):
    def report(self, report: Report) -> None:
        for finding in report.findings:
            self.stream.write(self.line(finding) + "\n")
        self.stream.write(self.style(summary(report), bold=True) + "\n")

    def line(self, f: Finding) -> str:
        where = self.style(f"{visible(f.path)}:{f.line}:{f.column}:", bold=True)
        code = self.style(f.code, fg=SEVERITY_COLORS[f.severity], bold=True)
        return f"{where} {code} [{f.severity}] {visible(f.message)}"

    def style(self, text: str, **styles: Any) -> str:
        return click.style(text, **styles) if self.options.color else text
