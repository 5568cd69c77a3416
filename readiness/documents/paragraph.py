"""The transition paragraph of the Secretary-General's report: who holds primacy as at the cut-off, the period's
decisions, level changes, regions at risk after handover and deadlines at risk, one sentence per fact."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from ..explain import Explainer
from ..i18n import Translator
from ..model import Decision, Round
from ..report import View
from .word import _clean, _plain, _save, new_document


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
    from ..pages.handover import headline

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

    tr = Translator(lang)
    ex = Explainer(view.project, lang, markup=False)
    title = _clean(tr("paragraph.title", round=ex.text(view.latest.label)))
    document = new_document(view, lang, title, ex.text(view.framework.name))
    document.add_heading(title, level=1)
    document.add_paragraph(_clean(" ".join(transition_paragraph(view, lang))))
    return _save(document, path, view, lang)


# ---------------------------------------------------------------- the benchmark annex
