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

from .i18n import Translator, named, written_in
from .model import CONDITIONS_CLOSED, Decision, Indicator, LocalText
from .project import Project
from .safety import Safe, escape_markdown
from .scoring.gates import GATES
from .scoring.results import FunctionLevel, GateEffect, HandoverState, HandoverStep, IndicatorResult, RegionRound

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
        self.order = project.level_rank
        self.digits = self.fw.rounding.digits
        self.parties = {p.id: p.name for p in self.fw.parties}

    # ---------------------------------------------------------------- words and values

    def loc(self, text: Any) -> str:
        """A text of the project in the explanation's language (or the one it is written in), with that
        language's spacing when it is the explanation's."""
        shown = text.get(self.lang) if isinstance(text, LocalText) else ("" if text is None else str(text))
        if shown and written_in(text, self.lang, self.fw.written_in) == self.lang:
            return self.tr.prose(shown)
        return shown

    def text(self, value: Any) -> Any:
        """A text from the project (a name, a reason), escaped for a page, as it is for the terminal."""
        return escape_markdown(self.loc(value)) if self.markup else self.loc(value)

    def prose(self, value: Any) -> Any:
        """A team's sentence (a reason, a rationale, a condition): as `text`, and on a page, when it is not in the
        page's language, marked with the language it is in (a screen reader reads it so; readers see it as not
        translated)."""
        shown = self.text(value)
        if not self.markup or not shown:
            return shown
        lang = written_in(value, self.lang, self.fw.written_in)
        if lang == self.lang:
            return shown
        return Safe(f'<span lang="{lang}">') + shown + Safe("</span>")

    def t(self, key: str, **params: Any) -> Any:
        """A catalogue sentence with its values: values escaped for a page; emphasis dropped for the terminal."""
        if self.markup:
            return Safe(self.tr(key)).format(**named(params)) if params else Safe(self.tr(key))
        text = self.tr(key).format(**named(params)) if params else self.tr(key)
        return _EMPHASIS.sub(lambda m: m.group(1) or m.group(2), text)

    def marking(self, name: str) -> Any:
        """A marking label (`restricted_label`, `internal_notice`): the framework's, or the catalogue's words."""
        marking = self.fw.marking
        return self.text(getattr(marking, name)) if marking.given(name) else self.tr(f"marking.{name}")

    def join(self, separator: str, items: list[Any]) -> Any:
        separator = self.tr.sep(separator)
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

    def indicator_ref(self, ind_id: str) -> Any:
        """An indicator as leadership reads it: its name, its code after it (in small type on a page)."""
        name = self.indicator_name(ind_id)
        if self.markup:
            return Safe('{} <small class="rd-code">{}</small>').format(name, ind_id)
        return f"{name} ({ind_id})"

    def indicator_list(self, ids: list[str]) -> Any:
        """Indicators named one after the other (prerequisites, what a value waits on)."""
        return self.join(", ", [self.indicator_ref(i) for i in ids])

    def region_name(self, region_id: str) -> Any:
        region = self.project.regions.get(region_id)
        return self.text(region.name) if region is not None else region_id

    def party_name(self, party_id: str) -> Any:
        return self.text(self.parties[party_id]) if party_id in self.parties else party_id

    # ---------------------------------------------------------------- what results carry

    def gate(self, g: GateEffect) -> Any:
        """Why a gate bit, from its numbers: the gate says it (`Gate.reason`, scoring/gates/), or its name."""
        gate = GATES.get(g.gate)
        said = gate.reason(g, self) if gate is not None else None
        return said if said is not None else self.gate_name(g.gate)

    def gate_name(self, key: str) -> str:
        """A gate's name in the catalogue (`gate.<key>`), or its key for a gate this version does not know."""
        return self.t(f"gate.{key}") if f"gate.{key}" in self.tr.labels else key

    def shared(self, ind_id: str, names: bool = True) -> list[Any]:
        """The partners an indicator is shared with, by name (or id); none: the police's own."""
        ind = self.project.indicators.get(ind_id)
        if ind is None or not ind.shared_with:
            return []
        if not names:
            return list(ind.shared_with)
        known = {p.id: p.name for p in self.fw.partners}
        return [self.text(known[p]) if p in known else p for p in ind.shared_with]

    def step(self, s: HandoverStep) -> Any:
        """One step of the path to handover."""
        t, d = self.t, s.detail
        if s.kind in ("raise", "lower"):
            ind = self.project.indicators.get(s.subject)
            target = bool(s.target) if ind is not None and ind.unit == "yes-no" and s.target is not None else s.target
            text = t(
                f"step.{s.kind}",
                id=s.subject,
                name=self.indicator_name(s.subject),
                indicator=self.indicator_ref(s.subject),
                current=self.raw(s.current),
                target=self.raw(target),
            )
            if d.get("because_of"):
                text = self.join("; ", [text, t("step.because_of", by=self.indicator_list(d["because_of"]))])
            partners = self.shared(s.subject)
            if partners:
                text = self.join("; ", [text, t("step.shared", partners=", ".join(str(p) for p in partners))])
            return text
        if s.kind == "at_risk":
            return t(
                "step.at_risk",
                id=s.subject,
                name=self.indicator_name(s.subject),
                indicator=self.indicator_ref(s.subject),
                by=self.indicator_list(d["because_of"]),
            )
        if s.kind == "collect":
            text = t("step.collect", id=s.subject, indicator=self.indicator_ref(s.subject))
            if d.get("reason"):
                text = self.join("; ", [text, t("step.last_reason", reason=self.prose(d["reason"]))])
            return text
        if s.kind == "capped":
            return t(
                "step.capped", id=s.subject, indicator=self.indicator_ref(s.subject), by=self.indicator_list(d["by"])
            )
        if s.kind == "sources":
            return t(
                "step.sources",
                id=s.subject,
                indicator=self.indicator_ref(s.subject),
                has=", ".join(d["has"]) or self.tr("step.none_current"),
                count=d["count"],
            )
        if s.kind == "sign_off":
            text = t("step.sign_off", party=self.party_name(s.subject))
            if d.get("position"):
                text = self.join("; ", [text, self.position(s.subject, d)])
            return text
        return s.kind

    def projection(self, r: RegionRound) -> Any:
        """When the region would reach the handover score at its recent pace, if anything can be said."""
        p = r.projection or {}
        status = p.get("status")
        if status == "converging":
            text = self.t(
                "projection.converging",
                pace=self.tr.number(p["pace"], 1, sign=True),
                rounds=p["rounds_needed"],
                date=self.tr.date(p["projected_date"]),
            )
            if p.get("paced_by"):
                ind = p["paced_by"]
                text = self.join(" ", [text, self.t("projection.paced_by", id=ind, indicator=self.indicator_ref(ind))])
            return text
        if status == "not converging":
            if p.get("held_by"):
                ind = p["held_by"]
                return self.t("projection.held_by", id=ind, indicator=self.indicator_ref(ind))
            return self.t("projection.not_converging", pace=self.tr.number(p["pace"], 1, sign=True))
        if status == "score-reached":
            return self.t("projection.score_reached")
        return Safe("") if self.markup else ""

    # ---------------------------------------------------------------- the handover register

    def body_name(self, body_id: str) -> Any:
        body = next((b for b in self.fw.bodies if b.id == body_id), None)
        return self.text(body.name) if body is not None else body_id

    def function_name(self, function_id: str) -> Any:
        function = next((f for f in self.fw.functions if f.id == function_id), None)
        return self.text(function.name) if function is not None else function_id

    def primacy(self, primacy: str) -> str:
        return self.tr(f"handover.primacy.{primacy}")

    def position(self, party: str, stated: dict[str, Any]) -> Any:
        """A party's position (on a sign-off or a decision) with its reason and what would resolve it."""
        t = self.t
        words = self.tr(f"handover.position.{stated['position']}")
        if not stated.get("reason"):
            return t("handover.position_item", party=self.party_name(party), position=words)
        text = t(
            "handover.position_reason",
            party=self.party_name(party),
            position=words,
            reason=self.prose(stated["reason"]),
        )
        if stated.get("resolution"):
            text = self.join("; ", [text, t("handover.resolution", resolution=self.prose(stated["resolution"]))])
        return text

    def functions(self, state: Any) -> Any:
        """Primacy in one phrase: the common primacy, or each function's (of anything with `primacy` and
        `functions`: a standing of the situation, a round's handover state)."""
        if state.primacy != "mixed" or not state.functions:
            return self.primacy(state.primacy)
        return self.join(
            "; ",
            [
                self.t("handover.function_item", function=self.function_name(f), primacy=self.primacy(p))
                for f, p in state.functions.items()
            ],
        )

    def decision(self, decision: Decision) -> Any:
        """What a decision decided, by whom, when and on which assessment."""
        t = self.t
        scope = (
            self.tr("handover.whole")
            if not decision.functions
            else self.join(", ", [self.function_name(f) for f in decision.functions])
        )
        rnd = self.project.rounds.get(decision.relied_on)
        text = t(
            "handover.decision",
            kind=self.tr(f"handover.kind.{decision.kind}"),
            scope=scope,
            body=self.body_name(decision.body) if decision.body else "–",
            date=self.tr.date(decision.decided),
            reference=self.text(decision.reference),
            round=self.loc(rnd.label) if rnd is not None else decision.relied_on,
        )
        if decision.effective is not None and decision.effective != decision.decided:
            text = self.join(", ", [text, t("handover.decision_effective", date=self.tr.date(decision.effective))])
        return text

    def decision_ref(self, decision: Decision) -> Any:
        """A decision as leadership names it: the body's decision of a date, with its reference."""
        return self.t(
            "handover.decision_ref",
            body=self.body_name(decision.body) if decision.body else self.tr("handover.joint_body"),
            date=self.tr.date(decision.decided),
            reference=self.text(decision.reference),
        )

    def since_item(self, decision: Decision) -> Any:
        """A decision that took effect after the cut-off: what it did, where, by which decision and when."""
        return self.t(
            f"handover.since.{decision.kind}",
            region=self.region_name(decision.region),
            scope=self.scope(decision),
            decision=self.decision_ref(decision),
            date=self.tr.date(decision.effective_date),
        )

    def since_brief(self, decision: Decision) -> Any:
        """A decision since the cut-off, beside its own district's name: what, from when, which reference."""
        return self.t(
            f"handover.since_brief.{decision.kind}",
            date=self.tr.date(decision.effective_date),
            reference=self.text(decision.reference),
        )

    def reverted(self, reversion: Decision, since: bool) -> Any:
        """A district or unit taken back: by which decision, from when, and who holds primacy now."""
        return self.t(
            "handover.reverted_since" if since else "handover.reverted_on",
            decision=self.decision_ref(reversion),
            date=self.tr.date(reversion.effective_date),
            primacy=self.primacy(reversion.primacy_after or "joint"),
        )

    def superseded(self, by: Decision) -> Any:
        """A decision whose every function a later one took: by which, and from when."""
        return self.t(
            "handover.superseded",
            kind=self.tr(f"handover.kind.{by.kind}").lower(),
            decision=self.decision_ref(by),
            date=self.tr.date(by.effective_date),
        )

    def scope(self, decision: Decision) -> Any:
        """The functions a decision covers, or the whole region."""
        if not decision.functions:
            return self.tr("handover.whole")
        return self.join(", ", [self.function_name(f) for f in decision.functions])

    def condition(self, item: dict[str, Any]) -> Any:
        """One condition of a decision in force, with where it stood at the round."""
        decision = self.project.decisions.get(item["decision"])
        if decision is None or item["index"] >= len(decision.conditions):
            return item["decision"]
        condition = decision.conditions[item["index"]]
        text = self.t(
            "handover.condition",
            what=self.prose(condition.what),
            owner=self.party_name(condition.owner) if condition.owner else "–",
            date=self.tr.date(item["due"]) if item["due"] else "–",
            status=self.condition_status(item),
        )
        return self.join(", ", [text, self.t("handover.overdue")]) if item["overdue"] else text

    def condition_status(self, item: dict[str, Any]) -> Any:
        """A condition's state at a round, with the evidence of it when it is met or waived: the reference, who
        verified (or waived) it and when; "no evidence recorded" when the register gives none."""
        status = self.tr(f"handover.condition_status.{item['status']}")
        if item["status"] not in CONDITIONS_CLOSED:
            return status
        reference, day = item.get("reference", ""), item.get("date")
        if item["status"] == "met" and item.get("verified_by"):
            names = [self.party_name(p) for p in item["verified_by"]]
            by = (
                names[0]
                if len(names) == 1
                else self.t("handover.and", first=self.join(", ", names[:-1]), last=names[-1])
            )
            evidence = self.t("handover.condition_verified", parties=by)
        elif item["status"] == "waived" and item.get("waived_by"):
            evidence = self.t("handover.condition_waived", by=self.body_or_party(item["waived_by"]))
        else:
            evidence = None
        parts = [p for p in (self.text(reference) if reference else None, evidence) if p]
        if day:
            parts.append(self.tr.date(day))
        if not parts:
            return self.t("handover.condition_evidenced", status=status, evidence=self.t("handover.no_evidence"))
        return self.t("handover.condition_evidenced", status=status, evidence=self.join("; ", parts))

    def body_or_party(self, named: str) -> Any:
        """A joint body of the framework, or a party, by its name."""
        body = next((b for b in self.fw.bodies if b.id == named), None)
        return self.text(body.name) if body is not None else self.party_name(named)

    def risk(self, item: dict[str, Any]) -> Any:
        """Why a region is at risk after handover."""
        if item["kind"] == "fell":
            return self.t(
                "handover.at_risk_fell",
                decision=item["decision"],
                **{"from": self.level(item["from"])},
                to=self.level(item["to"]),
            )
        decision = self.project.decisions.get(item["decision"])
        if item.get("level_below") is None:  # a text trigger the team recorded tripped
            known = decision is not None and item["trigger"] < len(decision.triggers)
            said = decision.triggers[item["trigger"]].text if decision is not None and known else ""
            return self.t("handover.at_risk_trigger", decision=item["decision"], subject=self.prose(said) or "–")
        subject = (
            self.t(
                "handover.trigger_indicator",
                id=item["indicator"],
                indicator=self.indicator_ref(item["indicator"]),
                level=self.level(item["level_below"]),
            )
            if item.get("indicator")
            else self.t(
                "handover.trigger_region",
                region=self.region_name(decision.region) if decision else "–",
                level=self.level(item["level_below"]),
            )
        )
        return self.t("handover.at_risk_trigger", decision=item["decision"], subject=subject)

    def trigger(self, decision: Decision, index: int) -> Any:
        """A reversion trigger as agreed: its text, or what the tool checks."""
        trigger = decision.triggers[index]
        checked = None
        if trigger.level_below is not None:
            checked = (
                self.t(
                    "handover.trigger_indicator",
                    id=trigger.indicator,
                    indicator=self.indicator_ref(trigger.indicator),
                    level=self.level(trigger.level_below),
                )
                if trigger.indicator
                else self.t(
                    "handover.trigger_region",
                    region=self.region_name(decision.region),
                    level=self.level(trigger.level_below),
                )
            )
        said = self.prose(trigger.text) if self.loc(trigger.text) else None
        parts = [p for p in (said, checked) if p]
        return self.join(" – ", parts) if parts else "–"

    # ---------------------------------------------------------------- values, targets and triggers in words

    def quantity(self, ind_id: str, value: Any) -> Any:
        """A value of an indicator in words, with its unit: "62 per cent", "29 minutes", "3 violations per 1,000
        officers per year", "yes"."""
        ind = self.project.indicators.get(ind_id)
        if value is None:
            return "–"
        if isinstance(value, bool) or (ind is not None and ind.unit == "yes-no"):
            return self.tr("certificate.quantity.said_yes" if value else "certificate.quantity.said_no")
        number = self.number(value)
        if ind is None:
            return number
        label = self.loc(ind.unit_label)
        if label and value == 0:  # "none", not "0 operations" (French counts 0 in the singular)
            return self.tr("certificate.quantity.none")
        if label:
            label = self.text(ind.unit_label)
            if self.tr.plural(value) == "one" and not str(label).startswith("%"):
                # a team writes its unit in the plural: beside 1, it is set apart ("1 (operations)")
                return self.join("", [number, " (", label, ")"]) if self.markup else f"{number} ({label})"
            glue = "\u00a0" if self.lang.startswith("fr") else ("" if str(label).startswith("%") else " ")
            return self.join("", [number, glue, label]) if self.markup else f"{number}{glue}{label}"
        key = f"certificate.quantity.{ind.unit}"
        if f"{key}.other" in self.tr.labels:
            return self.tr.count(key, value, value=number)
        return self.tr(key, value=number) if key in self.tr.labels else number

    def target_words(self, ind_id: str, target: Any) -> Any:
        """The value an indicator must reach, in words: "at least 90 per cent", "at most 3 violations per 1,000
        officers per year", "yes" for a yes/no."""
        ind = self.project.indicators.get(ind_id)
        if target is None:
            return "–"
        if ind is None:
            return self.number(target)
        if ind.unit == "yes-no":
            return self.quantity(ind_id, (ind.direction == "higher") == bool(target))
        if ind.direction == "lower" and target == 0:
            return self.quantity(ind_id, target)
        key = "certificate.at_least" if ind.direction == "higher" else "certificate.at_most"
        return self.t(key, value=self.quantity(ind_id, target))

    def cut_off(self, ind_id: str, region_id: str, level: str) -> Any:
        """The value an indicator needs in a region to reach a level (its tier's and threat's thresholds, as
        scoring reads them), or None when the level has no cut-off there."""
        from .scoring.normalise import thresholds_for

        ind = self.project.indicators.get(ind_id)
        region = self.project.regions.get(region_id)
        if ind is None or region is None:
            return None
        tier = region.tier
        gate = self.fw.gates.tier_thresholds
        if gate is not None and not gate.enabled:
            tier = gate.fallback_tier
        return thresholds_for(ind, tier, region.threat)[1].get(level)

    def region_kind(self, region_id: str) -> str:
        """A district or unit named by its kind in running text, as a certificate speaks of it: "the district",
        "the unit", "the institution"."""
        region = self.project.regions.get(region_id)
        return self.tr(f"certificate.the_kind.{region.kind if region is not None else 'territorial'}")

    def trigger_words(self, decision: Decision, index: int) -> Any:
        """A reversion trigger in words, as the joint body agreed it: its own text, or what the tool checks said
        with the value it stands for ("public-order incidents handled … : below 60 per cent"), never a code."""
        trigger = decision.triggers[index]
        if self.loc(trigger.text):
            return self.prose(trigger.text)
        if trigger.level_below is None:
            return "–"
        level = self.level(trigger.level_below)
        if not trigger.indicator:
            return self.t("certificate.trigger.region", region=self.region_kind(decision.region), level=level)
        ind = self.project.indicators.get(trigger.indicator)
        name = self.indicator_name(trigger.indicator)
        cut = self.cut_off(trigger.indicator, decision.region, trigger.level_below)
        if ind is None or cut is None:
            return self.t("certificate.trigger.level", indicator=name, level=level)
        if ind.unit == "yes-no":
            return self.t(
                "certificate.trigger.is", indicator=name, value=self.quantity(ind.id, ind.direction != "higher")
            )
        key = "certificate.trigger.below" if ind.direction == "higher" else "certificate.trigger.above"
        return self.t(key, indicator=name, value=self.quantity(ind.id, cut))

    def against(self, item: dict[str, Any]) -> Any:
        """A decision taken against the assessment it relied on, with its rationale."""
        decision = self.project.decisions.get(item["decision"])
        rnd = self.project.rounds.get(decision.relied_on) if decision else None
        key = {"handover": "against_handover", "deferral": "against_held", "reversion": "against_reverted"}[
            item["kind"]
        ]
        text = self.t(f"handover.{key}", level=self.level(item["level"]), round=self.loc(rnd.label) if rnd else "–")
        if decision is not None and self.loc(decision.rationale):
            text = self.join("; ", [text, self.t("handover.rationale", rationale=self.prose(decision.rationale))])
        return text

    def deadline(self, item: dict[str, Any]) -> Any:
        """Whether the region meets the mandate deadline that applies to it."""
        status = item["status"]
        if status == "late" and item.get("projected_date"):
            return self.t(
                "handover.late_projected",
                projected=self.tr.date(item["projected_date"]),
                date=self.tr.date(item["date"]),
            )
        params: dict[str, Any] = {"date": self.tr.date(item["date"])}
        if status == "on-track":
            params["projected"] = self.tr.date(item["projected_date"])
        return self.t(f"handover.deadline.{status}", **params)

    def footprint(self, footprint: dict[str, int]) -> Any:
        return self.t(
            "handover.footprint",
            officers=self.tr.number(footprint["individual_officers"]),
            units=self.tr.number(footprint["formed_units"]),
            teams=self.tr.number(footprint["colocation_teams"]),
        )

    def handover_lines(self, state: HandoverState) -> list[Any]:
        """The handover register at a round, for the terminal: primacy, decisions, risks, conditions, deadline."""
        t = self.t
        lines: list[Any] = [t("explain.primacy", primacy=self.functions(state))]
        for item in state.at_risk:
            lines.append("  " + t("explain.at_risk", text=self.risk(item)))
        if state.reverted_by:
            lines.append("  " + t("handover.reverted", decision=state.reverted_by))
        for decision_id in state.decisions:
            decision = self.project.decisions.get(decision_id)
            if decision is not None:
                lines.append(f"  - {decision.id}: {self.decision(decision)}")
                for stated in decision.positions:
                    if stated.position != "concur":
                        detail = {"position": stated.position, "reason": stated.reason}
                        lines.append("    " + str(self.position(stated.party, detail)))
        for item in state.against:
            lines.append(f"  {item['decision']}: {self.against(item)}")
        for item in state.conditions:
            lines.append(f"    {self.condition(item)}")
        if state.deadline is not None:
            lines.append("  " + t("explain.deadline", text=self.deadline(state.deadline)))
        if state.footprint is not None:
            lines.append("  " + t("explain.footprint", text=self.footprint(state.footprint)))
        return lines

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
                "  - "
                + t("explain.gate_line", gate=self.gate_name(g.gate), level=self.level(g.allows), reason=self.gate(g))
                for g in r.gates
            ]
        else:
            lines.append(t("explain.no_gate"))
        if r.functions:
            lines += ["", t("explain.functions")]
            lines += ["  - " + str(self.function_level(f)) for f in r.functions.values()]
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
        if r.handover is not None:
            lines += ["", *self.handover_lines(r.handover)]
        return "\n".join(str(line) for line in lines) + "\n"

    def function_level(self, f: FunctionLevel) -> Any:
        """A function's level on its own criteria, with its score and what holds it below the handover level."""
        text = self.t(
            "explain.function_line",
            function=self.function_name(f.function),
            level=self.level(f.level),
            score=self.score(f.rounded) if f.rounded is not None else "–",
            count=len(f.criteria),
        )
        held = self.function_held(f, ids=True)
        if held:
            text = self.join("; ", [text, self.t("explain.function_held", reasons=self.join("; ", held))])
        return text

    def function_held(self, f: FunctionLevel, ids: bool = False) -> list[Any]:
        """What holds a function below the handover level: each gate that does, the critical floor with its
        indicators (their codes with `ids`, else how many)."""
        need = self.order[self.fw.handover_level]
        held = []
        for g in f.gates:
            if self.order[g.allows] >= need:
                continue
            below = list(g.details.get("indicators", {})) if g.gate == "critical_floor" else []
            if not below:
                held.append(self.gate_name(g.gate))
            elif ids:
                held.append(f"{self.gate_name(g.gate)} ({', '.join(below)})")
            else:
                held.append(self.t("explain.function_critical", gate=self.gate_name(g.gate), count=len(below)))
        return held

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

    # ---------------------------------------------------------------- the handover register, summed up (site)

    def against_brief(self, item: dict[str, Any]) -> Any:
        """That a decision went against the assessment it relied on, without its rationale (a register's cell)."""
        decision = self.project.decisions.get(item["decision"])
        rnd = self.project.rounds.get(decision.relied_on) if decision else None
        return self.t("handover.against", level=self.level(item["level"]), round=self.loc(rnd.label) if rnd else "–")

    def deadline_summary(self, missing: int, total: int, day: Any) -> Any:
        """How many of the regions and units a deadline applies to are projected to miss it."""
        return self.t("handover.deadline_summary", missing=missing, total=total, date=self.tr.date(day))

    def decision_position(self, party: str, position: str, reason: str = "", by: str = "") -> Any:
        """A party's position on a decision, naming who spoke for it: "Ministry (the Director) concurs"."""
        who = self.party_name(party)
        if by:
            who = self.t("handover.party_by", party=who, by=self.text(by))
        words = self.tr(f"handover.position.{position}")
        if not reason:
            return self.t("handover.position_item", party=who, position=words)
        return self.t("handover.position_reason", party=who, position=words, reason=self.prose(reason))
