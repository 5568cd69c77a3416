"""The transition paragraph of the Secretary-General's report, in the editorial style of UN reports, for a reporting
period: the decisions since the previous report, who holds primary responsibility as at the cut-off (districts
apart from units and national institutions, each named), what was decided since the cut-off, the levels that moved
since the assessment the previous report rested on, the UN police footprint and strength, women in the police and
in its command posts, and each mandate deadline in three groups (handed over, on track, at risk).

Every figure is read from the situation model (`readiness.situation`): nothing is counted here. The reports
calendar (`handover/reports.yaml`) says which report the paragraph is for, and so which round it compares with:
the last one whose cut-off is on or before the previous report's (the figures that report could state), not
simply the previous round. Style: dates "30 September 2026" / "1er octobre 2026"; "per cent" / "pour cent";
one to nine in words and no sentence opening with a figure; level names in running text, never as proper nouns
("was assessed ready for handover", "could not be assessed"); projections as a quarter or "not before" a year.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from ..explain import Explainer
from ..i18n import Translator, french
from ..model import CouncilResolution, Decision, Report, Round
from ..report import View
from ..situation import AnswerCount, DeadlineStanding, IndicatorSpread, Situation, Standing, UNPolice
from .word import _clean, _plain, _save, new_document

#: The groups the paragraph counts apart, as UNMIT reported them ("10 of 13 districts and six units"): districts,
#: and units with the national institutions.
DISTRICTS = ("territorial",)
UNITS = ("functional", "national")
#: A projection further out than this many days from the cut-off is said as "not before <year>", never as a day.
QUARTER_HORIZON = 2 * 365


@dataclass(frozen=True)
class ReportPeriod:
    """The report the paragraph is written for, the one before it, and the round the paragraph compares with."""

    report: Report | None
    """The report whose period holds the round's cut-off (None without a reports calendar, or past its end)."""
    previous: Report | None
    """The report before it: "Since my report of 15 June 2026 (S/2026/415)"."""
    compared: Round | None
    """The last round whose cut-off is on or before the previous report's (without one, the previous round)."""
    until: date | None
    """The last day the paragraph reports decisions to: the report's cut-off [None: every decision known]."""


def report_period(view: View) -> ReportPeriod:
    """Which report the latest round's paragraph is for, and what it compares with (see the module's docstring)."""
    cut = view.latest.date
    reports = sorted(view.project.reports, key=lambda r: (r.end, r.id))
    report = next((r for r in reports if r.start <= cut <= r.end), None)
    if report is not None:
        at = reports.index(report)
        previous = reports[at - 1] if at > 0 else None
    else:
        previous = next((r for r in reversed(reports) if r.information_to < cut), None)
    earlier = [r for r in view.rounds[:-1] if not r.collecting]
    if previous is not None:
        before = [r for r in earlier if r.date <= previous.information_to]
        compared = before[-1] if before else None
    else:
        compared = earlier[-1] if earlier else None
    return ReportPeriod(report, previous, compared, report.information_to if report is not None else None)


@dataclass(frozen=True)
class TransitionFacts:
    """The facts of the paragraph, each read from the view's situation (so a test can hold each sentence to it)."""

    round: Round
    period: ReportPeriod
    answers: dict[str, AnswerCount]
    """host, transition and un-joint, as at the cut-off."""
    decisions: list[Decision]
    """Decisions that took effect in the period: after the previous report's cut-off (else the previous round's),
    by the round's."""
    since: list[Decision]
    """Decisions that take effect after the cut-off, by the report's cut-off, in order."""
    changes: list[tuple[Standing, str]]
    """Districts and units whose level moved since the round compared with, with their level then."""
    first_assessed: list[Standing]
    """Assessed now, not in the round compared with."""
    at_risk: list[Standing]
    """Handed over and at risk as at the cut-off, not taken back since."""
    deadlines: list[DeadlineStanding]
    un_police: UNPolice
    women: IndicatorSpread | None
    women_then: IndicatorSpread | None
    """The same indicator in the round compared with."""
    women_in_command: IndicatorSpread | None = None
    """Women among the host police's command posts (`host_police.women_in_command`)."""
    women_in_command_then: IndicatorSpread | None = None
    """The same indicator in the round compared with."""

    @property
    def previous(self) -> Round | None:
        return self.period.compared

    @property
    def host(self) -> int:
        return self.answers["host"].regions

    @property
    def transition(self) -> int:
        return self.answers["transition"].regions

    @property
    def un_joint(self) -> int:
        return self.answers["un-joint"].regions

    @property
    def total(self) -> int:
        return self.host + self.transition + self.un_joint

    @property
    def host_share(self) -> float | None:
        return self.answers["host"].share


