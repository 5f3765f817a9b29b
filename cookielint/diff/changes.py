"""The change classes of ``cookielint diff``, and comparing two versions of one policy.

Each class has a stable code and name, a default level and the regulation
that sets it: an ``error`` breaks visitors' consent, a ``warning`` needs new
consent or a reviewer's look, an ``info`` is worth knowing. Declarations are
matched by name and storage; a name declared twice is matched in order.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import Enum

from cookielint.diff.load import Loaded
from cookielint.document import Document
from cookielint.knowledge import TRACKING
from cookielint.policy import Cookie, Policy


class Level(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    def __str__(self) -> str:
        return self.value

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


ERROR, WARNING, INFO = Level.ERROR, Level.WARNING, Level.INFO


@dataclass(frozen=True)
class ChangeClass:
    code: str
    name: str
    level: Level
    summary: str
    regulation: str


# fmt: off
# Regulations, cited once each.
EPRIVACY = "ePrivacy Directive art. 5(3): only storage strictly necessary for the service the visitor asked for may be set without consent"
WP29_TRACKING = "WP29 Opinion 04/2012 on the cookie consent exemption: tracking, advertising and social-network storage is never strictly necessary"
CNIL_ANONYMIZED = "CNIL deliberation 2020-091: audience measurement is exempt from consent only when anonymized"
CNIL_REFRESH = "CNIL deliberation 2020-091: a lifetime must not be extended on new visits; GDPR art. 5(1)(e): storage limitation"
CONSENT_SPECIFIC = "GDPR art. 4(11) and 7: consent is specific and informed, so consent given to the earlier policy does not cover this"
PURPOSE = "GDPR art. 5(1)(b) and 6(1)(a): consent is given for specified purposes"
RECIPIENTS = "GDPR art. 13(1)(e): visitors are told who receives their data"
THIRD_PARTY = "GDPR art. 13(1)(e); WP29 Opinion 04/2012: third-party storage lets another site follow the visitor"
LIFETIME = "GDPR art. 13(2)(a) and 5(1)(e): visitors are told how long storage lasts; storage limitation"
INFORMED = "GDPR art. 13: the policy tells visitors what is stored and why"
ATTRIBUTES = "RFC 6265bis (Secure, HttpOnly, SameSite); GDPR art. 32: security of processing"

CLASSES: dict[str, ChangeClass] = {}
_BY_NAME: dict[str, ChangeClass] = {}


def _define(code: str, name: str, level: Level, summary: str, regulation: str) -> ChangeClass:
    change_class = ChangeClass(code, name, level, summary, regulation)
    CLASSES[code] = _BY_NAME[name] = change_class
    return change_class


UPDATED_UNCHANGED = _define("CD001", "updated-unchanged", ERROR, "A consent-relevant change leaves the policy's `updated` date as it was", CONSENT_SPECIFIC)
POLICY_ADDED = _define("CD002", "policy-added", INFO, "A policy file was added", INFORMED)
POLICY_REMOVED = _define("CD003", "policy-removed", INFO, "A policy file was removed", INFORMED)
POLICY_RENAMED = _define("CD004", "policy-renamed", INFO, "A policy file was renamed or moved", INFORMED)
POLICY_UNREADABLE = _define("CD005", "policy-unreadable", ERROR, "A version of a policy can't be read, so its changes can't be judged", INFORMED)
UNUSED_ACCEPTANCE = _define("CD006", "unused-acceptance", WARNING, "An entry of the ignore file accepts no change", "an accepted change that no longer happens hides the next one")
CONSENT_EXEMPTED = _define("CD101", "consent-exempted", ERROR, "A cookie that required consent is now exempt", EPRIVACY)
CONSENT_REQUIRED = _define("CD102", "consent-now-required", INFO, "A cookie that was exempt now requires consent", EPRIVACY)
ANONYMIZATION_DROPPED = _define("CD103", "anonymization-dropped", ERROR, "An exempt cookie's statistics are no longer anonymized", CNIL_ANONYMIZED)
REFRESH_ENABLED = _define("CD104", "refresh-enabled", WARNING, "A cookie's lifetime is now extended on every visit", CNIL_REFRESH)
TRACKING_RECATEGORIZED = _define("CD201", "tracking-recategorized", ERROR, "Tracking storage (statistics, marketing, social) is now declared necessary or preferences", WP29_TRACKING)
CATEGORY_CHANGED = _define("CD202", "category-changed", WARNING, "A cookie's category changed", INFORMED)
PROVIDER_ADDED = _define("CD203", "provider-added", WARNING, "A provider the base policy did not have", RECIPIENTS)
THIRD_PARTY_ADDED = _define("CD204", "third-party-added", WARNING, "A provider now sets third-party storage", THIRD_PARTY)
EXEMPT_TRACKER_ADDED = _define("CD301", "exempt-tracker-added", ERROR, "A new cookie is exempt from consent, but the knowledge base knows it as a tracker", WP29_TRACKING)
CONSENT_COOKIE_ADDED = _define("CD302", "consent-cookie-added", WARNING, "A new cookie requires consent", CONSENT_SPECIFIC)
EXEMPT_COOKIE_ADDED = _define("CD303", "exempt-cookie-added", INFO, "A new cookie is exempt from consent", EPRIVACY)
COOKIE_REMOVED = _define("CD304", "cookie-removed", INFO, "A cookie was removed", INFORMED)
LIFETIME_EXTENDED = _define("CD401", "lifetime-extended", WARNING, "A cookie lives longer", LIFETIME)
LIFETIME_SHORTENED = _define("CD402", "lifetime-shortened", INFO, "A cookie lives shorter", LIFETIME)
PURPOSE_ADDED = _define("CD501", "purpose-added", WARNING, "A purpose was added to a cookie that requires consent", PURPOSE)
PURPOSES_REWORDED = _define("CD502", "purposes-reworded", INFO, "A cookie's purposes were reworded, removed, or added while exempt", INFORMED)
ATTRIBUTES_LOOSENED = _define("CD601", "attributes-loosened", WARNING, "A cookie attribute (secure, http_only, same_site) was loosened", ATTRIBUTES)
ATTRIBUTES_TIGHTENED = _define("CD602", "attributes-tightened", INFO, "A cookie attribute (secure, http_only, same_site) was tightened", ATTRIBUTES)
# fmt: on


def get(selector: str) -> ChangeClass | None:
    """A change class by code (any case) or name."""
    return CLASSES.get(selector.upper()) or _BY_NAME.get(selector.lower())


Levels = Mapping[str, "Level | None"]
"""The level of each change class by code; None: not reported."""

DEFAULT_LEVELS: dict[str, Level | None] = {code: c.level for code, c in CLASSES.items()}


@dataclass(frozen=True)
class Change:
    code: str
    name: str
    level: Level
    message: str
    """Names the cookie and both values; ``regulation`` says why it has its level."""
    regulation: str
    path: str
    line: int
    column: int
    side: str
    """"head": the position is in the head file; "base": in the base file (a removal)."""
    pointer: str
    cookie: str | None = None
    base: str | None = None
    head: str | None = None

    @property
    def text(self) -> str:
        return f"{self.message} ({self.regulation})"

    @property
    def sort_key(self) -> tuple[int, str, int, int, str, str]:
        return (self.level.rank, self.path, self.line, self.column, self.code, self.message)

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "name": self.name,
            "level": self.level.value,
            "message": self.message,
            "regulation": self.regulation,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "side": self.side,
            "pointer": self.pointer,
            "cookie": self.cookie,
            "base": self.base,
            "head": self.head,
        }


@dataclass(frozen=True)
class _Pending:
    change_class: ChangeClass
    message: str
    side: str
    pointer: str
    cookie: str | None = None
    base: str | None = None
    head: str | None = None


def compare(
    base: Loaded | None,
    head: Loaded | None,
    levels: Levels = DEFAULT_LEVELS,
    renamed_from: str | None = None,
) -> list[Change]:
    """The changes from ``base`` to ``head`` (either None: the file was added or removed)."""
    pending: list[_Pending] = []
    if base is None and head is not None:
        pending.append(_Pending(POLICY_ADDED, f"policy added: {_site(head)}", "head", ""))
    elif head is None and base is not None:
        pending.append(_Pending(POLICY_REMOVED, f"policy removed: {_site(base)}", "base", ""))
        return _placed(pending, base, head, levels)
    if renamed_from is not None and head is not None:
        pending.append(
            _Pending(
                POLICY_RENAMED,
                f"policy renamed from {renamed_from} to {head.display}",
                "head",
                "",
                base=renamed_from,
                head=head.display,
            )
        )
    for side, loaded in (("base", base), ("head", head)):
        if loaded is not None and loaded.policy is None:
            pending.append(
                _Pending(
                    POLICY_UNREADABLE,
                    f"the {side} version can't be compared: {loaded.problem or 'not a policy'}",
                    side,
                    "",
                )
            )
    if any(p.change_class is POLICY_UNREADABLE for p in pending) or head is None:
        return _placed(pending, base, head, levels)
    assert head.policy is not None
    base_policy = base.policy if base is not None else None
    pending += _policy_changes(base_policy, head.policy)
    if base_policy is not None:
        relevant = [
            p
            for p in pending
            if levels.get(p.change_class.code) in (ERROR, WARNING)
            and p.change_class not in (POLICY_RENAMED, POLICY_UNREADABLE)
        ]
        if relevant and base_policy.updated == head.policy.updated:
            pending.append(_gate(relevant, head.policy))
    return _placed(pending, base, head, levels)


def renamed(head: str, renamed_from: str, levels: Levels = DEFAULT_LEVELS) -> list[Change]:
    """The one change of a file renamed with its content unchanged."""
    pending = [
        _Pending(
            POLICY_RENAMED,
            f"policy renamed from {renamed_from} to {head}",
            "head",
            "",
            base=renamed_from,
            head=head,
        )
    ]
    return _placed(pending, None, Loaded(head, None, None), levels)


def _site(loaded: Loaded) -> str:
    host = loaded.policy.site_host if loaded.policy is not None else None
    return f"{loaded.display} ({host})" if host else loaded.display


def _gate(relevant: list[_Pending], head: Policy) -> _Pending:
    codes = sorted({p.change_class.code for p in relevant})
    count = f"{len(relevant)} consent-relevant change{'s' if len(relevant) > 1 else ''}"
    first = relevant[0].message
    if head.updated is None:
        message = (
            f"{count} ({', '.join(codes)}; first: {first}) but the policy has no `updated` "
            "date: add one (updated: YYYY-MM-DD) so that visitors are asked again"
        )
        return _Pending(UPDATED_UNCHANGED, message, "head", "", base=None, head=None)
    message = (
        f"{count} ({', '.join(codes)}; first: {first}) but `updated` stays {head.updated}: "
        "set it to the date of this change so that visitors are asked again"
    )
    return _Pending(
        UPDATED_UNCHANGED, message, "head", "/updated", base=head.updated, head=head.updated
    )


def _policy_changes(base: Policy | None, head: Policy) -> Iterator[_Pending]:
    base_cookies = base.cookies if base is not None else []
    matched, added, removed = _match(base_cookies, head.cookies)
    for old, new in matched:
        yield from _cookie_changes(old, new)
    for new in added:
        yield from _added(new)
    for old in removed:
        yield _Pending(
            COOKIE_REMOVED,
            f"{_subject(old)} removed (it was {old.category or 'uncategorized'}, "
            f"consent {old.consent or 'unstated'})",
            "base",
            old.at("name"),
            old.name,
            _summary(old),
            None,
        )
    if base is not None:
        yield from _provider_changes(base, head)


def _match(
    base: list[Cookie], head: list[Cookie]
) -> tuple[list[tuple[Cookie, Cookie]], list[Cookie], list[Cookie]]:
    waiting: dict[tuple[str, str | None], list[Cookie]] = {}
    for cookie in base:
        if cookie.name is not None:
            waiting.setdefault((cookie.name, cookie.storage), []).append(cookie)
    matched, added = [], []
    for cookie in head:
        if cookie.name is None:
            continue
        candidates = waiting.get((cookie.name, cookie.storage))
        if candidates:
            matched.append((candidates.pop(0), cookie))
        else:
            added.append(cookie)
    removed = sorted((c for group in waiting.values() for c in group), key=lambda c: c.index)
    return matched, added, removed


def _subject(cookie: Cookie) -> str:
    kind = "cookie" if cookie.storage in (None, "cookie") else f"{cookie.storage} key"
    return f"{kind} '{cookie.name}'"


def _summary(cookie: Cookie) -> str:
    return f"{cookie.category or '?'}, consent {cookie.consent or '?'}"


def _cookie_changes(old: Cookie, new: Cookie) -> Iterator[_Pending]:
    s = _subject(new)
    name = new.name
    if old.consent == "required" and new.consent == "exempt":
        yield _Pending(
            CONSENT_EXEMPTED,
            f"{s}: consent changed from required to exempt: it would be set without asking",
            "head",
            new.at("consent"),
            name,
            "required",
            "exempt",
        )
    elif old.consent == "exempt" and new.consent == "required":
        yield _Pending(
            CONSENT_REQUIRED,
            f"{s}: consent changed from exempt to required",
            "head",
            new.at("consent"),
            name,
            "exempt",
            "required",
        )
    if old.anonymized is True and new.anonymized is not True and new.consent == "exempt":
        now = "false" if new.anonymized is False else "not stated"
        where = new.at("anonymized") if "anonymized" in new.declared else new.at("consent")
        yield _Pending(
            ANONYMIZATION_DROPPED,
            f"{s}: anonymized changed from true to {now} while the cookie is exempt from consent",
            "head",
            where,
            name,
            "true",
            now,
        )
    if old.refresh is not True and new.refresh is True:
        before = "false" if old.refresh is False else "not stated"
        yield _Pending(
            REFRESH_ENABLED,
            f"{s}: refresh changed from {before} to true: its lifetime is extended on every visit",
            "head",
            new.at("refresh"),
            name,
            before,
            "true",
        )
    if old.category is not None and new.category is not None and old.category != new.category:
        tracking = old.category in TRACKING and new.category in ("necessary", "preferences")
        yield _Pending(
            TRACKING_RECATEGORIZED if tracking else CATEGORY_CHANGED,
            f"{s}: category changed from {old.category} to {new.category}",
            "head",
            new.at("category"),
            name,
            old.category,
            new.category,
        )
    if old.duration is not None and new.duration is not None:
        days_before = _days(old.duration.days)
        days_after = _days(new.duration.days)
        if days_after != days_before:
            longer = days_after > days_before
            yield _Pending(
                LIFETIME_EXTENDED if longer else LIFETIME_SHORTENED,
                f"{s}: lifetime made {'longer' if longer else 'shorter'}, "
                f"from {old.duration.text} to {new.duration.text}",
                "head",
                new.at("duration"),
                name,
                old.duration.text,
                new.duration.text,
            )
    yield from _purpose_changes(old, new)
    yield from _attribute_changes(old, new)


def _days(days: float | None) -> float:
    return -1.0 if days is None else days  # a session cookie lives shortest


def _purpose_changes(old: Cookie, new: Cookie) -> Iterator[_Pending]:
    before, after = old.purposes or [], new.purposes or []
    if before == after or new.purposes is None:
        return
    s = _subject(new)
    reworded = False
    for tag, i1, i2, j1, j2 in _opcodes(before, after):
        if tag == "equal":
            continue
        # A replaced purpose is reworded; replacements beyond the old count are additions.
        added_from = j1 + (i2 - i1) if tag == "replace" else j1
        if tag == "replace" or tag == "delete":
            reworded = True
        for j in range(added_from, j2):
            if new.consent == "required":
                yield _Pending(
                    PURPOSE_ADDED,
                    f"{s}: purpose added to a cookie that requires consent: '{after[j]}'",
                    "head",
                    new.at("purposes", j),
                    new.name,
                    None,
                    after[j],
                )
            else:
                reworded = True
    if reworded:
        yield _Pending(
            PURPOSES_REWORDED,
            f"{s}: purposes changed from {_quoted(before)} to {_quoted(after)}",
            "head",
            new.at("purposes"),
            new.name,
            "; ".join(before),
            "; ".join(after),
        )


# Pairing purposes costs the product of the list lengths; past this, each is found or not.
_MAX_PAIRED = 10_000


def _opcodes(before: list[str], after: list[str]) -> list[tuple[str, int, int, int, int]]:
    if len(before) * len(after) <= _MAX_PAIRED:
        matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
        return list(matcher.get_opcodes())
    known, kept = set(before), set(after)
    codes = [("delete", i, i + 1, 0, 0) for i, p in enumerate(before) if p not in kept]
    codes += [("insert", 0, 0, j, j + 1) for j, p in enumerate(after) if p not in known]
    return codes


def _quoted(items: list[str]) -> str:
    return "[" + ", ".join(f"'{item}'" for item in items) + "]"


_SAME_SITE_RANK = {"none": 0, "lax": 1, "strict": 2}


def _attribute_changes(old: Cookie, new: Cookie) -> Iterator[_Pending]:
    s = _subject(new)
    for attribute in ("secure", "http_only", "same_site"):
        before, after = getattr(old, attribute), getattr(new, attribute)
        if attribute == "same_site":
            if before is None or after is None or before == after:
                continue  # unstated: browsers differ in the default, nothing to compare
            tighter = _SAME_SITE_RANK.get(after, 0) > _SAME_SITE_RANK.get(before, 0)
        else:
            if bool(before) == bool(after):
                continue  # unstated is not set
            tighter = bool(after)
        shown_before, shown_after = _show(before), _show(after)
        where = new.at(attribute) if attribute in new.declared else new.at("name")
        yield _Pending(
            ATTRIBUTES_TIGHTENED if tighter else ATTRIBUTES_LOOSENED,
            f"{s}: {attribute} {'tightened' if tighter else 'loosened'} "
            f"from {shown_before} to {shown_after}",
            "head",
            where,
            new.name,
            shown_before,
            shown_after,
        )


def _show(value: object) -> str:
    if value is None:
        return "not stated"
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def _added(new: Cookie) -> Iterator[_Pending]:
    s = _subject(new)
    tracker = next((k for k in new.known if k.category in TRACKING), None)
    if new.consent == "exempt" and tracker is not None:
        yield _Pending(
            EXEMPT_TRACKER_ADDED,
            f"new {s} is exempt from consent, but the knowledge base knows it as "
            f"{tracker.category} storage set by {tracker.provider}",
            "head",
            new.at("consent"),
            new.name,
            None,
            _summary(new),
        )
    elif new.consent == "required":
        yield _Pending(
            CONSENT_COOKIE_ADDED,
            f"new {s} requires consent ({new.category or 'uncategorized'}, "
            f"set by {new.provider or 'an unstated provider'})",
            "head",
            new.at("name"),
            new.name,
            None,
            _summary(new),
        )
    else:
        yield _Pending(
            EXEMPT_COOKIE_ADDED,
            f"new {s} is exempt from consent ({new.category or 'uncategorized'}, "
            f"set by {new.provider or 'an unstated provider'})",
            "head",
            new.at("name"),
            new.name,
            None,
            _summary(new),
        )


def _provider_names(policy: Policy) -> set[str]:
    names = {p.name for p in policy.providers or () if p.name is not None}
    return names | {c.provider for c in policy.cookies if c.provider is not None}


def _provider_changes(base: Policy, head: Policy) -> Iterator[_Pending]:
    known = _provider_names(base)
    reported: set[str] = set()
    for provider in head.providers or ():
        if provider.name is not None and provider.name not in known:
            reported.add(provider.name)
            cookie = next((c for c in head.cookies if c.provider == provider.name), None)
            sets = f": it sets {_subject(cookie)}" if cookie is not None else ""
            yield _Pending(
                PROVIDER_ADDED,
                f"new provider '{provider.name}'{sets}",
                "head",
                provider.pointer + "/name",
                cookie.name if cookie is not None else None,
                None,
                provider.name,
            )
    for cookie in head.cookies:
        if cookie.provider is not None and cookie.provider not in known | reported:
            reported.add(cookie.provider)
            yield _Pending(
                PROVIDER_ADDED,
                f"new provider '{cookie.provider}': it sets {_subject(cookie)}",
                "head",
                cookie.at("provider"),
                cookie.name,
                None,
                cookie.provider,
            )
    third_before = {c.provider for c in base.cookies if c.party == "third"}
    seen: set[str] = set()
    for cookie in head.cookies:
        setter = cookie.provider
        if cookie.party == "third" and setter and setter not in third_before | seen:
            seen.add(setter)
            yield _Pending(
                THIRD_PARTY_ADDED,
                f"{_subject(cookie)} is third-party storage of '{setter}', "
                "which set no third-party storage before",
                "head",
                cookie.at("party"),
                cookie.name,
                None,
                "third",
            )


def _placed(
    pending: list[_Pending], base: Loaded | None, head: Loaded | None, levels: Levels
) -> list[Change]:
    """Changes at their lines and columns, at their configured levels (some not reported)."""
    documents = {
        "base": base.document if base is not None else None,
        "head": head.document if head is not None else None,
    }
    paths = {
        "base": base.display if base is not None else "",
        "head": head.display if head is not None else "",
    }
    wanted = {"base": [], "head": head.positions_wanted() if head is not None else []}
    for side, document in documents.items():
        if document is not None:
            # One pass over the text for the changes and for the check's findings.
            document.locate_all(
                [(p.pointer, False) for p in pending if p.side == side] + wanted[side]
            )
    changes = []
    for p in pending:
        level = levels.get(p.change_class.code)
        if level is None:
            continue
        document = documents[p.side]
        line, column = _position(document, p.pointer)
        changes.append(
            Change(
                p.change_class.code,
                p.change_class.name,
                level,
                p.message,
                p.change_class.regulation,
                paths[p.side],
                line,
                column,
                p.side,
                p.pointer,
                p.cookie,
                p.base,
                p.head,
            )
        )
    return changes


def _position(document: Document | None, pointer: str) -> tuple[int, int]:
    if document is None or not pointer:
        return 1, 1
    return document.locate(pointer)


def markdown_table() -> str:
    """The change classes as the README lists them."""
    rows = ["| code | name | default level | what changed | why it has its level |"]
    rows.append("|---|---|---|---|---|")
    rows += [
        f"| {c.code} | `{c.name}` | {c.level} | {c.summary} | {c.regulation} |"
        for c in CLASSES.values()
    ]
    return "\n".join(rows) + "\n"
