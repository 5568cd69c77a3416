"""The situation as at a date: the standing of every district and unit, computed once.

Mission leadership and a drafting office ask four questions of a round: is each district ready, what blocks it,
what changed, and what was decided and is at risk. Each page, document, export and console table used to work
the answers out on its own and they disagreed (a handover that took effect after the round's cut-off counted
as at the cut-off; a district handed back shown "at risk"; four "ready" counts on one screen). Here each answer
is worked out once, typed, and every reader reads it.

The date is the round's cut-off by default. Decisions are read by the day they take effect (`register.py`): a
decision taken on the round's assessment takes effect after its cut-off, so it is not part of the figures as at
the cut-off; it is reported *since the cut-off*, with its date. A handover that a later decision took back is
*superseded* (and says by which), whenever that happened: its certificate is kept, marked so.

Vocabulary, defined once (the methodology page prints it): a level's name is only ever that level; a district or
unit is *handed over* when the host State police hold primary responsibility for every function, *in transition*
when for some, and under *UN or joint* responsibility otherwise; *robustness* is "the same level in N% of
samples" (one number, `share`); *blockers* are the items that hold a region below the handover level (the items
of each gate that caps it there, or the overall score when no gate does), counted the same everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

from .model import CONDITIONS_CLOSED
from .register import FOOTPRINT, WHOLE, Register, overall, requirement, totals
from .scoring.gates import GATES

if TYPE_CHECKING:
    from .model import Deadline, Decision, Footprint, Level, Phase, Region, Round, Trigger, TriggerStatus
    from .project import Project
    from .scoring.results import RegionRound, Results

#: The three answers to "who holds primary responsibility", in the order pages show them.
PRIMACY_ANSWERS = ("host", "transition", "un-joint")
#: The kinds of region, in the order pages count them.
KINDS = ("territorial", "functional", "national")
#: Deadline statuses that mean the region is projected to miss its deadline (or was handed over after it).
MISSES = ("late", "off-track")
#: Deadline statuses of a region on track for its deadline: ready, or projected to be ready by it. Any status
#: but these and `handed-over` is at risk: projected late, not progressing, held back by gates, not projected.
ON_TRACK = ("ready", "on-track")
#: The three words of the trend verdict.
VERDICTS = ("improving", "stable", "deteriorating")
#: How much the mean score of the districts and units assessed in both rounds must move, as a share of the
#: scale, for the verdict to say improving or deteriorating when as many levels rose as fell.
STABLE_BAND = 0.01
#: How complete a district's or unit's data is, by the share of indicator weight with current data (its
#: coverage), from the most complete; the bands are the evidence gate's (`min_coverage`, `insufficient_below`),
#: or these defaults without one.
COMPLETENESS = ("complete", "partial", "insufficient")
DEFAULT_COMPLETE = 0.9
DEFAULT_PARTIAL = 0.6


@dataclass(frozen=True)
class Blocker:
    """One thing that holds a region below the handover level: an item of a gate that caps it there (an
    indicator, a party, a pillar; None when the gate has no item, such as a fall in the score), or the overall
    score itself (`gate` "score", with the indicator whose step would lift it most)."""

    gate: str
    subject: str | None = None
    level: str | None = None
    """The indicator's level, where there is one."""
    detail: dict[str, Any] | None = None
    """What the gate says of the item (a party's position, a missing value)."""


@dataclass(frozen=True)
class DecisionStanding:
    """A decision of the register as the situation's date sees it."""

    decision: Decision
    in_effect: bool
    """In effect on the date (taken effect, and not superseded by then)."""
    since: bool
    """Takes effect after the date: reported as since the cut-off."""
    superseded_by: Decision | None
    """The later decision that took every function it gave (a reversion of a handover), whenever it did."""
    against: bool
    """Taken against the level of the assessment it relied on."""

    @property
    def superseded(self) -> bool:
        return self.superseded_by is not None

    @property
    def status(self) -> str:
        """`since` (takes effect after the date), `superseded`, `in-effect` or `ended` (superseded before the
        date)."""
        if self.since:
            return "since"
        if self.superseded_by is not None:
            return "superseded"
        return "in-effect" if self.in_effect else "ended"


@dataclass(frozen=True)
class ConditionStanding:
    decision: Decision
    index: int
    status: str
    """open, met, not-met or waived, as recorded at the round."""
    due: date | None
    overdue: bool


@dataclass(frozen=True)
class TriggerStanding:
    decision: Decision
    index: int
    trigger: Trigger
    tripped: bool
    """Past its threshold at the round (a level trigger), or recorded tripped by the team at the round (a text
    trigger, `status`)."""
    said: TriggerStatus | None = None
    """What the team recorded of a text trigger at the round: tripped or not, and the evidence (None: a level
    trigger, or a text trigger the team has not yet said anything of at this round, J006)."""


@dataclass(frozen=True)
class Standing:
    """One district or unit as at the situation's date: one answer to each of leadership's questions."""

    region: Region
    result: RegionRound
    """Its result in the situation's round."""
    share: float | None
    """The share of the Monte Carlo's samples that give its level (None when the analysis was not run)."""
    robust: bool | None
    blockers: list[Blocker]
    """What holds it below the handover level, the main blocker first (empty at or above it)."""
    primacy: str
    """host, joint, un, or mixed, as at the date."""
    functions: dict[str, str]
    """Primacy per function, as at the date (empty when the framework declares no functions)."""
    holders: dict[str, Decision | None]
    """The decision that put each function where it is as at the date (None: the initial primacy), by function
    id (`register.WHOLE` when the framework declares no functions)."""
    decisions: list[DecisionStanding]
    """Its decisions of the register, newest first."""
    conditions: list[ConditionStanding]
    """Conditions of the decisions in force as at the round's cut-off."""
    triggers: list[TriggerStanding]
    """Reversion triggers of the handovers in force as at the round's cut-off."""
    at_risk: list[dict[str, Any]]
    """Why it is at risk after handover as at the cut-off (it fell below the level it was handed over at, a
    trigger tripped); empty when a reversion took it back since."""
    deadline: dict[str, Any] | None

    @property
    def id(self) -> str:
        return self.region.id

    @property
    def level(self) -> str:
        return self.result.level

    @property
    def answer(self) -> str:
        """host, transition or un-joint: who holds primary responsibility, in the headline's words."""
        if self.primacy == "host":
            return "host"
        return "transition" if "host" in self.functions.values() else "un-joint"

    @property
    def main_blocker(self) -> Blocker | None:
        return self.blockers[0] if self.blockers else None

    @property
    def since(self) -> list[DecisionStanding]:
        """Its decisions that take effect after the date, oldest first."""
        return sorted((d for d in self.decisions if d.since), key=lambda d: Register.sort_key(d.decision))

    @property
    def in_effect(self) -> list[DecisionStanding]:
        return [d for d in self.decisions if d.in_effect]

    @property
    def reversion(self) -> DecisionStanding | None:
        """The reversion that took its handover back, on or before the date or since, if any (the latest)."""
        found = [d for d in self.decisions if d.decision.kind == "reversion" and not d.superseded]
        return found[0] if found else None

    @property
    def reverted(self) -> bool:
        return self.reversion is not None

    @property
    def previous_level(self) -> str | None:
        return self.result.previous_level

    @property
    def level_change(self) -> str | None:
        """up, down, same or None (no previous level)."""
        return self.result.level_change

    @property
    def review(self) -> DecisionStanding | None:
        """The decision whose review comes first, of those in effect or since the date (superseded ones
        aside): its `decision.review` is the next review date."""
        found = [
            d for d in self.decisions if (d.in_effect or d.since) and not d.superseded and d.decision.review is not None
        ]
        return min(found, key=lambda d: (d.decision.review, d.decision.id), default=None)

    @property
    def next_review(self) -> date | None:
        return self.review.decision.review if self.review is not None else None


@dataclass(frozen=True)
class NewestChange:
    """The newest thing that changed for a district or unit: a decision of the register (dated the day it takes
    effect, those since the cut-off included), or its level moving at a round (dated the round's cut-off),
    whichever is newer (a decision on the same day); `none` when neither ever happened."""

    kind: str
    """decision, level or none."""
    day: date | None = None
    decision: DecisionStanding | None = None
    round: Round | None = None
    """The round its level moved at."""
    before: str | None = None
    after: str | None = None
    up: bool | None = None
    """The level rose (False: it fell); None for a decision."""


@dataclass(frozen=True)
class TrendVerdict:
    """Improving, stable or deteriorating since the previous round, from the districts and units assessed in
    both: more levels rose than fell (improving), more fell (deteriorating); as many (none included), the mean
    change of their scores decides, beyond `STABLE_BAND` of the scale (else stable)."""

    verdict: str
    previous: Round
    compared: int
    """Assessed in both rounds."""
    rose: list[Standing]
    fell: list[Standing]
    score_change: Decimal | None
    """The mean change of the rounded score of those with a score in both rounds (None without any)."""
    new: list[Standing]
    """First assessed in this round (not compared)."""


@dataclass(frozen=True)
class AssessedRound:
    """A round up to the situation's, with the districts and units it assessed, and those that came in or
    left since the round before (so a table of rounds can say why its total changes)."""

    round: Round
    results: list[RegionRound]
    added: list[str]
    dropped: list[str]

    @property
    def total(self) -> int:
        return len(self.results)

    def counts(self) -> dict[str, int]:
        """How many at each level."""
        out: dict[str, int] = {}
        for r in self.results:
            out[r.level] = out.get(r.level, 0) + 1
        return out


@dataclass(frozen=True)
class MatrixCell:
    severity: int
    completeness: str
    standings: list[Standing]


@dataclass(frozen=True)
class AnswerCount:
    """The districts and units under one answer of "who holds primary responsibility"."""

    answer: str
    standings: list[Standing]
    population: int
    share: float | None
    """Their share of the population of the assessed regions that have one."""

    @property
    def regions(self) -> int:
        return len(self.standings)

    def by_kind(self, kinds: list[str]) -> dict[str, int]:
        return {k: sum(1 for s in self.standings if s.region.kind == k) for k in kinds}


@dataclass(frozen=True)
class DeadlineStanding:
    """The districts and units a deadline applies to (it is the earliest that names them), in three groups:
    handed over (by the decisions known, those since the cut-off included, even after the deadline), on track
    (ready, or projected to be ready by it), and at risk (every other: projected late, not progressing, held
    back by gates although the score has reached the handover level, or not projected)."""

    deadline: Deadline
    handed_over: list[Standing]
    on_track: list[Standing]
    at_risk: list[Standing]

    @property
    def total(self) -> int:
        return len(self.handed_over) + len(self.on_track) + len(self.at_risk)


@dataclass(frozen=True)
class UNPolice:
    """The UN police footprint the decisions in effect plan in the districts and units they hand over in whole or
    in part (each decision's `posture.footprint`), and the strength the drawdown phase of the date keeps."""

    officers: int
    formed_units: int
    colocation_teams: int
    standings: list[Standing]
    """Where the decisions in effect plan a footprint."""
    phase: Phase | None
    """The drawdown phase of the date, if the mandate calendar has one."""
    monitoring: list[Standing] = field(default_factory=list)
    """Where the posture in effect is monitoring and advice (`kind: monitor-advise`): UN police moved out of
    operations."""
    required: dict[str, int] | None = None
    """The whole requirement on the date (`register.requirement`: the postures in effect and, elsewhere, the
    presence the mandate records), over the districts and units shown; None when nothing records one."""

    @property
    def short(self) -> list[str]:
        """The kinds of strength the phase of the date keeps less of than the whole requirement."""
        if self.phase is None or self.required is None:
            return []
        return [k for k in FOOTPRINT if self.required[k] > getattr(self.phase.strength, k)]

    @property
    def strength(self) -> Footprint | None:
        return self.phase.strength if self.phase is not None else None


@dataclass(frozen=True)
class IndicatorSpread:
    """One indicator across the districts and units assessed: its values, lowest first, and those at or above the
    handover level on it (they meet its target)."""

    indicator: str
    values: list[tuple[Standing, Decimal]]
    reached: list[Standing]
    targets: list[Decimal]
    """The distinct targets (the handover level's cut-off) that apply, lowest first."""

    @property
    def lowest(self) -> tuple[Standing, Decimal] | None:
        return self.values[0] if self.values else None

    @property
    def highest(self) -> tuple[Standing, Decimal] | None:
        return self.values[-1] if self.values else None


class Situation:
    """Every assessed district and unit of a round as at a date (the round's cut-off by default), and the
    counts leadership reads, which add up."""

    def __init__(
        self,
        project: Project,
        results: Results,
        round_id: str,
        uncertainty: Any = None,
        day: date | None = None,
        regions: dict[str, Region] | None = None,
    ) -> None:
        assert project.framework is not None
        self.project = project
        self.results = results
        self.framework = project.framework
        self.round: Round = project.rounds[round_id]
        previous = project.previous_round(round_id)
        self.previous: Round | None = project.rounds[previous] if previous is not None else None
        self.day: date = day or self.round.date
        self.register = Register(project)
        self.rank = project.level_rank
        self.handover = self.rank[self.framework.handover_level]
        self.regions = regions if regions is not None else project.regions
        analysis = uncertainty if uncertainty is not None and getattr(uncertainty, "round", None) == round_id else None
        self.analysis = analysis
        self.standings: dict[str, Standing] = {}
        """Every assessed district and unit of the round (rolled-up regions are not counted)."""
        for rid in sorted(self.regions):
            r = results.get(round_id, rid)
            if r is not None and r.assessed:
                self.standings[rid] = self._standing(self.regions[rid], r)
        self._others: dict[str, Standing | None] = {}

    def standing(self, region_id: str) -> Standing | None:
        """The standing of any region with a result in the round: an assessed one (counted), or a rolled-up one
        (not counted: its parts are), worked out when first asked for."""
        if region_id in self.standings:
            return self.standings[region_id]
        if region_id not in self._others:
            r = self.results.get(self.round.id, region_id) if region_id in self.regions else None
            self._others[region_id] = self._standing(self.regions[region_id], r) if r is not None else None
        return self._others[region_id]

    # ---------------------------------------------------------------- one region

    def _standing(self, region: Region, r: RegionRound) -> Standing:
        u = self.analysis.regions.get(region.id) if self.analysis is not None and r.assessed else None
        held = self.register.holdings(region.id, on=self.day)
        functions = {} if self.register.functions == [WHOLE] else {f: h.primacy for f, h in held.items()}
        state = r.handover
        against = {a["decision"] for a in state.against} if state is not None else set()
        for rr in self.results.regions.values():  # a decision is against the round it relied on
            if rr.region == region.id and rr.handover is not None:
                against |= {a["decision"] for a in rr.handover.against}
        decisions = []
        for d in self.register.decisions(region.id):
            if d.relied_on not in self.project.rounds:
                continue
            by = self.register.superseded_by(d)
            since = d.effective_date > self.day
            in_effect = not since and (by is None or by.effective_date > self.day)
            decisions.append(DecisionStanding(d, in_effect, since, by, d.id in against))
        decisions.reverse()
        reverted_since = any(
            d.decision.kind == "reversion" and not d.superseded and d.decision.effective_date > self.round.date
            for d in decisions
        )
        conditions, triggers, at_risk, deadline = [], [], [], None
        if state is not None:
            by_id = {d.decision.id: d.decision for d in decisions}
            for c in state.conditions:
                decision = by_id.get(c["decision"])
                if decision is not None:
                    conditions.append(
                        ConditionStanding(
                            decision,
                            c["index"],
                            c["status"],
                            date.fromisoformat(c["due"]) if c["due"] else None,
                            c["overdue"],
                        )
                    )
            tripped = {(a["decision"], a["trigger"]) for a in state.at_risk if a["kind"] == "trigger"}
            for ds in decisions:
                if ds.decision.kind == "handover" and ds.decision.effective_date <= self.round.date:
                    for i, trigger in enumerate(ds.decision.triggers):
                        said = trigger.status.get(self.round.id) if trigger.watched else None
                        triggers.append(TriggerStanding(ds.decision, i, trigger, (ds.decision.id, i) in tripped, said))
            at_risk = [] if reverted_since else list(state.at_risk)
            deadline = state.deadline
        return Standing(
            region,
            r,
            u.share_same if u is not None else None,
            u.robust if u is not None else None,
            self.blockers(r),
            overall([h.primacy for h in held.values()]),
            functions,
            {f: h.decision for f, h in held.items()},
            decisions,
            conditions,
            triggers,
            at_risk,
            deadline,
        )

    def blockers(self, r: RegionRound) -> list[Blocker]:
        """What holds a region below the handover level: the items of every gate that caps it below, the gate
        that caps lowest first (its furthest-off item first); or, when no gate does, the overall score."""
        if self.rank[r.level] >= self.handover:
            return []
        found: list[Blocker] = []
        capping = [(GATES.get(g.gate), g) for g in r.gates if self.rank[g.allows] < self.handover]
        for gate, g in sorted(capping, key=lambda pair: self.rank[pair[1].allows]):
            if gate is not None and not gate.caps:
                continue
            items = (
                [Blocker(g.gate, h.subject, h.level, h.detail) for h in gate.holding(g.details, self.rank)]
                if gate
                else []
            )
            found += items or [Blocker(g.gate)]
        if not found:
            step = next((s for s in r.path if s.kind in ("raise", "lower")), None)
            found.append(Blocker("score", step.subject if step else None, r.score_level))
        return found

    def decision(self, decision: Decision) -> DecisionStanding | None:
        """A decision of the register as the situation's date sees it (None when its region has no result in the
        round)."""
        standing = self.standing(decision.region)
        if standing is None:
            return None
        return next((d for d in standing.decisions if d.decision.id == decision.id), None)

    def scope_after(self, decision: Decision) -> tuple[list[str], dict[str, str]]:
        """The functions a decision covers (empty when the framework declares none: it covers the whole region),
        and who holds each function of its region once it has taken effect (`register.WHOLE` for the whole
        region)."""
        held = self.register.holdings(decision.region, on=decision.effective_date)
        covered = [] if self.register.functions == [WHOLE] else self.register.scope(decision)
        return covered, {f: h.primacy for f, h in held.items()}

    # ---------------------------------------------------------------- the counts leadership reads

    @cached_property
    def ordered(self) -> list[Standing]:
        return list(self.standings.values())

    @property
    def total(self) -> int:
        return len(self.standings)

    def level_counts(self) -> list[tuple[Level, int]]:
        """Every level of the framework with how many districts and units stand at it: they add up to `total`."""
        return [(lv, sum(1 for s in self.ordered if s.level == lv.id)) for lv in self.framework.levels]

    def at_or_above_handover(self) -> list[Standing]:
        return [s for s in self.ordered if self.rank[s.level] >= self.handover]

    def below_handover(self) -> list[Standing]:
        return [s for s in self.ordered if self.rank[s.level] < self.handover]

    @cached_property
    def population(self) -> int:
        return sum(s.region.population or 0 for s in self.ordered)

    def answers(self) -> list[AnswerCount]:
        """Host-state primacy, in transition, UN or joint, as at the date: they add up to `total`."""
        out = []
        for answer in PRIMACY_ANSWERS:
            under = [s for s in self.ordered if s.answer == answer]
            people = sum(s.region.population or 0 for s in under)
            out.append(AnswerCount(answer, under, people, people / self.population if self.population else None))
        return out

    def answer(self, answer: str) -> AnswerCount:
        return next(a for a in self.answers() if a.answer == answer)

    def kinds(self) -> dict[str, int]:
        """How many of each kind of region, for the kinds the round has (in the order of `KINDS`)."""
        return {k: n for k in KINDS if (n := sum(1 for s in self.ordered if s.region.kind == k))}

    def since(self, until: date | None = None) -> list[tuple[Standing, DecisionStanding]]:
        """Every decision that takes effect after the date (up to `until`, when given), in the order they do."""
        found = [(s, d) for s in self.ordered for d in s.since if until is None or d.decision.effective_date <= until]
        return sorted(found, key=lambda pair: Register.sort_key(pair[1].decision))

    def period(self, start: date | None = None) -> list[tuple[Standing, DecisionStanding]]:
        """The decisions that took effect since the previous round's cut-off (or `start`, the cut-off of the
        previous report), up to the date, in order."""
        start = start or (self.previous.date if self.previous is not None else None)
        found = [
            (s, d)
            for s in self.ordered
            for d in s.decisions
            if d.decision.effective_date <= self.day and (start is None or d.decision.effective_date > start)
        ]
        return sorted(found, key=lambda pair: Register.sort_key(pair[1].decision))

    def at_risk(self) -> list[Standing]:
        """Handed over (wholly or in part) as at the cut-off and at risk since: below the level they were handed
        over at, or a trigger tripped; never those taken back since."""
        return [s for s in self.ordered if s.at_risk]

    def reverted(self) -> list[Standing]:
        return [s for s in self.ordered if s.reverted]

    def level_changes(self) -> list[Standing]:
        """Districts and units whose level moved since the previous round, falls first."""
        moved = [s for s in self.ordered if s.previous_level is not None and s.level_change in ("up", "down")]
        return sorted(moved, key=lambda s: (s.level_change == "up", s.id))

    def changes_since(self, round_id: str) -> list[tuple[Standing, str]]:
        """Districts and units whose level moved since an earlier round (the one a previous report rested on, not
        always the previous round), with their level then, falls first."""
        moved = []
        for s in self.ordered:
            then = self.results.get(round_id, s.id)
            if then is not None and then.assessed and then.level != s.level:
                moved.append((s, then.level))
        return sorted(moved, key=lambda pair: (self.rank[pair[0].level] > self.rank[pair[1]], pair[0].id))

    def first_assessed_since(self, round_id: str) -> list[Standing]:
        """Districts and units assessed now that an earlier round did not assess."""
        return [s for s in self.ordered if (then := self.results.get(round_id, s.id)) is None or not then.assessed]

    def deadlines(self) -> list[DeadlineStanding]:
        """Each deadline of the mandate calendar, earliest first, with the districts and units it applies to in
        three groups: handed over, on track, at risk (every one held back by gates included)."""
        mandate = self.project.mandate
        out = []
        for deadline in sorted(mandate.deadlines if mandate else [], key=lambda d: (d.date, d.id)):
            applying = [s for s in self.ordered if s.deadline is not None and s.deadline["deadline"] == deadline.id]
            handed = [s for s in applying if s.deadline is not None and self._handed_over(s)]
            on_track = [s for s in applying if s not in handed and s.deadline and s.deadline["status"] in ON_TRACK]
            at_risk = [s for s in applying if s not in handed and s not in on_track]
            out.append(DeadlineStanding(deadline, handed, on_track, at_risk))
        return out

    def _handed_over(self, s: Standing) -> bool:
        """Whether the deadline status says the region is handed over: in time, or after the deadline (`late`,
        with every function under host primacy once the decisions known have taken effect)."""
        status = s.deadline["status"] if s.deadline is not None else None
        if status == "late":
            return all(h.primacy == "host" for h in self.register.holdings(s.id).values())
        return status == "handed-over"

    # ---------------------------------------------------------------- one view per unit

    def open_conditions(self, s: Standing) -> list[ConditionStanding]:
        """The conditions that still wait (neither met nor waived): of the decisions in force as at the cut-off,
        then of those that take effect since (as recorded at the round, open when not yet recorded), superseded
        ones aside."""
        found = [c for c in s.conditions if c.status not in CONDITIONS_CLOSED]
        order = self.project.round_order
        limit = order.index(self.round.id)
        for d in reversed(s.since):
            if d.superseded:
                continue
            for i, condition in enumerate(d.decision.conditions):
                recorded = condition.at({r: i for i, r in enumerate(order)}, limit)
                status = recorded.state if recorded is not None else "open"
                if status in CONDITIONS_CLOSED:
                    continue
                due = condition.due
                found.append(ConditionStanding(d.decision, i, status, due, due is not None and due < self.round.date))
        return found

    def newest_change(self, s: Standing) -> NewestChange:
        """The newest decision of a district or unit, or the newest move of its level, whichever is newer."""
        decided = max(s.decisions, key=lambda d: Register.sort_key(d.decision), default=None)
        moved: NewestChange | None = None
        order = self.project.round_order
        rounds = order[: order.index(self.round.id) + 1]
        levels = [(rid, r.level) for rid in rounds if (r := self.results.get(rid, s.id)) is not None and r.assessed]
        for (_, before), (rid, after) in zip(reversed(levels[:-1]), reversed(levels[1:]), strict=True):
            if before != after:
                rnd = self.project.rounds[rid]
                moved = NewestChange("level", rnd.date, None, rnd, before, after, self.rank[after] > self.rank[before])
                break
        if decided is not None and (moved is None or decided.decision.effective_date >= (moved.day or self.day)):
            return NewestChange("decision", decided.decision.effective_date, decided)
        return moved or NewestChange("none")

    def trend(self) -> TrendVerdict | None:
        """The verdict against the previous round (None in the first round)."""
        if self.previous is None:
            return None
        compared: list[tuple[Standing, RegionRound]] = []
        changes: list[Decimal] = []
        for s in self.ordered:
            then = self.results.get(self.previous.id, s.id)
            if then is None or not then.assessed:
                continue
            compared.append((s, then))
            if s.result.rounded is not None and then.rounded is not None:
                changes.append(s.result.rounded - then.rounded)
        rose = [s for s, then in compared if self.rank[s.level] > self.rank[then.level]]
        fell = [s for s, then in compared if self.rank[s.level] < self.rank[then.level]]
        mean = sum(changes, Decimal(0)) / len(changes) if changes else None
        if len(rose) != len(fell):
            verdict = "improving" if len(rose) > len(fell) else "deteriorating"
        else:
            scale = self.framework.scale
            band = (scale.max - scale.min) * Decimal(str(STABLE_BAND))
            verdict = "stable" if mean is None or abs(mean) <= band else "improving" if mean > 0 else "deteriorating"
        new = [s for s in self.ordered if all(s is not c for c, _ in compared)]
        return TrendVerdict(verdict, self.previous, len(compared), rose, fell, mean, new)

    def assessed_rounds(self) -> list[AssessedRound]:
        """Every round up to this one, with the districts and units it assessed (of this situation's regions)
        and those that came in or left since the round before."""
        order = self.project.round_order
        out: list[AssessedRound] = []
        before: set[str] = set()
        for rid in order[: order.index(self.round.id) + 1]:
            found = [r for region in sorted(self.regions) if (r := self.results.get(rid, region)) and r.assessed]
            ids = {r.region for r in found}
            added = sorted(ids - before) if out else []
            dropped = sorted(before - ids) if out else []
            out.append(AssessedRound(self.project.rounds[rid], found, added, dropped))
            before = ids
        return out

    def completeness_bands(self) -> tuple[float, float]:
        """The coverage (a share) from which data is complete, and from which it is partial."""
        gate = self.framework.gates.evidence
        if gate is not None and gate.enabled:
            return float(gate.min_coverage) / 100, float(gate.insufficient_below) / 100
        return DEFAULT_COMPLETE, DEFAULT_PARTIAL

    def completeness(self, s: Standing) -> str:
        complete, partial = self.completeness_bands()
        coverage = s.result.coverage
        return "complete" if coverage >= complete else "partial" if coverage >= partial else "insufficient"

    def severity(self, s: Standing) -> int:
        """How many levels below the handover level (0 at or above it)."""
        return max(self.handover - self.rank[s.level], 0)

    def matrix(self) -> list[list[MatrixCell]]:
        """Every district and unit once, by severity (rows, 0 first: at or above the handover level, then one
        level below, and so on to the lowest level) and completeness (columns, `COMPLETENESS`)."""
        return [
            [
                MatrixCell(
                    severity,
                    band,
                    [s for s in self.ordered if self.severity(s) == severity and self.completeness(s) == band],
                )
                for band in COMPLETENESS
            ]
            for severity in range(self.handover + 1)
        ]

    def un_police(self) -> UNPolice:
        """The UN police footprint the decisions in effect as at the date plan (for each district or unit, its
        latest decision in effect that plans one), where they moved to monitoring and advice, the whole
        requirement (`register.requirement`, as rule H013 and the register page read it), and the strength of the
        drawdown phase of the date."""
        by_id = {s.id: s for s in self.ordered}
        needs = [n for n in requirement(self.register, self.day) if n.region in by_id]
        planned = [n for n in needs if n.decision is not None]
        planned_totals = totals(planned)
        mandate = self.project.mandate
        phases = [p for p in (mandate.phases if mandate else []) if p.start <= self.day <= p.end]
        return UNPolice(
            planned_totals["individual_officers"],
            planned_totals["formed_units"],
            planned_totals["colocation_teams"],
            [by_id[n.region] for n in planned],
            min(phases, key=lambda p: (p.start, p.id), default=None),
            [by_id[n.region] for n in planned if n.kind == "monitor-advise"],
            totals(needs) if needs else None,
        )

    def women(self) -> IndicatorSpread | None:
        """Women among the host police's officers, district by district: the spread of the indicator the framework
        names (`host_police.women`), or None without one (the paragraph and the factsheet read this)."""
        return self.host_police_spread("women")

    def women_in_command(self) -> IndicatorSpread | None:
        """Women among the host police's command posts, district by district: the spread of the indicator the
        framework names (`host_police.women_in_command`), or None without one (the paragraph and the factsheet read
        this)."""
        return self.host_police_spread("women_in_command")

    def host_police_spread(self, which: Literal["women", "women_in_command"]) -> IndicatorSpread | None:
        """The spread of the indicator the framework's `host_police` names in `which`, or None when it names none
        or one that is not defined (`check` reports that: R002)."""
        host = self.project.framework.host_police if self.project.framework is not None else None
        found = getattr(host, which) if host is not None else None
        return self.spread(found) if found is not None and found in self.project.indicators else None

    def spread(self, indicator: str) -> IndicatorSpread:
        """One indicator's values across the districts and units assessed, and which meet its target."""
        values, reached, targets = [], [], set()
        for s in self.ordered:
            found = s.result.indicators.get(indicator)
            if found is None or found.status != "value" or found.raw is None or isinstance(found.raw, bool):
                continue
            values.append((s, found.raw))
            if found.target is not None:
                targets.add(found.target)
            if found.level in self.rank and self.rank[found.level] >= self.handover:
                reached.append(s)
        values.sort(key=lambda pair: (pair[1], pair[0].id))
        return IndicatorSpread(indicator, values, reached, sorted(targets))


def situation_of(
    project: Project, results: Results, round_id: str, uncertainty: Any = None, day: date | None = None
) -> Situation:
    """The situation of `round_id` as at `day` (its cut-off by default)."""
    return Situation(project, results, round_id, uncertainty, day)


__all__ = [
    "KINDS",
    "MISSES",
    "ON_TRACK",
    "PRIMACY_ANSWERS",
    "COMPLETENESS",
    "VERDICTS",
    "AnswerCount",
    "AssessedRound",
    "Blocker",
    "ConditionStanding",
    "DeadlineStanding",
    "DecisionStanding",
    "IndicatorSpread",
    "MatrixCell",
    "NewestChange",
    "Situation",
    "Standing",
    "TrendVerdict",
    "TriggerStanding",
    "UNPolice",
    "situation_of",
]
