"""`readiness import`: the observations table (CSV or XLSX, as `readiness export` and `readiness template` write
it, or as field-survey tools such as KoboToolbox export it) into assessment files.

The layout and the rules for reading cells are in sheet.py. Every row is checked first; nothing is written
unless every row is valid, and no value already in the files is overwritten unless the import is told to
(`replace=True`). Files are edited line by line (yamledit.py): only the lines of the observations that change
are touched; an unchanged sheet changes no byte. Each edited file is read back with the project's own loader
and validated, and every observation it holds is compared with what was meant before anything is written.

The table itself is read by `table.py` (CSV, or a workbook within limits).
"""

from __future__ import annotations

import contextlib
import copy
import csv
import dataclasses
import difflib
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..i18n import available, catalogue, say, say_n
from ..loading import Plain, parse_document
from ..model import Assessment, Indicator, Observation, ValueProblem, read_value, slipped_by
from ..project import Project
from ..validation import did_you_mean, validate_document
from . import sheet as layout
from .sheet import (
    COLUMNS,
    CONFIDENCE,
    DATA_COLUMNS,
    EVIDENCE_COLUMNS,
    INFORMATIVE,
    CellProblem,
    Column,
    blank,
    column_letter,
    escaped,
    ignored_column,
    quoted,
    read_date,
    read_number,
    read_text,
    read_yes_no,
)
from .table import ImportError_, Table, read_table
from .yamledit import STATE_KEYS, EditError, TextEdit, comment_above, entries

#: Kept for compatibility: the column aliases now live in sheet.py.
ALIASES = layout.ALIASES
REQUIRED = ("region", "indicator", "value")


@dataclass
class Plan:
    """What an import would write: file texts by path, the changes one per line, and a summary by file."""

    texts: dict[Path, str] = field(default_factory=dict)
    created: list[Path] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    """`assessments/2027-q1/lowa.yaml: LG-03 value 40 -> 52`, one line per change."""
    summary: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    """What is imported but should be looked at: a value ten or a hundred times the round before's (O007)."""
    layout: str = "sheet"
    """How the table was read: `sheet` (the layout of sheet.py), `kobo` or `odk` (an export of the tablet form,
    submissions.py)."""


# ---------------------------------------------------------------- one observation as the sheet gives it


#: The submission an evidence entry came from, at the end of its reference, as the import of a KoboToolbox or ODK
#: Central export writes it (submissions.py): `Call register [kobo:0c8f...]`, and `[odk:5a1e...#8b2c41d0]` once the
#: submission was edited on the server (the short id of the version imported).
SUBMISSION_TAG = re.compile(r"\s*\[(kobo|odk):([A-Za-z0-9._-]+)(?:#([A-Za-z0-9]+))?\]$")


#: The version an evidence reference records when it names the id a submission had before its edit.
EARLIER = "\0earlier"


@dataclass(frozen=True)
class Submission:
    """A submission of the tablet form, as the observations it gives carry it into the plan."""

    tool: str
    """kobo or odk."""
    key: str
    """Its id on the server, the same across edits (ODK Central's KEY, KoboToolbox's rootUuid)."""
    version: str = ""
    """The short id of its current version; empty while it was never edited."""
    previous: frozenset[str] = frozenset()
    """Ids an earlier version went by (KoboToolbox's deprecatedID, where the export has no rootUuid)."""

    @property
    def name(self) -> str:
        return f"{self.tool}:{self.key}"

    def tag(self) -> str:
        return f"[{self.name}#{self.version}]" if self.version else f"[{self.name}]"

    def version_in(self, reference: str) -> str | None:
        """The version of this submission an evidence reference records, or None when it names another."""
        found = SUBMISSION_TAG.search(reference.strip())
        if found is None or found.group(1) != self.tool:
            return None
        if found.group(2) == self.key:
            return found.group(3) or ""
        return EARLIER if found.group(2) in self.previous else None


def _evidence_key(reference: str, submission: Submission | None) -> str:
    """A reference compared across the versions of its submission: the version left out of its tag, and the id an
    earlier version went by taken for the submission's own."""
    text = reference.strip()
    found = SUBMISSION_TAG.search(text)
    if found is None:
        return text
    name = f"{found.group(1)}:{found.group(2)}"
    if submission is not None and submission.version_in(text) is not None:
        name = submission.name
    return f"{text[: found.start()].strip()} [{name}]"


@dataclass
class EvidenceIn:
    source: str
    reference: str
    date: date
    restricted: bool | None
    row: int


@dataclass
class Observed:
    round: str
    region: str
    indicator: str
    rows: list[int] = field(default_factory=list)
    value: Decimal | bool | None = None
    not_collected: str | None = None
    not_applicable: str | None = None
    confidence: str | None = None
    value_restricted: bool | None = None
    note: str | None = None
    note_restricted: bool | None = None
    evidence: list[EvidenceIn] = field(default_factory=list)
    given: dict[str, int] = field(default_factory=dict)
    """The first row that gave each observation column."""
    submission: Submission | None = None
    """The submission of a tablet form's export that gave it: what its earlier import wrote may be replaced when the
    submission was edited on the server since (plan_observation)."""

    @property
    def state(self) -> tuple[str, Any]:
        for name in STATE_KEYS:
            if getattr(self, name) is not None:
                return name, getattr(self, name)
        return "empty", None


