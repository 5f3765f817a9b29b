"""The built-in data (known cookies, the provider registry): written and reviewed as YAML in
``cookielint/data/``, read at run time from the JSON made from it, which loads in a tenth of
the time (a one-file run, a pre-commit hook's, pays for it on every commit). The provider
registry is read as its index (``providers-index.json``), every name already normalised.
The vocabulary's catalogs (``cookielint/publish/locales/*/LC_MESSAGES/messages.po``) are
compiled beside them, with its date formats (``cookielint.publish.i18n``).

    python -m cookielint.builtin_data      # after editing cookielint/data/*.yaml or a .po

A test fails while a JSON or ``.mo`` file is not what its source says.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"
NAMES = ("known-cookies",)
# The registry that providers.yaml makes, as ``cookielint.providers.index`` writes it.
PROVIDERS_INDEX = "providers-index"


def load(name: str) -> Any:
    """The data of ``cookielint/data/NAME.yaml``, as compiled."""
    return json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))


def from_yaml(name: str) -> Any:
    """The data of ``cookielint/data/NAME.yaml``, read with cookielint's own reader."""
    from cookielint.document import Document, clean, parse

    document = clean(parse((DATA / f"{name}.yaml").read_text(encoding="utf-8")))
    if not isinstance(document, Document):
        raise ValueError(f"cookielint/data/{name}.yaml: {document}")
    return document.data


def providers_index() -> Any:
    """The index of the provider registry that ``providers.yaml`` makes."""
    from cookielint import providers

    return providers.index(providers.build(from_yaml("providers")))


def compile_all() -> None:
    for name in NAMES:
        _write(name, from_yaml(name))
    _write(PROVIDERS_INDEX, providers_index())
    from cookielint.publish import i18n

    for language in i18n.catalog_languages()[1:]:  # English is the source: no catalog
        i18n.catalog_file(language, ".mo").write_bytes(i18n.compiled_catalog(language))
    dates = json.dumps(i18n.date_formats(), ensure_ascii=False, indent=1, sort_keys=True)
    i18n.DATES.write_text(dates + "\n", encoding="utf-8")


def _write(name: str, data: Any) -> None:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    (DATA / f"{name}.json").write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    compile_all()
