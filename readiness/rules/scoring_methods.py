"""Scoring methods: how a raw value becomes a score (I002 goalposts, I005 the method's parameters).

Each normalisation method of readiness/methods/ checks its own parameters (`Normalisation.check`), naming the
rule each problem belongs to; these two rules report those of their own code, so a method added in one module
brings its checks with it.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..i18n import say
from ..methods import NORMALISATIONS
from .base import ERROR, Context, Problem, Rule, at


class Goalposts(Rule):
    """Goalposts (`method: goalposts`) whose `worst` equals `best`, so no value can be scored, or that point
    against the indicator's direction: `best` must be above `worst` for a higher-is-better indicator and below
    it for a lower-is-better one.

    Fails, in indicators/hr/HR-01.yaml (higher is better):

        scoring: {method: goalposts, worst: 100, best: 0}

    Passes, in indicators/hr/HR-01.yaml:

        scoring: {method: goalposts, worst: 0, best: 100}
    """

    code = "I002"
    name = "goalposts"
    severity = ERROR

    def check(self, ctx: Context) -> Iterator[Problem]:
        yield from _method_problems(ctx, self.code)


class ScoringMethod(Rule):
    """A scoring method whose parameters do not fit the indicator: goalposts without both ends or with a log
    transform of values not above zero, fewer than two bands, band values that do not rise or band scores
    against the direction, a rubric with fewer than two levels or for a unit other than `ordinal`, and a yes/no
    indicator scored otherwise than `yes-no` (or `yes-no` scoring of another unit).

    Fails, in indicators/lo/LO-02.yaml (unit yes-no):

        scoring: {method: goalposts, worst: 0, best: 1}

    Passes, in indicators/lo/LO-02.yaml:

        scoring: {method: yes-no}
    """

    code = "I005"
    name = "scoring-method"
    severity = ERROR

    def check(self, ctx: Context) -> Iterator[Problem]:
        yield from _method_problems(ctx, self.code)
        for ind in ctx.project.indicators.values():
            if ind.unit == "yes-no" and ind.scoring.method != "yes-no":
                yield at(
                    "indicator",
                    ind.id,
                    ("scoring", "method"),
                    say("rule.I005.yes_no", indicator=ind.id),
                )


def _method_problems(ctx: Context, code: str) -> Iterator[Problem]:
    """What each indicator's normalisation method finds wrong with its parameters, for the rule `code`."""
    for ind in ctx.project.indicators.values():
        for found in NORMALISATIONS[ind.scoring.method].check(ind):
            if found.code == code:
                yield at("indicator", ind.id, found.loc, found.message, found.hint, key_of=found.key_of)
