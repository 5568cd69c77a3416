"""Yes/no: the scale's maximum for yes (true), its minimum for no (false). For a law in force, a body that met."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from ...fields import Model
from ..base import Normalisation, ParameterProblem, register

if TYPE_CHECKING:
    import numpy as np

    from ...model import Indicator, Scale


class YesNoScoring(Model):
    """`method: yes-no`: no parameters."""

    method: Literal["yes-no"]


@register
class YesNo(Normalisation):
    name = "yes-no"
    Params = YesNoScoring
    units = ("yes-no",)

    def check(self, ind: Indicator) -> Iterator[ParameterProblem]:
        if ind.unit != "yes-no":
            yield ParameterProblem("I005", ("unit",), f"{ind.id}: yes-no scoring needs unit `yes-no`, not {ind.unit!r}")

    def scorer(self, ind: Indicator, scale: Scale) -> Callable[[Decimal | bool], float]:
        low, high = float(scale.min), float(scale.max)
        return lambda value: high if value is True else low

    def vector(self, ind: Indicator, scale: Scale) -> Callable[[np.ndarray], np.ndarray]:
        import numpy as np

        low, high = float(scale.min), float(scale.max)
        return lambda v: np.where(np.isnan(v), np.nan, np.where(v >= 0.5, high, low))
