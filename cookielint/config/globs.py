"""Globs of configuration files (exclude, per-file-ignores), matched against paths."""

from __future__ import annotations

import functools
import os
import re
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
    pattern = _glob_regex(glob)
    if "/" not in glob.rstrip("/"):
        return any(pattern.fullmatch(part) for part in relative.parts)
    return bool(pattern.fullmatch(str(relative)))


def excluded(path: Path, exclude: list[tuple[str, Path]]) -> bool:
    """Whether ``path`` matches any (glob, base directory) of ``exclude``."""
    return any(glob_matches(glob, path, base) for glob, base in exclude)


def check_glob(glob: str, where: str) -> None:
    if not glob.strip():
        raise ConfigError(f"{where}: empty glob")
    try:
        _glob_regex(glob)
    except ConfigError as error:
        raise ConfigError(f"{where}: {error}") from None
    except re.error as error:
        raise ConfigError(f"{where}: bad glob '{glob}': {error}") from None


@functools.cache
def _glob_regex(glob: str) -> re.Pattern[str]:
    glob = glob.rstrip("/").removeprefix("./")
    out, i = [], 0
    while i < len(glob):
        c = glob[i]
        if glob.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if glob.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            end = glob.find("]", i + 2 if glob[i + 1 : i + 2] in ("!", "]") else i + 1)
            if end == -1:
                raise ConfigError(f"bad glob '{glob}': '[' is never closed")
            body = glob[i + 1 : end].replace("\\", "\\\\")
            out.append("[" + ("^" + body[1:] if body.startswith("!") else body) + "]")
            i = end
        else:
            out.append(re.escape(c))
        i += 1
    return re.compile("".join(out))
