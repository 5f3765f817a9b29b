"""Inline suppression with YAML comments, and the findings about suppressions themselves.

    consent: exempt  # cookielint: disable=CL201 -- reviewed with the DPO
    # cookielint: disable=CL404 -- on a line of its own: the next line
    # cookielint: disable=tracking-exempt -- directly above `- name:`: the whole declaration
    # cookielint: disable-file=CL404 -- in the leading comments: the whole file

A suppression that suppresses nothing is reported (CL007), so stale
exceptions don't pile up; with ``require-reason`` one without a reason after
``--`` is reported too (CL008).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from typing import NamedTuple

from cookielint.document import LINE_BREAK, CommentContext
from cookielint.finding import FINDINGS_PER_RULE, Problem
from cookielint.suggest import closest_rule

_DIRECTIVE = re.compile(r"#\s*cookielint:\s*(?P<body>.*)$")
_KINDS = ("disable", "disable-file")
# A selector longer than any rule's name is no misspelling: it is shown cut, and not matched.
_LONGEST_SELECTOR = 64


class Suppression(NamedTuple):
    line: int
    column: int
    first: int
    last: int
    """The lines it covers, 1-based and inclusive."""
    codes: frozenset[str] | None
    """None: every rule."""
    reason: str
    written: tuple[str, ...]
    used: set[str]
    """The rules it hid a finding of, filled in as findings are placed."""

    def covers(self, line: int, code: str) -> bool:
        return self.first <= line <= self.last and (self.codes is None or code in self.codes)


class Suppressions:
    """The suppressions of one file, found by the line a finding is on."""

    def __init__(self, suppressions: list[Suppression], declarations: dict[int, int]) -> None:
        self.all = suppressions
        # A suppression covers one line, one declaration (found by its first line), or the file.
        self._by_line: dict[int, list[Suppression]] = {}
        self._by_declaration: dict[int, list[Suppression]] = {}
        self._file: list[Suppression] = []
        for s in suppressions:
            if s.first == s.last:
                self._by_line.setdefault(s.first, []).append(s)
            elif s.first in declarations and declarations[s.first] == s.last:
                self._by_declaration.setdefault(s.first, []).append(s)
            else:
                self._file.append(s)
        self._starts = sorted(self._by_declaration)
        self._declarations = declarations

    def covering(self, line: int, code: str) -> Suppression | None:
        """The first suppression, in the order written, that covers ``code`` at ``line``."""
        candidates = list(self._by_line.get(line, ()))
        index = bisect.bisect_right(self._starts, line) - 1
        if index >= 0:
            start = self._starts[index]
            if line <= self._declarations[start]:
                candidates += self._by_declaration[start]
        candidates += self._file
        found = [s for s in candidates if s.covers(line, code)]
        return min(found, key=lambda s: (s.line, s.column)) if found else None


def parse(text: str, comments: CommentContext | None) -> tuple[Suppressions, list[Problem]]:
    """The suppressions in ``text``, and problems with the comments themselves (CL007).

    ``comments`` is what the parser recorded of where scalars and declarations
    stand (None when the file could not be parsed): a ``#`` inside a scalar is
    no comment.
    """
    if "cookielint:" not in text:
        return Suppressions([], {}), []
    lines = LINE_BREAK.split(text)
    candidates = [
        (number, match)
        for number, line in enumerate(lines, 1)
        if "cookielint:" in line
        and (match := _DIRECTIVE.search(line))
        and _is_comment_start(line, match.start())
    ]
    in_scalars = comments.scalar_spans if comments is not None else {}
    declarations = dict(comments.declarations) if comments is not None else {}
    if not candidates:
        return Suppressions([], declarations), []
    leading_end = _leading_comments_end(lines)
    next_content = _next_content_lines(lines)
    suppressions, problems = [], []
    suggested = 0
    for number, match in candidates:
        column = match.start() + 1
        if any(_inside(span, number, column) for span in in_scalars.get(number, ())):
            continue
        body, _, reason = match["body"].partition("--")
        parsed = _read_body(body)
        if parsed is None:
            problems.append(
                _problem(
                    number, column, f"cannot read the suppression '{_cut(match.group().strip())}'"
                )
            )
            continue
        kind, written = parsed
        codes, unknown = _codes(written)
        for selector in unknown:
            # Only the first findings of a rule are shown (the rest counted): so are the
            # suggestions, each a comparison with every rule name, looked for.
            suggest = len(selector) <= _LONGEST_SELECTOR and suggested < FINDINGS_PER_RULE
            suggested += suggest
            hint = closest_rule(selector) if suggest else ""
            problems.append(
                _problem(number, column, f"unknown rule '{_cut(selector)}' in suppression{hint}")
            )
        if written and not codes:
            continue
        if kind == "disable-file":
            if number > leading_end:
                problems.append(
                    _problem(
                        number, column, "disable-file works only in the file's leading comments"
                    )
                )
                continue
            first, last = 1, len(lines) + 1
        elif lines[number - 1][: match.start()].strip():
            first = last = number  # at the end of a line: that line
        else:
            first = last = next_content[number]  # on its own: the next line
            last = declarations.get(first, last)  # above a declaration: all of it
        suppressions.append(
            Suppression(
                number,
                column,
                first,
                last,
                codes if written else None,
                reason.strip(),
                written,
                set(),
            )
        )
    return Suppressions(suppressions, declarations), problems


def _read_body(body: str) -> tuple[str, tuple[str, ...]] | None:
    """``disable``, ``disable-file`` or either with ``=RULES``: the kind and the rules written."""
    kind, equals, selectors = body.partition("=")
    kind = kind.strip()
    if kind not in _KINDS:
        return None
    if not equals:
        return kind, ()
    if not selectors.strip():
        return None
    return kind, tuple(s.strip() for s in selectors.split(",") if s.strip())


def _cut(text: str) -> str:
    return text if len(text) <= _LONGEST_SELECTOR else text[: _LONGEST_SELECTOR - 3] + "..."


def unused(suppressions: Suppressions, require_reason: bool) -> Iterator[Problem]:
    for s in suppressions.all:
        if s.codes is None and not s.used:
            yield _problem(s.line, s.column, "suppression of every rule suppresses nothing")
        elif s.codes is not None:
            idle = [w for w in s.written if not (_codes((w,))[0] & s.used)]
            if idle:
                yield _problem(
                    s.line, s.column, f"suppression of {', '.join(idle)} suppresses nothing"
                )
        if require_reason and not s.reason:
            yield Problem(
                "suppression gives no reason; add one after '--'",
                code="CL008",
                line=s.line,
                column=s.column,
            )


def _problem(line: int, column: int, message: str) -> Problem:
    return Problem(message, code="CL007", line=line, column=column)


def _codes(selectors: tuple[str, ...]) -> tuple[frozenset[str], list[str]]:
    from cookielint.config.selection import codes_of

    codes: set[str] = set()
    unknown = []
    for selector in selectors:
        found = codes_of(selector)
        if found is None:
            unknown.append(selector)
        else:
            codes |= found
    return frozenset(codes), unknown


def _is_comment_start(line: str, index: int) -> bool:
    # YAML starts a comment with a # at the start of a line or after white space.
    return index == 0 or line[index - 1] in " \t"


def _leading_comments_end(lines: list[str]) -> int:
    """The last line number of the comments and blank lines that open the file."""
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            return number - 1
    return len(lines)


def _next_content_lines(lines: list[str]) -> list[int]:
    """For each line number, the first later line that is neither blank nor a comment (one pass
    from the end: a run of thousands of comment lines costs no more than one)."""
    following = [0] * (len(lines) + 2)
    after = 0
    for number in range(len(lines), 0, -1):
        following[number] = after or number + 1
        stripped = lines[number - 1].strip()
        if stripped and not stripped.startswith("#"):
            after = number
    return following


def _inside(span: tuple[int, int, int, int], line: int, column: int) -> bool:
    return (span[0], span[1]) <= (line, column) < (span[2], span[3])
