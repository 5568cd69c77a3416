"""Ids: each thing of a kind has its own (R001). Indicators, regions, rounds and assessments are registered
while linking (project.py); the check covers what the framework lists: levels, tiers, parties, source types
and the pillar tree."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from ..i18n import say
from ..loading import Loc
from .base import ERROR, Context, Problem, Rule, at, walk_pillars


class DuplicateId(Rule):
    """Two things of the same kind share an id, so every reference to it is ambiguous: two indicator files with
    the same `id:` (often a copied file), a region or a round listed twice, two levels, tiers, parties or
    source types with one id, or a pillar id used twice anywhere in the tree.

    Fails, in indicators/framework.yaml:

        source_types:
          - {id: ADM, name: Administrative records}
          - {id: FV, name: Field verification}
          - {id: SUR, name: Public survey}
          - {id: FV, name: Focus group}

    Passes, in indicators/framework.yaml:

        source_types:
          - {id: ADM, name: Administrative records}
          - {id: FV, name: Field verification}
          - {id: SUR, name: Public survey}
          - {id: FG, name: Focus group}
    """

    code = "R001"
    name = "duplicate-id"
    severity = ERROR
    raised_in = "project.py"

    def check(self, ctx: Context) -> Iterator[Problem]:
        fw = ctx.framework
        f = ("framework", "")
        groups: list[tuple[str, Sequence[Any], Loc]] = [
            ("level", fw.levels, ("levels",)),
            ("tier", fw.tiers, ("tiers",)),
            ("party", fw.parties, ("parties",)),
            ("source_type", fw.source_types, ("source_types",)),
        ]
        for label, items, loc in groups:
            seen: set[str] = set()
            for i, item in enumerate(items):
                if item.id in seen:
                    yield at(
                        *f,
                        loc + (i, "id"),
                        say(f"rule.R001.twice.{label}", id=item.id),
                        say("rule.R001.twice_hint"),
                    )
                seen.add(item.id)
        seen_pillars: set[str] = set()
        for pillar, loc in walk_pillars(fw.pillars):
            if pillar.id in seen_pillars:
                yield at(
                    *f,
                    loc + ("id",),
                    say("rule.R001.twice.pillar", id=pillar.id),
                    say("rule.R001.pillar_hint"),
                )
            seen_pillars.add(pillar.id)
