"""Inline suppression: every form, and what each one covers."""

from __future__ import annotations

from cookielint.pipeline import lint_text

HEAD = 'version: 1\nsite: {name: Example, url: "https://example.org"}\ncookies:\n'

# Line 4-11: a marketing cookie exempt from consent (CL202 at 9:14) that lives
# two years (CL404 at 10:15) with a placeholder purpose (CL102 at 8:16).
TRACKER = """\
  - name: promo_id
    provider: Meta
    party: first
    category: marketing
    purposes: [TODO]
    consent: exempt
    duration: 2 years
"""


def found(text: str) -> list[tuple[str, int, int]]:
    return [(f.code, f.line, f.column) for f in lint_text(text, "p.yaml")]


def test_unsuppressed():
    assert found(HEAD + TRACKER) == [("CL102", 8, 16), ("CL202", 9, 14), ("CL404", 10, 15)]


def test_end_of_line_suppresses_that_line_only():
    text = HEAD + TRACKER.replace(
        "consent: exempt", "consent: exempt  # cookielint: disable=CL202,CL404 -- legacy"
    )
    # CL404 is on another line: not suppressed, so that part of the suppression is unused.
    assert found(text) == [("CL102", 8, 16), ("CL007", 9, 22), ("CL404", 10, 15)]


def test_end_of_line_inside_a_multi_line_declaration():
    text = HEAD + TRACKER.replace(
        "duration: 2 years", "duration: 2 years  # cookielint: disable=lifetime-over-browser-cap"
    )
    assert found(text) == [("CL102", 8, 16), ("CL202", 9, 14)]


def test_own_line_suppresses_the_next_line():
    text = HEAD + TRACKER.replace(
        "    consent: exempt\n",
        "    # cookielint: disable=tracking-exempt -- reviewed\n    consent: exempt\n",
    )
    assert found(text) == [("CL102", 8, 16), ("CL404", 11, 15)]


def test_own_line_skips_blank_and_comment_lines():
    text = HEAD + TRACKER.replace(
        "    consent: exempt\n",
        "    # cookielint: disable=CL202\n\n    # a note\n    consent: exempt\n",
    )
    assert found(text) == [("CL102", 8, 16), ("CL404", 13, 15)]


def test_directly_above_a_declaration_covers_all_of_it():
    text = (
        HEAD + "  # cookielint: disable=CL102,CL202,CL404 -- a vendor we are removing\n" + TRACKER
    )
    assert found(text) == []


def test_above_a_declaration_covers_only_that_one():
    second = TRACKER.replace("promo_id", "promo_click")
    text = HEAD + "  # cookielint: disable=CL202\n" + TRACKER + second
    assert [(c, line) for c, line, _ in found(text)] == [
        ("CL102", 9),
        ("CL404", 11),
        ("CL102", 16),
        ("CL202", 17),
        ("CL404", 18),
    ]


def test_disable_file_with_codes_and_names():
    text = (
        "# A legacy policy\n# cookielint: disable-file=CL404, placeholder-purpose -- being rewritten\n"
        + HEAD
        + TRACKER
    )
    assert [c for c, _, _ in found(text)] == ["CL202"]


def test_disable_file_with_no_list_suppresses_everything():
    text = "# cookielint: disable-file -- generated file\n" + HEAD + TRACKER
    assert found(text) == []


def test_family_prefix_in_a_suppression():
    text = HEAD + "  # cookielint: disable=CL2,CL4,CL1\n" + TRACKER
    assert found(text) == []


def test_unused_suppression_is_reported_at_the_comment():
    text = HEAD + TRACKER.replace(
        "party: first", "party: first  # cookielint: disable=CL203 -- old"
    )
    assert found(text) == [("CL007", 6, 19), ("CL102", 8, 16), ("CL202", 9, 14), ("CL404", 10, 15)]


def test_internal_errors_cannot_be_suppressed(monkeypatch):

    from cookielint import rules

    def explode(cookie, policy):
        raise RuntimeError("boom")

    monkeypatch.setitem(rules.RULES, "CL202", rules.RULES["CL202"].with_check(explode))
    text = "# cookielint: disable-file\n" + HEAD + TRACKER
    assert [c for c, _, _ in found(text)] == ["CL000"]


def test_a_broken_file_cannot_be_suppressed():
    """CL001 and CL002 mean the file was not checked: a suppression can't hide that."""
    text = "# cookielint: disable-file -- work in progress\nversion: [1\n"
    assert found(text) == [("CL007", 1, 1), ("CL001", 3, 1)]


def test_a_hash_that_is_not_a_comment_is_ignored():
    text = HEAD + TRACKER.replace(
        "purposes: [TODO]", "purposes: ['TODO#cookielint: disable=CL102']"
    )
    assert found(text) == [("CL202", 9, 14), ("CL404", 10, 15)]
