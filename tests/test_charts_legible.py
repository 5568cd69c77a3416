"""Charts a reader can read without colour and on a phone (issue 29, items 2 and 3): the map writes each region's
level on it and carries a legend of every level, in the page's language; every chart marks a level with its
symbol as well as its colour; the levels' colours stay apart in greyscale and under the three common colour-vision
deficiencies (Chromium's own emulation, measured in CIEDE2000), and apart in hue from the colours of primacy; no
chart text is under 12 px on a 390 px phone. Chromium through Playwright, English and French."""

from __future__ import annotations

import itertools
import json
import math
import re
import struct
import zlib
from pathlib import Path

import pytest
import yaml

from readiness import charts
from tests.conftest import REPO, run

LANGS = ["en", "fr"]
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}
MODES = ["none", "achromatopsia", "protanopia", "deuteranopia", "tritanopia"]
#: The least CIEDE2000 distance between any two levels' colours, as each reader sees them.
DISTINCT = 10.0
#: The least difference of hue (CIELCh degrees) between a level's colour and a primacy's colour, both coloured.
HUE_APART = 30.0


def framework() -> dict:
    return yaml.safe_load((REPO / "indicators" / "framework.yaml").read_text(encoding="utf-8"))


def loc(text: object, lang: str) -> str:
    return str(text[lang] if isinstance(text, dict) else text)


def lang_root(site: Path, lang: str) -> Path:
    return site / "fr" if lang == "fr" else site


# --- colour science, written out: sRGB to CIELAB (D65) and CIEDE2000 -------------------------------------------


def _linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def lab(rgb: tuple[float, float, float]) -> tuple[float, float, float]:
    """CIELAB (D65) of an sRGB colour given as 0-255 channels."""
    r, g, b = (_linear(c / 255) for c in rgb)
    x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047
    y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b
    z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def hex_rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def delta_e00(lab1: tuple[float, float, float], lab2: tuple[float, float, float]) -> float:
    """CIEDE2000 (Sharma, Wu and Dalal's formulation)."""
    l1, a1, b1 = lab1
    l2, a2, b2 = lab2
    c_bar = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_bar**7 / (c_bar**7 + 25**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if c2p else 0.0
    dl, dc = l2 - l1, c2p - c1p
    dh = 0.0 if c1p * c2p == 0 else (h2p - h1p + 180) % 360 - 180
    d_h = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))
    l_bar, cp_bar = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        h_bar = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        h_bar = (h1p + h2p) / 2
    else:
        h_bar = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (
        1
        - 0.17 * math.cos(math.radians(h_bar - 30))
        + 0.24 * math.cos(math.radians(2 * h_bar))
        + 0.32 * math.cos(math.radians(3 * h_bar + 6))
        - 0.20 * math.cos(math.radians(4 * h_bar - 63))
    )
    s_l = 1 + 0.015 * (l_bar - 50) ** 2 / math.sqrt(20 + (l_bar - 50) ** 2)
    s_c, s_h = 1 + 0.045 * cp_bar, 1 + 0.015 * cp_bar * t
    r_t = (
        -2
        * math.sqrt(cp_bar**7 / (cp_bar**7 + 25**7))
        * math.sin(math.radians(60 * math.exp(-(((h_bar - 275) / 25) ** 2))))
    )
    return math.sqrt((dl / s_l) ** 2 + (dc / s_c) ** 2 + (d_h / s_h) ** 2 + r_t * (dc / s_c) * (d_h / s_h))


def test_the_colour_difference_is_the_published_one():
    """Sharma, Wu and Dalal (2005), table 1: pairs 1, 7, 17 and 25 of their test data."""
    for lab1, lab2, expected in [
        ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
        ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
        ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
        ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ]:
        assert delta_e00(lab1, lab2) == pytest.approx(expected, abs=1e-4)


