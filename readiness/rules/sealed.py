"""Sealed rounds: a closed round's files changed since `close-round` sealed them (A002); see readiness/sealing.py."""

from __future__ import annotations

from collections.abc import Iterator

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
            hint = (
                f"a closed round changes only by an amendment: `readiness amend {round_id} --reason ... --by ...` "
                f"records it (old and new values) and seals the round again; or restore the file "
                f"(`git checkout -- {folder}/`)"
            )
            for breach in breaches(project.root, round_id, dict(round_.seal.files)):
                what = {"changed": "changed", "added": "was added", "removed": "was removed"}[breach.how]
                message = f"round {round_id} was sealed on {round_.seal.date}; this file {what} since"
                if breach.how == "removed":
                    yield at(
                        "round",
                        round_id,
                        ("seal", "files", breach.name),
                        message.replace("this file", breach.name),
                        hint,
                    )
                else:
                    yield in_file(f"{folder}/{breach.name}", (1, 1), message, hint)
