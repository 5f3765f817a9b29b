"""Property tests: whatever the input, `check` never raises, every finding lies inside the file,
and every output format stays well-formed.

CI runs a fixed, derandomized budget (the "ci" profile in conftest.py); search longer with
    HYPOTHESIS_PROFILE=long pytest tests/test_fuzz.py
"""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET

import yaml
from hypothesis import given
from hypothesis import strategies as st

from cookielint import rules
from cookielint.document import LINE_BREAK
from cookielint.finding import Report
from cookielint.pipeline import lint_bytes, lint_text
from cookielint.reporters import REPORTERS, ReportOptions, reporter_class

_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
WORKFLOW_COMMAND = re.compile(
    r"::(error|warning|notice) [a-z]+=[^,:\r\n]*(,[a-z]+=[^,:\r\n]*)*::[^\r\n]*"
)
UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

YAMLISH = st.lists(
    st.sampled_from(
        list("abcdefgxyz019 :-[]{},#&*!|>'\"%@`?\t\n\r.\\~")
        + ["\x1b", "\x00", "\x85", "\u2028", "é", "\ufeff", "\ud800"]
        + [
            "version",
            "cookies",
            "site",
            "name",
            "purposes",
            "consent",
            "yes",
            "no",
            "<<",
            "---",
            "...",
        ]
    ),
    max_size=120,
).map("".join)

FIELD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-10, 10**20),
    st.floats(allow_nan=True),
    st.text(max_size=20),
    st.sampled_from(
        [
            "first",
            "third",
            "necessary",
            "statistics",
            "marketing",
            "social",
            "preferences",
            "exempt",
            "required",
            "session",
            "13 months",
            "2 years",
            "P2W",
            "PT30M",
            "*",
            "_ga_*",
            "__Host-x",
            "__Secure-x",
            "none",
            "lax",
            "strict",
            "TODO",
            "/",
            "/app",
            ".example.org",
            "yes",
            "no",
        ]
    ),
    st.lists(st.text(max_size=10), max_size=3),
)
COOKIE = st.dictionaries(
    st.sampled_from(
        [
            "name",
            "provider",
            "party",
            "category",
            "purposes",
            "consent",
            "duration",
            "storage",
            "anonymized",
            "refresh",
            "domain",
            "path",
            "secure",
            "http_only",
            "same_site",
            "function",
            "location",
            "description",
            "bogus",
        ]
    ),
    FIELD_VALUES,
    max_size=16,
)
POLICY = st.fixed_dictionaries(
    {
        "version": st.one_of(st.just(1), FIELD_VALUES),
        "site": st.one_of(
            st.fixed_dictionaries(
                {
                    "name": st.text(max_size=10),
                    "url": st.sampled_from(["https://x.org", "ftp://x", "x"]),
                }
            ),
            FIELD_VALUES,
        ),
        "cookies": st.one_of(st.lists(st.one_of(COOKIE, FIELD_VALUES), max_size=6), FIELD_VALUES),
    },
    optional={
        "providers": st.lists(
            st.one_of(st.fixed_dictionaries({"name": FIELD_VALUES}), FIELD_VALUES), max_size=3
        )
    },
)


def _assert_sound(text: str, findings) -> None:
    lines = _BREAKS.split(text.removeprefix("\ufeff"))
    for f in findings:
        assert 1 <= f.line <= len(lines) + 1, f
        assert (
            1 <= f.column <= len(lines[f.line - 1]) + 1 if f.line <= len(lines) else f.column == 1
        ), f
        assert f.code and f.message and f.name
    _assert_formats(findings)


def _assert_formats(findings) -> None:
    checked = ["fuzz.yaml"] if not findings else sorted({f.path for f in findings})
    report = Report(checked, findings, rules=rules.used_by(findings))
    for name in REPORTERS:
        stream = io.StringIO()
        reporter_class(name)(stream, ReportOptions()).report(report)
        out = stream.getvalue()
        if name in ("json", "sarif", "gitlab"):
            json.loads(out)
        elif name == "junit":
            ET.fromstring(out.encode("utf-8", errors="surrogateescape"))
        elif name == "github":
            lines = out.splitlines()
            assert len(lines) == len(findings)
            assert all(WORKFLOW_COMMAND.fullmatch(line) for line in lines), out
        else:
            assert not UNSAFE.search(out), out
        if name not in ("junit", "github"):
            assert out.endswith("\n")


