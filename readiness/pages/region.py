"""A region's page (regions/<id>.md): its level and why, how sure the Monte Carlo is, its parts, pillars, trend
over the rounds, path to handover, indicators with their evidence, the dependency graph, and the assessment."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import networkx as nx

from ..model import (
    AmendedValue,
    Amendment,
    Assessment,
    BySex,
    Deadline,
    Decision,
    DueDiligence,
    Evidence,
    Function,
    Indicator,
    LocalText,
    Note,
    Region,
    Round,
)
from ..register import diligence
from ..report import View
from ..scoring.results import FunctionLevel, GateEffect, HandoverStep, IndicatorResult, PillarResult, RegionRound
from ..situation import DecisionStanding, Standing
from .common import LevelBand, Levels, PillarEntry, band_level, level_bands, pillars
from .handover import condition_items, has_register


@dataclass(frozen=True)
class PillarRow:
    entry: PillarEntry
    result: PillarResult | None
    """None when the region has no result for the pillar."""
    band: str | None
    """The level whose minimum score the pillar's score reaches (its colour on the chart)."""
    indicators: int = 0
    """Indicators of the pillar (its sub-pillars' included) with a result here."""
    failing: int = 0
    """Of those, below the handover level (with a level, or without a value)."""

    @property
    def score(self) -> Decimal | None:
        return None if self.result is None else self.result.rounded

    @property
    def coverage(self) -> float | None:
        return None if self.result is None else self.result.coverage


@dataclass(frozen=True)
class TrendPoint:
    round: Round
    result: RegionRound | None


@dataclass(frozen=True)
class IndicatorRow:
    indicator: Indicator
    result: IndicatorResult
    capped_by: list[str]
    """The prerequisites (published here) that capped it."""
    evidence: list[Evidence]
    requires: list[str]
    """Its prerequisites published here."""
    by_sex: BySex | None = None
    """The survey's value for women and men, where the team recorded it."""
    effort: str | None = None
    """The monitoring effort a count rests on, where the team recorded it."""
    passing: bool = False
    """At or above the handover level (the evidence page lists them after the failing ones)."""

    @property
    def applicable(self) -> bool:
        return self.result.status != "not-applicable"

    @property
    def failing(self) -> bool:
        """Below the handover level, or without a value that applies: the region page lists these."""
        return self.applicable and not self.passing


@dataclass(frozen=True)
class Dependencies:
    """The prerequisite graph of the indicators published here, drawn in layers (each after the ones it needs)."""

    edges: list[tuple[str, str]]
    layers: list[list[str]]


@dataclass(frozen=True)
class ChildRow:
    region: Region
    result: RegionRound


@dataclass(frozen=True)
class FunctionRow:
    function: Function | None
    """None for a framework that declares no functions (decisions cover whole regions)."""
    primacy: str
    decision: Decision | None
    """The decision that put it there (None: the framework's initial primacy)."""
    level: FunctionLevel | None = None
    """The function's level on its own criteria (None: no indicator names it, the region's level answers)."""


@dataclass(frozen=True)
class DecisionEntry:
    standing: DecisionStanding
    """The decision as the situation's date sees it: in effect, superseded (and by what), or since the cut-off."""
    conditions: list[dict[str, Any]]
    """Where each condition stood at the page's round (as `HandoverState.conditions`)."""
    tripped: list[int]
    """The reversion triggers (by index) found tripped at the page's round."""

    @property
    def decision(self) -> Decision:
        return self.standing.decision


@dataclass(frozen=True)
class HandoverSection:
    """Primacy and the handover register as at the round's cut-off, and what was decided since."""

    standing: Standing
    round: Round
    functions: list[FunctionRow]
    """Who holds each declared function, and by which decision (empty when the framework declares none or no
    decision concerns the region)."""
    decisions: list[DecisionEntry]
    """Every decision of the region, newest first (those since the cut-off among them, marked)."""
    deadline: Deadline | None
    """The mandate deadline that applies, if any."""
    diligence: DueDiligence | None = None
    """The mission's human rights due diligence record for its support there, as at the cut-off (internal: the
    public edition has none)."""


@dataclass(frozen=True)
class RegionPage:
    region: Region
    result: RegionRound
    """The region in the latest round where it has a result."""
    parent: Region | None
    tier: LocalText | str
    threat: LocalText | str
    """The label of the region's threat ("" when it has none)."""
    assessment: Assessment | None
    gates: list[GateEffect]
    path: list[HandoverStep]
    blocking: set[str]
    """Subjects (indicators, parties) of the gate items that hold the level back: their steps come first."""
    children: list[ChildRow]
    pillars: list[PillarRow]
    floor: Decimal | None
    """The pillar floor, when that gate is on (a marker on the pillar chart)."""
    trend: list[TrendPoint]
    """Every round, with the region's result where it has one."""
    bands: list[LevelBand]
    indicators: list[IndicatorRow]
    dependencies: Dependencies | None
    """None when the region has no indicator results."""
    robustness: Any
    """The Monte Carlo's word (readiness.uncertainty.RegionUncertainty) on the latest round, if run and assessed."""
    probabilities: list[tuple[str, float]]
    """Each level with the share of draws that gave it (0 for the others), in the framework's order."""
    sensitivity: list[dict[str, Any]]
    """The factors that move this region's score most (at most six)."""
    n_assessed: int
    """Regions the Monte Carlo ranked."""
    narrative: list[Note]
    risks: list[Note]
    recommendations: list[Note]
    handover: HandoverSection | None = None
    amendments: list[tuple[Amendment, list[AmendedValue]]] = field(default_factory=list)
    """The amendments of the page's round that changed this region's values, oldest first, with those changes."""
    """None when the region has no handover state in its round (a rolled-up region no decision names)."""


