"""How well CL501-CL504 do on realistic policies: precision and recall per rule.

    python eval/knowledge.py                      # the built-in knowledge base
    python eval/knowledge.py --ocd open-cookie-database.csv   # and with the Open Cookie Database
    python eval/knowledge.py --write DIR          # also write the generated policies

The generator writes policies the way real sites do: real cookie names of the
knowledge base, provider names as cookie policies spell them ("Google Ireland
Limited", "Meta Platforms Ireland Ltd", "Bing / Microsoft", "Snap Inc."),
the site's own cookies under the site's name, and site cookies whose names
look like other software's. Into them it plants mistakes, each with the one
finding it should get: a tracker declared necessary (CL501), an advertising
cookie declared exempt statistics (CL502), a lifetime well below the
documented one (CL503), another organisation named as provider (CL504), and
an advertising cookie declared marketing but exempt (CL202, which alone
reports it). Every other CL202/CL50x finding is a false alarm.

Precision = right findings / all findings of the rule; recall = planted
mistakes found / planted mistakes. Same seed, same corpus.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cookielint import knowledge  # noqa: E402
from cookielint.finding import Finding  # noqa: E402
from cookielint.knowledge import TRACKING, KnownCookie  # noqa: E402
from cookielint.pipeline import DEFAULT_SETTINGS, lint_text  # noqa: E402

RULES = ("CL202", "CL501", "CL502", "CL503", "CL504")
MEASURED = ("CL501", "CL502", "CL503", "CL504")

# How cookie policies write the organisations behind well-known cookies (seen on
# real policies and in the providers' own legal notices).
SPELLINGS = {
    "Google": [
        "Google",
        "Google LLC",
        "Google Ireland Limited",
        "Google Inc.",
        "Google (DoubleClick)",
        "Google Analytics",
        "Google Ads",
        "Google Tag Manager",
        "Google LLC (YouTube)",
        "DoubleClick/Google Marketing",
        "google",
        "Alphabet Inc.",
        "YouTube, LLC",
        "Google Tag (gtag.js)",
        "Google Analytics 4 (GA4)",
    ],
    "Meta": [
        "Meta",
        "Meta Platforms Ireland Ltd",
        "Meta Platforms, Inc.",
        "Facebook",
        "Facebook Ireland Ltd",
        "Facebook (Meta)",
        "Meta Pixel",
        "Instagram",
        "Meta Platforms Technologies, LLC",
        "Facebook Pixel (Meta Platforms Ireland Limited)",
    ],
    "Microsoft": [
        "Microsoft",
        "Microsoft Corporation",
        "Microsoft Ireland Operations Limited",
        "Bing / Microsoft",
        "Microsoft Clarity",
        "Microsoft Advertising",
        "Bing Ads",
        "Xandr (Microsoft)",
        "Microsoft Ireland Operations Ltd.",
        "Clarity (Microsoft)",
    ],
    "LinkedIn": ["LinkedIn", "LinkedIn Ireland Unlimited Company", "LinkedIn Corporation"],
    "ByteDance": [
        "TikTok",
        "ByteDance",
        "TikTok Technology Limited",
        "TikTok Pixel",
        "TikTok Information Technologies UK Limited",
    ],
    "X Corp": [
        "X",
        "Twitter",
        "X Corp.",
        "Twitter International Unlimited Company",
        "X (Twitter)",
        "Twitter, Inc.",
        "X Corp (formerly Twitter)",
    ],
    "Snap": ["Snap Inc.", "Snapchat", "Snap Group Limited", "Snap Pixel"],
    "Pinterest": ["Pinterest", "Pinterest Europe Ltd.", "Pinterest, Inc."],
    "Reddit": ["Reddit", "Reddit, Inc."],
    "Usercentrics": ["Cookiebot", "Usercentrics GmbH", "Cybot A/S", "Usercentrics A/S"],
    "Piano": ["AT Internet", "Piano Software", "Piano", "Piano Analytics SAS"],
    "Adobe": ["Adobe", "Adobe Systems Software Ireland Limited", "Adobe Inc.", "Omniture"],
    "Amazon": ["Amazon Web Services", "AWS", "Amazon Europe Core S.à r.l.", "Amazon.com, Inc."],
    "Contentsquare": ["Hotjar", "Hotjar Ltd.", "Contentsquare SAS", "Heap", "Hotjar Limited"],
    "HubSpot": ["HubSpot", "HubSpot, Inc.", "HubSpot Ireland Limited"],
    "Yandex": ["Yandex", "Yandex.Metrica", "Yandex LLC"],
    "Matomo": ["Matomo", "Piwik", "InnoCraft Ltd"],
    "Criteo": ["Criteo", "Criteo SA"],
    "Cloudflare": ["Cloudflare", "Cloudflare, Inc."],
    "Stripe": ["Stripe", "Stripe Payments Europe, Ltd."],
    "OneTrust": ["OneTrust", "OneTrust LLC", "Optanon"],
    "Salesforce": ["Salesforce", "salesforce.com, inc.", "Pardot"],
    "Yahoo": ["Yahoo", "Yahoo EMEA Limited", "Verizon Media"],
}
# Sites and their operators, who declare the cookies of the software they run.
SITES = [
    ("Acme Outdoor Shop", "Acme Outdoor GmbH"),
    ("Northwind Traders", "Northwind Traders Ltd"),
    ("City of Lindenfeld open data", "Stadt Lindenfeld"),
    ("Blue Harbour Hotel", "Blue Harbour Hospitality SAS"),
    ("Fjord News", "Fjord Media AS"),
]
# The site's own cookies: names no provider documents, and names that look like
# other software's (the Open Cookie Database's shortest patterns would take them).
OWN_COOKIES = [
    ("acme_prefs", "preferences", "1 year"),
    ("basket_id", "necessary", "session"),
    ("_session_id", "necessary", "session"),
    ("_s_country", "preferences", "30 days"),
    ("SR_region", "preferences", "30 days"),
    ("tp_theme", "preferences", "1 year"),
    ("P_font_size", "preferences", "1 year"),
    ("CT_notice_seen", "necessary", "6 months"),
    ("ua_currency", "preferences", "30 days"),
    ("cap_checkout_step", "necessary", "session"),
    ("mp_newsletter_shown", "preferences", "7 days"),
    ("_ut_return_to", "necessary", "session"),
    ("_lv_last_visit_page", "preferences", "30 days"),
    ("NPA_banner", "preferences", "30 days"),
    ("lc_locale", "preferences", "1 year"),
    ("remember_device", "necessary", "30 days"),
    ("store_pickup_location", "preferences", "90 days"),
]


@dataclass
class Declaration:
    name: str
    provider: str
    category: str
    consent: str
    duration: str
    party: str = "first"
    anonymized: bool = False
    expected: str | None = None
    """The one finding of CL202/CL50x it should get, or None."""

    def yaml(self) -> str:
        lines = [
            f"  - name: {_quote(self.name)}",
            f"    provider: {_quote(self.provider)}",
            f"    party: {self.party}",
            f"    category: {self.category}",
            "    purposes: [To do what the provider documents]",
        ]
        if self.anonymized:
            lines.append("    anonymized: true")
        lines += [f"    consent: {self.consent}", f"    duration: {self.duration}"]
        return "\n".join(lines) + "\n"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _organisation(entry: KnownCookie, base: knowledge.KnowledgeBase) -> str:
    organisations = sorted(base.registry.organisations(entry.provider))
    return organisations[0] if organisations else entry.provider


def _spellings(entry: KnownCookie, base: knowledge.KnowledgeBase) -> list[str]:
    organisation = _organisation(entry, base)
    found = SPELLINGS.get(organisation)
    if found:
        return found
    provider = base.providers.get(entry.provider)
    return [
        *(provider.aliases if provider is not None else ()),
        entry.provider,
        f"{entry.provider} Inc.",
        f"{entry.provider} Ltd",
        entry.provider.upper(),
    ]


def _concrete(name: str, rng: random.Random) -> str:
    """A name a site really sets for a pattern (_ga_* -> _ga_4KX2B9Q1ZP)."""
    while "*" in name:
        name = name.replace("*", "".join(rng.choices("ABCDEFGHJKLMNPQRSTUVWXYZ23456789", k=8)), 1)
    return name


def _days(text: str) -> str:
    return text


def _declared_lifetime(entry: KnownCookie) -> str:
    if entry.lifetime is None or entry.lifetime.days is None:
        return "session" if entry.lifetime is not None else "1 year"
    days = max(1, round(min(entry.lifetime.days, 400)))
    return f"{days} days" if days != 1 else "1 day"


def _trusted(entry: KnownCookie, fact: str) -> bool:
    return fact not in entry.unverified


def generate(
    seed: int = 13, policies: int = 150, known_cookies: tuple[str, ...] = ()
) -> Iterator[tuple[str, list[Declaration]]]:
    """Policies as YAML text, each with its declarations in order.

    Each has 12 cookies of the built-in base and 4 of the site's own; with
    ``known_cookies``, also 4 that only the added files know (drawn with their
    own random sequence, so the rest of the corpus stays the same).
    """
    rng = random.Random(seed)
    extra_rng = random.Random(seed + 1)
    loaded = knowledge.load(known_cookies)
    built_in = _deciding_entries(loaded, lambda e: e.origin == "built-in")
    added = _deciding_entries(loaded, lambda e: e.origin != "built-in")
    organisations = sorted({_organisation(e, loaded) for e in built_in} & set(SPELLINGS))
    for number in range(policies):
        site, operator = rng.choice(SITES)
        declarations: list[Declaration] = []
        for entry in rng.sample(built_in, 12):
            declarations.append(_declare(entry, loaded, rng, organisations))
        for own, category, duration in rng.sample(OWN_COOKIES, 4):
            declarations.append(
                Declaration(own, rng.choice([site, operator]), category, "exempt", duration)
            )
        if added:
            for entry in extra_rng.sample(added, min(4, len(added))):
                declarations.append(_declare(entry, loaded, extra_rng, organisations))
        rng.shuffle(declarations)
        text = (
            f"version: 1\nsite:\n  name: {_quote(site)}\n  url: https://example{number}.org\n"
            "cookies:\n" + "".join(d.yaml() for d in declarations)
        )
        yield text, declarations


def _deciding_entries(
    base: knowledge.KnowledgeBase, wanted: Callable[[KnownCookie], bool]
) -> list[KnownCookie]:
    """The entries that alone decide what the rules say about the names they stand for."""
    found = []
    for entry in base.cookies:
        if entry.generic or entry.storage != "cookie" or not wanted(entry):
            continue
        name = _concrete(entry.name, random.Random(0))
        if base.deciding(name) == (entry,):
            found.append(entry)
    found.sort(key=lambda e: (e.origin != "built-in", e.provider, e.name))
    return found


def _declare(
    entry: KnownCookie, base: knowledge.KnowledgeBase, rng: random.Random, organisations: list[str]
) -> Declaration:
    name = _concrete(entry.name, rng)
    self_hosted = base.is_self_hosted(entry.provider)
    if self_hosted:
        site, operator = rng.choice(SITES)
        provider = rng.choice([entry.provider, site, operator])
    else:
        provider = rng.choice(_spellings(entry, base))
    category = entry.category if entry.category != knowledge.FUNCTIONAL else "necessary"
    tracking = category in TRACKING
    right = Declaration(
        name,
        provider,
        category,
        "required" if tracking else "exempt",
        _declared_lifetime(entry),
        entry.party or "first",
    )
    roll = rng.random()
    if roll < 0.55:
        return right
    if roll < 0.67 and tracking and _trusted(entry, "category"):
        return dataclasses.replace(
            right,
            category=rng.choice(["necessary", "preferences"]),
            consent=rng.choice(["exempt", "required"]),
            expected="CL501",
        )
    if roll < 0.74 and category in ("marketing", "social") and _trusted(entry, "category"):
        return dataclasses.replace(
            right,
            category="statistics",
            anonymized=True,
            consent="exempt",
            party="first",
            expected="CL502",
        )
    if roll < 0.80 and category in ("marketing", "social"):
        return dataclasses.replace(right, consent="exempt", expected="CL202")
    if (
        roll < 0.90
        and _trusted(entry, "lifetime")
        and entry.lifetime is not None
        and entry.lifetime.days is not None
        and entry.lifetime.days >= 4
    ):
        documented = min(entry.lifetime.days, 400)
        return dataclasses.replace(
            right, duration=f"{max(1, int(documented / 4))} days", expected="CL503"
        )
    if roll >= 0.90 and not base.registry.is_framework(entry.provider):
        mine = _organisation(entry, base)
        others = [o for o in organisations if o != mine]
        wrong = rng.choice(SPELLINGS[rng.choice(others)])
        return dataclasses.replace(right, provider=wrong, expected="CL504")
    return right


def _check(text: str, known_cookies: tuple[str, ...]) -> list[Finding]:
    """The one place the evaluation calls cookielint's checker."""
    settings = DEFAULT_SETTINGS._replace(known_cookies=known_cookies)
    return lint_text(text, "policy.yaml", settings)


