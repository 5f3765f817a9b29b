"""HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/): cookies set by responses and sent
with requests, entry by entry.

A HAR of a long visit runs to hundreds of megabytes, mostly response bodies.
It is read as a stream (ijson, with its C backend where installed): one entry
at a time is in memory, never the file.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ijson.common import IncompleteJSONError, JSONError

from cookielint.captures import Capture, CaptureError, Observation
from cookielint.captures.set_cookie import parse_date, parse_set_cookie

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
    capture = Capture(display, "har")
    ijson = _ijson()
    seen: dict[tuple[str, str, str, bool, bool], Observation] = {}
    collecting = gc.isenabled()
    gc.disable()  # entries hold no cycles; see linter.check_text
    try:
        with path.open("rb") as stream:
            _check_version(ijson, stream, display)
            stream.seek(0)
            entries = ijson.items(stream, "log.entries.item", buf_size=BUFFER, use_float=True)
            for number, entry in enumerate(entries, 1):
                if not isinstance(entry, dict):
                    raise CaptureError(f"{display}: entry {number} is not an object")
                started = _started(entry)
                url = _url(entry)
                if (
                    marker is not None
                    and url is not None
                    and marker.search(url)
                    and (capture.consent_at is None or (started or 0) < capture.consent_at)
                ):
                    capture.consent_at = started if started is not None else float("-inf")
                for observation in _observations(entry, url, started):
                    # A reviewer needs where each cookie was first seen, in each phase.
                    after = capture.after_consent(observation)
                    key = (observation.name, observation.host, observation.path or "",
                           observation.lifetime_known, after)  # fmt: skip
                    if key not in seen:
                        seen[key] = observation
                        capture.observations.append(observation)
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
    finally:
        if collecting:
            gc.enable()
    if marker is not None and capture.consent_at is None:
        raise CaptureError(
            f"{display}: no request URL matches the consent marker '{marker.pattern}'"
        )
    return capture


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


def _url(entry: dict[str, Any]) -> str | None:
    request = entry.get("request")
    url = request.get("url") if isinstance(request, dict) else None
    return url if isinstance(url, str) else None


def _host(url: str | None) -> str:
    try:
        return (urlsplit(url).hostname or "") if url else ""
    except ValueError:
        return ""


def _observations(
    entry: dict[str, Any], url: str | None, started: float | None
) -> Iterator[Observation]:
    host = _host(url)
    time = entry.get("startedDateTime") if isinstance(entry.get("startedDateTime"), str) else None
    response = entry.get("response")
    headers = response.get("headers") if isinstance(response, dict) else None
    date = None
    set_cookies: list[str] = []
    for header in headers if isinstance(headers, list) else ():
        if not isinstance(header, dict):
            continue
        name, value = header.get("name"), header.get("value")
        if not isinstance(name, str) or not isinstance(value, str):
            continue
        lowered = name.lower()
        if lowered == "set-cookie":
            # Some browsers join repeated headers with newlines.
            set_cookies += value.split("\n")
        elif lowered == "date":
            date = parse_date(value)
    if date is None and started is not None:
        date = datetime.fromtimestamp(started, timezone.utc)
    names = set()
    for header in set_cookies:
        cookie = parse_set_cookie(header, date)
        if cookie is None or (cookie.lifetime is not None and cookie.lifetime <= 0):
            continue  # no name, or a deletion
        names.add(cookie.name)
        yield Observation(
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
        )
    # Cookies the HAR lists beside the headers: some exporters leave Set-Cookie out.
    for cookie in response.get("cookies", ()) if isinstance(response, dict) else ():
        name = cookie.get("name") if isinstance(cookie, dict) else None
        if isinstance(name, str) and name and name not in names:
            names.add(name)
            yield _listed(cookie, host, url, time, started, date)
    # Cookies sent with the request were set before it, by a response or by a script.
    request = entry.get("request")
    for cookie in request.get("cookies", ()) if isinstance(request, dict) else ():
        if isinstance(cookie, dict) and isinstance(cookie.get("name"), str) and cookie["name"]:
            yield Observation(
                cookie["name"], "cookie", host, lifetime_known=False, url=url, time=time,
                started=started,
            )  # fmt: skip


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
