"""Writing reports to files: never half-written."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from cookielint.files import repository_root
from cookielint.finding import Report
from cookielint.reporters import TERMINAL_FORMATS, ReportOptions, reporter_class
from cookielint.reporters.base import summary


class OutputError(Exception):
    """A report file can't be written: the command can't do its job (exit 2)."""


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


@dataclass(frozen=True)
class Output:
    """One report a command writes: a format, and the file it goes to."""

    format: str
    path: str | None = None
    """None: standard output."""


def write_reports(
    report: Report,
    outputs: list[Output],
    stdout: TextIO,
    stderr: TextIO,
    *,
    color: bool = False,
    statistics: bool = False,
) -> None:
    """Every requested report of ``report``; the terminal gets a summary even when all went to files."""
    root = repository_root(Path.cwd())
    for output in outputs:
        reporter = reporter_class(output.format)
        if output.path is None:
            reporter(stdout, ReportOptions(color=color, root=root)).report(report)
            continue
        with atomic_writer(Path(output.path)) as stream:
            reporter(stream, ReportOptions(root=root)).report(report)
    # The statistics go where they can't corrupt a machine-readable report.
    stdout_free = all(o.path is not None for o in outputs)
    stdout_for_people = stdout_free or any(
        o.path is None and o.format in TERMINAL_FORMATS for o in outputs
    )
    if statistics:
        (stdout if stdout_for_people else stderr).write(rule_statistics(report))
    if stdout_free:
        stdout.write(summary(report) + "\n")


def rule_statistics(report: Report) -> str:
    """How many findings each rule has, most frequent first."""
    counts = Counter((f.code, f.name) for f in report.findings)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0][0]))
    width = len(str(max(counts.values(), default=0)))
    return "".join(f"{count:>{width}}  {code}  {name}\n" for (code, name), count in ordered)
