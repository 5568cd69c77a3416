"""The handover register read in order: who holds primary responsibility, region by region and function by
function, after each round's decisions.

Decisions (`handover/decisions/*.yaml`) are taken by joint bodies on the strength of an assessment round
(`relied_on`). They apply in the order of that round, then of their dates. A handover gives its functions to the
host state (or the primacy it names), a reversion takes them back (to joint responsibility unless it names
another), a deferral records that a handover waits and changes nothing. Before any decision every function is
under the framework's `initial_primacy`.

Two moments matter for a round R: the state *during* R (decisions relied on earlier rounds: what the region's
results are measured against, for the sustained level and for "at risk after handover") and the state *after*
R (including the decisions taken on R's assessment: what a page shows as the region's primacy).

This module reads the linked project only (no scores), so the check rules, the engine and the pages share it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Decision
    from .project import Project

#: The one scope of a framework that declares no functions: decisions cover whole regions.
WHOLE = "*"


@dataclass
class Holding:
    """Who holds one function of one region, and the decision that put it there (None: the initial state)."""

    primacy: str
    decision: Decision | None = None


class Register:
    """The decisions of a project, in order, and the primacy they give at any round."""

    def __init__(self, project: Project) -> None:
        fw = project.framework
        self.project = project
        self.initial = fw.initial_primacy if fw is not None else "un"
        self.functions: list[str] = [f.id for f in fw.functions] if fw is not None and fw.functions else [WHOLE]
        ordered = sorted(project.rounds.values(), key=lambda r: (r.date, r.id))
        self.round_ids = [r.id for r in ordered]
        self.index = {r: i for i, r in enumerate(self.round_ids)}
        self.by_region: dict[str, list[Decision]] = {}
        for decision in sorted(project.decisions.values(), key=self.sort_key):
            self.by_region.setdefault(decision.region, []).append(decision)

    def sort_key(self, decision: Decision) -> tuple[int, str, str, str]:
        return (
            self.index.get(decision.relied_on, len(self.round_ids)),
            decision.decided.isoformat(),
            decision.effective_date.isoformat(),
            decision.id,
        )

    def scope(self, decision: Decision) -> list[str]:
        """The functions a decision covers: those it names, or all of them."""
        if not decision.functions or self.functions == [WHOLE]:
            return list(self.functions)
        return [f for f in decision.functions if f in self.functions]

    def whole(self, decision: Decision) -> bool:
        """Whether a decision covers every function of its region."""
        return set(self.scope(decision)) == set(self.functions)

    def decisions(self, region: str, round_id: str | None = None, *, during: bool = False) -> list[Decision]:
        """A region's decisions in order: all of them, or those applying after `round_id` (relied on it or an
        earlier round), or with `during` those applying during it (relied on an earlier round)."""
        found = self.by_region.get(region, [])
        if round_id is None:
            return list(found)
        limit = self.index[round_id]
        return [
            d
            for d in found
            if d.relied_on in self.index
            and (self.index[d.relied_on] < limit if during else self.index[d.relied_on] <= limit)
        ]

    def holdings(self, region: str, round_id: str | None = None, *, during: bool = False) -> dict[str, Holding]:
        """Who holds each function of a region after its decisions (see `decisions` for which apply)."""
        held = {f: Holding(self.initial) for f in self.functions}
        for decision in self.decisions(region, round_id, during=during):
            after = decision.primacy_after
            if after is None:
                continue
            for function in self.scope(decision):
                held[function] = Holding(after, decision)
        return held

    def in_force(self, region: str, round_id: str | None = None) -> list[Decision]:
        """The decisions whose conditions still matter after `round_id` (or after every decision): those that
        hold a function of the region, and a deferral that no later decision superseded."""
        applying = self.decisions(region, round_id)
        held = self.holdings(region, round_id)
        found = [d for d in applying if any(h.decision is d for h in held.values())]
        if applying and applying[-1].kind == "deferral":
            found.append(applying[-1])
        return found

    def handed_over(self, region: str, round_id: str) -> Decision | None:
        """The handover that put every function of a region under host primacy, if all of them still are during
        `round_id`: the latest decision among those that did (the region was handed over when the last of its
        functions was)."""
        held = self.holdings(region, round_id, during=True)
        if not all(h.primacy == "host" for h in held.values()):
            return None
        made = [h.decision for h in held.values() if h.decision is not None]
        if not made:
            return None  # a framework whose initial primacy is already the host's: nothing was handed over
        return max(made, key=self.sort_key)

    def reversion_without_handover(self, decision: Decision) -> list[str]:
        """The functions a reversion covers that were not under host primacy when it was taken."""
        if decision.kind != "reversion":
            return []
        held = {f: Holding(self.initial) for f in self.functions}
        for earlier in self.by_region.get(decision.region, []):
            if earlier is decision:
                break
            after = earlier.primacy_after
            if after is not None:
                for function in self.scope(earlier):
                    held[function] = Holding(after, earlier)
        return [f for f in self.scope(decision) if held[f].primacy != "host"]


def overall(primacies: list[str]) -> str:
    """One word for a region's functions: their common primacy, or `mixed`."""
    distinct = set(primacies)
    return primacies[0] if len(distinct) == 1 else "mixed"
