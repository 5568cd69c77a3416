"""`readiness import` in French, as a francophone team reads it: the problems of a sheet (a decimal comma, N/A, an
unknown region, a date written 30/09/2026, merged cells), the changes and the summary, the warning for a value a
hundred times the round before's, a conflict with the files, a closed round; and a sheet headed in French
(`région`, `valeur`, `type de source`) imports."""

from __future__ import annotations

import csv
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from readiness.authoring.importing import ImportError_, import_table
from readiness.i18n import use_language
from readiness.project import load_project
from tests.conftest import french_first_example, run
from tests.french_style import english_left, style_faults

NBSP, NNBSP = "\u00a0", "\u202f"
ROUND = "2026-q4"
HEADER = ["region", "indicator", "value", "source_type", "reference", "date"]


@pytest.fixture(scope="module")
def mission(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A French-first copy of the example with a newly opened round (the tests work on their own copies)."""
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


@pytest.fixture
def root(mission: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(mission, tmp_path / "m"))


def write_csv(path: Path, rows: list[list[Any]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list[Any]], merged: tuple[str, ...] = ()) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "observations"
    for row in rows:
        sheet.append(row)
    for cells in merged:
        sheet.merge_cells(cells)
    book.save(path)
    return path


def french(text: str) -> str:
    """A catalogue sentence as the French reader sees it: a no-break space before `:` and inside « », a narrow one
    before `; ?` (written here with plain spaces, as the catalogue writes them)."""
    text = text.replace(" :", NBSP + ":").replace(" ;", NNBSP + ";").replace(" ?", NNBSP + "?")
    return text.replace("« ", "«" + NBSP).replace(" »", NBSP + "»")


def said(output: str) -> list[str]:
    """The lines of a command's output, as a French reader reads them."""
    return [line for line in output.splitlines() if line.strip()]


def assert_french(lines: list[str]) -> None:
    assert not [line for line in lines if english_left(line)], [line for line in lines if english_left(line)]
    assert not [fault for line in lines for fault in style_faults(line)], [
        fault for line in lines for fault in style_faults(line)
    ]


def test_a_sheet_with_mistakes_is_refused_in_french_row_by_row(root, tmp_path):
    rows = [
        HEADER,
        ["kessa", "HR-02", "91,5", "ADM", "Registre", "2026-10-02"],
        ["kessa", "HR-03", "N/A", "", "", ""],
        ["Atlantide", "HR-04", "30", "ADM", "Registre", "2026-10-02"],
        ["kessa", "HR-04", "30", "ADM", "Registre", "30/09/2026"],
        ["kessa", "HR-05", "n.d.", "", "", ""],
        ["kessa", "HR-06", "40", "ADM", "Registre", "2027-01-15"],
    ]
    result = run("import", str(write_csv(tmp_path / "t.csv", rows)), "--round", ROUND, "-p", str(root))
    assert result.exit_code == 1
    for expected in (
        "ligne 2, colonne value (C) : 91,5 -> écrivez 91.5",
        "ligne 3, colonne value (C) : « N/A » n'est pas une valeur : laissez la valeur vide et écrivez pourquoi dans "
        "la colonne not_applicable (l'indicateur ne s'applique pas à cette région) ou dans la colonne not_collected "
        "(la valeur n'a pas pu être collectée pour cette évaluation)",
        "ligne 4, colonne region (A) : région inconnue « Atlantide »",
        "ligne 5, colonne date (F) : 30/09/2026 -> écrivez 2026-09-30 (les dates s'écrivent AAAA-MM-JJ)",
        "ligne 6, colonne value (C) : « n.d. » n'est pas une valeur : laissez la valeur vide et écrivez pourquoi dans "
        "la colonne not_collected (la valeur n'a pas pu être collectée pour cette évaluation)",
        "ligne 7, colonne date (F) : preuve datée du 2027-01-15, après la date d'arrêt de l'évaluation (2026-12-31) : "
        "elle relève de l'évaluation suivante",
        # the decimal-comma advice, once for the sheet
        "ligne 2 : si toute la feuille écrit les nombres avec une virgule décimale (72,5), ajoutez --decimal-comma "
        "à l'import plutôt que de corriger chaque cellule",
    ):
        assert french(expected) in result.output, (expected, result.output)
    assert_french(said(result.output))


def test_the_decimal_comma_advice_names_every_row_it_comes_from(root, tmp_path):
    rows = [HEADER] + [["kessa", i, "72,5", "ADM", "Registre", "2026-10-02"] for i in ("HR-02", "HR-03", "HR-04")]
    use_language("fr")
    with pytest.raises(ImportError_) as refused:
        import_table(load_project(root)[0], write_csv(tmp_path / "t.csv", rows), ROUND, date(2026, 12, 31))
    advice = [p for p in refused.value.problems if "--decimal-comma" in p]
    assert advice == [
        french(
            "lignes 2, 3 et 4 : si toute la feuille écrit les nombres avec une virgule décimale (72,5), ajoutez "
            "--decimal-comma à l'import plutôt que de corriger chaque cellule"
        )
    ]
    # told so, the sheet imports
    result = run("import", str(tmp_path / "t.csv"), "--round", ROUND, "--decimal-comma", "-p", str(root))
    assert result.exit_code == 0, result.output
    assert french("assessments/2026-q4/kessa.yaml : HR-02, valeur 72.5 (auparavant vide)") in result.output


def test_merged_cells_are_refused_in_french(root, tmp_path):
    rows = [
        HEADER,
        ["kessa", "HR-02", 91, "ADM", "Registre", date(2026, 10, 2)],
        [None, "HR-03", 95, "ADM", "Registre", date(2026, 10, 2)],
        [None, "HR-04", 30, "ADM", "Registre", date(2026, 10, 2)],
        ["lowa", "HR-04", 31, "ADM", "Registre", date(2026, 10, 2)],
        ["lowa", "HR-02", 80, "ADM", "Registre", None],
    ]
    path = write_xlsx(tmp_path / "t.xlsx", rows, merged=("A2:A4", "E5:F6"))
    result = run("import", str(path), "--round", ROUND, "-p", str(root))
    assert result.exit_code == 1
    for expected in (
        "les cellules A2:A4 sont fusionnées : une cellule fusionnée ne garde sa valeur que dans sa première cellule "
        "(A2), donc la colonne region serait vide aux lignes 3 à 4 ; défusionnez-les et remplissez la colonne region "
        "à chaque ligne",
        "les cellules E5:F6 sont fusionnées : une cellule fusionnée ne garde sa valeur que dans sa première cellule "
        "(E5), donc les colonnes reference et date seraient vides aux lignes 6 à 6 ; défusionnez-les et remplissez "
        "les colonnes reference et date à chaque ligne",
    ):
        assert french(expected) in result.output, (expected, result.output)
    assert_french(said(result.output))


def test_an_import_says_what_it_changes_and_warns_of_a_value_a_hundred_times_the_round_before(root, tmp_path):
    rows = [
        HEADER,
        ["kessa", "BU-03", "0.937", "ADM", "Rapport d'exécution", "2026-10-02"],
        ["kessa", "HR-02", "91", "ADM", "Registre", "2026-10-02"],
        ["kessa", "HR-02", "", "FV", "Visite", "2026-10-03"],
    ]
    result = run("import", str(write_csv(tmp_path / "t.csv", rows)), "--round", ROUND, "-p", str(root))
    assert result.exit_code == 0, result.output
    for expected in (
        "assessments/2026-q4/kessa.yaml : BU-03, valeur 0.937 (auparavant vide)",
        "assessments/2026-q4/kessa.yaml : BU-03, preuve ajoutée : ADM « Rapport d'exécution » 2026-10-02",
        "assessments/2026-q4/kessa.yaml : HR-02, preuve ajoutée : FV « Visite » 2026-10-03",
        "mise à jour de assessments/2026-q4/kessa.yaml : 2 valeurs renseignées, 3 éléments de preuve ajoutés",
        "ligne 2 : BU-03 pour kessa vaut 0.937 et valait 93.7 lors de l'évaluation 2026-q3 : 100 fois moins ; "
        "vérifiez la position de la virgule et l'unité par rapport à la source (si le changement est réel, "
        "expliquez-le dans la colonne note)",
    ):
        assert french(expected) in result.output, (expected, result.output)
    assert "value: 0.937" in (root / "assessments/2026-q4/kessa.yaml").read_text(encoding="utf-8")
    assert_french(said(result.output))

    # the same sheet again: nothing changes
    again = run("import", str(tmp_path / "t.csv"), "--round", ROUND, "-p", str(root))
    assert again.exit_code == 0, again.output
    assert french("aucun fichier modifié : les fichiers contiennent déjà tout ce que donne la feuille") in again.output


def test_a_value_that_differs_from_the_files_is_a_conflict_said_in_french(root, tmp_path):
    first = [HEADER, ["kessa", "HR-02", "91", "ADM", "Registre", "2026-10-02"]]
    assert run("import", str(write_csv(tmp_path / "a.csv", first)), "--round", ROUND, "-p", str(root)).exit_code == 0
    again = [HEADER, ["kessa", "HR-02", "19", "ADM", "Registre", "2026-10-02"]]
    result = run("import", str(write_csv(tmp_path / "b.csv", again)), "--round", ROUND, "-p", str(root))
    assert result.exit_code == 1
    for expected in (
        "ligne 2 : assessments/2026-q4/kessa.yaml, HR-02 : valeur 91 dans le fichier ; valeur 19 dans la feuille",
        "1 valeur ci-dessus diffère des fichiers : importez avec --replace pour la remplacer",
    ):
        assert french(expected) in result.output, (expected, result.output)
    replaced = run("import", str(tmp_path / "b.csv"), "--round", ROUND, "--replace", "-p", str(root))
    assert replaced.exit_code == 0, replaced.output
    assert french("assessments/2026-q4/kessa.yaml : HR-02, valeur 91 -> 19") in replaced.output
    assert french(
        "mise à jour de assessments/2026-q4/kessa.yaml : 1 valeur renseignée, 0 élément de preuve ajouté"
    ) in (replaced.output)


def test_a_closed_round_is_refused_in_french(root, tmp_path):
    rows = [HEADER, ["kessa", "HR-02", "50", "ADM", "Registre", "2026-09-02"]]
    result = run("import", str(write_csv(tmp_path / "t.csv", rows)), "--round", "2026-q3", "-p", str(root))
    assert result.exit_code == 1
    expected = (
        "l'évaluation 2026-q3 est close et scellée (le 2026-10-30) : ses lignes modifieraient 1 fichier ; une "
        "évaluation close ne change que par un amendement consigné : `readiness amend 2026-q3 TABLE --reason '...' "
        "--by '...'` (ou retirez ces lignes)"
    )
    assert french(expected) in result.output, result.output


def test_a_sheet_headed_in_french_imports(root, tmp_path):
    rows = [
        ["Région", "Indicateur", "Valeur", "Type de source", "Référence", "Date", "Commentaire", "non_collecte"],
        ["kessa", "HR-02", 91, "ADM", "Registre", date(2026, 10, 2), "Compté à la main", None],
        ["kessa", "HR-03", None, None, None, None, None, "Registre perdu"],
    ]
    result = run("import", str(write_xlsx(tmp_path / "t.xlsx", rows)), "--round", ROUND, "-p", str(root))
    assert result.exit_code == 0, result.output
    for expected in (
        "assessments/2026-q4/kessa.yaml : HR-02, valeur 91 (auparavant vide)",
        "assessments/2026-q4/kessa.yaml : HR-02, commentaire ajouté : « Compté à la main »",
        "assessments/2026-q4/kessa.yaml : HR-03, not_collected « Registre perdu » (auparavant vide)",
        "mise à jour de assessments/2026-q4/kessa.yaml : 2 valeurs renseignées, 1 élément de preuve ajouté, "
        "1 autre modification",
    ):
        assert french(expected) in result.output, (expected, result.output)
    text = (root / "assessments/2026-q4/kessa.yaml").read_text(encoding="utf-8")
    assert "not_collected: Registre perdu" in text and "note: Compté à la main" in text
    # a header close to a column's name, not one: the column it means, in the project's words
    rows[0][2] = "Valeurs"
    result = run("import", str(write_xlsx(tmp_path / "u.xlsx", rows)), "--round", ROUND, "-p", str(root))
    assert result.exit_code == 1
    assert (
        french(
            "la colonne Valeurs (C) n'est pas une colonne que l'import connaît ; vouliez-vous dire « value » "
            "(Français : « valeur ») ?"
        )
        in result.output
    ), result.output


def test_english_on_request(root, tmp_path):
    rows = [HEADER, ["Atlantide", "HR-04", "30", "ADM", "Registre", "2026-10-02"]]
    result = run("import", str(write_csv(tmp_path / "t.csv", rows)), "--round", ROUND, "--lang", "en", "-p", str(root))
    assert result.exit_code == 1
    assert 'row 2, column region (A): unknown region "Atlantide"' in result.output, result.output