def _agree(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return a.strip() == b.strip()
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    return bool(a == b)


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, str):
        return quoted(value)
    return str(value)


def parse_rows(
    project: Project,
    table: Table,
    round_id: str | None,
    today: date,
    *,
    decimal_comma: bool = False,
    day_first: bool = False,
) -> tuple[dict[tuple[str, str, str], Observed], list[str]]:
    """The observations the table gives, by (round, region, indicator), and one message per problem, naming
    the row and column and saying what to write instead."""
    assert project.framework is not None
    fw = project.framework
    problems: list[str] = []
    known: dict[str, Column] = {}
    used = {i for _, cells in table.rows for i, c in enumerate(cells) if not blank(c)}  # one pass, not one per column
    localised = column_names(fw.languages)
    columns = ", ".join(COLUMNS)
    for col in table.columns:
        if not col.header:
            if col.index in used:
                problems.append(say("import.header.unnamed", letter=col.letter, columns=columns))
            continue
        if col.key not in COLUMNS and not ignored_column(col.header):
            col = localised_column(col, localised)
        if col.key == "restricted":
            problems.append(say("import.header.restricted", column=col.shown, letter=col.letter))
            continue
        if col.key not in COLUMNS:
            if ignored_column(col.header) or _localised_choice(col.header, localised):
                continue
            hint = column_hint(col.key, fw.languages)
            if hint:
                problems.append(say("import.header.unknown_hint", column=col.shown, letter=col.letter, hint=hint))
            else:
                problems.append(say("import.header.unknown", column=col.shown, letter=col.letter, columns=columns))
            continue
        if col.key in known:
            first = known[col.key]
            problems.append(
                say(
                    "import.header.twice",
                    first=first.shown,
                    first_letter=first.letter,
                    column=col.shown,
                    letter=col.letter,
                    key=col.key,
                )
            )
            continue
        known[col.key] = col
    missing = [c for c in REQUIRED if c not in known]
    if missing:
        problems.append(say("import.header.missing", missing=", ".join(missing), columns=columns))
    problems += _merged_problems(table, known)
    if "round" not in known and round_id is None and not missing:
        problems.append(say("import.header.no_round"))
    if problems:
        return {}, problems

    sources = [s.id for s in fw.source_types]
    observed: dict[tuple[str, str, str], Observed] = {}
    advice: dict[str, list[int]] = {}  # what holds for the whole sheet, said once: the rows it comes from
    last_region = ""
    for number, cells in table.rows:

        def cell(key: str, cells: list[Any] = cells) -> Any:
            col = known.get(key)
            return cells[col.index] if col is not None and col.index < len(cells) else None

        def where(key: str, number: int = number) -> str:
            if key in known:
                return say("import.where.row_at", row=number, place=known[key].where())
            return say("import.where.row", row=number)

        if all(blank(cell(k)) for k in DATA_COLUMNS):
            continue  # an untouched template row
        found: list[str] = []

        def bad(key: str, message: str, found: list[str] = found) -> None:
            found.append(say("import.where.at", where=where(key), message=message))

        def text(key: str) -> str | None:
            raw = cell(key)
            if blank(raw):
                return None
            try:
                return read_text(raw)
            except CellProblem as exc:
                bad(key, exc.message)
                return None

        rnd = text("round") or round_id or ""
        if round_id is not None and rnd != round_id:
            bad("round", say("import.row.other_round", round=escaped(rnd, 60), imported=round_id))
            problems += found
            continue
        region, ind_id = text("region") or "", text("indicator") or ""
        if not rnd:
            bad("round", say("import.row.no_round"))
        elif rnd not in project.rounds:
            hint = did_you_mean(rnd, project.rounds) or say("import.row.add_round")
            bad("round", _hinted(say("import.row.unknown_round", round=quoted(rnd)), hint))
        if region not in project.regions:
            hint = did_you_mean(region, project.regions)
            if not region and last_region:
                hint = say("import.row.fill_region")
            message = say("import.row.unknown_region", region=quoted(region)) if region else say("import.row.no_region")
            bad("region", _hinted(message, hint))
        last_region = region
        ind = project.indicators.get(ind_id)
        if ind is None:
            hint = did_you_mean(ind_id, project.indicators)
            message = (
                say("import.row.unknown_indicator", indicator=quoted(ind_id))
                if ind_id
                else say("import.row.no_indicator")
            )
            bad("indicator", _hinted(message, hint))
        if found or ind is None:
            problems += found
            continue
        row: dict[str, Any] = {}
        raw = cell("value")
        if not blank(raw):
            row["value"] = _read_value(ind, raw, fw, decimal_comma, lambda m: bad("value", m), advice, number)
        for key in ("not_collected", "not_applicable", "note"):
            row[key] = text(key)
        confidence = text("confidence")
        if confidence is not None:
            if confidence.lower() in CONFIDENCE:
                row["confidence"] = confidence.lower()
            else:
                hint = did_you_mean(confidence.lower(), CONFIDENCE)
                bad("confidence", _hinted(say("import.row.confidence", got=quoted(confidence)), hint))
        flags: dict[str, bool | None] = {}
        for key in ("value_restricted", "note_restricted", "evidence_restricted"):
            if not blank(cell(key)):
                try:
                    flags[key] = read_yes_no(cell(key), key)
                except CellProblem as exc:
                    bad(key, exc.message)
        row["value_restricted"], row["note_restricted"] = flags.get("value_restricted"), flags.get("note_restricted")
        evidence = None
        if any(not blank(cell(k)) for k in EVIDENCE_COLUMNS):
            source, reference = text("source_type"), text("reference")
            when = None
            if not blank(cell("date")):
                try:
                    when = read_date(cell("date"), day_first=day_first)
                except CellProblem as exc:
                    bad("date", exc.message)
            if source is None:
                bad(
                    "source_type",
                    say("import.row.no_source", sources=", ".join(sources))
                    if "source_type" in known
                    else say("import.row.no_source_column"),
                )
            elif source not in sources:
                hint = did_you_mean(source, sources)
                message = say("import.row.unknown_source", source=quoted(source), sources=", ".join(sources))
                bad("source_type", _hinted(message, hint))
            if when is None and blank(cell("date")):
                bad("date", say("import.row.no_date") if "date" in known else say("import.row.no_date_column"))
            elif when is not None and rnd in project.rounds:
                cutoff = project.rounds[rnd].date
                if when > cutoff:
                    bad("date", say("import.row.after_cutoff", date=when, cutoff=cutoff))
                elif when > today:
                    bad("date", say("import.row.future", date=when))
            if source is not None and when is not None:
                evidence = EvidenceIn(
                    source, reference or f"imported row {number}", when, flags.get("evidence_restricted"), number
                )
        if found:
            problems += found
            continue
        key3 = (rnd, region, ind_id)
        obs = observed.setdefault(key3, Observed(rnd, region, ind_id))
        obs.rows.append(number)
        for name in (
            "value",
            "not_collected",
            "not_applicable",
            "confidence",
            "value_restricted",
            "note",
            "note_restricted",
        ):
            new = row.get(name)
            if new is None:
                continue
            first = getattr(obs, name)
            if first is None:
                setattr(obs, name, new)
                obs.given[name] = number
            elif not _agree(first, new):
                message = say(
                    "import.row.disagree",
                    indicator=ind_id,
                    region=region,
                    here=_shown(new),
                    there=_shown(first),
                    row=obs.given[name],
                )
                problems.append(say("import.where.at", where=where(name), message=message))
        if evidence is not None and not any(
            e.source == evidence.source
            and e.reference.strip() == evidence.reference.strip()
            and e.date == evidence.date
            for e in obs.evidence
        ):
            obs.evidence.append(evidence)
    for text_, rows in advice.items():
        problems.append(say("import.where.at", where=_rows(rows), message=text_))
    for obs in observed.values():
        given = [n for n in STATE_KEYS if getattr(obs, n) is not None]
        row_no = obs.rows[0]
        if len(given) > 1:
            message = say("import.row.both", indicator=obs.indicator, region=obs.region, given=_and(given, every=True))
            problems.append(say("import.where.at", where=say("import.where.row", row=row_no), message=message))
        elif not given:
            if obs.note is not None and not obs.evidence and obs.note_restricted is not True:
                obs.not_collected, obs.note = obs.note, None  # a note and no value: the reason it was not collected
                obs.given["not_collected"] = obs.given.pop("note")
            else:
                message = say("import.row.nothing", indicator=obs.indicator, region=obs.region)
                problems.append(say("import.where.at", where=say("import.where.row", row=row_no), message=message))
    return observed, problems


