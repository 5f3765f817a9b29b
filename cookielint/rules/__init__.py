"""The rule catalogue: one registry of every rule, each a small function plus its metadata.

A rule's metadata (code, name, severity, summary, rationale, examples, hint) is
the single source for ``cookielint rules``, ``cookielint explain``, the rules
documentation and the SARIF rule descriptors.

Every rule is one of four kinds, each a type, and says so by the decorator
that registers it:

- ``@document_rule``: ``check(document)``, once per parsed file, on what the
  reader recorded (keys written twice, YAML 1.1 boolean words);
- ``@policy_rule``: ``check(policy)``, once per file, on the typed model;
- ``@cookie_rule``: ``check(cookie, policy)``, once per declaration;
- ``declare``: no check of its own; found by the reader, the schema or the
  engine itself (CL000-CL003, CL007, CL008).

Checks yield ``Problem``s that name a JSON pointer; they never compute
positions and never print.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from cookielint.finding import Finding, Problem, Severity
from cookielint.schema import Shape

if TYPE_CHECKING:
    from cookielint.document import Document
    from cookielint.policy import Cookie, Policy

ERROR = Severity.ERROR
WARNING = Severity.WARNING


class Rule:
    """A rule's metadata; on its own, a rule found by the reader, the schema or the engine.

    Immutable once made. (A plain class with slots rather than a dataclass: the
    catalogue is defined on every run, a pre-commit hook's included.)"""

    __slots__ = (
        "code",
        "name",
        "severity",
        "summary",
        "rationale",
        "fail_example",
        "pass_example",
        "hint",
        "left_to_rule",
        "outranked_by",
    )
    code: str
    name: str
    severity: Severity
    summary: str
    rationale: str
    fail_example: str
    pass_example: str
    hint: str
    left_to_rule: tuple[tuple[Shape, str], ...]
    """Schema errors (shape, keyword) this rule reports in the schema's place, so that one
    mistake gets one finding with the most specific code."""
    outranked_by: tuple[str, ...]
    """Rules that report the same mistake more precisely: when one of them reports a
    declaration, this rule says nothing of it (one mistake, one finding)."""

    def __init__(
        self,
        code: str,
        name: str,
        severity: Severity,
        summary: str,
        rationale: str,
        fail_example: str,
        pass_example: str,
        hint: str,
        left_to_rule: tuple[tuple[Shape, str], ...] = (),
        outranked_by: tuple[str, ...] = (),
    ) -> None:
        values = (code, name, severity, summary, rationale, fail_example, pass_example, hint)
        for slot, value in zip(Rule.__slots__, (*values, left_to_rule, outranked_by), strict=True):
            object.__setattr__(self, slot, value)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"rule {self.code} is immutable: cannot set {name}")

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.code} {self.name})"

    @property
    def family(self) -> str:
        return self.code[:3]


class _CheckedRule(Rule):
    __slots__ = ("check",)
    check: Callable[..., Iterable[Problem]]

    def __init__(self, *metadata: Any, check: Callable[..., Iterable[Problem]]) -> None:
        super().__init__(*metadata)
        object.__setattr__(self, "check", check)

    def with_check(self: CheckedT, check: Callable[..., Iterable[Problem]]) -> CheckedT:
        """The same rule with another check (a test's stand-in)."""
        metadata = [getattr(self, slot) for slot in Rule.__slots__]
        return type(self)(*metadata, check=check)


CheckedT = TypeVar("CheckedT", bound=_CheckedRule)


class DocumentRule(_CheckedRule):
    """Checks a parsed document once, before the schema: what the reader recorded."""

    __slots__ = ()
    check: Callable[[Document], Iterable[Problem]]


class PolicyRule(_CheckedRule):
    """Checks the whole policy once: what concerns several declarations together."""

    __slots__ = ()
    check: Callable[[Policy], Iterable[Problem]]


class CookieRule(_CheckedRule):
    """Checks one declaration at a time, with the policy around it."""

    __slots__ = ()
    check: Callable[[Cookie, Policy], Iterable[Problem]]


_KINDS: dict[type[Rule], int] = {Rule: 0, DocumentRule: 1, PolicyRule: 1, CookieRule: 2}
"""Each kind, and how many arguments its check takes (besides none for a declared rule)."""

RULES: dict[str, Rule] = {}
_BY_NAME: dict[str, Rule] = {}


def register(rule: Rule) -> Rule:
    """Add a rule to the catalogue; a rule that is none of the kinds is an error at import time."""
    kind = type(rule)
    if kind not in _KINDS:
        raise TypeError(
            f"rule {rule.code} ({rule.name}) is a {kind.__name__}, none of the rule kinds: "
            "register it with @document_rule, @policy_rule, @cookie_rule or declare()"
        )
    check = getattr(rule, "check", None)
    if check is not None:
        arity = check.__code__.co_argcount
        if arity != _KINDS[kind]:
            raise TypeError(
                f"rule {rule.code} ({rule.name}): a {kind.__name__}'s check takes "
                f"{_KINDS[kind]} argument(s), {check.__qualname__} takes {arity}"
            )
    if rule.code in RULES or rule.name in _BY_NAME:
        raise ValueError(f"rule {rule.code} {rule.name} is registered twice")
    RULES[rule.code] = rule
    _BY_NAME[rule.name] = rule
    return rule


