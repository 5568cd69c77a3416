"""Charts as inline SVG, written in Python: no chart library, no JavaScript, no system binary.

Every chart carries a <title> and <desc> (read by screen readers) and is drawn from plain numbers passed in;
text from YAML is escaped here. Pages put a data table beside each chart.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

FONT = "font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif"


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


def _open(chart_id: str, width: float, height: float, title: str, desc: str, role: str = "img") -> list[str]:
    """The chart's opening: `role="img"` for a picture, `role="group"` for one with links inside (a link may not
    sit inside an image for assistive technology)."""
    cid = _slug(chart_id)
    return [
        f'<svg class="rd-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="100%" style="max-width:{width:.0f}px;{FONT}" role="{role}" '
        f'aria-labelledby="{cid}-title {cid}-desc">',
        f'<title id="{cid}-title">{esc(title)}</title>',
        f'<desc id="{cid}-desc">{esc(desc)}</desc>',
    ]


def _link(href: str | None, inner: str, label: str) -> str:
    if not href:
        return inner
    return f'<a href="{esc(href)}" aria-label="{esc(label)}">{inner}</a>'


def _plain_number(value: float) -> str:
    return f"{value:.1f}"


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
) -> str:
    """Horizontal bars on the scale low..high, with optional vertical markers (a floor, a cut-off)."""
    label_w, bar_w, row_h, top = 190, 380, 24, 26
    width, height = label_w + bar_w + 130, top + row_h * len(bars) + 12
    out = _open(chart_id, width, height, title, desc, role="group")

    def x(value: float) -> float:
        return label_w + bar_w * (min(max(value, low), high) - low) / (high - low)

    for tick in (low, (low + high) / 2, high):
        out.append(
            f'<line x1="{x(tick):.1f}" y1="{top - 6}" x2="{x(tick):.1f}" y2="{height - 8}" '
            'stroke="#d0d0d0" stroke-width="1"/>'
        )
        out.append(
            f'<text x="{x(tick):.1f}" y="{top - 10}" font-size="10" text-anchor="middle" fill="#555">{tick:g}</text>'
        )
    for i, bar in enumerate(bars):
        y = top + i * row_h
        label = bar.label if len(bar.label) <= 28 else bar.label[:27] + "…"
        out.append(
            _link(
                bar.href,
                f'<text x="{label_w - 8}" y="{y + 15}" font-size="12" text-anchor="end" '
                f'fill="#1a1a1a">{esc(label)}</text>',
                bar.label,
            )
        )
        if bar.value is None:
            out.append(
                f'<text x="{label_w + 4}" y="{y + 15}" font-size="11" fill="#666">–'
                f"{(' ' + esc(bar.note)) if bar.note else ''}</text>"
            )
            continue
        w = max(x(bar.value) - label_w, 1.5)
        out.append(
            f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" rx="2" '
            f'fill="{esc(bar.colour)}"><title>{esc(bar.label)}: {esc(bar.show())}</title></rect>'
        )
        out.append(
            f'<text x="{label_w + w + 5:.1f}" y="{y + 15}" font-size="11" fill="#1a1a1a">'
            f"{esc(bar.show())}{(' ' + esc(bar.note)) if bar.note else ''}</text>"
        )
    for value, label in markers:
        out.append(
            f'<line x1="{x(value):.1f}" y1="{top - 4}" x2="{x(value):.1f}" y2="{height - 8}" '
            'stroke="#1a1a1a" stroke-width="1.5" stroke-dasharray="4 3"/>'
        )
        out.append(f'<text x="{x(value) + 3:.1f}" y="{height - 1}" font-size="10" fill="#1a1a1a">{esc(label)}</text>')
    out.append("</svg>")
    return "\n".join(out)


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
) -> str:
    """A line over rounds, on a background of level bands. Points: (round label, score or None, colour)."""
    left, right, top, bottom = 44, 16, 12, 40
    width, height = max(360, 110 * len(points) + left + right), 230
    plot_w, plot_h = width - left - right, height - top - bottom
    out = _open(chart_id, width, height, title, desc)

    def y(value: float) -> float:
        return top + plot_h * (1 - (min(max(value, low), high) - low) / (high - low))

    for band in bands:
        out.append(
            f'<rect x="{left}" y="{y(band.end):.1f}" width="{plot_w}" height="{y(band.start) - y(band.end):.1f}" '
            f'fill="{esc(band.colour)}" fill-opacity="0.12"/>'
        )
        out.append(
            f'<text x="{left + plot_w - 4}" y="{y(band.start) - 4:.1f}" font-size="10" text-anchor="end" '
            f'fill="#444">{esc(band.label)}</text>'
        )
        out.append(
            f'<text x="{left - 6}" y="{y(band.start) + 3:.1f}" font-size="10" text-anchor="end" '
            f'fill="#555">{band.start:g}</text>'
        )
    step = plot_w / max(len(points), 1)
    coords = []
    for i, (label, value, colour) in enumerate(points):
        cx = left + step * (i + 0.5)
        out.append(
            f'<text x="{cx:.1f}" y="{height - bottom + 16}" font-size="11" text-anchor="middle" '
            f'fill="#1a1a1a">{esc(label)}</text>'
        )
        if value is not None:
            coords.append((cx, y(value), value, colour, label))
    if len(coords) > 1:
        path = " ".join(f"{'M' if i == 0 else 'L'}{cx:.1f},{cy:.1f}" for i, (cx, cy, *_rest) in enumerate(coords))
        out.append(f'<path d="{path}" fill="none" stroke="#1a1a1a" stroke-width="2"/>')
    for cx, cy, value, colour, label in coords:
        shown = esc(number(value, 1) if number else _plain_number(value))
        out.append(
            f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="5" fill="{esc(colour)}" stroke="#1a1a1a">'
            f"<title>{esc(label)}: {shown}</title></circle>"
        )
        out.append(
            f'<text x="{cx:.1f}" y="{cy - 9:.1f}" font-size="11" text-anchor="middle" fill="#1a1a1a">{shown}</text>'
        )
    out.append("</svg>")
    return "\n".join(out)


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
) -> str:
    """The prerequisite graph in layers, left to right: what is required stands left of what requires it.

    `layers` come from a topological ordering (networkx); within a layer, nodes are ordered by the mean
    position of their prerequisites, which keeps edges short and crossings few.
    """
    node_w, node_h, gap_x, gap_y, pad = 92, 26, 64, 10, 12
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
    width = pad * 2 + len(ordered_layers) * node_w + max(len(ordered_layers) - 1, 0) * gap_x
    height = pad * 2 + tallest * node_h + (tallest - 1) * gap_y + 20
    for col, layer in enumerate(ordered_layers):
        offset = (tallest - len(layer)) * (node_h + gap_y) / 2
        for row, n in enumerate(layer):
            position[n] = (pad + col * (node_w + gap_x), pad + offset + row * (node_h + gap_y))
    out = _open(chart_id, width, height, title, desc, role="group")
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
        inner = (
            f"<g><title>{esc(node.id)} {esc(node.label)}: {esc(node.status)}</title>"
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{node_w}" height="{node_h}" rx="4" fill="{esc(node.colour)}" '
            f'stroke="#333" stroke-width="0.8"/>'
            f'<text x="{x + node_w / 2:.1f}" y="{y + 17:.1f}" font-size="12" font-weight="600" '
            f'text-anchor="middle" fill="{fg}">{esc(node.id)}</text></g>'
        )
        out.append(_link(node.href, inner, f"{node.id} {node.label}: {node.status}"))
    out.append("</svg>")
    return "\n".join(out)


@dataclass
class Area:
    id: str
    label: str
    colour: str
    status: str
    rings: list[list[tuple[float, float]]]
    href: str | None = None


def region_map(chart_id: str, title: str, desc: str, areas: Sequence[Area], width: int = 640) -> str:
    """Polygons (longitude, latitude) drawn to fit the width, north up, each a link to its region."""
    points = [p for a in areas for ring in a.rings for p in ring]
    if not points:
        return ""
    min_x, max_x = min(p[0] for p in points), max(p[0] for p in points)
    min_y, max_y = min(p[1] for p in points), max(p[1] for p in points)
    span_x, span_y = (max_x - min_x) or 1.0, (max_y - min_y) or 1.0
    scale = (width - 20) / span_x
    height = int(span_y * scale) + 20
    out = _open(chart_id, width, height, title, desc, role="group")
    labels = []
    for area in areas:
        d = " ".join(
            "M" + " L".join(f"{10 + (x - min_x) * scale:.1f},{10 + (max_y - y) * scale:.1f}" for x, y in ring) + " Z"
            for ring in area.rings
        )
        named = f"{area.label}: {area.status}" if area.label else area.status
        shape = (
            f'<path d="{d}" fill="{esc(area.colour)}" stroke="#ffffff" stroke-width="1.5" fill-rule="evenodd">'
            f"<title>{esc(named)}</title></path>"
        )
        out.append(_link(area.href, shape, named))
        if not area.label:
            continue  # an area drawn without a name (one this edition does not show)
        ring = max(area.rings, key=len)
        cx = sum(10 + (x - min_x) * scale for x, _ in ring) / len(ring)
        cy = sum(10 + (max_y - y) * scale for _, y in ring) / len(ring)
        labels.append(
            f'<text x="{cx:.1f}" y="{cy:.1f}" font-size="11" text-anchor="middle" '
            f'fill="{text_colour(area.colour)}" pointer-events="none">{esc(area.label)}</text>'
        )
    out.extend(labels)
    out.append("</svg>")
    return "\n".join(out)


def level_grid(chart_id: str, title: str, desc: str, tiles: Sequence[Area], columns: int = 4) -> str:
    """Regions as tiles coloured by level, when there is no geometry to draw a map."""
    tile_w, tile_h, gap = 150, 54, 8
    rows = (len(tiles) + columns - 1) // columns
    width = columns * (tile_w + gap) + gap
    height = rows * (tile_h + gap) + gap
    out = _open(chart_id, width, height, title, desc, role="group")
    for i, t in enumerate(tiles):
        x, y = gap + (i % columns) * (tile_w + gap), gap + (i // columns) * (tile_h + gap)
        fg = text_colour(t.colour)
        label = t.label if len(t.label) <= 20 else t.label[:19] + "…"
        inner = (
            f"<g><title>{esc(t.label)}: {esc(t.status)}</title>"
            f'<rect x="{x}" y="{y}" width="{tile_w}" height="{tile_h}" rx="6" fill="{esc(t.colour)}"/>'
            f'<text x="{x + 10}" y="{y + 22}" font-size="13" font-weight="600" fill="{fg}">{esc(label)}</text>'
            f'<text x="{x + 10}" y="{y + 41}" font-size="11" fill="{fg}">{esc(t.status)}</text></g>'
        )
        out.append(_link(t.href, inner, f"{t.label}: {t.status}"))
    out.append("</svg>")
    return "\n".join(out)


def stacked_bar(
    chart_id: str,
    title: str,
    desc: str,
    segments: Sequence[tuple[str, float, str]],
    percent: Callable[[float], str] | None = None,
) -> str:
    """One bar split into shares (label, share 0-1, colour): the probability of each level."""
    show = percent or (lambda share: f"{share * 100:.0f}%")
    width, height, bar_h = 640, 64, 28
    out = _open(chart_id, width, height, title, desc)
    x = 0.0
    for label, share, colour in segments:
        w = share * width
        if w <= 0:
            continue
        out.append(
            f'<rect x="{x:.1f}" y="4" width="{w:.1f}" height="{bar_h}" fill="{esc(colour)}">'
            f"<title>{esc(label)}: {esc(show(share))}</title></rect>"
        )
        if w > 70:
            out.append(
                f'<text x="{x + 6:.1f}" y="23" font-size="12" fill="{text_colour(colour)}">{esc(show(share))}</text>'
            )
        x += w
    x = 0.0
    for label, share, colour in segments:
        if share <= 0:
            continue
        out.append(
            f'<rect x="{x:.1f}" y="44" width="10" height="10" fill="{esc(colour)}"/>'
            f'<text x="{x + 14:.1f}" y="53" font-size="11" fill="#1a1a1a">{esc(label)} '
            f"{esc(show(share))}</text>"
        )
        x += 24 + 7 * (len(label) + 5)
    out.append("</svg>")
    return "\n".join(out)
