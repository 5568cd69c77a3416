"""Render: from a `View` to the Markdown pages, SVG charts and downloads of the site.

Templates (jinja2, `templates/`) receive plain rows already formatted; every text from YAML passes through
the `md` filter (escaped for HTML and Markdown) or, for narratives, the `narrative` filter (Markdown allowed,
raw HTML and dangerous links not). Nothing here computes a score.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2
import networkx as nx
from markupsafe import Markup

from . import charts
from .checks import pillar_ids
from .model import Indicator, Pillar
from .report import View
from .scoring.results import SCHEMA_VERSION, RegionRound

TEMPLATES = Path(__file__).parent / "templates"
ASSETS = Path(__file__).parent / "assets"
GATE_NAMES = {
    "critical_floor": "Critical floor", "prerequisites": "Prerequisites", "pillar_floor": "Pillar floor",
    "evidence": "Evidence", "stability": "Stability", "tier_thresholds": "Tier thresholds",
    "sign_off": "Joint sign-off", "override": "Leadership override", "roll_up": "Roll-up",
}
MISSING_COLOUR = "#c8c8c8"
_MD_SPECIAL = re.compile(r"([\\`*_\[\]#|{}<>!])")
_BAD_LINK = re.compile(r"\]\(\s*(?:javascript|data|vbscript|file):[^)]*\)", re.IGNORECASE)
_BAD_REF = re.compile(r"^(\s*\[[^\]]+\]:\s*)(?:javascript|data|vbscript|file):\S*", re.IGNORECASE | re.MULTILINE)


def md(text: object) -> Markup:
    """Plain text for a Markdown page: HTML-escaped, Markdown punctuation neutralised, one line."""
    escaped = html.escape(str(text), quote=False)
    escaped = _MD_SPECIAL.sub(r"\\\1", escaped).replace("\n", " ")
    return Markup(escaped)


def narrative(text: str) -> Markup:
    """Markdown written by assessment teams: formatting allowed; raw HTML shown as text; no script links,
    no images (which would load from outside), no attribute lists."""
    safe = html.escape(text.strip(), quote=False)
    safe = safe.replace("{", "&#123;").replace("}", "&#125;")
    safe = safe.replace("![", "!\\[")
    safe = _BAD_LINK.sub("](#)", safe)
    safe = _BAD_REF.sub(r"\1#", safe)
    return Markup(safe)


def narrative_inline(text: str) -> Markup:
    return Markup(str(narrative(text)).replace("\n", " "))


def yamlstr(text: str) -> str:
    return json.dumps(text)


def _env() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, trim_blocks=False,
                             lstrip_blocks=True, keep_trailing_newline=True, undefined=jinja2.StrictUndefined)
    env.filters.update(md=md, narrative=narrative, narrative_inline=narrative_inline, yamlstr=yamlstr)
    return env


def _fmt(value: Decimal | float | None, digits: int) -> str:
    if value is None:
        return "–"
    return f"{Decimal(repr(value)) if isinstance(value, float) else value:.{digits}f}"


def _raw(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return f"{value:f}" if isinstance(value, Decimal) else str(value)


@dataclass
class Site:
    pages: dict[str, str]
    """Markdown pages, by path inside the docs folder."""
    files: dict[str, bytes]
    """Other files (downloads, assets), by path inside the docs folder."""
    nav: list[Any]


class Renderer:
    def __init__(self, view: View, handwritten_methodology: str = "") -> None:
        self.view = view
        self.fw = view.framework
        self.env = _env()
        self.levels = {lv.id: lv for lv in self.fw.levels}
        self.digits = self.fw.rounding.digits
        self.handwritten = handwritten_methodology
        self.globals = {
            "levels": self.levels, "fg": charts.text_colour, "framework": self.fw, "latest": view.latest,
            "previous": view.previous, "public": view.public, "audience": view.audience,
            "internal_notice": self.fw.marking.internal_notice, "restricted_label": self.fw.marking.restricted_label,
            "gate_names": GATE_NAMES, "party_names": {p.id: p.name for p in self.fw.parties},
            "samples": view.uncertainty.samples if view.uncertainty else 0,
            "robust_percent": int(self.fw.uncertainty.robust_share * 100),
            "weight_range": int(self.fw.uncertainty.weight_range * 100),
        }

    def _page(self, template: str, **context: Any) -> str:
        return self.env.get_template(template).render(**self.globals, **context)

    # ---------------------------------------------------------------- helpers

    def score(self, r: RegionRound | None) -> str:
        return _fmt(r.rounded if r else None, self.digits)

    def change(self, r: RegionRound | None) -> str:
        if r is None or r.change is None:
            return "–"
        arrow = "▲" if r.change > 0 else "▼" if r.change < 0 else "="
        return f"{r.change:+.{self.digits}f} {arrow}"

    @staticmethod
    def coverage(r: RegionRound | None) -> str:
        return "–" if r is None else f"{r.coverage * 100:.0f}%"

    def blocking(self, r: RegionRound) -> str:
        """Steps left on the path to handover; for a rolled-up region, its assessed parts below handover."""
        if r.assessed:
            return str(len(self.view.path(r)))
        order = {lv.id: i for i, lv in enumerate(self.fw.levels)}
        parts = self.assessed_parts(r)
        below = [p for p in parts if order[p.level] < order[self.fw.handover_level]]
        return f"{len(below)} of {len(parts)} parts"

    def assessed_parts(self, r: RegionRound) -> list[RegionRound]:
        out: list[RegionRound] = []
        for cid in self.view.children(r):
            c = self.view.result(r.round, cid)
            if c is not None:
                out += [c] if c.assessed else self.assessed_parts(c)
        return out

    def latest_evidence(self, r: RegionRound) -> str:
        dates = [i.latest_evidence for i in self.view.indicator_results(r) if i.latest_evidence]
        return max(dates) if dates else "–"

    def ordered_regions(self) -> list[str]:
        """Regions depth-first from the top, so parents precede their parts."""
        regions = self.view.regions
        out: list[str] = []

        def visit(rid: str) -> None:
            out.append(rid)
            for child in sorted((c for c in regions if regions[c].parent == rid), key=lambda c: regions[c].name):
                visit(child)

        for rid in sorted((r for r in regions if regions[r].parent not in regions), key=lambda r: regions[r].name):
            visit(rid)
        return out

    # ---------------------------------------------------------------- pages

    def render(self) -> Site:
        view = self.view
        pages: dict[str, str] = {"index.md": self.dashboard(), "changes.md": self.changes(),
                                 "methodology.md": self.methodology(), "downloads.md": self.downloads_page(),
                                 "regions/index.md": self.regions_index(),
                                 "indicators/index.md": self.indicators_index()}
        for rid in view.regions:
            if any(view.result(rd.id, rid) for rd in view.rounds):
                pages[f"regions/{rid}.md"] = self.region_page(rid)
        for ind_id in view.indicators:
            pages[f"indicators/{ind_id}.md"] = self.indicator_page(view.indicators[ind_id])
        if view.scenarios:
            pages["scenarios/index.md"] = self.scenarios_index()
            for name in view.scenarios:
                pages[f"scenarios/{name}.md"] = self.scenario_page(name)
        files = self.downloads()
        for asset in sorted(ASSETS.iterdir()):
            files[f"assets/{asset.name}"] = asset.read_bytes()
        return Site(pages, files, self.nav(pages))

    def nav(self, pages: dict[str, str]) -> list[Any]:
        """Sections, pruned: a big mission lists its regions on index pages, not in the navigation."""
        regions = [p for p in pages if p.startswith("regions/") and p != "regions/index.md"]
        indicators = [p for p in pages if p.startswith("indicators/") and p != "indicators/index.md"]
        region_nav: list[Any] = ["regions/index.md"]
        if len(regions) <= 60:
            region_nav += [{self.view.regions[p[8:-3]].name: p} for p in
                           (f"regions/{r}.md" for r in self.ordered_regions()) if p in pages]
        indicator_nav: list[Any] = ["indicators/index.md"]
        if len(indicators) <= 80:
            indicator_nav += [{f"{p[11:-3]}": p} for p in sorted(indicators)]
        nav: list[Any] = [{"Dashboard": "index.md"}, {"Changes": "changes.md"}, {"Regions": region_nav},
                          {"Indicators": indicator_nav}]
        scenarios = sorted(p for p in pages if p.startswith("scenarios/") and p != "scenarios/index.md")
        if scenarios:
            nav.append({"Scenarios": ["scenarios/index.md",
                                      *({self.view.scenarios[p[10:-3]][0].name: p} for p in scenarios)]})
        return nav + [{"Methodology": "methodology.md"}, {"Downloads": "downloads.md"}]

    def dashboard(self) -> str:
        view = self.view
        latest = view.latest.id
        rows, tiles, areas, unmapped = [], [], [], []
        assessed = []
        for rid in self.ordered_regions():
            r = view.result(latest, rid)
            if r is None:
                continue
            region = view.regions[rid]
            if r.assessed:
                assessed.append(rid)
            rows.append({"id": rid, "name": region.name, "rolled": not r.assessed, "level": r.level,
                         "robust": view.robustness(rid) if r.assessed else None,
                         "override": bool(r.override), "score": self.score(r), "change": self.change(r),
                         "coverage": self.coverage(r), "latest_evidence": self.latest_evidence(r) if r.assessed
                         else "–", "blocking": self.blocking(r)})
            colour = self.levels[r.level].colour
            status = self.levels[r.level].label
            if r.assessed:
                tiles.append(charts.Area(rid, region.name, colour, status, [], f"regions/{rid}.html"))
                geometry = view.project.geometry.get(region.geometry or "") if region.geometry else None
                if geometry:
                    areas.append(charts.Area(rid, region.name, colour, status, geometry, f"regions/{rid}.html"))
                else:
                    unmapped.append({"id": rid, "name": region.name, "level": r.level})
        counts = []
        for lv in self.fw.levels:
            n = sum(1 for rid in assessed if view.result(latest, rid).level == lv.id)  # type: ignore[union-attr]
            counts.append({"n": n, "label": lv.label, "colour": lv.colour})
        title = f"Readiness by region, {view.latest.label}"
        if areas:
            svg = charts.region_map("map", title, "Map of the regions, each coloured by its readiness level.",
                                    areas)
        else:
            svg = charts.level_grid("grid", title, "Each region and unit as a tile coloured by its level.", tiles)
            unmapped = []
        return self._page("index.md.j2", counts=counts, table=rows, overview_svg=Markup(svg),
                          has_map=bool(areas), unmapped=unmapped, assessed=assessed)

    def region_page(self, rid: str) -> str:
        view, fw = self.view, self.fw
        region = view.regions[rid]
        series = [(rd, view.result(rd.id, rid)) for rd in view.rounds]
        current = next((r for _, r in reversed(series) if r is not None))
        assessment = view.assessment(current.round, rid)
        low, high = float(fw.scale.min), float(fw.scale.max)
        pillars = self._pillar_list()
        bars = []
        for pid, name, depth in pillars:
            p = current.pillars.get(pid)
            value = None if p is None or p.score is None else float(p.rounded)  # type: ignore[arg-type]
            colour = self._score_colour(value)
            bars.append(charts.Bar(("↳ " if depth else "") + name, value, colour,
                                   "" if p is None else f"({p.coverage * 100:.0f}% data)"))
        floor = fw.gates.pillar_floor
        markers = [(float(floor.floor), f"floor {floor.floor}")] if floor and floor.enabled else []
        pillar_svg = charts.bar_chart(f"pillars-{rid}", f"Pillar scores, {region.name}",
                                      f"Score of each pillar in {view.latest.label}, on a scale of {low:g} to "
                                      f"{high:g}.", bars, low, high, markers)
        pillar_rows = [[md(("↳ " if depth else "") + name), self.score_of(current.pillars.get(pid)),
                        self.coverage_of(current.pillars.get(pid))] for pid, name, depth in pillars]
        points = [(rd.label if len(rd.label) <= 12 else rd.id, None if r is None or r.rounded is None else float(r.rounded),
                   self.levels[r.level].colour if r else MISSING_COLOUR) for rd, r in series]
        trend_svg = charts.trend_chart(f"trend-{rid}", f"Overall score over rounds, {region.name}",
                                       "The overall score in each round, over the bands of the readiness levels.",
                                       points, self._bands(), low, high)
        trend_rows = [[md(rd.label), self.score(r), self.levels[r.level].label if r else "–", self.change(r)]
                      for rd, r in series]
        indicator_rows, nodes, dependency_rows = [], [], []
        for ir in view.indicator_results(current):
            ind = view.indicators[ir.indicator]
            obs = view.observation(assessment, ir.indicator)
            hidden = view.value_hidden(obs)
            evidence = view.evidence(obs)
            status = {"not-collected": "not collected", "not-applicable": "not applicable", "missing": "missing",
                      "invalid": "invalid"}.get(ir.status, "")
            value = fw.marking.restricted_label if hidden else (
                _raw(ir.raw) if ir.status == "value" else f"*{status}*" + (f": {md(ir.reason)}" if ir.reason
                                                                            else ""))
            indicator_rows.append({
                "id": ind.id, "name": ind.name, "critical": ind.critical, "value": value,
                "score": "–" if hidden else _fmt(ir.capped_score, self.digits),
                "level": None if hidden else ir.level, "status": status or "–",
                "capped_by": ", ".join(c for c in ir.capped_by if c in view.indicators),
                "evidence": md("; ".join(f"{e.source} {e.reference} ({e.date})" for e in evidence)) or "–",
                "age": "–" if ir.evidence_age_days is None or hidden else ir.evidence_age_days})
            colour = self.levels[ir.level].colour if ir.level and not hidden else MISSING_COLOUR
            label = self.levels[ir.level].label if ir.level and not hidden else (status or "no value")
            nodes.append(charts.Node(ind.id, ind.name, colour, label, f"../indicators/{ind.id}.html"))
            dependency_rows.append([ind.id, ", ".join(r.indicator for r in ind.requires
                                                      if r.indicator in view.indicators) or "–", label])
        dependency_svg = ""
        if nodes:
            graph = view.project.graph.subgraph(view.indicators)
            layers = [sorted(layer) for layer in nx.topological_generations(graph)]
            dependency_svg = charts.dependency_graph(
                f"deps-{rid}", f"Prerequisites of the indicators, {region.name}",
                "Each indicator coloured by its level in this region; arrows run from a prerequisite to the "
                "indicator that requires it.", nodes, sorted(graph.edges), layers)
        parent = view.regions.get(region.parent or "")
        children = []
        for cid in view.children(current):
            c = view.result(current.round, cid)
            if c is not None:
                children.append({"id": cid, "name": view.regions[cid].name, "level": c.level,
                                 "score": self.score(c), "coverage": self.coverage(c)})
        tier = next((t.label for t in fw.tiers if t.id == region.tier), region.tier or "")
        u = view.robustness(rid) if current.round == view.latest.id and current.assessed else None
        probability_svg, probability_rows, sensitivity_rows = "", [], []
        if u is not None:
            segments = [(self.levels[lv].label, u.probabilities.get(lv, 0.0), self.levels[lv].colour)
                        for lv in self.levels]
            probability_svg = charts.stacked_bar(f"prob-{rid}", f"Probability of each level, {region.name}",
                                                 "Share of Monte Carlo samples giving each readiness level.",
                                                 segments)
            probability_rows = [[self.levels[lv].label, f"{share * 100:.1f}%"] for lv, share in
                                u.probabilities.items()]
            sensitivity_rows = view.factors(u.sensitivity)[:6]
        n_assessed = len(view.uncertainty.regions) if view.uncertainty else 0
        return self._page(
            "region.md.j2", region=region, r=current, score=self.score(current), change=self.change(current)
            if current.change is not None else "", coverage=self.coverage(current), tier=tier, parent=parent,
            gates=view.gates(current), children=children, pillar_svg=Markup(pillar_svg), pillar_rows=pillar_rows,
            trend_svg=Markup(trend_svg), trend_rows=trend_rows, path=view.path(current),
            projection=self._projection_text(current), indicator_rows=indicator_rows,
            dependency_svg=Markup(dependency_svg), dependency_rows=dependency_rows, assessment=assessment,
            narrative=view.notes(assessment.narrative) if assessment else [],
            risks=view.notes(assessment.risks) if assessment else [],
            recommendations=view.notes(assessment.recommendations) if assessment else [], u=u,
            probability_svg=Markup(probability_svg), probability_rows=probability_rows,
            sensitivity_rows=sensitivity_rows, n_assessed=n_assessed)

    def indicator_page(self, ind: Indicator) -> str:
        view, fw = self.view, self.fw
        scored = [lv.id for lv in fw.levels if lv.min_score is not None][1:]
        tiers = {t.id: t.label for t in fw.tiers}
        threshold_rows = [[md(tiers.get(tier, "All tiers" if tier == "all" else tier)),
                           *(_raw(cuts.get(lv)) for lv in scored)] for tier, cuts in ind.thresholds.items()]
        graph = view.project.graph
        requires = [view.indicators[p] for p in sorted(graph.predecessors(ind.id)) if p in view.indicators] \
            if ind.id in graph else []
        required_by = [view.indicators[s] for s in sorted(graph.successors(ind.id)) if s in view.indicators] \
            if ind.id in graph else []
        bars, history = [], []
        for rid in self.ordered_regions():
            values = []
            for rd in view.rounds:
                r = view.result(rd.id, rid)
                ir = r.indicators.get(ind.id) if r and r.assessed else None
                obs = view.observation(view.assessment(rd.id, rid), ind.id)
                values.append("–" if ir is None else fw.marking.restricted_label if view.value_hidden(obs)
                              else _raw(ir.raw) if ir.status == "value" else ir.status.replace("-", " "))
            latest = view.result(view.latest.id, rid)
            ir = latest.indicators.get(ind.id) if latest and latest.assessed else None
            if ir is None and all(v == "–" for v in values):
                continue
            history.append({"id": rid, "name": view.regions[rid].name, "cells": values})
            if latest is not None and latest.assessed:
                hidden = view.value_hidden(view.observation(view.assessment(view.latest.id, rid), ind.id))
                score = None if ir is None or ir.score is None or hidden else ir.score
                colour = self.levels[ir.level].colour if ir and ir.level and not hidden else MISSING_COLOUR
                note = "" if score is None else f"({_raw(ir.raw)})" if ir else ""
                bars.append(charts.Bar(view.regions[rid].name, score, colour, note, f"../regions/{rid}.html"))
        values_svg = charts.bar_chart(f"values-{ind.id}", f"{ind.id} across regions, {view.latest.label}",
                                      f"Score of {ind.id} in each region (raw value in brackets), coloured by "
                                      "the region's level for this indicator.", bars, float(fw.scale.min),
                                      float(fw.scale.max))
        pillar = next((name for pid, name, _ in self._pillar_list() if pid == ind.pillar), ind.pillar)
        return self._page("indicator.md.j2", ind=ind, pillar=pillar, unit=ind.unit_label or ind.unit,
                          scoring=self._scoring_text(ind), evidence=self._evidence_text(ind),
                          threshold_levels=[self.levels[lv].label for lv in scored], threshold_rows=threshold_rows,
                          requires=requires, required_by=required_by, values_svg=Markup(values_svg),
                          rounds=view.rounds, history=history)

    def methodology(self) -> str:
        fw = self.fw
        gate_rows = []
        for name in type(fw.gates).model_fields:
            gate = getattr(fw.gates, name)
            if gate is None:
                gate_rows.append({"name": GATE_NAMES[name], "state": "not configured", "params": ""})
                continue
            params = ", ".join(f"{k}: {', '.join(v) if isinstance(v, list) else v}"
                               for k, v in gate.model_dump().items() if k != "enabled" and v is not None)
            gate_rows.append({"name": GATE_NAMES[name], "state": "on" if gate.enabled else "off", "params": params})
        pillar_rows = []
        by_pillar: dict[str, list[str]] = {}
        for ind in self.view.indicators.values():
            by_pillar.setdefault(ind.pillar, []).append(ind.id)

        def walk(pillars: list[Pillar], depth: int) -> None:
            total = sum(p.weight for p in pillars)
            for p in pillars:
                pillar_rows.append({"id": p.id, "name": p.name, "weight": p.weight, "depth": depth,
                                    "share": f"{p.weight / total * 100:.0f}%", "aggregation": p.aggregation,
                                    "indicators": sorted(by_pillar.get(p.id, []))})
                walk(p.pillars, depth + 1)

        walk(fw.pillars, 0)
        indicator_rows = [{"id": i.id, "name": i.name, "unit": i.unit_label or i.unit, "direction": i.direction,
                           "method": self._scoring_text(i), "weight": i.weight, "critical": i.critical}
                          for i in self.view.indicators.values()]
        sensitivity_svg, sensitivity_rows = "", []
        if self.view.uncertainty is not None and self.view.uncertainty.factors:
            factors = self.view.factors([{"factor": f["factor"], "first_order": 0, "total_order": 0,
                                          "mean": f["mean_total_order"]} for f in self.view.uncertainty.factors])[:15]
            bars = [charts.Bar(f["factor"], f["mean"] * 100, "#1f618d") for f in factors]
            sensitivity_svg = charts.bar_chart("sensitivity", "What moves the regions' scores most",
                                               "Mean total-order Sobol index, in percent of a score's variance, "
                                               "of the factors that matter most.", bars, 0.0,
                                               max(10.0, max((b.value or 0) for b in bars) * 1.2) if bars else 10.0)
            sensitivity_rows = [[md(f["factor"]), f"{f['mean']:.3f}"] for f in factors]
        generic = (TEMPLATES / "methodology.md").read_text(encoding="utf-8")
        local = re.sub(r"^#\s+.*\n", "", self.handwritten, count=1).strip()  # the page has its own title
        spec = fw.uncertainty
        return self._page("methodology.md.j2", generic=Markup(generic), local=Markup(local), gate_rows=gate_rows,
                          sensitivity_svg=Markup(sensitivity_svg), sensitivity_rows=sensitivity_rows,
                          noise=spec.noise, alternatives=spec.alternatives,
                          pillar_rows=pillar_rows, indicator_rows=indicator_rows)

    def changes(self) -> str:
        view = self.view
        moved, new_blockers, resolved, timeline = [], [], [], []
        order = {lv.id: i for i, lv in enumerate(self.fw.levels)}
        handover = order[self.fw.handover_level]
        for rid in self.ordered_regions():
            r = view.result(view.latest.id, rid)
            if r is None:
                continue
            name = view.regions[rid].name
            before = view.result(view.previous.id, rid) if view.previous else None
            if before is not None and before.level != r.level:
                moved.append({"id": rid, "name": name, "before": before.level, "now": r.level,
                              "up": order[r.level] > order[before.level], "change": self.change(r)})
            if before is not None and r.assessed:
                now_gates = {g.gate: g for g in view.gates(r)}
                then_gates = {g.gate for g in before.gates}
                new_blockers += [{"id": rid, "name": name, "gate": GATE_NAMES.get(g, g), "reason": e.reason}
                                 for g, e in now_gates.items() if g not in then_gates and g != "override"]
                resolved += [{"id": rid, "name": name, "gate": GATE_NAMES.get(g, g)}
                             for g in sorted(then_gates) if g not in now_gates and g != "override"]
            if not r.assessed:
                continue
            since = next((rd for rd in view.rounds if all(
                (x := view.result(rd2.id, rid)) is not None and order[x.level] >= handover
                for rd2 in view.rounds[view.rounds.index(rd):])), None)
            p = r.projection or {}
            if order[r.level] >= handover:
                when = f"since {since.label}" if since else "this round"
            elif p.get("status") == "converging":
                when = f"projected around {p['projected_date']} ({p['rounds_needed']} round" \
                       f"{'s' if p['rounds_needed'] != 1 else ''})"
            elif p.get("status") == "score-reached":
                when = "score sufficient; held back by gates"
            else:
                when = p.get("status", "unknown")
            timeline.append({"id": rid, "name": name, "level": r.level, "when": when,
                             "pace": "–" if "pace" not in p else f"{p['pace']:+.1f}",
                             "key": (-order[r.level], when, name)})
        timeline.sort(key=lambda row: row["key"])
        return self._page("changes.md.j2", moved=moved, new_blockers=new_blockers, resolved=resolved,
                          timeline=timeline)

    def scenarios_index(self) -> str:
        rows = [{"id": name, "name": scenario.name, "round": round_id,
                 "changed": sum(1 for e in effects if e.level_before != e.level_after)}
                for name, (scenario, round_id, effects) in self.view.scenarios.items()]
        return self._page("scenarios_index.md.j2", rows=rows)

    def scenario_page(self, name: str) -> str:
        view = self.view
        scenario, round_id, effects = view.scenarios[name]
        order = {lv.id: i for i, lv in enumerate(self.fw.levels)}
        changes = []
        for c in scenario.changes:
            r = view.result(round_id, c.region)
            ir = r.indicators.get(c.indicator) if r else None
            before = "–" if ir is None else (_raw(ir.raw) if ir.status == "value" else ir.status.replace("-", " "))
            changes.append({"region": c.region, "region_name": view.regions[c.region].name, "indicator": c.indicator,
                            "indicator_name": view.indicators[c.indicator].name, "before": before,
                            "after": c.value if c.value is not None else "not collected"})
        rows = [{"region": e.region, "name": view.regions[e.region].name, "before": e.level_before,
                 "after": e.level_after, "up": order[e.level_after] > order[e.level_before],
                 "down": order[e.level_after] < order[e.level_before], "score_before": _fmt(e.score_before, self.digits),
                 "score_after": _fmt(e.score_after, self.digits), "cleared": [GATE_NAMES.get(g, g) for g in e.cleared],
                 "resolved": [view.redact(a) for a in e.resolved]} for e in effects]
        return self._page("scenario.md.j2", scenario=scenario, round_id=round_id, changes=changes, effects=rows)

    def downloads_page(self) -> str:
        return self._page("downloads.md.j2", schema_version=SCHEMA_VERSION)

    def regions_index(self) -> str:
        view = self.view
        groups: dict[str, dict[str, Any]] = {}
        tiers = {t.id: t.label for t in self.fw.tiers}
        for rid in self.ordered_regions():
            region = view.regions[rid]
            r = view.result(view.latest.id, rid)
            if r is None:
                continue
            top = rid
            while view.regions[top].parent in view.regions and view.regions[view.regions[top].parent].parent \
                    in view.regions:  # group by the level below the top region
                top = view.regions[top].parent  # type: ignore[assignment]
            group = groups.setdefault(top, {"name": view.regions[top].name, "rows": []})
            group["rows"].append({"id": rid, "name": region.name, "level": r.level, "score": self.score(r),
                                  "tier": tiers.get(region.tier or "", ""),
                                  "population": f"{region.population:,}" if region.population else "–"})
        return self._page("regions_index.md.j2", groups=list(groups.values()))

    def indicators_index(self) -> str:
        view = self.view
        order = {lv.id: i for i, lv in enumerate(self.fw.levels)}
        groups = []
        for pid, name, _ in self._pillar_list():
            rows = []
            for ind in view.indicators.values():
                if ind.pillar != pid:
                    continue
                latest = [view.result(view.latest.id, rid) for rid in view.regions]
                ready = [x for x in latest if x and x.assessed and (ir := x.indicators.get(ind.id)) and ir.level
                         and order[ir.level] >= order[self.fw.handover_level]]
                assessed = [x for x in latest if x and x.assessed]
                rows.append({"id": ind.id, "name": ind.name, "unit": ind.unit_label or ind.unit,
                             "critical": ind.critical, "ready": f"{len(ready)} of {len(assessed)}",
                             "requires": ", ".join(r.indicator for r in ind.requires
                                                   if r.indicator in view.indicators) or "–"})
            if rows:
                groups.append({"name": name, "rows": rows})
        return self._page("indicators_index.md.j2", groups=groups)

    def downloads(self) -> dict[str, bytes]:
        data = self.view.downloadable()
        text = json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        pids = pillar_ids(self.fw)
        writer.writerow(["region", "round", "score", "level", "coverage", "change", *pids])
        order = {r.id: i for i, r in enumerate(self.view.rounds)}
        for row in sorted(data["results"], key=lambda r: (order[r["round"]], r["region"])):
            r = self.view.result(row["round"], row["region"])
            assert r is not None
            writer.writerow([r.region, r.round, "" if r.rounded is None else str(r.rounded), r.level,
                             f"{r.coverage * 100:.1f}", "" if r.change is None else str(r.change),
                             *("" if r.pillars.get(p) is None or r.pillars[p].rounded is None
                               else str(r.pillars[p].rounded) for p in pids)])
        return {"downloads/results.json": text.encode(), "downloads/results.csv": out.getvalue().encode()}

    # ---------------------------------------------------------------- small pieces

    def _pillar_list(self) -> list[tuple[str, str, int]]:
        out: list[tuple[str, str, int]] = []

        def walk(pillars: list[Pillar], depth: int) -> None:
            for p in pillars:
                out.append((p.id, p.name, depth))
                walk(p.pillars, depth + 1)

        walk(self.fw.pillars, 0)
        return out

    def score_of(self, p: Any) -> str:
        return _fmt(None if p is None else p.rounded, self.digits)

    @staticmethod
    def coverage_of(p: Any) -> str:
        return "–" if p is None else f"{p.coverage * 100:.0f}%"

    def _bands(self) -> list[charts.Band]:
        scored = [lv for lv in self.fw.levels if lv.min_score is not None]
        bands = []
        for i, lv in enumerate(scored):
            end = float(scored[i + 1].min_score) if i + 1 < len(scored) else float(self.fw.scale.max)  # type: ignore[arg-type]
            bands.append(charts.Band(float(lv.min_score), end, lv.colour, lv.label))  # type: ignore[arg-type]
        return bands

    def _score_colour(self, value: float | None) -> str:
        if value is None:
            return MISSING_COLOUR
        colour = MISSING_COLOUR
        for lv in self.fw.levels:
            if lv.min_score is not None and Decimal(repr(value)) >= lv.min_score:
                colour = lv.colour
        return colour

    def _projection_text(self, r: RegionRound) -> str:
        p = r.projection or {}
        status = p.get("status")
        if status == "converging":
            return (f"At its recent pace ({p['pace']:+.1f} points a round) the score would reach the handover "
                    f"score in {p['rounds_needed']} round{'s' if p['rounds_needed'] != 1 else ''}, around "
                    f"{p['projected_date']}.")
        if status == "not converging":
            return f"At its recent pace ({p['pace']:+.1f} points a round) the score is not converging on handover."
        if status == "score-reached":
            return "The score is enough for handover; the gates above still hold the level back."
        return ""

    def _scoring_text(self, ind: Indicator) -> str:
        s = ind.scoring
        if s.method == "goalposts":
            return f"goalposts, worst {s.worst}, best {s.best}" + (", natural log of value and goalposts"
                                                                  if s.log else "") + ", capped"
        if s.method == "bands":
            return "bands: " + ", ".join(f"{b.value} → {b.score}" for b in s.bands or [])
        if s.method == "rubric":
            return "rubric: " + "; ".join(f"{r.level} {r.descriptor}" for r in s.rubric or [])
        return {"yes-no": "yes scores the top of the scale, no the bottom",
                "scale": "value already on the scale"}[s.method]

    def _evidence_text(self, ind: Indicator) -> str:
        names = {s.id: s.name for s in self.fw.source_types}
        kinds = ", ".join(names.get(s, s) for s in ind.evidence.source_types) or "any source"
        gate = self.fw.gates.evidence
        age = ind.evidence.max_age_days or (gate.max_age_days if gate else 365)
        return f"{kinds}; at most {age} days old"