def transition_facts(view: View) -> TransitionFacts:
    situation = view.situation
    period = report_period(view)
    start = period.previous.information_to if period.previous is not None else None
    then: Situation | None = None
    if period.compared is not None:
        then = Situation(view.project, view.results, period.compared.id, regions=view.regions)
    return TransitionFacts(
        situation.round,
        period,
        {a.answer: a for a in situation.answers()},
        [d.decision for _, d in situation.period(start)],
        [d.decision for _, d in situation.since(period.until)],
        situation.changes_since(period.compared.id) if period.compared is not None else [],
        situation.first_assessed_since(period.compared.id) if period.compared is not None else [],
        situation.at_risk(),
        situation.deadlines(),
        situation.un_police(),
        situation.women(),
        then.women() if then is not None else None,
        situation.women_in_command(),
        then.women_in_command() if then is not None else None,
    )


def has_paragraph(view: View) -> bool:
    """Whether the project keeps a handover register (decisions or a mandate calendar) to report on."""
    return bool(view.project.decisions) or view.project.mandate is not None


def plain_explainer(view: View, lang: str) -> Explainer:
    """The explainer in plain text (documents are not Markdown)."""
    return Explainer(view.project, lang, markup=False)


class _Named(str):
    """A name handed to a catalogue entry whose French article and prepositions are those of another name: the
    abbreviation of the host police takes the article of its full name ("la PNL", "à la PNL")."""

    model: str

    def __new__(cls, text: str, model: str | None = None) -> _Named:
        made = super().__new__(cls, text)
        made.model = model if model is not None else text
        return made

    def __format__(self, spec: str) -> str:
        if spec in ("le", "de", "à"):
            full = french.SPECS[spec](self.model)
            return full[: len(full) - len(self.model)] + str(self)
        return format(str(self), spec)


class _List(str):
    """Names in a list ("Dabori, Marun and Port Adra"), each with its article in French ("le District de la
    capitale Kessa et Marun"); a catalogue entry's `{names:de}` or `{names:à}` gives each its preposition ("de
    Dabori et de l'Unité de police maritime")."""

    items: list[str]
    joiner: Callable[[list[str]], str]
    french: bool

    def __new__(cls, items: list[str], joiner: Callable[[list[str]], str], in_french: bool) -> _List:
        made = super().__new__(cls, joiner([french.article(i) for i in items] if in_french else items))
        made.items, made.joiner, made.french = items, joiner, in_french
        return made

    def __format__(self, spec: str) -> str:
        if self.french and spec in ("le", "de", "à"):
            return self.joiner([french.SPECS[spec](i) for i in self.items])
        return format(str(self), spec)


_VOWEL = re.compile(r"[aeiouyàâäéèêëîïôöùûüœæ]", re.IGNORECASE)


