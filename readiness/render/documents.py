"""The documents page (documents.md): the transition paragraph, the benchmark annex and the costed gap list as the
Word and Excel documents hold them (`readiness.documents`), readable and printable on the site."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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
    annex: list[dict[str, Any]] = [
        {
            "name": fmt.md(row.benchmark.name),
            "status": tr("annex.status", met=row.met, total=row.assessed),
            "change": "–" if row.met_before is None else tr("annex.change", change=f"{row.met - row.met_before:+d}"),
            "justification": fmt.md(docs._justification(row, ex, tr)),
        }
        for row in docs.benchmark_annex(view)
    ]
    lines = docs.gap_list(view)
    currency = view.framework.currency
    gaps = [
        {
            "region": fmt.md(line.region.name),
            "blocker": fmt.md(docs._gap(line.indicator, ex)),
            "item": fmt.md(i.item) if i else fmt.t("gaps.not_costed"),
            "cost": f"{fmt.number(i.cost, 0)} {currency}" if i else "–",
            "owner": (tr(f"gaps.owner.{i.owner}") + (f" ({i.source})" if i.source else "")) if i else "–",
            "scenarios": Safe(", ").join(fmt.md(s) for s in line.scenarios) or "–",
        }
        for line in lines
        for i in (line.inputs or [None])
    ]
    totals = [
        Safe("{}{}: {} {}").format(
            tr(f"gaps.owner.{owner}"), f" ({source})" if source else "", fmt.number(cost, 0), currency
        )
        for (owner, source), cost in docs.gap_totals(lines).items()
    ]
    if not (paragraph or annex or gaps):
        return None
    return write("documents.md.j2", paragraph=paragraph, annex=annex, gaps=gaps, totals=totals)
