"""Observations: every indicator is listed in every assessment (O003), each with exactly one of a value and a
reason for having none (O004)."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from ..i18n import say, say_n
from .base import ERROR, Context, Problem, Rule, at


class MissingObservation(Rule):
    """An indicator missing from an assessment of a final round, without a `not_collected:` reason: missing is
    never read as zero, so each absence must say why. While a round is being collected, an indicator not listed
    yet is progress, not a finding; an indicator listed under a misspelt id is reported as unknown instead.

    Fails, as assessments/2026-q3/south.yaml:

        region: south
        round: 2026-q3
        observations:
          HR-01:
            value: 64
            evidence:
              - {source: ADM, reference: Personnel register, date: 2026-09-15}
          HR-02: {not_collected: The certification register was with the auditors.}
          LO-02: {not_collected: No station was visited this quarter.}
          LO-03: {not_collected: The station status report was not sent.}

    Passes, as assessments/2026-q3/south.yaml:

        region: south
        round: 2026-q3
        observations:
          HR-01:
            value: 64
            evidence:
              - {source: ADM, reference: Personnel register, date: 2026-09-15}
          HR-02: {not_collected: The certification register was with the auditors.}
          LO-01: {not_collected: The call register was not kept after the flood.}
          LO-02: {not_collected: No station was visited this quarter.}
          LO-03: {not_collected: The station status report was not sent.}
    """

    code = "O003"
    name = "missing-observation"
    severity = ERROR

    def check(self, ctx: Context) -> Iterator[Problem]:
        indicators = ctx.project.indicators
        for key, assessment in ctx.assessments():
            if ctx.collecting(assessment.round):
                continue
            meant = {
                m
                for given in assessment.observations
                if given not in indicators
                for m in difflib.get_close_matches(given, ctx.indicator_ids, n=1, cutoff=0.6)
            }
            missing = [i for i in ctx.indicator_ids if i not in assessment.observations and i not in meant]
            if missing:
                yield at(
                    *key,
                    ("observations",),
                    say_n("rule.O003.missing", len(missing), indicators=", ".join(missing)),
                    say("rule.O003.missing_hint"),
                    key_of=True,
                )


class ObservationShape(Rule):
    """An observation with both a value and a reason for having none (`not_collected`, `not_applicable`), or
    with neither (an empty observation is allowed while its round is being collected). A scenario's change
    likewise gives exactly one of `value` and `not_collected`.

    Fails, in assessments/2026-q3/north.yaml:

        observations:
          LO-03:
            value: 1
            not_collected: The station status report was late.

    Passes, in assessments/2026-q3/north.yaml:

        observations:
          LO-03:
            value: 1
            evidence:
              - {source: ADM, reference: Station status report, date: 2026-09-18}
    """

    code = "O004"
    name = "observation-shape"
    severity = ERROR

    def check(self, ctx: Context) -> Iterator[Problem]:
        for key, assessment in ctx.assessments():
            collecting = ctx.collecting(assessment.round)
            for ind_id, obs in assessment.observations.items():
                given = [
                    name for name in ("value", "not_collected", "not_applicable") if getattr(obs, name) is not None
                ]
                if len(given) != 1 and not (collecting and not given):
                    yield at(
                        *key,
                        ("observations", ind_id),
                        say("rule.O004.both", indicator=ind_id, given=f" {say('rule.O004.and')} ".join(given))
                        if given
                        else say("rule.O004.neither", indicator=ind_id),
                        say("rule.O004.shape_hint"),
                        key_of=True,
                    )
        for name, scenario in ctx.project.scenarios.items():
            for i, change in enumerate(scenario.changes):
                if (change.value is None) == (change.not_collected is None):
                    yield at(
                        "scenario",
                        name,
                        ("changes", i),
                        say("rule.O004.change"),
                        say("rule.O004.change_hint"),
                    )
