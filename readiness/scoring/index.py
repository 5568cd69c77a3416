"""The framework compiled once per project: what the engine, the Monte Carlo, the checks and the pages read
instead of working it out again from the YAML models.

- levels: their order, the scored ones (those with a `min_score`), the handover level, and the score where each
  scored level's next one begins (a prerequisite cap is a ceiling on the score);
- the pillar tree: nodes in id order, each with its sub-pillars and its own indicators (in id order), as one list
  the engine walks and the Monte Carlo indexes;
- indicators: in the order prerequisites allow (each after what it requires), with their depth in the chain,
  their normalisation method, and each one's prerequisites resolved against the framework's defaults.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ..methods import AGGREGATIONS, NORMALISATIONS, Normalisation
from ..model import Framework, Indicator, Pillar
from ..project import Project


@dataclass
class Node:
    """A pillar of the tree: its sub-pillars (positions in `FrameworkIndex.nodes`) and its own indicators."""

    id: str
    weight: float
    aggregation: str
    sub: list[int] = field(default_factory=list)
    indicators: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Requirement:
    """A prerequisite, resolved: while `indicator` is below `level`, the dependent is capped at `cap_at`."""

    indicator: str
    level: int
    cap_at: str


class FrameworkIndex:
    """The compiled framework of one project (see the module's docstring)."""

    def __init__(self, project: Project) -> None:
        if project.framework is None:
            raise ValueError("the project has no valid framework; run `readiness check`")
        fw: Framework = project.framework
        self.framework = fw
        self.levels = [lv.id for lv in fw.levels]
        self.order = {lv: i for i, lv in enumerate(self.levels)}
        self.scored = [lv.id for lv in fw.levels if lv.min_score is not None]
        self.handover = self.order[fw.handover_level]
        self.low, self.high = float(fw.scale.min), float(fw.scale.max)
        self.unit = 10**fw.rounding.digits
        """10 ** digits: scores in rounding units are whole numbers."""
        self.ceilings = {lv: self._ceiling(lv) for lv in self.levels}
        """The score where the next scored level above each level begins (the scale's top for the highest)."""
        graph = project.requires
        self.topological = graph.topological() or sorted(project.indicators)
        self.depth: dict[str, int] = {}
        for node in self.topological:
            preds = [self.depth[p] for p in graph.predecessors(node) if p in self.depth]
            self.depth[node] = 1 + max(preds) if preds else 0
        self.indicators: dict[str, Indicator] = {k: project.indicators[k] for k in self.topological}
        self.methods: dict[str, Normalisation] = {
            k: NORMALISATIONS[ind.scoring.method] for k, ind in self.indicators.items()
        }
        gate = fw.gates.prerequisites
        self.requires: dict[str, list[Requirement]] = {
            k: (
                [
                    Requirement(req.indicator, self.order[req.level or gate.required_level], req.cap_at or gate.cap_at)
                    for req in ind.requires
                    if req.indicator in project.indicators and req.kind == "validity"
                ]
                if gate is not None and gate.enabled
                else []
            )
            for k, ind in self.indicators.items()
        }
        """Validity prerequisites: they cap."""
        self.causes: dict[str, list[Requirement]] = {
            k: (
                [
                    Requirement(req.indicator, self.order[req.level or gate.required_level], req.cap_at or gate.cap_at)
                    for req in ind.requires
                    if req.indicator in project.indicators and req.kind == "causal"
                ]
                if gate is not None and gate.enabled
                else []
            )
            for k, ind in self.indicators.items()
        }
        """Causal prerequisites: they flag the dependent at risk, and never cap it."""
        default_age = fw.gates.evidence.max_age_days if fw.gates.evidence else 365
        self.max_age = {k: ind.evidence.max_age_days or default_age for k, ind in self.indicators.items()}
        self.nodes: list[Node] = []
        self.roots: list[int] = []
        by_pillar: dict[str, list[str]] = defaultdict(list)
        for ind_id in sorted(project.indicators):
            by_pillar[project.indicators[ind_id].pillar].append(ind_id)
        self._lay_out(fw.pillars, None, by_pillar, AGGREGATIONS[fw.aggregation].ordered)

    def _ceiling(self, level: str) -> float:
        index = self.scored.index(level) if level in self.scored else 0
        if index + 1 < len(self.scored):
            nxt = self.framework.levels[self.order[self.scored[index + 1]]].min_score
            assert nxt is not None
            return float(nxt)
        return self.high

    def _lay_out(
        self, pillars: list[Pillar], parent: Node | None, by_pillar: dict[str, list[str]], ordered: bool = False
    ) -> None:
        """Children in id order (so that the order of entries never changes a result), or as listed where the
        parent's aggregation reads them in order (a ratio)."""
        for pillar in pillars if ordered else sorted(pillars, key=lambda p: p.id):
            node = Node(pillar.id, float(pillar.weight), pillar.aggregation)
            self.nodes.append(node)
            (parent.sub if parent is not None else self.roots).append(len(self.nodes) - 1)
            self._lay_out(pillar.pillars, node, by_pillar, AGGREGATIONS[pillar.aggregation].ordered)
            node.indicators = by_pillar.get(pillar.id, [])
