"""The compiled validator (jsonschema-rs) and the reference one (jsonschema) give the same problems.

cookielint validates with jsonschema-rs where it can, for speed; this differential test over
every policy the test suite knows, and over generated ones, shows it changes no finding.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from test_fuzz import POLICY
from test_hostile import CORPUS

from cookielint import rules
from cookielint.document import Document, parse
from cookielint.pipeline import read_data
from cookielint.schema import validate

pytest.importorskip("jsonschema_rs")

ROOT = Path(__file__).resolve().parent.parent


def _texts() -> list[tuple[str, str]]:
    texts = [(p.name, p.read_text()) for p in sorted((ROOT / "policies").glob("*.yaml"))]
    for path in sorted((ROOT / "tests" / "rules").glob("CL*.yaml")):
        for case in yaml.safe_load(path.read_text())["cases"]:
            texts.append((f"{path.stem}: {case['name']}", case["policy"]))
    for name, (raw, _) in CORPUS.items():
        with contextlib.suppress(UnicodeDecodeError):  # bytes no text can hold
            texts.append((f"corpus: {name}", raw.decode("utf-8-sig")))
    for rule in rules.all_rules():
        texts += [
            (f"{rule.code} fails", rule.fail_example),
            (f"{rule.code} passes", rule.pass_example),
        ]
    return texts


TEXTS = [(name, text) for name, text in _texts() if isinstance(parse(text), Document)]


def _both(data) -> tuple[list, list]:
    left_to_rules = rules.left_to_rules()
    fast = validate(data, left_to_rules, backend="rust")
    reference = validate(data, left_to_rules, backend="python")
    key = lambda p: (p.pointer, p.key, p.message)  # noqa: E731
    return sorted(fast, key=key), sorted(reference, key=key)


def test_the_corpus_is_large():
    assert len(TEXTS) > 230


@pytest.mark.parametrize(("name", "text"), TEXTS, ids=[name for name, _ in TEXTS])
def test_same_problems_on_every_known_policy(name, text):
    document = parse(text)
    assert isinstance(document, Document)
    fast, reference = _both(read_data(document))
    assert fast == reference


@given(POLICY)
def test_same_problems_on_generated_policies(policy):
    fast, reference = _both(policy)
    assert fast == reference
