"""The JSON report: version, files, findings, summary (README, "Output formats")."""

from __future__ import annotations

from cookielint import __version__
from cookielint.finding import Report
from cookielint.reporters.base import Reporter, write_json


class JsonReporter(Reporter):
    def report(self, report: Report) -> None:
        document = {
            "version": __version__,
            "files": report.files,
            "findings": [f.to_dict() for f in report.findings],
            "summary": {"errors": report.errors, "warnings": report.warnings},
        }
        write_json(document, self.stream)
