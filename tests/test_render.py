"""``cookielint render``: golden pages of the seed policy, escaping, languages, --check."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, VALID_POLICY
from markdown_it import MarkdownIt

from cookielint.cli import cli
from cookielint.publish.render import TEMPLATES, markdown_escape

SEED = ROOT / "policies" / "gpseo.opendatasoft.com.yaml"
GOLDEN = Path(__file__).parent / "golden"
# COOKIELINT_UPDATE_GOLDEN=1 pytest tests/test_render.py rewrites the golden files.
UPDATE = os.environ.get("COOKIELINT_UPDATE_GOLDEN") == "1"


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cookielint", *args],
        capture_output=True,
        text=True,
        input=stdin,
        timeout=60,
    )


def render(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["render", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("language", ["en", "fr", "de"])
@pytest.mark.parametrize(("output_format", "suffix"), [("markdown", "md"), ("html", "html")])
def test_seed_policy_golden_pages(language: str, output_format: str, suffix: str) -> None:
    args = [str(SEED), "--lang", language, "--format", output_format]
    if output_format == "html":
        args.append("--standalone")
    status, out, err = render(*args)
    assert (status, err) == (0, "")
    golden = GOLDEN / f"gpseo.opendatasoft.com.{language}.{suffix}"
    if UPDATE:
        golden.write_text(out, encoding="utf-8")
    assert out == golden.read_text(encoding="utf-8")


def _markdown_rows(markdown: str) -> list[list[str]]:
    """The body rows of every table, cell texts as a Markdown reader sees them."""
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    rows, row, in_body = [], None, False
    for token in tokens:
        if token.type == "tbody_open":
            in_body = True
        elif token.type == "tbody_close":
            in_body = False
        elif in_body and token.type == "tr_open":
            row = []
        elif in_body and token.type == "tr_close":
            rows.append(row)
        elif in_body and token.type == "inline":
            row.append(token.content.replace("\\", ""))
    return rows


def test_seed_page_carries_the_public_pages_facts() -> None:
    """The public page's table (name, function, location, purposes) and the durations the
    sister portals give (SPEC §2.3), row for row."""
    status, out, _ = render(str(SEED))
    assert status == 0
    rows = _markdown_rows(out)
    facts = [
        ["sessionid", "Opendatasoft", "Authentication", "front office, back office",
         "To remember the user from one page to another", "2 weeks"],
        ["django_language", "Opendatasoft", "Language selection", "front office, back office",
         "To remember the visitor's language", "12 months"],
        ["csrftoken", "Opendatasoft", "API (CSRF)", "front office, back office",
         "To protect forms and API calls against cross-site request forgery", "12 months"],
        ["cookies_preferences", "Opendatasoft", "", "",
         "To store the visitor's cookie choices", "6 months"],
    ]  # fmt: skip
    assert [row[:6] for row in rows] == facts
    assert {tuple(row[6:]) for row in rows} == {("First party", "Cookie", "No")}


def test_a_table_has_function_and_location_columns_only_when_a_row_gives_them(
    tmp_path: Path,
) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text(VALID_POLICY, encoding="utf-8")
    _, markdown, _ = render(str(policy))
    assert (
        "| Name | Provider | Purposes | Duration | Party | Storage | Consent asked |\n" in markdown
    )
    assert "| cart | Example shop | To keep the visitor's shopping cart | Session |" in markdown
    _, page, _ = render(str(policy), "--format", "html")
    assert "Function" not in page and "Location" not in page
    policy.write_text(VALID_POLICY + "    location: [checkout]\n", encoding="utf-8")
    _, markdown, _ = render(str(policy))
    assert "| Name | Provider | Location | Purposes |" in markdown
    assert "| cart | Example shop | checkout | To keep" in markdown


def test_seed_html_rows_match_the_markdown_rows() -> None:
    _, markdown, _ = render(str(SEED), "--lang", "fr")
    _, page, _ = render(str(SEED), "--lang", "fr", "--format", "html")
    cells = re.findall(
        r"<tr>\n<th scope=\"row\"><code>(.*?)</code></th>\n((?:<td>.*</td>\n)+)</tr>", page
    )
    html_rows = [
        [name, *[unescape(re.sub("<[^>]+>", "", c)) for c in re.findall(r"<td>(.*?)</td>", tds)]]
        for name, tds in cells
    ]
    assert html_rows == _markdown_rows(markdown)
    assert html_rows[0][4] == "Se souvenir de l'utilisateur d'une page à l'autre"


INJECTION = """\
version: 1
site:
  name: "Shop | <b>bold</b> & `code`"
  url: https://shop.example.com
