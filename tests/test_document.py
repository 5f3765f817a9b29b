"""Reading files: positions of keys and values, and every file problem as a finding."""

from __future__ import annotations

import pytest
from conftest import VALID_POLICY

from cookielint.document import Document, ReadError, decode, parse
from cookielint.pipeline import lint_bytes, lint_text


def codes(findings):
    return [(f.code, f.line, f.column) for f in findings]


def test_positions_of_values_and_keys():
    document = parse(VALID_POLICY)
    assert isinstance(document, Document)
    assert document.repeated_keys == () and document.issues == ()
    assert document.locate("") == (1, 1)
    assert document.locate("/site/url") == (4, 8)
    assert document.locate("/site/url", key=True) == (4, 3)
    assert document.locate("/cookies/0") == (6, 5)
    assert document.locate("/cookies/0/purposes/0") == (10, 16)
    assert document.locate("/cookies/0/consent", key=True) == (11, 5)


def test_unknown_pointer_falls_back_to_the_deepest_known_node():
    document = parse(VALID_POLICY)
    assert isinstance(document, Document)
    assert document.locate("/cookies/0/missing") == (6, 5)
    assert document.locate("/cookies/7/name") == (6, 3)


def test_pointer_escapes():
    document = parse("a/b: {c~d: 1}\n")
    assert isinstance(document, Document)
    assert document.locate("/a~1b/c~0d") == (1, 12)


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_positions_with_crlf_and_cr_line_endings(newline):
    text = VALID_POLICY.replace("exempt", "required").replace("party: first", "party: 3rd")
    text = text.replace("\n", newline)
    assert codes(lint_text(text, "p.yaml")) == [("CL003", 8, 12), ("CL206", 11, 14)]


def test_positions_after_a_bom_and_non_ascii():
    text = "\ufeff" + VALID_POLICY.replace("Example shop\n", "Café ünïcødé\n", 1).replace(
        "name: cart", "name: panier_café"
    )
    findings = lint_bytes(text.encode("utf-8"), "p.yaml")
    assert codes(findings) == [("CL405", 6, 11)]
    assert findings[0].message == "cookie 'panier_café' has characters not allowed in a name: 'é'"


def test_positions_in_flow_style():
    text = (
        'version: 1\nsite: {name: x, url: "https://x.org"}\ncookies: [{name: a, provider: p, party: first, '
        "category: necessary, purposes: [x], consent: required, duration: session}]\n"
    )
    assert codes(lint_text(text, "p.yaml")) == [("CL206", 3, 93)]


def test_duplicate_keys_at_every_level_last_value_wins():
    text = VALID_POLICY.replace("version: 1\n", "version: 1\nversion: 1\n").replace(
        "    consent: exempt\n", "    consent: exempt\n    consent: required\n"
    )
    findings = lint_text(text, "p.yaml")
    assert codes(findings) == [("CL004", 2, 1), ("CL004", 13, 5), ("CL206", 13, 14)]
    assert (
        findings[0].message
        == "duplicate key 'version' (first on line 1); the last value is the one read"
    )
    assert findings[1].message.startswith(
        "cookie 'cart': duplicate key 'consent' (first on line 12)"
    )


def test_three_occurrences_give_two_findings():
    findings = lint_text("a: 1\na: 2\na: 3\n", "p.yaml")
    assert [(f.code, f.line) for f in findings if f.code == "CL004"] == [("CL004", 2), ("CL004", 3)]


def test_merge_keys_and_anchors_are_read():
    text = VALID_POLICY + (
        "  - &base\n    name: a\n    provider: p\n    party: first\n    category: necessary\n"
        "    purposes: [To keep things]\n    consent: exempt\n    duration: session\n"
        "  - <<: *base\n    name: b\n    consent: required\n"
    )
    findings = lint_text(text, "p.yaml")
    # The merged declaration is read with its own consent; its position is its own key.
    assert codes(findings) == [("CL206", 23, 14)]


