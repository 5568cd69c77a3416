"""The severity × completeness matrix (matrix.md), from `pages.matrix.MatrixPage`: a row for each distance from the
handover level, a column for each band of data completeness, each assessed district and unit in one cell."""

from __future__ import annotations

from typing import Any

from ..pages.matrix import MatrixPage
from ..safety import Safe
from .environment import Pages
from .formatters import Formatter


def markdown(page: MatrixPage, fmt: Formatter, write: Pages) -> str:
    handover = fmt.level_label(fmt.fw.handover_level)
    complete, partial = fmt.percent(page.complete), fmt.percent(page.partial)
    bounds = {"complete": (complete, ""), "partial": (partial, complete), "insufficient": ("", partial)}
    bands = [fmt.t(f"matrix.band.{band}", low=bounds[band][0], high=bounds[band][1]) for band in page.bands]
    rows: list[dict[str, Any]] = []
    for row in page.rows:
        rows.append(
            {
                "severity": row.severity,
                "levels": [lv.id for lv in row.levels],
                "label": fmt.t("matrix.severity_0", level=handover)
                if row.severity == 0
                else fmt.tn("matrix.severity", row.severity),
                "cells": [
                    Safe("<br>").join(Safe("[{}](regions/{}.md)").format(fmt.md(s.region.name), s.id) for s in cell)
                    or Safe("–")
                    for cell in row.cells
                ],
                "total": row.total,
            }
        )
    totals = [sum(len(row.cells[i]) for row in page.rows) for i in range(len(page.bands))]
    return write("matrix.md.j2", page=page, handover=handover, bands=bands, rows=rows, totals=totals)
