"""`readiness import` of the tablet form's submissions, as KoboToolbox and ODK Central export them: the same values
give the same assessment files (but for the submission recorded in each evidence reference) and the same scores as
the spreadsheet; importing an export again changes nothing; an edit made on the server replaces only what changed.

The exports are written here from the form's own questions (`build_form`), in each tool's layout: KoboToolbox's
CSV (`;`, `group/question` headers, `_uuid`...) or XLSX, its labels export (French headers and choices), and ODK
Central's CSV (`group-question` headers, `meta-instanceID`, `KEY`...)."""

from __future__ import annotations

import csv
import difflib
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from readiness.authoring.export import write_template
from readiness.authoring.importing import ImportError_, Plan, import_table, write_plan
from readiness.authoring.xlsform import Form, build_form
from readiness.i18n import speaking
from readiness.project import Project, load_project
from readiness.scoring import score_project
from tests.conftest import REPO, run
from tests.test_xlsform import copy_project

ROUND = "2026-q4"
TODAY = date(2026, 12, 31)
ON = "2026-11-20"
KOBO_TAIL = ["meta/instanceID", "_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status"]
KOBO_TAIL += ["_submitted_by", "__version__", "_tags", "_index"]
ODK_TAIL = ["meta-instanceID", "KEY", "SubmitterID", "SubmitterName", "AttachmentsPresent", "AttachmentsExpected"]
ODK_TAIL += ["Status", "ReviewState", "DeviceID", "Edits", "FormVersion"]

# What the teams collected: per submission, its region and, per indicator, a value with its evidence or a reason.
LOWA = {
    "LO-01": {"value": "41", "source_type": "ADM", "reference": "Call register, Lowa ops room", "confidence": "high"},
    "LO-02": {"value": "86.5", "source_type": "EXP", "reference": "Joint incident review"},
    "HR-02": {
        "value": "82.5",
        "source_type": "FV",
        "reference": "Certificates checked at HQ",
        "note": "Sample of 20",
        "source_type_2": "ADM",  # a critical indicator: a second source type
        "reference_2": "National certification register",
        "date_2": "2026-11-18",
    },
    "IN-01": {"value": "2", "source_type": "DOC", "reference": "Gazette and station visits"},
    "IN-03": {"value": "5", "source_type": "DOC", "reference": "DSC minutes"},
    "TR-07": {"value": "yes", "source_type": "HRM", "reference": "HRD case review 2026/4"},
    "LO-04": {"not_applicable": "No designated border post in Lowa"},
    "LO-05": {"not_collected": "Register held at HQ, not yet copied"},
}
KESSA = {
    "LO-01": {"value": "28.5", "source_type": "FV", "reference": "Ten sampled calls", "date": "2026-10-02"},
    "TR-07": {"value": "no", "source_type": "HRM", "reference": "HRD case file 12"},
    "HR-02": {"value": "64", "source_type": "ADM", "reference": "National certification register"},
}
SUBMISSIONS = [
    ("lowa", "7f1c2a90-0b6e-4c1e-9a51-1d2b3c4d5e6f", LOWA),
    ("kessa", "0e9d8c7b-aaaa-4bbb-8ccc-123456789abc", KESSA),
]


@pytest.fixture(scope="module")
def mission(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(REPO, tmp_path_factory.mktemp("field") / "m")
    opened = run(
        "new-round", ROUND, "--date", "2026-12-31", "--label", "en=Q4 2026", "--label", "fr=T4 2026", "-p", str(root)
    )
    assert opened.exit_code == 0, opened.output
    return root


@pytest.fixture
def root(mission: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(mission, tmp_path / "m"))


def project(root: Path) -> Project:
    loaded, _ = load_project(root)
    return loaded


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "assessments").rglob("*.yaml"))}


def imported(root: Path, table: Path, **options: Any) -> Plan:
    plan = import_table(project(root), table, None, TODAY, **options)
    write_plan(plan)
    return plan


# ---------------------------------------------------------------- exports, written as the tools write them


