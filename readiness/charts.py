"""Charts as inline SVG, written in Python: no chart library, no JavaScript, no system binary.

Every chart carries a <title> and <desc> (read by screen readers) and is drawn from plain numbers passed in;
text from YAML is escaped here. Pages put a data table beside each chart.

Charts are drawn for a phone's width (`PHONE` units across, text `TEXT` units high) and grow to at most `ZOOM`
times that on a wider screen, so that their text is at least 12 px on a 390 px phone and about the page's own size
on a laptop. A level is told by a symbol and a word as well as its colour (`Key`, `level_keys`): each chart given
the levels' keys marks a level with its symbol and draws a legend of the levels it shows, in the page's language;
the map writes each region's level on it.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

FONT = "font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif"

#: The width charts are drawn for, in SVG units: a phone's column (390 px less the page's margins, about 360 px)
#: shows them at about one unit to the pixel.
PHONE = 340
#: The size of the smallest text of a chart, in SVG units: at least 12 px on a phone's column.
TEXT = 13
#: How much a chart may grow on a wider screen: its text is then about the size of the page's text (16 px).
ZOOM = 1.25
#: The line height of a chart's text.
LINE = TEXT + 3
#: Dark strokes and text.
INK = "#1a1a1a"
#: Secondary text (axes, notes): 7:1 on white.
MUTED = "#4d4d4d"


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def text_colour(background: str) -> str:
    """Black or white, whichever reads better on the background (WCAG relative luminance)."""
    r, g, b = (int(background[i : i + 2], 16) / 255 for i in (1, 3, 5))

    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    luminance = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
    return "#000000" if luminance > 0.179 else "#ffffff"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "chart"


def _open(
    chart_id: str,
    width: float,
    height: float,
    title: str,
    desc: str,
    role: str = "img",
    zoom: float = ZOOM,
    natural: bool = False,
) -> list[str]:
    """The chart's opening: `role="img"` for a picture, `role="group"` for one with links inside (a link may not
    sit inside an image for assistive technology). A chart is as wide as its column, up to `zoom` times its
    drawing; a `natural` one has its drawing's size (a figure that scrolls shows it whole, its text at 1:1)."""
    cid = _slug(chart_id)
    size = (
        f'width="{width:.0f}" height="{height:.0f}" style="{FONT}"'
        if natural
        else f'width="100%" style="max-width:{width * zoom:.0f}px;{FONT}"'
    )
    return [
        f'<svg class="rd-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'{size} role="{role}" aria-labelledby="{cid}-title {cid}-desc">',
        f'<title id="{cid}-title">{esc(title)}</title>',
        f'<desc id="{cid}-desc">{esc(desc)}</desc>',
    ]


def _link(href: str | None, inner: str, label: str) -> str:
    if not href:
        return inner
    return f'<a href="{esc(href)}" aria-label="{esc(label)}">{inner}</a>'


def _plain_number(value: float) -> str:
    return f"{value:.1f}"


# ---------------------------------------------------------------------------------------------------- text


_NARROW = set("iIjl.,;:'!|·")
_SEMI = set("frt()[]{} -/\u00a0\u202f")
_WIDE = set("mwMW%@—")


def text_width(text: str, size: float = TEXT, bold: bool = False) -> float:
    """About how wide `text` is in the system's sans-serif font, erring wide (DejaVu Sans, the widest of the
    usual ones): enough to wrap labels and keep them apart."""
    em = 0.0
    for ch in text:
        if ch in _NARROW:
            em += 0.3
        elif ch in _SEMI:
            em += 0.4
        elif ch in _WIDE:
            em += 0.92
        elif ch.isupper():
            em += 0.72
        elif ch.isdigit():
            em += 0.64
        else:
            em += 0.61
    return em * size * (1.15 if bold else 1.0)


def _shorten(text: str, width: float, size: float = TEXT, bold: bool = False) -> str:
    """`text`, cut with an ellipsis to fit `width`."""
    if text_width(text, size, bold) <= width:
        return text
    while text and text_width(text + "…", size, bold) > width:
        text = text[:-1]
    return text.rstrip(" ,;:") + "…"


