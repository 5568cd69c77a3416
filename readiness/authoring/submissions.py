"""The tablet form's submissions, as KoboToolbox and ODK Central export them, read into the observations that
`readiness import` checks and writes (importing.py): one row per submission, one column per question.

Which export it is, is told by its columns (`recognise`): ODK Central's CSV has `KEY`, `SubmissionDate` and
`meta-instanceID`; KoboToolbox's CSV or XLSX has `_uuid`, `_submission_time`, `_index`. A table with an
`indicator` column is the spreadsheet layout (sheet.py), whatever metadata it also has. `--layout` overrides.

Every column is matched to a question of the form that xlsform.py writes for the project, rebuilt here: by its name
(`LO_01_value`), its path (`LO/LO_01/LO_01_value` from KoboToolbox, `LO-LO_01-LO_01_value` from ODK Central) or its
label in any language of the form (KoboToolbox's labels export, `Law and order/.../LO-01: value`); a choice by its
name or its label. The tools' metadata columns are read for the submission's id and review state and otherwise
ignored; any other column is refused, so that nothing in the export is silently dropped.

Each submission's answers for one indicator become one observation of the layout (region, indicator, value or
reason, confidence, note, one evidence entry), checked by importing.parse_rows cell by cell: every problem names
the export's own row and column. The evidence reference records the submission (`Call register [kobo:<id>]`,
importing.SUBMISSION_TAG), so that importing the same export again changes nothing, and an export taken after the
submission was edited on the server replaces what its earlier import wrote (importing.plan_observation). Two
submissions that give the same indicator for the same region and round are refused, naming both. A submission
rejected on the server (ODK Central's review state `rejected`, KoboToolbox's validation status "not approved") is
left out, with a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..i18n import say
from ..project import Project
from ..validation import did_you_mean
from .importing import Observed, Submission, _header_word, column_names, parse_rows
from .sheet import COLUMNS, TOOL_METADATA, CellProblem, Column, blank, column_key, column_letter, escaped, read_text
from .table import Table
from .xlsform import SECOND, Form, Question, build_form, plain, question_name

LAYOUTS = ("sheet", "kobo", "odk")
#: ODK Central's columns around the answers (its CSV export).
ODK_METADATA = frozenset(
    {
        "submissiondate",
        "key",
        "submitterid",
        "submittername",
        "attachmentspresent",
        "attachmentsexpected",
        "status",
        "reviewstate",
        "deviceid",
        "edits",
        "formversion",
    }
)
#: The columns of a submission's ids, by tool: its id across edits, its current version, the id it had before.
ID_COLUMNS = {
    "odk": {"key": ("key",), "version": ("meta-instanceid", "instanceid"), "previous": ("meta-deprecatedid",)},
    "kobo": {
        "key": ("meta/rootuuid", "rootuuid"),
        "version": ("_uuid", "meta/instanceid", "instanceid"),
        "previous": ("meta/deprecatedid", "deprecatedid"),
    },
}
#: The review states of a submission that the import leaves out.
REJECTED = frozenset({"rejected", "validation_status_not_approved", "not approved", "non approuvé"})
#: The order of the layout's columns in the rows made for parse_rows: the sheet's own columns (sheet.COLUMNS), but
#: the restricted marks, which the tablet form does not ask.
_KEYS = tuple(c for c in COLUMNS if not c.endswith("_restricted"))
_DATA = ("value", "not_collected", "not_applicable", "confidence", "source_type", "reference", "date", "note")
_EVIDENCE = ("source_type", "reference", "date")


@dataclass(frozen=True)
class _Placed(Column):
    """A column of the rows made for parse_rows, named in messages as the export's own column."""

    at: int = 0

    @property
    def letter(self) -> str:
        return column_letter(self.at)


def recognise(project: Project, table: Table) -> str:
    """The layout of a table by its columns: `odk`, `kobo`, or `sheet` (the layout of sheet.py)."""
    assert project.framework is not None
    names = column_names(project.framework.languages)
    for col in table.columns:
        last = col.header.strip().rsplit("/", 1)[-1]
        if col.key == "indicator" or names.get(_header_word(last)) == "indicator":
            return "sheet"
    headers = {col.header.strip().casefold() for col in table.columns}
    if {"key", "submissiondate"} <= headers or "meta-instanceid" in headers:
        return "odk"
    if headers & {"_uuid", "_submission_time", "_index"}:
        return "kobo"
    return "sheet"


def _metadata(header: str) -> bool:
    text = header.strip()
    if text.startswith("_") or text.casefold() in ODK_METADATA:
        return True
    last = re.split(r"[/\-.:]", text)[-1].strip()
    return column_key(last) in TOOL_METADATA or last.casefold() == "rootuuid"


