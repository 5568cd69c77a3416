"""The weighted geometric mean, on the share of the scale each score reaches: a weakness is only partly made up
for, and a score at the bottom of the scale pulls the node to the bottom (as the HDI combines its dimensions)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from ..base import Aggregation, register

if TYPE_CHECKING:
    import numpy as np


@register
class Geometric(Aggregation):
    name = "geometric"

    def combine(self, parts: list[tuple[float, float]], low: float, high: float) -> float:
        total = sum([w for _, w in parts])
        fractions = [((s - low) / (high - low), w) for s, w in parts]
        if any(f <= 0 for f, _ in fractions):
            return low
        return low + (high - low) * math.prod(f ** (w / total) for f, w in fractions)

    def vector(self, values: np.ndarray, weights: np.ndarray, low: float, high: float) -> np.ndarray:
        import numpy as np

        mask = ~np.isnan(values)
        wm = np.where(mask, weights, 0.0)
        total = wm.sum(axis=1)
        fraction = (np.where(mask, values, 0.0) - low) / (high - low)
        zero = (mask & (fraction <= 0)).any(axis=1)
        logs = np.log(np.where(mask & (fraction > 0), fraction, 1.0))
        out = np.where(zero, low, low + (high - low) * np.exp((wm * logs).sum(axis=1) /
                                                              np.where(total > 0, total, 1.0)))
        return np.where(total > 0, out, np.nan)
