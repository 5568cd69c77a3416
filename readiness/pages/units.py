"""One view per unit (units.md): every assessed district and unit on one page, a card each, as leadership reads
it (the CPAS habit of one consolidated view): its level and how sure, who holds primary responsibility, the open
conditions and reversion triggers of its decisions, the next review and where it stands against the mandate
deadline, and the newest change. Every fact is the situation's (`readiness.situation`), as at the cut-off."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..model import Deadline, Round
from ..report import View
from ..situation import ConditionStanding, DecisionStanding, NewestChange, Standing, TriggerStanding
from .common import ordered_regions
from .handover import has_register


@dataclass(frozen=True)
class UnitCard:
    standing: Standing
    conditions: list[ConditionStanding]
    """The conditions that still wait (neither met nor waived), in force or since the cut-off."""
    triggers: list[TriggerStanding]
    """The reversion triggers of the handovers in force as at the cut-off, tripped or watched."""
    review: DecisionStanding | None
    """The decision whose review comes first (its `decision.review` is the next review date)."""
    review_overdue: bool
    """The review date is before the cut-off."""
    deadline: Deadline | None
    """The mandate deadline that applies (its status is `standing.deadline`)."""
    change: NewestChange
    first: Round | None
    """The first round that assessed it (for "unchanged since")."""

    @property
    def id(self) -> str:
        return self.standing.id

    @property
    def tripped(self) -> int:
        return sum(1 for t in self.triggers if t.tripped)

    @property
    def overdue(self) -> int:
        return sum(1 for c in self.conditions if c.overdue)

    @property
    def first_due(self) -> date | None:
        return min((c.due for c in self.conditions if c.due is not None), default=None)


@dataclass(frozen=True)
class UnitsPage:
    round: Round
    day: date
    """The date the situation is as at (the round's cut-off)."""
    cards: list[UnitCard]
    """Every assessed district and unit, in page order."""
    register: bool
    """The project keeps a handover register (primacy, conditions, reviews and deadlines are shown)."""


def applies(view: View) -> bool:
    """Whether the site has the page: the project keeps a register or declares the bodies that would decide
    (an index such as the HDI hands nothing over)."""
    return has_register(view) or bool(view.framework.bodies)


def build(view: View, lang: str | None = None, order: list[str] | None = None) -> UnitsPage:
    situation = view.situation
    order = order if order is not None else ordered_regions(view, lang)
    mandate = view.project.mandate
    deadlines = {d.id: d for d in (mandate.deadlines if mandate else [])}
    rounds = situation.assessed_rounds()
    cards = []
    for rid in order:
        s = situation.standings.get(rid)
        if s is None:
            continue
        review = s.review
        cards.append(
            UnitCard(
                s,
                situation.open_conditions(s),
                list(s.triggers),
                review,
                review is not None and review.decision.review is not None and review.decision.review < situation.day,
                deadlines.get(s.deadline["deadline"]) if s.deadline is not None else None,
                situation.newest_change(s),
                next((a.round for a in rounds if any(r.region == rid for r in a.results)), None),
            )
        )
    return UnitsPage(situation.round, situation.day, cards, has_register(view))