def columns(form: Form, tool: str, lang: str | None = None) -> list[tuple[str, str]]:
    """(question name, header) for every question of the form, in the form's order: KoboToolbox's `group/question`
    paths, ODK Central's `group-question` paths, or (lang given) KoboToolbox's labels export in that language."""
    suffix = next(s for s in form.languages if s.endswith(f"({lang})")) if lang else ""
    out, groups = [], []
    for row in form.survey:
        if row["type"] == "begin_group":
            groups.append(row[f"label::{suffix}"] if lang else row["name"])
        elif row["type"] == "end_group":
            groups.pop()
        elif row["type"] not in ("start", "end"):
            name = row["name"]
            if lang and f"label::{suffix}" in row:
                out.append((name, "/".join([*groups, row[f"label::{suffix}"]])))
            elif tool == "odk-flat":  # ODK Central's "Remove group names"
                out.append((name, name))
            else:
                out.append((name, ("-" if tool == "odk" else "/").join([*groups, name])))
    return out


def answers(form: Form, region: str, given: dict[str, dict[str, str]], lang: str | None = None) -> dict[str, str]:
    """A submission's answers by question name, as a filled form stores them (choice labels in a labels export)."""
    from readiness.authoring.xlsform import question_name

    by_name = {q.name: q for q in form.questions}
    suffix = next(s for s in form.languages if s.endswith(f"({lang})")) if lang else ""

    def shown(question: str, value: str) -> str:
        listed = by_name[question].choices
        if not lang or listed is None:
            return value
        row = next(c for c in form.choices if c["list_name"] == listed and c["name"] == value)
        return row[f"label::{suffix}"]

    out = {"round": ROUND, "region": shown("region", region)}
    for ind_id, fields in given.items():
        state = next(k for k in ("value", "not_collected", "not_applicable") if k in fields)
        out[question_name(ind_id, "state")] = shown(question_name(ind_id, "state"), state)
        for key, value in fields.items():
            out[question_name(ind_id, key)] = shown(question_name(ind_id, key), value)
        if state == "value":
            out.setdefault(question_name(ind_id, "date"), ON)
            out[question_name(ind_id, "date")] = fields.get("date", ON)
    return out


def export(
    root: Path,
    path: Path,
    tool: str,
    submissions: list[tuple[str, str, dict[str, Any]]] = SUBMISSIONS,
    *,
    lang: str | None = None,
    edits: dict[str, str] | None = None,
    review: dict[str, str] | None = None,
    root_uuid: bool = True,
) -> Path:
    """An export of `submissions` (region, instance id, answers) in `tool`'s layout, CSV or XLSX by the suffix.
    `edits` gives, by instance id, the id of the version an edit on the server made; KoboToolbox gives the
    submission's first id as `meta/rootUuid` (or, `root_uuid` False, as older servers do, the id before the edit as
    `meta/deprecatedID`)."""
    form = build_form(project(root), ROUND)
    heads = columns(form, tool, lang)
    header = [h for _, h in heads]
    rows = []
    for n, (region, uuid, given) in enumerate(submissions, start=1):
        values = answers(form, region, given, lang)
        version = (edits or {}).get(uuid, uuid)
        cells = ["2026-12-01T09:00:00.000+01:00", "2026-12-01T09:40:00.000+01:00"]
        cells += [values.get(name, "") for name, _ in heads]
        if tool.startswith("odk"):
            state = (review or {}).get(uuid, "")
            edited = "1" if version != uuid else "0"
            cells = ["2026-12-02T10:00:00.000Z", *cells, f"uuid:{version}", f"uuid:{uuid}", "5", "Team A", "0", "0"]
            cells += ["", state, "collect:abc", edited, "2026.1-2026-q4"]
        else:
            cells += [f"uuid:{version}", str(900 + n), version, "2026-12-02T10:00:00", "", "[]", "submitted_via_web"]
            cells += ["team_a", "vAbc", "[]", str(n)]
            if edits and root_uuid:
                cells += [f"uuid:{uuid}"]
            elif edits:
                cells += [f"uuid:{uuid}" if version != uuid else ""]
        rows.append(cells)
    if tool.startswith("odk"):
        tail = ["instanceID", *ODK_TAIL[1:]] if tool == "odk-flat" else ODK_TAIL
        header = ["SubmissionDate", "start", "end", *header, *tail]
    else:
        extra = ["meta/rootUuid" if root_uuid else "meta/deprecatedID"] if edits else []
        header = ["start", "end", *header, *KOBO_TAIL, *extra]
    if path.suffix == ".xlsx":
        book = Workbook()
        sheet = book.active
        sheet.title = "Police primacy readiness fr"[:31]
        sheet.append(header)
        for row in rows:
            sheet.append(row)
        book.save(path)
        return path
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, delimiter=";" if tool == "kobo" else ",").writerows([header, *rows])
    return path


