"""Reading the table `readiness import` is given: a CSV file or a sheet of an XLSX workbook, within limits.

A workbook is a zip file of XML parts, and a small one can unpack to gigabytes (a 150 KB file once took openpyxl
4.7 GB of memory). So a workbook is inspected as a zip before openpyxl opens it (`inspect_workbook`): its sizes and
compression ratios, the XML elements of every part openpyxl reads whole, the declared size of the sheet to import
and the rows of that sheet, streamed in chunks; then the cells are counted while they are read, since a declared
size can lie. The limits (MAX_* below) are far above what a real assessment table reaches and each refusal says
how to split a table that is really that large. A hidden sheet is read only when `--sheet` names it, and a cell
holding a formula is refused (its saved value may be stale, or absent).
"""

from __future__ import annotations

import csv
import io
import json
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..i18n import Translator, language, say, say_n
from ..validation import did_you_mean
from .sheet import Column, Percent, blank, column_key, column_letter, escaped, ignored_column, quoted, unquote_csv


class ImportError_(Exception):  # noqa: N801 - not the builtin ImportError
    """The file could not be imported; nothing was written."""

    def __init__(self, problems: list[str]) -> None:
        problems = [escaped(p) for p in problems]  # a last guard: no message prints a terminal escape raw
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class Table:
    columns: list[Column]
    rows: list[tuple[int, list[Any]]]
    """(row number as the spreadsheet numbers it, cells in column order)."""
    header_row: int = 0
    """The number of the header row (0 when the table is empty)."""
    merged: list[tuple[str, int, int, int, int]] = field(default_factory=list)
    """The merged cells of a workbook's sheet: (as written, first row, first column, last row, last column),
    rows numbered as the spreadsheet numbers them, columns from 0. A merged cell keeps its value only in its
    first cell, so import refuses merged cells in a column it reads."""


def read_table(path: Path, sheet: str | None = None) -> Table:
    """The rows of a CSV or XLSX file, cells as the file holds them (numbers, dates, booleans or text).
    Raises ImportError_ when the file cannot be read or the sheet cannot be chosen."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_workbook(path, sheet)
    if suffix not in (".csv", ".tsv", ".txt", ".json"):
        raise ImportError_([say("import.table.format", name=path.name)])
    if sheet is not None:
        raise ImportError_([say("import.table.sheet_not_workbook", name=path.name)])
    if suffix == ".json":
        return _read_json(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportError_([say("import.table.csv_not_utf8", name=path.name)]) from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    rows = [(n, [unquote_csv(c) for c in values]) for n, values in enumerate(reader, start=1)]
    return _table(rows)


def _read_json(path: Path) -> Table:
    """The `observations` list of a JSON file as `readiness export --format json` writes it (or a bare list):
    each entry an object of the layout's columns, numbered from 1 ("row 3" is the third entry)."""
    name = escaped(path.name)
    if path.stat().st_size > MAX_ENTRY_BYTES:
        size = _megabytes(MAX_ENTRY_BYTES)
        raise ImportError_([say("import.json.too_large", name=name, size=size, advice=_split_advice())])
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"), parse_float=str, parse_constant=_no_constant)
    except UnicodeDecodeError:
        raise ImportError_([say("import.json.not_utf8", name=name)]) from None
    except (json.JSONDecodeError, ValueError) as exc:
        raise ImportError_([say("import.json.invalid", name=name, error=escaped(str(exc), 200))]) from None
    entries = data.get("observations") if isinstance(data, dict) else data
    if not isinstance(entries, list):
        raise ImportError_([say("import.json.no_list", name=name)])
    if len(entries) > MAX_ROWS:
        raise ImportError_([say("import.json.too_many", name=name, most=_number(MAX_ROWS), advice=_split_advice())])
    keys: dict[str, int] = {}
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            raise ImportError_([say("import.json.not_object", name=name, entry=number)])
        for key, value in entry.items():
            if isinstance(value, dict | list):
                raise ImportError_([say("import.json.nested", name=name, entry=number, key=quoted(str(key)))])
            keys.setdefault(str(key), len(keys))
            if len(keys) > MAX_COLUMNS:
                raise ImportError_([say("import.json.too_many_keys", name=name, most=_number(MAX_COLUMNS))])
    columns = [Column(i, key, column_key(key), lettered=False) for key, i in keys.items()]
    rows = [(number, [entry.get(key) for key in keys]) for number, entry in enumerate(entries, start=1)]
    return Table(columns, [(n, cells) for n, cells in rows if not all(blank(c) for c in cells)], 0)


