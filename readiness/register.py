"""The handover register read in order: who holds primary responsibility, region by region and function by
function, on any day.

Decisions (`handover/decisions/*.yaml`) are taken by joint bodies on the strength of an assessment round
(`relied_on`) and take effect on a day (`effective`, by default the day decided). They apply in the order they
take effect, then of the day decided. A handover gives its functions to the host state (or the primacy it
names), a reversion takes them back (to joint responsibility unless it names another), a deferral records that a
handover waits and changes nothing. Before any decision every function is under the framework's
`initial_primacy`.

Every question is asked as at a day: who holds each function on 30 September is what the decisions in effect on
30 September say, whatever round they relied on. A round is read as at its cut-off: a decision taken on a
round's assessment takes effect after its cut-off, so it is not part of that round's state; it is reported as
taken *since the cut-off* (see `readiness.situation`).

This module reads the linked project only (no scores), so the check rules, the engine and the pages share it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Decision, DueDiligence, Footprint
    from .project import Project

#: The one scope of a framework that declares no functions: decisions cover whole regions.
WHOLE = "*"


@dataclass
class Holding:
    """Who holds one function of one region, and the decision that put it there (None: the initial state)."""

    primacy: str
    decision: Decision | None = None


class Register:
    """The decisions of a project, in the order they take effect, and the primacy they give on any day."""

    def __init__(self, project: Project) -> None:
        fw = project.framework
        self.project = project
        self.initial = fw.initial_primacy if fw is not None else "un"
        self.functions: list[str] = [f.id for f in fw.functions] if fw is not None and fw.functions else [WHOLE]
        self.round_ids = project.round_order
        self.index = {r: i for i, r in enumerate(self.round_ids)}
        self.by_region: dict[str, list[Decision]] = {}
        for decision in sorted(project.decisions.values(), key=self.sort_key):
            self.by_region.setdefault(decision.region, []).append(decision)

    @staticmethod
    def sort_key(decision: Decision) -> tuple[str, str, str]:
        """The order decisions take effect in: the day effective, then the day decided, then id."""
        return (decision.effective_date.isoformat(), decision.decided.isoformat(), decision.id)

    def day(self, round_id: str | None = None, on: date | None = None) -> date | None:
        """The day a question is asked as at: `on`, or the cut-off of `round_id` (None: after every decision)."""
        if on is not None:
            return on
        return self.project.rounds[round_id].date if round_id is not None else None

    def scope(self, decision: Decision) -> list[str]:
        """The functions a decision covers: those it names, or all of them."""
        if not decision.functions or self.functions == [WHOLE]:
            return list(self.functions)
        return [f for f in decision.functions if f in self.functions]

    def whole(self, decision: Decision) -> bool:
        """Whether a decision covers every function of its region."""
        return set(self.scope(decision)) == set(self.functions)

    def decisions(self, region: str, round_id: str | None = None, *, on: date | None = None) -> list[Decision]:
        """A region's decisions in effect as at a day (`on`, or the cut-off of `round_id`; neither: all of them),
        in the order they took effect."""
        found = self.by_region.get(region, [])
        day = self.day(round_id, on)
        return list(found) if day is None else [d for d in found if d.effective_date <= day]

    def holdings(self, region: str, round_id: str | None = None, *, on: date | None = None) -> dict[str, Holding]:
        """Who holds each function of a region as at a day (see `decisions`)."""
        held = {f: Holding(self.initial) for f in self.functions}
        for decision in self.decisions(region, round_id, on=on):
            after = decision.primacy_after
            if after is None:
                continue
            for function in self.scope(decision):
                held[function] = Holding(after, decision)
        return held

    def in_force(self, region: str, round_id: str | None = None, *, on: date | None = None) -> list[Decision]:
        """The decisions whose conditions still matter as at a day (every decision: after all of them): those
        that hold a function of the region, and a deferral that no later decision superseded."""
        applying = self.decisions(region, round_id, on=on)
        held = self.holdings(region, round_id, on=on)
        found = [d for d in applying if any(h.decision is d for h in held.values())]
        if applying and applying[-1].kind == "deferral":
            found.append(applying[-1])
        return found

    def superseded_by(self, decision: Decision, on: date | None = None) -> Decision | None:
        """The later decision that took every function `decision` gave (a reversion of a handover, another
        handover; a deferral is superseded by the next decision of its region), as at a day (None: ever)."""
        later = [
            d
            for d in self.by_region.get(decision.region, [])
            if self.sort_key(d) > self.sort_key(decision) and (on is None or d.effective_date <= on)
        ]
        if decision.kind == "deferral":
            return later[0] if later else None
        if decision.primacy_after is None:
            return None
        left = set(self.scope(decision))
        for d in later:
            if d.primacy_after is not None:
                left -= set(self.scope(d))
                if not left:
                    return d
        return None

    def handed_over(self, region: str, round_id: str | None = None, *, on: date | None = None) -> Decision | None:
        """The handover that put every function of a region under host primacy, if all of them still are as at a
        day: the latest decision among those that did (the region was handed over when the last of its functions
        was)."""
        held = self.holdings(region, round_id, on=on)
        if not all(h.primacy == "host" for h in held.values()):
            return None
        made = [h.decision for h in held.values() if h.decision is not None]
        if not made:
            return None  # a framework whose initial primacy is already the host's: nothing was handed over
        return max(made, key=self.sort_key)

    def reversion_without_handover(self, decision: Decision) -> list[str]:
        """The functions a reversion covers that were not under host primacy when it took effect."""
        if decision.kind != "reversion":
            return []
        held = {f: Holding(self.initial) for f in self.functions}
        for earlier in self.by_region.get(decision.region, []):
            if earlier is decision:
                break
            after = earlier.primacy_after
            if after is not None:
                for function in self.scope(earlier):
                    held[function] = Holding(after, earlier)
        return [f for f in self.scope(decision) if held[f].primacy != "host"]


def overall(primacies: list[str]) -> str:
    """One word for a region's functions: their common primacy, or `mixed`."""
    distinct = set(primacies)
    return primacies[0] if len(distinct) == 1 else "mixed"


