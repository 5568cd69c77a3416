"""Normalisation: a raw value becomes a score on the framework's scale, and an indicator level from the
thresholds of the region's tier. Pure functions; no I/O."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from ..methods import NORMALISATIONS, ROUNDINGS
from ..model import Indicator, Rounding, Scale

ALL_TIERS = "all"


def round_score(value: float, rounding: Rounding) -> Decimal:
    """The framework's rounding of a full-precision score, done in decimal arithmetic.

    The float is read through its shortest decimal form (repr), so 0.7545 rounds half-up to 0.755 and not
    to the 0.754 its binary expansion would give.
    """
    quantum = Decimal(1).scaleb(-rounding.digits)
    return Decimal(repr(value)).quantize(quantum, rounding=ROUNDINGS[rounding.mode].decimal)


def scorer(indicator: Indicator, scale: Scale) -> Callable[[Decimal | bool], float]:
    """The normalised score of a raw value, at full precision, on the framework's scale, as a function made once
    per indicator by its normalisation method (`readiness/methods/normalisation/`)."""
    return NORMALISATIONS[indicator.scoring.method].scorer(indicator, scale)


def thresholds_for(indicator: Indicator, tier: str | None, threat: str | None = None) -> tuple[str, dict[str, Decimal]]:
    """The thresholds that apply to a region of `tier` (its own tier's set, else the `all` set) and, when the
    indicator has a set for the region's `threat`, level by level the stricter of the two (a higher threat
    may raise a requirement, never lower it)."""
    if tier is not None and tier in indicator.thresholds:
        used, cuts = tier, indicator.thresholds[tier]
    elif ALL_TIERS in indicator.thresholds:
        used, cuts = ALL_TIERS, indicator.thresholds[ALL_TIERS]
    else:
        # checks report a missing tier (I004); score with the first set rather than not at all
        used = next(iter(indicator.thresholds))
        cuts = indicator.thresholds[used]
    if threat is None or threat not in indicator.thresholds:
        return used, cuts
    higher = indicator.direction == "higher"
    merged = dict(cuts)
    for level, cut in indicator.thresholds[threat].items():
        own = merged.get(level)
        merged[level] = cut if own is None else (max(own, cut) if higher else min(own, cut))
    return (f"{used}+{threat}", merged) if merged != cuts else (used, cuts)


def level_reached(higher: bool, value: Decimal | bool, ladder: list[tuple[str, Decimal]], lowest: str) -> str:
    """The highest level on `ladder` (the scored levels above `lowest`, ascending, with their cut-offs) whose
    cut-off the value reaches; `lowest` otherwise. Exact decimal comparison: a value on the cut-off reaches it."""
    number = Decimal(int(value)) if isinstance(value, bool) else value
    level = lowest
    for candidate, cutoff in ladder:
        if (number >= cutoff) if higher else (number <= cutoff):
            level = candidate
    return level