def _plain(word: str) -> str:
    """A header compared without case, accents or separators: `Commentaire`, `commentaire`, `type_de_source`."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if c.isalnum())


def _merged_problems(table: Table, known: dict[str, Column]) -> list[str]:
    """One problem per range of merged cells that reaches a column import reads, below the header: a merged cell
    keeps its value only in its first cell, so the rows under it would have none."""
    problems = []
    by_index = {col.index: col for col in known.values()}
    for ref, row1, col1, row2, col2 in table.merged:
        if row2 <= table.header_row:
            continue  # a title above the table, or merged header cells
        hit = [by_index[i] for i in range(col1, col2 + 1) if i in by_index]
        if not hit:
            continue  # in a column import ignores
        first = f"{column_letter(col1)}{row1}"
        names = _and([col.key for col in hit], every=True)
        others = (
            say_n("import.merged.rows_below", len(hit), first=row1 + 1, last=row2, names=names)
            if row2 > row1
            else say_n("import.merged.other_cells", len(hit), cells=ref, names=names)
        )
        fill = say_n("import.merged.fill", len(hit), names=names)
        problems.append(say("import.merged.cells", cells=ref, first=first, others=others, fill=fill))
    return problems


def column_names(languages: list[str]) -> dict[str, str]:
    """The columns by their names in the project's languages (`sheet_column` in the catalogues), each name
    compared as `_header_word` compares headers: `commentaire` -> note, `Type de source` -> source_type."""
    names: dict[str, str] = {}
    for lang in [lang for lang in languages if lang in available()]:
        words = catalogue(lang)
        for column in COLUMNS:
            names.setdefault(_header_word(words[f"sheet_column.{column}"]), column)
    return names


def _header_word(word: str) -> str:
    """A header as `column_names` compares it: without case, accents, spaces, hyphens or underscores (`Type de
    source`, `type_de_source`, `TYPE-DE-SOURCE`). Nothing else is dropped: a header holding an invisible character
    is no column's name."""
    import unicodedata

    decomposed = unicodedata.normalize("NFD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c) and c not in " -_")


def localised_column(col: Column, names: dict[str, str]) -> Column:
    """The column a header names in one of the project's languages (`valeur`, `Type de source`, `group/valeur`),
    or the column as it was when the header is no column's name."""
    column = names.get(_header_word(col.header.strip().rsplit("/", 1)[-1].strip()))
    return dataclasses.replace(col, key=column) if column is not None else col


def _localised_choice(header: str, names: dict[str, str]) -> bool:
    """A KoboToolbox column per choice under a localised name (`type de source/ADM`): ignored, as `source_type/ADM`."""
    parts = header.strip().split("/")
    return len(parts) > 1 and _header_word(parts[-2].strip()) in names


def column_hint(key: str, languages: list[str]) -> str:
    """The column an unknown header most likely means, in any of the project's languages: `Commentaires` is
    the note column (`commentaire`). '' when nothing is close."""
    names: dict[str, tuple[str, str, str]] = {}  # plain name -> (column, "Français", "commentaire")
    for lang in [lang for lang in languages if lang in available()]:
        words = catalogue(lang)
        for column in COLUMNS:
            word = words[f"sheet_column.{column}"]
            if _plain(word) != _plain(column):
                names.setdefault(_plain(word), (column, words["language_name"], word))
    for column in COLUMNS + INFORMATIVE:
        names.setdefault(_plain(column), (column, "", ""))
    plain = _plain(key)
    close = [plain] if plain in names else difflib.get_close_matches(plain, list(names), n=1, cutoff=0.75)
    if not close:
        return did_you_mean(key, COLUMNS + INFORMATIVE)
    column, language, word = names[close[0]]
    if language:
        return say("import.header.did_you_mean_in", column=column, language=language, word=quoted(word))
    return say("import.header.did_you_mean", column=column)


def _hinted(message: str, hint: str) -> str:
    """A message and, when there is one, its hint: `unknown region "x"; did you mean "y"?`."""
    return say("import.hinted", message=message, hint=hint) if hint else message


def _and(items: list[str], *, every: bool = False) -> str:
    """`a, b and c` (`a and b and c` with `every`), with the language's "and"."""
    word = f" {say('import.and')} "
    if every or len(items) < 2:
        return word.join(items)
    return ", ".join(items[:-1]) + word + items[-1]


def _rows(numbers: list[int], shown: int = 8) -> str:
    """`row 4`, `rows 4, 7 and 9`, `rows 4, 5, 6 ... (12 rows)`."""
    if len(numbers) == 1:
        return say("import.where.row", row=numbers[0])
    if len(numbers) <= shown:
        return say("import.where.rows", rows=_and([str(n) for n in numbers]))
    return say("import.where.rows_many", rows=", ".join(map(str, numbers[:shown])), count=len(numbers))


def _read_value(
    ind: Indicator, raw: Any, fw: Any, decimal_comma: bool, bad: Any, advice: dict[str, list[int]], row: int
) -> Decimal | bool | None:
    try:
        if ind.unit == "yes-no":
            return read_yes_no(raw, say("import.yes_no.indicator", indicator=ind.id))
        number = read_number(raw, decimal_comma=decimal_comma, indicator=ind.id, unit=ind.unit)
    except CellProblem as exc:
        bad(exc.message)
        if exc.advice:
            advice.setdefault(exc.advice, []).append(row)
        return None
    try:
        read_value(ind, Observation.model_validate({"value": Plain(format(number, "f"))}), fw.scale)
    except ValueProblem as problem:
        bad(say("import.with_fix", message=problem.message, fix=problem.hint) if problem.hint else problem.message)
        return None
    return number


# ---------------------------------------------------------------- planning the edits


@dataclass
class _FilePlan:
    rel: str
    changes: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: {"values": 0, "evidence": 0, "other": 0})


