"""Weights: of pillars and indicators, above zero (I003)."""

from __future__ import annotations

from collections.abc import Iterator

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
    summary = "A weight that is zero or negative."
    fix = "Give a weight above zero, or remove the item if it should not count."

    def check(self, ctx: Context) -> Iterator[Problem]:
        for pillar, loc in walk_pillars(ctx.framework.pillars):
            if pillar.weight <= 0:
                yield at(
                    "framework",
                    "",
                    loc + ("weight",),
                    f"pillar {pillar.id!r} has weight {pillar.weight}",
                    "weights must be positive; to leave a pillar out, remove it",
                )
        for ind in ctx.project.indicators.values():
            if ind.weight <= 0:
                yield at(
                    "indicator",
                    ind.id,
                    ("weight",),
                    f"{ind.id} has weight {ind.weight}",
                    "weights must be positive; to leave an indicator out of the score, delete its file",
                )
