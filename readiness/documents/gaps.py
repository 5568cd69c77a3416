"""The costed gap list: for each district and unit below the handover level as at the round's cut-off, what
would close each gap, with its quantity, cost, funding and timing, as a donor and a mission's budget office read
it.

- Gaps that inputs close: each critical indicator below the handover level, with the inputs the assessment gives
  for it (else the indicator's own). An input `per: short` is needed for each unit the region is short of the
  target (a radio set for each station without a link): the quantity is worked out from the observation's
  `denominator` and the value, never taken as 1. A gap with no input is "not costed yet".
- Performance gaps, apart: an indicator marked `performance` (a violation rate, incidents handled without help)
  is not bought; with no input it is listed apart, never as "not costed".
- Handover conditions: the open conditions of the decisions in force as at the cut-off, with their inputs.
- Other blockers: what holds a district or unit back that no input closes (evidence, a sign-off withheld, two
  rounds in a row), from the situation's blockers (`View.situation`), in the explainer's words.

Each input says where its funding stands (unfunded, pledged, committed, disbursed), whether it is one-off or
recurrent (a year), who implements it, its gender marker, its lead time and when it is needed by (its own date,
else the region's deadline, else a condition's due date): counted from the cut-off, an input whose lead time ends
after that date is late. The coverage is said first ("7 of 41 gaps costed"), in Word, Excel and on the site
alike."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ..explain import Explainer
from ..i18n import Translator
from ..model import Condition, Decision, DueDiligence, GapInput, Indicator, Region
from ..register import diligence
from ..report import View
from ..scoring.results import IndicatorResult
from .annex import direction_words, gap_text
from .word import _cells, _clean, _save, _table, finish_sheet, finish_workbook, new_document

if TYPE_CHECKING:
    from ..situation import Standing


# ---------------------------------------------------------------- what the list holds


@dataclass(frozen=True)
class Costed:
    """An input as the gap list costs it: the quantity worked out (for an input `per: short`), its cost, and
    when it is needed by."""

    given: GapInput
    quantity: Decimal | None
    """None when the input is `per: short` and the shortfall is not known (no denominator)."""
    needed_by: date | None
    """The input's own date, else the region's deadline (a condition's due date)."""
    deadline: date | None
    """The deadline of the region it closes a gap in, if any."""
    late: bool
    """Counted from the cut-off, its lead time ends after the date it is needed by."""
    order_by: date | None
    """The last day to start it (order it) for it to arrive by the date it is needed by."""
    diligence: DueDiligence | None = None
    """For a UN- or donor-funded input: the mission's human rights due diligence record of the district or unit
    it supports, as at the cut-off (`register.diligence`); None for the Government's own inputs, or where there
    is none yet."""

    @property
    def supported(self) -> bool:
        """Funded by the UN or a donor: support the due diligence policy governs."""
        return self.given.owner in ("mission", "donor")

    @property
    def held(self) -> bool:
        """UN or donor support the due diligence record suspends for that district or unit."""
        return self.supported and self.diligence is not None and self.diligence.support == "suspended"

    @property
    def item(self) -> Any:
        return self.given.item

    @property
    def unit_cost(self) -> Decimal:
        return self.given.unit_cost

    @property
    def owner(self) -> str:
        return self.given.owner

    @property
    def source(self) -> str:
        return self.given.source

    @property
    def lead_time_days(self) -> int | None:
        return self.given.lead_time_days

    @property
    def cost(self) -> Decimal | None:
        return None if self.quantity is None else self.quantity * self.given.unit_cost


@dataclass(frozen=True)
class GapLine:
    region: Region
    indicator: IndicatorResult
    inputs: list[Costed]
    """The assessment's inputs for this indicator, else the indicator's own, costed."""
    scenarios: list[str]
    """Scenarios that change this indicator in this region (they model what the inputs would do)."""
    short: int | None = None
    """How many units the region is short of the target (stations without a link), where it can be counted."""
    denominator: int | None = None
    """What the percentage is of (the region's stations and posts), as the observation gives it."""

    @property
    def costed(self) -> bool:
        """Every input of the gap has a known cost (and there is one)."""
        return bool(self.inputs) and all(i.cost is not None for i in self.inputs)


@dataclass(frozen=True)
class ConditionLine:
    """An open handover condition of a decision in force as at the cut-off, with what meeting it would cost."""

    region: Region
    decision: Decision
    index: int
    condition: Condition
    status: str
    due: date | None
    overdue: bool
    inputs: list[Costed]
    since: bool = False
    """Its decision takes effect after the cut-off."""

    @property
    def costed(self) -> bool:
        return bool(self.inputs) and all(i.cost is not None for i in self.inputs)


@dataclass(frozen=True)
class OtherBlocker:
    """What holds a district or unit back that no input closes: a gate that is not an indicator's (evidence, a
    sign-off, two rounds in a row), as the situation names it, with the explainer's sentence."""

    region: Region
    gate: str
    text: str


def _below(view: View) -> list[Standing]:
    """The districts and units below the handover level as at the cut-off (the situation's), by name."""
    return sorted(view.situation.below_handover(), key=lambda s: str(s.region.name))


def _deadline(s: Standing) -> date | None:
    day = (s.deadline or {}).get("date")
    return date.fromisoformat(day) if isinstance(day, str) and day else None


def shortfall(ir: IndicatorResult, ind: Indicator, denominator: int | None) -> int | None:
    """How many units the region is short of the target: stations without a link for a percentage of stations
    (with its denominator), the missing count for a count. None when it cannot be counted."""
    if ir.raw is None or isinstance(ir.raw, bool) or ir.target is None:
        return None
    value, target = Decimal(ir.raw), Decimal(ir.target)
    higher = ind.direction == "higher"
    if ind.unit == "percent":
        if not denominator:
            return None
        have = (value * denominator / 100).to_integral_value(ROUND_HALF_UP)
        need = target * denominator / 100
        if higher:
            return max(int(need.to_integral_value(ROUND_CEILING) - have), 0)
        return max(int(have - need.to_integral_value(ROUND_FLOOR)), 0)
    if ind.unit in ("count", "number"):
        gap = (target - value) if higher else (value - target)
        return max(int(gap.to_integral_value(ROUND_CEILING)), 0)
    return None


def _cost(
    view: View, given: GapInput, short: int | None, needed: date | None, deadline: date | None, region: str
) -> Costed:
    quantity: Decimal | None = given.quantity
    if given.per == "short":
        quantity = None if short is None else given.quantity * short
    needed_by = given.needed_by or needed
    cut_off = view.situation.day
    order_by = late = None
    if needed_by is not None and given.lead_time_days is not None:
        order_by = needed_by - timedelta(days=given.lead_time_days)
        late = order_by < cut_off
    record = diligence(view.project, region, cut_off) if given.owner in ("mission", "donor") else None
    return Costed(given, quantity, needed_by, deadline, bool(late), order_by, record)


def gap_list(view: View) -> list[GapLine]:
    """Per district and unit below the handover level as at the cut-off: each critical indicator below the
    handover level that inputs would close, with those inputs costed and the scenarios that model them. A
    performance indicator with no input is not here (`performance_gaps`)."""
    return [line for line in _lines(view) if not _performance_only(view, line)]


def performance_gaps(view: View) -> list[GapLine]:
    """The performance gaps, listed apart: critical indicators below the handover level that measure what the
    police do (`performance: true`), with no input given, since no purchase closes them."""
    return [line for line in _lines(view) if _performance_only(view, line)]


def _performance_only(view: View, line: GapLine) -> bool:
    ind = view.indicators.get(line.indicator.indicator)
    return ind is not None and ind.performance and not line.inputs


def _lines(view: View) -> list[GapLine]:
    order = view.project.level_rank
    need = order[view.framework.handover_level]
    latest = view.latest
    lines = []
    for s in _below(view):
        assessment = view.assessment(latest.id, s.id)
        deadline = _deadline(s)
        for ind_id, ir in sorted(s.result.indicators.items()):
            if not ir.critical or ir.status != "value" or ir.level is None or order[ir.level] >= need:
                continue
            ind = view.indicators[ind_id]
            obs = assessment.observations.get(ind_id) if assessment else None
            given = list(obs.inputs) if obs is not None and obs.inputs else list(ind.inputs)
            denominator = obs.denominator if obs is not None and obs.denominator else None
            if denominator is None and ind.denominator:
                denominator = s.region.counts.get(ind.denominator)
            short = shortfall(ir, ind, denominator)
            scenarios = [
                name
                for name, scenario in sorted(view.project.scenarios.items())
                if any(c.region == s.id and c.indicator == ind_id for c in scenario.changes)
            ]
            inputs = [_cost(view, g, short, deadline, deadline, s.id) for g in given]
            lines.append(GapLine(s.region, ir, inputs, scenarios, short, denominator))
    return lines


def condition_lines(view: View) -> list[ConditionLine]:
    """The conditions still open (or not met) at the round: those of the decisions in force as at the cut-off
    (the situation's), then those of the decisions taking effect since, each with its inputs costed (needed by
    its due date)."""
    situation = view.situation
    out = []
    for s in sorted(situation.ordered, key=lambda s: str(s.region.name)):
        deadline = _deadline(s)
        for c in s.conditions:
            if c.status not in ("open", "not-met"):
                continue
            condition = c.decision.conditions[c.index]
            inputs = [_cost(view, g, None, c.due or deadline, deadline, s.id) for g in condition.inputs]
            out.append(ConditionLine(s.region, c.decision, c.index, condition, c.status, c.due, c.overdue, inputs))
        for d in s.since:
            for index, condition in enumerate(d.decision.conditions):
                said = condition.status.get(situation.round.id)
                status = said.state if said is not None else "open"
                if status not in ("open", "not-met"):
                    continue
                overdue = condition.due is not None and condition.due < situation.day
                inputs = [_cost(view, g, None, condition.due or deadline, deadline, s.id) for g in condition.inputs]
                line = ConditionLine(
                    s.region, d.decision, index, condition, status, condition.due, overdue, inputs, True
                )
                out.append(line)
    return out


#: Gates whose blockers are indicators (the gap list's own lines): the others are listed as other blockers.
_INDICATOR_GATES = ("critical_floor", "prerequisites", "score")


def other_blockers(view: View, lang: str) -> list[OtherBlocker]:
    """What holds each district or unit below the handover level that no input closes, as the situation
    names its blockers: the gates that are not an indicator's, in the explainer's words."""
    ex = Explainer(view.project, lang, markup=False)
    out = []
    for s in _below(view):
        gates = {b.gate for b in s.blockers if b.gate not in _INDICATOR_GATES}
        for g in s.result.gates:
            if g.gate in gates:
                gates.discard(g.gate)
                out.append(OtherBlocker(s.region, g.gate, _clean(ex.gate(g))))
    return out


def gap_totals(lines: list[Any]) -> dict[tuple[str, str], Any]:
    """Total known cost by (owner, funding source), of gap lines and condition lines alike."""
    totals: dict[tuple[str, str], Decimal] = {}
    for line in lines:
        for i in line.inputs:
            if i.cost is not None:
                key = (i.owner, i.source or "")
                totals[key] = totals.get(key, Decimal(0)) + i.cost
    return dict(sorted(totals.items()))


# ---------------------------------------------------------------- in words


def _money(ex: Explainer, amount: Decimal | None, currency: str) -> str:
    return "–" if amount is None else f"{ex.number(amount, 0)}\u00a0{currency}".strip()


def coverage(view: View, ex: Explainer, tr: Translator) -> list[str]:
    """The coverage of the list, said first: how many gaps inputs would close and how many are costed, the
    performance gaps listed apart, the open conditions and how many are costed, the other blockers, and the
    total by funding status, one-off and recurrent."""
    lines, performance = gap_list(view), performance_gaps(view)
    conditions, others = condition_lines(view), other_blockers(view, ex.lang)
    currency = view.framework.currency
    level = ex.level(view.framework.handover_level)
    out = [
        tr.count("gaps.coverage", len(lines), costed=sum(1 for x in lines if x.costed), level=level),
    ]
    if performance:
        out.append(tr.count("gaps.coverage_performance", len(performance)))
    if conditions:
        out.append(tr("gaps.coverage_conditions", count=len(conditions), costed=sum(1 for c in conditions if c.costed)))
    if others:
        out.append(tr("gaps.coverage_other", count=len(others)))
    sources: list[GapLine | ConditionLine] = [*lines, *conditions]
    known = [(i, i.cost) for x in sources for i in x.inputs if i.cost is not None]
    one_off = sum((cost for i, cost in known if not i.given.recurrent), Decimal(0))
    yearly = sum((cost for i, cost in known if i.given.recurrent), Decimal(0))
    out.append(tr("gaps.total", one_off=_money(ex, one_off, currency), yearly=_money(ex, yearly, currency)))
    by_status = []
    for status in ("disbursed", "committed", "pledged", "unfunded"):
        amount = sum((cost for i, cost in known if i.given.funding == status), Decimal(0))
        if amount:
            by_status.append(tr(f"gaps.by_status.{status}", amount=_money(ex, amount, currency)))
    if by_status:
        out.append(tr("gaps.funding_line", items=tr.sep("; ").join(by_status)))
    return out


def timing_rule(view: View, tr: Translator) -> str:
    return tr("gaps.timing_rule", date=tr.long_date(view.situation.day))


def funding_text(i: Costed, tr: Translator) -> str:
    """ "Donor, EU police support programme: committed", and for UN or donor support the due diligence record
    that governs it ("HRDDP: conditional, UNML/HRDDP/2026/04")."""
    who = tr(f"gaps.owner.{i.owner}") + (f", {i.source}" if i.source else "")
    text = who + tr.sep(": ") + tr(f"gaps.funding.{i.given.funding}")
    return text + tr.sep("; ") + diligence_text(i, tr) if i.supported else text


def diligence_text(i: Costed, tr: Translator) -> str:
    """The due diligence record a UN- or donor-funded input cites, or that there is none."""
    if i.diligence is None:
        return tr("gaps.diligence.none")
    return tr(f"gaps.diligence.{i.diligence.support}", reference=i.diligence.reference)


def item_text(i: Costed, line_short: int | None, ex: Explainer, tr: Translator) -> str:
    """The input in words, with what it is for each of (`per: short`), its implementing partner and its gender
    marker."""
    parts = [str(ex.text(i.item))]
    if i.given.per == "short":
        if line_short is None:
            parts.append(tr("gaps.per_short_unknown"))
        elif i.given.quantity == 1:
            parts.append(tr.count("gaps.per_short", line_short))
        else:
            parts.append(tr.count("gaps.per_short_each", line_short, each=ex.number(i.given.quantity)))
    if i.given.implementing_partner:
        parts.append(tr("gaps.partner", partner=i.given.implementing_partner))
    if i.given.gender_marker is not None:
        parts.append(tr("gaps.gender_marker", marker=tr(f"gaps.marker.{i.given.gender_marker}")))
    return tr.sep("; ").join(parts)


def cost_text(i: Costed, ex: Explainer, tr: Translator, currency: str) -> str:
    """ "19,200 USD (4 × 4,800)"; a recurrent cost "410,000 USD a year"; unknown: "not known"."""
    if i.cost is None:
        return tr("gaps.cost_unknown")
    text = _money(ex, i.cost, currency)
    if i.quantity is not None and i.quantity != 1:
        text += f" ({ex.number(i.quantity)} × {ex.number(i.unit_cost, 0)})"
    return tr("gaps.a_year", cost=text) if i.given.recurrent else text


def lead_time_text(i: Costed, tr: Translator) -> str:
    days = i.lead_time_days
    return "–" if days is None else tr.count("gaps.days", days)


def needed_by_text(i: Costed, tr: Translator) -> str:
    """ "30 June 2027 (the deadline); order by 1 April 2027"; "…; late: to be ordered by 2 July 2026, before the
    cut-off"; "31 December 2027, after the deadline of 30 June 2027"."""
    if i.needed_by is None:
        return "–"
    text = tr.long_date(i.needed_by)
    if i.deadline is not None and i.needed_by == i.deadline and i.given.needed_by is None:
        text = tr("gaps.the_deadline", date=text)
    elif i.deadline is not None and i.needed_by > i.deadline:
        text = tr("gaps.after_deadline", date=text, deadline=tr.long_date(i.deadline))
    if i.order_by is not None:
        if i.late:
            text += tr.sep("; ") + tr("gaps.late", date=tr.long_date(i.order_by))
        else:
            text += tr.sep("; ") + tr("gaps.order_by", date=tr.long_date(i.order_by))
    return text


def gap_rows(lines: list[GapLine], ex: Explainer, tr: Translator, currency: str) -> list[dict[str, str]]:
    """The gap list in words, a row per input (or one "not costed yet" row for a gap without any): as the
    Word tables and the documents page show it."""
    rows = []
    for line in lines:
        for i in _or_none(line.inputs):
            rows.append(
                {
                    "region": ex.text(line.region.name),
                    "blocker": gap_text(line.indicator, ex),
                    "item": item_text(i, line.short, ex, tr) if i else tr("gaps.not_costed"),
                    "quantity": (ex.number(i.quantity) if i.quantity is not None else tr("gaps.cost_unknown"))
                    if i
                    else "",
                    "cost": cost_text(i, ex, tr, currency) if i else "–",
                    "funding": funding_text(i, tr) if i else "–",
                    "lead_time": lead_time_text(i, tr) if i else "–",
                    "needed_by": needed_by_text(i, tr) if i else "–",
                    "scenario": ", ".join(line.scenarios) or "–",
                }
            )
    return rows


def performance_rows(view: View, ex: Explainer) -> list[dict[str, str]]:
    return [
        {"region": ex.text(line.region.name), "blocker": gap_text(line.indicator, ex)}
        for line in performance_gaps(view)
    ]


def condition_rows(view: View, ex: Explainer, tr: Translator) -> list[dict[str, str]]:
    """The open handover conditions in words, a row per input (or one "not costed yet" row)."""
    currency = view.framework.currency
    rows = []
    for c in condition_lines(view):
        due = tr.long_date(c.due) if c.due else "–"
        what = tr(
            "gaps.condition_since" if c.since else "gaps.condition",
            what=ex.prose(c.condition.what),
            decision=c.decision.reference,
            owner=ex.party_name(c.condition.owner) if c.condition.owner else "–",
            kind=tr(f"gaps.decision_kind.{c.decision.kind}"),
            date=tr.long_date(c.decision.effective_date),
        )
        status = tr(f"gaps.condition_status.{c.status}") + (" " + tr("gaps.overdue") if c.overdue else "")
        for i in _or_none(c.inputs):
            rows.append(
                {
                    "region": ex.text(c.region.name),
                    "condition": what,
                    "due": due,
                    "status": status,
                    "item": item_text(i, None, ex, tr) if i else tr("gaps.not_costed"),
                    "cost": cost_text(i, ex, tr, currency) if i else "–",
                    "funding": funding_text(i, tr) if i else "–",
                    "lead_time": lead_time_text(i, tr) if i else "–",
                    "needed_by": needed_by_text(i, tr) if i else "–",
                }
            )
    return rows


def total_rows(lines: list[Any], ex: Explainer, tr: Translator, currency: str) -> list[dict[str, str]]:
    """The totals by owner and funding source, in words, one-off and recurrent (a year) apart."""
    rows = []
    for (owner, source), cost in gap_totals(lines).items():
        inputs = [
            i for x in lines for i in x.inputs if i.cost is not None and (i.owner, i.source or "") == (owner, source)
        ]
        yearly = sum((i.cost for i in inputs if i.given.recurrent), Decimal(0))
        rows.append(
            {
                "owner": tr(f"gaps.owner.{owner}"),
                "source": source or "–",
                "cost": _money(ex, cost, currency),
                "one_off": _money(ex, cost - yearly, currency),
                "yearly": _money(ex, yearly, currency),
            }
        )
    return rows


# ---------------------------------------------------------------- Word

#: The columns of the Word table of each district's gaps (the district is the table's heading).
COLUMNS = ("blocker", "item", "quantity", "cost", "funding", "lead_time", "needed_by")
CONDITION_COLUMNS = ("region", "condition", "status", "item", "cost", "funding", "lead_time", "needed_by")
TOTAL_COLUMNS = ("owner", "source", "one_off", "yearly")


def write_gaps_docx(view: View, lang: str, path: Path | IO[bytes]) -> Path | IO[bytes]:
    """The costed gap list: the coverage and totals first; each district's and unit's gaps with their inputs;
    the performance gaps apart; the open handover conditions; the other blockers; the totals by owner and
    funding source."""
    ex = Explainer(view.project, lang, markup=False)
    tr = Translator(lang)
    lines = gap_list(view)
    conditions = condition_lines(view)
    currency = view.framework.currency
    title = _clean(tr("gaps.title", round=ex.text(view.latest.label)))
    document = new_document(view, lang, title, ex.text(view.framework.name))
    document.add_heading(title, level=1)
    document.add_paragraph(_clean(tr("gaps.intro", date=tr.long_date(view.situation.day))))
    for text in coverage(view, ex, tr):
        document.add_paragraph(_clean(text))
    document.add_paragraph(_clean(timing_rule(view, tr)))

    document.add_heading(_clean(tr("gaps.inputs_heading")), level=2)
    standings = {s.id: s for s in view.situation.ordered}
    for region in _regions_of(lines):
        s = standings[region.id]
        deadline = _deadline(s)
        heading = tr("gaps.region_heading", region=ex.text(region.name), level=ex.level(s.level))
        if deadline is not None:
            heading = tr("gaps.region_deadline", heading=heading, date=tr.long_date(deadline))
        document.add_heading(_clean(heading), level=3)
        table = _table(document, tr, "gaps.column", COLUMNS)
        for row in gap_rows([x for x in lines if x.region.id == region.id], ex, tr, currency):
            for cell, key in zip(table.add_row().cells, COLUMNS, strict=True):
                cell.text = _clean(row[key])

    performance = performance_rows(view, ex)
    if performance:
        document.add_heading(_clean(tr("gaps.performance_heading")), level=2)
        document.add_paragraph(_clean(tr("gaps.performance_intro")))
        table = _table(document, tr, "gaps.column", ("region", "blocker"))
        for row in performance:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = _clean(row["region"]), _clean(row["blocker"])

    if conditions:
        document.add_heading(_clean(tr("gaps.conditions_heading")), level=2)
        table = _table(document, tr, "gaps.column", CONDITION_COLUMNS)
        for row in condition_rows(view, ex, tr):
            for cell, key in zip(table.add_row().cells, CONDITION_COLUMNS, strict=True):
                cell.text = (
                    _clean(row["condition"] + tr.sep("; ") + tr("gaps.due", date=row["due"]))
                    if key == "condition"
                    else _clean(row[key])
                )

    others = other_blockers(view, lang)
    if others:
        document.add_heading(_clean(tr("gaps.other_heading")), level=2)
        table = _table(document, tr, "gaps.column", ("region", "gate", "why"))
        for o in others:
            cells = table.add_row().cells
            cells[0].text = _clean(ex.text(o.region.name))
            cells[1].text = _clean(tr(f"gate.{o.gate}"))
            cells[2].text = _clean(o.text)

    document.add_heading(_clean(tr("gaps.totals")), level=2)
    totals = _table(document, tr, "gaps.column", TOTAL_COLUMNS)
    for row in total_rows([*lines, *conditions], ex, tr, currency):
        for cell, key in zip(totals.add_row().cells, TOTAL_COLUMNS, strict=True):
            cell.text = _clean(row[key])
    return _save(document, path, view, lang)


def _or_none(inputs: list[Costed]) -> list[Costed | None]:
    """The inputs of a gap, or one None for a gap not costed yet (its row says so)."""
    return [*inputs] if inputs else [None]


def _regions_of(lines: list[GapLine]) -> list[Region]:
    seen: dict[str, Region] = {}
    for line in lines:
        seen.setdefault(line.region.id, line.region)
    return list(seen.values())


# ---------------------------------------------------------------- Excel

XLSX = (
    "region",
    "indicator",
    "value",
    "direction",
    "target",
    "denominator",
    "short",
    "item",
    "per_short",
    "quantity",
    "unit_cost",
    "cost",
    "recurrence",
    "owner",
    "source",
    "funding",
    "partner",
    "gender_marker",
    "lead_time_days",
    "needed_by",
    "deadline",
    "order_by",
    "late",
    "scenarios",
    "due_diligence",
)


def _input_cells(i: Costed | None, tr: Translator, ex: Explainer) -> list[Any]:
    """An input's cells, from the item to the last day to order it (the gap's own cells come before)."""
    if i is None:
        return [tr("gaps.not_costed")] + [None] * 15
    return [
        ex.text(i.item),
        tr("gaps.yes") if i.given.per == "short" else None,
        float(i.quantity) if i.quantity is not None else None,
        float(i.unit_cost),
        float(i.cost) if i.cost is not None else None,
        tr("gaps.recurrence.recurrent" if i.given.recurrent else "gaps.recurrence.one_off"),
        tr(f"gaps.owner.{i.owner}"),
        i.source or None,
        tr(f"gaps.funding.{i.given.funding}"),
        i.given.implementing_partner or None,
        i.given.gender_marker,
        i.lead_time_days,
        i.needed_by,
        i.deadline,
        i.order_by,
        (tr("gaps.yes") if i.late else tr("gaps.no")) if i.order_by is not None else None,
    ]


def write_gaps_xlsx(view: View, lang: str, path: Path | IO[bytes]) -> Path | IO[bytes]:
    """The gap list as a workbook: a row per input of each gap (or one for a gap not costed yet), with every
    column a budget office filters on; the performance gaps, the open conditions, the other blockers and the
    totals on sheets of their own."""
    from openpyxl import Workbook

    ex = Explainer(view.project, lang, markup=False)
    tr = Translator(lang)
    currency = view.framework.currency
    money = f'#,##0 "{currency}"' if currency else "#,##0"
    dates = "d mmmm yyyy"
    book = Workbook()
    sheet = book.create_sheet(_clean(tr("gaps.sheet"))[:31], 0)
    book.remove(book.worksheets[1])
    sheet.append([_clean(tr(f"gaps.xlsx.{key}")) for key in XLSX])
    lines = gap_list(view)
    for line in lines:
        ir = line.indicator
        head = [
            ex.text(line.region.name),
            f"{ir.indicator} {ex.indicator_name(ir.indicator)}",
            _number(ir.raw),
            direction_words(ir.indicator, ex),
            _number(ir.target),
            line.denominator,
            line.short,
        ]
        for i in _or_none(line.inputs):
            diligent = diligence_text(i, tr) if i is not None and i.supported else None
            sheet.append(_cells([*head, *_input_cells(i, tr, ex), ", ".join(line.scenarios) or None, diligent]))
    _text_columns(sheet, ("A", "B", "D", "H", "I", "M", "N", "O", "P", "Q", "W", "X", "Y"))
    finish_sheet(
        sheet,
        view,
        lang,
        numbers={
            "C": "#,##0.0##",
            "E": "#,##0.0##",
            "F": "0",
            "G": "0",
            "J": "#,##0.##",
            "K": money,
            "L": money,
            "S": "0",
        },
    )
    _date_columns(sheet, ("T", "U", "V"), dates)

    performance = book.create_sheet(_clean(tr("gaps.performance_sheet"))[:31])
    performance.append(
        [_clean(tr(f"gaps.xlsx.{key}")) for key in ("region", "indicator", "value", "direction", "target")]
    )
    for line in performance_gaps(view):
        ir = line.indicator
        performance.append(
            _cells(
                [
                    ex.text(line.region.name),
                    f"{ir.indicator} {ex.indicator_name(ir.indicator)}",
                    _number(ir.raw),
                    direction_words(ir.indicator, ex),
                    _number(ir.target),
                ]
            )
        )
    finish_sheet(performance, view, lang, numbers={"C": "#,##0.0##", "E": "#,##0.0##"})

    conditions = condition_lines(view)
    sheet_c = book.create_sheet(_clean(tr("gaps.conditions_sheet"))[:31])
    keys_c = ("region", "condition", "decision", "condition_owner", "due", "status")
    sheet_c.append([_clean(tr(f"gaps.xlsx.{key}")) for key in keys_c + XLSX[7 : XLSX.index("scenarios")]])
    for c in conditions:
        head = [
            ex.text(c.region.name),
            ex.text(c.condition.what),
            c.decision.reference,
            ex.party_name(c.condition.owner) if c.condition.owner else None,
            c.due,
            tr(f"gaps.condition_status.{c.status}"),
        ]
        for i in _or_none(c.inputs):
            sheet_c.append(_cells([*head, *_input_cells(i, tr, ex)]))
    finish_sheet(sheet_c, view, lang, numbers={"I": "#,##0.##", "J": money, "K": money, "R": "0"})
    _date_columns(sheet_c, ("E", "S", "T", "U"), dates)

    others = book.create_sheet(_clean(tr("gaps.other_sheet"))[:31])
    others.append([_clean(tr(f"gaps.xlsx.{key}")) for key in ("region", "gate", "why")])
    for o in other_blockers(view, lang):
        others.append(_cells([ex.text(o.region.name), tr(f"gate.{o.gate}"), o.text]))
    finish_sheet(others, view, lang)

    totals = book.create_sheet(_clean(tr("gaps.totals_sheet"))[:31])
    totals.append([_clean(tr(f"gaps.xlsx.{key}")) for key in ("owner", "source", "one_off", "yearly", "cost")])
    all_lines: list[Any] = [*lines, *conditions]
    for (owner, source), cost in gap_totals(all_lines).items():
        yearly = sum(
            (
                i.cost
                for x in all_lines
                for i in x.inputs
                if i.cost is not None and i.given.recurrent and (i.owner, i.source or "") == (owner, source)
            ),
            Decimal(0),
        )
        totals.append(
            _cells([tr(f"gaps.owner.{owner}"), source or None, float(cost - yearly), float(yearly), float(cost)])
        )
    finish_sheet(totals, view, lang, numbers={"C": money, "D": money, "E": money})

    finish_workbook(
        book, view, lang, _clean(tr("gaps.title", round=ex.text(view.latest.label))), ex.text(view.framework.name)
    )
    return _save(book, path, view, lang)


def _number(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    return float(value)


def _text_columns(sheet: Any, columns: tuple[str, ...]) -> None:
    for column in columns:
        for cell in sheet[column]:
            if cell.value is not None:
                cell.data_type = "s"


def _date_columns(sheet: Any, columns: tuple[str, ...], number_format: str) -> None:
    for column in columns:
        for cell in sheet[column][1:]:
            if isinstance(cell.value, date):
                cell.number_format = number_format
