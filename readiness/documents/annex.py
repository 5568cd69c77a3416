"""The annex of benchmarks: each benchmark the framework declares, with where it was set (a resolution's
paragraph, a report of the Secretary-General) and its target date, rated in every district and unit assessed as
at the round's cut-off; and a table of every district and unit with its level, who holds primacy and the
benchmarks it meets.

Every count of a table is out of one denominator, the districts and units assessed in the round (the
situation's), and says apart those where a benchmark could not be assessed (none of its indicators has a value
there, or one has none and the others meet it). The furthest gap is always a measured value, with its target
and its direction ("at least 80 per cent", "at most 3 violations per 1,000 officers per year"). Level and
primacy are the situation's (`View.situation`); whether a district or unit meets a benchmark is worked out here
once (`benchmark_annex`), and every table, sheet and page reads it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ..explain import Explainer
from ..i18n import Translator
from ..i18n.french import Name
from ..model import Benchmark, Region
from ..report import View
from ..scoring.results import IndicatorResult, RegionRound
from .word import _cells, _clean, _save, _table, finish_sheet, finish_workbook, new_document

if TYPE_CHECKING:
    from ..situation import Standing

#: A benchmark's status in a district or unit, in the order tables count them.
STATUSES = ("met", "not-met", "incomplete", "no-data", "not-applicable")
#: The statuses that count as "not assessed" (said apart from the benchmark's met and not met).
NOT_ASSESSED = ("incomplete", "no-data")


@dataclass(frozen=True)
class BenchmarkRegion:
    region: Region
    status: str
    """"met"; "not-met" (a measured indicator is below the handover level); "incomplete" (every measured one
    meets it, but one that applies has no value: not assessed); "no-data" (none has a value: not assessed); or
    "not-applicable" (none of its indicators applies there: a national institution has no patrols)."""
    furthest: IndicatorResult | None
    """Of its measured indicators below the handover level, the furthest from its target (by score); never a
    missing value."""
    missing: tuple[str, ...] = ()
    """Its indicators that apply there and have no value."""

    @property
    def assessed(self) -> bool:
        return self.status not in NOT_ASSESSED and self.status != "not-applicable"


@dataclass(frozen=True)
class BenchmarkRow:
    benchmark: Benchmark
    regions: list[BenchmarkRegion]
    """Every district and unit assessed in the round, by name."""
    met: int
    assessed: int
    """The districts and units assessed in the round: the one denominator of every count of the annex."""
    met_before: int | None
    """Districts and units that met it at the previous round (None without one)."""
    not_met: int = 0
    not_assessed: int = 0
    """Where it could not be assessed (no value, or a value missing where the others meet it)."""
    not_applicable: int = 0
    """Where none of its indicators applies."""


def _benchmark_status(
    view: View, r: RegionRound, indicators: list[str]
) -> tuple[str, IndicatorResult | None, list[str]]:
    order = view.project.level_rank
    need = order[view.framework.handover_level]
    found = [x for i in indicators if (x := r.indicators.get(i)) is not None and x.status != "not-applicable"]
    valued = [x for x in found if x.status == "value"]
    missing = sorted(x.indicator for x in found if x.status != "value")
    if not found:
        return "not-applicable", None, []
    if not valued:
        return "no-data", None, missing
    short = [x for x in valued if x.level is None or order[x.level] < need]
    if short:
        furthest = min(short, key=lambda x: (x.capped_score if x.capped_score is not None else -1.0, x.indicator))
        return "not-met", furthest, missing
    return ("incomplete" if missing else "met"), None, missing


def benchmark_annex(view: View) -> list[BenchmarkRow]:
    """One row per benchmark: its status in every district and unit assessed in the latest round (the
    situation's), how many meet it, do not, or could not be assessed, and how many met it at the previous
    round. The one place where "meets a benchmark" is worked out."""
    situation = view.situation
    standings = sorted(situation.ordered, key=lambda s: str(s.region.name))
    previous = view.previous
    rows = []
    for b in view.framework.benchmarks:
        regions = []
        for s in standings:
            status, furthest, missing = _benchmark_status(view, s.result, b.indicators)
            regions.append(BenchmarkRegion(s.region, status, furthest, tuple(missing)))
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
                len(regions),
                before,
                sum(1 for x in regions if x.status == "not-met"),
                sum(1 for x in regions if x.status in NOT_ASSESSED),
                sum(1 for x in regions if x.status == "not-applicable"),
            )
        )
    return rows


@dataclass(frozen=True)
class AnnexRegion:
    """A district or unit as the annex's second table shows it: its standing (level and primacy as at the
    cut-off, from the situation) and its status under each benchmark (from `benchmark_annex`)."""

    standing: Standing
    statuses: dict[str, str]
    """Benchmark id to status."""

    @property
    def met(self) -> list[str]:
        return [b for b, status in self.statuses.items() if status == "met"]

    @property
    def not_assessed(self) -> list[str]:
        return [b for b, status in self.statuses.items() if status in NOT_ASSESSED]


def annex_regions(view: View, rows: list[BenchmarkRow] | None = None) -> list[AnnexRegion]:
    """Every district and unit assessed in the round, by name, with the benchmarks it meets."""
    rows = benchmark_annex(view) if rows is None else rows
    situation = view.situation
    out = []
    for s in sorted(situation.ordered, key=lambda s: str(s.region.name)):
        statuses = {}
        for row in rows:
            statuses[row.benchmark.id] = next(x.status for x in row.regions if x.region.id == s.id)
        out.append(AnnexRegion(s, statuses))
    return out


# ---------------------------------------------------------------- in words


def gap_text(r: IndicatorResult, ex: Explainer) -> str:
    """A measured value against its target, the direction said: "HR-02 Eligible officers vetted and finally
    certified: 68.1 per cent (target: at least 80 per cent)"."""
    return str(
        ex.t(
            "annex.gap",
            indicator=r.indicator,
            name=ex.indicator_name(r.indicator),
            value=ex.quantity(r.indicator, r.raw),
            target=target_text(r.indicator, r.target, ex),
        )
    )


def target_text(ind_id: str, target: Any, ex: Explainer) -> str:
    """A target in words, its direction said ("at least 80 per cent", "at most 3 violations per 1,000 officers
    per year", "yes"); a lower-is-better target of nothing is "none"."""
    ind = ex.project.indicators.get(ind_id)
    if ind is not None and ind.direction == "lower" and target is not None and not isinstance(target, bool):
        if target == 0:
            return ex.tr("annex.zero")
    return str(ex.target_words(ind_id, target))


def direction_words(ind_id: str, ex: Explainer) -> str:
    """ "at least" or "at most": the direction of an indicator's target, for a spreadsheet's column."""
    ind = ex.project.indicators.get(ind_id)
    if ind is None:
        return ""
    return ex.tr("annex.direction.higher" if ind.direction == "higher" else "annex.direction.lower")


def origin_text(b: Benchmark, ex: Explainer) -> str:
    """Where a benchmark was set, as the UN cites it: "paragraph 11 of Security Council resolution 2781 (2025) of
    27 June 2025"; "paragraph 62 of the report of the Secretary-General of 12 December 2025 (S/2025/806)" ("–"
    when not given)."""
    o, tr = b.origin, ex.tr
    if o is not None and o.council is not None:
        c = o.council
        key = "annex.origin.resolution_paragraph" if c.paragraph else "annex.origin.resolution"
        return tr(key, number=c.resolution, year=c.adopted.year, date=tr.long_date(c.adopted), paragraph=c.paragraph)
    if o is not None and o.report:
        if o.date is not None:
            text = tr("annex.origin.report", symbol=o.report, date=tr.long_date(o.date))
        else:
            text = tr("annex.origin.report_undated", symbol=o.report)
        return tr("annex.origin.report_paragraph", report=text, paragraph=o.paragraph) if o.paragraph else text
    return "–"


def measured_by(b: Benchmark, ex: Explainer) -> str:
    """The indicators a benchmark is measured by, each with the handover level's target in words, and the range
    where districts' settings differ: "LG-03 Stations with 24/7 working communications to regional HQ (at least
    95 per cent)"."""
    handover = ex.fw.handover_level
    parts = []
    for ind_id in b.indicators:
        ind = ex.project.indicators.get(ind_id)
        if ind is None:
            continue
        values = sorted({cuts[handover] for cuts in ind.thresholds.values() if handover in cuts})
        if not values:
            target = "–"
        elif len(values) == 1 or ind.unit == "yes-no":
            target = target_text(ind_id, values[0], ex)
        else:
            low, high = values[0], values[-1]
            target = ex.tr("annex.by_setting", low=target_text(ind_id, low, ex), high=ex.quantity(ind_id, high))
        parts.append(ex.tr("annex.measure", indicator=ind_id, name=ex.indicator_name(ind_id), target=target))
    return ex.tr.sep("; ").join(parts)


def region_cell(x: BenchmarkRegion, ex: Explainer) -> str:
    """What a district's or unit's row of a benchmark's table says beside its status: the furthest measured gap,
    or what was not measured."""
    if x.status == "not-met" and x.furthest is not None:
        if x.missing:
            return gap_text(x.furthest, ex) + ex.tr.sep("; ") + ex.tr("annex.no_value", indicators=", ".join(x.missing))
        return gap_text(x.furthest, ex)
    if x.status == "incomplete":
        return ex.tr("annex.no_value", indicators=", ".join(x.missing))
    if x.status == "no-data":
        return ex.tr("annex.none_measured")
    return "–"


