"""Thresholds: the cut-offs that turn a value into a level must be in order (I001), cover every tier (I004),
and a higher threat may not lower a requirement (I007)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from ..i18n import say
from .base import ERROR, WARNING, Context, Problem, Rule, at
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
                    say("rule.I001.levels", level=level.id, score=level.min_score, previous=previous),
                    say("rule.I001.levels_hint"),
                )
            previous = level.min_score
        order = {lv: i for i, lv in enumerate(ctx.level_ids)}
        for ind in ctx.project.indicators.values():
            for tier, cuts in ind.thresholds.items():
                known = sorted(((lv, v) for lv, v in cuts.items() if lv in order), key=lambda item: order[item[0]])
                for (low_level, low), (high_level, high) in zip(known, known[1:], strict=False):
                    if not (high > low if ind.direction == "higher" else high < low):
                        yield at(
                            "indicator",
                            ind.id,
                            ("thresholds", tier, high_level),
                            say(
                                f"rule.I001.order.{ind.direction}",
                                indicator=ind.id,
                                level=high_level,
                                cut=high,
                                below=low_level,
                                below_cut=low,
                            ),
                            say("rule.I001.order_hint"),
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
                    say(
                        "rule.I004.missing",
                        indicator=ind.id,
                        tiers=", ".join(ind.thresholds),
                        missing=", ".join(missing),
                    ),
                    say("rule.I004.missing_hint", missing=", ".join(missing), all=ALL_TIERS),
                    key_of=True,
                )


class ThreatLowers(Rule):
    """A threat's cut-offs that ask less than the region's setting (its tier, or `all`) or than a lower
    threat. A region's threat and its setting are two axes: a higher threat may raise a requirement, never
    lower it (if the police cannot reach its localities without the army, primacy is not yet the question).
    The engine applies the stricter cut-off, level by level, so such a cut-off has no effect.

    Fails, in indicators/lo/LO-01.yaml (response minutes, lower is better; the framework has a threat `high`):

        thresholds:
          rural: {partially-ready: 120, ready: 60}
          high: {partially-ready: 150, ready: 90}

    Passes, in indicators/lo/LO-01.yaml:

        thresholds:
          rural: {partially-ready: 120, ready: 60}
          high: {partially-ready: 60, ready: 25}
    """

    code = "I007"
    name = "threat-lowers-requirement"
    severity = WARNING

    def check(self, ctx: Context) -> Iterator[Problem]:
        threats = [t.id for t in ctx.framework.threats]
        if not threats:
            return
        for ind in ctx.project.indicators.values():
            higher = ind.direction == "higher"
            settings = [k for k in ind.thresholds if k not in threats]
            for n, threat in enumerate(threats):
                cuts = ind.thresholds.get(threat)
                if cuts is None:
                    continue
                below = [(t, "threat") for t in threats[:n] if t in ind.thresholds]
                for other, kind in [(s, "setting") for s in settings] + below:
                    for level, cut in cuts.items():
                        theirs = ind.thresholds[other].get(level)
                        if theirs is None or (cut >= theirs if higher else cut <= theirs):
                            continue
                        yield at(
                            "indicator",
                            ind.id,
                            ("thresholds", threat, level),
                            say(
                                f"rule.I007.lower.{kind}",
                                indicator=ind.id,
                                threat=threat,
                                cut=cut,
                                level=level,
                                other=other,
                                theirs=theirs,
                            ),
                            say("rule.I007.lower_hint"),
                        )