def _no_constant(word: str) -> Any:
    raise ValueError(say("import.json.constant", word=word))


def _delimiter(text: str) -> str:
    """The separator of a CSV file, from its header line: a comma, a semicolon (spreadsheets set to a language
    that writes a decimal comma) or a tab. Guessing from the data (csv.Sniffer) is fooled by quotes in cells."""
    header = next(csv.reader(io.StringIO(text.split("\n", 1)[0])), [""])
    line = text.split("\n", 1)[0]
    counts = {sep: line.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] and len(header) >= 1 else ","


# ---------------------------------------------------------------- workbooks: limits, then reading

#: The most rows import reads from a sheet. One round of a few hundred regions by a few hundred indicators, one
#: row per evidence entry, stays near 100,000 rows; a larger table is split into several workbooks.
MAX_ROWS = 250_000
#: The most columns: the layout has 14, the template 20; an export of the tablet form (xlsform.py) 12 per indicator
#: and some 20 of the tool's metadata, so 4,000 columns hold a framework of over 300 indicators.
MAX_COLUMNS = 4_000
#: The most cells of the sheet (100,000 rows by 30 columns are 3,000,000), each counted while it is read.
MAX_CELLS = 5_000_000
#: The most bytes one part (zip entry) of a workbook unpacks to: a sheet of 100,000 rows by 30 columns as openpyxl
#: writes it (every text inline) is 162 MB of XML, packed 7 times; Excel, which shares repeated texts, writes less.
MAX_ENTRY_BYTES = 256 * 2**20
#: The most bytes all the parts of a workbook unpack to together.
MAX_TOTAL_BYTES = 512 * 2**20
#: The most entries in the zip: a workbook has a dozen, a few hundred with pictures.
MAX_ENTRIES = 10_000
#: The highest compression ratio of a part larger than RATIO_FROM_BYTES: the XML of real workbooks packs 5 to 30
#: times smaller, a zip bomb 1,000 times (Apache POI refuses past 100 too).
MAX_RATIO = 100
#: Parts smaller than this unpack to too little to matter, whatever their ratio.
RATIO_FROM_BYTES = 2**20
#: The most XML elements in a part that openpyxl parses whole (styles, workbook, relationships, charts...):
#: it spends about half a kilobyte on each. The styles of a workbook with Excel's maximum of 64,000 cell formats
#: hold about 200,000.
MAX_PART_ELEMENTS = 500_000
#: The most XML elements in the shared-string table (also parsed whole): 2 or 3 per distinct text of the workbook.
MAX_STRINGS_ELEMENTS = 4_000_000
#: The most XML elements in one row of the sheet, and before its first row: openpyxl parses a row whole before
#: it gives it. A cell is 2 to 5 elements (value, formula, inline text), so 20 per column is ample.
MAX_ROW_ELEMENTS = 20 * MAX_COLUMNS
#: The most XML elements after the sheet's rows (hyperlinks, merged cells, validations, conditional formats).
MAX_TAIL_ELEMENTS = MAX_ROWS
#: The most formula cells named one by one in a refusal; the others are counted.
FORMULAS_SHOWN = 50

_CHUNK = 2**20
_CARRY = 512  # bytes kept from one chunk to the next, so that no tag is missed where a chunk is cut
_NAME = rb"<(?:[A-Za-z_][\w.\-]{0,40}:)?"  # an element's name with any namespace prefix (`<x:row`)
_ROW_TAG = re.compile(_NAME + rb"row[\s/>]")
_DATA_TAG = re.compile(_NAME + rb"sheetData[\s/>]")
_DATA_END = re.compile(rb"</(?:[A-Za-z_][\w.\-]{0,40}:)?sheetData\s*>")
_FORMULA_TAG = re.compile(_NAME + rb"f[\s/>]")
_DIMENSION_TAG = re.compile(_NAME + rb"dimension\s[^>]{0,200}?\bref\s{0,20}=\s{0,20}[\"']([^\"'<>]{0,40})[\"']")
_MERGE_TAG = re.compile(_NAME + rb"mergeCell\s[^>]{0,200}?\bref\s{0,20}=\s{0,20}[\"']([^\"'<>]{0,40})[\"']")
#: The most merged ranges import names; a sheet with more is refused on the first ones.
MAX_MERGED = 1_000
_CELL_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")
_STATES = {"hidden": "hidden", "veryHidden": "very_hidden"}
"""The states of a sheet that is not visible, and their keys in the catalogue (`import.sheet.state`)."""


