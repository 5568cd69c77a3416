"""The Council factsheet (factsheet.md), from `pages.factsheet.FactsheetPage`: one printed A4 page."""

from __future__ import annotations

from typing import Any

from ..pages.factsheet import FactsheetPage, TrendLine
from ..safety import Safe
from ..situation import IndicatorSpread
from .changes import verdict
from .dashboard import overview
from .environment import Pages
from .formatters import Formatter


def title(page: FactsheetPage, fmt: Formatter) -> Safe:
    """The country and the mission in the title, as the framework names them (either, or neither)."""
    round_label = fmt.md(page.round.label)
    mission: Safe | None = None
    if page.mission is not None:
        name, abbreviation = fmt.md(page.mission.name), fmt.loc(page.mission.abbreviation)
        mission = fmt.t("factsheet.mission", name=name, abbreviation=fmt.md(abbreviation)) if abbreviation else name
    country = fmt.md(page.country) if page.country is not None and fmt.loc(page.country) else None
    if mission is not None and country is not None:
        return fmt.t("factsheet.title_both", country=country, mission=mission, round=round_label)
    if mission is not None:
        return fmt.t("factsheet.title_mission", mission=mission, round=round_label)
    if country is not None:
        return fmt.t("factsheet.title_country", country=country, round=round_label)
    return fmt.t("factsheet.title", round=round_label)


def assessed_change(fmt: Formatter, before: TrendLine, line: TrendLine) -> Safe:
    """Why the number assessed changed between two rounds: which districts and units came in, which left."""
    changes: list[Safe] = []
    if line.added:
        names = Safe(", ").join(fmt.md(r.name) for r in line.added)
        changes.append(fmt.tn("factsheet.added", len(line.added), items=names))
    if line.dropped:
        names = Safe(", ").join(fmt.md(r.name) for r in line.dropped)
        changes.append(fmt.tn("factsheet.dropped", len(line.dropped), items=names))
    return fmt.t(
        "factsheet.assessed_change",
        before=before.total,
        after=line.total,
        round_before=fmt.md(before.round.label),
        round=fmt.md(line.round.label),
        changes=Safe(fmt.tr.sep("; ")).join(changes),
    )


def markdown(page: FactsheetPage, fmt: Formatter, write: Pages) -> str:
    ex = fmt.explainer
    h = page.headline
    host = h.count("host") if h else None
    risks: list[Safe] = []
    if page.at_risk:
        risks.append(fmt.t("factsheet.risk_at_risk", items=Safe(", ").join(fmt.md(r.name) for r in page.at_risk)))
    for deadline, missing, total in page.deadline_misses:
        risks.append(fmt.t("factsheet.risk_deadline", missing=missing, total=total, date=fmt.date(deadline.date)))  # type: ignore[attr-defined]
    if page.common_blocker is not None:
        ind, count = page.common_blocker
        risks.append(fmt.t("factsheet.risk_blocker", indicator=ex.indicator_ref(ind), count=count))
    level_ids = [lv.id for lv in reversed(fmt.fw.levels)]
    notes = [
        assessed_change(fmt, before, line)
        for before, line in zip(page.trend, page.trend[1:], strict=False)
        if line.changed or line.total != before.total
    ]
    period = [ex.since_item(d.decision) for _, d in page.decisions if not d.since]
    since = [ex.since_item(d.decision) for _, d in page.decisions if d.since]
    context: dict[str, Any] = dict(
        page=page,
        title=title(page, fmt),
        map_svg=Safe(overview(page.dashboard, fmt, fmt.loc(page.round.label), "factsheet-"))
        if page.dashboard is not None and (page.dashboard.mapped or page.dashboard.tiles)
        else Safe(""),
        key=fmt.t(
            "factsheet.key",
            date=fmt.date(page.round.date),
            assessed=page.assessed,
            ready=page.ready,
            level=fmt.level_label(fmt.fw.handover_level),
            host=host.regions if host else 0,
            share=fmt.share(host.share) if host else "–",
        )
        if host
        else fmt.t(
            "factsheet.key_plain",
            date=fmt.date(page.round.date),
            assessed=page.assessed,
            ready=page.ready,
            level=fmt.level_label(fmt.fw.handover_level),
        ),
        level_lines=[
            {"level": line.level.id, "regions": Safe(", ").join(fmt.md(r.name) for r in line.regions)}
            for line in page.levels
        ],
        trend_header=[fmt.level_label(lv) for lv in level_ids],
        trend=[
            {
                "round": fmt.md(t.round.label),
                "counts": [str(t.counts.get(lv, 0)) for lv in level_ids],
                "total": t.total,
            }
            for t in page.trend
        ],
        notes=notes,
        verdict=verdict(fmt, page.verdict),
        period=period,
        since=since,
        previous=page.verdict.previous if page.verdict is not None else None,
        risks=risks[:3],
        gender=gender(page, fmt),
    )
    return write("factsheet.md.j2", **context)


def gender(page: FactsheetPage, fmt: Formatter) -> Safe | None:
    """One line on women: among the host police's officers (the lowest and highest district, how many reach the
    target) and among the UN police officers of the phase, where the framework and the calendar give them; then
    one on women in the host police's command posts, where the framework names its indicator."""
    items: list[Safe] = []
    host = host_spread(page.women, fmt)
    if host is not None:
        items.append(host)
    strength = page.phase.strength if page.phase is not None else None
    if page.phase is not None and strength is not None and strength.women and strength.individual_officers:
        share = fmt.percent(strength.women / strength.individual_officers)
        items.append(fmt.t("factsheet.gender_un", share=share, phase=fmt.md(page.phase.name)))
    lines = [fmt.t("factsheet.gender", items=Safe(fmt.tr.sep("; ")).join(items))] if items else []
    command = host_spread(page.women_in_command, fmt)
    if command is not None:
        lines.append(fmt.t("factsheet.gender_command", items=command))
    return Safe("\n\n").join(lines) if lines else None


def host_spread(spread: IndicatorSpread | None, fmt: Formatter) -> Safe | None:
    """An indicator of the host police's across the districts and units: its lowest and highest value, where, and
    how many reach the target (None without the indicator or without a value)."""
    if spread is None or spread.lowest is None or spread.highest is None:
        return None
    ex = fmt.explainer
    (low_at, low), (high_at, high) = spread.lowest, spread.highest
    return fmt.t(
        "factsheet.gender_host",
        indicator=ex.indicator_name(spread.indicator),
        low=ex.quantity(spread.indicator, low),
        low_at=fmt.md(low_at.region.name),
        high=ex.quantity(spread.indicator, high),
        high_at=fmt.md(high_at.region.name),
        met=len(spread.reached),
        total=len(spread.values),
    )
