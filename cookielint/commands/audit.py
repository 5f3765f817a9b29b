"""The ``audit`` command's work: a policy against captures of what a browser stored.

Captures are read into observations (``cookielint.captures``), each given the
consent phase it was taken in; the CL6xx rules compare them with the
declarations and give problems with JSON pointers into the policy, which then
become findings exactly as ``check``'s do (positions, configuration, inline
suppression, reporters, exit status).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from cookielint import knowledge, rules
from cookielint.captures import Capture, CaptureError, Observation, read_capture, registrable_domain
from cookielint.config import Configuration, FileSettings
from cookielint.duration import describe_days
from cookielint.escape import visible
from cookielint.finding import Evidence, Finding, Problem, Report, Severity
from cookielint.names import matches
from cookielint.outputs import Output, write_reports
from cookielint.policy import Cookie, Policy
from cookielint.status import exit_status

BEFORE, REJECT, ACCEPT = "before-consent", "after-reject", "after-accept"
PHASES = (BEFORE, REJECT, ACCEPT)
_SAID = {BEFORE: "before consent", REJECT: "after refusing", ACCEPT: "after accepting"}


@dataclass(frozen=True)
class Seen:
    """An observation, the capture it comes from and the consent phase it was taken in."""

    observation: Observation
    capture: str
    phase: str
    split: bool = False
    """From a visit split by a consent marker: still there after the visitor accepted."""

    @property
    def evidence(self) -> Evidence:
        return Evidence(self.capture, self.phase, self.observation.url)

    def where(self) -> str:
        """The phase, then the capture and URL: ``before consent (in a.har, set by URL)``."""
        observation = self.observation
        source = f"in {self.capture}"
        if observation.url:
            url = observation.url if len(observation.url) <= 200 else observation.url[:199] + "…"
            verb = (
                "sent to"
                if not observation.lifetime_known
                else "set by"
                if observation.storage == "cookie"
                else "on"
            )
            source += f", {verb} {url}"
        return f"{_SAID[self.phase]} ({source})"


@dataclass
class AuditSettings:
    policy: str
    captures: list[tuple[str, str]]
    """(phase, path) in the order given."""
    consent_marker: str | None = None
    run_check: bool = True
    outputs: list[Output] = field(default_factory=lambda: [Output("text")])
    color: bool = False
    exit_zero: bool = False
    fail_on: Severity = Severity.ERROR
    configuration: Configuration = field(default_factory=Configuration)


class AuditError(Exception):
    """The audit can't be done: a missing policy, a bad capture or marker (exit 2)."""


def read_captures(captures: list[tuple[str, str]], marker: str | None) -> list[Seen]:
    """Every observation, with its phase; a HAR given as before consent is split at ``marker``."""
    pattern = None
    if marker is not None:
        try:
            pattern = re.compile(marker)
        except re.error as error:
            raise AuditError(f"--consent-marker: not a regular expression: {error}") from None
    seen: list[Seen] = []
    for phase, path in captures:
        split = pattern if phase == BEFORE else None
        try:
            capture = read_capture(Path(path), path, split)
        except CaptureError as error:
            raise AuditError(visible(str(error))) from None
        seen += list(_phased(capture, phase))
    return seen


def _phased(capture: Capture, phase: str) -> Iterator[Seen]:
    split = capture.consent_at is not None
    for observation in capture.observations:
        if capture.after_consent(observation):
            yield Seen(observation, capture.display, ACCEPT, split)
        else:
            yield Seen(observation, capture.display, phase, split)


def audit(policy: Policy, seen: list[Seen], accepted: Sequence[str]) -> list[Problem]:
    """CL601-CL606 for ``policy`` against what was ``seen``; ``accepted``: the captures taken
    after accepting (CL606 needs one)."""
    problems: list[Problem] = []
    ordered = sorted(seen, key=lambda s: PHASES.index(s.phase))
    matched: dict[int, list[Seen]] = {}
    undeclared: dict[tuple[str, str], Seen] = {}
    declarations = Declarations(policy)
    for item in ordered:
        declaration = declarations.match(item.observation)
        if declaration is None:
            undeclared.setdefault((item.observation.storage, item.observation.name), item)
        else:
            matched.setdefault(declaration.index, []).append(item)
    for item in undeclared.values():
        problems.append(_undeclared(item, policy))
    site = registrable_domain(policy.site_host) if policy.site_host else None
    for cookie in policy.cookies:
        items = matched.get(cookie.index, [])
        problems += _before_consent(cookie, items)
        problems += _lifetime(cookie, items)
        problems += _attributes(cookie, items)
        problems += _party(cookie, items, site)
        if accepted:
            problems += _never_observed(cookie, items, accepted)
    return problems


