"""The dashboard (index.md), from `pages.dashboard.DashboardPage`: the counts by level, the map (or the
tiles) and the table of regions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import charts
from ..pages.dashboard import DashboardPage, DashboardRow, MainPoints, Point
from ..safety import Safe
from ..situation import Blocker, Standing
from .changes import verdict
from .decisions import headline
from .environment import Pages
from .formatters import Formatter

if TYPE_CHECKING:
    from ..report import View


#: The colour of an area the edition does not show: no level's colour, so it reads as "nothing to see here".
WITHHELD_COLOUR = "#e0e0e0"


def area(fmt: Formatter, row: DashboardRow, outline: bool) -> charts.Area:
    level = row.result.level
    return charts.Area(
        row.id,
        fmt.loc(row.region.name),
        fmt.colour(level),
        fmt.level_label(level),
        (row.outline or []) if outline else [],
        f"regions/{row.id}.html",
    )


def link(fmt: Formatter, region: Any) -> Safe:
    return Safe("[{}](regions/{}.md)").format(fmt.md(region.name), region.id)


def confidence(fmt: Formatter, s: Standing) -> Safe:
    """How sure the level is, in one figure defined once: robust or fragile, the same level in N% of samples."""
    return fmt.robustness(s.share, s.robust, html=False)


def primacy_note(fmt: Formatter, s: Standing) -> Safe:
    """What leadership must know beside a level: handed over (wholly or in part), taken back, or a decision
    since the cut-off."""
    ex = fmt.explainer
    notes: list[Safe] = []
    if s.answer != "un-joint":
        notes.append(fmt.t(f"dashboard.points.primacy_{s.answer}"))
    for d in s.since:
        notes.append(Safe(ex.since_brief(d.decision)))
    if s.reversion is not None and not s.reversion.since:
        notes.append(Safe(ex.reverted(s.reversion.decision, False)))
    return Safe(fmt.tr.sep("; ")).join(notes)


def blocker(fmt: Formatter, b: Blocker | None) -> Safe:
    """The main blocker of a region, named (indicator codes with their names)."""
    if b is None:
        return Safe("")
    ex = fmt.explainer
    if b.gate == "critical_floor" and b.detail and b.detail.get("missing"):
        return fmt.t("dashboard.points.blocker_missing", id=b.subject, name=ex.indicator_name(b.subject or ""))
    if b.gate in ("critical_floor", "score") and b.subject and b.level:
        indicator_level = b.level if b.gate == "critical_floor" else None
        if indicator_level:
            return fmt.t(
                "dashboard.points.blocker_critical",
                id=b.subject,
                name=ex.indicator_name(b.subject),
                level=fmt.level_label(indicator_level),
            )
    if b.gate == "score":
        if b.subject:
            return fmt.t("dashboard.points.blocker_score_step", id=b.subject, name=ex.indicator_name(b.subject))
        return fmt.t("dashboard.points.blocker_score")
    if b.gate == "sign_off" and b.subject:
        if b.detail:
            brief = {"position": b.detail["position"]} if "position" in b.detail else b.detail  # no reasons here
            return fmt.t("dashboard.points.blocker_position", text=ex.position(b.subject, brief))
        return fmt.t("dashboard.points.blocker_sign_off", party=ex.party_name(b.subject))
    if b.gate == "prerequisites" and b.subject:
        return fmt.t("dashboard.points.blocker_capped", id=b.subject, name=ex.indicator_name(b.subject))
    if b.gate == "pillar_floor" and b.subject:
        return fmt.t("dashboard.points.blocker_pillar", id=b.subject)
    return fmt.t("dashboard.points.blocker_gate", gate=fmt.gate_name(b.gate))


#: How many blocked regions the main points name with their blocker in words; the others get its code only.
NAMED = 4


def brief(fmt: Formatter, b: Blocker | None) -> Safe:
    """A main blocker in a few characters: an indicator's code, a party, a gate."""
    if b is None:
        return Safe("")
    if b.gate == "sign_off" and b.subject:
        return fmt.t("dashboard.points.brief_sign_off", party=fmt.explainer.party_name(b.subject))
    if b.subject and b.gate in ("critical_floor", "prerequisites", "score"):
        return Safe(b.subject)
    if b.gate == "score":
        return fmt.t("dashboard.points.brief_score")
    return Safe(fmt.gate_name(b.gate))


