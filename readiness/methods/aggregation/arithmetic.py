"""The weighted arithmetic mean: strengths make up for weaknesses in proportion to their weights."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..base import Aggregation, register

if TYPE_CHECKING:
    import numpy as np


@register
class Arithmetic(Aggregation):
    name = "arithmetic"

    def combine(self, parts: list[tuple[float, float]], low: float, high: float) -> float:
        total = weighted = 0.0
        for s, w in parts:  # added in order, as the vectorised form adds its columns
            weighted += s * w
            total += w
        return weighted / total

    def vector(self, values: np.ndarray, weights: np.ndarray, low: float, high: float) -> np.ndarray:
        import numpy as np

        mask = ~np.isnan(values)
        wm = np.where(mask, weights, 0.0)
        v0 = np.where(mask, values, 0.0)
        total = np.zeros(values.shape[0])
        weighted = np.zeros(values.shape[0])
        for c in range(values.shape[1]):  # column by column: the same float operations as the engine's
            weighted = weighted + v0[:, c] * wm[:, c]
            total = total + wm[:, c]
        return np.where(total > 0, weighted / np.where(total > 0, total, 1.0), np.nan)
