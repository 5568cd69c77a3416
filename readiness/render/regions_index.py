"""The regions index (regions/index.md), from `pages.regions_index.RegionsIndexPage`."""

from __future__ import annotations

from ..pages.regions_index import RegionsIndexPage
from .environment import Pages
from .formatters import Formatter


def markdown(page: RegionsIndexPage, fmt: Formatter, write: Pages) -> str:
    groups = [
        {
            "name": group.region.name,
            "rows": [
                {
                    "id": row.region.id,
                    "name": row.region.name,
                    "level": row.result.level,
                    "score": fmt.score(row.result.rounded),
                    "tier": row.tier,
                    "threat": row.threat,
                    "population": fmt.population(row.region.population),
                }
                for row in group.rows
            ],
        }
        for group in page.groups
    ]
    return write("regions_index.md.j2", page=page, groups=groups)
