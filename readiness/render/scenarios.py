"""The scenarios (scenarios/index.md and scenarios/<name>.md), from `pages.scenarios`."""

from __future__ import annotations

from ..pages.scenarios import ScenarioPage, ScenariosIndexPage
from .environment import Pages
from .formatters import Formatter


def index_markdown(page: ScenariosIndexPage, fmt: Formatter, write: Pages) -> str:
    rows = [
        {"id": row.name, "name": row.scenario.name, "round": row.round.label, "changed": row.changed}
        for row in page.rows
    ]
    return write("scenarios_index.md.j2", page=page, rows=rows)


def markdown(page: ScenarioPage, fmt: Formatter, write: Pages) -> str:
    changes = [
        {
            "region": a.region.id,
            "region_name": a.region.name,
            "indicator": a.indicator.id,
            "indicator_name": a.indicator.name,
            "before": fmt.value(a.assessed),
            "after": fmt.tr("scenario.not_collected")
            if a.assumed is None
            else a.assumed
            if isinstance(a.assumed, str)
            else fmt.number(a.assumed),
        }
        for a in page.assumptions
    ]
    effects = [
        {
            "region": e.region.id,
            "name": e.region.name,
            "before": e.before,
            "after": e.after,
            "up": e.up,
            "down": e.down,
            "score_before": fmt.score(e.score_before),
            "score_after": fmt.score(e.score_after),
            "cleared": [fmt.gate_name(g) for g in e.cleared],
            "resolved": [fmt.step(s) for s in e.resolved],
        }
        for e in page.effects
    ]
    return write(
        "scenario.md.j2",
        page=page,
        scenario=page.scenario,
        round_label=page.round.label,
        changes=changes,
        effects=effects,
    )
