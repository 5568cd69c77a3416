"""Override: a complete, unexpired leadership override sets the level, up or down, after every other gate.
The Monte Carlo does not sample it: it reports the computed level's robustness and says an override applies."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from typing_extensions import TypedDict

from ..results import GateEffect
from .base import Gate, GateContext, details


@details
class Details(TypedDict):
    approved_by: str
    expires: str
    """The day the override lapses (ISO 8601)."""
    computed_level: str
    """The level every other gate gave, which the override replaces."""
    rationale: str | None
    body: str | None
    """The joint body whose decision the override records, if any."""
    reference: str


class Override(Gate):
    key = "override"
    sampled = False
    caps = False
    Details = Details

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

    def brief(self, effect: GateEffect, tr: Any, labels: Mapping[str, str]) -> str:
        computed = effect.details.get("computed_level")
        return tr("tables.why.computed", level=labels.get(computed, computed)) if computed else ""

    def reason(self, effect: GateEffect, ex: Any) -> Any:
        d = effect.details
        text = ex.t(
            "reason.override",
            who=ex.text(d["approved_by"]),
            level=ex.level(d["computed_level"]),
            date=ex.tr.date(d["expires"]),
            rationale=ex.prose(d.get("rationale") or ""),
        )
        if d.get("body"):
            text = ex.join("; ", [text, ex.t("handover.override_body", body=ex.body_name(d["body"]))])
        return text
