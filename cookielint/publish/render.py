"""``cookielint render``: the page visitors read, from the policy, through a Jinja2 template.

Every text the policy gives is escaped for the output it goes to, without the
template having to ask: HTML templates autoescape, and the Markdown
environment passes every value through ``markdown_escape`` (``finalize``), so a
purpose such as ``<script>alert(1)</script>`` or ``a | b`` reads as text and
cannot break a table. Only what is built here from escaped parts (links, joined
lists, table rows: ``MarkdownSafe`` or ``Markup``) goes out as it is.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from cookielint.publish.page import Page, Section

if TYPE_CHECKING:
    from markupsafe import Markup

TEMPLATES = Path(__file__).resolve().parent / "templates"
"""The built-in templates; ``--template DIR`` comes first."""
FORMATS = {"markdown": "page.md", "html": "page.html"}
STANDALONE = "standalone.html"


class MarkdownSafe(str):
    """Markdown built by cookielint from escaped parts: it goes out as it is."""


# Characters with a meaning in CommonMark or GitHub Flavored Markdown inline text:
# emphasis, code spans, links and images (which need a bracket), HTML and autolinks,
# entities, table cells, strikethrough, and the # that opens or closes a heading.
# Line breaks become spaces; what would start a list or a heading underline where a
# template puts the text at the start of a line (-, +, =, 1. or 1)) is escaped too.
_MARKDOWN_SPECIAL = re.compile(r"[\\`*_\[\]<>#|~&]")
_MARKDOWN_ESCAPES = tuple((c, "\\" + c) for c in "\\`*_[]<>#|~&")  # the backslash first
_LINE_BREAKS = re.compile(r"[\r\n\x0b\x0c\x85\u2028\u2029]+")
_BLOCK_START = re.compile(r"^([ \t]*)(?:([-+=])|(\d+)([.)]))")
# A letter or an underscore, then letters, digits, _ . -: nothing else to escape, no block.
_NAME_LIKE = re.compile(r"[A-Za-z_][\w.-]*", re.ASCII)


def markdown_escape(value: object) -> str:
    """``value`` as Markdown text that shows exactly ``value``, on one line."""
    if isinstance(value, MarkdownSafe):
        return value
    if value is None:
        return ""
    return _escaped(str(value))


def _escape_text(text: str) -> str:
    # A plain str, not MarkdownSafe: what Jinja writes out it copies unless it is one.
    if _NAME_LIKE.fullmatch(text):  # most cookie names: only an underscore to escape
        return text.replace("_", "\\_")
    if not text.isprintable():  # every line break is a control or separator character
        text = _LINE_BREAKS.sub(" ", text)
    if _MARKDOWN_SPECIAL.search(text):
        # A replace per character the text has: several times faster than str.translate.
        for character, escape in _MARKDOWN_ESCAPES:
            if character in text:
                text = text.replace(character, escape)
    start = text.lstrip(" \t")[:1]
    if start and (start in "-+=" or start.isdecimal()):
        text = _BLOCK_START.sub(_block_start, text, count=1)
    return text


# A page repeats its words (durations, party, yes/no): each is escaped once.
_escaped = functools.lru_cache(maxsize=4096)(_escape_text)


def _block_start(match: re.Match[str]) -> str:
    space, marker, number, delimiter = match.groups()
    return f"{space}\\{marker}" if marker else f"{space}{number}\\{delimiter}"


def markdown_link(text: object, url: str | None) -> MarkdownSafe:
    """``[text](<url>)``, or the escaped text alone when there is no URL."""
    # Rows repeat their providers: plain texts are kept (only those, so that a text and a
    # MarkdownSafe equal to it are never taken one for the other).
    if type(text) is str and (url is None or type(url) is str):
        return _cached_link(text, url)
    return _link(text, url)


def _link(text: object, url: str | None) -> MarkdownSafe:
    if not url:
        return MarkdownSafe(markdown_escape(text))
    # In an angle-bracket destination only <, > and line breaks end it; a URL the schema
    # accepted has none, and they are percent-encoded all the same.
    destination = quote(url, safe="!#$%&'()*+,-./:;=?@[]^_`{|}~")
    return MarkdownSafe(f"[{markdown_escape(text)}](<{destination}>)")


def join_escaped(items: Iterable[object], separator: str) -> MarkdownSafe:
    """The items, each escaped, between separators that go out as they are."""
    # A row's lists repeat from row to row: tuples of plain texts are kept (as in links).
    if type(items) is tuple and all(type(item) is str for item in items):
        return _cached_join(items, separator)
    return _join(items, separator)


def _join(items: Iterable[object], separator: str) -> MarkdownSafe:
    return MarkdownSafe(separator.join(map(markdown_escape, items)))


_cached_link = functools.lru_cache(maxsize=1024)(_link)
_cached_join = functools.lru_cache(maxsize=1024)(_join)


def html_join(items: Iterable[object], separator: str) -> str:
    """``join_escaped`` in HTML: the texts joined, then escaped whole, as any value is there."""
    return separator.join(map(str, items))


# The built-in templates lay out a table's rows with ``{{ section | table_rows }}``, not
# cell by cell: a template fills a table value by value, each through an attribute
# lookup, the escaping and a yield, which on a 10,000-row table took longer than all of
# check's consent and knowledge rules. docs/templates.md gives the template loop that
# writes the same rows (the tests compare them byte for byte), for a template of one's
# own that changes a cell.


def markdown_rows(section: Section) -> MarkdownSafe:
    """The section's table rows in Markdown, every text escaped, a line each."""
    # Cells repeat from row to row: those about the provider and where the cookie is used
    # (``before``), and the words from duration to consent (``after``); each set of them
    # is laid out once. The name and the purposes are escaped row by row.
    befores: dict[tuple[Any, ...], str] = {}
    afters: dict[tuple[str, ...], str] = {}
    lines = []
    for row in section.rows:
        # The slices follow Row's fields; the tests compare the rows with the template loop.
        before = befores.get(key := row[1:5])  # provider, its URL, function, location
        if before is None:
            before = befores[key] = _markdown_before(section, *key)
        after = afters.get(words := row[6:10])  # duration, party, storage, consent
        if after is None:
            after = afters[words] = " | ".join(map(_escaped, words))
        purposes = "; ".join(map(_escaped, row.purposes))
        lines.append(f"| {_escape_text(row.name)} | {before}{purposes} | {after} |")
    return MarkdownSafe("\n".join(lines))