providers:
  - name: "Ads <img src=x onerror=alert(2)>"
    privacy_policy: https://ads.example.com/privacy?a=1&b=<2>
cookies:
  - name: "a|b`c"
    provider: "Ads <img src=x onerror=alert(2)>"
    party: third
    category: marketing
    function: "[link](javascript:alert(3)) **bold**"
    location: ["x\\ny", "# heading"]
    purposes:
      - <script>alert(1)</script>
      - <img src=x onerror=alert(1)>
      - "line one\\n| --- |\\nline two &amp; ![i](https://x/i.png)"
    consent: required
    duration: 13 months
"""


def test_markdown_escapes_every_policy_text(tmp_path: Path) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text(INJECTION, encoding="utf-8")
    status, out, err = render(str(policy))
    assert (status, err) == (0, "")
    html = MarkdownIt("commonmark").enable("table").render(out)
    for made in (
        "<script",
        "<img",
        "<b>",
        "<code>",
        "<strong>",
        "<em>",
        "<h1>Shop",
        "<h2># heading",
    ):
        assert made not in html.replace("<h1>Cookies on", "")
    assert "javascript:" not in re.sub(r">[^<]*<", "><", html)  # only ever as text
    rows = _markdown_rows(out)
    assert len(rows) == 1 and len(rows[0]) == 9
    name, provider, function, location, purposes = rows[0][:5]
    assert name == "a|b`c"
    assert provider.startswith("[Ads <img src=x onerror=alert(2)>](<https://ads.example.com/")
    assert function == "[link](javascript:alert(3)) **bold**"
    assert location == "x y, # heading"
    assert purposes == (
        "<script>alert(1)</script>; <img src=x onerror=alert(1)>; "
        "line one | --- | line two &amp; ![i](https://x/i.png)"
    )
    # The one link is the provider's privacy policy, its URL percent-encoded.
    assert re.findall(r'href="([^"]*)"', html) == [
        "https://ads.example.com/privacy?a=1&amp;b=%3C2%3E"
    ]


def test_html_escapes_every_policy_text(tmp_path: Path) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text(INJECTION, encoding="utf-8")
    status, out, _ = render(str(policy), "--format", "html")
    assert status == 0
    assert "<script" not in out and "<img" not in out and "<b>" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert '<a href="https://ads.example.com/privacy?a=1&amp;b=&lt;2&gt;">' in out


@pytest.mark.parametrize(
    "text", ["- item", "+ item", "= under", "1. first", "12) twelfth", "# title"]
)
def test_text_at_the_start_of_a_line_starts_no_block(text: str) -> None:
    markdown = "Title\n" + markdown_escape(text) + "\n"
    rendered = MarkdownIt("commonmark").render(markdown)
    assert rendered == f"<p>Title\n{text}</p>\n"


def test_markdown_escape_is_plain_text_for_a_markdown_reader() -> None:
    text = "*a* _b_ `c` [d](e) <f> &g; #h |i| ~~j~~ \\k"
    rendered = (
        MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown_escape(text))
    )
    assert rendered == "<p>*a* _b_ `c` [d](e) &lt;f&gt; &amp;g; #h |i| ~~j~~ \\k</p>\n"


@pytest.mark.parametrize(
    "name",
    [
        "_ga",
        "__Host-sessionid",
        "_pk_id.1.a3f9",
        "wp-settings-time-1",
        "AMP_TOKEN",
        "__utmz",
        "_",
        "1P_JAR",
        "12.x",
        "-x",
        "a__b__",
        "_ga_*",
        "é_é",
    ],
)
def test_a_cookie_name_shows_as_itself_in_a_table_cell(name: str) -> None:
    """Names take a shorter way through the escaping: a reader sees each exactly."""
    table = f"| a | b |\n|---|---|\n| {markdown_escape(name)} | x |\n"
    rendered = MarkdownIt("commonmark").enable("table").render(table)
    assert f"<td>{name}</td>" in rendered


MULTILINGUAL = VALID_POLICY.replace(
    "  url: https://shop.example.com\n",
    "  url: https://shop.example.com\n  languages: [en, fr]\nupdated: 2026-11-29\n",
).replace(
    "    purposes: [To keep the visitor's shopping cart]\n",
    "    function: {en: Cart, fr: Panier}\n"
    "    purposes:\n      - To keep the visitor's shopping cart\n",
)


def test_missing_translation_falls_back_and_is_listed(tmp_path: Path) -> None:
    policy = tmp_path / "shop.yaml"
    policy.write_text(MULTILINGUAL, encoding="utf-8")
    status, out, err = render(str(policy), "--lang", "fr")
    assert status == 0
    assert err.splitlines() == [
        f"{policy}:3:9: the site name has no 'fr' text; the 'en' text is shown",
        f"{policy}:14:9: cookie 'cart': 'purposes[0]' has no 'fr' text; the 'en' text is shown",
    ]
    assert "| cart | Example shop | Panier | To keep the visitor's shopping cart | Session |" in out
    assert "Dernière mise à jour : 29 novembre 2026" in out
    status, out, err = render(str(policy), "--lang", "en")
    assert (status, err) == (0, "") and "Last updated: November 29, 2026" in out


def test_a_language_without_a_catalog_is_said(tmp_path: Path) -> None:
    policy = tmp_path / "shop.yaml"
    policy.write_text(VALID_POLICY, encoding="utf-8")
    status, out, err = render(str(policy), "--lang", "pt-BR")
    assert status == 0 and "# Cookies on Example shop" in out
    assert err.splitlines()[0] == (
        "cookielint: no vocabulary in 'pt-BR' (cookielint has en, de, fr); "
        "headings and words are in English"
    )


def test_plural_forms_of_durations(tmp_path: Path) -> None:
    policy = tmp_path / "shop.yaml"
    body = VALID_POLICY.replace("duration: session", "duration: {}")
    expected = {
        "1 month": ("1 month", "1 mois", "1 Monat"),
        "2 months": ("2 months", "2 mois", "2 Monate"),
        "P1Y6M": ("1 year 6 months", "1 an 6 mois", "1 Jahr 6 Monate"),
        "P1DT12H": ("1 day 12 hours", "1 jour 12 heures", "1 Tag 12 Stunden"),
        "PT30M": ("30 minutes", "30 minutes", "30 Minuten"),
        "1 week": ("1 week", "1 semaine", "1 Woche"),
    }
    for written, words in expected.items():
        policy.write_text(body.format(written), encoding="utf-8")
        for language, word in zip(("en", "fr", "de"), words, strict=True):
            _, out, _ = render(str(policy), "--lang", language)
            assert f"| {word} |" in out, (written, language)


def test_check_passes_on_a_fresh_page_and_fails_with_a_diff_on_a_stale_one(tmp_path: Path) -> None:
    page = tmp_path / "cookies.md"
    status, out, err = render(str(SEED), "-o", str(page))
    assert (status, out, err) == (0, "", "")
    assert render(str(SEED), "-o", str(page), "--check") == (0, "", "")
    page.write_text(page.read_text().replace("2 weeks", "3 weeks"))
    status, out, err = render(str(SEED), "-o", str(page), "--check")
    assert status == 1
    assert out.splitlines()[:2] == [f"--- {page}", f"+++ {page} (rendered)"]
    assert "-| sessionid | Opendatasoft | Authentication" in out and "3 weeks" in out
    assert "+| sessionid | Opendatasoft | Authentication" in out
    assert err == f"{page}: is stale; run the same command without --check to update it\n"
    assert "3 weeks" in page.read_text()  # --check writes nothing


def test_check_on_a_missing_page(tmp_path: Path) -> None:
    page = tmp_path / "missing.md"
    status, _, err = render(str(SEED), "-o", str(page), "--check")
    assert status == 1 and err == f"{page}: does not exist; run without --check to write it\n"
    assert not page.exists()
    status, _, err = render(str(SEED), "--check")
    assert status == 2 and "--check needs -o PATH" in err


def test_a_template_directory_overrides_a_built_in_template(tmp_path: Path) -> None:
    (tmp_path / "page.md").write_text(
        "{{ page.title }}: {% for row in page.cookies %}{{ row.name }} ({{ row.duration }}) {% endfor %}\n"
    )
    status, out, _ = render(str(SEED), "--template", str(tmp_path), "--lang", "de")
    assert status == 0
    assert out == (
        "Cookies auf Open-Data-Portal von GPSEO: sessionid (2 Wochen) django\\_language "
        "(12 Monate) csrftoken (12 Monate) cookies\\_preferences (6 Monate) "
    )
    # The HTML templates it does not override are the built-in ones.
    status, out, _ = render(str(SEED), "--template", str(tmp_path), "--format", "html")
    assert status == 0 and '<th scope="col">Name</th>' in out


def test_a_broken_template_is_exit_2(tmp_path: Path) -> None:
    (tmp_path / "page.md").write_text("{% for %}\n")
    status, _, err = render(str(SEED), "--template", str(tmp_path))
    assert status == 2 and err.startswith("cookielint: error: template error:")
    (tmp_path / "page.md").write_text("{{ page.nothing }}\n")
    status, _, err = render(str(SEED), "--template", str(tmp_path))
    assert status == 2 and "nothing" in err


def test_an_expression_that_raises_in_a_template_is_exit_2_with_its_line(tmp_path: Path) -> None:
    (tmp_path / "page.md").write_text("{{ page.title }}\n{{ 1 / 0 }}\n")
    status, out, err = render(str(SEED), "--template", str(tmp_path))
    assert (status, out) == (2, "")
    assert err == (
        f"cookielint: error: template error: {tmp_path / 'page.md'}:2: "
        "ZeroDivisionError: division by zero\n"
    )
    (tmp_path / "page.html").write_text("{{ page.sections[0].rows[0].name(1) }}\n")
    status, _, err = render(str(SEED), "--template", str(tmp_path), "--format", "html")
    assert status == 2
    assert err.endswith("page.html:1: TypeError: 'str' object is not callable\n")
    # A tuple the Markdown join can't cache is still joined.
    (tmp_path / "page.md").write_text('{{ ("a_b", ["c"]) | join_escaped("; ") }}\n')
    status, out, _ = render(str(SEED), "--template", str(tmp_path))
    assert (status, out) == (0, "a\\_b; \\['c'\\]\n")


def test_a_template_from_the_repository_runs_sandboxed(tmp_path: Path) -> None:
    """A template may come with a stranger's pull request: no way into Python's internals."""
    marker = tmp_path / "reached"
    (tmp_path / "page.md").write_text(
        "{{ page.title }}\n"
        "{{ page.__class__.__init__.__globals__['__builtins__']['open']('"
        + str(marker)
        + "', 'w') }}\n"
    )
    status, out, err = render(str(SEED), "--template", str(tmp_path))
    assert (status, out) == (2, "")
    assert err == (
        f"cookielint: error: template error: {tmp_path / 'page.md'}:2: "
        "access to attribute '__init__' of 'StrictUndefined' object is unsafe.\n"
    )
    assert not marker.exists()
    (tmp_path / "page.md").write_text("{{ page.words.__dict__ }}\n")
    status, _, err = render(str(SEED), "--template", str(tmp_path))
    assert status == 2 and "access to attribute '__dict__' of 'Vocabulary' object is unsafe" in err


def test_join_escaped_escapes_each_text_in_both_formats(tmp_path: Path) -> None:
    (tmp_path / "page.md").write_text('{{ ["a_b", "<c>"] | join_escaped(" | ") }}\n')
    (tmp_path / "page.html").write_text('{{ ["a&b", "<c>"] | join_escaped(", ") }}\n')
    _, markdown, _ = render(str(SEED), "--template", str(tmp_path))
    _, html, _ = render(str(SEED), "--template", str(tmp_path), "--format", "html")
    assert (markdown, html) == ("a\\_b | \\<c\\>\n", "a&amp;b, &lt;c&gt;\n")


def test_a_text_equal_to_an_escaped_one_is_still_escaped(tmp_path: Path) -> None:
    """Joins and links of repeated texts are kept; a plain text is never taken for Markdown
    built by cookielint that happens to be equal to it."""
    (tmp_path / "page.md").write_text(
        '{% set safe = "a_b" | link(None) %}'
        '{{ (safe,) | join_escaped(", ") }} {{ ("a\\\\_b",) | join_escaped(", ") }} '
        '{{ safe | link("https://x.example") }} {{ "a\\\\_b" | link("https://x.example") }}\n'
    )
    status, out, _ = render(str(SEED), "--template", str(tmp_path))
    assert status == 0
    assert out == (
        "a\\_b a\\\\\\_b [a\\_b](<https://x.example>) [a\\\\\\_b](<https://x.example>)\n"
    )
    # The other way round: the plain text first.
    (tmp_path / "page.md").write_text(
        '{% set safe = "c_d" | link(None) %}'
        '{{ ("c\\\\_d",) | join_escaped(", ") }} {{ (safe,) | join_escaped(", ") }} '
        '{{ "c\\\\_d" | link("https://x.example") }} {{ safe | link("https://x.example") }}\n'
    )
    status, out, _ = render(str(SEED), "--template", str(tmp_path))
    assert (status, out) == (
        0,
        "c\\\\\\_d c\\_d [c\\\\\\_d](<https://x.example>) [c\\_d](<https://x.example>)\n",
    )


def test_every_fallback_is_placed_in_one_pass_over_the_file(tmp_path, passes_over_text) -> None:
    """Placing each text shown in the default language with a pass of its own cost the file's
    size times the number of texts: minutes for a policy of 2,000 cookies."""
    cookies = "".join(
        f"  - name: c{i}\n    provider: Example shop\n    party: first\n"
        f"    category: necessary\n    purposes: [Keeps a cart]\n    consent: exempt\n"
        f"    duration: session\n"
        for i in range(30)
    )
    policy = tmp_path / "policy.yaml"
    policy.write_text(VALID_POLICY.split("cookies:\n")[0] + "cookies:\n" + cookies)
    status, _, err = render(str(policy), "--lang", "fr")
    assert status == 0 and len(passes_over_text) == 1
    assert len(err.splitlines()) == 31  # the site name, then each purpose
    assert err.splitlines()[1] == (
        f"{policy}:10:16: cookie 'c0': 'purposes[0]' has no 'fr' text; the 'en' text is shown"
    )


def test_a_policy_with_errors_is_not_rendered(tmp_path: Path) -> None:
    policy = tmp_path / "bad.yaml"
    policy.write_text(VALID_POLICY.replace("party: first", "party: 1st"), encoding="utf-8")
    page = tmp_path / "out.md"
    status, out, err = render(str(policy), "-o", str(page))
    assert status == 1 and out == "" and not page.exists()
    assert err.splitlines()[:2] == [
        f"cookielint: {policy} is not published: its form is not sound",
        f"{policy}:8:12: CL003 [error] cookie 'cart': 'party' must be one of first, third, "
        "not '1st'; use first: stored by the site visited",
    ]


def test_rule_errors_beyond_the_form_do_not_stop_rendering(tmp_path: Path) -> None:
    """A consent finding (CL202) is check's to report; the page shows the policy as written."""
    policy = tmp_path / "ads.yaml"
    policy.write_text(VALID_POLICY.replace("category: necessary", "category: marketing"))
    status, out, _ = render(str(policy))
    assert status == 0 and "## Marketing" in out


