"""Override: a complete, unexpired leadership override sets the level, up or down, after every other gate.
The Monte Carlo does not sample it: it reports the computed level's robustness and says an override applies."""

from __future__ import annotations

from ..results import GateEffect
from .base import Gate, GateContext


class Override(Gate):
    key = "override"
    sampled = False

    def apply(self, ctx: GateContext, computed: str) -> GateEffect | None:
        if self.settings(ctx.framework) is None:
            return None
        o = ctx.assessment.override
        if (
            o is None
            or not (o.rationale and o.approved_by and o.expires)
            or o.expires < ctx.round_date
            or o.level not in ctx.order
        ):
            return None
        return GateEffect(
            self.key,
            o.level,
            {
                "approved_by": o.approved_by,
                "expires": o.expires.isoformat(),
                "computed_level": computed,
                "rationale": o.rationale,
                "body": o.body,
                "reference": o.reference,
            },
        )
