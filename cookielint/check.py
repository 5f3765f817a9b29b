"""The ``check`` command's work, apart from argument parsing: files in, reports out, an exit status."""

from __future__ import annotations

import os
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from cookielint import rules
from cookielint.config import Configuration, FileSettings, absolute
from cookielint.files import Source, discover
from cookielint.finding import Finding, Report, Severity
from cookielint.linter import check_bytes, check_path, internal_error, unreadable
from cookielint.reporters import TERMINAL_FORMATS, ReportOptions, reporter_class
from cookielint.reporters.base import summary

EXIT_OK, EXIT_FINDINGS, EXIT_FAILURE = 0, 1, 2


@dataclass(frozen=True)
class Output:
    format: str
    path: str | None = None
    """None: standard output."""


@dataclass
class CheckSettings:
    paths: list[str] = field(default_factory=list)
    """Empty: the configured paths (policies/ by default)."""
    outputs: list[Output] = field(default_factory=lambda: [Output("text")])
    stdin_filename: str = "-"
    color: bool = False
    statistics: bool = False
    exit_zero: bool = False
    fail_on: Severity = Severity.ERROR
    configuration: Configuration = field(default_factory=Configuration)
    jobs: int = 1
    """Worker processes; the report is the same, in content and order, whatever the number."""


def run(settings: CheckSettings) -> Report:
    configuration = settings.configuration
    paths = settings.paths or configuration.paths()
    tasks = [
        _Task(source, configuration.for_file(_settings_path(source, settings.stdin_filename)))
        for source in discover(paths, settings.stdin_filename, configuration.exclude())
    ]
    sources: dict[str, str] = {}
    for task in tasks:
        if task.source.path is None and task.source.error is None:
            # Standard input is read here, once, and never more than the size limit
            # allows (a pipe may never end); the bytes go along with the task.
            task.stdin = sys.stdin.buffer.read(task.settings.max_file_size + 1)
            sources[task.source.display] = task.stdin.decode("utf-8-sig", errors="replace")
    findings: list[Finding] = []
    for result in _map(_check, tasks, settings.jobs):
        findings += result
    findings.sort(key=lambda f: f.sort_key)
    return Report([task.source.display for task in tasks], findings, sources)


def _settings_path(source: Source, stdin_filename: str) -> Path | None:
    """The path whose configuration applies: for standard input, the name given to it."""
    if source.path is None and source.error is None and stdin_filename != "-":
        return Path(stdin_filename)
    return source.path


@dataclass
class _Task:
    source: Source
    settings: FileSettings
    stdin: bytes | None = None


def _check(task: _Task) -> list[Finding]:
    source = task.source
    try:
        if source.error is not None:
            return unreadable(source.display, source.error)
        if source.path is None:
            return check_bytes(task.stdin or b"", source.display, task.settings)
        return check_path(source.path, source.display, task.settings)
    except Exception as error:  # a bug must not hide the other files' findings
        return [internal_error(source.display, error)]


# Below this many files, starting worker processes costs more than it saves.
PARALLEL_MIN_FILES = 32


def _map(
    function: Callable[[_Task], list[Finding]], tasks: list[_Task], jobs: int
) -> Iterator[list[Finding]]:
    """``function`` over ``tasks``, in worker processes when worth it; results in task order."""
    if jobs <= 1 or len(tasks) < PARALLEL_MIN_FILES:
        yield from map(function, tasks)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    chunk = max(1, min(64, len(tasks) // (jobs * 8)))
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        yield from pool.map(function, tasks, chunksize=chunk)


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class OutputError(Exception):
    """A report file can't be written: the command can't do its job (exit 2)."""


def execute(settings: CheckSettings, stdout: TextIO, stderr: TextIO) -> int:
    report = run(settings)
    root = repository_root(Path.cwd())
    for output in settings.outputs:
        reporter = reporter_class(output.format)
        if output.path is None:
            reporter(stdout, ReportOptions(color=settings.color, root=root)).report(report)
            continue
        with atomic_writer(Path(output.path)) as stream:
            reporter(stream, ReportOptions(root=root)).report(report)
    # The terminal gets a summary even when every report went to a file; the
    # statistics go where they can't corrupt a machine-readable report.
    stdout_free = all(o.path is not None for o in settings.outputs)
    stdout_for_people = stdout_free or any(
        o.path is None and o.format in TERMINAL_FORMATS for o in settings.outputs
    )
    if settings.statistics:
        (stdout if stdout_for_people else stderr).write(statistics(report))
    if stdout_free:
        stdout.write(summary(report) + "\n")
    return exit_status(report, settings)


def statistics(report: Report) -> str:
    counts = Counter(f.code for f in report.findings)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    width = len(str(max(counts.values(), default=0)))
    return "".join(
        f"{count:>{width}}  {code}  {rules.RULES[code].name}\n" for code, count in ordered
    )


def exit_status(report: Report, settings: CheckSettings) -> int:
    if any(f.code == "CL000" for f in report.findings):
        return EXIT_FAILURE
    if settings.exit_zero:
        return EXIT_OK
    failing = {Severity.ERROR} if settings.fail_on is Severity.ERROR else set(Severity)
    if any(f.severity in failing for f in report.findings):
        return EXIT_FINDINGS
    return EXIT_OK


def repository_root(start: Path) -> Path:
    """The nearest directory at or above ``start`` holding .git; ``start`` when there is none."""
    start = absolute(start)
    for directory in (start, *start.parents):
        if (directory / ".git").exists():
            return directory
    return start


@contextmanager
def atomic_writer(path: Path) -> Iterator[TextIO]:
    """A report file that readers never see half-written: a temporary file, renamed when complete."""
    import tempfile

    try:
        handle, temporary = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=".tmp", dir=path.parent
        )
    except OSError as error:
        raise OutputError(f"cannot write {path}: {error.strerror or error}") from None
    try:
        # mkstemp makes the file private; a report gets what any new file would.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            yield stream
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
