"""HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/): cookies set by responses and sent
with requests, entry by entry.

A HAR of a long visit runs to hundreds of megabytes, mostly response bodies.
It is never read whole: a fast path cuts the entries out one by one and
decodes only their fields about cookies (msgspec), and whatever it can't read
goes to a streaming parser (ijson, with its C backend where installed). Either
way one entry at a time is in memory, and both give the same observations.
"""

from __future__ import annotations

import functools
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from ijson.common import IncompleteJSONError, JSONError

from cookielint.captures import Capture, CaptureError, Observation
from cookielint.captures.set_cookie import parse_date, parse_set_cookie
from cookielint.collector import no_cycle_collection

BUFFER = 1 << 20


def looks_like_har(head: bytes) -> bool:
    return re.match(rb'\A(?:\xef\xbb\xbf)?\s*\{\s*"log"\s*:', head) is not None


def _ijson() -> Any:
    import ijson

    try:
        return ijson.get_backend("yajl2_c")
    except Exception:  # no C backend for this platform: the same results, slower
        return ijson


def read(path: Path, display: str, marker: re.Pattern[str] | None = None) -> Capture:
    reader = _Reader(Capture(display, "har"), marker)
    ijson = _ijson()
    try:
        with no_cycle_collection(), path.open("rb") as stream:  # entries hold no cycles
            _check_version(ijson, stream, display)
            stream.seek(0)
            if not _read_entries_fast(stream, reader):
                # Whatever the fast path could not read, the parser reads, and reports.
                reader = _Reader(Capture(display, "har"), marker)
                stream.seek(0)
                entries = ijson.items(stream, "log.entries.item", buf_size=BUFFER, use_float=True)
                for number, entry in enumerate(entries, 1):
                    if type(entry) is not dict:
                        raise CaptureError(f"{display}: entry {number} is not an object")
                    reader.entry(entry)
    except CaptureError:
        raise
    except IncompleteJSONError as error:
        raise CaptureError(f"{display}: not valid JSON (truncated?): {_short(error)}") from None
    except JSONError as error:
        raise CaptureError(f"{display}: not valid JSON: {_short(error)}") from None
    except OSError as error:
        raise CaptureError(
            f"{display}: cannot read the capture: {error.strerror or error}"
        ) from None
    capture = reader.capture
    if marker is not None and capture.consent_at is None:
        raise CaptureError(
            f"{display}: no request URL matches the consent marker '{marker.pattern}'"
        )
    return capture


class _Reader:
    """Observations entry by entry, each cookie kept where it was first seen in each phase.

    A long visit sends the same few cookies with every request: the check that an
    observation is new comes before building it, so that the cost per entry stays small.
    """

    def __init__(self, capture: Capture, marker: re.Pattern[str] | None) -> None:
        self.capture = capture
        self.marker = marker
        self.seen: set[tuple[str, str, str, bool, bool]] = set()

    def entry(self, entry: dict[str, Any]) -> None:
        request = entry.get("request")
        response = entry.get("response")
        if type(request) is not dict:
            request = {}
        if type(response) is not dict:
            response = {}
        url = request.get("url")
        if type(url) is not str:
            url = None
        started: float | None = None
        capture = self.capture
        if self.marker is not None:
            started = _started(entry)
            if url is not None and self.marker.search(url):
                when = started if started is not None else float("-inf")
                if capture.consent_at is None or when < capture.consent_at:
                    capture.consent_at = when
        host: str | None = None
        set_cookies: list[str] = []
        date_text = None
        headers = response.get("headers")
        for header in headers if type(headers) is list else ():
            name = header.get("name") if type(header) is dict else None
            if type(name) is not str or len(name) not in (4, 10):
                continue
            lowered = name.lower()
            value = header.get("value")
            if type(value) is not str:
                continue
            if lowered == "set-cookie":
                # Some browsers join repeated headers with newlines.
                set_cookies += value.split("\n")
            elif lowered == "date":
                date_text = value
        listed = response.get("cookies")
        listed = listed if type(listed) is list and listed else ()
        if set_cookies or listed:
            host = _host(url)
            if self.marker is None:
                started = _started(entry)
            date = parse_date(date_text) if date_text is not None else None
            if date is None and started is not None:
                date = datetime.fromtimestamp(started, timezone.utc)
            time = entry.get("startedDateTime")
            time = time if type(time) is str else None
            names = set()
            for line in set_cookies:
                cookie = parse_set_cookie(line, date)
                if cookie is None or (cookie.lifetime is not None and cookie.lifetime <= 0):
                    continue  # no name, or a deletion
                names.add(cookie.name)
                self.add(
                    Observation(
                        cookie.name,
                        "cookie",
                        cookie.domain or host,
                        domain=cookie.domain,
                        path=cookie.path,
                        lifetime=cookie.lifetime,
                        secure=cookie.secure,
                        http_only=cookie.http_only,
                        same_site=cookie.same_site,
                        url=url,
                        time=time,
                        started=started,
                    )  # fmt: skip
                )
            # Cookies the HAR lists beside the headers: some exporters leave Set-Cookie out.
            for cookie in listed:
                name = cookie.get("name") if type(cookie) is dict else None
                if type(name) is str and name and name not in names:
                    names.add(name)
                    self.add(_listed(cookie, host, url, time, started, date))
        # Cookies sent with the request were set before it, by a response or by a script.
        sent = request.get("cookies")
        for cookie in sent if type(sent) is list else ():
            name = cookie.get("name") if type(cookie) is dict else None
            if type(name) is not str or not name:
                continue
            if host is None:
                host = _host(url)
            after = capture.consent_at is not None and (started or 0.0) > capture.consent_at
            key = (name, host, "", False, after)
            if key in self.seen:
                continue
            time = entry.get("startedDateTime")
            self.seen.add(key)
            capture.observations.append(
                Observation(
                    name,
                    "cookie",
                    host,
                    lifetime_known=False,
                    url=url,
                    time=time if type(time) is str else None,
                    started=started,
                )  # fmt: skip
            )

    def add(self, observation: Observation) -> None:
        after = self.capture.after_consent(observation)
        key = (observation.name, observation.host, observation.path or "", True, after)
        if key not in self.seen:
            self.seen.add(key)
            self.capture.observations.append(observation)