def annex_line(row: BenchmarkRow, ex: Explainer, tr: Translator) -> dict[str, str]:
    """A benchmark's line of the annex, in words: as the Word table and the documents page show it."""
    b = row.benchmark
    return {
        "benchmark": ex.text(b.name),
        "status": tr("annex.status", met=row.met, total=row.assessed),
        "not_met": tr.number(row.not_met),
        "not_assessed": tr.number(row.not_assessed),
        "not_applicable": tr.number(row.not_applicable),
        "change": "–" if row.met_before is None else tr("annex.change", change=f"{row.met - row.met_before:+d}"),
        "target_date": tr.long_date(b.target_date) if b.target_date else "–",
        "origin": origin_text(b, ex),
        "justification": _justification(row, ex, tr),
    }


def _justification(row: BenchmarkRow, ex: Explainer, tr: Translator) -> str:
    short = [x for x in row.regions if x.status == "not-met" and x.furthest is not None]
    if not short:
        if row.met and row.met == row.assessed - row.not_assessed - row.not_applicable:
            return tr("annex.all_met")
        return "–"
    worst = min(short, key=lambda x: (x.furthest.capped_score or 0.0, str(x.region.name)))  # type: ignore[union-attr]
    return tr("annex.furthest", region=ex.text(worst.region.name), gap=gap_text(worst.furthest, ex))  # type: ignore[arg-type]


def region_line(a: AnnexRegion, rows: list[BenchmarkRow], ex: Explainer, tr: Translator) -> dict[str, str]:
    """A district's or unit's line of the annex's second table: its level and primacy as at the cut-off (the
    situation's), how many benchmarks it meets out of all of them, and its status under each (by benchmark id)."""
    s = a.standing
    primacy = tr(f"handover.headline.{s.answer}")
    if s.answer == "transition" and s.functions:
        host = [format(Name(str(ex.function_name(f))), "texte") for f, p in s.functions.items() if p == "host"]
        primacy = tr("annex.transition", primacy=primacy, functions=", ".join(host))
    line = {
        "region": ex.text(s.region.name),
        "level": ex.level(s.level),
        "primacy": primacy,
        "meets": tr("annex.meets", met=len(a.met), total=len(rows)),
    }
    for row in rows:
        line[row.benchmark.id] = tr(f"annex.region_status.{a.statuses[row.benchmark.id]}")
    return line


# ---------------------------------------------------------------- Word


SUMMARY = ("benchmark", "status", "not_met", "not_assessed", "not_applicable", "change", "target_date", "justification")
REGIONS = ("region", "level", "primacy", "meets")


