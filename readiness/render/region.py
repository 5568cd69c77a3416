"""A region's page (regions/<id>.md), from `pages.region.RegionPage`: the pillar, trend, dependency and
probability charts drawn from its numbers, and its rows written in the language."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import charts
from ..pages.region import HandoverSection, RegionPage
from ..safety import Safe
from ..signoff import sign_off_status
from .environment import Pages
from .formatters import Formatter

if TYPE_CHECKING:
    from ..model import Decision, DueDiligence
    from ..report import View
    from ..situation import TriggerStanding


def handover(h: HandoverSection | None, fmt: Formatter) -> dict[str, Any] | None:
    """The region's primacy and the decisions that apply, written in the language."""
    if h is None:
        return None
    standing = h.standing
    ex = fmt.explainer
    functions = [
        {
            "name": fmt.function_name(row.function.id) if row.function is not None else fmt.t("handover.whole"),
            "primacy": fmt.primacy(row.primacy),
            "decision": fmt.md(row.decision.reference) if row.decision is not None else fmt.t("region.initial_primacy"),
            "effective": fmt.date(row.decision.effective_date) if row.decision is not None else "–",
            "level": fmt.level_label(row.level.level) if row.level is not None else "–",
            "why": ex.join("; ", ex.function_held(row.level)) if row.level is not None else "",
        }
        for row in h.functions
    ]
    # the text triggers of the handovers in force, with what the team recorded of them at the round
    watched = {(t.decision.id, t.index): t for t in standing.triggers if t.trigger.watched}
    decisions = []
    for entry in h.decisions:
        d = entry.decision
        posture = d.posture
        items: list[dict[str, Any]] = []
        if d.positions:
            positions = [fmt.position(p.party, p.position, p.reason, p.by) for p in d.positions]
            items.append({"label": fmt.t("region.positions"), "text": "", "sub": positions})
        if fmt.loc(d.rationale):
            items.append({"label": fmt.t("region.rationale"), "text": fmt.md(d.rationale), "sub": []})
        if entry.conditions:
            items.append(
                {
                    "label": fmt.t("region.conditions", round=fmt.md(h.round.label)),
                    "text": "",
                    "sub": [fmt.condition(item) for item in entry.conditions],
                }
            )
        if posture is not None:
            text = fmt.md(posture.text)
            if posture.footprint is not None:
                text = Safe(" ").join([text, fmt.t("region.planned", footprint=fmt.footprint(posture.footprint))])
            items.append({"label": fmt.t("region.posture"), "text": text, "sub": []})
        if d.review is not None:
            items.append({"label": fmt.t("region.review"), "text": fmt.date(d.review), "sub": []})
        if d.triggers:
            items.append(
                {
                    "label": fmt.t("region.triggers"),
                    "text": "",
                    "sub": [
                        trigger(fmt, d, i, i in entry.tripped, watched.get((d.id, i))) for i in range(len(d.triggers))
                    ],
                }
            )
        status = entry.standing
        decisions.append(
            {
                "id": d.id,
                "title": fmt.t(
                    "region.decision_title", kind=fmt.decision_kind(d.kind), reference=fmt.md(d.reference), id=d.id
                ),
                "text": fmt.decision(d),
                "superseded": status.superseded,
                "status": ex.superseded(status.superseded_by)
                if status.superseded_by is not None
                else fmt.t("region.since_cutoff", date=fmt.date(d.effective_date))
                if status.since
                else "",
                "restricted": d.restricted,
                "details": items,
            }
        )
    reversion = standing.reversion
    against = standing.result.handover.against if standing.result.handover is not None else []
    return {
        "primacy": standing.primacy,
        "badge": fmt.primacy(standing.primacy),
        # with the table of functions below, one word; without it, the phrase says each function's primacy
        "phrase": fmt.primacy(standing.primacy) if functions else fmt.functions(standing),
        "round": h.round.label,
        "date": fmt.date(h.round.date),
        "functions": functions,
        # the level of each function on its own criteria, where indicators name functions
        "function_levels": any(row.level is not None for row in h.functions),
        "risks": [fmt.risk(item) for item in standing.at_risk],
        "reverted": ex.reverted(reversion.decision, reversion.since) if reversion is not None else "",
        "against": [{"decision": item["decision"], "text": fmt.against(item)} for item in against],
        "decisions": decisions,
        "deadline": fmt.deadline(standing.deadline) if standing.deadline is not None else "",
        "diligence": _diligence(h.diligence, fmt) if h.diligence is not None else "",
    }