def wrap(
    text: str, width: float, lines: int = 2, size: float = TEXT, bold: bool = False, cut: bool = True
) -> list[str]:
    """`text` in at most `lines` lines of `width`, broken at spaces; the last line cut with an ellipsis when the
    text does not fit (without `cut`, the last line holds the rest, however wide: a map's label may spill over
    its area's edge rather than lose a word)."""
    out: list[str] = []
    current = ""
    words = text.split()
    for i, word in enumerate(words):
        trial = f"{current} {word}".strip()
        if current and text_width(trial, size, bold) > width:
            out.append(current)
            current = word
            if len(out) == lines - 1:
                current = " ".join(words[i:])
                break
        else:
            current = trial
    out.append(current)
    return [_shorten(line, width, size, bold) if cut else line for line in out if line] or [""]


def _text(
    x: float,
    y: float,
    text: str,
    size: float = TEXT,
    anchor: str = "start",
    fill: str = INK,
    bold: bool = False,
    halo: str | None = None,
    extra: str = "",
) -> str:
    """One line of text; with `halo`, outlined in that colour so it reads over lines and other colours."""
    attrs = f'x="{x:.1f}" y="{y:.1f}" font-size="{size:g}" fill="{fill}"'
    if anchor != "start":
        attrs += f' text-anchor="{anchor}"'
    if bold:
        attrs += ' font-weight="600"'
    if halo:
        attrs += f' stroke="{halo}" stroke-width="3" stroke-linejoin="round" paint-order="stroke"'
    return f"<text {attrs}{extra}>{esc(text)}</text>"


# ---------------------------------------------------------------------------------------------------- levels


#: The symbols of the levels, lowest level first: shapes a reader tells apart without colour. Drawn as polygons,
#: circles and rectangles (a map's `<path>` elements are its areas).
SHAPES = ("circle", "triangle", "square", "diamond", "star", "hexagon", "triangle-down", "cross")


@dataclass(frozen=True)
class Key:
    """A level as charts show it: its name in the page's language, its colour and its symbol."""

    label: str
    colour: str
    shape: str = "circle"
    short: str = ""
    """The level in a word or two, where a label has little room (a region on the map) [default: the label]."""


def level_keys(
    levels: Iterable[Any], label: Callable[[str], str], loc: Callable[[Any], str] | None = None
) -> list[Key]:
    """The keys of the framework's levels (objects with `id`, `colour` and `short`, lowest first), named by
    `label` (and, with `loc`, by their short names): one symbol each, in the levels' order."""
    return [
        Key(label(lv.id), lv.colour, SHAPES[i % len(SHAPES)], (loc(lv.short) if loc else "") or label(lv.id))
        for i, lv in enumerate(levels)
    ]


def _keyed(legend: Sequence[Key]) -> dict[str, Key]:
    """The keys by colour (a chart's marks are given their level's colour)."""
    return {k.colour.lower(): k for k in legend}


def _points(coords: Iterable[tuple[float, float]]) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)


def symbol(shape: str, cx: float, cy: float, r: float, fill: str, stroke: str = INK, width: float = 1.0) -> str:
    """A level's symbol centred on (cx, cy), about 2r across."""
    paint = f'fill="{esc(fill)}" stroke="{esc(stroke)}" stroke-width="{width:g}" stroke-linejoin="round"'
    if shape == "square":
        s = r * 0.86
        return f'<rect x="{cx - s:.1f}" y="{cy - s:.1f}" width="{2 * s:.1f}" height="{2 * s:.1f}" {paint}/>'
    if shape in ("triangle", "triangle-down"):
        k = 1 if shape == "triangle" else -1
        coords = [(cx, cy - k * r * 1.1), (cx + r * 1.05, cy + k * r * 0.75), (cx - r * 1.05, cy + k * r * 0.75)]
        return f'<polygon points="{_points(coords)}" {paint}/>'
    if shape == "diamond":
        coords = [(cx, cy - r * 1.15), (cx + r * 1.0, cy), (cx, cy + r * 1.15), (cx - r * 1.0, cy)]
        return f'<polygon points="{_points(coords)}" {paint}/>'
    if shape in ("star", "hexagon"):
        n, inner = (5, 0.48) if shape == "star" else (6, 1.0)
        step = math.pi / n
        coords = [
            (
                cx + (r * 1.15 if i % 2 == 0 or shape == "hexagon" else r * 1.15 * inner) * math.sin(i * step),
                cy - (r * 1.15 if i % 2 == 0 or shape == "hexagon" else r * 1.15 * inner) * math.cos(i * step),
            )
            for i in range(2 * n)
        ]
        if shape == "hexagon":
            coords = coords[::2]
        return f'<polygon points="{_points(coords)}" {paint}/>'
    if shape == "cross":
        a, b = r * 0.38, r * 1.0
        coords = [
            (cx - a, cy - b), (cx + a, cy - b), (cx + a, cy - a), (cx + b, cy - a), (cx + b, cy + a), (cx + a, cy + a),
            (cx + a, cy + b), (cx - a, cy + b), (cx - a, cy + a), (cx - b, cy + a), (cx - b, cy - a), (cx - a, cy - a),
        ]  # fmt: skip
        return f'<polygon points="{_points(coords)}" {paint}/>'
    return f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{r:.1f}" {paint}/>'