# The fast path ---------------------------------------------------------------------------------
#
# Most of a HAR is response bodies, which say nothing about cookies. A streaming
# parser still builds every one of them; msgspec, told which fields to decode,
# skips the others without building them. It decodes whole values only, so the
# entries are cut out of the stream one by one: after each entry comes a comma
# and the next entry, whose first key is one HAR 1.2 defines for an entry. A cut
# there is only a guess (the same bytes can end an object inside an entry), but a
# decode of exactly one complete JSON value succeeds only when the guess is
# right, so a wrong guess costs a retry, never a wrong result. Anything unusual
# (an entry starting with another key, an entry larger than the buffer allows,
# broken JSON) sends the whole file to the streaming parser instead.

_ENTRY_KEYS = (
    rb"pageref|startedDateTime|time|request|response|cache|timings|serverIPAddress|"
    rb"connection|comment|_[A-Za-z0-9_]*"
)
_NEXT_ENTRY = re.compile(rb'\}\s*,\s*\{\s*"(?:' + _ENTRY_KEYS + rb')"\s*:')
_LAST_ENTRY = re.compile(rb"\}\s*\]")
_ENTRIES = re.compile(rb'"entries"\s*:\s*\[\s*')
FAST_CHUNK = 8 << 20
FAST_MAX_ENTRY = 32 << 20
FAST_MAX_RETRIED = 4
FAST_MAX_CANDIDATES = 8


@functools.cache
def _entry_types() -> tuple[Any, Any]:
    import msgspec

    from cookielint.captures.har_entry import DECODER

    return msgspec, DECODER


def _read_entries_fast(stream: Any, reader: _Reader) -> bool:
    """Read every entry into ``reader``; False where the fast path can't (nothing is lost:
    the caller then reads the file again with the streaming parser)."""
    msgspec, decoder = _entry_types()
    buffer = stream.read(FAST_CHUNK)
    start = _first_entry(buffer)
    if start is None:
        return False
    head = buffer[:start]
    at_end = len(buffer) < FAST_CHUNK
    position = start
    # Wrong guesses decode part of an entry again; past a few times the file's size in
    # such retries, the streaming parser is the faster way (and hostile input stays linear).
    read, wasted = len(buffer), 0
    if buffer[start : start + 1] == b"]":  # no entries
        return _rest_is_valid(head, buffer[start + 1 :], stream)
    while True:
        match = _NEXT_ENTRY.search(buffer, position)
        last = False
        if match is None and at_end:
            match, last = _LAST_ENTRY.search(buffer, position), True
        if match is None:
            if at_end or len(buffer) - start > FAST_MAX_ENTRY:
                return False
            more = stream.read(FAST_CHUNK)
            at_end = len(more) < FAST_CHUNK
            read += len(more)
            buffer, position, start = buffer[start:] + more, position - start, 0
            continue
        end = match.start() + 1
        entry = _decode(msgspec, decoder, memoryview(buffer)[start:end])
        if entry is None:  # not where this entry ends
            wasted += end - start
            if wasted > FAST_MAX_RETRIED * read:
                return False
            position = end
            continue
        if entry is False:
            return False
        reader.entry(entry)
        if last:
            return _rest_is_valid(head, buffer[match.end() :], stream)
        start = position = buffer.index(b"{", end)


