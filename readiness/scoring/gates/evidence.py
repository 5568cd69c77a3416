"""Evidence: enough current data (coverage of indicator weight) to reach `applies_to`, or the region is rated
`insufficient_level`; and enough kinds of source for its critical indicators. Sampling does not move it: it
counts which values exist and where they come from, not what they are."""

from __future__ import annotations

from decimal import Decimal

from ..results import GateEffect
from .base import Gate, GateContext


class Evidence(Gate):
    key = "evidence"
    sampled = False

    def evaluate(self, ctx: GateContext) -> GateEffect | None:
        gate = self.settings(ctx.framework)
        if gate is None:
            return None
        percent = Decimal(repr(round(ctx.coverage * 100, 6)))
        if percent < gate.insufficient_below:
            return GateEffect(
                self.key,
                gate.insufficient_level,
                {
                    "kind": "insufficient",
                    "coverage": float(percent),
                    "insufficient_below": str(gate.insufficient_below),
                },
            )
        thin = {
            r.indicator: len(r.source_types)
            for r in ctx.indicators.values()
            if r.critical and r.status == "value" and len(r.source_types) < gate.critical_source_types
        }
        if percent >= gate.min_coverage and not thin:
            return None
        return GateEffect(
            self.key,
            gate.cap_at,
            {
                "kind": "handover",
                "coverage": float(percent),
                "min_coverage": str(gate.min_coverage),
                "coverage_short": bool(percent < gate.min_coverage),
                "applies_to": gate.applies_to,
                "critical_source_types": gate.critical_source_types,
                "thin_sources": dict(sorted(thin.items())),
            },
        )
