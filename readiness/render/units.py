"""One view per unit (units.md), from `pages.units.UnitsPage`: a row for each assessed district and unit, every
cell written from its standing in the situation."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..pages.units import UnitCard, UnitsPage
from ..safety import Safe
from .environment import Pages
from .formatters import Formatter

if TYPE_CHECKING:
    from ..report import View


def conditions(fmt: Formatter, card: UnitCard) -> Safe:
    """The open conditions (how many, the first due date, how many overdue) and the reversion triggers (the
    tripped ones named, else how many are watched)."""
    parts: list[Safe] = []
    if card.conditions:
        n = len(card.conditions)
        first = card.first_due
        text = (
            fmt.tn("unit_view.conditions", n, date=fmt.date(first))
            if first is not None
            else fmt.tn("unit_view.conditions_undated", n)
        )
        if card.overdue:
            text = Safe(", ").join([text, fmt.t("unit_view.overdue", count=card.overdue)])
        parts.append(text)
    tripped = [t for t in card.triggers if t.tripped]
    if tripped:
        items = Safe(fmt.tr.sep("; ")).join(fmt.trigger(t.decision, t.index) for t in tripped)
        parts.append(fmt.t("unit_view.tripped", items=items))
    elif card.triggers:
        parts.append(fmt.tn("unit_view.watched", len(card.triggers)))
    if not parts:
        return fmt.t("unit_view.no_condition")
    return Safe(fmt.tr.sep("; ")).join(parts)


def review(fmt: Formatter, card: UnitCard) -> Safe:
    day = card.standing.next_review
    if day is None:
        return Safe("–")
    if card.review_overdue:
        return fmt.t("unit_view.review_overdue", date=fmt.date(day))
    return Safe(fmt.date(day))


def deadline(fmt: Formatter, card: UnitCard, dated: bool) -> Safe:
    """Where it stands against the mandate deadline that applies, in a word or two (with the deadline's date
    when deadlines differ between rows)."""
    item = card.standing.deadline
    if item is None:
        return Safe("–")
    status = item["status"]
    key = f"unit_view.deadline.{status}"
    if key not in fmt.tr.labels:
        return fmt.deadline(item)
    projected = item.get("projected_date")
    text = fmt.t(key, projected=fmt.date(projected) if projected else "–")
    if dated:
        text = fmt.t("unit_view.deadline_of", status=text, date=fmt.date(item.get("date")))
    return text


def change(fmt: Formatter, card: UnitCard) -> Safe:
    """The newest decision or level move, dated."""
    c = card.change
    if c.kind == "decision" and c.decision is not None:
        d = c.decision.decision
        return fmt.t(
            "unit_view.change_since" if c.decision.since else "unit_view.change_decision",
            date=fmt.date(c.day),
            kind=fmt.decision_kind(d.kind),
            reference=fmt.md(d.reference),
        )
    if c.kind == "level" and c.before and c.after:
        return fmt.t(
            "unit_view.change_rose" if c.up else "unit_view.change_fell",
            date=fmt.date(c.day),
            before=fmt.level_label(c.before),
            after=fmt.level_label(c.after),
        )
    return fmt.t("unit_view.change_none", round=fmt.md(card.first.label) if card.first else "–")


def markdown(page: UnitsPage, view: View, fmt: Formatter, write: Pages) -> str:
    samples = view.uncertainty.samples if view.uncertainty else 0
    dates = {c.standing.deadline.get("date") for c in page.cards if c.standing.deadline is not None}
    rows: list[dict[str, Any]] = []
    for card in page.cards:
        s = card.standing
        rows.append(
            {
                "id": s.id,
                "name": s.region.name,
                "level": s.level,
                "robust": fmt.robustness(s.share, s.robust, samples),
                "primacy": s.primacy,
                "primacy_label": fmt.t(f"handover.short.{s.primacy}"),
                "conditions": conditions(fmt, card),
                "review": review(fmt, card),
                "deadline": deadline(fmt, card, dated=len(dates) > 1),
                "change": change(fmt, card),
            }
        )
    return write(
        "units.md.j2",
        page=page,
        rows=rows,
        count=len(rows),
    )
