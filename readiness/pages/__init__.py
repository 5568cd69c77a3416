"""Pages: the report stage's page models, one module per page kind.

Each module holds dataclasses with the facts its page shows, already decided but not yet formatted (ids,
levels, numbers as numbers, dates as dates, typed gate effects and path steps), and a `build` function that
works them out from the `View` of one audience. `readiness.render` turns them into Markdown in one language.
Where rows are ordered by name, `lang` says in which language the names are read.

`build_site` builds every page of a site, with what the navigation lists.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..report import View
from . import (
    changes,
    dashboard,
    decisions,
    downloads,
    factsheet,
    indicator,
    indicators_index,
    methodology,
    region,
    regions_index,
    rules,
    scenarios,
)
from .common import ordered_regions, page_language
from .handover import has_register


@dataclass
class SiteModel:
    """Every page of one audience's site, with the regions in the order pages list them (by name in `lang`)."""

    lang: str
    order: list[str]
    """Every region, parents before their parts, siblings by name."""
    dashboard: dashboard.DashboardPage
    changes: changes.ChangesPage
    methodology: methodology.MethodologyPage
    downloads: downloads.DownloadsPage
    regions_index: regions_index.RegionsIndexPage
    indicators_index: indicators_index.IndicatorsIndexPage
    rules: rules.RulesPage
    regions: dict[str, region.RegionPage] = field(default_factory=dict)
    """Regions with a result in some round."""
    indicators: dict[str, indicator.IndicatorPage] = field(default_factory=dict)
    scenarios_index: scenarios.ScenariosIndexPage | None = None
    """None when there is no scenario."""
    scenarios: dict[str, scenarios.ScenarioPage] = field(default_factory=dict)
    decisions: decisions.DecisionsPage | None = None
    """The handover register, when the project has decisions or a mandate calendar."""
    factsheet: factsheet.FactsheetPage | None = None

    #: The most region and indicator pages the navigation lists; a bigger mission lists them on index pages only.
    NAV_REGIONS = 60
    NAV_INDICATORS = 80

    @property
    def nav_regions(self) -> list[str]:
        """The regions the navigation lists, in page order (none when there are too many)."""
        return [rid for rid in self.order if rid in self.regions] if len(self.regions) <= self.NAV_REGIONS else []

    @property
    def nav_indicators(self) -> list[str]:
        """The indicators the navigation lists, by the path of their pages (none when there are too many)."""
        return sorted(self.indicators, key=lambda i: f"{i}.md") if len(self.indicators) <= self.NAV_INDICATORS else []

    @property
    def nav_scenarios(self) -> list[str]:
        """Every scenario, by the path of its page."""
        return sorted(self.scenarios, key=lambda name: f"{name}.md")


def build_site(view: View, lang: str | None = None, when_words: changes.WhenWords | None = None) -> SiteModel:
    """Every page model of the site; `when_words` is how the changes page writes its timeline's `when`
    (see `changes.build`)."""
    lang = page_language(view, lang)
    order = ordered_regions(view, lang)
    site = SiteModel(
        lang,
        order,
        dashboard.build(view, lang, order),
        changes.build(view, lang, when_words, order),
        methodology.build(view),
        downloads.build(view),
        regions_index.build(view, lang, order),
        indicators_index.build(view),
        rules.build(),
    )
    deps = None  # the same for every region: worked out once, by the first page that shows it
    for rid in view.regions:
        if any(view.result(rd.id, rid) for rd in view.rounds):
            page = site.regions[rid] = region.build(view, rid, deps)
            deps = deps or page.dependencies
    for ind_id in view.indicators:
        site.indicators[ind_id] = indicator.build(view, ind_id, lang, order)
    if has_register(view):
        site.decisions = decisions.build(view, lang, order, site.dashboard.headline)
    site.factsheet = factsheet.build(view, site.dashboard)
    if view.scenarios:
        site.scenarios_index = scenarios.build_index(view)
        site.scenarios = {name: scenarios.build(view, name) for name in view.scenarios}
    return site


__all__ = [
    "SiteModel",
    "build_site",
    "changes",
    "dashboard",
    "decisions",
    "downloads",
    "factsheet",
    "indicator",
    "indicators_index",
    "methodology",
    "region",
    "regions_index",
    "rules",
    "scenarios",
]
