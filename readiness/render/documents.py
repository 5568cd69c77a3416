"""The documents page (documents.md): every Word and Excel file of the page's language first, linked (the same
files the site's downloads hold, from `readiness.documents.document_list`); then the transition paragraph, the
benchmark annex and the costed gap list as those files hold them (`readiness.documents`), readable and
printable on the site."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import documents as docs
from ..documents import annex as annex_doc
from ..documents import gaps as gaps_doc
from ..i18n import Translator
from ..safety import Safe
from .environment import Pages
from .formatters import Formatter

if TYPE_CHECKING:
    from ..report import View


def files(view: View, tr: Translator) -> list[dict[str, Any]]:
    """Every document of the view, as the site's downloads hold it (`downloads/<name>`), with its title in the
    page's language and its format: the certificates, the paragraph, the annex and the gap list."""
    ex = docs.plain_explainer(view, tr.lang)
    out = []
    for name, _, args in docs.document_list(view):
        stem, _, extension = name.rpartition(".")
        decision = getattr(args[0], "decision", None) if args else None
        if decision is not None and stem.endswith(f"-{decision.id}"):  # a certificate, a record of decision
            key = f"documents.file.{stem.removesuffix(f'-{decision.id}')}"
            region = ex.region_name(decision.region)
            title = tr(key, region=region, reference=decision.reference) if key in tr.labels else name
        else:
            title = tr(f"documents.file.{stem}") if f"documents.file.{stem}" in tr.labels else name
        kind = f"documents.format.{extension}"
        out.append({"name": name, "title": title, "format": tr(kind) if kind in tr.labels else extension})
    return out


def markdown(view: View, fmt: Formatter, write: Pages) -> str | None:
    """None when there is nothing to show (no document at all)."""
    tr = Translator(fmt.lang)
    ex = docs.plain_explainer(view, fmt.lang)
    linked = files(view, tr)
    paragraph = fmt.md(" ".join(docs.transition_paragraph(view, fmt.lang))) if docs.has_paragraph(view) else ""
    rows = docs.benchmark_annex(view)
    annex = [{key: fmt.md(text) for key, text in docs.annex_line(row, ex, tr).items()} for row in rows]
    regions = [
        {key: fmt.md(text) for key, text in annex_doc.region_line(a, rows, ex, tr).items()}
        for a in annex_doc.annex_regions(view, rows)
    ]
    lines = docs.gap_list(view)
    conditions = gaps_doc.condition_lines(view)
    currency = view.framework.currency
    gaps = [{key: fmt.md(text) for key, text in row.items()} for row in docs.gap_rows(lines, ex, tr, currency)]
    totals = [
        Safe("{}{}" + tr.sep(": ") + "{}").format(
            row["owner"],
            f" ({row['source']})" if row["source"] != "–" else "",
            tr("documents.total_split", one_off=row["one_off"], yearly=row["yearly"]),
        )
        for row in docs.total_rows([*lines, *conditions], ex, tr, currency)
    ]
    if not (linked or paragraph or annex or gaps):
        return None
    return write(
        "documents.md.j2",
        files=linked,
        paragraph=paragraph,
        annex_intro=[fmt.md(text) for text in annex_doc.annex_intro(view, ex, tr, view.situation.total)],
        annex=annex,
        benchmarks=[{"id": row.benchmark.id, "name": fmt.md(ex.text(row.benchmark.name))} for row in rows],
        regions=regions,
        regions_heading=tr("annex.regions_heading", date=tr.long_date(view.situation.day)),
        coverage=[fmt.md(text) for text in gaps_doc.coverage(view, ex, tr)] if (lines or conditions) else [],
        timing=fmt.md(gaps_doc.timing_rule(view, tr)),
        gaps=gaps,
        performance=[{k: fmt.md(v) for k, v in row.items()} for row in gaps_doc.performance_rows(view, ex)],
        conditions=[{k: fmt.md(v) for k, v in row.items()} for row in gaps_doc.condition_rows(view, ex, tr)],
        others=[
            {"region": fmt.md(ex.text(o.region.name)), "gate": fmt.md(tr(f"gate.{o.gate}")), "why": fmt.md(o.text)}
            for o in gaps_doc.other_blockers(view, fmt.lang)
        ],
        totals=totals,
    )