def _state(state: str) -> str:
    """A sheet's state as a message says it: hidden, very hidden."""
    return say(f"import.sheet.state.{_STATES[state]}") if state in _STATES else state


@dataclass(frozen=True)
class _Sheet:
    """A sheet as the workbook lists it, found before openpyxl opens the workbook."""

    name: str
    state: str
    """visible, hidden or veryHidden."""
    part: str
    """The zip entry that holds its XML."""
    chart: bool


@dataclass
class _Scan:
    """What streaming the chosen sheet's XML found."""

    dimension: str | None = None
    formulas: bool = False
    """Whether a formula element was seen (then a second read finds which cells hold one)."""
    merged: list[str] = field(default_factory=list)
    """The ranges of the merged cells (`B3:B12`), as the sheet lists them after its rows."""


def _number(value: float) -> str:
    """A count or size as the language writes it, grouped and rounded to a whole number: 250,000 or 250 000."""
    lang = language()
    return f"{value:,.0f}" if lang == "en" else Translator(lang).number(round(value), 0)


def _split_advice() -> str:
    rows, columns, cells = _number(MAX_ROWS), _number(MAX_COLUMNS), _number(MAX_CELLS)
    return say("import.workbook.split", rows=rows, columns=columns, cells=cells)


def _refuse(name: str, what: str, *, split: bool = False) -> ImportError_:
    """A workbook refused before it is read: the file, what is wrong with it, the limit, and the way out."""
    how = _split_advice() if split else say("import.workbook.damaged")
    return ImportError_([say("import.workbook.refused", name=name, what=what, how=how)])


def _megabytes(size: int) -> str:
    if size >= 2**20:
        return say("import.size.mb", size=_number(size / 2**20))
    return say("import.size.kb", size=_number(size / 2**10))


def _elements(data: bytes, start: int, end: int) -> int:
    """The XML elements that open in data[start:end]: every `<` that does not begin an end tag, a declaration, a
    processing instruction or a comment (text cannot hold a raw `<`; CDATA can only make the count higher)."""
    return (
        data.count(b"<", start, end)
        - data.count(b"</", start, end)
        - data.count(b"<!", start, end)
        - data.count(b"<?", start, end)
    )


def _check_zip(zf: zipfile.ZipFile, name: str) -> None:
    """Refuse a zip whose entries unpack, each or together, past the limits, or pack suspiciously well. The sizes
    are the declared ones, which zipfile enforces while unpacking (it never gives more bytes than declared)."""
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        parts = say("import.workbook.parts", count=_number(len(infos)), most=_number(MAX_ENTRIES))
        raise _refuse(name, parts)
    total = 0
    for info in infos:
        part = escaped(info.filename, 80)
        total += info.file_size
        if info.file_size > MAX_ENTRY_BYTES:
            size, most = _megabytes(info.file_size), _megabytes(MAX_ENTRY_BYTES)
            raise _refuse(name, say("import.workbook.part_too_large", part=part, size=size, most=most), split=True)
        if info.file_size > RATIO_FROM_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            ratio = info.file_size // max(info.compress_size, 1)
            raise _refuse(
                name,
                say(
                    "import.workbook.ratio",
                    part=part,
                    ratio=_number(ratio),
                    size=_megabytes(info.file_size),
                    most=MAX_RATIO,
                ),
            )
    if total > MAX_TOTAL_BYTES:
        size, most = _megabytes(total), _megabytes(MAX_TOTAL_BYTES)
        raise _refuse(name, say("import.workbook.total", size=size, most=most), split=True)


def _vet_part(zf: zipfile.ZipFile, entry: str, limit: int, name: str) -> None:
    """Refuse a part that openpyxl would parse whole when it holds more than `limit` XML elements, counted while
    it is unpacked in chunks (never whole)."""
    count = 0
    with zf.open(entry) as stream:
        while chunk := stream.read(_CHUNK):
            count += _elements(chunk, 0, len(chunk))
            if count > limit:
                raise _refuse(name, say("import.workbook.elements", part=escaped(entry, 80), most=_number(limit)))