def _first_entry(buffer: bytes) -> int | None:
    """Where the first entry of log.entries starts, if the buffer shows it for certain."""
    import io

    import ijson

    for number, match in enumerate(_ENTRIES.finditer(buffer)):
        if number == FAST_MAX_CANDIDATES:
            break
        # Only the parser can tell that this "entries" is the log's: read what precedes it.
        last = None
        try:
            for event in ijson.parse(io.BytesIO(buffer[: match.end()])):
                last = event
        except ijson.common.IncompleteJSONError:
            pass
        except ijson.common.JSONError:
            return None
        if last == ("log.entries", "start_array", None):
            following = buffer[match.end() : match.end() + 1]
            return match.end() if following in (b"{", b"]") else None
    return None


def _decode(msgspec: Any, decoder: Any, data: memoryview) -> dict[str, Any] | None | Literal[False]:
    """The entry in ``data``; None if ``data`` is not one complete JSON value; False if it
    is one the fast path won't read."""
    try:
        entry = decoder.decode(data)
    except msgspec.ValidationError:
        try:  # a field of another type than HAR says: the reader sees it as it is
            value = msgspec.json.decode(data)
        except msgspec.DecodeError:
            return None
        return value if type(value) is dict else False
    except msgspec.DecodeError:
        return None
    result: dict[str, Any] = {"startedDateTime": entry.startedDateTime}
    if entry.request is not None:
        result["request"] = {"url": entry.request.url, "cookies": entry.request.cookies}
    if entry.response is not None:
        result["response"] = {"headers": entry.response.headers, "cookies": entry.response.cookies}
    return result


def _rest_is_valid(head: bytes, tail: bytes, stream: Any) -> bool:
    """Whether what surrounds the entries is valid JSON (the streaming parser reports it if not)."""
    import json

    rest = tail + stream.read(FAST_MAX_ENTRY)
    if stream.read(1):
        return False
    try:
        json.loads(head + b"]" + rest)
    except ValueError:
        return False
    return True


def _check_version(ijson: Any, stream: Any, display: str) -> None:
    """Refuse what is not HAR 1.2 before reading it all, where the version comes first."""
    for prefix, event, value in ijson.parse(stream, buf_size=4096):
        if prefix == "log.version" and event == "string":
            if value.strip() not in ("1.2", ""):
                raise CaptureError(
                    f"{display}: HAR version {value!r}; cookielint reads HAR 1.2 "
                    "(export the HAR again from a current browser)"
                )
            return
        if prefix == "log.entries" or prefix.startswith("log.entries."):
            return
        if prefix == "" and event == "end_map":
            break
    raise CaptureError(f"{display}: a HAR without log.entries")


def _short(error: Exception) -> str:
    return str(error).splitlines()[0][:200] if str(error) else type(error).__name__


def _started(entry: dict[str, Any]) -> float | None:
    text = entry.get("startedDateTime")
    if not isinstance(text, str):
        return None
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.timestamp()


def _host(url: str | None) -> str:
    if not url:
        return ""
    # Only what comes before the path names the host: one parse per origin, not per URL.
    start = url.find("//")
    end = url.find("/", start + 2) if start >= 0 else -1
    return _origin_host(url if end < 0 else url[:end])


@functools.lru_cache(maxsize=1024)
def _origin_host(origin: str) -> str:
    try:
        return urlsplit(origin).hostname or ""
    except ValueError:
        return ""


def _listed(
    cookie: dict[str, Any],
    host: str,
    url: str | None,
    time: str | None,
    started: float | None,
    date: datetime | None,
) -> Observation:
    domain = cookie.get("domain")
    domain = domain.lstrip(".").lower() or None if isinstance(domain, str) else None
    expires = parse_iso(cookie.get("expires"))
    lifetime = None
    if expires is not None and date is not None:
        lifetime = (expires - date).total_seconds()
    same_site = cookie.get("sameSite")
    return Observation(
        cookie["name"],
        "cookie",
        domain or host,
        domain=domain,
        path=cookie.get("path") if isinstance(cookie.get("path"), str) else None,
        lifetime=lifetime,
        secure=cookie.get("secure") if isinstance(cookie.get("secure"), bool) else None,
        http_only=cookie.get("httpOnly") if isinstance(cookie.get("httpOnly"), bool) else None,
        same_site=same_site.lower() if isinstance(same_site, str) else None,
        url=url,
        time=time,
        started=started,
    )


def parse_iso(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=timezone.utc)