def declare(
    code: str,
    name: str,
    severity: Severity,
    *,
    summary: str,
    rationale: str,
    fail: str,
    ok: str,
    hint: str,
) -> Rule:
    """A rule found by the reader, the schema or the engine: metadata only."""
    return register(
        Rule(code, name, severity, summary, _prose(rationale), _yaml(fail), _yaml(ok), hint)
    )


CheckT = TypeVar("CheckT", bound=Callable[..., Iterable[Problem]])


def _decorator(
    kind: type[_CheckedRule],
    code: str,
    name: str,
    severity: Severity,
    summary: str,
    fail: str,
    ok: str,
    hint: str,
    left_to_rule: tuple[tuple[Shape, str], ...],
    outranked_by: tuple[str, ...] = (),
) -> Callable[[CheckT], CheckT]:
    def decorate(check: CheckT) -> CheckT:
        rationale = _prose(check.__doc__ or "")
        metadata = (code, name, severity, summary, rationale, _yaml(fail), _yaml(ok), hint)
        register(kind(*metadata, left_to_rule, outranked_by, check=check))
        return check

    return decorate


def document_rule(
    code: str, name: str, severity: Severity, *, summary: str, fail: str, ok: str, hint: str
) -> Callable[[CheckT], CheckT]:
    """Register ``check(document)``; its docstring is the rule's rationale, with its source."""
    return _decorator(DocumentRule, code, name, severity, summary, fail, ok, hint, ())


def policy_rule(
    code: str,
    name: str,
    severity: Severity,
    *,
    summary: str,
    fail: str,
    ok: str,
    hint: str,
    left_to_rule: tuple[tuple[Shape, str], ...] = (),
) -> Callable[[CheckT], CheckT]:
    """Register ``check(policy)``; its docstring is the rule's rationale, with its source."""
    return _decorator(PolicyRule, code, name, severity, summary, fail, ok, hint, left_to_rule)


def cookie_rule(
    code: str,
    name: str,
    severity: Severity,
    *,
    summary: str,
    fail: str,
    ok: str,
    hint: str,
    left_to_rule: tuple[tuple[Shape, str], ...] = (),
    outranked_by: tuple[str, ...] = (),
) -> Callable[[CheckT], CheckT]:
    """Register ``check(cookie, policy)``; its docstring is the rule's rationale, with its source.

    ``outranked_by`` names rules that report the same mistake more precisely: the
    pipeline drops this rule's problem with a declaration one of them reports.
    """
    return _decorator(
        CookieRule, code, name, severity, summary, fail, ok, hint, left_to_rule, outranked_by
    )


def _prose(text: str) -> str:
    first, _, rest = text.strip().partition("\n")
    return (first + "\n" + textwrap.dedent(rest)).strip() if rest else first


def _yaml(text: str) -> str:
    return textwrap.dedent(text).strip("\n")


def example(cookies: str, *, providers: str = "") -> str:
    """A whole small policy around the given ``cookies:`` items, for a rule's examples."""
    head = "version: 1\nsite:\n  name: Example shop\n  url: https://shop.example.com\n"
    if providers:
        head += "providers:\n" + textwrap.indent(_yaml(providers), "  ") + "\n"
    return head + "cookies:\n" + textwrap.indent(_yaml(cookies), "  ") + "\n"


def get(selector: str) -> Rule | None:
    """A rule by code (any case) or name."""
    return RULES.get(selector.upper()) or _BY_NAME.get(selector.lower())


def selectors() -> list[str]:
    """Every rule's code and name: what a selector or a suppression may say."""
    return [*RULES, *_BY_NAME]


def used_by(findings: Iterable[Finding]) -> dict[str, Rule]:
    """The rule of each code in ``findings``."""
    return {code: RULES[code] for code in sorted({f.code for f in findings})}


def all_rules() -> list[Rule]:
    return sorted(RULES.values(), key=lambda r: r.code)


def document_rules() -> list[DocumentRule]:
    return [r for r in all_rules() if isinstance(r, DocumentRule)]


def policy_rules() -> list[PolicyRule]:
    return [r for r in all_rules() if isinstance(r, PolicyRule)]


def cookie_rules() -> list[CookieRule]:
    return [r for r in all_rules() if isinstance(r, CookieRule)]


def left_to_rules() -> frozenset[tuple[Shape, str]]:
    return frozenset(entry for r in RULES.values() for entry in r.left_to_rule)


def _load() -> None:
    # Importing a family module registers its rules.
    from cookielint.rules import (  # noqa: F401
        attributes,
        consent,
        duplicates,
        knowledge,
        observed,
        purposes,
        structure,
        translations,
    )


_load()
