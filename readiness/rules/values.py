"""Observed values, typed by their indicator's unit: the type (O001) and the range (O002).

`model.read_value` reads a value as its unit says and names the rule a misfit breaks; both rules share one
reading per run, of every observation and of every scenario change that gives a value.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..loading import Plain
from ..model import Observation, ValueProblem, read_value
from .base import ERROR, Context, Problem, Rule, at


def value_problems(ctx: Context) -> list[tuple[ValueProblem, Problem]]:
    """Every value that does not fit its indicator: (what read_value says, where)."""
    project, scale = ctx.project, ctx.framework.scale
    found = []
    for key, ind_id, obs, loc in ctx.observations():
        ind = project.indicators.get(ind_id)
        if ind is not None and obs.value is not None:
            try:
                read_value(ind, obs, scale)
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
    summary = "An observed value of the wrong type for the indicator's unit."
    fix = (
        "Write a value of the indicator's unit: a number unquoted and without its unit, a whole number for a "
        "count, `true` or `false` for yes/no."
    )

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
    summary = "An observed value outside the range of the indicator's unit."
    fix = "Correct the value, or check the indicator's unit (a percentage runs from 0 to 100)."

    def check(self, ctx: Context) -> Iterator[Problem]:
        yield from (where for problem, where in ctx.shared(value_problems) if problem.code == self.code)