def _markdown_before(
    section: Section,
    provider: str,
    url: str | None,
    function: str | None,
    location: tuple[str, ...],
) -> str:
    """The provider's cell, and the function's and the location's where the table has them,
    each followed by the separator of the next cell."""
    # Row texts are plain strings and their lists tuples of them (build_page makes them so).
    cells: list[str] = [_cached_link(provider, url)]
    if section.has_function:
        cells.append(_escaped(function) if function else "")
    if section.has_location:
        cells.append(", ".join(map(_escaped, location)))
    return "".join(f"{cell} | " for cell in cells)


def html_rows(section: Section) -> Markup:
    """The section's table rows in HTML, every text escaped, a ``<tr>`` each."""
    from markupsafe import Markup

    text = _html_text
    befores: dict[tuple[Any, ...], str] = {}  # as in Markdown
    afters: dict[tuple[str, ...], str] = {}
    rows = []
    for row in section.rows:
        before = befores.get(key := row[1:5])
        if before is None:
            before = befores[key] = _html_before(section, *key)
        after = afters.get(words := row[6:10])
        if after is None:
            after = afters[words] = "".join(f"<td>{text(word)}</td>\n" for word in words)
        purposes = row.purposes
        if len(purposes) == 1:
            why = text(purposes[0])
        else:
            why = f"<ul>{''.join(f'<li>{text(purpose)}</li>' for purpose in purposes)}</ul>"
        rows.append(
            f'<tr>\n<th scope="row"><code>{_html_escape(row.name)}</code></th>\n'
            f"{before}<td>{why}</td>\n{after}</tr>"
        )
    return Markup("\n".join(rows))