def png_pixels(data: bytes) -> list[list[tuple[int, int, int]]]:
    """The pixels of an 8-bit RGB or RGBA PNG (what Chromium's screenshots are), as rows of (r, g, b)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour_type = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour_type in (2, 6) and body[12] == 0, "a plain 8-bit PNG"
            channels = 3 if colour_type == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw, stride, rows, previous = zlib.decompress(idat), width * channels, [], bytearray(width * channels)
    for y in range(height):
        line = raw[y * (stride + 1) : (y + 1) * (stride + 1)]
        kind, cur = line[0], bytearray(line[1:])
        for i in range(stride):
            left = cur[i - channels] if i >= channels else 0
            up, corner = previous[i], previous[i - channels] if i >= channels else 0
            if kind == 1:
                cur[i] = (cur[i] + left) & 255
            elif kind == 2:
                cur[i] = (cur[i] + up) & 255
            elif kind == 3:
                cur[i] = (cur[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                cur[i] = (cur[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        rows.append([tuple(cur[i : i + 3]) for i in range(0, stride, channels)])
        previous = cur
    return rows  # type: ignore[return-value]


def centre_colour(locator) -> tuple[float, float, float]:
    """The mean colour of the 3x3 pixels at the centre of an element, as the screen shows it."""
    rows = png_pixels(locator.screenshot(animations="disabled"))
    cy, cx = len(rows) // 2, len(rows[0]) // 2
    sample = [rows[y][x] for y in range(cy - 1, cy + 2) for x in range(cx - 1, cx + 2)]
    return tuple(sum(p[i] for p in sample) / len(sample) for i in range(3))  # type: ignore[return-value]


# --- without a browser: the drawings -----------------------------------------------------------------------------


def _font_sizes(svg: str) -> list[float]:
    return [float(s) for s in re.findall(r'font-size="([\d.]+)"', svg)]


def _view_width(svg: str) -> float:
    return float(re.search(r'viewBox="0 0 ([\d.]+) ', svg).group(1))  # type: ignore[union-attr]


def test_charts_are_drawn_for_a_phone_with_each_level_by_symbol_and_name():
    """Every chart given the levels' keys is drawn no wider than a phone's column with text no smaller than
    `charts.TEXT` (or, the prerequisite graph, at its own size with that text), and names the levels it shows in a
    legend, each with its symbol; the map writes every region's level on it, in words."""
    keys = [
        charts.Key("Too little data", "#e2e2e2", "circle"),
        charts.Key("Not ready", "#a81810", "triangle"),
        charts.Key("Partially ready", "#dd9c1c", "square", "Partly ready"),
        charts.Key("Ready for handover", "#a166ac", "diamond", "Ready"),
    ]
    square = [[(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0), (0.0, 0.0)]]
    areas = [
        charts.Area("a", "Alpha", "#a81810", "Not ready", square, "regions/a.html"),
        charts.Area("b", "Beta", "#a166ac", "Ready for handover", [[(x + 1, y) for x, y in square[0]]]),
        charts.Area("", "", "#e0e0e0", "Not shown in this edition", [[(x + 2, y) for x, y in square[0]]]),
    ]
    drawn = {
        "map": charts.region_map("map", "Map", "Levels", areas, legend_keys=keys),
        "grid": charts.level_grid("grid", "Tiles", "Levels", areas[:2], legend_keys=keys),
        "bars": charts.bar_chart(
            "bars", "Pillars", "Scores", [charts.Bar("Law and order", 71.2, "#a166ac", "(100% data)")], 0, 100,
            [(50.0, "floor 50")], legend_keys=keys,
        ),
        "trend": charts.trend_chart(
            "trend", "Trend", "Scores", [("2026-q1", 48.0, "#a81810"), ("2026-q2", 71.0, "#a166ac")],
            [charts.Band(0, 50, "#a81810", "Not ready"), charts.Band(50, 70, "#dd9c1c", "Partially ready")],
            0, 100, legend_keys=keys,
        ),
        "shares": charts.stacked_bar(
            "shares", "Chances", "Levels", [("Not ready", 0.8, "#a81810"), ("Partially ready", 0.2, "#dd9c1c")],
            legend_keys=keys,
        ),
        "graph": charts.dependency_graph(
            "graph", "Graph", "Prerequisites",
            [charts.Node("A1", "One", "#a81810", "Not ready"), charts.Node("B1", "Two", "#dd9c1c", "Partially")],
            [("A1", "B1")], [["A1"], ["B1"]], legend_keys=keys,
        ),
    }  # fmt: skip
    for name, svg in drawn.items():
        assert min(_font_sizes(svg)) >= charts.TEXT, name
        if name == "graph":
            assert re.search(r'<svg [^>]*width="\d+" height="\d+"', svg), "the graph keeps its size (a figure scrolls)"
        else:
            assert _view_width(svg) <= charts.PHONE, name
        legend = re.findall(r'<g class="rd-key" data-colour="(#[0-9a-f]{6})">(<\w+)', svg)
        assert legend and all(mark in ("<circle", "<polygon", "<rect") for _, mark in legend), name
    map_legend = re.findall(
        r'<g class="rd-key" data-colour="(#[0-9a-f]{6})">.*?<text [^>]*>([^<]+)</text>', drawn["map"]
    )
    assert [label for _, label in map_legend] == [k.label for k in keys] + ["Not shown in this edition"]
    alpha = re.search(r'data-area="a".*?</g>', drawn["map"]).group(0)  # type: ignore[union-attr]
    assert "Not ready" in alpha and "<polygon" in alpha  # the level in words, and its symbol
    beta = re.search(r'data-area="b".*?</g>', drawn["map"]).group(0)  # type: ignore[union-attr]
    assert "Ready" in re.sub(r"<[^>]+>", " ", beta)
    assert len(re.findall(r"<path d=", drawn["map"])) == 3, "one path per area, nothing else drawn as a path"
    assert "Partially ready 20%" in drawn["shares"] and "Not ready 80%" in drawn["shares"]


