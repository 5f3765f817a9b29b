"""Every rule, case by case: each fixture in tests/rules/ is a policy and the exact findings it gets."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml
from audit_cases import seen, seen_in_example

from cookielint import rules
from cookielint.audit import ACCEPT, policy_findings
from cookielint.config import FileSettings
from cookielint.finding import Finding
from cookielint.linter import DEFAULT_SETTINGS, check_text

# The examples in rule metadata are shown as they would run with require-reason on
# (CL008 exists only then; no other example is affected by it).
STRICT = dataclasses.replace(DEFAULT_SETTINGS, require_reason=True)

CASES_DIR = Path(__file__).parent / "rules"


def _load_cases() -> list[tuple[str, dict]]:
    cases = []
    for path in sorted(CASES_DIR.glob("CL*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]:
            cases.append((path.stem, case))
    return cases


CASES = _load_cases()


@pytest.mark.parametrize(
    ("code", "case"), CASES, ids=[f"{code}-{case['name']}" for code, case in CASES]
)
def test_rule_case(code: str, case: dict) -> None:
    settings = dataclasses.replace(
        DEFAULT_SETTINGS, require_reason=case.get("require-reason", False)
    )
    if "observed" in case:  # an audit rule: the policy against what a browser saw
        findings = _audit(case["policy"], seen(case["observed"]), settings)
    else:
        findings = check_text(case["policy"], "policy.yaml", settings)
    got = [[f.code, f.line, f.column] for f in findings]
    assert got == case["findings"], "\n".join(
        f"{f.code} {f.line}:{f.column} {f.message}" for f in findings
    )
    messages = case.get("messages", [])
    assert [f.message for f in findings][: len(messages)] == messages


CHECKED_RULES = [r for r in rules.all_rules() if r.code != "CL000"]


@pytest.mark.parametrize("rule", CHECKED_RULES, ids=lambda r: r.code)
def test_every_rule_has_failing_and_passing_cases(rule: rules.Rule) -> None:
    cases = [case for code, case in CASES if code == rule.code]
    assert any([rule.code] == f[:1] for case in cases for f in case["findings"]), "no failing case"
    assert any(case["findings"] == [] for case in cases), "no passing case"


@pytest.mark.parametrize("rule", CHECKED_RULES, ids=lambda r: r.code)
def test_rule_examples_in_metadata(rule: rules.Rule) -> None:
    """The examples `explain` shows are true: the failing one gets the rule's finding, the passing one none."""
    assert rule.code in {f.code for f in _example_findings(rule.fail_example, STRICT)}
    assert _example_findings(rule.pass_example, STRICT) == []


def _example_findings(example: str, settings: FileSettings) -> list[Finding]:
    observed = seen_in_example(example)
    if observed:
        return _audit(example, observed, settings)
    return check_text(example, "example.yaml", settings)


def _audit(policy: str, observed: list, settings: FileSettings) -> list[Finding]:
    accepted = any(item.phase == ACCEPT for item in observed)
    return policy_findings(policy, "policy.yaml", settings, observed, accepted)


def test_metadata_is_complete() -> None:
    for rule in rules.all_rules():
        assert rule.code[:2] == "CL" and len(rule.code) == 5
        assert rule.name == rule.name.lower() and " " not in rule.name
        assert rule.summary and rule.rationale and rule.hint, rule.code
        assert rule.severity in (rules.ERROR, rules.WARNING)


def test_rules_are_found_by_code_or_name() -> None:
    assert rules.get("CL201") is rules.get("statistics-exempt-not-anonymized")
    assert rules.get("cl201") is rules.get("CL201")
    assert rules.get("CL999") is None
