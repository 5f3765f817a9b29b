"""A policy file read once, for the diff's model and for the check findings of the same text.

This is the one place ``diff`` reaches into the check pipeline: parse, the
check's analysis (which also reads YAML 1.1 booleans and dates as the format
means them), the schema's rejections, the model, and the configured findings.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cookielint import knowledge, pipeline, rules
from cookielint.collector import no_cycle_collection
from cookielint.config import FileSettings
from cookielint.document import Document, ReadError, decode
from cookielint.finding import Finding, Problem
from cookielint.policy import Policy, build_policy
from cookielint.schema import validate

DEFAULT_SETTINGS = pipeline.DEFAULT_SETTINGS


@dataclass
class Loaded:
    display: str
    document: Document | None
    policy: Policy | None
    """None when the file is not a YAML document that can be compared."""
    findings: list[Finding] = field(default_factory=list)
    """The check's findings, when asked for."""
    problem: str | None = None
    """Why there is no policy."""
    pending: tuple[list[Problem], str, FileSettings] | None = None
    """The check's problems, text and settings, until ``finish`` makes them findings."""

    def positions_wanted(self) -> list[tuple[str, bool]]:
        """What the check's findings will ask the document to locate (as linter does), so
        that the diff's own positions are found in the same pass over the text."""
        if self.pending is None:
            return []
        problems = self.pending[0]
        return [(p.pointer, p.key) for p in problems if not p.line] + [
            (p.related, False) for p in problems if p.related is not None
        ]

    def finish(self) -> list[Finding]:
        """The check's findings: positions resolved, configuration and suppressions applied."""
        if self.pending is not None:
            problems, text, settings = self.pending
            self.findings = pipeline.finish(self.display, self.document, problems, text, settings)
            self.pending = None
        return self.findings


def read_bytes(
    raw: bytes,
    display: str,
    settings: FileSettings = DEFAULT_SETTINGS,
    check: bool = False,
    knows: bool = True,
    defer: bool = False,
) -> Loaded:
    """The file read for the model, and with ``check`` for the check's findings too. Without
    ``knows`` the model is not told what the knowledge base knows (only new cookies, in the
    head, need it). With ``defer`` the check's findings wait for ``Loaded.finish``."""
    text = decode(raw, settings.max_file_size)
    if isinstance(text, ReadError):
        problem = pipeline.read_problem(text)
        findings = pipeline.finish(display, None, [problem], "", settings) if check else []
        return Loaded(display, None, None, findings, text.message)
    return read_policy(text, display, settings, check, knows, defer)


def _rejected(data: object, document: Document) -> set[str]:
    return pipeline.rejected_pointers(validate(data, rules.left_to_rules(), document.words))


def read_policy(
    text: str,
    display: str,
    settings: FileSettings = DEFAULT_SETTINGS,
    check: bool = False,
    knows: bool = True,
    defer: bool = False,
) -> Loaded:
    with no_cycle_collection():  # as the check does: parsing makes no cycles
        document = pipeline.parse_policy(text, settings)
        if isinstance(document, ReadError):
            problems = [pipeline.read_problem(document)]
            findings = pipeline.finish(display, None, problems, text, settings) if check else []
            return Loaded(display, None, None, findings, document.message)
        if check:
            models: list[Policy] = []
            known = pipeline.knowledge_for(settings)  # None when the CL5xx rules are off
            problems = pipeline.analyse(document, settings.enabled, known, models)
            policy = models[0]
            if known is None and knows:  # trackers are known even when those rules are off
                known = knowledge.load(settings.known_cookies)
                data = pipeline.read_data(document)
                policy = build_policy(data, _rejected(data, document), known)
        else:
            problems = []
            data = pipeline.read_data(
                document
            )  # YAML 1.1 booleans and dates as the rules read them
            known = knowledge.load(settings.known_cookies) if knows else None
            policy = build_policy(data, _rejected(data, document), known)
        loaded = Loaded(display, document, policy)
        if not isinstance(document.data, dict):
            loaded.policy, loaded.problem = None, "the file is not a mapping of policy keys"
        if check:
            loaded.pending = (problems, text, settings)
            if not defer:
                loaded.finish()
        return loaded
