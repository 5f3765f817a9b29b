"""The policy's `updated` date: quoted or not, it is the text YYYY-MM-DD."""

from __future__ import annotations

import pytest
from conftest import VALID_POLICY

from cookielint.diff.load import read_policy
from cookielint.pipeline import lint_text


@pytest.mark.parametrize("written", ["2026-11-29", '"2026-11-29"', "'2026-11-29'"])
def test_updated_quoted_or_not_is_the_date_text(written):
    text = VALID_POLICY.replace("cookies:", f"updated: {written}\ncookies:")
    assert lint_text(text, "p.yaml") == []
    assert read_policy(text, "p.yaml").policy.updated == "2026-11-29"


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("29/11/2026", "'updated' '29/11/2026' does not have the expected form"),
        ("2026-11-29T10:00:00", "'updated' must be a string, not datetime 2026-11-29 10:00:00"),
        ("20261129", "'updated' must be a string, not int 20261129"),
    ],
)
def test_updated_not_a_date_is_reported(written, message):
    text = VALID_POLICY.replace("cookies:", f"updated: {written}\ncookies:")
    findings = lint_text(text, "p.yaml")
    assert [(f.code, f.line, f.column, f.message) for f in findings] == [("CL003", 5, 10, message)]
    assert read_policy(text, "p.yaml").policy.updated is None


def test_no_updated_is_none():
    assert read_policy(VALID_POLICY, "p.yaml").policy.updated is None
