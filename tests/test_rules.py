"""Every rule, case by case: each fixture in tests/rules/ is a policy and the exact findings it gets."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml
from audit_cases import seen, seen_in_example

from cookielint import rules
from cookielint.commands.audit import ACCEPT, policy_findings
from cookielint.config import FileSettings
from cookielint.finding import Finding
from cookielint.pipeline import DEFAULT_SETTINGS, lint_text

# The examples in rule metadata are shown as they would run with require-reason on
# (CL008 exists only then; no other example is affected by it).
STRICT = DEFAULT_SETTINGS._replace(require_reason=True)

CASES_DIR = Path(__file__).parent / "rules"


@dataclasses.dataclass(frozen=True)
class Expected:
    """One finding a case must get, in full: code, line, column and message."""

    code: str
    line: int
    column: int
    message: str


@dataclasses.dataclass(frozen=True)
class RuleCase:
    """One case of a fixture file; a key the record does not have is an error, not a typo ignored."""

    name: str
    policy: str
    findings: list[Expected]
    require_reason: bool = False
    observed: list[dict] | None = None
    """For an audit rule: what a browser saw (see audit_cases.seen), the policy audited against it."""

    @classmethod
    def load(cls, raw: dict) -> RuleCase:
        fields = {key.replace("-", "_"): value for key, value in raw.items()}
        expected = fields.pop("findings", None)
        if not isinstance(expected, list) or any(
            not isinstance(f, list) or len(f) != 4 for f in expected
        ):
            raise ValueError(
                f"case {raw.get('name')!r}: findings must be a list of [code, line, column, message]"
            )
        return cls(findings=[Expected(*f) for f in expected], **fields)


def load_cases(directory: Path = CASES_DIR) -> list[tuple[str, RuleCase]]:
    cases = []
    for path in sorted(directory.glob("*.yaml")):
        if rules.get(path.stem) is None or path.stem != rules.get(path.stem).code:
            raise ValueError(f"{path.name}: the file name is not the code of a registered rule")
        for raw in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]:
            try:
                cases.append((path.stem, RuleCase.load(raw)))
            except TypeError as error:
                raise ValueError(f"{path.name}: case {raw.get('name')!r}: {error}") from None
    return cases


CASES = load_cases()


@pytest.mark.parametrize(
    ("code", "case"), CASES, ids=[f"{code}-{case.name}" for code, case in CASES]
)
def test_rule_case(code: str, case: RuleCase) -> None:
    settings = DEFAULT_SETTINGS._replace(require_reason=case.require_reason)
    if case.observed is not None:
        findings = _audit(case.policy, seen(case.observed), settings)
    else:
        findings = lint_text(case.policy, "policy.yaml", settings)
    got = [Expected(f.code, f.line, f.column, f.message) for f in findings]
    assert got == case.findings


def test_a_case_with_an_unknown_key_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "CL201.yaml").write_text(
        "cases:\n  - name: typo\n    policy: ''\n    findings: []\n    require_reasn: true\n"
    )
    with pytest.raises(
        ValueError, match="case 'typo': .*unexpected keyword argument 'require_reasn'"
    ):
        load_cases(tmp_path)


def test_an_expected_finding_without_a_message_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "CL201.yaml").write_text(
        "cases:\n  - name: short\n    policy: ''\n    findings: [[CL201, 1, 1]]\n"
    )
    with pytest.raises(
        ValueError, match=r"findings must be a list of \[code, line, column, message\]"
    ):
        load_cases(tmp_path)


@pytest.mark.parametrize("stem", ["CL999", "statistics-exempt-not-anonymized", "notes"])
def test_a_fixture_file_not_named_after_a_rule_is_an_error(tmp_path: Path, stem: str) -> None:
    (tmp_path / f"{stem}.yaml").write_text("cases: []\n")
    with pytest.raises(ValueError, match="not the code of a registered rule"):
        load_cases(tmp_path)


CHECKED_RULES = [r for r in rules.all_rules() if r.code != "CL000"]


@pytest.mark.parametrize("rule", CHECKED_RULES, ids=lambda r: r.code)
def test_every_rule_has_failing_and_passing_cases(rule: rules.Rule) -> None:
    cases = [case for code, case in CASES if code == rule.code]
    assert any(f.code == rule.code for case in cases for f in case.findings), "no failing case"
    assert any(case.findings == [] for case in cases), "no passing case"


@pytest.mark.parametrize("rule", CHECKED_RULES, ids=lambda r: r.code)
def test_rule_examples_in_metadata(rule: rules.Rule) -> None:
    """The examples `explain` shows are true: the failing one gets the rule's finding, the passing one none."""
    assert rule.code in {f.code for f in _example_findings(rule.fail_example, STRICT)}
    assert _example_findings(rule.pass_example, STRICT) == []