def _package(zf: zipfile.ZipFile, name: str) -> tuple[list[_Sheet], set[str]]:
    """The sheets of a workbook, found the way openpyxl finds them, and the worksheet parts that may be streamed
    (a worksheet part that anything else also reads whole is not). Every part openpyxl parses whole is vetted
    (_vet_part) before anything parses it: the parts needed to find the sheets first, then the others."""
    from openpyxl.packaging.manifest import Manifest
    from openpyxl.packaging.relationship import get_dependents, get_rels_path
    from openpyxl.reader.workbook import WorkbookParser
    from openpyxl.xml import constants as ct
    from openpyxl.xml.functions import fromstring

    entries = set(zf.namelist())
    _vet_part(zf, ct.ARC_CONTENT_TYPES, MAX_PART_ELEMENTS, name)  # KeyError when missing, as openpyxl's
    manifest: Any = Manifest  # its stubs type from_tree for openpyxl's own element class
    package = manifest.from_tree(fromstring(zf.read(ct.ARC_CONTENT_TYPES)))
    overrides = [(o.PartName[1:], o.ContentType) for o in package.Override]
    books = {part for part, kind in overrides if kind in (ct.XLTM, ct.XLTX, ct.XLSM, ct.XLSX)} | {ct.ARC_WORKBOOK}
    strings = {part for part, kind in overrides if kind == ct.SHARED_STRINGS}
    fixed = {ct.ARC_CONTENT_TYPES, ct.ARC_STYLE, ct.ARC_CORE, ct.ARC_CUSTOM, ct.ARC_THEME}
    whole = fixed | books | strings | {e for e in entries if e.endswith(".rels")}
    for entry in sorted(whole & entries):
        only_strings = entry in strings and entry not in fixed | books and not entry.endswith(".rels")
        _vet_part(zf, entry, MAX_STRINGS_ELEMENTS if only_strings else MAX_PART_ELEMENTS, name)

    workbook = ct.ARC_WORKBOOK  # as openpyxl chooses it (openpyxl.reader.excel._find_workbook_part)
    for kind in (ct.XLTM, ct.XLTX, ct.XLSM, ct.XLSX):
        found = package.find(kind)
        if found:
            workbook = found.PartName[1:]
            break
    parser = WorkbookParser(zf, workbook, keep_links=False)
    parser.parse()
    sheets: list[_Sheet] = []
    sheet_rels: set[str] = set()
    for child, rel in parser.find_sheets():
        if rel.target in entries:  # openpyxl leaves out a sheet whose part is missing
            chart = "chartsheet" in rel.Type
            sheets.append(_Sheet(str(child.name), str(child.state or "visible"), rel.target, chart))
            if not chart and rel.Id:
                sheet_rels.add(rel.Id)
    # a part that any other relationship names may be read whole (as a chart, a drawing...): it is not streamed
    referenced: set[str] = set()
    workbook_rels = get_rels_path(workbook)
    for entry in sorted(e for e in entries if e.endswith(".rels")):
        try:
            rels = get_dependents(zf, entry)
        except Exception:  # relationships openpyxl cannot parse, it cannot follow either
            continue
        referenced |= {r.target for r in rels if r.target and not (entry == workbook_rels and r.Id in sheet_rels)}
    streamed = {s.part for s in sheets if not s.chart} - whole - referenced - {s.part for s in sheets if s.chart}
    for entry in sorted(entries - whole - streamed):
        _vet_part(zf, entry, MAX_PART_ELEMENTS, name)
    return sheets, streamed


