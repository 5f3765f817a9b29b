"""A policy file, read for publishing: its model, or the findings that stop it from being published.

This is the one place ``render`` and ``export`` read a policy; it uses the same
reader, schema and model as ``check``. A page or a configuration is only
written from a policy whose form is sound: one the schema accepts, with every
purpose and name well-formed and every provider listed. The consent rules
(CL2xx and beyond) are ``check``'s job, which runs beside it in CI and in the
pre-commit hooks; a page describes the policy as written.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NamedTuple

from cookielint import rules
from cookielint.collector import no_cycle_collection
from cookielint.document import Document, ReadError, decode
from cookielint.finding import Finding, Severity
from cookielint.pipeline import (
    DEFAULT_SETTINGS,
    analyse,
    lint_file,
    lint_source,
    lint_text,
    parse_policy,
    read_regular,
)
from cookielint.policy import Policy

# Findings about the file's form: what a page or an export would get wrong.
_READING = frozenset({"CL001", "CL002", "CL003", "CL004", "CL005", "CL006"})
FORM_RULES = _READING | frozenset(r.code for r in rules.all_rules() if r.left_to_rule)
SETTINGS = DEFAULT_SETTINGS._replace(enabled=FORM_RULES)


class SourceError(Exception):
    """The policy can't be read at all (no such file): the command can't do its job (exit 2)."""


class Unpublishable(Exception):
    """The policy's form is not sound; the findings say where (exit 1)."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__(f"{len(findings)} findings")
        self.findings = findings


class Source(NamedTuple):
    display: str
    """The path as given on the command line."""
    document: Document
    policy: Policy

    def position(self, pointer: str, key: bool = False) -> str:
        """``path:line:column`` of the value (or key) at ``pointer``, for messages."""
        line, column = self.document.locate(pointer, key)
        return f"{self.display}:{line}:{column}"


def read_policy(path: str) -> Source:
    """The policy at ``path`` (``-``: standard input), ready to publish.

    Raises ``SourceError`` when there is no such file, ``Unpublishable`` with the
    findings when the file can't be read or its form is not sound.
    """
    if path == "-":
        raw = sys.stdin.buffer.read(SETTINGS.max_file_size + 1)
    else:
        file = Path(path)
        if not file.exists():
            raise SourceError(f"{path}: no such file")
        if file.is_dir():
            raise SourceError(f"{path}: is a directory; give one policy file")
        try:
            # Read as check reads it: never a FIFO or a device, never past the size limit.
            read = read_regular(file, SETTINGS.max_file_size)
        except OSError as error:
            raise SourceError(f"{path}: cannot read: {error.strerror or error}") from None
        if isinstance(read, ReadError):
            raise Unpublishable(lint_file(file, path, SETTINGS).findings)
        raw = read
    text = decode(raw, SETTINGS.max_file_size)
    if isinstance(text, ReadError):
        raise Unpublishable(lint_source(raw, path, SETTINGS).findings)
    # As in check: the cycle collector has nothing to find among the parsed objects.
    with no_cycle_collection():
        document = parse_policy(text, SETTINGS)
        if isinstance(document, ReadError):
            raise Unpublishable(lint_text(text, path, SETTINGS))
        models: list[Policy] = []
        problems = analyse(document, FORM_RULES, models=models)
        (policy,) = models
    if problems:
        # The findings as check reports them, inline suppressions applied.
        errors = [f for f in lint_text(text, path, SETTINGS) if f.severity is Severity.ERROR]
        if errors:
            raise Unpublishable(errors)
    return Source(path, document, policy)