def write_annex_docx(view: View, lang: str, path: Path | IO[bytes]) -> Path | IO[bytes]:
    """The annex of benchmarks: one row per benchmark (met, not met and not assessed out of the districts and
    units assessed, change, target date, the furthest gap); every district and unit with its level, primacy and
    the benchmarks it meets; then each benchmark, where it was set, what measures it, and its table."""

    ex = Explainer(view.project, lang, markup=False)
    tr = Translator(lang)
    rows = benchmark_annex(view)
    situation = view.situation
    title = _clean(tr("annex.title", round=ex.text(view.latest.label)))
    document = new_document(view, lang, title, ex.text(view.framework.name))
    document.add_heading(title, level=1)
    for text in annex_intro(view, ex, tr, situation.total):
        document.add_paragraph(_clean(text))
    table = _table(document, tr, "annex.column", SUMMARY)
    for row in rows:
        line = annex_line(row, ex, tr)
        for cell, key in zip(table.add_row().cells, SUMMARY, strict=True):
            cell.text = _clean(line[key])
    document.add_heading(_clean(tr("annex.regions_heading", date=tr.long_date(situation.day))), level=2)
    regions = _table(document, tr, "annex.column", REGIONS)
    for row in rows:  # a column for each benchmark, headed by its name
        header = regions.add_column(regions.columns[0].width or document.sections[0].page_width // 8).cells[0]
        header.text = _clean(ex.text(row.benchmark.name))
        for run in header.paragraphs[0].runs:
            run.bold = True
    keys = REGIONS + tuple(row.benchmark.id for row in rows)
    for a in annex_regions(view, rows):
        line = region_line(a, rows, ex, tr)
        for cell, key in zip(regions.add_row().cells, keys, strict=True):
            cell.text = _clean(line[key])
    for row in rows:
        b = row.benchmark
        document.add_heading(_clean(ex.text(b.name)), level=2)
        document.add_paragraph(_clean(tr("annex.set_by", origin=origin_text(b, ex))))
        if b.target_date:
            document.add_paragraph(_clean(tr("annex.target_date", date=tr.long_date(b.target_date))))
        document.add_paragraph(_clean(tr("annex.measured_by", indicators=measured_by(b, ex))))
        document.add_paragraph(_clean(_counts(row, tr)))
        detail = _table(document, tr, "annex.column", ("region", "status", "furthest"))
        for x in row.regions:
            cells = detail.add_row().cells
            cells[0].text = _clean(ex.text(x.region.name))
            cells[1].text = _clean(tr(f"annex.region_status.{x.status}"))
            cells[2].text = _clean(region_cell(x, ex))
    return _save(document, path, view, lang)


def annex_intro(view: View, ex: Explainer, tr: Translator, total: int) -> list[str]:
    day = tr.long_date(view.situation.day)
    return [
        tr.count("annex.as_at", total, date=day, round=ex.text(view.latest.label)),
        tr("annex.rule", level=ex.level(view.framework.handover_level)),
    ]


def _counts(row: BenchmarkRow, tr: Translator) -> str:
    """ "Met in four of 16 districts and units, not met in 8; not assessed in 4." """
    text = tr.count("annex.counts", row.assessed, met=tr.cardinal(row.met), not_met=tr.cardinal(row.not_met))
    if row.not_assessed:
        text += " " + tr.count("annex.counts_not_assessed", row.not_assessed)
    if row.not_applicable:
        text += " " + tr.count("annex.counts_not_applicable", row.not_applicable)
    return text


# ---------------------------------------------------------------- Excel


def write_annex_xlsx(view: View, lang: str, path: Path | IO[bytes]) -> Path | IO[bytes]:
    """The annex as a workbook: one row per benchmark and district or unit (with the furthest gap, its value,
    direction and target); a sheet of the districts and units (level, primacy, each benchmark's status); and a
    sheet of the benchmarks (origin, target date, the counts out of one denominator)."""
    from openpyxl import Workbook

    ex = Explainer(view.project, lang, markup=False)
    tr = Translator(lang)
    rows = benchmark_annex(view)
    book = Workbook()
    sheet = book.create_sheet(_clean(tr("annex.sheet"))[:31], 0)
    book.remove(book.worksheets[1])
    keys = (
        "name",
        "region",
        "status",
        "indicator",
        "indicator_name",
        "value",
        "direction",
        "target",
        "not_measured",
    )
    sheet.append([_clean(tr(f"annex.xlsx.{key}")) for key in keys])
    for row in rows:
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
                        _number(f.raw) if f is not None else None,
                        direction_words(f.indicator, ex) if f else None,
                        _number(f.target) if f is not None else None,
                        ", ".join(x.missing) or None,
                    ]
                )
            )
    for column in ("A", "B", "C", "E", "G", "I"):
        for cell in sheet[column]:
            cell.data_type = "s"
    finish_sheet(sheet, view, lang, numbers={"F": "#,##0.0##", "H": "#,##0.0##"})

    regions = book.create_sheet(_clean(tr("annex.regions_sheet"))[:31])
    names = [ex.text(row.benchmark.name) for row in rows]
    regions.append(_cells([tr(f"annex.xlsx.{key}") for key in ("region", "level", "primacy", "met", "out_of")] + names))
    for a in annex_regions(view, rows):
        line = region_line(a, rows, ex, tr)
        regions.append(
            _cells(
                [line["region"], line["level"], line["primacy"], len(a.met), len(rows)]
                + [line[row.benchmark.id] for row in rows]
            )
        )
    finish_sheet(regions, view, lang, numbers={"D": "0", "E": "0"})

    summary = book.create_sheet(_clean(tr("annex.summary_sheet"))[:31])
    summary_keys = (
        "name",
        "origin",
        "target_date",
        "met",
        "not_met",
        "not_assessed",
        "not_applicable",
        "out_of",
        "change",
        "furthest",
    )
    summary.append([_clean(tr(f"annex.xlsx.{key}")) for key in summary_keys])
    for row in rows:
        line = annex_line(row, ex, tr)
        summary.append(
            _cells(
                [
                    line["benchmark"],
                    line["origin"],
                    row.benchmark.target_date,
                    row.met,
                    row.not_met,
                    row.not_assessed,
                    row.not_applicable,
                    row.assessed,
                    None if row.met_before is None else row.met - row.met_before,
                    line["justification"],
                ]
            )
        )
    finish_sheet(summary, view, lang, numbers={"D": "0", "E": "0", "F": "0", "G": "0", "H": "0", "I": "+0;-0;0"})
    for cell in summary["C"][1:]:
        cell.number_format = "d mmmm yyyy"
    finish_workbook(
        book, view, lang, _clean(tr("annex.title", round=ex.text(view.latest.label))), ex.text(view.framework.name)
    )
    return _save(book, path, view, lang)


def _number(value: Any) -> float | None:
    """A value as a spreadsheet number (a yes/no is 1 or 0, so that it compares with its target of 1)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    return float(value)
