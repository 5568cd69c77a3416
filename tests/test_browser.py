"""The built site in a real browser: Playwright driving Debian's chromium, headless, over http and file://."""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.conftest import REPO, run
from tests.test_site import XSS, small_project

pytestmark = pytest.mark.slow  # drives Debian's chromium through every page

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = REPO / "build" / "screenshots"
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--no-default-browser-check",
]

if not Path(CHROMIUM).exists():
    if os.environ.get("READINESS_REQUIRE_BROWSER"):
        raise RuntimeError("browser tests need Debian's chromium (apt-get install chromium)")
    pytest.skip(
        "Debian's chromium is not installed (apt-get install chromium); .ci/run installs it", allow_module_level=True
    )

sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def sites(tmp_path_factory, example_sites):
    out = tmp_path_factory.mktemp("browser")
    (out / "example").symlink_to(example_sites / "internal", target_is_directory=True)  # the run's one build
    root = small_project(out / "xss", narrative=XSS)
    assert run("build", "-p", str(root), "--out", str(out / "xss-site")).exit_code == 0
    return out


@pytest.fixture(scope="module")
def server(sites):
    handler = functools.partial(_QuietHandler, directory=str(sites))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass


@pytest.fixture(scope="module")
def browser(chromium):
    """The session's browser (tests/conftest.py): one Playwright per thread, so every module shares it."""
    return chromium


class Watched:
    """A page with every request, console error and dialog recorded."""

    def __init__(self, browser):
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def foreign(self, allowed_host: str | None) -> list[str]:
        out = []
        for url in self.requests:
            parsed = urlparse(url)
            if parsed.scheme in ("data", "blob", "about"):
                continue
            if parsed.scheme == "file" and allowed_host is None:
                continue
            if parsed.scheme in ("http", "https") and parsed.hostname == allowed_host:
                continue
            out.append(url)
        return out


@pytest.fixture
def watched(browser):
    w = Watched(browser)
    yield w
    w.page.close()


def urls(server: str, sites: Path, page: str) -> list[tuple[str, str | None]]:
    return [(f"{server}/example/{page}", "127.0.0.1"), ((sites / "example" / page).as_uri(), None)]


@pytest.mark.parametrize("mode", ["http", "file"])
def test_the_dashboard_loads_offline_without_errors(watched, server, sites, mode):
    url, host = urls(server, sites, "index.html")[0 if mode == "http" else 1]
    watched.page.goto(url, wait_until="load")
    watched.page.wait_for_timeout(300)
    assert "Republic of Lomara" in watched.page.locator("h1").inner_text()
    assert watched.page.locator(".rd-counts:not(.rd-primacy-counts) .rd-count").count() == 5  # the levels
    assert watched.page.locator(".rd-primacy-counts .rd-count").count() == 3  # host, in transition, UN or joint
    assert watched.page.locator("figure.rd-figure svg path").count() >= 12  # the map
    assert watched.foreign(host) == [], "requests outside the site"
    assert watched.errors == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    watched.page.screenshot(path=str(SCREENSHOTS / f"dashboard-{mode}.png"), full_page=True)


@pytest.mark.parametrize("mode", ["http", "file"])
def test_a_click_in_the_table_reaches_a_region_page_with_its_charts(watched, server, sites, mode):
    url, host = urls(server, sites, "index.html")[0 if mode == "http" else 1]
    watched.page.goto(url)
    watched.page.locator("table").get_by_role("link", name="Dabori", exact=True).click()
    watched.page.wait_for_load_state("load")
    assert watched.page.url.endswith("regions/dabori.html")
    assert watched.page.locator("h1").inner_text().strip() == "Dabori"

    def labels() -> list[str]:
        svgs = watched.page.locator("figure.rd-figure svg")
        return [svgs.nth(i).get_attribute("aria-labelledby") or "" for i in range(svgs.count())]

    assert any(label.startswith("trend-") for label in labels())
    # the pillar chart and the prerequisite graph are on the region's evidence page, one click away
    watched.page.get_by_role("link", name="Evidence: Dabori").first.click()
    watched.page.wait_for_load_state("load")
    assert watched.page.url.endswith("evidence/dabori.html")
    assert any(label.startswith("pillars-") for label in labels())
    assert any(label.startswith("deps-") for label in labels())
    assert watched.page.locator("svg[aria-labelledby^='deps-'] rect").count() >= 35
    assert watched.foreign(host) == [] and watched.errors == []
    watched.page.screenshot(path=str(SCREENSHOTS / f"region-{mode}.png"), full_page=True)


