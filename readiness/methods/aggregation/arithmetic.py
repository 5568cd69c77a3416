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
        return sum([s * w for s, w in parts]) / sum([w for _, w in parts])

    def vector(self, values: np.ndarray, weights: np.ndarray, low: float, high: float) -> np.ndarray:
        import numpy as np

        mask = ~np.isnan(values)
        wm = np.where(mask, weights, 0.0)
        total = wm.sum(axis=1)
        out = (np.where(mask, values, 0.0) * wm).sum(axis=1) / np.where(total > 0, total, 1.0)
        return np.where(total > 0, out, np.nan)
