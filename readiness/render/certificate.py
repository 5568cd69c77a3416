"""A handover certificate as a page of the site (certificates/<decision>.md), from `documents.Certificate`: the
same content as the Word document, printable on at most two A4 pages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..documents import Certificate
from ..safety import Safe
from .environment import Pages
from .formatters import Formatter

if TYPE_CHECKING:
    from ..report import View


def markdown(cert: Certificate, view: View, fmt: Formatter, write: Pages) -> str:
    ex = fmt.explainer
    d = cert.decision
    body = next((b for b in view.framework.bodies if b.id == d.body), None)
    parties = body.parties if body is not None else [p.party for p in d.positions]
    posture = fmt.md(d.posture.text) if d.posture is not None else Safe("–")
    if d.posture is not None and d.posture.footprint is not None:
        posture = Safe(" ").join([posture, fmt.footprint(d.posture.footprint)])
    return write(
        "certificate.md.j2",
        title=fmt.t("certificate.title", region=fmt.md(cert.region.name)),
        superseded=ex.superseded(cert.superseded_by) if cert.superseded_by is not None else "",
        decision=fmt.decision(d),
        rationale=fmt.md(d.rationale) if fmt.loc(d.rationale) else "",
        level_line=fmt.t(
            "certificate.level",
            round=fmt.md(cert.relied_on.label) if cert.relied_on else d.relied_on,
            level=fmt.level_label(cert.result.level),
            score=fmt.score(cert.result.rounded),
        )
        if cert.result is not None
        else "",
        criteria=[
            {
                "indicator": Safe("{} {}").format(r.indicator, fmt.md(ex.indicator_name(r.indicator))),
                "value": fmt.raw(r.raw),
                "target": fmt.raw(r.target) if r.target is not None else "–",
                "level": fmt.level_label(r.level) if r.level else "–",
            }
            for r in cert.criteria
        ],
        conditions=[
            {
                "what": fmt.md(c.what),
                "owner": fmt.md(ex.party_name(c.owner)) if c.owner else "–",
                "due": fmt.date(c.due) if c.due else "–",
            }
            for c in d.conditions
        ],
        posture=posture,
        review=fmt.t("certificate.review_date", date=fmt.date(d.review)) if d.review else "–",
        triggers=[fmt.trigger(d, i) for i in range(len(d.triggers))],
        positions=[fmt.position(p.party, p.position, p.reason, p.by) for p in d.positions],
        signatories=[fmt.md(ex.party_name(p)) for p in parties],
    )
