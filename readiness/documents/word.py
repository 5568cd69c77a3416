"""Word and Excel files as a drafting office files them: the shared finishing of every document.

Every Word document starts from `new_document`: A4 with UN margins, the edition's marking in the header and "Page 2
of 5" in the footer of every section, a public one's edition line (what it leaves out) first on its first page,
the proofing language of the document (Word then checks French as French), named styles (Title, Heading 1-2,
Normal, Table Grid: a drafting office's own template restyles them), and core properties (title, subject, author:
the framework that speaks for the mission, language). A project may keep its
own reference document, `documents/reference.docx`, whose styles, page set-up, header and footer layout are used
instead of python-docx's default (the marking and page number are put into its header and footer). This is
preferred over a template engine (docxtpl): the documents are built from the same sentences as the site, in
code, and only their look is the drafting office's. Tables repeat their header row on every page.

Every workbook is finished by `finish_sheet`: the header row bold and frozen, filters, column widths, number
formats, A4 landscape printing with the header row repeated, the marking in the page header and the page number
in the footer; and its properties.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import IO, Any

from ..i18n import Translator
from ..outputs import save_workbook
from ..report import View

#: Characters XML 1.0 (and so Word and Excel) cannot hold: a team's text may carry them (a pasted escape code).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(value: Any) -> str:
    """Text as a Word or Excel file can hold it: control characters dropped."""
    return _NOT_XML.sub("", str(value))


def _cells(values: list[Any]) -> list[Any]:
    """A spreadsheet row with its texts cleaned (Excel refuses control characters)."""
    return [_clean(v) if isinstance(v, str) else v for v in values]


def _table(document: Any, tr: Translator, prefix: str, keys: tuple[str, ...]) -> Any:
    """A Word table with a header row of the labels `prefix.<key>`, in the document's house style; the header row
    repeats on every page the table runs over, and is bold."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    table = document.add_table(rows=1, cols=len(keys))
    table.style = "Table Grid"
    header = table.rows[0]
    for cell, key in zip(header.cells, keys, strict=True):
        cell.text = _clean(tr(f"{prefix}.{key}"))
        for run in cell.paragraphs[0].runs:
            run.bold = True
    properties = header._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    properties.append(repeat)
    return table


#: The proofing language Word is told a document is in: British English, as the UN writes.
PROOFING = {"en": "en-GB", "fr": "fr-FR", "es": "es-ES", "pt": "pt-PT", "ar": "ar-SA", "ru": "ru-RU", "zh": "zh-CN"}
REFERENCE = "documents/reference.docx"


def marking_text(view: View, lang: str) -> str:
    """The edition's marking for every page: the internal notice, or the public edition's notice."""
    from ..explain import Explainer

    if view.public:
        return _clean(Translator(lang)("site.public_notice"))
    return _clean(Explainer(view.project, lang, markup=False).marking("internal_notice"))


def edition_line(view: View, lang: str) -> str:
    """What a public document says of its edition on its first page, as the site's public pages do: "Public
    edition: computed from public data only; 14 items marked restricted or sensitive are left out (...)". An
    internal document says nothing more than its marking ("" for it)."""
    if not view.public:
        return ""
    tr = Translator(lang)
    left = view.left_out
    items = ", ".join(tr(f"site.left_out.{kind}", n=n) for kind, n in left.as_dict().items() if n)
    body = tr("site.public_body", count=left.total, items=items) if left.total else tr("site.public_body_none")
    return _clean(f"{tr('site.public_notice')}{tr.sep(': ')}{body}")


def new_document(view: View, lang: str, title: str, subject: str) -> Any:
    """A Word document set up as every document is: A4, margins, header and footer, proofing language, styles,
    properties (see the module's docstring); a public one opens with its edition line (`edition_line`)."""
    import docx
    from docx.shared import Cm, Pt

    reference = view.project.root / REFERENCE
    own = reference.is_file()
    document = docx.Document(str(reference)) if own else docx.Document()
    if not own:
        normal = document.styles["Normal"]
        normal.font.name = "Times New Roman"  # the UN's documents are set in Times New Roman
        normal.font.size = Pt(12)
        for section in document.sections:
            section.page_width, section.page_height = Cm(21.0), Cm(29.7)
            section.top_margin = section.bottom_margin = Cm(2.5)
            section.left_margin = section.right_margin = Cm(2.5)
    _proofing(document, PROOFING.get(lang.split("-")[0], lang))
    tr = Translator(lang)
    mark = marking_text(view, lang)
    for section in document.sections:
        _header(section, mark)
        _footer(section, tr)
    props = document.core_properties
    props.title = _clean(title)[:255]
    props.subject = _clean(subject)[:255]
    props.language = PROOFING.get(lang.split("-")[0], lang)
    props.category = mark[:255]
    line = edition_line(view, lang)
    if line:
        notice, _, rest = line.partition(tr.sep(": "))
        paragraph = document.add_paragraph()
        paragraph.add_run(notice + tr.sep(": ")).bold = True
        paragraph.add_run(rest)
        for run in paragraph.runs:
            run.font.size = Pt(10)
    return document


