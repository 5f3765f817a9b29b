"""One line per finding, ``path:line:col: CODE [severity] message``, then a summary."""

from __future__ import annotations

from cookielint.finding import Report
from cookielint.reporters.base import Reporter, summary


class TextReporter(Reporter):
    def report(self, report: Report) -> None:
        for f in report.findings:
            self.stream.write(
                f"{f.path}:{f.line}:{f.column}: {f.code} [{f.severity}] {f.message}\n"
            )
        self.stream.write(summary(report) + "\n")
