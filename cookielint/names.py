"""Cookie names with * wildcards, matched in linear time.

Names come from files anyone can open a pull request with: a backtracking
regular expression for `a*a*a*a*b` against a long run of a's takes minutes,
so patterns are matched greedily instead (a * can always take more, so the
leftmost match of each literal piece is the right one).
"""

from __future__ import annotations


def matches(pattern: str, name: str) -> bool:
    """Whether ``name`` matches ``pattern``, where * stands for any run of characters."""
    pieces = pattern.split("*")
    if len(pieces) == 1:
        return pattern == name
    first, *middle, last = pieces
    if len(name) < len(first) + len(last) or not name.startswith(first) or not name.endswith(last):
        return False
    position, end = len(first), len(name) - len(last)
    for piece in middle:
        found = name.find(piece, position, end)
        if found < 0:
            return False
        position = found + len(piece)
    return True
