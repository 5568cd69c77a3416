"""Thresholds: the cut-offs that turn a value into a level must be in order (I001) and cover every tier
(I004)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from .base import ERROR, Context, Problem, Rule, at
from .references import ALL_TIERS


class ThresholdsOrder(Rule):
    """Cut-offs out of order for the indicator's direction: for a higher-is-better indicator each level must
    need a higher value than the level below it, for a lower-is-better one a lower value. The framework's
    levels, listed from lowest to highest, must likewise need rising scores.

    Fails, in indicators/hr/HR-01.yaml:

        thresholds:
          all: {partially-ready: 80, ready: 60}

    Passes, in indicators/hr/HR-01.yaml:

        thresholds:
          all: {partially-ready: 60, ready: 80}
    """

    code = "I001"
    name = "thresholds-order"
    severity = ERROR
    summary = "Threshold cut-offs are out of order for the indicator's direction."
    fix = (
        "Order the cut-offs so that each level needs a better value than the one below it: rising for a "
        "higher-is-better indicator, falling for a lower-is-better one."
    )

    def check(self, ctx: Context) -> Iterator[Problem]:
        previous: Decimal | None = None
        for i, level in enumerate(ctx.framework.levels):
            if level.min_score is None:
                continue
            if previous is not None and level.min_score <= previous:
                yield at(
                    "framework",
                    "",
                    ("levels", i, "min_score"),
                    f"level {level.id!r} needs {level.min_score}, not more than the level below it ({previous})",
                    "levels are listed from lowest to highest; each min_score must be higher than the last",
                )
            previous = level.min_score
        order = {lv: i for i, lv in enumerate(ctx.level_ids)}
        for ind in ctx.project.indicators.values():
            for tier, cuts in ind.thresholds.items():
                known = sorted(((lv, v) for lv, v in cuts.items() if lv in order), key=lambda item: order[item[0]])
                for (low_level, low), (high_level, high) in zip(known, known[1:], strict=False):
                    if not (high > low if ind.direction == "higher" else high < low):
                        relation = "above" if ind.direction == "higher" else "below"
                        yield at(
                            "indicator",
                            ind.id,
                            ("thresholds", tier, high_level),
                            f"{ind.id} ({ind.direction} is better): the cut-off for {high_level!r} ({high}) "
                            f"must be {relation} the cut-off for {low_level!r} ({low})",
                            "swap the two values, or check the indicator's direction",
                        )


class TierCoverage(Rule):
    """Thresholds given per tier that leave out a tier the framework declares: a region of that tier could not
    be rated on the indicator. An `all:` set applies to every tier.

    Fails, as indicators/lo/LO-01.yaml:

        id: LO-01
        name: Median response time to priority-1 calls
        definition: Median minutes from a priority-1 call to officers arriving on scene.
        pillar: LO
        unit: minutes
        direction: lower
        scoring: {method: goalposts, worst: 240, best: 30}
        thresholds:
          urban: {partially-ready: 60, ready: 30}

    Passes, as indicators/lo/LO-01.yaml:

        id: LO-01
        name: Median response time to priority-1 calls
        definition: Median minutes from a priority-1 call to officers arriving on scene.
        pillar: LO
        unit: minutes
        direction: lower
        scoring: {method: goalposts, worst: 240, best: 30}
        thresholds:
          urban: {partially-ready: 60, ready: 30}
          rural: {partially-ready: 120, ready: 60}
    """

    code = "I004"
    name = "tier-coverage"
    severity = ERROR
    summary = "Thresholds that do not cover every tier the framework declares."
    fix = "Add thresholds for every tier the framework declares, or one `all` entry for every tier."

    def check(self, ctx: Context) -> Iterator[Problem]:
        tier_ids = ctx.tier_ids
        if not tier_ids:
            return
        for ind in ctx.project.indicators.values():
            if not ind.thresholds or ALL_TIERS in ind.thresholds:  # (no thresholds at all is S003)
                continue
            missing = [t for t in tier_ids if t not in ind.thresholds]
            if missing:
                yield at(
                    "indicator",
                    ind.id,
                    ("thresholds",),
                    f"{ind.id} has thresholds for {', '.join(ind.thresholds)} but not for {', '.join(missing)}",
                    f"add thresholds for {', '.join(missing)}, or an `{ALL_TIERS}:` set that applies to every tier",
                    key_of=True,
                )