@pytest.mark.parametrize("mode", ["http", "file"])
def test_search_finds_a_region(watched, server, sites, mode):
    url, host = urls(server, sites, "index.html")[0 if mode == "http" else 1]
    watched.page.goto(url)
    # typed key by key, as a reader types: the theme sends the query on a key's release (or a focus, read a
    # millisecond later), so a value set at once (`fill`) raced that read on a busy machine and no query was sent
    watched.page.locator(".md-search__input").press_sequentially("Tessin")
    result = watched.page.locator(".md-search-result__item").first
    result.wait_for(timeout=60_000)  # the index is built in a worker; on a loaded machine that takes a while
    assert "Tessin" in result.inner_text()
    result.locator("a").first.click()
    watched.page.wait_for_load_state("load")
    assert "tessin" in watched.page.url
    assert watched.foreign(host) == [] and watched.errors == []


def test_a_narrative_with_script_and_onerror_runs_nothing(watched, server, sites):
    watched.page.goto(f"{server}/xss-site/regions/north.html")
    watched.page.wait_for_timeout(500)
    assert watched.page.evaluate("typeof window.__xss") == "undefined"
    assert watched.dialogs == []
    text = watched.page.locator("article").inner_text()
    assert "<script>window.__xss = 1</script>" in text  # shown as text, not run
    assert watched.page.locator("article strong", has_text="bold").count() == 1


def test_a_region_page_prints_as_a_clean_briefing(watched, server, sites):
    watched.page.goto(f"{server}/example/regions/marun.html")
    watched.page.emulate_media(media="print")
    assert not watched.page.locator(".md-sidebar--primary").is_visible()
    assert not watched.page.locator(".md-header").is_visible()
    # the briefing keeps the trend; the pillar chart and the evidence are the annex (tests/test_print.py)
    assert watched.page.locator("svg[aria-labelledby^='trend-']").is_visible()
    assert not watched.page.locator("svg[aria-labelledby^='pillars-']").is_visible()
    pdf = watched.page.pdf(format="A4")
    assert pdf[:4] == b"%PDF" and len(pdf) > 10_000
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "region-print.pdf").write_bytes(pdf)


@functools.cache
def english_template_labels() -> list[str]:
    """Every piece of fixed English text in the catalogue that French writes differently."""
    from readiness.i18n import catalogue

    english, french = catalogue("en"), catalogue("fr")
    french_text = " ".join(french.values())
    pieces = set()
    for key, text in english.items():
        if key == "language_name" or text == french[key]:
            continue
        for piece in re.split(r"\{\w+\}|[*():;,.·?!]", text):
            piece = piece.strip()
            # single lower-case words ("from", "critical") also occur in the data's own English text
            # (evidence references, notes); a label is a phrase, or a capitalised heading or column name
            if len(piece) >= 4 and piece not in french_text and (" " in piece or piece[0].isupper()):
                pieces.add(piece)
    # the example's own texts (narratives and evidence references are written once, in English; some French
    # names are English words) are the team's, not labels: a piece they contain cannot be told apart on the page
    data = " ".join(
        p.read_text(encoding="utf-8") for f in ("assessments", "handover") for p in (REPO / f).rglob("*.yaml")
    )
    pieces = {p for p in pieces if p not in data or not re.search(rf"(?<![\w-]){re.escape(p)}(?![\w-])", data)}
    return sorted(pieces, key=len, reverse=True)


