"""The documents the UN writes from the results (issue 19): for now the handover certificate of each handover
decision, as a Word document the joint body signs. Written from the same view as the site (a public view leaves
out restricted decisions and restricted evidence), in any language of the framework, with the explainer's
sentences: nothing here decides a fact.

A certificate holds the district or unit, the decision (body, reference, dates, the assessment it relied on), the
criteria at that assessment (the level and each critical indicator's value against its handover target), the
conditions with owners and due dates, the UN police posture that remains and its planned strength, the review
date and the reversion triggers, the parties' positions, and a signature block for each party of the body."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from .explain import Explainer
from .i18n import Translator, say
from .model import Decision, Region, Round
from .outputs import save_workbook
from .report import LeakGuard, View
from .scoring.results import IndicatorResult, RegionRound


@dataclass(frozen=True)
class Certificate:
    decision: Decision
    region: Region
    relied_on: Round | None
    result: RegionRound | None
    """The region at the assessment the decision relied on."""
    criteria: list[IndicatorResult]
    """Its critical indicators there, in id order."""
    superseded_by: Decision | None = None
    """The later decision that took every function it handed over (a reversion), if any: the certificate was
    signed and is kept, marked superseded."""


def certificates(view: View, round_id: str | None = None) -> list[Certificate]:
    """A certificate for each handover decision of the view (the decisions relied on `round_id`, or on any round
    of the view), in the order they were decided."""
    rounds = {r.id: r for r in view.rounds}
    out = []
    for d in sorted(view.project.decisions.values(), key=lambda d: (d.decided, d.id)):
        if d.kind != "handover" or d.region not in view.regions or d.relied_on not in rounds:
            continue
        if round_id is not None and d.relied_on != round_id:
            continue
        result = view.result(d.relied_on, d.region)
        criteria = sorted(
            (r for r in (result.indicators.values() if result else []) if r.critical and r.status == "value"),
            key=lambda r: r.indicator,
        )
        standing = view.situation.standing(d.region)
        status = next((s for s in standing.decisions if s.decision.id == d.id), None) if standing else None
        by = status.superseded_by if status is not None else None
        out.append(Certificate(d, view.regions[d.region], rounds[d.relied_on], result, criteria, by))
    return out


#: Characters XML 1.0 (and so Word and Excel) cannot hold: a team's text may carry them (a pasted escape code).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(value: Any) -> str:
    """Text as a Word or Excel file can hold it: control characters dropped."""
    return _NOT_XML.sub("", str(value))


def _cells(values: list[Any]) -> list[Any]:
    """A spreadsheet row with its texts cleaned (Excel refuses control characters)."""
    return [_clean(v) if isinstance(v, str) else v for v in values]


def _table(document: Any, tr: Translator, prefix: str, keys: tuple[str, ...]) -> Any:
    """A Word table with a header row of the labels `prefix.<key>`, in the document's house style."""
    table = document.add_table(rows=1, cols=len(keys))
    table.style = "Table Grid"
    for cell, key in zip(table.rows[0].cells, keys, strict=True):
        cell.text = _clean(tr(f"{prefix}.{key}"))
    return table


def _plain(value: Any) -> str:
    return str(value).replace("\\", "")


def _save(thing: Any, path: Path | IO[bytes], view: View, lang: str) -> Path | IO[bytes]:
    """Save a document or workbook to a file (its folder made) or a stream, its author the framework (the
    mission's assessment), never the library that wrote it."""
    author = _clean(view.framework.name.get(lang))[:255]
    if hasattr(thing, "core_properties"):
        thing.core_properties.author = author
        thing.core_properties.last_modified_by = author
    else:
        thing.properties.creator = author
        thing.properties.lastModifiedBy = author
    if isinstance(path, Path):
        save_workbook(thing, path)
    else:
        thing.save(path)
    return path


