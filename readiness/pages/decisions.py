"""The handover register (decisions.md): the national headline (who holds primary responsibility after the
latest round, by region and unit, by share of the population and by function), every decision newest first,
and the mandate calendar (deadlines with each region's projection, drawdown phases against the strength the
decisions plan, mandate periods)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..model import Decision, MandatePeriod, Phase, PrimacyBasis, Region
from ..register import FOOTPRINT, requirement, totals
from ..report import View
from ..situation import DecisionStanding
from .handover import DeadlineSummary, Headline, condition_items, decisions, headline, open_conditions


@dataclass(frozen=True)
class DecisionRow:
    decision: Decision
    region: Region
    against: dict[str, Any] | None
    """When the decision went against the assessment it relied on: `HandoverState.against`'s entry."""
    conditions: list[dict[str, Any]]
    """Where each of its conditions stood at the latest round (as `HandoverState.conditions`)."""
    open: int
    """Conditions neither met nor waived at the latest round."""
    overdue: int
    """Of those, the ones past their due date."""
    standing: DecisionStanding | None = None
    """The decision as the situation's date sees it (in effect, superseded and by what, since the cut-off)."""


@dataclass(frozen=True)
class PhaseRow:
    phase: Phase
    planned: dict[str, int] | None
    """The UN police strength the postures of the decisions in effect at the phase's start plan, summed over
    the regions and units they concern (for each, its latest decision that plans one); None when none does."""
    regions: int
    """How many regions and units those plans concern."""
    required: dict[str, int] | None = None
    """The whole requirement on the phase's first day (`register.requirement`): the decisions' postures and the
    presence the mandate records for the districts and units no decision plans for; None when nothing does."""
    presence: int = 0
    """How many districts and units count with their recorded presence (no decision plans for them)."""

    @property
    def short(self) -> list[str]:
        """The kinds of strength the phase keeps less of than the whole requirement (rule H013)."""
        if self.required is None:
            return []
        return [k for k in FOOTPRINT if self.required[k] > getattr(self.phase.strength, k)]


@dataclass(frozen=True)
class DecisionsPage:
    headline: Headline
    rows: list[DecisionRow]
    """Every decision published, newest first."""
    phases: list[PhaseRow]
    periods: list[MandatePeriod]
    left_out: int
    """Decisions a public edition leaves out (restricted, or on a restricted region)."""
    basis: PrimacyBasis | None = None
    """The agreement and the Government's request that joint or UN responsibility rests on before handover."""

    @property
    def deadlines(self) -> list[DeadlineSummary]:
        return self.headline.deadlines


def planned(view: View, phase: Phase) -> PhaseRow:
    """The strength the decisions in effect on the first day of a phase plan for it, and the whole requirement
    that day (the same `register.requirement` rule H013 reads), over the regions and units the view shows."""
    needs = [n for n in requirement(view.situation.register, phase.start) if n.region in view.regions]
    by_decision = [n for n in needs if n.decision is not None]
    return PhaseRow(
        phase,
        totals(by_decision) if by_decision else None,
        len(by_decision),
        totals(needs) if needs else None,
        len(needs) - len(by_decision),
    )


def build(
    view: View, lang: str | None = None, order: list[str] | None = None, known: Headline | None = None
) -> DecisionsPage:
    """The register page; `known` is the headline if the dashboard has already worked it out."""
    latest = view.latest
    rows = []
    for d in decisions(view):
        then = view.result(d.relied_on, d.region)
        against = next(
            (a for a in (then.handover.against if then and then.handover else []) if a["decision"] == d.id), None
        )
        now = view.result(latest.id, d.region)
        items = condition_items(view, now.handover if now else None, d, latest)
        waiting, overdue = open_conditions(items)
        standing = view.situation.standing(d.region)
        status = next((s for s in standing.decisions if s.decision.id == d.id), None) if standing else None
        rows.append(DecisionRow(d, view.regions[d.region], against, items, waiting, overdue, status))
    mandate = view.project.mandate
    return DecisionsPage(
        known or headline(view, lang, order),
        rows,
        [planned(view, p) for p in sorted(mandate.phases, key=lambda p: (p.start, p.id))] if mandate else [],
        sorted(mandate.periods, key=lambda p: (p.start, p.id)) if mandate else [],
        view.left_out.decisions,
        mandate.basis if mandate else None,
    )