#: The fill of an area the edition does not show: a hatch, no level's colour.
HATCH = "#9a9a9a"


def _hatch(cid: str) -> str:
    return (
        f'<defs><pattern id="{cid}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#f4f4f4"/>'
        f'<line x1="1.5" y1="0" x2="1.5" y2="6" stroke="{HATCH}" stroke-width="2"/></pattern></defs>'
    )


def legend(
    keys: Sequence[Key],
    x: float,
    y: float,
    width: float,
    texts: Sequence[str] | None = None,
    hatch: str | None = None,
) -> tuple[list[str], float]:
    """The levels' legend, from (x, y) in rows across `width`: each level's symbol in its colour and its name
    (or `texts`, one per key); a key of shape `hatch` is a swatch of the hatch of chart `hatch` (the areas an
    edition leaves out of a map). Returns the lines and the height used."""
    out: list[str] = []
    row_h, r = LINE + 6, 6.5
    x, width = x + 2, width - 2  # a star's points reach past its circle
    cx, cy = x, y + row_h / 2
    for i, k in enumerate(keys):
        label = texts[i] if texts is not None else k.label
        label = _shorten(label, width - 2 * r - 6)
        w = 2 * r + 6 + text_width(label) + 14
        if cx > x and cx + w - 14 > x + width:
            cx, cy = x, cy + row_h
        fill = f"url(#{hatch}-hatch)" if hatch and k.shape == "hatch" else k.colour
        mark = (
            f'<rect x="{cx:.1f}" y="{cy - r:.1f}" width="{2 * r:.1f}" height="{2 * r:.1f}" fill="{esc(fill)}" '
            f'stroke="{INK}" stroke-width="1"/>'
            if k.shape == "hatch"
            else symbol(k.shape, cx + r, cy, r, k.colour)
        )
        out.append(
            f'<g class="rd-key" data-colour="{esc(k.colour)}">{mark}'
            f"{_text(cx + 2 * r + 6, cy + TEXT * 0.36, label)}</g>"
        )
        cx += w
    return out, (cy + row_h / 2 - y) if keys else 0.0


# ---------------------------------------------------------------------------------------------------- bars


@dataclass
class Bar:
    label: str
    value: float | None
    colour: str
    note: str = ""
    href: str | None = None
    number: Callable[[float, int], str] | None = None
    """How the language writes a number (value, digits); English style when None."""

    def show(self) -> str:
        if self.value is None:
            return ""
        return self.number(self.value, 1) if self.number else _plain_number(self.value)