def main_points(p: MainPoints, fmt: Formatter) -> list[Safe]:
    """At most six lines, in plain words: ready regions, blocked ones, changes since the previous round."""
    lines: list[Safe] = []
    sep = fmt.t("dashboard.points.sep") + " "
    handover = fmt.level_label(fmt.fw.handover_level)

    def described(x: Point) -> Safe:
        details: list[Any] = [fmt.level_label(x.result.level)]
        if x.standing.share is not None:
            details.append(confidence(fmt, x.standing))
        note = primacy_note(fmt, x.standing)
        if note:
            details.append(note)
        return Safe(", ").join(details)

    if p.ready:
        items = [
            fmt.t("dashboard.points.ready_item", region=link(fmt, x.region), details=described(x)) for x in p.ready
        ]
        lines.append(fmt.t("dashboard.points.ready", count=len(p.ready), level=handover, items=sep.join(items)))
    else:
        lines.append(fmt.t("dashboard.points.none_ready", level=handover))
    if p.blocked:
        named = [
            fmt.t(
                "dashboard.points.blocked_item",
                region=link(fmt, x.region),
                details=described(x),
                blocker=blocker(fmt, x.blocker),
            )
            for x in p.blocked[:NAMED]
        ]
        text = sep.join(named)
        rest = [
            fmt.t("dashboard.points.brief_item", region=link(fmt, x.region), blocker=brief(fmt, x.blocker))
            for x in p.blocked[NAMED:]
        ]
        if rest:  # every region is named on the first screen; the rest with their blocker's code only
            text = fmt.t("dashboard.points.more", items=text, others=sep.join(rest))
        lines.append(fmt.t("dashboard.points.blocked", count=len(p.blocked), level=handover, items=text))
    if p.trend is not None:  # improving, stable or deteriorating, with the counts that say so
        lines.append(verdict(fmt, p.trend))
    if p.previous is not None:
        items = [
            fmt.t(
                "dashboard.points.rose" if c.up else "dashboard.points.fell",
                region=link(fmt, c.region),
                before=fmt.level_label(c.before),
                after=fmt.level_label(c.after),
            )
            for c in p.changes
        ] + [Safe(fmt.explainer.since_item(d.decision)) for d in p.period]
        if items:
            lines.append(fmt.t("dashboard.points.changed", round=fmt.md(p.previous.label), items=sep.join(items)))
        else:
            lines.append(fmt.t("dashboard.points.unchanged", round=fmt.md(p.previous.label)))
    if p.since:
        items = [Safe(fmt.explainer.since_item(d.decision)) for d in p.since]
        lines.append(fmt.t("dashboard.points.since", date=fmt.date(p.cutoff), items=sep.join(items)))
    return lines


def overview(page: DashboardPage, fmt: Formatter, round_label: str, prefix: str = "") -> str:
    """The map of the assessed regions, each in its level (or their tiles, without outlines): the dashboard's,
    and the factsheet's (`prefix` keeps the ids of two drawings on one page apart)."""
    title = fmt.tr("dashboard.map_title", round=round_label)
    keys = charts.level_keys(fmt.fw.levels, fmt.level_label, fmt.loc)  # each level's symbol, and the legend
    if page.has_map:
        withheld = [
            charts.Area("", "", WITHHELD_COLOUR, fmt.tr("dashboard.map_withheld"), rings) for rings in page.withheld
        ]
        areas = [*withheld, *(area(fmt, r, True) for r in page.mapped)]
        return charts.region_map(f"{prefix}map", title, fmt.tr("dashboard.map_desc"), areas, legend_keys=keys)
    tiles = [area(fmt, r, False) for r in page.tiles]
    return charts.level_grid(f"{prefix}grid", title, fmt.tr("dashboard.grid_desc"), tiles, legend_keys=keys)


def markdown(page: DashboardPage, view: View, fmt: Formatter, write: Pages) -> str:
    samples = view.uncertainty.samples if view.uncertainty else 0
    rows = [
        {
            "id": row.id,
            "name": row.region.name,
            "rolled": row.rolled,
            "level": row.result.level,
            "robust": fmt.robustness(u.share_same, u.robust, samples)
            if (u := row.robustness) is not None
            else Safe(""),
            "override": bool(row.result.override),
            "score": fmt.score(row.result.rounded),
            "change": fmt.change(row.result),
            "coverage": fmt.coverage(row.result.coverage),
            "latest_evidence": fmt.date(row.latest_evidence) if not row.rolled else "–",
            "blocking": fmt.blocking(row.blocking),
        }
        for row in page.rows
    ]
    counts = [{"n": c.regions, "label": fmt.loc(c.level.label), "colour": c.level.colour} for c in page.counts]
    svg = overview(page, fmt, fmt.loc(view.latest.label))
    unmapped = [{"id": r.id, "name": fmt.loc(r.region.name), "level": r.result.level} for r in page.unmapped]
    return write(
        "index.md.j2",
        page=page,
        counts=counts,
        table=rows,
        overview_svg=Safe(svg),
        has_map=page.has_map,
        unmapped=unmapped,
        headline=headline(page.headline, fmt) if page.headline is not None else None,
        points=main_points(page.points, fmt) if page.points is not None else [],
        units=page.points is not None and page.points.units,
    )