def _choose_sheet(sheets: list[_Sheet], wanted: str | None) -> _Sheet:
    """The sheet to import: the one `--sheet` names (hidden or not), else the visible sheet `observations`, else
    the only visible sheet. A hidden sheet is never read unless it is named: it can hold other values than the
    sheet the team sees and checked."""
    seen: dict[str, str] = {}
    for sheet in sheets:
        other = seen.get(sheet.name.casefold())
        seen[sheet.name.casefold()] = sheet.name
        if other is not None:
            raise ImportError_([say("import.sheet.twice", first=quoted(other), second=quoted(sheet.name))])

    def listing(group: list[_Sheet]) -> str:
        return ", ".join(
            say("import.sheet.listed", sheet=escaped(s.name, 60), state=_state(s.state))
            if s.state != "visible"
            else escaped(s.name, 60)
            for s in group
        )

    visible = [s for s in sheets if s.state == "visible"]
    if wanted is not None:
        chosen = next((s for s in sheets if s.name == wanted), None)
        if chosen is None:
            hint = did_you_mean(wanted, [escaped(s.name, 60) for s in sheets])
            message = say("import.sheet.missing", sheet=quoted(wanted), sheets=listing(sheets))
            raise ImportError_([say("import.hinted", message=message, hint=hint) if hint else message])
    else:
        chosen = next((s for s in visible if s.name == "observations"), None)
        hidden = next((s for s in sheets if s.name == "observations" and s.state != "visible"), None)
        if chosen is None and hidden is not None:
            where = say("import.sheet.unhide_very_hidden" if hidden.state == "veryHidden" else "import.sheet.unhide")
            visible_ = listing(visible) or say("import.sheet.none")
            raise ImportError_([say("import.sheet.hidden", state=_state(hidden.state), where=where, visible=visible_)])
        if chosen is None and len(visible) == 1:
            chosen = visible[0]
        if chosen is None:
            raise ImportError_(
                [
                    say("import.sheet.several", sheets=listing(visible))
                    if visible
                    else say("import.sheet.no_visible", sheets=listing(sheets))
                ]
            )
    if chosen.chart:
        raise ImportError_([say("import.sheet.chart", sheet=quoted(chosen.name))])
    return chosen


def _dimension_size(ref: str) -> tuple[int, int] | None:
    """(rows, columns) that a declared dimension such as `A1:XFD1048576` spans from A1, or None if unreadable."""
    corners = [_CELL_REF.fullmatch(part.strip()) for part in ref.split(":")]
    if not 1 <= len(corners) <= 2:
        return None
    rows = columns = 0
    for corner in corners:
        if corner is None:
            return None
        index = 0
        for letter in corner.group(1).upper():
            index = index * 26 + ord(letter) - 64
        rows, columns = max(rows, int(corner.group(2))), max(columns, index)
    return rows, columns


def _merged_range(ref: str) -> tuple[str, int, int, int, int] | None:
    """A merged range `B3:B12` as (ref, first row, first column, last row, last column), columns from 0."""
    corners = [_CELL_REF.fullmatch(part.strip()) for part in ref.split(":")]
    if len(corners) != 2 or None in corners:
        return None
    places = []
    for corner in corners:
        assert corner is not None
        index = 0
        for letter in corner.group(1).upper():
            index = index * 26 + ord(letter) - 64
        places.append((int(corner.group(2)), index - 1))
    (r1, c1), (r2, c2) = places
    return escaped(ref.replace("$", ""), 40), min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


def _check_dimension(ref: str, sheet: _Sheet, name: str) -> None:
    size = _dimension_size(ref)
    if size is None:
        return  # nothing declared that can be read: the cells are counted as they are read anyway
    rows, columns = size
    if rows > MAX_ROWS or columns > MAX_COLUMNS or rows * columns > MAX_CELLS:
        raise ImportError_(
            [
                say(
                    "import.workbook.dimension",
                    name=name,
                    sheet=quoted(sheet.name),
                    size=escaped(ref),
                    rows=_number(rows),
                    columns=_number(columns),
                    most_rows=_number(MAX_ROWS),
                    most_columns=_number(MAX_COLUMNS),
                    most_cells=_number(MAX_CELLS),
                    advice=_split_advice(),
                )
            ]
        )


