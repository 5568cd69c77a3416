"""The certificate of each handover decision, and the record of each reversion and deferral, as a Word document
the joint body signs, and as a page of the site: both written from one `CertificateText`, so they say the same.

A certificate says, in the words a joint body signs: its number, the legal basis (the mandate's resolution and
the arrangement the body acts under), the framework agreement, the Government's request if any and the
assessment relied on; what was decided (for the whole district, unit or institution, or which functions handed
over and which retained), and whether against the assessment; the agreed criteria (the framework's benchmarks),
each met or not met with its indicators, their values and targets in words, any value within its margin of
error, and the share of the sensitivity analysis's samples that give the level (never the composite score: the
gates decide, not the score); the conditions, the UN police posture that remains, the review and the reversion
triggers in words; the parties' positions; where, when and in which languages it is done; and the signatures
of the body's co-chairs and witnesses, by role. A handover that a later decision took back is marked
superseded. Every fact comes from the results, the situation (`readiness.situation`) and the explainer."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from ..explain import Explainer
from ..i18n import Translator
from ..i18n.french import lower_first
from ..model import Benchmark, Body, Decision, Region, Round
from ..register import WHOLE
from ..report import View
from ..safety import Safe
from ..scoring.results import FunctionLevel, IndicatorResult, RegionRound
from .word import _clean, _plain, _save, _table, new_document

#: The kinds of decision that get a record rather than a certificate.
RECORDS = ("reversion", "deferral")


@dataclass(frozen=True)
class CriterionGroup:
    """The indicators of one agreed criterion (a benchmark of the framework) in the district or unit, at the
    assessment relied on; or, with no benchmark, its critical indicators that no benchmark measures."""

    benchmark: Benchmark | None
    status: str | None
    """met, not-met or no-data (a benchmark: met when each of its indicators that applies has reached the
    handover level); None for the other critical indicators."""
    indicators: list[IndicatorResult]


@dataclass(frozen=True)
class Certificate:
    """One decision and the facts its certificate (or record) states."""

    decision: Decision
    region: Region
    relied_on: Round | None
    result: RegionRound | None
    """The region at the assessment the decision relied on."""
    groups: list[CriterionGroup] = field(default_factory=list)
    """The agreed criteria there, in the framework's order, then the other critical indicators."""
    superseded_by: Decision | None = None
    """The later decision that took every function it handed over (a reversion), if any: the certificate was
    signed and is kept, marked superseded."""
    against: dict[str, Any] | None = None
    """The decision went against the assessment it relied on: {decision, kind, level} (the results')."""
    share: float | None = None
    """The share of the sensitivity analysis's samples that give the level, where the view holds the analysis of
    the round relied on."""
    samples: int = 0
    covered: list[str] = field(default_factory=list)
    """The functions the decision covers (empty when the framework declares none)."""
    primacy: dict[str, str] = field(default_factory=dict)
    """Who holds each function once the decision has taken effect."""
    function_levels: list[FunctionLevel] = field(default_factory=list)
    """A functional decision: the level of each function it covers on its own criteria, at the assessment relied
    on (what it relies on); empty for a whole-region decision or a framework whose indicators name no function."""

    @property
    def kind(self) -> str:
        return self.decision.kind

    @property
    def record(self) -> bool:
        """A record of a reversion or a deferral, not a handover certificate."""
        return self.decision.kind in RECORDS

    @property
    def criteria(self) -> list[IndicatorResult]:
        """Every indicator the certificate states, group after group."""
        return [r for g in self.groups for r in g.indicators]


def certificates(view: View, round_id: str | None = None) -> list[Certificate]:
    """A certificate for each handover decision of the view (the decisions relied on `round_id`, or on any round
    of the view), in the order they were decided."""
    return _decisions(view, round_id, ("handover",))


def records(view: View, round_id: str | None = None) -> list[Certificate]:
    """A record for each reversion and deferral of the view, in the order they were decided: the joint body signs
    a decision to take a handover back, or to wait, as it signs a handover."""
    return _decisions(view, round_id, RECORDS)


