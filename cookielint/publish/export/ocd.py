"""Rows for the Open Cookie Database (https://github.com/jkwakman/Open-Cookie-Database), in its
CSV header, so that a site can contribute what it knows about the cookies it uses.

The database is in English: descriptions and retention periods are written in
English (the policy's English texts where it has them). A name with a * at its
end is a prefix (``Wildcard match`` 1); a * anywhere else can't be expressed.
"""

from __future__ import annotations

import csv
import io
import uuid

from cookielint.knowledge import OPEN_COOKIE_DATABASE_HEADER
from cookielint.publish.export import (
    Exported,
    Inexpressible,
    host,
    purposes_text,
    untranslated,
    unused_fields,
)
from cookielint.publish.i18n import Vocabulary
from cookielint.publish.source import Source

# The database's categories; its "Functional" covers what the site needs to work.
CATEGORIES = {
    "necessary": "Functional",
    "preferences": "Personalization",
    "statistics": "Analytics",
    "marketing": "Marketing",
    "social": "Marketing",
}
# A cell a spreadsheet would run as a formula (CWE-1236).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_LEFT_OUT = (
    "party",
    "consent",
    "function",
    "location",
    "path",
    "storage",
    "secure",
    "http_only",
    "same_site",
)


def export(source: Source, form: str = "csv") -> Exported:
    policy = source.policy
    words = Vocabulary.for_tag("en")
    language = "en"
    stream = io.StringIO(newline="")
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(OPEN_COOKIE_DATABASE_HEADER)
    providers = {p.name: p for p in policy.providers or () if p.name}
    problems = []
    defused = 0
    for cookie in policy.cookies:
        name = cookie.name or ""
        wildcard = "0"
        if "*" in name:
            if name.index("*") != len(name) - 1:
                problems.append(
                    (
                        cookie.at("name"),
                        f"{cookie.label}: the Open Cookie Database matches a name exactly or "
                        "as a prefix; a * can only end it",
                    )
                )
                continue
            name, wildcard = name[:-1], "1"
        provider = providers.get(cookie.provider or "")
        domain = host(policy, cookie)
        if cookie.party == "third":
            domain = f"{domain} (3rd party)"
        row = [
            str(
                uuid.uuid5(
                    uuid.NAMESPACE_URL, f"{policy.site_url}#{cookie.storage}:{cookie.name}:{domain}"
                )
            ),
            cookie.provider or "",
            CATEGORIES.get(cookie.category or "", ""),
            name,
            domain,
            purposes_text(policy, cookie, language),
            words.duration(cookie.duration.text) if cookie.duration else "",
            cookie.provider or "",
            (provider.privacy_policy or "") if provider else "",
            wildcard,
        ]
        for index in (1, 5, 7):  # free text: defused when a spreadsheet would run it
            if row[index].startswith(_FORMULA_START):
                row[index] = "'" + row[index]
                defused += 1
        writer.writerow(row)
    if problems:
        raise Inexpressible(problems)
    text = stream.getvalue()
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == OPEN_COOKIE_DATABASE_HEADER and all(len(r) == len(rows[0]) for r in rows)
    notes = untranslated(policy, language)
    lost = unused_fields(policy.cookies, _LEFT_OUT)
    if lost:
        notes.append(f"the database has no column for {', '.join(lost)}; left out")
    if defused:
        notes.append(
            f"{defused} cell(s) start with a character spreadsheets run as a formula; "
            "prefixed with ' so that they read as text"
        )
    return Exported(text, notes)
