"""The dashboard (index.md): who holds primary responsibility nationally (when the project has a handover
register), every region of the latest round with its level, how many regions stand at each level, and the
regions on the map (or as tiles when the project has no outlines)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ..model import Level, Region
from ..report import View
from ..scoring.results import RegionRound
from .common import Levels, Outline, as_date, assessed_parts, ordered_regions
from .handover import Headline, has_register, headline


@dataclass(frozen=True)
class Blocking:
    """What stands between a region and handover: the steps left on an assessed region's path, or, for a
    rolled-up region, how many of its assessed parts are below the handover level."""

    steps: int | None = None
    below: int = 0
    parts: int = 0


@dataclass(frozen=True)
class DashboardRow:
    region: Region
    result: RegionRound
    """The region in the latest round."""
    robustness: Any
    """The Monte Carlo's word on an assessed region (readiness.uncertainty.RegionUncertainty), if run."""
    latest_evidence: date | None
    """The newest evidence behind an assessed region's values."""
    blocking: Blocking
    outline: Outline | None
    """The region's outline on the map, for an assessed region that has one."""

    @property
    def id(self) -> str:
        return self.region.id

    @property
    def rolled(self) -> bool:
        return not self.result.assessed


@dataclass(frozen=True)
class LevelCount:
    level: Level
    regions: int
    """Assessed regions at this level in the latest round."""


@dataclass(frozen=True)
class DashboardPage:
    rows: list[DashboardRow]
    """Regions with a result in the latest round, parents before their parts."""
    counts: list[LevelCount]
    """Every level of the framework, in order."""
    assessed: list[str]
    """Assessed regions (not rolled up), in the order of `rows`."""
    mapped: list[DashboardRow]
    """Assessed regions with an outline: when there are any, the page shows a map, else a grid of tiles."""
    unmapped: list[DashboardRow]
    """Assessed regions without an outline, when there is a map (named under it)."""
    tiles: list[DashboardRow]
    """Assessed regions, as tiles when there is no map."""
    headline: Headline | None = None
    """Who holds primary responsibility after the latest round (the register page's figures), when the project
    has a handover register."""

    @property
    def has_map(self) -> bool:
        return bool(self.mapped)

    @property
    def n_assessed(self) -> int:
        return len(self.assessed)


def blocking(view: View, levels: Levels, r: RegionRound) -> Blocking:
    if r.assessed:
        return Blocking(steps=len(r.path))
    parts = assessed_parts(view, r)
    return Blocking(below=sum(1 for p in parts if not levels.reached_handover(p.level)), parts=len(parts))


def latest_evidence(view: View, r: RegionRound) -> date | None:
    dates = [d for i in view.indicator_results(r) if (d := as_date(i.latest_evidence)) is not None]
    return max(dates) if dates else None


def build(view: View, lang: str | None = None, order: list[str] | None = None) -> DashboardPage:
    levels = Levels(view)
    rows: list[DashboardRow] = []
    order = order if order is not None else ordered_regions(view, lang)
    for rid in order:
        r = view.result(view.latest.id, rid)
        if r is None:
            continue
        rows.append(
            DashboardRow(
                view.regions[rid],
                r,
                view.robustness(rid) if r.assessed else None,
                latest_evidence(view, r) if r.assessed else None,
                blocking(view, levels, r),
                view.outline(rid) if r.assessed else None,
            )
        )
    assessed = [row for row in rows if not row.rolled]
    counts = [LevelCount(lv, sum(1 for row in assessed if row.result.level == lv.id)) for lv in view.framework.levels]
    mapped = [row for row in assessed if row.outline]
    return DashboardPage(
        rows,
        counts,
        [row.id for row in assessed],
        mapped,
        [row for row in assessed if not row.outline] if mapped else [],
        assessed,
        headline(view, lang, order) if has_register(view) else None,
    )
