"""The ignore file: changes a reviewer accepted, each with its reason.

    accepted:
      - change: consent-cookie-added     # a change class, by code or name
        cookie: _fbp                     # optional: only this cookie
        path: policies/shop.yaml         # optional: a glob, relative to this file
        reason: Reviewed with the DPO, ticket PRIV-42

An accepted change is left out of the verdict (and listed as accepted). An
entry that accepts nothing is reported itself (CD006): it would otherwise
hide the next, different change.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from cookielint.config import absolute, glob_matches
from cookielint.diff.changes import UNUSED_ACCEPTANCE, Change, Levels, get
from cookielint.document import ReadError, clean, decode, parse

_KEYS = ("change", "cookie", "path", "reason")


class AcceptedError(Exception):
    """An ignore file that can't be used: the command can't do its job (exit 2)."""


@dataclass(frozen=True)
class Acceptance:
    code: str
    reason: str
    line: int
    column: int
    cookie: str | None = None
    path: str | None = None


@dataclass(frozen=True)
class IgnoreFile:
    display: str
    directory: Path
    entries: list[Acceptance]


def load(path: Path) -> IgnoreFile:
    display = str(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise AcceptedError(
            f"{display}: cannot read the ignore file: {error.strerror or error}"
        ) from None
    text = decode(raw)
    if isinstance(text, ReadError):
        raise AcceptedError(f"{display}: {text.message}")
    document = clean(parse(text))
    if isinstance(document, ReadError):
        raise AcceptedError(
            f"{display}:{document.line or 1}:{document.column or 1}: {document.message}"
        )
    data = document.data

    def fail(pointer: str, message: str, key: bool = False) -> AcceptedError:
        line, column = document.locate(pointer, key)
        return AcceptedError(f"{display}:{line}:{column}: {message}")

    if data is None:
        return IgnoreFile(display, absolute(path).parent, [])
    if not isinstance(data, dict) or set(data) - {"accepted"}:
        raise fail("", "the ignore file is a mapping with one key, accepted: a list of changes")
    items = data.get("accepted") or []
    if not isinstance(items, list):
        raise fail("/accepted", "accepted must be a list of changes")
    # Every entry's position in one pass over the text (one pass each: quadratic).
    document.locate_all((f"/accepted/{index}", False) for index in range(len(items)))
    entries = []
    for index, item in enumerate(items):
        at = f"/accepted/{index}"
        if not isinstance(item, dict):
            raise fail(at, "each accepted change is a mapping: change, reason, and cookie or path")
        for key in item:
            if key not in _KEYS:
                raise fail(f"{at}/{key}", f"unknown key '{key}' (known: {', '.join(_KEYS)})", True)
        for key in _KEYS:
            if key in item and (not isinstance(item[key], str) or not item[key].strip()):
                raise fail(f"{at}/{key}", f"{key} must be a non-empty string")
        if "change" not in item:
            raise fail(at, "an accepted change names its change class: change: CODE or name")
        if "reason" not in item:
            raise fail(at, "an accepted change gives its reason: reason: why it is accepted")
        change_class = get(item["change"])
        if change_class is None:
            raise fail(f"{at}/change", f"unknown change class '{item['change']}'")
        line, column = document.locate(at)
        entries.append(
            Acceptance(
                change_class.code,
                item["reason"].strip(),
                line,
                column,
                item.get("cookie"),
                item.get("path"),
            )
        )
    return IgnoreFile(display, absolute(path).parent, entries)


def apply(
    changes: list[Change], ignore: IgnoreFile | None, levels: Levels
) -> tuple[list[Change], list[tuple[Change, Acceptance]]]:
    """The changes left, and those accepted (with the entry that accepts each).

    Entries that accept nothing come back among the changes left, as CD006.
    """
    if ignore is None:
        return changes, []
    used: set[int] = set()
    kept, accepted = [], []
    for change in changes:
        entry = next((e for e in ignore.entries if _matches(e, change, ignore.directory)), None)
        if entry is None:
            kept.append(change)
        else:
            used.add(id(entry))
            accepted.append((change, entry))
    level = levels.get(UNUSED_ACCEPTANCE.code)
    if level is not None:
        for entry in ignore.entries:
            if id(entry) in used:
                continue
            what = entry.code + (f" for cookie '{entry.cookie}'" if entry.cookie else "")
            where = f" in {entry.path}" if entry.path else ""
            kept.append(
                Change(
                    UNUSED_ACCEPTANCE.code,
                    UNUSED_ACCEPTANCE.name,
                    level,
                    f"the accepted change {what}{where} matches no change; remove the entry "
                    f"(its reason: {entry.reason})",
                    UNUSED_ACCEPTANCE.regulation,
                    ignore.display,
                    entry.line,
                    entry.column,
                    "ignore-file",
                    "",
                )
            )
    return kept, [(replace(c), e) for c, e in accepted]


def _matches(entry: Acceptance, change: Change, directory: Path) -> bool:
    if entry.code != change.code:
        return False
    if entry.cookie is not None and entry.cookie != change.cookie:
        return False
    return entry.path is None or glob_matches(
        entry.path, Path(os.path.normpath(change.path)), directory
    )
