"""The costed gap list: for each district and unit below the handover level, the inputs that would close each
blocker, with their cost, owner and funding source."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from ..explain import Explainer
from ..i18n import Translator
from ..model import Region
from ..report import View
from ..scoring.results import IndicatorResult
from .annex import gap_text
from .word import _cells, _clean, _save, _table, finish_sheet, finish_workbook, new_document


@dataclass(frozen=True)
class GapLine:
    region: Region
    indicator: IndicatorResult
    inputs: list[Any]
    """GapInput: the assessment's for this indicator, else the indicator's own."""
    scenarios: list[str]
    """Scenarios that change this indicator in this region (they model what the inputs would do)."""


def gap_list(view: View) -> list[GapLine]:
    """Per region below the handover level in the latest round: each blocker (a critical indicator below the
    handover level) with the inputs that would close it and the scenarios that model them."""
    order = view.project.level_rank
    need = order[view.framework.handover_level]
    latest = view.latest
    lines = []
    for rid in sorted(view.regions, key=lambda k: str(view.regions[k].name)):
        r = view.result(latest.id, rid)
        if r is None or not r.assessed or order[r.level] >= need:
            continue
        assessment = view.assessment(latest.id, rid)
        for ind_id, ir in sorted(r.indicators.items()):
            if not ir.critical or ir.status != "value" or ir.level is None or order[ir.level] >= need:
                continue
            obs = assessment.observations.get(ind_id) if assessment else None
            inputs = list(obs.inputs) if obs is not None and obs.inputs else list(view.indicators[ind_id].inputs)
            scenarios = [
                name
                for name, scenario in sorted(view.project.scenarios.items())
                if any(c.region == rid and c.indicator == ind_id for c in scenario.changes)
            ]
            lines.append(GapLine(view.regions[rid], ir, inputs, scenarios))
    return lines


def gap_totals(lines: list[GapLine]) -> dict[tuple[str, str], Any]:
    """Total cost by (owner, funding source)."""
    from decimal import Decimal

    totals: dict[tuple[str, str], Decimal] = {}
    for line in lines:
        for i in line.inputs:
            key = (i.owner, i.source or "")
            totals[key] = totals.get(key, Decimal(0)) + i.cost
    return dict(sorted(totals.items()))


def write_gaps_docx(view: View, lang: str, path: Path | IO[bytes]) -> Path | IO[bytes]:

    ex = Explainer(view.project, lang, markup=False)
    tr = Translator(lang)
    lines = gap_list(view)
    currency = view.framework.currency
    title = _clean(tr("gaps.title", round=ex.text(view.latest.label)))
    document = new_document(view, lang, title, ex.text(view.framework.name))
    document.add_heading(title, level=1)
    document.add_paragraph(_clean(tr("gaps.intro")))
    keys = ("region", "blocker", "item", "quantity", "cost", "owner", "scenario")
    table = _table(document, tr, "gaps.column", keys)
    for row in gap_rows(lines, ex, tr, currency):
        for cell, key in zip(table.add_row().cells, keys, strict=True):
            cell.text = _clean(row[key])
    document.add_heading(_clean(tr("gaps.totals")), level=2)
    total_keys = ("owner", "source", "cost")
    totals = _table(document, tr, "gaps.column", total_keys)
    for row in total_rows(lines, ex, tr, currency):
        for cell, key in zip(totals.add_row().cells, total_keys, strict=True):
            cell.text = _clean(row[key])
    return _save(document, path, view, lang)


def gap_rows(lines: list[GapLine], ex: Explainer, tr: Translator, currency: str) -> list[dict[str, str]]:
    """The gap list in words, a row per input (or one "not costed yet" row for a blocker without any): as the
    Word table and the documents page show it."""
    rows = []
    for line in lines:
        for i in line.inputs or [None]:
            rows.append(
                {
                    "region": ex.text(line.region.name),
                    "blocker": gap_text(line.indicator, ex),
                    "item": ex.text(i.item) if i else tr("gaps.not_costed"),
                    "quantity": ex.number(i.quantity) if i else "",
                    "cost": f"{ex.number(i.cost, 0)} {currency}" if i else "–",
                    "owner": (tr(f"gaps.owner.{i.owner}") + (f" ({i.source})" if i.source else "")) if i else "–",
                    "scenario": ", ".join(line.scenarios) or "–",
                }
            )
    return rows


def total_rows(lines: list[GapLine], ex: Explainer, tr: Translator, currency: str) -> list[dict[str, str]]:
    """The totals by owner and funding source, in words."""
    return [
        {"owner": tr(f"gaps.owner.{owner}"), "source": source or "–", "cost": f"{ex.number(cost, 0)} {currency}"}
        for (owner, source), cost in gap_totals(lines).items()
    ]


def write_gaps_xlsx(view: View, lang: str, path: Path | IO[bytes]) -> Path | IO[bytes]:
    from openpyxl import Workbook

    ex = Explainer(view.project, lang, markup=False)
    tr = Translator(lang)
    book = Workbook()
    sheet = book.create_sheet(_clean(tr("gaps.sheet"))[:31], 0)
    book.remove(book.worksheets[1])
    keys = (
        "region",
        "indicator",
        "value",
        "target",
        "item",
        "quantity",
        "unit_cost",
        "cost",
        "owner",
        "source",
        "lead_time_days",
        "scenarios",
    )
    sheet.append([_clean(tr(f"gaps.xlsx.{key}")) for key in keys])
    for line in gap_list(view):
        ir = line.indicator
        value = float(ir.raw) if ir.raw is not None and not isinstance(ir.raw, bool) else None
        target = float(ir.target) if ir.target is not None else None
        for i in line.inputs or [None]:
            sheet.append(
                _cells(
                    [
                        ex.text(line.region.name),
                        f"{ir.indicator} {ex.indicator_name(ir.indicator)}",
                        value,
                        target,
                        ex.text(i.item) if i else None,
                        float(i.quantity) if i else None,
                        float(i.unit_cost) if i else None,
                        float(i.cost) if i else None,
                        tr(f"gaps.owner.{i.owner}")
                        if i and f"gaps.owner.{i.owner}" in tr.labels
                        else (i.owner if i else None),
                        tr(f"gaps.source.{i.source}")
                        if i and f"gaps.source.{i.source}" in tr.labels
                        else (i.source if i else None),
                        i.lead_time_days if i else None,
                        ", ".join(line.scenarios),
                    ]
                )
            )
    for column in ("A", "B", "E", "I", "J", "L"):
        for cell in sheet[column]:
            cell.data_type = "s"
    money = f'#,##0 "{view.framework.currency}"' if view.framework.currency else "#,##0"
    finish_sheet(
        sheet, view, lang, numbers={"C": "0.0##", "D": "0.0##", "F": "#,##0.##", "G": money, "H": money, "K": "0"}
    )
    finish_workbook(
        book, view, lang, _clean(tr("gaps.title", round=ex.text(view.latest.label))), ex.text(view.framework.name)
    )
    return _save(book, path, view, lang)