def test_usage_errors_are_exit_2(tmp_path: Path) -> None:
    status, out, err = render(str(SEED), "--lang", 'en"><script>')
    assert (status, out) == (2, "")
    assert err == (
        "cookielint: error: --lang 'en\"><script>' is not a BCP 47 language tag (en, fr, pt-BR)\n"
    )
    assert render(str(tmp_path / "nope.yaml"))[0] == 2
    assert render(str(SEED), "--template", str(tmp_path / "nope"))[0] == 2
    assert render(str(SEED), "--format", "pdf")[0] == 2


def test_render_from_standard_input_in_a_real_process() -> None:
    result = run("render", "-", "--format", "html", stdin=VALID_POLICY)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith('<section class="cookie-policy" lang="en"')
    assert '<h2 id="cookie-policy-title">Cookies on Example shop</h2>' in result.stdout


def test_a_control_character_in_a_policy_never_reaches_a_terminal(tmp_path: Path) -> None:
    policy = tmp_path / "esc.yaml"
    policy.write_text(VALID_POLICY.replace("name: Example shop\n", 'name: "Shop\\e[31m"\n', 1))
    from cookielint.commands.render import write_output

    class Terminal:
        written = ""

        def isatty(self) -> bool:
            return True

        def write(self, text: str) -> None:
            self.written += text

    terminal = Terminal()
    status, out, _ = render(str(policy))
    assert status == 0 and "\x1b" in out  # a file gets the page as rendered
    write_output(None, out, terminal, terminal)  # type: ignore[arg-type]
    assert "\x1b" not in terminal.written and "Shop\\x1b" in terminal.written


