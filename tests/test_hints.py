"""Category words of real consent tools get a message naming the category they mean.

tests/data/category-labels.yaml lists the labels of consent tools and cookie catalogues,
each with the category of the policy format that its tool's own definition means. The
figures (``python tests/test_hints.py`` prints them) compare cookielint's hint with the
closest-spelling suggestion alone.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from cookielint.hints import value_hint
from cookielint.suggest import did_you_mean

DATA = yaml.safe_load((Path(__file__).parent / "data" / "category-labels.yaml").read_text())
CATEGORIES = ["necessary", "preferences", "statistics", "marketing", "social"]


def _names(hint: str, expected: str | None) -> bool:
    """Whether a hint leads to ``expected``: names it, or (for a label that says nothing)
    sends the writer to find out what the cookie does."""
    if expected is None:
        return "find out what it does" in hint
    return f"'{expected}'" in hint or f"use {expected}" in hint or f"or {expected} " in hint


def figures() -> dict[str, tuple[int, int]]:
    labels = DATA["labels"]
    hinted = sum(
        _names(value_hint("category", e["label"], CATEGORIES), e["expected"]) for e in labels
    )
    spelled = sum(_names(did_you_mean(e["label"], CATEGORIES), e["expected"]) for e in labels)
    return {"cookielint hint": (hinted, len(labels)), "closest spelling": (spelled, len(labels))}


def test_labels_of_real_consent_tools_lead_to_their_category():
    misses = [
        (e["label"], e["source"], value_hint("category", e["label"], CATEGORIES))
        for e in DATA["labels"]
        if not _names(value_hint("category", e["label"], CATEGORIES), e["expected"])
    ]
    # Consently's "Performance" means page speed, which this format calls necessary; most
    # tools (OneTrust, and the UK's usual four kinds) mean audience measurement by it.
    assert misses == [
        (
            "Performance",
            "consently",
            "; use statistics: performance cookies usually count visits and measure how "
            "the site is used",
        )
    ]
    assert figures() == {"cookielint hint": (33, 34), "closest spelling": (7, 34)}


def test_the_opposite_word_is_never_suggested():
    assert value_hint("consent", "not-required", ["required", "exempt"]) == (
        "; use exempt: set without asking the visitor"
    )
    assert did_you_mean("not-required", ["required", "exempt"]) == "; did you mean 'required'?"


if __name__ == "__main__":
    for method, (good, total) in figures().items():
        print(f"{method:18} {good:3}/{total} labels lead to their category ({good / total:.0%})")
