"""``cookielint export``: each target's output, what it can't hold, and the TCF schema."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, VALID_POLICY
from jsonschema import Draft202012Validator

from cookielint import knowledge
from cookielint.cli import cli

POLICIES = sorted((ROOT / "policies").glob("*.yaml"))
SEED = ROOT / "policies" / "gpseo.opendatasoft.com.yaml"
METROPOLE = ROOT / "policies" / "data.example.org.yaml"
TCF_SCHEMA = json.loads(
    (ROOT / "schema" / "tcf-device-storage-disclosure.schema.json").read_text(encoding="utf-8")
)


def export(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["export", *args])
    return result.exit_code, result.stdout, result.stderr


def _write(tmp_path: Path, text: str, name: str = "policy.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# -- TCF ---------------------------------------------------------------------------------


def test_tcf_schema_is_a_valid_schema() -> None:
    Draft202012Validator.check_schema(TCF_SCHEMA)


@pytest.mark.parametrize("policy", POLICIES, ids=lambda p: p.name)
def test_tcf_export_of_every_shipped_policy_is_valid(policy: Path) -> None:
    status, out, _ = export(str(policy), "--to", "tcf")
    assert status == 0
    document = json.loads(out)
    assert list(Draft202012Validator(TCF_SCHEMA).iter_errors(document)) == []
    assert len(document["disclosures"]) > 0


def test_tcf_export_of_the_seed_policy() -> None:
    status, out, err = export(str(SEED), "--to", "tcf")
    assert status == 0
    assert err == (
        "cookielint: tcf: a disclosure has no field for provider, party, category, function, "
        "location; left out\n"
    )
    document = json.loads(out)
    assert document["domains"] == [{"domain": "gpseo.opendatasoft.com"}]
    assert document["disclosures"][0] == {
        "identifier": "sessionid",
        "type": "cookie",
        "maxAgeSeconds": 14 * 86400,
        "cookieRefresh": False,
        "domains": ["gpseo.opendatasoft.com"],
        "purposes": [],
        "description": "To remember the user from one page to another",
    }
    # 12 months = 365.25 days (SPEC §2.1)
    assert document["disclosures"][1]["maxAgeSeconds"] == 31557600


def test_tcf_purpose_1_exactly_when_consent_is_required(tmp_path: Path) -> None:
    policy = _write(
        tmp_path,
        VALID_POLICY
        + """\
  - name: _ga_*
    provider: Google
    party: third
    category: statistics
    purposes: [To count visits]
    consent: required
    duration: 13 months
    domain: .example.com
    refresh: true
  - name: ads
    provider: Ads
    party: third
    category: marketing
    purposes: [To show ads]
    consent: required
    duration: session
    tcf_purposes: [4, 2]
  - name: prefs
    provider: Example shop
    party: first
    category: preferences
    storage: local_storage
    purposes: [To remember the layout]
    consent: exempt
    duration: 1 year
