"""The documents the UN writes from the results (issue 19): for now the handover certificate of each handover
decision, as a Word document the joint body signs. Written from the same view as the site (a public view leaves
out restricted decisions and restricted evidence), in any language of the framework, with the explainer's
sentences: nothing here decides a fact.

A certificate holds the district or unit, the decision (body, reference, dates, the assessment it relied on), the
criteria at that assessment (the level and each critical indicator's value against its handover target), the
conditions with owners and due dates, the UN police posture that remains and its planned strength, the review
date and the reversion triggers, the parties' positions, and a signature block for each party of the body."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .explain import Explainer
from .i18n import Translator
from .model import Decision, Region, Round
from .report import View
from .scoring.results import IndicatorResult, RegionRound


@dataclass(frozen=True)
class Certificate:
    decision: Decision
    region: Region
    relied_on: Round | None
    result: RegionRound | None
    """The region at the assessment the decision relied on."""
    criteria: list[IndicatorResult]
    """Its critical indicators there, in id order."""


def certificates(view: View, round_id: str | None = None) -> list[Certificate]:
    """A certificate for each handover decision of the view (the decisions relied on `round_id`, or on any round
    of the view), in the order they were decided."""
    rounds = {r.id: r for r in view.rounds}
    out = []
    for d in sorted(view.project.decisions.values(), key=lambda d: (d.decided, d.id)):
        if d.kind != "handover" or d.region not in view.regions or d.relied_on not in rounds:
            continue
        if round_id is not None and d.relied_on != round_id:
            continue
        result = view.result(d.relied_on, d.region)
        criteria = sorted(
            (r for r in (result.indicators.values() if result else []) if r.critical and r.status == "value"),
            key=lambda r: r.indicator,
        )
        out.append(Certificate(d, view.regions[d.region], rounds[d.relied_on], result, criteria))
    return out


def _plain(value: Any) -> str:
    return str(value).replace("\\", "")


def write_docx(cert: Certificate, view: View, lang: str, path: Path) -> Path:
    """The certificate as a Word document with real headings, tables and styles (python-docx)."""
    import docx

    ex = Explainer(view.project, lang, markup=False)
    tr = Translator(lang)
    d = cert.decision
    document = docx.Document()
    document.core_properties.title = tr("certificate.title", region=ex.text(cert.region.name))
    document.core_properties.language = lang
    if view.audience != "public":
        document.add_paragraph(ex.text(view.framework.marking.internal_notice)).runs[0].bold = True
    document.add_heading(tr("certificate.title", region=ex.text(cert.region.name)), level=1)
    document.add_paragraph(_plain(ex.decision(d)) + ".")
    if ex.text(d.rationale):
        document.add_paragraph(ex.text(d.rationale))

    document.add_heading(tr("certificate.criteria"), level=2)
    if cert.result is not None:
        document.add_paragraph(
            tr(
                "certificate.level",
                round=ex.text(cert.relied_on.label) if cert.relied_on else d.relied_on,
                level=ex.level(cert.result.level),
                score=ex.number(cert.result.rounded, view.framework.rounding.digits),
            )
        )
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, key in zip(table.rows[0].cells, ("indicator", "value", "target", "level"), strict=True):
        cell.text = tr(f"certificate.column.{key}")
    for r in cert.criteria:
        row = table.add_row().cells
        row[0].text = f"{r.indicator} {ex.indicator_name(r.indicator)}"
        row[1].text = _plain(ex.raw(r.raw))
        row[2].text = _plain(ex.raw(r.target)) if r.target is not None else "–"
        row[3].text = ex.level(r.level) if r.level else "–"

    document.add_heading(tr("certificate.conditions"), level=2)
    if d.conditions:
        conditions = document.add_table(rows=1, cols=3)
        conditions.style = "Table Grid"
        for cell, key in zip(conditions.rows[0].cells, ("condition", "owner", "due"), strict=True):
            cell.text = tr(f"certificate.column.{key}")
        for c in d.conditions:
            row = conditions.add_row().cells
            row[0].text = ex.text(c.what)
            row[1].text = _plain(ex.party_name(c.owner)) if c.owner else "–"
            row[2].text = tr.date(c.due) if c.due else "–"
    else:
        document.add_paragraph(tr("certificate.no_conditions"))

    document.add_heading(tr("certificate.posture"), level=2)
    if d.posture is not None:
        document.add_paragraph(ex.text(d.posture.text))
        if d.posture.footprint is not None:
            document.add_paragraph(_plain(ex.footprint(d.posture.footprint.model_dump())))
    else:
        document.add_paragraph("–")

    document.add_heading(tr("certificate.review"), level=2)
    document.add_paragraph(tr("certificate.review_date", date=tr.date(d.review)) if d.review else "–")
    for i in range(len(d.triggers)):
        document.add_paragraph(_plain(ex.trigger(d, i)), style="List Bullet")

    document.add_heading(tr("certificate.positions"), level=2)
    for p in d.positions:
        stated = (
            {"position": p.position, "reason": ex.text(p.reason)} if ex.text(p.reason) else {"position": p.position}
        )
        document.add_paragraph(_plain(ex.position(p.party, stated)), style="List Bullet")

    document.add_heading(tr("certificate.signatures"), level=2)
    body = next((b for b in view.framework.bodies if b.id == d.body), None)
    parties = body.parties if body is not None else [p.party for p in d.positions]
    signatures = document.add_table(rows=1, cols=4)
    signatures.style = "Table Grid"
    for cell, key in zip(signatures.rows[0].cells, ("party", "name", "signature", "date"), strict=True):
        cell.text = tr(f"certificate.column.{key}")
    for party in parties:
        row = signatures.add_row().cells
        row[0].text = _plain(ex.party_name(party))
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path
