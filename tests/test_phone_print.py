"""The briefing on a phone and on paper (issue 29): the dashboard's table and the decisions register read as one
card per row at 390x844, no HTML text under 12 px on a phone, axe-core finds nothing serious at a phone's and a
laptop's size; printed on A4 (Chromium's page.pdf, read back with pypdf's text positions) the marking sits in the
page's top margin where no text (a repeated table header above all) runs under it, every page carries it, a page
showing a restricted item carries the restricted marking, the public edition prints what it leaves out, and a
certificate's signatures stay on the page of the text they sign. The README shows the committed screenshots."""

from __future__ import annotations

import io
import re

import pytest

from tests.conftest import REPO

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}
PAGES = ["index.html", "regions/lowa.html", "decisions.html", "changes.html", "factsheet.html"]
#: The framework's label of a restricted item (indicators/framework.yaml, `marking.restricted_label`).
RESTRICTED = {"en": "UN Restricted", "fr": "Diffusion restreinte ONU"}


def _lang_root(site, lang: str):
    return site / "fr" if lang == "fr" else site


def _open(chromium, viewport):
    return chromium.new_page(viewport=viewport)


# --- phone -----------------------------------------------------------------------------------------------------

#: Each table of the article: whether it is laid out as cards, each data cell's label and the text shown before
#: it, the column headers, and the table's width.
CARDS = """
() => [...document.querySelectorAll('article table')].map(table => {
  const heads = [...table.querySelectorAll('thead th')].map(th => th.innerText.trim());
  const rows = [...table.querySelectorAll('tbody tr')].map(tr => [...tr.querySelectorAll('td')].map((td, i) => ({
    label: td.dataset.label,
    header: heads[i],
    shown: getComputedStyle(td, '::before').content,
    display: getComputedStyle(td).display,
  })));
  return {
    cards: !!table.closest('.rd-cards'),
    rowDisplay: rows.length ? getComputedStyle(table.querySelector('tbody tr')).display : null,
    headVisible: !!table.tHead && table.tHead.getBoundingClientRect().width > 1,
    scrolls: table.closest('.rd-scroll').scrollWidth > table.closest('.rd-scroll').clientWidth,
    rows: rows,
    width: table.getBoundingClientRect().width,
    right: table.getBoundingClientRect().right,
  };
})
"""


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize(("name", "expected"), [("index.html", 1), ("decisions.html", 1)])
def test_the_dashboard_and_the_register_are_one_card_per_row_on_a_phone(example_sites, chromium, lang, name, expected):
    page = _open(chromium, PHONE)
    try:
        page.goto((_lang_root(example_sites / "internal", lang) / name).as_uri(), wait_until="load")
        tables = page.evaluate(CARDS)
        cards = [t for t in tables if t["cards"]]
        assert len(cards) >= expected, f"{name}: no table laid out as cards"
        for table in cards:
            assert table["rowDisplay"] == "block" and not table["headVisible"], f"{name}: rows are not cards"
            assert table["right"] <= PHONE["width"] and table["width"] <= PHONE["width"], f"{name}: wider than a phone"
            assert not table["scrolls"], f"{name}: the cards scroll sideways"
            for row in table["rows"]:
                for cell in row:
                    assert cell["label"] == cell["header"], (name, cell)
                    assert cell["shown"] == f'"{cell["header"]}"', (name, cell)  # the label shown before the cell
        if name == "decisions.html":  # only the register: the primacy counts, the calendar keep their scroll region
            assert len(cards) == 1 and len(tables) > 1
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], f"{name} scrolls sideways"
    finally:
        page.close()


#: Every visible text node of the page whose element's computed font size is under 12 px (SVG text aside).
SMALL_TEXT = """
() => {
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const el = node.parentElement;
    if (!node.textContent.trim() || !el || el.closest('svg')) continue;
    if (!el.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    if (![...range.getClientRects()].some(r => r.width > 0 && r.height > 0)) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < 12) found.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} ${size}px: ` +
                              node.textContent.trim().slice(0, 30));
  }
  return found;
}
"""


