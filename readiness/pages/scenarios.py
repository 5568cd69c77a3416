"""The scenarios (scenarios/index.md and scenarios/<name>.md): what each what-if assumes and which regions'
levels it would change, with the gates it clears and the steps it completes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ..model import Indicator, Region, Round, Scenario
from ..report import View
from ..scoring.results import HandoverStep, IndicatorResult
from .common import Levels


@dataclass(frozen=True)
class ScenarioRow:
    name: str
    scenario: Scenario
    round: Round
    changed: int
    """Regions whose level the scenario changes."""


@dataclass(frozen=True)
class ScenariosIndexPage:
    rows: list[ScenarioRow]


@dataclass(frozen=True)
class Assumption:
    """One value the scenario assumes, against the one assessed."""

    region: Region
    indicator: Indicator
    assessed: IndicatorResult | None
    assumed: Decimal | str | None
    """A number, another value as written, or None (the scenario takes the value as not collected)."""


@dataclass(frozen=True)
class Effect:
    region: Region
    before: str
    after: str
    up: bool
    down: bool
    score_before: Decimal | None
    score_after: Decimal | None
    cleared: list[str]
    """Gates that no longer bite."""
    resolved: list[HandoverStep]
    """Steps of the region's path to handover that the scenario completes."""


@dataclass(frozen=True)
class ScenarioPage:
    name: str
    scenario: Scenario
    round: Round
    assumptions: list[Assumption]
    effects: list[Effect]


def build_index(view: View) -> ScenariosIndexPage:
    return ScenariosIndexPage(
        [
            ScenarioRow(
                name, scenario, view.round(round_id), sum(1 for e in effects if e.level_before != e.level_after)
            )
            for name, (scenario, round_id, effects) in view.scenarios.items()
        ]
    )


def assumed(value: str | None) -> Decimal | str | None:
    return Decimal(value) if value is not None and re.fullmatch(r"-?[\d.]+", value) else value


def build(view: View, name: str) -> ScenarioPage:
    levels = Levels(view)
    scenario, round_id, effects = view.scenarios[name]
    assumptions = []
    for c in scenario.changes:
        r = view.result(round_id, c.region)
        assumptions.append(
            Assumption(
                view.regions[c.region],
                view.indicators[c.indicator],
                r.indicators.get(c.indicator) if r else None,
                assumed(c.value),
            )
        )
    rows = []
    for e in effects:
        r = view.result(round_id, e.region)
        rows.append(
            Effect(
                view.regions[e.region],
                e.level_before,
                e.level_after,
                levels.higher(e.level_after, e.level_before),
                levels.higher(e.level_before, e.level_after),
                e.score_before,
                e.score_after,
                list(e.cleared),
                [s for s in (r.path if r else []) if list(s.key) in e.resolved],
            )
        )
    return ScenarioPage(name, scenario, view.round(round_id), assumptions, rows)
