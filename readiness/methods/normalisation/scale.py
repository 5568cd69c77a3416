"""Scale: the value is already a score on the framework's scale (an index computed elsewhere), kept within it."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from ...fields import Model
from ..base import Normalisation, register

if TYPE_CHECKING:
    import numpy as np

    from ...model import Indicator, Scale


class ScaleScoring(Model):
    """`method: scale`: no parameters."""

    method: Literal["scale"]


@register
class OnScale(Normalisation):
    name = "scale"
    Params = ScaleScoring

    def scorer(self, ind: Indicator, scale: Scale) -> Callable[[Decimal | bool], float]:
        low, high = float(scale.min), float(scale.max)
        return lambda value: min(high, max(low, float(value)))

    def vector(self, ind: Indicator, scale: Scale) -> Callable[[np.ndarray], np.ndarray]:
        import numpy as np

        return lambda v: np.clip(v, float(scale.min), float(scale.max))
