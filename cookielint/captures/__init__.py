"""Captures of what a browser stored: every format read into one list of ``Observation``s.

Formats are told apart by their content, never by their file name: HAR 1.2,
Playwright's ``storageState``, a Chrome DevTools Protocol cookie dump,
Netscape ``cookies.txt``, and what ``cookielint scan`` writes. A file that is
none of them, or is broken, raises ``CaptureError`` with a message that names
it; the command reports it and exits 2.
"""

from __future__ import annotations

import functools
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

STORAGES = ("cookie", "local_storage", "session_storage")

# A capture that is not a HAR is read whole; none written by a browser comes near this.
MAX_SMALL_CAPTURE = 64 * 1024 * 1024


class CaptureError(Exception):
    """A capture that can't be read: the command can't do its job (exit 2)."""


@dataclass(frozen=True)
class Observation:
    """One cookie or storage key as a browser held or received it."""

    name: str
    storage: str
    host: str
    """Where it was seen: the cookie's domain without its leading dot, or the origin's host."""
    domain: str | None = None
    """The Domain attribute as set (no leading dot, lower case); None for a host-only cookie
    or where the capture doesn't say."""
    path: str | None = None
    lifetime: float | None = None
    """Seconds from when it was set to when it expires; None for a session cookie."""
    lifetime_known: bool = True
    """False where the capture doesn't say (a cookie only seen sent with a request)."""
    secure: bool | None = None
    http_only: bool | None = None
    same_site: str | None = None
    """strict, lax or none, where stated."""
    url: str | None = None
    """The URL whose response set it (or the page it was first seen on)."""
    time: str | None = None
    """When, as ISO 8601, where known."""
    started: float | None = None
    """For a HAR entry: when its request started (seconds since the epoch), to split by consent."""

    @property
    def persistent(self) -> bool | None:
        return None if not self.lifetime_known else self.lifetime is not None


@dataclass
class Capture:
    display: str
    kind: str
    """har, storage-state, cdp, netscape or scan."""
    observations: list[Observation] = field(default_factory=list)
    consent_at: float | None = None
    """With a consent marker: when the first request matching it started."""
    phase: str | None = None
    """The consent phase the capture says it was taken in (scan output does)."""
    url: str | None = None
    """The page the capture says it visited (scan output does)."""

    def after_consent(self, observation: Observation) -> bool:
        """Whether a consent marker puts ``observation`` after the visitor accepted.

        The response to the marker's request comes after the choice; a cookie sent
        with that request was set before it.
        """
        if self.consent_at is None:
            return False
        started = observation.started if observation.started is not None else float("-inf")
        if observation.lifetime_known:
            return started >= self.consent_at
        return started > self.consent_at


def read_capture(path: Path, display: str, marker: re.Pattern[str] | None = None) -> Capture:
    """The observations in the capture at ``path``, whatever its format."""
    from cookielint.captures import har, netscape, storage_state

    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            # Reading a FIFO or a device could block forever or never end.
            raise CaptureError(f"{display}: not a regular file (a FIFO, socket or device)")
        with path.open("rb") as stream:
            head = stream.read(4096)
    except OSError as error:
        raise CaptureError(
            f"{display}: cannot read the capture: {error.strerror or error}"
        ) from None
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if start in (b"{", b"["):
        if start == b"{" and har.looks_like_har(head):
            return har.read(path, display, marker)
        return storage_state.read(path, display)
    if netscape.looks_like_netscape(head):
        return netscape.read(path, display)
    raise CaptureError(
        f"{display}: not a capture cookielint reads (HAR 1.2, Playwright storageState, "
        "a DevTools cookie dump, Netscape cookies.txt, or cookielint scan output)"
    )


@functools.lru_cache(maxsize=4096)
def registrable_domain(host: str) -> str:
    """The site a host belongs to (example.co.uk for www.example.co.uk), by the Public Suffix List."""
    host = host.strip(".").lower()
    if not host or _is_address(host) or "." not in host:
        return host
    if "xn--" in host:  # the list writes internationalized suffixes in Unicode
        try:
            host = host.encode("ascii").decode("idna")
        except (UnicodeError, ValueError):
            return host
    return _psl().privatesuffix(host) or host


@functools.cache
def _psl() -> Any:
    from publicsuffixlist import PublicSuffixList

    # The list bundled with the library, never the network; read as written, without
    # also encoding each of its ten thousand rules to Punycode (hosts are decoded instead).
    return PublicSuffixList(accept_encoded_idn=False)


def _is_address(host: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True
