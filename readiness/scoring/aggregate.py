"""Aggregation over the pillar tree: weighted arithmetic mean, weighted geometric mean or minimum per node.

Weights are renormalised over the children that have data, so a missing value is never a zero; coverage is
the share of a node's weight that has current data. Children are visited in id order, so the order of files
and entries never changes a result.
"""

from __future__ import annotations

import math
from collections import defaultdict
from decimal import Decimal

from ..model import Framework, Indicator, Pillar
from .normalise import round_score
from .results import IndicatorResult, PillarResult

ROOT = ""


def combine(method: str, parts: list[tuple[float, float]], low: float, high: float) -> float:
    """Combine (score, weight) pairs with one aggregation method, on the scale low..high."""
    total = sum(w for _, w in parts)
    if method == "arithmetic":
        return sum(s * w for s, w in parts) / total
    if method == "minimum":
        return min(s for s, _ in parts)
    if method == "geometric":
        fractions = [((s - low) / (high - low), w) for s, w in parts]
        if any(f <= 0 for f, _ in fractions):
            return low
        return low + (high - low) * math.prod(f ** (w / total) for f, w in fractions)
    raise ValueError(f"unknown aggregation {method!r}")  # pragma: no cover - the schema forbids it


class _Tree:
    def __init__(self, framework: Framework, indicators: dict[str, Indicator]) -> None:
        self.framework = framework
        self.by_pillar: dict[str, list[str]] = defaultdict(list)
        for ind_id in sorted(indicators):
            self.by_pillar[indicators[ind_id].pillar].append(ind_id)
        self.indicators = indicators


def aggregate(framework: Framework, indicators: dict[str, Indicator], results: dict[str, IndicatorResult],
              capped: bool = True) -> tuple[float | None, float, dict[str, PillarResult]]:
    """Overall score, overall coverage (0-1) and the result of every pillar, from indicator results.

    With `capped` (the published result) it uses the capped scores and fills in each indicator's `share` and
    `contribution` within its pillar; without, it uses the scores before prerequisite caps and changes
    nothing.
    """
    tree = _Tree(framework, indicators)
    low, high = float(framework.scale.min), float(framework.scale.max)
    pillars: dict[str, PillarResult] = {}

    def indicator_node(ind_id: str) -> tuple[float | None, float, float] | None:
        result = results.get(ind_id)
        weight = float(indicators[ind_id].weight)
        if result is None or result.status == "not-applicable":
            return None
        score = result.capped_score if capped else result.score
        if score is None:
            return None, 0.0, weight
        return score, 1.0 if result.current else 0.0, weight

    def pillar_node(pillar: Pillar) -> tuple[float | None, float, float] | None:
        children: list[tuple[float | None, float, float]] = []
        own: list[tuple[str, tuple[float | None, float, float]]] = []
        for sub in sorted(pillar.pillars, key=lambda p: p.id):
            node = pillar_node(sub)
            if node is not None:
                children.append((node[0], node[1], float(sub.weight)))
        for ind_id in tree.by_pillar.get(pillar.id, []):
            node = indicator_node(ind_id)
            if node is not None:
                children.append(node)
                own.append((ind_id, node))
        score, coverage = _node(pillar.aggregation, children, low, high)
        with_data = sum(w for s, _, w in children if s is not None)
        for ind_id, (s, _, w) in own:
            if capped and s is not None and with_data:
                share = w / with_data
                results[ind_id].share = share
                results[ind_id].contribution = share * s if pillar.aggregation == "arithmetic" else None
        if not children:
            return None
        pillars[pillar.id] = PillarResult(
            pillar=pillar.id, score=score,
            rounded=None if score is None else round_score(score, framework.rounding),
            coverage=coverage, aggregation=pillar.aggregation)
        return score, coverage, float(pillar.weight)

    top: list[tuple[float | None, float, float]] = []
    for pillar in sorted(framework.pillars, key=lambda p: p.id):
        node = pillar_node(pillar)
        if node is not None:
            top.append(node)
    score, coverage = _node(framework.aggregation, top, low, high)
    return score, coverage, pillars


def _node(method: str, children: list[tuple[float | None, float, float]], low: float,
          high: float) -> tuple[float | None, float]:
    total = sum(w for _, _, w in children)
    coverage = sum(c * w for _, c, w in children) / total if total else 0.0
    parts = [(s, w) for s, _, w in children if s is not None]
    return (combine(method, parts, low, high) if parts else None), coverage


def level_for_score(framework: Framework, rounded: Decimal | None) -> str | None:
    """The highest level whose min_score the rounded score reaches (exact decimal comparison)."""
    if rounded is None:
        return None
    level = None
    for lv in framework.levels:
        if lv.min_score is not None and rounded >= lv.min_score:
            level = lv.id
    return level
