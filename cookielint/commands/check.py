"""The ``check`` command's work, apart from argument parsing: files in, reports out, an exit status."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple, TextIO

from cookielint.config import Configuration
from cookielint.escape import visible
from cookielint.files import PathError
from cookielint.finding import Severity
from cookielint.outputs import Output, write_reports
from cookielint.reporters import SOURCE_FORMATS
from cookielint.run import run
from cookielint.status import exit_status


class CheckSettings(NamedTuple):
    paths: list[str]
    """Empty: the configured paths (policies/ by default)."""
    outputs: list[Output]
    configuration: Configuration
    stdin_filename: str = "-"
    color: bool = False
    statistics: bool = False
    exit_zero: bool = False
    fail_on: Severity = Severity.ERROR
    jobs: int = 1
    """Worker processes; the report is the same, in content and order, whatever the number."""


def execute(
    settings: CheckSettings, stdout: TextIO, stderr: TextIO, inputs: Sequence[str] = ()
) -> int:
    """Check, write the reports, and the exit status; ``inputs`` are other files the run read
    (configuration), which no report may replace."""
    try:
        report = run(
            settings.configuration,
            settings.paths,
            settings.stdin_filename,
            settings.jobs,
            keep_sources=any(o.format in SOURCE_FORMATS for o in settings.outputs),
        )
    except PathError as error:
        if settings.paths:
            raise
        raise PathError(f"{error} ({_paths_origin(settings.configuration)})") from None
    write_reports(
        report,
        settings.outputs,
        stdout,
        stderr,
        color=settings.color,
        statistics=settings.statistics,
        inputs=inputs,
    )
    return exit_status(report, settings.fail_on, settings.exit_zero)


def _paths_origin(configuration: Configuration) -> str:
    """Where the paths checked without PATH arguments come from, and how to change them."""
    setting = configuration.resolve("paths", configuration.run_file())
    if setting.origin == "default":
        return (
            "checked by default when no PATH is given; name the files or directories to "
            "check, or set paths in .cookielint.yaml"
        )
    return f"from paths in {visible(setting.origin)}"
