"""What several pages share: the order of the regions, the framework's pillars and levels as pages use them.

Nothing here formats: names are read in a language only to put rows in the order that language reads them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from ..model import Level, LocalText, Pillar
from ..report import View
from ..scoring.results import RegionRound

Outline = list[list[tuple[float, float]]]
"""A region's outline on the map: polygons of (x, y) points."""


def name_in(text: Any, lang: str) -> str:
    """A name as it reads in `lang` (to order rows by it)."""
    return text.get(lang) if isinstance(text, LocalText) else ("" if text is None else str(text))


def page_language(view: View, lang: str | None) -> str:
    return lang or view.framework.languages[0]


def ordered_regions(view: View, lang: str | None = None) -> list[str]:
    """Regions depth-first from the top, so parents precede their parts; siblings by name in `lang`."""
    lang = page_language(view, lang)
    regions = view.regions

    def key(rid: str) -> str:
        return name_in(regions[rid].name, lang)

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
    return out


@dataclass(frozen=True)
class PillarEntry:
    """A pillar of the framework's tree, depth first, with its depth (0 at the top)."""

    pillar: Pillar
    depth: int

    @property
    def id(self) -> str:
        return self.pillar.id

    @property
    def name(self) -> LocalText:
        return self.pillar.name


def pillars(view: View) -> list[PillarEntry]:
    def walk(items: list[Pillar], depth: int) -> Iterator[PillarEntry]:
        for p in items:
            yield PillarEntry(p, depth)
            yield from walk(p.pillars, depth + 1)

    return list(walk(view.framework.pillars, 0))


class Levels:
    """The framework's levels in order, and where the handover level stands among them."""

    def __init__(self, view: View) -> None:
        fw = view.framework
        self.by_id: dict[str, Level] = {lv.id: lv for lv in fw.levels}
        self.rank: dict[str, int] = view.project.level_rank
        self.handover = fw.handover_level

    def reached_handover(self, level: str) -> bool:
        return self.rank[level] >= self.rank[self.handover]

    def higher(self, a: str, b: str) -> bool:
        """Whether level `a` stands above level `b`."""
        return self.rank[a] > self.rank[b]


def band_level(view: View, value: Decimal | float | None) -> str | None:
    """The level whose minimum score `value` reaches (the highest such), or None without a score."""
    found = None
    for lv in view.framework.levels:
        if value is not None and lv.min_score is not None and value >= lv.min_score:
            found = lv.id
    return found


@dataclass(frozen=True)
class LevelBand:
    """The stretch of the scale a level's score covers, from its minimum to the next one (or the top)."""

    level: str
    start: Decimal
    end: Decimal


def level_bands(view: View) -> list[LevelBand]:
    fw = view.framework
    scored = [(lv.id, low) for lv in fw.levels if (low := lv.min_score) is not None]
    return [
        LevelBand(level, low, scored[i + 1][1] if i + 1 < len(scored) else fw.scale.max)
        for i, (level, low) in enumerate(scored)
    ]


def assessed_parts(view: View, r: RegionRound) -> list[RegionRound]:
    """The assessed regions a rolled-up region is made of, at every depth."""
    out: list[RegionRound] = []
    for cid in view.children(r):
        c = view.result(r.round, cid)
        if c is not None:
            out += [c] if c.assessed else assessed_parts(view, c)
    return out


def as_date(value: str | date | None) -> date | None:
    """An ISO date from results (latest evidence, a projected date) as a date."""
    if value is None or value == "":
        return None
    return value if isinstance(value, date) else date.fromisoformat(value)


def blocker_items(r: RegionRound) -> list[tuple[str, str | None]]:
    """(gate, subject) of every item of the gates that hold the region back."""
    items: list[tuple[str, str | None]] = []
    for g in r.gates:
        d = g.details
        if g.gate == "critical_floor":
            items += [(g.gate, i) for i in d.get("indicators", {})] + [(g.gate, i) for i in d.get("missing", [])]
        elif g.gate == "prerequisites":
            items += [(g.gate, i) for i in d.get("capped", {})]
        elif g.gate == "pillar_floor":
            items += [(g.gate, p) for p in d.get("pillars", {})]
        elif g.gate == "evidence":
            items += [(g.gate, None)] if d.get("coverage_short") or d.get("kind") == "insufficient" else []
            items += [(g.gate, i) for i in d.get("thin_sources", {})]
        elif g.gate == "sign_off":
            items += [(g.gate, p) for p in d.get("missing", [])]
        elif g.gate == "stability" and d.get("kind") != "sustained":
            items.append((g.gate, None))
    return items
