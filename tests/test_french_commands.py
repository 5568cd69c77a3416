"""The command line's own messages in French (issue 27): on a copy of the example whose framework declares French
first, every command says in French what it wrote, what it refuses and why, and `--lang en` on the same copy
gives the English, word for word as before."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.conftest import french_first_example, run
from tests.french_style import english_left, style_faults

NBSP, NNBSP = "\u00a0", "\u202f"


def fr(text: str) -> str:
    """A French sentence written with plain spaces, as the terminal shows it: a no-break space before `:` and
    inside « », a narrow one before `;`."""
    return text.replace(" :", NBSP + ":").replace(" ;", NNBSP + ";").replace("« ", "«" + NBSP).replace(" »", NBSP + "»")


def french(result, *sentences: str, code: int = 0) -> str:
    """The output of a French command: its exit code, the sentences given, and nothing left in English."""
    assert result.exit_code == code, result.output
    for sentence in sentences:
        assert fr(sentence) in result.output, result.output
    assert not english_left(result.output), english_left(result.output)
    assert not style_faults(result.output), style_faults(result.output)
    return result.output


@pytest.fixture
def mission(tmp_path: Path) -> Path:
    return french_first_example(tmp_path / "mission")


def table(path: Path, *rows: list[object]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["round", "region", "indicator", "value", "source_type", "reference", "date"])
        writer.writerows(rows)
    return path


def test_a_round_is_opened_filled_and_refused_closing_in_french(mission, tmp_path):
    m = str(mission)
    opened = run("new-round", "2026-q4", "--date", "2026-12-31", "-p", m)
    french(
        opened,
        "fichier écrit : assessments/2026-q4/kessa.yaml",
        "fichier écrit : assessments/rounds.yaml",
        "l'évaluation 2026-q4 est en cours de collecte : saisissez les valeurs (ou importez un tableur avec "
        "`readiness import`) ; `readiness check` montre ce qui manque ; `readiness close-round 2026-q4` quand elle "
        "est complète",
    )
    assert "wrote" not in opened.output

    rows = table(tmp_path / "q4.csv", ["2026-q4", "kessa", "HR-01", 234, "ADM", "HRMIS nominal roll", "2026-12-01"])
    before = (mission / "assessments" / "2026-q4" / "kessa.yaml").read_bytes()
    trial = french(run("import", str(rows), "-p", m, "--dry-run"), "(simulation) ")
    assert "written" not in trial and (mission / "assessments" / "2026-q4" / "kessa.yaml").read_bytes() == before
    french(run("import", str(rows), "-p", m), "1 fichier écrit ; lancez `readiness check`")

    # refused, with everything still missing listed above the reason
    closing = french(
        run("close-round", "2026-q4", "-p", m),
        "readiness : l'évaluation 2026-q4 ne peut pas encore être clôturée : complétez ce qui est indiqué ci-dessus",
        code=1,
    )
    assert "lowa" in closing and "LG-03" in closing
    english = run("close-round", "2026-q4", "-p", m, "--lang", "en")
    assert english.exit_code == 1
    assert "readiness: round 2026-q4 cannot be closed yet: fill in what is listed above" in english.output

    french(
        run("close-round", "2026-q3", "-p", m),
        "l'évaluation 2026-q3 est déjà définitive et scellée ; pour la modifier : `readiness amend 2026-q3`",
    )
    assert (
        "round 2026-q3 is already final and sealed; change it with `readiness amend 2026-q3`"
        in run("close-round", "2026-q3", "-p", m, "--lang", "en").output
    )


def test_usage_errors_are_french_and_say_what_to_type(mission):
    m = str(mission)
    unknown = french(
        run("close-round", "2099-q1", "-p", m),
        "Erreur : valeur non valable pour ROUND : évaluation inconnue '2099-q1' ; évaluations : 2025-q4, 2026-q1, "
        "2026-q2, 2026-q3",
        code=2,
    )
    assert fr("Utilisation : main close-round [OPTIONS] ROUND") in unknown  # (the test runner calls it main)
    assert fr("Essayez « main close-round --help » pour afficher l'aide.") in unknown
    english = run("close-round", "2099-q1", "-p", m, "--lang", "en")
    assert english.exit_code == 2 and "Error: Invalid value for ROUND: unknown round '2099-q1'; rounds: " in (
        english.output
    )
    assert "Usage: " in english.output

    french(
        run("score", "-p", m, "--region", "kesa"),
        "Erreur : valeur non valable pour --region : région inconnue 'kesa'.",
        code=2,
    )
    assert (
        "Invalid value for --region: unknown region 'kesa'."
        in run("score", "-p", m, "--region", "kesa", "--lang", "en").output
    )
    french(
        run("score", "-p", m, "--scenario", "ovanga-budget", "--uncertainty"),
        "Erreur : --scenario et --uncertainty répondent à des questions différentes : donnez l'une ou l'autre",
        code=2,
    )
    french(
        run("new-round", "2027-q1", "--date", "31/03/2027", "-p", m),
        "Erreur : valeur non valable pour --date : '31/03/2027' n'est pas une date au format AAAA-MM-JJ (par exemple "
        "2027-03-31)",
        code=2,
    )
    french(
        run("template", "-p", m, "--round", "2026-q3"),
        "Erreur : l'évaluation 2026-q3 est clôturée et scellée : un classeur de collecte sert à une évaluation en "
        "cours de collecte.",
        code=2,
    )
    french(
        run("amend", "2026-q3", "-p", m, "--by", "GTC", "--reason", " "),
        "Erreur : un amendement exige sa raison (--reason) et qui l'a décidé (--by)",
        code=2,
    )
    assert not (mission / "build").exists()


def test_an_amendment_tried_with_dry_run_says_what_it_would_change(mission, tmp_path):
    m = str(mission)
    rows = table(tmp_path / "fix.csv", ["2026-q3", "kessa", "HR-01", 234, "ADM", "HRMIS nominal roll", "2026-09-01"])
    rounds = (mission / "assessments" / "rounds.yaml").read_bytes()
    args = ("amend", "2026-q3", str(rows), "-p", m, "--by", "GTC", "--reason", "Erreur de saisie.", "--dry-run")
    output = french(run(*args), "à amender : kessa HR-01 value, 221 -> 234")
    assert "amendé :" not in output and "amendement du" not in output
    assert "would amend kessa HR-01 value: 221 -> 234" in run(*args, "--lang", "en").output
    assert (mission / "assessments" / "rounds.yaml").read_bytes() == rounds  # nothing written


def test_export_and_documents_say_what_they_wrote_in_french(mission, tmp_path):
    m = str(mission)
    exported = french(run("export", "-p", m, "--out", str(tmp_path / "export")), "fichier écrit : ")
    assert fr(f"fichier écrit : {tmp_path / 'export' / 'results.csv'}") in exported
    assert (
        f"wrote {tmp_path / 'export' / 'results.csv'}"
        in run("export", "-p", m, "--out", str(tmp_path / "export"), "--lang", "en").output
    )

    folder = tmp_path / "documents"
    written = french(run("documents", "-p", m, "--out", str(folder), "--audience", "public"), "fichier écrit : ")
    assert fr(f"fichier écrit : {folder / 'certificate-kessa-handover.fr.docx'}") in written
    decision = mission / "handover" / "decisions" / "kessa-handover.yaml"
    decision.write_text(decision.read_text(encoding="utf-8") + "restricted: true\n", encoding="utf-8")
    french(
        run("documents", "-p", m, "--out", str(folder), "--audience", "public"),
        f"fichier supprimé : {folder / 'certificate-kessa-handover.fr.docx'} (ce n'est plus un document de cette "
        "édition publique)",
    )


def test_the_guard_speaks_french_after_the_command_chose_it(mission, monkeypatch):
    import readiness.cli

    m = str(mission)
    refused = run("export", "-p", m, "--out", m)
    assert refused.exit_code == 1, refused.output
    assert fr("rien n'a été écrit ni supprimé") in refused.output and fr("readiness : ") in refused.output

    def explode(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(readiness.cli, "check_project", explode)
    broken = run("check", "-p", m)
    assert broken.exit_code == 3
    assert fr("readiness : erreur interne : RuntimeError : boom") in broken.output
    assert "Il s'agit d'une erreur de readiness, et non de vos fichiers" in broken.output
    assert "internal error: RuntimeError: boom" in run("check", "-p", m, "--lang", "en").output


def test_build_says_in_french_what_it_built(mission, tmp_path):
    out = tmp_path / "site"
    built = french(
        run("build", "-p", str(mission), "--out", str(out), "--lang", "fr"),
        f"le site interne du troisième trimestre 2026 est construit dans {out}",
        "ouvrez file://",
    )
    assert "built the" not in built
