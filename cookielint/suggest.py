"""Suggestions for a misspelt word: a rule, a key, a format, a category."""

from __future__ import annotations

from collections.abc import Iterable


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """``"; did you mean 'X'?"`` for the closest of ``choices``, or "" when none is close."""
    import difflib  # only when something is misspelt

    close = difflib.get_close_matches(word, list(choices), n=1)
    return f"; did you mean '{close[0]}'?" if close else ""


def closest_rule(selector: str) -> str:
    """did_you_mean over every rule's code and name."""
    from cookielint import rules

    return did_you_mean(selector, rules.selectors())
