"""Exit status, the same for every command: 0 clean, 1 findings, 2 cookielint could not do its job."""

from __future__ import annotations

from cookielint.finding import Report, Severity

EXIT_OK, EXIT_FINDINGS, EXIT_FAILURE = 0, 1, 2
EXIT_INTERRUPTED = 130
"""Ctrl-C, as shells report a process ended by SIGINT."""


def exit_status(report: Report, fail_on: Severity = Severity.ERROR, exit_zero: bool = False) -> int:
    """1 when a finding is at ``fail_on`` severity or above; 2 when cookielint itself failed (CL000)."""
    if any(f.code == "CL000" for f in report.findings):
        return EXIT_FAILURE
    if exit_zero:
        return EXIT_OK
    failing = {Severity.ERROR} if fail_on is Severity.ERROR else set(Severity)
    if any(f.severity in failing for f in report.findings):
        return EXIT_FINDINGS
    return EXIT_OK