@dataclass(frozen=True)
class Need:
    """The UN police presence one district or unit needs on a day, and where the figure comes from: the posture
    of its latest decision in effect that day that plans one, or else the presence the mandate calendar records
    for it (`presence:` in handover/mandate.yaml)."""

    region: str
    footprint: Footprint
    kind: str | None
    decision: Decision | None
    """None: the mandate's `presence` entry."""


#: The three kinds of UN police strength, as `Footprint` and a phase's `strength` count them.
FOOTPRINT = ("individual_officers", "formed_units", "colocation_teams")


def requirement(register: Register, day: date) -> list[Need]:
    """The whole UN police requirement on a day, region by region (in id order): for each district or unit, the
    posture of the latest decision in effect that day that plans a footprint; for the others, the presence the
    mandate records. What a drawdown phase's strength is checked against (rule H013, the register page)."""
    mandate = register.project.mandate
    presence = {p.region: p for p in (mandate.presence if mandate is not None else [])}
    out: list[Need] = []
    for region in sorted(set(register.by_region) | set(presence)):
        planned = [
            d
            for d in register.by_region.get(region, [])
            if d.effective_date <= day and d.posture is not None and d.posture.footprint is not None
        ]
        if planned:
            d = planned[-1]  # decisions are in the order they take effect
            assert d.posture is not None and d.posture.footprint is not None
            out.append(Need(region, d.posture.footprint, d.posture.kind, d))
        elif region in presence:
            p = presence[region]
            out.append(Need(region, p.footprint, p.kind, None))
    return out


def totals(needs: list[Need]) -> dict[str, int]:
    """The strength a list of needs adds up to, by kind of strength."""
    return {key: sum(getattr(n.footprint, key) for n in needs) for key in FOOTPRINT}


def diligence(project: Project, region: str, day: date) -> DueDiligence | None:
    """The mission's human rights due diligence record for a district or unit as at a day: the latest assessed on
    or before it (None: none yet). What the gap list's UN- and donor-funded inputs, the region page and rule H014
    read."""
    found = [r for r in project.hrddp.values() if r.region == region and r.assessed <= day]
    return max(found, key=lambda r: (r.assessed, r.id), default=None)
