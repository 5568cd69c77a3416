"""The downloads page (downloads.md), from `pages.downloads.DownloadsPage` (which also holds the files)."""

from __future__ import annotations

from ..pages.downloads import DownloadsPage
from .environment import Pages


def markdown(page: DownloadsPage, write: Pages) -> str:
    return write("downloads.md.j2", page=page, schema_version=page.schema_version)
