"""Stability: to reach `applies_to`, no fall in the overall score over the last `rounds` rounds (earlier rounds
without a score are skipped; a first round has nothing to fall from). And its promotion: a region at the
handover level that held it for `rounds` earlier rounds is `sustained_level`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..results import GateEffect
from .base import Gate, GateContext, SampleContext

if TYPE_CHECKING:
    import numpy as np


class Stability(Gate):
    key = "stability"

    def evaluate(self, ctx: GateContext) -> GateEffect | None:
        gate = self.settings(ctx.framework)
        if gate is None or ctx.rounded is None:
            return None
        scores = [h.rounded for h in ctx.history if h.rounded is not None][-gate.rounds :] + [ctx.rounded]
        falls = [(a, b) for a, b in zip(scores, scores[1:], strict=False) if b < a]
        if not falls:
            return None
        return GateEffect(
            self.key,
            gate.cap_at,
            {
                "kind": "fall",
                "scores": [str(s) for s in scores],
                "rounds": gate.rounds,
                "falls": [[str(a), str(b)] for a, b in falls],
                "applies_to": gate.applies_to,
            },
        )

    def vector(self, ctx: SampleContext, level: np.ndarray) -> np.ndarray:
        import numpy as np

        gate = self.settings(ctx.framework)
        if gate is None:
            return level
        last = ctx.history_scores[-1] if ctx.history_scores else None
        fall = np.full(level.shape, ctx.history_falls)
        if last is not None:
            fall = fall | (ctx.units < last)
        return np.where(fall & ~np.isnan(ctx.units), np.minimum(level, ctx.order[gate.cap_at]), level)


class Sustained(Gate):
    """Not a cap but a promotion, applied after the caps."""

    key = "stability"

    def promote(self, ctx: GateContext, level: str) -> GateEffect | None:
        gate = self.settings(ctx.framework)
        if gate is None or gate.sustained_level is None:
            return None
        need = ctx.order[gate.applies_to]
        if ctx.order[level] < need or ctx.order[level] >= ctx.order[gate.sustained_level]:
            return None
        recent = ctx.history[-gate.rounds :]
        if len(recent) < gate.rounds or any(ctx.order[h.computed_level] < need for h in recent):
            return None
        return GateEffect(
            self.key,
            gate.sustained_level,
            {"kind": "sustained", "rounds": [h.round for h in recent], "applies_to": gate.applies_to},
        )

    def vector(self, ctx: SampleContext, level: np.ndarray) -> np.ndarray:
        import numpy as np

        gate = self.settings(ctx.framework)
        if gate is None or not ctx.sustained_ok or gate.sustained_level is None:
            return level
        promote = (level >= ctx.order[gate.applies_to]) & (level < ctx.order[gate.sustained_level])
        return np.where(promote, ctx.order[gate.sustained_level], level)