def sheet_import(root: Path, tmp_path: Path) -> Path:
    """The same values in the spreadsheet `readiness template` hands out, filled in."""
    path = tmp_path / "collection.xlsx"
    with speaking("en"):
        write_template(project(root), ROUND, path)
    book = load_workbook(path)
    ws = book["observations"]
    head = [c.value for c in ws[1]]
    wanted = {(region, ind): fields for region, _, given in SUBMISSIONS for ind, fields in given.items()}
    for row in ws.iter_rows(min_row=2):
        fields = wanted.get((row[head.index("region")].value, row[head.index("indicator")].value))
        if fields is None:
            continue
        for key, value in fields.items():
            if not key.endswith("_2"):
                row[head.index(key)].value = value
        if "value" in fields:
            row[head.index("date")].value = fields.get("date", ON)
    for (region, ind), fields in wanted.items():
        if "source_type_2" in fields:  # a second evidence entry: a row of its own
            second = {"region": region, "indicator": ind, "round": ROUND}
            second |= {key[:-2]: value for key, value in fields.items() if key.endswith("_2")}
            ws.append([second.get(h) for h in head])
    book.save(path)
    return path


def state(loaded: Project) -> dict[tuple[str, str], tuple[Any, ...]]:
    """Each observation of the round as it scores: value or reason, confidence, note, evidence sources and dates."""
    out = {}
    for (rnd, region), assessment in loaded.assessments.items():
        if rnd != ROUND:
            continue
        for ind_id, obs in assessment.observations.items():
            note = str(obs.note.text) if obs.note is not None else None
            evidence = sorted((e.source, e.date) for e in obs.evidence)
            out[region, ind_id] = (obs.value, obs.not_collected, obs.not_applicable, obs.confidence, note, evidence)
    return out


def scores(loaded: Project) -> dict[str, Any]:
    results = score_project(loaded.published(ROUND))
    return {
        r.region: (r.score, r.level, r.coverage, {i: (v.status, v.raw, v.score) for i, v in r.indicators.items()})
        for r in results.for_round(ROUND)
    }


# ---------------------------------------------------------------- the same values, whichever way they come in


def test_kobo_and_odk_exports_import_as_the_spreadsheet_does_and_score_the_same(mission, tmp_path):
    sheet_root = Path(shutil.copytree(mission, tmp_path / "sheet"))
    plan = imported(sheet_root, sheet_import(sheet_root, tmp_path))
    assert plan.layout == "sheet" and plan.changes
    expected = project(sheet_root)
    wanted_state, wanted_scores = state(expected), scores(expected)
    assert wanted_state[("lowa", "TR-07")][0] == "true" and wanted_state[("lowa", "IN-01")][0] == "2"
    assert [e[0] for e in wanted_state[("lowa", "HR-02")][-1]] == ["ADM", "FV"]
    ways = {
        "kobo-csv": ("kobo", "export.csv", None),
        "kobo-xlsx": ("kobo", "export.xlsx", None),
        "kobo-labels-fr": ("kobo", "labels.xlsx", "fr"),
        "kobo-labels-en": ("kobo", "labels.csv", "en"),
        "odk-csv": ("odk", "export.csv", None),
        "odk-flat": ("odk-flat", "export.csv", None),
    }
    for name, (tool, file, lang) in ways.items():
        root = Path(shutil.copytree(mission, tmp_path / name))
        table = export(root, tmp_path / f"{name}-{file}", tool, lang=lang)
        plan = imported(root, table)
        tool = tool.split("-")[0]
        assert plan.layout == tool, name
        loaded = project(root)
        assert state(loaded) == wanted_state, name
        assert scores(loaded) == wanted_scores, name
        # each value's evidence records the submission it came from
        obs = loaded.assessments[(ROUND, "lowa")].observations["LO-01"]
        assert [e.reference for e in obs.evidence] == [f"Call register, Lowa ops room [{tool}:{SUBMISSIONS[0][1]}]"]
        # importing the same export again changes nothing
        before = snapshot(root)
        again = imported(root, table)
        assert again.changes == [] and again.texts == {}, (name, again.changes)
        assert snapshot(root) == before