@pytest.mark.slow
@pytest.mark.parametrize("audience", ["internal", "public"])
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_no_html_text_is_under_12_px_on_a_phone(example_sites, chromium, audience, lang):
    page = _open(chromium, PHONE)
    try:
        small = {}
        for name in PAGES:
            page.goto((_lang_root(example_sites / audience, lang) / name).as_uri(), wait_until="load")
            found = page.evaluate(SMALL_TEXT)
            if found:
                small[name] = found[:5]
        assert small == {}, small
    finally:
        page.close()


@pytest.mark.slow
@pytest.mark.parametrize("size", ["phone", "laptop"])
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_axe_finds_nothing_serious_at_a_phone_and_a_laptop_size(example_sites, chromium, size, lang):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    page = _open(chromium, PHONE if size == "phone" else LAPTOP)
    try:
        found = []
        for name in PAGES:
            page.goto((_lang_root(example_sites / "internal", lang) / name).as_uri(), wait_until="load")
            found += [
                f"{name}: {v['id']} ({v['impact']}, {len(v['nodes'])} nodes: {v['nodes'][0]['html'][:80]})"
                for v in axe.run(page).response["violations"]
                if v["impact"] in ("serious", "critical")
            ]
        assert found == [], "\n".join(found)
    finally:
        page.close()


# --- print -----------------------------------------------------------------------------------------------------


def _runs(pdf_page) -> list[tuple[str, float, float]]:
    """The text runs of a printed page: (text, bottom, top) in points from the page's foot, their vertical extent
    from the font size (a descender under the baseline, the ascender above)."""
    runs: list[tuple[str, float, float]] = []

    def visit(text, cm, tm, font, size):
        if not text.strip():
            return
        baseline = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        height = abs(size * tm[3] * cm[3]) or abs(size * cm[3]) or size
        runs.append((text, baseline - 0.25 * height, baseline + 0.9 * height))

    pdf_page.extract_text(visitor_text=visit)
    return runs


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _print(page, url: str):
    """The page printed on A4: its pypdf reader, the visible table headers' texts and the marking it carries."""
    pypdf = pytest.importorskip("pypdf")
    from readiness.site import page_marking

    page.goto(url, wait_until="load")
    page.emulate_media(media="print")
    headers = page.evaluate(
        "[...new Set([...document.querySelectorAll('article thead th')].filter(t => t.checkVisibility())"
        ".map(t => t.innerText.trim()).filter(t => t))]"
    )
    marking = page_marking(page.content(), "fr" if "/fr/" in url else "en")
    reader = pypdf.PdfReader(io.BytesIO(page.pdf(format="A4")))
    page.emulate_media(media="screen")
    return reader, headers, marking


def _printed_pages(site):
    """The printed pages of issue 29's reading: a long region page (its briefing and its evidence annex) and the
    decisions page."""
    evidence = site / "evidence" / "lowa.html"
    annex = evidence.as_uri() if evidence.is_file() else (site / "regions" / "lowa.html").as_uri() + "#annex"
    return [(site / "regions" / "lowa.html").as_uri(), annex, (site / "decisions.html").as_uri()]


