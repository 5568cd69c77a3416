"""The handover register (decisions.md): the national headline (who holds primary responsibility after the
latest round, by region and unit, by share of the population and by function), every decision newest first,
and the mandate calendar (deadlines with each region's projection, drawdown phases against the strength the
decisions plan, mandate periods)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..model import Decision, MandatePeriod, Phase, Region
from ..report import View
from ..situation import DecisionStanding
from .handover import DeadlineSummary, Headline, condition_items, decisions, headline, open_conditions

FOOTPRINT = ("individual_officers", "formed_units", "colocation_teams")


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


@dataclass(frozen=True)
class DecisionsPage:
    headline: Headline
    rows: list[DecisionRow]
    """Every decision published, newest first."""
    phases: list[PhaseRow]
    periods: list[MandatePeriod]
    left_out: int
    """Decisions a public edition leaves out (restricted, or on a restricted region)."""

    @property
    def deadlines(self) -> list[DeadlineSummary]:
        return self.headline.deadlines


def planned(view: View, phase: Phase) -> PhaseRow:
    """The strength the decisions in effect on the first day of a phase plan for it."""
    latest: dict[str, Decision] = {}
    for d in decisions(view):
        if d.posture is None or d.posture.footprint is None or d.effective_date > phase.start:
            continue
        held = latest.get(d.region)
        if held is None or (d.effective_date, d.decided, d.id) > (held.effective_date, held.decided, held.id):
            latest[d.region] = d
    if not latest:
        return PhaseRow(phase, None, 0)
    totals = dict.fromkeys(FOOTPRINT, 0)
    for d in latest.values():
        footprint = d.posture.footprint  # type: ignore[union-attr]
        for key in FOOTPRINT:
            totals[key] += getattr(footprint, key)
    return PhaseRow(phase, totals, len(latest))


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
    )
