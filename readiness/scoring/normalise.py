"""Normalisation: a raw value becomes a score on the framework's scale, and an indicator level from the
thresholds of the region's tier. Pure functions; no I/O."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from ..methods import NORMALISATIONS, ROUNDINGS
from ..model import ALL_TIERS, Indicator, Rounding, Scale, thresholds_for

__all__ = ["ALL_TIERS", "level_reached", "round_score", "scorer", "thresholds_for"]


#: How close to a rounding boundary, in units of the last digit kept, a score is taken to be on it: closer than
#: this is float arithmetic's noise, not a difference in the data (a weighted geometric mean of 41.5 and 41.5
#: computes as 41.49999999999999 with numpy's vectorised power and as 41.5 with Python's), and the engine and the
#: Monte Carlo must round such a score alike.
ON_BOUNDARY = Decimal("1e-9")


def round_score(value: float, rounding: Rounding) -> Decimal:
    """The framework's rounding of a full-precision score, done in decimal arithmetic.

    The float is read through its shortest decimal form (repr), so 0.7545 rounds half-up to 0.755 and not
    to the 0.754 its binary expansion would give; a score within `ON_BOUNDARY` of a rounding boundary is
    rounded as on it.
    """
    mode = ROUNDINGS[rounding.mode]
    scaled = Decimal(repr(value)).scaleb(rounding.digits)
    boundary = Decimal(repr(mode.boundary))
    nearest = (scaled - boundary).to_integral_value(rounding="ROUND_HALF_EVEN") + boundary
    if abs(scaled - nearest) < ON_BOUNDARY:
        scaled = nearest
    return scaled.quantize(Decimal(1), rounding=mode.decimal).scaleb(-rounding.digits)


def scorer(indicator: Indicator, scale: Scale) -> Callable[[Decimal | bool], float]:
    """The normalised score of a raw value, at full precision, on the framework's scale, as a function made once
    per indicator by its normalisation method (`readiness/methods/normalisation/`)."""
    return NORMALISATIONS[indicator.scoring.method].scorer(indicator, scale)


def level_reached(higher: bool, value: Decimal | bool, ladder: list[tuple[str, Decimal]], lowest: str) -> str:
    """The highest level on `ladder` (the scored levels above `lowest`, ascending, with their cut-offs) whose
    cut-off the value reaches; `lowest` otherwise. Exact decimal comparison: a value on the cut-off reaches it."""
    number = Decimal(int(value)) if isinstance(value, bool) else value
    level = lowest
    for candidate, cutoff in ladder:
        if (number >= cutoff) if higher else (number <= cutoff):
            level = candidate
    return level
