"""The handover certificate of each handover decision, as a Word document the joint body signs: the district or
unit, the decision (body, reference, dates, the assessment it relied on), the criteria at that assessment, the
conditions with owners and due dates, the UN police posture that remains, the review date and reversion triggers,
the parties' positions, and a signature block for each party of the body."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import IO

from ..explain import Explainer
from ..i18n import Translator
from ..model import Decision, Region, Round
from ..report import View
from ..scoring.results import IndicatorResult, RegionRound
from .word import _clean, _plain, _save, _table, new_document


@dataclass(frozen=True)
class Certificate:
    decision: Decision
    region: Region
    relied_on: Round | None
    result: RegionRound | None
    """The region at the assessment the decision relied on."""
    criteria: list[IndicatorResult]
    """Its critical indicators there, in id order."""
    superseded_by: Decision | None = None
    """The later decision that took every function it handed over (a reversion), if any: the certificate was
    signed and is kept, marked superseded."""


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
        standing = view.situation.standing(d.region)
        status = next((s for s in standing.decisions if s.decision.id == d.id), None) if standing else None
        by = status.superseded_by if status is not None else None
        out.append(Certificate(d, view.regions[d.region], rounds[d.relied_on], result, criteria, by))
    return out


def write_docx(cert: Certificate, view: View, lang: str, path: Path | IO[bytes]) -> Path | IO[bytes]:
    """The certificate as a Word document with real headings, tables and styles (python-docx)."""

    ex = Explainer(view.project, lang, markup=False)
    tr = Translator(lang)
    d = cert.decision
    title = _clean(tr("certificate.title", region=ex.text(cert.region.name)))
    document = new_document(view, lang, title, ex.text(view.framework.name))
    document.add_heading(title, level=1)
    if cert.superseded_by is not None:
        note = document.add_paragraph()
        note.add_run(_clean(tr("certificate.superseded_title")) + tr.sep(": ")).bold = True
        note.add_run(_clean(_plain(ex.superseded(cert.superseded_by)) + "."))
    document.add_paragraph(_clean(_plain(ex.decision(d)) + "."))
    if ex.text(d.rationale):
        document.add_paragraph(_clean(ex.text(d.rationale)))

    document.add_heading(_clean(tr("certificate.criteria")), level=2)
    if cert.result is not None:
        document.add_paragraph(
            _clean(
                tr(
                    "certificate.level",
                    round=ex.text(cert.relied_on.label) if cert.relied_on else d.relied_on,
                    level=ex.level(cert.result.level),
                    score=ex.number(cert.result.rounded, view.framework.rounding.digits),
                )
            )
        )
    table = _table(document, tr, "certificate.column", ("indicator", "value", "target", "level"))
    for r in cert.criteria:
        row = table.add_row().cells
        row[0].text = _clean(f"{r.indicator} {ex.indicator_name(r.indicator)}")
        row[1].text = _clean(_plain(ex.raw(r.raw)))
        row[2].text = _clean(_plain(ex.raw(r.target)) if r.target is not None else "–")
        row[3].text = _clean(ex.level(r.level) if r.level else "–")

    document.add_heading(_clean(tr("certificate.conditions")), level=2)
    if d.conditions:
        conditions = _table(document, tr, "certificate.column", ("condition", "owner", "due"))
        for c in d.conditions:
            row = conditions.add_row().cells
            row[0].text = _clean(ex.text(c.what))
            row[1].text = _clean(_plain(ex.party_name(c.owner)) if c.owner else "–")
            row[2].text = _clean(tr.date(c.due) if c.due else "–")
    else:
        document.add_paragraph(_clean(tr("certificate.no_conditions")))

    document.add_heading(_clean(tr("certificate.posture")), level=2)
    if d.posture is not None:
        document.add_paragraph(_clean(ex.text(d.posture.text)))
        if d.posture.footprint is not None:
            document.add_paragraph(_clean(_plain(ex.footprint(d.posture.footprint.model_dump()))))
    else:
        document.add_paragraph(_clean("–"))

    document.add_heading(_clean(tr("certificate.review")), level=2)
    document.add_paragraph(_clean(tr("certificate.review_date", date=tr.date(d.review)) if d.review else "–"))
    for i in range(len(d.triggers)):
        document.add_paragraph(_clean(_plain(ex.trigger(d, i))), style="List Bullet")

    document.add_heading(_clean(tr("certificate.positions")), level=2)
    for p in d.positions:
        stated = (
            {"position": p.position, "reason": ex.text(p.reason)} if ex.text(p.reason) else {"position": p.position}
        )
        document.add_paragraph(_clean(_plain(ex.position(p.party, stated))), style="List Bullet")

    document.add_heading(_clean(tr("certificate.signatures")), level=2)
    body = next((b for b in view.framework.bodies if b.id == d.body), None)
    parties = body.parties if body is not None else [p.party for p in d.positions]
    signatures = _table(document, tr, "certificate.column", ("party", "name", "signature", "date"))
    for party in parties:
        row = signatures.add_row().cells
        row[0].text = _clean(_plain(ex.party_name(party)))
    return _save(document, path, view, lang)


# ---------------------------------------------------------------- the transition paragraph