def write_docx(cert: Certificate, view: View, lang: str, path: Path | IO[bytes]) -> Path | IO[bytes]:
    """The certificate as a Word document with real headings, tables and styles (python-docx)."""
    import docx

    ex = Explainer(view.project, lang, markup=False)
    tr = Translator(lang)
    d = cert.decision
    document = docx.Document()
    document.core_properties.title = _clean(tr("certificate.title", region=ex.text(cert.region.name)))[:255]
    document.core_properties.language = lang
    if view.audience != "public":
        document.add_paragraph(_clean(ex.marking("internal_notice"))).runs[0].bold = True
    document.add_heading(_clean(tr("certificate.title", region=ex.text(cert.region.name))), level=1)
    if cert.superseded_by is not None:
        note = document.add_paragraph()
        note.add_run(_clean(tr("certificate.superseded_title")) + tr.sep(": ")).bold = True
        note.add_run(_clean(_plain(ex.superseded(cert.superseded_by)) + "."))
    document.add_paragraph(_clean(_plain(ex.decision(d)) + "."))
    if ex.text(d.rationale):
        document.add_paragraph(_clean(ex.text(d.rationale)))

    document.add_heading(_clean(tr("certificate.criteria")), level=2)
    if cert.result is not None:
        document.add_paragraph(
            _clean(
                tr(
                    "certificate.level",
                    round=ex.text(cert.relied_on.label) if cert.relied_on else d.relied_on,
                    level=ex.level(cert.result.level),
                    score=ex.number(cert.result.rounded, view.framework.rounding.digits),
                )
            )
        )
    table = _table(document, tr, "certificate.column", ("indicator", "value", "target", "level"))
    for r in cert.criteria:
        row = table.add_row().cells
        row[0].text = _clean(f"{r.indicator} {ex.indicator_name(r.indicator)}")
        row[1].text = _clean(_plain(ex.raw(r.raw)))
        row[2].text = _clean(_plain(ex.raw(r.target)) if r.target is not None else "–")
        row[3].text = _clean(ex.level(r.level) if r.level else "–")

    document.add_heading(_clean(tr("certificate.conditions")), level=2)
    if d.conditions:
        conditions = _table(document, tr, "certificate.column", ("condition", "owner", "due"))
        for c in d.conditions:
            row = conditions.add_row().cells
            row[0].text = _clean(ex.text(c.what))
            row[1].text = _clean(_plain(ex.party_name(c.owner)) if c.owner else "–")
            row[2].text = _clean(tr.date(c.due) if c.due else "–")
    else:
        document.add_paragraph(_clean(tr("certificate.no_conditions")))

    document.add_heading(_clean(tr("certificate.posture")), level=2)
    if d.posture is not None:
        document.add_paragraph(_clean(ex.text(d.posture.text)))
        if d.posture.footprint is not None:
            document.add_paragraph(_clean(_plain(ex.footprint(d.posture.footprint.model_dump()))))
    else:
        document.add_paragraph(_clean("–"))

    document.add_heading(_clean(tr("certificate.review")), level=2)
    document.add_paragraph(_clean(tr("certificate.review_date", date=tr.date(d.review)) if d.review else "–"))
    for i in range(len(d.triggers)):
        document.add_paragraph(_clean(_plain(ex.trigger(d, i))), style="List Bullet")

    document.add_heading(_clean(tr("certificate.positions")), level=2)
    for p in d.positions:
        stated = (
            {"position": p.position, "reason": ex.text(p.reason)} if ex.text(p.reason) else {"position": p.position}
        )
        document.add_paragraph(_clean(_plain(ex.position(p.party, stated))), style="List Bullet")

    document.add_heading(_clean(tr("certificate.signatures")), level=2)
    body = next((b for b in view.framework.bodies if b.id == d.body), None)
    parties = body.parties if body is not None else [p.party for p in d.positions]
    signatures = _table(document, tr, "certificate.column", ("party", "name", "signature", "date"))
    for party in parties:
        row = signatures.add_row().cells
        row[0].text = _clean(_plain(ex.party_name(party)))
    return _save(document, path, view, lang)


# ---------------------------------------------------------------- the transition paragraph


@dataclass(frozen=True)
class TransitionFacts:
    """The figures of the paragraph, read from the view's situation (so a test can hold each sentence to it)."""

    round: Round
    previous: Round | None
    host: int
    transition: int
    un_joint: int
    total: int
    host_share: float | None
    decisions: list[Decision]
    """Decisions that took effect in the period: after the previous round's cut-off, by this one's."""
    since: list[Decision]
    """Decisions that take effect after the cut-off (subsequently), in order."""
    rose: list[tuple[str, str, str]]
    fell: list[tuple[str, str, str]]
    at_risk: list[str]
    """Handed over and at risk as at the cut-off, not taken back since."""
    deadlines: list[tuple[Any, int, int]]
    """(deadline, projected to miss, applies to)."""


