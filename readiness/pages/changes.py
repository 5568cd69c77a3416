"""The changes page (changes.md): what moved since the previous round (levels, new and resolved blockers) and
the handover timeline: since when each region has been at the handover level, or when it may get there."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from ..model import Amendment, Region, Round
from ..report import View
from ..scoring.results import GateEffect, RegionRound
from ..situation import ConditionStanding, DecisionStanding, TrendVerdict, TriggerStanding
from .common import Levels, as_date, name_in, ordered_regions, page_language


@dataclass(frozen=True)
class Moved:
    region: Region
    before: str
    now: str
    up: bool
    result: RegionRound
    """The region in the latest round (its change of score)."""


@dataclass(frozen=True)
class NewBlocker:
    region: Region
    gate: GateEffect


@dataclass(frozen=True)
class Resolved:
    region: Region
    gate: str


@dataclass(frozen=True)
class When:
    """The timeline's word on a region: `kind` is "since" (at the handover level in every round from `since`
    on), "now" (there only in the latest round, after an earlier fall), "projected" (its pace reaches the
    handover score by `date`, in `rounds` rounds), "gates" (the score is enough, gates hold it back),
    "not-converging" or "unknown"."""

    kind: str
    since: Round | None = None
    date: date | None = None
    rounds: int | None = None


WhenWords = Callable[[When], str]
"""How a page writes a `When` in its language."""


@dataclass(frozen=True)
class TimelineRow:
    region: Region
    level: str
    rank: int
    """The level's place among the framework's levels (the timeline lists higher levels first)."""
    when: When
    pace: float | None
    """Points per round at its recent pace, if known."""


@dataclass(frozen=True)
class ChangesPage:
    moved: list[Moved]
    new_blockers: list[NewBlocker]
    resolved: list[Resolved]
    timeline: list[TimelineRow]
    period: list[DecisionStanding] = field(default_factory=list)
    """Decisions that took effect since the previous round's cut-off, by this one's (the situation's)."""
    since: list[DecisionStanding] = field(default_factory=list)
    """Decisions that take effect after the cut-off."""
    conditions: list[tuple[Region, ConditionStanding]] = field(default_factory=list)
    """Conditions met at this round, or overdue at it."""
    triggers: list[tuple[Region, TriggerStanding]] = field(default_factory=list)
    """Reversion triggers tripped at this round."""
    overrides: list[tuple[Region, RegionRound]] = field(default_factory=list)
    """Districts and units whose level a leadership override set at this round."""
    amendments: list[tuple[Region, Amendment]] = field(default_factory=list)
    """Amendments of this round (changes after it was sealed), by region they changed, oldest first."""
    trend: TrendVerdict | None = None
    """Improving, stable or deteriorating since the previous round, with its counts (the situation's verdict)."""


def ready_since(view: View, region_id: str) -> Round | None:
    """The first round from which the region has been at the handover level or above in every round up to the
    latest (None: not at it in the latest round)."""
    levels = Levels(view)
    return next(
        (
            rd
            for i, rd in enumerate(view.rounds)
            if all(
                (x := view.result(later.id, region_id)) is not None and levels.reached_handover(x.level)
                for later in view.rounds[i:]
            )
        ),
        None,
    )


def when(view: View, r: RegionRound, levels: Levels) -> When:
    p = r.projection or {}
    if levels.reached_handover(r.level):
        since = ready_since(view, r.region)
        return When("since", since) if since else When("now")
    if p.get("status") == "converging":
        return When("projected", date=as_date(p["projected_date"]), rounds=p["rounds_needed"])
    if p.get("status") == "score-reached":
        return When("gates")
    if p.get("status") == "not converging":
        return When("not-converging")
    return When("unknown")


def build(
    view: View, lang: str | None = None, words: WhenWords | None = None, order: list[str] | None = None
) -> ChangesPage:
    """The page's facts. The timeline lists higher levels first, then the regions of one level as their
    `when` reads in `lang` (`words`: how the page writes it; by kind, then date, when not given), then by
    name."""
    lang = page_language(view, lang)
    levels = Levels(view)
    moved, new_blockers, resolved, timeline = [], [], [], []
    for rid in order if order is not None else ordered_regions(view, lang):
        r = view.result(view.latest.id, rid)
        if r is None:
            continue
        region = view.regions[rid]
        before = view.result(view.previous.id, rid) if view.previous else None
        if before is not None and before.level != r.level:
            moved.append(Moved(region, before.level, r.level, levels.higher(r.level, before.level), r))
        if before is not None and r.assessed:
            now_gates = {g.gate: g for g in r.gates}
            then_gates = {g.gate for g in before.gates}
            new_blockers += [
                NewBlocker(region, e) for g, e in now_gates.items() if g not in then_gates and g != "override"
            ]
            resolved += [Resolved(region, g) for g in sorted(then_gates) if g not in now_gates and g != "override"]
        if not r.assessed:
            continue
        p = r.projection or {}
        timeline.append(TimelineRow(region, r.level, levels.rank[r.level], when(view, r, levels), p.get("pace")))

    def reads(w: When) -> tuple[str, ...]:
        return (
            (words(w),)
            if words is not None
            else (w.kind, w.date.isoformat() if w.date else "", w.since.id if w.since else "")
        )

    timeline.sort(key=lambda row: (-row.rank, reads(row.when), name_in(row.region.name, lang)))
    situation = view.situation
    latest = view.latest.id
    conditions = [
        (s.region, c)
        for s in situation.ordered
        for c in s.conditions
        if c.overdue
        or (
            c.status == "met"
            and (said := c.decision.conditions[c.index].status.get(latest)) is not None
            and said.state == "met"
        )
    ]
    triggers = [(s.region, t) for s in situation.ordered for t in s.triggers if t.tripped]
    return ChangesPage(
        moved,
        new_blockers,
        resolved,
        timeline,
        [d for _, d in situation.period()],
        [d for _, d in situation.since()],
        conditions,
        triggers,
        [(s.region, s.result) for s in situation.ordered if s.result.override],
        [
            (view.regions[rid], a)
            for a in view.latest.amendments
            for rid in dict.fromkeys(c.region for c in a.changes)
            if rid in view.regions
        ],
        situation.trend(),
    )