def handover_section(view: View, r: RegionRound) -> HandoverSection | None:
    """The region's primacy and decisions as its standing in the situation says (the latest round, as at its
    cut-off). None for a region without a standing, or a project that neither keeps a register nor declares the
    bodies that would decide (an index such as the HDI: nobody hands anything over)."""
    if not (has_register(view) or view.framework.bodies) or r.round != view.latest.id or r.handover is None:
        return None
    standing = view.situation.standing(r.region)
    if standing is None:
        return None
    functions = {f.id: f for f in view.framework.functions}
    # a region no decision concerns is under the initial primacy in every function: its one line says so
    rows = (
        [
            FunctionRow(functions.get(f), p, standing.holders.get(f), r.functions.get(f))
            for f, p in standing.functions.items()
        ]
        if standing.functions and (standing.decisions or r.functions)
        else []  # a region with neither decisions nor function levels: its one line says it
    )
    round_ = view.round(r.round)
    tripped = {(t.decision.id, t.index) for t in standing.triggers if t.tripped}
    entries = [
        DecisionEntry(
            d,
            condition_items(view, r.handover, d.decision, round_),
            sorted(i for (did, i) in tripped if did == d.decision.id),
        )
        for d in standing.decisions
    ]
    mandate = view.project.mandate
    deadline = None
    if standing.deadline is not None and mandate is not None:
        deadline = next((d for d in mandate.deadlines if d.id == standing.deadline["deadline"]), None)
    record = diligence(view.project, r.region, view.situation.day)
    return HandoverSection(standing, round_, rows, entries, deadline, record)


def pillar_members(view: View) -> dict[str, set[str]]:
    """Each pillar with the pillars under it, itself included."""
    out: dict[str, set[str]] = {}

    def walk(items: list[Any]) -> set[str]:
        found: set[str] = set()
        for p in items:
            out[p.id] = {p.id} | walk(p.pillars)
            found |= out[p.id]
        return found

    walk(view.framework.pillars)
    return out


def dependencies(view: View) -> Dependencies:
    graph = view.graph.subgraph(view.indicators)
    return Dependencies(sorted(graph.edges), [sorted(layer) for layer in nx.topological_generations(graph)])


def build(view: View, region_id: str, deps: Dependencies | None = None) -> RegionPage:
    fw = view.framework
    region = view.regions[region_id]
    series = [TrendPoint(rd, view.result(rd.id, region_id)) for rd in view.rounds]
    current = view.last_result(region_id)
    assert current is not None, f"a region page for {region_id}, which has no result"
    assessment = view.assessment(current.round, region_id)
    levels = Levels(view)
    indicator_rows = [
        IndicatorRow(
            view.indicators[ir.indicator],
            ir,
            [c for c in ir.capped_by if c in view.indicators],
            view.evidence(view.observation(assessment, ir.indicator)),
            [r.indicator for r in view.indicators[ir.indicator].requires if r.indicator in view.indicators],
            obs.by_sex if (obs := view.observation(assessment, ir.indicator)) is not None else None,
            obs.effort if obs is not None else None,
            ir.level is not None and levels.reached_handover(ir.level),
        )
        for ir in view.indicator_results(current)
    ]
    under = pillar_members(view)
    pillar_rows = []
    for entry in pillars(view):
        p = current.pillars.get(entry.id)
        members = [row for row in indicator_rows if row.indicator.pillar in under[entry.id] and row.applicable]
        pillar_rows.append(
            PillarRow(
                entry,
                p,
                band_level(view, None if p is None else p.rounded),
                len(members),
                sum(1 for row in members if row.failing),
            )
        )
    children = [
        ChildRow(view.regions[cid], c)
        for cid in view.children(current)
        if (c := view.result(current.round, cid)) is not None
    ]
    floor = fw.gates.pillar_floor
    u = view.robustness(region_id) if current.round == view.latest.id and current.assessed else None
    return RegionPage(
        region=region,
        result=current,
        parent=view.regions.get(region.parent or ""),
        tier=next((t.label for t in fw.tiers if t.id == region.tier), region.tier or ""),
        threat=next((t.label for t in fw.threats if t.id == region.threat), region.threat or ""),
        assessment=assessment,
        gates=list(current.gates),
        path=list(current.path),
        blocking={b.subject for b in view.situation.blockers(current) if b.subject is not None},
        children=children,
        pillars=pillar_rows,
        floor=floor.floor if floor and floor.enabled else None,
        trend=series,
        bands=level_bands(view),
        indicators=sorted(
            indicator_rows,
            key=lambda row: (
                not row.applicable,
                row.passing,
                not row.result.critical,
                levels.rank.get(row.result.level or "", -1),
            ),
        ),
        dependencies=(deps or dependencies(view)) if indicator_rows else None,
        robustness=u,
        probabilities=[(lv.id, u.probabilities.get(lv.id, 0.0)) for lv in fw.levels] if u is not None else [],
        sensitivity=list(u.sensitivity[:6]) if u is not None else [],
        n_assessed=len(view.uncertainty.regions) if view.uncertainty else 0,
        narrative=view.notes(assessment.narrative) if assessment else [],
        risks=view.notes(assessment.risks) if assessment else [],
        recommendations=view.notes(assessment.recommendations) if assessment else [],
        handover=handover_section(view, current),
        amendments=[
            (a, mine)
            for a in view.round(current.round).amendments
            if (mine := [c for c in a.changes if c.region == region_id])
        ],
    )
