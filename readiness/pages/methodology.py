"""The methodology page (methodology.md): the generic method and the project's own notes (texts), then this
framework's parameters: levels, gates, the pillar tree with each node's share of its parent, how each indicator
is scored, and what moves the scores most (the Monte Carlo's sensitivity)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..model import Indicator, Pillar, Region, Round
from ..report import View
from .common import Levels
from .indicator import ScoringRule, scoring_rule


@dataclass(frozen=True)
class GateRow:
    gate: str
    """The gate's name in the framework (`gates:`)."""
    state: str
    """"unset" (not in the framework), "on" or "off"."""
    params: list[tuple[str, Any]]
    """Its settings, as set (`enabled` aside, and those left out)."""


@dataclass(frozen=True)
class PillarRow:
    pillar: Pillar
    depth: int
    share: float
    """The pillar's weight as a share of its siblings' weights."""
    indicators: list[str]
    """The ids of its own indicators, sorted."""


@dataclass(frozen=True)
class IndicatorRow:
    indicator: Indicator
    scoring: ScoringRule


@dataclass(frozen=True)
class Factor:
    factor: str
    """What the Monte Carlo varied: "weight of pillar P", "weight of I", "value of I", "values of pillar P" (the
    values of a pillar ranked together, past `uncertainty.MAX_VALUE_FACTORS`), or another factor."""
    mean: float
    """Its mean total-order effect on the scores."""


@dataclass(frozen=True)
class RollUpNote:
    """Why the roll-up is not the headline, in this project's figures: a top region's rolled-up score at the
    latest round beside how many assessed districts and units stand below the handover level."""

    region: Region
    round: Round
    score: Decimal
    cutoff: Decimal | None
    """The score the handover level needs (None when it is reached through a gate only)."""
    below: int
    """Assessed regions and units of the round below the handover level."""
    total: int
    """Assessed regions and units of the round."""


@dataclass(frozen=True)
class MethodologyPage:
    gates: list[GateRow]
    pillars: list[PillarRow]
    indicators: list[IndicatorRow]
    factors: list[Factor]
    """The fifteen factors that move the scores most, when the Monte Carlo ran."""
    roll_ups: list[RollUpNote]
    """One per top region that is rolled up and has a score at the latest round."""


def roll_ups(view: View) -> list[RollUpNote]:
    latest = view.latest
    results = [r for rid in view.regions if (r := view.result(latest.id, rid)) is not None]
    assessed = [r for r in results if r.assessed]
    levels = Levels(view)
    below = sum(1 for r in assessed if not levels.reached_handover(r.level))
    cutoff = levels.by_id[view.framework.handover_level].min_score
    return [
        RollUpNote(view.regions[r.region], latest, r.rounded, cutoff, below, len(assessed))
        for r in results
        if not r.assessed and r.rounded is not None and view.regions[r.region].parent is None
    ]


def build(view: View) -> MethodologyPage:
    fw = view.framework
    gates = []
    for name in type(fw.gates).model_fields:
        gate = getattr(fw.gates, name)
        if gate is None:
            gates.append(GateRow(name, "unset", []))
            continue
        gates.append(
            GateRow(
                name,
                "on" if gate.enabled else "off",
                [(k, v) for k, v in gate.model_dump().items() if k != "enabled" and v is not None],
            )
        )
    by_pillar: dict[str, list[str]] = {}
    for ind in view.indicators.values():
        by_pillar.setdefault(ind.pillar, []).append(ind.id)
    pillar_rows: list[PillarRow] = []

    def walk(pillars: list[Pillar], depth: int) -> None:
        total: Decimal = sum((p.weight for p in pillars), Decimal(0))
        for p in pillars:
            pillar_rows.append(PillarRow(p, depth, float(p.weight / total), sorted(by_pillar.get(p.id, []))))
            walk(p.pillars, depth + 1)

    walk(fw.pillars, 0)
    analysis = view.uncertainty
    factors = (
        [Factor(f["factor"], f["mean_total_order"]) for f in analysis.factors][:15]
        if analysis is not None and analysis.factors
        else []
    )
    return MethodologyPage(
        gates,
        pillar_rows,
        [IndicatorRow(i, scoring_rule(i)) for i in view.indicators.values()],
        factors,
        roll_ups(view),
    )