@pytest.mark.parametrize("page", ["index.html", "regions/dabori.html", "regions/maritime.html"])
def test_french_pages_have_no_english_label_left(watched, server, sites, page):
    watched.page.goto(f"{server}/example/fr/{page}")
    text = watched.page.locator("body").inner_text()
    assert watched.page.locator("html").get_attribute("lang") == "fr"
    labels = english_template_labels()
    assert len(labels) > 100
    left = [label for label in labels if label in text and re.search(rf"(?<![\w-]){re.escape(label)}(?![\w-])", text)]
    assert left == [], f"English labels on the French page: {left[:10]}"
    assert "Tableau de bord" in text
    assert watched.errors == []
    if page != "index.html":
        assert re.search(r"\d,\d", text), "decimal commas"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    watched.page.screenshot(path=str(SCREENSHOTS / f"fr-{page.replace('/', '-')}.png"), full_page=True)


def test_french_search_works_from_disk(watched, sites):
    watched.page.goto((sites / "example" / "fr" / "index.html").as_uri())
    watched.page.locator(".md-search__input").press_sequentially("commissariats")  # key by key: see above
    result = watched.page.locator(".md-search-result__item").first
    result.wait_for(timeout=60_000)
    assert watched.foreign(None) == [] and watched.errors == []


def test_the_language_links_lead_to_the_same_page(watched, server, sites):
    watched.page.goto(f"{server}/example/regions/lowa.html")
    watched.page.locator("nav.rd-languages a", has_text="Français").click()
    watched.page.wait_for_load_state("load")
    assert watched.page.url.endswith("/example/fr/regions/lowa.html")
    watched.page.locator("nav.rd-languages a", has_text="English").click()
    watched.page.wait_for_load_state("load")
    assert watched.page.url.endswith("/example/regions/lowa.html")


@pytest.mark.parametrize("mode", ["http", "file"])
def test_the_first_screen_names_every_ready_and_blocked_region(watched, server, sites, mode):
    """Leadership reads the first screen: at 1366x900 the main points name every assessed region (ready ones
    with how sure that is, the others with what holds them back), above the fold."""
    import json

    url = urls(server, sites, "index.html")[0 if mode == "http" else 1][0]
    watched.page.set_viewport_size({"width": 1366, "height": 900})
    watched.page.goto(url, wait_until="load")
    results = json.loads((sites / "example" / "downloads" / "results.json").read_text(encoding="utf-8"))
    latest = results["rounds"][-1]
    assessed = [r["region"] for r in results["results"] if r["round"] == latest and r["assessed"]]
    points = watched.page.locator(".rd-points")
    for region in assessed:
        link = points.locator(f'a[href="regions/{region}.html"]')
        assert link.count() >= 1, f"{region} is not named in the main points"
        box = link.first.bounding_box()
        assert box is not None and box["y"] + box["height"] <= 900, f"{region} is below the fold"
    text = points.inner_text()
    assert "fragile: same level in" in text  # confidence is part of the headline, in the one figure defined for it
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    watched.page.screenshot(path=str(SCREENSHOTS / "dashboard-1366.png"))


PAGE_KINDS = [
    "index.html",
    "regions/index.html",
    "regions/lowa.html",
    "regions/lomara.html",
    "indicators/index.html",
    "indicators/LG-03.html",
    "decisions.html",
    "changes.html",
    "methodology.html",
    "rules.html",
    "downloads.html",
    "scenarios/index.html",
    "factsheet.html",
    "documents.html",
    "certificates/marun-handover.html",
]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_axe_finds_no_serious_or_critical_violation_on_any_page_kind(watched, server, sites, lang):
    """axe-core (as bundled by axe-playwright-python) on every kind of page, in both languages."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    found = []
    for page in PAGE_KINDS:
        watched.page.goto(f"{server}/example/{'fr/' if lang == 'fr' else ''}{page}", wait_until="load")
        violations = axe.run(watched.page).response["violations"]
        found += [
            f"{page}: {v['id']} ({v['impact']}, {len(v['nodes'])} nodes: {v['nodes'][0]['html'][:80]})"
            for v in violations
            if v["impact"] in ("serious", "critical")
        ]
    assert found == [], "\n".join(found)