def transition_facts(view: View) -> TransitionFacts:
    from .pages.handover import headline

    situation = view.situation
    h = headline(view)
    changes = situation.level_changes()
    return TransitionFacts(
        situation.round,
        situation.previous,
        situation.answer("host").regions,
        situation.answer("transition").regions,
        situation.answer("un-joint").regions,
        situation.total,
        situation.answer("host").share,
        [d.decision for _, d in situation.period()],
        [d.decision for _, d in situation.since()],
        [(s.id, str(s.previous_level), s.level) for s in sorted(changes, key=lambda s: s.id) if s.level_change == "up"],
        [
            (s.id, str(s.previous_level), s.level)
            for s in sorted(changes, key=lambda s: s.id)
            if s.level_change == "down"
        ],
        [s.id for s in situation.at_risk()],
        [(s.deadline, s.missing, s.total) for s in h.deadlines if s.total],
    )


def has_paragraph(view: View) -> bool:
    """Whether the project keeps a handover register (decisions or a mandate calendar) to report on."""
    return bool(view.project.decisions) or view.project.mandate is not None


def plain_explainer(view: View, lang: str) -> Explainer:
    """The explainer in plain text (documents are not Markdown)."""
    return Explainer(view.project, lang, markup=False)


def transition_paragraph(view: View, lang: str) -> list[str]:
    """The transition paragraph of the Secretary-General's report, in the register of UN reports, as sentences
    (the drafting office edits it as any text): who holds primacy, the period's decisions, level changes, regions
    at risk after handover and deadlines at risk, with figures and dates from the results."""
    facts = transition_facts(view)
    ex = Explainer(view.project, lang, markup=False)
    tr = Translator(lang)
    out = [
        tr(
            "paragraph.primacy",
            date=tr.date(facts.round.date),
            host=tr.count("paragraph.how_many", facts.host),
            total=facts.total,
            share=tr.percent(facts.host_share) if facts.host_share is not None else "–",
            transition=tr.count("paragraph.how_many", facts.transition),
            un_joint=tr.count("paragraph.how_many", facts.un_joint),
        )
    ]
    for prefix, found in (("", facts.decisions), ("since_", facts.since)):
        for d in found:
            names = [str(ex.function_name(f)) for f in d.functions]
            scope = f" {tr('paragraph.and')} ".join(
                [", ".join(n[:1].lower() + n[1:] for n in names[:-1]), names[-1][:1].lower() + names[-1][1:]]
                if len(names) > 1
                else [n[:1].lower() + n[1:] for n in names]
            )
            out.append(
                tr(
                    f"paragraph.{prefix}{d.kind}_{'functions' if d.functions else 'whole'}",
                    date=tr.date(d.decided),
                    effective=tr.date(d.effective_date),
                    body=_plain(ex.body_name(d.body)) if d.body else "–",
                    scope=scope,
                    region=_plain(ex.region_name(d.region)),
                    reference=ex.text(d.reference),
                )
            )
    changes = [
        tr("paragraph.rose", region=_plain(ex.region_name(r)), before=ex.level(a), after=ex.level(b))
        for r, a, b in facts.rose
    ] + [
        tr("paragraph.fell", region=_plain(ex.region_name(r)), before=ex.level(a), after=ex.level(b))
        for r, a, b in facts.fell
    ]
    if facts.previous is not None:
        label = ex.text(facts.previous.label)
        out.append(
            tr("paragraph.changes", round=label, items=(tr("paragraph.sep") + " ").join(changes))
            if changes
            else tr("paragraph.no_change", round=label)
        )
    if facts.at_risk:
        out.append(tr("paragraph.at_risk", items=", ".join(_plain(ex.region_name(r)) for r in facts.at_risk)))
    for deadline, missing, total in facts.deadlines:
        if missing:
            out.append(
                tr(
                    "paragraph.deadline",
                    missing=missing,
                    total=total,
                    date=tr.date(deadline.date),
                    by=ex.text(deadline.set_by),
                )
            )
    return out