def _decisions(view: View, round_id: str | None, kinds: tuple[str, ...]) -> list[Certificate]:
    rounds = {r.id: r for r in view.rounds}
    out = []
    for d in sorted(view.project.decisions.values(), key=lambda d: (d.decided, d.id)):
        if d.kind not in kinds or d.region not in view.regions or d.relied_on not in rounds:
            continue
        if round_id is not None and d.relied_on != round_id:
            continue
        out.append(certificate(view, d))
    return out


def certificate(view: View, d: Decision) -> Certificate:
    """The facts of one decision's certificate, from the results and the situation."""
    result = view.result(d.relied_on, d.region)
    status = view.situation.decision(d)
    against = next(
        (a for a in (result.handover.against if result and result.handover else []) if a["decision"] == d.id), None
    )
    analysis = view.uncertainty
    robustness = None
    if analysis is not None and getattr(analysis, "round", None) == d.relied_on:
        robustness = analysis.regions.get(d.region)
    covered, primacy = view.situation.scope_after(d)
    rounds = {r.id: r for r in view.rounds}
    whole = not covered or set(covered) == set(primacy)
    levels = [] if whole or result is None else [result.functions[f] for f in covered if f in result.functions]
    return Certificate(
        d,
        view.regions[d.region],
        rounds.get(d.relied_on),
        result,
        criterion_groups(view, result, levels),
        status.superseded_by if status is not None else None,
        against,
        robustness.share_same if robustness is not None else None,
        analysis.samples if robustness is not None else 0,
        covered,
        primacy,
        levels,
    )


def criterion_groups(
    view: View, result: RegionRound | None, functions: list[FunctionLevel] | None = None
) -> list[CriterionGroup]:
    """The agreed criteria (the framework's benchmarks) with their indicators that apply in the region, each
    met or not met as the annex of benchmarks rates it; then the critical indicators no benchmark measures. For
    a functional decision (`functions`, the levels of the functions it covers), only the criteria of those
    functions: a general-policing certificate does not list public-order criteria."""
    from .annex import _benchmark_status

    if result is None:
        return []
    applies = {i: r for i, r in result.indicators.items() if r.status != "not-applicable"}
    if functions:
        own = {i for f in functions for i in f.criteria}
        applies = {i: r for i, r in applies.items() if i in own}
    groups = []
    measured: set[str] = set()
    for b in view.framework.benchmarks:
        found = [applies[i] for i in b.indicators if i in applies]
        measured.update(b.indicators)
        if found:
            ids = [r.indicator for r in found] if functions else b.indicators
            groups.append(CriterionGroup(b, _benchmark_status(view, result, ids)[0], found))
    others = sorted((r for i, r in applies.items() if r.critical and i not in measured), key=lambda r: r.indicator)
    if others:
        groups.append(CriterionGroup(None, None, others))
    return groups


# ---------------------------------------------------------------- what the certificate says, in one language


@dataclass(frozen=True)
class CriterionRow:
    indicator: Any
    value: Any
    target: Any
    met: bool | None
    """Whether it has reached the handover level (None without a level); the value says so when not."""


@dataclass(frozen=True)
class GroupText:
    heading: Any
    rows: list[CriterionRow]


@dataclass(frozen=True)
class CertificateText:
    """Every sentence of a certificate in one language: plain text for Word (an explainer without markup), or
    escaped for a page (with markup). The Word document and the page lay out the same sentences."""

    title: Any
    superseded: Any
    """"superseded by …", or empty."""
    preamble: list[tuple[Any, Any]]
    """(label, text): number, legal basis, framework agreement, the Government's request, the assessment."""
    decision: Any
    against: Any
    rationale: Any
    functions: list[tuple[Any, Any]]
    """(label, the functions): handed over (returned, deferred), and those retained by who holds them."""
    level: Any
    share: Any
    groups: list[GroupText]
    conditions: list[dict[str, Any]]
    posture: list[Any]
    review_heading: Any
    review: Any
    reversed_if: Any
    triggers: list[Any]
    positions: list[Any]
    done: Any
    signatories: list[tuple[Any, Any]]
    """(role, name): the co-chairs (or each party of the body), then the witnesses, said so ("UNML Police
    Commissioner (witness)"); the name empty when not given."""


def body_of(view: View, d: Decision) -> Body | None:
    return next((b for b in view.framework.bodies if b.id == d.body), None)


