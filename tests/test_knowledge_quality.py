"""Known-cookie knowledge measured: coverage, provider identity, added files, one finding per
mistake, and the precision and recall of CL501-CL504 on the evaluation corpus (eval/knowledge.py)."""

from __future__ import annotations

import importlib.util
import json
import sys

import pytest
import yaml
from conftest import ROOT, run_cookielint
from jsonschema import Draft202012Validator

from cookielint import knowledge, providers
from cookielint.pipeline import DEFAULT_SETTINGS, lint_text

SAMPLE = ROOT / "tests" / "data" / "open-cookie-database-sample.csv"
"""Open Cookie Database rows reduced to facts (descriptions in our own words), with its quirks:
'Necessary', quoted commas, short wildcards, free-text retentions, a misspelt category."""
CASES_DIR = ROOT / "tests" / "rules"
CONSENT_RULES = {"CL202", "CL501", "CL502"}


def _eval_module():
    spec = importlib.util.spec_from_file_location("eval_knowledge", ROOT / "eval" / "knowledge.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["eval_knowledge"] = module
    spec.loader.exec_module(module)
    return module


EVAL = _eval_module()


def check(text: str, known: tuple[str, ...] = ()) -> list:
    settings = DEFAULT_SETTINGS._replace(known_cookies=known)
    return lint_text(text, "p.yaml", settings)


def policy(name: str, provider: str, category: str, consent: str, duration: str) -> str:
    return (
        'version: 1\nsite: {name: Example Shop, url: "https://shop.example"}\ncookies:\n'
        f'  - name: "{name}"\n    provider: "{provider}"\n    party: first\n'
        f"    category: {category}\n    purposes: [To do what it does]\n"
        f"    consent: {consent}\n    duration: {duration}\n"
    )


# Coverage ------------------------------------------------------------------------------------------


def test_the_built_in_base_covers_500_entries_from_80_providers():
    data = yaml.safe_load(knowledge.BUILT_IN.read_text())
    assert len(data["cookies"]) >= 500
    assert len({c["provider"] for c in data["cookies"]}) >= 80
    names = {c["name"] for c in data["cookies"]}
    for expected in [
        "FPID",
        "FPLC",
        "_gcl_au",
        "_gcl_aw",
        "_gcl_gs",
        "sb",
        "fr",
        "ig_did",
        "MUID",
        "MUIDB",
        "_uetvid",
        "li_fat_id",
        "bcookie",
        "_ttp",
        "ttcsid",
        "_scid",
        "_rdt_uuid",
        "_pin_unauth",
        "personalization_id",
        "_hjSessionUser_*",
        "hubspotutk",
        "AMP_TOKEN",
    ]:
        assert expected in names, expected
    for cookie in data["cookies"]:
        assert cookie["source"].startswith("https://"), cookie
        assert cookie["description"].strip(), cookie


def test_the_provider_registry_is_valid_and_knows_every_built_in_provider():
    schema = json.loads((ROOT / "schema" / "providers.schema.json").read_text())
    Draft202012Validator.check_schema(schema)
    data = yaml.safe_load(providers.BUILT_IN.read_text())
    assert list(Draft202012Validator(schema).iter_errors(data)) == []
    base = knowledge.load()
    assert [p for p in base.providers if not base.registry.resolve(p)] == []


def test_lookup_names_the_right_provider_and_shows_unverified_facts():
    text = run_cookielint("lookup", "AMP_TOKEN").stdout.decode()
    assert text.splitlines()[:2] == ["AMP_TOKEN  (exact name)", "  provider:  Google Analytics"]
    text = run_cookielint("lookup", "fr").stdout.decode()
    assert text.splitlines()[:2] == ["fr  (exact name)", "  provider:  Meta"]
    text = run_cookielint("lookup", "FPLC").stdout.decode()
    assert "  unverified: lifetime (not checked against the provider's own page)" in text


# Provider identity ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "organisations"),
    [
        ("Google Ireland Limited", {"Google"}),
        ("Google (DoubleClick)", {"Google"}),
        ("Meta Platforms Ireland Ltd", {"Meta"}),
        ("Microsoft Corporation", {"Microsoft"}),
        ("Bing / Microsoft", {"Microsoft"}),
        ("ByteDance", {"ByteDance"}),
        ("TikTok Technology Limited", {"ByteDance"}),
        ("Twitter", {"X Corp"}),
        ("X Corp.", {"X Corp"}),
        ("Snap Inc.", {"Snap"}),
        ("Usercentrics GmbH", {"Usercentrics"}),
        ("Cybot A/S", {"Usercentrics"}),
        ("AT Internet", {"Piano"}),
        ("LinkedIn Ireland Unlimited Company", {"LinkedIn"}),
        ("Amazon Europe Core S.à r.l.", {"Amazon"}),
        ("salesforce.com, inc.", {"Salesforce"}),
        ("Xandr", {"Microsoft"}),
        ("Goog", set()),  # never a bare prefix
        ("Example Shop GmbH", set()),
        ("Boxed", set()),  # "X" is a whole word or nothing
        ("ABTasty", {"AB Tasty"}),
    ],
)
def test_provider_names_resolve_to_organisations(written, organisations):
    assert providers.Providers().organisations(written) == organisations


