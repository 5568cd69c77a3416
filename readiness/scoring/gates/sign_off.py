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
        names = {p.id: p.name for p in ctx.framework.parties}
        return GateEffect(self.key, gate.cap_at,
                          f"{gate.applies_to} is published only with joint sign-off; missing: "
                          + ", ".join(names.get(p, p) for p in missing),
                          {"missing": missing, "applies_to": gate.applies_to})
