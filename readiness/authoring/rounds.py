"""`readiness new-round`: the files a team fills in for the next round.

One assessment file per region assessed in the previous round (or per assessed-kind leaf region), listing
every indicator with an empty value and, beside it as a comment, the previous round's value and evidence.
The round is added to rounds.yaml with its comments kept. Existing files are never overwritten.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from ..model import Observation, Round
from ..project import ROUNDS_FILE, Project


class RoundError(Exception):
    """The round cannot be scaffolded; nothing was written."""


def _previous_line(obs: Observation | None, round_id: str) -> str:
    if obs is None:
        return f"{round_id}: not in the assessment"
    if obs.value is not None:
        dates = sorted(e.date for e in obs.evidence)
        sources = ", ".join(f"{e.source} {e.reference}" for e in obs.evidence)
        when = f", evidence {dates[-1]}" if dates else ""
        return f"{round_id}: {obs.value}{when}" + (f" ({sources})" if sources else "")
    if obs.not_applicable is not None:
        return f"{round_id}: not applicable: {obs.not_applicable}"
    return f"{round_id}: not collected: {obs.not_collected}"


def _comment(text: str) -> str:
    return " ".join(text.split())[:160]


def assessment_text(project: Project, region_id: str, round_id: str, previous: str | None) -> str:
    """The YAML of an empty assessment, with the previous round's figures as comments."""
    before = project.assessments.get((previous, region_id)) if previous else None
    lines = [
        "# yaml-language-server: $schema=../../schemas/assessment.schema.json",
        f"# {project.regions[region_id].name}, round {round_id}. Fill in each value with its evidence, or replace",
        "# `value:` with `not_collected: <reason>` (or `not_applicable: <reason>`). Missing is never zero.",
        f"region: {region_id}",
        f"round: {round_id}",
        "assessed_on:",
        "team: []",
        "narrative: |-",
        "  What the team found, in a few sentences.",
        "observations:",
    ]
    for ind_id in sorted(project.indicators):
        ind = project.indicators[ind_id]
        lines.append(f"  {ind_id}:  # {_comment(ind.name)} ({ind.unit_label or ind.unit})")
        hint = _previous_line(before.observations.get(ind_id) if before else None, previous) if previous else ""
        lines.append("    value:" + (f"  # {_comment(hint)}" if hint else ""))
        kinds = ", ".join(ind.evidence.source_types) or "any"
        lines.append(f"    evidence: []  # expected source types: {kinds}; add {{source, reference, date}}")
    lines += ["sign_off: []", ""]
    return "\n".join(lines)


def add_round(rounds_path: Path, round_: dict[str, str]) -> str:
    """rounds.yaml with the new round appended, comments and order kept."""
    from .importing import round_trip_yaml

    text = rounds_path.read_text(encoding="utf-8")
    yaml = round_trip_yaml(text)
    data = yaml.load(text)
    data["rounds"].append(round_)
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def new_round(project: Project, round_id: str, cutoff: date, previous: str | None, label: str | None
              ) -> dict[Path, str]:
    """The files to write for a new round, by path. Raises RoundError when the round cannot be added."""
    Round.model_validate({"id": round_id, "label": label or round_id, "date": cutoff.isoformat()})
    if round_id in project.rounds:
        raise RoundError(f"round {round_id!r} already exists in {ROUNDS_FILE}")
    ordered = sorted(project.rounds.values(), key=lambda r: r.date)
    if previous is None and ordered:
        previous = ordered[-1].id
    if previous is not None and previous not in project.rounds:
        raise RoundError(f"unknown previous round {previous!r}; rounds: {', '.join(project.rounds)}")
    if ordered and cutoff <= ordered[-1].date:
        raise RoundError(f"the new round's date {cutoff} must come after the last round's ({ordered[-1].date})")
    regions = sorted({region for rnd, region in project.assessments if rnd == previous}) if previous else []
    if not regions:
        parents = {r.parent for r in project.regions.values()}
        regions = sorted(r for r in project.regions if r not in parents)
    files: dict[Path, str] = {}
    folder = project.root / "assessments" / round_id
    for region_id in regions:
        path = folder / f"{region_id}.yaml"
        if path.exists():
            continue
        files[path] = assessment_text(project, region_id, round_id, previous)
    files[project.root / ROUNDS_FILE] = add_round(project.root / ROUNDS_FILE, {
        "id": round_id, "label": label or round_id, "date": cutoff.isoformat()})
    return files
