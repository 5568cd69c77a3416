"""`readiness import`, `export` and `template` meet: one spreadsheet layout (sheet.py), read strictly, written
back line by line, never overwriting a value silently."""

from __future__ import annotations

import csv
import difflib
import shutil
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from openpyxl import Workbook, load_workbook

from readiness.authoring import sheet as layout
from readiness.authoring.export import write_export, write_template
from readiness.authoring.importing import ImportError_, Plan, import_table, write_plan
from readiness.loading import parse_document
from readiness.model import Assessment
from readiness.project import load_project
from readiness.scoring import score_project
from readiness.validation import validate_document
from tests.conftest import REPO, framework, indicator, write_project

TODAY = date(2026, 11, 29)
HEADER = ["region", "indicator", "value", "source_type", "reference", "date"]

LOWA_R2 = """\
# yaml-language-server: $schema=../../schemas/assessment.schema.json
# Lowa, round r2.
region: lowa
round: r2
observations:
  HR-04:  # Women among sworn officers (percent)
    value:  # r1: 72.5, evidence 2026-06-01 (ADM HR roll)
    evidence: []  # expected source types: ADM
  IN-03:
    value:
    evidence: []
  LG-03:
    value: 40
    evidence:
      - source: FV
        reference: Radio test, station log
        date: 2026-09-01
  YN-01:
    not_collected: "Minutes not yet received"  # chased on 2 October
sign_off: []
"""

LOWA_R1 = """\
region: lowa
round: r1
observations:
  HR-04:
    value: 72.5
    evidence:
      - {source: ADM, reference: HR roll, date: 2026-06-01}
  IN-03: {not_collected: no meeting}
  LG-03:
    value: 35
    evidence:
      - source: FV
        reference: Radio test
        date: 2026-06-02
  YN-01:
    value: true
    evidence:
      - source: ADM
        reference: Minutes
        date: 2026-06-03
"""

# ---------------------------------------------------------------- a small project


def indicators() -> list[dict[str, Any]]:
    return [
        indicator("HR-04", "A", name="Women among sworn officers"),
        indicator("LG-03", "B", name="Stations reachable by radio"),
        indicator(
            "IN-03",
            "B",
            name="Security council meetings",
            unit="count",
            scoring={"method": "bands", "bands": [{"value": 0, "score": 0}, {"value": 6, "score": 100}]},
            thresholds={"all": {"partially-ready": 3, "ready": 6}},
        ),
        indicator(
            "YN-01",
            "A",
            name="Code of conduct adopted",
            unit="yes-no",
            scoring={"method": "yes-no"},
            thresholds={"all": {"ready": 1}},
        ),
    ]


def make(root: Path, r2: str | None = LOWA_R2, **extra: Any) -> Path:
    files: dict[str, Any] = {
        "indicators/framework.yaml": framework(),
        "assessments/regions.yaml": {
            "regions": [
                {"id": "lowa", "name": "Lowa", "tier": "urban", "population": 1000},
                {"id": "kessa", "name": "Kessa", "tier": "rural", "population": 800},
            ]
        },
        "assessments/rounds.yaml": (
            "rounds:\n  - id: r1\n    label: R1\n    date: 2026-06-30\n"
            "  - id: r2\n    label: R2\n    date: 2026-09-30\n    state: collecting\n"
        ),
        "assessments/r1/lowa.yaml": LOWA_R1,
    }
    for ind in indicators():
        files[f"indicators/{ind['id']}.yaml"] = ind
    if r2 is not None:
        files["assessments/r2/lowa.yaml"] = r2
    files.update(extra)
    return write_project(root, files)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return make(tmp_path / "project")


def project(root: Path):
    loaded, _ = load_project(root)
    assert loaded.framework is not None
    return loaded


def write_xlsx(
    path: Path, rows: list[list[Any]], title: str = "observations", formats: dict[str, str] | None = None
) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for ref, fmt in (formats or {}).items():
        sheet[ref].number_format = fmt
    book.save(path)
    return path


def write_text_xlsx(path: Path, rows: list[list[str]]) -> Path:
    """Every cell a text cell, as a spreadsheet holds what was typed into a column formatted as text."""
    book = Workbook()
    sheet = book.active
    sheet.title = "observations"
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c, value=value)
            cell.data_type = "s"
            cell.number_format = "@"
    book.save(path)
    return path


def write_csv(path: Path, rows: list[list[Any]], delimiter: str = ",") -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, delimiter=delimiter).writerows(rows)
    return path


def plan_of(root: Path, table: Path, round_id: str | None = "r2", **options: Any) -> Plan:
    return import_table(project(root), table, round_id, TODAY, **options)


def refused(root: Path, table: Path, round_id: str | None = "r2", **options: Any) -> list[str]:
    before = snapshot(root)
    with pytest.raises(ImportError_) as caught:
        plan_of(root, table, round_id, **options)
    assert snapshot(root) == before
    for problem in caught.value.problems:
        assert "Decimal(" not in problem and "datetime." not in problem, problem
    return caught.value.problems


def imported(root: Path, table: Path, round_id: str | None = "r2", **options: Any) -> Plan:
    plan = plan_of(root, table, round_id, **options)
    write_plan(plan)
    return plan


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def text(root: Path, rel: str = "assessments/r2/lowa.yaml") -> str:
    return (root / rel).read_text(encoding="utf-8")


def reread(root: Path, rel: str = "assessments/r2/lowa.yaml") -> Assessment:
    doc, found = parse_document((root / rel).read_bytes(), rel)
    assert doc is not None and not found, found
    model, found = validate_document(doc, Assessment)
    assert model is not None and not found, found
    return model  # type: ignore[return-value]


def changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


# ---------------------------------------------------------------- 1. numbers are never changed silently


