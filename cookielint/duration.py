"""Cookie lifetimes as the policy format writes them, in days for comparisons."""

from __future__ import annotations

import functools
import math
import re
from typing import NamedTuple

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
# Unit words are read in any case: "1 Year", "13 Months" and "Session" say what they mean.
_WORDS = re.compile(
    r"(?P<n>[1-9]\d*) (?P<unit>second|minute|hour|day|week|month|year)s?", re.IGNORECASE
)
UNIT_WORDS = "seconds, minutes, hours, days, weeks, months, years (singular or plural, any case)"


class Duration(NamedTuple):
    text: str
    days: float | None
    """None for a session cookie, which lives until the browser closes."""

    @property
    def is_session(self) -> bool:
        return self.days is None


def parse_duration(text: str) -> Duration | None:
    """The duration written as ``text``, or None when it is not in a form the format allows."""
    # Policies and the knowledge base repeat a few durations many times; a long text (a
    # count of thousands of digits) is parsed, not kept.
    return _parse_cached(text) if len(text) <= _CACHED_LENGTH else _parse(text)


_CACHED_LENGTH = 64


def _parse(text: str) -> Duration | None:
    if text.lower() == "session":
        return Duration(text, None)
    match = _ISO.fullmatch(text)
    if match:
        parts = [(n, _UNIT_DAYS[_ISO_DAYS[part]]) for part, n in match.groupdict().items() if n]
        return Duration(text, _days(parts))
    match = _WORDS.fullmatch(text)
    if match:
        return Duration(text, _days([(match["n"], _UNIT_DAYS[match["unit"].lower()])]))
    return None


_parse_cached = functools.lru_cache(maxsize=1024)(_parse)


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


def duration_hint(text: object) -> str:
    """For a refused ``<n> <unit>``, the unit word most likely meant: ``"; did you mean '13 months'?"``."""
    if not isinstance(text, str):
        return ""
    match = re.fullmatch(r"\s*(\d+)\s*([A-Za-z]+)\s*", text)
    if match is None:
        return ""
    number, word = match.groups()
    units = [f"{unit}s" for unit in _UNIT_DAYS] + list(_UNIT_DAYS)
    import difflib  # only for a duration that is refused

    close = difflib.get_close_matches(word.lower(), units, n=1)
    if not close or int(number) == 0:
        return ""
    unit = close[0].rstrip("s") + ("" if int(number) == 1 else "s")
    return f"; did you mean '{int(number)} {unit}'?"


def in_days(duration: Duration, limit: float) -> str:
    """``duration`` for a message comparing it with ``limit`` days: its text, and its length in days
    when the text does not say it, precise enough to tell the two apart (``14 months (426.1 days)``)."""
    days = duration.days
    if days is None:
        return duration.text
    if _WORDS.fullmatch(duration.text) and duration.text.lower().rstrip("s").endswith("day"):
        return duration.text
    return f"{duration.text} ({days_text(days, limit)})"


def days_text(days: float, beside: float | None = None) -> str:
    """``days`` as ``426.1 days``, with as many decimals as it takes to differ from ``beside``."""
    if math.isinf(days):
        return "forever"
    for decimals in range(1, 7):
        shown = f"{days:.{decimals}f}".rstrip("0").rstrip(".")
        if beside is None or shown != f"{beside:.{decimals}f}".rstrip("0").rstrip("."):
            break
    return f"{shown} day" if shown == "1" else f"{shown} days"


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
