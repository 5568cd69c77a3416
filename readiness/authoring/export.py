"""`readiness export`: results and raw observations as tables, for analysts and for the mission's
performance-assessment reporting. One CSV file per table, one XLSX sheet per table, or one JSON file.

The `observations` table is the layout of sheet.py, which `readiness import` reads: exporting a round and
importing the file back into it changes nothing. `write_template` writes the same layout as a workbook for
field teams to fill in (`readiness template`)."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from ..checks import pillar_ids
from ..diagnostics import escape_controls
from ..i18n import language, say
from ..model import Indicator, LocalText, Observation, ValueProblem, _bounds, read_value
from ..outputs import save_workbook, write_output
from ..project import Project
from ..scoring.results import Results
from . import sheet as layout

TABLES = ("results", "pillars", "indicators", "observations", "decisions", "conditions")

#: What a spreadsheet takes for the start of a formula (OWASP's list for CSV injection).
FORMULA_START = layout.FORMULA_START


def spreadsheet_text(value: Any) -> Any:
    """A cell value that a spreadsheet will show, never evaluate: text starting with =, +, -, @, a tab or a
    carriage return gets a leading single quote (OWASP's rule against CSV injection), so that
    `=HYPERLINK("http://x","y")` stays text. Anything that is not text comes back unchanged, and so does
    text that is only a number ("-2.5", "+3", "1e-3"), which no spreadsheet runs as a formula: numbers stay
    numbers. Text that starts with single quotes before such a character gets one more, so that import, which
    drops the one quote export adds (sheet.unquote_csv), reads back exactly the text exported. For every CSV
    writer whose cells may hold text from a project (ids, names, references)."""
    if isinstance(value, str) and layout.formula_like(value):
        return "'" + value
    return value


def _text(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, Decimal):
        text = str(value)
        return format(value, "f") if "E" in text else text  # 1E+3 would read as an exponent: 1000
    return str(value) if not isinstance(value, int | str) else value


def tables(project: Project, results: Results) -> dict[str, list[dict[str, Any]]]:
    """Every table, as rows of plain values, in a stable order."""
    assert project.framework is not None
    order = {r: i for i, r in enumerate(results.rounds)}
    rows = sorted(results.regions.values(), key=lambda r: (order[r.round], r.region))
    pids = pillar_ids(project.framework)
    from ..explain import Explainer

    explainer = Explainer(project, language(), markup=False)  # the gates in words, in the command's language
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    for r in rows:
        region = project.regions[r.region]
        out["results"].append(
            {
                "region": r.region,
                "region_name": region.name,
                "parent": region.parent or "",
                "round": r.round,
                "provisional": project.rounds[r.round].collecting,
                "assessed": r.assessed,
                "score": r.rounded,
                "level": r.level,
                "computed_level": r.computed_level,
                "score_level": r.score_level,
                "coverage_percent": round(r.coverage * 100, 1),
                "change": r.change,
                "level_change": r.level_change,
                "regression": r.regression,
                "gates": "; ".join(f"{g.gate}: {explainer.gate(g)}" for g in r.gates),
                "override": r.override["level"] if r.override else "",
                "projection": (r.projection or {}).get("status", ""),
                "steps_to_handover": len(r.path),
                **_handover_columns(r),
            }
        )
        for pid in pids:
            p = r.pillars.get(pid)
            if p is not None:
                out["pillars"].append(
                    {
                        "region": r.region,
                        "round": r.round,
                        "pillar": pid,
                        "score": p.rounded,
                        "score_full": p.score,
                        "coverage_percent": round(p.coverage * 100, 1),
                        "aggregation": p.aggregation,
                    }
                )
        for ind_id, ir in sorted(r.indicators.items()):
            out["indicators"].append(
                {
                    "region": r.region,
                    "round": r.round,
                    "indicator": ind_id,
                    "status": ir.status,
                    "value": ir.raw,
                    "score": ir.score,
                    "capped_score": ir.capped_score,
                    "level": ir.level or "",
                    "uncapped_level": ir.uncapped_level or "",
                    "capped_by": ", ".join(ir.capped_by),
                    "tier_thresholds": ir.tier_used,
                    "target": ir.target,
                    "weight": ir.weight,
                    "share": ir.share,
                    "contribution": ir.contribution,
                    "current": ir.current,
                    "latest_evidence": ir.latest_evidence,
                    "evidence_age_days": ir.evidence_age_days,
                    "source_types": ", ".join(ir.source_types),
                    "restricted": project.indicators[ind_id].restricted,
                }
            )
    for (round_id, region_id), assessment in sorted(
        project.assessments.items(), key=lambda kv: (order.get(kv[0][0], 0), kv[0][1])
    ):
        for ind_id, obs in assessment.observations.items():
            out["observations"] += observation_rows(project, round_id, region_id, ind_id, obs)
    decisions_rows(project, results, explainer, out)
    return out


def _handover_columns(r: Any) -> dict[str, Any]:
    """Primacy and the register's flags of one region and round, for the results table."""
    h = r.handover
    if h is None:
        return {
            "primacy": "",
            "primacy_by_function": "",
            "at_risk_after_handover": "",
            "conditions_overdue": "",
            "deadline_status": "",
        }
    return {
        "primacy": h.primacy,
        "primacy_by_function": "; ".join(f"{f}: {p}" for f, p in h.functions.items()),
        "at_risk_after_handover": bool(h.at_risk),
        "conditions_overdue": sum(1 for c in h.conditions if c["overdue"]),
        "deadline_status": (h.deadline or {}).get("status", ""),
    }


def decisions_rows(project: Project, results: Results, explainer: Any, out: dict[str, list[dict[str, Any]]]) -> None:
    """The handover register as two tables: one row per decision (with whether it went against the assessment
    it relied on), one per condition (with its status at each round that records one). Each row's `round` is
    the round the decision relied on, so `export --round R` gives the decisions taken on R's assessment."""
    against = {
        item["decision"] for r in results.regions.values() if r.handover is not None for item in r.handover.against
    }
    order = {r: i for i, r in enumerate(results.rounds)}
    ranked = sorted(project.decisions.values(), key=lambda d: (order.get(d.relied_on, len(order)), d.decided, d.id))
    for d in ranked:
        out["decisions"].append(
            {
                "decision": d.id,
                "round": d.relied_on,
                "kind": d.kind,
                "region": d.region,
                "functions": ", ".join(d.functions),
                "primacy_after": d.primacy_after or "",
                "body": d.body or "",
                "reference": d.reference,
                "decided": d.decided,
                "effective": d.effective_date,
                "against_assessment": d.id in against,
                "rationale": explainer.loc(d.rationale),
                "positions": "; ".join(
                    f"{p.party}: {p.position}" + (f" ({p.reason})" if p.reason else "") for p in d.positions
                ),
                "review": d.review,
                "restricted": d.restricted,
            }
        )
        for i, c in enumerate(d.conditions):
            out["conditions"].append(
                {
                    "decision": d.id,
                    "round": d.relied_on,
                    "condition": i + 1,
                    "what": explainer.loc(c.what),
                    "owner": c.owner or "",
                    "due": c.due,
                    "status": "; ".join(
                        f"{r}: {st.state}" + (f" ({st.reference})" if st.reference else "")
                        for r, st in c.status.items()
                    ),
                }
            )


def observation_rows(
    project: Project, round_id: str, region_id: str, ind_id: str, obs: Observation
) -> list[dict[str, Any]]:
    """The rows of one observation in the layout of sheet.py: one per evidence entry, or one without evidence.
    Values are typed (Decimal, bool, date) so that each format writes them as it writes numbers and dates."""
    ind = project.indicators.get(ind_id)
    value: Any = None
    if obs.value is not None:
        value = str(obs.value)
        if ind is not None and project.framework is not None:
            try:
                value = read_value(ind, obs, project.framework.scale)
            except ValueProblem:
                pass
    note = obs.note
    base = {
        "round": round_id,
        "region": region_id,
        "indicator": ind_id,
        "value": value,
        "not_collected": obs.not_collected,
        "not_applicable": obs.not_applicable,
        "confidence": obs.confidence,
        "source_type": None,
        "reference": None,
        "date": None,
        "evidence_restricted": None,
        "value_restricted": _mark(obs.restricted),
        "note": str(note.text) if note is not None else None,
        "note_restricted": _mark(note.restricted) if note is not None else None,
    }
    if not obs.evidence:
        return [base]
    return [
        {
            **base,
            "source_type": ev.source,
            "reference": ev.reference,
            "date": ev.date,
            "evidence_restricted": _mark(ev.restricted),
        }
        for ev in obs.evidence
    ]


def _mark(restricted: bool) -> str | None:
    """A restricted mark as the layout writes it: yes, or empty (which import reads as "as it is")."""
    return "yes" if restricted else None


def write_export(project: Project, results: Results, fmt: str, out: Path, *, round_id: str | None = None) -> list[Path]:
    """Write every table in `fmt` (csv, xlsx or json) into the folder `out`; with `round_id`, only that round's
    rows (the project may hold earlier rounds for the changes between rounds)."""
    data = tables(project, results)
    if round_id is not None:
        data = {name: [row for row in rows if row.get("round") == round_id] for name, rows in data.items()}
    data["observations"] = data["observations"] or []
    out.mkdir(parents=True, exist_ok=True)
    if fmt == "json":
        path = out / "readiness-export.json"
        payload = {name: [{k: _text(v) for k, v in row.items()} for row in rows] for name, rows in data.items()}
        return [write_output(path, json.dumps(payload, indent=1, ensure_ascii=False) + "\n")]
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook()
        _authored(book, project)
        book.remove(book.worksheets[0])
        for name, rows in data.items():
            sheet = book.create_sheet(name)
            header = list(rows[0]) if rows else list(layout.COLUMNS) if name == "observations" else []
            if header:
                sheet.append(header)
            for row in rows:
                sheet.append([_cell(row[h]) for h in header])
            for cells in sheet.iter_rows():
                for cell in cells:
                    if cell.data_type == "f":
                        cell.data_type = "s"  # openpyxl takes any str starting with "=" for a formula
                    elif isinstance(cell.value, date):
                        cell.number_format = "yyyy-mm-dd"
        return [save_workbook(book, out / "readiness-export.xlsx")]
    written = []
    for name, rows in data.items():
        buffer = io.StringIO()
        fields = list(rows[0]) if rows else list(layout.COLUMNS) if name == "observations" else []
        if fields:
            writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
            # The csv module quotes a field holding "\n" (the line terminator) but not one holding a bare
            # "\r", which every reader takes for the end of the row: a row with one is written fully quoted.
            quoted = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n", quoting=csv.QUOTE_ALL)
            writer.writeheader()
            for row in rows:
                cells = {k: _csv_cell(v) for k, v in row.items()}
                (quoted if any("\r" in str(c) for c in cells.values()) else writer).writerow(cells)
        written.append(write_output(out / f"{name}.csv", buffer.getvalue()))
    return written


def _authored(book: Any, project: Project) -> None:
    """The workbook's author is the framework (the mission's assessment), not the library that wrote it."""
    name = project.framework.name.get(project.framework.languages[0]) if project.framework else ""
    book.properties.creator = book.properties.lastModifiedBy = escape_controls(name)[:255] or None


def _csv_cell(value: Any) -> Any:
    """Numbers as they are; any text neutralised against formulas (spreadsheet_text)."""
    text = _text(value)
    return text if isinstance(value, int | float | Decimal) else spreadsheet_text(text)


#: Characters XML 1.0 does not allow (openpyxl refuses to write them): written visibly, as `\x1b`.
_XML_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _cell(value: Any) -> Any:
    """Numbers stay numbers in a spreadsheet (unless a float would not hold them exactly: then the digits are
    written as text), dates stay dates; everything else is text (written as a string cell, see write_export),
    with the characters XML 1.0 forbids written visibly instead of failing the export."""
    if isinstance(value, Decimal):
        number = float(value)
        return number if Decimal(repr(number)) == value else format(value, "f")
    if isinstance(value, bool) or value is None:
        return _text(value)
    if isinstance(value, str):
        return _XML_FORBIDDEN.sub(lambda m: escape_controls(m.group()), str(value))
    return value


# ---------------------------------------------------------------- the collection template


def template_regions(project: Project, round_id: str) -> list[str]:
    """The regions a round collects: those with an assessment file in it, or else the leaf regions."""
    regions = sorted({region for rnd, region in project.assessments if rnd == round_id})
    if not regions:
        parents = {r.parent for r in project.regions.values()}
        regions = sorted(r for r in project.regions if r not in parents)
    return regions


def _local(text: Any, lang: str) -> str:
    """A name from the project in `lang` (or the language it is written in)."""
    return text.get(lang) if isinstance(text, LocalText) else "" if text is None else str(text)


def _number(value: Decimal, decimal: str) -> str:
    """A bound as the template shows it to a person: its digits, with the language's decimal sign."""
    return str(_text(value)).replace(".", decimal)


def _range(ind: Indicator, project: Project, decimal: str = ".") -> tuple[str, Decimal | None, Decimal | None]:
    assert project.framework is not None
    if ind.unit == "yes-no":
        return say("tables.template.range.yes_no"), None, None
    low, high = _bounds(ind, project.framework.scale)
    whole = ind.unit in ("count", "ordinal")
    kind = say("tables.template.range.whole") if whole else say("tables.template.range.number")
    if low is not None and high is not None:
        shown = say("tables.template.range.between", kind=kind, low=_number(low, decimal), high=_number(high, decimal))
        return shown, low, high
    if low is not None:
        return say("tables.template.range.at_least", kind=kind, low=_number(low, decimal)), low, None
    return kind, None, None


def _previous(project: Project, round_id: str, region: str, ind_id: str) -> tuple[str, Any]:
    previous = project.previous_round(round_id)
    if previous is None:
        return "", None
    assessment = project.assessments.get((previous, region))
    obs = assessment.observations.get(ind_id) if assessment is not None else None
    if obs is None:
        return "", None
    dates = sorted(e.date for e in obs.evidence)
    if obs.value is not None:
        shown = str(obs.value)
    elif obs.not_collected is not None:
        shown = say("tables.template.previous.not_collected", reason=str(obs.not_collected))
    elif obs.not_applicable is not None:
        shown = say("tables.template.previous.not_applicable", reason=str(obs.not_applicable))
    else:
        shown = ""
    return shown, dates[-1] if dates else None


def write_template(project: Project, round_id: str, path: Path) -> Path:
    """A workbook for field teams to collect `round_id`: the `observations` sheet in the layout of sheet.py,
    one row per region and indicator, with informative columns (names, unit, allowed range, last round's value
    and evidence date), drop-down lists and range checks where the spreadsheet supports them, a frozen header
    and readable widths. Importing it untouched changes nothing; filled in, it imports as it is.

    What a person reads (the header notes, the range column, the drop-down lists' words and messages, the names
    of regions and indicators) is in the language the command speaks; the header row keeps the column names
    import reads."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    from ..i18n import Translator

    assert project.framework is not None
    fw = project.framework
    rnd = project.rounds[round_id]
    lang = language()
    decimal = Translator(lang).decimal
    yes, no = say("tables.template.yes"), say("tables.template.no")
    yes_no = f'"{yes},{no}"'
    columns = [
        "round",
        "region",
        "region_name",
        "indicator",
        "indicator_name",
        "unit",
        "range",
        "previous_value",
        "previous_evidence_date",
        *[c for c in layout.COLUMNS if c not in ("round", "region", "indicator")],
    ]
    book = Workbook()
    _authored(book, project)
    sheet = book.worksheets[0]
    sheet.title = "observations"
    lists = book.create_sheet(say("tables.template.lists.sheet"))
    # the lists sheet as a formula names it (quoted when its name is more than letters)
    lists_ref = lists.title if lists.title.isidentifier() else "'" + lists.title.replace("'", "''") + "'"
    sheet.append(columns)
    informative = set(layout.INFORMATIVE)
    for i, name in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=i)
        cell.font = Font(bold=True, italic=name in informative)
        cell.fill = PatternFill("solid", fgColor="DDDDDD" if name in informative else "BDD7EE")
        cell.comment = Comment(say(f"tables.template.note.{name}"), "readiness")
    regions = template_regions(project, round_id)
    indicators = sorted(project.indicators)
    sources = [s.id for s in fw.source_types]
    col = {name: layout.column_letter(i) for i, name in enumerate(columns)}
    ranges: dict[tuple[str, Any, Any], list[str]] = {}
    row_no = 1
    for region in regions:
        region_name = _local(project.regions[region].name, lang) if region in project.regions else ""
        for ind_id in indicators:
            if not project.asks(region, round_id, ind_id):
                continue  # outside the unit's own criteria profile, or retired: nothing to collect
            ind = project.indicators[ind_id]
            row_no += 1
            label, low, high = _range(ind, project, decimal)
            previous, seen = _previous(project, round_id, region, ind_id)
            sheet.append(
                [
                    round_id,
                    region,
                    region_name,
                    ind_id,
                    _local(ind.name, lang),
                    _local(ind.unit_label, lang) or _unit(ind.unit),
                    label,
                    _cell(previous) if previous else None,
                    seen,
                    *[None] * (len(columns) - 9),
                ]
            )
            if seen is not None:
                sheet.cell(row=row_no, column=9).number_format = "yyyy-mm-dd"
            kind = "yes-no" if ind.unit == "yes-no" else "whole" if ind.unit in ("count", "ordinal") else "decimal"
            ranges.setdefault((kind, low, high), []).append(f"{col['value']}{row_no}")
    last = max(row_no, 2)
    for i, (title, values) in enumerate(
        [
            (say("tables.template.lists.regions"), regions),
            (say("tables.template.lists.indicators"), indicators),
            (say("tables.template.lists.source_types"), sources),
        ],
        start=1,
    ):
        lists.cell(row=1, column=i, value=title)
        for j, value in enumerate(values, start=2):
            lists.cell(row=j, column=i, value=value)
    lists.sheet_state = "hidden"

    def validation(kind: Literal["list", "date"], letter: str, message: str, **options: Any) -> None:
        check = DataValidation(
            type=kind, allow_blank=True, showErrorMessage=True, errorTitle="readiness", error=message, **options
        )
        sheet.add_data_validation(check)
        check.add(f"{letter}2:{letter}{last}")

    def listed(letter: str, n: int, values: int, message: str) -> None:
        target = layout.column_letter(n - 1)
        validation("list", letter, message, formula1=f"={lists_ref}!${target}$2:${target}${max(values + 1, 2)}")

    listed(col["region"], 1, len(regions), say("tables.template.error.region"))
    listed(col["indicator"], 2, len(indicators), say("tables.template.error.indicator"))
    listed(col["source_type"], 3, len(sources), say("tables.template.error.source_type", sources=", ".join(sources)))
    validation("list", col["confidence"], say("tables.template.error.confidence"), formula1='"low,medium,high"')
    for flag in ("evidence_restricted", "value_restricted", "note_restricted"):
        validation("list", col[flag], say("tables.template.error.yes_no"), formula1=yes_no)
    validation("list", col["round"], say("tables.template.error.round", round=round_id), formula1=f'"{round_id}"')
    validation(
        "date",
        col["date"],
        say("tables.template.error.date", date=rnd.date.isoformat()),
        operator="lessThanOrEqual",
        formula1=f"DATE({rnd.date.year},{rnd.date.month},{rnd.date.day})",
    )
    for (kind, low, high), cells in ranges.items():
        if kind == "yes-no":
            check = DataValidation(
                type="list",
                formula1=yes_no,
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="readiness",
                error=say("tables.template.error.yes_no"),
            )
        elif low is None and high is None and kind == "decimal":
            continue
        else:
            if low is not None and high is not None:
                options: dict[str, Any] = {"operator": "between", "formula1": _text(low), "formula2": _text(high)}
            elif low is not None:
                options = {"operator": "greaterThanOrEqual", "formula1": _text(low)}
            else:
                options = {"operator": "greaterThan", "formula1": "-1E+300"}
            number = say("tables.template.range.whole" if kind == "whole" else "tables.template.range.number")
            error = (
                say(
                    "tables.template.error.between", kind=number, low=_number(low, decimal), high=_number(high, decimal)
                )
                if low is not None and high is not None
                else say("tables.template.error.at_least", kind=number, low=_number(low, decimal))
                if low is not None
                else number
            )
            check = DataValidation(
                type="whole" if kind == "whole" else "decimal",
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="readiness",
                error=error,
                **options,
            )
        sheet.add_data_validation(check)
        for ref in cells:
            check.add(ref)
    for row in sheet.iter_rows(min_row=2, max_row=last):
        row[columns.index("date")].number_format = "yyyy-mm-dd"
        for name in ("reference", "note", "not_collected", "not_applicable", "source_type"):
            row[columns.index(name)].number_format = "@"
    widths = {name: max(len(name) + 2, 12) for name in columns}
    for row_values in sheet.iter_rows(min_row=2, max_row=min(last, 400), values_only=True):
        for name, content in zip(columns, row_values, strict=False):
            if content is not None:
                widths[name] = max(widths[name], len(str(content)) + 2)
    for name in ("reference", "note", "not_collected", "not_applicable"):
        widths[name] = max(widths[name], 30)
    for name, width in widths.items():
        sheet.column_dimensions[col[name]].width = min(width, 48)
    for row_cells in sheet.iter_rows(min_row=2, max_row=last):
        for written in row_cells:
            if written.data_type == "f":
                written.data_type = "s"
            written.alignment = Alignment(vertical="top")
    sheet.freeze_panes = sheet.cell(row=2, column=columns.index("value") + 1).coordinate
    sheet.auto_filter.ref = f"A1:{layout.column_letter(len(columns) - 1)}{last}"
    book.active = 0
    return save_workbook(book, path)


def _unit(unit: str) -> str:
    """An indicator's unit, for a person, when the indicator gives it no label of its own."""
    from ..i18n import catalogue

    key = f"tables.template.unit.{unit}"
    return say(key) if key in catalogue("en") else unit
