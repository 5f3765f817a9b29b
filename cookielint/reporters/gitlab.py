"""GitLab Code Quality report: a JSON array GitLab shows in merge requests.

https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format
"""

from __future__ import annotations

from cookielint.finding import Report, Severity
from cookielint.reporters.base import Reporter, fingerprints, repository_path, write_json

_SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor"}


class GitlabReporter(Reporter):
    def report(self, report: Report) -> None:
        root = self.root
        issues = [
            {
                "description": f"{f.code} {f.message}",
                "check_name": f.code,
                "fingerprint": fingerprint,
                "severity": _SEVERITIES[f.severity],
                "location": {"path": repository_path(f.path, root), "lines": {"begin": f.line}},
            }
            for f, fingerprint in zip(report.findings, fingerprints(report, root), strict=True)
        ]
        write_json(issues, self.stream)