@pytest.mark.parametrize(
    ("name", "provider", "category", "consent", "duration", "expected"),
    [
        ("IDE", "Google (DoubleClick)", "marketing", "required", "13 months", []),
        ("IDE", "Google Ireland Limited", "marketing", "required", "13 months", []),
        ("_clck", "Microsoft Corporation", "statistics", "required", "1 year", []),
        ("VISITOR_INFO1_LIVE", "Google", "marketing", "required", "6 months", []),
        ("_fbp", "Meta Platforms Ireland Ltd", "marketing", "required", "90 days", []),
        ("_ttp", "ByteDance", "marketing", "required", "13 months", []),
        ("personalization_id", "Twitter", "marketing", "required", "2 years", []),
        ("CookieConsent", "Usercentrics", "necessary", "exempt", "1 year", []),
        ("personalization_id", "Xandr", "marketing", "required", "2 years", ["CL504"]),
        ("bcookie", "Microsoft", "social", "required", "1 year", ["CL504"]),
        ("_ga", "Goog", "statistics", "required", "2 years", ["CL504"]),
        ("wordpress_logged_in_abc", "Google Ads", "necessary", "exempt", "session", ["CL504"]),
        ("wordpress_logged_in_abc", "Example Shop", "necessary", "exempt", "session", []),
        ("wordpress_logged_in_abc", "WordPress", "necessary", "exempt", "session", []),
        ("PHPSESSID", "Example Shop GmbH", "necessary", "exempt", "session", []),
        # Frameworks and load balancers run hosted services too: any name goes.
        ("connect.sid", "Zendesk", "necessary", "exempt", "session", []),
        ("_zendesk_session", "Zendesk, Inc.", "necessary", "exempt", "session", []),
        ("AWSALB", "Intercom", "necessary", "exempt", "7 days", []),
    ],
)
def test_provider_mismatch_on_names_as_sites_write_them(
    name, provider, category, consent, duration, expected
):
    found = check(policy(name, provider, category, consent, duration))
    codes = [f.code for f in found if f.code.startswith("CL5")]
    assert codes == expected


# The Open Cookie Database ----------------------------------------------------------------------------


def test_open_cookie_database_quirks_load_with_warnings_naming_rows():
    result = run_cookielint("lookup", "--known-cookies", str(SAMPLE), "__cmpQQ_consentID")
    assert result.returncode == 0
    stderr = result.stderr.decode().splitlines()
    assert stderr == [
        f"cookielint: warning: {SAMPLE}: row 5: skipped: the pattern _s* is too short to tell one cookie from another",
        f"cookielint: warning: {SAMPLE}: row 6: skipped: the pattern tp* is too short to tell one cookie from another",
        f"cookielint: warning: {SAMPLE}: row 7: skipped: the pattern P_* is too short to tell one cookie from another",
        f"cookielint: warning: {SAMPLE}: row 8: skipped: the pattern SR* is too short to tell one cookie from another",
        f"cookielint: warning: {SAMPLE}: row 16: skipped: unknown category 'Funtional'",
    ]
    assert "  category:  necessary" in result.stdout.decode()
    base = knowledge.load((str(SAMPLE.resolve()),))
    (visitor,) = base.deciding("acme_visitor")
    assert (visitor.category, visitor.lifetime, visitor.provider) == (
        "statistics",
        None,  # "forever"
        "Acme Widgets",
    )
    (ads,) = base.deciding("acme_ads_spring")
    assert (ads.name, ads.lifetime.text) == ("acme_ads_*", "13 months")
    # Where the built-in base knows a name, it decides: Hotjar's user ID stays statistics.
    assert [(c.category, c.origin) for c in base.deciding("_hjSessionUser_123")] == [
        ("statistics", "built-in")
    ]
    # Rails' _session_id is not taken by Marfeel's _s*.
    assert [c.provider for c in base.lookup("_session_id")] == ["Ruby on Rails"]