def certificate_text(cert: Certificate, view: View, ex: Explainer) -> CertificateText:
    """The certificate's sentences in the explainer's language, as Word and the page both print them."""
    tr, t, d = ex.tr, ex.t, cert.decision
    body = body_of(view, d)
    body_name = ex.body_name(d.body) if d.body else tr("handover.joint_body")
    region = ex.text(cert.region.name)
    title = t(f"certificate.title_{d.kind}" if cert.record else "certificate.title", region=region)
    if cert.against is not None:
        title = t("certificate.against_title", title=title)

    preamble: list[tuple[Any, Any]] = [(t("certificate.number"), ex.text(d.reference))]
    basis = _legal_basis(view, d, body, ex)
    if basis:
        preamble.append((t("certificate.legal_basis"), basis))
    if body is not None and ex.loc(body.agreement):
        preamble.append((t("certificate.agreement"), ex.text(body.agreement)))
    if d.request is not None:
        request = d.request
        key = "certificate.request_text" if request.reference else "certificate.request_undated"
        preamble.append(
            (
                t("certificate.request"),
                t(key, text=ex.prose(request.text), reference=request.reference, date=tr.long_date(request.date)),
            )
        )
    if cert.relied_on is not None:
        preamble.append(
            (
                t("certificate.relied_on"),
                t(
                    "certificate.relied_on_text",
                    round=ex.text(cert.relied_on.label),
                    date=tr.long_date(cert.relied_on.date),
                ),
            )
        )

    whole = not cert.covered or set(cert.covered) == set(cert.primacy)
    scope = (
        ex.text(cert.region.object)  # what a handover of this unit or institution hands over, as its file says
        if whole and ex.loc(cert.region.object)
        else t("certificate.scope.whole", region=tr(f"certificate.whole_kind.{cert.region.kind}"))
        if whole
        else t("certificate.scope.functions")
    )
    decision = t(
        f"certificate.decided.{d.kind}",
        date=tr.long_date(d.decided),
        effective=tr.long_date(d.effective_date),
        body=body_name,
        police=host_police(view, ex),
        scope=scope,
        primacy=tr(f"certificate.primacy_after.{d.primacy_after or 'joint'}"),
    )
    against = (
        t("certificate.against", region=ex.region_kind(d.region), level=ex.level(cert.against["level"]))
        if cert.against is not None
        else ""
    )
    rationale = ex.prose(d.rationale) if ex.loc(d.rationale) else ""

    functions: list[tuple[Any, Any]] = []
    if cert.covered and not whole:  # the whole district or unit: the decision says so
        functions.append((t(f"certificate.functions.{d.kind}"), _function_list(cert.covered, ex)))
        if d.kind != "deferral":
            for primacy in ("un", "joint", "host"):
                kept = [f for f, p in cert.primacy.items() if p == primacy and f not in cert.covered and f != WHOLE]
                if kept:
                    functions.append((t(f"certificate.retained.{primacy}"), _function_list(kept, ex)))

    level = share = ""
    if cert.result is not None and cert.relied_on is not None:
        level = t(
            "certificate.level",
            round=ex.text(cert.relied_on.label),
            region=ex.region_kind(d.region),
            level=ex.level(cert.result.level),
        )
        if cert.function_levels:
            level = ex.join(
                " ",
                [level]
                + [
                    t("certificate.function_level", function=ex.function_name(f.function), level=ex.level(f.level))
                    for f in cert.function_levels
                ],
            )
        if cert.share is not None:
            share = t(
                "certificate.share",
                share=ex.number(cert.share * 100, 0),
                samples=ex.number(cert.samples),
            )

    groups = [_group_text(g, view, ex) for g in cert.groups]
    conditions = [
        {
            "what": ex.prose(c.what),
            "owner": ex.party_name(c.owner) if c.owner else "–",
            "due": tr.long_date(c.due) if c.due else "–",
        }
        for c in d.conditions
    ]
    posture: list[Any] = []
    if d.posture is not None:
        posture.append(ex.prose(d.posture.text))
        if d.posture.footprint is not None:
            posture.append(ex.t("region.planned", footprint=ex.footprint(d.posture.footprint.model_dump())))

    review = t("certificate.review_by", body=body_name, date=tr.long_date(d.review)) if d.review else ""
    triggers = [ex.trigger_words(d, i) for i in range(len(d.triggers))]
    reversed_if = t("certificate.reversed_if") if triggers and d.kind == "handover" else ""
    positions = [ex.decision_position(p.party, p.position, p.reason, p.by) for p in d.positions]

    signatories: list[tuple[Any, Any]] = []
    if body is not None and body.signatories:
        signing = [s for s in body.signatories if not s.witness] + [s for s in body.signatories if s.witness]
        for s in signing:
            role = t("certificate.witness", role=ex.text(s.role)) if s.witness else ex.text(s.role)
            signatories.append((role, ex.text(s.name)))
    else:
        parties = body.parties if body is not None else [p.party for p in d.positions]
        signatories = [(ex.party_name(p), "") for p in parties]

    return CertificateText(
        title=title,
        superseded=ex.superseded(cert.superseded_by) if cert.superseded_by is not None else "",
        preamble=preamble,
        decision=decision,
        against=against,
        rationale=rationale,
        functions=functions,
        level=level,
        share=share,
        groups=groups,
        conditions=conditions,
        posture=posture,
        review_heading=t("certificate.review_only" if cert.record else "certificate.review"),
        review=review,
        reversed_if=reversed_if,
        triggers=triggers,
        positions=positions,
        done=_done(view, d, body, ex),
        signatories=signatories,
    )


