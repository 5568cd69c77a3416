"""Observations: every indicator is listed in every assessment (O003), each with exactly one of a value and a
reason for having none (O004); a value outside the region's criteria profile is not used (O008)."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from ..i18n import say, say_n
from .base import ERROR, WARNING, Context, Problem, Rule, at


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
            asks = ctx.project.asks
            missing = [
                i
                for i in ctx.indicator_ids
                if i not in assessment.observations and i not in meant and asks(assessment.region, assessment.round, i)
            ]
            if missing:
                yield at(
                    *key,
                    ("observations",),
                    say_n("rule.O003.missing", len(missing), indicators=", ".join(missing)),
                    say("rule.O003.missing_hint"),
                    key_of=True,
                )


class OutsideCriteria(Rule):
    """A value that is not used: its indicator is outside the region's own criteria (`criteria:` in regions.yaml,
    a national institution's profile), or was retired before the round's cut-off (`retired:` in its file).
    Either the value belongs to another region's file, or the profile leaves out an indicator the team measures
    on purpose, or the round still collects what the framework no longer counts.

    Fails, as assessments/regions.yaml (north's files give values of LO-01 to LO-03):

        regions:
          - {id: lomara, name: Republic of Lomara, category: country}
          - id: north
            name: Northern Province
            parent: lomara
            tier: urban
            population: 120000
            criteria: [HR-01, HR-02]
          - {id: south, name: Southern Province, parent: lomara, tier: rural, population: 80000}

    Passes, as assessments/regions.yaml:

        regions:
          - {id: lomara, name: Republic of Lomara, category: country}
          - id: north
            name: Northern Province
            parent: lomara
            tier: urban
            population: 120000
            criteria: [HR-01, HR-02, LO-01, LO-02, LO-03]
          - {id: south, name: Southern Province, parent: lomara, tier: rural, population: 80000}
    """

    code = "O008"
    name = "outside-criteria"
    severity = WARNING

    def check(self, ctx: Context) -> Iterator[Problem]:
        project = ctx.project
        for key, assessment in ctx.assessments():
            region = project.regions.get(assessment.region)
            for ind_id, obs in assessment.observations.items():
                ind = project.indicators.get(ind_id)
                if obs.value is None or ind is None or project.asks(assessment.region, assessment.round, ind_id):
                    continue
                if region is not None and not region.applies(ind_id):
                    message = say("rule.O008.outside", indicator=ind_id, region=assessment.region)
                    hint = say("rule.O008.outside_hint", indicator=ind_id)
                else:
                    message = say("rule.O008.retired", indicator=ind_id, date=ind.retired, round=assessment.round)
                    hint = say("rule.O008.retired_hint", indicator=ind_id)
                yield at(*key, ("observations", ind_id), message, hint, key_of=True)


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


class BySexMissing(Rule):
    """A value of an indicator whose survey reports women and men apart (`by_sex: true` in its file: trust in the
    police, feeling safe) without both figures in `by_sex:`. A round already sealed is not checked again: it
    changes only by an amendment.

    Fails, in indicators/lo/LO-01.yaml (no value of LO-01 gives its figures by sex):

        by_sex: true

    Passes, in indicators/lo/LO-01.yaml:

        by_sex: false
    """

    code = "O009"
    name = "by-sex-missing"
    severity = ERROR

    def check(self, ctx: Context) -> Iterator[Problem]:
        project = ctx.project
        required = {i for i, ind in project.indicators.items() if ind.by_sex}
        if not required:
            return
        for key, assessment in ctx.assessments():
            round_ = project.rounds.get(assessment.round)
            if round_ is not None and round_.sealed:
                continue
            for ind_id in sorted(required & set(assessment.observations)):
                obs = assessment.observations[ind_id]
                given = obs.by_sex
                if obs.value is None or (given is not None and given.women is not None and given.men is not None):
                    continue
                yield at(
                    *key,
                    ("observations", ind_id),
                    say("rule.O009.missing", indicator=ind_id),
                    say("rule.O009.missing_hint", indicator=ind_id),
                    key_of=True,
                )
