"""The minimum: a node is as strong as its weakest child, whatever the weights (no compensation at all)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..base import Aggregation, register

if TYPE_CHECKING:
    import numpy as np


@register
class Minimum(Aggregation):
    name = "minimum"

    def combine(self, parts: list[tuple[float, float]], low: float, high: float) -> float:
        return min(s for s, _ in parts)

    def vector(self, values: np.ndarray, weights: np.ndarray, low: float, high: float) -> np.ndarray:
        import numpy as np

        mask = ~np.isnan(values)
        total = np.where(mask, weights, 0.0).sum(axis=1)
        out = np.where(mask, values, np.inf).min(axis=1)
        return np.where(total > 0, out, np.nan)