def _existing_state(obs: Observation | None, ind: Indicator, project: Project) -> tuple[str, Any]:
    if obs is None:
        return "missing", None
    if obs.value is not None:
        try:
            return "value", read_value(ind, obs, project.framework.scale)  # type: ignore[union-attr]
        except ValueProblem:
            return "value", str(obs.value)
    if obs.not_collected is not None:
        return "not_collected", obs.not_collected
    if obs.not_applicable is not None:
        return "not_applicable", obs.not_applicable
    return "empty", None


def _describe(kind: str, value: Any) -> str:
    if kind == "value":
        return say("import.state.value", value=_shown(value))
    if kind in ("empty", "missing"):
        return say(f"import.state.{kind}")
    return say("import.state.reason", key=kind, reason=quoted(str(value)))


def _same_state(old: tuple[str, Any], new: tuple[str, Any]) -> bool:
    if old[0] != new[0]:
        return False
    if old[0] == "value":
        a, b = old[1], new[1]
        if isinstance(a, bool) or isinstance(b, bool):
            return a is b
        return isinstance(a, Decimal) and a == b
    return str(old[1]).strip() == str(new[1]).strip()


def _number_text(value: Decimal | bool) -> Plain:
    if isinstance(value, bool):
        return Plain("true" if value else "false")
    return Plain(format(value, "f"))


