"""The one list of documents of a view, written in a language and dated the round's cut-off (the same input gives
the same bytes), read back for restricted text in a public edition."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from ..errors import Refusal
from ..i18n import say
from ..report import LeakGuard, View
from .annex import write_annex_docx, write_annex_xlsx
from .certificate import certificates, records, write_docx
from .gaps import condition_lines, gap_list, performance_gaps, write_gaps_docx, write_gaps_xlsx
from .paragraph import has_paragraph, write_paragraph_docx
from .word import reproducible


def document_list(view: View, relied_on: str | None = None) -> list[tuple[str, Any, tuple[Any, ...]]]:
    """The one list of documents of a view: (name without language or folder, writer, the writer's arguments
    before the language and the stream). The site's downloads and `readiness documents` both write it."""
    out: list[tuple[str, Any, tuple[Any, ...]]] = []
    for cert in certificates(view, relied_on):
        out.append((f"certificate-{cert.decision.id}.docx", write_docx, (cert, view)))
    for record in records(view, relied_on):  # a reversion or a deferral is signed as a handover is
        out.append((f"decision-record-{record.decision.id}.docx", write_docx, (record, view)))
    if has_paragraph(view):
        out.append(("transition-paragraph.docx", write_paragraph_docx, (view,)))
    if view.framework.benchmarks:
        out.append(("benchmark-annex.docx", write_annex_docx, (view,)))
        out.append(("benchmark-annex.xlsx", write_annex_xlsx, (view,)))
    if gap_list(view) or performance_gaps(view) or condition_lines(view):
        out.append(("gap-list.docx", write_gaps_docx, (view,)))
        out.append(("gap-list.xlsx", write_gaps_xlsx, (view,)))
    return out


def missing_documents(view: View, relied_on: str | None = None) -> list[str]:
    """What each document not written needs, and where to add it (a new mission has none of it yet)."""
    notes = []
    if not certificates(view, relied_on):
        notes.append(
            say("tables.documents.no_certificate_on", round=relied_on)
            if relied_on
            else say("tables.documents.no_certificate")
        )
    if not has_paragraph(view):
        notes.append(say("tables.documents.no_paragraph"))
    if not view.framework.benchmarks:
        notes.append(say("tables.documents.no_annex"))
    if not gap_list(view):
        notes.append(say("tables.documents.no_gap_list"))
    return notes


def documents(view: View, lang: str, relied_on: str | None = None) -> dict[str, bytes]:
    """Every document of the view in `lang`, by name, dated the round's cut-off so that the same input gives the
    same bytes. A public view's documents are read back for the text of every restricted item (the final guard
    of the site, `report.LeakGuard`): one that shows any raises DocumentLeak and nothing is written."""
    day = view.latest.date
    when = (day.year, day.month, day.day)
    guard = LeakGuard(view.restricted) if view.public else None
    out = {}
    for name, write, args in document_list(view, relied_on):
        stream = io.BytesIO()
        write(*args, lang, stream)
        data = reproducible(stream.getvalue(), when)
        if guard is not None and (item := guard.first(document_text(data))) is not None:
            raise DocumentLeak(LeakGuard.refusal(name, item))
        out[name] = data
    return out


class DocumentLeak(Refusal):
    """A public document would show a restricted text; the message says which and where."""


def site_documents(view: View, lang: str) -> dict[str, bytes]:
    """Every document, as the site's downloads hold them (`downloads/<name>`), in the page's language."""
    return {f"downloads/{name}": data for name, data in documents(view, lang).items()}


_XML_BREAK = re.compile(r"</(?:w:p|w:tc|si|c|row|a:p)>")
_XML_TAG = re.compile(r"<[^>]*>")


def document_text(document: bytes | Path) -> str:
    """The text of a Word or Excel file as a reader sees it (each paragraph, cell or shared string on a line of
    its own, entities decoded), properties included, for the restricted-text check of a public edition."""
    import html
    import zipfile

    parts = []
    with zipfile.ZipFile(io.BytesIO(document) if isinstance(document, bytes) else document) as book:
        for name in sorted(book.namelist()):
            if name.endswith(".xml") and name.startswith(("word/", "xl/", "docProps/")):
                xml = book.read(name).decode("utf-8", errors="replace")
                parts.append(html.unescape(_XML_TAG.sub("", _XML_BREAK.sub("\n", xml))))
    return "\n".join(parts)