def declaration_index(finding: Finding) -> int | None:
    parts = finding.pointer.split("/")
    if len(parts) >= 3 and parts[1] == "cookies" and parts[2].isdigit():
        return int(parts[2])
    return None


@dataclass
class Score:
    right: Counter[str] = dataclasses.field(default_factory=Counter)
    wrong: Counter[str] = dataclasses.field(default_factory=Counter)
    missed: Counter[str] = dataclasses.field(default_factory=Counter)
    planted: Counter[str] = dataclasses.field(default_factory=Counter)
    overlaps: int = 0
    false_alarms: list[str] = dataclasses.field(default_factory=list)
    """Every false alarm and every missed mistake, one line each (--show)."""

    def precision(self, code: str) -> float:
        found = self.right[code] + self.wrong[code]
        return self.right[code] / found if found else 1.0

    def recall(self, code: str) -> float:
        return self.right[code] / self.planted[code] if self.planted[code] else 1.0


def evaluate(known_cookies: tuple[str, ...] = (), seed: int = 13, policies: int = 150) -> Score:
    score = Score()
    for text, declarations in generate(seed, policies, known_cookies):
        findings = [f for f in _check(text, known_cookies) if f.code in RULES]
        by_declaration: dict[int, set[str]] = {}
        for finding in findings:
            index = declaration_index(finding)
            if index is not None:
                by_declaration.setdefault(index, set()).add(finding.code)
        for index, declaration in enumerate(declarations):
            got = by_declaration.get(index, set())
            if len(got & {"CL202", "CL501", "CL502"}) > 1:
                score.overlaps += 1
            if declaration.expected:
                score.planted[declaration.expected] += 1
            for code in got:
                if code == declaration.expected:
                    score.right[code] += 1
                else:
                    score.wrong[code] += 1
                    score.false_alarms.append(
                        f"{code} on {declaration.name} ({declaration.provider}, "
                        f"{declaration.category}, {declaration.consent}, {declaration.duration})"
                    )
            if declaration.expected and declaration.expected not in got:
                score.missed[declaration.expected] += 1
                score.false_alarms.append(
                    f"missed {declaration.expected} on {declaration.name} ({declaration.provider})"
                )
    return score