@pytest.mark.slow
@pytest.mark.parametrize("audience", ["internal", "public"])
def test_the_marking_is_on_every_printed_page_and_never_over_a_table_header(example_sites, chromium, audience):
    page = chromium.new_page()
    repeated_headers = 0
    try:
        for url in _printed_pages(example_sites / audience):
            reader, headers, marking = _print(page, url)
            assert marking, f"{url}: no marking"
            head = marking[:30]
            for number, pdf_page in enumerate(reader.pages, 1):
                where = f"{url.rsplit('/', 1)[-1]} page {number}"
                runs = _runs(pdf_page)
                marks = [r for r in runs if head in " ".join(r[0].split())]
                assert marks, f"{where} does not carry the marking {marking!r}"
                assert _squeezed(marking) in _squeezed(pdf_page.extract_text()), where
                for text, bottom, top in runs:
                    if any(r[0] == text for r in marks):
                        continue
                    for _, m_bottom, m_top in marks:
                        assert top <= m_bottom or bottom >= m_top, (
                            f"{where}: {text.strip()!r} runs under the marking"
                            + (" (a table header)" if text.strip() in headers else "")
                        )
                if number > 1:  # a table that goes on from the page before repeats its header at the top
                    text_runs = [r for r in runs if r not in marks]
                    highest = max((r[2] for r in text_runs), default=0)
                    repeated_headers += any(r[0].strip() in headers and r[2] >= highest - 2 for r in text_runs)
        assert repeated_headers, "no printed page starts with a repeated table header: the test would see nothing"
    finally:
        page.close()


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_page_showing_a_restricted_item_prints_the_restricted_marking(example_sites, chromium, lang):
    """Dabori's recommendations hold a text marked restricted: every printed page of it is marked restricted (the
    highest marking of any item on it), ahead of the internal edition's own; Lowa shows no restricted item."""
    label = RESTRICTED[lang]
    root = _lang_root(example_sites / "internal", lang)
    page = chromium.new_page()
    try:
        reader, _, marking = _print(page, (root / "regions" / "dabori.html").as_uri())
        texts = [" ".join(p.extract_text().split()) for p in reader.pages]
        holding = [i for i, t in enumerate(texts) if f"({label})" in t]
        assert holding, "the restricted recommendation is printed"
        assert marking is not None and marking.startswith(label)
        for i, pdf_page in enumerate(reader.pages):
            top = max(_runs(pdf_page), key=lambda r: r[2])[0]
            assert " ".join(top.split()).startswith(label), f"page {i + 1} is not marked {label}: {top!r}"
        reader, _, marking = _print(page, (root / "regions" / "lowa.html").as_uri())
        assert marking is not None and not marking.startswith(label)
        assert all(f"({label})" not in p.extract_text() for p in reader.pages)
    finally:
        page.close()


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_public_print_holds_what_the_edition_leaves_out(example_sites, chromium, lang):
    root = _lang_root(example_sites / "public", lang)
    page = chromium.new_page()
    try:
        for name in ("index.html", "regions/lowa.html", "decisions.html"):
            page.goto((root / name).as_uri(), wait_until="load")
            note = page.locator(".rd-banner p:not(.admonition-title)").first.inner_text()
            assert re.search(r"\d", note), note  # "13 items marked restricted … are left out"
            reader, _, _ = _print(page, (root / name).as_uri())
            assert _squeezed(note) in _squeezed(reader.pages[0].extract_text()), f"{name}: the note is not printed"
    finally:
        page.close()


#: A certificate's signature section: the last paragraph before its table (place and date, or the text above),
#: the last line of the parties' positions, and the table's rows, as printed text.
SIGNATURES = """
() => {
  const block = document.querySelector('.rd-signatures');
  let before = block.previousElementSibling;
  while (before && !before.innerText.trim()) before = before.previousElementSibling;
  const heading = before && before.tagName === 'H2' ? before : before && before.previousElementSibling;
  const positions = heading && heading.previousElementSibling;
  return {
    paragraph: before.innerText,
    positions: positions && positions.tagName === 'UL' ? positions.lastElementChild.innerText : null,
    rows: [...block.querySelectorAll('tbody tr')].map(tr => tr.querySelector('td').innerText),
  };
}
"""


