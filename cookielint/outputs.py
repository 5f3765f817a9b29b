"""Writing reports to files: never half-written."""

from __future__ import annotations

import os
import stat
import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple, TextIO

from cookielint.config.confine import confine
from cookielint.escape import visible
from cookielint.files import repository_root
from cookielint.finding import Report
from cookielint.reporters import TERMINAL_FORMATS, ReportOptions, reporter_class
from cookielint.reporters.base import summary


class OutputError(Exception):
    """A report file can't be written: the command can't do its job (exit 2)."""


def _temporary(path: Path) -> Path:
    """A new private file beside ``path``, with the permissions any new file would get."""
    import tempfile

    try:
        handle, temporary = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=".tmp", dir=path.parent
        )
    except OSError as error:
        raise OutputError(f"cannot write {visible(str(path))}: {error.strerror or error}") from None
    os.close(handle)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(temporary, 0o666 & ~umask)
    return Path(temporary)


@contextmanager
def atomic_writer(path: Path) -> Iterator[TextIO]:
    """A report file that readers never see half-written: a temporary file, renamed when complete."""
    temporary = _temporary(path)
    try:
        with open(temporary, "w", encoding="utf-8", newline="\n") as stream:
            yield stream
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


class Output(NamedTuple):
    """One report a command writes: a format, and the file it goes to."""

    format: str
    path: str | None = None
    """None: standard output."""


def with_output_file(outputs: list[Output], output_file: str | None) -> list[Output]:
    """The reports asked for, with ``-o PATH`` given to the single one; a click.UsageError for
    ``-o`` beside several formats, or for more than one report on standard output."""
    import click

    if output_file is not None:
        if len(outputs) > 1 or outputs[0].path is not None:
            raise click.UsageError(
                "--output-file goes with a single --format; use --format FORMAT=PATH for several"
            )
        outputs = [Output(outputs[0].format, output_file)]
    if sum(1 for o in outputs if o.path is None) > 1:
        raise click.UsageError(
            "only one --format can write to standard output; give the others a file (FORMAT=PATH)"
        )
    return outputs


def write_reports(
    report: Report,
    outputs: list[Output],
    stdout: TextIO,
    stderr: TextIO,
    *,
    color: bool = False,
    statistics: bool = False,
    inputs: Sequence[str] = (),
) -> None:
    """Every requested report of ``report``; the terminal gets a summary even when all went to files.

    ``inputs`` are files the run read besides the checked ones (configuration):
    no report may replace them.
    """
    check_report_paths([o.path for o in outputs if o.path is not None], [*report.checked, *inputs])
    root = repository_root(Path.cwd())
    # Every report file is complete before any is put in place: an interrupted or
    # failed run leaves none, rather than some.
    written: list[tuple[Path, Path]] = []
    try:
        for output in outputs:
            reporter = reporter_class(output.format)
            if output.path is None:
                reporter(stdout, ReportOptions(color=color, root=root)).report(report)
                continue
            temporary = _temporary(Path(output.path))
            written.append((temporary, Path(output.path)))
            with open(temporary, "w", encoding="utf-8", newline="\n") as stream:
                reporter(stream, ReportOptions(root=root)).report(report)
        if written:
            with _uninterrupted():  # every report in place, or (on an error before) none
                while written:
                    os.replace(*written[0])
                    written.pop(0)
    finally:
        for temporary, _ in written:
            temporary.unlink(missing_ok=True)
    # The statistics go where they can't corrupt a machine-readable report.
    stdout_free = all(o.path is not None for o in outputs)
    stdout_for_people = stdout_free or any(
        o.path is None and o.format in TERMINAL_FORMATS for o in outputs
    )
    if statistics:
        (stdout if stdout_for_people else stderr).write(rule_statistics(report))
    if stdout_free:
        stdout.write(summary(report) + "\n")


@contextmanager
def _uninterrupted() -> Iterator[None]:
    """Ctrl-C (SIGINT) held back until the block is done: a few renames."""
    import signal

    blocking = (
        hasattr(signal, "pthread_sigmask") and threading.current_thread() is threading.main_thread()
    )
    if blocking:
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        if blocking:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def check_report_paths(paths: Sequence[str], inputs: Sequence[str]) -> None:
    """OutputError, before anything is written, unless every report path is a new or regular file
    that is not an input of the run and not another report of it."""
    read_files: set[tuple[int, int]] = set()
    read_paths: set[str] = set()
    for given in inputs:
        try:
            found = os.stat(given)
        except (OSError, ValueError):
            continue
        read_files.add((found.st_dev, found.st_ino))
        read_paths.add(os.path.realpath(given))
    chosen: dict[str, str] = {}
    for path in paths:
        shown = visible(path)
        status: os.stat_result | None
        try:
            status = os.lstat(path)
        except FileNotFoundError:
            status = None
        except (OSError, ValueError) as error:
            raise OutputError(
                f"cannot write {shown}: {getattr(error, 'strerror', None) or error}"
            ) from None
        if status is not None and not stat.S_ISREG(status.st_mode):
            kind = "a symbolic link" if stat.S_ISLNK(status.st_mode) else "not a regular file"
            raise OutputError(f"will not write a report over {shown}: {kind}")
        real = os.path.realpath(path)
        if (
            real in read_paths
            or status is not None
            and (status.st_dev, status.st_ino) in read_files
        ):
            raise OutputError(f"will not write a report over {shown}: it is a file this run reads")
        if real in chosen:
            raise OutputError(
                f"two reports would be written to {shown} (and {visible(chosen[real])})"
            )
        chosen[real] = path


def confined(path: str, directory: Path, origin: str) -> str:
    """A report path a configuration file gives: relative to its ``directory``, and inside it."""
    return str(confine(path, directory, f"{origin}: format: report path"))


def rule_statistics(report: Report) -> str:
    """How many findings each rule has, most frequent first."""
    counts = Counter((f.code, f.name) for f in report.findings)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0][0]))
    width = len(str(max(counts.values(), default=0)))
    return "".join(f"{count:>{width}}  {code}  {name}\n" for (code, name), count in ordered)
