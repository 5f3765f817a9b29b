"""Cookie lifetimes as the policy format writes them, in days for comparisons."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

# For comparisons a month is 365.25/12 days and a year 365.25 days (docs/policy-format.md).
DAYS_PER_YEAR = 365.25
DAYS_PER_MONTH = DAYS_PER_YEAR / 12
# Browsers keep a cookie at most 400 days, whatever it asks for (RFC 6265bis §5.6.1, §5.6.2).
BROWSER_CAP_DAYS = 400

_UNIT_DAYS = {
    "second": 1 / 86400,
    "minute": 1 / 1440,
    "hour": 1 / 24,
    "day": 1.0,
    "week": 7.0,
    "month": DAYS_PER_MONTH,
    "year": DAYS_PER_YEAR,
}
_ISO = re.compile(
    r"P(?=\d|T\d)(?:(?P<Y>[1-9]\d*)Y)?(?:(?P<M>[1-9]\d*)M)?(?:(?P<W>[1-9]\d*)W)?(?:(?P<D>[1-9]\d*)D)?"
    r"(?:T(?=\d)(?:(?P<h>[1-9]\d*)H)?(?:(?P<m>[1-9]\d*)M)?(?:(?P<s>[1-9]\d*)S)?)?"
)
_ISO_DAYS = {
    "Y": "year",
    "M": "month",
    "W": "week",
    "D": "day",
    "h": "hour",
    "m": "minute",
    "s": "second",
}
_WORDS = re.compile(r"(?P<n>[1-9]\d*) (?P<unit>second|minute|hour|day|week|month|year)s?")


@dataclass(frozen=True)
class Duration:
    text: str
    days: float | None
    """None for a session cookie, which lives until the browser closes."""

    @property
    def is_session(self) -> bool:
        return self.days is None


def parse_duration(text: str) -> Duration | None:
    """The duration written as ``text``, or None when it is not in a form the format allows."""
    if text == "session":
        return Duration(text, None)
    match = _ISO.fullmatch(text)
    if match:
        parts = [(n, _UNIT_DAYS[_ISO_DAYS[part]]) for part, n in match.groupdict().items() if n]
        return Duration(text, _days(parts))
    match = _WORDS.fullmatch(text)
    if match:
        return Duration(text, _days([(match["n"], _UNIT_DAYS[match["unit"]])]))
    return None


def _days(parts: list[tuple[str, float]]) -> float:
    # A count of hundreds of digits is valid in the format, and longer than any cap.
    if any(len(number) > 12 for number, _ in parts):
        return math.inf
    return sum(int(number) * unit for number, unit in parts)


def describe_days(days: float) -> str:
    if math.isinf(days):
        return "forever"
    if days >= DAYS_PER_MONTH * 2:
        return f"{days / DAYS_PER_MONTH:.1f} months".replace(".0 ", " ")
    return f"{days:.1f} days".replace(".0 ", " ")


def parts(text: str) -> list[tuple[int, str]]:
    """A duration's counts and units, largest first, as written: ``P1Y6M`` → [(1, "year"),
    (6, "month")]; empty for ``session`` or a text the format does not allow."""
    match = _ISO.fullmatch(text)
    if match:
        return [(int(n), _ISO_DAYS[part]) for part, n in match.groupdict().items() if n]
    match = _WORDS.fullmatch(text)
    if match:
        return [(int(match["n"]), match["unit"])]
    return []
