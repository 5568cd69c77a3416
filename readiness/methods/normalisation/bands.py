"""Bands: a table of values and the scores they earn, read between its points by straight lines (flat beyond
its ends). For counts and rates whose worth is not proportional (the first stations with radios matter most)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from ...fields import Model, Number
from ..base import Normalisation, ParameterProblem, register

if TYPE_CHECKING:
    import numpy as np

    from ...model import Indicator, Scale


class Band(Model):
    value: Number
    score: Number


class BandsScoring(Model):
    """`method: bands`: at least two (value, score) points, values rising."""

    method: Literal["bands"]
    bands: list[Band]


@register
class Bands(Normalisation):
    name = "bands"
    Params = BandsScoring

    def check(self, ind: Indicator) -> Iterator[ParameterProblem]:
        yield from super().check(ind)
        bands = ind.scoring.bands
        if len(bands) < 2:
            yield ParameterProblem(
                "I005", ("scoring",), f"{ind.id}: band scoring needs at least two bands (value and score)", key_of=True
            )
            return
        values = [b.value for b in bands]
        if not all(b > a for a, b in zip(values, values[1:], strict=False)):
            yield ParameterProblem(
                "I005",
                ("scoring", "bands"),
                f"{ind.id}: band values must rise strictly from first to last",
                "list the bands in increasing order of value",
            )
        scores = [b.score for b in bands]
        better_up = all(b >= a for a, b in zip(scores, scores[1:], strict=False))
        better_down = all(b <= a for a, b in zip(scores, scores[1:], strict=False))
        if (ind.direction == "higher" and not better_up) or (ind.direction == "lower" and not better_down):
            yield ParameterProblem(
                "I005",
                ("scoring", "bands"),
                f"{ind.id} is {ind.direction}-is-better, but its band scores do not follow that direction",
            )

    def scorer(self, ind: Indicator, scale: Scale) -> Callable[[Decimal | bool], float]:
        points = [(float(b.value), float(b.score)) for b in ind.scoring.bands]
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

    def vector(self, ind: Indicator, scale: Scale) -> Callable[[np.ndarray], np.ndarray]:
        import numpy as np

        xs = np.array([float(b.value) for b in ind.scoring.bands])
        ys = np.array([float(b.score) for b in ind.scoring.bands])

        def banded(v: np.ndarray) -> np.ndarray:
            # the segment each value falls in, then the engine's own formula (np.interp associates differently,
            # and a last-bit difference can tip a score over a rounding boundary)
            k = np.clip(np.searchsorted(xs, v, side="left"), 1, len(xs) - 1)
            x0, x1, y0, y1 = xs[k - 1], xs[k], ys[k - 1], ys[k]
            inside = y0 + (y1 - y0) * (v - x0) / (x1 - x0)
            out = np.where(v <= xs[0], ys[0], np.where(v > xs[-1], ys[-1], inside))
            return np.where(np.isnan(v), np.nan, out)

        return banded

    def span(self, ind: Indicator) -> float:
        bands = ind.scoring.bands
        return float(bands[-1].value) - float(bands[0].value) if bands else 0.0

    def describe(self, ind: Indicator) -> tuple[str, dict[str, Any]]:
        return "indicator.bands", {"items": [(b.value, b.score) for b in ind.scoring.bands]}
