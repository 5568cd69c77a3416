"""`readiness export`: results and raw observations as tables, for analysts and for the mission's
performance-assessment reporting. One CSV file per table, one XLSX sheet per table, or one JSON file."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..checks import pillar_ids
from ..diagnostics import escape_controls
from ..project import Project
from ..scoring.results import Results

TABLES = ("results", "pillars", "indicators", "observations")

#: What a spreadsheet takes for the start of a formula (OWASP's list for CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", re.ASCII)


def spreadsheet_text(value: Any) -> Any:
    """A cell value that a spreadsheet will show, never evaluate: text starting with =, +, -, @, a tab or a
    carriage return gets a leading single quote (OWASP's rule against CSV injection), so that
    `=HYPERLINK("http://x","y")` stays text. Anything that is not text comes back unchanged, and so does
    text that is only a number ("-2.5", "+3", "1e-3"), which no spreadsheet runs as a formula: numbers stay
    numbers. For every CSV writer whose cells may hold text from a project (ids, names, references)."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def _text(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return repr(value)
    return str(value) if not isinstance(value, int | str) else value


def tables(project: Project, results: Results) -> dict[str, list[dict[str, Any]]]:
    """Every table, as rows of plain values, in a stable order."""
    assert project.framework is not None
    order = {r: i for i, r in enumerate(results.rounds)}
    rows = sorted(results.regions.values(), key=lambda r: (order[r.round], r.region))
    pids = pillar_ids(project.framework)
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    for r in rows:
        region = project.regions[r.region]
        out["results"].append({
            "region": r.region, "region_name": region.name, "parent": region.parent or "", "round": r.round,
            "assessed": r.assessed, "score": r.rounded, "level": r.level, "computed_level": r.computed_level,
            "score_level": r.score_level, "coverage_percent": round(r.coverage * 100, 1), "change": r.change,
            "level_change": r.level_change, "regression": r.regression,
            "gates": "; ".join(f"{g.gate}: {g.reason}" for g in r.gates),
            "override": r.override["level"] if r.override else "",
            "projection": (r.projection or {}).get("status", ""), "steps_to_handover": len(r.path)})
        for pid in pids:
            p = r.pillars.get(pid)
            if p is not None:
                out["pillars"].append({"region": r.region, "round": r.round, "pillar": pid, "score": p.rounded,
                                       "score_full": p.score, "coverage_percent": round(p.coverage * 100, 1),
                                       "aggregation": p.aggregation})
        for ind_id, ir in sorted(r.indicators.items()):
            out["indicators"].append({
                "region": r.region, "round": r.round, "indicator": ind_id, "status": ir.status, "value": ir.raw,
                "score": ir.score, "capped_score": ir.capped_score, "level": ir.level or "",
                "uncapped_level": ir.uncapped_level or "", "capped_by": ", ".join(ir.capped_by),
                "tier_thresholds": ir.tier_used, "target": ir.target, "weight": ir.weight, "share": ir.share,
                "contribution": ir.contribution, "current": ir.current, "latest_evidence": ir.latest_evidence,
                "evidence_age_days": ir.evidence_age_days, "source_types": ", ".join(ir.source_types),
                "restricted": project.indicators[ind_id].restricted})
    for (round_id, region_id), assessment in sorted(project.assessments.items(),
                                                    key=lambda kv: (order.get(kv[0][0], 0), kv[0][1])):
        for ind_id, obs in assessment.observations.items():
            base = {"region": region_id, "round": round_id, "indicator": ind_id, "value": obs.value,
                    "not_collected": obs.not_collected, "not_applicable": obs.not_applicable,
                    "confidence": obs.confidence, "restricted": obs.restricted}
            if not obs.evidence:
                out["observations"].append({**base, "source_type": "", "reference": "", "evidence_date": ""})
            for ev in obs.evidence:
                out["observations"].append({**base, "source_type": ev.source, "reference": ev.reference,
                                            "evidence_date": ev.date.isoformat(),
                                            "restricted": obs.restricted or ev.restricted})
    return out


def write_export(project: Project, results: Results, fmt: str, out: Path) -> list[Path]:
    data = tables(project, results)
    out.mkdir(parents=True, exist_ok=True)
    if fmt == "json":
        path = out / "readiness-export.json"
        payload = {name: [{k: _text(v) for k, v in row.items()} for row in rows] for name, rows in data.items()}
        path.write_text(json.dumps(payload, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        return [path]
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook()
        book.remove(book.active)
        for name, rows in data.items():
            sheet = book.create_sheet(name)
            if rows:
                header = list(rows[0])
                sheet.append(header)
                for row in rows:
                    sheet.append([_cell(row[h]) for h in header])
                for cells in sheet.iter_rows():
                    for cell in cells:
                        if cell.data_type == "f":
                            cell.data_type = "s"  # openpyxl takes any str starting with "=" for a formula
        path = out / "readiness-export.xlsx"
        book.save(path)
        return [path]
    written = []
    for name, rows in data.items():
        buffer = io.StringIO()
        if rows:
            writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
            # The csv module quotes a field holding "\n" (the line terminator) but not one holding a bare
            # "\r", which every reader takes for the end of the row: a row with one is written fully quoted.
            quoted = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n",
                                    quoting=csv.QUOTE_ALL)
            writer.writeheader()
            for row in rows:
                cells = {k: _csv_cell(v) for k, v in row.items()}
                (quoted if any("\r" in str(c) for c in cells.values()) else writer).writerow(cells)
        path = out / f"{name}.csv"
        path.write_text(buffer.getvalue(), encoding="utf-8")
        written.append(path)
    return written


def _csv_cell(value: Any) -> Any:
    """Numbers as they are; any text neutralised against formulas (spreadsheet_text)."""
    text = _text(value)
    return text if isinstance(value, int | float | Decimal) else spreadsheet_text(text)


#: Characters XML 1.0 does not allow (openpyxl refuses to write them): written visibly, as `\x1b`.
_XML_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _cell(value: Any) -> Any:
    """Numbers stay numbers in a spreadsheet; everything else is text (written as a string cell, see
    write_export), with the characters XML 1.0 forbids written visibly instead of failing the export."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bool) or value is None:
        return _text(value)
    if isinstance(value, str):
        return _XML_FORBIDDEN.sub(lambda m: escape_controls(m.group()), str(value))
    return value
