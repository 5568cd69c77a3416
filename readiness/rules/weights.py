"""Weights: of pillars and indicators, above zero (I003); and the shape of a tree node whose aggregation needs a
set number of children (I008)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..i18n import say
from .base import ERROR, Context, Problem, Rule, at, walk_pillars


class Weight(Rule):
    """A pillar or an indicator with a weight of zero or below: a weight shares out the score, and what should
    not count is removed rather than weighted zero (a zero weight would still show the item as counting).

    Fails, in indicators/hr/HR-02.yaml:

        weight: 0

    Passes, in indicators/hr/HR-02.yaml:

        weight: 2
    """

    code = "I003"
    name = "weight"
    severity = ERROR

    def check(self, ctx: Context) -> Iterator[Problem]:
        for pillar, loc in walk_pillars(ctx.framework.pillars):
            if pillar.weight <= 0:
                yield at(
                    "framework",
                    "",
                    loc + ("weight",),
                    say("rule.I003.pillar", pillar=pillar.id, weight=pillar.weight),
                    say("rule.I003.pillar_hint"),
                )
        for ind in ctx.project.indicators.values():
            if ind.weight <= 0:
                yield at(
                    "indicator",
                    ind.id,
                    ("weight",),
                    say("rule.I003.indicator", indicator=ind.id, weight=ind.weight),
                    say("rule.I003.indicator_hint"),
                )


class AggregationShape(Rule):
    """A node whose aggregation needs a set number of children (a ratio: exactly two sub-pillars, the first over
    the second) that has another number, or that has indicators of its own (a ratio reads its sub-pillars in the
    order listed; an indicator has no place in it).

    Fails, in indicators/framework.yaml:

        pillars:
          - id: operations
            name: Operational capacity
            aggregation: ratio
            pillars:
              - {id: LO, name: "Law and order"}
          - id: enablers
            name: Institutional enablers
            pillars:
              - {id: HR, name: "Human resources"}

    Passes, in indicators/framework.yaml:

        pillars:
          - id: operations
            name: Operational capacity
            pillars:
              - {id: LO, name: "Law and order"}
          - id: enablers
            name: Institutional enablers
            pillars:
              - {id: HR, name: "Human resources"}
    """

    code = "I008"
    name = "aggregation-shape"
    severity = ERROR

    def check(self, ctx: Context) -> Iterator[Problem]:
        from ..methods import AGGREGATIONS

        fw = ctx.framework
        own = {ind.pillar for ind in ctx.project.indicators.values()}
        # (method, children, pillar id ("" for the overall score), location, has indicators of its own)
        nodes: list[tuple[str, list[Any], str, tuple[str | int, ...], bool]] = [
            (fw.aggregation, fw.pillars, "", (), False)
        ]
        nodes += [(p.aggregation, p.pillars, p.id, loc, p.id in own) for p, loc in walk_pillars(fw.pillars)]
        for method, children, pillar_id, loc, has_indicators in nodes:
            arity = AGGREGATIONS[method].arity if method in AGGREGATIONS else None
            if arity is None or (len(children) == arity and not has_indicators):
                continue
            yield at(
                "framework",
                "",
                loc + ("aggregation",) if loc else ("aggregation",),
                say(
                    "rule.I008.own" if has_indicators else "rule.I008.pillar" if pillar_id else "rule.I008.overall",
                    pillar=pillar_id,
                    method=method,
                    arity=arity,
                    count=len(children),
                ),
                say("rule.I008.shape_hint", arity=arity),
            )