def _example_findings(example: str, settings: FileSettings) -> list[Finding]:
    """An audit rule's example says what was observed in its comments; it is audited."""
    observed = seen_in_example(example)
    if observed:
        return _audit(example, observed, settings)
    return lint_text(example, "example.yaml", settings)


def _audit(policy: str, observed: list, settings: FileSettings) -> list[Finding]:
    accepted = sorted({item.capture for item in observed if item.phase == ACCEPT})
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


def test_an_outranked_rule_reports_when_the_rule_that_outranks_it_is_off() -> None:
    """One mistake, one finding: CL502 gives way to CL202, but only while CL202 runs."""
    policy = rules.example("""
        - name: IDE
          provider: Google
          party: third
          category: marketing
          purposes: [To show adverts based on the pages visited]
          consent: exempt
          duration: 13 months
    """)
    assert [(f.code, f.line, f.column) for f in lint_text(policy, "p.yaml")] == [("CL202", 11, 14)]
    without = DEFAULT_SETTINGS._replace(enabled=DEFAULT_SETTINGS.enabled - {"CL202"})
    findings = lint_text(policy, "p.yaml", without)
    assert [(f.code, f.line, f.column, f.message) for f in findings] == [
        (
            "CL502",
            11,
            14,
            "cookie 'IDE' is exempt from consent, but Google Ads documents IDE as marketing "
            "(https://business.safety.google/adscookies/)",
        )
    ]


def test_a_rule_of_no_known_kind_is_refused_when_registered() -> None:
    class ObservationRule(rules.Rule):
        __slots__ = ()

    metadata = ("CL990", "made-up", rules.ERROR, "s", "r", "f", "p", "h")
    with pytest.raises(TypeError, match=r"rule CL990 \(made-up\) is a ObservationRule, none of"):
        rules.register(ObservationRule(*metadata))
    assert "CL990" not in rules.RULES


def test_a_registered_rule_is_immutable() -> None:
    rule = rules.RULES["CL201"]
    with pytest.raises(AttributeError, match="rule CL201 is immutable: cannot set severity"):
        rule.severity = rules.WARNING  # type: ignore[misc]
    assert rule.severity is rules.ERROR
    assert repr(rule) == "CookieRule(CL201 statistics-exempt-not-anonymized)"
    stand_in = rule.with_check(lambda cookie, policy: [])
    assert type(stand_in) is rules.CookieRule and stand_in.summary == rule.summary
    assert rules.RULES["CL201"] is rule


def test_a_check_with_the_wrong_arguments_for_its_kind_is_refused() -> None:
    def check(cookie: object) -> list[object]:  # a cookie rule's check takes (cookie, policy)
        return []

    with pytest.raises(
        TypeError, match=r"a CookieRule's check takes 2 argument\(s\), .*check takes 1"
    ):
        rules.cookie_rule(
            "CL991", "made-up-too", rules.ERROR, summary="s", fail="f", ok="p", hint="h"
        )(check)
    assert "CL991" not in rules.RULES