def test_platform_names_map_onto_the_provider_registry():
    known = (str(SAMPLE.resolve()),)
    # Bing / Microsoft's MUID is decided by the built-in base; a Microsoft name fits it.
    assert (
        check(policy("MUID", "Microsoft Corporation", "marketing", "required", "1 year"), known)
        == []
    )
    # A new platform's cookie under its controller's legal name is not a mismatch.
    text = policy("acme_ads_x", "Acme Widgets, Inc.", "marketing", "required", "13 months")
    assert check(text, known) == []
    text = policy("acme_ads_x", "Google Ireland Limited", "marketing", "required", "13 months")
    assert [f.code for f in check(text, known)] == ["CL504"]


def _fixture_policies() -> list[str]:
    texts = [p.read_text() for p in sorted((ROOT / "policies").glob("*.yaml"))]
    for path in sorted(CASES_DIR.glob("CL*.yaml")):
        texts += [case["policy"] for case in yaml.safe_load(path.read_text())["cases"]]
    return texts


def test_loading_the_database_never_removes_a_finding_of_the_built_in_base():
    known = (str(SAMPLE.resolve()),)
    for text in _fixture_policies():
        alone = {(f.code, f.line, f.column) for f in check(text)}
        loaded = {(f.code, f.line, f.column) for f in check(text, known)}
        assert alone <= loaded, text


# One mistake, one finding ----------------------------------------------------------------------------


def _consent_codes_by_declaration(findings: list) -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    for finding in findings:
        index = EVAL.declaration_index(finding)
        if index is not None and finding.code in CONSENT_RULES:
            found.setdefault(index, set()).add(finding.code)
    return found


def test_no_declaration_of_a_rule_fixture_gets_two_of_cl202_cl501_cl502():
    for text in _fixture_policies():
        for known in [(), (str(SAMPLE.resolve()),)]:
            for codes in _consent_codes_by_declaration(check(text, known)).values():
                assert len(codes) <= 1, (codes, text)


def test_no_declaration_of_the_evaluation_corpus_gets_two_of_cl202_cl501_cl502():
    for text, _ in EVAL.generate(seed=13, policies=150):
        for codes in _consent_codes_by_declaration(check(text)).values():
            assert len(codes) <= 1, (codes, text)


# Precision and recall ----------------------------------------------------------------------------------


@pytest.mark.parametrize("known", [(), (str(SAMPLE.resolve()),)], ids=["built-in", "with-sample"])
def test_precision_and_recall_on_the_evaluation_corpus(known):
    score = EVAL.evaluate(known, seed=13, policies=150)
    for code in EVAL.MEASURED:
        assert score.planted[code] >= 15, code
        assert score.precision(code) >= 0.97, (code, score.false_alarms)
        assert score.recall(code) >= 0.9, code
    assert score.overlaps == 0


def test_cl504_agrees_with_the_provider_spellings_of_database_rows():
    pairs, disagreements = EVAL.spelling_agreement(str(SAMPLE))
    assert (pairs, disagreements) == (11, [])


def test_the_evaluation_script_prints_its_table():
    import subprocess

    result = subprocess.run(
        [sys.executable, str(ROOT / "eval" / "knowledge.py"), "--policies", "20"],
        capture_output=True,
        check=True,
    )
    lines = result.stdout.decode().splitlines()
    assert lines[0] == "Built-in knowledge base (20 policies, seed 13):"
    assert lines[1] == "| rule | planted | found | false alarms | precision | recall |"
    assert [line.split(" | ")[0] for line in lines[3:8]] == [
        "| CL202",
        "| CL501",
        "| CL502",
        "| CL503",
        "| CL504",
    ]


# Hostile input -------------------------------------------------------------------------------------


def test_provider_names_of_any_length_resolve_quickly():
    import time

    registry = providers.Providers()
    started = time.perf_counter()
    for written in ["Google " * 50_000, "(" * 50_000 + "Meta", "a/" * 50_000, "x " * 100_000]:
        registry.resolve(written)
    assert time.perf_counter() - started < 1.0


def test_warnings_about_added_rows_reach_the_terminal_escaped(tmp_path):
    path = tmp_path / "k.csv"
    header = SAMPLE.read_text().splitlines()[0]
    path.write_text(header + "\nx1,Evil,\x1b[31mRed,evil_cookie,,Bad category,1 year,Evil,,0\n")
    result = run_cookielint("lookup", "--known-cookies", str(path), "_ga")
    assert result.returncode == 0
    assert result.stderr.decode() == (
        f"cookielint: warning: {path}: row 2: skipped: unknown category '\\x1b[31mRed'\n"
    )