def _note_text(note: Any) -> str:
    return str(note.text) if note is not None else ""


def plan_observation(
    project: Project,
    seen: Observed,
    before: Observation | None,
    raw: dict[str, Any] | None,
    replace: bool,
    fp: _FilePlan,
) -> dict[str, Any] | None:
    """The observation as it should be written (raw, as the loader reads it), or None when nothing changes.
    Changes and conflicts are recorded in `fp`."""
    ind = project.indicators[seen.indicator]
    target: dict[str, Any] = copy.deepcopy(raw) if raw is not None else {}
    changed = False
    ind_id = seen.indicator
    sub = seen.submission
    recorded = [sub.version_in(e.reference) for e in before.evidence] if sub is not None and before else []
    mine = [i for i, version in enumerate(recorded) if version is not None]
    # The submission was edited on the server since the import that wrote its evidence here: what it gives now
    # replaces what it gave then, without --replace. While it is unchanged, a difference is an edit of the file;
    # and an export of its first version, older than the edit the file holds, replaces nothing either.
    newer = sub is not None and (bool(sub.version) or EARLIER in recorded)
    edited = sub is not None and newer and bool(mine) and all(recorded[i] != sub.version for i in mine)

    def change(text: str, kind: str = "other") -> None:
        nonlocal changed
        changed = True
        line = say("import.change.line", file=fp.rel, indicator=ind_id, change=text)
        fp.changes.append(escaped(line))  # printed as it is: no terminal escape
        fp.counts[kind] += 1

    def conflict(row: int, text: str) -> bool:
        if replace or edited:
            return True
        fp.conflicts.append(say("import.conflict.line", row=row, file=fp.rel, indicator=ind_id, conflict=text))
        return False

    old = _existing_state(before, ind, project)
    new = seen.state
    provisional = before is not None and before.not_applicable is not None and getattr(before, "carried_from", None)
    if new[0] != "empty" and not _same_state(old, new):
        row = seen.given.get(new[0], seen.rows[0])
        free = old[0] in ("missing", "empty") or provisional
        if free or conflict(row, say("import.conflict.state", old=_describe(*old), new=_describe(*new))):
            rebuilt: dict[str, Any] = {}
            placed = False
            new_text = _number_text(new[1]) if new[0] == "value" else new[1]
            for key, value in target.items():
                if key in STATE_KEYS or key == "carried_from":
                    if not placed and key in STATE_KEYS:
                        rebuilt[new[0]] = new_text
                        placed = True
                    continue
                rebuilt[key] = value
            if not placed:
                rebuilt = {new[0]: new_text, **rebuilt}
            target = rebuilt
            if old[0] == "value" and new[0] == "value":
                change(say("import.change.value", old=_shown(old[1]), new=_shown(new[1])), "values")
            elif old[0] in ("missing", "empty"):
                change(say(f"import.change.was_{old[0]}", new=_describe(*new)), "values")
            else:
                change(say("import.change.state", old=_describe(*old), new=_describe(*new)), "values")
    if seen.confidence is not None and (before is None or before.confidence != seen.confidence):
        was = before.confidence if before is not None else None
        if was is None:
            target["confidence"] = Plain(seen.confidence)
            change(say("import.change.confidence_set", new=seen.confidence))
        elif conflict(seen.given["confidence"], say("import.conflict.confidence", old=was, new=seen.confidence)):
            target["confidence"] = Plain(seen.confidence)
            change(say("import.change.confidence", old=was, new=seen.confidence))
    if seen.value_restricted is not None and (before is not None and before.restricted) != seen.value_restricted:
        if seen.value_restricted:
            target["restricted"] = Plain("true")
            change(say("import.change.restricted"))
        elif conflict(seen.given["value_restricted"], say("import.conflict.restricted")):
            target.pop("restricted", None)
            change(say("import.change.unrestricted"))
    _plan_note(seen, before, target, change, conflict)
    evidence = list(target.get("evidence") or [])
    existing = list(before.evidence) if before is not None else []
    matched: set[int] = set()
    for entry in seen.evidence:
        match = next(
            (
                i
                for i, e in enumerate(existing)
                if e.source == entry.source
                and _evidence_key(e.reference, sub) == _evidence_key(entry.reference, sub)
                and e.date == entry.date
            ),
            None,
        )
        if match is not None:
            matched.add(match)
        label = f"{entry.source} {quoted(entry.reference)} {entry.date}"
        if match is None:
            item: dict[str, Any] = {
                "source": Plain(entry.source),
                "reference": entry.reference,
                "date": Plain(entry.date.isoformat()),
            }
            if entry.restricted:
                item["restricted"] = Plain("true")
            evidence.append(item)
            added = "import.change.evidence_added_restricted" if entry.restricted else "import.change.evidence_added"
            change(say(added, evidence=label), "evidence")
        elif entry.restricted is not None and existing[match].restricted != entry.restricted:
            item = dict(evidence[match])
            if entry.restricted:
                item["restricted"] = Plain("true")
                evidence[match] = item
                change(say("import.change.evidence_restricted", evidence=label))
            elif conflict(entry.row, say("import.conflict.evidence_restricted", evidence=label)):
                item.pop("restricted", None)
                evidence[match] = item
                change(say("import.change.evidence_unrestricted", evidence=label))
    if edited and sub is not None:
        _replace_submission_evidence(sub, existing, mine, matched, evidence, changed, change)
    if len(evidence) != len(target.get("evidence") or []) or any(
        a is not b for a, b in zip(evidence, target.get("evidence") or [], strict=False)
    ):
        target["evidence"] = evidence
    if changed and target.get("value") is not None and not target.get("evidence"):
        message = say("import.row.no_evidence", indicator=ind_id, region=seen.region)
        where = say("import.where.row", row=seen.given.get("value", seen.rows[0]))
        fp.problems.append(say("import.where.at", where=where, message=message))
    return target if changed else None