def host_police(view: View, ex: Explainer) -> Any:
    """The host State police as a certificate names it: by the framework's name and abbreviation, or in general
    words."""
    police = getattr(view.framework, "host_police", None)
    if police is None:
        return ex.tr("certificate.host_police")
    return ex.t("certificate.police", name=ex.text(police.name), abbreviation=ex.text(police.abbreviation))


def _legal_basis(view: View, d: Decision, body: Body | None, ex: Explainer) -> Any:
    """The mandate's resolution in force on the day of the decision, then the arrangement the body acts under."""
    parts: list[Any] = []
    mandate = view.project.mandate
    period = next((p for p in (mandate.periods if mandate else []) if p.start <= d.decided <= p.end), None)
    if period is not None:
        council = getattr(period, "council", None)
        if council is not None:
            parts.append(
                ex.t(
                    "certificate.resolution",
                    number=str(council.resolution),
                    year=str(council.adopted.year),
                    date=ex.tr.long_date(council.adopted),
                )
            )
        else:
            parts.append(ex.text(period.resolution))
    if body is not None and ex.loc(body.legal_basis):
        parts.append(ex.text(body.legal_basis))
    return ex.join("; ", parts) if parts else ""


def _function_list(functions: list[str], ex: Explainer) -> Any:
    names = [ex.function_name(f) for f in functions]
    shown = [Safe(lower_first(str(n))) if ex.markup else lower_first(str(n)) for n in names]
    return ex.join(", ", shown)


def _group_text(group: CriterionGroup, view: View, ex: Explainer) -> GroupText:
    if group.benchmark is not None:
        heading = ex.t(f"certificate.benchmark.{group.status}", benchmark=ex.text(group.benchmark.name))
    else:
        heading = ex.t("certificate.other_critical" if view.framework.benchmarks else "certificate.critical")
    rank = view.project.level_rank
    need = rank[view.framework.handover_level]
    rows = []
    for r in group.indicators:
        if r.status == "value":
            value = ex.quantity(r.indicator, r.raw)
            if r.within_margin and r.margin is not None:
                value = ex.t("certificate.within_margin", value=value, margin=ex.number(r.margin, 1))
        else:
            value = ex.tr(f"status.{r.status}") if f"status.{r.status}" in ex.tr.labels else r.status
        indicator = ex.join(" ", [r.indicator, ex.indicator_name(r.indicator)])
        met = None if r.level is None else rank[r.level] >= need
        if met is False:
            value = ex.t("certificate.not_met", value=value)
        rows.append(CriterionRow(indicator, value, ex.target_words(r.indicator, r.target), met))
    return GroupText(heading, rows)


