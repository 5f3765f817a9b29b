"""The one function every byte of policy, file name or configuration text passes through on its way
to a terminal or a CI log."""

from __future__ import annotations

import functools
import re

# Unicode categories Cc, Cf, Zl, Zp and Cs except TAB (Unicode 14): C0, DEL and C1
# controls (ANSI escape sequences start with ESC or CSI), line separators, and
# invisible format characters such as bidirectional overrides, which can make
# a line read differently from what it says ("Trojan Source", CVE-2021-42574);
# and the noncharacters U+FFFE and U+FFFF, which no XML 1.0 document may hold.
_UNSAFE_CLASS = (
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2"
    "\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\ufffe\uffff"
    "\U000110bd\U000110cd\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f"
    # Lone surrogates: undecodable bytes in file names, which no encoder can write.
    "\ud800-\udfff]"
)

# Characters a culture-aware string search may skip as if absent (Unicode's
# Default_Ignorable_Code_Point), so that ":\u034f:" can match "::".
_IGNORABLE = (
    "\xad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0000-\U000e0fff"
)
# CI workflow commands: GitHub's runner executes a line starting with "::name::"
# and, in its legacy form, "##[name]" anywhere in a line. The second colon and
# the bracket are escaped wherever they appear, so no line can form either.
_COMMAND_MARKER_PATTERN = f"(?<=:)([{_IGNORABLE}]*):|(#[{_IGNORABLE}]*#[{_IGNORABLE}]*)\\["


@functools.cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Compiled on first use: a run that prints nothing unusual never pays for them."""
    return re.compile(_UNSAFE_CLASS), re.compile(_COMMAND_MARKER_PATTERN)


# Text that is printable ASCII without ':' or '#' needs nothing escaped.
_PLAIN = frozenset(chr(c) for c in range(0x20, 0x7F)) - {":", "#"}


def visible(text: str) -> str:
    """``text`` with every control or invisible format character shown as an escape (\\x1b, \\u202e),
    and CI workflow command markers broken (``::`` shown as ``:\\x3a``, ``##[`` as ``##\\x5b``)."""
    if _PLAIN.issuperset(text):
        return text
    unsafe, command_marker = _patterns()
    return unsafe.sub(_escape, command_marker.sub(_break_marker, text))


def _break_marker(match: re.Match[str]) -> str:
    if match.group(2) is not None:
        return match.group(2) + "\\x5b"
    return match.group(1) + "\\x3a"


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return (
        f"\\x{code:02x}"
        if code <= 0xFF
        else f"\\u{code:04x}"
        if code <= 0xFFFF
        else f"\\U{code:08x}"
    )