def _replace_submission_evidence(
    sub: Submission,
    existing: list[Any],
    mine: list[int],
    matched: set[int],
    evidence: list[Any],
    changed: bool,
    change: Any,
) -> None:
    """What an edited submission's earlier import wrote as evidence (`mine`, indices into the file's entries): an
    entry it no longer gives is removed; one it still gives records the version now imported, when the observation
    changes (an unchanged observation keeps its lines). `evidence` (the raw entries) is edited in place."""
    drop = []
    for i in mine:
        old = existing[i]
        label = f"{old.source} {quoted(old.reference)} {old.date}"
        if i not in matched:
            drop.append(i)
            change(say("collection.change.evidence_dropped", evidence=label))
        elif changed:
            base = SUBMISSION_TAG.sub("", old.reference.strip())
            reference = f"{base} {sub.tag()}" if base else sub.tag()
            if reference != old.reference.strip():
                evidence[i] = {**evidence[i], "reference": reference}
                new = f"{old.source} {quoted(reference)} {old.date}"
                change(say("collection.change.evidence_moved", old=label, new=new))
    for i in sorted(drop, reverse=True):
        del evidence[i]


def _plan_note(seen: Observed, before: Observation | None, target: dict[str, Any], change: Any, conflict: Any) -> None:
    note = before.note if before is not None else None
    raw = target.get("note")
    if seen.note is None and seen.note_restricted is None:
        return
    if seen.note is None and note is None:
        return  # a restricted mark for a note nobody wrote: nothing to mark
    restricted = note.restricted if note is not None else False
    text_changes = seen.note is not None and (note is None or _note_text(note).strip() != seen.note.strip())
    want_restricted = restricted if seen.note_restricted is None else seen.note_restricted
    if not text_changes and want_restricted == restricted:
        return
    row = seen.given.get("note", seen.given.get("note_restricted", seen.rows[0]))
    if note is None:
        target["note"] = {"text": seen.note, "restricted": Plain("true")} if want_restricted else seen.note
        change(say("import.change.note_set", note=quoted(str(seen.note))))
        return
    if text_changes and not conflict(
        row, say("import.conflict.note", old=quoted(_note_text(note)), new=quoted(str(seen.note)))
    ):
        return
    if restricted and not want_restricted and not conflict(row, say("import.conflict.note_restricted")):
        return
    new = dict(raw) if isinstance(raw, dict) and "text" in raw else {"text": raw}
    if text_changes:
        new["text"] = seen.note
    if want_restricted:
        new["restricted"] = Plain("true")
    else:
        new.pop("restricted", None)
    target["note"] = new if set(new) != {"text"} else new["text"]
    if text_changes:
        change(say("import.change.note", old=quoted(_note_text(note)), new=quoted(str(seen.note))))
    if want_restricted != restricted:
        change(say("import.change.note_restricted" if want_restricted else "import.change.note_unrestricted"))


def _assessment_path(project: Project, round_id: str, region: str) -> Path:
    origin = project.origins.get(("assessment", f"{round_id}/{region}"))
    return project.root / origin[0].path if origin else project.root / "assessments" / round_id / f"{region}.yaml"


def _load(text: str, rel: str) -> tuple[Assessment | None, Any, list[str]]:
    doc, found = parse_document(text.encode("utf-8"), rel)
    model = None
    if doc is not None:
        model, found = validate_document(doc, Assessment)
    if found or model is None or doc is None:
        return (
            None,
            None,
            [say("import.file.at_line", message=d.message, line=d.line) for d in found]
            or [say("import.file.cannot_be_read")],
        )
    return model, doc.data, []  # type: ignore[return-value]