def _proofing(document: Any, language: str) -> None:
    """Tell Word the document's language (the default of every run), so that it proofs French as French."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    for attribute in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attribute), language)


def _header(section: Any, mark: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    section.header.is_linked_to_previous = False
    paragraph = section.header.paragraphs[0] if section.header.paragraphs else section.header.add_paragraph()
    paragraph.text = mark
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for run in paragraph.runs:
        run.bold = True


def _field(paragraph: Any, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in on each page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"), ("end", None)):
        if kind is not None:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == instruction:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {instruction} "
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._r.append(element)


def _footer(section: Any, tr: Translator) -> None:
    """ "Page 2 of 5" ("Page 2 sur 5"), centred, in every section's footer."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    section.footer.is_linked_to_previous = False
    paragraph = section.footer.paragraphs[0] if section.footer.paragraphs else section.footer.add_paragraph()
    paragraph.text = ""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    before, between, after = _page_words(tr)
    paragraph.add_run(before)
    _field(paragraph, "PAGE")
    paragraph.add_run(between)
    _field(paragraph, "NUMPAGES")
    if after:
        paragraph.add_run(after)


def _page_words(tr: Translator) -> tuple[str, str, str]:
    """The words around the page number and the page count: ("Page ", " of ", "")."""
    text = tr("word.page_of", page="\x00", pages="\x01")
    before, rest = text.split("\x00", 1)
    between, after = rest.split("\x01", 1)
    return before, between, after


def finish_sheet(sheet: Any, view: View, lang: str, *, numbers: dict[str, str] | None = None) -> None:
    """A worksheet as a reader opens and prints it: the header row bold, frozen and filtered, columns as wide as
    their content (within reason), number formats by column letter (`numbers`), A4 landscape with the header row
    on every printed page, the marking in the page header and the page number in the footer."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    if sheet.max_row >= 1 and sheet.max_column >= 1:
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = f"A1:{get_column_letter(sheet.max_column)}{max(sheet.max_row, 1)}"
        for index in range(1, sheet.max_column + 1):
            letter = get_column_letter(index)
            longest = max((len(str(c.value)) for c in sheet[letter] if c.value is not None), default=8)
            sheet.column_dimensions[letter].width = min(max(longest + 2, 8), 60)
    for letter, number_format in (numbers or {}).items():
        for cell in sheet[letter][1:]:
            if isinstance(cell.value, int | float):
                cell.number_format = number_format
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    mark = marking_text(view, lang).replace("&", "&&")
    sheet.oddHeader.center.text = mark
    before, between, after = _page_words(Translator(lang))
    sheet.oddFooter.center.text = f"{before}&P{between}&N{after}"


def finish_workbook(book: Any, view: View, lang: str, title: str, subject: str) -> None:
    """A workbook's properties: title, subject, language, and the marking as its category."""
    book.properties.title = _clean(title)[:255]
    book.properties.subject = _clean(subject)[:255]
    book.properties.language = PROOFING.get(lang.split("-")[0], lang)
    book.properties.category = marking_text(view, lang)[:255]


def _plain(value: Any) -> str:
    return str(value).replace("\\", "")


def _save(thing: Any, path: Path | IO[bytes], view: View, lang: str) -> Path | IO[bytes]:
    """Save a document or workbook to a file (its folder made) or a stream, its author the framework (the
    mission's assessment), never the library that wrote it."""
    author = _clean(view.framework.name.get(lang))[:255]
    if hasattr(thing, "core_properties"):
        thing.core_properties.author = author
        thing.core_properties.last_modified_by = author
    else:
        thing.properties.creator = author
        thing.properties.lastModifiedBy = author
    if isinstance(path, Path):
        save_workbook(thing, path)
    else:
        thing.save(path)
    return path


def reproducible(data: bytes, when: tuple[int, int, int]) -> bytes:
    """A Word or Excel file (a zip) with every entry dated `when` (the round's cut-off) instead of now, so that
    two builds of the same input are the same bytes."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            text = source.read(item.filename)
            if item.filename in ("docProps/core.xml",):  # created / modified stamps
                import re

                stamp = f"{when[0]:04d}-{when[1]:02d}-{when[2]:02d}T00:00:00Z".encode()
                text = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp, text)
            info = zipfile.ZipInfo(item.filename, date_time=(*when, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = item.external_attr
            target.writestr(info, text)
    return out.getvalue()