def spelling_agreement(path: str) -> tuple[int, list[str]]:
    """CL504 against spellings others wrote: each Open Cookie Database row whose cookie the
    built-in base decides, declared under the row's Platform and its Data Controller.

    The database's spellings were not made for cookielint, so every CL504 here is
    either a provider name the registry misses or a real disagreement with the database.
    """
    import csv

    base = knowledge.load()
    pairs = 0
    disagreements = []
    with open(path, encoding="utf-8-sig", newline="") as stream:
        rows = csv.reader(stream)
        header = next(rows)
        for row in rows:
            if len(row) != len(header):
                continue
            name = row[3].strip() + ("X1" if row[9].strip() == "1" else "")
            entries = base.deciding(name)
            if not entries:
                continue
            for written in {row[1].strip(), row[7].strip()} - {""}:
                pairs += 1
                if not any(knowledge.provider_matches(written, e, base) for e in entries):
                    disagreements.append(f"{row[3]}: '{written}', known as {entries[0].provider}'s")
    return pairs, disagreements


def table(score: Score, title: str) -> str:
    lines = [
        f"{title}",
        "| rule | planted | found | false alarms | precision | recall |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for code in RULES:
        lines.append(
            f"| {code} | {score.planted[code]} | {score.right[code]} | {score.wrong[code]} "
            f"| {score.precision(code):.3f} | {score.recall(code):.3f} |"
        )
    lines.append(f"\nDeclarations with two of CL202/CL501/CL502: {score.overlaps}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ocd", metavar="PATH", help="an Open Cookie Database CSV to load too")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--policies", type=int, default=150)
    parser.add_argument("--write", metavar="DIR", help="write the generated policies there")
    parser.add_argument("--show", action="store_true", help="list every false alarm")
    args = parser.parse_args(argv)
    if args.write:
        out = Path(args.write)
        out.mkdir(parents=True, exist_ok=True)
        loaded: tuple[str, ...] = (str(Path(args.ocd).resolve()),) if args.ocd else ()
        expected = {}
        for number, (text, declarations) in enumerate(generate(args.seed, args.policies, loaded)):
            name = f"policy-{number:03}.yaml"
            (out / name).write_text(text, encoding="utf-8")
            expected[name] = [[i, d.expected] for i, d in enumerate(declarations) if d.expected]
        (out / "expected.json").write_text(json.dumps(expected, indent=1) + "\n", encoding="utf-8")
    runs: list[tuple[str, tuple[str, ...]]] = [("Built-in knowledge base", ())]
    if args.ocd:
        runs.append(("With the Open Cookie Database", (str(Path(args.ocd).resolve()),)))
    for title, known in runs:
        score = evaluate(known, args.seed, args.policies)
        print(table(score, f"{title} ({args.policies} policies, seed {args.seed}):"))
        if args.show:
            print("\n".join(score.false_alarms))
        print()
    if args.ocd:
        pairs, disagreements = spelling_agreement(args.ocd)
        print(
            f"CL504 on the database's own provider spellings: {pairs} (cookie, spelling) pairs "
            f"of cookies the built-in base knows, {len(disagreements)} CL504 "
            f"({1 - len(disagreements) / max(pairs, 1):.3f} agree)"
        )
        if args.show:
            print("\n".join(sorted(set(disagreements))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