def write_paragraph_docx(view: View, lang: str, path: Path | IO[bytes]) -> Path | IO[bytes]:
    import docx

    tr = Translator(lang)
    document = docx.Document()
    document.core_properties.language = lang
    if view.audience != "public":
        document.add_paragraph(_clean(Explainer(view.project, lang, markup=False).marking("internal_notice")))
    document.add_heading(
        _clean(tr("paragraph.title", round=Explainer(view.project, lang, markup=False).text(view.latest.label))),
        level=1,
    )
    document.add_paragraph(_clean(" ".join(transition_paragraph(view, lang))))
    return _save(document, path, view, lang)


# ---------------------------------------------------------------- the benchmark annex


@dataclass(frozen=True)
class BenchmarkRegion:
    region: Region
    status: str
    """"met", "not-met" or "no-data" (none of its indicators has a value there)."""
    furthest: IndicatorResult | None
    """Of its indicators not yet at the handover level, the furthest from its target (by score)."""


@dataclass(frozen=True)
class BenchmarkRow:
    benchmark: Any
    regions: list[BenchmarkRegion]
    met: int
    assessed: int
    met_before: int | None
    """Regions that met it at the previous round (None without one)."""


def _benchmark_status(view: View, r: RegionRound, indicators: list[str]) -> tuple[str, IndicatorResult | None]:
    order = view.project.level_rank
    need = order[view.framework.handover_level]
    found = [x for i in indicators if (x := r.indicators.get(i)) is not None and x.status != "not-applicable"]
    valued = [x for x in found if x.status == "value"]
    if not valued:
        return "no-data", None
    short = [x for x in found if x.status != "value" or x.level is None or order[x.level] < need]
    if not short:
        return "met", None
    furthest = min(short, key=lambda x: (x.capped_score if x.capped_score is not None else -1.0, x.indicator))
    return "not-met", furthest


def benchmark_annex(view: View) -> list[BenchmarkRow]:
    """One row per benchmark: its status in each assessed region of the latest round, how many meet it, and how
    many did at the previous round."""
    latest, previous = view.latest, view.previous
    rows = []
    for b in view.framework.benchmarks:
        regions = []
        for rid in sorted(view.regions, key=lambda k: str(view.regions[k].name)):
            r = view.result(latest.id, rid)
            if r is None or not r.assessed:
                continue
            status, furthest = _benchmark_status(view, r, b.indicators)
            regions.append(BenchmarkRegion(view.regions[rid], status, furthest))
        before = None
        if previous is not None:
            before = sum(
                1
                for rid in view.regions
                if (r := view.result(previous.id, rid)) is not None
                and r.assessed
                and _benchmark_status(view, r, b.indicators)[0] == "met"
            )
        rows.append(
            BenchmarkRow(
                b,
                regions,
                sum(1 for x in regions if x.status == "met"),
                sum(1 for x in regions if x.status != "no-data"),
                before,
            )
        )
    return rows


def write_annex_docx(view: View, lang: str, path: Path | IO[bytes]) -> Path | IO[bytes]:
    """The annex of benchmarks: one row per benchmark (national status, change, where it is met and not, and the
    furthest gap), then one table per benchmark with every region."""
    import docx

    ex = Explainer(view.project, lang, markup=False)
    tr = Translator(lang)
    rows = benchmark_annex(view)
    document = docx.Document()
    document.core_properties.language = lang
    if view.audience != "public":
        document.add_paragraph(_clean(ex.marking("internal_notice")))
    document.add_heading(_clean(tr("annex.title", round=ex.text(view.latest.label))), level=1)
    keys = ("benchmark", "status", "change", "justification")
    table = _table(document, tr, "annex.column", keys)
    for row in rows:
        line = annex_line(row, ex, tr)
        for cell, key in zip(table.add_row().cells, keys, strict=True):
            cell.text = _clean(line[key])
    for row in rows:
        document.add_heading(_clean(ex.text(row.benchmark.name)), level=2)
        detail = _table(document, tr, "annex.column", ("region", "status", "furthest"))
        for x in row.regions:
            cells = detail.add_row().cells
            cells[0].text = _clean(ex.text(x.region.name))
            cells[1].text = _clean(tr(f"annex.region_status.{x.status}"))
            cells[2].text = _clean(_gap(x.furthest, ex) if x.furthest is not None else "–")
    return _save(document, path, view, lang)


