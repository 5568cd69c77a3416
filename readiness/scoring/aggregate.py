"""Aggregation over the pillar tree: weighted arithmetic mean, weighted geometric mean or minimum per node.

Weights are renormalised over the children that have data, so a missing value is never a zero; coverage is
the share of a node's weight that has current data. Children are visited in id order, so the order of files
and entries never changes a result.
"""

from __future__ import annotations

from decimal import Decimal

from ..methods import AGGREGATIONS
from ..model import Framework, Indicator
from .index import FrameworkIndex
from .normalise import round_score
from .results import IndicatorResult, PillarResult

ROOT = ""


def combine(method: str, parts: list[tuple[float, float]], low: float, high: float) -> float:
    """Combine (score, weight) pairs with one aggregation method (`readiness/methods/aggregation/`)."""
    return AGGREGATIONS[method].combine(parts, low, high)


class Tree:
    """The pillar tree of a framework, from its compiled index: pillars in id order, each with its sub-pillars
    and its own indicators (in id order)."""

    def __init__(self, index: FrameworkIndex, indicators: dict[str, Indicator]) -> None:
        self.framework = index.framework
        weights = {ind_id: float(ind.weight) for ind_id, ind in indicators.items()}

        def lay_out(position: int) -> _Node:
            node = index.nodes[position]
            return (
                node.id,
                node.aggregation,
                node.weight,
                [lay_out(sub) for sub in node.sub],
                [(ind_id, weights[ind_id]) for ind_id in node.indicators],
            )

        self.top = [lay_out(root) for root in index.roots]
        self.low, self.high = index.low, index.high

    def aggregate(
        self, results: dict[str, IndicatorResult], fill: bool = True
    ) -> tuple[float | None, float | None, float, dict[str, PillarResult]]:
        """Overall score, overall score before prerequisite caps, overall coverage (0-1) and the result of every
        pillar, from indicator results; fills in each indicator's `share` and `contribution` within its pillar.

        The published result uses the capped scores; the score before caps tells which caps changed the level.
        Both come from one walk of the tree; when no indicator was capped they are the same number. Indicators
        absent from `results` count as not applicable; with `fill=False` (a function's criteria, a subset of the
        region's results) the shares and contributions of the region's indicators are left as they are.
        """
        framework, low, high = self.framework, self.low, self.high
        rounding = framework.rounding
        pillars: dict[str, PillarResult] = {}
        any_cap = any(r.capped_by for r in results.values())

        def pillar_node(node: _Node) -> tuple[float | None, float | None, float, float] | None:
            pillar_id, method, pillar_weight, subs, own = node
            children: list[tuple[float | None, float, float]] = []
            uncapped: list[tuple[float | None, float, float]] = []
            own_parts: list[tuple[IndicatorResult, float]] = []
            for sub in subs:
                part = pillar_node(sub)
                if part is not None:
                    children.append((part[0], part[2], part[3]))
                    uncapped.append((part[1], part[2], part[3]))
            for ind_id, weight in own:
                result = results.get(ind_id)
                if result is None or result.status == "not-applicable":
                    continue
                if result.capped_score is None:
                    children.append((None, 0.0, weight))
                    uncapped.append((None, 0.0, weight))
                    continue
                children.append((result.capped_score, 1.0 if result.current else 0.0, weight))
                uncapped.append((result.score, 1.0 if result.current else 0.0, weight))
                own_parts.append((result, weight))
            if not children:
                return None
            score, coverage = _node(method, children, low, high)
            plain = _node(method, uncapped, low, high)[0] if any_cap else score
            with_data = sum([w for s, _, w in children if s is not None])
            if with_data and fill:
                for result, weight in own_parts:
                    share = result.share = weight / with_data
                    capped = result.capped_score
                    result.contribution = share * capped if method == "arithmetic" and capped is not None else None
            pillars[pillar_id] = PillarResult(
                pillar=pillar_id,
                score=score,
                rounded=None if score is None else round_score(score, rounding),
                coverage=coverage,
                aggregation=method,
            )
            return score, plain, coverage, pillar_weight

        top: list[tuple[float | None, float, float]] = []
        top_uncapped: list[tuple[float | None, float, float]] = []
        for node in self.top:
            part = pillar_node(node)
            if part is not None:
                top.append((part[0], part[2], part[3]))
                top_uncapped.append((part[1], part[2], part[3]))
        score, coverage = _node(framework.aggregation, top, low, high)
        uncapped_score = _node(framework.aggregation, top_uncapped, low, high)[0] if any_cap else score
        return score, uncapped_score, coverage, pillars


_Node = tuple[str, str, float, list["_Node"], list[tuple[str, float]]]


def _node(
    method: str, children: list[tuple[float | None, float, float]], low: float, high: float
) -> tuple[float | None, float]:
    total = sum([w for _, _, w in children])
    coverage = sum([c * w for _, c, w in children]) / total if total else 0.0
    parts = [(s, w) for s, _, w in children if s is not None]
    aggregation = AGGREGATIONS[method]
    if aggregation.needs_all and len(parts) < len(children) or aggregation.arity not in (None, len(parts)):
        return None, coverage
    return (combine(method, parts, low, high) if parts else None), coverage


def level_for_score(framework: Framework, rounded: Decimal | None) -> str | None:
    """The highest level whose min_score the rounded score reaches (exact decimal comparison)."""
    if rounded is None:
        return None
    if framework.score_around is not None:  # a two-sided band: as far above the value counts as below it
        rounded = framework.score_around - abs(rounded - framework.score_around)
    level = None
    for lv in framework.levels:
        if lv.min_score is not None and rounded >= lv.min_score:
            level = lv.id
    return level
