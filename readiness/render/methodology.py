"""The methodology page (methodology.md), from `pages.methodology.MethodologyPage`: the generic method in the
language, the project's own notes, and the framework's parameters; the sensitivity drawn as bars."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from .. import charts
from ..pages.methodology import MethodologyPage
from ..safety import Safe
from .environment import Pages
from .formatters import Formatter

if TYPE_CHECKING:
    from ..report import View


def methodology_text(templates: Path, lang: str) -> str:
    """The methodology in the language of the site, or in English where no translation exists yet."""
    path = templates / f"methodology.{lang}.md"
    return (path if path.is_file() else templates / "methodology.en.md").read_text(encoding="utf-8")


def _setting(value: object) -> str:
    return ", ".join(value) if isinstance(value, list) else f"{value}"


def markdown(page: MethodologyPage, view: View, fmt: Formatter, write: Pages, generic: str, handwritten: str) -> str:
    tr = fmt.tr
    levels = {lv.id: lv.label for lv in view.framework.levels}
    parties = {p.id: p.name for p in view.framework.parties}

    def setting(value: object) -> str:
        """A gate's setting in the page's language: levels and parties by name, yes and no in words."""
        if isinstance(value, list):
            return ", ".join(setting(v) for v in value)
        if isinstance(value, bool):
            return tr("indicator.yes") if value else tr("indicator.critical_no")
        if isinstance(value, str) and value in levels:
            return fmt.loc(levels[value])
        if isinstance(value, str) and value in parties:
            return fmt.loc(parties[value])
        return fmt.number(value) if isinstance(value, Decimal | int | float) else _setting(value)

    def name(key: str) -> str:
        return tr(f"param.{key}") if f"param.{key}" in tr.labels else key

    gate_rows = [
        {
            "name": tr(f"gate.{g.gate}"),
            "state": tr(f"methodology.gate_{g.state}"),
            "params": tr.sep("; ").join(f"{name(k)}{tr.sep(': ')}{setting(v)}" for k, v in g.params),
        }
        for g in page.gates
    ]
    pillar_rows = [
        {
            "id": p.pillar.id,
            "name": p.pillar.name,
            "weight": p.pillar.weight,
            "depth": p.depth,
            "share": fmt.percent(p.share),
            "aggregation": p.pillar.aggregation,
            "indicators": p.indicators,
        }
        for p in page.pillars
    ]
    indicator_rows = [
        {
            "id": i.indicator.id,
            "name": i.indicator.name,
            "unit": fmt.unit(i.indicator),
            "direction": i.indicator.direction,
            "method": fmt.scoring(i.scoring),
            "weight": i.indicator.weight,
            "critical": i.indicator.critical,
        }
        for i in page.indicators
    ]
    sensitivity_svg, sensitivity_rows = "", []
    if page.factors:
        bars = [charts.Bar(fmt.factor(f.factor), f.mean * 100, "#1f618d", number=fmt.number) for f in page.factors]
        sensitivity_svg = charts.bar_chart(
            "sensitivity",
            tr("methodology.sensitivity_title"),
            tr("methodology.sensitivity_desc"),
            bars,
            0.0,
            max(10.0, max((b.value or 0) for b in bars) * 1.2) if bars else 10.0,
        )
        sensitivity_rows = [[fmt.md(fmt.factor(f.factor)), fmt.number(f.mean, 3)] for f in page.factors]
    handover_label = next(lv.label for lv in view.framework.levels if lv.id == view.framework.handover_level)
    local = re.sub(r"^#\s+.*\n", "", handwritten, count=1).strip()  # the page has its own title
    return write(
        "methodology.md.j2",
        page=page,
        generic=Safe(generic),
        local=Safe(local),
        gate_rows=gate_rows,
        pillar_rows=pillar_rows,
        indicator_rows=indicator_rows,
        sensitivity_svg=Safe(sensitivity_svg),
        sensitivity_rows=sensitivity_rows,
        noise=view.framework.uncertainty.noise,
        roll_ups=[
            fmt.t(
                "methodology.roll_up_above"
                if n.cutoff is not None and n.score >= n.cutoff
                else "methodology.roll_up_below",
                round=fmt.md(n.round.label),
                region=fmt.md(n.region.name),
                score=fmt.number(n.score),
                cutoff=fmt.number(n.cutoff) if n.cutoff is not None else "–",
                level=fmt.loc(handover_label),
                below=fmt.number(n.below, 0),
                total=fmt.number(n.total, 0),
            )
            for n in page.roll_ups
        ],
    )