def _gap(r: IndicatorResult, ex: Explainer) -> str:
    value = _plain(ex.raw(r.raw)) if r.raw is not None else "–"
    target = _plain(ex.raw(r.target)) if r.target is not None else "–"
    return f"{r.indicator} {ex.indicator_name(r.indicator)}{ex.tr.sep(': ')}{value} / {target}"


def annex_line(row: BenchmarkRow, ex: Explainer, tr: Translator) -> dict[str, str]:
    """A benchmark's line of the annex, in words: as the Word table and the documents page show it."""
    return {
        "benchmark": ex.text(row.benchmark.name),
        "status": tr("annex.status", met=row.met, total=row.assessed),
        "change": "–" if row.met_before is None else tr("annex.change", change=f"{row.met - row.met_before:+d}"),
        "justification": _justification(row, ex, tr),
    }


def _justification(row: BenchmarkRow, ex: Explainer, tr: Translator) -> str:
    short = [x for x in row.regions if x.status == "not-met" and x.furthest is not None]
    if not short:
        return tr("annex.all_met") if row.assessed else "–"
    worst = min(short, key=lambda x: (x.furthest.capped_score or 0.0, str(x.region.name)))  # type: ignore[union-attr]
    return tr("annex.furthest", region=ex.text(worst.region.name), gap=_gap(worst.furthest, ex))  # type: ignore[arg-type]


def write_annex_xlsx(view: View, lang: str, path: Path | IO[bytes]) -> Path | IO[bytes]:
    """The annex as a workbook: one row per benchmark and region, with the furthest gap."""
    from openpyxl import Workbook

    ex = Explainer(view.project, lang, markup=False)
    tr = Translator(lang)
    book = Workbook()
    sheet = book.create_sheet("annex", 0)
    book.remove(book.worksheets[1])
    sheet.append(["benchmark", "name", "region", "status", "indicator", "value", "target"])
    for row in benchmark_annex(view):
        for x in row.regions:
            f = x.furthest
            sheet.append(
                _cells(
                    [
                        row.benchmark.id,
                        ex.text(row.benchmark.name),
                        x.region.id,
                        tr(f"annex.region_status.{x.status}"),
                        f.indicator if f else None,
                        float(f.raw) if f is not None and f.raw is not None and not isinstance(f.raw, bool) else None,
                        float(f.target) if f is not None and f.target is not None else None,
                    ]
                )
            )
    for cell in sheet["B"] + sheet["D"]:
        cell.data_type = "s"
    return _save(book, path, view, lang)


# ---------------------------------------------------------------- the costed gap list


@dataclass(frozen=True)
class GapLine:
    region: Region
    indicator: IndicatorResult
    inputs: list[Any]
    """GapInput: the assessment's for this indicator, else the indicator's own."""
    scenarios: list[str]
    """Scenarios that change this indicator in this region (they model what the inputs would do)."""


def gap_list(view: View) -> list[GapLine]:
    """Per region below the handover level in the latest round: each blocker (a critical indicator below the
    handover level) with the inputs that would close it and the scenarios that model them."""
    order = view.project.level_rank
    need = order[view.framework.handover_level]
    latest = view.latest
    lines = []
    for rid in sorted(view.regions, key=lambda k: str(view.regions[k].name)):
        r = view.result(latest.id, rid)
        if r is None or not r.assessed or order[r.level] >= need:
            continue
        assessment = view.assessment(latest.id, rid)
        for ind_id, ir in sorted(r.indicators.items()):
            if not ir.critical or ir.status != "value" or ir.level is None or order[ir.level] >= need:
                continue
            obs = assessment.observations.get(ind_id) if assessment else None
            inputs = list(obs.inputs) if obs is not None and obs.inputs else list(view.indicators[ind_id].inputs)
            scenarios = [
                name
                for name, scenario in sorted(view.project.scenarios.items())
                if any(c.region == rid and c.indicator == ind_id for c in scenario.changes)
            ]
            lines.append(GapLine(view.regions[rid], ir, inputs, scenarios))
    return lines


