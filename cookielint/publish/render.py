"""``cookielint render``: the page visitors read, from the policy, through a Jinja2 template.

Every text the policy gives is escaped for the output it goes to, without the
template having to ask: HTML templates autoescape, and the Markdown
environment passes every value through ``markdown_escape`` (``finalize``), so a
purpose such as ``<script>alert(1)</script>`` or ``a | b`` reads as text and
cannot break a table. Only values built here as ``MarkdownSafe`` (links) go out
as they are.
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import gc
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote

from cookielint.escape import visible
from cookielint.finding import Report
from cookielint.publish.page import Page, build_page
from cookielint.publish.source import Source, SourceError, Unpublishable, read_policy

EXIT_OK, EXIT_FINDINGS, EXIT_FAILURE = 0, 1, 2
FORMATS = {"markdown": "page.md", "html": "page.html"}
STANDALONE = "standalone.html"


class MarkdownSafe(str):
    """Markdown built by cookielint from escaped parts: it goes out as it is."""


# Characters with a meaning in CommonMark or GitHub Flavored Markdown inline text:
# emphasis, code spans, links and images (which need a bracket), HTML and autolinks,
# entities, table cells, strikethrough, and the # that opens or closes a heading.
# Line breaks become spaces; what would start a list or a heading underline where a
# template puts the text at the start of a line (-, +, =, 1. or 1)) is escaped too.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&])")
_LINE_BREAKS = re.compile(r"[\r\n\x0b\x0c\x85\u2028\u2029]+")
_BLOCK_START = re.compile(r"^([ \t]*)(?:([-+=])|(\d+)([.)]))")


def markdown_escape(value: object) -> str:
    """``value`` as Markdown text that shows exactly ``value``, on one line."""
    if isinstance(value, MarkdownSafe):
        return value
    if value is None:
        return ""
    return _escaped(str(value))


@functools.lru_cache(maxsize=4096)  # a page repeats its words (durations, party, yes/no)
def _escaped(text: str) -> MarkdownSafe:
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", _LINE_BREAKS.sub(" ", text))
    return MarkdownSafe(_BLOCK_START.sub(_block_start, text, count=1))


def _block_start(match: re.Match[str]) -> str:
    space, marker, number, delimiter = match.groups()
    return f"{space}\\{marker}" if marker else f"{space}{number}\\{delimiter}"


def markdown_link(text: object, url: str | None) -> MarkdownSafe:
    """``[text](<url>)``, or the escaped text alone when there is no URL."""
    if not url:
        return MarkdownSafe(markdown_escape(text))
    # In an angle-bracket destination only <, > and line breaks end it; a URL the schema
    # accepted has none, and they are percent-encoded all the same.
    destination = quote(url, safe="!#$%&'()*+,-./:;=?@[]^_`{|}~")
    return MarkdownSafe(f"[{markdown_escape(text)}](<{destination}>)")


def _environment(kind: str, template_dir: str | None) -> Any:
    import jinja2

    loaders: list[jinja2.BaseLoader] = []
    if template_dir is not None:
        loaders.append(jinja2.FileSystemLoader(template_dir))
    loaders.append(jinja2.PackageLoader("cookielint.publish", "templates"))
    options: dict[str, Any] = {
        "loader": jinja2.ChoiceLoader(loaders),
        "undefined": jinja2.StrictUndefined,
        "keep_trailing_newline": True,
        "trim_blocks": True,
        "lstrip_blocks": True,
        "auto_reload": False,
    }
    if kind == "html":
        environment = jinja2.Environment(autoescape=True, **options)
    else:
        environment = jinja2.Environment(autoescape=False, finalize=markdown_escape, **options)
        environment.filters["link"] = markdown_link
        environment.filters["join_escaped"] = lambda items, sep: MarkdownSafe(
            sep.join(markdown_escape(item) for item in items)
        )
    return environment


@contextlib.contextmanager
def no_cycle_collection() -> Iterator[None]:
    """A page of many rows is many small objects in no cycle: nothing for the cycle collector."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


class TemplateError(Exception):
    """A template can't be loaded or fails: the command can't do its job (exit 2)."""


def render_page(
    page: Page, output_format: str, standalone: bool = False, template_dir: str | None = None
) -> str:
    import jinja2

    name = STANDALONE if standalone and output_format == "html" else FORMATS[output_format]
    try:
        template = _environment(output_format, template_dir).get_template(name)
        return str(template.render(page=page, _=page.words.gettext, standalone=standalone))
    except jinja2.TemplateNotFound as error:
        raise TemplateError(f"template {error.name} not found") from None
    except jinja2.TemplateError as error:
        filename, line = getattr(error, "filename", None), getattr(error, "lineno", None)
        where = f"{filename}:{line}: " if line else ""
        raise TemplateError(f"template error: {where}{error}") from None


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
    try:
        source = read_policy(settings.policy)
    except SourceError as error:
        stderr.write(f"cookielint: error: {visible(str(error))}\n")
        return EXIT_FAILURE
    except Unpublishable as error:
        report_unpublishable(error, settings.policy, stderr)
        return EXIT_FINDINGS
    if settings.template_dir is not None and not Path(settings.template_dir).is_dir():
        stderr.write(
            f"cookielint: error: --template {visible(settings.template_dir)}: no such directory\n"
        )
        return EXIT_FAILURE
    try:
        with no_cycle_collection():
            page = build_page(source.policy, settings.language)
            text = render_page(
                page, settings.output_format, settings.standalone, settings.template_dir
            )
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
    from cookielint.rules.translations import cookie_labels, text_subject

    labels = cookie_labels(source.policy)
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


__all__ = ["RenderSettings", "execute", "markdown_escape", "render_page"]
