"""One policy file through the pipeline: parse → schema → model → rules → locate → suppress →
configure, giving its findings.

This is the one place where problems become findings: positions are resolved
from pointers, rule metadata is attached, and repeated reports are dropped.
"""

from __future__ import annotations

import datetime
import errno
import os
import stat
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

from cookielint import knowledge, rules, suppression
from cookielint.collector import no_cycle_collection
from cookielint.config import ALWAYS_ON, FileSettings
from cookielint.document import (
    TRUTHY_WORDS,
    Document,
    ReadError,
    decode,
    parse,
    too_large,
)
from cookielint.finding import FINDINGS_PER_RULE, Finding, Problem
from cookielint.knowledge import KnowledgeBase
from cookielint.pointer import split_pointer
from cookielint.policy import Policy, build_policy, label
from cookielint.schema import boolean_shapes, shape_of, validate

DEFAULT_SETTINGS = FileSettings(enabled=frozenset(rules.RULES), severity={})

# Which rule reports each kind of file that can't be read.
_READ_ERROR_CODES = {"unreadable": "CL002", "syntax": "CL001", "structure": "CL003"}


class FileResult(NamedTuple):
    """What checking one file gives: its findings, and its text as read (None when it was not)."""

    findings: list[Finding]
    text: str | None = None


def lint_file(path: Path, display: str, settings: FileSettings = DEFAULT_SETTINGS) -> FileResult:
    """Findings for the file at ``path``, reported under the name ``display``.

    The file is opened first and what was opened is checked, so that a path
    swapped for a FIFO or a device between a check and the open can't block or
    flood the run; and never more than the size limit (plus one byte, to tell
    that it is over) is read.
    """
    limit = settings.max_file_size
    try:
        raw = read_regular(path, limit)
    except OSError as error:
        problem = Problem(f"cannot read the file: {error.strerror or error}", code="CL002")
        return FileResult(finish(display, None, [problem], "", settings))
    if isinstance(raw, ReadError):
        return FileResult(finish(display, None, [read_problem(raw)], "", settings))
    return lint_source(raw, display, settings)


_NOT_REGULAR = ReadError("unreadable", "not a regular file (a FIFO, socket or device); skipped")


