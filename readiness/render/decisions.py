"""The handover register (decisions.md), from `pages.decisions.DecisionsPage`: the national headline, every
decision, the mandate calendar, written in the language. The headline's tiles and lines are shared with the
dashboard (`headline`)."""

from __future__ import annotations

from typing import Any

from ..pages.decisions import DecisionsPage
from ..pages.handover import Headline
from ..safety import Safe
from ..situation import DecisionStanding
from .environment import Pages
from .formatters import Formatter

#: The tiles' colours (classes of readiness.css), by answer of the headline.
TILES = {"host": "rd-tile-host", "transition": "rd-tile-transition", "un-joint": "rd-tile-un-joint"}


def headline(h: Headline, fmt: Formatter) -> dict[str, Any]:
    """The national headline in the language, as at the cut-off: a tile per answer (they add up to the total),
    regions at risk, regions taken back, decisions since the cut-off, deadlines missed."""
    ex = fmt.explainer
    tiles = [
        {
            "n": fmt.number(c.regions, 0),
            "label": fmt.t(f"handover.headline.{c.answer}"),
            "of": fmt.t("dashboard.primacy_of", total=fmt.number(h.total, 0), share=fmt.share(c.share))
            if c.share is not None
            else fmt.t("dashboard.primacy_of_total", total=fmt.number(h.total, 0)),
            "class": TILES[c.answer],
        }
        for c in h.counts
    ]
    kinds = [fmt.t(f"decisions.kind_count.{kind}", n=fmt.number(n, 0)) for kind, n in h.kinds.items()]
    return {
        "round": h.round.label,
        "date": fmt.date(h.round.date),
        "as_at": fmt.t("handover.as_at", date=fmt.date(h.round.date)),
        "total": fmt.number(h.total, 0),
        "kinds": kinds,
        "tiles": tiles,
        "population": fmt.number(h.population, 0),
        "without_population": h.without_population,
        "with_population": h.total - h.without_population,
        "at_risk": [
            {
                "id": s.id,
                "name": s.region.name,
                "text": Safe(fmt.tr.sep("; ")).join(fmt.risk(item) for item in s.at_risk),
            }
            for s in h.at_risk
        ],
        "reverted": [
            {
                "id": s.id,
                "name": s.region.name,
                "text": ex.reverted(r.decision, r.since),
            }
            for s in h.reverted
            if (r := s.reversion) is not None
        ],
        "since": [ex.since_item(d.decision) for _, d in h.since],
        "deadlines": [
            {
                "date": fmt.date(s.deadline.date),
                "what": fmt.md(s.deadline.what),
                "set_by": fmt.md(s.deadline.set_by),
                "summary": fmt.deadline_summary(s.missing, s.total, s.deadline.date) if s.total else "",
                "regions": [
                    {
                        "id": row.region.id,
                        "name": row.region.name,
                        "primacy": fmt.functions(row.standing),
                        "status": fmt.deadline(row.standing.deadline)
                        if row.applies and row.standing.deadline is not None
                        else fmt.t(
                            "decisions.earlier_deadline",
                            date=fmt.date(row.standing.deadline["date"]) if row.standing.deadline else "–",
                        ),
                    }
                    for row in s.regions
                ],
            }
            for s in h.deadlines
        ],
    }


def _status(standing: DecisionStanding | None, fmt: Formatter) -> Safe:
    """Whether a decision is in effect at the cut-off, takes effect after it, or was superseded (and by what)."""
    if standing is None:
        return Safe("–")
    if standing.superseded_by is not None:
        return fmt.explainer.superseded(standing.superseded_by)
    if standing.since:
        return fmt.t("region.since_cutoff", date=fmt.date(standing.decision.effective_date))
    return fmt.t("decisions.in_effect")


def markdown(page: DecisionsPage, fmt: Formatter, write: Pages) -> str:
    h = page.headline
    kinds = list(h.kinds)
    by_kind = [
        [
            fmt.t(f"handover.headline.{c.answer}"),
            *(fmt.number(c.by_kind(kinds)[k], 0) for k in kinds),
            fmt.number(c.regions, 0),
            fmt.number(c.population, 0),
            fmt.share(c.share),
        ]
        for c in h.counts
    ]
    functions = [
        [fmt.function_name(f.function.id), *(fmt.number(f.counts[p], 0) for p in ("host", "joint", "un"))]
        for f in h.functions
    ]
    rows = []
    for row in page.rows:
        d = row.decision
        if not row.conditions:
            conditions: Any = "–"
        elif row.open == 0:
            conditions = fmt.t("decisions.conditions_closed", n=fmt.number(len(row.conditions), 0))
        elif row.overdue:
            conditions = fmt.t(
                "decisions.conditions_overdue", open=fmt.number(row.open, 0), overdue=fmt.number(row.overdue, 0)
            )
        else:
            conditions = fmt.t("decisions.conditions_open", open=fmt.number(row.open, 0))
        rows.append(
            {
                "decided": fmt.date(d.decided)
                if d.effective_date == d.decided
                else fmt.t(
                    "decisions.decided_effective", decided=fmt.date(d.decided), effective=fmt.date(d.effective_date)
                ),
                "id": d.region,
                "name": row.region.name,
                "decision": fmt.t("decisions.kind_scope", kind=fmt.decision_kind(d.kind), scope=fmt.scope(d)),
                "body": fmt.body_name(d.body),
                "reference": fmt.md(d.reference),
                "against": fmt.against_brief(row.against),
                "conditions": conditions,
                "review": fmt.date(d.review) if d.review is not None else "–",
                "status": _status(row.standing, fmt),
                "restricted": d.restricted,
            }
        )
    phases = [
        {
            "name": fmt.md(p.phase.name),
            "start": fmt.date(p.phase.start),
            "end": fmt.date(p.phase.end),
            "strength": fmt.strength(p.phase.strength.model_dump()),
            "planned": fmt.strength(p.planned),
            "regions": fmt.number(p.regions, 0) if p.planned is not None else "–",
            "required": fmt.strength(p.required),
            "short": fmt.t(
                "decisions.phase_short", items=", ".join(fmt.t(f"decisions.strength_kind.{k}") for k in p.short)
            )
            if p.short
            else "",
        }
        for p in page.phases
    ]
    periods = [
        {
            "id": p.id,
            "resolution": fmt.md(p.resolution),
            "start": fmt.date(p.start),
            "end": fmt.date(p.end),
            "executive": Safe(", ").join(fmt.function_name(f) for f in p.executive) if p.executive else "–",
        }
        for p in page.periods
    ]
    basis = page.basis
    basis_text = (
        fmt.t(
            "decisions.basis",
            primacy=fmt.primacy(fmt.fw.initial_primacy),
            agreement=fmt.md(basis.agreement),
            request=fmt.t(
                "decisions.basis_request",
                text=fmt.md(basis.request.text),
                reference=fmt.md(basis.request.reference) if basis.request.reference else "–",
                date=fmt.date(basis.request.date),
            )
            if basis.request is not None
            else "",
        )
        if basis is not None
        else ""
    )
    return write(
        "decisions.md.j2",
        page=page,
        headline=headline(h, fmt),
        kind_columns=[fmt.t(f"column.kind_{k}") for k in kinds],
        by_kind=by_kind,
        functions=functions,
        rows=rows,
        phases=phases,
        periods=periods,
        basis=basis_text,
        left_out_decisions=page.left_out,
    )
