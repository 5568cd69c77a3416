"""An indicator's page (indicators/<id>.md), from `pages.indicator.IndicatorPage`: its values across the
regions drawn as bars, its cut-offs and history written in the language."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import charts
from ..pages.indicator import IndicatorPage
from ..safety import Safe
from .environment import Pages
from .formatters import Formatter

if TYPE_CHECKING:
    from ..report import View


def markdown(page: IndicatorPage, view: View, fmt: Formatter, write: Pages) -> str:
    fw, tr, ind = view.framework, fmt.tr, page.indicator
    threshold_rows = [
        [
            fmt.md(
                row.label if row.label is not None else tr("indicator.all_tiers") if row.tier == "all" else row.tier
            ),
            *(fmt.raw(cut) for cut in row.cuts),
        ]
        for row in page.thresholds
    ]
    bars = []
    for bar in page.bars:
        ir = bar.result
        score = None if ir is None else ir.score
        bars.append(
            charts.Bar(
                fmt.loc(bar.region.name),
                score,
                fmt.colour(ir.level if ir else None),
                "" if score is None or ir is None else f"({fmt.raw(ir.raw)})",
                f"../regions/{bar.region.id}.html",
                number=fmt.number,
            )
        )
    values_svg = charts.bar_chart(
        f"values-{ind.id}",
        tr("indicator.across_title", id=ind.id, round=fmt.loc(view.latest.label)),
        tr("indicator.across_desc", id=ind.id),
        bars,
        float(fw.scale.min),
        float(fw.scale.max),
        legend_keys=charts.level_keys(fw.levels, fmt.level_label),
    )
    history = [
        {"id": row.region.id, "name": row.region.name, "cells": [fmt.value(c) for c in row.cells]}
        for row in page.history
    ]
    return write(
        "indicator.md.j2",
        page=page,
        ind=ind,
        pillar=fmt.loc(page.pillar),
        unit=fmt.unit(ind),
        scoring=fmt.scoring(page.scoring),
        evidence=fmt.evidence_rule(page.evidence),
        threshold_levels=[fmt.md(fmt.levels[lv].label) for lv in page.threshold_levels],
        threshold_rows=threshold_rows,
        requires=page.requires,
        required_by=page.required_by,
        values_svg=Safe(values_svg),
        rounds=page.rounds,
        history=history,
    )