def test_unsafe_tags_are_refused_not_run(tmp_path):
    marker = tmp_path / "ran"
    text = f"version: !!python/object/apply:os.system ['touch {marker}']\n"
    findings = lint_text(text, "p.yaml")
    assert codes(findings) == [("CL001", 1, 10)]
    assert findings[0].message == "unsupported tag !!python/object/apply:os.system"
    assert not marker.exists()


def test_billion_laughs_is_refused():
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    findings = lint_text("\n".join(lines) + "\n", "p.yaml")
    assert [f.code for f in findings] == ["CL002"]
    assert "aliases expand to over 100,000 extra nodes" in findings[0].message


def test_recursive_alias_is_refused():
    assert [f.code for f in lint_text("a: &x [*x]\n", "p.yaml")] == ["CL001"]


def test_deep_nesting_is_refused():
    text = "a: " + "[" * 100 + "]" * 100 + "\n"
    findings = lint_text(text, "p.yaml")
    assert [f.code for f in findings] == ["CL002"]
    assert findings[0].message == "nested deeper than 64 levels"


def test_second_document_is_reported_at_its_start():
    findings = lint_text(VALID_POLICY + "---\nversion: 1\n", "p.yaml")
    assert codes(findings) == [("CL002", 13, 1)]


def test_non_string_keys_are_unknown_keys():
    findings = lint_text(VALID_POLICY + "1: x\nnull: y\n", "p.yaml")
    assert codes(findings) == [("CL003", 13, 1), ("CL003", 14, 1)]
    assert findings[0].message.startswith("unknown key '1'")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"a: 1\x00", "file is binary (it contains NUL bytes)"),
        ("a: 1".encode("utf-16"), "file is UTF-16 encoded; policies must be UTF-8"),
        (b"a: caf\xe9\n", "file is not valid UTF-8 (byte 0xe9 on line 1)"),
    ],
)
def test_unreadable_bytes(raw, message):
    findings = lint_bytes(raw, "p.yaml")
    assert [(f.code, f.line, f.column, f.message) for f in findings] == [("CL002", 1, 1, message)]


def test_size_limit():
    assert decode(b"a: 1\n" * 10, max_size=20).message == "file is 50 bytes, over the 20-byte limit"


def test_control_character_is_a_syntax_finding():
    findings = lint_text("version: 1\nsite: \x07\n", "p.yaml")
    assert [(f.code, f.line, f.column, f.message) for f in findings] == [
        ("CL001", 2, 7, "character #x0007 is not allowed in YAML")
    ]


@pytest.mark.parametrize("text", ["", "# only a comment\n", "~\n", "null\n"])
def test_empty_documents(text):
    findings = lint_text(text, "p.yaml")
    assert [(f.code, f.line, f.column, f.message) for f in findings] == [
        ("CL003", 1, 1, "the file is empty; a policy needs version, site and cookies")
    ]


def test_truthy_words_elsewhere_get_a_quoting_hint():
    text = VALID_POLICY.replace("name: Example shop", "name: yes")
    findings = lint_text(text, "p.yaml")
    assert [(f.code, f.message) for f in findings] == [
        (
            "CL003",
            "'site.name' must be a string, not true (YAML 1.1 reads the unquoted yes as a boolean; quote it)",
        )
    ]


def test_a_broken_field_does_not_hide_findings_on_the_rest():
    text = VALID_POLICY.replace("duration: session", "duration: forever").replace(
        "consent: exempt", "consent: required"
    )
    assert [f.code for f in lint_text(text, "p.yaml")] == ["CL206", "CL003"]


def test_wildcards_match_in_linear_time():
    import time

    from cookielint.names import matches

    assert matches("_ga_*", "_ga_ABC") and matches("_ga_*", "_ga_") and not matches("_ga_*", "_ga")
    assert matches("a*b*c", "abc") and matches("a*b*c", "a-b-b-c") and not matches("a*b*c", "acb")
    assert matches("*", "") and matches("**", "x") and matches("_pk_id.*.*", "_pk_id.1.ab")
    assert not matches("ab*ba", "aba")  # the pieces may not overlap
    started = time.perf_counter()
    assert not matches("a*" * 40 + "b", "a" * 10_000)
    assert time.perf_counter() - started < 0.1


