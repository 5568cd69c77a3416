"""Roll-up: a region assessed through its children (a province of districts) has the lowest level of its
children. Not a cap on what indicators show but the level itself, so it names no blocker of its own: each child
names its own."""

from __future__ import annotations

from typing import Any

from typing_extensions import TypedDict

from ..results import GateEffect, RegionRound
from .base import Gate, details


@details
class Details(TypedDict):
    children: dict[str, str]
    """Each child region, with its level."""


class RollUp(Gate):
    key = "roll_up"
    sampled = False
    caps = False
    Details = Details

    def effect(self, level: str, children: list[RegionRound]) -> GateEffect:
        """A region rolled up from `children` at `level` (the lowest of theirs), and why."""
        return GateEffect(self.key, level, {"children": {c.region: c.level for c in children}})

    def brief(self, effect: GateEffect, tr: Any, labels: Any) -> str:
        return ", ".join(child for child, level in effect.details.get("children", {}).items() if level == effect.allows)

    def reason(self, effect: GateEffect, ex: Any) -> Any:
        children = {c: lv for c, lv in effect.details.get("children", {}).items() if c in ex.project.regions}
        lowest = min(children.values(), key=ex.order.__getitem__) if children else effect.allows
        return ex.t(
            "reason.roll_up",
            items=ex.join(", ", [ex.region_name(c) for c, lv in children.items() if lv == lowest]),
        )
