"""`readiness new-round` and `readiness close-round`: a round from its opening to its closing.

`new-round` writes one assessment file per region assessed in the previous round (or per assessed-kind leaf
region), listing every indicator with an empty value and, above it as whole comment lines, the previous round's
value and evidence. What does not apply to a region by its nature (a maritime unit's land patrols) is carried
forward as `not_applicable`, marked for the team to confirm. The round is added to rounds.yaml as `collecting`,
with the file's comments kept. Existing files are never overwritten.

`close-round` marks the round `final` in rounds.yaml and seals it, once nothing is missing: a digest of each of its
files is recorded, and from then on the round changes only by an amendment (`amend`, readiness/sealing.py).
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import UsageRefusal
from ..fields import LocalText
from ..i18n import language, say
from ..model import AmendedValue, Observation, Round
from ..project import ROUNDS_FILE, Project


class RoundError(UsageRefusal):
    """The round cannot be scaffolded; nothing was written."""


def _shown(text: object) -> str:
    """A name of the project in the language in use (its first language when it gives no other)."""
    return text.get(language()) if isinstance(text, LocalText) else str(text)


def _previous_line(obs: Observation | None, round_id: str) -> str:
    if obs is None:
        return say("rounds.file.not_in", round=round_id)
    if obs.value is not None:
        dates = sorted(e.date for e in obs.evidence)
        sources = ", ".join(f"{e.source} {e.reference}" for e in obs.evidence)
        if dates:
            line = say("rounds.file.value_dated", round=round_id, value=obs.value, date=dates[-1])
        else:
            line = say("rounds.file.value", round=round_id, value=obs.value)
        return line + (f" ({sources})" if sources else "")
    if obs.not_applicable is not None:
        return say("rounds.file.not_applicable", round=round_id, reason=obs.not_applicable)
    return say("rounds.file.not_collected", round=round_id, reason=obs.not_collected)


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


def assessment_text(
    project: Project, region_id: str, round_id: str, previous: str | None, cutoff: date | None = None
) -> str:
    """The YAML of an empty assessment, with the previous round's figures as comments; an indicator retired by
    the round's cut-off (`cutoff`, for a round not yet in the project) is left out, as the round does not ask it."""
    before = project.assessments.get((previous, region_id)) if previous else None
    lines = [
        "# yaml-language-server: $schema=../../schemas/assessment.schema.json",
        "# " + say("rounds.file.head", region=_shown(project.regions[region_id].name), round=round_id),
        "# " + say("rounds.file.head_more"),
        f"region: {region_id}",
        f"round: {round_id}",
        "assessed_on:",
        "team: []",
        "narrative: |-",
        "  What the team found, in a few sentences.",
        "observations:",
    ]
    day = cutoff or (project.rounds[round_id].date if round_id in project.rounds else None)
    for ind_id in sorted(project.indicators):
        ind = project.indicators[ind_id]
        if ind.retired is not None and day is not None and day >= ind.retired:
            continue  # retired: the round does not ask it
        earlier = before.observations.get(ind_id) if before else None
        lines += _comment_lines(f"{_shown(ind.name)} ({_shown(ind.unit_label or ind.unit)})", "  ")
        lines.append(f"  {ind_id}:")
        if previous:
            lines += _comment_lines(_previous_line(earlier, previous), "    ")
        if earlier is not None and earlier.not_applicable is not None:
            lines.append("    # " + say("rounds.file.carried"))
            lines.append(f"    not_applicable: {_quoted(earlier.not_applicable)}")
            lines.append(f"    carried_from: {previous}")
            continue
        lines.append("    value:")
        kinds = ", ".join(ind.evidence.source_types) or say("rounds.file.any_source")
        lines.append("    evidence: []  # " + say("rounds.file.sources", kinds=kinds))
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
        raise RoundError(say("rounds.error.exists", round=repr(round_id), file=ROUNDS_FILE))
    collecting = [r for r in project.round_order if project.rounds[r].collecting]
    if collecting:  # import, check and the preview mean "the round being collected": there is only ever one
        raise RoundError(say("rounds.error.still_collecting", collecting=collecting[-1], round=round_id))
    if previous is None and project.round_order:
        previous = project.round_order[-1]
    if previous is not None and previous not in project.rounds:
        raise RoundError(
            say("rounds.error.unknown_previous", previous=repr(previous), rounds=", ".join(project.rounds))
        )
    last = project.rounds[project.round_order[-1]].date if project.round_order else None
    if last is not None and cutoff <= last:
        raise RoundError(say("rounds.error.date_order", date=cutoff, last=last))
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
        files[path] = assessment_text(project, region_id, round_id, previous, cutoff)
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


def close_round(project: Project, round_id: str, today: date) -> tuple[Path, str]:
    """rounds.yaml with the round final and sealed: a digest of each of its files recorded (readiness/sealing.py),
    every comment and the order of the rest kept."""
    from ..sealing import digests

    doc, _ = project.origin("round", round_id)
    path = project.root / doc.path
    text = path.read_text(encoding="utf-8")
    return path, with_seal(text, round_id, seal_record(today, digests(project.root, round_id)))


