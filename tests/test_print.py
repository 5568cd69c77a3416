"""The printed page is a briefing (issue 18): every region prints on at most two A4 pages and the dashboard on at
most two, in both languages and both editions, with the edition's marking on every printed page, and no table
wider than the page. Chromium prints (page.pdf), pypdf reads the pages back. A region's evidence is an annex, a
page of its own; the region's folded details print when its page is opened at #annex."""

from __future__ import annotations

import io

import pytest

pytestmark = pytest.mark.slow

pypdf = pytest.importorskip("pypdf")
MARKING = {
    ("internal", "en"): "Internal working document of the Joint Transition Working Group: not for publication.",
    ("internal", "fr"): "Document de travail interne du Groupe de travail conjoint sur la transition",
    ("public", "en"): "Public edition",
    ("public", "fr"): "Édition publique",
}


@pytest.fixture(scope="module")
def sites(example_sites):
    """The example built once for the session (tests/conftest.py): `internal/` and `public/`."""
    return example_sites


@pytest.fixture(scope="module")
def page(chromium):
    """One page of the session's browser (tests/conftest.py), for the module."""
    page = chromium.new_page()
    yield page
    page.close()


def printed(page, url: str) -> list[str]:
    """The text of each printed A4 page."""
    page.goto(url, wait_until="load")
    page.emulate_media(media="print")
    reader = pypdf.PdfReader(io.BytesIO(page.pdf(format="A4")))
    return [p.extract_text() for p in reader.pages]


def pages_of(site, lang: str) -> list:
    root = site / "fr" if lang == "fr" else site
    return [root / "index.html", *sorted(p for p in (root / "regions").glob("*.html") if p.name != "index.html")]


@pytest.mark.parametrize("audience", ["internal", "public"])
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_region_and_the_dashboard_print_on_two_pages_with_the_marking_on_each(sites, page, audience, lang):
    marking = MARKING[(audience, lang)]
    too_long, unmarked = [], []
    for path in pages_of(sites / audience, lang):
        texts = printed(page, path.as_uri())
        if len(texts) > 2:
            too_long.append(f"{path.name}: {len(texts)} pages")
        unmarked += [f"{path.name} page {i + 1}" for i, t in enumerate(texts) if marking not in " ".join(t.split())]
    assert too_long == [], "pages that print on more than two A4 pages: " + ", ".join(too_long)
    assert unmarked == [], "printed pages without the marking: " + ", ".join(unmarked)


def test_no_table_is_wider_than_the_printed_page(sites, page):
    for path in pages_of(sites / "internal", "en"):
        page.goto(path.as_uri(), wait_until="load")
        page.emulate_media(media="print")
        clipped = page.evaluate(
            """() => [...document.querySelectorAll('article table')]
                .filter(t => t.offsetParent !== null && t.scrollWidth > t.parentElement.clientWidth + 1)
                .map(t => t.innerText.slice(0, 40))"""
        )
        assert clipped == [], f"{path.name}: tables wider than the page: {clipped}"


def test_the_evidence_annex_prints_from_its_own_page(sites, page):
    """A region's evidence is its annex, a page of its own linked from the region's: printed, it holds every
    indicator of the region; the briefing does not, and opened at #annex it unfolds its folded details."""
    import json

    region = sites / "internal" / "regions" / "lowa.html"
    evidence = sites / "internal" / "evidence" / "lowa.html"
    assert 'href="../evidence/lowa.html"' in region.read_text(encoding="utf-8")
    assert 'href="../regions/lowa.html"' in evidence.read_text(encoding="utf-8")
    briefing = " ".join(" ".join(printed(page, region.as_uri())).split())
    annex = " ".join(" ".join(printed(page, evidence.as_uri())).split())
    with_details = " ".join(" ".join(printed(page, region.as_uri() + "#annex")).split())
    results = json.loads((sites / "internal" / "downloads" / "results.json").read_text(encoding="utf-8"))
    lowa = next(r for r in results["results"] if r["round"] == results["rounds"][-1] and r["region"] == "lowa")
    assert lowa["indicators"] and all(f"{i} " in annex for i in lowa["indicators"])
    assert "LG-03 Stations with 24/7 working communications" not in briefing
    assert len(with_details) > len(briefing)  # the folded steps and details of the decisions


@pytest.mark.parametrize("audience", ["internal", "public"])
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_council_factsheet_prints_on_one_page_with_its_marking(sites, page, audience, lang):
    path = (sites / audience / ("fr" if lang == "fr" else "") / "factsheet.html").resolve()
    texts = printed(page, path.as_uri())
    assert len(texts) == 1, f"the factsheet prints on {len(texts)} pages"
    assert MARKING[(audience, lang)] in " ".join(texts[0].split())


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_handover_certificate_prints_on_at_most_two_pages_with_its_marking(sites, page, lang):
    root = sites / "internal" / ("fr" if lang == "fr" else "") / "certificates"
    paths = sorted(root.glob("*.html"))
    assert paths, "the example's handover decisions have certificate pages"
    for path in paths:
        texts = printed(page, path.resolve().as_uri())
        assert len(texts) <= 2, f"{path.name}: {len(texts)} pages"
        assert all(MARKING[("internal", lang)] in " ".join(t.split()) for t in texts), path.name
