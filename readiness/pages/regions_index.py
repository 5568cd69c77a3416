"""The regions index (regions/index.md): every region with a result in the latest round, grouped under the
region one level below the top (a province and its districts), parents before their parts."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import LocalText, Region
from ..report import View
from ..scoring.results import RegionRound
from .common import ordered_regions


@dataclass(frozen=True)
class RegionRow:
    region: Region
    result: RegionRound
    tier: LocalText | str
    """The label of its tier ("" when it has none)."""
    threat: LocalText | str = ""
    """The label of its threat ("" when it has none)."""


@dataclass(frozen=True)
class RegionGroup:
    region: Region
    """The region the group is named after."""
    rows: list[RegionRow]


@dataclass(frozen=True)
class RegionsIndexPage:
    groups: list[RegionGroup]


def group_of(view: View, region_id: str) -> str:
    """The region one level below the top that `region_id` lies in (the top region and its direct parts are
    groups of their own)."""
    regions, top = view.regions, region_id
    while regions[top].parent in regions and regions[regions[top].parent].parent in regions:  # type: ignore[index,operator]
        top = regions[top].parent  # type: ignore[assignment]
    return top


def build(view: View, lang: str | None = None, order: list[str] | None = None) -> RegionsIndexPage:
    tiers = {t.id: t.label for t in view.framework.tiers}
    threats = {t.id: t.label for t in view.framework.threats}
    groups: dict[str, RegionGroup] = {}
    for rid in order if order is not None else ordered_regions(view, lang):
        r = view.result(view.latest.id, rid)
        if r is None:
            continue
        top = group_of(view, rid)
        group = groups.setdefault(top, RegionGroup(view.regions[top], []))
        region = view.regions[rid]
        group.rows.append(RegionRow(region, r, tiers.get(region.tier or "", ""), threats.get(region.threat or "", "")))
    return RegionsIndexPage(list(groups.values()))
