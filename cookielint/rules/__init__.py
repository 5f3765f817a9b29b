"""The rule catalogue: one registry of every rule, each a small function plus its metadata.

A rule's metadata (code, name, severity, summary, rationale, examples, hint) is
the single source for ``cookielint rules``, ``cookielint explain``, the rules
documentation and the SARIF rule descriptors. Rules detected while reading a
file (CL001-CL004, CL006) are declared here with metadata only.

A cookie rule is called once per declaration, ``check(cookie, policy)``; a
policy rule once per file, ``check(policy)``. Both yield ``Problem``s that name
a JSON pointer; they never compute positions and never print.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from cookielint.finding import Problem, Severity
from cookielint.schema import Shape

ERROR = Severity.ERROR
WARNING = Severity.WARNING


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    summary: str
    rationale: str
    fail_example: str
    pass_example: str
    hint: str
    scope: str = "file"
    """"cookie" (called per declaration), "policy" (once per file) or "file" (found while reading)."""
    check: Callable[..., Iterable[Problem]] | None = None
    left_to_rule: tuple[tuple[Shape, str], ...] = ()
    """Schema errors (shape, keyword) this rule reports in the schema's place, so that one
    mistake gets one finding with the most specific code."""

    @property
    def family(self) -> str:
        return self.code[:3]


RULES: dict[str, Rule] = {}
_BY_NAME: dict[str, Rule] = {}


def register(rule: Rule) -> Rule:
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
    """A rule found while reading the file, with no check function of its own."""
    return register(
        Rule(code, name, severity, summary, _prose(rationale), _yaml(fail), _yaml(ok), hint)
    )


def rule(
    code: str,
    name: str,
    severity: Severity,
    *,
    summary: str,
    fail: str,
    ok: str,
    hint: str,
    left_to_rule: tuple[tuple[Shape, str], ...] = (),
) -> Callable[[Callable[..., Iterable[Problem]]], Callable[..., Iterable[Problem]]]:
    """Register a check; its docstring is the rule's rationale, with its source."""

    def decorate(check: Callable[..., Iterable[Problem]]) -> Callable[..., Iterable[Problem]]:
        first_parameter = check.__code__.co_varnames[0]
        scope = "cookie" if first_parameter == "cookie" else "policy"
        register(
            Rule(
                code,
                name,
                severity,
                summary,
                _prose(check.__doc__ or ""),
                _yaml(fail),
                _yaml(ok),
                hint,
                scope,
                check,
                left_to_rule,
            )
        )
        return check

    return decorate


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


def all_rules() -> list[Rule]:
    return sorted(RULES.values(), key=lambda r: r.code)


def cookie_rules() -> list[Rule]:
    return [r for r in all_rules() if r.scope == "cookie"]


def policy_rules() -> list[Rule]:
    return [r for r in all_rules() if r.scope == "policy"]


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
    )


_load()