def trigger(fmt: Formatter, d: Decision, index: int, tripped: bool, standing: TriggerStanding | None) -> Safe:
    """A reversion trigger, and whether it tripped at the page's round: a level trigger as the tool found it; a
    text trigger of a handover in force as the team recorded it, with its evidence (or that the team has not
    said)."""
    said = standing.said if standing is not None else None
    if tripped:
        status = fmt.t("region.tripped")
    elif said is not None:
        status = fmt.t("region.not_tripped")
    elif standing is not None:
        return Safe(" ").join([fmt.trigger(d, index), fmt.t("region.trigger_unsaid")])
    else:
        return fmt.trigger(d, index)
    if said is not None and fmt.loc(said.evidence):
        status = fmt.t("region.trigger_evidence", status=status, evidence=fmt.prose(said.evidence))
    return Safe(" ").join([fmt.trigger(d, index), status])


def evidence_path(region_id: str) -> str:
    """The page of a region's evidence (its annex), beside the regions' folder so links keep their depth."""
    return f"evidence/{region_id}.md"


def has_evidence(page: RegionPage) -> bool:
    """Whether the region has an evidence page: an assessed region (indicators, a sign-off); a rolled-up one has
    its parts'."""
    return bool(page.indicators) or page.assessment is not None


def markdown(page: RegionPage, view: View, fmt: Formatter, write: Pages) -> str:
    """The region's page: the decision, the story, what blocks it, the indicators below the handover level
    and a summary per pillar (its evidence is on its own page, `evidence`)."""
    return write("region.md.j2", **context(page, view, fmt, evidence=False))


def evidence(page: RegionPage, view: View, fmt: Formatter, write: Pages) -> str:
    """The region's evidence, printable as its annex: every indicator with its value, score, level, evidence
    and its age, the pillar chart and the prerequisite graph."""
    return write("evidence.md.j2", **context(page, view, fmt, evidence=True))


