"""The path to handover and the projected round of readiness.

The path lists what must change for a region below the handover level, in the order a planner would tackle
it: critical indicators first, prerequisites before what depends on them, then the smallest gaps; with the
target value for each. The projection extends the region's recent pace to the handover score.
"""

from __future__ import annotations

import math
from datetime import timedelta
from statistics import median
from typing import TYPE_CHECKING, Any

from ..fields import LATEST_DATE
from ..model import Assessment
from .results import HandoverStep, RegionRound

if TYPE_CHECKING:
    from .engine import Engine

#: How many recent rounds set the pace of a projection.
PACE_ROUNDS = 3


def handover_path(engine: Engine, result: RegionRound, assessment: Assessment) -> list[HandoverStep]:
    fw = engine.fw
    handover = engine.order[fw.handover_level]
    if engine.order[result.computed_level] >= handover:
        return []
    ranked: list[tuple[tuple[Any, ...], HandoverStep]] = []
    gate = fw.gates.evidence
    sources_needed = gate.critical_source_types if gate is not None and gate.enabled else 0
    order = engine.order
    for ind_id, r in result.indicators.items():
        status = r.status
        if status == "not-applicable":
            continue
        ind = engine.project.indicators[ind_id]
        depth = engine.depth.get(ind_id, 0)
        critical = r.critical
        if status != "value":  # not collected, missing, pending or invalid
            step = HandoverStep(
                "collect",
                ind_id,
                None,
                r.target,
                critical,
                {"reason": r.reason} if r.reason and status == "not-collected" else {},
            )
            ranked.append(((not critical, depth, 0.0, ind_id), step))
            continue
        if r.uncapped_level is None:
            continue
        because = {"because_of": list(r.at_risk_from)} if r.at_risk_from else {}
        if order[r.uncapped_level] < handover and r.target is not None and r.raw is not None:
            gap = engine.plan[ind_id].score(r.target) - (r.score or 0.0)
            step = HandoverStep(
                "raise" if ind.direction == "higher" else "lower", ind_id, r.raw, r.target, critical, because
            )
            ranked.append(((not critical, depth, round(abs(gap), 9), ind_id), step))
        elif r.capped_by:
            step = HandoverStep("capped", ind_id, r.raw, r.target, critical, {"by": list(r.capped_by)})
            ranked.append(((not critical, depth, 0.0, ind_id), step))
        elif because:  # good enough today, but what it rests on is not: keep it
            step = HandoverStep("at_risk", ind_id, r.raw, r.target, critical, because)
            ranked.append(((not critical, depth + 1, 0.0, ind_id), step))
        if critical and len(r.source_types) < sources_needed:
            step = HandoverStep(
                "sources", ind_id, None, None, True, {"has": list(r.source_types), "count": sources_needed}
            )
            ranked.append(((False, depth, 0.0, ind_id + "~"), step))
    for effect in result.gates:
        if effect.gate == "sign_off":
            for party in effect.details.get("missing", []):
                stated = effect.details.get("positions", {}).get(party, {})
                ranked.append(((True, 10**6, 0.0, party), HandoverStep("sign_off", party, detail=dict(stated))))
    ranked.sort(key=lambda item: item[0])
    return [step for _, step in ranked]


def projection(engine: Engine, series: list[RegionRound]) -> dict[str, Any]:
    """When the region would reach the handover score at its recent pace (least-squares slope of the last
    rounds' scores, per round)."""
    fw = engine.fw
    current = series[-1]
    target = fw.levels[engine.order[fw.handover_level]].min_score
    if engine.order[current.level] >= engine.order[fw.handover_level]:
        return {"status": "reached"}
    if target is None or current.rounded is None:
        return {"status": "unknown", "why": "no-score"}
    recent = [(i, float(r.rounded)) for i, r in enumerate(series) if r.rounded is not None][-PACE_ROUNDS:]
    if len(recent) < 2:
        return {"status": "unknown", "why": "one-round"}
    xs, ys = [x for x, _ in recent], [y for _, y in recent]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in recent) / sum((x - mean_x) ** 2 for x in xs)
    gap = float(target) - float(current.rounded)
    if gap <= 0:
        return {"status": "score-reached", "pace": round(slope, 6)}
    if slope <= 0:
        return {"status": "not converging", "pace": round(slope, 6)}
    rounds_needed = math.ceil(gap / slope - 1e-9)
    # a date only when every critical indicator below the handover level also gets there at its own pace
    paced_by: str | None = None
    for ind_id, r in sorted(current.indicators.items()):
        if not r.critical or r.level is None or engine.order[r.level] >= engine.order[fw.handover_level]:
            continue
        needed = _indicator_rounds(series, ind_id, engine.plan[ind_id].higher)
        if needed is None:
            return {"status": "not converging", "pace": round(slope, 6), "held_by": ind_id}
        if needed > rounds_needed:
            rounds_needed, paced_by = needed, ind_id
    dates = [engine.project.rounds[r.round].date for r in series]
    gaps = [(b - a).days for a, b in zip(dates, dates[1:], strict=False)]
    step = timedelta(days=median(gaps)) if gaps else timedelta(days=91)
    if step.days * rounds_needed > (LATEST_DATE - dates[-1]).days:
        # at this pace the date lies past any calendar a mission plans with (or past Python's): no date
        return {"status": "not converging", "pace": round(slope, 6)}
    out = {
        "status": "converging",
        "pace": round(slope, 6),
        "rounds_needed": rounds_needed,
        "projected_date": (dates[-1] + step * rounds_needed).isoformat(),
    }
    if paced_by is not None:
        out["paced_by"] = paced_by
    return out


def _indicator_rounds(series: list[RegionRound], ind_id: str, higher: bool) -> int | None:
    """Rounds a critical indicator needs to reach its handover target at its recent pace (least-squares slope
    of its raw values over the last rounds); None when it is not moving towards it (or has one value only)."""
    current = series[-1].indicators[ind_id]
    if current.target is None or current.raw is None or isinstance(current.raw, bool):
        return None
    recent = [
        (i, float(v))
        for i, r in enumerate(series)
        if (x := r.indicators.get(ind_id)) is not None and (v := x.raw) is not None and not isinstance(v, bool)
    ][-PACE_ROUNDS:]
    if len(recent) < 2:
        return None
    xs = [x for x, _ in recent]
    mean_x, mean_y = sum(xs) / len(xs), sum(y for _, y in recent) / len(recent)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in recent) / sum((x - mean_x) ** 2 for x in xs)
    gap = float(current.target) - float(current.raw)
    if not higher:
        gap, slope = -gap, -slope
    if gap <= 0:
        return 0
    if slope <= 0:
        return None
    return math.ceil(gap / slope - 1e-9)
