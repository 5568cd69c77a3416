"""Render: from the page models of one audience's `View` (`readiness.pages`) to the Markdown pages, SVG charts
and downloads of the site, in one language.

Templates (jinja2, `templates/`) receive each page's model (`page`) and its rows already formatted
(`formatters`); every label comes from the language's catalogue (`i18n/`), every number and date is written as
the language writes it, and every text from YAML passes through `md` (escaped for HTML and Markdown) or, for
narratives, `narrative` (Markdown allowed, raw HTML and dangerous links not). One module per page kind turns
its model into Markdown, drawing its charts (`charts.py`) from the model's numbers. Nothing here computes a
score, a count, a level or a share: the page models hold them.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import charts, pages
from ..pages import matrix as matrix_page
from ..pages import units as units_page
from ..safety import Safe, escape_markdown, sanitise_markdown
from . import (
    certificate,
    changes,
    dashboard,
    decisions,
    downloads,
    factsheet,
    indicator,
    indicators_index,
    matrix,
    methodology,
    region,
    regions_index,
    rules,
    scenarios,
    units,
)
from . import documents as documents_md
from .environment import COMPILED, Pages, environment
from .formatters import MISSING_COLOUR, Formatter

if TYPE_CHECKING:
    from ..report import View

TEMPLATES = Path(__file__).parent.parent / "templates"
ASSETS = Path(__file__).parent.parent / "assets"


@dataclass
class Site:
    pages: dict[str, str]
    """Markdown pages, by path inside the docs folder."""
    files: dict[str, bytes]
    """Other files (downloads, assets), by path inside the docs folder."""
    nav: list[Any]


class Renderer:
    def __init__(
        self,
        view: View,
        handwritten_methodology: str = "",
        lang: str | None = None,
        languages: list[str] | None = None,
        workers: int = 1,
    ) -> None:
        self.view = view
        self.workers = max(1, workers)
        """Processes that share out the pages of the regions and indicators and the documents (readiness.workers)."""
        self.fw = view.framework
        self.lang = lang or self.fw.languages[0]
        self.languages = languages or [self.lang]
        """Languages built side by side: the first at the site's root, the others in a folder each."""
        self.fmt = Formatter(self.fw, self.lang, view.explainer(self.lang, markup=True))
        self.tr = self.fmt.tr
        self.handwritten = handwritten_methodology
        self.templates = TEMPLATES
        self.env = environment(self.templates)
        self.write = Pages(self.env)
        fmt = self.fmt
        self.env.filters.update(
            md=fmt.md,
            member=fmt.member,
            prose=fmt.prose,
            narrative=fmt.narrative,
            narrative_inline=fmt.narrative_inline,
            colour=fmt.css_colour,
        )
        self.env.globals.update(
            colon=Safe(self.tr.sep(": ")),
            semicolon=Safe(self.tr.sep("; ")),
            t=fmt.t,
            tn=fmt.tn,
            marking=fmt.marking,
            loc=fmt.loc,
            md=fmt.md,
            number=fmt.number,
            date=fmt.date,
            levels=fmt.levels,
            fg=charts.text_colour,
            framework=self.fw,
            latest=view.latest,
            previous=view.previous,
            public=view.public,
            audience=view.audience,
            digits=fmt.digits,
            party_names={p.id: fmt.loc(p.name) for p in self.fw.parties},
            samples=view.uncertainty.samples if view.uncertainty else 0,
            robust_percent=int(self.fw.uncertainty.robust_share * 100),
            left_out=view.left_out,
            provisional=view.provisional,
            left_out_items=", ".join(
                self.tr(f"site.left_out.{kind}", n=n) for kind, n in view.left_out.as_dict().items() if n
            ),
            weight_range=int(self.fw.uncertainty.weight_range * 100),
        )

    # ---------------------------------------------------------------- language

    def t(self, key: str, **params: Any) -> Safe:
        """A label from the catalogue; values put into it are escaped unless already safe."""
        return self.fmt.t(key, **params)

    def loc(self, text: Any) -> str:
        return self.fmt.loc(text)

    def md(self, text: Any) -> Safe:
        """Text from YAML (in this language), escaped for HTML and Markdown; what is already safe stays as is."""
        return self.fmt.md(text)

    def banner(self) -> str:
        """The audience's notice that heads every page (internal use, or what a public edition leaves out)."""
        return self.env.from_string('{% import "_macros.md.j2" as m with context %}{{ m.banner() }}').render()

    def with_language_bar(self, markdown: str, page: str) -> str:
        """The page with links to itself in the other languages, under its title."""
        if len(self.languages) < 2:
            return markdown
        from ..i18n import catalogue

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
        return markdown[: match.end()] + "\n\n" + bar + markdown[match.end() :].lstrip("\n")

    # ---------------------------------------------------------------- the site

    def render(self) -> Site:
        view, fmt, write = self.view, self.fmt, self.write
        model = pages.build_site(view, self.lang, fmt.when)
        from ..documents import site_documents
        from ..workers import Pending

        # the Word and Excel documents and the pages of the regions and indicators (most of the work) are made
        # in forked workers while the pages below are written here (the same pages, in the same order)
        jobs = self._region_and_indicator_jobs(model)
        count = 1 if self.workers == 1 else 4 * self.workers  # small shares: the workers take them as they finish
        tasks: list[Callable[[], dict[str, Any]]] = [
            functools.partial(site_documents, view, self.lang),
            *(functools.partial(_render_jobs, jobs[i::count]) for i in range(count)),
        ]
        pending: Pending[dict[str, Any]]
        with Pending(tasks, self.workers) as pending:
            out: dict[str, str] = self._main_pages(model)
            documents, *parts = pending.results()
        out["downloads.md"] = downloads.markdown(model.downloads, write, documents)
        made = {path: text for part in parts for path, text in part.items()}
        out.update((path, made[path]) for path, _ in jobs)
        if model.scenarios_index is not None:
            out["scenarios/index.md"] = scenarios.index_markdown(model.scenarios_index, fmt, write)
            for name, scenario in model.scenarios.items():
                out[f"scenarios/{name}.md"] = scenarios.markdown(scenario, fmt, write)
        out = {path: self.with_language_bar(text, path) for path, text in out.items()}
        files = {**model.downloads.files, **documents}
        for asset in sorted(ASSETS.iterdir()):
            files[f"assets/{asset.name}"] = asset.read_bytes()
        return Site(out, files, self.nav(model))

    def _region_and_indicator_jobs(self, model: pages.SiteModel) -> list[tuple[str, Callable[[], str]]]:
        """The pages of the regions (with their evidence) and of the indicators, in the navigation's order, each
        with what writes it."""
        view, fmt, write = self.view, self.fmt, self.write
        jobs: list[tuple[str, Callable[[], str]]] = []
        for rid, page in model.regions.items():
            jobs.append((f"regions/{rid}.md", functools.partial(region.markdown, page, view, fmt, write)))
            if region.has_evidence(page):  # an assessed region's evidence, its annex (a rolled-up one has its parts')
                jobs.append((region.evidence_path(rid), functools.partial(region.evidence, page, view, fmt, write)))
        for ind_id, ind_page in model.indicators.items():
            jobs.append((f"indicators/{ind_id}.md", functools.partial(indicator.markdown, ind_page, view, fmt, write)))
        return jobs

    def _main_pages(self, model: pages.SiteModel) -> dict[str, str]:
        """Every page but the regions', the indicators', the downloads and the scenarios'."""
        view, fmt, write = self.view, self.fmt, self.write
        out: dict[str, str] = {
            "index.md": dashboard.markdown(model.dashboard, view, fmt, write),
            "changes.md": changes.markdown(model.changes, fmt, write),
            "methodology.md": methodology.markdown(
                model.methodology,
                view,
                fmt,
                write,
                self.tr.prose(methodology.methodology_text(self.templates, self.lang)),
                self.tr.prose(self.handwritten) if self.handwritten else self.handwritten,
            ),
            "regions/index.md": regions_index.markdown(model.regions_index, fmt, write),
            "indicators/index.md": indicators_index.markdown(model.indicators_index, fmt, write),
            "rules.md": rules.markdown(model.rules, fmt, self.lang, self.banner()),
        }
        self.has_units = units_page.applies(view)
        if self.has_units:  # one view per unit and the severity x completeness matrix, for leadership
            out["units.md"] = units.markdown(units_page.build(view, self.lang, model.order), view, fmt, write)
            out["matrix.md"] = matrix.markdown(matrix_page.build(view, self.lang, model.order), fmt, write)
        if model.decisions is not None:
            out["decisions.md"] = decisions.markdown(model.decisions, fmt, write)
        if model.factsheet is not None:
            out["factsheet.md"] = factsheet.markdown(model.factsheet, fmt, write)
        from ..documents import certificates, records

        self.certificates = certificates(view) + records(view)  # a reversion or deferral has its signed record
        for cert in self.certificates:
            out[f"certificates/{cert.decision.id}.md"] = certificate.markdown(cert, view, fmt, write)
        documents_page = documents_md.markdown(view, fmt, write)
        self.has_documents = documents_page is not None
        if documents_page is not None:
            out["documents.md"] = documents_page
        return out

    def nav(self, model: pages.SiteModel) -> list[Any]:
        """Sections, pruned: a big mission lists its regions on index pages, not in the navigation."""
        tr = self.tr
        region_nav: list[Any] = [
            "regions/index.md",
            *({self.loc(model.regions[rid].region.name): f"regions/{rid}.md"} for rid in model.nav_regions),
        ]
        indicator_nav: list[Any] = ["indicators/index.md", *self.indicators_by_pillar(model.nav_indicators)]
        nav: list[Any] = [
            {tr("nav.dashboard"): "index.md"},
            *(
                [{tr("nav.units"): "units.md"}, {tr("nav.matrix"): "matrix.md"}]
                if getattr(self, "has_units", False)
                else []
            ),
            {tr("nav.changes"): "changes.md"},
            *([{tr("nav.decisions"): "decisions.md"}] if model.decisions is not None else []),
            *([{tr("nav.factsheet"): "factsheet.md"}] if model.factsheet is not None else []),
            *([{tr("nav.documents"): "documents.md"}] if getattr(self, "has_documents", False) else []),
            *(
                [
                    {
                        tr("nav.certificates"): [
                            {
                                self.loc(c.region.name)
                                + " · "
                                + c.decision.reference
                                + (" · " + tr("certificate.superseded_nav") if c.superseded_by is not None else ""): (
                                    f"certificates/{c.decision.id}.md"
                                )
                            }
                            for c in self.certificates
                        ]
                    }
                ]
                if getattr(self, "certificates", None)
                else []
            ),
            {tr("nav.regions"): region_nav},
            {tr("nav.indicators"): indicator_nav},
        ]
        if model.scenarios:
            nav.append(
                {
                    tr("nav.scenarios"): [
                        "scenarios/index.md",
                        *(
                            {self.loc(model.scenarios[name].scenario.name): f"scenarios/{name}.md"}
                            for name in model.nav_scenarios
                        ),
                    ]
                }
            )
        return nav + [
            {tr("nav.methodology"): "methodology.md"},
            {tr("nav.downloads"): "downloads.md"},
            # the reference of check's rules is for the teams who write the YAML, not for leadership
            {tr("nav.for_teams"): [{tr("nav.rules"): "rules.md"}]},
        ]

    def indicators_by_pillar(self, ids: list[str]) -> list[Any]:
        """The indicators listed in the navigation by name, under their pillar's name (leadership reads names,
        not codes; the code is on each page)."""
        names: dict[str, Any] = {}

        def walk(items: Any) -> None:
            for p in items:
                names[p.id] = p.name
                walk(p.pillars)

        walk(self.fw.pillars)
        groups: dict[str, list[Any]] = {}
        for ind_id in ids:
            ind = self.view.indicators[ind_id]
            groups.setdefault(self.loc(names.get(ind.pillar, ind.pillar)), []).append(
                {self.loc(ind.name): f"indicators/{ind_id}.md"}
            )
        return [{pillar: entries} for pillar, entries in groups.items()]


__all__ = [
    "ASSETS",
    "COMPILED",
    "MISSING_COLOUR",
    "TEMPLATES",
    "Renderer",
    "Site",
    "escape_markdown",
    "sanitise_markdown",
]


def _render_jobs(jobs: list[tuple[str, Callable[[], str]]]) -> dict[str, str]:
    """Each page of `jobs`, written (in a forked worker, or here)."""
    return {path: write() for path, write in jobs}
