"""The model's reading of per-language texts, the contact, and the last-updated date."""

from __future__ import annotations

import pytest
from conftest import VALID_POLICY

from cookielint.document import Document, parse
from cookielint.pipeline import analyse, read_data
from cookielint.pipeline import lint_text as check_text
from cookielint.policy import build_policy
from cookielint.schema import validate


def _policy(text: str):
    document = parse(text, 100, 10_000)
    assert isinstance(document, Document) and not document.issues
    data = read_data(document)
    assert validate(data) == []
    return build_policy(data, set())


@pytest.mark.parametrize("written", ["2026-11-29", '"2026-11-29"', "'2026-11-29'"])
def test_updated_date_quoted_or_not(written: str) -> None:
    text = VALID_POLICY.replace("cookies:", f"updated: {written}\ncookies:")
    assert check_text(text, "p.yaml") == []
    assert _policy(text).updated == "2026-11-29"


def test_updated_in_another_form_is_reported() -> None:
    text = VALID_POLICY.replace("cookies:", "updated: 29/11/2026\ncookies:")
    findings = check_text(text, "p.yaml")
    assert [(f.code, f.line, f.column, f.message) for f in findings] == [
        ("CL003", 5, 10, "'updated' '29/11/2026' does not have the expected form")
    ]


def test_a_policy_without_updated_has_none() -> None:
    assert _policy(VALID_POLICY).updated is None


def test_texts_per_language_and_the_default_language_text() -> None:
    text = VALID_POLICY.replace(
        "  url: https://shop.example.com\n",
        "  url: https://shop.example.com\n  languages: [fr, en]\n"
        "  contact: {email: dpo@shop.example.com}\n",
    ).replace(
        "    purposes: [To keep the visitor's shopping cart]\n",
        "    function: {en: Cart, fr: Panier}\n"
        "    purposes:\n      - {en: To keep the cart, fr: Pour garder le panier}\n",
    )
    policy = _policy(text)
    assert policy.languages == ("fr", "en") and policy.default_language == "fr"
    assert policy.contact_email == "dpo@shop.example.com" and policy.contact_url is None
    cookie = policy.cookies[0]
    assert cookie.function == "Panier" and cookie.purposes == ["Pour garder le panier"]
    assert policy.texts["/cookies/0/function"].values == {"en": "Cart", "fr": "Panier"}
    # A plain string is the default language's text, in its field.
    assert policy.site_name == "Example shop" and "/site/name" not in policy.texts


def test_a_text_with_a_bad_language_tag_is_a_schema_finding() -> None:
    text = VALID_POLICY.replace(
        "    purposes: [To keep the visitor's shopping cart]\n",
        "    function: {english: Cart}\n    purposes: [To keep the visitor's shopping cart]\n",
    )
    findings = check_text(text, "p.yaml")
    assert [(f.code, f.line, f.column, f.message) for f in findings] == [
        (
            "CL003",
            10,
            16,
            "cookie 'cart': 'function' gives a text under 'english', which is not a BCP 47 "
            "language tag (en, fr, pt-BR)",
        )
    ]


def test_a_per_language_purpose_is_a_purpose() -> None:
    """A mapping of translations is a purpose, not a missing one (no CL101, no CL003)."""
    text = VALID_POLICY.replace(
        "    purposes: [To keep the visitor's shopping cart]\n",
        "    purposes:\n      - {en: To keep the cart}\n",
    )
    document = parse(text, 100, 10_000)
    assert isinstance(document, Document)
    assert analyse(document) == []