""",
    )
    status, out, err = export(str(policy), "--to", "tcf")
    assert status == 0, err
    items = json.loads(out)["disclosures"]
    assert [(i["identifier"], i["purposes"]) for i in items] == [
        ("cart", []),
        ("_ga_*", [1, 8, 9]),
        ("ads", [1, 2, 4]),
        ("prefs", []),
    ]
    assert items[1]["domains"] == ["example.com"] and items[1]["cookieRefresh"] is True
    assert items[2]["maxAgeSeconds"] == 0
    assert items[3] == {
        "identifier": "prefs",
        "type": "web",
        "maxAgeSeconds": None,
        "domains": ["shop.example.com"],
        "purposes": [],
        "description": "To remember the layout",
    }
    assert json.loads(out)["domains"] == [{"domain": "shop.example.com"}, {"domain": "example.com"}]
    assert (
        "cookielint: tcf: the lifetime of 1 non-cookie storage item(s) is left out: "
        "TCF gives web storage no maxAgeSeconds" in err.splitlines()
    )


def test_names_tcf_cannot_express_are_placed_in_one_pass_over_the_file(
    tmp_path: Path, passes_over_text: list[int]
) -> None:
    cookie = VALID_POLICY.split("cookies:\n")[1]
    many = "".join(cookie.replace("name: cart", f"name: _pk_*.s{i}") for i in range(25))
    policy = _write(tmp_path, VALID_POLICY.split("cookies:\n")[0] + "cookies:\n" + many)
    status, _, err = export(str(policy), "--to", "tcf")
    assert status == 1 and len(passes_over_text) == 1
    assert len(err.splitlines()) == 26 and err.splitlines()[24].startswith(f"{policy}:174:11: ")


def test_a_name_tcf_cannot_express_is_reported_and_nothing_written(tmp_path: Path) -> None:
    policy = _write(tmp_path, VALID_POLICY.replace("name: cart", "name: _pk_*.ses"))
    out_file = tmp_path / "deviceStorage.json"
    status, out, err = export(str(policy), "--to", "tcf", "-o", str(out_file))
    assert status == 1 and out == ""
    assert err.splitlines() == [
        f"{policy}:6:11: cookie '_pk_*.ses': a TCF identifier can have a * only at its start "
        "or its end (id*, *id); write one declaration per name instead",
        "cookielint: tcf: nothing written",
    ]
    assert not out_file.exists()


def _disclosure(**fields: object) -> dict[str, object]:
    item: dict[str, object] = {
        "identifier": "id",
        "type": "cookie",
        "maxAgeSeconds": 60,
        "cookieRefresh": False,
        "domains": ["example.com"],
        "purposes": [1],
    }
    item.update(fields)
    return {"disclosures": [{k: v for k, v in item.items() if v is not ...}], "domains": []}


@pytest.mark.parametrize(
    ("document", "valid"),
    [
        (_disclosure(), True),
        (_disclosure(identifier=...), False),
        (_disclosure(type="web", maxAgeSeconds=None, cookieRefresh=...), True),
        (_disclosure(type="web", maxAgeSeconds=3600, cookieRefresh=...), False),
        (_disclosure(identifier="*"), False),
        (_disclosure(identifier="**"), False),
        (_disclosure(identifier="id*"), True),
        (_disclosure(identifier="*id"), True),
        (_disclosure(identifier="i*d"), False),
        (_disclosure(maxAgeSeconds=None), False),
        (_disclosure(maxAgeSeconds=-1), False),
        (_disclosure(cookieRefresh=...), False),
        (_disclosure(domains=...), False),
        (_disclosure(domains=..., domain="example.com"), True),
        (_disclosure(domain="example.com"), False),
        (_disclosure(domains=["https://example.com"]), False),
        (_disclosure(domains=["*.example.com"]), True),
        (_disclosure(type="app", maxAgeSeconds=None, cookieRefresh=..., domains=...), True),
        (_disclosure(type="localStorage"), False),
        (_disclosure(purposes=[0]), False),
        ({"disclosures": []}, False),
        ({"disclosures": [], "domains": [{"domain": "example.com", "use": "Ads"}]}, True),
    ],
)
def test_tcf_schema_accepts_and_rejects(document: dict[str, object], valid: bool) -> None:
    errors = list(Draft202012Validator(TCF_SCHEMA).iter_errors(document))
    assert (errors == []) is valid, errors


# -- Klaro -------------------------------------------------------------------------------


def test_klaro_json(tmp_path: Path) -> None:
    status, out, err = export(str(METROPOLE), "--to", "klaro")
    assert status == 0
    assert err == (
        "cookielint: klaro: Klaro has no place for duration, party, function, location, "
        "refresh; left out\n"
    )
    config = json.loads(out)
    assert config["lang"] == "fr" and set(config["translations"]) == {"fr", "en", "zz"}
    assert [
        (s["name"], s["title"], s["purposes"], s["required"], s["default"], s["cookies"])
        for s in config["services"]
    ] == [
        (
            "example-metropole-necessary",
            "Example Metropole",
            ["necessary"],
            True,
            False,
            [
                {"pattern": "__Host-sessionid", "path": "/"},
                {"pattern": "csrftoken", "path": "/"},
                {"pattern": "tarteaucitron", "path": "/"},
            ],
        ),
        (
            "matomo-statistics",
            "Matomo",
            ["statistics"],
            True,
            False,
            ["^_pk_id\\..*$", "^_pk_ses\\..*$"],
        ),
        ("matomo-necessary", "Matomo", ["necessary"], True, False, ["mtm_consent_removed"]),
    ]
    assert config["translations"]["en"]["purposes"]["statistics"]["title"] == "Statistics"
    assert config["translations"]["fr"]["purposes"]["statistics"]["title"] == "Statistiques"


def test_klaro_module_has_regular_expressions() -> None:
    status, out, _ = export(str(METROPOLE), "--to", "klaro", "--as", "module")
    assert status == 0
    assert out.startswith("// Klaro configuration generated by cookielint\nexport default {")
    assert 'new RegExp("^_pk_id\\\\..*$")' in out


def test_klaro_and_consent_required(tmp_path: Path) -> None:
    policy = _write(tmp_path, VALID_POLICY.replace("consent: exempt", "consent: required"))
    status, out, _ = export(str(policy), "--to", "klaro")
    assert status == 0 and json.loads(out)["services"][0]["required"] is False


# -- cookieconsent -----------------------------------------------------------------------


def test_cookieconsent_module_and_json(tmp_path: Path) -> None:
    policy = _write(
        tmp_path,
        VALID_POLICY
        + """\
  - name: _ga_*
    provider: Google
    party: third
    category: statistics
    purposes: ["<b>count</b> visits"]
    consent: required
    duration: 13 months