class _Questions:
    """The form's questions by every header an export may give them."""

    def __init__(self, form: Form) -> None:
        self.by_name = {q.name: q for q in form.questions}
        self.by_header: dict[str, Question] = {}
        for q in form.questions:
            for header in (q.name, "/".join((*q.path, q.name)), "-".join((*q.path, q.name)), *q.labels):
                self.by_header.setdefault(plain(header), q)

    def find(self, header: str) -> Question | None:
        found = self.by_header.get(plain(header))
        if found is not None:
            return found
        found = self.by_name.get(re.split(r"[/\-.:]", header.strip())[-1].strip())
        if found is not None:
            return found
        parts = header.split("/")  # a label after group labels the form does not give (a renamed group)
        for i in range(1, len(parts)):
            found = self.by_header.get(plain("/".join(parts[i:])))
            if found is not None:
                return found
        return None


def _clean_id(text: Any) -> str:
    """A submission id as the tag writes it: `uuid:` left out, only the characters an id holds."""
    value = str(text).strip()
    value = value[5:] if value.casefold().startswith("uuid:") else value
    return re.sub(r"[^A-Za-z0-9._-]", "", value)


def read_export(
    project: Project,
    table: Table,
    tool: str,
    round_id: str | None,
    today: date,
    *,
    decimal_comma: bool = False,
    day_first: bool = False,
) -> tuple[dict[tuple[str, str, str], Observed], list[str], list[str]]:
    """The observations an export of the tablet form gives, by (round, region, indicator); one message per
    problem (row and column named); and warnings (submissions left out)."""
    assert project.framework is not None
    form = build_form(project, None)
    questions = _Questions(form)
    problems: list[str] = []
    found: dict[str, Column] = {}
    ids: dict[str, Column] = {}
    review: Column | None = None
    used = {i for _, cells in table.rows for i, c in enumerate(cells) if not blank(c)}
    for col in table.columns:
        header = col.header.strip()
        question = questions.find(header) if header else None
        if question is None:
            if not header:
                if col.index in used:
                    problems.append(say("collection.import.unknown_column", column='""', letter=col.letter))
                continue
            if _metadata(header):
                lowered = header.casefold()
                for role, names in ID_COLUMNS.get(tool, {}).items():
                    if lowered in names and (role not in ids or names.index(lowered) < names.index(ids[role].key)):
                        ids[role] = Column(col.index, col.header, lowered, col.lettered)
                if lowered in ("reviewstate", "_validation_status"):
                    review = col
                continue
            message = say("collection.import.unknown_column", column=col.shown, letter=col.letter)
            hint = did_you_mean(re.split(r"[/\-]", header)[-1], list(questions.by_name))
            problems.append(say("import.hinted", message=message, hint=hint) if hint else message)
            continue
        if question.name in found:
            first = found[question.name]
            problems.append(
                say(
                    "collection.import.twice",
                    first=first.shown,
                    first_letter=first.letter,
                    column=col.shown,
                    letter=col.letter,
                    name=question.name,
                )
            )
            continue
        found[question.name] = col
    by_key = {q.name: q for q in form.questions}
    if not any(by_key[name].indicator for name in found):
        examples = ", ".join(q.name for q in form.questions if q.indicator)[:60]
        problems.append(say("collection.import.no_question", examples=examples))
    if "region" not in found:
        problems.append(say("collection.import.no_region"))
    if "round" not in found and round_id is None:
        problems.append(say("import.header.no_round"))
    if "version" not in ids and "key" not in ids:
        columns = ", ".join(n for role in ("key", "version") for n in ID_COLUMNS[tool][role][:1])
        problems.append(say("collection.import.no_id_column", columns=columns))
    if problems:
        return {}, problems, []
    return _observations(project, table, tool, form, found, ids, review, round_id, today, decimal_comma, day_first)


