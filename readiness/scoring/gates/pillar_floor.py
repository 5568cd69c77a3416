"""Pillar floor: to reach `applies_to`, every top-level pillar must score at least `floor`."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from typing_extensions import TypedDict

from ..results import GateEffect
from .base import Gate, GateContext, Held, SampleContext, details

if TYPE_CHECKING:
    import numpy as np


@details
class Details(TypedDict):
    floor: str
    """The lowest score a top-level pillar may have (a decimal number written as text)."""
    pillars: dict[str, str | None]
    """The pillars below it, with their rounded score (null: no data)."""
    applies_to: str


class PillarFloor(Gate):
    key = "pillar_floor"
    Details = Details

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

    def holding(self, details: Mapping[str, Any], rank: Mapping[str, int]) -> list[Held]:
        return [Held(p) for p in sorted(details.get("pillars", {}))]

    def brief(self, effect: GateEffect, tr: Any, labels: Mapping[str, str]) -> str:
        return ", ".join(effect.details.get("pillars", {}))

    def reason(self, effect: GateEffect, ex: Any) -> Any:
        d, t = effect.details, ex.t
        items = [
            t("reason.pillar_no_data", id=p)
            if s is None
            else t("reason.pillar_scores", id=p, score=ex.number(Decimal(s), ex.digits))
            for p, s in d.get("pillars", {}).items()
        ]
        return t(
            "reason.pillar_floor",
            level=ex.level(d["applies_to"]),
            floor=ex.number(Decimal(d["floor"])),
            items=ex.join("; ", items),
        )
