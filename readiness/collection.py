"""Collection: where each round that is still being collected stands, region by region.

While a round is `collecting`, values still to come are not findings. This stage says, for each region, how
many values are in, which are still missing, and what else stands between the round and a page that can be
published: the scaffold's placeholder text, no team, no assessment date, no sign-off (and, where the sign-off
gate would hold a region back, the level it would reach with it). `check` prints it; `close-round` refuses
until nothing is missing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .diagnostics import Diagnostic
from .fields import LocalText
from .i18n import language, say, say_n
from .model import PLACEHOLDERS, Assessment
from .project import Project
from .register import Register
from .signoff import sign_off_status


@dataclass
class RegionProgress:
    region: str
    expected: int
    collected: int
    missing: list[str] = field(default_factory=list)
    """Indicators with neither a value nor a reason yet."""
    blockers: list[str] = field(default_factory=list)
    """What else keeps the round from closing: placeholder text, no team, no assessment date, a party that signed
    the self-assessment only (readiness/signoff.py)."""
    notes: list[str] = field(default_factory=list)
    """What the page will show but does not keep the round from closing: a sign-off still missing (and the
    level the region would reach with it), a text trigger the team has not yet said tripped or not."""
    unsigned: list[str] = field(default_factory=list)
    """The parties whose sign-off the sign-off gate still waits for."""
    to_confirm: list[str] = field(default_factory=list)
    """Not-applicable entries carried forward from the round before, still to be confirmed (they do not keep
    the round from closing)."""
    sign_off_note: int | None = None
    """Where in `notes` the missing sign-off is said (the level it would reach with it replaces it)."""

    @property
    def complete(self) -> bool:
        return not self.missing and not self.blockers


@dataclass
class RoundProgress:
    round: str
    regions: list[RegionProgress] = field(default_factory=list)

    @property
    def expected(self) -> int:
        return sum(r.expected for r in self.regions)

    @property
    def collected(self) -> int:
        return sum(r.collected for r in self.regions)

    @property
    def complete(self) -> bool:
        return all(r.complete for r in self.regions)

    def as_dict(self) -> dict[str, Any]:
        return {
            "round": self.round,
            "expected": self.expected,
            "collected": self.collected,
            "complete": self.complete,
            "regions": [
                {
                    "region": r.region,
                    "expected": r.expected,
                    "collected": r.collected,
                    "missing": r.missing,
                    "blockers": r.blockers,
                    "notes": r.notes,
                    "to_confirm": r.to_confirm,
                }
                for r in self.regions
            ],
        }


def shown(text: object) -> str:
    """A name or label of the project in the language in use (its first language when it gives no other)."""
    return text.get(language()) if isinstance(text, LocalText) else str(text)


def _has_placeholder(a: Assessment) -> list[str]:
    where = []
    for name, notes in (("narrative", [a.narrative]), ("risks", a.risks), ("recommendations", a.recommendations)):
        for note in notes:
            if note is None:
                continue
            texts = list(note.text.translations.values()) if note.text.translations else [str(note.text)]
            if any(p in t for p in PLACEHOLDERS for t in texts):
                where.append(name)
                break
    return where


def round_progress(
    project: Project, round_id: str, *, with_levels: bool = True, found: list[Diagnostic] | None = None
) -> RoundProgress:
    """Where the round stands. With `with_levels`, regions held back by a missing sign-off are scored to say
    which level they would reach with it. `found` (check's diagnostics) makes a region whose file has errors
    not complete, saying how many; a value outside its indicator's range or of the wrong type is never "in"."""
    progress = RoundProgress(round_id)
    fw = project.framework
    indicators = sorted(project.indicators)
    unsigned: list[RegionProgress] = []
    register = Register(project)
    errors: dict[str, int] = {}
    for d in found or []:
        if d.severity.value == "error" and d.file.startswith(f"assessments/{round_id}/"):
            errors[d.file] = errors.get(d.file, 0) + 1
    seen: set[str] = set()
    for (rnd, region_id), a in sorted(project.assessments.items()):
        if rnd != round_id:
            continue
        expected = [i for i in indicators if project.asks(region_id, round_id, i)]  # its criteria, none retired
        missing = [
            i
            for i in expected
            if i not in a.observations
            or (
                a.observations[i].value is None
                and a.observations[i].not_collected is None
                and a.observations[i].not_applicable is None
            )
            or not _readable(project, i, a)
        ]
        entry = RegionProgress(region_id, len(expected), len(expected) - len(missing), missing)
        origin = project.origins.get(("assessment", f"{round_id}/{region_id}"))
        file = origin[0].path if origin else f"assessments/{round_id}/{region_id}.yaml"
        seen.add(file)
        if errors.get(file):
            entry.blockers.append(say_n("rounds.progress.errors_in", errors[file], file=file))
        carried = sorted(i for i, obs in a.observations.items() if obs.carried_from is not None)
        if carried:
            entry.to_confirm = carried
        entry.blockers += [say(f"rounds.progress.placeholder.{where}") for where in _has_placeholder(a)]
        if not a.team:
            entry.blockers.append(say("rounds.progress.no_team"))
        if a.assessed_on is None:
            entry.blockers.append(say("rounds.progress.no_date"))
        gate = fw.gates.sign_off if fw is not None else None
        if gate is not None and gate.enabled:
            # the one rule of the sign-off (readiness/signoff.py): a self-assessment signature does not count
            status = sign_off_status(a, list(gate.parties))
            absent = status.unsigned
            names = {p.id: shown(p.name) for p in fw.parties} if fw else {}
            if absent:
                entry.sign_off_note = len(entry.notes)
                entry.notes.append(
                    say("rounds.progress.no_sign_off")
                    if len(absent) == len(gate.parties)
                    else say("rounds.progress.no_sign_off_of", parties=", ".join(names.get(p, p) for p in absent))
                )
                entry.unsigned = [names.get(p, p) for p in absent]
                unsigned.append(entry)
            if status.self_only:  # surely a slip, not a position: the round does not close on it
                entry.blockers.append(
                    say_n(
                        "rounds.progress.self_only",
                        len(status.self_only),
                        parties=", ".join(names.get(x, x) for x in status.self_only),
                    )
                )
        # the text triggers of the handovers in force that the team has not yet said tripped or not (J006 once
        # the round is closed): a note, as a sign-off still to come
        for decision in register.in_force(region_id, round_id):
            unsaid = [str(i + 1) for i, t in enumerate(decision.triggers) if t.watched and round_id not in t.status]
            if decision.kind == "handover" and unsaid:
                entry.notes.append(
                    say_n(
                        "rounds.progress.trigger_unsaid", len(unsaid), numbers=", ".join(unsaid), decision=decision.id
                    )
                )
        progress.regions.append(entry)
    for file, n in sorted(errors.items()):
        if file not in seen:  # a file so broken that no assessment could be read from it
            region = file.rsplit("/", 1)[-1].removesuffix(".yaml")
            expected = [i for i in indicators if project.asks(region, round_id, i)]
            entry = RegionProgress(region, len(expected), 0, expected)
            entry.blockers.append(say_n("rounds.progress.unreadable", n, file=file))
            progress.regions.append(entry)
    if with_levels and unsigned:
        _levels_without_sign_off(project, round_id, unsigned)
    return progress


def _readable(project: Project, ind_id: str, a: Assessment) -> bool:
    """Whether an observation's value (if it has one) fits its indicator: a value of the wrong type or out of
    range is not "in" (check reports it, O001/O002)."""
    from .model import ValueProblem, read_value

    obs = a.observations.get(ind_id)
    ind = project.indicators.get(ind_id)
    if obs is None or obs.value is None or ind is None or project.framework is None:
        return True
    try:
        read_value(ind, obs, project.framework.scale)
    except ValueProblem:
        return False
    return True


def _levels_without_sign_off(project: Project, round_id: str, entries: list[RegionProgress]) -> None:
    """Say, for each region the sign-off gate holds back, the level it would reach with the sign-off."""
    from .scoring import score_project

    fw = project.framework
    assert fw is not None
    order = project.level_rank
    labels = {lv.id: shown(lv.label) for lv in fw.levels}
    results = score_project(project)
    for entry in entries:
        r = results.get(round_id, entry.region)
        if r is None or not any(g.gate == "sign_off" for g in r.gates):
            continue
        allowed = [g.allows for g in r.gates if g.gate not in ("sign_off", "override")]
        would = min([r.score_level or r.computed_level, *allowed], key=order.__getitem__)
        if order[would] > order[r.computed_level] and entry.sign_off_note is not None:
            entry.notes[entry.sign_off_note] = say(
                "rounds.progress.would_be", level=labels[would], parties=", ".join(entry.unsigned)
            )


def collecting_rounds(project: Project) -> list[str]:
    return [r for r in project.round_order if project.rounds[r].collecting]


def format_progress(progress: list[RoundProgress], project: Project, limit: int = 12) -> str:
    """The progress of every collecting round, for people: per round, per region, what is missing."""
    lines: list[str] = []
    for p in progress:
        label = shown(project.rounds[p.round].label) if p.round in project.rounds else p.round
        lines.append(
            say_n("rounds.progress.collecting", p.expected, round=p.round, label=label, collected=p.collected)
            + (" " + say("rounds.progress.complete", round=p.round) if p.complete else "")
        )
        width = max((len(r.region) for r in p.regions), default=0)
        for r in p.regions:
            missing = ""
            if r.missing and not r.collected:
                missing = "  " + say("rounds.progress.nothing_in")
            elif r.missing:
                listed = ", ".join(r.missing[:limit])
                if len(r.missing) > limit:
                    listed = say_n("rounds.progress.and_more", len(r.missing) - limit, items=listed)
                missing = "  " + say("rounds.progress.missing", items=listed)
            blockers = (
                "  " + say("rounds.progress.blockers", items="; ".join(r.blockers + r.notes))
                if r.blockers or r.notes
                else ""
            )
            confirm = (
                "  " + say_n("rounds.progress.to_confirm", len(r.to_confirm), items=", ".join(r.to_confirm))
                if r.to_confirm
                else ""
            )
            lines.append(f"  {r.region:<{width}}  {r.collected:>3}/{r.expected:<3}{missing}{blockers}{confirm}")
    return "\n".join(lines) + ("\n" if lines else "")
