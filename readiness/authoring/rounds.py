"""`readiness new-round` and `readiness close-round`: a round from its opening to its closing.

`new-round` writes one assessment file per region assessed in the previous round (or per assessed-kind leaf
region), listing every indicator with an empty value and, above it as whole comment lines, the previous round's
value and evidence. What does not apply to a region by its nature (a maritime unit's land patrols) is carried
forward as `not_applicable`, marked for the team to confirm. The round is added to rounds.yaml as `collecting`,
with the file's comments kept. Existing files are never overwritten.

`close-round` marks the round `final` in rounds.yaml, changing that one line, once nothing is missing.
"""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path
from typing import Any

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


def _comment_lines(text: str, indent: str, width: int = 110) -> list[str]:
    """A text as whole comment lines, wrapped at word boundaries (never cut mid-word)."""
    words = " ".join(text.split()).split(" ")
    lines, current = [], ""
    for word in words:
        if current and len(indent) + 2 + len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        lines.append(current)
    return [f"{indent}# {line}" for line in lines]


def _quoted(text: str) -> str:
    import json

    return json.dumps(" ".join(str(text).split()), ensure_ascii=False)


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
        earlier = before.observations.get(ind_id) if before else None
        lines += _comment_lines(f"{ind.name} ({ind.unit_label or ind.unit})", "  ")
        lines.append(f"  {ind_id}:")
        if previous:
            lines += _comment_lines(_previous_line(earlier, previous), "    ")
        if earlier is not None and earlier.not_applicable is not None:
            lines.append(
                "    # carried forward: confirm it still does not apply (then delete `carried_from`), or give the value"
            )
            lines.append(f"    not_applicable: {_quoted(earlier.not_applicable)}")
            lines.append(f"    carried_from: {previous}")
            continue
        lines.append("    value:")
        kinds = ", ".join(ind.evidence.source_types) or "any"
        lines.append(f"    evidence: []  # expected source types: {kinds}; add {{source, reference, date}}")
    lines += ["sign_off: []", ""]
    return "\n".join(lines)


def add_round(rounds_path: Path, round_: dict[str, Any]) -> str:
    """rounds.yaml with the new round appended, comments and order kept."""
    from .importing import round_trip_yaml

    text = rounds_path.read_text(encoding="utf-8")
    yaml = round_trip_yaml(text)
    data = yaml.load(text)
    data["rounds"].append(round_)
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def new_round(
    project: Project, round_id: str, cutoff: date, previous: str | None, label: str | dict[str, str] | None
) -> dict[Path, str]:
    """The files to write for a new round, by path. Raises RoundError when the round cannot be added. `label`
    is one text for every language or one per language."""
    Round.model_validate(
        {"id": round_id, "label": label or round_id, "date": cutoff.isoformat(), "state": "collecting"}
    )
    if round_id in project.rounds:
        raise RoundError(f"round {round_id!r} already exists in {ROUNDS_FILE}")
    if previous is None and project.round_order:
        previous = project.round_order[-1]
    if previous is not None and previous not in project.rounds:
        raise RoundError(f"unknown previous round {previous!r}; rounds: {', '.join(project.rounds)}")
    last = project.rounds[project.round_order[-1]].date if project.round_order else None
    if last is not None and cutoff <= last:
        raise RoundError(f"the new round's date {cutoff} must come after the last round's ({last})")
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
    files[project.root / ROUNDS_FILE] = add_round(
        project.root / ROUNDS_FILE,
        {"id": round_id, "label": _label(label or round_id), "date": cutoff, "state": "collecting"},
    )
    return files


def _label(label: str | dict[str, str]) -> Any:
    """A label as rounds.yaml writes it: a text, or a one-line mapping of language to text."""
    if isinstance(label, str):
        return label
    from ruamel.yaml.comments import CommentedMap

    mapping = CommentedMap(label)
    mapping.fa.set_flow_style()
    return mapping


_STATE_LINE = re.compile(r"^(?P<indent>[ \t]+)state:[ \t]*(?P<value>[^#\n]*?)(?P<rest>[ \t]*(?:#.*)?)$")


def close_round(project: Project, round_id: str) -> tuple[Path, str]:
    """rounds.yaml with the round marked final: its `state:` line changed, every other byte kept."""
    doc, loc = project.origin("round", round_id)
    path = project.root / doc.path
    text = path.read_text(encoding="utf-8")
    line_no, _ = doc.key_position(loc + ("state",))
    lines = text.splitlines(keepends=True)
    match = _STATE_LINE.match(lines[line_no - 1].rstrip("\r\n"))
    if match is None or match.group("value").strip().strip("'\"") != "collecting":
        raise RoundError(
            f"cannot find `state: collecting` for round {round_id} in {doc.path} (line {line_no}); "
            "set it to `state: final` by hand"
        )
    ending = lines[line_no - 1][len(lines[line_no - 1].rstrip("\r\n")) :]
    lines[line_no - 1] = f"{match.group('indent')}state: final{match.group('rest')}{ending}"
    return path, "".join(lines)