""",
    )
    status, out, err = export(str(policy), "--to", "cookieconsent")
    assert (status, err) == (0, "")
    assert 'new RegExp("^_ga_.*$")' in out
    status, out, err = export(str(policy), "--to", "cookieconsent", "--as", "json")
    assert status == 0
    assert err == (
        "cookielint: cookieconsent: JSON has no regular expressions: _ga_* left out of "
        "autoClear.cookies (--as module writes them as RegExps)\n"
    )
    config = json.loads(out)
    assert config["categories"] == {
        "necessary": {"enabled": True, "readOnly": True},
        "statistics": {"enabled": False, "readOnly": False, "autoClear": {"cookies": []}},
    }
    sections = config["language"]["translations"]["en"]["preferencesModal"]["sections"]
    assert [s.get("linkedCategory") for s in sections] == [None, "necessary", "statistics"]
    table = sections[2]["cookieTable"]
    assert table["headers"] == {
        "name": "Name",
        "provider": "Provider",
        "purposes": "Purposes",
        "duration": "Duration",
        "party": "Party",
        "storage": "Storage",
        "consent": "Consent asked",
    }
    assert table["body"][0]["purposes"] == "&lt;b&gt;count&lt;/b&gt; visits"
    assert table["body"][0]["duration"] == "13 months"


def test_cookieconsent_one_translation_per_language() -> None:
    status, out, _ = export(str(SEED), "--to", "cookieconsent", "--as", "json")
    assert status == 0
    translations = json.loads(out)["language"]["translations"]
    assert list(translations) == ["en", "fr", "de"]
    body = translations["de"]["preferencesModal"]["sections"][1]["cookieTable"]["body"]
    assert [(r["name"], r["duration"]) for r in body] == [
        ("sessionid", "2 Wochen"),
        ("django_language", "12 Monate"),
        ("csrftoken", "12 Monate"),
        ("cookies_preferences", "6 Monate"),
    ]


# -- Open Cookie Database ------------------------------------------------------------------


def test_ocd_csv_is_read_back_by_the_knowledge_reader(tmp_path: Path) -> None:
    status, out, _ = export(str(METROPOLE), "--to", "ocd-csv")
    assert status == 0
    rows = list(csv.reader(io.StringIO(out, newline="")))
    assert rows[0] == knowledge.OPEN_COOKIE_DATABASE_HEADER
    assert [(r[1], r[2], r[3], r[6], r[9]) for r in rows[1:]] == [
        ("Example Metropole", "Functional", "__Host-sessionid", "2 weeks", "0"),
        ("Example Metropole", "Functional", "csrftoken", "52 weeks", "0"),
        ("Example Metropole", "Functional", "tarteaucitron", "183 days", "0"),
        ("Matomo", "Analytics", "_pk_id.", "13 months", "1"),
        ("Matomo", "Analytics", "_pk_ses.", "30 minutes", "1"),
        ("Matomo", "Functional", "mtm_consent_removed", "400 days", "0"),
    ]
    # English texts from a policy whose default language is French.
    assert rows[1][5] == "Keeps a signed-in user authenticated from one page to the next."
    csv_file = tmp_path / "ocd.csv"
    csv_file.write_text(out, encoding="utf-8")
    base = knowledge.load((str(csv_file),))
    found = base.lookup("_pk_id.1.abcd")
    assert any(e.provider == "Matomo" and e.category == "statistics" for e in found)


def test_ocd_csv_defuses_formulas_and_reports_it(tmp_path: Path) -> None:
    policy = _write(
        tmp_path, VALID_POLICY.replace("[To keep the visitor's shopping cart]", '["=HYPERLINK(1)"]')
    )
    status, out, err = export(str(policy), "--to", "ocd-csv")
    assert status == 0
    assert list(csv.reader(io.StringIO(out)))[1][5] == "'=HYPERLINK(1)"
    assert "prefixed with ' so that they read as text" in err


def test_ocd_csv_cannot_hold_a_wildcard_in_the_middle(tmp_path: Path) -> None:
    policy = _write(tmp_path, VALID_POLICY.replace("name: cart", "name: a*b"))
    status, out, err = export(str(policy), "--to", "ocd-csv")
    assert status == 1 and out == ""
    assert err.splitlines()[0] == (
        f"{policy}:6:11: cookie 'a*b': the Open Cookie Database matches a name exactly or as "
        "a prefix; a * can only end it"
    )


# -- the command ----------------------------------------------------------------------------


def test_export_writes_to_a_file(tmp_path: Path) -> None:
    out_file = tmp_path / "klaro.json"
    status, out, _ = export(str(SEED), "--to", "klaro", "-o", str(out_file))
    assert status == 0 and out == ""
    assert json.loads(out_file.read_text())["services"][0]["name"] == "opendatasoft-necessary"


def test_export_usage_errors(tmp_path: Path) -> None:
    assert export(str(SEED))[0] == 2  # --to is required
    assert export(str(SEED), "--to", "yaml")[0] == 2
    assert export(str(tmp_path / "none.yaml"), "--to", "tcf")[0] == 2
    status, _, err = export(str(SEED), "--to", "tcf", "--as", "module")
    assert status == 2 and "--as applies to klaro and cookieconsent" in err


def test_export_of_a_policy_with_errors_is_refused(tmp_path: Path) -> None:
    policy = _write(tmp_path, VALID_POLICY.replace("duration: session", "duration: forever"))
    status, out, err = export(str(policy), "--to", "tcf")
    assert status == 1 and out == ""
    assert "CL003 [error]" in err and "is not published" in err


def test_output_is_safe_inside_a_script_element(tmp_path: Path) -> None:
    policy = _write(
        tmp_path,
        VALID_POLICY.replace(
            "[To keep the visitor's shopping cart]", '["</script><script>alert(1)//"]'
        ),
    )
    for target in ("klaro", "cookieconsent"):
        status, out, _ = export(str(policy), "--to", target)
        assert status == 0 and "</script" not in out and "<script" not in out


def test_a_missing_translation_is_listed_by_every_target(tmp_path: Path) -> None:
    policy = _write(
        tmp_path,
        VALID_POLICY.replace(
            "  url: https://shop.example.com\n",
            "  url: https://shop.example.com\n  languages: [fr, en]\n",
        ),
    )
    note = (
        "2 text(s) have no 'en' translation; the 'fr' text is used "
        "(cookielint check lists them as CL103)"
    )
    for target in ("tcf", "klaro", "cookieconsent", "ocd-csv"):
        status, _, err = export(str(policy), "--to", target)
        assert status == 0 and f"cookielint: {target}: {note}" in err.splitlines(), target
