"""One policy file through the pipeline: parse → schema → model → rules → locate → suppress →
configure, giving its findings.

This is the one place where problems become findings: positions are resolved
from pointers, rule metadata is attached, and repeated reports are dropped.
"""

from __future__ import annotations

import gc
import os
import stat
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from cookielint import knowledge, rules, suppression
from cookielint.config import ALWAYS_ON, FileSettings
from cookielint.document import (
    TRUTHY_WORDS,
    Document,
    decode,
    parse,
    too_large,
)
from cookielint.finding import FINDINGS_PER_RULE, Finding, Problem
from cookielint.knowledge import KnowledgeBase
from cookielint.pointer import join_pointer, split_pointer
from cookielint.policy import build_policy, label
from cookielint.schema import boolean_shapes, shape_of, validate

DEFAULT_SETTINGS = FileSettings(enabled=frozenset(rules.RULES), severity={})


def lint_file(path: Path, display: str, settings: FileSettings = DEFAULT_SETTINGS) -> list[Finding]:
    """Findings for the file at ``path``, reported under the name ``display``."""
    limit = settings.max_file_size
    try:
        status = os.stat(path)
        if not stat.S_ISREG(status.st_mode):
            # Reading a FIFO or a device could block forever or never end.
            problem = Problem(
                "not a regular file (a FIFO, socket or device); skipped", code="CL002"
            )
            return _finish(display, None, [problem], "", settings)
        size = status.st_size
        if size > limit:
            return _finish(display, None, [too_large(size, limit)], "", settings)
        raw = path.read_bytes()
    except OSError as error:
        problem = Problem(f"cannot read the file: {error.strerror or error}", code="CL002")
        return _finish(display, None, [problem], "", settings)
    return lint_bytes(raw, display, settings)


def lint_bytes(
    raw: bytes, display: str, settings: FileSettings = DEFAULT_SETTINGS
) -> list[Finding]:
    text = decode(raw, settings.max_file_size)
    if isinstance(text, Problem):
        return _finish(display, None, [text], "", settings)
    return lint_text(text, display, settings)


def lint_text(text: str, display: str, settings: FileSettings = DEFAULT_SETTINGS) -> list[Finding]:
    # Parsing makes millions of small objects that reference counting frees; none
    # form cycles, so the cycle collector would only rescan the growing tree,
    # again and again, making the cost of a large file grow faster than its size.
    collecting = gc.isenabled()
    gc.disable()
    try:
        document, problems = parse(text, settings.max_nesting_depth, settings.max_alias_expansion)
        if document is not None:
            problems += analyse(document, settings.enabled, _knowledge(settings))
        return _finish(display, document, problems, text, settings)
    finally:
        if collecting:
            gc.enable()


def _knowledge(settings: FileSettings) -> KnowledgeBase | None:
    if not any(code.startswith("CL5") for code in settings.enabled):
        return None
    return knowledge.load(settings.known_cookies)


def analyse(
    document: Document,
    enabled: frozenset[str] = frozenset(rules.RULES),
    known: KnowledgeBase | None = None,
) -> list[Problem]:
    """Everything wrong with a parsed policy: booleans, schema, then the enabled rules."""
    problems = _ambiguous_booleans(document)
    data = document.data
    schema_problems = validate(data, rules.left_to_rules(), document.truthy)
    problems += schema_problems
    policy = build_policy(data, _rejected(schema_problems), known)
    # One pass over the declarations, every rule on each: the hot loop of a run.
    cookie_rules = [r for r in rules.cookie_rules() if r.code in enabled]
    for cookie in policy.cookies:
        for rule in cookie_rules:
            try:
                for problem in rule.check(cookie, policy):
                    problems.append(_coded(problem, rule))
            except Exception as error:  # a bug in one rule must not hide the others' findings
                problems.append(_failed(rule, error, cookie.pointer))
    for rule in rules.policy_rules():
        if rule.code in enabled:
            try:
                problems += [_coded(problem, rule) for problem in rule.check(policy)]
            except Exception as error:
                problems.append(_failed(rule, error, ""))
    return problems


def unreadable(display: str, reason: str) -> list[Finding]:
    return _findings(display, None, [Problem(reason, code="CL002")])