def bar_chart(
    chart_id: str,
    title: str,
    desc: str,
    bars: Sequence[Bar],
    low: float,
    high: float,
    markers: Sequence[tuple[float, str]] = (),
    legend_keys: Sequence[Key] = (),
) -> str:
    """Horizontal bars on the scale low..high, with optional vertical markers (a floor, a cut-off). Each bar has its
    name (and its note) on a line above it, its value at its end; with `legend_keys`, a bar in a level's colour
    carries the level's symbol and a legend names the levels shown."""
    width = PHONE
    keyed = _keyed(legend_keys)
    values = [b.show() for b in bars]
    room = max((text_width(v) for v in values), default=0) + (2 * 7 + 8 if keyed else 4) + 6
    left, plot_w = 2, width - 2 - room
    top, row_h = LINE + 6, 2 * LINE + 10
    rows_end = top + row_h * len(bars)
    marker_h = LINE + 4 if markers else 0
    shown = [k for k in legend_keys if any(b.value is not None and b.colour.lower() == k.colour.lower() for b in bars)]
    key_lines, key_h = legend(shown, 0, rows_end + marker_h + 6, width)
    height = rows_end + marker_h + (key_h + 8 if shown else 4)
    out = _open(chart_id, width, height, title, desc, role="group")

    def x(value: float) -> float:
        return left + plot_w * (min(max(value, low), high) - low) / (high - low)

    for i, tick in enumerate((low, (low + high) / 2, high)):
        out.append(
            f'<line x1="{x(tick):.1f}" y1="{top - 4}" x2="{x(tick):.1f}" y2="{rows_end}" stroke="#c8c8c8" '
            'stroke-width="1"/>'
        )
        out.append(_text(x(tick), top - 7, f"{tick:g}", anchor=("start", "middle", "end")[i], fill=MUTED))
    for i, bar in enumerate(bars):
        y = top + i * row_h
        note_w = text_width(bar.note) + 8 if bar.note else 0
        label = _shorten(bar.label, width - 2 - note_w)
        out.append(_link(bar.href, _text(2, y + TEXT, label, halo="#fff"), bar.label))
        if bar.note:
            out.append(_text(width, y + TEXT, bar.note, anchor="end", fill=MUTED, halo="#fff"))
        bar_y = y + LINE + 2
        if bar.value is None:
            out.append(_text(left, bar_y + TEXT, "–", fill=MUTED))
            continue
        w = max(x(bar.value) - left, 1.5)
        out.append(
            f'<rect x="{left}" y="{bar_y:.1f}" width="{w:.1f}" height="{LINE}" rx="2" fill="{esc(bar.colour)}" '
            f'stroke="{INK}" stroke-width="0.6"><title>{esc(bar.label)}: {esc(bar.show())}</title></rect>'
        )
        end = left + w + 5
        key = keyed.get(bar.colour.lower())
        if key is not None:
            out.append(symbol(key.shape, end + 7, bar_y + LINE / 2, 6, key.colour))
            end += 2 * 7 + 4
        out.append(_text(end, bar_y + TEXT - 0.5, bar.show(), halo="#fff"))
    for value, label in markers:
        out.append(
            f'<line x1="{x(value):.1f}" y1="{top - 4}" x2="{x(value):.1f}" y2="{rows_end + 2}" stroke="{INK}" '
            'stroke-width="1.5" stroke-dasharray="4 3"/>'
        )
        anchor = "start" if x(value) + text_width(label) + 3 <= width else "end"
        out.append(_text(x(value) + (3 if anchor == "start" else -3), rows_end + TEXT + 2, label, anchor=anchor))
    out.extend(key_lines)
    out.append("</svg>")
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------------- trend


@dataclass
class Band:
    start: float
    end: float
    colour: str
    label: str