class Declarations:
    """The policy's declarations by storage and exact name, and its wildcards by storage, so
    that matching an observation costs a lookup plus the wildcards, not a pass over all."""

    def __init__(self, policy: Policy) -> None:
        self.exact: dict[tuple[str, str], list[Cookie]] = {}
        self.wildcards: dict[str, list[Cookie]] = {}
        for cookie in policy.cookies:
            if cookie.name is None:
                continue
            storage = cookie.storage or "cookie"
            if cookie.is_wildcard:
                self.wildcards.setdefault(storage, []).append(cookie)
            else:
                self.exact.setdefault((storage, cookie.name), []).append(cookie)

    def match(self, observation: Observation) -> Cookie | None:
        """The declaration an observation is of: an exact name before a wildcard, then the one
        whose domain it was seen on, then the first."""
        candidates = self.exact.get((observation.storage, observation.name))
        if not candidates:
            candidates = [
                cookie
                for cookie in self.wildcards.get(observation.storage, ())
                if matches(cookie.name or "", observation.name)
            ]
        if not candidates:
            return None
        return min(candidates, key=lambda c: (not _same_domain(c.domain, observation), c.index))


def _same_domain(declared: str | None, observation: Observation) -> bool:
    if declared is None:
        return True
    host = observation.domain or observation.host
    return host == declared.lstrip(".").lower()


def _undeclared(item: Seen, policy: Policy) -> Problem:
    observation = item.observation
    kind = {"cookie": "cookie", "local_storage": "localStorage key",
            "session_storage": "sessionStorage key"}[observation.storage]  # fmt: skip
    message = (
        f"{kind} '{observation.name}' on {observation.host or 'an unknown host'}, seen "
        f"{item.where()}, matches no declaration"
    )
    if policy.knowledge is not None:
        entries = [e for e in policy.knowledge.lookup(observation.name, observation.storage)]
        entries = [e for e in entries if not e.generic] or []
        if entries:
            entry = entries[0]
            message += (
                f"; {entry.provider} documents {entry.name} as {entry.category} ({entry.source})"
            )
    return Problem(message, "/cookies", key=True, code="CL601", evidence=item.evidence)


def _before_consent(cookie: Cookie, items: list[Seen]) -> Iterator[Problem]:
    if cookie.consent != "required":
        return
    for phase in (BEFORE, REJECT):
        first = next((item for item in items if item.phase == phase), None)
        if first is not None:
            yield Problem(
                f"{cookie.label} requires consent, but was seen {first.where()}",
                cookie.at("name"),
                code="CL602",
                evidence=first.evidence,
            )


def _lifetime(cookie: Cookie, items: list[Seen]) -> Iterator[Problem]:
    if cookie.duration is None or cookie.storage not in ("cookie", None):
        return
    known = [i for i in items if i.observation.lifetime_known and i.observation.storage == "cookie"]
    if not known:
        return
    declared = cookie.duration.days
    if declared is None:
        persistent = next((i for i in known if i.observation.lifetime is not None), None)
        if persistent is not None:
            days = (persistent.observation.lifetime or 0) / 86400
            yield Problem(
                f"{cookie.label} is declared a session cookie, but was set to live "
                f"{_days(days)}, {persistent.where()}",
                cookie.at("name"),
                code="CL603",
                evidence=persistent.evidence,
            )
        return
    # Captures of one visit differ by the milliseconds between setting and recording:
    # the first of the longest to the minute is the one named.
    longest = max(known, key=lambda i: round((i.observation.lifetime or 0) / 60))
    days = (longest.observation.lifetime or 0) / 86400
    if days > declared * 1.5 and days - declared >= 1:
        yield Problem(
            f"{cookie.label} is declared to live {cookie.duration.text}, but was set to live "
            f"{_days(days)}, {longest.where()}",
            cookie.at("name"),
            code="CL603",
            evidence=longest.evidence,
        )


def _days(days: float) -> str:
    if days < 1:
        hours = days * 24
        return f"{hours:.0f} hours" if hours >= 1 else f"{days * 1440:.0f} minutes"
    text = describe_days(days)
    return text if text.endswith("days") else f"{text} ({days:.0f} days)"


_ATTRIBUTES = ("secure", "http_only", "same_site", "domain", "path")


def _attributes(cookie: Cookie, items: list[Seen]) -> Iterator[Problem]:
    if cookie.storage not in ("cookie", None):
        return
    for attribute in _ATTRIBUTES:
        declared = getattr(cookie, attribute)
        if declared is None:
            continue
        for item in items:
            observed = _observed(item.observation, attribute)
            if observed is None or observed == _normal(attribute, declared):
                continue
            yield Problem(
                f"{cookie.label} is declared {attribute}: {_show(declared)}, but was set with "
                f"{attribute}: {_show(observed)}, {item.where()}",
                cookie.at("name"),
                code="CL604",
                evidence=item.evidence,
            )
            break


