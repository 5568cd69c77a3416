"""Regions: their nesting (R004), tier (G001) and population (G002)."""

from __future__ import annotations

from collections.abc import Iterator

from ..i18n import say, say_n
from .base import ERROR, WARNING, Context, Problem, Rule, at


class RegionNesting(Rule):
    """A region that is its own ancestor: following `parent:` from it comes back to it. Every region on such a
    loop is reported, with the chain; a region that merely hangs below the loop is not.

    Fails, as assessments/regions.yaml:

        regions:
          - {id: lomara, name: Republic of Lomara, category: country}
          - {id: north, name: Northern Province, parent: south, tier: urban, population: 120000}
          - {id: south, name: Southern Province, parent: north, tier: rural, population: 80000}

    Passes, as assessments/regions.yaml:

        regions:
          - {id: lomara, name: Republic of Lomara, category: country}
          - {id: north, name: Northern Province, parent: lomara, tier: urban, population: 120000}
          - {id: south, name: Southern Province, parent: lomara, tier: rural, population: 80000}
    """

    code = "R004"
    name = "region-nesting"
    severity = ERROR

    def check(self, ctx: Context) -> Iterator[Problem]:
        regions = ctx.project.regions
        for region in regions.values():
            chain, current = [region.id], region.parent
            while current is not None and current in regions and current not in chain:
                chain.append(current)
                current = regions[current].parent
            if current == region.id:
                loop = " > ".join([*chain, region.id])
                yield at(
                    "region",
                    region.id,
                    ("parent",),
                    say("rule.R004.loop", region=region.id, loop=loop),
                    say("rule.R004.loop_hint"),
                )


class RegionTier(Rule):
    """A region without a `tier` although the framework declares tiers, where one is needed: a region without
    children, or one that is assessed. The tier selects the indicators' thresholds.

    Fails, as assessments/regions.yaml:

        regions:
          - {id: lomara, name: Republic of Lomara, category: country}
          - {id: north, name: Northern Province, parent: lomara, tier: urban, population: 120000}
          - {id: south, name: Southern Province, parent: lomara, population: 80000}

    Passes, as assessments/regions.yaml:

        regions:
          - {id: lomara, name: Republic of Lomara, category: country}
          - {id: north, name: Northern Province, parent: lomara, tier: urban, population: 120000}
          - {id: south, name: Southern Province, parent: lomara, tier: rural, population: 80000}
    """

    code = "G001"
    name = "region-tier"
    severity = ERROR

    def check(self, ctx: Context) -> Iterator[Problem]:
        tier_ids = ctx.tier_ids
        assessed = {region for _, region in ctx.project.assessments}
        for region in ctx.project.regions.values():
            is_leaf = not ctx.project.children(region.id)
            if tier_ids and region.tier is None and (is_leaf or region.id in assessed):
                yield at(
                    "region",
                    region.id,
                    ("id",),
                    say("rule.G001.no_tier", region=region.id),
                    say("rule.G001.no_tier_hint", tiers=", ".join(tier_ids)),
                )


class RegionPopulation(Rule):
    """With `roll_up: population` a region's level is its children's, weighted by population: a child without
    a `population` leaves its weight unknown.

    Fails, as assessments/regions.yaml:

        regions:
          - {id: lomara, name: Republic of Lomara, category: country}
          - {id: north, name: Northern Province, parent: lomara, tier: urban, population: 120000}
          - {id: south, name: Southern Province, parent: lomara, tier: rural}

    Passes, as assessments/regions.yaml:

        regions:
          - {id: lomara, name: Republic of Lomara, category: country}
          - {id: north, name: Northern Province, parent: lomara, tier: urban, population: 120000}
          - {id: south, name: Southern Province, parent: lomara, tier: rural, population: 80000}
    """

    code = "G002"
    name = "region-population"
    severity = WARNING

    def check(self, ctx: Context) -> Iterator[Problem]:
        if ctx.framework.roll_up != "population":
            return
        regions = ctx.project.regions
        for region in regions.values():
            children = ctx.project.children(region.id)
            missing = [c for c in children if regions[c].population is None and regions[c].kind != "national"]
            if missing:
                yield at(
                    "region",
                    region.id,
                    ("id",),
                    say_n("rule.G002.no_population", len(missing), region=region.id, regions=", ".join(missing)),
                    say("rule.G002.no_population_hint"),
                )
