"""The downloads page (downloads.md), from `pages.downloads.DownloadsPage` (which also holds the files): the Word
and Excel documents of the page's language first, then the results as CSV and JSON."""

from __future__ import annotations

from ..pages.downloads import DownloadsPage
from .environment import Pages


def markdown(page: DownloadsPage, write: Pages, documents: dict[str, bytes] | None = None) -> str:
    """The page; `documents` are the Word and Excel documents (`readiness.documents.site_documents`)."""
    names = sorted(path.removeprefix("downloads/") for path in (documents or {}))
    return write("downloads.md.j2", page=page, schema_version=page.schema_version, documents=names)
