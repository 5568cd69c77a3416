"""What several pages show of the handover register: who holds each function and by which decision, where each
condition stood at a round, which decisions apply, and the national headline of primacy (the dashboard and the
register page show the same figures).

Everything here reads the view's project (for a public view, the public one: restricted decisions are not in it)
and the results' `HandoverState`; nothing is formatted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..model import CONDITIONS_CLOSED, NO_EVIDENCE, Deadline, Decision, Function, Region, Round
from ..report import View
from ..scoring.results import HandoverState
from ..situation import PRIMACY_ANSWERS, AnswerCount, DecisionStanding, Standing
from .common import ordered_regions

#: The three answers of the national headline, in the order pages show them.
HEADLINES = PRIMACY_ANSWERS
#: Who may hold a function, in the order the per-function tables show them.
PRIMACIES = ("host", "joint", "un")


def has_register(view: View) -> bool:
    """Whether the site shows the handover register: the project has decisions or a mandate calendar (or, in a
    public edition, had decisions that were all left out, which the register page says)."""
    return bool(view.project.decisions) or view.project.mandate is not None or view.left_out.decisions > 0


def decisions(view: View) -> list[Decision]:
    """The decisions this view publishes (those on its regions, relied on one of its rounds), newest first:
    by the day decided, then the day effective, then id."""
    rounds = {r.id for r in view.rounds}
    return newest_first(
        [d for d in view.project.decisions.values() if d.region in view.regions and d.relied_on in rounds]
    )


def newest_first(found: list[Decision]) -> list[Decision]:
    """Decisions by the day decided, then the day effective, then id, the newest first."""
    return sorted(found, key=lambda d: (d.decided, d.effective_date, d.id), reverse=True)


def applying(view: View, state: HandoverState) -> list[Decision]:
    """The decisions of a region that apply after a round (the state's), in the register's order."""
    return [d for i in state.decisions if (d := view.project.decisions.get(i)) is not None]


def covers(decision: Decision, function: str | None) -> bool:
    """Whether a decision covers a function (`None`: a framework without functions, whole regions)."""
    return function is None or not decision.functions or function in decision.functions


def holders(view: View, state: HandoverState) -> dict[str | None, Decision | None]:
    """The decision that put each function where the state says it is (None: the initial primacy), by function
    id (a framework without functions: one entry, `None`)."""
    functions: list[str | None] = list(state.functions) if state.functions else [None]
    held: dict[str | None, Decision | None] = {f: None for f in functions}
    for decision in applying(view, state):
        if decision.primacy_after is None:
            continue
        for function in functions:
            if covers(decision, function):
                held[function] = decision
    return held


def condition_items(view: View, state: HandoverState | None, decision: Decision, round_: Round) -> list[dict[str, Any]]:
    """Where each condition of a decision stood at a round, as `HandoverState.conditions` writes it. The state
    holds the conditions of the decisions in force; a deferral's, or a superseded decision's, are read here the
    same way: the last state recorded at that round or before, overdue when due before the round's cut-off and
    neither met nor waived."""
    found = [i for i in (state.conditions if state is not None else []) if i["decision"] == decision.id]
    if found or not decision.conditions:
        return found
    index = {r.id: i for i, r in enumerate(view.rounds)}
    limit = index.get(round_.id, len(index))
    items = []
    for i, condition in enumerate(decision.conditions):
        recorded = condition.at(index, limit)
        status = recorded.state if recorded is not None else "open"
        due = condition.due
        items.append(
            {
                "decision": decision.id,
                "index": i,
                "status": status,
                "due": None if due is None else due.isoformat(),
                "overdue": due is not None and due < round_.date and status not in CONDITIONS_CLOSED,
                **(recorded.evidence() if recorded is not None else NO_EVIDENCE),
            }
        )
    return items


def open_conditions(items: list[dict[str, Any]]) -> tuple[int, int]:
    """How many conditions still wait (neither met nor waived), and how many of those are overdue."""
    waiting = [i for i in items if i["status"] not in CONDITIONS_CLOSED]
    return len(waiting), sum(1 for i in waiting if i["overdue"])


# ---------------------------------------------------------------- the national headline


@dataclass(frozen=True)
class FunctionCount:
    """For one policing function: how many assessed regions and units have it under each primacy."""

    function: Function
    counts: dict[str, int]
    """By primacy, in the order of `PRIMACIES`."""


@dataclass(frozen=True)
class DeadlineRegion:
    standing: Standing
    applies: bool
    """Whether this deadline is the one that applies to the region (the earliest of those naming it); when
    not, `standing.deadline` is the earlier one."""

    @property
    def region(self) -> Region:
        return self.standing.region


@dataclass(frozen=True)
class DeadlineSummary:
    deadline: Deadline
    regions: list[DeadlineRegion]
    """The assessed regions and units it names (every one when it names none), in page order."""
    missing: int
    """Of those it applies to, how many are at risk of missing it (`Situation.deadlines`: projected late, not
    progressing, held back by gates, or not projected), as the transition paragraph counts them."""
    total: int
    """How many it applies to."""


@dataclass(frozen=True)
class Headline:
    """Who holds primary responsibility, nationally, as at the latest round's cut-off (the situation's answers),
    and what was decided since."""

    round: Round
    total: int
    """Assessed regions and units of the round."""
    kinds: dict[str, int]
    """How many of each kind of region, for the kinds the round has (in the order of `KINDS`)."""
    counts: list[AnswerCount]
    """Host-state primacy, in transition, UN or joint, in that order: they add up to `total`."""
    population: int
    """The population of the assessed regions that have one."""
    without_population: int
    """Assessed regions and units without a population (national institutions, most functional units)."""
    functions: list[FunctionCount]
    """Each declared function (none when the framework declares none)."""
    at_risk: list[Standing]
    """Handed over (wholly or in part) as at the cut-off and at risk after it, not taken back since."""
    reverted: list[Standing]
    """Taken back by a reversion (in effect or since the cut-off)."""
    since: list[tuple[Standing, DecisionStanding]]
    """Decisions that take effect after the cut-off, in order."""
    deadlines: list[DeadlineSummary]

    def count(self, answer: str) -> AnswerCount:
        return next(c for c in self.counts if c.answer == answer)


def headline(view: View, lang: str | None = None, order: list[str] | None = None) -> Headline:
    """The national headline of the latest round, read from the view's situation (nothing is counted here)."""
    situation = view.situation
    order = order if order is not None else ordered_regions(view, lang)
    standings = [situation.standings[rid] for rid in order if rid in situation.standings]
    in_order = {s.id: i for i, s in enumerate(standings)}

    def ranked(found: list[Standing]) -> list[Standing]:
        return sorted(found, key=lambda s: in_order[s.id])

    functions = [
        FunctionCount(function, {p: sum(1 for s in standings if s.functions.get(function.id) == p) for p in PRIMACIES})
        for function in view.framework.functions
    ]
    summaries = []
    groups = {g.deadline.id: g for g in situation.deadlines()}  # handed over, on track, at risk: counted once
    mandate = view.project.mandate
    for deadline in sorted(mandate.deadlines if mandate else [], key=lambda d: (d.date, d.id)):
        rows = [
            DeadlineRegion(s, s.deadline is not None and s.deadline["deadline"] == deadline.id)
            for s in standings
            if not deadline.regions or s.id in deadline.regions
        ]
        applying_rows = [row for row in rows if row.applies]
        summaries.append(
            DeadlineSummary(
                deadline,
                rows,
                len(groups[deadline.id].at_risk) if deadline.id in groups else 0,
                len(applying_rows),
            )
        )
    return Headline(
        situation.round,
        situation.total,
        situation.kinds(),
        situation.answers(),
        situation.population,
        sum(1 for s in standings if not s.region.population),
        functions,
        ranked(situation.at_risk()),
        ranked(situation.reverted()),
        situation.since(),
        summaries,
    )
