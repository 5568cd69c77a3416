"""The ratio of two children: the first (as the pillar lists them) over the second, on the share of the scale each
reaches; weights play no part. The Gender Development Index is the women's HDI over the men's. The result may
exceed the top of the scale (a GDI above 1). A node with a ratio has exactly two children, both sub-pillars, and
no score unless both have one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..base import Aggregation, register

if TYPE_CHECKING:
    import numpy as np


@register
class Ratio(Aggregation):
    name = "ratio"
    ordered = True
    needs_all = True
    arity = 2

    def combine(self, parts: list[tuple[float, float]], low: float, high: float) -> float:
        (top, _), (bottom, _) = parts
        fraction = (bottom - low) / (high - low)
        if fraction <= 0:
            return low
        return low + (high - low) * ((top - low) / (high - low)) / fraction

    def vector(self, values: np.ndarray, weights: np.ndarray, low: float, high: float) -> np.ndarray:
        import numpy as np

        top, bottom = values[:, 0], values[:, 1]
        fraction = (bottom - low) / (high - low)
        safe = np.where(fraction > 0, fraction, 1.0)
        out = np.where(fraction > 0, low + (high - low) * ((top - low) / (high - low)) / safe, low)
        return np.where(np.isnan(top) | np.isnan(bottom), np.nan, out)