def plan_file(
    project: Project, round_id: str, region: str, group: list[Observed], replace: bool, plan: Plan
) -> tuple[_FilePlan, str | None]:
    """The new text of one assessment file (None when nothing changes)."""
    path = _assessment_path(project, round_id, region)
    rel = path.relative_to(project.root).as_posix()
    fp = _FilePlan(rel)
    created = not path.exists()
    if created:
        from .rounds import assessment_text

        original = assessment_text(project, region, round_id, project.previous_round(round_id))
    else:
        try:
            original = path.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            fp.problems.append(say("import.file.unreadable", file=rel, error=str(exc)))
            return fp, None
    before, data, found = _load(original, rel)
    if before is None:
        fp.problems.append(say("import.file.invalid", file=rel, problems="; ".join(found[:3])))
        return fp, None
    if before.region != region or before.round != round_id:
        fp.problems.append(
            say(
                "import.file.other_assessment",
                file=rel,
                holds_region=before.region,
                holds_round=before.round,
                region=region,
                round=round_id,
            )
        )
        return fp, None
    raw_observations = data.get("observations") or {}
    targets: dict[str, dict[str, Any]] = {}
    for seen in sorted(group, key=lambda o: o.rows[0]):
        raw = raw_observations.get(seen.indicator) if isinstance(raw_observations, dict) else None
        target = plan_observation(
            project, seen, before.observations.get(seen.indicator), raw if isinstance(raw, dict) else None, replace, fp
        )
        if target is not None:
            targets[seen.indicator] = target
    if fp.problems or fp.conflicts or not targets:
        return fp, None
    try:
        text = edit_text(original, raw_observations, targets)
    except EditError as exc:
        fp.problems.append(say("import.file.cannot_edit", file=rel, error=str(exc)))
        return fp, None
    after, _, found = _load(text, rel)
    if after is None:
        rows = ", ".join(str(r) for o in group for r in o.rows)
        fp.problems.append(say("import.file.would_be_invalid", rows=rows, file=rel, problems="; ".join(found)))
        return fp, None
    meant = {k: Observation.model_validate(v) for k, v in targets.items()}
    wrong = [k for k in after.observations if after.observations[k] != meant.get(k, before.observations.get(k))]
    wrong += [k for k in before.observations if k not in after.observations]
    if wrong or after.model_dump(exclude={"observations"}) != before.model_dump(exclude={"observations"}):
        what = ", ".join(wrong) or say("import.file.header")
        fp.problems.append(say("import.file.read_back", file=rel, what=what))
        return fp, None
    if created:
        plan.created.append(path)
    return fp, text


def edit_text(original: str, raw_observations: dict[str, Any], targets: dict[str, dict[str, Any]]) -> str:
    """The file's text with each observation of `targets` made to hold its target, line by line."""
    edit = TextEdit.of(original)
    root = edit.root
    if root is None or not hasattr(root, "value") or not isinstance(root.value, list):
        raise EditError(say("import.edit.not_mapping"))
    top = entries(root)  # type: ignore[arg-type]
    if "observations" not in top:
        raise EditError(say("import.edit.no_observations"))
    obs_key, obs_node = top["observations"]
    from yaml.nodes import MappingNode

    if not isinstance(obs_node, MappingNode) or obs_node.flow_style or not obs_node.value:
        merged = dict(raw_observations or {})
        merged.update(targets)
        edit.set_entry(obs_key, obs_node, "observations", merged)
        return edit.result()
    found = entries(obs_node)
    for ind_id, target in targets.items():
        if ind_id in found:
            key, value = found[ind_id]
            old = raw_observations.get(ind_id)
            if isinstance(value, MappingNode) and not value.flow_style and value.value and isinstance(old, dict):
                if "carried_from" in old and "carried_from" not in target:
                    state = next((k for k in STATE_KEYS if k in old), None)
                    if state is not None:
                        span = comment_above(edit, entries(value)[state][0], "carried")
                        if span is not None:
                            edit.replace(*span, "")
                edit.sync_mapping(value, old, target)
            else:
                edit.set_entry(key, value, ind_id, target)
        else:
            edit.insert_entry(obs_node, ind_id, target)
    return edit.result()


