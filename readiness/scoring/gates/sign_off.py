"""Sign-off: levels from `applies_to` upwards are published only with the sign-off of every party listed: its
verification (not the self-assessment) with the position `concur` or `reservations`. A party that withheld its
signature or dissents is not missing: its position, reason and what would resolve it are in the details.
Sampling does not move it."""

from __future__ import annotations

from ...model import CONCURRING
from ..results import GateEffect
from .base import Gate, GateContext


class SignOff(Gate):
    key = "sign_off"
    sampled = False

    def evaluate(self, ctx: GateContext) -> GateEffect | None:
        gate = self.settings(ctx.framework)
        if gate is None:
            return None
        verification = [s for s in ctx.assessment.sign_off if s.step == "verification"]
        signed = {s.party for s in verification if s.position in CONCURRING}
        missing = [p for p in gate.parties if p not in signed]
        if not missing:
            return None
        positions = {}
        for party in missing:
            stated = [s for s in verification if s.party == party]
            if stated:
                last = max(stated, key=lambda s: s.date)
                positions[party] = {"position": last.position, "reason": last.reason, "resolution": last.resolution}
        return GateEffect(
            self.key, gate.cap_at, {"missing": missing, "applies_to": gate.applies_to, "positions": positions}
        )
