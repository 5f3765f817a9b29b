"""The ``render`` command's work, apart from argument parsing: a policy in, a page (or a
verdict on one, with ``--check``) out, an exit status."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from cookielint.collector import no_cycle_collection
from cookielint.escape import visible
from cookielint.finding import Report
from cookielint.publish.page import Page, build_page
from cookielint.publish.render import TemplateError, render_page
from cookielint.publish.source import Source, SourceError, Unpublishable, read_policy
from cookielint.status import EXIT_FAILURE, EXIT_FINDINGS, EXIT_OK


@dataclass
class RenderSettings:
    policy: str
    output_format: str = "markdown"
    language: str | None = None
    template_dir: str | None = None
    output: str | None = None
    check: bool = False
    standalone: bool = False


# A BCP 47 language tag, as the policy schema's languageTag accepts it.
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")


def execute(settings: RenderSettings, stdout: TextIO, stderr: TextIO) -> int:
    if settings.language is not None and not _LANGUAGE_TAG.fullmatch(settings.language):
        stderr.write(
            f"cookielint: error: --lang {visible(repr(settings.language))} is not a BCP 47 "
            "language tag (en, fr, pt-BR)\n"
        )
        return EXIT_FAILURE
    # The policy read is kept while the page is made from it: millions of objects in no
    # cycle, which the cycle collector, once back on, would scan for nothing.
    with no_cycle_collection():
        return _render(settings, stdout, stderr)


def _render(settings: RenderSettings, stdout: TextIO, stderr: TextIO) -> int:
    source = read_or_report(settings.policy, stderr)
    if isinstance(source, int):
        return source
    if settings.template_dir is not None and not Path(settings.template_dir).is_dir():
        stderr.write(
            f"cookielint: error: --template {visible(settings.template_dir)}: no such directory\n"
        )
        return EXIT_FAILURE
    try:
        page = build_page(source.policy, settings.language)
        text = render_page(page, settings.output_format, settings.standalone, settings.template_dir)
    except TemplateError as error:
        stderr.write(f"cookielint: error: {visible(str(error))}\n")
        return EXIT_FAILURE
    if not page.words.has_catalog:
        stderr.write(
            f"cookielint: no vocabulary in '{visible(page.language)}' (cookielint has "
            f"{', '.join(_catalogs())}); headings and words are in English\n"
        )
    report_fallbacks(source, page, stderr)
    if settings.check:
        return check_current(settings.output, text, stdout, stderr)
    return write_output(settings.output, text, stdout, stderr)


def report_fallbacks(source: Source, page: Page, stderr: TextIO) -> None:
    """Each text shown in the default language for want of the page's, once, in file order."""
    if not page.fallbacks:
        return
    from cookielint.rules.translations import cookie_labels, text_subject

    labels = cookie_labels(source.policy)
    # Every position in one pass over the text: one pass each would cost the file's size
    # times the number of texts.
    source.document.locate_all((fallback.pointer, False) for fallback in page.fallbacks)
    seen: dict[tuple[int, int], str] = {}
    for fallback in page.fallbacks:
        line, column = source.document.locate(fallback.pointer)
        seen.setdefault(
            (line, column),
            f"{source.display}:{line}:{column}: "
            f"{text_subject(source.policy, fallback.pointer, labels)} has no '{fallback.language}' "
            f"text; the '{page.default_language}' text is shown",
        )
    for _, message in sorted(seen.items()):
        stderr.write(visible(message) + "\n")


def _catalogs() -> list[str]:
    from cookielint.publish.i18n import catalog_languages

    return list(catalog_languages())


def read_or_report(policy: str, stderr: TextIO) -> Source | int:
    """The policy to publish, or the exit status after saying on ``stderr`` why it can't be:
    2 when it can't be read as a file, 1 with the findings that stop it."""
    try:
        return read_policy(policy)
    except SourceError as error:
        stderr.write(f"cookielint: error: {visible(str(error))}\n")
        return EXIT_FAILURE
    except Unpublishable as error:
        report_unpublishable(error, policy, stderr)
        return EXIT_FINDINGS


def report_unpublishable(error: Unpublishable, display: str, stderr: TextIO) -> None:
    """The findings that stop a policy from being published, as ``check`` shows them."""
    from cookielint.reporters import reporter_class
    from cookielint.reporters.base import ReportOptions

    stderr.write(f"cookielint: {visible(display)} is not published: its form is not sound\n")
    reporter_class("text")(stderr, ReportOptions()).report(Report([display], error.findings, {}))


def check_current(output: str | None, text: str, stdout: TextIO, stderr: TextIO) -> int:
    """Exit 0 when ``output`` holds ``text``; 1 with a unified diff when it does not."""
    if output is None:
        stderr.write("cookielint: error: --check needs -o PATH, the file to compare\n")
        return EXIT_FAILURE
    path = Path(output)
    try:
        current = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        stderr.write(f"{visible(output)}: does not exist; run without --check to write it\n")
        return EXIT_FINDINGS
    except (OSError, UnicodeDecodeError) as error:
        stderr.write(f"cookielint: error: cannot read {visible(output)}: {error}\n")
        return EXIT_FAILURE
    if current == text:
        return EXIT_OK
    import difflib

    diff = difflib.unified_diff(
        current.splitlines(keepends=True),
        text.splitlines(keepends=True),
        fromfile=output,
        tofile=f"{output} (rendered)",
    )
    for line in diff:
        stdout.write(visible(line.rstrip("\n")) + "\n")
    stderr.write(
        f"{visible(output)}: is stale; run the same command without --check to update it\n"
    )
    return EXIT_FINDINGS


def visible_lines(text: str) -> str:
    return "\n".join(visible(line) for line in text.split("\n"))


def write_output(output: str | None, text: str, stdout: TextIO, stderr: TextIO) -> int:
    from cookielint.outputs import OutputError, atomic_writer

    if output is None:
        # What goes to a terminal can't drive it; what is redirected is the page as rendered.
        isatty = getattr(stdout, "isatty", None)
        stdout.write(visible_lines(text) if isatty and isatty() else text)
        return EXIT_OK
    try:
        with atomic_writer(Path(output)) as stream:
            stream.write(text)
    except OutputError as error:
        stderr.write(f"cookielint: error: {visible(str(error))}\n")
        return EXIT_FAILURE
    return EXIT_OK
