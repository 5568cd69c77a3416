"""The tables a francophone team reads, in French: the collection workbook of `readiness template` (its notes,
range texts, drop-down lists and messages; the header row keeps the names import reads), the table of
`readiness score` (headers, level names, the round's label, the gates), its scenario and uncertainty reports,
and the notes of `readiness documents`. `--lang en` gives them in English."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from readiness.authoring import sheet as layout
from readiness.i18n import catalogue
from tests.conftest import french_first_example, run
from tests.french_style import english_left, style_faults

NBSP, NNBSP = "\u00a0", "\u202f"
ROUND = "2026-q4"
HEADER = [
    "round",
    "region",
    "region_name",
    "indicator",
    "indicator_name",
    "unit",
    "range",
    "previous_value",
    "previous_evidence_date",
    *[c for c in layout.COLUMNS if c not in ("round", "region", "indicator")],
]


@pytest.fixture(scope="module")
def mission(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A French-first copy of the example with a newly opened round (module-wide: the tests only read it, or
    work on their own copy)."""
    root = french_first_example(tmp_path_factory.mktemp("fr") / "m")
    opened = run(
        "new-round",
        ROUND,
        "--date",
        "2026-12-31",
        "--label",
        "fr=Quatrième trimestre 2026",
        "--label",
        "en=Fourth quarter 2026",
        "-p",
        str(root),
    )
    assert opened.exit_code == 0, opened.output
    return root


def copy_of(mission: Path, target: Path) -> Path:
    shutil.copytree(mission, target)
    return target


def files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted((root / "assessments").rglob("*.yaml"))}


def template(root: Path, *options: str) -> Path:
    written = run("template", "--round", ROUND, "-p", str(root), *options)
    assert written.exit_code == 0, written.output
    return root / "build" / f"{ROUND}-collection.xlsx"


def rows_of(path: Path) -> tuple[list[str], list[dict[str, object]], object]:
    book = load_workbook(path)
    sheet = book["observations"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=2)]
    return header, rows, book


# ---------------------------------------------------------------- `readiness template`


def test_the_template_of_a_new_round_is_written_in_french_and_keeps_the_names_import_reads(mission, tmp_path):
    root = copy_of(mission, tmp_path / "m")
    header, rows, book = rows_of(template(root))
    sheet = book["observations"]
    # the header row is what import reads; the sheet of lists is named for a person
    assert header == HEADER
    assert book.sheetnames == ["observations", "listes"]
    assert [book["listes"].cell(row=1, column=i).value for i in (1, 2, 3)] == [
        "régions",
        "indicateurs",
        "types de source",
    ]
    # each column's note, in French
    notes = {cell.value: cell.comment.text for cell in sheet[1]}
    assert notes["value"] == "la valeur, dans l'unité de l'indicateur (un nombre, ou oui/non)"
    assert notes["not_collected"] == f"à la place d'une valeur{NBSP}: pourquoi il n'y en a pas pour cette évaluation"
    assert notes["range"] == f"pour information{NBSP}: les valeurs que l'unité admet"
    assert notes["confidence"] == f"low, medium ou high (confiance faible, moyenne ou élevée{NNBSP}; facultatif)"
    # the range column, the names and units
    ranges = {row["range"] for row in rows}
    assert {"un nombre de 0 à 100", "oui ou non", "un nombre entier de 0 à 3"} <= ranges
    assert "un nombre supérieur ou égal à 0" in ranges and "un nombre entier supérieur ou égal à 0" in ranges
    cid = next(row for row in rows if row["region"] == "cid" and row["indicator"] == "BU-01")
    assert cid["region_name"] == "Direction de la police judiciaire" and cid["unit"] == "pourcentage"
    assert cid["range"] == "un nombre de 0 à 100"
    # the drop-down lists and their messages
    checks = sheet.data_validations.dataValidation
    errors = {check.error for check in checks}
    assert "oui ou non" in errors and f"un des types de source{NBSP}: ADM, FV, SUR, EXP, DOC, HRM" in errors
    assert f"ce modèle sert à collecter l'évaluation {ROUND}" in errors
    assert "une date antérieure ou égale à la date d'arrêt des données de l'évaluation, 2026-12-31" in errors
    assert '"oui,non"' in {check.formula1 for check in checks}
    assert all(f.startswith("=listes!") for f in (c.formula1 for c in checks) if f and f.startswith("="))
    # nothing a person reads is left in English
    read = [*notes.values(), *ranges, *errors, *(str(row["unit"]) for row in rows)]
    assert not [text for text in read if english_left(text)], [text for text in read if english_left(text)]
    assert not [text for text in read if style_faults(text)]
    assert not ranges & {"yes or no", "a number from 0 to 100"}