def context(page: RegionPage, view: View, fmt: Formatter, evidence: bool) -> dict[str, Any]:
    """What the region's two pages show, written in the language (the charts of the page asked for only)."""
    fw, tr, current = view.framework, fmt.tr, page.result
    name = fmt.loc(page.region.name)
    rid = page.region.id
    low, high = float(fw.scale.min), float(fw.scale.max)
    bars, pillar_rows, pillar_summary = [], [], []
    for row in page.pillars:
        label = ("↳ " if row.entry.depth else "") + fmt.loc(row.entry.name)
        bars.append(
            charts.Bar(
                label,
                None if row.score is None else float(row.score),
                fmt.colour(row.band),
                "" if row.result is None else tr("region.pillar_data", coverage=fmt.coverage(row.coverage)),
                number=fmt.number,
            )
        )
        pillar_rows.append([fmt.md(label), fmt.score(row.score), fmt.coverage(row.coverage)])
        if row.entry.depth:  # the region page sums up the top-level pillars; the evidence page charts them all
            continue
        pillar_summary.append(
            {
                "name": fmt.md(label),
                "depth": row.entry.depth,
                "score": fmt.score(row.score),
                "band": row.band,
                "failing": fmt.t("region.pillar_failing", failing=row.failing, total=row.indicators)
                if row.indicators
                else "–",
                "coverage": fmt.coverage(row.coverage),
            }
        )
    markers = [(float(page.floor), tr("region.floor", floor=fmt.number(page.floor)))] if page.floor is not None else []
    pillar_svg = (
        ""
        if not evidence
        else charts.bar_chart(
            f"pillars-{rid}",
            tr("region.pillars_title", region=name),
            tr("region.pillars_desc", round=fmt.loc(view.latest.label), low=fmt.number(low), high=fmt.number(high)),
            bars,
            low,
            high,
            markers,
            legend_keys=charts.level_keys(fw.levels, fmt.level_label),
        )
    )
    points = []
    for p in page.trend:
        label = fmt.loc(p.round.label)
        points.append(
            (
                label if len(label) <= 12 else p.round.id,
                None if p.result is None or p.result.rounded is None else float(p.result.rounded),
                fmt.colour(p.result.level if p.result else None),
            )
        )
    bands = [
        charts.Band(float(b.start), float(b.end), fmt.colour(b.level), fmt.level_label(b.level)) for b in page.bands
    ]
    trend_svg = charts.trend_chart(
        f"trend-{rid}",
        tr("region.trend_title", region=name),
        tr("region.trend_desc"),
        points,
        bands,
        low,
        high,
        number=fmt.number,
        legend_keys=charts.level_keys(fw.levels, fmt.level_label),
    )
    trend_rows = [
        [
            fmt.md(p.round.label),
            fmt.score(p.result.rounded if p.result else None),
            fmt.level_label(p.result.level) if p.result else "–",
            fmt.change(p.result),
        ]
        for p in page.trend
    ]
    indicator_rows, nodes, dependency_rows = [], [], []
    for i in page.indicators:
        ind, ir = i.indicator, i.result
        status = "" if ir.status == "value" else fmt.status(ir.status)
        short: Any = Safe("*{}*").format(status) if status else fmt.raw(ir.raw)
        if ir.status == "value":
            value: Any = fmt.raw(ir.raw)
            if ir.margin is not None:
                value = fmt.t("region.with_margin", value=value, margin=fmt.number(ir.margin, 1))
                short = value
            if ir.within_margin:
                value = Safe(" ").join([value, fmt.t("region.within_margin")])
            if i.by_sex is not None and (i.by_sex.women is not None or i.by_sex.men is not None):
                value = Safe(" ").join(
                    [
                        value,
                        fmt.t(
                            "region.by_sex",
                            women=fmt.raw(i.by_sex.women) if i.by_sex.women is not None else "–",
                            men=fmt.raw(i.by_sex.men) if i.by_sex.men is not None else "–",
                        ),
                    ]
                )
            if i.effort:
                value = Safe(" ").join([value, fmt.t("region.effort", effort=fmt.prose(i.effort))])
        else:
            value = Safe("*{}*").format(status) + (Safe(tr.sep(": ")) + fmt.prose(ir.reason) if ir.reason else "")
        indicator_rows.append(
            {
                "id": ind.id,
                "name": ind.name,
                "critical": ind.critical,
                "value": value,
                "short": short,
                "score": fmt.number(ir.capped_score, fmt.digits),
                "level": ir.level,
                "status": status or "–",
                "capped_by": ", ".join(i.capped_by),
                "evidence": Safe(tr.sep("; ")).join(
                    Safe("{} {} ({})").format(e.source, fmt.prose(e.reference, mark=False), fmt.date(e.date))
                    for e in i.evidence
                )
                or "–",
                "age": "–" if ir.evidence_age_days is None else ir.evidence_age_days,
            }
        )
        label = fmt.level_label(ir.level) if ir.level else (status or tr("status.no_value"))
        nodes.append(
            charts.Node(ind.id, fmt.loc(ind.name), fmt.colour(ir.level), label, f"../indicators/{ind.id}.html")
        )
        dependency_rows.append([ind.id, ", ".join(i.requires) or "–", label])
    dependency_svg = ""
    if page.dependencies is not None and evidence:
        dependency_svg = charts.dependency_graph(
            f"deps-{rid}",
            tr("region.dependencies_title", region=name),
            tr("region.dependencies_desc"),
            nodes,
            page.dependencies.edges,
            page.dependencies.layers,
            legend_keys=charts.level_keys(fw.levels, fmt.level_label),
        )
    children = [
        {
            "id": c.region.id,
            "name": c.region.name,
            "level": c.result.level,
            "score": fmt.score(c.result.rounded),
            "coverage": fmt.coverage(c.result.coverage),
        }
        for c in page.children
    ]
    u = page.robustness
    probability_svg, probability_rows, sensitivity_rows = "", [], []
    if u is not None and evidence:
        segments = [(fmt.level_label(lv), share, fmt.colour(lv)) for lv, share in page.probabilities]
        probability_svg = charts.stacked_bar(
            f"prob-{rid}",
            tr("region.probabilities_title", region=name),
            tr("region.probabilities_desc"),
            segments,
            percent=lambda share: fmt.percent(share),
            legend_keys=charts.level_keys(fw.levels, fmt.level_label),
        )
        probability_rows = [[fmt.level_label(lv), fmt.percent(share, 1)] for lv, share in u.probabilities.items()]
        sensitivity_rows = [
            {
                "factor": fmt.md(fmt.factor(row["factor"])),
                "first": fmt.number(row["first_order"], 2),
                "total": fmt.number(row["total_order"], 2),
            }
            for row in page.sensitivity
        ]
    gates = [{"gate": g.gate, "allows": g.allows, "text": fmt.gate(g)} for g in page.gates]
    sign_off = [
        {
            "party": s.party,
            "name": s.name,
            "role": s.role,
            "date": fmt.date(s.date),
            "step": fmt.sign_off_step(s.step),
            "position": fmt.stance(s.position, s.reason, s.resolution),
        }
        for s in (page.assessment.sign_off if page.assessment else [])
    ]
    gate = fw.gates.sign_off
    signing = (
        sign_off_status(page.assessment, list(gate.parties))
        if page.assessment is not None and gate is not None and gate.enabled
        else None
    )
    self_only = Safe(", ").join(fmt.md(fmt.explainer.party_name(p)) for p in signing.self_only) if signing else ""
    ex = fmt.explainer
    amendments = [
        fmt.t(
            "region.amended",
            date=fmt.date(a.date),
            by=fmt.md(a.by),
            reason=fmt.prose(a.reason),
            changes=Safe(fmt.tr.sep("; ")).join(
                fmt.t(
                    "region.amended_value",
                    what=ex.indicator_ref(c.indicator) if c.indicator else fmt.t("region.amended_file"),
                    field=fmt.t(f"region.amended_field.{c.field}"),
                    old=fmt.md(c.old or "–"),
                    new=fmt.md(c.new or "–"),
                )
                for c in changes
            ),
        )
        for a, changes in page.amendments
    ]
    failing = [row for row, i in zip(indicator_rows, page.indicators, strict=True) if i.failing]
    return dict(
        evidence_link=f"../{evidence_path(rid)}",
        region_link=f"../regions/{rid}.md",
        pillar_summary=pillar_summary,
        amendments=amendments,
        self_only=self_only,
        page=page,
        region=page.region,
        r=current,
        score=fmt.score(current.rounded),
        change=fmt.change(current) if current.change is not None else "",
        coverage=fmt.coverage(current.coverage),
        tier=page.tier,
        parent=page.parent,
        gates=gates,
        children=children,
        pillar_svg=Safe(pillar_svg),
        pillar_rows=pillar_rows,
        trend_svg=Safe(trend_svg),
        trend_rows=trend_rows,
        path=[{"critical": s.critical, "text": fmt.step(s)} for s in page.path],
        blocking_steps=[
            {"critical": s.critical, "text": fmt.step(s)}
            for s in page.path
            if s.critical or s.kind == "sign_off" or s.subject in page.blocking
        ],
        other_steps=[
            {"critical": s.critical, "text": fmt.step(s)}
            for s in page.path
            if not (s.critical or s.kind == "sign_off" or s.subject in page.blocking)
        ],
        failing_rows=failing,
        blocking_rows=[row for row in failing if row["critical"] or row["id"] in page.blocking],
        other_failing=[row for row in failing if not (row["critical"] or row["id"] in page.blocking)],
        has_evidence=has_evidence(page),
        passing_rows=[row for row, i in zip(indicator_rows, page.indicators, strict=True) if i.passing],
        other_rows=[row for row, i in zip(indicator_rows, page.indicators, strict=True) if not i.applicable],
        projection=fmt.projection(current),
        indicator_rows=indicator_rows,
        dependency_svg=Safe(dependency_svg),
        dependency_rows=dependency_rows,
        assessment=page.assessment,
        narrative=page.narrative,
        risks=page.risks,
        recommendations=page.recommendations,
        u=u,
        u_share=fmt.percent(u.share_same) if u is not None else "",
        robust=fmt.robustness(u.share_same, u.robust, view.uncertainty.samples) if u is not None else Safe(""),
        probability_svg=Safe(probability_svg),
        probability_rows=probability_rows,
        sensitivity_rows=sensitivity_rows,
        n_assessed=page.n_assessed,
        handover=handover(page.handover, fmt),
        sign_off=sign_off,
    )


def _diligence(record: DueDiligence, fmt: Formatter) -> Safe:
    """The mission's due diligence record for its support: risk, support, measures, reference and date."""
    measures = Safe(fmt.tr.sep("; ")).join(fmt.md(m) for m in record.measures)
    return fmt.t(
        "region.diligence",
        risk=fmt.t(f"region.diligence_risk.{record.risk}"),
        support=fmt.t(f"region.diligence_support.{record.support}"),
        measures=measures if record.measures else "–",
        reference=fmt.md(record.reference),
        date=fmt.date(record.assessed),
    )
