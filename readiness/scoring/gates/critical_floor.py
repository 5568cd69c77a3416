"""Critical floor: a critical indicator below the handover level caps the region at that indicator's level (and,
if the framework says so, a critical indicator with no current value caps it at `missing_caps_at`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..results import GateEffect
from .base import NO_LEVEL, Gate, GateContext, SampleContext

if TYPE_CHECKING:
    import numpy as np


class CriticalFloor(Gate):
    key = "critical_floor"

    def evaluate(self, ctx: GateContext) -> GateEffect | None:
        gate = self.settings(ctx.framework)
        if gate is None:
            return None
        handover = ctx.order[ctx.framework.handover_level]
        below = {
            r.indicator: r.level
            for r in ctx.indicators.values()
            if r.critical and r.level is not None and ctx.order[r.level] < handover
        }
        allows = [lv for lv in below.values() if lv is not None]
        missing = [
            r.indicator
            for r in ctx.indicators.values()
            if r.critical and r.status in ("not-collected", "missing", "pending", "invalid")
        ]
        if missing and gate.missing_caps_at:
            allows.append(gate.missing_caps_at)
        if not allows:
            return None
        lowest = min(allows, key=ctx.order.__getitem__)
        return GateEffect(self.key, lowest, {"indicators": dict(sorted(below.items())), "missing": sorted(missing)})

    def vector(self, ctx: SampleContext, level: np.ndarray) -> np.ndarray:
        import numpy as np

        gate = self.settings(ctx.framework)
        if gate is None:
            return level
        handover = ctx.order[ctx.framework.handover_level]
        for k in np.flatnonzero(ctx.critical & ctx.applicable & ctx.observed):
            below = (ctx.levels[:, k] != NO_LEVEL) & (ctx.levels[:, k] < handover)
            level = np.where(below, np.minimum(level, ctx.levels[:, k]), level)
        if ctx.missing_critical:
            level = np.minimum(level, ctx.order[gate.missing_caps_at])
        return level
