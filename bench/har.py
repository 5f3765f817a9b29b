"""A realistic HAR 1.2 file of a given size: a long browsing session on a shop with trackers.

Entries have the shape browsers export: request and response headers, query
strings, request cookies, timings, and response bodies (HTML, scripts, JSON);
about one response in eight sets cookies, some with Expires, some with Max-Age.
Deterministic for a given size (a seeded generator).
"""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

HOSTS = [
    ("www.shop.example", "first"),
    ("static.shop.example", "first"),
    ("api.shop.example", "first"),
    ("www.google-analytics.com", "third"),
    ("connect.facebook.net", "third"),
    ("cdn.consent.example", "third"),
]
COOKIES = [
    ("sessionid", "Path=/; HttpOnly; Secure; SameSite=Lax"),
    ("csrftoken", "Max-Age=31449600; Path=/; Secure; SameSite=Strict"),
    ("_ga", "Max-Age=34128000; Domain=.shop.example; Path=/"),
    ("_ga_ABC123", "Max-Age=34128000; Domain=.shop.example; Path=/"),
    ("_fbp", "Max-Age=7776000; Domain=.shop.example; Path=/; SameSite=Lax"),
    ("cookies_preferences", "Expires={expires}; Path=/"),
    ("lb", "Path=/"),
]
WORDS = [
    "lorem",
    "ipsum",
    "dolor",
    "sit",
    "amet",
    "consectetur",
    "adipiscing",
    "elit",
    "sed",
    "do",
    "eiusmod",
    "tempor",
    "incididunt",
    "ut",
    "labore",
    "et",
    "dolore",
    "magna",
    "aliqua",
    "function",
    "var",
    "return",
    "const",
    "let",
    "window",
    "document",
]


def _headers(rng: random.Random, names: list[str]) -> list[dict[str, str]]:
    return [{"name": n, "value": " ".join(rng.choices(WORDS, k=rng.randint(1, 6)))} for n in names]


REQUEST_HEADERS = [
    "Accept", "Accept-Encoding", "Accept-Language", "Cache-Control", "Connection",
    "Pragma", "Referer", "Sec-Fetch-Dest", "Sec-Fetch-Mode", "Sec-Fetch-Site", "User-Agent",
]  # fmt: skip
RESPONSE_HEADERS = [
    "Cache-Control", "Content-Encoding", "Content-Type", "ETag", "Last-Modified", "Server",
    "Strict-Transport-Security", "Vary", "X-Content-Type-Options", "X-Frame-Options",
]  # fmt: skip


def entry(rng: random.Random, number: int, when: datetime) -> dict[str, object]:
    host, _ = rng.choice(HOSTS)
    path = "/" + "/".join(rng.choices(WORDS, k=rng.randint(1, 4)))
    url = f"https://{host}{path}?v={number}"
    date = when.strftime("%a, %d %b %Y %H:%M:%S GMT")
    response_headers = _headers(rng, RESPONSE_HEADERS) + [{"name": "Date", "value": date}]
    set_cookies = []
    if number % 8 == 0:
        first_party = host.endswith("shop.example")
        choices = (
            COOKIES if first_party else [("tracker_id", "Max-Age=31536000; SameSite=None; Secure")]
        )
        for name, attributes in rng.sample(choices, min(len(choices), rng.randint(1, 3))):
            expires = (when + timedelta(days=182)).strftime("%a, %d %b %Y %H:%M:%S GMT")
            value = f"{name}={rng.getrandbits(64):x}; {attributes.format(expires=expires)}"
            set_cookies.append(value)
            response_headers.append({"name": "Set-Cookie", "value": value})
    body = " ".join(rng.choices(WORDS, k=rng.randint(40, 450)))
    # Browsers send a site's cookies to the site only; trackers get their own.
    sent = COOKIES[:3] if host.endswith("shop.example") else [("tracker_id", "")]
    request_cookies = [{"name": n, "value": f"{rng.getrandbits(48):x}"} for n, _ in sent]
    return {
        "pageref": "page_1",
        "startedDateTime": when.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "time": rng.uniform(5, 400),
        "request": {
            "method": "GET",
            "url": url,
            "httpVersion": "HTTP/2",
            "headers": _headers(rng, REQUEST_HEADERS)
            + [
                {
                    "name": "Cookie",
                    "value": "; ".join(f"{c['name']}={c['value']}" for c in request_cookies),
                }
            ],
            "queryString": [{"name": "v", "value": str(number)}],
            "cookies": request_cookies,
            "headersSize": -1,
            "bodySize": 0,
        },
        "response": {
            "status": 200,
            "statusText": "OK",
            "httpVersion": "HTTP/2",
            "headers": response_headers,
            "cookies": [],
            "content": {"size": len(body), "mimeType": "text/javascript", "text": body},
            "redirectURL": "",
            "headersSize": -1,
            "bodySize": len(body),
            "_transferSize": len(body) + 400,
        },
        "cache": {},
        "timings": {
            "blocked": rng.uniform(0, 5),
            "dns": -1,
            "ssl": -1,
            "connect": -1,
            "send": 0.1,
            "wait": rng.uniform(5, 300),
            "receive": rng.uniform(0, 50),
        },  # fmt: skip
        "serverIPAddress": "192.0.2.10",
        "connection": str(rng.randint(1000, 9999)),
    }


def generate(path: Path, megabytes: float, seed: int = 14) -> int:
    """Write a HAR of about ``megabytes`` MB to ``path``; the number of entries."""
    rng = random.Random(seed)
    target = int(megabytes * 1_000_000)
    when = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)
    count = 0
    with path.open("w", encoding="utf-8") as out:
        out.write(
            '{"log": {"version": "1.2", "creator": {"name": "WebInspector", "version": "537.36"},'
        )
        out.write(' "pages": [{"startedDateTime": "2026-03-01T09:00:00.000Z", "id": "page_1",')
        out.write(' "title": "https://www.shop.example/", "pageTimings": {}}], "entries": [\n')
        while out.tell() < target:
            if count:
                out.write(",\n")
            json.dump(entry(rng, count, when), out, indent=1)
            when += timedelta(milliseconds=rng.randint(5, 900))
            count += 1
        out.write("\n]}}\n")
    return count


POLICY = """\
version: 1
site: {name: Shop, url: "https://www.shop.example"}
cookies:
  - name: sessionid
    provider: Shop
    party: first
    category: necessary
    purposes: [To keep the visitor signed in]
    consent: exempt
    duration: session
    http_only: true
    secure: true
  - name: csrftoken
    provider: Shop
    party: first
    category: necessary
    purposes: [To protect forms against cross-site request forgery]
    consent: exempt
    duration: 1 year
  - name: _ga
    provider: Google Analytics
    party: first
    category: statistics
    purposes: [To tell visitors apart in audience statistics]
    consent: required
    duration: 13 months
"""
