"""What-if scenarios: the project as a scenario assumes it, and what changes in the results.

A scenario replaces some observations of one round (for example "vehicles funded in Lowa"). A changed value
keeps the observation's evidence; where there was none, the scenario counts as current evidence of the
indicator's expected source types, so that the question asked is "what if this were true and verified".
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from decimal import Decimal

from ..errors import UsageRefusal
from ..loading import Plain
from ..model import Evidence, Observation
from ..project import Project
from .results import Results


class ScenarioError(UsageRefusal):
    """A scenario that cannot be applied (for example to a region not assessed in that round)."""


def scenario_round(project: Project, name: str) -> str:
    scenario = project.scenarios[name]
    if scenario.round is not None:
        return scenario.round
    return project.round_order[-1]


def apply_scenario(project: Project, name: str) -> Project:
    """A copy of the project with the scenario's observations in place; the original is untouched."""
    scenario = project.scenarios[name]
    round_id = scenario_round(project, name)
    cutoff = project.rounds[round_id].date
    changed = copy.copy(project)
    changed.assessments = dict(project.assessments)
    fw = project.framework
    assert fw is not None
    for change in scenario.changes:
        key = (round_id, change.region)
        assessment = changed.assessments.get(key)
        if assessment is None:
            raise ScenarioError(f"scenario {name!r}: {change.region} has no assessment in round {round_id}")
        original = assessment.observations.get(change.indicator)
        if change.value is None:
            new = Observation.model_validate({"not_collected": change.not_collected})
        else:
            evidence = (
                list(original.evidence)
                if original is not None and original.evidence
                else [
                    Evidence(source=s, reference=f"scenario: {scenario.name}", date=cutoff)
                    for s in (
                        project.indicators[change.indicator].evidence.source_types
                        or [st.id for st in fw.source_types[:1]]
                    )
                ]
            )
            new = Observation.model_validate(
                {
                    "value": Plain(change.value),
                    "evidence": evidence,
                    "confidence": original.confidence if original else None,
                }
            )
        observations = dict(assessment.observations)
        observations[change.indicator] = new
        changed.assessments[key] = assessment.model_copy(update={"observations": observations})
    return changed


@dataclass
class ScenarioEffect:
    region: str
    level_before: str
    level_after: str
    score_before: Decimal | None
    score_after: Decimal | None
    cleared: list[str] = field(default_factory=list)
    """Gates that held the region back before and no longer do."""
    added: list[str] = field(default_factory=list)
    steps_before: int = 0
    steps_after: int = 0
    resolved: list[list[str]] = field(default_factory=list)
    """Steps on the path to handover that the scenario completes, as [kind, subject]."""


def compare(before: Results, after: Results, round_id: str) -> list[ScenarioEffect]:
    """Every region whose score, level or blockers differ under the scenario."""
    effects = []
    for (rnd, region), b in sorted(before.regions.items()):
        a = after.regions.get((rnd, region))
        if rnd != round_id or a is None:
            continue
        gates_before = {g.gate for g in b.gates if g.gate not in ("override", "roll_up")}
        gates_after = {g.gate for g in a.gates if g.gate not in ("override", "roll_up")}
        if (b.rounded, b.level, gates_before, len(b.path)) == (a.rounded, a.level, gates_after, len(a.path)):
            continue
        remaining = {(s.kind, s.subject) for s in a.path}
        effects.append(
            ScenarioEffect(
                region,
                b.level,
                a.level,
                b.rounded,
                a.rounded,
                sorted(gates_before - gates_after),
                sorted(gates_after - gates_before),
                len(b.path),
                len(a.path),
                [list(s.key) for s in b.path if s.key not in remaining],
            )
        )
    return effects
