"""The explainer: the one place where results become sentences, in every language the catalogues hold.

Scoring writes no prose: gate effects, path steps and projections carry typed details (`scoring/results.py`).
`Explainer` turns them into sentences through the catalogues (`i18n/`), for the site (Markdown, every value
escaped: `markup=True`), and for the terminal, exports and documents (plain text: `markup=False`). `readiness
explain` prints a region's or an indicator's whole explanation with it, in any language (`--lang fr`).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from .i18n import Translator
from .model import Indicator, LocalText
from .project import Project
from .safety import Safe, escape_markdown
from .scoring.results import GateEffect, HandoverStep, IndicatorResult, RegionRound

_EMPHASIS = re.compile(r"\*\*(.+?)\*\*|\*(.+?)\*")


class Explainer:
    """Sentences for one project's results, in one language, as Markdown for a page or as plain text."""

    def __init__(self, project: Project, lang: str | None = None, markup: bool = True) -> None:
        assert project.framework is not None
        self.project = project
        self.fw = project.framework
        self.lang = lang or self.fw.languages[0]
        self.tr = Translator(self.lang)
        self.markup = markup
        self.levels = {lv.id: lv for lv in self.fw.levels}
        self.order = {lv.id: i for i, lv in enumerate(self.fw.levels)}
        self.digits = self.fw.rounding.digits
        self.parties = {p.id: p.name for p in self.fw.parties}

    # ---------------------------------------------------------------- words and values

    def loc(self, text: Any) -> str:
        return text.get(self.lang) if isinstance(text, LocalText) else ("" if text is None else str(text))

    def text(self, value: Any) -> Any:
        """A text from the project (a name, a reason), escaped for a page, as it is for the terminal."""
        return escape_markdown(self.loc(value)) if self.markup else self.loc(value)

    def t(self, key: str, **params: Any) -> Any:
        """A catalogue sentence with its values: values escaped for a page; emphasis dropped for the terminal."""
        if self.markup:
            return Safe(self.tr(key)).format(**params) if params else Safe(self.tr(key))
        text = self.tr(key).format(**params) if params else self.tr(key)
        return _EMPHASIS.sub(lambda m: m.group(1) or m.group(2), text)

    def join(self, separator: str, items: list[Any]) -> Any:
        return Safe(separator).join(items) if self.markup else separator.join(str(i) for i in items)

    def number(self, value: Any, digits: int | None = None, sign: bool = False) -> str:
        return self.tr.number(value, digits, sign)

    def score(self, value: Any) -> str:
        return self.number(None if value is None else Decimal(str(value)), self.digits)

    def raw(self, value: Any) -> str:
        if value is None:
            return "–"
        if isinstance(value, bool):
            return self.tr("indicator.yes") if value else self.tr("indicator.critical_no")
        return self.number(value)

    def aggregation(self, name: str) -> str:
        key = f"aggregation.{name}"
        return self.tr(key) if key in self.tr.labels else name

    def level(self, level_id: str | None) -> str:
        return self.loc(self.levels[level_id].label) if level_id in self.levels else "–"

    def indicator_name(self, ind_id: str) -> Any:
        ind = self.project.indicators.get(ind_id)
        return self.text(ind.name) if ind is not None else ind_id

    def region_name(self, region_id: str) -> Any:
        region = self.project.regions.get(region_id)
        return self.text(region.name) if region is not None else region_id

    def party_name(self, party_id: str) -> Any:
        return self.text(self.parties[party_id]) if party_id in self.parties else party_id

    # ---------------------------------------------------------------- what results carry

    def gate(self, g: GateEffect) -> Any:
        """Why a gate bit, from its numbers."""
        d, t = g.details, self.t
        if g.gate == "critical_floor":
            items = [t("reason.critical_item", id=i, level=self.level(lv)) for i, lv in d.get("indicators", {}).items()]
            text = t("reason.critical_floor", items=self.join("; ", items)) if items else None
            missing = d.get("missing", [])
            if missing:
                extra = t("reason.critical_missing", items=", ".join(missing))
                text = extra if text is None else self.join("; ", [text, extra])
            return text
        if g.gate == "prerequisites":
            items = [t("reason.prerequisites_item", id=i, by=", ".join(by)) for i, by in d.get("capped", {}).items()]
            return t("reason.prerequisites", items=self.join("; ", items))
        if g.gate == "pillar_floor":
            items = [
                t("reason.pillar_no_data", id=p)
                if s is None
                else t("reason.pillar_scores", id=p, score=self.number(Decimal(s), self.digits))
                for p, s in d.get("pillars", {}).items()
            ]
            return t(
                "reason.pillar_floor",
                level=self.level(d["applies_to"]),
                floor=self.number(Decimal(d["floor"])),
                items=self.join("; ", items),
            )
        if g.gate == "evidence":
            coverage = self.number(d["coverage"], 1)
            if d.get("kind") == "insufficient":
                return t(
                    "reason.evidence_insufficient",
                    coverage=coverage,
                    minimum=self.number(Decimal(d["insufficient_below"])),
                )
            parts = []
            if d.get("coverage_short"):
                parts.append(
                    t(
                        "reason.evidence_coverage",
                        coverage=coverage,
                        level=self.level(d["applies_to"]),
                        minimum=self.number(Decimal(d["min_coverage"])),
                    )
                )
            thin = d.get("thin_sources", {})
            if thin:
                parts.append(
                    t(
                        "reason.evidence_sources",
                        count=d["critical_source_types"],
                        items=", ".join(f"{i} ({n})" for i, n in thin.items()),
                    )
                )
            return self.join("; ", parts)
        if g.gate == "stability":
            if d.get("kind") == "sustained":
                return t("reason.sustained", level=self.level(d["applies_to"]), rounds=len(d["rounds"]))
            falls = [
                t(
                    "reason.stability_fall",
                    before=self.number(Decimal(a), self.digits),
                    after=self.number(Decimal(b), self.digits),
                )
                for a, b in d.get("falls", [])
            ]
            return t(
                "reason.stability", level=self.level(d["applies_to"]), rounds=d["rounds"], items=self.join(", ", falls)
            )
        if g.gate == "sign_off":
            return t(
                "reason.sign_off",
                level=self.level(d["applies_to"]),
                items=self.join(", ", [self.party_name(p) for p in d["missing"]]),
            )
        if g.gate == "override":
            return t(
                "reason.override",
                who=self.text(d["approved_by"]),
                level=self.level(d["computed_level"]),
                date=self.tr.date(d["expires"]),
                rationale=self.text(d.get("rationale") or ""),
            )
        if g.gate == "roll_up":
            children = {c: lv for c, lv in d.get("children", {}).items() if c in self.project.regions}
            lowest = min(children.values(), key=self.order.__getitem__) if children else g.allows
            return t(
                "reason.roll_up",
                items=self.join(", ", [self.region_name(c) for c, lv in children.items() if lv == lowest]),
            )
        return self.t(f"gate.{g.gate}") if f"gate.{g.gate}" in self.tr.labels else g.gate

    def step(self, s: HandoverStep) -> Any:
        """One step of the path to handover."""
        t, d = self.t, s.detail
        if s.kind in ("raise", "lower"):
            return t(
                f"step.{s.kind}",
                id=s.subject,
                name=self.indicator_name(s.subject),
                current=self.raw(s.current),
                target=self.raw(s.target),
            )
        if s.kind == "collect":
            text = t("step.collect", id=s.subject, name=self.indicator_name(s.subject))
            if d.get("reason"):
                text = self.join("; ", [text, t("step.last_reason", reason=self.text(d["reason"]))])
            return text
        if s.kind == "capped":
            return t("step.capped", id=s.subject, by=", ".join(d["by"]))
        if s.kind == "sources":
            return t(
                "step.sources", id=s.subject, has=", ".join(d["has"]) or self.tr("step.none_current"), count=d["count"]
            )
        if s.kind == "sign_off":
            return t("step.sign_off", party=self.party_name(s.subject))
        return s.kind

    def projection(self, r: RegionRound) -> Any:
        """When the region would reach the handover score at its recent pace, if anything can be said."""
        p = r.projection or {}
        status = p.get("status")
        if status == "converging":
            return self.t(
                "projection.converging",
                pace=self.tr.number(p["pace"], 1, sign=True),
                rounds=p["rounds_needed"],
                date=self.tr.date(p["projected_date"]),
            )
        if status == "not converging":
            return self.t("projection.not_converging", pace=self.tr.number(p["pace"], 1, sign=True))
        if status == "score-reached":
            return self.t("projection.score_reached")
        return Safe("") if self.markup else ""

    # ---------------------------------------------------------------- whole explanations, for the terminal

    def region(self, r: RegionRound) -> str:
        """Why a region has its level, with the numbers, the gates, the pillars and the path to handover."""
        t = self.t
        region, rnd = self.project.regions[r.region], self.project.rounds[r.round]
        lines = [
            t(
                "explain.heading",
                region=self.loc(region.name),
                id=region.id,
                round=self.loc(rnd.label),
                date=self.tr.date(rnd.date),
            ),
            "  "
            + t("explain.level", level=self.level(r.level))
            + (" " + t("explain.override", level=self.level(r.computed_level)) if r.override else ""),
            "  "
            + t("explain.score", score=self.score(r.rounded) if r.rounded is not None else "–")
            + (" " + t("explain.score_alone", level=self.level(r.score_level)) if r.score_level else "")
            + (
                " " + t("explain.change", change=self.number(r.change, self.digits, sign=True))
                if r.change is not None
                else ""
            ),
            "  " + t("explain.coverage", coverage=self.tr.percent(r.coverage, 1)),
            "",
        ]
        if r.gates:
            lines.append(t("explain.gates"))
            lines += [
                f"  - {t(f'gate.{g.gate}')}: {t('explain.allows', level=self.level(g.allows))}: {self.gate(g)}"
                for g in r.gates
            ]
        else:
            lines.append(t("explain.no_gate"))
        if r.children:
            lines += [
                "",
                t(
                    "explain.children",
                    items=", ".join(
                        self.loc(self.project.regions[c].name) for c in r.children if c in self.project.regions
                    ),
                ),
            ]
        lines += ["", t("explain.pillars")]
        width = max((len(pid) for pid in r.pillars), default=0)
        for pid, p in r.pillars.items():
            lines.append(
                f"  {pid:<{width}}  {self.score(p.rounded) if p.rounded is not None else '–':>7}   "
                + t("explain.pillar_coverage", coverage=self.tr.percent(p.coverage, 1))
                + f"   {self.aggregation(p.aggregation)}"
            )
        if r.path:
            lines += ["", t("explain.path")]
            lines += [
                f"  {i}. {'[' + t('explain.critical') + '] ' if s.critical else ''}{self.step(s)}"
                for i, s in enumerate(r.path, 1)
            ]
        projection = self.projection(r)
        if projection:
            lines += ["", str(projection)]
        return "\n".join(str(line) for line in lines) + "\n"

    def indicator(self, r: RegionRound, ind: Indicator) -> str:
        """One indicator in one region and round: its value, score, level, thresholds, weight and evidence."""
        t = self.t
        ir: IndicatorResult | None = r.indicators.get(ind.id)
        region, rnd = self.project.regions[r.region], self.project.rounds[r.round]
        head = t(
            "explain.indicator_heading",
            id=ind.id,
            name=self.loc(ind.name),
            region=self.loc(region.name),
            round=self.loc(rnd.label),
        )
        if ir is None:
            return f"{head}\n  {t('explain.rolled_up')}\n"
        status = self.tr(f"status.{ir.status}") if f"status.{ir.status}" in self.tr.labels else ir.status
        lines = [head, "  " + t("explain.status", status=status) + (f" ({ir.reason})" if ir.reason else "")]
        if ir.status == "value":
            unit = self.loc(ind.unit_label) or self.tr(f"units.{ind.unit}")
            lines += [
                "  " + t("explain.value", value=self.raw(ir.raw), unit=unit),
                "  "
                + t("explain.indicator_score", score=self.number(ir.score, 3))
                + (" " + t("explain.capped_to", score=self.number(ir.capped_score, 3)) if ir.capped_by else ""),
                "  "
                + t("explain.indicator_level", level=self.level(ir.level))
                + (
                    " " + t("explain.without_cap", level=self.level(ir.uncapped_level))
                    if ir.capped_by and ir.uncapped_level
                    else ""
                ),
                "  "
                + t(
                    "explain.thresholds",
                    tier=ir.tier_used,
                    items=", ".join(
                        f"{self.level(k)} {'>=' if ind.direction == 'higher' else '<='} {self.number(v)}"
                        for k, v in ind.thresholds.get(ir.tier_used, {}).items()
                    ),
                ),
                "  "
                + t("explain.weight", weight=self.number(ir.weight), share=self.tr.percent(ir.share, 1))
                + (
                    " " + t("explain.contribution", points=self.number(ir.contribution, 2))
                    if ir.contribution is not None
                    else ""
                ),
                "  "
                + t("explain.evidence", date=self.tr.date(ir.latest_evidence) if ir.latest_evidence else "–")
                + (
                    " " + t("explain.evidence_age", days=ir.evidence_age_days)
                    if ir.evidence_age_days is not None
                    else ""
                )
                + (" " + t("explain.sources", items=", ".join(ir.source_types)) if ir.source_types else "")
                + ("" if ir.current else " " + t("explain.not_current")),
            ]
        if ind.requires:
            lines.append("  " + t("explain.requires"))
            for req in ind.requires:
                pre = r.indicators.get(req.indicator)
                state = self.level(pre.level) if pre and pre.level else (pre.status if pre else "–")
                mark = "  " + t("explain.caps_it") if req.indicator in ir.capped_by else ""
                lines.append(f"    {req.indicator}: {state}{mark}")
        return "\n".join(str(line) for line in lines) + "\n"
