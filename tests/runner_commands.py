"""What GitHub's Actions runner would execute in a step's output: a model of its command parser.

Written from the runner's documentation ("Workflow commands for GitHub
Actions") and its behaviour (actions/runner, ``ActionCommand.TryParseV2`` and
``ActionCommand.TryParse``):

- Output is read line by line; CR, LF and CRLF all end a line.
- The ``::`` form: after leading white space, a line starting with ``::``,
  then a command name up to a space or the next ``::``, is a command.
- The legacy form: ``##[`` anywhere in a line, then a name up to a space or
  the next ``]``, is a command.
- Names are compared without regard to case; only registered names count,
  and the token a ``stop-commands`` names becomes one.
- The runner's searches are culture-aware: characters Unicode calls default
  ignorable may be skipped, so ``:\u034f:`` can be read as ``::``. This model
  removes them first, to err on the side of finding a command.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

REGISTERED = frozenset(
    {
        "add-mask",
        "add-matcher",
        "add-path",
        "debug",
        "echo",
        "endgroup",
        "error",
        "group",
        "notice",
        "remove-matcher",
        "save-state",
        "set-env",
        "set-output",
        "stop-commands",
        "warning",
    }
)

_LINES = re.compile(r"\r\n|\r|\n")
_IGNORABLE = re.compile(
    "[\xad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)


@dataclass(frozen=True)
class Command:
    name: str
    line: str


def commands(output: str) -> list[Command]:
    """Every command the runner would run in ``output``, in order."""
    found = []
    registered = set(REGISTERED)
    for raw in _LINES.split(output):
        line = _IGNORABLE.sub("", raw)
        name = _v2_name(line) or _legacy_name(line)
        if name is None or name.lower() not in registered:
            continue
        found.append(Command(name, raw))
        if name.lower() == "stop-commands":
            token = _data(line)
            if token:
                registered.add(token.lower())
    return found


def markers(output: str) -> list[str]:
    """Lines holding what could start a command under any name: stricter than ``commands``."""
    return [
        raw
        for raw in _LINES.split(output)
        if _IGNORABLE.sub("", raw).lstrip().startswith("::") or "##[" in _IGNORABLE.sub("", raw)
    ]


def _v2_name(line: str) -> str | None:
    line = line.lstrip()
    if not line.startswith("::"):
        return None
    end = line.find("::", 2)
    if end < 0:
        return None
    return line[2:end].split(" ", 1)[0]


def _legacy_name(line: str) -> str | None:
    start = line.find("##[")
    if start < 0:
        return None
    end = line.find("]", start)
    if end < 0:
        return None
    return line[start + 3 : end].split(" ", 1)[0]


def _data(line: str) -> str:
    stripped = line.lstrip()
    if stripped.startswith("::"):
        end = stripped.find("::", 2)
        return stripped[end + 2 :] if end >= 0 else ""
    end = line.find("]", line.find("##["))
    return line[end + 1 :]
