"""Survey margins of error: a percentage read from a survey of `n` respondents is known only to within its
sampling error. At 95% confidence the margin is `1.96 × √(deff × p × (1 − p) / n)`, in percentage points, where
`p` is the value as a share, `n` the sample size and `deff` the design effect (how much clustering and weighting
widen the error against a simple random sample). The largest sample among the observation's survey evidence
gives the margin. Only percentages have one; a value of 0% or 100% is given the margin of one respondent in n
(the plain formula would claim certainty)."""

from __future__ import annotations

import math
from decimal import Decimal

from ..model import Indicator, Observation

Z95 = 1.96
#: Units whose values are percentages of respondents, and so have a sampling margin.
PERCENTAGES = ("percent",)


def survey_margin(ind: Indicator, obs: Observation, value: Decimal | bool) -> float | None:
    """The 95% margin of error of a survey percentage, in percentage points; None when there is no survey
    sample behind it or the unit is not a percentage."""
    if ind.unit not in PERCENTAGES or isinstance(value, bool):
        return None
    sampled = [ev for ev in obs.evidence if ev.sample_size]
    if not sampled:
        return None
    best = max(sampled, key=lambda ev: (ev.sample_size or 0) / float(ev.design_effect))
    n = best.sample_size or 1
    p = min(max(float(value) / 100.0, 1.0 / n), 1.0 - 1.0 / n) if n > 1 else 0.5
    return Z95 * math.sqrt(float(best.design_effect) * p * (1.0 - p) / n) * 100.0


def within_margin(value: Decimal, margin: float, ladder: list[tuple[str, Decimal]], level: str, higher: bool) -> bool:
    """Whether the value reaches the cut-off of its level by less than its margin (the level below is within
    the sampling error)."""
    cut = next((c for lv, c in ladder if lv == level), None)
    if cut is None:
        return False
    return abs(float(value) - float(cut)) < margin
