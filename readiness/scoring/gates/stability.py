"""Stability: to reach `applies_to`, no fall in the overall score over the last `rounds` rounds (earlier rounds
without a score are skipped; a first round has nothing to fall from; a fall smaller than `tolerance` is not one;
with `critical_drop`, a critical indicator that lost a level since the previous round is one), and a score that
reached `applies_to` in `track_record` rounds in a row, the current one included. And its promotion: a region at the
handover level that held it for `rounds` earlier rounds is `sustained_level`."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from typing_extensions import TypedDict

from ..results import GateEffect, RegionRound
from .base import NO_LEVEL, Gate, GateContext, SampleContext, details

if TYPE_CHECKING:
    import numpy as np

    from ...model import StabilityGate


@details
class Fall(TypedDict):
    """The score fell, a critical indicator lost a level, or the track record is too short for `applies_to`."""

    kind: Literal["fall"]
    scores: list[str]
    """The rounded scores of the rounds looked at, oldest first, the current one last."""
    rounds: int
    falls: list[list[str]]
    """Each fall, as [before, after]."""
    applies_to: str
    tolerance: str
    critical_drops: dict[str, list[str]]
    """Each critical indicator that lost a level since the previous round, as [before, after]."""
    track_record: int
    in_a_row: int


@details
class HeldLevel(TypedDict):
    """The promotion: the region held the handover level long enough to be `sustained_level`."""

    kind: Literal["sustained"]
    rounds: list[str]
    applies_to: str
    handover: str | None
    """The decision the region was handed over by, when the level is only sustained after a handover."""


class Stability(Gate):
    key = "stability"
    Details = Fall | HeldLevel

    def evaluate(self, ctx: GateContext) -> GateEffect | None:
        gate = self.settings(ctx.framework)
        if gate is None or ctx.rounded is None:
            return None
        scores = [h.rounded for h in ctx.history if h.rounded is not None][-gate.rounds :] + [ctx.rounded]
        falls = [(a, b) for a, b in zip(scores, scores[1:], strict=False) if fell(a, b, gate.tolerance)]
        drops = critical_drops(ctx, gate)
        in_a_row = track(gate, ctx.order, ctx.history) + 1
        if not falls and not drops and in_a_row >= gate.track_record:
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
                "tolerance": str(gate.tolerance),
                "critical_drops": drops,
                "track_record": gate.track_record,
                "in_a_row": min(in_a_row, gate.track_record),
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
            fall = fall | ((last - ctx.units) > 0) & ((last - ctx.units) >= ctx.tolerance_units)
        if gate.critical_drop and ctx.previous_levels is not None:
            before = ctx.previous_levels
            known = (before != NO_LEVEL) & ctx.critical
            fall = fall | ((ctx.levels < before) & (ctx.levels != NO_LEVEL) & known).any(axis=1)
        return np.where(fall & ~np.isnan(ctx.units), np.minimum(level, ctx.order[gate.cap_at]), level)

    def reason(self, effect: GateEffect, ex: Any) -> Any:
        d, t = effect.details, ex.t
        if d.get("kind") == "sustained":
            if d.get("handover"):
                return t(
                    "handover.sustained_after",
                    level=ex.level(d["applies_to"]),
                    rounds=len(d["rounds"]) + 1,
                    decision=d["handover"],
                )
            return t("reason.sustained", level=ex.level(d["applies_to"]), rounds=len(d["rounds"]))
        falls = [
            t("reason.stability_fall", before=ex.number(Decimal(a), ex.digits), after=ex.number(Decimal(b), ex.digits))
            for a, b in d.get("falls", [])
        ]
        parts = []
        if falls:
            tolerance = Decimal(d.get("tolerance", "0"))
            parts.append(
                t(
                    "reason.stability_tolerance" if tolerance else "reason.stability",
                    level=ex.level(d["applies_to"]),
                    rounds=d["rounds"],
                    items=ex.join(", ", falls),
                    tolerance=ex.number(tolerance),
                )
            )
        drops = d.get("critical_drops", {})
        if drops:
            items = [
                t("reason.stability_drop", indicator=i, before=ex.level(a), after=ex.level(b))
                for i, (a, b) in drops.items()
            ]
            parts.append(t("reason.stability_drops", level=ex.level(d["applies_to"]), items=ex.join(", ", items)))
        if d.get("in_a_row", 1) < d.get("track_record", 1):
            parts.append(
                t(
                    "reason.stability_track",
                    level=ex.level(d["applies_to"]),
                    needed=d["track_record"],
                    count=d["in_a_row"],
                )
            )
        return ex.join("; ", parts)


def fell(before: Decimal, after: Decimal, tolerance: Decimal) -> bool:
    """Whether a rounded score fell from `before` to `after` by at least the tolerance (any fall with none)."""
    return after < before and before - after >= tolerance


def critical_drops(ctx: GateContext, gate: StabilityGate) -> dict[str, list[str]]:
    """With `critical_drop`: each critical indicator whose level fell since the previous round, with its level
    then and now."""
    if not gate.critical_drop or not ctx.history:
        return {}
    before = ctx.history[-1].indicators
    out = {}
    for ind_id, r in ctx.indicators.items():
        then = before.get(ind_id)
        if not r.critical or then is None or r.level is None or then.level is None:
            continue
        if ctx.order[r.level] < ctx.order[then.level]:
            out[ind_id] = [then.level, r.level]
    return out


def track(gate: StabilityGate, order: dict[str, int], history: list[RegionRound]) -> int:
    """How many rounds in a row, just before the current one, had a score reaching `applies_to`."""
    need = order[gate.applies_to]
    count = 0
    for h in reversed(history):
        if h.score_level is None or order[h.score_level] < need:
            break
        count += 1
    return count


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
