"""Formatters: the small functions that write a page model's facts in one language.

Numbers and dates as the language writes them (Babel, through `i18n.Translator`), levels by their labels,
scores at the framework's digits, changes with their arrow, coverage as a percentage, statuses in words; texts
from YAML escaped for HTML and Markdown (`md`) or, for narratives, sanitised (`narrative`); gate effects, path
steps and projections in the explainer's sentences. Nothing here decides a fact: each function writes one.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..i18n import Translator, named, written_in
from ..model import LocalText
from ..pages.changes import When
from ..pages.dashboard import Blocking
from ..pages.indicator import EvidenceRule, ScoringRule
from ..safety import Safe, escape_markdown, sanitise_markdown

if TYPE_CHECKING:
    from ..explain import Explainer
    from ..model import Decision, Footprint, Framework, Indicator, TeamMember
    from ..scoring.results import GateEffect, HandoverStep, IndicatorResult, RegionRound

_HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")

MISSING_COLOUR = "#c8c8c8"
"""The colour of what has no level (no score, no value)."""


class Formatter:
    """Writes facts in one language, for one framework."""

    def __init__(self, framework: Framework, lang: str, explainer: Explainer) -> None:
        self.fw = framework
        self.lang = lang
        self.tr = Translator(lang)
        self.explainer = explainer
        self.levels = {lv.id: lv for lv in framework.levels}
        self.digits = framework.rounding.digits

    # ---------------------------------------------------------------- words and texts

    def t(self, key: str, **params: Any) -> Safe:
        """A label from the catalogue; values put into it are escaped unless already safe."""
        return Safe(self.tr(key)).format(**named(params)) if params else Safe(self.tr(key))

    def prose(self, text: Any, mark: bool = True) -> Safe:
        """A team's sentence (a reason, a source, an amendment's reason), escaped; when it is not in the page's
        language, marked with the language it is in (for screen readers) and, with `mark`, as not translated
        (an evidence reference, the title of a register, is not marked: it is cited as it is)."""
        body = self.md(text)
        lang = self.untranslated(text) if body else None
        if lang is None:
            return body
        shown = Safe(f'<span lang="{lang}">') + body + Safe("</span>")
        return shown + Safe(f' <span class="rd-untranslated">{self.t("site.untranslated")}</span>') if mark else shown

    def marking(self, name: str) -> str:
        """A marking label (`restricted_label`, `internal_notice`): the framework's, or the catalogue's words."""
        marking = self.fw.marking
        return self.loc(getattr(marking, name)) if marking.given(name) else self.tr(f"marking.{name}")

    def tn(self, key: str, count: int, **params: Any) -> Safe:
        """A label that counts (`key.one`, `key.other`...), in the form the count takes in this language."""
        form = self.tr.plural(count)
        chosen = f"{key}.{form}" if f"{key}.{form}" in self.tr.labels else f"{key}.other"
        return self.t(chosen, count=count, **params)

    def loc(self, text: Any) -> str:
        """A text of the project in the page's language (or the one it is written in), with that language's
        spacing when it is the page's."""
        shown = text.get(self.lang) if isinstance(text, LocalText) else ("" if text is None else str(text))
        return self.tr.prose(shown) if shown and self.untranslated(text) is None else shown

    def md(self, text: Any) -> Safe:
        """Text from YAML (in this language), escaped for HTML and Markdown; what is already safe stays as is."""
        return text if isinstance(text, Safe) else escape_markdown(self.loc(text))

    def member(self, member: TeamMember) -> Safe:
        """A member of an assessment team: "name, role" (the role alone when the public edition does not name
        them), with what they did when the team list says it: led the team, commands the region assessed,
        attended as an observer."""
        shown = ", ".join(p for p in (member.name, self.loc(member.role)) if p)
        marks = [self.tr(f"region.team_{what}") for what in ("leader", "assessed", "observer") if getattr(member, what)]
        return escape_markdown(shown) + (Safe(f" ({self.tr.sep('; ').join(marks)})") if marks else Safe(""))

    @staticmethod
    def css_colour(value: str) -> Safe:
        """A colour for a style attribute, as written (`#1e8449`): the framework's colours are checked to be six
        hex digits, and an attribute is not Markdown, so escaping its `#` would void the colour."""
        return Safe(value) if _HEX_COLOUR.fullmatch(value) else Safe("")

    def untranslated(self, text: Any) -> str | None:
        """The language a text is shown in when it is not in the page's: a text written once (taken to be in the
        framework's first language) or without this language; None when it is in the page's language."""
        if not text:
            return None
        shown = written_in(text, self.lang, self.fw.written_in)
        return None if shown == self.lang else shown

    def narrative(self, text: Any) -> Safe:
        body = sanitise_markdown(self.loc(text))
        lang = self.untranslated(text)
        if lang is None:
            return body
        mark = self.t("site.untranslated")
        return (
            Safe(f'<div lang="{lang}" markdown="1">\n\n')
            + body
            + Safe(f'\n\n</div>\n\n<p class="rd-untranslated">{mark}</p>')
        )

    def narrative_inline(self, text: Any) -> Safe:
        body = Safe(str(sanitise_markdown(self.loc(text))).replace("\n", " "))
        lang = self.untranslated(text)
        if lang is None:
            return body
        mark = self.t("site.untranslated")
        return Safe(f'<span lang="{lang}">') + body + Safe(f'</span> <span class="rd-untranslated">{mark}</span>')

    # ---------------------------------------------------------------- numbers and dates

    def number(self, value: Any, digits: int | None = None) -> str:
        return self.tr.number(value, digits)

    def date(self, value: Any) -> str:
        return self.tr.date(value)

    def percent(self, share: float, digits: int = 0) -> str:
        return self.tr.percent(share, digits)

    def robustness(self, share: float | None, robust: bool | None, samples: int = 0, html: bool = True) -> Safe:
        """How sure a level is, in the one figure defined for it: robust or fragile, the same level in N% of the
        Monte Carlo's samples. With `html`, a tag that shows the number of samples on hover."""
        if share is None:
            return Safe("")
        text = self.t("site.robust" if robust else "site.fragile", share=self.percent(share))
        if not html:
            return text
        title = self.t("site.robust_title", share=self.percent(share), samples=self.number(samples, 0))
        return (
            Safe(f' <span class="{"rd-robust" if robust else "rd-fragile"}" title="{title}">') + text + Safe("</span>")
        )

    def score(self, value: Decimal | float | None) -> str:
        return self.number(value, self.digits)

    def change(self, r: RegionRound | None) -> str:
        """A change of score, as a signed number. Arrows (▲ ▼) are kept for levels that moved: one convention,
        so a level that fell never sits beside an arrow pointing up."""
        if r is None or r.change is None:
            return "–"
        return self.tr.number(r.change, self.digits, sign=True)

    def coverage(self, share: float | None) -> str:
        return "–" if share is None else self.tr.percent(share)

    def pace(self, pace: float | None) -> str:
        return "–" if pace is None else self.tr.number(pace, 1, sign=True)

    def population(self, population: int | None) -> str:
        return self.number(population, 0) if population else "–"

    # ---------------------------------------------------------------- values, statuses and levels

    def raw(self, value: Any) -> str:
        if value is None:
            return "–"
        if isinstance(value, bool):
            return self.tr("indicator.yes") if value else self.tr("indicator.critical_no")
        return self.number(value)

    def status(self, status: str) -> str:
        return self.tr(f"status.{status}") if f"status.{status}" in self.tr.labels else status

    def value(self, ir: IndicatorResult | None) -> str:
        """An indicator's value, or its status when it has none; "–" without a result."""
        return "–" if ir is None else self.raw(ir.raw) if ir.status == "value" else self.status(ir.status)

    def level_label(self, level: str) -> str:
        return self.loc(self.levels[level].label)

    def colour(self, level: str | None) -> str:
        return self.levels[level].colour if level else MISSING_COLOUR

    def gate_name(self, gate: str) -> str:
        return self.tr(f"gate.{gate}")

    def blocking(self, b: Blocking) -> str:
        if b.steps is None:
            return self.tr("dashboard.parts", below=b.below, total=b.parts)
        if not b.other:
            return str(b.blockers)
        return self.tr(
            "dashboard.blockers",
            blocking=self.tr.count("dashboard.blocking", b.blockers),
            other=self.tr.count("dashboard.other_steps", b.other),
        )

    def when(self, w: When) -> str:
        """The handover timeline's word on a region."""
        if w.kind == "since":
            return self.tr("projection.timeline_since", round=self.loc(w.since.label))  # type: ignore[union-attr]
        if w.kind == "now":
            return self.tr("projection.timeline_now")
        if w.kind == "projected":
            return self.tr("projection.timeline_projected", date=self.tr.date(w.date), rounds=w.rounds)
        if w.kind == "gates":
            return self.tr("projection.timeline_gates")
        if w.kind == "not-converging":
            return self.tr("projection.timeline_not_converging")
        return self.tr("projection.timeline_unknown")

    # ---------------------------------------------------------------- gates, steps and projections

    def gate(self, g: GateEffect) -> Safe:
        """Why a gate bit, in this language (the explainer's sentence)."""
        return self.explainer.gate(g)

    def step(self, s: HandoverStep) -> Safe:
        return self.explainer.step(s)

    def projection(self, r: RegionRound) -> Safe:
        return self.explainer.projection(r)

    # ---------------------------------------------------------------- indicators

    def unit(self, ind: Indicator) -> str:
        return self.loc(ind.unit_label) or self.tr(f"units.{ind.unit}")

    def scoring(self, rule: ScoringRule) -> Safe:
        """What the indicator's normalisation method says of itself, in this language."""
        values = {name: self._described(value) for name, value in rule.params.items()}
        if rule.key not in self.tr.labels:  # a method added outside the tool brings its own words
            label = rule.labels.get(self.lang) or rule.labels.get("en") or rule.method
            return Safe(label).format(**values)  # the method's own words (code, not a team's text)
        return self.t(rule.key, **values)

    def _described(self, value: Any) -> Any:
        """A value of a method's description as the page writes it: numbers in the language's way, texts
        escaped, a list of pairs as `value → score` (numbers) or `level descriptor` (a text), one after the
        other."""
        if isinstance(value, list):
            pairs = [(self._described(a), self._described(b)) for a, b in value]
            textual = any(isinstance(b, Safe) for _, b in pairs)
            return Safe(self.tr.sep("; ") if textual else ", ").join(
                Safe("{} {}").format(a, b) if textual else Safe("{} → {}").format(a, b) for a, b in pairs
            )
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            return self.number(value)
        return self.md(value)

    def evidence_rule(self, rule: EvidenceRule) -> Safe:
        kinds = ", ".join(self.loc(name) for name in rule.source_types) or self.tr("indicator.any_source")
        return self.t("indicator.evidence_rule", kinds=kinds, days=rule.max_age_days)

    def factor(self, factor: str) -> str:
        """What the Monte Carlo varied, in words."""
        for prefix, key in (
            ("weight of pillar ", "methodology.weight_of_pillar"),
            ("values of pillar ", "methodology.values_of_pillar"),
            ("weight of ", "methodology.weight_of"),
            ("value of ", "methodology.value_of"),
        ):
            if factor.startswith(prefix):
                return self.tr(key, id=factor[len(prefix) :])
        return factor

    # ---------------------------------------------------------------- the handover register (the explainer's words)

    def primacy(self, primacy: str) -> Safe:
        """Who holds primary responsibility, in words ("host-state primacy"): the catalogue's label."""
        return Safe(self.explainer.primacy(primacy))

    def functions(self, state: Any) -> Safe:
        """Primacy in one phrase: the common primacy, or each function's."""
        phrase = self.explainer.functions(state)
        return phrase if isinstance(phrase, Safe) else Safe(phrase)  # one primacy: the catalogue's label

    def function_name(self, function_id: str) -> Safe:
        return self.explainer.function_name(function_id)

    def body_name(self, body_id: str | None) -> Safe:
        return self.explainer.body_name(body_id) if body_id else Safe("–")

    def decision(self, decision: Decision) -> Safe:
        return self.explainer.decision(decision)

    def decision_kind(self, kind: str) -> Safe:
        return self.t(f"handover.kind.{kind}")

    def scope(self, decision: Decision) -> Safe:
        """The functions a decision covers, or the whole region."""
        if not decision.functions:
            return self.t("handover.whole")
        return Safe(", ").join(self.function_name(f) for f in decision.functions)

    def position(self, party: str, position: str, reason: str = "", by: str = "") -> Safe:
        """A party's position on a decision, with its reason and who spoke for it."""
        return self.explainer.decision_position(party, position, reason, by)

    def stance(self, position: str, reason: str = "", resolution: str = "") -> Safe:
        """A position in a sign-off table (the party has its own column), with its reason and resolution."""
        words = self.t(f"handover.position.{position}")
        text = self.t("region.stance_reason", position=words, reason=self.md(reason)) if reason else words
        if resolution:
            text = self.t("region.stance_resolution", text=text, resolution=self.md(resolution))
        return text

    def sign_off_step(self, step: str) -> Safe:
        return self.t(f"region.step.{step}")

    def condition(self, item: dict[str, Any]) -> Safe:
        return self.explainer.condition(item)

    def risk(self, item: dict[str, Any]) -> Safe:
        return self.explainer.risk(item)

    def trigger(self, decision: Decision, index: int) -> Safe:
        return self.explainer.trigger(decision, index)

    def against(self, item: dict[str, Any]) -> Safe:
        return self.explainer.against(item)

    def against_brief(self, item: dict[str, Any] | None) -> Safe:
        """Whether a decision went against its assessment, in a register's cell (no rationale)."""
        return Safe("–") if item is None else self.explainer.against_brief(item)

    def deadline_summary(self, missing: int, total: int, day: Any) -> Safe:
        return self.explainer.deadline_summary(missing, total, day)

    def deadline(self, item: dict[str, Any]) -> Safe:
        return self.explainer.deadline(item)

    def footprint(self, footprint: Footprint | dict[str, int]) -> Safe:
        counts = footprint if isinstance(footprint, dict) else footprint.model_dump()
        return self.explainer.footprint(counts)

    def strength(self, footprint: dict[str, int] | None) -> str:
        """A footprint in a table's cell: officers · formed units · co-location teams."""
        if footprint is None:
            return "–"
        return " · ".join(
            self.number(footprint[k], 0) for k in ("individual_officers", "formed_units", "colocation_teams")
        )

    def share(self, share: float | None) -> str:
        return "–" if share is None else self.percent(share)
