"""An indicator's page (indicators/<id>.md): what it measures and how it is scored, its cut-offs, what it
requires and what requires it, its values across the regions in the latest round and its history."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..methods import NORMALISATIONS
from ..model import Indicator, LocalText, Region, Round
from ..report import View
from ..scoring.results import IndicatorResult
from .common import ordered_regions, pillars


@dataclass(frozen=True)
class ScoringRule:
    """What the indicator's normalisation method says of itself (`readiness/methods/`): a catalogue key and
    its values (numbers as numbers, texts as texts), with the method's own words for a method the catalogues
    do not know."""

    key: str
    params: dict[str, Any]
    method: str
    labels: dict[str, str]


@dataclass(frozen=True)
class EvidenceRule:
    source_types: list[LocalText | str]
    """The names of the source types that count (none: any source)."""
    max_age_days: int


@dataclass(frozen=True)
class ThresholdRow:
    tier: str
    """A tier id, or "all"."""
    label: LocalText | None
    """The tier's label, when the framework has such a tier."""
    cuts: list[Decimal | bool | None]
    """The cut-off for each of `IndicatorPage.threshold_levels`."""


@dataclass(frozen=True)
class HistoryRow:
    region: Region
    cells: list[IndicatorResult | None]
    """The indicator in each round (None: no assessed result)."""


@dataclass(frozen=True)
class Bar:
    """The indicator in one assessed region in the latest round."""

    region: Region
    result: IndicatorResult | None


@dataclass(frozen=True)
class IndicatorPage:
    indicator: Indicator
    pillar: LocalText | str
    """The name of its pillar."""
    scoring: ScoringRule
    evidence: EvidenceRule
    threshold_levels: list[str]
    """The levels a cut-off leads to (every level with a minimum score but the lowest)."""
    thresholds: list[ThresholdRow]
    requires: list[Indicator]
    required_by: list[Indicator]
    bars: list[Bar]
    rounds: list[Round]
    history: list[HistoryRow]
    """Regions with a value or a status in some round, parents before their parts."""


def scoring_rule(ind: Indicator) -> ScoringRule:
    method = NORMALISATIONS[ind.scoring.method]
    key, params = method.describe(ind)
    return ScoringRule(key, params, method.name, dict(method.labels))


def evidence_rule(view: View, ind: Indicator) -> EvidenceRule:
    fw = view.framework
    names = {s.id: s.name for s in fw.source_types}
    gate = fw.gates.evidence
    return EvidenceRule(
        [names.get(s, s) for s in ind.evidence.source_types],
        ind.evidence.max_age_days or (gate.max_age_days if gate else 365),
    )


def _empty(ir: IndicatorResult | None) -> bool:
    """A cell with nothing to show (no result, or a value that is not there)."""
    return ir is None or (ir.status == "value" and ir.raw is None)


def build(view: View, indicator_id: str, lang: str | None = None, order: list[str] | None = None) -> IndicatorPage:
    fw = view.framework
    ind = view.indicators[indicator_id]
    scored = [lv.id for lv in fw.levels if lv.min_score is not None][1:]
    tiers = {t.id: t.label for t in fw.tiers} | {t.id: t.label for t in fw.threats}
    thresholds = [
        ThresholdRow(tier, tiers.get(tier), [cuts.get(lv) for lv in scored]) for tier, cuts in ind.thresholds.items()
    ]
    graph = view.graph
    requires = (
        [view.indicators[p] for p in sorted(graph.predecessors(ind.id)) if p in view.indicators]
        if ind.id in graph
        else []
    )
    required_by = (
        [view.indicators[s] for s in sorted(graph.successors(ind.id)) if s in view.indicators]
        if ind.id in graph
        else []
    )
    bars, history = [], []
    for rid in order if order is not None else ordered_regions(view, lang):
        cells = []
        for rd in view.rounds:
            r = view.result(rd.id, rid)
            cells.append(r.indicators.get(ind.id) if r and r.assessed else None)
        latest = view.result(view.latest.id, rid)
        ir = latest.indicators.get(ind.id) if latest and latest.assessed else None
        if ir is None and all(_empty(c) for c in cells):
            continue
        history.append(HistoryRow(view.regions[rid], cells))
        if latest is not None and latest.assessed:
            bars.append(Bar(view.regions[rid], ir))
    pillar = next((e.name for e in pillars(view) if e.id == ind.pillar), ind.pillar)
    return IndicatorPage(
        ind,
        pillar,
        scoring_rule(ind),
        evidence_rule(view, ind),
        scored,
        thresholds,
        requires,
        required_by,
        bars,
        list(view.rounds),
        history,
    )