def read_regular(path: Path, limit: int) -> bytes | ReadError:
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        descriptor = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        if error.errno == errno.ENXIO:  # a socket: it can't be opened at all
            return _NOT_REGULAR
        raise
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            # Reading a FIFO or a device could block forever or never end.
            return _NOT_REGULAR
        if status.st_size > limit:
            return too_large(status.st_size, limit)
        chunks, size = [], 0
        while size <= limit:  # the file may have grown since fstat
            chunk = os.read(descriptor, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        raw = b"".join(chunks)
        return too_large(size, limit) if size > limit else raw
    finally:
        os.close(descriptor)


def lint_source(raw: bytes, display: str, settings: FileSettings = DEFAULT_SETTINGS) -> FileResult:
    """Findings for a file's bytes, and the text they decode to."""
    text = decode(raw, settings.max_file_size)
    if isinstance(text, ReadError):
        return FileResult(finish(display, None, [read_problem(text)], "", settings))
    return FileResult(lint_text(text, display, settings), text)


def lint_bytes(
    raw: bytes, display: str, settings: FileSettings = DEFAULT_SETTINGS
) -> list[Finding]:
    return lint_source(raw, display, settings).findings


def lint_text(text: str, display: str, settings: FileSettings = DEFAULT_SETTINGS) -> list[Finding]:
    with no_cycle_collection():
        document = parse_policy(text, settings)
        if isinstance(document, ReadError):
            return finish(display, None, [read_problem(document)], text, settings)
        problems = analyse(document, settings.enabled, knowledge_for(settings))
        return finish(display, document, problems, text, settings)


def parse_policy(text: str, settings: FileSettings = DEFAULT_SETTINGS) -> Document | ReadError:
    """``text`` parsed within the file's limits: every command reads policies this way."""
    return parse(
        text,
        settings.max_nesting_depth,
        settings.max_alias_expansion,
        settings.max_collections,
    )


def read_problem(error: ReadError) -> Problem:
    return Problem(
        error.message, code=_READ_ERROR_CODES[error.kind], line=error.line, column=error.column
    )


def knowledge_for(settings: FileSettings) -> KnowledgeBase | None:
    if not any(code.startswith("CL5") for code in settings.enabled):
        return None
    return knowledge.load(settings.known_cookies)


def analyse(
    document: Document,
    enabled: frozenset[str] = frozenset(rules.RULES),
    known: KnowledgeBase | None = None,
    models: list[Policy] | None = None,
) -> list[Problem]:
    """Everything wrong with a parsed policy: the document rules, the schema, the model's rules."""
    problems = [read_problem(issue) for issue in document.issues]
    for document_rule in rules.document_rules():
        if document_rule.code in enabled:
            problems += _run(document_rule, document_rule.check, (document,), "")
    data = read_data(document)
    schema_problems = validate(data, rules.left_to_rules(), document.words)
    problems += schema_problems
    policy = build_policy(data, rejected_pointers(schema_problems), known)
    if models is not None:
        models.append(policy)
    problems += rule_problems(policy, enabled)
    return problems


def rule_problems(
    policy: Policy, enabled: frozenset[str] = frozenset(rules.RULES)
) -> list[Problem]:
    """The enabled cookie and policy rules' problems with a policy."""
    problems: list[Problem] = []
    # One pass over the declarations, every rule on each: the hot loop of a run.
    cookie_rules = [r for r in rules.cookie_rules() if r.code in enabled]
    outranked = any(r.outranked_by for r in cookie_rules)
    for cookie in policy.cookies:
        found: list[Problem] = []
        for cookie_rule in cookie_rules:
            try:
                for problem in cookie_rule.check(cookie, policy):
                    found.append(_coded(problem, cookie_rule))
            except Exception as error:  # a bug in one rule must not hide the others' findings
                found.append(_failed(cookie_rule, error, cookie.pointer))
        problems += _one_finding_per_mistake(found) if outranked and len(found) > 1 else found
    for policy_rule in rules.policy_rules():
        if policy_rule.code in enabled:
            problems += _run(policy_rule, policy_rule.check, (policy,), "")
    return problems


def _one_finding_per_mistake(found: list[Problem]) -> list[Problem]:
    """A declaration's problems, less those of rules outranked by a rule that reported it too."""
    reported = {problem.code for problem in found}
    return [p for p in found if not reported.intersection(rules.RULES[p.code].outranked_by)]


def _run(rule: rules.Rule, check: Any, arguments: tuple[Any, ...], pointer: str) -> list[Problem]:
    try:
        return [_coded(problem, rule) for problem in check(*arguments)]
    except Exception as error:  # a bug in one rule must not hide the others' findings
        return [_failed(rule, error, pointer)]


def read_data(document: Document) -> Any:
    """The data as the policy format means it: each YAML 1.1 boolean word read as the boolean
    YAML 1.1 gives it where the schema expects a boolean (CL006 reports the word), so that the
    other rules still run; an unquoted date (``updated: 2026-11-29``, a date to YAML 1.1 and a
    string to YAML 1.2) read as its text.

    The document is not changed: the containers on the way to each value are copied, once each.
    """
    expected = boolean_shapes()
    replacements: dict[tuple[str | int, ...], Any] = {
        path: TRUTHY_WORDS[word.word.lower()]
        for path, word in document.words.items()
        if shape_of(path) in expected
    }
    data = document.data
    if isinstance(data, dict) and type(data.get("updated")) is datetime.date:
        replacements[("updated",)] = data["updated"].isoformat()
    if not replacements:
        return document.data
    tree: dict[Any, Any] = {}  # the paths as a trie; a leaf holds the new value in a 1-tuple
    for path, value in replacements.items():
        node = tree
        for token in path[:-1]:
            node = node.setdefault(token, {})
        node[path[-1]] = (value,)
    return _replace(document.data, tree)


def _replace(data: Any, tree: dict[Any, Any]) -> Any:
    copy: Any = dict(data) if isinstance(data, dict) else list(data)
    for token, sub in tree.items():
        copy[token] = sub[0] if isinstance(sub, tuple) else _replace(data[token], sub)
    return copy


def unreadable(display: str, reason: str) -> list[Finding]:
    return _findings(display, None, [Problem(reason, code="CL002")])


def internal_error(display: str, error: Exception) -> Finding:
    """A failure of cookielint itself on one file, reported so the other files are still checked."""
    rule = rules.RULES["CL000"]
    message = (
        f"internal error: {type(error).__name__}: {error}; please report this bug with the file"
    )
    return Finding(display, 1, 1, rule.code, rule.name, rule.severity, message, "", rule.hint)


def finish(
    display: str,
    document: Document | None,
    problems: list[Problem],
    text: str,
    settings: FileSettings,
) -> list[Finding]:
    """Problems made findings (positions, rule metadata), with the configuration and the inline
    suppressions applied: what the user asked to see. Every command that reports on a policy
    file ends here."""
    findings = _configured(_findings(display, document, problems), settings)
    comments = document.comments if document is not None else None
    suppressions, directive_problems = suppression.parse(text, comments)
    kept = []
    for finding in findings:
        covering = suppressions.covering(finding.line, finding.code)
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
            kept.append(finding._replace(message=message, pointer=""))
    return kept


def _configured(findings: list[Finding], settings: FileSettings) -> list[Finding]:
    result = []
    for finding in findings:
        if finding.code not in settings.enabled:
            continue
        severity = settings.severity.get(finding.code)
        if severity is not None and severity is not finding.severity:
            finding = finding._replace(severity=severity)
        result.append(finding)
    return result


def _coded(problem: Problem, rule: rules.Rule) -> Problem:
    return problem._replace(code=rule.code)


def _failed(rule: rules.Rule, error: Exception, pointer: str) -> Problem:
    return Problem(
        f"rule {rule.code} ({rule.name}) failed: {type(error).__name__}: {error}; "
        "please report this bug with the file that triggers it",
        pointer,
        code="CL000",
    )


def rejected_pointers(problems: Iterable[Problem]) -> set[str]:
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
            path,
            line,
            column,
            rule.code,
            rule.name,
            rule.severity,
            message,
            problem.pointer,
            rule.hint,
            problem.evidence,
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