def _documented_loops() -> dict[str, str]:
    """The table-row loops docs/templates.md gives, by template name."""
    docs = (ROOT / "docs" / "templates.md").read_text(encoding="utf-8")
    markdown, html = re.findall(r"```jinja\n(.*?)```", docs, flags=re.S)
    return {"page.md": markdown, "page.html": html}


MIXED = """\
version: 1
site:
  name: Mixed
  url: https://mixed.example.org
  languages: [en, fr]
providers:
  - name: Us
  - name: "Ads & <Co>"
    privacy_policy: "https://ads.example.com/p?a=1&b='2'"
cookies:
  - name: "__Host-s|id"
    provider: Us
    category: necessary
    consent: exempt
    party: first
    duration: session
    purposes: [Keeps you signed in]
  - name: "_ga_*"
    provider: "Ads & <Co>"
    category: statistics
    consent: required
    party: third
    duration: 13 months
    function: {en: "Audience *measure*", fr: "Mesure d'audience"}
    location: ["front | office", "1. back"]
    purposes: ["Counts visits", {en: "<b>Tells</b> visitors apart"}]
  - name: "_ga"
    provider: "Ads & <Co>"
    category: statistics
    consent: required
    party: third
    duration: 13 months
    purposes: ["Counts visits", {en: "<b>Tells</b> visitors apart"}]
  - name: "_gid"
    provider: "Ads & <Co>"
    category: statistics
    consent: required
    party: third
    duration: 13 months
    purposes: ["Counts visits", {en: "<b>Tells</b> visitors apart"}]
  - name: "pref`s"
    provider: Us
    category: preferences
    consent: required
    party: first
    storage: local_storage
    duration: 1 year
    purposes: ["- remembers the theme"]
"""


