"""Stability: to reach `applies_to`, no fall in the overall score over the last `rounds` rounds (earlier rounds
without a score are skipped; a first round has nothing to fall from). And its promotion: a region at the
handover level that held it for `rounds` earlier rounds is `sustained_level`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..results import GateEffect, RegionRound
from .base import Gate, GateContext, SampleContext

if TYPE_CHECKING:
    import numpy as np

    from ...model import StabilityGate


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


def held(
    gate: StabilityGate,
    order: dict[str, int],
    history: list[RegionRound],
    handover: str | None,
    since_handover: list[RegionRound],
) -> list[RegionRound] | None:
    """The earlier rounds that, with the current one at `applies_to`, make a region sustained; None when they
    do not. After a handover (the default): every round since the handover, at least `rounds` of them counting
    the current one. Without (`after_handover: false`): the `rounds` rounds before the current one."""
    if gate.after_handover:
        if handover is None:
            return None
        recent = since_handover
        if len(recent) + 1 < gate.rounds:
            return None
    else:
        recent = history[-gate.rounds :]
        if len(recent) < gate.rounds:
            return None
    need = order[gate.applies_to]
    if any(order[h.computed_level] < need for h in recent):
        return None
    return recent


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
        recent = held(gate, ctx.order, ctx.history, ctx.handover, ctx.since_handover)
        if recent is None:
            return None
        return GateEffect(
            self.key,
            gate.sustained_level,
            {
                "kind": "sustained",
                "rounds": [h.round for h in recent],
                "applies_to": gate.applies_to,
                "handover": ctx.handover if gate.after_handover else None,
            },
        )

    def vector(self, ctx: SampleContext, level: np.ndarray) -> np.ndarray:
        import numpy as np

        gate = self.settings(ctx.framework)
        if gate is None or not ctx.sustained_ok or gate.sustained_level is None:
            return level
        promote = (level >= ctx.order[gate.applies_to]) & (level < ctx.order[gate.sustained_level])
        return np.where(promote, ctx.order[gate.sustained_level], level)
