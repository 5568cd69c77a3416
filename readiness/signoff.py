"""The one rule of the joint sign-off: who has signed in a way that counts.

An assessment is signed step by step (`sign_off:` in the assessment file). The **self-assessment** is the
district's own, signed by its command; the **verification** is the joint field team's, signed by each party. The
sign-off gate (`gates.sign_off`) publishes levels from `applies_to` upwards only when every party it lists has a
**verification** signature whose latest position is `concur` or `reservations`. A self-assessment signature is
recorded and shown, but counts for nothing: a party that signed only the self-assessment has not signed off, and
`readiness check` says so while the round is being collected (H012). A verification signature that `withheld`
or `dissent`s is a position, not a gap: it is shown with its reason and what would resolve it.

The gate, the collection progress, `close-round`, `check`, `explain` and the region page all read this module, so
they say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import CONCURRING, Assessment, SignOff

#: The step whose signatures count for the sign-off gate.
COUNTED_STEP = "verification"


@dataclass(frozen=True)
class SignOffStatus:
    """Where each required party stands on one assessment."""

    parties: list[str]
    """The parties the gate requires, in its order."""
    counted: list[str] = field(default_factory=list)
    """Those whose latest verification signature concurs (with or without reservations)."""
    positions: dict[str, SignOff] = field(default_factory=dict)
    """Those whose latest verification signature withholds or dissents: that signature."""
    self_only: list[str] = field(default_factory=list)
    """Those who signed the self-assessment and no verification: their signature does not count."""

    @property
    def missing(self) -> list[str]:
        """Every required party without a counted signature (a position, a self-assessment only, or nothing)."""
        return [p for p in self.parties if p not in self.counted]

    @property
    def unsigned(self) -> list[str]:
        """Required parties with no signature at all in the counted step (self-assessment only, or nothing)."""
        return [p for p in self.parties if p not in self.counted and p not in self.positions]

    @property
    def complete(self) -> bool:
        return not self.missing


def sign_off_status(assessment: Assessment, parties: list[str]) -> SignOffStatus:
    """Where each of `parties` stands on `assessment`'s sign-off (see the module's docstring)."""
    status = SignOffStatus(list(parties))
    for party in parties:
        counted = [s for s in assessment.sign_off if s.party == party and s.step == COUNTED_STEP]
        if counted:
            last = max(counted, key=lambda s: s.date)
            if last.position in CONCURRING:
                status.counted.append(party)
            else:
                status.positions[party] = last
        elif any(s.party == party for s in assessment.sign_off):
            status.self_only.append(party)
    return status
