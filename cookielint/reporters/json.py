"""The JSON report: version, files, findings, summary (README, "Output formats")."""

from __future__ import annotations

import json

from cookielint import __version__
from cookielint.finding import Report
from cookielint.reporters.base import Reporter


class JsonReporter(Reporter):
    def report(self, report: Report) -> None:
        document = {
            "version": __version__,
            "files": report.files,
            "findings": [f.to_dict() for f in report.findings],
            "summary": {"errors": report.errors, "warnings": report.warnings},
        }
        json.dump(document, self.stream, indent=2)
        self.stream.write("\n")