@pytest.mark.parametrize(
    ("policy", "language"),
    [
        (str(SEED), "en"),
        (str(SEED), "fr"),
        (str(SEED), "de"),
        (str(ROOT / "policies" / "shop.example.com.yaml"), "en"),
        (str(ROOT / "policies" / "data.example.org.yaml"), "en"),
        ("injection", "en"),
        ("mixed", "en"),
        ("mixed", "fr"),
    ],
)
def test_table_rows_writes_what_the_documented_template_loop_writes(
    tmp_path: Path, policy: str, language: str
) -> None:
    """``{{ section | table_rows }}`` in the built-in templates is the loop docs/templates.md
    shows: a page rendered with the loop in its place is the same, byte for byte."""
    if policy in ("injection", "mixed"):
        path = tmp_path / f"{policy}.yaml"
        path.write_text(INJECTION if policy == "injection" else MIXED, encoding="utf-8")
        policy = str(path)
    looped = tmp_path / "looped"
    looped.mkdir()
    for name, loop in _documented_loops().items():
        built_in = (TEMPLATES / name).read_text(encoding="utf-8")
        assert built_in.count("{{ section | table_rows }}\n") == 1
        (looped / name).write_text(built_in.replace("{{ section | table_rows }}\n", loop))
    for output_format in ("markdown", "html"):
        args = [policy, "--lang", language, "--format", output_format]
        built_in = render(*args)
        status, page, _ = built_in
        assert status == 0
        assert ('<th scope="row">' if output_format == "html" else "|---|") in page
        assert render(*args, "--template", str(looped)) == built_in
