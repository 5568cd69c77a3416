"""Half-way values go up: 72.45 to one digit is 72.5."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..base import Rounding, register

if TYPE_CHECKING:
    import numpy as np


@register
class HalfUp(Rounding):
    name = "half-up"
    decimal = "ROUND_HALF_UP"

    def units(self, scaled: np.ndarray) -> np.ndarray:
        import numpy as np

        return np.floor(scaled + 0.5 + 1e-7)