# ---------------------------------------------------------------- seals and amendments (readiness/sealing.py)


def seal_record(on: date, files: dict[str, str]) -> dict[str, Any]:
    """The `seal:` of a round as rounds.yaml writes it."""
    return {"date": on, "files": dict(files)}


def with_seal(text: str, round_id: str, seal: dict[str, Any], amendment: dict[str, Any] | None = None) -> str:
    """rounds.yaml with `round_id` final and sealed (and an amendment appended), comments and order kept."""
    import io

    from ruamel.yaml.comments import CommentedMap

    from .importing import round_trip_yaml

    yaml = round_trip_yaml(text)
    data = yaml.load(text)
    entry = next(r for r in data["rounds"] if str(r["id"]) == round_id)
    entry["state"] = "final"
    files = CommentedMap(seal["files"])
    entry["seal"] = CommentedMap([("date", seal["date"]), ("files", files)])
    if amendment is not None:
        record = CommentedMap(
            [
                ("date", amendment["date"]),
                ("by", amendment["by"]),
                ("reason", amendment["reason"]),
                ("changes", [_flow(c) for c in amendment["changes"]]),
            ]
        )
        entry.setdefault("amendments", []).append(record)
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _flow(change: dict[str, Any]) -> Any:
    from ruamel.yaml.comments import CommentedMap

    mapping = CommentedMap(change)
    mapping.fa.set_flow_style()
    return mapping


def amend_round(
    project: Project,
    round_id: str,
    *,
    on: date,
    by: str,
    reason: str,
    texts: dict[Path, str] | None = None,
) -> tuple[dict[Path, str], list[AmendedValue]]:
    """An amendment of a sealed round: the files to write (the amended assessments, and rounds.yaml with the
    amendment on the record and the round sealed again) and the values it changes. `texts` are the new texts of
    the round's files (an import's plan); without them, the amendment records the hand edits made since the
    seal, reading their earlier version from git where the project is under version control."""
    from ..sealing import breaches, digests, observation_changes, round_folder

    round_ = project.rounds.get(round_id)
    if round_ is None:
        raise RoundError(say("rounds.error.unknown", round=repr(round_id), rounds=", ".join(project.round_order)))
    if round_.seal is None:
        raise RoundError(say("rounds.error.not_sealed", round=round_id))
    folder = round_folder(project.root, round_id)
    if texts is None:
        texts = {}
        for breach in breaches(project.root, round_id, dict(round_.seal.files)):
            if breach.how != "removed":
                texts[folder / breach.name] = (folder / breach.name).read_text(encoding="utf-8")
        removed = [b.name for b in breaches(project.root, round_id, dict(round_.seal.files)) if b.how == "removed"]
        earlier = _committed
    else:
        outside = [p for p in texts if p.parent != folder]
        if outside:
            raise RoundError(say("rounds.error.outside", round=round_id, path=outside[0]))
        removed = []
        earlier = _current
    changes: list[AmendedValue] = []
    for path, text in sorted(texts.items()):
        region = path.stem
        new, _, _ = _load_assessment(text, path)
        old_text = earlier(project.root, path)
        if old_text is None:
            changes.append(
                AmendedValue(region=region, field="file", new="edited outside version control: earlier values unknown")
            )
            continue
        old, _, _ = _load_assessment(old_text, path)
        changes += observation_changes(new.region if new else region, old, new)
    changes += [AmendedValue(region=Path(name).stem, field="file", old="present", new="removed") for name in removed]
    if not changes:
        raise RoundError(say("rounds.error.nothing", round=round_id))
    doc, _ = project.origin("round", round_id)
    rounds_path = project.root / doc.path
    record = {
        "date": date.fromordinal(on.toordinal()),  # its own object: YAML would write one date used twice as an alias
        "by": by,
        "reason": reason,
        "changes": [c.model_dump(exclude_defaults=False, exclude_none=True) for c in changes],
    }
    seal = seal_record(on, digests(project.root, round_id, overlay=texts))
    out = dict(texts)
    out[rounds_path] = with_seal(rounds_path.read_text(encoding="utf-8"), round_id, seal, record)
    return out, changes


def _load_assessment(text: str, path: Path) -> tuple[Any, Any, list[str]]:
    from .importing import _load

    return _load(text, path.name)


def _current(root: Path, path: Path) -> str | None:
    """The text of a file as it is now (an import's amendment replaces it)."""
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def _committed(root: Path, path: Path) -> str | None:
    """The text of a file as the repository's last commit holds it, or None outside version control."""
    from .source import _git

    rel = path.relative_to(root).as_posix()
    if _git(root, "rev-parse", "--is-inside-work-tree") != "true":
        return None
    text = _git(root, "show", f"HEAD:./{rel}")
    return "" if text is None else text  # not in the last commit: a file added since
