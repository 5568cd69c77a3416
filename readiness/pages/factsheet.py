"""The Council factsheet (factsheet.md): one A4 page for Security Council members, public or internal: the key
figures, every district and unit with its level in words (the map, as text), the trend round by round, and the
three main risks (regions at risk after handover, deadline misses, the blocker that holds most regions back)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..model import Level, Region, Round
from ..report import View
from .common import Levels
from .dashboard import DashboardPage
from .handover import Headline


@dataclass(frozen=True)
class LevelLine:
    level: Level
    regions: list[Region]


@dataclass(frozen=True)
class TrendLine:
    round: Round
    counts: dict[str, int]
    """Assessed regions at each level in that round."""


@dataclass(frozen=True)
class FactsheetPage:
    round: Round
    assessed: int
    ready: int
    """At or above the handover level."""
    levels: list[LevelLine]
    """Highest level first, with the regions at it."""
    trend: list[TrendLine]
    headline: Headline | None
    at_risk: list[Region]
    deadline_misses: list[tuple[object, int, int]]
    """(deadline, at risk of missing it, applies to), for deadlines some region may miss."""
    common_blocker: tuple[str, int] | None
    """The main blocker (an indicator) that holds the most regions back, and how many."""


def build(view: View, dashboard: DashboardPage) -> FactsheetPage:
    levels = Levels(view)
    latest = view.latest
    assessed = [row for row in dashboard.rows if not row.rolled]
    lines = [
        LevelLine(lv, [row.region for row in assessed if row.result.level == lv.id])
        for lv in reversed(view.framework.levels)
    ]
    trend = []
    for rnd in view.rounds:
        results = [r for rid in view.regions if (r := view.result(rnd.id, rid)) is not None and r.assessed]
        trend.append(TrendLine(rnd, dict(Counter(r.level for r in results))))
    h = dashboard.headline
    points = dashboard.points
    blockers = Counter(
        p.blocker.subject
        for p in (points.blocked if points else [])
        if p.blocker is not None and p.blocker.subject and p.blocker.gate in ("critical_floor", "score")
    )
    common = blockers.most_common(1)[0] if blockers else None
    return FactsheetPage(
        latest,
        len(assessed),
        sum(1 for row in assessed if levels.reached_handover(row.result.level)),
        [line for line in lines if line.regions],
        trend,
        h,
        [s.region for s in h.at_risk] if h else [],
        [(s.deadline, s.missing, s.total) for s in h.deadlines if s.missing] if h else [],
        common,
    )