def trend_chart(
    chart_id: str,
    title: str,
    desc: str,
    points: Sequence[tuple[str, float | None, str]],
    bands: Sequence[Band],
    low: float,
    high: float,
    number: Callable[[float, int], str] | None = None,
    legend_keys: Sequence[Key] = (),
) -> str:
    """A line over rounds, on a background of level bands named on the chart. Points: (round label, score or None,
    colour); with `legend_keys`, each point is its level's symbol and a legend names the levels shown."""
    keyed = _keyed(legend_keys)
    width = PHONE
    left, right, top = 30, 6, 8
    plot_w, plot_h = width - left - right, 176
    shown = [k for k in legend_keys if any(v is not None and c.lower() == k.colour.lower() for _, v, c in points)]
    axis_y = top + plot_h
    key_lines, key_h = legend(shown, 0, axis_y + LINE + 12, width)
    height = axis_y + LINE + 10 + (key_h + 6 if shown else 0)
    out = _open(chart_id, width, height, title, desc)

    def y(value: float) -> float:
        return top + plot_h * (1 - (min(max(value, low), high) - low) / (high - low))

    step = plot_w / max(len(points), 1)
    coords = [
        (left + step * (i + 0.5), y(value), value, colour, label)
        for i, (label, value, colour) in enumerate(points)
        if value is not None
    ]
    # what a band's name must not cover: the points, their values and the line between them
    taken: list[tuple[float, float, float, float]] = []
    for cx, cy, value, _colour, _label in coords:
        shown_value = number(value, 1) if number else _plain_number(value)
        vy = cy - 11 if cy - 11 >= top + TEXT else cy + 21
        half = text_width(shown_value) / 2 + 2
        taken += [(cx - 8, cy - 8, cx + 8, cy + 8), (cx - half, vy - TEXT, cx + half, vy + 3)]
    for (x1, y1, *_a), (x2, y2, *_b) in zip(coords, coords[1:], strict=False):
        for k in range(1, 10):
            px, py = x1 + (x2 - x1) * k / 10, y1 + (y2 - y1) * k / 10
            taken.append((px - 2, py - 2, px + 2, py + 2))

    def free(box: tuple[float, float, float, float]) -> bool:
        return not any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in taken)

    for band in bands:
        y_top, y_bottom = y(band.end), y(band.start)
        out.append(
            f'<rect x="{left}" y="{y_top:.1f}" width="{plot_w}" height="{y_bottom - y_top:.1f}" '
            f'fill="{esc(band.colour)}" fill-opacity="0.14"/>'
        )
        out.append(
            f'<line x1="{left}" y1="{y_bottom:.1f}" x2="{left + plot_w}" y2="{y_bottom:.1f}" stroke="#b0b0b0" '
            'stroke-width="1"/>'
        )
        if y_bottom - y_top >= LINE + 2:
            name = _shorten(band.label, plot_w - 8)
            w = text_width(name)
            spots = [  # the band's corners, then along its lower and upper edges
                (x0, base)
                for base in (y_bottom - 5, y_top + TEXT + 3)
                for x0 in (left + plot_w - 4 - w, left + 4, *(left + 4 + f * (plot_w - 8 - w) / 6 for f in range(1, 6)))
            ]
            spot = next((s for s in spots if free((s[0], s[1] - TEXT, s[0] + w, s[1] + 3))), spots[0])
            out.append(_text(spot[0], spot[1], name, fill=MUTED, halo="#fff"))
            taken.append((spot[0], spot[1] - TEXT, spot[0] + w, spot[1] + 3))
        out.append(_text(left - 4, y_bottom + 4, f"{band.start:g}", anchor="end", fill=MUTED))
    widest = max((text_width(label) for label, _, _ in points), default=0)
    every = max(1, math.ceil((widest + 6) / step))  # a label for every round when they fit, else for every n-th
    for i, (label, _value, _colour) in enumerate(points):
        if (len(points) - 1 - i) % every == 0:
            out.append(_text(left + step * (i + 0.5), axis_y + LINE + 2, label, anchor="middle"))
    if len(coords) > 1:
        path = " ".join(f"{'M' if i == 0 else 'L'}{cx:.1f},{cy:.1f}" for i, (cx, cy, *_rest) in enumerate(coords))
        out.append(f'<path d="{path}" fill="none" stroke="{INK}" stroke-width="2"/>')
    for cx, cy, value, colour, label in coords:
        shown_value = esc(number(value, 1) if number else _plain_number(value))
        key = keyed.get(colour.lower())
        mark = symbol(key.shape if key else "circle", cx, cy, 6, colour)
        out.append(f"<g><title>{esc(label)}: {shown_value}{esc(': ' + key.label) if key else ''}</title>{mark}</g>")
        vy = cy - 11 if cy - 11 >= top + TEXT else cy + 21
        out.append(
            f'<text x="{cx:.1f}" y="{vy:.1f}" font-size="{TEXT}" text-anchor="middle" fill="{INK}" stroke="#ffffff" '
            f'stroke-width="3" stroke-linejoin="round" paint-order="stroke">{shown_value}</text>'
        )
    out.extend(key_lines)
    out.append("</svg>")
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------------- graph


@dataclass
class Node:
    id: str
    label: str
    colour: str
    status: str
    href: str | None = None