@pytest.mark.parametrize(
    "indicator_id,value,message",
    [
        (
            "HR-04",
            "72,5",
            "row 2, column value (C): 72,5 -> write 72.5",
        ),
        ("IN-03", "1,250", "row 2, column value (C): 1,250 -> write 1250 without a thousands separator"),
        ("IN-03", "1,250.0", "row 2, column value (C): 1,250.0 -> write 1250.0 without a thousands separator"),
        ("IN-03", "1 250", "row 2, column value (C): 1 250 -> write 1250 without spaces"),
        ("IN-03", "1\u00a0250", "row 2, column value (C): 1\u00a0250 -> write 1250 without spaces"),
        ("IN-03", "1\u202f250", "row 2, column value (C): 1\u202f250 -> write 1250 without spaces"),
        ("HR-04", "85%", "row 2, column value (C): 85% -> write 85: the unit of HR-04 is percent"),
        ("HR-04", "1e1", "row 2, column value (C): 1e1 -> write the number in full (10), without an exponent"),
        ("HR-04", "about 90", 'row 2, column value (C): HR-04 expects a number (percent), got "about 90"'),
        ("HR-04", "120", "row 2, column value (C): HR-04 is measured in percent, which runs from 0 to 100; got 120"),
        ("IN-03", "2.5", "row 2, column value (C): IN-03 counts whole units, got 2.5"),
        ("YN-01", "maybe", 'row 2, column value (C): YN-01 is a yes/no indicator: write yes or no, got "maybe"'),
    ],
)
def test_a_number_typed_as_text_is_read_strictly_and_refused_with_the_fix(root, tmp_path, indicator_id, value, message):
    rows = [HEADER, ["lowa", indicator_id, value, "ADM", "HR roll", "2026-09-01"]]
    for table in (write_csv(tmp_path / "t.csv", rows), write_text_xlsx(tmp_path / "t.xlsx", rows)):
        problems = refused(root, table)
        assert problems == [message] or problems[0].startswith(message), problems


@pytest.mark.parametrize(
    "typed,message",
    [
        ("30/09/2026", "row 2, column date (F): 30/09/2026 -> write 2026-09-30 (dates are written YYYY-MM-DD)"),
        ("09/30/2026", "row 2, column date (F): 09/30/2026 -> write 2026-09-30 (dates are written YYYY-MM-DD)"),
        (
            "05/09/2026",
            "row 2, column date (F): 05/09/2026 -> write 2026-09-05 if it is day/month/year or 2026-05-09 if "
            "it is month/day/year (dates are written YYYY-MM-DD), or import with --day-first",
        ),
        ("2026/09/30", "row 2, column date (F): 2026/09/30 -> write 2026-09-30"),
        ("30/09/26", "row 2, column date (F): 30/09/26 -> write the date as YYYY-MM-DD, with the year in full"),
        ("2026-02-30", "row 2, column date (F): 2026-02-30 is not a real calendar date"),
        ("Sept 2026", 'row 2, column date (F): "Sept 2026" is not a date: write it as YYYY-MM-DD'),
    ],
)
def test_a_date_typed_as_text_is_read_only_as_yyyy_mm_dd(root, tmp_path, typed, message):
    rows = [HEADER, ["lowa", "HR-04", "74", "ADM", "HR roll", typed]]
    problems = refused(root, write_csv(tmp_path / "t.csv", rows))
    assert problems[0].startswith(message), problems


def test_a_sheet_typed_the_french_way_reads_with_decimal_comma_and_day_first(root, tmp_path):
    rows = [
        HEADER,
        ["lowa", "HR-04", "72,5", "ADM", "Registre RH", "30/09/2026"],
        ["lowa", "IN-03", "4", "ADM", "Procès-verbaux", "1/9/2026"],
    ]
    table = write_text_xlsx(tmp_path / "fr.xlsx", rows)
    plain = refused(root, table)
    assert any("72,5 -> write 72.5" in p for p in plain) and any("30/09/2026 -> write 2026-09-30" in p for p in plain)
    plan = imported(root, table, decimal_comma=True, day_first=True)
    assert "assessments/r2/lowa.yaml: HR-04 value 72.5 (was empty)" in plan.changes
    model = reread(root)
    assert model.observations["HR-04"].value == "72.5"
    assert model.observations["HR-04"].evidence[0].date == date(2026, 9, 30)
    assert model.observations["IN-03"].evidence[0].date == date(2026, 9, 1)


@pytest.mark.parametrize(
    "value,message",
    [
        ("72.5", "row 2, column value (C): 72.5 -> write 72,5: this sheet is read with a decimal comma"),
        ("1.250", "row 2, column value (C): 1.250 -> write 1250 without a thousands separator"),
        ("1 250,5", "row 2, column value (C): 1 250,5 -> write 1250,5 without spaces"),
    ],
)
def test_with_decimal_comma_a_dot_or_a_separator_is_refused(root, tmp_path, value, message):
    rows = [HEADER, ["lowa", "IN-03" if value != "72.5" else "HR-04", value, "ADM", "x", "2026-09-01"]]
    problems = refused(root, write_csv(tmp_path / "t.csv", rows, delimiter=";"), decimal_comma=True)
    assert problems[0].startswith(message), problems


def test_day_first_never_reads_month_first(root, tmp_path):
    rows = [HEADER, ["lowa", "HR-04", "74", "ADM", "HR roll", "09/30/2026"]]
    problems = refused(root, write_csv(tmp_path / "t.csv", rows), day_first=True)
    assert problems == [
        "row 2, column date (F): 09/30/2026 is not a date written day/month/year: write 2026-09-30 (YYYY-MM-DD)"
    ]


def test_real_spreadsheet_cells_are_read_exactly_whatever_the_options(root, tmp_path):
    rows = [
        HEADER,
        ["lowa", "HR-04", 72.5, "ADM", "HR roll", datetime(2026, 9, 30)],
        ["lowa", "IN-03", 4, "ADM", "Minutes", date(2026, 9, 2)],
        ["lowa", "LG-03", 33.3, "FV", "Radio test, station log", datetime(2026, 9, 1, 0, 0)],
        ["lowa", "YN-01", True, "ADM", "Code gazetted", date(2026, 8, 1)],
    ]
    table = write_xlsx(tmp_path / "cells.xlsx", rows)
    for options in ({}, {"decimal_comma": True, "day_first": True}):
        plan = plan_of(root, table, replace=True, **options)
        new = plan.texts[root / "assessments/r2/lowa.yaml"]
        assert "    value: 72.5  # r1: 72.5, evidence 2026-06-01 (ADM HR roll)\n" in new
        assert "    value: 33.3\n" in new and "    value: 4\n" in new
        assert "    value: true  # chased on 2 October\n" in new
        assert "        date: 2026-09-30\n" in new
    write_plan(plan)
    obs = reread(root).observations
    assert obs["LG-03"].value == "33.3" and len(obs["LG-03"].evidence) == 1  # same evidence: not added again


def test_a_percent_formatted_cell_is_refused_and_0_85_stays_0_85(root, tmp_path):
    table = write_xlsx(
        tmp_path / "p.xlsx", [HEADER, ["lowa", "HR-04", 0.85, "ADM", "HR roll", "2026-09-01"]], formats={"C2": "0%"}
    )
    assert refused(root, table) == [
        "row 2, column value (C): the cell shows 85% (it holds 0.85): write 85 in a cell "
        "formatted as a number: the unit of HR-04 is percent"
    ]
    table = write_csv(tmp_path / "p.csv", [HEADER, ["lowa", "HR-04", "0.85", "ADM", "HR roll", "2026-09-01"]])
    imported(root, table)
    assert reread(root).observations["HR-04"].value == "0.85"


def test_every_problem_names_the_row_the_column_and_its_letter(root, tmp_path):
    rows = [
        ["Round", "Region", "Indicator", "Value", "Source type", "Reference", "Date"],
        ["r2", "lowa", "HR-04", "74", "ADM", "ok", "2026-09-01"],
        [None] * 7,  # a blank line in the sheet: the numbers stay the spreadsheet's
        ["r2", "lowa", "IN-03", "1,250", "ADM", "x", "2026-09-01"],
        ["r2", "lowaa", "HR-04", "74", "ADM", "x", "2026-09-01"],
        ["r2", "lowa", "LG-03", "74", "RUMOUR", "x", "2026-09-01"],
        ["r2", "lowa", "YN-01", "yes", "ADM", "x", "2026-10-02"],
    ]
    problems = refused(root, write_xlsx(tmp_path / "bad.xlsx", rows))
    assert problems == [
        "row 4, column Value (D): 1,250 -> write 1250 without a thousands separator (or 1.250 if the comma is a "
        "decimal comma)",
        'row 5, column Region (B): unknown region "lowaa"; did you mean "lowa"?',
        'row 6, column Source type (E): unknown source type "RUMOUR": one of ADM, FV',
        "row 7, column Date (G): evidence dated 2026-10-02 is after the round's cut-off 2026-09-30: it belongs to "
        "the next round",
        "row 4: " + layout.DECIMAL_COMMA_ADVICE,
    ]


# ---------------------------------------------------------------- 2. only the lines whose values change


def test_the_line_editor_fills_values_in_place_keeping_comments_and_indentation(root, tmp_path):
    before = text(root)
    rows = [
        [*HEADER, "note"],
        ["lowa", "HR-04", "74", "ADM", "HR roll, Lowa command", "2026-09-02", ""],
        ["lowa", "IN-03", "", "", "", "", "Council did not sit: the administrator was away"],
    ]
    imported(root, write_csv(tmp_path / "t.csv", rows))
    after = text(root)
    assert changed_lines(before, after) == [
        "-    value:  # r1: 72.5, evidence 2026-06-01 (ADM HR roll)",
        "-    evidence: []  # expected source types: ADM",
        "+    value: 74  # r1: 72.5, evidence 2026-06-01 (ADM HR roll)",
        "+    evidence:  # expected source types: ADM",
        "+      - source: ADM",
        "+        reference: HR roll, Lowa command",
        "+        date: 2026-09-02",
        "-    value:",
        '+    not_collected: "Council did not sit: the administrator was away"',
    ]
    assert reread(root).observations["IN-03"].not_collected == "Council did not sit: the administrator was away"


def test_the_line_editor_follows_the_files_own_list_indentation(tmp_path):
    flush = LOWA_R2.replace(
        "      - source: FV\n        reference: Radio test, station log\n        date: 2026-09-01\n",
        "    - source: FV\n      reference: Radio test, station log\n      date: 2026-09-01\n",
    )
    root = make(tmp_path / "p", r2=flush)
    rows = [
        HEADER,
        ["lowa", "LG-03", "40", "ADM", "Operations room log", "2026-09-03"],
        ["lowa", "HR-04", "74", "ADM", "HR roll", "2026-09-02"],
    ]
    imported(root, write_csv(tmp_path / "t.csv", rows))
    assert changed_lines(flush, text(root)) == [
        "-    value:  # r1: 72.5, evidence 2026-06-01 (ADM HR roll)",
        "-    evidence: []  # expected source types: ADM",
        "+    value: 74  # r1: 72.5, evidence 2026-06-01 (ADM HR roll)",
        "+    evidence:  # expected source types: ADM",
        "+    - source: ADM",
        "+      reference: HR roll",
        "+      date: 2026-09-02",
        "+    - source: ADM",
        "+      reference: Operations room log",
        "+      date: 2026-09-03",
    ]


def test_an_unchanged_sheet_changes_no_byte_and_one_changed_row_only_its_observation(root, tmp_path):
    rows = [
        HEADER,
        ["lowa", "HR-04", "74", "ADM", "HR roll", "2026-09-02"],
        ["lowa", "LG-03", "40", "FV", "Radio test, station log", "2026-09-01"],
        ["lowa", "IN-03", "3", "ADM", "Minutes", "2026-09-03"],
    ]
    imported(root, write_csv(tmp_path / "t.csv", rows))
    first = snapshot(root)
    plan = imported(root, write_csv(tmp_path / "t.csv", rows))
    assert plan.texts == {} and plan.changes == [] and snapshot(root) == first
    assert plan.summary == ["change no file: the files already hold everything the sheet gives"]
    rows[3][2] = "5"
    before = text(root)
    plan = imported(root, write_csv(tmp_path / "t.csv", rows), replace=True)
    assert plan.changes == ["assessments/r2/lowa.yaml: IN-03 value 3 -> 5"]
    assert changed_lines(before, text(root)) == ["-    value: 3", "+    value: 5"]


def test_a_missing_observation_and_a_missing_file_are_written_as_new_round_writes_them(root, tmp_path):
    no_in03 = LOWA_R2.replace("  IN-03:\n    value:\n    evidence: []\n", "")
    root = make(tmp_path / "p", r2=no_in03)
    rows = [
        HEADER,
        ["lowa", "IN-03", "2", "ADM", "Minutes", "2026-09-03"],
        ["kessa", "HR-04", "30", "ADM", "HR roll, Kessa", "2026-09-04"],
    ]
    plan = imported(root, write_csv(tmp_path / "t.csv", rows))
    assert changed_lines(no_in03, text(root)) == [
        "+  IN-03:",
        "+    value: 2",
        "+    evidence:",
        "+      - source: ADM",
        "+        reference: Minutes",
        "+        date: 2026-09-03",
    ]
    assert text(root).index("IN-03:") < text(root).index("LG-03:")  # in its sorted place
    assert plan.created == [root / "assessments/r2/kessa.yaml"]
    created = text(root, "assessments/r2/kessa.yaml")
    assert created.startswith("# yaml-language-server: $schema=../../schemas/assessment.schema.json\n")
    kessa = reread(root, "assessments/r2/kessa.yaml")
    assert kessa.region == "kessa" and kessa.observations["HR-04"].value == "30"
    assert set(kessa.observations) == {"HR-04", "IN-03", "LG-03", "YN-01"}  # every indicator, as new-round lists
    assert all(kessa.observations[i].value is None for i in ("IN-03", "LG-03", "YN-01"))


def test_text_is_quoted_only_when_yaml_needs_it_and_reads_back_exactly(root, tmp_path):
    references = [
        "HR roll",
        "yes",
        "2026",
        "null",
        "a: b",
        "#5 register",
        "x # y",
        "'quoted'",
        '"double"',
        "-2+3",
        '=HYPERLINK("http://x","y")',
        "@SUM(A1)",
        "émargement n° 4",
        "[draft]",
        "a" * 130,
        "tab\tinside",
    ]
    rows = [HEADER] + [["lowa", "LG-03", "40", "FV", ref, "2026-09-01"] for ref in references]
    imported(root, write_csv(tmp_path / "t.csv", rows))
    evidence = reread(root).observations["LG-03"].evidence
    assert [e.reference for e in evidence[1:]] == references
    plain = yaml.safe_load(text(root))["observations"]["LG-03"]["evidence"]
    assert [e["reference"] for e in plain[1:]] == references  # a YAML 1.1 reader sees the same text
    assert "        reference: HR roll\n" in text(root) and '        reference: "yes"\n' in text(root)
    assert "        reference: émargement n° 4\n" in text(root)


# ---------------------------------------------------------------- 3. changes are reported, not forced


def test_a_different_value_is_a_conflict_refused_without_replace(root, tmp_path):
    rows = [
        HEADER,
        ["lowa", "LG-03", "52", "FV", "Radio test, station log", "2026-09-01"],
        ["lowa", "YN-01", "oui", "ADM", "Minutes", "2026-09-05"],
    ]
    table = write_csv(tmp_path / "t.csv", rows)
    assert refused(root, table) == [
        "row 2: assessments/r2/lowa.yaml: LG-03 is value 40 in the file; the sheet gives value 52",
        'row 3: assessments/r2/lowa.yaml: YN-01 is not_collected "Minutes not yet received" in the file; the sheet '
        "gives value true",
        "2 values above differ from the files: import with --replace to overwrite them",
    ]
    before = text(root)
    plan = imported(root, table, replace=True)
    assert plan.changes == [
        "assessments/r2/lowa.yaml: LG-03 value 40 -> 52",
        'assessments/r2/lowa.yaml: YN-01 not_collected "Minutes not yet received" -> value true',
        'assessments/r2/lowa.yaml: YN-01 evidence added: ADM "Minutes" 2026-09-05',
    ]
    assert plan.summary == ["update assessments/r2/lowa.yaml: 2 values set, 1 evidence entry added"]
    assert changed_lines(before, text(root)) == [
        "-    value: 40",
        "+    value: 52",
        '-    not_collected: "Minutes not yet received"  # chased on 2 October',
        "+    value: true  # chased on 2 October",
        "+    evidence:",
        "+      - source: ADM",
        "+        reference: Minutes",
        "+        date: 2026-09-05",
    ]


def test_an_equal_value_is_no_change_and_known_evidence_is_not_added_again(root, tmp_path):
    rows = [HEADER, ["lowa", "LG-03", "40.0", "FV", " Radio test, station log ", "2026-09-01"]]
    plan = imported(root, write_csv(tmp_path / "t.csv", rows))
    assert plan.changes == [] and plan.texts == {}
    rows = [[*HEADER, "not_collected"], ["lowa", "YN-01", "", "", "", "", "Minutes not yet received"]]
    assert imported(root, write_csv(tmp_path / "t.csv", rows)).texts == {}


def test_a_reason_replacing_a_value_needs_replace_and_is_written_in_its_place(root, tmp_path):
    rows = [["region", "indicator", "value", "not_applicable"], ["lowa", "LG-03", "", "No radio net in this region"]]
    table = write_csv(tmp_path / "t.csv", rows)
    assert refused(root, table)[0] == (
        "row 2: assessments/r2/lowa.yaml: LG-03 is value 40 in the file; the sheet "
        'gives not_applicable "No radio net in this region"'
    )
    plan = imported(root, table, replace=True)
    assert plan.changes == ['assessments/r2/lowa.yaml: LG-03 value 40 -> not_applicable "No radio net in this region"']
    assert "    not_applicable: No radio net in this region\n    evidence:\n" in text(root)


# ---------------------------------------------------------------- 4. export and import meet


def copy_example(tmp_path: Path) -> Path:
    target = tmp_path / "example"
    shutil.copytree(
        REPO,
        target,
        ignore=shutil.ignore_patterns("build", ".git", ".venv", "__pycache__", ".pytest_cache", "*.egg-info"),
    )
    return target


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "json"])
def test_exporting_a_round_and_importing_it_back_changes_no_byte(tmp_path, fmt):
    root = copy_example(tmp_path)
    before = snapshot(root)
    loaded = project(root)
    results = score_project(loaded)
    for round_id in ("2026-q3", None):
        out = tmp_path / f"export-{round_id}"
        written = write_export(loaded, results, fmt, out, round_id=round_id)
        table = out / ("observations.csv" if fmt == "csv" else f"readiness-export.{fmt}")
        assert table in written or fmt == "csv"
        plan = import_table(loaded, table, round_id, TODAY)
        assert plan.changes == [] and plan.texts == {}, plan.changes[:5]
        write_plan(plan)
    assert snapshot(root) == before


def test_the_observations_table_is_the_documented_layout(root, tmp_path):
    loaded = project(root)
    write_export(loaded, score_project(loaded), "csv", tmp_path / "out")
    with (tmp_path / "out" / "observations.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == list(layout.COLUMNS)
    assert [r["indicator"] for r in rows if r["round"] == "r1"] == ["HR-04", "IN-03", "LG-03", "YN-01"]
    markdown = layout.layout_markdown()
    for column in (*layout.COLUMNS, *layout.INFORMATIVE):
        assert f"`{column}`" in markdown
    assert "--decimal-comma" in markdown and "--day-first" in markdown and "--replace" in markdown


def test_csv_export_of_text_a_spreadsheet_would_run_comes_back_exactly(tmp_path):
    references = ['=HYPERLINK("http://x","y")', "'=not a formula", "-2+3", "+1", "@SUM(A1)", "-2.5", "'plain"]
    r2 = LOWA_R2.replace(
        "        reference: Radio test, station log\n        date: 2026-09-01\n",
        "".join(
            f"        reference: {json_quote(r)}\n        date: 2026-09-01\n      - source: FV\n" for r in references
        )
        + "        reference: last\n        date: 2026-09-01\n",
    )
    root = make(tmp_path / "p", r2=r2)
    before = snapshot(root)
    loaded = project(root)
    assert [e.reference for e in loaded.assessments[("r2", "lowa")].observations["LG-03"].evidence][:-1] == references
    write_export(loaded, score_project(loaded), "csv", tmp_path / "out", round_id="r2")
    plan = import_table(loaded, tmp_path / "out" / "observations.csv", "r2", TODAY)
    assert plan.texts == {} and snapshot(root) == before


def json_quote(value: str) -> str:
    import json

    return json.dumps(value)


def test_the_workbook_sheet_is_chosen_by_name_or_refused_clearly(root, tmp_path):
    book = Workbook()
    book.active.title = "summary"
    book.active.append(["nothing to import"])
    data = book.create_sheet("Sheet2")
    for row in [HEADER, ["lowa", "HR-04", 74, "ADM", "HR roll", date(2026, 9, 2)]]:
        data.append(row)
    book.save(tmp_path / "two.xlsx")
    assert refused(root, tmp_path / "two.xlsx") == [
        "the workbook has several sheets (summary, Sheet2) and none is named observations: choose one with --sheet NAME"
    ]
    assert refused(root, tmp_path / "two.xlsx", sheet="sheet 2")[0].startswith(
        'the workbook has no sheet "sheet 2"; its sheets: summary, Sheet2'
    )
    plan = plan_of(root, tmp_path / "two.xlsx", sheet="Sheet2")
    assert plan.changes[0] == "assessments/r2/lowa.yaml: HR-04 value 74 (was empty)"
    one = write_xlsx(
        tmp_path / "one.xlsx", [HEADER, ["lowa", "HR-04", 74, "ADM", "HR roll", date(2026, 9, 2)]], title="Feuil1"
    )
    assert plan_of(root, one).changes == plan.changes


def test_informative_and_tool_columns_are_ignored_and_unknown_ones_refused(root, tmp_path):
    rows = [
        [
            "group_obs/Region",
            "group_obs/Indicator",
            "indicator_name",
            "unit",
            "range",
            "previous_value",
            "group_obs/Value",
            "Source",
            "Evidence date",
            "Reference",
            "Comment",
            "_id",
            "_uuid",
            "start",
            "source/ADM",
            "meta/instanceID",
        ],
        [
            "lowa",
            "HR-04",
            "Women",
            "percent",
            "0 to 100",
            "72.5",
            "74",
            "ADM",
            "2026-09-02",
            "HR roll",
            "",
            "17",
            "abc",
            "2026-09-02T10:00",
            "1",
            "uuid:1",
        ],
    ]
    plan = plan_of(root, write_csv(tmp_path / "kobo.csv", rows))
    assert plan.changes[0] == "assessments/r2/lowa.yaml: HR-04 value 74 (was empty)"
    rows[0][2] = "valeur"
    rows[0][3] = "refrence"
    problems = refused(root, write_csv(tmp_path / "typo.csv", rows))
    assert problems == [
        'column valeur (C) is not a column import knows; did you mean "value"?',
        'column refrence (D) is not a column import knows; did you mean "reference"?',
    ]
    rows[0][2], rows[0][3] = "restricted", "unit"
    assert refused(root, write_csv(tmp_path / "r.csv", rows)) == [
        "column restricted (C): say what is restricted: name it value_restricted, evidence_restricted or "
        "note_restricted"
    ]


def test_restricted_marks_set_restricted_on_the_evidence_the_observation_or_the_note(root, tmp_path):
    rows = [
        [*HEADER, "evidence_restricted", "value_restricted", "note", "note_restricted"],
        ["lowa", "HR-04", "74", "ADM", "HR roll", "2026-09-02", "yes", "", "", ""],
        ["lowa", "HR-04", "74", "FV", "Personnel files", "2026-09-03", "", "", "", ""],
        ["lowa", "IN-03", "2", "ADM", "Minutes", "2026-09-03", "", "oui", "Names held by the JMAC", "TRUE"],
    ]
    imported(root, write_csv(tmp_path / "t.csv", rows))
    obs = reread(root).observations
    assert [e.restricted for e in obs["HR-04"].evidence] == [True, False] and not obs["HR-04"].restricted
    assert obs["IN-03"].restricted and obs["IN-03"].note is not None and obs["IN-03"].note.restricted
    assert str(obs["IN-03"].note.text) == "Names held by the JMAC"
    rows[3][7] = "no"
    problems = refused(root, write_csv(tmp_path / "t.csv", rows))
    assert problems[0] == "row 4: assessments/r2/lowa.yaml: IN-03 is restricted in the file; the sheet says it is not"


def test_the_rows_of_one_observation_must_agree(root, tmp_path):
    rows = [
        HEADER,
        ["lowa", "HR-04", "74", "ADM", "HR roll", "2026-09-02"],
        ["lowa", "HR-04", "75", "FV", "Files", "2026-09-03"],
        ["lowa", "LG-03", "40", "FV", "Radio test, station log", "2026-09-01"],
        ["lowa", "LG-03", "", "ADM", "Log", "2026-09-02"],
    ]
    assert refused(root, write_csv(tmp_path / "t.csv", rows)) == [
        "row 3, column value (C): HR-04 in lowa is given as 75 here and as 74 in row 2: the rows of one observation "
        "must agree"
    ]
    del rows[2]
    plan = plan_of(root, write_csv(tmp_path / "t.csv", rows))  # an empty cell takes the other rows' value
    assert 'assessments/r2/lowa.yaml: LG-03 evidence added: ADM "Log" 2026-09-02' in plan.changes


# ---------------------------------------------------------------- 5. the collection template


def test_the_template_has_a_row_per_region_and_indicator_and_imports_untouched_as_no_change(root, tmp_path):
    path = write_template(project(root), "r2", tmp_path / "r2.xlsx")
    book = load_workbook(path)
    assert book.sheetnames[0] == "observations"
    sheet = book["observations"]
    header = [c.value for c in sheet[1]]
    assert set(layout.COLUMNS) <= set(header) and set(layout.INFORMATIVE) <= set(header)
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=2)]
    assert [(r["region"], r["indicator"]) for r in rows] == [("lowa", i) for i in ("HR-04", "IN-03", "LG-03", "YN-01")]
    hr04 = rows[0]
    assert hr04["previous_value"] == "72.5" and hr04["previous_evidence_date"].date() == date(2026, 6, 1)
    assert hr04["range"] == "a number from 0 to 100" and hr04["indicator_name"] == "Women among sworn officers"
    assert sheet.freeze_panes is not None and sheet.freeze_panes.endswith("2")
    assert all(sheet.column_dimensions[layout.column_letter(i)].width >= 8 for i in range(len(header)))
    kinds = {(v.type, str(v.sqref)) for v in sheet.data_validations.dataValidation}
    letter = {name: layout.column_letter(i) for i, name in enumerate(header)}
    assert ("list", f"{letter['region']}2:{letter['region']}5") in kinds
    assert ("list", f"{letter['source_type']}2:{letter['source_type']}5") in kinds
    assert ("list", f"{letter['confidence']}2:{letter['confidence']}5") in kinds
    assert ("date", f"{letter['date']}2:{letter['date']}5") in kinds
    value = letter["value"]
    assert any(t == "decimal" and f"{value}2" in ref.split() and f"{value}4" in ref.split() for t, ref in kinds)
    assert ("whole", f"{value}3") in kinds and ("list", f"{value}5") in kinds  # a count; yes or no
    before = snapshot(root)
    plan = import_table(project(root), path, None, TODAY)
    assert plan.texts == {} and snapshot(root) == before
    # filled in, the way a team types it
    sheet.cell(row=2, column=header.index("value") + 1, value=74)
    sheet.cell(row=2, column=header.index("source_type") + 1, value="ADM")
    sheet.cell(row=2, column=header.index("reference") + 1, value="HR roll")
    sheet.cell(row=2, column=header.index("date") + 1, value=date(2026, 9, 2))
    sheet.cell(row=3, column=header.index("not_collected") + 1, value="Council did not sit")
    book.save(path)
    plan = imported(root, path, None)
    assert plan.changes == [
        "assessments/r2/lowa.yaml: HR-04 value 74 (was empty)",
        'assessments/r2/lowa.yaml: HR-04 evidence added: ADM "HR roll" 2026-09-02',
        'assessments/r2/lowa.yaml: IN-03 not_collected "Council did not sit" (was empty)',
    ]


def test_a_template_for_a_round_without_files_lists_the_leaf_regions(tmp_path):
    root = make(tmp_path / "p", r2=None)
    path = write_template(project(root), "r2", tmp_path / "r2.xlsx")
    sheet = load_workbook(path)["observations"]
    assert sorted({row[1].value for row in sheet.iter_rows(min_row=2)}) == ["kessa", "lowa"]


# ---------------------------------------------------------------- 6. what import did before still holds


def test_empty_observations_of_a_collecting_round_fill_without_complaint_and_the_others_stay_empty(root, tmp_path):
    before = text(root)
    imported(root, write_csv(tmp_path / "t.csv", [HEADER, ["lowa", "IN-03", "2", "ADM", "Minutes", "2026-09-03"]]))
    after = text(root)
    assert (
        "    value:  # r1: 72.5, evidence 2026-06-01 (ADM HR roll)\n    evidence: []  # expected source types: ADM\n"
    ) in after
    assert changed_lines(before, after) == [
        "-    value:",
        "-    evidence: []",
        "+    value: 2",
        "+    evidence:",
        "+      - source: ADM",
        "+        reference: Minutes",
        "+        date: 2026-09-03",
    ]


def test_a_note_without_a_value_records_not_collected_and_aliases_still_work(root, tmp_path):
    rows = [
        ["Region", "Indicator", "Value", "Source type", "Reference", "Evidence date", "Comment"],
        ["lowa", "HR-04", "", "", "", "", "Roll not released by the Ministry"],
        ["lowa", "IN-03", "3", "ADM", "", "2026-09-03", ""],
    ]
    plan = imported(root, write_csv(tmp_path / "t.csv", rows))
    assert (
        plan.changes[0] == 'assessments/r2/lowa.yaml: HR-04 not_collected "Roll not released by the Ministry" '
        "(was empty)"
    )
    obs = reread(root).observations
    assert obs["HR-04"].not_collected == "Roll not released by the Ministry"
    assert obs["IN-03"].evidence[0].reference == "imported row 3"


def test_a_row_with_no_value_and_no_reason_and_an_evidence_date_after_the_cutoff_are_refused(root, tmp_path):
    rows = [
        HEADER,
        ["lowa", "HR-04", "", "ADM", "HR roll", "2026-09-02"],
        ["lowa", "IN-03", "3", "ADM", "Minutes", "2026-11-30"],
        ["lowa", "LG-03", "40", "ADM", "Minutes", "2026-12-30"],
    ]
    assert refused(root, write_csv(tmp_path / "t.csv", rows), round_id=None) == [
        "the table has no round column: add one, or name the round of every row (--round)"
    ]
    problems = refused(root, write_csv(tmp_path / "t.csv", rows))
    assert problems == [
        "row 3, column date (F): evidence dated 2026-11-30 is after the round's cut-off 2026-09-30: it belongs to "
        "the next round",
        "row 4, column date (F): evidence dated 2026-12-30 is after the round's cut-off 2026-09-30: it belongs to "
        "the next round",
        "row 2: HR-04 in lowa has no value and no reason; give the value, or the reason it was not collected "
        "(not_collected, or the note column)",
    ]


def test_the_read_values_keep_their_decimal_digits(root, tmp_path):
    rows = [HEADER, ["lowa", "HR-04", "72.50", "ADM", "HR roll", "2026-09-02"]]
    imported(root, write_csv(tmp_path / "t.csv", rows))
    assert reread(root).observations["HR-04"].value == "72.50"
    assert Decimal(reread(root).observations["HR-04"].value) == Decimal("72.5")


def test_a_file_written_on_windows_keeps_its_line_endings_and_byte_order_mark(tmp_path):
    root = make(tmp_path / "p", r2=None)
    path = root / "assessments/r2/lowa.yaml"
    path.parent.mkdir(parents=True)
    original = ("\ufeff" + LOWA_R2).replace("\n", "\r\n").encode("utf-8")
    path.write_bytes(original)
    rows = [[*HEADER, "note"], ["lowa", "HR-04", "74", "ADM", "HR roll", "2026-09-02", "Two\nlines"]]
    imported(root, write_csv(tmp_path / "t.csv", rows))
    after = path.read_bytes()
    assert after.startswith(b"\xef\xbb\xbf# yaml-language-server")
    assert after.count(b"\n") == after.count(b"\r\n") == original.count(b"\r\n") + 6
    assert str(reread(root).observations["HR-04"].note.text) == "Two\nlines"  # type: ignore[union-attr]


@pytest.mark.parametrize("name", ["round.xls", "round.ods"])
def test_only_csv_files_xlsx_workbooks_and_the_json_export_are_read(root, tmp_path, name):
    (tmp_path / name).write_text("{}", encoding="utf-8")
    assert refused(root, tmp_path / name)[0].startswith(f"{name}: import reads CSV files, Excel workbooks (.xlsx)")


@pytest.mark.parametrize(
    "content,message",
    [
        ("{}", "holds no `observations` list"),
        ('{"observations": [1]}', "entry 1 of `observations` is not an object"),
        ('{"observations": [{"value": [1]}]}', 'entry 1, key "value" holds a list or an object'),
        ('{"observations": [{"value": NaN}]}', "is not valid JSON: NaN is not a number JSON allows"),
        ("[{", "is not valid JSON"),
    ],
)
def test_a_json_file_that_is_not_the_export_is_refused_clearly(root, tmp_path, content, message):
    (tmp_path / "obs.json").write_text(content, encoding="utf-8")
    assert message in refused(root, tmp_path / "obs.json")[0]


def test_a_json_list_of_observations_imports_and_names_entries_and_keys(root, tmp_path):
    import json

    entries = [
        {
            "region": "lowa",
            "indicator": "HR-04",
            "value": 74,
            "source_type": "ADM",
            "reference": "HR roll",
            "date": "2026-09-02",
        },
        {
            "region": "lowa",
            "indicator": "LG-03",
            "value": "4O",
            "source_type": "ADM",
            "reference": "x",
            "date": "2026-09-02",
        },
    ]
    (tmp_path / "obs.json").write_text(json.dumps({"observations": entries}), encoding="utf-8")
    assert refused(root, tmp_path / "obs.json") == [
        'row 2, key value: LG-03 expects a number (percent), got "4O": write the number alone, without the unit or '
        "words"
    ]
    (tmp_path / "obs.json").write_text(json.dumps(entries[:1]), encoding="utf-8")
    assert "assessments/r2/lowa.yaml: HR-04 value 74 (was empty)" in imported(root, tmp_path / "obs.json").changes


# ---------------------------------------------------------------- 7. hints that point the right way


@pytest.mark.parametrize(
    "typed,column",
    [
        ("N/A", "the not_applicable column (the indicator does not apply to this region) or the not_collected column"),
        ("n.d.", "the not_collected column (it could not be collected this round)"),
        ("s.o.", "the not_applicable column (the indicator does not apply to this region)"),
        ("-", "the not_collected column"),
    ],
)
def test_a_placeholder_in_the_value_column_points_to_the_reason_columns(root, tmp_path, typed, column):
    for indicator_id in ("HR-04", "YN-01"):  # a number and a yes/no
        rows = [HEADER, ["lowa", indicator_id, typed, "ADM", "HR roll", "2026-09-01"]]
        problems = refused(root, write_csv(tmp_path / "t.csv", rows))
        assert problems[0].startswith(
            f'row 2, column value (C): "{typed}" is not a value: leave the value empty and write why in {column}'
        ), problems


def test_a_placeholder_value_in_a_file_gets_the_same_advice_from_check(root):
    path = root / "assessments/r2/lowa.yaml"
    path.write_text(text(root).replace("  LG-03:\n    value: 40", "  LG-03:\n    value: n.d."), encoding="utf-8")
    from readiness.checks import check_project

    loaded, _ = load_project(root)
    found = [d for d in check_project(loaded) if d.code == "O001"]
    assert found and "remove the value and write `not_collected: <why>`" in found[0].hint, found


