"""Many files → one report: what to check, with which settings, in worker processes when worth it.

Each file goes through the per-file pipeline (``cookielint.pipeline``); the
report is the same, in content and order, whatever the number of workers.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NamedTuple

from cookielint import rules
from cookielint.config import Configuration, FileSettings
from cookielint.files import PathError, Source, discover
from cookielint.finding import Finding, Report
from cookielint.pipeline import internal_error, lint_bytes, lint_file, unreadable
from cookielint.workers import available_cpus, map_tasks


def run(
    configuration: Configuration,
    paths: list[str] | None = None,
    stdin_filename: str = "-",
    jobs: int = 1,
    keep_sources: bool = False,
) -> Report:
    """Check ``paths`` (the configured paths when empty) under ``configuration``.

    With ``keep_sources`` the report holds the text of every file with findings, as it was
    read for checking, for reports that show source lines: a file is never read twice (it
    may have changed, or be a FIFO or a device by now).
    """
    tasks = [
        _Task(source, configuration.for_file(_settings_path(source, stdin_filename)), keep_sources)
        for source in discover(
            paths or configuration.paths(),
            stdin_filename,
            configuration.exclude(),
            configuration.force_exclude(),
        )
    ]
    sources: dict[str, str] = {}
    for number, task in enumerate(tasks):
        if task.source.path is None and task.source.error is None:
            # Standard input is read here, once, and never more than the size limit
            # allows (a pipe may never end); the bytes go along with the task.
            stdin = _read_stdin(task.settings.max_file_size + 1)
            tasks[number] = task._replace(stdin=stdin)
            sources[task.source.display] = stdin.decode("utf-8-sig", errors="replace")
    findings: list[Finding] = []
    for task, (found, text) in zip(tasks, map_tasks(_lint, tasks, jobs, _lost), strict=True):
        findings += found
        if text is not None:
            sources[task.source.display] = text
    findings.sort(key=lambda f: f.sort_key)
    return Report(
        [task.source.display for task in tasks], findings, sources, rules.used_by(findings)
    )


def _read_stdin(limit: int) -> bytes:
    """At most ``limit`` bytes of standard input; a PathError when there is none to read."""
    if sys.stdin is None:
        raise PathError("cannot read standard input (-): it is closed")
    try:
        return sys.stdin.buffer.read(limit)
    except (OSError, ValueError) as error:
        raise PathError(
            f"cannot read standard input (-): {getattr(error, 'strerror', None) or error}"
        ) from None


def _settings_path(source: Source, stdin_filename: str) -> Path | None:
    """The path whose configuration applies: for standard input, the name given to it."""
    if source.path is None and source.error is None and stdin_filename != "-":
        return Path(stdin_filename)
    return source.path


class _Task(NamedTuple):
    source: Source
    settings: FileSettings
    keep_source: bool = False
    stdin: bytes | None = None


# A file's findings, and its text when the report is to show it.
_Result = tuple[list[Finding], str | None]


def _lint(task: _Task) -> _Result:
    source = task.source
    try:
        if source.error is not None:
            return unreadable(source.display, source.error), None
        if source.path is None:
            return lint_bytes(task.stdin or b"", source.display, task.settings), None
        result = lint_file(source.path, source.display, task.settings)
        keep = task.keep_source and result.findings
        return result.findings, result.text if keep else None
    except Exception as error:  # a bug must not hide the other files' findings
        return [internal_error(source.display, error)], None


def _lost(task: _Task, why: str) -> _Result:
    """A file whose worker died twice while checking it: reported, never passed in silence."""
    return [internal_error(task.source.display, RuntimeError(why))], None


def default_jobs() -> int:
    return available_cpus()
