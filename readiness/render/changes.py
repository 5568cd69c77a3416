"""The changes page (changes.md), from `pages.changes.ChangesPage`: the trend verdict, levels moved, blockers
new and resolved, and the handover timeline, written in the language."""

from __future__ import annotations

from ..pages.changes import ChangesPage
from ..safety import Safe
from ..situation import TrendVerdict
from .environment import Pages
from .formatters import Formatter


def verdict(fmt: Formatter, v: TrendVerdict | None, named: bool = False) -> Safe:
    """The trend verdict in one sentence, with the counts that justify it (`Situation.trend`): how many levels
    rose and fell of those assessed in both rounds, the mean change of their scores, how many are new; with
    `named`, which rose and which fell. Empty in the first round."""
    if v is None:
        return Safe("")
    parts = [fmt.t("trend.why", rose=len(v.rose), fell=len(v.fell), compared=v.compared)]
    if named:
        for key, standings in (("trend.rose", v.rose), ("trend.fell", v.fell)):
            if standings:
                items = Safe(", ").join(
                    Safe("[{}](regions/{}.md)").format(fmt.md(s.region.name), s.id) for s in standings
                )
                parts.append(fmt.t(key, items=items))
    if v.score_change is not None:
        parts.append(fmt.t("trend.mean", change=fmt.tr.number(v.score_change, fmt.digits, sign=True)))
    if v.new:
        parts.append(fmt.tn("trend.new", len(v.new)))
    return fmt.t(
        "changes.trend" if named else "dashboard.points.trend",
        round=fmt.md(v.previous.label),
        verdict=fmt.t(f"trend.verdict.{v.verdict}"),
        why=Safe(fmt.tr.sep("; ")).join(parts),
    )


def markdown(page: ChangesPage, fmt: Formatter, write: Pages) -> str:
    moved = [
        {
            "id": m.region.id,
            "name": m.region.name,
            "before": m.before,
            "now": m.now,
            "up": m.up,
            "rolled": not m.result.assessed,
            "change": fmt.change(m.result),
        }
        for m in page.moved
    ]
    new_blockers = [
        {"id": b.region.id, "name": b.region.name, "gate": fmt.gate_name(b.gate.gate), "reason": fmt.gate(b.gate)}
        for b in page.new_blockers
    ]
    resolved = [{"id": b.region.id, "name": b.region.name, "gate": fmt.gate_name(b.gate)} for b in page.resolved]
    timeline = [
        {
            "id": row.region.id,
            "name": row.region.name,
            "level": row.level,
            "when": fmt.when(row.when),
            "pace": fmt.pace(row.pace),
        }
        for row in page.timeline
    ]
    ex = fmt.explainer
    decisions = [ex.since_item(d.decision) for d in page.period]
    since = [ex.since_item(d.decision) for d in page.since]
    conditions = [
        {
            "id": region.id,
            "name": region.name,
            "text": fmt.condition(
                {
                    "decision": c.decision.id,
                    "index": c.index,
                    "status": c.status,
                    "due": c.due.isoformat() if c.due else None,
                    "overdue": c.overdue,
                }
            ),
        }
        for region, c in page.conditions
    ]
    triggers = [
        {"id": region.id, "name": region.name, "text": fmt.trigger(t.decision, t.index)} for region, t in page.triggers
    ]
    overrides = [
        {
            "id": region.id,
            "name": region.name,
            "text": fmt.t(
                "changes.override",
                level=fmt.level_label(r.level),
                computed=fmt.level_label(r.computed_level),
                who=fmt.md(r.override["approved_by"]) if r.override else "–",
            ),
        }
        for region, r in page.overrides
    ]
    amendments = [
        {
            "id": region.id,
            "name": region.name,
            "text": fmt.t("changes.amended", date=fmt.date(a.date), by=fmt.md(a.by), reason=fmt.prose(a.reason)),
        }
        for region, a in page.amendments
    ]
    return write(
        "changes.md.j2",
        verdict=verdict(fmt, page.trend, named=True),
        amendments=amendments,
        overrides=overrides,
        page=page,
        moved=moved,
        new_blockers=new_blockers,
        resolved=resolved,
        timeline=timeline,
        decisions=decisions,
        since=since,
        conditions=conditions,
        triggers=triggers,
    )