def internal_error(display: str, error: Exception) -> Finding:
    """A failure of cookielint itself on one file, reported so the other files are still checked."""
    rule = rules.RULES["CL000"]
    message = (
        f"internal error: {type(error).__name__}: {error}; please report this bug with the file"
    )
    return Finding(display, 1, 1, rule.code, rule.name, rule.severity, message, "")


def _finish(
    display: str,
    document: Document | None,
    problems: list[Problem],
    text: str,
    settings: FileSettings,
) -> list[Finding]:
    """Configuration and inline suppressions applied: what the user asked to see."""
    findings = _configured(_findings(display, document, problems), settings)
    suppressions, directive_problems = suppression.parse(text, document)
    kept = []
    for finding in findings:
        covering = next((s for s in suppressions if s.covers(finding.line, finding.code)), None)
        if covering is None or finding.code in ALWAYS_ON:
            kept.append(finding)
        else:
            covering.used.add(finding.code)
    directive_problems += suppression.unused(suppressions, settings.require_reason)
    kept += _configured(_findings(display, document, directive_problems), settings)
    return capped(sorted(kept, key=lambda f: f.sort_key))


def capped(findings: list[Finding], limit: int = FINDINGS_PER_RULE) -> list[Finding]:
    """At most ``limit`` findings of each rule (the first, in order), then one saying how many more."""
    counts = Counter(f.code for f in findings)
    if all(count <= limit for count in counts.values()):
        return findings
    kept, seen = [], Counter[str]()
    for finding in findings:
        seen[finding.code] += 1
        if seen[finding.code] <= limit:
            kept.append(finding)
        elif seen[finding.code] == limit + 1:
            more = counts[finding.code] - limit
            message = (
                f"{more:,} more {finding.code} finding{'s' if more != 1 else ''} in this file "
                f"not shown (at most {limit} per rule per file)"
            )
            kept.append(replace(finding, message=message, pointer=""))
    return kept


def _configured(findings: list[Finding], settings: FileSettings) -> list[Finding]:
    result = []
    for finding in findings:
        if finding.code not in settings.enabled:
            continue
        severity = settings.severity.get(finding.code)
        if severity is not None and severity is not finding.severity:
            finding = replace(finding, severity=severity)
        result.append(finding)
    return result


def _coded(problem: Problem, rule: rules.Rule) -> Problem:
    return replace(problem, code=rule.code)


def _failed(rule: rules.Rule, error: Exception, pointer: str) -> Problem:
    return Problem(
        f"rule {rule.code} ({rule.name}) failed: {type(error).__name__}: {error}; "
        "please report this bug with the file that triggers it",
        pointer,
        code="CL000",
    )


def _ambiguous_booleans(document: Document) -> list[Problem]:
    """CL006, and the truthy word read as the boolean YAML 1.1 gives it."""
    problems = []
    expected = boolean_shapes()
    for path, word in list(document.truthy.items()):
        parent = _container(document.data, path[:-1])
        field = path[-1]
        value = TRUTHY_WORDS[word.lower()]
        try:
            current = parent[field]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            current = None
        # Only the word that is read counts: not one a duplicate key or a merge replaced.
        if current is not value and current != word:
            del document.truthy[path]
            continue
        if shape_of(path) not in expected:
            continue
        parent[field] = value  # type: ignore[index]
        problems.append(
            Problem(
                f"'{field}: {word}' is read as {str(value).lower()} by YAML 1.1 but as a string "
                f"by YAML 1.2; write {str(value).lower()}",
                join_pointer(*path),
                code="CL006",
            )
        )
    return problems


def _container(data: Any, path: tuple[str | int, ...]) -> Any:
    """The dict or list at ``path`` in ``data``, or None where the path leads nowhere."""
    for token in path:
        try:
            data = data[token]
        except (KeyError, IndexError, TypeError):
            return None
    return data if isinstance(data, (dict, list)) else None


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
    if document is not None:  # every position in one pass over the text
        document.locate_all(
            [(p.pointer, p.key) for p in problems if not p.line]
            + [(p.related, False) for p in problems if p.related is not None]
        )
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
