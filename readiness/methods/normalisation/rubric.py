"""Rubric: an ordinal rating against a descriptor per level (1 to 5: "no standard registry" ... "registry used
daily and audited"), scored evenly from the lowest level to the highest."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from ...fields import Int, Model, Translated
from ..base import Normalisation, ParameterProblem, register

if TYPE_CHECKING:
    import numpy as np

    from ...model import Indicator, Scale


class RubricLevel(Model):
    level: Int
    descriptor: Translated


class RubricScoring(Model):
    """`method: rubric`: a descriptor for each level of the rating (at least two)."""

    method: Literal["rubric"]
    rubric: list[RubricLevel]


@register
class Rubric(Normalisation):
    name = "rubric"
    Params = RubricScoring
    units = ("ordinal",)

    def check(self, ind: Indicator) -> Iterator[ParameterProblem]:
        if len(ind.scoring.rubric) < 2:
            yield ParameterProblem(
                "I005", ("scoring",), f"{ind.id}: a rubric needs a descriptor for at least two levels", key_of=True
            )
        yield from super().check(ind)

    def _range(self, ind: Indicator) -> tuple[float, float]:
        levels = sorted(r.level for r in ind.scoring.rubric)
        return float(levels[0]), float(levels[-1] - levels[0])

    def scorer(self, ind: Indicator, scale: Scale) -> Callable[[Decimal | bool], float]:
        low, span = float(scale.min), float(scale.max) - float(scale.min)
        first, steps = self._range(ind)
        return lambda value: low + span * min(1.0, max(0.0, (float(value) - first) / steps))

    def vector(self, ind: Indicator, scale: Scale) -> Callable[[np.ndarray], np.ndarray]:
        import numpy as np

        low, width = float(scale.min), float(scale.max) - float(scale.min)
        first, steps = self._range(ind)
        return lambda v: low + width * np.clip((v - first) / steps, 0.0, 1.0)

    def span(self, ind: Indicator) -> float:
        return self._range(ind)[1]

    def describe(self, ind: Indicator) -> tuple[str, dict[str, Any]]:
        return "indicator.rubric", {"items": [(r.level, r.descriptor) for r in ind.scoring.rubric]}
