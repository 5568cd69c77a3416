"""Sign-off: levels from `applies_to` upwards are published only with the sign-off of every party listed, as
readiness/signoff.py defines it (the latest verification signature, concurring or with reservations; a
self-assessment signature does not count). A party that withheld its signature or dissents is not missing: its
position, reason and what would resolve it are in the details; one that signed the self-assessment only is
named as such. Sampling does not move it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from typing_extensions import TypedDict

from ...signoff import sign_off_status
from ..results import GateEffect
from .base import Gate, GateContext, Held, details


@details
class Position(TypedDict):
    """What a party that has not signed said instead (withheld, dissent, self-assessment-only)."""

    position: str
    reason: str
    resolution: str


@details
class Details(TypedDict):
    missing: list[str]
    """The parties whose signature is missing, in the framework's order."""
    applies_to: str
    positions: dict[str, Position]


class SignOff(Gate):
    key = "sign_off"
    sampled = False
    Details = Details

    def evaluate(self, ctx: GateContext) -> GateEffect | None:
        gate = self.settings(ctx.framework)
        if gate is None:
            return None
        status = sign_off_status(ctx.assessment, list(gate.parties))  # the one rule (readiness/signoff.py)
        if status.complete:
            return None
        positions: dict[str, dict[str, object]] = {
            party: {"position": s.position, "reason": s.reason, "resolution": s.resolution}
            for party, s in status.positions.items()
        }
        for party in status.self_only:
            positions[party] = {"position": "self-assessment-only", "reason": "", "resolution": ""}
        return GateEffect(
            self.key, gate.cap_at, {"missing": status.missing, "applies_to": gate.applies_to, "positions": positions}
        )

    def holding(self, details: Mapping[str, Any], rank: Mapping[str, int]) -> list[Held]:
        positions = details.get("positions", {})
        return [Held(p, None, positions.get(p)) for p in details.get("missing", [])]

    def brief(self, effect: GateEffect, tr: Any, labels: Mapping[str, str]) -> str:
        stated = effect.details.get("positions", {})
        return ", ".join(
            position(tr, party, stated[party]["position"]) if party in stated else tr("tables.why.missing", party=party)
            for party in effect.details.get("missing", [])
        )

    def reason(self, effect: GateEffect, ex: Any) -> Any:
        d, t = effect.details, ex.t
        positions = d.get("positions", {})
        parts = []
        unsigned = [ex.party_name(p) for p in d["missing"] if p not in positions]
        if unsigned:
            parts.append(t("reason.sign_off", level=ex.level(d["applies_to"]), items=ex.join(", ", unsigned)))
        stated = [ex.position(p, positions[p]) for p in d["missing"] if p in positions]
        if stated:
            parts.append(t("reason.sign_off_stated", level=ex.level(d["applies_to"]), items=ex.join("; ", stated)))
        return ex.join("; ", parts)


def position(tr: Any, party: str, stated: str) -> str:
    """A party and the position it stated (`ministry withheld`), in the table's language."""
    try:
        return str(tr(f"tables.why.positions.{stated}", party=party))
    except KeyError:
        return str(tr("tables.why.position", party=party, position=stated))
