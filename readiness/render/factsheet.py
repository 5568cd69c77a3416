"""The Council factsheet (factsheet.md), from `pages.factsheet.FactsheetPage`: one printed A4 page."""

from __future__ import annotations

from ..pages.factsheet import FactsheetPage
from ..safety import Safe
from .environment import Pages
from .formatters import Formatter


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
    return write(
        "factsheet.md.j2",
        page=page,
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
            {"round": fmt.md(t.round.label), "counts": [str(t.counts.get(lv, 0)) for lv in level_ids]}
            for t in page.trend
        ],
        risks=risks[:3],
    )
