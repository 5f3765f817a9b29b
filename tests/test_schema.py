"""The JSON Schema: valid draft 2020-12, accepts every shipped policy, and agrees with an independent validator."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, VALID_POLICY
from jsonschema import Draft202012Validator

SCHEMA_PATH = ROOT / "schema" / "cookie-policy.schema.json"
POLICIES = sorted((ROOT / "policies").glob("*.yaml"))
SCHEMA = json.loads(SCHEMA_PATH.read_text())


def test_schema_is_valid_draft_2020_12():
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert SCHEMA["$id"]
    Draft202012Validator.check_schema(SCHEMA)


def test_every_property_has_a_title_and_description():
    def walk(node, where):
        for name, child in node.get("properties", {}).items():
            assert child.get("title") and child.get("description"), f"{where}/{name}"
            walk(child, f"{where}/{name}")
        if isinstance(node.get("items"), dict) and "$ref" not in node["items"]:
            walk(node["items"], f"{where}/items")

    walk(SCHEMA, "")
    for name, definition in SCHEMA["$defs"].items():
        walk(definition, f"$defs/{name}")


def test_there_are_at_least_three_policies():
    assert len(POLICIES) >= 3
    assert ROOT / "policies" / "gpseo.opendatasoft.com.yaml" in POLICIES


@pytest.mark.parametrize("policy", POLICIES, ids=lambda p: p.name)
def test_policy_is_valid(policy: Path):
    errors = list(Draft202012Validator(SCHEMA).iter_errors(yaml.safe_load(policy.read_text())))
    assert errors == []


def _check_jsonschema(*paths: Path) -> subprocess.CompletedProcess:
    executable = shutil.which("check-jsonschema") or str(
        Path(sys.executable).parent / "check-jsonschema"
    )
    return subprocess.run(
        [executable, "--schemafile", str(SCHEMA_PATH), *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
def test_check_jsonschema_accepts_the_policies():
    result = _check_jsonschema(*POLICIES)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda t: t.replace("    purposes: [To keep the visitor's shopping cart]\n", ""),
            "'purposes' is a required property",
        ),
        (lambda t: t + "    colour: blue\n", "('colour' was unexpected)"),
        (lambda t: t.replace("duration: session", "duration: 2 fortnights"), "does not match"),
        (lambda t: t.replace("name: cart", "name: '**'"), "does not match"),
    ],
    ids=["missing-purposes", "unknown-key", "bad-duration", "only-wildcards"],
)
@pytest.mark.slow
def test_check_jsonschema_rejects(tmp_path: Path, change, expected: str):
    path = tmp_path / "bad.yaml"
    path.write_text(change(VALID_POLICY))
    result = _check_jsonschema(path)
    assert result.returncode == 1
    assert expected in result.stdout


@pytest.mark.slow
def test_the_wheel_carries_the_schema(tmp_path: Path):
    """The installed CLI reads the schema from the package; it must be the one in schema/."""
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("cookielint-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        assert archive.read("cookielint/data/cookie-policy.schema.json") == SCHEMA_PATH.read_bytes()
        assert "cookielint/rules/consent.py" in archive.namelist()
