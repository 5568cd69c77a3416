"""Observed values, typed by their indicator's unit: the type (O001) and the range (O002); and a value ten or a
hundred times the region's value of the round before (O007).

`model.read_value` reads a value as its unit says and names the rule a misfit breaks; both rules share one
reading per run, of every observation and of every scenario change that gives a value.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from ..i18n import say
from ..loading import Plain
from ..model import Observation, ValueProblem, read_value, slipped_by
from .base import ERROR, WARNING, Context, Problem, Rule, at


def value_problems(ctx: Context) -> list[tuple[ValueProblem, Problem]]:
    """Every value that does not fit its indicator: (what read_value says, where)."""
    project, scale = ctx.project, ctx.framework.scale
    found = []
    for key, ind_id, obs, loc in ctx.observations():
        ind = project.indicators.get(ind_id)
        if ind is not None and obs.value is not None:
            try:
                ctx.value(ind, obs)
            except ValueProblem as problem:
                found.append((problem, at(*key, loc + ("value",), problem.message, problem.hint)))
    for name, scenario in project.scenarios.items():
        for i, change in enumerate(scenario.changes):
            ind = project.indicators.get(change.indicator)
            if ind is None or change.value is None or change.not_collected is not None:
                continue  # (both or neither of value and not_collected is O004)
            try:
                read_value(ind, Observation.model_validate({"value": Plain(change.value)}), scale)
            except ValueProblem as problem:
                found.append((problem, at("scenario", name, ("changes", i, "value"), problem.message, problem.hint)))
    return found


class ValueType(Rule):
    """An observed value of the wrong type for its indicator's unit: a number in quotes, with its unit or a
    thousands separator, a decimal comma, a time where minutes are counted, a count that is not whole, or
    anything but `true` or `false` for a yes/no indicator.

    Fails, in assessments/2026-q3/north.yaml (HR-01 is a percentage):

        observations:
          HR-01:
            value: 85%

    Passes, in assessments/2026-q3/north.yaml:

        observations:
          HR-01:
            value: 85
    """

    code = "O001"
    name = "value-type"
    severity = ERROR

    def check(self, ctx: Context) -> Iterator[Problem]:
        yield from (where for problem, where in ctx.shared(value_problems) if problem.code == self.code)


class ValueRange(Rule):
    """An observed value outside the range of its indicator's unit: a percentage below 0 or above 100, a
    negative count or duration.

    Fails, in assessments/2026-q3/north.yaml (HR-01 is a percentage):

        observations:
          HR-01:
            value: 120

    Passes, in assessments/2026-q3/north.yaml:

        observations:
          HR-01:
            value: 100
    """

    code = "O002"
    name = "value-range"
    severity = ERROR

    def check(self, ctx: Context) -> Iterator[Problem]:
        yield from (where for problem, where in ctx.shared(value_problems) if problem.code == self.code)


class ValueMagnitude(Rule):
    """A value ten or a hundred times larger or smaller than the same region's value in the round before: most
    often a decimal point that slipped or a share written as a fraction (0.84 where the round before had 84). A
    round already sealed is not checked again. When the change is real, say so in the observation's note.

    Fails, in assessments/2026-q3/north.yaml (HR-01 was 72 in 2026-q1):

        observations:
          HR-01:
            value: 0.72

    Passes, in assessments/2026-q3/north.yaml:

        observations:
          HR-01:
            value: 72
    """

    code = "O007"
    name = "value-magnitude"
    severity = WARNING

    def check(self, ctx: Context) -> Iterator[Problem]:
        project = ctx.project
        for (round_id, region_id), assessment in sorted(project.assessments.items()):
            round_ = project.rounds.get(round_id)
            before_id = project.previous_round(round_id) if round_ is not None and not round_.sealed else None
            before = project.assessments.get((before_id, region_id)) if before_id else None
            if before is None:
                continue
            for ind_id, obs in assessment.observations.items():
                ind, old = project.indicators.get(ind_id), before.observations.get(ind_id)
                if ind is None or ind.unit == "yes-no" or old is None or obs.note is not None:
                    continue
                try:
                    value, previous = ctx.value(ind, obs), ctx.value(ind, old)
                except ValueProblem:
                    continue  # O001/O002 say what is wrong
                if not isinstance(value, Decimal) or not isinstance(previous, Decimal) or isinstance(value, bool):
                    continue
                factor = slipped_by(value, previous)
                if factor:
                    yield at(
                        "assessment",
                        f"{round_id}/{region_id}",
                        ("observations", ind_id, "value"),
                        say(
                            "rule.O007.larger" if abs(value) > abs(previous) else "rule.O007.smaller",
                            indicator=ind_id,
                            value=value,
                            round=round_id,
                            previous=previous,
                            before=before_id,
                            factor=factor,
                        ),
                        say("rule.O007.slipped_hint"),
                    )