def dependency_graph(
    chart_id: str,
    title: str,
    desc: str,
    nodes: Sequence[Node],
    edges: Sequence[tuple[str, str]],
    layers: Sequence[Sequence[str]],
    legend_keys: Sequence[Key] = (),
) -> str:
    """The prerequisite graph in layers, left to right: what is required stands left of what requires it.

    `layers` come from a topological ordering (networkx); within a layer, nodes are ordered by the mean
    position of their prerequisites, which keeps edges short and crossings few. The graph keeps its drawn size
    (a page shows it in a figure that scrolls), its text at 1:1; with `legend_keys`, each node carries its level's
    symbol and a legend below names the levels shown.
    """
    keyed = _keyed(legend_keys)
    node_w, node_h, gap_x, gap_y, pad = 100 if keyed else 92, 28, 60, 10, 12
    by_id = {n.id: n for n in nodes}
    preds: dict[str, list[str]] = {n.id: [] for n in nodes}
    for a, b in edges:
        if a in by_id and b in by_id:
            preds[b].append(a)
    position: dict[str, tuple[float, float]] = {}
    rank: dict[str, float] = {}
    ordered_layers: list[list[str]] = []
    for layer in layers:
        members = [n for n in layer if n in by_id]
        members.sort(key=lambda n: (sum(rank[p] for p in preds[n]) / len(preds[n]) if preds[n] else -1, n))
        for i, n in enumerate(members):
            rank[n] = i
        ordered_layers.append(members)
    tallest = max((len(layer) for layer in ordered_layers), default=1)
    width = max(pad * 2 + len(ordered_layers) * node_w + max(len(ordered_layers) - 1, 0) * gap_x, PHONE)
    graph_h = pad * 2 + tallest * node_h + (tallest - 1) * gap_y
    shown = [k for k in legend_keys if any(n.id in by_id and n.colour.lower() == k.colour.lower() for n in nodes)]
    key_lines, key_h = legend(shown, pad, graph_h, PHONE - 2 * pad)  # seen whole on a phone, unscrolled
    height = graph_h + (key_h + pad if shown else 8)
    for col, layer in enumerate(ordered_layers):
        offset = (tallest - len(layer)) * (node_h + gap_y) / 2
        for row, n in enumerate(layer):
            position[n] = (pad + col * (node_w + gap_x), pad + offset + row * (node_h + gap_y))
    out = _open(chart_id, width, height, title, desc, role="group", natural=True)
    marker = f"{_slug(chart_id)}-arrow"
    out.append(
        f'<defs><marker id="{marker}" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="7" markerHeight="7" '
        'orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#777"/></marker></defs>'
    )
    for a, b in edges:
        if a not in position or b not in position:
            continue
        (ax, ay), (bx, by) = position[a], position[b]
        x1, y1, x2, y2 = ax + node_w, ay + node_h / 2, bx - 2, by + node_h / 2
        mid = (x1 + x2) / 2
        out.append(
            f'<path d="M{x1:.1f},{y1:.1f} C{mid:.1f},{y1:.1f} {mid:.1f},{y2:.1f} {x2:.1f},{y2:.1f}" '
            f'fill="none" stroke="#999" stroke-width="1.2" marker-end="url(#{marker})"/>'
        )
    for node in nodes:
        if node.id not in position:
            continue
        x, y = position[node.id]
        fg = text_colour(node.colour)
        key = keyed.get(node.colour.lower())
        mark = symbol(key.shape, x + 14, y + node_h / 2, 6, fg, fg) if key else ""
        centre = x + (node_w + 20) / 2 if key else x + node_w / 2
        inner = (
            f"<g><title>{esc(node.id)} {esc(node.label)}: {esc(node.status)}</title>"
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{node_w}" height="{node_h}" rx="4" fill="{esc(node.colour)}" '
            f'stroke="#333" stroke-width="0.8"/>{mark}'
            f'<text x="{centre:.1f}" y="{y + node_h / 2 + TEXT * 0.36:.1f}" font-size="{TEXT}" font-weight="600" '
            f'text-anchor="middle" fill="{fg}">{esc(node.id)}</text></g>'
        )
        out.append(_link(node.href, inner, f"{node.id} {node.label}: {node.status}"))
    out.extend(key_lines)
    out.append("</svg>")
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------------- map


@dataclass
class Area:
    id: str
    label: str
    colour: str
    status: str
    rings: list[list[tuple[float, float]]]
    href: str | None = None


def _inside(x: float, y: float, ring: Sequence[tuple[float, float]]) -> bool:
    found = False
    for (x1, y1), (x2, y2) in zip(ring, [*ring[1:], ring[0]], strict=True):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            found = not found
    return found


def _edge_distance(x: float, y: float, ring: Sequence[tuple[float, float]]) -> float:
    best = math.inf
    for (x1, y1), (x2, y2) in zip(ring, [*ring[1:], ring[0]], strict=True):
        dx, dy = x2 - x1, y2 - y1
        t = 0.0 if dx == dy == 0 else max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)))
        best = min(best, math.hypot(x - (x1 + t * dx), y - (y1 + t * dy)))
    return best


def _chord(x: float, y: float, ring: Sequence[tuple[float, float]]) -> float:
    """How wide the area is along the horizontal line through (x, y), around x."""
    crossings = sorted(
        x1 + (y - y1) * (x2 - x1) / (y2 - y1)
        for (x1, y1), (x2, y2) in zip(ring, [*ring[1:], ring[0]], strict=True)
        if (y1 > y) != (y2 > y)
    )
    for a, b in zip(crossings[::2], crossings[1::2], strict=False):
        if a <= x <= b:
            return 2 * min(x - a, b - x)
    return 0.0