def import_table(
    project: Project,
    path: Path,
    round_id: str | None,
    today: date,
    *,
    replace: bool = False,
    decimal_comma: bool = False,
    day_first: bool = False,
    sheet: str | None = None,
    amend: str | None = None,
    layout_name: str | None = None,
) -> Plan:
    """Read, check and plan an import; raises ImportError_ with every problem when anything is wrong (nothing
    is written then, nor by this function ever: `write_plan` writes). Rows that would change a sealed round are
    refused, unless `amend` names that round (`readiness amend`, which records the change). The table is read in
    the layout of sheet.py, or as a KoboToolbox or ODK Central export of the tablet form when its columns say so
    (submissions.recognise) or `layout_name` does (`sheet`, `kobo`, `odk`)."""
    try:
        table = read_table(path, sheet)
    except ImportError_:
        raise
    except (OSError, csv.Error, ValueError, KeyError, json.JSONDecodeError) as exc:
        raise ImportError_([say("import.table.unreadable", name=escaped(path.name), error=escaped(str(exc)))]) from None
    except Exception as exc:  # openpyxl raises its own errors for files that are not workbooks
        raise ImportError_(
            [say("import.table.not_workbook", name=escaped(path.name), error=escaped(str(exc)))]
        ) from None
    if not table.columns:
        raise ImportError_([say("import.table.no_rows", name=escaped(path.name))])
    from .submissions import read_export, recognise

    kind = layout_name or recognise(project, table)
    notes: list[str] = []
    if kind == "sheet":
        observed, problems = parse_rows(
            project, table, round_id, today, decimal_comma=decimal_comma, day_first=day_first
        )
    else:
        observed, problems, notes = read_export(
            project, table, kind, round_id, today, decimal_comma=decimal_comma, day_first=day_first
        )
    if problems:
        raise ImportError_(problems)
    groups: dict[tuple[str, str], list[Observed]] = {}
    for obs in observed.values():
        groups.setdefault((obs.round, obs.region), []).append(obs)
    plan = Plan(warnings=notes + _magnitude_warnings(project, observed), layout=kind)
    conflicts: list[str] = []
    order = {r: (v.date, r) for r, v in project.rounds.items()}
    sealed: dict[str, int] = {}
    for (rnd, region), group in sorted(groups.items(), key=lambda kv: (order[kv[0][0]], kv[0][1])):
        fp, text = plan_file(project, rnd, region, group, replace, plan)
        round_ = project.rounds.get(rnd)
        if round_ is not None and round_.sealed and rnd != amend and (fp.conflicts or fp.changes):
            sealed[rnd] = sealed.get(rnd, 0) + 1  # any change to a closed round, even one --replace would make
            continue
        problems += fp.problems
        conflicts += fp.conflicts
        if text is None or fp.problems or fp.conflicts:
            continue
        path_ = _assessment_path(project, rnd, region)
        plan.texts[path_] = text
        plan.changes += fp.changes
        counts = fp.counts
        done = [
            say_n("import.summary.values", counts["values"]),
            say_n("import.summary.evidence", counts["evidence"]),
        ]
        if counts["other"]:
            done.append(say_n("import.summary.other", counts["other"]))
        verb = "create" if path_ in plan.created else "update"
        plan.summary.append(say(f"import.summary.{verb}", file=fp.rel, changes=", ".join(done)))
    for rnd, n in sorted(sealed.items()):
        seal = project.rounds[rnd].seal
        problems.append(say_n("import.sealed", n, round=rnd, sealed=seal.date if seal else "?"))
    if conflicts:
        problems += conflicts
        problems.append(say_n("import.conflict.replace", len(conflicts)))
    if problems:
        raise ImportError_(problems)
    if not plan.texts:
        plan.summary.append(say("import.summary.nothing"))
    return plan


def _magnitude_warnings(project: Project, observed: dict[tuple[str, str, str], Observed]) -> list[str]:
    """A warning for each value ten or a hundred times the same region's value in the round before (the rule
    O007 of `check`, which says the same once the value is in the file)."""
    assert project.framework is not None
    warnings = []
    for (rnd, region, ind_id), obs in sorted(observed.items()):
        ind = project.indicators[ind_id]
        before_id = project.previous_round(rnd) if rnd in project.rounds else None
        before = project.assessments.get((before_id, region)) if before_id else None
        old = before.observations.get(ind_id) if before else None
        value = obs.value
        if not isinstance(value, Decimal) or old is None or obs.note is not None:
            continue
        try:
            previous = read_value(ind, old, project.framework.scale)
        except ValueProblem:
            continue
        if not isinstance(previous, Decimal) or isinstance(previous, bool):
            continue
        factor = slipped_by(value, previous)
        if factor:
            message = say(
                "import.magnitude.larger" if abs(value) > abs(previous) else "import.magnitude.smaller",
                indicator=ind_id,
                region=region,
                value=value,
                previous=previous,
                round=before_id,
                factor=factor,
            )
            row = say("import.where.row", row=obs.given.get("value", obs.rows[0]))
            warnings.append(say("import.where.at", where=row, message=message))
    return warnings


# ---------------------------------------------------------------- writing


def write_plan(plan: Plan) -> None:
    """Write every file of the plan, all or nothing: each new text is staged beside its file, then the
    renames run; if anything fails on the way, every file is put back as it was."""
    staged: list[tuple[Path, Path]] = []
    originals: dict[Path, bytes | None] = {}
    created_dirs: list[Path] = []
    try:
        for path, text in plan.texts.items():
            if not path.parent.exists():
                for parent in reversed([path.parent, *path.parent.parents]):
                    if not parent.exists():
                        parent.mkdir()
                        created_dirs.append(parent)
            originals[path] = path.read_bytes() if path.exists() else None
            # a fresh name beside the file (never a file or link that was there), renamed into place below
            fd, name = tempfile.mkstemp(prefix=f".{path.name[:80]}.", suffix=".import-tmp", dir=path.parent)
            staged.append((Path(name), path))
            with os.fdopen(fd, "wb") as stream:
                stream.write(text.encode("utf-8"))
        for tmp, path in staged:
            tmp.replace(path)
    except BaseException:
        for tmp, path in staged:
            tmp.unlink(missing_ok=True)
            before = originals.get(path)
            if before is None:
                path.unlink(missing_ok=True)
            else:
                path.write_bytes(before)
        for folder in reversed(created_dirs):
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise


def round_trip_yaml(text: str = "") -> Any:
    """A round-trip YAML editor that keeps comments, key order, quotes and the file's own list indentation
    (used by new-round for rounds.yaml; imports edit assessment files line by line instead)."""

    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 110
    indented = re.search(r"^( +)- ", text, re.MULTILINE) is not None or not text
    if indented:
        yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml
