"""`readiness import` against hostile workbooks (issue 24): a small file that unpacks to gigabytes, a hidden sheet
read over the visible one, formulas whose saved values are taken on trust, and sheet text that drives the
terminal. Every workbook is built here, part by part, so that each payload is visible in the test."""

from __future__ import annotations

import io
import random
import re
import unicodedata
import zipfile
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

import pytest
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference

from readiness.authoring import table as reading
from readiness.authoring.importing import ImportError_
from readiness.authoring.sheet import escaped, quoted
from tests.conftest import run
from tests.test_import import HEADER, make, plan_of, refused, write_csv

ROW = ["lowa", "HR-04", 74, "ADM", "HR roll", "2026-09-02"]
SET_74 = [
    "assessments/r2/lowa.yaml: HR-04 value 74 (was empty)",
    'assessments/r2/lowa.yaml: HR-04 evidence added: ADM "HR roll" 2026-09-02',
]
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return make(tmp_path / "project")


# ---------------------------------------------------------------- building workbooks part by part


def parts_of(book: Workbook) -> dict[str, bytes]:
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def table_book(rows: list[list[Any]], title: str = "observations") -> Workbook:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    return book


def save(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


def with_sheet(path: Path, body: bytes, dimension: bytes = b"A1:F2") -> Path:
    """A workbook whose sheet `observations` is the given XML body (after its declared dimension)."""
    parts = parts_of(table_book([HEADER, ROW]))
    head = f'<worksheet xmlns="{MAIN}"><dimension ref="'.encode() + dimension + b'"/>'
    parts["xl/worksheets/sheet1.xml"] = head + body + b"</worksheet>"
    return save(path, parts)


class Formula:
    def __init__(self, text: str | None, cached: Any = None, shared: str = "") -> None:
        self.text, self.cached, self.shared = text, cached, shared


def cell_xml(ref: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Formula):
        attrs = ' t="shared" si="0"' if value.shared or value.text is None else ""  # a shared formula or its copy
        attrs += f' ref="{value.shared}"' if value.shared else ""
        formula = f"<f{attrs}>{xml_escape(value.text)}</f>" if value.text is not None else f"<f{attrs}/>"
        cached = f"<v>{xml_escape(str(value.cached))}</v>" if value.cached is not None else ""
        kind = ' t="str"' if isinstance(value.cached, str) else ""
        return f'<c r="{ref}"{kind}>{formula}{cached}</c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{xml_escape(str(value))}</t></is></c>'


def rows_xml(rows: list[list[Any]]) -> bytes:
    out = []
    for r, row in enumerate(rows, start=1):
        cells = "".join(cell_xml(f"{chr(65 + c)}{r}", v) for c, v in enumerate(row))
        out.append(f'<row r="{r}">{cells}</row>')
    return ("<sheetData>" + "".join(out) + "</sheetData>").encode()


def never_opened(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make openpyxl's load_workbook fail the test: the refusal must come from the zip inspection alone."""
    import openpyxl

    def fail(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("openpyxl opened a workbook that the inspection should have refused")

    monkeypatch.setattr(openpyxl, "load_workbook", fail)


def only_problem(root: Path, table: Path, **options: Any) -> str:
    problems = refused(root, table, **options)
    assert len(problems) == 1, problems
    return problems[0]


# ---------------------------------------------------------------- 1. size limits, before reading


def test_the_limits_are_far_above_a_real_assessment_table_and_documented():
    rows, columns = 100_000, 30  # a few hundred regions by a few hundred indicators, one row per evidence entry
    assert reading.MAX_ROWS >= 2 * rows and reading.MAX_COLUMNS >= 10 * columns
    assert reading.MAX_CELLS >= rows * columns
    assert reading.MAX_ENTRY_BYTES >= rows * columns * 60  # 60 bytes of XML per cell, text cells included
    assert reading.MAX_TOTAL_BYTES >= reading.MAX_ENTRY_BYTES
    assert reading.MAX_RATIO >= 50
    assert reading.MAX_ROW_ELEMENTS >= 5 * reading.MAX_COLUMNS
    source = Path(reading.__file__).read_text(encoding="utf-8")
    for name in [n for n in vars(reading) if n.startswith("MAX_")]:
        assert re.search(rf"#: [^\n]*\n(#: [^\n]*\n)*{name} = ", source), f"{name} has no comment saying why"


def test_a_real_workbook_larger_than_the_ratio_threshold_passes_the_inspection(tmp_path):
    book = Workbook(write_only=True)
    sheet = book.create_sheet("observations")
    sheet.append([*HEADER, "note", "region_name", "indicator_name", "unit", "previous_value"])
    rng = random.Random(24)
    for i in range(4000):
        sheet.append(
            [
                "lowa",
                "HR-04",
                rng.random() * 100,
                "ADM",
                f"Register {i}",
                "2026-09-02",
                None,
                "Lowa",
                "Women",
                "percent",
                72.5,
            ]
        )
    book.save(tmp_path / "real.xlsx")
    with zipfile.ZipFile(tmp_path / "real.xlsx") as zf:
        assert zf.getinfo("xl/worksheets/sheet1.xml").file_size > reading.RATIO_FROM_BYTES
    chosen, scan = reading.inspect_workbook(tmp_path / "real.xlsx")
    assert chosen.name == "observations" and not scan.formulas


@pytest.mark.parametrize("tag", [b"dimension", b"x:dimension"])
def test_a_declared_dimension_past_the_limits_is_refused_before_openpyxl_opens_the_workbook(
    root, tmp_path, monkeypatch, tag
):
    parts = parts_of(table_book([HEADER, ROW]))
    sheet = parts["xl/worksheets/sheet1.xml"]
    assert b'<dimension ref="A1:F2"/>' in sheet
    sheet = sheet.replace(b'<dimension ref="A1:F2"/>', b"<" + tag + b' ref="A1:XFD1048576"/>')
    if tag.startswith(b"x:"):
        sheet = sheet.replace(b"<worksheet ", b'<worksheet xmlns:x="' + MAIN.encode() + b'" ', 1)
    parts["xl/worksheets/sheet1.xml"] = sheet
    never_opened(monkeypatch)
    problem = only_problem(root, save(tmp_path / "huge.xlsx", parts))
    assert problem.startswith(
        'huge.xlsx is not read: the sheet "observations" declares its size as A1:XFD1048576 (1,048,576 rows by '
        "16,384 columns), more than import reads (250,000 rows, 4,000 columns, 5,000,000 cells). If the table is "
        "smaller, delete the empty rows and columns past it"
    ), problem
    assert "split it into workbooks of at most 250,000 rows, each with the header row" in problem


def test_rows_padded_to_column_xfd_are_refused_while_read_though_the_file_is_small_and_its_dimension_lies(
    root, tmp_path
):
    """The audit's 150 KB workbook that took openpyxl 4.7 GB: each row has one empty cell in the last column, so
    every row comes back 16,384 cells wide. The dimension says A1:F2; the cells are counted as they are read."""
    body = rows_xml([HEADER, ROW])[: -len(b"</sheetData>")]
    body += b"".join(b'<row r="%d"><c r="XFD%d"/></row>' % (n, n) for n in range(3, 330)) + b"</sheetData>"
    table = with_sheet(tmp_path / "padded.xlsx", body)
    assert table.stat().st_size < 20_000
    problem = only_problem(root, table)
    assert problem.startswith(
        'padded.xlsx is not read: the sheet "observations" holds more than 5,000,000 cells (counted to row 308); '
        "a real assessment table stays within 250,000 rows, 4,000 columns and 5,000,000 cells: if the table is "
        "really larger, split it into workbooks of at most 250,000 rows"
    ), problem


def test_the_cells_are_counted_while_read_when_the_dimension_lies(root, tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "MAX_CELLS", 40)
    rows = [HEADER] + [ROW] * 9  # 60 cells, the file declares A1:B2
    problem = only_problem(root, with_sheet(tmp_path / "lies.xlsx", rows_xml(rows), b"A1:B2"))
    assert problem.startswith(
        'lies.xlsx is not read: the sheet "observations" holds more than 40 cells (counted to row 7)'
    )


def test_a_value_past_the_last_row_or_column_read_is_refused_not_dropped(root, tmp_path):
    far_row = rows_xml([HEADER, ROW])[: -len(b"</sheetData>")]
    far_row += b'<row r="300000"><c r="A300000" t="inlineStr"><is><t>kessa</t></is></c></row></sheetData>'
    assert only_problem(root, with_sheet(tmp_path / "far.xlsx", far_row)).startswith(
        'far.xlsx is not read: the sheet "observations" has a value in row 300,000, past row 250,000; '
    )
    wide = rows_xml([HEADER, ROW])[: -len(b"</row></sheetData>")]
    wide += b'<c r="EWW2" t="inlineStr"><is><t>stray</t></is></c></row></sheetData>'
    assert only_problem(root, with_sheet(tmp_path / "wide.xlsx", wide)).startswith(
        'wide.xlsx is not read: the sheet "observations" has a value in cell EWW2, past column EWV (4,000 columns); '
    )
    # an empty row far down (a row height set by hand) is no value: the table imports
    empty = (
        rows_xml([HEADER, ROW])[: -len(b"</sheetData>")] + b'<row r="1048576" ht="30" customHeight="1"/></sheetData>'
    )
    assert plan_of(root, with_sheet(tmp_path / "empty.xlsx", empty)).changes == SET_74


def test_a_zip_bomb_is_refused_by_its_compression_ratio_before_anything_is_unpacked(root, tmp_path, monkeypatch):
    body = b'<sheetData><row r="1">' + b"<c/>" * 5_000_000 + b"</row></sheetData>"  # 20 MB in about 20 KB
    table = with_sheet(tmp_path / "bomb.xlsx", body)
    assert table.stat().st_size < 100_000
    never_opened(monkeypatch)
    problem = only_problem(root, table)
    assert re.match(
        r"bomb\.xlsx is not read: its part xl/worksheets/sheet1\.xml unpacks [\d,]+ times larger than it is stored "
        r"\(19 MB\), where a real workbook stays under 100 times; it is damaged, or built to exhaust the computer's "
        r"memory: open it in a spreadsheet, copy the observations table into a new workbook \(paste values\) and "
        r"import that",
        problem,
    ), problem


def test_a_part_or_a_workbook_that_unpacks_past_the_size_limits_is_refused(root, tmp_path, monkeypatch):
    table = save(tmp_path / "t.xlsx", parts_of(table_book([HEADER, ROW])))
    never_opened(monkeypatch)
    monkeypatch.setattr(reading, "MAX_ENTRY_BYTES", 5_000)
    assert only_problem(root, table).startswith(
        "t.xlsx is not read: its part xl/theme/theme1.xml unpacks to 10 KB, more than the 5 KB import reads in one "
        "part; a real assessment table stays within"
    )
    monkeypatch.setattr(reading, "MAX_ENTRY_BYTES", 50_000)
    monkeypatch.setattr(reading, "MAX_TOTAL_BYTES", 10_000)
    assert re.match(
        r"t\.xlsx is not read: the workbook unpacks to 1\d KB, more than the 10 KB import reads; ",
        only_problem(root, table),
    )
    monkeypatch.setattr(reading, "MAX_ENTRIES", 5)
    assert only_problem(root, table).startswith("t.xlsx is not read: the workbook holds 9 parts, more than the 5")


def test_one_row_of_too_many_cells_is_refused_before_openpyxl_builds_it(root, tmp_path, monkeypatch):
    rng = random.Random(24)
    cells = "".join(
        f'<c r="A1"><v>{rng.random()}</v></c>' for _ in range(42_000)
    ).encode()  # packs too poorly for the ratio
    never_opened(monkeypatch)
    problem = only_problem(
        root, with_sheet(tmp_path / "row.xlsx", b'<sheetData><row r="1">' + cells + b"</row></sheetData>")
    )
    assert problem.startswith(
        'row.xlsx is not read: row 1 of the sheet "observations" holds more than 80,000 XML elements (4,000 columns '
        "at most); it is damaged, or built to exhaust"
    ), problem


def test_elements_outside_the_rows_are_bounded_too(root, tmp_path, monkeypatch):
    never_opened(monkeypatch)
    loose = with_sheet(tmp_path / "loose.xlsx", b"<sheetData>" + b"<c/>" * 90_000 + b"</sheetData>")
    assert only_problem(root, loose).startswith(
        'loose.xlsx is not read: the sheet "observations", before its first row, holds more than 80,000 XML elements'
    )
    monkeypatch.setattr(reading, "MAX_TAIL_ELEMENTS", 100)
    links = b"<hyperlinks>" + b'<hyperlink ref="A1" location="x"/>' * 200 + b"</hyperlinks>"
    tail = with_sheet(tmp_path / "tail.xlsx", rows_xml([HEADER, ROW]) + links)
    assert only_problem(root, tail).startswith(
        'tail.xlsx is not read: the sheet "observations" holds more than 100 XML elements after its rows'
    )


def test_another_sheet_is_bounded_as_far_as_openpyxl_reads_it(root, tmp_path):
    """openpyxl sizes every sheet when it opens a workbook: up to the declared dimension, or without one through
    all the rows. A huge row in another sheet is refused only when openpyxl would build it."""
    book = table_book([HEADER, ROW])
    book.create_sheet("big")
    parts = parts_of(book)
    rng = random.Random(24)
    row = b'<sheetData><row r="1">' + "".join(f"<c><v>{rng.random()}</v></c>" for _ in range(42_000)).encode()
    row += b"</row></sheetData>"
    parts["xl/worksheets/sheet2.xml"] = f'<worksheet xmlns="{MAIN}">'.encode() + row + b"</worksheet>"
    assert only_problem(root, save(tmp_path / "undeclared.xlsx", parts)).startswith(
        'undeclared.xlsx is not read: row 1 of the sheet "big" holds more than 80,000 XML elements'
    )
    parts["xl/worksheets/sheet2.xml"] = (
        f'<worksheet xmlns="{MAIN}"><dimension ref="A1:HV1"/>'.encode() + row + b"</worksheet>"
    )
    assert plan_of(root, save(tmp_path / "declared.xlsx", parts)).changes == SET_74


def test_a_part_openpyxl_parses_whole_is_held_to_an_element_limit(root, tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "MAX_PART_ELEMENTS", 1_000)
    parts = parts_of(table_book([HEADER, ROW]))
    styles = parts["xl/styles.xml"]
    parts["xl/styles.xml"] = styles.replace(b'<cellXfs count="1">', b'<cellXfs count="1">' + b"<xf/>" * 2_000)
    never_opened(monkeypatch)
    assert only_problem(root, save(tmp_path / "styles.xlsx", parts)).startswith(
        "styles.xlsx is not read: its part xl/styles.xml holds more than 1,000 XML elements, more than any "
        "spreadsheet writes there; it is damaged"
    )


def test_a_sheet_part_that_something_else_reads_whole_is_not_streamed(tmp_path, monkeypatch):
    """A drawing relationship pointing at a worksheet's part would have openpyxl parse that part whole: the part
    is then held to the whole-part limit, not the row-by-row one."""
    monkeypatch.setattr(reading, "MAX_PART_ELEMENTS", 1_000)
    book = table_book([HEADER, ROW])
    book.create_sheet("other").append(["x"] * 600)  # 1,800 elements: fine for a sheet, not for a whole part
    parts = parts_of(book)
    parts["xl/worksheets/_rels/sheet1.xml.rels"] = (
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing"'
        b' Target="/xl/worksheets/sheet2.xml"/></Relationships>'
    )
    with pytest.raises(ImportError_) as caught:
        reading.inspect_workbook(save(tmp_path / "shared.xlsx", parts))
    assert caught.value.problems[0].startswith("shared.xlsx is not read: its part xl/worksheets/sheet2.xml holds more")
    del parts["xl/worksheets/_rels/sheet1.xml.rels"]
    assert reading.inspect_workbook(save(tmp_path / "plain.xlsx", parts))[0].name == "observations"


def test_a_file_that_is_not_a_zip_or_not_a_workbook_keeps_its_clear_message(root, tmp_path):
    (tmp_path / "notzip.xlsx").write_text("region,indicator\n", encoding="utf-8")
    assert refused(root, tmp_path / "notzip.xlsx") == ["cannot read notzip.xlsx as a workbook: File is not a zip file"]
    with zipfile.ZipFile(tmp_path / "zip.xlsx", "w") as zf:
        zf.writestr("notes.txt", "hello")
    assert refused(root, tmp_path / "zip.xlsx") == [
        "cannot read zip.xlsx: \"There is no item named '[Content_Types].xml' in the archive\""
    ]


# ---------------------------------------------------------------- 2. hidden sheets


def hidden_book(state: str, visible_title: str = "Feuil1") -> Workbook:
    book = table_book([HEADER, ROW], visible_title)
    secret = book.create_sheet("observations")
    for row in [HEADER, ["lowa", "HR-04", 10, "ADM", "HR roll", "2026-09-02"]]:
        secret.append(row)
    secret.sheet_state = state
    return book


@pytest.mark.parametrize(("state", "shown"), [("veryHidden", "very hidden"), ("hidden", "hidden")])
def test_a_hidden_observations_sheet_is_never_read_over_the_visible_sheet(root, tmp_path, state, shown):
    table = tmp_path / "hidden.xlsx"
    hidden_book(state).save(table)
    problem = only_problem(root, table)
    assert problem.startswith(
        f"the sheet observations is {shown}, and import reads a hidden sheet only when it is named: it may hold "
        "other values than the sheets you see. Check what it holds ("
    ), problem
    assert problem.endswith(
        "then import it with --sheet observations, or name the sheet to import with --sheet NAME (visible sheets: "
        "Feuil1)"
    ), problem
    assert ("VBA editor" in problem) == (state == "veryHidden")
    assert plan_of(root, table, sheet="Feuil1").changes == SET_74
    assert plan_of(root, table, sheet="observations").changes == [SET_74[0].replace("74", "10"), SET_74[1]]


def test_hidden_sheets_are_left_out_of_the_choice_and_marked_in_the_lists(root, tmp_path):
    book = table_book([HEADER, ROW], "data")
    book.create_sheet("lists").sheet_state = "hidden"
    book.save(tmp_path / "one.xlsx")
    assert plan_of(root, tmp_path / "one.xlsx").changes == SET_74  # the only visible sheet
    book.create_sheet("summary")
    book.save(tmp_path / "two.xlsx")
    assert refused(root, tmp_path / "two.xlsx") == [
        "the workbook has several sheets (data, summary) and none is named observations: choose one with --sheet NAME"
    ]
    assert refused(root, tmp_path / "two.xlsx", sheet="list") == [
        'the workbook has no sheet "list"; its sheets: data, lists (hidden), summary; did you mean "lists"?'
    ]
    book = table_book([HEADER, ROW])  # the visible sheet observations, and a very hidden one beside it
    secret = book.create_sheet("data")
    secret.append(HEADER)
    secret.sheet_state = "veryHidden"
    book.save(tmp_path / "both.xlsx")
    assert plan_of(root, tmp_path / "both.xlsx").changes == SET_74


def test_two_sheets_of_one_name_are_refused(root, tmp_path):
    parts = parts_of(hidden_book("veryHidden"))
    workbook = parts["xl/workbook.xml"]
    assert b'name="Feuil1"' in workbook
    parts["xl/workbook.xml"] = workbook.replace(b'name="Feuil1"', b'name="Observations"')
    assert refused(root, save(tmp_path / "twins.xlsx", parts)) == [
        'the workbook has two sheets named "Observations" and "observations", which no spreadsheet allows: the '
        "file was not saved by a spreadsheet; open it in one, copy the observations table into a new workbook and "
        "import that"
    ]


def test_a_chart_sheet_is_not_a_table(root, tmp_path):
    book = table_book([HEADER, ROW], "data")
    chart = BarChart()
    chart.add_data(Reference(book["data"], min_col=3, min_row=1, max_row=2), titles_from_data=True)
    book.create_chartsheet("observations").add_chart(chart)
    book.save(tmp_path / "chart.xlsx")
    assert refused(root, tmp_path / "chart.xlsx") == [
        'the sheet "observations" is a chart, not a table: name the sheet of the table with --sheet'
    ]
    assert plan_of(root, tmp_path / "chart.xlsx", sheet="data").changes == SET_74


# ---------------------------------------------------------------- 3. formulas


def test_a_formula_written_by_a_program_has_no_saved_value_and_is_refused(root, tmp_path):
    table = tmp_path / "f.xlsx"
    table_book([HEADER, ["lowa", "HR-04", "=37*2", "ADM", "HR roll", "2026-09-02"]]).save(table)
    assert refused(root, table) == [
        "cell C2 holds a formula (=37*2) and no saved value (a program that does not calculate wrote it): copy "
        "the column and paste values"
    ]


def test_a_formula_with_a_saved_value_is_refused_not_taken_on_trust(root, tmp_path):
    rows = [HEADER, ["lowa", "HR-04", Formula("F7*2", cached=74), "ADM", "HR roll", "2026-09-02"]]
    assert refused(root, with_sheet(tmp_path / "cached.xlsx", rows_xml(rows))) == [
        "cell C2 holds a formula (=F7*2); its saved value may be out of date: copy the column and paste values"
    ]


def test_shared_formulas_header_formulas_and_many_formulas(root, tmp_path, monkeypatch):
    rows = [
        [*HEADER[:2], Formula('"va"&"lue"', cached="value"), *HEADER[3:]],
        ["lowa", "HR-04", Formula("Z2*2", cached=74, shared="C2:C3"), "ADM", "HR roll", "2026-09-02"],
        ["lowa", "LG-03", Formula(None, cached=52), "ADM", "Radio", "2026-09-02"],
    ]
    assert refused(root, with_sheet(tmp_path / "shared.xlsx", rows_xml(rows))) == [
        'cell C1 holds a formula (="va"&"lue"); its saved value may be out of date: copy the column and paste values',
        "cell C2 holds a formula (=Z2*2); its saved value may be out of date: copy the column and paste values",
        "cell C3 holds a formula (=Z3*2); its saved value may be out of date: copy the column and paste values",
    ]
    monkeypatch.setattr(reading, "FORMULAS_SHOWN", 2)
    problems = refused(root, with_sheet(tmp_path / "shared.xlsx", rows_xml(rows)))
    assert problems[2:] == ["1 more cell holds a formula: copy each column that holds formulas and paste values"]


def test_a_formula_in_a_column_import_ignores_is_left_alone(root, tmp_path):
    rows = [[*HEADER, "region_name"], [*ROW, Formula("VLOOKUP(A2,regions!A:B,2,0)", cached="Lowa")]]
    assert plan_of(root, with_sheet(tmp_path / "lookup.xlsx", rows_xml(rows))).changes == SET_74


# ---------------------------------------------------------------- 4. terminal escapes


HOSTILE = {
    "\x1b[2J": "\\x1b[2J",  # ESC: clear the screen
    "\x1b]0;title\x07": "\\x1b]0;title\\x07",  # OSC: set the window title, ended by BEL
    "\x9b31m": "\\x9b31m",  # C1 CSI, legal in XML 1.0
    "a\x7fb": "a\\x7fb",
    "\x85": "\\x85",
    "\u202eevil": "\\u202eevil",
    "\u2066x\u2069": "\\u2066x\\u2069",
    "zero\u200bwidth\u200c\u200d": "zero\\u200bwidth\\u200c\\u200d",
    "\u2060\ufeff": "\\u2060\\ufeff",
    "tag\U000e0041": "tag\\U000e0041",
    "line\u2028break": "line\\u2028break",
    "two\nlines": "two\\nlines",
}


@pytest.mark.parametrize(("text", "shown"), HOSTILE.items())
def test_every_character_a_terminal_acts_on_is_shown_escaped(text, shown):
    assert escaped(text) == shown
    assert quoted(text) == f'"{shown}"'
    assert escaped(shown) == shown  # escaping twice changes nothing


def test_ordinary_text_is_shown_as_it_is():
    for text in ["Lowa", "Région du Nord", "Kessa\u00a0(urban)", "中文", "مرحبا", "a\\x1b"]:
        assert escaped(text) == text
    assert quoted("x" * 100, 10) == '"xxxxxxxxx…"'


def unprintable(text: str) -> list[str]:
    return [c for c in text if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp", "Cs")]


def test_sheet_text_in_every_message_is_escaped(root, tmp_path):
    header = ["region\x9b2J", "indicator\u202e", "value", "source_type", "reference", "date", "\u200bround"]
    rows = [header, ["lowa\u200b", "HR-04", 74, "ADM", "HR roll", "2026-09-02", "r2"]]
    problems = refused(root, with_sheet(tmp_path / "bidi.xlsx", rows_xml(rows)))
    assert problems[:2] == [
        'column region\\x9b2J (A) is not a column import knows; did you mean "region"?',
        'column indicator\\u202e (B) is not a column import knows; did you mean "indicator"?',
    ]
    assert all(not unprintable(p) for p in problems), problems
    rows = [[*HEADER, "round"], ["lowa\u200b", "HR-04", 74, "ADM", "HR roll", "2026-09-02", "\u202er2"]]
    problems = refused(root, with_sheet(tmp_path / "cells.xlsx", rows_xml(rows)), round_id=None)
    assert problems == [
        'row 2, column round (G): unknown round "\\u202er2"; did you mean "r2"?',
        'row 2, column region (A): unknown region "lowa\\u200b"; did you mean "lowa"?',
    ]
    problems = refused(root, with_sheet(tmp_path / "cells.xlsx", rows_xml(rows)))
    assert problems == [
        "row 2, column round (G): the row is for round \\u202er2, but the import is for round r2: correct the "
        "row, or import without naming the round"
    ]


def test_a_look_alike_sheet_name_is_shown_escaped(root, tmp_path):
    book = table_book([HEADER, ROW], "\u200bobservations")
    book.create_sheet("obs\u202eervations")
    book.save(tmp_path / "names.xlsx")
    assert refused(root, tmp_path / "names.xlsx") == [
        "the workbook has several sheets (\\u200bobservations, obs\\u202eervations) and none is named "
        "observations: choose one with --sheet NAME"
    ]


def test_the_command_line_prints_no_escape_code_from_a_csv_header(root, tmp_path):
    table = write_csv(tmp_path / "t.csv", [["\x1b]0;pwned\x07region", *HEADER[1:]], ROW])
    result = run("import", str(table), "--round", "r2", "--project", str(root))
    assert result.exit_code == 1
    assert "column \\x1b]0;pwned\\x07region (A) is not a column import knows" in result.output
    assert not unprintable(result.output.replace("\n", "")), result.output
