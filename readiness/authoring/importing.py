"""`readiness import`: a long table of observations (CSV or XLSX, as exported by spreadsheets and field-survey
tools such as KoboToolbox) into assessment files.

Columns (case and spacing do not matter; a group prefix such as `group_a/region` is dropped):
region, indicator, value, source_type (or source), reference, date, note, and round (or pass --round).
Several rows for the same region and indicator add several evidence entries to one value. A row with no
value and a note records `not_collected: <note>`.

Every row is checked first; nothing is written unless every row is valid. Existing files are edited in
place with their comments and key order kept (round-trip YAML).
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..loading import Plain, parse_document
from ..model import Assessment, Observation, ValueProblem, read_value
from ..project import Project
from ..validation import did_you_mean, validate_document

ALIASES = {"source": "source_type", "sourcetype": "source_type", "source_types": "source_type",
           "region_id": "region", "indicator_id": "indicator", "evidence_date": "date", "round_id": "round",
           "evidence_reference": "reference", "comment": "note", "notes": "note"}
REQUIRED = ("region", "indicator", "value")
YES = {"yes", "true", "1", "oui", "y"}
NO = {"no", "false", "0", "non", "n"}


class ImportError_(Exception):  # noqa: N801 - not the builtin ImportError
    """The file could not be imported; nothing was written."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class Row:
    number: int
    round: str
    region: str
    indicator: str
    value: Decimal | bool | None
    reason: str
    source: str
    reference: str
    date: date | None
    note: str


@dataclass
class Plan:
    """What an import would write: file texts by path, and a summary a person can read."""

    texts: dict[Path, str] = field(default_factory=dict)
    created: list[Path] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)


def _header(name: str) -> str:
    key = name.strip().rsplit("/", 1)[-1].strip().lower().replace(" ", "_").replace("-", "_")
    return ALIASES.get(key, key)