def _label_spot(ring: Sequence[tuple[float, float]]) -> tuple[float, float, float]:
    """Where a label reads best in an area (drawn coordinates): the inner point farthest from its edges, wider
    than tall as a label is; and how wide a label may be there."""
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    best = (sum(xs) / len(xs), sum(ys) / len(ys), 0.0)
    steps = 24
    for i in range(1, steps):
        for j in range(1, steps):
            x = min(xs) + (max(xs) - min(xs)) * i / steps
            y = min(ys) + (max(ys) - min(ys)) * j / steps
            if not _inside(x, y, ring):
                continue
            chord = _chord(x, y, ring)
            score = min(_edge_distance(x, y, ring), chord / 3) + chord / 50  # the wider spot of equals
            if score > best[2]:
                best = (x, y, score)
    x, y, _ = best
    return x, y, _chord(x, y, ring)


def region_map(
    chart_id: str,
    title: str,
    desc: str,
    areas: Sequence[Area],
    width: int = PHONE,
    legend_keys: Sequence[Key] = (),
    zoom: float = 1.6,
) -> str:
    """Polygons (longitude, latitude) drawn to fit the width, north up, each a link to its region and labelled
    with its name and its level (`status`), the level's symbol beside it; a legend of every level below. An area
    without a label is one the edition does not show: hatched, named in the legend by its status."""
    points = [p for a in areas for ring in a.rings for p in ring]
    if not points:
        return ""
    cid = _slug(chart_id)
    keyed = _keyed(legend_keys)
    pad = 4
    min_x, max_x = min(p[0] for p in points), max(p[0] for p in points)
    min_y, max_y = min(p[1] for p in points), max(p[1] for p in points)
    span_x, span_y = (max_x - min_x) or 1.0, (max_y - min_y) or 1.0
    scale = (width - 2 * pad) / span_x
    map_h = span_y * scale + 2 * pad
    withheld = [a for a in areas if not a.label]
    keys = list(legend_keys)
    if withheld:
        keys.append(Key(withheld[0].status, HATCH, "hatch"))
    key_lines, key_h = legend(keys, 0, map_h + 6, width, hatch=cid)
    height = math.ceil(map_h + (key_h + 10 if keys else 0))
    out = _open(chart_id, width, height, title, desc, role="group", zoom=zoom)
    if withheld:
        out.append(_hatch(cid))
    labels = []
    for area in areas:
        drawn = [[(pad + (x - min_x) * scale, pad + (max_y - y) * scale) for x, y in ring] for ring in area.rings]
        d = " ".join("M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in ring) + " Z" for ring in drawn)
        named = f"{area.label}: {area.status}" if area.label else area.status
        fill = esc(area.colour) if area.label else f"url(#{cid}-hatch)"
        shape = (
            f'<path d="{d}" fill="{fill}" stroke="#3a3a3a" stroke-width="0.8" stroke-linejoin="round" '
            f'fill-rule="evenodd"><title>{esc(named)}</title></path>'
        )
        out.append(_link(area.href, shape, named))
        if not area.label:
            continue  # an area drawn without a name (one this edition does not show)
        cx, cy, room = _label_spot(max(drawn, key=len))
        room = max(room - 6, 64)
        fg = text_colour(area.colour)
        key = keyed.get(area.colour.lower())
        names = wrap(area.label, room, 3, bold=True, cut=False)
        mark_w = 2 * 6 + 4 if key else 0
        levels = wrap(area.status, room - mark_w, 2, cut=False)
        if key is not None and key.short and (len(levels) > 1 or text_width(levels[0]) > room - mark_w):
            levels = wrap(key.short, room - mark_w, 2, cut=False)  # the level's short name where the label is long
        lines = len(names) + len(levels)
        y0 = cy - lines * LINE / 2 + TEXT * 0.8
        block = [
            _text(cx, y0 + i * LINE, line, anchor="middle", fill=fg, bold=True, halo=area.colour)
            for i, line in enumerate(names)
        ]
        for i, line in enumerate(levels):
            ly = y0 + (len(names) + i) * LINE
            lx = cx + (mark_w / 2 if i == 0 else 0)
            block.append(_text(lx, ly, line, anchor="middle", fill=fg, halo=area.colour))
            if i == 0 and key is not None:
                left = lx - text_width(line) / 2 - mark_w + 5
                block.append(symbol(key.shape, left, ly - TEXT * 0.36, 5.5, area.colour, fg, 1.4))
        labels.append(f'<g class="rd-area-label" data-area="{esc(area.id)}" pointer-events="none">{"".join(block)}</g>')
    out.extend(labels)
    out.extend(key_lines)
    out.append("</svg>")
    return "\n".join(out)


def level_grid(
    chart_id: str,
    title: str,
    desc: str,
    tiles: Sequence[Area],
    columns: int = 2,
    legend_keys: Sequence[Key] = (),
) -> str:
    """Regions as tiles coloured by level, named and with their level in words and symbol, when there is no
    geometry to draw a map; a legend of every level below."""
    keyed = _keyed(legend_keys)
    gap = 6
    tile_w = (PHONE - (columns + 1) * gap) / columns
    names = [wrap(t.label, tile_w - 16, 2, bold=True) for t in tiles]
    lines = max((len(n) for n in names), default=1)
    tile_h = (lines + 1) * LINE + 18
    rows = (len(tiles) + columns - 1) // columns
    width = columns * (tile_w + gap) + gap
    grid_h = rows * (tile_h + gap) + gap
    key_lines, key_h = legend(legend_keys, gap, grid_h + 2, width - 2 * gap)
    height = grid_h + (key_h + 8 if legend_keys else 0)
    out = _open(chart_id, width, height, title, desc, role="group", zoom=1.6)
    for i, (t, name) in enumerate(zip(tiles, names, strict=True)):
        x, y = gap + (i % columns) * (tile_w + gap), gap + (i // columns) * (tile_h + gap)
        fg = text_colour(t.colour)
        key = keyed.get(t.colour.lower())
        status_y = y + 9 + lines * LINE + TEXT
        mark = symbol(key.shape, x + 14, status_y - TEXT * 0.36, 5.5, t.colour, fg, 1.4) if key else ""
        status_x = x + 26 if key else x + 8
        status = t.status
        if key is not None and key.short and text_width(status) > x + tile_w - 6 - status_x:
            status = key.short
        inner = (
            f"<g><title>{esc(t.label)}: {esc(t.status)}</title>"
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{tile_w:.1f}" height="{tile_h:.1f}" rx="6" fill="{esc(t.colour)}" '
            f'stroke="#3a3a3a" stroke-width="0.8"/>'
            + "".join(_text(x + 8, y + 7 + TEXT + j * LINE, line, fill=fg, bold=True) for j, line in enumerate(name))
            + mark
            + _text(status_x, status_y, _shorten(status, x + tile_w - 6 - status_x), fill=fg)
            + "</g>"
        )
        out.append(_link(t.href, inner, f"{t.label}: {t.status}"))
    out.extend(key_lines)
    out.append("</svg>")
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------------- shares


def stacked_bar(
    chart_id: str,
    title: str,
    desc: str,
    segments: Sequence[tuple[str, float, str]],
    percent: Callable[[float], str] | None = None,
    legend_keys: Sequence[Key] = (),
) -> str:
    """One bar split into shares (label, share 0-1, colour): the probability of each level. Each share is written
    in its segment when it fits, and in the legend below with its level's name (and symbol, with
    `legend_keys`), in the segments' order."""
    show = percent or (lambda share: f"{share * 100:.0f}%")
    keyed = _keyed(legend_keys)
    width, bar_h = PHONE, 30
    present = [(label, share, colour) for label, share, colour in segments if share > 0]
    keys = [keyed.get(c.lower(), Key(label, c, "square")) for label, _, c in present]
    texts = [f"{label} {show(share)}" for label, share, _ in present]
    key_lines, key_h = legend(keys, 0, bar_h + 10, width, texts=texts)
    height = bar_h + 10 + key_h + 4
    out = _open(chart_id, width, height, title, desc)
    x = 0.0
    for label, share, colour in present:
        w = share * width
        out.append(
            f'<rect x="{x:.1f}" y="2" width="{w:.1f}" height="{bar_h - 2}" fill="{esc(colour)}" stroke="#ffffff" '
            f'stroke-width="1"><title>{esc(label)}: {esc(show(share))}</title></rect>'
        )
        text = show(share)
        if w > text_width(text) + 10:
            out.append(_text(x + 5, 2 + bar_h / 2 + TEXT * 0.3, text, fill=text_colour(colour)))
        x += w
    out.extend(key_lines)
    out.append("</svg>")
    return "\n".join(out)
