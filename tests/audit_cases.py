"""Observations for audit rule cases, written as the Set-Cookie headers or storage keys a visit saw."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlsplit

from cookielint.captures import Observation
from cookielint.captures.set_cookie import parse_set_cookie
from cookielint.commands.audit import ACCEPT, BEFORE, REJECT, Seen

# The Date of every response in a case: Expires attributes count from it.
RESPONSE_DATE = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)
DEFAULT_URL = "https://shop.example.com/"


def seen(observed: list[dict[str, Any]]) -> list[Seen]:
    """``observed`` items: ``phase``, then ``set-cookie`` (a header), or ``local-storage`` /
    ``session-storage`` (a key), with ``url`` (the response or page) and ``capture``."""
    result = []
    for item in observed:
        phase = item["phase"]
        url = item.get("url", DEFAULT_URL)
        capture = item.get("capture", f"{phase}.har")
        host = urlsplit(url).hostname or ""
        if "set-cookie" in item:
            cookie = parse_set_cookie(item["set-cookie"], RESPONSE_DATE)
            assert cookie is not None
            observation = Observation(
                cookie.name, "cookie", cookie.domain or host, domain=cookie.domain,
                path=cookie.path, lifetime=cookie.lifetime, secure=cookie.secure,
                http_only=cookie.http_only, same_site=cookie.same_site, url=url,
            )  # fmt: skip
        else:
            storage = "local_storage" if "local-storage" in item else "session_storage"
            name = item.get("local-storage") or item["session-storage"]
            observation = Observation(name, storage, host, url=url)
        result.append(Seen(observation, capture, phase))
    return result


_PHASES = {"before consent": BEFORE, "after accepting": ACCEPT, "after refusing": REJECT}
_OBSERVED = re.compile(
    r"# Observed (?P<phase>[a-z ]+), from (?P<url>\S+):\n#   Set-Cookie: (?P<header>.*)"
)


def seen_in_example(example: str) -> list[Seen]:
    """What a rule's example says was observed, in its leading comments."""
    return seen(
        [
            {"phase": _PHASES[m["phase"]], "url": m["url"], "set-cookie": m["header"]}
            for m in _OBSERVED.finditer(example)
        ]
    )