def read_table(path: Path) -> list[tuple[int, dict[str, str]]]:
    """Rows of a CSV or XLSX file as text, numbered as the spreadsheet numbers them (header = row 1)."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True, data_only=True)
        sheet = book.worksheets[0]
        rows_iter = sheet.iter_rows(values_only=True)
        header = [_header(str(h or "")) for h in next(rows_iter, [])]
        out = []
        for number, values in enumerate(rows_iter, start=2):
            cells = {h: _cell(v) for h, v in zip(header, values, strict=False) if h}
            if any(cells.values()):
                out.append((number, cells))
        book.close()
        return out
    text = path.read_bytes().decode("utf-8-sig")
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    header = [_header(h) for h in next(reader, [])]
    out = []
    for number, values in enumerate(reader, start=2):
        cells = {h: v.strip() for h, v in zip(header, values, strict=False) if h}
        if any(cells.values()):
            out.append((number, cells))
    return out


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_rows(project: Project, table: list[tuple[int, dict[str, str]]], round_id: str | None,
               today: date) -> tuple[list[Row], list[str]]:
    """Typed rows, and one message per bad row naming its number and what to fix."""
    assert project.framework is not None
    fw = project.framework
    rows: list[Row] = []
    problems: list[str] = []
    sources = [s.id for s in fw.source_types]
    seen: dict[tuple[str, str, str], Row] = {}
    if table and not all(col in table[0][1] for col in REQUIRED):
        missing = [c for c in REQUIRED if c not in table[0][1]]
        return [], [f"the table has no column {', '.join(missing)}; columns needed: region, indicator, value, "
                    "source_type, reference, date, note (and round unless --round is given)"]
    for number, cells in table:
        def bad(message: str, number: int = number) -> None:
            problems.append(f"row {number}: {message}")

        rnd = cells.get("round") or round_id or ""
        region, ind_id = cells.get("region", ""), cells.get("indicator", "")
        if not rnd:
            bad("no round: add a round column or pass --round")
            continue
        if rnd not in project.rounds:
            bad(f"unknown round {rnd!r}; {did_you_mean(rnd, project.rounds) or 'add it with readiness new-round'}")
            continue
        if region not in project.regions:
            bad(f"unknown region {region!r}" + (f"; {hint}" if (hint := did_you_mean(region, project.regions))
                                                else ""))
            continue
        ind = project.indicators.get(ind_id)
        if ind is None:
            bad(f"unknown indicator {ind_id!r}" + (f"; {hint}" if (hint := did_you_mean(ind_id, project.indicators))
                                                   else ""))
            continue
        raw = cells.get("value", "")
        note = cells.get("note", "")
        value: Decimal | bool | None = None
        if raw == "":
            if not note:
                bad(f"{ind_id} in {region} has no value and no reason; give the value, or the reason it was "
                    "not collected in the note column")
                continue
        else:
            if ind.unit == "yes-no" and raw.lower() in YES | NO:
                raw = "true" if raw.lower() in YES else "false"
            try:
                value = read_value(ind, Observation.model_validate({"value": Plain(raw.replace(",", "."))
                                                                    if ind.unit != "yes-no" else Plain(raw)}),
                                   fw.scale)
            except ValueProblem as problem:
                bad(problem.message)
                continue
        source, reference = cells.get("source_type", ""), cells.get("reference", "")
        when: date | None = None
        if cells.get("date"):
            try:
                when = date.fromisoformat(cells["date"][:10])
            except ValueError:
                bad(f"date {cells['date']!r} is not a date written as YYYY-MM-DD")
                continue
        if value is not None:
            if source not in sources:
                bad(f"source type {source!r} is not one of {', '.join(sources)}" if source else
                    f"a value needs its evidence: give a source type ({', '.join(sources)}) and a date")
                continue
            if when is None:
                bad("a value needs the date of its evidence")
                continue
            cutoff = project.rounds[rnd].date
            if when > cutoff or when > today:
                bad(f"evidence dated {when} is after the round's cut-off {cutoff}" if when > cutoff
                    else f"evidence dated {when} is in the future")
                continue
        row = Row(number, rnd, region, ind_id, value, note if value is None else "", source,
                  reference or f"imported row {number}", when, note if value is not None else "")
        key = (rnd, region, ind_id)
        first = seen.get(key)
        if first is not None and (first.value != row.value or first.reason != row.reason):
            bad(f"{ind_id} in {region} is given as {first.value if first.value is not None else first.reason!r} "
                f"in row {first.number} and differently here")
            continue
        seen.setdefault(key, row)
        rows.append(row)
    return rows, problems


def round_trip_yaml(text: str = "") -> YAML:
    """A round-trip YAML editor that keeps comments, key order, quotes and the file's own list indentation."""
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 110
    indented = re.search(r"^( +)- ", text, re.MULTILINE) is not None or not text
    if indented:
        yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _number(value: Decimal | bool) -> Any:
    if isinstance(value, bool):
        return value
    return int(value) if value == value.to_integral_value() else float(value)


