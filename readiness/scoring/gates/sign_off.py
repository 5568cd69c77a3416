"""Sign-off: levels from `applies_to` upwards are published only with the sign-off of every party listed.
Sampling does not move it."""

from __future__ import annotations

from ..results import GateEffect
from .base import Gate, GateContext


class SignOff(Gate):
    key = "sign_off"
    sampled = False

    def evaluate(self, ctx: GateContext) -> GateEffect | None:
        gate = self.settings(ctx.framework)
        if gate is None:
            return None
        signed = {s.party for s in ctx.assessment.sign_off}
        missing = [p for p in gate.parties if p not in signed]
        if not missing:
            return None
        return GateEffect(self.key, gate.cap_at, {"missing": missing, "applies_to": gate.applies_to})