class _Writer:
    """The paragraph's sentences in one language, from the facts."""

    def __init__(self, view: View, lang: str, facts: TransitionFacts) -> None:
        self.view, self.lang, self.facts = view, lang, facts
        self.tr = Translator(lang)
        self.ex = Explainer(view.project, lang, markup=False)
        self.fr = lang.startswith("fr")
        self.named_police = False
        self.insufficient = (
            view.framework.gates.evidence.insufficient_level if view.framework.gates.evidence is not None else None
        )

    # ---------------------------------------------------------------- words

    def t(self, key: str, **params: Any) -> str:
        return self.tr(f"paragraph.{key}", **params)

    def n(self, count: int, gender: str = "m") -> str:
        """A count as UN reports write it: one to nine in words, 10 and above in figures."""
        return self.tr.cardinal(count, feminine=gender == "f")

    def c(self, key: str, count: int, gender: str = "m", **params: Any) -> str:
        """A counting entry (`.zero`, `.one`, `.other`), its `{number}` the count in words or figures."""
        return self.tr.count(f"paragraph.{key}", count, number=self.n(count, gender), **params)

    def gender(self, group: str) -> str:
        return self.t(f"gender.{group}")

    def date(self, value: date | str | None) -> str:
        return self.tr.long_date(value)

    def percent(self, value: Decimal | float, digits: int | None = None) -> str:
        return self.t("per_cent", value=self.tr.number(value, digits))

    def level(self, level_id: str) -> str:
        return french.lower_first(self.ex.level(level_id))

    def police(self) -> str:
        """The host State's police: in full with its abbreviation the first time, then by the abbreviation."""
        host = self.view.framework.host_police
        if host is None:
            return _Named(self.t("host_state_police"))
        full = self.t("police_full", name=self.ex.loc(host.name), abbreviation=self.ex.loc(host.abbreviation))
        if not self.named_police:
            self.named_police = True
            return _Named(full)
        return _Named(self.t("police_short", abbreviation=self.ex.loc(host.abbreviation)), full)

    def body(self, body_id: str | None) -> str:
        return _plain(self.ex.body_name(body_id)) if body_id else self.t("the_body")

    def resolution(self, council: CouncilResolution) -> str:
        params = {
            "number": council.resolution,
            "year": council.adopted.year,
            "date": self.date(council.adopted),
            "paragraph": council.paragraph,
        }
        return self.t("resolution_paragraph" if council.paragraph else "resolution", **params)

    def name(self, standing: Standing | str) -> _List:
        """A district's or unit's name in running text: English gives units and national institutions "the";
        French gives every name its article, and its preposition where the entry asks (`{names:de}`)."""
        region = standing.region if isinstance(standing, Standing) else self.view.project.regions[standing]
        shown = _plain(self.ex.region_name(region.id))
        if not self.fr and region.kind != "territorial":
            shown = self.t("the", name=shown)
        return _List([shown], self.join, self.fr)

    def names(self, standings: list[Standing]) -> _List:
        """Names in a list: districts first, then units and national institutions, each in alphabetical order."""
        ordered = sorted(
            standings, key=lambda s: (s.region.kind != "territorial", _plain(self.ex.region_name(s.id)).casefold())
        )
        return _List([self.name(s).items[0] for s in ordered], self.join, self.fr)

    def join(self, items: list[str]) -> str:
        """Items of a list: "a, b and c" (no serial comma, as UN English writes)."""
        if len(items) <= 1:
            return "".join(items)
        return f"{', '.join(items[:-1])} {self.t('and')} {items[-1]}"

    def clauses(self, items: list[str]) -> str:
        """Clauses that hold commas of their own: "a; b; and c"."""
        if len(items) <= 1:
            return "".join(items)
        sep = self.tr.sep("; ")
        return sep.join(items[:-1]) + sep + f"{self.t('and')} " + items[-1]

    # ---------------------------------------------------------------- the sentences

    def sentences(self) -> list[str]:
        facts = self.facts
        out = [*self.decisions(facts.decisions, since=False)]
        out += self.primacy()
        out += self.decisions(facts.since, since=True)
        out += self.changes()
        if facts.at_risk:
            out.append(self.c("at_risk", len(facts.at_risk), names=self.names(facts.at_risk)))
        out += self.un_police()
        out += self.women("women", self.facts.women, self.facts.women_then)
        out += self.women("women_in_command", self.facts.women_in_command, self.facts.women_in_command_then)
        for deadline in facts.deadlines:
            out += self.deadline(deadline)
        return [_sentence(s) for s in out if s]

    def opening(self) -> str | None:
        """ "Since my report of 15 June 2026 (S/2026/415)", or since the assessment compared with."""
        previous, compared = self.facts.period.previous, self.facts.period.compared
        if previous is not None:
            if previous.symbol:
                return self.t("since_report", date=self.date(previous.dated), symbol=previous.symbol)
            return self.t("since_report_unnumbered", date=self.date(previous.dated))
        if compared is not None:
            return self.t("since_round", date=self.date(compared.date))
        return None

    def decisions(self, found: list[Decision], *, since: bool) -> list[str]:
        """One sentence per body: its decisions by the day taken, each with its scope, effect and reference."""
        opening = None if since else self.opening()
        if not found:
            return [self.t("no_decision", opening=opening)] if opening is not None else []
        bodies: dict[str | None, list[Decision]] = {}
        for d in found:
            bodies.setdefault(d.body, []).append(d)
        out = []
        for i, (body, decisions) in enumerate(bodies.items()):
            days: dict[date, list[str]] = {}
            for d in decisions:
                days.setdefault(d.decided, []).append(self.clause(d))
            groups = [
                self.t("on_date", date=self.date(day), clauses=self.join(items)) for day, items in sorted(days.items())
            ]
            items = self.clauses(groups) if len(groups) > 2 else f" {self.t('and')}, ".join(groups)
            if since:
                key = "subsequently"
            elif i == 0 and opening is not None:
                key = "decided_since"
            else:
                key = "decided"
            out.append(self.t(key, opening=opening, body=_Named(self.body(body)), items=items))
        return out

    def clause(self, d: Decision) -> str:
        """What one decision decided, its effect and reference: "to hand over Marun to the LNP with effect from 1
        August 2026 (JTC/2026/05)"."""
        names = [french.lower_first(_plain(self.ex.function_name(f))) for f in d.functions]
        if self.fr:
            names = [("d'" if _VOWEL.match(n) else "de ") + n for n in names]
        scope = self.c("functions", len(names), names=self.join(names)) if names else ""
        scope_of = self.c("functions_of", len(names), names=self.join(names)) if names else ""
        after = d.primacy_after
        if d.kind == "deferral":
            kind = "defer"
        elif after == "host":
            kind = "hand_over"
        else:
            kind = "return" if d.kind == "reversion" else "place"
        effective = self.t("effective", date=self.date(d.effective_date)) if d.effective_date != d.decided else ""
        return self.t(
            f"{kind}_{'functions' if names else 'whole'}",
            region=self.name(d.region),
            scope=scope,
            scope_of=scope_of,
            police=self.police() if kind == "hand_over" else "",
            responsibility=self.t(f"under.{after}") if after in ("joint", "un") else "",
            effective=effective,
            reference=self.ex.text(d.reference),
        )

    def kinds(self, kinds: tuple[str, ...]) -> tuple[str, int]:
        """The group's name in the catalogue (a kind, or `units` for units and national institutions together)
        and how many of it the round assessed (the situation's count)."""
        counted = self.view.situation.kinds()
        present = [k for k in kinds if counted.get(k)]
        return (present[0] if len(present) == 1 else "units"), sum(counted.get(k, 0) for k in kinds)

    def group(self, answer: AnswerCount, kinds: tuple[str, ...]) -> str:
        """Those of one answer in one group: "two of the 11 districts (Kessa Capital District and Marun)", "all
        five units and national institutions", or the one unit by name."""
        group, total = self.kinds(kinds)
        count = sum(answer.by_kind(list(kinds)).values())
        standings = [s for s in answer.standings if s.region.kind in kinds]
        if total == 1:
            return self.name(standings[0])
        gender = self.gender(group)
        key = "all" if count == total else "of"
        noun = self.c(f"group.{group}", total, gender)
        shown = self.t(key, number=self.n(count, gender), total=self.n(total, gender), group=noun)
        return shown + (f" ({self.names(standings)})" if count < total else "")

    def rest(self, answer: AnswerCount, kinds: tuple[str, ...]) -> str:
        """Those of one answer in one group that the sentence before did not name: "the other seven districts",
        "the five units and national institutions", or the one unit by name."""
        group, total = self.kinds(kinds)
        count = sum(answer.by_kind(list(kinds)).values())
        if total == 1:
            return self.name([s for s in answer.standings if s.region.kind in kinds][0])
        gender = self.gender(group)
        noun = self.c(f"group.{group}", count, gender)
        return self.c("the_all" if count == total else "the_other", count, gender, group=noun)

    def primacy(self) -> list[str]:
        """Who held primary responsibility as at the cut-off: the districts apart from the units and national
        institutions, each named; where it was divided by function; what remained joint or with the UN."""
        facts = self.facts
        host = facts.answers["host"]
        parts = [self.group(host, kinds) for kinds in (DISTRICTS, UNITS) if sum(host.by_kind(list(kinds)).values())]
        police = self.police()
        if not parts:
            first = self.c("primacy_none", facts.total, date=self.date(facts.round.date), police=police)
        else:
            share = host.share if host.population else None
            first = self.t(
                "primacy",
                date=self.date(facts.round.date),
                police=police,
                where=self.join(parts),
                share=self.t("home_to", share=self.percent(share * 100, 0)) if share else "",
            )
        rest = []
        divided = facts.answers["transition"]
        if divided.regions:
            rest.append(self.t("divided", names=self.names(divided.standings)))
        others = facts.answers["un-joint"]
        if others.regions:
            groups = [
                self.rest(others, kinds) for kinds in (DISTRICTS, UNITS) if sum(others.by_kind(list(kinds)).values())
            ]
            primacies = {s.primacy for s in others.standings}
            under = self.t(f"under.{primacies.pop()}") if len(primacies) == 1 else self.t("under.either")
            rest.append(self.c("remained", others.regions, names=self.join(groups), responsibility=under))
        if len(rest) == 2:
            return [first, self.t("divided_while", divided=rest[0], remained=rest[1])]
        return [first, *(f"{r}." for r in rest)]

    def changes(self) -> list[str]:
        """The levels that moved since the round compared with: rises, then falls, then those that could not be
        assessed, each with the level before; then those assessed for the first time."""
        facts = self.facts
        compared = facts.period.compared
        if compared is None:
            return []
        rank = self.view.project.level_rank
        grouped: dict[tuple[str, str, str], list[Standing]] = {}
        for s, before in facts.changes:
            if s.level == self.insufficient:
                kind = "unassessed"
            else:
                kind = "rose" if rank[s.level] > rank[before] else "fell"
            grouped.setdefault((kind, s.level, before), []).append(s)
        order = {"rose": 0, "fell": 1, "unassessed": 2}
        items = [
            self.c(kind, len(found), names=self.names(found), after=self.level(after), before=self.level(before))
            for (kind, after, before), found in sorted(
                grouped.items(), key=lambda kv: (order[kv[0][0]], -rank[kv[0][1]], kv[0][2])
            )
        ]
        against = "compared_report" if facts.period.previous is not None else "compared"
        out = [
            self.t(against, date=self.date(compared.date), items=self.clauses(items))
            if items
            else self.t(f"{against}_none", date=self.date(compared.date))
        ]
        if facts.first_assessed:
            out.append(self.c("first_assessed", len(facts.first_assessed), names=self.names(facts.first_assessed)))
        return out

    def footprint(self, officers: int, units: int, teams: int) -> str:
        parts = [
            self.c(key, count, self.gender(key))
            for key, count in (("officers", officers), ("formed_units", units), ("teams", teams))
            if count
        ]
        return self.join(parts)

    def un_police(self) -> list[str]:
        """What the decisions in effect keep of the UN police where primacy was handed over, and the strength of
        the drawdown phase of the cut-off."""
        u = self.facts.un_police
        out = []
        if u.standings and (u.officers or u.formed_units or u.colocation_teams):
            out.append(
                self.t(
                    "un_police",
                    footprint=self.footprint(u.officers, u.formed_units, u.colocation_teams),
                    names=self.names(u.standings),
                    police=self.police(),
                )
            )
        if u.monitoring:
            out.append(self.c("monitoring", len(u.monitoring), names=self.names(u.monitoring)))
        if u.phase is not None:
            strength = u.phase.strength
            footprint = self.footprint(strength.individual_officers, strength.formed_units, strength.colocation_teams)
            if strength.women and strength.individual_officers:
                footprint = self.t(
                    "with_women",
                    footprint=footprint,
                    women=self.n(strength.women, "f"),
                    share=self.percent(Decimal(100 * strength.women) / strength.individual_officers, 0),
                )
            out.append(
                self.t(
                    "strength",
                    start=self.date(u.phase.start),
                    end=self.date(u.phase.end),
                    by=self.t("endorsed", resolution=self.resolution(u.phase.council)) if u.phase.council else "",
                    footprint=footprint,
                )
            )
            if u.short and u.required is not None:
                need = u.required
                out.append(
                    self.t(
                        "strength_short",
                        footprint=self.footprint(
                            need["individual_officers"], need["formed_units"], need["colocation_teams"]
                        ),
                    )
                )
        return out

    def value(self, indicator: str, value: Decimal) -> str:
        found = self.view.project.indicators[indicator]
        if found.unit == "percent":
            return self.percent(value)
        label = self.ex.loc(found.unit_label)
        return f"{self.tr.number(value)}\u00a0{label}" if label else self.tr.number(value)

    def women(self, key: str, spread: IndicatorSpread | None, then: IndicatorSpread | None) -> list[str]:
        """Women in the police (`women`) or in its command posts (`women_in_command`), from the indicator the
        framework names (`host_police.women`, `host_police.women_in_command`), its spread now and then."""
        if spread is None or spread.lowest is None or spread.highest is None:
            return []
        ind = spread.indicator
        (low_at, low), (high_at, high) = spread.lowest, spread.highest
        target = (
            self.t("target", value=self.value(ind, spread.targets[0]))
            if len(spread.targets) == 1
            else self.t("targets")
        )
        compared = self.facts.period.compared
        earlier = ""
        if then is not None and then.values and compared is not None:
            earlier = self.t(
                "women_then",
                number=self.n(len(then.reached)),
                total=self.n(len(then.values)),
                date=self.date(compared.date),
            )
        return [
            self.t(
                key,
                indicator=french.lower_first(_plain(self.ex.indicator_name(ind))),
                low=self.value(ind, low),
                low_at=self.name(low_at),
                high=self.value(ind, high),
                high_at=self.name(high_at),
                met=self.c("women_met", len(spread.reached), total=self.n(len(spread.values)), target=target),
                then=earlier,
            )
        ]

    def projected(self, s: Standing) -> tuple[str, str]:
        """The group a region at risk falls in, and the phrase of its projection: a quarter, or "not before" a
        year; never a day years out."""
        deadline = s.deadline or {}
        status = deadline.get("status")
        projected = deadline.get("projected_date")
        if status == "late" and projected:
            day = date.fromisoformat(projected)
            if (day - self.facts.round.date).days <= QUARTER_HORIZON:
                quarter = self.t("quarter", ordinal=self.t(f"ordinal.{(day.month - 1) // 3 + 1}"), year=day.year)
                return "late_quarter", quarter
            return "late_after", str(day.year)
        if status in ("held-back", "off-track"):
            return status, ""
        return "unknown", ""

    def deadline(self, d: DeadlineStanding) -> list[str]:
        """A deadline in three groups: handed over, on track, at risk (each named), then why each at risk is."""
        if not d.total:
            return []
        deadline = d.deadline
        by = (
            self.t("set_in", resolution=self.resolution(deadline.council))
            if deadline.council is not None
            else self.t("set_by", by=self.ex.text(deadline.set_by))
        )
        groups = []
        for key, found in (("handed_over", d.handed_over), ("on_track", d.on_track)):
            if found:
                groups.append(self.c(key, len(found), names=self.names(found)))
        if d.at_risk:
            groups.append(self.c("at_risk_deadline", len(d.at_risk)))
        first = self.t(
            "deadline",
            total=self.n(d.total),
            date=self.date(deadline.date),
            by=by,
            groups=self.clauses(groups) if len(groups) > 2 else f" {self.t('and')} ".join(groups),
        )
        why: dict[tuple[str, str], list[Standing]] = {}
        for s in d.at_risk:
            why.setdefault(self.projected(s), []).append(s)
        order = ["held-back", "off-track", "late_quarter", "late_after", "unknown"]
        reasons = [
            self.c(f"why.{key}", len(found), names=self.names(found), when=when)
            for (key, when), found in sorted(why.items(), key=lambda kv: (order.index(kv[0][0]), kv[0][1]))
        ]
        return [first, self.t("reasons", items=self.clauses(reasons))] if reasons else [first]


