"""Prerequisites: indicators capped because what they require is not met; the gate bites when the caps lowered
the level the score gives (the caps themselves are applied indicator by indicator, in the engine)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..results import GateEffect
from .base import NO_LEVEL, Gate, GateContext, SampleContext

if TYPE_CHECKING:
    import numpy as np


class Prerequisites(Gate):
    key = "prerequisites"

    def evaluate(self, ctx: GateContext) -> GateEffect | None:
        if self.settings(ctx.framework) is None:
            return None
        capped = {r.indicator: r.capped_by for r in ctx.indicators.values() if r.capped_by}
        if not capped or ctx.score_level is None:
            return None
        return GateEffect(
            self.key,
            ctx.score_level,
            {"capped": {k: v for k, v in sorted(capped.items())}, "level_without_caps": ctx.uncapped_level},
        )

    def vector(self, ctx: SampleContext, level: np.ndarray) -> np.ndarray:
        import numpy as np

        if self.settings(ctx.framework) is None:
            return level
        return np.where(ctx.score_level != NO_LEVEL, np.minimum(level, ctx.score_level), level)