def test_the_french_template_imports_back_unchanged_and_takes_oui_from_its_list(mission, tmp_path):
    root = copy_of(mission, tmp_path / "m")
    path = template(root)
    before = files(root)
    imported = run("import", str(path), "-p", str(root))
    assert imported.exit_code == 0, imported.output
    assert files(root) == before
    # filled in from the lists, the French way
    header, rows, book = rows_of(path)
    sheet = book["observations"]
    at = next(i for i, row in enumerate(rows, start=2) if row["range"] == "oui ou non" and row["region"] == "lowa")
    indicator = rows[at - 2]["indicator"]
    for column, value in {
        "value": "oui",
        "source_type": "ADM",
        "reference": "Registre",
        "value_restricted": "non",
    }.items():
        sheet.cell(row=at, column=header.index(column) + 1, value=value)
    sheet.cell(row=at, column=header.index("date") + 1, value="2026-12-01")
    book.save(path)
    imported = run("import", str(path), "-p", str(root))
    assert imported.exit_code == 0, imported.output
    changed = [name for name, data in files(root).items() if before.get(name) != data]
    assert changed == [f"assessments/{ROUND}/lowa.yaml"]
    entry = (root / changed[0]).read_text(encoding="utf-8").split(f"  {indicator}:\n", 1)[1]
    lines = entry.split("\n  # ")[0].splitlines()[-5:]  # oui is read as yes
    assert lines[0] == "    value: true" and lines[1].startswith("    evidence:")
    assert lines[2:] == ["      - source: ADM", "        reference: Registre", "        date: 2026-12-01"]


def test_the_template_speaks_english_when_asked(mission, tmp_path):
    root = copy_of(mission, tmp_path / "m")
    header, rows, book = rows_of(template(root, "--lang", "en"))
    assert header == HEADER and book.sheetnames == ["observations", "lists"]
    notes = {cell.value: cell.comment.text for cell in book["observations"][1]}
    assert notes == {name: layout.DESCRIPTIONS[name] for name in HEADER}
    assert "a number from 0 to 100" in {row["range"] for row in rows}
    cid = next(row for row in rows if row["region"] == "cid" and row["indicator"] == "BU-01")
    assert cid["region_name"] == "Criminal Investigation Department" and cid["unit"] == "percent"


def test_the_english_notes_are_the_layouts_descriptions():
    english = catalogue("en")
    assert {name: english[f"tables.template.note.{name}"] for name in layout.DESCRIPTIONS} == layout.DESCRIPTIONS


# ---------------------------------------------------------------- `readiness score`


def table_part(output: str) -> str:
    """The table, without the progress lines before it."""
    lines = output.splitlines()
    first = next(i for i, line in enumerate(lines) if "(20" in line and ")" in line)
    return "\n".join(lines[first:])


def test_score_prints_french_headers_level_names_and_the_round_label(mission):
    shown = run("score", "--round", ROUND, "-p", str(mission))
    assert shown.exit_code == 0, shown.output
    table = table_part(shown.output)
    lines = table.splitlines()
    assert (
        lines[0]
        == f"Quatrième trimestre 2026 ({ROUND}, date d'arrêt 2026-12-31)  PROVISOIRE{NBSP}: en cours de collecte"
    )
    assert lines[1].split() == ["région", "id", "niveau", "primauté", "score", "évolution", "couverture", "pourquoi"]
    assert "République du Lomara" in table and "Données insuffisantes" in table
    assert f"Agrégation{NBSP}: central, coastal" in table and f"0{NBSP}%" in table
    for english in ("Fourth quarter", "cut-off", "PROVISIONAL", "Insufficient evidence", "Roll-up", "region  "):
        assert english not in table
    assert english_left(table) == [] and style_faults(table) == []


