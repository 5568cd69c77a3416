"""`readiness explain`: why a region has its level, in the terminal, with the numbers."""

from __future__ import annotations

from .model import Indicator
from .project import Project
from .scoring.results import RegionRound


def _levels(project: Project) -> dict[str, str]:
    assert project.framework is not None
    return {lv.id: lv.label for lv in project.framework.levels}


def explain_region(project: Project, r: RegionRound) -> str:
    labels = _levels(project)
    region = project.regions[r.region]
    rnd = project.rounds[r.round]
    lines = [f"{region.name} ({region.id}), {rnd.label} (cut-off {rnd.date})",
             f"  level: {labels[r.level]}" + (f"   (computed: {labels[r.computed_level]}, set by a leadership "
                                              "override)" if r.override else ""),
             f"  score: {r.rounded if r.rounded is not None else 'none'}"
             + (f"   (score alone gives: {labels[r.score_level]})" if r.score_level else "")
             + (f"   change since last round: {r.change:+}" if r.change is not None else ""),
             f"  coverage: {r.coverage * 100:.1f}% of indicator weight has current data", ""]
    if r.gates:
        lines.append("Why this level (each gate that held it back or set it):")
        lines += [f"  - {g.gate}: allows {labels[g.allows]}: {g.reason}" for g in r.gates]
    else:
        lines.append("No gate holds it back: the score alone sets the level.")
    if r.children:
        lines += ["", "Rolled up from: " + ", ".join(r.children)]
    lines += ["", "Pillars:"]
    for pid, p in r.pillars.items():
        lines.append(f"  {pid:<14} {'' if p.rounded is None else p.rounded!s:>7}   coverage {p.coverage * 100:5.1f}%"
                     f"   {p.aggregation}")
    if r.path:
        lines += ["", "Path to handover, in order:"]
        lines += [f"  {i}. {'[critical] ' if s.critical else ''}{s.action}" for i, s in enumerate(r.path, 1)]
    p = r.projection or {}
    if p.get("status") == "converging":
        lines += ["", f"At the recent pace ({p['pace']:+.1f} a round) the handover score comes in "
                      f"{p['rounds_needed']} round(s), around {p['projected_date']}."]
    elif p.get("status") == "not converging":
        lines += ["", f"At the recent pace ({p['pace']:+.1f} a round) the score is not converging on handover."]
    return "\n".join(lines) + "\n"


def explain_indicator(project: Project, r: RegionRound, ind: Indicator) -> str:
    labels = _levels(project)
    ir = r.indicators.get(ind.id)
    region = project.regions[r.region]
    lines = [f"{ind.id} {ind.name} in {region.name}, {project.rounds[r.round].label}"]
    if ir is None:
        return lines[0] + "\n  not scored in this round (a rolled-up region)\n"
    lines.append(f"  status: {ir.status}" + (f" ({ir.reason})" if ir.reason else ""))
    if ir.status == "value":
        lines += [f"  value: {ir.raw} {ind.unit_label or ind.unit}",
                  f"  score: {ir.score:.3f}" + (f", capped to {ir.capped_score:.3f}" if ir.capped_by else ""),
                  f"  level: {labels[ir.level] if ir.level else '-'}"
                  + (f" (would be {labels[ir.uncapped_level]} without the cap)" if ir.capped_by and
                     ir.uncapped_level else ""),
                  f"  thresholds used: {ir.tier_used}: "
                  + ", ".join(f"{labels.get(k, k)} {'>=' if ind.direction == 'higher' else '<='} {v}"
                              for k, v in ind.thresholds.get(ir.tier_used, {}).items()),
                  f"  weight {ir.weight} = {ir.share * 100:.1f}% of its pillar"
                  + (f", contributing {ir.contribution:.2f} points" if ir.contribution is not None else ""),
                  f"  evidence: latest {ir.latest_evidence or 'none'}"
                  + (f" ({ir.evidence_age_days} days before the cut-off)" if ir.evidence_age_days is not None else "")
                  + (f", source types {', '.join(ir.source_types)}" if ir.source_types else "")
                  + ("" if ir.current else " - NOT current")]
    if ind.requires:
        lines.append("  requires:")
        for req in ind.requires:
            pre = r.indicators.get(req.indicator)
            status = labels[pre.level] if pre and pre.level else (pre.status if pre else "unknown")
            mark = "  <- caps it" if req.indicator in ir.capped_by else ""
            lines.append(f"    {req.indicator}: {status}{mark}")
    return "\n".join(lines) + "\n"