def _done(view: View, d: Decision, body: Body | None, ex: Explainer) -> Any:
    """ "Done at Kessa on 16 July 2026, in English and French, both texts being equally authentic": the place
    (the decision's, or the body's seat), the day decided and the framework's languages."""
    tr = ex.tr
    names = [tr("certificate.language", language=_language_name(code, tr.locale)) for code in view.framework.languages]
    languages = names[0] if len(names) == 1 else f"{tr.sep(', ').join(names[:-1])} {tr('certificate.and')} {names[-1]}"
    count = {1: "one", 2: "two"}.get(len(names), "other")
    place = d.place if ex.loc(d.place) else body.seat if body is not None and ex.loc(body.seat) else None
    if place is None:
        return ex.t(f"certificate.done_nowhere.{count}", date=tr.long_date(d.decided), languages=languages)
    return ex.t(f"certificate.done.{count}", place=ex.text(place), date=tr.long_date(d.decided), languages=languages)


def _language_name(code: str, locale: str) -> str:
    """A language's name in the document's language, as Babel (CLDR) writes it: "French", "anglais"."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(code.replace("-", "_")).get_language_name(locale) or code
    except (UnknownLocaleError, ValueError):
        return code


# ---------------------------------------------------------------- the Word document


def write_docx(cert: Certificate, view: View, lang: str, path: Path | IO[bytes]) -> Path | IO[bytes]:
    """The certificate (or record) as a Word document with real headings, tables and styles (python-docx)."""
    ex = Explainer(view.project, lang, markup=False)
    tr = Translator(lang)
    text = certificate_text(cert, view, ex)

    def plain(value: Any) -> str:
        return _clean(_plain(value))

    def labelled(label: Any, value: Any) -> None:
        paragraph = document.add_paragraph()
        paragraph.add_run(plain(label) + tr.sep(": ")).bold = True
        paragraph.add_run(plain(value))

    title = plain(text.title)
    document = new_document(view, lang, title, ex.text(view.framework.name))
    document.add_heading(title, level=1)
    if text.superseded:
        labelled(tr("certificate.superseded_title"), f"{plain(text.superseded)}.")
    for label, value in text.preamble:
        labelled(label, value)

    document.add_heading(plain(tr("certificate.decision")), level=2)
    document.add_paragraph(plain(text.decision))
    if text.against:
        document.add_paragraph(plain(text.against))
    if text.rationale:
        document.add_paragraph(plain(text.rationale))
    for label, value in text.functions:
        labelled(label, f"{plain(value)}.")

    document.add_heading(plain(tr("certificate.criteria")), level=2)
    if text.level:
        document.add_paragraph(" ".join(plain(s) for s in (text.level, text.share) if s))
    for group in text.groups:
        document.add_heading(plain(group.heading), level=3)
        table = _table(document, tr, "certificate.column", ("indicator", "value", "target"))
        for row in group.rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, (row.indicator, row.value, row.target), strict=True):
                cell.text = plain(value)

    document.add_heading(plain(tr("certificate.conditions")), level=2)
    if text.conditions:
        conditions = _table(document, tr, "certificate.column", ("condition", "owner", "due"))
        for c in text.conditions:
            cells = conditions.add_row().cells
            for cell, key in zip(cells, ("what", "owner", "due"), strict=True):
                cell.text = plain(c[key])
    else:
        document.add_paragraph(plain(tr("certificate.no_conditions")))

    document.add_heading(plain(tr("certificate.posture")), level=2)
    document.add_paragraph(" ".join(plain(p) for p in text.posture) or "–")

    document.add_heading(plain(text.review_heading), level=2)
    if text.review or text.reversed_if:
        document.add_paragraph(" ".join(plain(p) for p in (text.review, text.reversed_if) if p))
    for trigger in text.triggers:
        document.add_paragraph(plain(trigger), style="List Bullet")

    document.add_heading(plain(tr("certificate.positions")), level=2)
    for position in text.positions:
        document.add_paragraph(plain(position), style="List Bullet")

    document.add_heading(plain(tr("certificate.signatures")), level=2)
    document.add_paragraph(plain(text.done))
    _signature_table(document, tr, text.signatories)
    return _save(document, path, view, lang)


def _signature_table(document: Any, tr: Translator, rows: list[tuple[Any, Any]]) -> None:
    """One row to sign for each role: the role, the name (given or left blank), the signature and the date."""
    from docx.shared import Pt

    table = _table(document, tr, "certificate.column", ("role", "name", "signature", "date"))
    for role, name in rows:
        row = table.add_row()
        row.height = Pt(36)  # room to sign
        row.cells[0].text = _clean(_plain(role))
        row.cells[1].text = _clean(_plain(name))