def _sentence(text: str) -> str:
    """A sentence opens with a capital ("The Maritime Police Unit", "L'Unité…") and has single spaces."""
    text = re.sub(r"  +", " ", text).strip()
    return text[:1].upper() + text[1:] if text[:1].islower() else text


def transition_paragraph(view: View, lang: str) -> list[str]:
    """The transition paragraph of the Secretary-General's report as sentences (the drafting office edits it as
    any text), in the register and style of UN reports (see the module's docstring)."""
    return _Writer(view, lang, transition_facts(view)).sentences()


def report_line(view: View, lang: str) -> str | None:
    """What the paragraph is for, under its title: the report, its period, the day it is due and the cut-off of
    the figures."""
    period = report_period(view)
    if period.report is None:
        return None
    tr = Translator(lang)
    r = period.report
    return tr(
        "paragraph.for_report",
        due=tr.long_date(r.due),
        start=tr.long_date(r.start),
        end=tr.long_date(r.end),
        date=tr.long_date(view.latest.date),
        symbol=f" ({r.symbol})" if r.symbol else "",
    )


def write_paragraph_docx(view: View, lang: str, path: Path | IO[bytes]) -> Path | IO[bytes]:
    tr = Translator(lang)
    ex = Explainer(view.project, lang, markup=False)
    title = _clean(tr("paragraph.title", round=ex.text(view.latest.label)))
    document = new_document(view, lang, title, ex.text(view.framework.name))
    document.add_heading(title, level=1)
    line = report_line(view, lang)
    if line:
        note = document.add_paragraph()
        note.add_run(_clean(line)).italic = True
    document.add_paragraph(_clean(" ".join(transition_paragraph(view, lang))))
    return _save(document, path, view, lang)
