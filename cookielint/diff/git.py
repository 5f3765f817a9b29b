"""Reading a revision through git itself: its files, its renames, its blobs. Nothing is checked out.

Every git command is run without a shell, with the revision and file names
after ``--end-of-options`` or ``--`` so that none can become an option, with
literal pathspecs (a file name is never a glob), and without optional locks
(``git diff`` then never writes the index).
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path


class GitError(Exception):
    """git can't give what diff needs: the command can't do its job (exit 2)."""


# What a revision may look like: a name, a commit id, HEAD~1, main^2, @{u}, v1.0..; never an
# option, never white space or control characters.
_REVISION = re.compile(r"[^\s\x00-\x1f\x7f-]\S*")


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "GIT_OPTIONAL_LOCKS": "0",
            "GIT_TERMINAL_PROMPT": "0",
            "LC_ALL": "C",
            "GIT_LITERAL_PATHSPECS": "1",
        }
    )
    env.pop("GIT_DIR", None)
    env.pop("GIT_WORK_TREE", None)
    return env


def run(arguments: list[str], cwd: Path, stdin: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(
            ["git", *arguments],
            cwd=cwd,
            input=stdin,
            capture_output=True,
            env=_environment(),
            check=False,
        )
    except FileNotFoundError:
        raise GitError(
            "git is not installed (diff --base reads the revision through git)"
        ) from None
    except OSError as error:
        raise GitError(f"cannot run git: {error.strerror or error}") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", errors="replace").strip().splitlines()
        raise GitError(f"git {arguments[0]} failed: {message[-1] if message else done.returncode}")
    return done.stdout


def toplevel(cwd: Path) -> Path:
    try:
        out = run(["rev-parse", "--show-toplevel"], cwd)
    except GitError:
        raise GitError(f"{cwd} is not in a git repository (--base needs one)") from None
    return Path(os.fsdecode(out.rstrip(b"\n")))


def resolve(revision: str, root: Path) -> str:
    """The commit id ``revision`` names."""
    if not _REVISION.fullmatch(revision):
        raise GitError(f"not a revision: {revision!r}")
    try:
        out = run(
            ["rev-parse", "--verify", "--quiet", "--end-of-options", revision + "^{commit}"], root
        )
    except GitError:
        raise GitError(f"unknown revision: {revision}") from None
    return out.decode("ascii").strip()


@dataclass(frozen=True)
class Entry:
    path: str
    """From the repository's root, with forward slashes."""
    oid: str
    size: int


def files(commit: str, pathspecs: list[str], root: Path) -> list[Entry]:
    """Every regular file under ``pathspecs`` in ``commit`` (not symbolic links, not submodules)."""
    out = run(
        ["ls-tree", "-r", "-z", "-l", "--full-tree", "--end-of-options", commit, "--", *pathspecs],
        root,
    )
    entries = []
    for record in out.split(b"\0"):
        if not record:
            continue
        info, _, name = record.partition(b"\t")
        mode, kind, oid, size = info.split()
        if kind == b"blob" and mode in (b"100644", b"100755"):
            entries.append(Entry(os.fsdecode(name), oid.decode("ascii"), int(size)))
    return entries


@dataclass(frozen=True)
class Status:
    modified: frozenset[str]
    """Files whose working-tree content differs from the commit's."""
    renamed: dict[str, str]
    """New path → old path, as git's rename detection pairs them."""


def status(commit: str, pathspecs: list[str], root: Path) -> Status:
    """How the working tree differs from ``commit`` under ``pathspecs`` (tracked files)."""
    out = run(
        [
            "diff",
            "--name-status",
            "-z",
            "-M",
            "--no-ext-diff",
            "--no-textconv",
            "--end-of-options",
            commit,
            "--",
            *pathspecs,
        ],
        root,
    )
    fields = [os.fsdecode(f) for f in out.split(b"\0")]
    modified: set[str] = set()
    renamed: dict[str, str] = {}
    i = 0
    while i < len(fields) and fields[i]:
        code = fields[i]
        if code[0] in "RC":
            old, new = fields[i + 1], fields[i + 2]
            if code[0] == "R":
                renamed[new] = old
            modified.add(new)
            i += 3
        else:
            modified.add(fields[i + 1])
            i += 2
    return Status(frozenset(modified), renamed)


def blobs(oids: list[str], root: Path) -> dict[str, bytes]:
    """The content of each blob, read in one ``git cat-file --batch``."""
    if not oids:
        return {}
    unique = list(dict.fromkeys(oids))
    out = run(["cat-file", "--batch"], root, stdin="".join(f"{o}\n" for o in unique).encode())
    found: dict[str, bytes] = {}
    position = 0
    for oid in unique:
        end = out.index(b"\n", position)
        header = out[position:end].split(b" ")
        if len(header) != 3:
            raise GitError(f"cannot read object {oid}")
        size = int(header[2])
        start = end + 1
        found[oid] = out[start : start + size]
        position = start + size + 1
    return found
