"""Normalisation: a raw value becomes a score on the framework's scale, and an indicator level from the
thresholds of the region's tier. Pure functions; no I/O."""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

from ..model import Indicator, Rounding, Scale

ALL_TIERS = "all"

_MODES = {"half-up": ROUND_HALF_UP, "half-even": ROUND_HALF_EVEN, "down": ROUND_DOWN, "up": ROUND_CEILING}


def round_score(value: float, rounding: Rounding) -> Decimal:
    """The framework's rounding of a full-precision score, done in decimal arithmetic.

    The float is read through its shortest decimal form (repr), so 0.7545 rounds half-up to 0.755 and not
    to the 0.754 its binary expansion would give.
    """
    quantum = Decimal(1).scaleb(-rounding.digits)
    return Decimal(repr(value)).quantize(quantum, rounding=_MODES[rounding.mode])


def scorer(indicator: Indicator, scale: Scale) -> Callable[[Decimal | bool], float]:
    """The normalised score of a raw value, at full precision, on the framework's scale, as a function made once
    per indicator (the engine calls it for every observation, so the constants are worked out here)."""
    s = indicator.scoring
    low, high = float(scale.min), float(scale.max)
    span = high - low
    if s.method == "yes-no":
        return lambda value: high if value is True else low
    if s.method == "scale":
        return lambda value: min(high, max(low, float(value)))
    if s.method == "goalposts":
        assert s.worst is not None and s.best is not None
        worst, best = float(s.worst), float(s.best)
        if s.log:
            # values beyond the goalposts are capped first, so the logarithm is always defined
            floor, ceiling = min(worst, best), max(worst, best)
            log_worst, log_best = math.log(worst), math.log(best)
            log_width = log_best - log_worst
            return lambda value: low + span * min(1.0, max(0.0, (
                math.log(min(max(float(value), floor), ceiling)) - log_worst) / log_width))
        width = best - worst
        return lambda value: low + span * min(1.0, max(0.0, (float(value) - worst) / width))
    if s.method == "rubric":
        levels = sorted(r.level for r in s.rubric or [])
        first, steps = levels[0], levels[-1] - levels[0]
        return lambda value: low + span * min(1.0, max(0.0, (float(value) - first) / steps))
    if s.method == "bands":
        points = [(float(b.value), float(b.score)) for b in s.bands or []]
        pairs = list(zip(points, points[1:], strict=False))

        def banded(value: Decimal | bool) -> float:
            number = float(value)
            if number <= points[0][0]:
                return points[0][1]
            for (x0, y0), (x1, y1) in pairs:
                if number <= x1:
                    return y0 + (y1 - y0) * (number - x0) / (x1 - x0)
            return points[-1][1]

        return banded
    raise ValueError(f"unknown scoring method {s.method!r}")  # pragma: no cover - the schema forbids it


def thresholds_for(indicator: Indicator, tier: str | None) -> tuple[str, dict[str, Decimal]]:
    """The thresholds that apply to a region of `tier`: its own tier's set, else the `all` set."""
    if tier is not None and tier in indicator.thresholds:
        return tier, indicator.thresholds[tier]
    if ALL_TIERS in indicator.thresholds:
        return ALL_TIERS, indicator.thresholds[ALL_TIERS]
    # checks report a missing tier (I004); score with the first set rather than not at all
    first = next(iter(indicator.thresholds))
    return first, indicator.thresholds[first]


def level_reached(higher: bool, value: Decimal | bool, ladder: list[tuple[str, Decimal]], lowest: str) -> str:
    """The highest level on `ladder` (the scored levels above `lowest`, ascending, with their cut-offs) whose
    cut-off the value reaches; `lowest` otherwise. Exact decimal comparison: a value on the cut-off reaches it."""
    number = Decimal(int(value)) if isinstance(value, bool) else value
    level = lowest
    for candidate, cutoff in ladder:
        if (number >= cutoff) if higher else (number <= cutoff):
            level = candidate
    return level
