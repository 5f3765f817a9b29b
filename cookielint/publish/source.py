"""A policy file, read for publishing: its model, or the findings that stop it from being published.

This is the one place ``render`` and ``export`` read a policy; it uses the same
reader, schema and model as ``check``. A page or a configuration is only
written from a policy whose form is sound: one the schema accepts, with every
purpose and name well-formed and every provider listed. The consent rules
(CL2xx and beyond) are ``check``'s job, which runs beside it in CI and in the
pre-commit hooks; a page describes the policy as written.
"""

from __future__ import annotations

import dataclasses
import gc
import stat
import sys
from dataclasses import dataclass
from pathlib import Path

from cookielint import rules
from cookielint.document import Document, decode, parse
from cookielint.finding import Finding, Problem, Severity
from cookielint.linter import DEFAULT_SETTINGS, analyse_policy, check_bytes, check_path, check_text
from cookielint.policy import Policy

# Findings about the file's form: what a page or an export would get wrong.
_READING = frozenset({"CL001", "CL002", "CL003", "CL004", "CL005", "CL006"})
FORM_RULES = _READING | frozenset(r.code for r in rules.all_rules() if r.left_to_rule)
SETTINGS = dataclasses.replace(DEFAULT_SETTINGS, enabled=FORM_RULES)


class SourceError(Exception):
    """The policy can't be read at all (no such file): the command can't do its job (exit 2)."""


class Unpublishable(Exception):
    """The policy's form is not sound; the findings say where (exit 1)."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__(f"{len(findings)} findings")
        self.findings = findings


@dataclass(frozen=True)
class Source:
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
            status = file.stat()
            if not stat.S_ISREG(status.st_mode) or status.st_size > SETTINGS.max_file_size:
                # Not read here: a FIFO could block forever, a huge file fill the memory.
                raise Unpublishable(check_path(file, path, SETTINGS))
            raw = file.read_bytes()
        except OSError as error:
            raise SourceError(f"{path}: cannot read: {error.strerror or error}") from None
    text = decode(raw, SETTINGS.max_file_size)
    if isinstance(text, Problem):
        raise Unpublishable(check_bytes(raw, path, SETTINGS))
    # As in check: parsing makes millions of small objects, none in cycles, which the
    # cycle collector would only rescan again and again.
    collecting = gc.isenabled()
    gc.disable()
    try:
        document, problems = parse(
            text, SETTINGS.max_nesting_depth, SETTINGS.max_alias_expansion
        )
        policy = None
        if document is not None:
            found, policy = analyse_policy(document, FORM_RULES)
            problems += found
    finally:
        if collecting:
            gc.enable()
    if document is None or problems:
        # The findings as ``check`` reports them, inline suppressions applied.
        findings = check_text(text, path, SETTINGS)
        if document is None or any(f.severity is Severity.ERROR for f in findings):
            raise Unpublishable([f for f in findings if f.severity is Severity.ERROR])
    assert policy is not None
    return Source(path, document, policy)