@given(YAMLISH)
def test_any_text(text):
    _assert_sound(text, lint_text(text, "fuzz.yaml"))


@given(st.binary(max_size=300))
def test_any_bytes(raw):
    findings = lint_bytes(raw, "fuzz.yaml")
    assert findings, "no bytes of this size make a policy"
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = None
    if text is None or "\x00" in text:
        # Not UTF-8, or binary: one CL002 for the file, nothing else.
        assert [(f.code, f.line, f.column) for f in findings] == [("CL002", 1, 1)]
    else:
        lines = len(LINE_BREAK.split(text))
        assert all(1 <= f.line <= lines and f.column >= 1 for f in findings)
    _assert_formats(findings)


@given(POLICY)
def test_policy_shaped_documents(policy):
    text = yaml.safe_dump(policy, allow_unicode=True, sort_keys=False)
    _assert_sound(text, lint_text(text, "fuzz.yaml"))


@given(POLICY, st.sampled_from(["flow", "block"]))
def test_policy_shaped_documents_in_both_styles(policy, style):
    text = yaml.safe_dump(policy, default_flow_style=(style == "flow"), width=40)
    _assert_sound(text, lint_text(text, "fuzz.yaml"))


# The data cookielint reads is the data PyYAML reads ------------------------------------------------

LEAVES = [
    "yes",
    "no",
    "On",
    "y",
    "N",
    "true",
    "1",
    "1.5",
    "[1]",
    "{}",
    "[]",
    "x",
    "~",
    "'yes'",
    "session",
    "exempt",
    "2 years",
    "first",
    "'_ga_*'",
    "__Host-a",
    "[TODO]",
    "2001-12-14",
    "0x1F",
    ".nan",
    "<<",
]
KEYS = ["name", "provider", "consent", "duration", "secure", "path", "<<", "'<<'", "yes", "1"]


@st.composite
def _node(draw, depth):
    kinds = ["leaf", "leaf", "map", "seq", "alias", "anchor"] if depth < 3 else ["leaf", "alias"]
    kind = draw(st.sampled_from(kinds))
    if kind == "leaf":
        return draw(st.sampled_from(LEAVES))
    if kind == "alias":
        return "*" + draw(st.sampled_from("ab"))
    if kind == "anchor":
        return "&" + draw(st.sampled_from("ab")) + " " + draw(_node(depth + 1))
    if kind == "seq":
        return "[" + ", ".join(draw(st.lists(_node(depth + 1), max_size=3))) + "]"
    pairs = [
        f"{draw(st.sampled_from(KEYS))}: {draw(_node(depth + 1))}"
        for _ in range(draw(st.integers(0, 4)))
    ]
    return "{" + ", ".join(pairs) + "}"


@st.composite
def _document(draw):
    keys = ["version", "site", "cookies", "<<"]
    lines = [
        f"{draw(st.sampled_from(keys))}: {draw(_node(0))}" for _ in range(draw(st.integers(1, 5)))
    ]
    return "\n".join(lines) + "\n"


class _NonStringKey(Exception):
    """PyYAML builds a key that is no string (cookielint keeps its text): not comparable."""


def _plain(value):
    """Comparable data: NaN equal to itself."""
    if isinstance(value, float) and value != value:
        return "NaN"
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise _NonStringKey
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


@given(_document())
def test_data_is_what_pyyaml_reads(text):
    from cookielint.document import Document, parse

    if "<<: [" in text:
        # Merging a list of mappings: YAML says the earlier one wins; PyYAML 6.0.3 keeps
        # whichever its object-identity test lets through. cookielint follows YAML.
        return
    document = parse(text)
    try:
        reference = yaml.load(text, Loader=yaml.CSafeLoader)
    except (yaml.YAMLError, TypeError, ValueError):
        return  # PyYAML refuses it: cookielint reports it instead (tested elsewhere)
    if not isinstance(document, Document):
        return  # refused by a limit or as unsafe
    try:
        theirs = _plain(reference)
    except _NonStringKey:
        return
    assert _plain(document.data) == theirs, text