# --- in the browser -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> dict[str, str]:
    """Each region's level in the latest round, as `readiness score` gives it."""
    out = tmp_path_factory.mktemp("score") / "results.json"
    scored = run("score", "-p", str(REPO), "--format", "json", "-o", str(out))
    assert scored.exit_code == 0, scored.output
    rows = json.loads(scored.output[scored.output.index("[") :])
    latest = max(r["round"] for r in rows)
    return {r["region"]: r["level"] for r in rows if r["round"] == latest}


#: Each labelled area of the map: its region, the words of its label, and the link it sits beside.
MAP_LABELS = """
() => [...document.querySelectorAll('svg[aria-labelledby^="map-"] g.rd-area-label')].map(g => ({
  area: g.dataset.area,
  words: [...g.querySelectorAll('text')].map(t => t.textContent.trim()).join(' '),
  visible: [...g.querySelectorAll('text')].every(t => t.checkVisibility() && t.getBBox().width > 0),
}))
"""
MAP_LINKS = """
() => [...document.querySelectorAll('svg[aria-labelledby^="map-"] a')].map(a => a.getAttribute('href'))
"""
LEGEND = """
(svg) => [...document.querySelectorAll(`svg[aria-labelledby^="${svg}"] g.rd-key`)].map(g => ({
  colour: g.dataset.colour, label: g.querySelector('text').textContent.trim(),
}))
"""


