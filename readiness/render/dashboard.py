"""The dashboard (index.md), from `pages.dashboard.DashboardPage`: the counts by level, the map (or the
tiles) and the table of regions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import charts
from ..pages.dashboard import DashboardPage, DashboardRow
from ..safety import Safe
from .decisions import headline
from .environment import Pages
from .formatters import Formatter

if TYPE_CHECKING:
    from ..report import View


def area(fmt: Formatter, row: DashboardRow, outline: bool) -> charts.Area:
    level = row.result.level
    return charts.Area(
        row.id,
        fmt.loc(row.region.name),
        fmt.colour(level),
        fmt.level_label(level),
        (row.outline or []) if outline else [],
        f"regions/{row.id}.html",
    )


def markdown(page: DashboardPage, view: View, fmt: Formatter, write: Pages) -> str:
    rows = [
        {
            "id": row.id,
            "name": row.region.name,
            "rolled": row.rolled,
            "level": row.result.level,
            "robust": row.robustness,
            "override": bool(row.result.override),
            "score": fmt.score(row.result.rounded),
            "change": fmt.change(row.result),
            "coverage": fmt.coverage(row.result.coverage),
            "latest_evidence": fmt.date(row.latest_evidence) if not row.rolled else "–",
            "blocking": fmt.blocking(row.blocking),
        }
        for row in page.rows
    ]
    counts = [{"n": c.regions, "label": fmt.loc(c.level.label), "colour": c.level.colour} for c in page.counts]
    title = fmt.tr("dashboard.map_title", round=fmt.loc(view.latest.label))
    if page.has_map:
        svg = charts.region_map("map", title, fmt.tr("dashboard.map_desc"), [area(fmt, r, True) for r in page.mapped])
    else:
        svg = charts.level_grid("grid", title, fmt.tr("dashboard.grid_desc"), [area(fmt, r, False) for r in page.tiles])
    unmapped = [{"id": r.id, "name": fmt.loc(r.region.name), "level": r.result.level} for r in page.unmapped]
    return write(
        "index.md.j2",
        page=page,
        counts=counts,
        table=rows,
        overview_svg=Safe(svg),
        has_map=page.has_map,
        unmapped=unmapped,
        headline=headline(page.headline, fmt) if page.headline is not None else None,
    )
