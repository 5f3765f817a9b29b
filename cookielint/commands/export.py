"""The ``export`` command's work, apart from argument parsing: a policy in, another tool's
format out, what that format can't hold on standard error, an exit status."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TextIO

from cookielint.collector import no_cycle_collection
from cookielint.commands.render import read_or_report, write_output
from cookielint.escape import visible
from cookielint.publish.export import Exporter, Inexpressible, targets
from cookielint.status import EXIT_FAILURE, EXIT_FINDINGS


@dataclass
class ExportSettings:
    policy: str
    target: str
    form: str | None = None
    """json or module, for the targets that offer both; None: the target's default."""
    output: str | None = None


def execute(settings: ExportSettings, stdout: TextIO, stderr: TextIO) -> int:
    export, default_form = targets()[settings.target]
    form = settings.form or default_form
    if settings.form is not None and settings.target not in ("klaro", "cookieconsent"):
        stderr.write(
            f"cookielint: error: --as applies to klaro and cookieconsent, not {settings.target}\n"
        )
        return EXIT_FAILURE
    # As in render: what is read is kept while it is exported, and let go before the
    # cycle collector is back on.
    with no_cycle_collection():
        return _export(settings, export, form, stdout, stderr)


def _export(
    settings: ExportSettings, export: Exporter, form: str, stdout: TextIO, stderr: TextIO
) -> int:
    source = read_or_report(settings.policy, stderr)
    if isinstance(source, int):
        return source
    try:
        exported = export(source, form)
    except Inexpressible as error:
        source.document.locate_all((pointer, False) for pointer, _ in error.problems)
        for pointer, message in error.problems:
            stderr.write(visible(f"{source.position(pointer)}: {message}") + "\n")
        stderr.write(f"cookielint: {settings.target}: nothing written\n")
        return EXIT_FINDINGS
    for note in exported.notes:
        stderr.write(visible(f"cookielint: {settings.target}: {note}") + "\n")
    return write_output(settings.output, exported.text, stdout, stderr)
