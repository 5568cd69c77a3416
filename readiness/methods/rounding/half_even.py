"""Half-way values go to the even digit (banker's rounding): 72.45 is 72.4, 72.55 is 72.6."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..base import Rounding, register

if TYPE_CHECKING:
    import numpy as np


@register
class HalfEven(Rounding):
    name = "half-even"
    decimal = "ROUND_HALF_EVEN"

    def units(self, scaled: np.ndarray) -> np.ndarray:
        import numpy as np

        return np.round(scaled)
