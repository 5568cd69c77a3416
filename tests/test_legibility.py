"""The briefing as leadership reads it, at a laptop's and a phone's size, in English and French (issue 29): tables
that never split a word or a number, wide tables that scroll in a focusable region. Chromium through Playwright."""

from __future__ import annotations

import pytest

from tests.test_browser import ARGS, CHROMIUM, sync_api  # noqa: F401 - skips the module without a browser

pytestmark = pytest.mark.slow

SIZES = {"laptop": (1366, 900), "desktop": (1920, 1080), "phone": (390, 844)}
PAGES = ["index.html", "regions/lowa.html", "regions/dabori.html", "decisions.html", "changes.html"]

#: For every cell of every table: each word (cut at spaces and hyphens) whose letters fall on more than one line.
SPLIT_WORDS = """
() => {
  const found = [];
  for (const cell of document.querySelectorAll('article table td, article table th')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
      const text = node.textContent;
      const pattern = /[^\\s\\-\\u2010\\u2011\\u00a0\\u202f]+/g;
      let m;
      while ((m = pattern.exec(text))) {
        if (m[0].length < 2) continue;
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (tops.size > 1) found.push(m[0]);
      }
    }
  }
  return found;
}
"""


@pytest.fixture
def site(example_sites):
    return example_sites / "internal"


@pytest.fixture
def browser(chromium):
    return chromium


@pytest.mark.parametrize("size", sorted(SIZES))
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_no_table_cell_splits_a_word_or_a_number(site, browser, size, lang):
    width, height = SIZES[size]
    page = browser.new_page(viewport={"width": width, "height": height})
    try:
        split = {}
        for name in PAGES:
            page.goto((site / ("fr" if lang == "fr" else "") / name).as_uri(), wait_until="load")
            words = page.evaluate(SPLIT_WORDS)
            if words:
                split[name] = words[:10]
        assert not split, split
    finally:
        page.close()


#: For every table of the article: its scrolling region, whether it is wider than it, and the name it is read by.
REGIONS = """
() => [...document.querySelectorAll('article table')].map(table => {
  const region = table.closest('.rd-scroll');
  const scrolling = [...document.querySelectorAll('article *')].filter(e => {
    const style = getComputedStyle(e);
    return e.contains(table) && ['auto', 'scroll'].includes(style.overflowX) && e.scrollWidth > e.clientWidth;
  });
  return {
    region: !!region,
    focusable: !!region && region.tabIndex === 0,
    role: region ? region.getAttribute('role') : null,
    label: region ? region.getAttribute('aria-label') : null,
    wide: !!region && region.scrollWidth > region.clientWidth,
    visible: !!region && region.checkVisibility(),
    scrollers: scrolling.map(e => e === region ? 'region' : e.className),
  };
})
"""


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_wide_table_scrolls_in_a_named_region_the_keyboard_reaches(site, browser, lang):
    """On a phone, a table wider than the screen scrolls inside its own region, which the Tab key reaches and the
    arrow keys scroll, and which a screen reader names after the table's heading; nothing else around it scrolls."""
    page = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        wide = 0
        for name in PAGES:
            page.goto((site / ("fr" if lang == "fr" else "") / name).as_uri(), wait_until="load")
            for i, table in enumerate(page.evaluate(REGIONS)):
                where = f"{name}, table {i + 1}"
                assert table["region"] and table["focusable"] and table["role"] == "region", where
                assert table["label"] and table["label"].endswith("(tableau)" if lang == "fr" else "(table)"), where
                assert table["scrollers"] in ([], ["region"]), (where, table["scrollers"])
                if table["wide"] and table["visible"]:  # not folded away in a closed section
                    wide += 1
                    region = page.locator("article .rd-scroll").nth(i)
                    region.focus()
                    assert page.evaluate("document.activeElement.classList.contains('rd-scroll')"), where
                    page.keyboard.press("ArrowRight")
                    page.wait_for_function("document.activeElement.scrollLeft > 0", timeout=2000)
        assert wide, "the example has tables wider than a phone (the region pages' indicator tables)"
    finally:
        page.close()