def _observed(observation: Observation, attribute: str) -> object:
    if not observation.lifetime_known:  # only its name was seen, sent with a request
        return None
    if attribute == "domain":
        # A host-only cookie has no Domain attribute: it is the host's alone.
        return observation.domain or f"{observation.host} (host only)"
    return getattr(observation, attribute)


def _normal(attribute: str, value: object) -> object:
    if attribute == "domain" and isinstance(value, str):
        return value.lstrip(".").lower()
    return value


def _show(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _party(cookie: Cookie, items: list[Seen], site: str | None) -> Iterator[Problem]:
    if site is None or cookie.party not in ("first", "third"):
        return
    for item in items:
        host = item.observation.domain or item.observation.host
        if not host:
            continue
        theirs = registrable_domain(host)
        if cookie.party == "first" and theirs != site:
            said = f"on {host}, outside the site's domain {site}"
        elif cookie.party == "third" and theirs == site:
            said = f"on the site's own domain {host}"
        else:
            continue
        yield Problem(
            f"{cookie.label} is declared {cookie.party} party, but was set {said}, {item.where()}",
            cookie.at("name"),
            code="CL605",
            evidence=item.evidence,
        )
        return


def _never_observed(
    cookie: Cookie, items: list[Seen], accepted: Sequence[str]
) -> Iterator[Problem]:
    if cookie.name is None or cookie.is_wildcard or cookie.storage == "indexed_db":
        return
    # A cookie set before the visitor accepted is still there after: in a visit split by a
    # consent marker, all of it counts.
    if not any(item.phase == ACCEPT or item.split for item in items):
        names = ", ".join(accepted[:3]) + (
            f" and {len(accepted) - 3} more" if len(accepted) > 3 else ""
        )
        yield Problem(
            f"{cookie.label} is declared, but no capture taken after accepting saw it ({names})",
            cookie.at("name"),
            code="CL606",
        )


# Reading the policy ------------------------------------------------------------------------------


def policy_findings(
    text: str, display: str, settings: FileSettings, seen: list[Seen], accepted: Sequence[str],
    run_check: bool = True,
) -> list[Finding]:  # fmt: skip
    """The findings for one policy: check's (unless ``run_check`` is off) and the audit's.

    The one place that reaches into the check pipeline: parse, validate, model,
    then positions, configuration and suppression as for ``check``.
    """
    from cookielint.document import ReadError
    from cookielint.pipeline import (
        analyse,
        finish,
        parse_policy,
        read_data,
        read_problem,
        rejected_pointers,
    )
    from cookielint.policy import build_policy
    from cookielint.schema import validate

    document = parse_policy(text, settings)
    if isinstance(document, ReadError):
        return finish(display, None, [read_problem(document)], text, settings)
    base = knowledge.load(settings.known_cookies)
    if run_check:
        models: list[Policy] = []
        problems = analyse(document, settings.enabled, base, models)
        policy = models[0]
    else:
        data = read_data(document)
        schema_problems = validate(data, rules.left_to_rules(), document.words)
        policy = build_policy(data, rejected_pointers(schema_problems), base)
        problems = []
    problems += audit(policy, seen, accepted)
    return finish(display, document, problems, text, settings)


def _policy_text(path: Path, display: str, settings: FileSettings) -> str | list[Finding]:
    """The policy's text, or the findings that say why it can't be read (as check reads it)."""
    from cookielint.document import ReadError, decode
    from cookielint.pipeline import finish, read_problem, read_regular

    try:
        raw = read_regular(path, settings.max_file_size)
    except OSError as error:
        problem = Problem(f"cannot read the file: {error.strerror or error}", code="CL002")
        return finish(display, None, [problem], "", settings)
    text = raw if isinstance(raw, ReadError) else decode(raw, settings.max_file_size)
    if isinstance(text, ReadError):
        return finish(display, None, [read_problem(text)], "", settings)
    return text


def run(settings: AuditSettings) -> Report:
    path = Path(settings.policy)
    file_settings = settings.configuration.for_file(path)
    seen = read_captures(settings.captures, settings.consent_marker)
    # The captures taken after accepting: those given so, and visits split by the marker.
    accepted = [path for phase, path in settings.captures if phase == ACCEPT]
    accepted += sorted({s.capture for s in seen if s.split} - set(accepted))
    text = _policy_text(path, settings.policy, file_settings)
    findings = (
        text
        if isinstance(text, list)
        else policy_findings(
            text, settings.policy, file_settings, seen, accepted, settings.run_check
        )
    )
    return Report([settings.policy], findings, rules=rules.used_by(findings))


def execute(settings: AuditSettings, stdout: TextIO, stderr: TextIO) -> int:
    """Run the audit and write its reports as ``check`` writes its own; the exit status."""
    report = run(settings)
    write_reports(report, settings.outputs, stdout, stderr, color=settings.color)
    return exit_status(report, settings.fail_on, settings.exit_zero)
