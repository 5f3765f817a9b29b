"""Which base file goes with which head file: two files, two directories, or a git revision.

Files are matched by path (under each directory, or in the repository);
git's rename detection pairs a renamed file with its old name. A file added
and one removed that describe the same site are paired too: a rename git
could not see (an untracked file, two directories).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from cookielint.config import absolute, excluded
from cookielint.diff import git
from cookielint.document import DEFAULT_MAX_FILE_SIZE
from cookielint.files import POLICY_SUFFIXES, PathError, Source, discover


@dataclass(frozen=True)
class BaseFile:
    display: str
    """As reports name it: the path in the base directory, or in the working tree's terms."""
    path: Path | None = None
    """A file to read (two directories); None when the bytes come from git."""
    data: bytes | None = None
    size: int | None = None
    """The size of a blob too large to read."""


@dataclass(frozen=True)
class Pair:
    head: Source | None
    """None: the file was removed."""
    base: BaseFile | None
    """None: the file was added."""
    changed: bool | None = None
    """False: the same bytes on both sides; None: not known yet (compared when read)."""
    renamed_from: str | None = None


def from_paths(base: str, head: str, exclude: list[tuple[str, Path]]) -> list[Pair]:
    """Pairs for ``diff BASE HEAD``: two files, or two directories matched by relative path."""
    for given in (base, head):
        if not os.path.exists(given):
            raise PathError(f"path does not exist: {given}")
    if os.path.isdir(base) != os.path.isdir(head):
        raise PathError(f"{base} and {head} must be two files or two directories")
    if not os.path.isdir(head):
        return [Pair(Source(head, Path(head)), BaseFile(base, Path(base)))]
    heads = {_under(s.display, head): s for s in discover([head], exclude=exclude)}
    bases = {_under(s.display, base): s for s in discover([base], exclude=exclude)}
    pairs = []
    for key, source in heads.items():
        old = bases.pop(key, None)
        pairs.append(Pair(source, _base_file(old) if old is not None else None))
    pairs += [Pair(None, _base_file(old)) for old in bases.values()]
    return pairs


def _base_file(source: Source) -> BaseFile:
    return BaseFile(source.display, source.path)


def _under(display: str, directory: str) -> str:
    return os.path.relpath(display, directory)


def from_git(
    revision: str,
    paths: list[str],
    exclude: list[tuple[str, Path]],
    cwd: Path,
    max_size: int = DEFAULT_MAX_FILE_SIZE,
) -> tuple[str, list[Pair]]:
    """The commit ``revision`` names, and pairs for ``diff --base REVISION PATHS``."""
    root = git.toplevel(cwd)
    commit = git.resolve(revision, root)
    # A path removed since the revision is still compared: it exists on the base side.
    present = [p for p in paths if os.path.lexists(p)]
    heads = {s.display: s for s in discover(present, exclude=exclude)}
    specs: list[tuple[str, str]] = []  # (as given, from the root)
    for given in paths:
        relative = os.path.relpath(absolute(Path(given)), root)
        if relative == ".." or relative.startswith(".." + os.sep):
            raise PathError(f"{given} is outside the repository at {root}")
        specs.append((given, PurePosixPath(Path(relative).as_posix()).as_posix()))
    pathspecs = [spec for _, spec in specs if spec != "."]
    if len(pathspecs) < len(specs):
        pathspecs = []  # the whole repository
    entries = git.files(commit, pathspecs, root)
    display_of: dict[str, str] = {}
    for entry in entries:
        display = _display(entry.path, specs, root, exclude)
        if display is not None:
            display_of[entry.path] = display
    for given, spec in specs:
        if given not in present and not any(
            path == spec or path.startswith(spec + "/") for path in display_of
        ):
            raise PathError(f"path does not exist here or in {revision}: {given}")
    state = git.status(commit, pathspecs, root)
    oid_of = {e.path: e.oid for e in entries if e.path in display_of}
    # A blob over the size limit is not read: its size alone is reported.
    too_large = {e.path: e.size for e in entries if e.size > max_size}
    renamed = {
        display_of_new: old
        for new, old in state.renamed.items()
        if old in oid_of and (display_of_new := _display(new, specs, root, exclude)) is not None
    }
    base_by_display = {display_of[path]: path for path in oid_of}
    used: set[str] = set()
    found: list[tuple[Source | None, str | None, bool, str | None]] = []
    for display, source in heads.items():
        old_path = renamed.get(display)
        if old_path is not None and display_of[old_path] not in heads:
            used.add(display_of[old_path])
            found.append((source, old_path, True, display_of[old_path]))
        elif display in base_by_display:
            used.add(display)
            path = base_by_display[display]
            found.append((source, path, path in state.modified, None))
        else:
            found.append((source, None, True, None))
    found += [(None, path, True, None) for d, path in base_by_display.items() if d not in used]
    # Only the files that differ are read from git: an unchanged file needs no comparing.
    wanted = [oid_of[p] for _, p, changed, _ in found if p and changed and p not in too_large]
    content = git.blobs(wanted, root)
    pairs = []
    for head, base_path, changed, renamed_from in found:
        base = None
        if base_path is not None:
            data = content.get(oid_of[base_path]) if changed else None
            base = BaseFile(display_of[base_path], None, data, too_large.get(base_path))
        pairs.append(Pair(head, base, changed, renamed_from))
    return commit, pairs


def _display(
    path: str, specs: list[tuple[str, str]], root: Path, exclude: list[tuple[str, Path]]
) -> str | None:
    """How the working tree's search would name the file at ``path`` (from the root), or None
    when that search would not find it (another suffix, a hidden directory, excluded)."""
    for given, spec in specs:
        if spec == ".":
            below = path
        elif path == spec:
            return given  # a file named on the command line is always checked
        elif path.startswith(spec + "/"):
            below = path[len(spec) + 1 :]
        else:
            continue
        name = below.rsplit("/", 1)[-1]
        hidden = any(part.startswith(".") for part in below.split("/"))
        if hidden or not name.endswith(POLICY_SUFFIXES):
            return None
        parts = below.split("/")
        inside = root / spec if spec != "." else root
        # As the search does: an excluded directory is not entered, an excluded file skipped.
        for depth in range(1, len(parts) + 1):
            if excluded(inside.joinpath(*parts[:depth]), exclude):
                return None
        return os.path.join(given, *parts)
    return None


def pair_renames(pairs: list[Pair], site_of: dict[str, str | None]) -> list[Pair]:
    """Pair an added and a removed file that describe the same site (one each) as a rename.

    ``site_of`` maps the display of each added and removed file to its site's host.
    """
    added = [p for p in pairs if p.base is None and p.head is not None]
    removed = [p for p in pairs if p.head is None and p.base is not None]
    if not added or not removed:
        return pairs

    def unique(group: list[Pair], side: str) -> dict[str, Pair]:
        by_site: dict[str, list[Pair]] = {}
        for pair in group:
            display = pair.head.display if side == "head" else pair.base.display  # type: ignore[union-attr]
            site = site_of.get(display)
            if site:
                by_site.setdefault(site, []).append(pair)
        return {site: found[0] for site, found in by_site.items() if len(found) == 1}

    new_by_site, old_by_site = unique(added, "head"), unique(removed, "base")
    joined: dict[int, Pair] = {}
    dropped: set[int] = set()
    for site, new in new_by_site.items():
        old = old_by_site.get(site)
        if old is not None and old.base is not None:
            joined[id(new)] = replace(
                new, base=old.base, changed=True, renamed_from=old.base.display
            )
            dropped.add(id(old))
    return [joined.get(id(p), p) for p in pairs if id(p) not in dropped]
