"""The knowledge base of well-known cookies, files added to it, and `cookielint lookup`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, run_cookielint
from jsonschema import Draft202012Validator

from cookielint import knowledge
from cookielint.config import ConfigError, Configuration, Overrides
from cookielint.duration import parse_duration
from cookielint.pipeline import DEFAULT_SETTINGS, lint_text

DATA = yaml.safe_load(knowledge.BUILT_IN.read_text())
SCHEMA = json.loads((ROOT / "schema" / "known-cookies.schema.json").read_text())


def policy(
    name: str, provider: str, category: str, consent: str, duration: str = "13 months"
) -> str:
    return (
        'version: 1\nsite: {name: Example, url: "https://example.org"}\ncookies:\n'
        f"  - name: {name}\n    provider: {provider}\n    party: first\n    category: {category}\n"
        f"    purposes: [To do what it does]\n    consent: {consent}\n    duration: {duration}\n"
    )


def codes(text: str, known_cookies: tuple[str, ...] = ()) -> list[str]:
    settings = DEFAULT_SETTINGS._replace(known_cookies=known_cookies)
    return [f.code for f in lint_text(text, "p.yaml", settings)]


# The built-in knowledge base -----------------------------------------------------------------------


def test_built_in_knowledge_is_valid_against_its_schema():
    Draft202012Validator.check_schema(SCHEMA)
    assert list(Draft202012Validator(SCHEMA).iter_errors(DATA)) == []


def test_built_in_knowledge_is_large_and_broad():
    providers_with_entries = {c["provider"] for c in DATA["cookies"]}
    providers_with_notes = {p["name"] for p in DATA["providers"] if p.get("note")}
    assert len(DATA["cookies"]) >= 150
    assert len(providers_with_entries | providers_with_notes) >= 40
    for expected in [
        "Google Analytics",
        "Matomo",
        "Meta",
        "Google Ads",
        "LinkedIn",
        "TikTok",
        "Hotjar",
        "Microsoft Clarity",
        "YouTube",
        "HubSpot",
        "Cookiebot",
        "OneTrust",
        "Cloudflare",
        "Stripe",
        "Django",
        "PHP",
        "WordPress",
        "Shopify",
        "Criteo",
        "Didomi",
        "Axeptio",
    ]:
        assert expected in providers_with_entries, expected
    plausible = next(p for p in DATA["providers"] if p["name"].startswith("Plausible"))
    assert "no cookies" in plausible["note"]


def test_every_entry_carries_a_source_url():
    for cookie in DATA["cookies"]:
        assert re.fullmatch(r"https://[^\s/]+\.[a-z]+(/\S*)?", cookie["source"]), cookie


def test_every_entry_is_consistent():
    providers = {p["name"] for p in DATA["providers"]}
    seen = set()
    for cookie in DATA["cookies"]:
        assert cookie["provider"] in providers, cookie
        assert (cookie["name"], cookie["provider"]) not in seen, cookie
        seen.add((cookie["name"], cookie["provider"]))
        assert cookie["name"].strip("*"), cookie
        assert parse_duration(cookie["lifetime"]) is not None, cookie


def test_lookup_exact_and_wildcard():
    base = knowledge.load()
    assert [(c.name, c.provider) for c in base.lookup("_ga")] == [("_ga", "Google Analytics")]
    assert [(c.name, c.provider) for c in base.lookup("_ga_ABC123")] == [
        ("_ga_*", "Google Analytics")
    ]
    assert [c.name for c in base.lookup("_ga_*")] == ["_ga_*"]
    assert {c.provider for c in base.lookup("__cf_bm")} == {"Cloudflare", "Vimeo"}
    assert base.lookup("our_own_cookie") == ()


# The rules, end to end (the fixtures in tests/rules/CL50*.yaml hold the exact positions) -------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (policy("_ga", "Google", "necessary", "exempt"), ["CL501"]),
        (policy("_ga_ABC123", "Google Analytics", "necessary", "exempt"), ["CL501"]),
        (policy("_fbp", "Meta", "statistics", "exempt"), ["CL201", "CL502"]),
        (policy("_ga", "Google", "statistics", "required", "1 week"), ["CL503"]),
        (policy("_ga", "Adobe", "statistics", "required"), ["CL504"]),
        (policy("_ga", "Google", "statistics", "required"), []),
        (policy("_fbp", "Meta", "marketing", "required", "90 days"), []),
        (policy("my_cart", "Example", "necessary", "exempt", "session"), []),
        (policy("cart", "Example", "necessary", "exempt", "session"), []),  # a generic name
    ],
)
def test_rules_on_real_names(text, expected):
    assert codes(text) == expected


def test_knowledge_rules_can_be_turned_off():
    settings = DEFAULT_SETTINGS._replace(enabled=frozenset({"CL003"}))
    assert lint_text(policy("_ga", "Google", "necessary", "exempt"), "p.yaml", settings) == []


# Open Cookie Database files --------------------------------------------------------------------------

OCD = """\
ID,Platform,Category,Cookie / Data Key name,Domain,Description,Retention period,Data Controller,User Privacy & GDPR Rights Portals,Wildcard match
1a2b,Acme Analytics,Analytics,_acme_uid,acme.example (3rd party),"Counts visitors, pages and sessions",2 years,"Acme, Inc.",https://acme.example/privacy,0
2c3d,Acme Ads,Marketing,_acmeads_,,"Retargeting, with a per-campaign suffix",13 months,Acme Ads Ltd,https://ads.acme.example/privacy,1
3e4f,Acme Chat,Functional,acme_chat,,Keeps the chat open between pages,session,Acme Chat,https://chat.acme.example/privacy,0
4g5h,Acme Shield,Security,acme_guard,,"Bot protection; ""strict"" mode",Unknown,Acme Shield,,0
5i6j,Acme Look,Personalization,acme_theme,,Remembers the theme,1 year,Acme Look,https://look.acme.example,0
"""


@pytest.fixture
def ocd_file(tmp_path: Path) -> Path:
    path = tmp_path / "open-cookie-database.csv"
    path.write_text(OCD)
    return path


def test_open_cookie_database_entries(ocd_file):
    base = knowledge.load((str(ocd_file),))
    (uid,) = base.lookup("_acme_uid")
    assert (uid.provider, uid.category, uid.party, uid.lifetime.text, uid.source) == (
        "Acme Analytics",
        "statistics",
        "third",
        "2 years",
        "https://acme.example/privacy",
    )
    assert uid.description == "Counts visitors, pages and sessions"
    (ads,) = base.lookup("_acmeads_summer2026")
    assert (ads.name, ads.category, ads.lifetime.text) == ("_acmeads_*", "marketing", "13 months")
    (chat,) = base.lookup("acme_chat")
    assert (chat.category, chat.lifetime.is_session) == (knowledge.FUNCTIONAL, True)
    (guard,) = base.lookup("acme_guard")
    assert (guard.category, guard.lifetime) == ("necessary", None)
    assert base.lookup("acme_theme")[0].category == "preferences"
    assert base.lookup("_ga")  # the built-in knowledge is still there


def test_open_cookie_database_entries_drive_the_rules(ocd_file):
    extra = (str(ocd_file),)
    assert codes(policy("_acme_uid", "Acme Analytics", "necessary", "exempt"), extra) == ["CL501"]
    assert codes(policy("_acmeads_x1", "Acme Ads", "marketing", "exempt"), extra) == ["CL202"]
    assert codes(policy("_acmeads_x1", "Acme Ads", "statistics", "exempt"), extra) == [
        "CL201",
        "CL502",
    ]
    assert codes(policy("_acmeads_x1", "Someone Else", "marketing", "required"), extra) == ["CL504"]
    assert codes(policy("_acme_uid", "Acme", "statistics", "required", "2 weeks"), extra) == [
        "CL503"
    ]
    # Functional is "necessary or preferences": never a tracker, so never CL501.
    assert codes(policy("acme_chat", "Acme Chat", "necessary", "exempt", "session"), extra) == []
    assert (
        codes(policy("_acme_uid", "Acme Analytics", "necessary", "exempt")) == []
    )  # not without the file


def test_retention_periods():
    parse = knowledge.parse_retention
    assert parse("2 years").text == "2 years"
    assert parse("13 months").text == "13 months"
    assert parse("Session").is_session
    assert parse("1 Year").days == 365.25
    assert parse("30 Minutes").text == "30 minutes"
    assert parse("a day").text == "1 day"
    assert parse("Unknown") is None
    assert parse("") is None
    assert parse("Persistent") is None


OURS = (
    "version: 1\n{replaces}providers:\n  - name: In-house\ncookies:\n"
    "  - name: _ga\n    provider: In-house\n    category: necessary\n    party: first\n"
    "    lifetime: 1 day\n    description: Our own use of the name.\n"
    "    source: https://intranet.example/cookies\n"
    "  - name: our_tracker\n    provider: In-house\n    category: marketing\n    party: first\n"
    "    lifetime: 1 day\n    description: Our own advertising cookie.\n"
    "    source: https://intranet.example/cookies\n"
)


def test_an_added_file_adds_what_the_built_in_base_does_not_know(tmp_path, ocd_file):
    ours = tmp_path / "ours.yaml"
    ours.write_text(OURS.format(replaces=""))
    base = knowledge.load((str(ocd_file), str(ours)))
    assert [(c.provider, c.origin) for c in base.deciding("_ga")] == [
        ("Google Analytics", "built-in")
    ]
    assert [c.provider for c in base.lookup("_ga")] == ["Google Analytics"]
    assert [c.provider for c in base.deciding("our_tracker")] == ["In-house"]
    assert codes(policy("_ga", "In-house", "necessary", "exempt", "1 day"), (str(ours),)) == [
        "CL504",
        "CL501",
        "CL503",
    ]


def test_an_added_file_replaces_built_in_entries_when_it_says_so(tmp_path, ocd_file):
    ours = tmp_path / "ours.yaml"
    ours.write_text(OURS.format(replaces="replaces_built_in: true\n"))
    base = knowledge.load((str(ocd_file), str(ours)))
    assert [(c.provider, c.category) for c in base.deciding("_ga")] == [("In-house", "necessary")]
    assert codes(policy("_ga", "In-house", "necessary", "exempt", "1 day"), (str(ours),)) == []


def test_bad_rows_are_skipped_with_a_warning_naming_the_row(tmp_path):
    path = tmp_path / "k.csv"
    path.write_text(
        OCD.replace(",0\n2c3d", ",0,extra\n2c3d")
        .replace("Functional", "Tasty")
        .replace("acme_guard", "")
        .replace("Acme Look,Personalization,acme_theme,", "Acme Look,Necessary,acme_theme,")
        + "7k8l,Acme Short,Marketing,tp,,Too short a pattern,1 year,Acme,,1\n"
        + "9m0n,Acme Long,Analytics,acme_long,,Kept for ever,forever,Acme,,0\n"
    )
    result = run_cookielint("lookup", "--known-cookies", str(path), "acme_theme")
    assert result.returncode == 0
    assert result.stderr.decode().splitlines() == [
        f"cookielint: warning: {path}: row 2: skipped: 11 fields, expected 10",
        f"cookielint: warning: {path}: row 4: skipped: unknown category 'Tasty'",
        f"cookielint: warning: {path}: row 5: skipped: no cookie name",
        f"cookielint: warning: {path}: row 7: skipped: the pattern tp* is too short to tell one cookie from another",
    ]
    assert "  category:  necessary" in result.stdout.decode()
    base = knowledge.load((str(path),))
    (long,) = base.lookup("acme_long")
    assert (long.category, long.lifetime) == ("statistics", None)
    assert base.lookup("tpx") == ()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bad.csv", "ID,Platform\n1,x\n", "row 1: not the Open Cookie Database header"),
        (
            "bad.yaml",
            "version: 1\nproviders: [{name: A}]\ncookies:\n  - {name: x, provider: A}\n",
            "entry 1: 'category' is a required property",
        ),
        (
            "bad.yaml",
            "version: 1\nproviders: [{name: A}]\ncookies:\n  - {name: x, provider: B, category: necessary, party: first, lifetime: 1 day, description: d, source: 'https://a.example'}\n",
            "entry 1 (x): provider 'B' is not in providers",
        ),
        ("bad.yaml", "version: [\n", "not valid YAML"),
    ],
)
def test_malformed_knowledge_files_exit_2_naming_file_and_row(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_text(content)
    result = run_cookielint("check", "--known-cookies", str(path), "policies", cwd=ROOT)
    assert result.returncode == 2
    stderr = result.stderr.decode()
    assert stderr.startswith(f"cookielint: error: {path}") and message in stderr, stderr
    assert stderr.count("\n") == 1


def test_known_cookies_config_key(tmp_path, ocd_file):
    (tmp_path / ".cookielint.yaml").write_text(f"known-cookies: [{ocd_file.name}]\n")
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "p.yaml").write_text(
        policy("_acme_uid", "Acme Analytics", "necessary", "exempt")
    )
    import subprocess

    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    result = run_cookielint("check", cwd=tmp_path)
    assert result.returncode == 1
    assert (
        "CL501 [error] cookie '_acme_uid' is declared necessary, but Acme Analytics documents"
        in result.stdout.decode()
    )
    configuration = Configuration(Overrides(), cwd=tmp_path)
    assert configuration.for_file(tmp_path / "policies" / "p.yaml").known_cookies == (
        str(ocd_file),
    )


def test_bad_known_cookies_in_config_is_a_config_error(tmp_path):
    (tmp_path / "k.csv").write_text("nope\n")
    with pytest.raises(ConfigError, match="row 1"):
        Configuration(Overrides(known_cookies=[str(tmp_path / "k.csv")]), cwd=tmp_path).for_file(
            tmp_path / "x.yaml"
        )


# cookielint lookup -----------------------------------------------------------------------------------


def test_lookup_command_wildcard_match():
    result = run_cookielint("lookup", "_ga_ABC123")
    assert result.returncode == 0
    assert result.stdout.decode().splitlines()[:8] == [
        "_ga_*  (pattern)",
        "  provider:  Google Analytics",
        "  category:  statistics",
        "  party:     first",
        "  lifetime:  2 years",
        "  storage:   cookie",
        "  about:     Keeps the session state of one GA4 property.",
        "  source:    https://support.google.com/analytics/answer/11397207",
    ]


def test_lookup_command_every_match_and_files(ocd_file):
    result = run_cookielint("lookup", "__cf_bm")
    text = result.stdout.decode()
    assert text.count("__cf_bm  (exact name)") == 2 and "Cloudflare" in text and "Vimeo" in text
    result = run_cookielint("lookup", "--known-cookies", str(ocd_file), "_acmeads_spring")
    assert "_acmeads_*  (pattern)" in result.stdout.decode()
    assert f"  from:      {ocd_file} row 3" in result.stdout.decode()


def test_lookup_command_unknown_name():
    result = run_cookielint("lookup", "no_such_cookie")
    assert (result.returncode, result.stdout.decode()) == (
        1,
        "Nothing is known about 'no_such_cookie'.\n",
    )


def test_the_compiled_known_cookies_are_what_their_yaml_says():
    """Regenerate with: python -m cookielint.builtin_data"""
    from cookielint import builtin_data

    assert builtin_data.NAMES == ("known-cookies",)
    assert builtin_data.load("known-cookies") == builtin_data.from_yaml("known-cookies")


def test_the_compiled_provider_index_is_the_registry_its_yaml_builds():
    """Regenerate with: python -m cookielint.builtin_data"""
    from cookielint import builtin_data, providers

    built = providers.build(builtin_data.from_yaml("providers"))
    read = providers.built_in.__wrapped__()  # what a run reads, not a cached registry
    assert (read.names, read.self_hosted, read.frameworks) == (
        built.names,
        built.self_hosted,
        built.frameworks,
    )
    assert builtin_data.load(builtin_data.PROVIDERS_INDEX) == providers.index(built)
