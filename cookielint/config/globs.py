"""Globs of configuration files (exclude, per-file-ignores), matched against paths."""

from __future__ import annotations

import functools
import os
from pathlib import Path, PurePosixPath

from cookielint.config.errors import ConfigError


def absolute(path: Path) -> Path:
    """``path`` made absolute without following symbolic links (which may loop)."""
    return Path(os.path.abspath(path))


def glob_matches(glob: str, path: Path, base: Path) -> bool:
    """Whether ``path`` matches ``glob``: relative to ``base``, or, for a glob with no /, any component."""
    try:
        relative = PurePosixPath(absolute(path).relative_to(absolute(base)).as_posix())
    except ValueError:
        relative = PurePosixPath(path.as_posix())
    pattern = _compile(glob)
    if "/" not in glob.rstrip("/"):
        return any(pattern.matches(part) for part in relative.parts)
    return pattern.matches(str(relative))


def excluded(path: Path, exclude: list[tuple[str, Path]]) -> bool:
    """Whether ``path`` matches any (glob, base directory) of ``exclude``."""
    return any(glob_matches(glob, path, base) for glob, base in exclude)


def check_glob(glob: str, where: str) -> None:
    if not glob.strip():
        raise ConfigError(f"{where}: empty glob")
    try:
        _compile(glob)
    except ConfigError as error:
        raise ConfigError(f"{where}: {error}") from None


# A glob is matched by simulating all its possible positions at once over the
# path (a Thompson automaton), never by backtracking: time is linear in the
# path for a given glob, however many stars it holds. A backtracking regular
# expression for "*a*a*a*a*a*a*a*a*b" takes minutes on a 60-character name.

_LITERAL, _ONE, _CLASS, _STAR, _ANY_DEPTH, _DIRECTORIES = range(6)
# _STAR: [^/]*   _ANY_DEPTH: .* (**)   _DIRECTORIES: (?:.*/)? (**/)


_ClassSpec = tuple[bool, str, list[tuple[str, str]]]
"""A [...] class: negated, its single characters, its ranges."""
_Token = tuple[int, "str | _ClassSpec | None"]


class _Glob:
    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens

    def matches(self, text: str) -> bool:
        tokens, end = self.tokens, len(self.tokens)
        # A state is (token index, inside): inside a **/ that has taken characters
        # and still needs its closing /.
        states = self._closure({(0, False)})
        for char in text:
            following: set[tuple[int, bool]] = set()
            for index, _inside in states:
                if index == end:
                    continue
                kind, value = tokens[index]
                if kind == _DIRECTORIES:
                    following.add((index, True))
                    if char == "/":
                        following.add((index + 1, False))
                elif kind == _ANY_DEPTH or kind == _STAR and char != "/":
                    following.add((index, False))
                elif (
                    kind == _LITERAL
                    and char == value
                    or kind == _ONE
                    and char != "/"
                    or isinstance(value, tuple)
                    and _in_class(char, value)
                ):
                    following.add((index + 1, False))
            states = self._closure(following)
            if not states:
                return False
        return (end, False) in states

    def _closure(self, states: set[tuple[int, bool]]) -> set[tuple[int, bool]]:
        pending = list(states)
        while pending:
            index, inside = pending.pop()
            if inside or index == len(self.tokens):
                continue
            if self.tokens[index][0] in (_STAR, _ANY_DEPTH, _DIRECTORIES):
                skipped = (index + 1, False)
                if skipped not in states:
                    states.add(skipped)
                    pending.append(skipped)
        return states


def _in_class(char: str, spec: _ClassSpec) -> bool:
    negated, singles, ranges = spec
    found = char in singles or any(low <= char <= high for low, high in ranges)
    return found != negated


@functools.lru_cache(maxsize=1024)
def _compile(glob: str) -> _Glob:
    glob = glob.rstrip("/").removeprefix("./")
    tokens: list[_Token] = []
    i = 0
    while i < len(glob):
        c = glob[i]
        if glob.startswith("**/", i):
            tokens.append((_DIRECTORIES, None))
            i += 3
            continue
        if glob.startswith("**", i):
            tokens.append((_ANY_DEPTH, None))
            i += 2
            continue
        if c == "*":
            if not tokens or tokens[-1][0] != _STAR:  # ** within a name is one *
                tokens.append((_STAR, None))
        elif c == "?":
            tokens.append((_ONE, None))
        elif c == "[":
            spec, i = _class(glob, i)
            tokens.append((_CLASS, spec))
        else:
            tokens.append((_LITERAL, c))
        i += 1
    return _Glob(tokens)


def _class(glob: str, start: int) -> tuple[_ClassSpec, int]:
    """The [...] class at ``start``: (negated, single characters, ranges), and the index of its ]."""
    i = start + 1
    negated = glob[i : i + 1] in ("!", "^")
    if negated:
        i += 1
    end = glob.find("]", i + 1 if glob[i : i + 1] == "]" else i)
    if end == -1:
        raise ConfigError(f"bad glob '{glob}': '[' is never closed")
    body = glob[i:end]
    singles, ranges = [], []
    j = 0
    while j < len(body):
        if j + 2 < len(body) and body[j + 1] == "-":
            ranges.append((body[j], body[j + 2]))
            j += 3
        else:
            singles.append(body[j])
            j += 1
    return (negated, "".join(singles), ranges), end