def test_score_names_the_gates_and_their_details_in_french(mission):
    shown = run("score", "-p", str(mission))
    assert shown.exit_code == 0, shown.output
    table = table_part(shown.output)
    last = table.split("\n\n")[-1]  # the third quarter of 2026
    assert last.startswith("Troisième trimestre 2026 (2026-q3, date d'arrêt 2026-09-30)\n")
    line = {rid: next(ln for ln in last.splitlines() if f" {rid} " in ln) for rid in ("kurmi", "tobel", "tessin")}
    assert line["kurmi"].endswith(f"Preuves{NBSP}: couverture 50{NBSP}%")
    assert f"Plancher critique{NBSP}: BU-01" in line["tobel"] and line["tobel"].endswith(f"PC-05{NNBSP}; Stabilité")
    assert line["tessin"].endswith(f"Validation conjointe{NBSP}: ministry suspend sa validation")
    assert "Partiellement prêt" in line["tobel"] and "80,9" in line["tessin"]
    for english in ("Critical floor", "coverage", "withheld", "Not ready", "Partially ready", "Stability"):
        assert english not in table
    assert english_left(table) == [] and style_faults(table) == []


def test_score_with_lang_en_prints_english(mission):
    shown = run("score", "--round", ROUND, "--lang", "en", "-p", str(mission))
    assert shown.exit_code == 0, shown.output
    lines = table_part(shown.output).splitlines()
    assert lines[0] == f"Fourth quarter 2026 ({ROUND}, cut-off 2026-12-31)  PROVISIONAL: still being collected"
    assert lines[1].split() == ["region", "id", "level", "primacy", "score", "change", "cover", "why"]
    assert "Insufficient evidence" in lines[2] and "Republic of Lomara" in lines[2] and "Roll-up: central" in lines[2]


def test_a_scenario_and_the_uncertainty_are_reported_in_french(mission):
    scenario = run("score", "--scenario", "lowa-logistics", "-p", str(mission))
    assert scenario.exit_code == 0, scenario.output
    lines = scenario.output.splitlines()
    assert lines[0].endswith("(lowa-logistics), évaluation 2026-q3")
    assert "  suppose lowa LG-02 = 85" in lines
    assert f"  Lowa{NBSP}: Pas prêt -> Partiellement prêt   score 71,0 -> 73,7" in lines
    assert any(line.startswith(f"      étape accomplie{NBSP}: ") for line in lines)
    assert "République du Lomara" in scenario.output and "assumes" not in scenario.output
    uncertain = run("score", "--uncertainty", "--samples", "20", "--region", "lowa", "-p", str(mission))
    assert uncertain.exit_code == 0, uncertain.output
    lines = uncertain.output.splitlines()
    heading = next(i for i, line in enumerate(lines) if "tirages (graine" in line)
    assert lines[heading].startswith("20 tirages (graine ") and lines[heading].endswith("évaluation 2026-q3")
    assert lines[heading + 1].split()[:5] == ["région", "niveau", "même", "niveau", "solide"]
    assert "Lowa" in lines[heading + 2] and "samples" not in uncertain.output and "robust" not in uncertain.output


# ---------------------------------------------------------------- `readiness documents`


def test_the_documents_not_written_are_named_in_french(mission, tmp_path):
    root = copy_of(mission, tmp_path / "m")
    shutil.rmtree(root / "handover")
    written = run("documents", "-p", str(root), "-o", str(tmp_path / "docs"))
    assert written.exit_code == 0, written.output
    assert (
        f"pas de certificat de transfert{NBSP}: aucune décision de transfert{NNBSP}; les décisions de l'organe "
        "conjoint se placent dans handover/decisions/<id>.yaml (voir handover/README.md)"
    ) in written.output.splitlines()
    assert "pas de paragraphe sur la transition" in written.output and "no transition paragraph" not in written.output
    english = run("documents", "--lang", "en", "-p", str(root), "-o", str(tmp_path / "docs-en"))
    assert "no handover certificate: no handover decision; the joint body's decisions go in" in english.output
