"""The indicators index (indicators/index.md), from `pages.indicators_index.IndicatorsIndexPage`."""

from __future__ import annotations

from ..pages.indicators_index import IndicatorsIndexPage
from .environment import Pages
from .formatters import Formatter


def markdown(page: IndicatorsIndexPage, fmt: Formatter, write: Pages) -> str:
    groups = [
        {
            "name": fmt.loc(group.name),
            "rows": [
                {
                    "id": row.indicator.id,
                    "name": row.indicator.name,
                    "unit": fmt.unit(row.indicator),
                    "critical": row.indicator.critical,
                    "ready": f"{row.ready} / {row.assessed}",
                    "requires": ", ".join(row.requires) or "–",
                }
                for row in group.rows
            ],
        }
        for group in page.groups
    ]
    return write("indicators_index.md.j2", page=page, groups=groups)