def _scan_sheet(zf: zipfile.ZipFile, sheet: _Sheet, name: str, chosen: bool) -> _Scan:
    """Stream a worksheet's XML in chunks, without parsing it: its declared dimension (refused past the limits
    for the sheet to import), and bounds on what openpyxl would build from it: the rows, the XML elements in one
    row (openpyxl parses a row whole before giving it) and before the first, and those after the rows; and, for
    the sheet to import, whether any cell holds a formula. openpyxl reads another sheet only up to its declared
    dimension (or, without one, to the end of its rows), and so does this scan."""
    scan = _Scan()
    carry = b""
    started = False  # the first row or sheetData was seen: a dimension after it is not the sheet's
    rows = in_row = 0
    tail: int | None = None  # elements after </sheetData>, once it is passed
    where = say("import.workbook.the_sheet", sheet=quoted(sheet.name))

    def add(count: int) -> None:
        nonlocal in_row, tail
        if tail is not None:
            tail += count
            if tail > MAX_TAIL_ELEMENTS:
                raise _refuse(name, say("import.workbook.tail", where=where, most=_number(MAX_TAIL_ELEMENTS)))
        else:
            in_row += count
            if in_row > MAX_ROW_ELEMENTS:
                place = (
                    say("import.workbook.row_of", row=_number(rows), where=where)
                    if rows
                    else say("import.workbook.before_first_row", where=where)
                )
                most, columns = _number(MAX_ROW_ELEMENTS), _number(MAX_COLUMNS)
                raise _refuse(name, say("import.workbook.row_elements", place=place, most=most, columns=columns))

    with zf.open(sheet.part) as stream:
        while True:
            chunk = stream.read(_CHUNK)
            if b"\x00" in chunk:
                raise _refuse(name, say("import.workbook.not_utf8", where=where))
            buffer = carry + chunk
            end = max(len(buffer) - _CARRY, 0) if chunk else len(buffer)
            pos = 0
            if not started and scan.dimension is None:
                first = [m.start() for m in (_DATA_TAG.search(buffer), _ROW_TAG.search(buffer)) if m]
                limit = min(first) if first else len(buffer)
                dimension = _DIMENSION_TAG.search(buffer, 0, limit)
                if dimension and dimension.start() < end:
                    scan.dimension = dimension.group(1).decode("latin-1")
                    if not chosen:
                        add(_elements(buffer, 0, dimension.start()))
                        return scan
                    _check_dimension(scan.dimension, sheet, name)
                started = any(at < end for at in first)
            marks = sorted(
                [(m.start(), True) for m in _ROW_TAG.finditer(buffer) if m.start() < end]
                + [(m.start(), False) for m in _DATA_END.finditer(buffer) if m.start() < end]
            )
            for at, is_row in marks:
                add(_elements(buffer, pos, at))
                pos = at
                if is_row:
                    rows, in_row, tail = rows + 1, 0, None
                    if chosen and rows > MAX_ROWS:
                        raise _refuse(
                            name, say("import.workbook.rows", where=where, most=_number(MAX_ROWS)), split=True
                        )
                    if rows > 4 * MAX_ROWS:  # openpyxl keeps an empty element per row of a sheet it only sizes
                        raise _refuse(
                            name, say("import.workbook.other_sheet_rows", where=where, most=_number(4 * MAX_ROWS))
                        )
                elif not chosen:
                    return scan  # openpyxl sizes another sheet by reading it up to the end of its rows, no further
                elif tail is None:
                    tail = 0
            add(_elements(buffer, pos, end))
            if chosen and not scan.formulas:
                formula = _FORMULA_TAG.search(buffer)
                scan.formulas = formula is not None and formula.start() < end
            if chosen and tail is not None and len(scan.merged) < MAX_MERGED:
                scan.merged += [m.group(1).decode("latin-1") for m in _MERGE_TAG.finditer(buffer) if m.start() < end][
                    : MAX_MERGED - len(scan.merged)
                ]
            if not chunk:
                return scan
            carry = buffer[end:]


def inspect_workbook(path: Path, wanted: str | None = None) -> tuple[_Sheet, _Scan]:
    """Inspect a workbook as a zip before openpyxl opens it, and choose the sheet to import. Raises ImportError_
    for a workbook past the limits (MAX_*) or whose sheet cannot be chosen; zipfile.BadZipFile for a file that
    is not a zip."""
    name = escaped(path.name)
    with zipfile.ZipFile(path) as zf, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns again when it opens the workbook
        _check_zip(zf, name)
        sheets, streamed = _package(zf, name)
        chosen = _choose_sheet(sheets, wanted)
        scan = _scan_sheet(zf, chosen, name, chosen=True)
        for part in sorted({s.part for s in sheets if s.part in streamed} - {chosen.part}):
            _scan_sheet(zf, next(s for s in sheets if s.part == part), name, chosen=False)
    return chosen, scan


def _read_workbook(path: Path, sheet: str | None) -> Table:
    chosen, scan = inspect_workbook(path, sheet)
    rows = _sheet_rows(path, chosen)
    table = _table(rows)
    table.merged = [m for m in (_merged_range(ref) for ref in scan.merged) if m is not None]
    if scan.formulas:
        problems = _formula_problems(path, chosen, rows, table)
        if problems:
            raise ImportError_(problems)
    return table