@pytest.mark.slow
@pytest.mark.parametrize("audience", ["internal", "public"])
@pytest.mark.parametrize("lang", LANGS)
def test_the_map_names_each_regions_level_in_words_and_its_legend_lists_every_level(
    example_sites, chromium, results, lang, audience
):
    fw = framework()
    words = {lv["id"]: {loc(lv["label"], lang), loc(lv.get("short", lv["label"]), lang)} for lv in fw["levels"]}
    page = chromium.new_page(viewport=PHONE)
    try:
        page.goto((lang_root(example_sites / audience, lang) / "index.html").as_uri(), wait_until="load")
        labels = page.evaluate(MAP_LABELS)
        linked = {re.sub(r"^regions/|\.html$", "", href) for href in page.evaluate(MAP_LINKS)}
        assert len(labels) >= 10 and {x["area"] for x in labels} == linked, "every region drawn is labelled"
        for x in labels:
            level = results[x["area"]]
            said = " ".join(x["words"].split())
            assert any(w in said for w in words[level]), (x["area"], level, said)
            assert x["visible"], x["area"]
        legend = page.evaluate(LEGEND, "map-")
        assert [k["label"] for k in legend][: len(fw["levels"])] == [loc(lv["label"], lang) for lv in fw["levels"]]
        assert [k["colour"] for k in legend][: len(fw["levels"])] == [lv["colour"] for lv in fw["levels"]]
    finally:
        page.close()


@pytest.mark.slow
def test_the_levels_colours_stay_apart_in_greyscale_and_to_colour_blind_readers(example_sites, chromium):
    """The legend's symbols, screenshotted under Chromium's emulation of each colour-vision deficiency (the
    Machado-Oliveira-Fernandes matrices at full severity; achromatopsia as luminance alone), are at least
    `DISTINCT` apart in CIEDE2000, every pair of levels.

    Why 10: a difference of about 1 is just noticeable between two large patches side by side; the levels are
    seen as small areas, symbols and chips, apart from one another, on screens of every quality and on paper,
    where a few units vanish. Palettes made to be told apart at a glance (categorical chart palettes) keep 10 or
    more between colours; the earlier palette measured 3.6 between "Not ready" and "Ready" in greyscale (issue 29),
    which readers could not tell apart. Greyscale and protanopia are the hard cases for a red-amber-green scale;
    the levels' colours therefore step in lightness (light grey, dark red, amber, mid purple, dark plum)."""
    fw = framework()
    levels = {lv["colour"].lower(): loc(lv["label"], "en") for lv in fw["levels"]}
    page = chromium.new_page(viewport=LAPTOP)
    try:
        page.goto((example_sites / "internal" / "index.html").as_uri(), wait_until="load")
        cdp = page.context.new_cdp_session(page)
        keys = page.locator('svg[aria-labelledby^="map-"] g.rd-key')
        colours = [keys.nth(i).get_attribute("data-colour") for i in range(keys.count())]
        assert set(levels) <= {c.lower() for c in colours if c}
        seen: dict[str, dict[str, tuple[float, float, float]]] = {}
        for mode in MODES:
            cdp.send("Emulation.setEmulatedVisionDeficiency", {"type": mode})
            seen[mode] = {
                colour.lower(): lab(centre_colour(keys.nth(i).locator(":scope > :first-child")))
                for i, colour in enumerate(colours)
                if colour and colour.lower() in levels
            }
        cdp.send("Emulation.setEmulatedVisionDeficiency", {"type": "none"})
        for colour, measured in seen["none"].items():  # the screenshot reads what was drawn
            assert delta_e00(measured, lab(hex_rgb(colour))) < 2, (levels[colour], measured)
        assert all(abs(a) < 2 and abs(b) < 2 for _, a, b in seen["achromatopsia"].values()), "greyscale is grey"
        close = [
            (mode, levels[c1], levels[c2], round(delta_e00(seen[mode][c1], seen[mode][c2]), 1))
            for mode in MODES
            for c1, c2 in itertools.combinations(sorted(seen[mode]), 2)
            if delta_e00(seen[mode][c1], seen[mode][c2]) < DISTINCT
        ]
        assert not close, close
    finally:
        page.close()


