"""Which files a run checks: the paths given, with directories searched for policy YAML."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

from cookielint.config import absolute, excluded
from cookielint.escape import visible

POLICY_SUFFIXES = (".yaml", ".yml")
STDIN = "-"


class PathError(Exception):
    """A path the user named can't be used; the command can't do its job (exit 2)."""


class Source(NamedTuple):
    display: str
    """The path as reported: as given, or found under a given directory and joined to it."""
    path: Path | None
    """None for standard input."""
    error: str | None = None
    """Why a directory could not be searched: reported as a finding, never skipped in silence."""


def discover(
    paths: list[str],
    stdin_name: str = STDIN,
    exclude: list[tuple[str, Path]] | None = None,
    force_exclude: bool = False,
) -> Iterator[Source]:
    """Every file to check, in the order given, each once; directories in sorted order, less ``exclude``.

    ``exclude`` holds (glob, base directory) pairs. Files named explicitly are checked even
    when excluded, unless ``force_exclude`` (as for a pre-commit hook, which names every
    changed file). A directory that holds no policy file is an error: a mistyped path must
    not pass as "no problems".
    """
    if paths.count(STDIN) > 1:
        raise PathError("standard input (-) can be checked only once")
    exclude = exclude or []
    seen: set[str] = set()

    def first_time(source: Source) -> bool:
        # The same file reached twice (named and inside a named directory, or by two
        # spellings) is checked and reported once, under the name it was first reached by.
        if source.path is None:
            return True
        key = os.path.realpath(source.path)
        if key in seen:
            return False
        seen.add(key)
        return True

    for given in paths:
        if given == STDIN:
            if force_exclude and stdin_name != STDIN and excluded(Path(stdin_name), exclude):
                continue
            yield Source(stdin_name, None)
            continue
        if not given:
            raise PathError("path does not exist: ''")
        path = Path(given)
        try:
            is_dir = path.is_dir()
            exists = is_dir or path.exists() or path.is_symlink()
        except OSError as error:  # a name too long for the file system, and the like
            raise PathError(f"cannot use path {given}: {error.strerror or error}") from None
        repository = _repository(path)
        if is_dir:
            # Outside a repository, what a directory holds stays inside it.
            boundary = repository or Path(os.path.realpath(path))
            for source in filter(first_time, _search(given, exclude)):
                yield _confined(source, boundary, repository is not None)
        elif not exists:
            raise PathError(f"path does not exist: {given}")
        elif not (force_exclude and excluded(path, exclude)):
            source = Source(given, path)
            if first_time(source):
                yield _confined(source, repository, True) if repository is not None else source


def _repository(path: Path) -> Path | None:
    """The real path of the repository ``path`` is in (the nearest directory holding .git)."""
    start = absolute(path)
    for directory in (start, *start.parents):
        if (directory / ".git").exists():
            return Path(os.path.realpath(directory))
    return None


def _confined(source: Source, boundary: Path, in_repository: bool) -> Source:
    """``source``, or a Source that says why it is not read: a symbolic link (the file itself or a
    directory on its way) leading out of the repository, or out of the directory named."""
    if source.path is None or source.error is not None:
        return source
    real = os.path.realpath(source.path)
    if os.path.commonpath([real, boundary]) == str(boundary):
        return source
    where = "the repository" if in_repository else "the directory named"
    return Source(source.display, None, f"a symbolic link to a file outside {where}; not read")


def _search(directory: str, exclude: list[tuple[str, Path]]) -> Iterator[Source]:
    found = []
    unreadable: list[Source] = []
    skipped = {"json": 0, "excluded": 0}

    def report(error: OSError) -> None:
        where = error.filename or directory
        unreadable.append(
            Source(str(where), None, f"cannot read the directory: {error.strerror or error}")
        )

    for root, dirs, files in _walk(directory, report):
        kept = []
        for d in dirs:
            if d.startswith("."):
                continue
            if excluded(Path(root, d), exclude):
                skipped["excluded"] += 1
            else:
                kept.append(d)
        dirs[:] = sorted(kept)
        for name in files:
            if not _is_policy_name(name):
                skipped["json"] += name.lower().endswith(".json") and not name.startswith(".")
            elif excluded(Path(root, name), exclude):
                skipped["excluded"] += 1
            else:
                found.append(os.path.join(root, name))
    if not found and not unreadable:
        raise PathError(_nothing_found(directory, skipped["json"], skipped["excluded"]))
    # A link to a file the search also finds by its own name is the same policy: it is
    # checked once, under that name.
    targets = {os.path.realpath(name) for name in found if not os.path.islink(name)}
    found = [n for n in found if not os.path.islink(n) or os.path.realpath(n) not in targets]
    for display in sorted(found):
        yield Source(display, Path(display))
    yield from unreadable


def _walk(
    top: str, onerror: Callable[[OSError], None]
) -> Iterator[tuple[str, list[str], list[str]]]:
    """``os.walk`` from the top down, without following links, and without recursion: a tree
    thousands of directories deep is searched like any other."""
    stack = [top]
    while stack:
        root = stack.pop()
        dirs: list[str] = []
        files: list[str] = []
        links: set[str] = set()
        try:
            with os.scandir(root) as entries:
                for entry in entries:
                    try:
                        is_dir = entry.is_dir()
                        if is_dir and entry.is_symlink():
                            links.add(entry.name)
                    except OSError:
                        is_dir = False
                    (dirs if is_dir else files).append(entry.name)
        except OSError as error:
            onerror(error)
            continue
        yield root, dirs, files
        stack.extend(os.path.join(root, d) for d in reversed(dirs) if d not in links)


def _nothing_found(directory: str, json_files: int, excluded_entries: int) -> str:
    message = (
        f"no policy file in {visible(directory)}: "
        "directories are searched for *.yaml and *.yml files"
    )
    notes = []
    if excluded_entries:
        notes.append(
            f"{excluded_entries} {'entry' if excluded_entries == 1 else 'entries'} "
            "skipped by the configured exclude"
        )
    if json_files:
        notes.append(
            f"{json_files} .json {'file' if json_files == 1 else 'files'} skipped: "
            "JSON policies are checked when named (cookielint check FILE.json)"
        )
    return message + "".join(f"; {note}" for note in notes)


def _is_policy_name(name: str) -> bool:
    # Hidden files (.cookielint.yaml, editor backups) are not policies.
    return name.endswith(POLICY_SUFFIXES) and not name.startswith(".")


def repository_root(start: Path) -> Path:
    """The nearest directory at or above ``start`` holding .git; ``start`` when there is none."""
    start = absolute(start)
    for directory in (start, *start.parents):
        if (directory / ".git").exists():
            return directory
    return start
