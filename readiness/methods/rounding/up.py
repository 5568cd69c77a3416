"""Upwards: 72.41 is 72.5."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..base import Rounding, register

if TYPE_CHECKING:
    import numpy as np


@register
class Up(Rounding):
    name = "up"
    boundary = 0.0
    decimal = "ROUND_CEILING"

    def units(self, scaled: np.ndarray) -> np.ndarray:
        import numpy as np

        return np.ceil(scaled - 1e-7)