#: The colours the page gives primacy (its chips and tiles), as computed.
PRIMACY_COLOURS = """
() => {
  const out = {};
  for (const kind of ['host', 'mixed', 'joint', 'un']) {
    for (const cls of [`rd-primacy rd-primacy-${kind}`, `rd-tile-${kind === 'mixed' ? 'transition' : kind}`]) {
      const el = document.createElement('span');
      el.className = cls;
      document.querySelector('article').appendChild(el);
      const style = getComputedStyle(el);
      const value = cls.startsWith('rd-primacy') ? style.color : style.getPropertyValue('--rd-bg').trim();
      if (value) out[cls] = value;
      el.remove();
    }
  }
  return out;
}
"""


def _rgb(css: str) -> tuple[int, int, int]:
    if css.startswith("#"):
        return hex_rgb(css)
    r, g, b = (int(float(v)) for v in re.findall(r"[\d.]+", css)[:3])
    return r, g, b


def _hue(rgb: tuple[float, float, float]) -> tuple[float, float]:
    _, a, b = lab(rgb)
    return math.hypot(a, b), math.degrees(math.atan2(b, a)) % 360


@pytest.mark.slow
def test_levels_and_primacy_are_told_apart_by_hue(example_sites, chromium):
    """Green meant both "Ready" and host-state primacy on the same screen (issue 29): every coloured level differs
    in hue by at least `HUE_APART` degrees from every coloured primacy (greys aside: chroma under 20)."""
    fw = framework()
    page = chromium.new_page(viewport=LAPTOP)
    try:
        page.goto((example_sites / "internal" / "index.html").as_uri(), wait_until="load")
        primacy = page.evaluate(PRIMACY_COLOURS)
    finally:
        page.close()
    assert primacy
    clashes = []
    for lv in fw["levels"]:
        c1, h1 = _hue(hex_rgb(lv["colour"]))
        for cls, css in primacy.items():
            c2, h2 = _hue(_rgb(css))
            if c1 >= 20 and c2 >= 20 and abs((h1 - h2 + 180) % 360 - 180) < HUE_APART:
                clashes.append((lv["id"], lv["colour"], cls, css))
    assert not clashes, clashes


#: Every visible text of the article's charts: its chart, its words and its size on the screen (the computed font
#: size times the scale from the chart's drawing to the screen).
CHART_TEXT = """
() => [...document.querySelectorAll('article svg text')].filter(t => t.checkVisibility() && t.getBBox().width > 0)
  .map(t => {
    const m = t.getScreenCTM();
    return {
      chart: t.closest('svg').getAttribute('aria-labelledby'),
      text: t.textContent.trim().slice(0, 40),
      px: parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b),
    };
  })
"""
PHONE_PAGES = [
    "index.html",
    "regions/lowa.html",
    "regions/dabori.html",
    "evidence/lowa.html",
    "evidence/dabori.html",
    "factsheet.html",
]


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_no_chart_text_is_under_12_px_on_a_phone(example_sites, chromium, lang):
    """On a 390 px phone, every chart's text (the folded sections opened) is at least 12 px as drawn on the
    screen: charts are drawn for a phone's width; the prerequisite graph keeps its size and scrolls."""
    site = lang_root(example_sites / "internal", lang)
    page = chromium.new_page(viewport=PHONE)
    try:
        small, measured = {}, 0
        for name in PHONE_PAGES:
            if not (site / name).exists():
                assert name.startswith("evidence/"), name  # an evidence page only where a region has evidence
                continue
            page.goto((site / name).as_uri(), wait_until="load")
            page.evaluate("document.querySelectorAll('article details').forEach(d => d.open = true)")
            texts = page.evaluate(CHART_TEXT)
            measured += len(texts)
            under = [f"{t['chart']}: {t['text']!r} {t['px']:.1f}px" for t in texts if t["px"] < 11.95]
            if under:
                small[name] = under[:5]
        assert measured > 100, "the pages have charts"
        assert not small, small
    finally:
        page.close()
