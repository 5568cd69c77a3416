"""The dashboard (index.md): who holds primary responsibility nationally (when the project has a handover
register), every region of the latest round with its level, how many regions stand at each level, and the
regions on the map (or as tiles when the project has no outlines)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..model import Level, Region
from ..report import View
from ..scoring.results import RegionRound
from ..situation import Blocker, DecisionStanding, Standing, TrendVerdict
from . import units
from .common import Levels, Outline, as_date, assessed_parts, ordered_regions
from .handover import Headline, has_register, headline


@dataclass(frozen=True)
class Blocking:
    """What stands between a region and handover: for an assessed region, the items of the gates that hold it
    back (blockers) apart from the other steps of its path; for a rolled-up region, how many of its assessed
    parts are below the handover level."""

    steps: int | None = None
    """Every step left on the path (None for a rolled-up region)."""
    below: int = 0
    parts: int = 0
    blockers: int = 0
    """Items of the gates that hold the level back: critical indicators below the handover level, missing
    sign-offs, thin evidence, capped indicators, a fall in the score."""

    @property
    def other(self) -> int:
        """Steps of the path that are not blockers (improvements that the gates do not wait for)."""
        return max((self.steps or 0) - self.blockers, 0)


@dataclass(frozen=True)
class Point:
    """A district or unit on the first screen: its standing (level, how sure, primacy, decisions since the
    cut-off) and its main blocker."""

    standing: Standing

    @property
    def region(self) -> Region:
        return self.standing.region

    @property
    def result(self) -> RegionRound:
        return self.standing.result

    @property
    def blocker(self) -> Blocker | None:
        return self.standing.main_blocker


@dataclass(frozen=True)
class Change:
    region: Region
    before: str
    after: str
    up: bool


@dataclass(frozen=True)
class MainPoints:
    """The first screen (ONS "main points"): which regions can be handed over and how sure that is, which
    cannot and their main blocker, and what changed since the previous round."""

    ready: list[Point]
    """Assessed regions at or above the handover level, highest level first."""
    blocked: list[Point]
    """Assessed regions below it, closest first (level, then score)."""
    changes: list[Change]
    """Regions whose level moved since the previous round, falls first."""
    previous: Any
    """The previous round (a model Round), or None."""
    period: list[DecisionStanding] = field(default_factory=list)
    """Decisions that took effect since the previous round's cut-off, by this one's."""
    since: list[DecisionStanding] = field(default_factory=list)
    """Decisions that take effect after the cut-off."""
    cutoff: date | None = None
    """The date the situation is as at (the round's cut-off)."""
    trend: TrendVerdict | None = None
    """Improving, stable or deteriorating since the previous round (the situation's verdict)."""
    units: bool = False
    """The site has the one view per unit (units.md), linked from here."""


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
    points: MainPoints | None = None
    """The first screen: ready regions with their confidence, blocked ones with their main blocker, changes."""
    withheld: list[list[list[tuple[float, float]]]] = field(default_factory=list)
    """Outlines of the map's regions that this edition does not show (restricted in a public one): drawn like
    the others, without a name, a level or a link, so the map has no hole of their shape."""

    @property
    def has_map(self) -> bool:
        return bool(self.mapped)

    @property
    def n_assessed(self) -> int:
        return len(self.assessed)


def blocking(view: View, levels: Levels, r: RegionRound) -> Blocking:
    """An assessed region's blockers as its standing counts them (the same count everywhere); a rolled-up
    region's parts below the handover level."""
    if r.assessed:
        return Blocking(steps=len(r.path), blockers=len(view.situation.blockers(r)))
    parts = assessed_parts(view, r)
    return Blocking(below=sum(1 for p in parts if not levels.reached_handover(p.level)), parts=len(parts))


def main_points(view: View, levels: Levels, rows: list[DashboardRow]) -> MainPoints:
    """The first screen, read from the situation: at or above the handover level (highest first), below it
    (closest first), and what changed: levels, the period's decisions, and those since the cut-off."""
    situation = view.situation
    standings = [situation.standings[row.id] for row in rows if row.id in situation.standings]
    ready = [Point(s) for s in standings if levels.reached_handover(s.level)]
    ready.sort(key=lambda p: (-levels.rank[p.result.level], -(p.result.score or 0)))
    blocked = [Point(s) for s in standings if not levels.reached_handover(s.level)]
    blocked.sort(key=lambda p: (-levels.rank[p.result.level], -(p.result.score or 0)))
    changes = [
        Change(s.region, s.previous_level or "", s.level, s.level_change == "up") for s in situation.level_changes()
    ]
    return MainPoints(
        ready,
        blocked,
        changes,
        view.previous,
        [d for _, d in situation.period()],
        [d for _, d in situation.since()],
        situation.day,
        situation.trend(),
        units.applies(view),
    )


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
        main_points(view, levels, rows),
        withheld_outlines(view) if mapped else [],
    )


def withheld_outlines(view: View) -> list[list[list[tuple[float, float]]]]:
    """The outlines of the geometry that no region of the view draws (those of restricted regions, in a public
    edition), in a stable order."""
    drawn = {r.geometry for r in view.project.regions.values() if r.geometry}
    return [rings for key, rings in sorted(view.project.geometry.items()) if key not in drawn and rings]
