"""Render: from a `View` to the Markdown pages, SVG charts and downloads of the site, in one language.

Templates (jinja2, `templates/`) receive rows already formatted; every label comes from the language's
catalogue (`i18n/`), every number and date is written as the language writes it, and every text from YAML
passes through `md` (escaped for HTML and Markdown) or, for narratives, `narrative` (Markdown allowed, raw HTML
and dangerous links not). Nothing here computes a score.
"""

from __future__ import annotations

import csv
import html
import io
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2
import networkx as nx

from . import charts
from .checks import pillar_ids
from .explain import Explainer
from .i18n import Translator
from .methods import NORMALISATIONS
from .model import Indicator, LocalText, Pillar
from .report import View
from .safety import Safe, escape_markdown, sanitise_markdown
from .scoring.results import SCHEMA_VERSION, GateEffect, HandoverStep, RegionRound

TEMPLATES = Path(__file__).parent / "templates"
ASSETS = Path(__file__).parent / "assets"
MISSING_COLOUR = "#c8c8c8"
@dataclass
class Site:
    pages: dict[str, str]
    """Markdown pages, by path inside the docs folder."""
    files: dict[str, bytes]
    """Other files (downloads, assets), by path inside the docs folder."""
    nav: list[Any]


class _CompiledTemplates(jinja2.BytecodeCache):
    """Templates compiled once per process and shared by every Renderer (one per language and per rebuild in
    `readiness serve`). Jinja keys each entry by the template's name and a checksum of its source, so an
    edited template is compiled again."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


COMPILED = _CompiledTemplates()


class Renderer:
    def __init__(self, view: View, handwritten_methodology: str = "", lang: str | None = None,
                 languages: list[str] | None = None) -> None:
        self.view = view
        self.fw = view.framework
        self.lang = lang or self.fw.languages[0]
        self.languages = languages or [self.lang]
        """Languages built side by side: the first at the site's root, the others in a folder each."""
        self.tr = Translator(self.lang)
        self.explainer = Explainer(view.project, self.lang, markup=True)
        self.levels = {lv.id: lv for lv in self.fw.levels}
        self.order = {lv.id: i for i, lv in enumerate(self.fw.levels)}
        self.digits = self.fw.rounding.digits
        self.handwritten = handwritten_methodology
        self._ordered: list[str] | None = None
        self.env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                                      trim_blocks=False, lstrip_blocks=True, keep_trailing_newline=True,
                                      undefined=jinja2.StrictUndefined, bytecode_cache=COMPILED,
                                      finalize=_finalize)
        self.env.filters.update(md=self.md, narrative=self.narrative, narrative_inline=self.narrative_inline,
                                join=_join)
        self.env.globals.update(
            t=self.t, loc=self.loc, md=self.md, number=self.number, date=self.tr.date,
            levels=self.levels, fg=charts.text_colour, framework=self.fw, latest=view.latest,
            previous=view.previous, public=view.public, audience=view.audience, digits=self.digits,
            party_names={p.id: self.loc(p.name) for p in self.fw.parties},
            samples=view.uncertainty.samples if view.uncertainty else 0,
            robust_percent=int(self.fw.uncertainty.robust_share * 100), left_out=view.left_out,
            provisional=view.provisional,
            left_out_items=", ".join(self.tr(f"site.left_out.{kind}", n=n)
                                     for kind, n in view.left_out.as_dict().items() if n),
            weight_range=int(self.fw.uncertainty.weight_range * 100))

    # ---------------------------------------------------------------- language

    def t(self, key: str, **params: Any) -> Safe:
        """A label from the catalogue; values put into it are escaped unless already safe."""
        return Safe(self.tr(key)).format(**params) if params else Safe(self.tr(key))

    def loc(self, text: Any) -> str:
        return text.get(self.lang) if isinstance(text, LocalText) else ("" if text is None else str(text))

    def md(self, text: Any) -> Safe:
        """Text from YAML (in this language), escaped for HTML and Markdown; what is already safe stays as is."""
        return text if isinstance(text, Safe) else escape_markdown(self.loc(text))

    def narrative(self, text: Any) -> Safe:
        return sanitise_markdown(self.loc(text))

    def narrative_inline(self, text: Any) -> Safe:
        return Safe(str(self.narrative(text)).replace("\n", " "))

    def number(self, value: Any, digits: int | None = None) -> str:
        return self.tr.number(value, digits)

    def banner(self) -> str:
        """The audience's notice that heads every page (internal use, or what a public edition leaves out)."""
        return self.env.from_string('{% import "_macros.md.j2" as m with context %}{{ m.banner() }}').render()

    def _page(self, template: str, **context: Any) -> str:
        return self.env.get_template(template).render(**context)

    def with_language_bar(self, markdown: str, page: str) -> str:
        """The page with links to itself in the other languages, under its title."""
        if len(self.languages) < 2:
            return markdown
        from .i18n import catalogue

        up = "../" * page.count("/") + ("../" if self.lang != self.languages[0] else "")
        html_page = page[:-3] + ".html"
        links = []
        for lang in self.languages:
            name = html.escape(catalogue(lang)["language_name"])
            if lang == self.lang:
                links.append(f'<strong lang="{lang}">{name}</strong>')
            else:
                target = up + ("" if lang == self.languages[0] else f"{lang}/") + html_page
                links.append(f'<a href="{html.escape(target)}" hreflang="{lang}" lang="{lang}">{name}</a>')
        bar = f'<nav class="rd-languages" aria-label="Languages">{" · ".join(links)}</nav>\n\n'
        match = re.search(r"^# .*$", markdown, re.MULTILINE)
        if match is None:
            return bar + markdown
        return markdown[: match.end()] + "\n\n" + bar + markdown[match.end():].lstrip("\n")

    # ---------------------------------------------------------------- formatted values

    def score(self, value: Decimal | None) -> str:
        return self.number(value, self.digits)

    def change(self, r: RegionRound | None) -> str:
        if r is None or r.change is None:
            return "–"
        arrow = "▲" if r.change > 0 else "▼" if r.change < 0 else "="
        return f"{self.tr.number(r.change, self.digits, sign=True)} {arrow}"

    def coverage(self, share: float | None) -> str:
        return "–" if share is None else self.tr.percent(share)

    def raw(self, value: Any) -> str:
        if value is None:
            return "–"
        if isinstance(value, bool):
            return self.tr("indicator.yes") if value else self.tr("indicator.critical_no")
        return self.number(value)

    def level_label(self, level: str) -> str:
        return self.loc(self.levels[level].label)

    def ind_name(self, ind_id: str) -> str:
        return self.loc(self.view.indicators[ind_id].name) if ind_id in self.view.indicators else ind_id

    def region_name(self, region_id: str) -> str:
        return self.loc(self.view.regions[region_id].name) if region_id in self.view.regions else region_id

    def status(self, status: str) -> str:
        return self.tr(f"status.{status}") if f"status.{status}" in self.tr.labels else status

    # ---------------------------------------------------------------- gates and steps, in the language

    def gate_text(self, g: GateEffect) -> Safe:
        """Why a gate bit, in this language (the explainer's sentence)."""
        return self.explainer.gate(g)

    def step_text(self, s: HandoverStep) -> Safe:
        return self.explainer.step(s)

    def projection_text(self, r: RegionRound) -> Safe:
        return self.explainer.projection(r)

    # ---------------------------------------------------------------- helpers

    def blocking(self, r: RegionRound) -> str:
        """Steps left on the path to handover; for a rolled-up region, its assessed parts below handover."""
        if r.assessed:
            return str(len(r.path))
        parts = self.assessed_parts(r)
        below = [p for p in parts if self.order[p.level] < self.order[self.fw.handover_level]]
        return self.tr("dashboard.parts", below=len(below), total=len(parts))

    def assessed_parts(self, r: RegionRound) -> list[RegionRound]:
        out: list[RegionRound] = []
        for cid in self.view.children(r):
            c = self.view.result(r.round, cid)
            if c is not None:
                out += [c] if c.assessed else self.assessed_parts(c)
        return out

    def latest_evidence(self, r: RegionRound) -> str:
        dates = [i.latest_evidence for i in self.view.indicator_results(r) if i.latest_evidence]
        return self.tr.date(max(dates)) if dates else "–"

    def ordered_regions(self) -> list[str]:
        """Regions depth-first from the top, so parents precede their parts (worked out once per Renderer:
        every indicator page walks them)."""
        if self._ordered is not None:
            return self._ordered
        regions = self.view.regions

        def key(rid: str) -> str:
            return self.loc(regions[rid].name)

        children: dict[str | None, list[str]] = {}
        for rid, region in regions.items():
            children.setdefault(region.parent if region.parent in regions else None, []).append(rid)
        out: list[str] = []

        def visit(rid: str) -> None:
            out.append(rid)
            for child in sorted(children.get(rid, []), key=key):
                visit(child)

        for rid in sorted(children.get(None, []), key=key):
            visit(rid)
        self._ordered = out
        return out

    def pillar_list(self) -> list[tuple[str, str, int]]:
        out: list[tuple[str, str, int]] = []

        def walk(pillars: list[Pillar], depth: int) -> None:
            for p in pillars:
                out.append((p.id, self.loc(p.name), depth))
                walk(p.pillars, depth + 1)

        walk(self.fw.pillars, 0)
        return out

    def bands(self) -> list[charts.Band]:
        scored = [lv for lv in self.fw.levels if lv.min_score is not None]
        out = []
        for i, lv in enumerate(scored):
            end = float(scored[i + 1].min_score) if i + 1 < len(scored) else float(self.fw.scale.max)  # type: ignore[arg-type]
            out.append(charts.Band(float(lv.min_score), end, lv.colour, self.loc(lv.label)))  # type: ignore[arg-type]
        return out

    def score_colour(self, value: Decimal | None) -> str:
        colour = MISSING_COLOUR
        for lv in self.fw.levels:
            if value is not None and lv.min_score is not None and value >= lv.min_score:
                colour = lv.colour
        return colour

    def factor_label(self, factor: str) -> str:
        for prefix, key in (("weight of pillar ", "methodology.weight_of_pillar"), ("weight of ", "methodology.weight_of"),
                            ("value of ", "methodology.value_of")):
            if factor.startswith(prefix):
                return self.tr(key, id=factor[len(prefix):])
        return factor

    def scoring_text(self, ind: Indicator) -> Safe:
        """What the indicator's normalisation method says of itself (`readiness/methods/`), in this language."""
        method = NORMALISATIONS[ind.scoring.method]
        key, params = method.describe(ind)
        values = {name: self._described(value) for name, value in params.items()}
        if key not in self.tr.labels:  # a method added outside the tool brings its own words
            label = method.labels.get(self.lang) or method.labels.get("en") or method.name
            return Safe(label).format(**values)  # the method's own words (code, not a team's text)
        return self.t(key, **values)

    def _described(self, value: Any) -> Any:
        """A value of a method's description as the page writes it: numbers in the language's way, texts
        escaped, a list of pairs as `value → score` (numbers) or `level descriptor` (a text), one after the
        other."""
        if isinstance(value, list):
            pairs = [(self._described(a), self._described(b)) for a, b in value]
            textual = any(isinstance(b, Safe) for _, b in pairs)
            return Safe("; " if textual else ", ").join(
                Safe("{} {}").format(a, b) if textual else Safe("{} → {}").format(a, b) for a, b in pairs)
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            return self.number(value)
        return self.md(value)

    def evidence_text(self, ind: Indicator) -> Safe:
        names = {s.id: self.loc(s.name) for s in self.fw.source_types}
        kinds = ", ".join(names.get(s, s) for s in ind.evidence.source_types) or self.tr("indicator.any_source")
        gate = self.fw.gates.evidence
        return self.t("indicator.evidence_rule", kinds=kinds,
                      days=ind.evidence.max_age_days or (gate.max_age_days if gate else 365))

    def unit_text(self, ind: Indicator) -> str:
        return self.loc(ind.unit_label) or self.tr(f"units.{ind.unit}")

    # ---------------------------------------------------------------- the site

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
        pages = {path: self.with_language_bar(text, path) for path, text in pages.items()}
        files = self.downloads()
        for asset in sorted(ASSETS.iterdir()):
            files[f"assets/{asset.name}"] = asset.read_bytes()
        return Site(pages, files, self.nav(pages))

    def nav(self, pages: dict[str, str]) -> list[Any]:
        """Sections, pruned: a big mission lists its regions on index pages, not in the navigation."""
        tr = self.tr
        regions = [p for p in pages if p.startswith("regions/") and p != "regions/index.md"]
        indicators = [p for p in pages if p.startswith("indicators/") and p != "indicators/index.md"]
        region_nav: list[Any] = ["regions/index.md"]
        if len(regions) <= 60:
            region_nav += [{self.region_name(p[8:-3]): p} for p in
                           (f"regions/{r}.md" for r in self.ordered_regions()) if p in pages]
        indicator_nav: list[Any] = ["indicators/index.md"]
        if len(indicators) <= 80:
            indicator_nav += [{p[11:-3]: p} for p in sorted(indicators)]
        nav: list[Any] = [{tr("nav.dashboard"): "index.md"}, {tr("nav.changes"): "changes.md"},
                          {tr("nav.regions"): region_nav}, {tr("nav.indicators"): indicator_nav}]
        scenarios = sorted(p for p in pages if p.startswith("scenarios/") and p != "scenarios/index.md")
        if scenarios:
            nav.append({tr("nav.scenarios"): ["scenarios/index.md", *(
                {self.loc(self.view.scenarios[p[10:-3]][0].name): p} for p in scenarios)]})
        return nav + [{tr("nav.methodology"): "methodology.md"}, {tr("nav.downloads"): "downloads.md"}]

    def dashboard(self) -> str:
        view = self.view
        latest = view.latest.id
        rows, tiles, areas, unmapped, assessed = [], [], [], [], []
        for rid in self.ordered_regions():
            r = view.result(latest, rid)
            if r is None:
                continue
            region = view.regions[rid]
            name = self.loc(region.name)
            if r.assessed:
                assessed.append(rid)
            rows.append({"id": rid, "name": region.name, "rolled": not r.assessed, "level": r.level,
                         "robust": view.robustness(rid) if r.assessed else None, "override": bool(r.override),
                         "score": self.score(r.rounded), "change": self.change(r), "coverage": self.coverage(r.coverage),
                         "latest_evidence": self.latest_evidence(r) if r.assessed else "–",
                         "blocking": self.blocking(r)})
            colour, status = self.levels[r.level].colour, self.level_label(r.level)
            if r.assessed:
                tiles.append(charts.Area(rid, name, colour, status, [], f"regions/{rid}.html"))
                geometry = view.project.geometry.get(region.geometry or "") if region.geometry else None
                if geometry:
                    areas.append(charts.Area(rid, name, colour, status, geometry, f"regions/{rid}.html"))
                else:
                    unmapped.append({"id": rid, "name": name, "level": r.level})
        counts = [{"n": sum(1 for rid in assessed if view.result(latest, rid).level == lv.id),  # type: ignore[union-attr]
                   "label": self.loc(lv.label), "colour": lv.colour} for lv in self.fw.levels]
        title = self.tr("dashboard.map_title", round=self.loc(view.latest.label))
        if areas:
            svg = charts.region_map("map", title, self.tr("dashboard.map_desc"), areas)
        else:
            svg = charts.level_grid("grid", title, self.tr("dashboard.grid_desc"), tiles)
            unmapped = []
        return self._page("index.md.j2", counts=counts, table=rows, overview_svg=Safe(svg), has_map=bool(areas),
                          unmapped=unmapped, assessed=assessed)

    def region_page(self, rid: str) -> str:
        view, fw, tr = self.view, self.fw, self.tr
        region = view.regions[rid]
        name = self.loc(region.name)
        series = [(rd, view.result(rd.id, rid)) for rd in view.rounds]
        current = next(r for _, r in reversed(series) if r is not None)
        assessment = view.assessment(current.round, rid)
        low, high = float(fw.scale.min), float(fw.scale.max)
        bars, pillar_rows = [], []
        for pid, pname, depth in self.pillar_list():
            p = current.pillars.get(pid)
            value = None if p is None or p.rounded is None else p.rounded
            label = ("↳ " if depth else "") + pname
            bars.append(charts.Bar(label, None if value is None else float(value), self.score_colour(value),
                                   "" if p is None else tr("region.pillar_data", coverage=self.coverage(p.coverage)),
                                   number=self.number))
            pillar_rows.append([self.md(label), self.score(value), self.coverage(None if p is None else p.coverage)])
        floor = fw.gates.pillar_floor
        markers = [(float(floor.floor), tr("region.floor", floor=self.number(floor.floor)))] \
            if floor and floor.enabled else []
        pillar_svg = charts.bar_chart(f"pillars-{rid}", tr("region.pillars_title", region=name),
                                      tr("region.pillars_desc", round=self.loc(view.latest.label),
                                         low=self.number(low), high=self.number(high)), bars, low, high, markers)
        points = [(self.loc(rd.label) if len(self.loc(rd.label)) <= 12 else rd.id,
                   None if r is None or r.rounded is None else float(r.rounded),
                   self.levels[r.level].colour if r else MISSING_COLOUR) for rd, r in series]
        trend_svg = charts.trend_chart(f"trend-{rid}", tr("region.trend_title", region=name),
                                       tr("region.trend_desc"), points, self.bands(), low, high, number=self.number)
        trend_rows = [[self.md(rd.label), self.score(r.rounded if r else None),
                       self.level_label(r.level) if r else "–", self.change(r)] for rd, r in series]
        indicator_rows, nodes, dependency_rows = [], [], []
        for ir in view.indicator_results(current):
            ind = view.indicators[ir.indicator]
            obs = view.observation(assessment, ir.indicator)
            status = "" if ir.status == "value" else self.status(ir.status)
            if ir.status == "value":
                value: Any = self.raw(ir.raw)
            else:
                value = Safe("*{}*").format(status) + (Safe(": ") + self.md(ir.reason) if ir.reason else "")
            evidence = view.evidence(obs)
            indicator_rows.append({
                "id": ind.id, "name": ind.name, "critical": ind.critical, "value": value,
                "score": self.number(ir.capped_score, self.digits),
                "level": ir.level, "status": status or "–",
                "capped_by": ", ".join(c for c in ir.capped_by if c in view.indicators),
                "evidence": self.md("; ".join(f"{e.source} {self.loc(e.reference)} ({tr.date(e.date)})"
                                              for e in evidence)) or "–",
                "age": "–" if ir.evidence_age_days is None else ir.evidence_age_days})
            colour = self.levels[ir.level].colour if ir.level else MISSING_COLOUR
            label = self.level_label(ir.level) if ir.level else (status or tr("status.no_value"))
            nodes.append(charts.Node(ind.id, self.loc(ind.name), colour, label, f"../indicators/{ind.id}.html"))
            dependency_rows.append([ind.id, ", ".join(r.indicator for r in ind.requires
                                                      if r.indicator in view.indicators) or "–", label])
        dependency_svg = ""
        if nodes:
            graph = view.project.graph.subgraph(view.indicators)
            layers = [sorted(layer) for layer in nx.topological_generations(graph)]
            dependency_svg = charts.dependency_graph(f"deps-{rid}", tr("region.dependencies_title", region=name),
                                                     tr("region.dependencies_desc"), nodes, sorted(graph.edges), layers)
        parent = view.regions.get(region.parent or "")
        children = []
        for cid in view.children(current):
            c = view.result(current.round, cid)
            if c is not None:
                children.append({"id": cid, "name": view.regions[cid].name, "level": c.level,
                                 "score": self.score(c.rounded), "coverage": self.coverage(c.coverage)})
        tier = next((t.label for t in fw.tiers if t.id == region.tier), region.tier or "")
        u = view.robustness(rid) if current.round == view.latest.id and current.assessed else None
        probability_svg, probability_rows, sensitivity_rows = "", [], []
        if u is not None:
            segments = [(self.level_label(lv), u.probabilities.get(lv, 0.0), self.levels[lv].colour)
                        for lv in self.levels]
            probability_svg = charts.stacked_bar(f"prob-{rid}", tr("region.probabilities_title", region=name),
                                                 tr("region.probabilities_desc"), segments,
                                                 percent=lambda share: tr.percent(share))
            probability_rows = [[self.level_label(lv), tr.percent(share, 1)] for lv, share in u.probabilities.items()]
            sensitivity_rows = [{"factor": self.md(self.factor_label(row["factor"])),
                                 "first": self.number(row["first_order"], 2), "total": self.number(row["total_order"], 2)}
                                for row in u.sensitivity[:6]]
        gates = [{"gate": g.gate, "allows": g.allows, "text": self.gate_text(g)} for g in current.gates]
        return self._page(
            "region.md.j2", region=region, r=current, score=self.score(current.rounded),
            change=self.change(current) if current.change is not None else "", coverage=self.coverage(current.coverage),
            tier=tier, parent=parent, gates=gates, children=children, pillar_svg=Safe(pillar_svg),
            pillar_rows=pillar_rows, trend_svg=Safe(trend_svg), trend_rows=trend_rows,
            path=[{"critical": s.critical, "text": self.step_text(s)} for s in current.path],
            projection=self.projection_text(current), indicator_rows=indicator_rows,
            dependency_svg=Safe(dependency_svg), dependency_rows=dependency_rows, assessment=assessment,
            narrative=view.notes(assessment.narrative) if assessment else [],
            risks=view.notes(assessment.risks) if assessment else [],
            recommendations=view.notes(assessment.recommendations) if assessment else [], u=u,
            probability_svg=Safe(probability_svg), probability_rows=probability_rows,
            sensitivity_rows=sensitivity_rows, n_assessed=len(view.uncertainty.regions) if view.uncertainty else 0)

    def indicator_page(self, ind: Indicator) -> str:
        view, fw, tr = self.view, self.fw, self.tr
        scored = [lv.id for lv in fw.levels if lv.min_score is not None][1:]
        tiers = {t.id: self.loc(t.label) for t in fw.tiers}
        threshold_rows = [[self.md(tiers.get(tier, tr("indicator.all_tiers") if tier == "all" else tier)),
                           *(self.raw(cuts.get(lv)) for lv in scored)] for tier, cuts in ind.thresholds.items()]
        graph = view.project.graph
        requires = [view.indicators[p] for p in sorted(graph.predecessors(ind.id)) if p in view.indicators] \
            if ind.id in graph else []
        required_by = [view.indicators[s] for s in sorted(graph.successors(ind.id)) if s in view.indicators] \
            if ind.id in graph else []
        bars, history = [], []
        for rid in self.ordered_regions():
            cells = []
            for rd in view.rounds:
                r = view.result(rd.id, rid)
                ir = r.indicators.get(ind.id) if r and r.assessed else None
                cells.append("–" if ir is None else self.raw(ir.raw) if ir.status == "value"
                             else self.status(ir.status))
            latest = view.result(view.latest.id, rid)
            ir = latest.indicators.get(ind.id) if latest and latest.assessed else None
            if ir is None and all(v == "–" for v in cells):
                continue
            history.append({"id": rid, "name": view.regions[rid].name, "cells": cells})
            if latest is not None and latest.assessed:
                score = None if ir is None or ir.score is None else ir.score
                colour = self.levels[ir.level].colour if ir and ir.level else MISSING_COLOUR
                note = "" if score is None or ir is None else f"({self.raw(ir.raw)})"
                bars.append(charts.Bar(self.region_name(rid), score, colour, note, f"../regions/{rid}.html",
                                       number=self.number))
        values_svg = charts.bar_chart(f"values-{ind.id}", tr("indicator.across_title", id=ind.id,
                                                            round=self.loc(view.latest.label)),
                                      tr("indicator.across_desc", id=ind.id), bars, float(fw.scale.min),
                                      float(fw.scale.max))
        pillar = next((name for pid, name, _ in self.pillar_list() if pid == ind.pillar), ind.pillar)
        return self._page("indicator.md.j2", ind=ind, pillar=pillar, unit=self.unit_text(ind),
                          scoring=self.scoring_text(ind), evidence=self.evidence_text(ind),
                          threshold_levels=[self.md(self.levels[lv].label) for lv in scored],
                          threshold_rows=threshold_rows, requires=requires, required_by=required_by,
                          values_svg=Safe(values_svg), rounds=view.rounds, history=history)

    def methodology(self) -> str:
        fw, tr = self.fw, self.tr
        gate_rows = []
        for name in type(fw.gates).model_fields:
            gate = getattr(fw.gates, name)
            if gate is None:
                gate_rows.append({"name": tr(f"gate.{name}"), "state": tr("methodology.gate_unset"), "params": ""})
                continue
            params = ", ".join(f"{k}: {', '.join(v) if isinstance(v, list) else v}"
                               for k, v in gate.model_dump().items() if k != "enabled" and v is not None)
            gate_rows.append({"name": tr(f"gate.{name}"),
                              "state": tr("methodology.gate_on" if gate.enabled else "methodology.gate_off"),
                              "params": params})
        by_pillar: dict[str, list[str]] = {}
        for ind in self.view.indicators.values():
            by_pillar.setdefault(ind.pillar, []).append(ind.id)
        pillar_rows = []

        def walk(pillars: list[Pillar], depth: int) -> None:
            total = sum(p.weight for p in pillars)
            for p in pillars:
                pillar_rows.append({"id": p.id, "name": p.name, "weight": p.weight, "depth": depth,
                                    "share": tr.percent(float(p.weight / total)), "aggregation": p.aggregation,
                                    "indicators": sorted(by_pillar.get(p.id, []))})
                walk(p.pillars, depth + 1)

        walk(fw.pillars, 0)
        indicator_rows = [{"id": i.id, "name": i.name, "unit": self.unit_text(i), "direction": i.direction,
                           "method": self.scoring_text(i), "weight": i.weight, "critical": i.critical}
                          for i in self.view.indicators.values()]
        sensitivity_svg, sensitivity_rows = "", []
        analysis = self.view.uncertainty
        if analysis is not None and analysis.factors:
            factors = [{"factor": f["factor"], "mean": f["mean_total_order"]} for f in analysis.factors][:15]
            bars = [charts.Bar(self.factor_label(f["factor"]), f["mean"] * 100, "#1f618d", number=self.number)
                    for f in factors]
            sensitivity_svg = charts.bar_chart("sensitivity", tr("methodology.sensitivity_title"),
                                               tr("methodology.sensitivity_desc"), bars, 0.0,
                                               max(10.0, max((b.value or 0) for b in bars) * 1.2) if bars else 10.0)
            sensitivity_rows = [[self.md(self.factor_label(f["factor"])), self.number(f["mean"], 3)] for f in factors]
        generic = methodology_text(self.lang)
        local = re.sub(r"^#\s+.*\n", "", self.handwritten, count=1).strip()  # the page has its own title
        spec = fw.uncertainty
        return self._page("methodology.md.j2", generic=Safe(generic), local=Safe(local), gate_rows=gate_rows,
                          pillar_rows=pillar_rows, indicator_rows=indicator_rows,
                          sensitivity_svg=Safe(sensitivity_svg), sensitivity_rows=sensitivity_rows, noise=spec.noise)

    def changes(self) -> str:
        view, tr = self.view, self.tr
        moved, new_blockers, resolved, timeline = [], [], [], []
        handover = self.order[self.fw.handover_level]
        for rid in self.ordered_regions():
            r = view.result(view.latest.id, rid)
            if r is None:
                continue
            name = view.regions[rid].name
            before = view.result(view.previous.id, rid) if view.previous else None
            if before is not None and before.level != r.level:
                moved.append({"id": rid, "name": name, "before": before.level, "now": r.level,
                              "up": self.order[r.level] > self.order[before.level], "change": self.change(r)})
            if before is not None and r.assessed:
                now_gates = {g.gate: g for g in r.gates}
                then_gates = {g.gate for g in before.gates}
                new_blockers += [{"id": rid, "name": name, "gate": tr(f"gate.{g}"), "reason": self.gate_text(e)}
                                 for g, e in now_gates.items() if g not in then_gates and g != "override"]
                resolved += [{"id": rid, "name": name, "gate": tr(f"gate.{g}")}
                             for g in sorted(then_gates) if g not in now_gates and g != "override"]
            if not r.assessed:
                continue
            since = next((rd for i, rd in enumerate(view.rounds) if all(
                (x := view.result(later.id, rid)) is not None and self.order[x.level] >= handover
                for later in view.rounds[i:])), None)
            p = r.projection or {}
            if self.order[r.level] >= handover:
                when = tr("projection.timeline_since", round=self.loc(since.label)) if since \
                    else tr("projection.timeline_now")
            elif p.get("status") == "converging":
                when = tr("projection.timeline_projected", date=tr.date(p["projected_date"]), rounds=p["rounds_needed"])
            elif p.get("status") == "score-reached":
                when = tr("projection.timeline_gates")
            elif p.get("status") == "not converging":
                when = tr("projection.timeline_not_converging")
            else:
                when = tr("projection.timeline_unknown")
            timeline.append({"id": rid, "name": name, "level": r.level, "when": when,
                             "pace": "–" if "pace" not in p else tr.number(p["pace"], 1, sign=True),
                             "key": (-self.order[r.level], when, self.loc(name))})
        timeline.sort(key=lambda row: row["key"])
        return self._page("changes.md.j2", moved=moved, new_blockers=new_blockers, resolved=resolved,
                          timeline=timeline)

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
            group["rows"].append({"id": rid, "name": region.name, "level": r.level, "score": self.score(r.rounded),
                                  "tier": tiers.get(region.tier or "", ""),
                                  "population": self.number(region.population, 0) if region.population else "–"})
        return self._page("regions_index.md.j2", groups=list(groups.values()))

    def indicators_index(self) -> str:
        view = self.view
        groups = []
        for pid, name, _ in self.pillar_list():
            rows = []
            for ind in view.indicators.values():
                if ind.pillar != pid:
                    continue
                latest = [view.result(view.latest.id, rid) for rid in view.regions]
                assessed = [x for x in latest if x and x.assessed]
                ready = [x for x in assessed if (ir := x.indicators.get(ind.id)) and ir.level
                         and self.order[ir.level] >= self.order[self.fw.handover_level]]
                rows.append({"id": ind.id, "name": ind.name, "unit": self.unit_text(ind), "critical": ind.critical,
                             "ready": f"{len(ready)} / {len(assessed)}",
                             "requires": ", ".join(r.indicator for r in ind.requires
                                                   if r.indicator in view.indicators) or "–"})
            if rows:
                groups.append({"name": name, "rows": rows})
        return self._page("indicators_index.md.j2", groups=groups)

    def scenarios_index(self) -> str:
        rows = [{"id": name, "name": scenario.name, "round": self.view.project.rounds[round_id].label,
                 "changed": sum(1 for e in effects if e.level_before != e.level_after)}
                for name, (scenario, round_id, effects) in self.view.scenarios.items()]
        return self._page("scenarios_index.md.j2", rows=rows)

    def scenario_page(self, name: str) -> str:
        view = self.view
        scenario, round_id, effects = view.scenarios[name]
        changes = []
        for c in scenario.changes:
            r = view.result(round_id, c.region)
            ir = r.indicators.get(c.indicator) if r else None
            before = "–" if ir is None else (self.raw(ir.raw) if ir.status == "value" else self.status(ir.status))
            after = self.number(Decimal(c.value)) if c.value is not None and re.fullmatch(r"-?[\d.]+", c.value) \
                else (c.value if c.value is not None else self.tr("scenario.not_collected"))
            changes.append({"region": c.region, "region_name": view.regions[c.region].name, "indicator": c.indicator,
                            "indicator_name": view.indicators[c.indicator].name, "before": before, "after": after})
        rows = []
        for e in effects:
            r = view.result(round_id, e.region)
            resolved = [self.step_text(s) for s in (r.path if r else []) if list(s.key) in e.resolved]
            rows.append({"region": e.region, "name": view.regions[e.region].name, "before": e.level_before,
                         "after": e.level_after, "up": self.order[e.level_after] > self.order[e.level_before],
                         "down": self.order[e.level_after] < self.order[e.level_before],
                         "score_before": self.score(e.score_before), "score_after": self.score(e.score_after),
                         "cleared": [self.tr(f"gate.{g}") for g in e.cleared], "resolved": resolved})
        return self._page("scenario.md.j2", scenario=scenario, round_label=view.project.rounds[round_id].label,
                          changes=changes, effects=rows)

    def downloads(self) -> dict[str, bytes]:
        data = self.view.downloadable_bytes()
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        pids = pillar_ids(self.fw)
        writer.writerow(["region", "round", "score", "level", "coverage", "change", *pids])
        order = {r.id: i for i, r in enumerate(self.view.rounds)}
        for r in sorted(self.view.results.regions.values(), key=lambda r: (order[r.round], r.region)):
            if r.region not in self.view.regions:
                continue
            writer.writerow([r.region, r.round, "" if r.rounded is None else str(r.rounded), r.level,
                             f"{r.coverage * 100:.1f}", "" if r.change is None else str(r.change),
                             *("" if r.pillars.get(p) is None or r.pillars[p].rounded is None
                               else str(r.pillars[p].rounded) for p in pids)])
        return {"downloads/results.json": data, "downloads/results.csv": out.getvalue().encode()}


def _join(items: Any, separator: str = "") -> Safe:
    """The templates' `join`: each item escaped as `_finalize` would (Jinja's own escapes for HTML only, and a
    level label `[x](javascript:...)` in a table cell would become a live link)."""
    return Safe(separator).join(items)


def _finalize(value: Any) -> Any:
    """Every value a template prints is escaped for Markdown and HTML, unless it is already `Safe` (the
    catalogue's labels through `t`, narratives through `narrative`, charts drawn here)."""
    return value if hasattr(value, "__html__") else escape_markdown(value)


def methodology_text(lang: str) -> str:
    """The methodology in the language of the site, or in English where no translation exists yet."""
    path = TEMPLATES / f"methodology.{lang}.md"
    return (path if path.is_file() else TEMPLATES / "methodology.en.md").read_text(encoding="utf-8")