def gap_totals(lines: list[GapLine]) -> dict[tuple[str, str], Any]:
    """Total cost by (owner, funding source)."""
    from decimal import Decimal

    totals: dict[tuple[str, str], Decimal] = {}
    for line in lines:
        for i in line.inputs:
            key = (i.owner, i.source or "")
            totals[key] = totals.get(key, Decimal(0)) + i.cost
    return dict(sorted(totals.items()))


def write_gaps_docx(view: View, lang: str, path: Path | IO[bytes]) -> Path | IO[bytes]:
    import docx

    ex = Explainer(view.project, lang, markup=False)
    tr = Translator(lang)
    lines = gap_list(view)
    currency = view.framework.currency
    document = docx.Document()
    document.core_properties.language = lang
    if view.audience != "public":
        document.add_paragraph(_clean(ex.marking("internal_notice")))
    document.add_heading(_clean(tr("gaps.title", round=ex.text(view.latest.label))), level=1)
    document.add_paragraph(_clean(tr("gaps.intro")))
    keys = ("region", "blocker", "item", "quantity", "cost", "owner", "scenario")
    table = _table(document, tr, "gaps.column", keys)
    for row in gap_rows(lines, ex, tr, currency):
        for cell, key in zip(table.add_row().cells, keys, strict=True):
            cell.text = _clean(row[key])
    document.add_heading(_clean(tr("gaps.totals")), level=2)
    total_keys = ("owner", "source", "cost")
    totals = _table(document, tr, "gaps.column", total_keys)
    for row in total_rows(lines, ex, tr, currency):
        for cell, key in zip(totals.add_row().cells, total_keys, strict=True):
            cell.text = _clean(row[key])
    return _save(document, path, view, lang)


def gap_rows(lines: list[GapLine], ex: Explainer, tr: Translator, currency: str) -> list[dict[str, str]]:
    """The gap list in words, a row per input (or one "not costed yet" row for a blocker without any): as the
    Word table and the documents page show it."""
    rows = []
    for line in lines:
        for i in line.inputs or [None]:
            rows.append(
                {
                    "region": ex.text(line.region.name),
                    "blocker": _gap(line.indicator, ex),
                    "item": ex.text(i.item) if i else tr("gaps.not_costed"),
                    "quantity": ex.number(i.quantity) if i else "",
                    "cost": f"{ex.number(i.cost, 0)} {currency}" if i else "–",
                    "owner": (tr(f"gaps.owner.{i.owner}") + (f" ({i.source})" if i.source else "")) if i else "–",
                    "scenario": ", ".join(line.scenarios) or "–",
                }
            )
    return rows


def total_rows(lines: list[GapLine], ex: Explainer, tr: Translator, currency: str) -> list[dict[str, str]]:
    """The totals by owner and funding source, in words."""
    return [
        {"owner": tr(f"gaps.owner.{owner}"), "source": source or "–", "cost": f"{ex.number(cost, 0)} {currency}"}
        for (owner, source), cost in gap_totals(lines).items()
    ]


def write_gaps_xlsx(view: View, lang: str, path: Path | IO[bytes]) -> Path | IO[bytes]:
    from openpyxl import Workbook

    ex = Explainer(view.project, lang, markup=False)
    book = Workbook()
    sheet = book.create_sheet("gaps", 0)
    book.remove(book.worksheets[1])
    sheet.append(
        [
            "region",
            "indicator",
            "value",
            "target",
            "item",
            "quantity",
            "unit_cost",
            "cost",
            "owner",
            "source",
            "lead_time_days",
            "scenarios",
        ]
    )
    for line in gap_list(view):
        ir = line.indicator
        value = float(ir.raw) if ir.raw is not None and not isinstance(ir.raw, bool) else None
        target = float(ir.target) if ir.target is not None else None
        for i in line.inputs or [None]:
            sheet.append(
                _cells(
                    [
                        line.region.id,
                        ir.indicator,
                        value,
                        target,
                        ex.text(i.item) if i else None,
                        float(i.quantity) if i else None,
                        float(i.unit_cost) if i else None,
                        float(i.cost) if i else None,
                        i.owner if i else None,
                        i.source if i else None,
                        i.lead_time_days if i else None,
                        ", ".join(line.scenarios),
                    ]
                )
            )
    for column in ("E", "J", "L"):
        for cell in sheet[column]:
            cell.data_type = "s"
    return _save(book, path, view, lang)


