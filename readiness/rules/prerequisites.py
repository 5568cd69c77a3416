"""Prerequisites between indicators: `requires` may not go round in a cycle (R003)."""

from __future__ import annotations

from collections.abc import Iterator

from ..i18n import say
from .base import ERROR, Context, Problem, Rule, at


class PrerequisiteCycle(Rule):
    """Indicators that require each other in a cycle, directly or through others: none of them could ever be
    rated first. The message names the whole cycle, and each member's `requires` entry is reported.

    Fails, in indicators/lo/LO-02.yaml:

        requires: [LO-02]

    Passes, in indicators/lo/LO-02.yaml:

        requires: [HR-01]
    """

    code = "R003"
    name = "prerequisite-cycle"
    severity = ERROR
    needs_framework = False

    def check(self, ctx: Context) -> Iterator[Problem]:
        project = ctx.project
        graph = project.requires
        for component in sorted(graph.components(), key=min):
            only = next(iter(component))
            if len(component) == 1 and only not in graph.out.get(only, []):
                continue
            start = min(component)
            cycle = graph.cycle_from(start, component)
            # edges run prerequisite -> dependent; read the cycle as "X requires Y requires ..."
            cycle.reverse()
            names = []
            for ind_id in cycle:
                doc, _ = project.origin("indicator", ind_id)
                names.append(f"{ind_id} ({doc.path})")
            text = f" {say('rule.R003.requires')} ".join(names + [names[0]])
            for i, ind_id in enumerate(cycle):
                required = cycle[(i + 1) % len(cycle)]
                ind = project.indicators[ind_id]
                index = next(j for j, req in enumerate(ind.requires) if req.indicator == required)
                yield at(
                    "indicator",
                    ind_id,
                    ("requires", index),
                    say("rule.R003.cycle", cycle=text),
                    say("rule.R003.cycle_hint", indicator=ind_id, required=required),
                )
