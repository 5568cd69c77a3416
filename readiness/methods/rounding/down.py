"""Towards zero: 72.49 is 72.4."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..base import Rounding, register

if TYPE_CHECKING:
    import numpy as np


@register
class Down(Rounding):
    name = "down"
    boundary = 0.0
    decimal = "ROUND_DOWN"

    def units(self, scaled: np.ndarray) -> np.ndarray:
        import numpy as np

        return np.floor(scaled + 1e-7)
