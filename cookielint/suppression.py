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

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from cookielint.document import Document
from cookielint.finding import Problem
from cookielint.suggest import closest_rule

_DIRECTIVE = re.compile(r"#\s*cookielint:\s*(?P<body>.*)$")
_BODY = re.compile(r"(?P<kind>disable-file|disable)(?:\s*=\s*(?P<rules>[^\s].*?))?\s*")


@dataclass
class Suppression:
    line: int
    column: int
    first: int
    last: int
    """The lines it covers, 1-based and inclusive."""
    codes: frozenset[str] | None
    """None: every rule."""
    reason: str
    written: tuple[str, ...]
    used: set[str] = field(default_factory=set)

    def covers(self, line: int, code: str) -> bool:
        return self.first <= line <= self.last and (self.codes is None or code in self.codes)


def parse(text: str, document: Document | None) -> tuple[list[Suppression], list[Problem]]:
    """The suppressions in ``text``, and problems with the comments themselves (CL007)."""
    if "cookielint:" not in text:
        return [], []
    lines = text.splitlines()
    candidates = [
        (number, match)
        for number, line in enumerate(lines, 1)
        if (match := _DIRECTIVE.search(line)) and _is_comment_start(line, match.start())
    ]
    if not candidates:
        return [], []
    root = document.root if document is not None else None
    in_scalars = _scalar_spans_by_line(root)
    declarations = _declarations(root)
    leading_end = _leading_comments_end(lines)
    suppressions, problems = [], []
    for number, match in candidates:
        column = match.start() + 1
        if any(_inside(span, number, column) for span in in_scalars.get(number, ())):
            continue
        body, _, reason = match["body"].partition("--")
        parsed = _BODY.fullmatch(body.strip() + " ") if body.strip() else None
        if parsed is None:
            problems.append(
                _problem(number, column, f"cannot read the suppression '{match.group().strip()}'")
            )
            continue
        written = tuple(s.strip() for s in (parsed["rules"] or "").split(",") if s.strip())
        codes, unknown = _codes(written)
        for selector in unknown:
            hint = closest_rule(selector)
            problems.append(
                _problem(number, column, f"unknown rule '{selector}' in suppression{hint}")
            )
        if written and not codes:
            continue
        if parsed["kind"] == "disable-file":
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
            first = last = _next_content_line(lines, number)  # on its own: the next line
            last = declarations.get(first, last)  # above a declaration: all of it
        suppressions.append(
            Suppression(
                number, column, first, last, codes if written else None, reason.strip(), written
            )
        )
    return suppressions, problems


def unused(suppressions: list[Suppression], require_reason: bool) -> Iterator[Problem]:
    for s in suppressions:
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
    from cookielint.config import ConfigError, resolve_selector

    codes: set[str] = set()
    unknown = []
    for selector in selectors:
        try:
            codes |= resolve_selector(selector)
        except ConfigError:
            unknown.append(selector)
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


def _next_content_line(lines: list[str], number: int) -> int:
    for later in range(number + 1, len(lines) + 1):
        stripped = lines[later - 1].strip()
        if stripped and not stripped.startswith("#"):
            return later
    return number + 1


def _scalar_spans_by_line(root: Node | None) -> dict[int, list[tuple[int, int, int, int]]]:
    """The span of every scalar, under each line it covers: a comment is looked up by its line."""
    spans: dict[int, list[tuple[int, int, int, int]]] = {}
    stack = [root] if root is not None else []
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, ScalarNode):
            start, end = node.start_mark, node.end_mark
            span = (start.line + 1, start.column + 1, end.line + 1, end.column + 1)
            for line in range(span[0], span[2] + 1):
                spans.setdefault(line, []).append(span)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, MappingNode):
            for key, value in node.value:
                stack.extend((key, value))
    return spans


def _inside(span: tuple[int, int, int, int], line: int, column: int) -> bool:
    return (span[0], span[1]) <= (line, column) < (span[2], span[3])


def _declarations(root: Node | None) -> dict[int, int]:
    """The first and last line of every cookie declaration."""
    if not isinstance(root, MappingNode):
        return {}
    cookies = next(
        (
            value
            for key, value in root.value
            if isinstance(key, ScalarNode) and key.value == "cookies"
        ),
        None,
    )
    if not isinstance(cookies, SequenceNode):
        return {}
    return {
        item.start_mark.line + 1: _last_line(item)
        for item in cookies.value
        if isinstance(item, MappingNode)
    }


def _last_line(node: Node) -> int:
    """The last line holding part of ``node`` (a block collection's own end mark lies beyond it)."""
    last = node.start_mark.line + 1
    stack, seen = [node], set()
    while stack:  # no recursion: nesting may be as deep as the configuration allows
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, ScalarNode):
            end = node.end_mark  # a block scalar ends at the start of the line after it
            last = max(last, end.line + 1 if end.column > 0 else end.line, node.start_mark.line + 1)
            continue
        children = (
            node.value
            if isinstance(node, SequenceNode)
            else [n for pair in node.value for n in pair]
        )
        if not children:
            last = max(last, node.end_mark.line + 1)
        stack.extend(children)
    return last
