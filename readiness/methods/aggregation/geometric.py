"""The weighted geometric mean, on the share of the scale each score reaches: a weakness is only partly made up
for, and a score at the bottom of the scale pulls the node to the bottom (as the HDI combines its dimensions)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..base import Aggregation, register

if TYPE_CHECKING:
    import numpy as np


@register
class Geometric(Aggregation):
    name = "geometric"

    def combine(self, parts: list[tuple[float, float]], low: float, high: float) -> float:
        total = 0.0
        for _, w in parts:
            total += w
        fractions = [((s - low) / (high - low), w) for s, w in parts]
        if any(f <= 0 for f, _ in fractions):
            return low
        product = 1.0
        for f, w in fractions:  # multiplied in order, as the vectorised form multiplies its columns
            product *= f ** (w / total)
        return low + (high - low) * product

    def vector(self, values: np.ndarray, weights: np.ndarray, low: float, high: float) -> np.ndarray:
        import numpy as np

        mask = ~np.isnan(values)
        wm = np.where(mask, weights, 0.0)
        total = np.zeros(values.shape[0])
        for c in range(values.shape[1]):
            total = total + wm[:, c]
        safe_total = np.where(total > 0, total, 1.0)
        fraction = (np.where(mask, values, 0.0) - low) / (high - low)
        zero = (mask & (fraction <= 0)).any(axis=1)
        product = np.ones(values.shape[0])
        for c in range(values.shape[1]):  # the same float operations as the engine's, column by column
            term = np.power(np.where(mask[:, c] & (fraction[:, c] > 0), fraction[:, c], 1.0), wm[:, c] / safe_total)
            product = product * np.where(mask[:, c], term, 1.0)
        out = np.where(zero, low, low + (high - low) * product)
        return np.where(total > 0, out, np.nan)
