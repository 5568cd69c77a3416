"""Pillar floor: to reach `applies_to`, every top-level pillar must score at least `floor`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..results import GateEffect
from .base import Gate, GateContext, SampleContext

if TYPE_CHECKING:
    import numpy as np


class PillarFloor(Gate):
    key = "pillar_floor"

    def evaluate(self, ctx: GateContext) -> GateEffect | None:
        gate = self.settings(ctx.framework)
        if gate is None:
            return None
        low = {
            p.pillar: (None if p.rounded is None else str(p.rounded))
            for p in ctx.pillars.values()
            if p.rounded is None or p.rounded < gate.floor
        }
        if not low:
            return None
        return GateEffect(
            self.key,
            gate.cap_at,
            {"floor": str(gate.floor), "pillars": dict(sorted(low.items())), "applies_to": gate.applies_to},
        )

    def vector(self, ctx: SampleContext, level: np.ndarray) -> np.ndarray:
        import numpy as np

        gate = self.settings(ctx.framework)
        if gate is None:
            return level
        floor_units = int(gate.floor * ctx.unit)
        fails = (np.isnan(ctx.node_units) | (ctx.node_units < floor_units)).any(axis=1)
        return np.where(fails, np.minimum(level, ctx.order[gate.cap_at]), level)
