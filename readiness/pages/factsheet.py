"""The Council factsheet (factsheet.md): one A4 page for Security Council members, public or internal: the country
and the mission in its title, the key figures, the map (the dashboard's), every district and unit with its level in
words (the map, as text), the trend round by round with its verdict and a note where the number assessed changes,
the decisions of the quarter, and the three main risks (regions at risk after handover, deadline misses, the
blocker that holds most regions back)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..model import Level, LocalText, Mission, Phase, Region, Round
from ..report import View
from ..situation import AssessedRound, DecisionStanding, IndicatorSpread, Standing, TrendVerdict
from . import units
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
    total: int = 0
    """Assessed regions in that round."""
    added: list[Region] = field(default_factory=list)
    """First assessed in this round (or assessed again), when the round before assessed others."""
    dropped: list[Region] = field(default_factory=list)
    """Assessed in the round before, not in this one."""

    @property
    def changed(self) -> bool:
        return bool(self.added or self.dropped)


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
    country: LocalText | None = None
    """The country the title names: the framework's `country`, else the top region's name when there is one."""
    mission: Mission | None = None
    dashboard: DashboardPage | None = None
    """The dashboard's model: the factsheet draws the same map."""
    verdict: TrendVerdict | None = None
    decisions: list[tuple[Standing, DecisionStanding]] = field(default_factory=list)
    """The decisions of the quarter: those that took effect since the previous round's cut-off, then those taken
    on this round that take effect after its cut-off, in the order they do."""
    register: bool = False
    """The project keeps a handover register or declares the bodies that would decide (the page lists the
    quarter's decisions); an index such as the HDI hands nothing over."""
    women: IndicatorSpread | None = None
    """Women among the host police's officers, district by district (`host_police.women`): the situation's spread,
    as the transition paragraph reads it."""
    phase: Phase | None = None
    """The drawdown phase of the cut-off, whose strength may say how many of the UN police officers are women."""
    women_in_command: IndicatorSpread | None = None
    """Women among the host police's command posts, district by district (`host_police.women_in_command`): the
    situation's spread, as the transition paragraph reads it."""


def country(view: View) -> LocalText | None:
    """The framework's `country`, else the name of the one top territorial region (a country), if there is one."""
    named = view.framework.country
    if named:
        return named
    tops = [r for r in view.regions.values() if (r.parent is None or r.parent not in view.regions)]
    territorial = [r for r in tops if r.kind == "territorial"]
    if len(territorial) == 1 and isinstance(territorial[0].name, LocalText):
        return territorial[0].name
    return None


def build(view: View, dashboard: DashboardPage) -> FactsheetPage:
    levels = Levels(view)
    situation = view.situation
    latest = view.latest
    assessed = [row for row in dashboard.rows if not row.rolled]
    lines = [
        LevelLine(lv, [row.region for row in assessed if row.result.level == lv.id])
        for lv in reversed(view.framework.levels)
    ]
    trend = [trend_line(view, a) for a in situation.assessed_rounds() if a.round.id in {r.id for r in view.rounds}]
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
        country(view),
        view.framework.mission,
        dashboard,
        situation.trend(),
        [*situation.period(), *situation.since()],
        units.applies(view),
        situation.women(),
        situation.un_police().phase,
        situation.women_in_command(),
    )


def trend_line(view: View, a: AssessedRound) -> TrendLine:
    return TrendLine(
        a.round,
        a.counts(),
        a.total,
        [view.regions[rid] for rid in a.added if rid in view.regions],
        [view.regions[rid] for rid in a.dropped if rid in view.regions],
    )
