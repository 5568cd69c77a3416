"""Sign-off: levels from `applies_to` upwards are published only with the sign-off of every party listed, as
readiness/signoff.py defines it (the latest verification signature, concurring or with reservations; a
self-assessment signature does not count). A party that withheld its signature or dissents is not missing: its
position, reason and what would resolve it are in the details; one that signed the self-assessment only is
named as such. Sampling does not move it."""

from __future__ import annotations

from ...signoff import sign_off_status
from ..results import GateEffect
from .base import Gate, GateContext


class SignOff(Gate):
    key = "sign_off"
    sampled = False

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
