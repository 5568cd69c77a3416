"""The annex of benchmarks: each benchmark the framework declares, rated in each district and unit."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from ..explain import Explainer
from ..i18n import Translator
from ..model import Region
from ..report import View
from ..scoring.results import IndicatorResult, RegionRound
from .word import _cells, _clean, _plain, _save, _table, finish_sheet, finish_workbook, new_document


@dataclass(frozen=True)
class BenchmarkRegion:
    region: Region
    status: str
    """"met", "not-met" or "no-data" (none of its indicators has a value there)."""
    furthest: IndicatorResult | None
    """Of its indicators not yet at the handover level, the furthest from its target (by score)."""


@dataclass(frozen=True)
class BenchmarkRow:
    benchmark: Any
    regions: list[BenchmarkRegion]
    met: int
    assessed: int
    met_before: int | None
    """Regions that met it at the previous round (None without one)."""


def _benchmark_status(view: View, r: RegionRound, indicators: list[str]) -> tuple[str, IndicatorResult | None]:
    order = view.project.level_rank
    need = order[view.framework.handover_level]
    found = [x for i in indicators if (x := r.indicators.get(i)) is not None and x.status != "not-applicable"]
    valued = [x for x in found if x.status == "value"]
    if not valued:
        return "no-data", None
    short = [x for x in found if x.status != "value" or x.level is None or order[x.level] < need]
    if not short:
        return "met", None
    furthest = min(short, key=lambda x: (x.capped_score if x.capped_score is not None else -1.0, x.indicator))
    return "not-met", furthest


def benchmark_annex(view: View) -> list[BenchmarkRow]:
    """One row per benchmark: its status in each assessed region of the latest round, how many meet it, and how
    many did at the previous round."""
    latest, previous = view.latest, view.previous
    rows = []
    for b in view.framework.benchmarks:
        regions = []
        for rid in sorted(view.regions, key=lambda k: str(view.regions[k].name)):
            r = view.result(latest.id, rid)
            if r is None or not r.assessed:
                continue
            status, furthest = _benchmark_status(view, r, b.indicators)
            regions.append(BenchmarkRegion(view.regions[rid], status, furthest))
        before = None
        if previous is not None:
            before = sum(
                1
                for rid in view.regions
                if (r := view.result(previous.id, rid)) is not None
                and r.assessed
                and _benchmark_status(view, r, b.indicators)[0] == "met"
            )
        rows.append(
            BenchmarkRow(
                b,
                regions,
                sum(1 for x in regions if x.status == "met"),
                sum(1 for x in regions if x.status != "no-data"),
                before,
            )
        )
    return rows


def write_annex_docx(view: View, lang: str, path: Path | IO[bytes]) -> Path | IO[bytes]:
    """The annex of benchmarks: one row per benchmark (national status, change, where it is met and not, and the
    furthest gap), then one table per benchmark with every region."""

    ex = Explainer(view.project, lang, markup=False)
    tr = Translator(lang)
    rows = benchmark_annex(view)
    title = _clean(tr("annex.title", round=ex.text(view.latest.label)))
    document = new_document(view, lang, title, ex.text(view.framework.name))
    document.add_heading(title, level=1)
    keys = ("benchmark", "status", "change", "justification")
    table = _table(document, tr, "annex.column", keys)
    for row in rows:
        line = annex_line(row, ex, tr)
        for cell, key in zip(table.add_row().cells, keys, strict=True):
            cell.text = _clean(line[key])
    for row in rows:
        document.add_heading(_clean(ex.text(row.benchmark.name)), level=2)
        detail = _table(document, tr, "annex.column", ("region", "status", "furthest"))
        for x in row.regions:
            cells = detail.add_row().cells
            cells[0].text = _clean(ex.text(x.region.name))
            cells[1].text = _clean(tr(f"annex.region_status.{x.status}"))
            cells[2].text = _clean(gap_text(x.furthest, ex) if x.furthest is not None else "–")
    return _save(document, path, view, lang)


def gap_text(r: IndicatorResult, ex: Explainer) -> str:
    value = _plain(ex.raw(r.raw)) if r.raw is not None else "–"
    target = _plain(ex.raw(r.target)) if r.target is not None else "–"
    return f"{r.indicator} {ex.indicator_name(r.indicator)}{ex.tr.sep(': ')}{value} / {target}"


def annex_line(row: BenchmarkRow, ex: Explainer, tr: Translator) -> dict[str, str]:
    """A benchmark's line of the annex, in words: as the Word table and the documents page show it."""
    return {
        "benchmark": ex.text(row.benchmark.name),
        "status": tr("annex.status", met=row.met, total=row.assessed),
        "change": "–" if row.met_before is None else tr("annex.change", change=f"{row.met - row.met_before:+d}"),
        "justification": _justification(row, ex, tr),
    }


def _justification(row: BenchmarkRow, ex: Explainer, tr: Translator) -> str:
    short = [x for x in row.regions if x.status == "not-met" and x.furthest is not None]
    if not short:
        return tr("annex.all_met") if row.assessed else "–"
    worst = min(short, key=lambda x: (x.furthest.capped_score or 0.0, str(x.region.name)))  # type: ignore[union-attr]
    return tr("annex.furthest", region=ex.text(worst.region.name), gap=gap_text(worst.furthest, ex))  # type: ignore[arg-type]


def write_annex_xlsx(view: View, lang: str, path: Path | IO[bytes]) -> Path | IO[bytes]:
    """The annex as a workbook: one row per benchmark and region, with the furthest gap."""
    from openpyxl import Workbook

    ex = Explainer(view.project, lang, markup=False)
    tr = Translator(lang)
    book = Workbook()
    sheet = book.create_sheet(_clean(tr("annex.sheet"))[:31], 0)
    book.remove(book.worksheets[1])
    keys = ("name", "region", "status", "indicator", "indicator_name", "value", "target")
    sheet.append([_clean(tr(f"annex.xlsx.{key}")) for key in keys])
    for row in benchmark_annex(view):
        for x in row.regions:
            f = x.furthest
            sheet.append(
                _cells(
                    [
                        ex.text(row.benchmark.name),
                        ex.text(x.region.name),
                        tr(f"annex.region_status.{x.status}"),
                        f.indicator if f else None,
                        ex.indicator_name(f.indicator) if f else None,
                        float(f.raw) if f is not None and f.raw is not None and not isinstance(f.raw, bool) else None,
                        float(f.target) if f is not None and f.target is not None else None,
                    ]
                )
            )
    for cell in sheet["A"] + sheet["B"] + sheet["C"] + sheet["E"]:
        cell.data_type = "s"
    finish_sheet(sheet, view, lang, numbers={"F": "0.0##", "G": "0.0##"})
    finish_workbook(
        book, view, lang, _clean(tr("annex.title", round=ex.text(view.latest.label))), ex.text(view.framework.name)
    )
    return _save(book, path, view, lang)


# ---------------------------------------------------------------- the costed gap list