def reproducible(data: bytes, when: tuple[int, int, int]) -> bytes:
    """A Word or Excel file (a zip) with every entry dated `when` (the round's cut-off) instead of now, so that
    two builds of the same input are the same bytes."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            text = source.read(item.filename)
            if item.filename in ("docProps/core.xml",):  # created / modified stamps
                import re

                stamp = f"{when[0]:04d}-{when[1]:02d}-{when[2]:02d}T00:00:00Z".encode()
                text = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp, text)
            info = zipfile.ZipInfo(item.filename, date_time=(*when, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = item.external_attr
            target.writestr(info, text)
    return out.getvalue()


def document_list(view: View, relied_on: str | None = None) -> list[tuple[str, Any, tuple[Any, ...]]]:
    """The one list of documents of a view: (name without language or folder, writer, the writer's arguments
    before the language and the stream). The site's downloads and `readiness documents` both write it."""
    out: list[tuple[str, Any, tuple[Any, ...]]] = []
    for cert in certificates(view, relied_on):
        out.append((f"certificate-{cert.decision.id}.docx", write_docx, (cert, view)))
    if has_paragraph(view):
        out.append(("transition-paragraph.docx", write_paragraph_docx, (view,)))
    if view.framework.benchmarks:
        out.append(("benchmark-annex.docx", write_annex_docx, (view,)))
        out.append(("benchmark-annex.xlsx", write_annex_xlsx, (view,)))
    if gap_list(view):
        out.append(("gap-list.docx", write_gaps_docx, (view,)))
        out.append(("gap-list.xlsx", write_gaps_xlsx, (view,)))
    return out


def missing_documents(view: View, relied_on: str | None = None) -> list[str]:
    """What each document not written needs, and where to add it (a new mission has none of it yet)."""
    notes = []
    if not certificates(view, relied_on):
        notes.append(
            say("tables.documents.no_certificate_on", round=relied_on)
            if relied_on
            else say("tables.documents.no_certificate")
        )
    if not has_paragraph(view):
        notes.append(say("tables.documents.no_paragraph"))
    if not view.framework.benchmarks:
        notes.append(say("tables.documents.no_annex"))
    if not gap_list(view):
        notes.append(say("tables.documents.no_gap_list"))
    return notes


def documents(view: View, lang: str, relied_on: str | None = None) -> dict[str, bytes]:
    """Every document of the view in `lang`, by name, dated the round's cut-off so that the same input gives the
    same bytes. A public view's documents are read back for the text of every restricted item (the final guard
    of the site, `report.LeakGuard`): one that shows any raises DocumentLeak and nothing is written."""
    day = view.latest.date
    when = (day.year, day.month, day.day)
    guard = LeakGuard(view.restricted) if view.public else None
    out = {}
    for name, write, args in document_list(view, relied_on):
        stream = io.BytesIO()
        write(*args, lang, stream)
        data = reproducible(stream.getvalue(), when)
        if guard is not None and (item := guard.first(document_text(data))) is not None:
            raise DocumentLeak(LeakGuard.refusal(name, item))
        out[name] = data
    return out


class DocumentLeak(Exception):
    """A public document would show a restricted text; the message says which and where."""


def site_documents(view: View, lang: str) -> dict[str, bytes]:
    """Every document, as the site's downloads hold them (`downloads/<name>`), in the page's language."""
    return {f"downloads/{name}": data for name, data in documents(view, lang).items()}


_XML_BREAK = re.compile(r"</(?:w:p|w:tc|si|c|row|a:p)>")
_XML_TAG = re.compile(r"<[^>]*>")


def document_text(document: bytes | Path) -> str:
    """The text of a Word or Excel file as a reader sees it (each paragraph, cell or shared string on a line of
    its own, entities decoded), properties included, for the restricted-text check of a public edition."""
    import html
    import zipfile

    parts = []
    with zipfile.ZipFile(io.BytesIO(document) if isinstance(document, bytes) else document) as book:
        for name in sorted(book.namelist()):
            if name.endswith(".xml") and name.startswith(("word/", "xl/", "docProps/")):
                xml = book.read(name).decode("utf-8", errors="replace")
                parts.append(html.unescape(_XML_TAG.sub("", _XML_BREAK.sub("\n", xml))))
    return "\n".join(parts)