def test_catastrophic_wildcards_in_a_policy_are_fast():
    import time

    text = VALID_POLICY.replace("name: cart", "name: 'a*a*a*a*a*a*a*a*a*a*a*a*b'") + (
        "  - name: " + "a" * 60 + "\n    provider: x\n    party: first\n    category: necessary\n"
        "    purposes: [y]\n    consent: exempt\n    duration: session\n"
    )
    started = time.perf_counter()
    assert [f.code for f in lint_text(text, "p.yaml")] == []
    assert time.perf_counter() - started < 1


# What running the official YAML test suite against the reader found, and a suppression
# that once stopped working when a file redefined an anchor (valid YAML 1.2).


def test_a_suppression_above_a_declaration_works_in_a_file_that_redefines_an_anchor():
    text = (
        "version: 1\n"
        'site: {name: &n Example, url: "https://example.org"}\n'
        "providers:\n"
        "  - name: &n Matomo\n"
        "cookies:\n"
        "  # cookielint: disable=CL201 -- audited by the DPO\n"
        "  - name: _pk_id.*\n"
        "    provider: *n\n"
        "    party: first\n"
        "    category: statistics\n"
        "    purposes: [To count visits]\n"
        "    consent: exempt\n"
        "    duration: 13 months\n"
    )
    assert lint_text(text, "p.yaml") == []
    # without the suppression, the finding it covers is there (line 12, below the `- name:`)
    unsuppressed = text.replace("  # cookielint: disable=CL201 -- audited by the DPO\n", "")
    assert codes(lint_text(unsuppressed, "p.yaml")) == [("CL201", 11, 14)]


def test_the_position_of_a_value_under_an_alias_used_as_a_key():
    document = parse("a: &k name\nb:\n  *k : value\n")
    assert isinstance(document, Document)
    assert document.data == {"a": "name", "b": {"name": "value"}}
    assert document.locate("/b/name") == (3, 8)
    assert document.locate("/b/name", key=True) == (3, 3)


def test_a_document_that_is_only_a_merge_key_is_a_syntax_error_with_a_plain_message():
    findings = lint_text("<<\n", "p.yaml")
    assert [(f.code, f.line, f.column, f.message) for f in findings] == [
        ("CL001", 1, 1, "'<<' can only be a merge key")
    ]
    assert parse("- <<\n") == ReadError("syntax", "'<<' can only be a merge key", 1, 3)


def test_an_equals_sign_key_is_read_as_pyyaml_reads_it():
    import yaml

    document = parse("=: a\n")
    assert isinstance(document, Document)
    assert document.data == yaml.safe_load("=: a\n") == {"=": "a"}
    findings = lint_text("=: a\n", "p.yaml")
    assert [(f.line, f.column) for f in findings if f.message.startswith("unknown key '='")] == [
        (1, 1)
    ]


def test_the_parsed_document_is_not_changed_by_checking_it():
    from cookielint.pipeline import analyse

    text = VALID_POLICY.replace("name: cart", "name: cart\n    secure: y")
    document = parse(text)
    assert isinstance(document, Document)
    assert document.data["cookies"][0]["secure"] == "y"
    problems = analyse(document)
    assert [p.code for p in problems] == ["CL006"]
    assert document.data["cookies"][0]["secure"] == "y"  # read as true for the rules, not written


def test_a_syntax_error_at_the_end_of_a_text_without_a_final_line_break_is_on_its_last_line():
    # libyaml reports the line after the last; an editor or annotation can't show that line.
    assert codes(lint_text("{", "p.yaml")) == [("CL001", 1, 2)]
    assert codes(lint_text("a: [\n", "p.yaml")) == [("CL001", 2, 1)]
