"""Checking one policy: bytes → document → schema and rule problems → findings with positions.

This is the one place where problems become findings: positions are resolved
from pointers, rule metadata is attached, and repeated reports are dropped.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from cookielint import rules
from cookielint.document import DEFAULT_MAX_FILE_SIZE, TRUTHY_WORDS, Document, decode, parse
from cookielint.finding import Finding, Problem, join_pointer, split_pointer
from cookielint.policy import build_policy, label
from cookielint.schema import boolean_shapes, shape_of, validate


def check_path(
    path: Path, display: str, max_file_size: int = DEFAULT_MAX_FILE_SIZE
) -> list[Finding]:
    """Findings for the file at ``path``, reported under the name ``display``."""
    try:
        size = os.stat(path).st_size
        if size > max_file_size:
            problem = Problem(
                f"file is {size:,} bytes, over the {max_file_size:,}-byte limit", code="CL002"
            )
            return _findings(display, None, [problem])
        raw = path.read_bytes()
    except OSError as error:
        reason = error.strerror or str(error)
        return _findings(display, None, [Problem(f"cannot read the file: {reason}", code="CL002")])
    return check_bytes(raw, display, max_file_size)


def check_bytes(
    raw: bytes, display: str, max_file_size: int = DEFAULT_MAX_FILE_SIZE
) -> list[Finding]:
    text = decode(raw, max_file_size)
    if isinstance(text, Problem):
        return _findings(display, None, [text])
    return check_text(text, display)


def check_text(text: str, display: str) -> list[Finding]:
    document, problems = parse(text)
    if document is not None:
        problems += analyse(document)
    return _findings(display, document, problems)


def analyse(document: Document) -> list[Problem]:
    """Everything wrong with a parsed policy: booleans, schema, then the rules."""
    problems = _ambiguous_booleans(document)
    data = document.data
    schema_problems = validate(data, rules.left_to_rules(), document.truthy)
    problems += schema_problems
    policy = build_policy(data, _rejected(schema_problems))
    for rule in rules.cookie_rules():
        for cookie in policy.cookies:
            problems += _run(rule, cookie.pointer, cookie, policy)
    for rule in rules.policy_rules():
        problems += _run(rule, "", policy)
    return problems


def _run(rule: rules.Rule, pointer: str, *arguments: Any) -> list[Problem]:
    try:
        return [
            Problem(p.message, p.pointer, p.key, rule.code, related=p.related)
            for p in rule.check(*arguments)
        ]
    except Exception as error:  # a bug in one rule must not hide the others' findings
        return [
            Problem(
                f"rule {rule.code} ({rule.name}) failed: {type(error).__name__}: {error}; "
                "please report this bug with the file that triggers it",
                pointer,
                code="CL000",
            )
        ]


def _ambiguous_booleans(document: Document) -> list[Problem]:
    """CL006, and the truthy word read as the boolean YAML 1.1 gives it."""
    problems = []
    expected = boolean_shapes()
    for path, word in document.truthy.items():
        if shape_of(path) not in expected:
            continue
        value = TRUTHY_WORDS[word.lower()]
        _assign(document.data, path, value)
        field = path[-1]
        problems.append(
            Problem(
                f"'{field}: {word}' is read as {str(value).lower()} by YAML 1.1 but as a string "
                f"by YAML 1.2; write {str(value).lower()}",
                join_pointer(*path),
                code="CL006",
            )
        )
    return problems


def _assign(data: Any, path: tuple[str | int, ...], value: Any) -> None:
    for token in path[:-1]:
        data = data[token]
    data[path[-1]] = value


def _rejected(problems: Iterable[Problem]) -> set[str]:
    """The pointers of schema problems and all their ancestors."""
    rejected: set[str] = set()
    for problem in problems:
        pointer = problem.pointer
        while pointer and pointer not in rejected:
            rejected.add(pointer)
            pointer = pointer.rsplit("/", 1)[0]
    return rejected


def _findings(path: str, document: Document | None, problems: list[Problem]) -> list[Finding]:
    findings: dict[tuple[str, int, int, str], Finding] = {}
    data = document.data if document is not None else None
    for problem in problems:
        rule = rules.RULES[problem.code]
        if problem.line:
            line, column = problem.line, problem.column
        elif document is not None:
            line, column = document.locate(problem.pointer, problem.key)
        else:
            line, column = 1, 1
        message = problem.message
        if problem.code in _SUBJECTLESS:
            subject = _subject(data, problem.pointer)
            message = f"{subject}: {message}" if subject else message
        if problem.related is not None and document is not None:
            message = message.replace("{related_line}", str(document.locate(problem.related)[0]))
        finding = Finding(
            path, line, column, rule.code, rule.name, rule.severity, message, problem.pointer
        )
        findings.setdefault((rule.code, line, column, message), finding)
    return sorted(findings.values(), key=lambda f: f.sort_key)


# Problems found while reading and validating speak of keys and values; the
# cookie or provider they belong to is named here, in one place.
_SUBJECTLESS = {"CL003", "CL004", "CL006"}


def _subject(data: Any, pointer: str) -> str | None:
    tokens = split_pointer(pointer)
    if len(tokens) < 2 or tokens[0] not in ("cookies", "providers") or not tokens[1].isdigit():
        return None
    index = int(tokens[1])
    try:
        entry = data[tokens[0]][index]
    except (KeyError, IndexError, TypeError):
        return None
    name = entry.get("name") if isinstance(entry, dict) else None
    return label(name, tokens[0][:-1], index)
