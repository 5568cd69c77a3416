"""The indicators index (indicators/index.md): the indicators by pillar, with how many assessed regions have
each at the handover level in the latest round."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Indicator, LocalText
from ..report import View
from .common import Levels, pillars


@dataclass(frozen=True)
class IndicatorRow:
    indicator: Indicator
    ready: int
    """Assessed regions where the indicator is at the handover level or above in the latest round."""
    assessed: int
    """Assessed regions in the latest round."""
    requires: list[str]
    """Its prerequisites published here."""


@dataclass(frozen=True)
class IndicatorGroup:
    name: LocalText
    """The pillar's name."""
    rows: list[IndicatorRow]


@dataclass(frozen=True)
class IndicatorsIndexPage:
    groups: list[IndicatorGroup]
    """Pillars with indicators of their own, depth first."""


def build(view: View) -> IndicatorsIndexPage:
    levels = Levels(view)
    latest = [view.result(view.latest.id, rid) for rid in view.regions]
    assessed = [x for x in latest if x and x.assessed]
    groups = []
    for entry in pillars(view):
        rows = []
        for ind in view.indicators.values():
            if ind.pillar != entry.id:
                continue
            ready = [
                x
                for x in assessed
                if (ir := x.indicators.get(ind.id)) and ir.level and levels.reached_handover(ir.level)
            ]
            rows.append(
                IndicatorRow(
                    ind,
                    len(ready),
                    len(assessed),
                    [r.indicator for r in ind.requires if r.indicator in view.indicators],
                )
            )
        if rows:
            groups.append(IndicatorGroup(entry.name, rows))
    return IndicatorsIndexPage(groups)