def test_merged_region_cells_are_named_with_the_way_out(root, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.title = "observations"
    sheet.append(HEADER)
    sheet.append(["lowa", "HR-04", 74, "ADM", "HR roll", "2026-09-02"])
    sheet.append([None, "LG-03", 45, "FV", "Radio log", "2026-09-02"])
    sheet.append([None, "IN-03", 4, "ADM", "Minutes", "2026-09-02"])
    sheet.merge_cells("A2:A4")
    sheet.merge_cells("G1:H4")  # beside the table, in columns import does not read: not a problem
    book.save(tmp_path / "merged.xlsx")
    assert refused(root, tmp_path / "merged.xlsx") == [
        "cells A2:A4 are merged: a merged cell keeps its value only in its first cell (A2), so rows 3 to 4 would "
        "have no region; unmerge them and fill the region in every row"
    ]
    # the same table saved as CSV: the region written once, the rows under it empty
    rows = [
        HEADER,
        ["lowa", "HR-04", 74, "ADM", "HR roll", "2026-09-02"],
        ["", "LG-03", 45, "FV", "Radio", "2026-09-02"],
    ]
    assert refused(root, write_csv(tmp_path / "t.csv", rows)) == [
        "row 3, column region (A): no region; fill the region in every row (a region written once for several rows, "
        "or in cells that were merged, leaves the rows under it empty)"
    ]


def test_an_unknown_header_gets_the_column_it_means_in_any_language_of_the_project(tmp_path):
    root = make(tmp_path / "p", **{"indicators/framework.yaml": framework(languages=["fr", "en"])})
    rows = [
        ["région", "indicateur", "valeurs", "type de source", "Référence", "date", "Commentaires"],
        ["lowa", "HR-04", "74", "ADM", "HR roll", "2026-09-02", ""],
    ]
    problems = refused(root, write_csv(tmp_path / "t.csv", rows))
    assert problems == [
        'column valeurs (C) is not a column import knows; did you mean "value" (Français: "valeur")?',
        'column Commentaires (G) is not a column import knows; did you mean "note" (Français: "commentaire")?',
        "the table has no column value; columns: round, region, indicator, value, not_collected, not_applicable, "
        "confidence, source_type, reference, date, evidence_restricted, value_restricted, note, note_restricted "
        "(round may be left out when the import names the round)",
    ]
    # a project in English alone is not pointed to French words it does not use, nor reads them
    english = refused(make(tmp_path / "q"), write_csv(tmp_path / "t.csv", rows))
    assert not any("Français" in p for p in english)
    rows[0][2] = "valeur"
    english = refused(make(tmp_path / "q2"), write_csv(tmp_path / "t.csv", rows))
    assert any(p.startswith("column valeur (C) is not a column import knows") for p in english), english


def test_a_sheet_headed_in_a_language_of_the_project_imports(tmp_path):
    root = make(tmp_path / "p", **{"indicators/framework.yaml": framework(languages=["fr", "en"])})
    rows = [
        ["Région", "INDICATEUR", "valeur", "Type de source", "référence", "Date", "commentaire", "non-collecté"],
        ["lowa", "HR-04", "74", "ADM", "HR roll", "2026-09-02", "", ""],
        ["lowa", "IN-03", "", "", "", "", "", "registre perdu"],
    ]
    plan = plan_of(root, write_csv(tmp_path / "t.csv", rows))
    assert "assessments/r2/lowa.yaml: HR-04 value 74 (was empty)" in plan.changes
    assert 'assessments/r2/lowa.yaml: IN-03 not_collected "registre perdu" (was empty)' in plan.changes
    # a header in a language of the project and its English name for the same column: one too many
    rows = [[*HEADER, "valeur"], ["lowa", "HR-04", "74", "ADM", "HR roll", "2026-09-02", "74"]]
    assert refused(root, write_csv(tmp_path / "t.csv", rows)) == [
        "columns value (C) and valeur (G) both mean value: keep one"
    ]


def test_the_decimal_comma_advice_is_given_once_for_the_sheet(root, tmp_path):
    rows = [HEADER] + [["lowa", i, "72,5", "ADM", "HR roll", "2026-09-02"] for i in ("HR-04", "LG-03", "IN-03")]
    problems = refused(root, write_csv(tmp_path / "t.csv", rows, delimiter=";"))
    advice = [p for p in problems if "--decimal-comma" in p]
    assert advice == ["rows 2, 3 and 4: " + layout.DECIMAL_COMMA_ADVICE], problems
    assert "row 2, column value (C): 72,5 -> write 72.5" in problems


def test_a_value_a_hundred_times_the_round_before_is_a_warning_not_a_refusal(root, tmp_path):
    rows = [HEADER, ["lowa", "HR-04", "0.725", "ADM", "HR roll", "2026-09-02"]]
    plan = plan_of(root, write_csv(tmp_path / "t.csv", rows))
    assert plan.warnings == [
        "row 2: HR-04 in lowa is 0.725 and was 72.5 in r1: 100 times smaller; check the decimal point and the unit "
        "against the source (if the change is real, say why in the note column)"
    ]
    assert "assessments/r2/lowa.yaml: HR-04 value 0.725 (was empty)" in plan.changes
    rows = [[*HEADER, "note"], ["lowa", "HR-04", "7.3", "ADM", "HR roll", "2026-09-02", "A new count after the audit"]]
    assert plan_of(root, write_csv(tmp_path / "t.csv", rows)).warnings == []  # a real change, said in the note
    rows = [HEADER, ["lowa", "HR-04", "80", "ADM", "HR roll", "2026-09-02"]]
    assert plan_of(root, write_csv(tmp_path / "t.csv", rows)).warnings == []
    # once in the file, check says the same (O007)
    imported(root, write_csv(tmp_path / "t.csv", [HEADER, ["lowa", "HR-04", "0.725", "ADM", "HR roll", "2026-09-02"]]))
    from readiness.checks import check_project

    loaded, _ = load_project(root)
    found = [d for d in check_project(loaded) if d.code == "O007"]
    assert [d.message for d in found] == ["HR-04 is 0.725 in r2 and was 72.5 in r1: 100 times smaller"]


def test_the_command_prints_the_warning_and_still_writes(root, tmp_path):
    from tests.conftest import run

    table = write_csv(tmp_path / "t.csv", [HEADER, ["lowa", "HR-04", "0.725", "ADM", "HR roll", "2026-09-02"]])
    result = run("import", str(table), "--round", "r2", "-p", str(root))
    assert result.exit_code == 0, result.output
    assert "t.csv: warning: row 2: HR-04 in lowa is 0.725 and was 72.5 in r1: 100 times smaller" in result.output
    assert reread(root).observations["HR-04"].value == "0.725"
