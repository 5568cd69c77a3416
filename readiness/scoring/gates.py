"""Gates: each one states the highest level a region may have, and why. The region's level is the lowest
that any gate allows. A gate that allows less than the score alone would give has "bitten" and is listed
with its numbers.

Each function takes a `GateContext` and returns a `GateEffect` (or None when the gate is off or does not
restrict). Pure functions; no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ..model import Assessment, Framework
from .results import GateEffect, IndicatorResult, PillarResult, RegionRound


@dataclass
class GateContext:
    framework: Framework
    order: dict[str, int]
    indicators: dict[str, IndicatorResult]
    pillars: dict[str, PillarResult]
    coverage: float
    rounded: Decimal | None
    uncapped_level: str | None
    score_level: str | None
    assessment: Assessment
    round_date: date
    history: list[RegionRound] = field(default_factory=list)
    """Earlier rounds of the same region, oldest first."""


def critical_floor(ctx: GateContext) -> GateEffect | None:
    gate = ctx.framework.gates.critical_floor
    if gate is None or not gate.enabled:
        return None
    handover = ctx.order[ctx.framework.handover_level]
    below = {r.indicator: r.level for r in ctx.indicators.values()
             if r.critical and r.level is not None and ctx.order[r.level] < handover}
    allows = [lv for lv in below.values() if lv is not None]
    missing = [r.indicator for r in ctx.indicators.values()
               if r.critical and r.status in ("not-collected", "missing", "invalid")]
    if missing and gate.missing_caps_at:
        allows.append(gate.missing_caps_at)
    if not allows:
        return None
    lowest = min(allows, key=ctx.order.__getitem__)
    parts = [f"{ind} is {lv}" for ind, lv in sorted(below.items())]
    if missing and gate.missing_caps_at:
        parts.append(f"no current value for {', '.join(sorted(missing))}")
    return GateEffect("critical_floor", lowest, "critical indicator below the handover level: " + "; ".join(parts),
                      {"indicators": dict(sorted(below.items())), "missing": sorted(missing)})


def prerequisites(ctx: GateContext) -> GateEffect | None:
    """Reports the caps applied to indicators; bites when they lowered the region's score level."""
    gate = ctx.framework.gates.prerequisites
    if gate is None or not gate.enabled:
        return None
    capped = {r.indicator: r.capped_by for r in ctx.indicators.values() if r.capped_by}
    if not capped or ctx.score_level is None:
        return None
    text = "; ".join(f"{ind} capped by {', '.join(by)}" for ind, by in sorted(capped.items()))
    return GateEffect("prerequisites", ctx.score_level, text,
                      {"capped": {k: v for k, v in sorted(capped.items())},
                       "level_without_caps": ctx.uncapped_level})


def pillar_floor(ctx: GateContext) -> GateEffect | None:
    gate = ctx.framework.gates.pillar_floor
    if gate is None or not gate.enabled:
        return None
    low = {p.pillar: (None if p.rounded is None else str(p.rounded)) for p in ctx.pillars.values()
           if p.rounded is None or p.rounded < gate.floor}
    if not low:
        return None
    parts = [f"{pid} {'has no data' if s is None else f'scores {s}'}" for pid, s in sorted(low.items())]
    return GateEffect("pillar_floor", gate.cap_at,
                      f"{gate.applies_to} needs every pillar at {gate.floor} or above: " + "; ".join(parts),
                      {"floor": str(gate.floor), "pillars": dict(sorted(low.items())), "applies_to": gate.applies_to})


def evidence(ctx: GateContext) -> GateEffect | None:
    gate = ctx.framework.gates.evidence
    if gate is None or not gate.enabled:
        return None
    percent = Decimal(repr(round(ctx.coverage * 100, 6)))
    if percent < gate.insufficient_below:
        return GateEffect("evidence", gate.insufficient_level,
                          f"current data covers {percent:.1f}% of indicator weight, below "
                          f"{gate.insufficient_below}%", {"kind": "insufficient", "coverage": float(percent),
                                                           "insufficient_below": str(gate.insufficient_below)})
    thin = {r.indicator: len(r.source_types) for r in ctx.indicators.values()
            if r.critical and r.status == "value" and len(r.source_types) < gate.critical_source_types}
    reasons = []
    if percent < gate.min_coverage:
        reasons.append(f"current data covers {percent:.1f}% of indicator weight; {gate.applies_to} needs "
                       f"{gate.min_coverage}%")
    if thin:
        reasons.append(f"critical indicators with fewer than {gate.critical_source_types} source types: "
                       + ", ".join(f"{k} ({v})" for k, v in sorted(thin.items())))
    if not reasons:
        return None
    return GateEffect("evidence", gate.cap_at, "; ".join(reasons),
                      {"kind": "handover", "coverage": float(percent), "min_coverage": str(gate.min_coverage),
                       "coverage_short": bool(percent < gate.min_coverage), "applies_to": gate.applies_to,
                       "critical_source_types": gate.critical_source_types,
                       "thin_sources": dict(sorted(thin.items()))})


def stability(ctx: GateContext) -> GateEffect | None:
    """No fall in the overall score over the last `rounds` rounds (earlier rounds without a score are
    skipped; a first round has nothing to fall from)."""
    gate = ctx.framework.gates.stability
    if gate is None or not gate.enabled or ctx.rounded is None:
        return None
    scores = [h.rounded for h in ctx.history if h.rounded is not None][-gate.rounds:] + [ctx.rounded]
    falls = [(a, b) for a, b in zip(scores, scores[1:], strict=False) if b < a]
    if not falls:
        return None
    return GateEffect("stability", gate.cap_at,
                      f"{gate.applies_to} needs no fall in the overall score over the last {gate.rounds} rounds: "
                      + ", ".join(f"{a} to {b}" for a, b in falls),
                      {"kind": "fall", "scores": [str(s) for s in scores], "rounds": gate.rounds,
                       "falls": [[str(a), str(b)] for a, b in falls], "applies_to": gate.applies_to})


def sustained(ctx: GateContext, level: str) -> GateEffect | None:
    """Promotion: a region at the handover level that held it for `rounds` earlier rounds is sustained."""
    gate = ctx.framework.gates.stability
    if gate is None or not gate.enabled or gate.sustained_level is None:
        return None
    need = ctx.order[gate.applies_to]
    if ctx.order[level] < need or ctx.order[level] >= ctx.order[gate.sustained_level]:
        return None
    recent = ctx.history[-gate.rounds:]
    if len(recent) < gate.rounds or any(ctx.order[h.computed_level] < need for h in recent):
        return None
    return GateEffect("stability", gate.sustained_level,
                      f"{gate.applies_to} held for {gate.rounds} earlier rounds with no fall in the score",
                      {"kind": "sustained", "rounds": [h.round for h in recent], "applies_to": gate.applies_to})


def sign_off(ctx: GateContext) -> GateEffect | None:
    gate = ctx.framework.gates.sign_off
    if gate is None or not gate.enabled:
        return None
    signed = {s.party for s in ctx.assessment.sign_off}
    missing = [p for p in gate.parties if p not in signed]
    if not missing:
        return None
    names = {p.id: p.name for p in ctx.framework.parties}
    return GateEffect("sign_off", gate.cap_at,
                      f"{gate.applies_to} is published only with joint sign-off; missing: "
                      + ", ".join(names.get(p, p) for p in missing), {"missing": missing, "applies_to": gate.applies_to})


def override(ctx: GateContext, computed: str) -> GateEffect | None:
    """A complete, unexpired leadership override sets the level, up or down."""
    gate = ctx.framework.gates.override
    o = ctx.assessment.override
    if gate is None or not gate.enabled or o is None:
        return None
    if not (o.rationale and o.approved_by and o.expires) or o.expires < ctx.round_date or o.level not in ctx.order:
        return None
    return GateEffect("override", o.level,
                      f"leadership override by {o.approved_by} (computed level: {computed}), expires {o.expires}: "
                      f"{o.rationale}",
                      {"approved_by": o.approved_by, "expires": o.expires.isoformat(), "computed_level": computed,
                       "rationale": o.rationale})


#: The capping gates, in the order they are reported.
CAPPING_GATES = (critical_floor, prerequisites, pillar_floor, evidence, stability, sign_off)