def _observations(
    project: Project,
    table: Table,
    tool: str,
    form: Form,
    found: dict[str, Column],
    ids: dict[str, Column],
    review: Column | None,
    round_id: str | None,
    today: date,
    decimal_comma: bool,
    day_first: bool,
) -> tuple[dict[tuple[str, str, str], Observed], list[str], list[str]]:
    by_name = {q.name: q for q in form.questions}
    fields: dict[str, dict[str, Column]] = {}  # indicator -> layout key -> column of the export
    for name, col in found.items():
        q = by_name[name]
        if q.indicator is not None and q.key != "state":
            fields.setdefault(q.indicator, {})[q.key] = col
        elif q.indicator is not None:
            fields.setdefault(q.indicator, {})
    choices = {name: form.choice_names(name) for name in {q.choices for q in form.questions if q.choices}}

    def chosen(list_name: str | None, cell: Any) -> Any:
        if list_name is None or not isinstance(cell, str):
            return cell
        return choices[list_name].get(plain(cell), cell)

    def at(cells: list[Any], col: Column | None) -> Any:
        return cells[col.index] if col is not None and col.index < len(cells) else None

    problems: list[str] = []
    notes: list[str] = []
    options = {"decimal_comma": decimal_comma, "day_first": day_first}
    submissions: dict[int, Submission] = {}
    rows: list[tuple[int, list[Any]]] = []
    for number, cells in table.rows:
        key = at(cells, ids.get("key"))
        version = at(cells, ids.get("version"))
        key_text = _clean_id(key) if not blank(key) else _clean_id(version) if not blank(version) else ""
        if not key_text:
            named = ", ".join(c.shown for c in (ids.get("key"), ids.get("version")) if c is not None)
            problems.append(say("collection.import.no_id", row=number, columns=named))
            continue
        version_text = _clean_id(version) if not blank(version) else key_text
        previous = at(cells, ids.get("previous"))
        submission = Submission(
            tool,
            key_text,
            "" if version_text == key_text else re.sub(r"[^A-Za-z0-9]", "", version_text)[:8],
            frozenset({_clean_id(previous)}) if not blank(previous) else frozenset(),
        )
        state = at(cells, review)
        if not blank(state) and plain(str(state)) in REJECTED:
            shown = escaped(str(state).strip(), 40)
            notes.append(say("collection.import.rejected", row=number, id=submission.name, state=shown))
            continue
        submissions[number] = submission
        rows.append((number, cells))

    round_col, region_col = found.get("round"), found.get("region")
    region_list = by_name["region"].choices
    observed: dict[tuple[str, str, str], Observed] = {}
    for ind_id in sorted(fields):
        columns = fields[ind_id]
        if not columns:
            continue
        state_col = found.get(question_name(ind_id, "state"))
        value_q = by_name.get(question_name(ind_id, "value"))

        def placed(block: dict[str, Column | None]) -> list[Column]:
            """The columns of the rows made for parse_rows, each named as the export's column it comes from."""
            out: list[Column] = []
            for i, key in enumerate(_KEYS):
                source = block.get(key)
                if source is not None:
                    header = "indicator" if key == "indicator" else source.header
                    out.append(_Placed(i, header, key, source.lettered, at=source.index))
            return out

        common = {"round": round_col, "region": region_col, "indicator": state_col or region_col}
        main = {**common, **{key: columns.get(key) for key in _DATA}}
        # the second evidence entry: its own columns, with the value and reasons the rows must agree on
        second = {
            **common,
            **{key: columns.get(key) for key in ("value", "not_collected", "not_applicable")},
            **{key: columns.get(name) for name, key in SECOND.items()},
        }
        made: list[tuple[int, list[Any]]] = []
        more: list[tuple[int, list[Any]]] = []
        seen: dict[tuple[str, str], tuple[int, Submission]] = {}
        for number, cells in rows:
            data = {key: at(cells, columns.get(key)) for key in (*_DATA, *SECOND)}
            if all(blank(v) for v in data.values()):
                continue
            submission = submissions[number]
            region = chosen(region_list, at(cells, region_col))
            rnd = at(cells, round_col)
            where = (str(rnd).strip() if not blank(rnd) else round_id or "", str(region).strip())
            first = seen.get(where)
            if first is not None and first[1] != submission:
                problems.append(
                    say(
                        "collection.import.duplicate",
                        first=first[0],
                        second=number,
                        first_id=first[1].name,
                        second_id=submission.name,
                        indicator=ind_id,
                        region=escaped(where[1], 60),
                        round=escaped(where[0], 60),
                    )
                )
                continue
            seen[where] = (number, submission)
            values = {
                "round": rnd,
                "region": region,
                "indicator": ind_id,
                "value": chosen(value_q.choices if value_q else None, data["value"]),
                "not_collected": data["not_collected"],
                "not_applicable": data["not_applicable"],
                "confidence": chosen("confidence", data["confidence"]),
                "source_type": chosen("source", data["source_type"]),
                "reference": _tagged(data["reference"], submission, any(not blank(data[k]) for k in _EVIDENCE)),
                "date": data["date"],
                "note": data["note"],
            }
            made.append((number, [values[key] for key in _KEYS]))
            if any(not blank(data[name]) for name in SECOND):
                evidence = {
                    "source_type": chosen("source", data["source_type_2"]),
                    "reference": _tagged(data["reference_2"], submission, True),
                    "date": data["date_2"],
                }
                row = {**values, "confidence": None, "note": None, **evidence}
                more.append((number, [row[key] for key in _KEYS]))
        if not made:
            continue
        given, found_problems = parse_rows(
            project, Table(placed(main), made, table.header_row), round_id, today, **options
        )
        problems += found_problems
        for key3, obs in given.items():
            obs.submission = submissions[obs.rows[0]]
            observed[key3] = obs
        if more:
            extra, found_problems = parse_rows(
                project, Table(placed(second), more, table.header_row), round_id, today, **options
            )
            problems += [p for p in found_problems if p not in problems]  # the value's, said once
            for key3, obs in extra.items():
                if key3 in observed:
                    kept = observed[key3].evidence
                    kept += [e for e in obs.evidence if not any(_same(e, k) for k in kept)]
    return observed, problems, notes


def _same(a: Any, b: Any) -> bool:
    return bool(a.source == b.source and a.reference.strip() == b.reference.strip() and a.date == b.date)


def _tagged(reference: Any, submission: Submission, evidence: bool) -> Any:
    """The evidence reference as the import writes it: the team's reference, then the submission's tag."""
    if not evidence:
        return reference
    if blank(reference):
        return submission.tag()
    try:
        text = read_text(reference)
    except CellProblem:
        return reference  # parse_rows names the cell and what is wrong with it
    return f"{text} {submission.tag()}"