def _html_before(
    section: Section,
    provider: str,
    url: str | None,
    function: str | None,
    location: tuple[str, ...],
) -> str:
    """The provider's cell, and the function's and the location's where the table has them."""
    text = _html_text
    cells = [f'<a href="{text(url)}">{text(provider)}</a>' if url else text(provider)]
    if section.has_function:
        cells.append(text(function) if function else "")
    if section.has_location:
        cells.append(text(", ".join(location)))
    return "".join(f"<td>{cell}</td>\n" for cell in cells)


_HTML_SPECIAL = re.compile("[&<>\"']")


def _html_escape(text: str) -> str:
    """``text`` escaped for HTML as the templates' autoescaping escapes it."""
    if _HTML_SPECIAL.search(text) is None:  # most texts: nothing to escape
        return text
    from markupsafe import escape

    return str(escape(text))


_html_text = functools.lru_cache(maxsize=4096)(_html_escape)  # as in Markdown


def _environment(kind: str, template_dir: str | None) -> Any:
    import jinja2

    loaders: list[jinja2.BaseLoader] = []
    environment_class: type[jinja2.Environment] = jinja2.Environment
    if template_dir is not None:
        from jinja2.sandbox import SandboxedEnvironment

        # A template from the repository may come with a stranger's pull request: it runs
        # sandboxed, without reach into Python's internals (``__class__``, ``__globals__``).
        environment_class = SandboxedEnvironment
        loaders.append(jinja2.FileSystemLoader(template_dir))
    loaders.append(jinja2.FileSystemLoader(TEMPLATES))
    options: dict[str, Any] = {
        "loader": jinja2.ChoiceLoader(loaders),
        "undefined": jinja2.StrictUndefined,
        "keep_trailing_newline": True,
        "trim_blocks": True,
        "lstrip_blocks": True,
        "auto_reload": False,
    }
    if kind == "html":
        environment = environment_class(autoescape=True, **options)
        environment.filters["join_escaped"] = html_join
        environment.filters["table_rows"] = html_rows
    else:
        environment = environment_class(autoescape=False, finalize=markdown_escape, **options)
        environment.filters["link"] = markdown_link
        environment.filters["join_escaped"] = join_escaped
        environment.filters["table_rows"] = markdown_rows
    return environment


class TemplateError(Exception):
    """A template can't be loaded or fails: the command can't do its job (exit 2)."""


def render_page(
    page: Page, output_format: str, standalone: bool = False, template_dir: str | None = None
) -> str:
    import jinja2

    name = STANDALONE if standalone and output_format == "html" else FORMATS[output_format]
    try:
        template = _environment(output_format, template_dir).get_template(name)
    except jinja2.TemplateNotFound as error:
        raise TemplateError(f"template {error.name} not found") from None
    except jinja2.TemplateError as error:
        raise TemplateError(f"template error: {_where(error)}{error}") from None
    try:
        return str(template.render(page=page, _=page.words.gettext, standalone=standalone))
    except jinja2.TemplateError as error:
        where = _where(error) or _raised_at(error, template.filename)
        raise TemplateError(f"template error: {where}{error}") from None
    except Exception as error:  # what a template's own expression raised: its author's to fix
        where = _raised_at(error, template.filename)
        raise TemplateError(f"template error: {where}{type(error).__name__}: {error}") from None


def _where(error: Exception) -> str:
    filename, line = getattr(error, "filename", None), getattr(error, "lineno", None)
    return f"{filename}:{line}: " if line else ""


def _raised_at(error: Exception, filename: str | None) -> str:
    """``file:line: `` of the template line whose expression raised ``error``, if known.

    Jinja maps its compiled code's frames back to template lines in the traceback."""
    import traceback

    line = None
    for frame, number in traceback.walk_tb(error.__traceback__):
        if filename is not None and frame.f_code.co_filename == filename:
            line = number
    return f"{filename}:{line}: " if line is not None else ""