def plan_import(project: Project, rows: list[Row]) -> tuple[Plan, list[str]]:
    """Edit (or create) each assessment file in memory, then validate the result as `check` would."""
    plan = Plan()
    problems: list[str] = []
    groups: dict[tuple[str, str], list[Row]] = {}
    for row in rows:
        groups.setdefault((row.round, row.region), []).append(row)
    for (rnd, region), group in sorted(groups.items()):
        doc_info = project.origins.get(("assessment", f"{rnd}/{region}"))
        path = project.root / doc_info[0].path if doc_info else project.root / "assessments" / rnd / f"{region}.yaml"
        original = path.read_text(encoding="utf-8") if path.exists() else ""
        yaml = round_trip_yaml(original)
        if path.exists():
            data = yaml.load(original)
        else:
            data = CommentedMap([("region", region), ("round", rnd), ("observations", CommentedMap())])
            data.yaml_set_start_comment("yaml-language-server: $schema=../../schemas/assessment.schema.json")
            plan.created.append(path)
        observations = data.setdefault("observations", CommentedMap())
        changed, evidence_added = 0, 0
        for row in group:
            obs = observations.get(row.indicator)
            if not isinstance(obs, dict):
                obs = CommentedMap()
                observations[row.indicator] = obs
            if row.value is None:
                for key in ("value", "not_applicable"):
                    obs.pop(key, None)
                if obs.get("not_collected") != row.reason:
                    obs["not_collected"] = row.reason
                    changed += 1
                continue
            new = _number(row.value)
            for key in ("not_collected", "not_applicable"):
                obs.pop(key, None)
            if str(obs.get("value")) != str(new):
                if "value" in obs:
                    obs["value"] = new
                else:
                    obs.insert(0, "value", new)
                changed += 1
            evidence = obs.get("evidence")
            if not isinstance(evidence, list):
                evidence = CommentedSeq()
                obs["evidence"] = evidence
            if isinstance(evidence, CommentedSeq) and not evidence:
                evidence.fa.set_block_style()  # an empty `[]` from new-round becomes a readable list
            entry = CommentedMap([("source", row.source), ("reference", row.reference),
                                  ("date", row.date.isoformat() if row.date else "")])
            if not any(isinstance(e, dict) and e.get("source") == row.source and e.get("reference") == row.reference
                       and str(e.get("date")) == entry["date"] for e in evidence):
                evidence.append(entry)
                evidence_added += 1
            if row.note:
                obs["note"] = row.note
        out = io.StringIO()
        yaml.dump(data, out)
        text = out.getvalue()
        rel = path.relative_to(project.root).as_posix()
        doc, found = parse_document(text.encode("utf-8"), rel)
        model = None
        if doc is not None:
            model, found = validate_document(doc, Assessment)
        if found or model is None:
            problems += [f"rows {', '.join(str(r.number) for r in group)}: {rel} would not be valid: {d.message}"
                         for d in found]
            continue
        plan.texts[path] = text
        verb = "create" if path in plan.created else "update"
        plan.summary.append(f"{verb} {rel}: {changed} value{'s' * (changed != 1)} set, "
                            f"{evidence_added} evidence entr{'ies' if evidence_added != 1 else 'y'} added")
    return plan, problems


def import_table(project: Project, path: Path, round_id: str | None, today: date) -> Plan:
    """Read, check and plan an import; raises ImportError_ with every bad row when anything is wrong."""
    try:
        table = read_table(path)
    except (OSError, UnicodeDecodeError, csv.Error, ValueError, KeyError) as exc:
        raise ImportError_([f"cannot read {path.name}: {exc}"]) from None
    if not table:
        raise ImportError_([f"{path.name} has no rows"])
    rows, problems = parse_rows(project, table, round_id, today)
    if problems:
        raise ImportError_(problems)
    plan, problems = plan_import(project, rows)
    if problems:
        raise ImportError_(problems)
    return plan


def write_plan(plan: Plan) -> None:
    """Write every file of the plan, all or nothing: each new text is staged beside its file, then the
    renames run; if anything fails on the way, every file is put back as it was."""
    staged: list[tuple[Path, Path]] = []
    originals: dict[Path, bytes | None] = {}
    created_dirs: list[Path] = []
    try:
        for path, text in plan.texts.items():
            if not path.parent.exists():
                path.parent.mkdir(parents=True)
                created_dirs.append(path.parent)
            originals[path] = path.read_bytes() if path.exists() else None
            tmp = path.with_name(f".{path.name}.import-tmp")
            tmp.write_text(text, encoding="utf-8")
            staged.append((tmp, path))
        for tmp, path in staged:
            tmp.replace(path)
    except BaseException:
        for tmp, path in staged:
            tmp.unlink(missing_ok=True)
            before = originals.get(path)
            if before is None:
                path.unlink(missing_ok=True)
            else:
                path.write_bytes(before)
        for folder in reversed(created_dirs):
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise
