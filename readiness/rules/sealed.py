"""Sealed rounds: a closed round's files changed since `close-round` sealed them (A002); see readiness/sealing.py."""

from __future__ import annotations

from collections.abc import Iterator

from ..i18n import say
from ..sealing import breaches, round_folder
from .base import ERROR, Context, Problem, Rule, at, in_file


class SealedRoundChanged(Rule):
    """A file of a sealed round (closed with `readiness close-round`) that changed since, was added, or was
    removed. A closed round is the record a joint body relied on: it changes only by an amendment, with its
    reason, who and when, and each value's old and new on the record (`readiness amend ROUND`, which seals it
    again). Restore the file (`git checkout -- FILE`), or record the change as an amendment.

    Fails, as assessments/rounds.yaml:

        rounds:
          - {id: 2026-q1, label: First quarter 2026, date: 2026-03-31}
          - id: 2026-q3
            label: Third quarter 2026
            date: 2026-09-30
            seal: {date: 2026-10-10, files: {north.yaml: 0000000000000000, south.yaml: 0000000000000000}}

    Passes, as assessments/rounds.yaml:

        rounds:
          - {id: 2026-q1, label: First quarter 2026, date: 2026-03-31}
          - {id: 2026-q3, label: Third quarter 2026, date: 2026-09-30}
    """

    code = "A002"
    name = "sealed-round-changed"
    severity = ERROR

    def check(self, ctx: Context) -> Iterator[Problem]:
        project = ctx.project
        for round_id in project.round_order:
            round_ = project.rounds[round_id]
            if round_.seal is None:
                continue
            folder = round_folder(project.root, round_id).relative_to(project.root).as_posix()
            hint = say("rule.A002.sealed_hint", round=round_id, folder=folder)
            for breach in breaches(project.root, round_id, dict(round_.seal.files)):
                message = say(f"rule.A002.{breach.how}", round=round_id, date=round_.seal.date, file=breach.name)
                if breach.how == "removed":
                    yield at("round", round_id, ("seal", "files", breach.name), message, hint)
                else:
                    yield in_file(f"{folder}/{breach.name}", (1, 1), message, hint)
