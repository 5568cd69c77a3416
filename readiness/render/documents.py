"""The documents page (documents.md): the transition paragraph, the benchmark annex and the costed gap list as the
Word and Excel documents hold them (`readiness.documents`), readable and printable on the site."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import documents as docs
from ..i18n import Translator
from ..safety import Safe
from .environment import Pages
from .formatters import Formatter

if TYPE_CHECKING:
    from ..report import View


def markdown(view: View, fmt: Formatter, write: Pages) -> str | None:
    """None when there is nothing to show (no register, no benchmarks, no blocker)."""
    tr = Translator(fmt.lang)
    ex = docs.plain_explainer(view, fmt.lang)
    paragraph = fmt.md(" ".join(docs.transition_paragraph(view, fmt.lang))) if docs.has_paragraph(view) else ""
    annex = [
        {key: fmt.md(text) for key, text in docs.annex_line(row, ex, tr).items()} for row in docs.benchmark_annex(view)
    ]
    lines = docs.gap_list(view)
    currency = view.framework.currency
    gaps = [{key: fmt.md(text) for key, text in row.items()} for row in docs.gap_rows(lines, ex, tr, currency)]
    totals = [
        Safe("{}{}" + tr.sep(": ") + "{}").format(
            row["owner"], f" ({row['source']})" if row["source"] != "–" else "", row["cost"]
        )
        for row in docs.total_rows(lines, ex, tr, currency)
    ]
    if not (paragraph or annex or gaps):
        return None
    return write("documents.md.j2", paragraph=paragraph, annex=annex, gaps=gaps, totals=totals)
