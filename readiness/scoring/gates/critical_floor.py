"""Critical floor: a critical indicator below the handover level caps the region at that indicator's level (and,
if the framework says so, a critical indicator with no current value caps it at `missing_caps_at`)."""

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
    indicators: dict[str, str]
    """The critical indicators below the handover level, with their level."""
    missing: list[str]
    """The critical indicators with no current value."""


class CriticalFloor(Gate):
    key = "critical_floor"
    Details = Details

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

    def holding(self, details: Mapping[str, Any], rank: Mapping[str, int]) -> list[Held]:
        below = sorted(details.get("indicators", {}).items(), key=lambda kv: (rank.get(kv[1], -1), kv[0]))
        return [Held(i, lv) for i, lv in below] + [Held(i, None, {"missing": True}) for i in details.get("missing", [])]

    def brief(self, effect: GateEffect, tr: Any, labels: Mapping[str, str]) -> str:
        d = effect.details
        return ", ".join(
            [*d.get("indicators", {}), *(tr("tables.why.no_value", indicator=i) for i in d.get("missing", []))]
        )

    def reason(self, effect: GateEffect, ex: Any) -> Any:
        below, t = effect.details.get("indicators", {}), ex.t

        def items(ids: list[str]) -> Any:
            return ex.join(
                "; ",
                [t("reason.critical_item", id=i, indicator=ex.indicator_ref(i), level=ex.level(below[i])) for i in ids],
            )

        own = [i for i in below if not ex.shared(i)]
        text = t("reason.critical_floor", items=items(own)) if own else None
        for partner in ex.fw.partners:  # a gap another institution shares, named apart
            theirs = [i for i in below if partner.id in ex.shared(i, names=False)]
            if theirs:
                extra = t("reason.critical_shared", partner=ex.text(partner.name), items=items(theirs))
                text = extra if text is None else ex.join("; ", [text, extra])
        missing = effect.details.get("missing", [])
        if missing:
            extra = t("reason.critical_missing", items=ex.indicator_list(missing))
            text = extra if text is None else ex.join("; ", [text, extra])
        return text
