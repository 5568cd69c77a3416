"""Prerequisites: indicators capped because what they require is not met; the gate bites when the caps lowered
the level the score gives (the caps themselves are applied indicator by indicator, in the engine)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from typing_extensions import TypedDict

from ..results import GateEffect
from .base import NO_LEVEL, Gate, GateContext, Held, SampleContext, details

if TYPE_CHECKING:
    import numpy as np


@details
class Details(TypedDict):
    capped: dict[str, list[str]]
    """Each indicator capped, with the prerequisites that cap it."""
    level_without_caps: str | None
    """The level the indicators' values would give without the caps."""


class Prerequisites(Gate):
    key = "prerequisites"
    Details = Details

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

    def holding(self, details: Mapping[str, Any], rank: Mapping[str, int]) -> list[Held]:
        return [Held(i) for i in sorted(details.get("capped", {}))]

    def brief(self, effect: GateEffect, tr: Any, labels: Mapping[str, str]) -> str:
        return ", ".join(effect.details.get("capped", {}))

    def reason(self, effect: GateEffect, ex: Any) -> Any:
        items = [
            ex.t("reason.prerequisites_item", id=i, indicator=ex.indicator_ref(i), by=ex.indicator_list(by))
            for i, by in effect.details.get("capped", {}).items()
        ]
        return ex.t("reason.prerequisites", items=ex.join("; ", items))