def _on(texts: list[str], text: str) -> list[int]:
    """The printed pages (from 1) whose text holds `text`, spaces aside."""
    return [i + 1 for i, t in enumerate(texts) if _squeezed(text) in t]


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_certificate_keeps_its_signatures_with_the_text_they_sign(example_sites, chromium, lang):
    paths = sorted((_lang_root(example_sites / "internal", lang) / "certificates").glob("*.html"))
    assert paths, "the example's decisions have certificates"
    page = chromium.new_page()
    try:
        for path in paths:
            page.goto(path.as_uri(), wait_until="load")
            page.emulate_media(media="print")
            block = page.evaluate(SIGNATURES)
            reader, _, _ = _print(page, path.as_uri())
            texts = [_squeezed(p.extract_text()) for p in reader.pages]
            pages = {row: _on(texts, row) for row in block["rows"]}
            assert all(pages.values()), (path.name, pages)
            signed = {p for found in pages.values() for p in found}
            assert len(signed) == 1, f"{path.name}: the signature table is split across pages {sorted(signed)}"
            assert signed <= set(_on(texts, block["paragraph"])), f"{path.name}: signatures apart from their paragraph"
            if block["positions"]:
                assert signed <= set(_on(texts, block["positions"])), (
                    f"{path.name}: signatures apart from the positions"
                )
    finally:
        page.close()


def test_cells_are_labelled_with_their_escaped_column_header():
    from readiness.site import labelled_cells

    table = (
        '<table>\n<thead>\n<tr>\n<th>Region</th>\n<th style="text-align: right;">"Score" &amp; <em>trend</em></th>\n'
        '</tr>\n</thead>\n<tbody>\n<tr>\n<td>Lowa</td>\n<td style="text-align: right;">71.0</td>\n</tr>\n'
        "</tbody>\n</table>"
    )
    out = labelled_cells(table)
    assert '<td data-label="Region">Lowa</td>' in out
    assert '<td data-label="&quot;Score&quot; &amp; trend" style="text-align: right;">71.0</td>' in out
    assert out.count("data-label") == 2 and "<th data-label" not in out


def test_a_page_showing_a_restricted_item_is_marked_restricted_and_the_words_are_a_safe_css_string():
    from readiness.site import _css_string, page_marking

    band = (
        '<div class="rd-print-mark" data-restricted="UN Restricted" aria-hidden="true">'
        "Internal &amp; not for publication</div>"
    )
    banner = "<p>Restricted items are shown and marked UN Restricted.</p>"
    assert page_marking(band + banner, "en") == "Internal & not for publication"
    assert page_marking(band + banner + "<p>A text. <em>(UN Restricted)</em></p>", "en").startswith("UN Restricted · ")
    assert page_marking(band + "<td><strong>UN Restricted</strong></td>", "en").startswith("UN Restricted · ")
    quoted = (
        band.replace("UN Restricted", "Diffusion restreinte de l&#39;ONU")
        + "<em>(Diffusion restreinte de l&#39;ONU)</em>"
    )
    assert page_marking(quoted, "fr").startswith("Diffusion restreinte de l'ONU · ")
    public = '<div class="rd-print-mark" aria-hidden="true">Public edition</div><em>(UN Restricted)</em>'
    assert page_marking(public, "en") == "Public edition"
    assert page_marking("<p>no band</p>", "en") is None
    assert _css_string('a "b" \\ </style>\n') == '"a \\22 b\\22  \\5c  \\3c /style\\3e \\a "'


# --- screenshots -----------------------------------------------------------------------------------------------

SCREENSHOTS = ["dashboard-1366x900.png", "dashboard-390x844.png", "region-lowa-1366x900.png", "region-lowa-390x844.png"]


def test_the_readme_shows_every_committed_screenshot():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "python docs/screenshots.py" in readme, "the README says how to regenerate the screenshots"
    for name in SCREENSHOTS:
        path = REPO / "docs" / "screenshots" / name
        assert f"](docs/screenshots/{name})" in readme, f"the README does not show {name}"
        assert path.is_file() and path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is missing"
        assert path.stat().st_size < 400_000, f"{name} is {path.stat().st_size} bytes"
