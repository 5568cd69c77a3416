"""How commands report, in French (issue 27): on a French-first copy of the example mission, `check` ends with its
count in French and gives its hints as « conseil : … » in every format (the codes, ids and keys unchanged); a
round opened with `new-round` shows its progress in French; `serve`'s banner and findings page, the refusals to
write an output, the stages of a build and `init`'s messages are French too."""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest

from readiness.diagnostics import Diagnostic, Severity
from readiness.findings import format_text
from readiness.i18n import use_language
from tests.conftest import french_first_example, run
from tests.french_style import english_left, style_faults

NBSP, NNBSP = "\u00a0", "\u202f"


def plain(text: str) -> str:
    """French spacing made plain, to compare with sentences written with ordinary spaces."""
    return text.replace(NBSP, " ").replace(NNBSP, " ")


def faults(text: str) -> list[str]:
    return style_faults(text) + [f"English: {s}" for s in english_left(text)]


@pytest.fixture(scope="module")
def mission(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return french_first_example(tmp_path_factory.mktemp("fr") / "mission")


@pytest.fixture(scope="module")
def english(mission: Path) -> dict[str, str]:
    """Each format of `check`, in English, to compare the French with."""
    out = {fmt: run("check", "--project", str(mission), "--lang", "en", "--format", fmt).output for fmt in FORMATS}
    use_language("en")
    return out


FORMATS = ("text", "github", "json", "sarif", "junit")


@pytest.fixture(scope="module")
def french(mission: Path) -> dict[str, str]:
    out = {}
    for fmt in FORMATS:
        result = run("check", "--project", str(mission), "--format", fmt)
        assert result.exit_code == 0, result.output
        out[fmt] = result.output
    use_language("en")
    return out


# ---------------------------------------------------------------- check


def _counted(english: dict[str, str]) -> tuple[int, int]:
    """Files checked and warnings, as the English report of the same project counts them (the example's own
    warnings: its E003s, and the data-quality and drawdown findings its data gives)."""
    found = re.search(r"(\d+) files checked: 0 errors, (\d+) warnings\n$", english["text"])
    assert found, english["text"][-300:]
    return int(found.group(1)), int(found.group(2))


def test_the_text_report_ends_with_its_count_in_french_and_gives_hints_as_conseil(french, english):
    text = french["text"]
    files, warnings = _counted(english)
    assert warnings >= 4  # the example's four E003 at least
    assert text.endswith(f"{files} fichiers vérifiés{NBSP}: 0 erreur, {warnings} avertissements\n"), text[-300:]
    findings = [line for line in text.splitlines() if re.match(r"(assessments|handover|indicators)/", line)]
    hints = [line for line in text.splitlines() if line.startswith("    ")]
    assert len(findings) == len(hints) == warnings
    assert all(re.match(r"\S+\.yaml:\d+:\d+: avertissement [A-Z]\d{3} ", line) for line in findings), findings
    assert all(line.startswith(f"    conseil{NBSP}: ") for line in hints), hints
    assert "hint:" not in text and "files checked" not in text and " warning " not in text
    assert faults("\n".join([text.splitlines()[-1], *(h.strip() for h in hints)])) == []


@pytest.mark.parametrize(
    ("errors", "warnings", "files", "said"),
    [
        (0, 0, 0, "0 fichier vérifié : 0 erreur, 0 avertissement"),
        (1, 1, 1, "1 fichier vérifié : 1 erreur, 1 avertissement"),
        (2, 2, 2, "2 fichiers vérifiés : 2 erreurs, 2 avertissements"),
    ],
)
def test_the_count_takes_the_french_plural(errors, warnings, files, said):
    found = [Diagnostic("a.yaml", 1, 1, "O001", "m", "", Severity.ERROR) for _ in range(errors)]
    found += [Diagnostic("a.yaml", 2, 1, "E003", f"m{i}", "", Severity.WARNING) for i in range(warnings)]
    use_language("fr")
    assert plain(format_text(found, files).splitlines()[-1]) == said
    use_language("en")
    english = format_text(found, files).splitlines()[-1]
    assert english == {0: "0 files checked: 0 errors, 0 warnings", 1: "1 file checked: 1 error, 1 warning"}.get(
        files, "2 files checked: 2 errors, 2 warnings"
    )


def test_github_annotations_carry_the_french_messages_with_the_same_codes(french, english):
    fr, en = french["github"].splitlines(), english["github"].splitlines()
    files, warnings = _counted(english)
    assert fr[-1] == f"{files} fichiers vérifiés{NBSP}: 0 erreur, {warnings} avertissements"
    assert len(fr) == len(en) == warnings + 1
    assert sum("title=E003 evidence-sources" in line for line in fr) == 4
    for line_fr, line_en in zip(fr[:-1], en[:-1], strict=True):
        # the workflow command, the file, line, column and title (code and rule name) are the same
        assert line_fr.split("::")[:2] == line_en.split("::")[:2]
        assert line_fr != line_en  # the message is French


def test_json_keeps_its_keys_and_codes_and_carries_french_messages(french, english):
    fr, en = json.loads(french["json"]), json.loads(english["json"])
    assert fr.keys() == en.keys()
    assert [(d["code"], d["file"], d["line"], d["severity"], d["rule"]) for d in fr["diagnostics"]] == [
        (d["code"], d["file"], d["line"], d["severity"], d["rule"]) for d in en["diagnostics"]
    ]
    assert all(d["message"] != e["message"] for d, e in zip(fr["diagnostics"], en["diagnostics"], strict=True))


def test_sarif_keeps_its_ids_and_writes_the_rules_and_results_in_french(french, english):
    fr, en = json.loads(french["sarif"]), json.loads(english["sarif"])
    rules_fr, rules_en = fr["runs"][0]["tool"]["driver"]["rules"], en["runs"][0]["tool"]["driver"]["rules"]
    assert [(r["id"], r["name"], r["defaultConfiguration"]) for r in rules_fr] == [
        (r["id"], r["name"], r["defaultConfiguration"]) for r in rules_en
    ]
    by_id = {r["id"]: r for r in rules_fr}
    assert plain(by_id["A001"]["fullDescription"]["text"]).endswith(
        "C'est une erreur par défaut : elle fait échouer readiness check."
    )
    assert plain(by_id["E003"]["fullDescription"]["text"]).endswith(
        "C'est un avertissement par défaut : il ne fait échouer readiness check qu'avec --strict."
    )
    assert plain(by_id["E003"]["help"]["markdown"]).startswith(
        "**E003 evidence-sources** est un avertissement par défaut : il ne fait échouer `readiness check` "
        "qu'avec `--strict`."
    )
    assert "**Comment corriger :** " in plain(by_id["E003"]["help"]["markdown"])
    results_fr, results_en = fr["runs"][0]["results"], en["runs"][0]["results"]
    assert [(r["ruleId"], r["level"], r["locations"]) for r in results_fr] == [
        (r["ruleId"], r["level"], r["locations"]) for r in results_en
    ]
    assert all(" Conseil : " in plain(r["message"]["text"]) for r in results_fr)
    assert not any("Hint:" in r["message"]["text"] for r in results_fr)
    assert not any("This is" in r["fullDescription"]["text"] for r in rules_fr)


def test_junit_writes_its_details_in_french(french, english):
    suites = ET.fromstring(french["junit"])
    assert suites.get("tests") == ET.fromstring(english["junit"]).get("tests")
    notes = [e.text or "" for e in suites.iter("system-out")]
    assert notes and all(re.match(r"avertissement [A-Z]\d{3} [a-z-]+ à \S+\.yaml:\d+:\d+\n", n) for n in notes)
    assert any(n.startswith("avertissement E003 evidence-sources à assessments/") for n in notes)
    assert all(f"\nconseil{NBSP}: " in n for n in notes) and not any("hint:" in n for n in notes)


# ---------------------------------------------------------------- a round being collected


@pytest.fixture(scope="module")
def opened(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    root = french_first_example(tmp_path_factory.mktemp("fr") / "mission")
    result = run(
        "new-round", "2026-q4", "--date", "2026-12-31", "--label", "fr=Quatrième trimestre 2026",
        "--label", "en=Fourth quarter 2026", "--project", str(root),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    checked = run("check", "--project", str(root))
    assert checked.exit_code == 0, checked.output
    use_language("en")
    return root, checked.output


def test_a_round_being_collected_shows_its_progress_in_french(opened):
    _, output = opened
    progress = plain(output.split("avertissements\n", 1)[1])
    assert progress.startswith(
        "évaluation 2026-q4 (Quatrième trimestre 2026) en cours de collecte : 13 sur 597 valeurs saisies\n"
    ), progress[:300]
    assert re.search(
        r"\n  lowa +0/45   rien de saisi pour l'instant  \(texte provisoire dans narrative ; pas d'équipe ; "
        r"pas de date d'évaluation ; pas encore de validation\)\n",
        progress,
    ), progress
    assert re.search(r"\n  kessa +1/45   manquent : BU-01, [A-Z0-9-, ]+ et 32 autres  \(", progress), progress
    assert "(reporté, à confirmer : LO-04)" in progress and "(reportés, à confirmer : LO-04, TR-06)" in progress
    assert faults(output.split("avertissements\n", 1)[1]) == []
    for english in ("is collecting", "values in", "nothing in yet", "missing:", "no team", "sign-off", "carried"):
        assert english not in progress


def test_the_progress_in_json_and_the_new_files_are_french(opened):
    root, _ = opened
    result = run("check", "--project", str(root), "--format", "json")
    collecting = json.loads(result.output)["collecting"]
    lowa = next(r for c in collecting for r in c["regions"] if r["region"] == "lowa")
    assert [plain(b) for b in lowa["blockers"]] == [
        "texte provisoire dans narrative",
        "pas d'équipe",
        "pas de date d'évaluation",
    ]
    assert lowa["notes"] == ["pas encore de validation"]
    text = (root / "assessments" / "2026-q4" / "lowa.yaml").read_text(encoding="utf-8")
    assert "# Lowa, évaluation 2026-q4. Saisissez chaque valeur avec ses preuves, ou remplacez\n" in text
    assert re.search(r"\n    # 2026-q3 : [\d.]+, preuve du 2026-\d\d-\d\d \(", plain(text))
    assert "evidence: []  # types de source attendus : ADM, DOC ; ajoutez {source, reference, date}\n" in plain(text)
    assert "Fill in" not in text and "expected source types" not in text


def test_new_round_close_round_and_amend_refuse_in_french(opened):
    root, _ = opened
    again = run("new-round", "2027-q1", "--date", "2027-03-31", "--project", str(root))
    assert again.exit_code == 2
    assert (
        "l'évaluation 2026-q4 est encore en cours de collecte : clôturez-la d'abord "
        "(`readiness close-round 2026-q4`), puis ouvrez 2027-q1" in plain(again.output)
    ), again.output
    closing = run("close-round", "2026-q4", "--project", str(root))
    assert closing.exit_code == 1
    assert "rien de saisi pour l'instant" in closing.output and "nothing in yet" not in closing.output
    amend = run("amend", "2026-q4", "--reason", "x", "--by", "y", "--project", str(root))
    assert amend.exit_code == 2
    assert "l'évaluation 2026-q4 n'est pas scellée : seule une évaluation clôturée s'amende" in plain(amend.output)


def test_the_round_errors_read_as_french():
    from readiness.i18n import say

    use_language("fr")
    said = [
        say("rounds.error.exists", round="'2026-q4'", file="assessments/rounds.yaml"),
        say("rounds.error.date_order", date=date(2026, 1, 1), last=date(2026, 9, 30)),
        say("rounds.error.nothing", round="2026-q3"),
        say("rounds.error.outside", round="2026-q3", path="assessments/2026-q2/kessa.yaml"),
    ]
    assert plain(said[0]) == "l'évaluation '2026-q4' existe déjà dans assessments/rounds.yaml"
    assert faults("\n".join(said)) == []


# ---------------------------------------------------------------- serve


def test_serve_shows_its_banner_and_findings_page_in_french(tmp_path):
    from readiness.safety import escape_markdown
    from readiness.serve import regenerate
    from tests.test_serve import HOSTILE, bilingual_project, break_value, pages

    root = bilingual_project(tmp_path)
    work = tmp_path / "work"
    said: list[str] = []
    use_language("fr")  # `readiness serve --lang fr`: every language's pages carry the French notice
    assert regenerate(root, work, "internal", said.append)
    break_value(root, HOSTILE)
    said.clear()
    assert not regenerate(root, work, "internal", said.append)
    assert plain(said[-2]) == (
        "readiness serve : les dernières pages valides restent affichées jusqu'à la correction de ces erreurs"
    )
    assert plain(said[-1]) == "readiness serve : les erreurs sont aussi affichées dans le navigateur (findings.html)"
    for lang in ("en", "fr"):
        now = pages(work / lang / "docs")
        findings = now.pop("findings.md")
        assert findings.startswith("---\ntitle: Erreurs dans le projet\n---\n\n")
        assert '<div class="rd-serve-findings-page" lang="fr" markdown>' in findings
        assert "# Erreurs dans le projet" in findings
        assert (
            "`readiness check` a trouvé 1 erreur dans 6 fichiers. Tant qu'elle n'est pas corrigée, les autres pages "
            "montrent la dernière version du site qui a passé la vérification ; cette page disparaîtra alors "
            "d'elle-même." in plain(findings)
        )
        assert "| Où | Code | Problème | Comment corriger |" in findings
        assert "| O001 |" in findings and "&lt;img src=x onerror=window.\\_\\_xss=1&gt;\\|\\*x\\*" in findings
        assert "<img" not in findings and escape_markdown(HOSTILE) in findings
        for rel, text in now.items():
            assert 'class="admonition failure rd-serve-findings" lang="fr" role="alert"' in text, rel
            assert "1 erreur dans le projet : les pages montrent la dernière version valide" in plain(text), rel
            assert f'<a href="{"../" * rel.count("/")}findings.html">Voir ce qu&#x27;il faut corriger</a>' in text
        assert "Errors in" not in findings and "Where" not in findings and "How to fix" not in findings


def test_the_refusal_page_and_the_findings_html_lang_follow_the_command(tmp_path):
    from readiness.serve import _findings_in_language, refusal_page

    use_language("fr")
    page = refusal_page("a <script> in index.html")
    assert page.startswith('<!doctype html>\n<html lang="fr"><head><meta charset="utf-8"><title>Pages refusées</title>')
    assert "<h1>readiness a refusé d&#x27;afficher ces pages</h1>" in page
    assert "<p>a &lt;script&gt; in index.html</p>" in page
    assert "La même vérification bloque <code>readiness build</code>, car une page" in page
    use_language("en")
    assert '<html lang="en"><head><meta charset="utf-8"><title>Pages refused</title></head>' in refusal_page("x")
    assert (
        "<p>The same check stops <code>readiness build</code>: a page may not run a script or load anything from "
        "outside the site. Fix what is named above; the preview comes back by itself.</p>" in refusal_page("x")
    )
    # an English site showing French findings: the built page says it is French
    site = tmp_path / "site"
    site.mkdir()
    (site / "findings.html").write_text(
        '<!doctype html>\n<html lang="en" class="no-js"><body><div class="rd-serve-findings-page" lang="fr">'
        "<h1>Erreurs</h1></div></body></html>",
        encoding="utf-8",
    )
    _findings_in_language(site)
    assert (site / "findings.html").read_text(encoding="utf-8").startswith('<!doctype html>\n<html lang="fr" ')


@pytest.mark.slow
def test_the_built_findings_page_is_french_in_every_language_s_site(tmp_path):
    from readiness.serve import build_site, regenerate
    from tests.test_serve import HOSTILE, bilingual_project, break_value

    root = bilingual_project(tmp_path)
    work = tmp_path / "work"
    said: list[str] = []
    use_language("fr")
    assert regenerate(root, work, "internal", said.append)
    break_value(root, HOSTILE)
    assert not regenerate(root, work, "internal", said.append)
    assert build_site(work, said.append), said
    for page in (work / "site" / "findings.html", work / "site" / "fr" / "findings.html"):
        text = page.read_text(encoding="utf-8")
        assert '<html lang="fr"' in text and "Erreurs dans le projet" in text


# ---------------------------------------------------------------- outputs, progress, init


def test_refusals_to_write_are_french(mission, tmp_path):
    from readiness.outputs import UnsafeOutput, check_site_folder, documents_folder, output_path

    use_language("fr")
    with pytest.raises(UnsafeOutput) as refused:
        check_site_folder(mission, mission)
    assert plain(str(refused.value)) == (
        f"refus de construire le site dans {mission} : c'est le dossier du projet lui-même, et une construction "
        "remplace tout le dossier ; choisissez un dossier de sortie réservé au site, par exemple --out build/site"
    )
    with pytest.raises(UnsafeOutput) as refused:
        output_path(mission / "indicators" / "out.json", mission)
    assert "il fait partie des sources du projet (indicators)" in plain(str(refused.value))
    with pytest.raises(UnsafeOutput) as refused:
        output_path(tmp_path, mission)
    assert plain(str(refused.value)) == f"impossible d'écrire {tmp_path} : c'est un dossier ; donnez un nom de fichier"
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / ".readiness-documents").write_text('{"audience": "internal", "files": {}}', encoding="utf-8")
    with pytest.raises(UnsafeOutput) as refused:
        documents_folder(folder, mission, "public")
    assert plain(str(refused.value)).startswith(
        f"refus d'écrire des documents publics dans {folder} : il contient les documents internes, et les documents "
        "publics et internes ne partagent jamais un dossier"
    )
    for text in (str(refused.value),):
        assert faults(text) == []


def test_the_stages_of_a_build_are_written_in_french():
    from readiness.progress import Progress

    use_language("fr")
    log = io.StringIO()
    progress = Progress(log, clock=lambda: 0.0)
    with progress.stage("scoring", total=3, unit="rounds", past="scored") as stage:
        stage.advance(3)
    with progress.stage("weighing the uncertainty of", total=1, unit="round", past="weighed the uncertainty of") as s:
        s.advance()
    with progress.stage("playing", total=0, unit="scenarios", past="played"):
        pass
    with (
        pytest.raises(RuntimeError),
        progress.stage("building the site in", total=2, unit="languages", past="built the site in") as s,
    ):
        s.advance()
        raise RuntimeError("disque plein")
    assert plain(log.getvalue()).splitlines() == [
        "notation de 3 évaluations…",
        "3 évaluations notées (0,0 s)",
        "estimation de l'incertitude de 1 évaluation…",
        "incertitude estimée pour 1 évaluation (0,0 s)",
        "calcul de 0 scénario…",
        "0 scénario calculé (0,0 s)",
        "construction du site en 2 langues…",
        "construction du site : arrêt après 1/2 langues",
    ]
    assert faults(log.getvalue()) == []
    use_language("en")
    log = io.StringIO()
    with Progress(log, clock=lambda: 0.0).stage("scoring", total=3, unit="rounds", past="scored") as stage:
        stage.advance(3)
    assert log.getvalue().splitlines() == ["scoring 3 rounds...", "scored 3 rounds (0.0 s)"]


def test_init_refuses_a_folder_that_is_not_empty_in_french(tmp_path):
    from readiness.authoring.scaffold import init_project

    (tmp_path / "mine.txt").write_text("x", encoding="utf-8")
    use_language("fr")
    with pytest.raises(FileExistsError) as refused:
        init_project(tmp_path, date(2026, 5, 1))
    assert plain(str(refused.value)) == f"{tmp_path} n'est pas vide ; `readiness init` n'écrase jamais de fichiers"
