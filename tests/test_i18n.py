"""The vocabulary catalogs: complete, current with the code, and what the wheel ships."""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from babel.dates import format_date
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po
from conftest import ROOT, VALID_POLICY

from cookielint.publish import i18n

LOCALES = ROOT / "cookielint" / "publish" / "locales"
KEYWORDS = {"N_": None, "Np_": (1, 2), "_": None, "gettext": None}


def _template() -> set[object]:
    with (LOCALES / "messages.pot").open("rb") as stream:
        return {message.id for message in read_po(stream) if message.id}


def test_the_template_holds_every_message_the_code_and_templates_use() -> None:
    found: set[object] = set()
    publish = ROOT / "cookielint" / "publish"
    for path in [*publish.glob("*.py"), *publish.glob("export/*.py")]:
        for _, message, _, _ in extract_from_file("python", str(path), keywords=KEYWORDS):
            found.add(message)
    for path in (publish / "templates").iterdir():
        for _, message, _, _ in extract_from_file(
            "jinja2.ext:babel_extract", str(path), keywords=KEYWORDS
        ):
            found.add(message)
    assert found == _template()


@pytest.mark.parametrize("language", ["fr", "de"])
def test_every_catalog_translates_every_message(language: str) -> None:
    with (LOCALES / language / "LC_MESSAGES" / "messages.po").open("rb") as stream:
        catalog = read_po(stream, locale=language)
    assert {m.id for m in catalog if m.id} == _template()
    for message in catalog:
        if not message.id:
            continue
        assert not message.fuzzy, message.id
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), message.id
        if message.python_format:
            placeholders = {"%(num)d", "%(site)s", "%(url)s", "%(date)s"}
            msgid = message.id if isinstance(message.id, str) else message.id[0]
            used = {p for p in placeholders if p in msgid}
            assert all(used <= {p for p in placeholders if p in s} for s in strings), message.id


def test_the_catalogs_are_the_shipped_languages() -> None:
    assert i18n.catalog_languages() == ("en", "de", "fr")
    assert i18n.vocabulary_language("fr-CA") == "fr"
    assert i18n.vocabulary_language("DE") == "de"
    assert i18n.vocabulary_language("pt-BR") is None


@pytest.mark.slow
def test_the_wheel_carries_templates_catalogs_and_schemas(tmp_path: Path) -> None:
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = tmp_path.glob("cookielint-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in (
        "cookielint/publish/templates/page.md",
        "cookielint/publish/templates/page.html",
        "cookielint/publish/templates/standalone.html",
        "cookielint/publish/locales/messages.pot",
        "cookielint/publish/locales/fr/LC_MESSAGES/messages.po",
        "cookielint/publish/locales/de/LC_MESSAGES/messages.po",
        "cookielint/publish/locales/fr/LC_MESSAGES/messages.mo",
        "cookielint/publish/locales/de/LC_MESSAGES/messages.mo",
        "cookielint/publish/locales/dates.json",
        "cookielint/data/cookie-policy.schema.json",
        "cookielint/data/tcf-device-storage-disclosure.schema.json",
    ):
        assert name in names, name


@pytest.mark.parametrize("language", ["fr", "de"])
def test_each_compiled_catalog_is_what_its_po_file_says(language: str) -> None:
    """Regenerate with: python -m cookielint.builtin_data"""
    assert i18n.catalog_file(language, ".mo").read_bytes() == i18n.compiled_catalog(language)


def test_the_date_formats_are_babels() -> None:
    """Regenerate with: python -m cookielint.builtin_data"""
    assert json.loads(i18n.DATES.read_text(encoding="utf-8")) == i18n.date_formats()


@pytest.mark.parametrize("language", ["en", "fr", "de"])
def test_a_date_is_written_as_babel_writes_it(language: str) -> None:
    vocabulary = i18n.Vocabulary.for_tag(language)
    days = [datetime.date(2024, 1, 1) + datetime.timedelta(days=n) for n in range(366)]
    days += [datetime.date(1, 1, 1), datetime.date(999, 9, 9), datetime.date(9999, 12, 31)]
    for day in days:
        expected = format_date(day, format="long", locale=language)
        assert vocabulary.date(day.isoformat()) == expected


def test_a_region_or_another_language_is_written_by_babel() -> None:
    assert i18n.Vocabulary.for_tag("es").date("2026-11-29") == "29 de noviembre de 2026"
    assert i18n.Vocabulary.for_tag("en-GB").date("2026-11-29") == "29 November 2026"
    assert i18n.Vocabulary.for_tag("fr").date("2026-13-45") == "2026-13-45"


def test_a_page_in_a_catalog_language_is_written_without_babel(tmp_path: Path) -> None:
    """Babel and its locale data take longer to load than a small page takes to render."""
    policy = tmp_path / "policy.yaml"
    policy.write_text(VALID_POLICY + "updated: 2026-11-29\n", encoding="utf-8")
    script = (
        "import sys\n"
        "from cookielint.cli import main\n"
        "try:\n"
        "    main()\n"
        "finally:\n"
        "    babel = [m for m in sys.modules if m.startswith('babel')]\n"
        "    sys.stderr.write(f'babel modules: {babel}\\n')\n"
    )
    for language in ("en", "fr", "de"):
        done = subprocess.run(
            [sys.executable, "-c", script, "render", str(policy), "--lang", language],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        assert done.stderr.endswith("babel modules: []\n"), done.stderr
        assert "2026" in done.stdout and "29" in done.stdout
