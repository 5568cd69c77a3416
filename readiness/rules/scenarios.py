"""Scenarios: a what-if changes regions that its round assessed (C001)."""

from __future__ import annotations

from collections.abc import Iterator

from .base import ERROR, Context, Problem, Rule, at


class ScenarioNotApplicable(Rule):
    """A scenario that changes a region without an assessment in the scenario's round (its `round:`, or the
    latest round): there is no observation to change.

    Fails, as scenarios/radios.yaml (the country is not assessed, its provinces are):

        name: Radios for the whole country
        round: 2026-q3
        changes:
          - region: lomara
            indicator: LO-01
            value: 12

    Passes, as scenarios/radios.yaml:

        name: Radios for the northern province
        round: 2026-q3
        changes:
          - region: north
            indicator: LO-01
            value: 12
    """

    code = "C001"
    name = "scenario-not-applicable"
    severity = ERROR
    summary = "A scenario changes a region that has no assessment in its round."
    fix = (
        "Choose a region assessed in the scenario's round, or set the scenario's `round:` to a round in which "
        "the region was assessed."
    )

    def check(self, ctx: Context) -> Iterator[Problem]:
        project = ctx.project
        latest = max(project.rounds.values(), key=lambda rd: (rd.date, rd.id)).id if project.rounds else None
        for name, scenario in project.scenarios.items():
            round_id = scenario.round if scenario.round is not None else latest
            for i, change in enumerate(scenario.changes):
                if (
                    round_id in project.rounds
                    and change.region in project.regions
                    and (round_id, change.region) not in project.assessments
                ):
                    yield at(
                        "scenario",
                        name,
                        ("changes", i, "region"),
                        f"{change.region} has no assessment in round {round_id}, so this scenario cannot change it",
                        "choose a region assessed in that round, or set `round:` to a round in which it was assessed",
                    )
