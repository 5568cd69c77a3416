"""A handover certificate, or the record of a reversion or a deferral, as a page of the site
(certificates/<decision>.md): the same sentences as the Word document (`documents.certificate.certificate_text`,
written here with markup), printable on at most two A4 pages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..documents.certificate import Certificate, certificate_text
from .environment import Pages
from .formatters import Formatter

if TYPE_CHECKING:
    from ..report import View


def markdown(cert: Certificate, view: View, fmt: Formatter, write: Pages) -> str:
    return write("certificate.md.j2", text=certificate_text(cert, view, fmt.explainer))