def test_the_layout_is_told_by_the_columns_and_can_be_named(root, tmp_path):
    table = export(root, tmp_path / "odk.csv", "odk")
    with pytest.raises(ImportError_) as refused:
        import_table(project(root), table, None, TODAY, layout_name="sheet")
    assert any("KEY" in p or "SubmissionDate" in p for p in refused.value.problems)
    result = run("import", str(table), "--dry-run", "-p", str(root))
    assert result.exit_code == 0, result.output
    assert "read as an export of the readiness form from ODK Central" in result.output


# ---------------------------------------------------------------- edits on the server, and by hand


@pytest.mark.parametrize("tool", ["odk", "kobo", "kobo-deprecated"])
def test_a_submission_edited_on_the_server_replaces_only_what_changed(root, tmp_path, tool):
    stable = tool != "kobo-deprecated"
    tool = tool.split("-")[0]
    imported(root, export(root, tmp_path / "first.csv", tool))
    lowa = root / "assessments" / ROUND / "lowa.yaml"
    before = lowa.read_text(encoding="utf-8")
    edited = {**LOWA, "LO-01": {**LOWA["LO-01"], "value": "39"}}
    subs = [("lowa", SUBMISSIONS[0][1], edited), SUBMISSIONS[1]]
    table = export(
        root,
        tmp_path / "edited.csv",
        tool,
        subs,
        edits={SUBMISSIONS[0][1]: "5b4c3d2e-1111-2222-3333-444455556666"},
        root_uuid=stable,
    )
    # the submission's id across edits, and the version now imported; without a stable id, the new one
    tag = "7f1c2a90-0b6e-4c1e-9a51-1d2b3c4d5e6f#5b4c3d2e" if stable else "5b4c3d2e-1111-2222-3333-444455556666"
    plan = imported(root, table)  # no --replace: the submission that wrote the value was edited since
    after = lowa.read_text(encoding="utf-8")
    changed = [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    assert changed == [
        "-    value: 41",
        "+    value: 39",
        f"-        reference: Call register, Lowa ops room [{tool}:7f1c2a90-0b6e-4c1e-9a51-1d2b3c4d5e6f]",
        f"+        reference: Call register, Lowa ops room [{tool}:{tag}]",
    ], changed
    assert len(plan.texts) == 1  # Kessa's submission did not change
    # the same export again changes nothing; a hand edit of the file since is not overwritten silently
    assert imported(root, table).texts == {}
    lowa.write_text(after.replace("    value: 39\n", "    value: 38\n", 1), encoding="utf-8")
    with pytest.raises(ImportError_) as refused:
        import_table(project(root), table, None, TODAY)
    assert any("value 38 in the file" in p and "value 39" in p for p in refused.value.problems)
    # nor does an export of the submission's first version undo the edit
    lowa.write_text(after, encoding="utf-8")
    with pytest.raises(ImportError_):
        import_table(project(root), tmp_path / "first.csv", None, TODAY)


def test_a_value_typed_in_the_files_is_not_overwritten_by_a_submission(root, tmp_path):
    imported(root, export(root, tmp_path / "first.csv", "kobo"))
    other = [("lowa", "99999999-8888-7777-6666-555555555555", {"LO-01": {**LOWA["LO-01"], "value": "44"}})]
    with pytest.raises(ImportError_) as refused:
        import_table(project(root), export(root, tmp_path / "other.csv", "kobo", other), None, TODAY)
    assert any("--replace" in p for p in refused.value.problems)
    plan = import_table(project(root), tmp_path / "other.csv", None, TODAY, replace=True)
    assert any("LO-01 value 41 -> 44" in line for line in plan.changes)


# ---------------------------------------------------------------- what is refused


def test_two_submissions_for_one_region_and_indicator_are_refused_naming_both(root, tmp_path):
    second = ("lowa", "11111111-2222-3333-4444-555555555555", {"LO-01": {**LOWA["LO-01"], "value": "40"}})
    before = snapshot(root)
    for tool in ("kobo", "odk"):
        table = export(root, tmp_path / f"{tool}.csv", tool, [*SUBMISSIONS, second])
        with pytest.raises(ImportError_) as refused:
            import_table(project(root), table, None, TODAY)
        (problem,) = [p for p in refused.value.problems if "both give" in p]
        assert "rows 2 and 4" in problem and "LO-01" in problem and "lowa" in problem
        assert f"{tool}:{SUBMISSIONS[0][1]}" in problem and f"{tool}:{second[1]}" in problem
    assert snapshot(root) == before


def test_every_problem_of_an_export_is_named_with_its_row_and_column_and_nothing_is_written(root, tmp_path):
    bad = {
        "LO-02": {"value": "186.5", "source_type": "EXP", "reference": "Joint incident review"},
        "HR-02": {"value": "82.5", "source_type": "FV", "reference": "Register", "date": "2027-01-15"},
    }
    table = export(root, tmp_path / "bad.csv", "kobo", [SUBMISSIONS[1], ("lowa", SUBMISSIONS[0][1], bad)])
    before = snapshot(root)
    with pytest.raises(ImportError_) as refused:
        import_table(project(root), table, None, TODAY)
    problems = refused.value.problems
    assert any(p.startswith("row 3, column LO/LO_02/LO_02_value (") and "186.5" in p for p in problems), problems
    assert any(p.startswith("row 3, column HR/HR_02/HR_02_date (") and "2027-01-15" in p for p in problems), problems
    assert snapshot(root) == before


def test_an_unknown_column_is_refused_and_a_rejected_submission_left_out(root, tmp_path):
    table = export(root, tmp_path / "odk.csv", "odk", review={SUBMISSIONS[1][1]: "rejected"})
    plan = import_table(project(root), table, None, TODAY)
    assert not any("kessa" in line for line in plan.changes)
    assert any("is marked rejected on the server" in w for w in plan.warnings)
    with table.open(encoding="utf-8") as f:
        rows = list(csv.reader(f))
    rows[0][5] = "LO-LO_01-LO_01_valeur"
    with table.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    with pytest.raises(ImportError_) as refused:
        import_table(project(root), table, None, TODAY)
    assert any("LO-LO_01-LO_01_valeur" in p and "not a question" in p for p in refused.value.problems)


def test_a_submission_for_a_sealed_round_is_refused(root, tmp_path):
    def before_q3_cutoff(fields: dict[str, str]) -> dict[str, str]:
        return {k: "2026-09-01" if k.startswith("date") else v for k, v in fields.items()} | (
            {"date": "2026-09-01"} if "value" in fields else {}
        )

    dated = [(r, i, {k: before_q3_cutoff(f) for k, f in g.items()}) for r, i, g in SUBMISSIONS]
    table = export(root, tmp_path / "q3.csv", "kobo", dated)
    text = table.read_text(encoding="utf-8").replace(f";{ROUND};", ";2026-q3;")
    table.write_text(text, encoding="utf-8")
    before = snapshot(root)
    with pytest.raises(ImportError_) as refused:
        import_table(project(root), table, None, TODAY)
    assert any("2026-q3 is closed and sealed" in p for p in refused.value.problems), refused.value.problems
    assert snapshot(root) == before
