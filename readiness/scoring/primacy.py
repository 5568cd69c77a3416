"""Primacy: the state of each region read from both its results and the handover register.

After a round is scored, each assessed region (and each region the register names) gets a `HandoverState`:
who holds each function after the round's decisions; the handover in effect during the round and the level it
was handed over at; whether the region is at risk after handover (below that level, past one of the
decision's level triggers, or a text trigger the team recorded tripped); the conditions of the decisions in
force, overdue when their due date is before the round's cut-off and they are not met (with the evidence of
their status); the decisions taken on this round that go against its assessment; the mandate deadline that
applies and whether the region's projection meets it; and the UN police footprint the latest decision planned.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from ..model import CONDITIONS_CLOSED, NO_EVIDENCE, Decision
from ..register import WHOLE, Register, overall
from .results import HandoverState, RegionRound, Results

if TYPE_CHECKING:
    from ..project import Project


class Primacy:
    """Computes the handover state of every region of a round, once the round is scored and compared."""

    def __init__(self, project: Project, register: Register, order: dict[str, int]) -> None:
        assert project.framework is not None
        self.project = project
        self.fw = project.framework
        self.register = register
        self.order = order
        self.handover = order[self.fw.handover_level]
        partial = self.fw.partial_handover_level
        self.partial = order.get(partial, self.handover) if partial is not None else self.handover
        self.named = set(register.by_region)

    def round(self, results: Results, round_id: str) -> None:
        round_date = self.project.rounds[round_id].date
        for (rnd, region_id), result in results.regions.items():
            if rnd == round_id and (result.assessed or region_id in self.named):
                result.handover = self.state(results, result, round_date)

    def level_of(self, result: RegionRound, decision: Decision) -> str:
        """The level a decision is judged on: the region's for a whole-region decision; for a functional one, the
        lowest level of the functions it covers on their own criteria (a function without criteria of its own
        is judged on the region's level)."""
        if self.register.whole(decision) or not result.functions:
            return result.level
        levels = [
            found.level if (found := result.functions.get(f)) is not None else result.level
            for f in self.register.scope(decision)
        ]
        return min(levels, key=self.order.__getitem__) if levels else result.level

    def state(self, results: Results, result: RegionRound, round_date: date) -> HandoverState:
        """The region as at the round's cut-off: the decisions in effect then, and those taken on this round's
        assessment or effective before the next round's cut-off, which are reported as since the cut-off."""
        register, region_id, round_id = self.register, result.region, result.round
        held = register.holdings(region_id, round_id)
        primacies = [h.primacy for h in held.values()]
        applying = register.decisions(region_id, round_id)
        following = self._next_cutoff(round_id)
        everything = register.decisions(region_id)
        state = HandoverState(
            primacy=overall(primacies),
            functions={} if register.functions == [WHOLE] else {f: h.primacy for f, h in held.items()},
            decisions=[d.id for d in applying],
            taken=[d.id for d in everything if d.relied_on == round_id],
            since=[
                d.id
                for d in everything
                if d.effective_date > round_date and (following is None or d.effective_date <= following)
            ],
        )
        self._during(results, result, state)
        for decision in everything:
            if decision.relied_on == round_id:
                if decision.kind == "reversion":
                    state.reverted_by = decision.id
                level = self.level_of(result, decision)
                if self._against(decision, level):
                    state.against.append({"decision": decision.id, "kind": decision.kind, "level": level})
        in_force = register.in_force(region_id, round_id)
        for decision in in_force:
            for i, condition in enumerate(decision.conditions):
                recorded = condition.at(self.register.index, self.register.index[round_id])
                status = recorded.state if recorded is not None else "open"
                overdue = condition.due is not None and condition.due < round_date and status not in CONDITIONS_CLOSED
                state.conditions.append(
                    {
                        "decision": decision.id,
                        "index": i,
                        "status": status,
                        "due": None if condition.due is None else condition.due.isoformat(),
                        "overdue": overdue,
                        **(recorded.evidence() if recorded is not None else NO_EVIDENCE),
                    }
                )
        planned = [d.posture.footprint for d in applying if d.posture is not None and d.posture.footprint is not None]
        if planned:
            footprint = planned[-1]
            state.footprint = {
                "individual_officers": footprint.individual_officers,
                "formed_units": footprint.formed_units,
                "colocation_teams": footprint.colocation_teams,
            }
        state.deadline = self._deadline(result)
        return state

    def _next_cutoff(self, round_id: str) -> date | None:
        """The cut-off of the round after `round_id`, or None for the last round."""
        order = self.project.round_order
        at = order.index(round_id)
        return self.project.rounds[order[at + 1]].date if at + 1 < len(order) else None

    def _during(self, results: Results, result: RegionRound, state: HandoverState) -> None:
        """The handovers in effect during the round, and whether the region is at risk after them."""
        register, region_id, round_id = self.register, result.region, result.round
        held = register.holdings(region_id, round_id)
        whole = register.handed_over(region_id, round_id)
        handovers: list[Decision] = []
        for holding in held.values():
            d = holding.decision
            if holding.primacy == "host" and d is not None and d.kind == "handover" and d not in handovers:
                handovers.append(d)
        for decision in handovers:
            then = results.get(decision.relied_on, region_id)
            if then is None:
                continue
            if decision is whole:
                state.handed_over = {"decision": decision.id, "round": decision.relied_on, "level": then.level}
            now, before = self.level_of(result, decision), self.level_of(then, decision)
            if self.order[now] < self.order[before]:
                state.at_risk.append({"kind": "fell", "decision": decision.id, "from": before, "to": now})
            for i, trigger in enumerate(decision.triggers):
                said = trigger.status.get(round_id) if trigger.watched else None
                if said is not None and said.tripped:  # a text trigger the team recorded tripped at this round
                    state.at_risk.append(
                        {
                            "kind": "trigger",
                            "decision": decision.id,
                            "trigger": i,
                            "level_below": None,
                            "indicator": None,
                        }
                    )
                if trigger.level_below is None or trigger.level_below not in self.order:
                    continue
                if trigger.indicator is None:
                    level: str | None = now
                else:
                    found = result.indicators.get(trigger.indicator)
                    level = found.level if found is not None else None
                if level is not None and self.order[level] < self.order[trigger.level_below]:
                    state.at_risk.append(
                        {
                            "kind": "trigger",
                            "decision": decision.id,
                            "trigger": i,
                            "level_below": trigger.level_below,
                            "indicator": trigger.indicator,
                        }
                    )

    def _against(self, decision: Decision, level: str) -> bool:
        """Whether a decision goes against the level of the assessment it relied on (`level_of`): a handover of
        every function needs the handover level, a handover of some functions the partial handover level on
        their own criteria; a deferral or reversion goes against a level at or above the handover level."""
        at = self.order[level]
        if decision.kind == "handover":
            need = self.handover if self.register.whole(decision) else self.partial
            return at < need
        return at >= self.handover  # held back, or taken back, while ready

    def _deadline(self, result: RegionRound) -> dict[str, Any] | None:
        mandate = self.project.mandate
        if mandate is None or not result.assessed:
            return None
        applying = [d for d in mandate.deadlines if not d.regions or result.region in d.regions]
        if not applying:
            return None
        deadline = min(applying, key=lambda d: (d.date, d.id))
        projection = result.projection or {}
        projected = projection.get("projected_date")
        # a deadline lies ahead: the decisions known by the next round's cut-off count (a handover or a
        # reversion taken on this round's assessment), not only those in effect at this one's
        following = self._next_cutoff(result.round)
        held = (
            self.register.holdings(result.region, on=following) if following else self.register.holdings(result.region)
        )
        if all(h.primacy == "host" for h in held.values()):
            effective = max((h.decision.effective_date for h in held.values() if h.decision is not None), default=None)
            status = "handed-over" if effective is None or effective <= deadline.date else "late"
        elif self.order[result.level] >= self.handover:
            status = "ready"
        elif projection.get("status") == "converging" and projected is not None:
            status = "on-track" if date.fromisoformat(projected) <= deadline.date else "late"
        elif projection.get("status") == "score-reached":
            status = "held-back"
        elif projection.get("status") == "not converging":
            status = "off-track"
        else:
            status = "unknown"
        return {
            "deadline": deadline.id,
            "date": deadline.date.isoformat(),
            "status": status,
            "projected_date": projected,
        }