def _open_sheet(path: Path, chosen: _Sheet, data_only: bool) -> tuple[Any, Any]:
    """The workbook (read-only, external links left out) and the chosen sheet, checked to be the part inspected."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=data_only, keep_links=False)
    ws = book[chosen.name]
    if getattr(ws, "_worksheet_path", chosen.part) != chosen.part:  # pragma: no cover - same lookup as openpyxl's
        book.close()
        raise ImportError_([say("import.workbook.not_inspected", name=escaped(path.name))])
    ws.reset_dimensions()  # the size a file declares may be wrong: read every row it holds
    return book, ws


def _sheet_rows(path: Path, chosen: _Sheet) -> list[tuple[int, list[Any]]]:
    """The rows of the chosen sheet that hold anything, counting the cells as they are read (a declared size can
    lie): refused past MAX_CELLS, or with a value past row MAX_ROWS or column MAX_COLUMNS."""
    name = escaped(path.name)
    where = say("import.workbook.the_sheet", sheet=quoted(chosen.name))
    book, ws = _open_sheet(path, chosen, data_only=True)
    try:
        rows: list[tuple[int, list[Any]]] = []
        cells = 0
        for number, row in enumerate(ws.iter_rows(min_row=1), start=1):
            cells += len(row)
            if cells > MAX_CELLS:
                cells_ = say("import.workbook.cells", where=where, most=_number(MAX_CELLS), row=_number(number))
                raise _refuse(name, cells_, split=True)
            values = [_xlsx_value(c) for c in row]
            if all(blank(v) for v in values):
                continue
            if number > MAX_ROWS:
                past = say("import.workbook.row_past", where=where, row=_number(number), most=_number(MAX_ROWS))
                raise _refuse(name, past, split=True)
            late = next((i for i in range(MAX_COLUMNS, len(values)) if not blank(values[i])), None)
            if late is not None:
                past = say(
                    "import.workbook.column_past",
                    where=where,
                    cell=f"{column_letter(late)}{number}",
                    last=column_letter(MAX_COLUMNS - 1),
                    most=_number(MAX_COLUMNS),
                )
                raise _refuse(name, past, split=True)
            rows.append((number, values[:MAX_COLUMNS]))
        return rows
    finally:
        book.close()


def _formula_problems(path: Path, chosen: _Sheet, rows: list[tuple[int, list[Any]]], table: Table) -> list[str]:
    """One problem per formula cell that import would read. A second read, made only when the scan saw a formula
    element, reads the formulas instead of the values saved with them: a saved value is what a spreadsheet
    computed when it last saved the file (it may be stale), and a program that writes formulas saves none. A
    formula in a column import ignores (region_name...) is left alone."""
    saved = dict(rows)
    problems: list[str] = []
    more = 0
    book, ws = _open_sheet(path, chosen, data_only=False)
    try:
        for number, row in enumerate(ws.iter_rows(min_row=1), start=1):
            for index, cell in enumerate(row):
                if getattr(cell, "data_type", None) != "f":
                    continue
                column = table.columns[index] if index < len(table.columns) else None
                if number > table.header_row and column is not None and column.header and ignored_column(column.header):
                    continue
                if len(problems) == FORMULAS_SHOWN:
                    more += 1
                    continue
                text = getattr(cell.value, "text", cell.value)
                shown = escaped(text, 60) if isinstance(text, str) and text else say("import.formula.data_table")
                values = saved.get(number, [])
                cell_ = f"{column_letter(index)}{number}"
                saved_value = index < len(values) and not blank(values[index])
                key = "import.formula.saved" if saved_value else "import.formula.unsaved"
                problems.append(say(key, cell=cell_, formula=shown))
    finally:
        book.close()
    if more:
        problems.append(say_n("import.formula.more", more, count=_number(more)))
    return problems


def _xlsx_value(cell: Any) -> Any:
    value = cell.value
    if (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and "%" in str(getattr(cell, "number_format", "") or "")
    ):
        return Percent(value)
    return value


def _table(rows: list[tuple[int, list[Any]]]) -> Table:
    """The first row with anything in it is the header."""
    while rows and all(blank(c) for c in rows[0][1]):
        rows = rows[1:]
    if not rows:
        return Table([], [])
    header = rows[0][1]
    columns = [
        Column(i, str(h).strip() if h is not None else "", column_key(str(h or ""))) for i, h in enumerate(header)
    ]
    return Table(columns, [(n, cells) for n, cells in rows[1:] if not all(blank(c) for c in cells)], rows[0][0])
