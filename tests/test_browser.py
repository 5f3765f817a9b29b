"""Real consumers in a real browser: the exported configurations loaded by the real
vanilla-cookieconsent and klaro packages, the rendered page checked by axe-core, in the
distribution's Chromium driven by Playwright.

The JavaScript packages are the versions pinned in tests/js/package-lock.json
(``npm ci --prefix tests/js``); .ci/run installs them and Chromium, and sets
COOKIELINT_REQUIRE_BROWSER=1 so that these tests fail rather than skip there.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner
from conftest import ROOT, VALID_POLICY

from cookielint.cli import cli
from cookielint.document import Document, parse

pytestmark = pytest.mark.slow

NODE_MODULES = ROOT / "tests" / "js" / "node_modules"
CHROMIUM = os.environ.get("COOKIELINT_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
REQUIRED = os.environ.get("COOKIELINT_REQUIRE_BROWSER") == "1"
SITE = "https://site.test"

POLICIES = sorted((ROOT / "policies").glob("*.yaml"))

# A policy with every category, consent asked and not, wildcards, a Domain and a Path.
EVERY_CATEGORY = (
    VALID_POLICY
    + """\
  - name: lang
    provider: Example shop
    party: first
    category: preferences
    purposes: [To remember the visitor's language]
    consent: required
    duration: 1 year
  - name: _ga_*
    provider: Google Analytics
    party: third
    category: statistics
    purposes: [To count visits]
    consent: required
    duration: 13 months
    domain: .shop.example.com
  - name: IDE
    provider: Google Ads
    party: third
    category: marketing
    purposes: [To show ads]
    consent: required
    duration: 13 months
    domain: doubleclick.net
    path: /
  - name: fr
    provider: Facebook
    party: third
    category: social
    purposes: [To show Facebook ads to visitors of the site]
    consent: required
    duration: 3 months
  - name: cart_backup
    provider: Example shop
    party: first
    category: necessary
    storage: local_storage
    purposes: [To restore the cart after a crash]
    consent: exempt
    duration: 1 week
"""
)

INJECTION = """\
version: 1
site:
  name: "Shop <img src=x onerror=alert('site')>"
  url: https://shop.example.com
providers:
  - name: "Ads <script>alert('provider')</script>"
    privacy_policy: "https://ads.example.com/privacy?\\"><img/src=x/onerror=alert('url')>"
cookies:
  - name: track
    provider: "Ads <script>alert('provider')</script>"
    party: third
    category: marketing
    function: "<b onmouseover=alert('function')>f</b>"
    purposes:
      - <script>alert(1)</script>
      - <img src=x onerror=alert(1)>
    consent: required
    duration: 13 months
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    missing = []
    if not Path(CHROMIUM).exists():
        missing.append(f"Chromium ({CHROMIUM}; apt-get install chromium)")
    if not NODE_MODULES.is_dir():
        missing.append("the npm packages (npm ci --prefix tests/js)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing.append("Playwright (pip install -e '.[test]')")
    if missing:
        message = "browser tests need " + ", ".join(missing) + "; .ci/run installs them"
        if REQUIRED:
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


# Recorded in every page: alert() calls (a script that ran) and images created.
_WATCH = """
window.__alerts = [];
window.alert = (message) => window.__alerts.push(String(message));
window.__images = [];
new MutationObserver((records) => {
  for (const record of records) for (const node of record.addedNodes) {
    if (node.nodeType !== 1) continue;
    for (const image of [node, ...node.querySelectorAll('img')])
      if (image.tagName === 'IMG') window.__images.push(image.outerHTML);
  }
}).observe(document, {childList: true, subtree: true});
"""


class Site:
    """A page served at https://site.test from files given here; nothing goes to the network."""

    def __init__(self, browser: Any, files: dict[str, tuple[str, bytes | str]]) -> None:
        self.errors: list[str] = []
        self.page = browser.new_page()
        self.page.add_init_script(_WATCH)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on(
            "dialog",
            lambda dialog: (self.errors.append(f"dialog {dialog.message}"), dialog.dismiss()),
        )

        def serve(route: Any) -> None:
            path = urlsplit(route.request.url).path
            if path not in files:
                route.fulfill(status=404, body="")
                return
            content_type, body = files[path]
            data = body.encode("utf-8") if isinstance(body, str) else body
            route.fulfill(status=200, content_type=f"{content_type}; charset=utf-8", body=data)

        self.page.route(f"{SITE}/**", serve)
        self.page.route(lambda url: not url.startswith(SITE), lambda route: route.abort())
        self.page.goto(f"{SITE}/")

    def close(self) -> None:
        self.page.close()

    def scripts_ran(self) -> list[str]:
        return self.page.evaluate("window.__alerts")

    def images(self) -> list[str]:
        return self.page.evaluate("window.__images")


def _invoke(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.stderr
    return result.stdout


def _policy_file(tmp_path: Path, text: str, name: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _cookie_names(policy: str) -> list[str]:
    document = parse(Path(policy).read_text(encoding="utf-8"), 100, 10_000)
    assert isinstance(document, Document)
    return [cookie["name"] for cookie in document.data["cookies"]]


def _languages(policy: str) -> list[str]:
    document = parse(Path(policy).read_text(encoding="utf-8"), 100, 10_000)
    assert isinstance(document, Document)
    return document.data["site"].get("languages") or ["en"]


CASES = [pytest.param(str(p), id=p.name) for p in POLICIES] + [
    pytest.param("every-category", id="every-category")
]


def _policy_path(case: str, tmp_path: Path) -> str:
    if case == "every-category":
        return _policy_file(tmp_path, EVERY_CATEGORY, "every.yaml")
    return case


# -- vanilla-cookieconsent v3 ----------------------------------------------------------------


def _cookieconsent_site(browser: Any, config_module: str) -> Site:
    dist = NODE_MODULES / "vanilla-cookieconsent" / "dist"
    page = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Shop</title>
<link rel="stylesheet" href="/cookieconsent.css"></head>
<body><main><h1>Shop</h1></main>
<script type="module">
import * as CookieConsent from '/cookieconsent.esm.js';
import config from '/config.mjs';
window.CookieConsent = CookieConsent;
// cookieconsent hides itself from automated browsers (navigator.webdriver) unless told not to.
CookieConsent.run({...config, hideFromBots: false}).then(() => { window.ccReady = true; });
</script></body></html>"""
    return Site(
        browser,
        {
            "/": ("text/html", page),
            "/cookieconsent.esm.js": (
                "text/javascript",
                (dist / "cookieconsent.esm.js").read_bytes(),
            ),
            "/cookieconsent.css": ("text/css", (dist / "cookieconsent.css").read_bytes()),
            "/config.mjs": ("text/javascript", config_module),
        },
    )


_TABLE_NAMES = """() => Array.from(document.querySelectorAll('#cc-main .pm__table-tr'))
    .map(row => row.querySelector('.pm__table-td').textContent.trim())"""


@pytest.mark.parametrize("case", CASES)
def test_cookieconsent_preferences_show_every_cookie(
    browser: Any, case: str, tmp_path: Path
) -> None:
    policy = _policy_path(case, tmp_path)
    site = _cookieconsent_site(browser, _invoke("export", policy, "--to", "cookieconsent"))
    try:
        site.page.wait_for_function("window.ccReady === true")
        for language in _languages(policy):
            assert (
                site.page.evaluate(f"CookieConsent.setLanguage({json.dumps(language)}, true)")
                is not False
            )
            site.page.evaluate("CookieConsent.showPreferences()")
            site.page.wait_for_selector("#cc-main .pm", state="visible")
            assert sorted(site.page.evaluate(_TABLE_NAMES)) == sorted(_cookie_names(policy)), (
                language
            )
            site.page.evaluate("CookieConsent.hidePreferences()")
        assert site.errors == []
    finally:
        site.close()


def test_cookieconsent_clears_a_refused_categorys_cookies(browser: Any, tmp_path: Path) -> None:
    """autoClear as exported: refusing statistics deletes the _ga_* cookies (a RegExp)."""
    policy = _policy_file(
        tmp_path, EVERY_CATEGORY.replace("    domain: .shop.example.com\n", ""), "p.yaml"
    )
    site = _cookieconsent_site(browser, _invoke("export", policy, "--to", "cookieconsent"))
    try:
        site.page.wait_for_function("window.ccReady === true")
        site.page.evaluate("CookieConsent.acceptCategory('all')")
        site.page.evaluate(
            "document.cookie = '_ga_ABC123=1; path=/'; document.cookie = 'keep=1; path=/'"
        )
        site.page.evaluate("CookieConsent.acceptCategory([])")
        cookies = site.page.evaluate("document.cookie")
        assert "_ga_ABC123" not in cookies and "keep=1" in cookies
        assert site.errors == []
    finally:
        site.close()


# -- Klaro ---------------------------------------------------------------------------------------


def _klaro_site(browser: Any, config_json: str) -> Site:
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Shop</title></head>
<body><main><h1>Shop</h1></main>
<script>var klaroConfig = {config_json};</script>
<script src="/klaro.js"></script></body></html>"""
    klaro = NODE_MODULES / "klaro" / "dist" / "klaro.js"
    return Site(
        browser, {"/": ("text/html", page), "/klaro.js": ("text/javascript", klaro.read_bytes())}
    )


@pytest.mark.parametrize("case", CASES)
def test_klaro_modal_lists_every_service(browser: Any, case: str, tmp_path: Path) -> None:
    policy = _policy_path(case, tmp_path)
    config = json.loads(_invoke("export", policy, "--to", "klaro"))
    site = _klaro_site(browser, json.dumps(config))
    try:
        site.page.wait_for_function("window.klaro !== undefined")
        site.page.evaluate("klaro.show(undefined, true)")
        site.page.wait_for_selector(".klaro .cm-modal", state="visible")
        shown = site.page.eval_on_selector_all(
            "input[id^='service-item-']", "inputs => inputs.map(i => i.id.slice(13))"
        )
        assert sorted(shown) == sorted(service["name"] for service in config["services"])
        titles = site.page.eval_on_selector_all(
            ".cm-service .cm-list-title", "els => els.map(e => e.textContent)"
        )
        assert sorted(titles) == sorted(service["title"] for service in config["services"])
        assert site.errors == []
    finally:
        site.close()


# -- the rendered page ---------------------------------------------------------------------------


def _axe_violations(site: Site) -> list[dict[str, Any]]:
    site.page.add_script_tag(
        content=(NODE_MODULES / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
    )
    result = site.page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [{"id": v["id"], "nodes": [n["html"] for n in v["nodes"]]} for v in result["violations"]]


@pytest.mark.parametrize(
    ("case", "language"),
    [(str(p), language) for p in POLICIES for language in ("en", "fr", "de")]
    + [("every-category", "en")],
    ids=lambda value: Path(value).name,
)
def test_rendered_page_has_no_accessibility_violations(
    browser: Any, case: str, language: str, tmp_path: Path
) -> None:
    policy = _policy_path(case, tmp_path)
    page = _invoke("render", policy, "--format", "html", "--standalone", "--lang", language)
    site = Site(browser, {"/": ("text/html", page)})
    try:
        assert site.page.evaluate("document.documentElement.lang") == language
        assert _axe_violations(site) == []
    finally:
        site.close()


def test_rendered_fragment_inside_a_page_has_no_accessibility_violations(browser: Any) -> None:
    fragment = _invoke("render", str(POLICIES[0]), "--format", "html")
    page = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Privacy</title></head>'
        f"<body><main><h1>Privacy</h1>{fragment}</main></body></html>"
    )
    site = Site(browser, {"/": ("text/html", page)})
    try:
        assert _axe_violations(site) == []
    finally:
        site.close()


def test_injection_shows_as_text_on_the_rendered_page(browser: Any, tmp_path: Path) -> None:
    policy = _policy_file(tmp_path, INJECTION, "injection.yaml")
    page = _invoke("render", policy, "--format", "html", "--standalone")
    site = Site(browser, {"/": ("text/html", page)})
    try:
        site.page.hover("td")  # an onmouseover would fire now
        text = site.page.inner_text("main")
        assert "<script>alert(1)</script>" in text
        assert "<img src=x onerror=alert(1)>" in text
        assert "Shop <img src=x onerror=alert('site')>" in text
        assert (
            site.page.evaluate(
                "document.querySelectorAll('script, img, b, [onerror], [onmouseover]').length"
            )
            == 0
        )
        assert site.scripts_ran() == [] and site.images() == [] and site.errors == []
        href = site.page.get_attribute("td a", "href")
        assert href == "https://ads.example.com/privacy?\"><img/src=x/onerror=alert('url')>"
    finally:
        site.close()


def test_injection_shows_as_text_in_the_consent_tools(browser: Any, tmp_path: Path) -> None:
    policy = _policy_file(tmp_path, INJECTION, "injection.yaml")
    site = _cookieconsent_site(browser, _invoke("export", policy, "--to", "cookieconsent"))
    try:
        site.page.wait_for_function("window.ccReady === true")
        site.page.evaluate("CookieConsent.showPreferences()")
        site.page.wait_for_selector("#cc-main .pm", state="visible")
        text = site.page.evaluate("document.querySelector('#cc-main .pm').textContent")
        assert "<script>alert(1)</script>" in text and "<img src=x onerror=alert(1)>" in text
        assert (
            site.page.evaluate(
                "document.querySelectorAll('#cc-main img, #cc-main script, #cc-main b').length"
            )
            == 0
        )
        assert site.scripts_ran() == [] and site.images() == [] and site.errors == []
    finally:
        site.close()
    config = _invoke("export", policy, "--to", "klaro")
    site = _klaro_site(browser, config)
    try:
        site.page.wait_for_function("window.klaro !== undefined")
        site.page.evaluate("klaro.show(undefined, true)")
        site.page.wait_for_selector(".klaro .cm-modal", state="visible")
        text = site.page.evaluate("document.querySelector('.klaro .cm-modal').textContent")
        assert "Ads <script>alert('provider')</script>" in text
        assert (
            site.page.evaluate("document.querySelectorAll('.klaro img, .klaro script').length") == 0
        )
        assert site.scripts_ran() == [] and site.images() == [] and site.errors == []
    finally:
        site.close()
