"""Evidence: enough current data (coverage of indicator weight) to reach `applies_to`, or the region is rated
`insufficient_level`; and enough kinds of source for its critical indicators. Sampling does not move it: it
counts which values exist and where they come from, not what they are."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Literal

from typing_extensions import TypedDict

from ..results import GateEffect
from .base import Gate, GateContext, Held, details


@details
class Insufficient(TypedDict):
    """Too little current data to rate the region at all."""

    kind: Literal["insufficient"]
    coverage: float
    """The share of indicator weight with current data, in per cent."""
    insufficient_below: str


@details
class Short(TypedDict):
    """Too little current data, or too few kinds of source for critical indicators, for `applies_to`."""

    kind: Literal["handover"]
    coverage: float
    min_coverage: str
    coverage_short: bool
    applies_to: str
    critical_source_types: int
    thin_sources: dict[str, int]
    """The critical indicators with too few kinds of source, with how many they have."""


class Evidence(Gate):
    key = "evidence"
    sampled = False
    Details = Insufficient | Short

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

    def holding(self, details: Mapping[str, Any], rank: Mapping[str, int]) -> list[Held]:
        whole = details.get("coverage_short") or details.get("kind") == "insufficient"
        return ([Held()] if whole else []) + [Held(i) for i in sorted(details.get("thin_sources", {}))]

    def brief(self, effect: GateEffect, tr: Any, labels: Mapping[str, str]) -> str:
        d = effect.details
        return tr("tables.why.coverage", coverage=f"{d['coverage']:.0f}") if "coverage" in d else ""

    def reason(self, effect: GateEffect, ex: Any) -> Any:
        d, t = effect.details, ex.t
        coverage = ex.number(d["coverage"], 1)
        if d.get("kind") == "insufficient":
            return t(
                "reason.evidence_insufficient", coverage=coverage, minimum=ex.number(Decimal(d["insufficient_below"]))
            )
        parts = []
        if d.get("coverage_short"):
            parts.append(
                t(
                    "reason.evidence_coverage",
                    coverage=coverage,
                    level=ex.level(d["applies_to"]),
                    minimum=ex.number(Decimal(d["min_coverage"])),
                )
            )
        thin = d.get("thin_sources", {})
        if thin:
            parts.append(
                t(
                    "reason.evidence_sources",
                    count=d["critical_source_types"],
                    items=", ".join(f"{i} ({n})" for i, n in thin.items()),
                )
            )
        return ex.join("; ", parts)
