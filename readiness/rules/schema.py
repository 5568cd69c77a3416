"""The schema of each file kind: unknown keys, missing keys, values of the wrong type (S001-S003, raised in
validation.py). S003's check adds what the schema alone cannot see: a scale, a level's score or a percentage
of the framework outside its range, an indicator without thresholds."""

from __future__ import annotations

from collections.abc import Iterator

from ..i18n import say
from .base import ERROR, Context, Problem, Rule, at


class UnknownKey(Rule):
    """A key the schema does not know at that place, most often a typo; the hint names the closest key. Nothing
    unknown is ignored: a misspelt `weight` would otherwise leave the default weight in place, unnoticed.

    Fails, in indicators/hr/HR-01.yaml:

        weigth: 2

    Passes, in indicators/hr/HR-01.yaml:

        weight: 2
    """

    code = "S001"
    name = "unknown-key"
    severity = ERROR
    raised_in = "validation.py"


class MissingKey(Rule):
    """A key the file kind requires is missing (an indicator's `definition`, an evidence entry's `date`).

    Fails, as indicators/hr/HR-01.yaml:

        id: HR-01
        name: Posts filled
        pillar: HR
        unit: percent
        direction: higher
        scoring: {method: goalposts, worst: 0, best: 100}
        thresholds:
          all: {partially-ready: 60, ready: 80}

    Passes, as indicators/hr/HR-01.yaml:

        id: HR-01
        name: Posts filled
        definition: Share of authorised posts in the region filled by trained officers.
        pillar: HR
        unit: percent
        direction: higher
        scoring: {method: goalposts, worst: 0, best: 100}
        thresholds:
          all: {partially-ready: 60, ready: 80}
    """

    code = "S002"
    name = "missing-key"
    severity = ERROR
    raised_in = "validation.py"


class InvalidValue(Rule):
    """A value of the wrong type or outside what the schema allows: a number in quotes or with its unit, `yes`
    or `NO` where `true` or `false` is meant, a date not written `YYYY-MM-DD`, a word not among the choices.
    The check adds the framework's ranges: the scale's `min` below its `max`, each level's `min_score` inside
    the scale, the evidence gate's percentages from 0 to 100; and an indicator without thresholds.

    Fails, in indicators/hr/HR-01.yaml:

        direction: up

    Passes, in indicators/hr/HR-01.yaml:

        direction: higher

    Fails, in indicators/framework.yaml (levels need 50 and 70):

        scale: {min: 0, max: 10}
    """

    code = "S003"
    name = "invalid-value"
    severity = ERROR
    raised_in = "validation.py, project.py"

    def check(self, ctx: Context) -> Iterator[Problem]:
        fw = ctx.framework
        f = ("framework", "")
        if fw.scale.min >= fw.scale.max:
            yield at(*f, ("scale",), say("rule.S003.scale", min=fw.scale.min, max=fw.scale.max))
        for i, level in enumerate(fw.levels):
            if level.min_score is not None and not fw.scale.min <= level.min_score <= fw.scale.max:
                yield at(
                    *f,
                    ("levels", i, "min_score"),
                    say(
                        "rule.S003.min_score",
                        level=level.id,
                        score=level.min_score,
                        min=fw.scale.min,
                        max=fw.scale.max,
                    ),
                )
        if fw.gates.evidence is not None:
            for field in ("min_coverage", "insufficient_below"):
                value = getattr(fw.gates.evidence, field)
                if not 0 <= value <= 100:
                    yield at(
                        *f,
                        ("gates", "evidence", field),
                        say("rule.S003.percentage", field=field, value=value),
                        say("rule.S003.percentage_hint"),
                    )
        scored = [lv.id for lv in fw.levels if lv.min_score is not None]
        for ind in ctx.project.indicators.values():
            if not ind.thresholds:
                yield at(
                    "indicator",
                    ind.id,
                    ("thresholds",),
                    say("rule.S003.no_thresholds", indicator=ind.id),
                    say("rule.S003.no_thresholds_hint", levels=", ".join(scored[1:])),
                )
