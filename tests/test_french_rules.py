"""The check rules speak French (issue 27): on a French-first copy of the example mission with a few mistakes
made in its files, `readiness check` says what is wrong and how to fix it in French, in the text report and in
`--format json`; and every rule has a French summary and fix of its own."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from readiness import rules
from readiness.i18n import catalogue, say_n, use_language
from tests.conftest import french_first_example, run

#: The spaces French typography puts before `:` and `;` (french.py adds them to every French message).
NBSP, NNBSP = "\u00a0", "\u202f"


def plain(text: str) -> str:
    """French spacing made plain, to compare with sentences written with ordinary spaces."""
    return text.replace(NBSP, " ").replace(NNBSP, " ")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def mission(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example, French first, with the mistakes a team makes: evidence dated after the cut-off in a sealed
    round (so that file changed since the seal too), a value a hundred times smaller than the round before, a
    percentage above 100, a misspelt source type, a source type defined twice, a weight of zero and cut-offs
    in the wrong order. The third quarter is unsealed, as a round still open to corrections would be."""
    root = french_first_example(tmp_path_factory.mktemp("fr") / "mission")
    rounds = root / "assessments" / "rounds.yaml"
    text = rounds.read_text(encoding="utf-8")
    unsealed = re.sub(
        r"(  - id: 2026-q3\n(?:    (?!seal:).*\n)*)    seal:\n      date: .*\n      files:\n(?:        .*\n)+",
        r"\1",
        text,
    )
    assert unsealed != text
    rounds.write_text(unsealed, encoding="utf-8")

    q2 = root / "assessments" / "2026-q2" / "kessa.yaml"
    edit(
        q2,
        "extract by sex, Kessa command\n        date: 2026-05-29",
        "extract by sex, Kessa command\n        date: 2026-07-02",
    )
    q3 = root / "assessments" / "2026-q3" / "kessa.yaml"
    edit(q3, "  HR-04:\n    value: 24.1\n", "  HR-04:\n    value: 0.234\n")
    edit(q3, "  HR-02:\n    value: 91.0\n", "  HR-02:\n    value: 191.0\n")
    edit(
        q3,
        "      - source: FV\n        reference: Certificate check",
        "      - source: FVV\n        reference: Certificate check",
    )
    edit(
        root / "indicators" / "framework.yaml",
        "  - {id: HRM, name: {en: Human-rights monitoring, fr: Surveillance des droits de l'homme}}\n",
        "  - {id: HRM, name: {en: Human-rights monitoring, fr: Surveillance des droits de l'homme}}\n"
        "  - {id: FV, name: {en: Focus group, fr: Groupe de discussion}}\n",
    )
    hr01 = root / "indicators" / "hr" / "HR-01.yaml"
    edit(hr01, "weight: 1\n", "weight: 0\n")
    edit(hr01, "all: {partially-ready: 100, ready: 180}", "all: {partially-ready: 180, ready: 100}")
    return root


@pytest.fixture(scope="module")
def report(mission: Path) -> str:
    result = run("check", "--project", str(mission))
    assert result.exit_code == 1, result.output
    return result.output


@pytest.mark.parametrize(
    "sentence",
    [
        # E001 and its hint
        "preuve datée du 2026-07-02, après la date d'arrêt des données de l'évaluation (2026-06-30)",
        "vérifier la date ; une preuve recueillie après la date d'arrêt relève de l'évaluation suivante",
        # A002: the sealed round's file changed, and how to amend it
        "l'évaluation 2026-q2 a été scellée le 2026-07-10 ; ce fichier a été modifié depuis",
        "une évaluation clôturée ne change que par un amendement : `readiness amend 2026-q2 --reason ... --by ...` "
        "l'enregistre (anciennes et nouvelles valeurs) et scelle de nouveau l'évaluation",
        # O007
        "HR-04 vaut 0.234 en 2026-q3 contre 23.4 en 2026-q2 : une valeur 100 fois plus petite",
        # R002: the misspelt source type
        "type de source 'FVV' inconnu",
        # R001 and its hint
        "le type de source 'FV' est défini deux fois",
        "chaque identifiant doit être unique ; renommer ou supprimer l'un des deux",
        # I003 and its hint
        "HR-01 a un poids de 0",
        "un poids doit être positif ; pour écarter un indicateur du score, supprimer son fichier",
        # I001 and its hint
        "HR-01 (plus c'est élevé, mieux c'est) : le seuil de 'ready' (100) doit être supérieur à celui de "
        "'partially-ready' (180)",
        "intervertir les deux valeurs, ou vérifier le sens de l'indicateur",
        # E003, a warning of the example itself
        "HR-02 est critique et demande 2 types de source distincts ; il en a 1 (ADM)",
    ],
)
def test_check_says_what_is_wrong_in_french(report, sentence):
    assert sentence in plain(report), report


def test_french_spacing_is_applied(report):
    """The catalogue is written with plain spaces; the report has French's no-break ones."""
    assert f"vérifier la date{NNBSP}; une preuve recueillie" in report
    assert f"ne change que par un amendement{NBSP}: `readiness amend 2026-q2" in report
    assert f"(plus c'est élevé, mieux c'est){NBSP}: le seuil" in report


def test_every_mistake_is_reported(report):
    for code in ("A002", "E001", "O002", "O007", "R001", "R002", "I001", "I003", "E003"):
        assert f" {code} " in report, code


def test_no_english_sentence_of_the_rules_is_left(report):
    for english in (
        "evidence dated",
        "after the round's cut-off",
        "check the date",
        "unknown source type",
        "is defined twice",
        "ids must be unique",
        "has weight",
        "weights must be positive",
        "was sealed on",
        "this file changed since",
        "a closed round changes only",
        "times smaller",
        "check the decimal point",
        "higher is better",
        "swap the two values",
        "is critical and needs",
        "add evidence of another kind",
    ):
        assert english not in report, english


def test_the_json_report_is_in_french(mission):
    result = run("check", "--project", str(mission), "--format", "json")
    assert result.exit_code == 1, result.output
    by_code: dict[str, list[dict[str, str]]] = {}
    for found in json.loads(result.stdout)["diagnostics"]:
        by_code.setdefault(found["code"], []).append(found)
    (e001,) = by_code["E001"]
    assert plain(e001["message"]) == (
        "preuve datée du 2026-07-02, après la date d'arrêt des données de l'évaluation (2026-06-30)"
    )
    assert plain(e001["hint"]) == (
        "vérifier la date ; une preuve recueillie après la date d'arrêt relève de l'évaluation suivante"
    )
    (r001,) = by_code["R001"]
    assert plain(r001["message"]) == "le type de source 'FV' est défini deux fois"
    assert [plain(d["message"]) for d in by_code["R002"]] == ["type de source 'FVV' inconnu"]
    (o007,) = by_code["O007"]
    assert (
        plain(o007["message"]) == "HR-04 vaut 0.234 en 2026-q3 contre 23.4 en 2026-q2 : une valeur 100 fois plus petite"
    )
    assert plain(o007["hint"]).startswith("vérifier le séparateur décimal et l'unité au regard de la source ; ")
    (a002,) = by_code["A002"]
    assert a002["file"] == "assessments/2026-q2/kessa.yaml"
    assert (
        plain(a002["message"]) == "l'évaluation 2026-q2 a été scellée le 2026-07-10 ; ce fichier a été modifié depuis"
    )
    # what the data formats read stays as it is: codes, rule names, severities
    assert (e001["severity"], e001["rule"]) == ("error", "evidence-future")


def test_english_is_still_one_option_away(mission):
    result = run("check", "--project", str(mission), "--lang", "en")
    assert "error R001 source type 'FV' is defined twice" in result.output
    assert "evidence dated 2026-07-02, after the round's cut-off date 2026-06-30" in result.output


def test_an_indicator_left_out_is_counted_in_french(tmp_path):
    """O003 through say_n: one indicator is singular in French (as is zero), two are plural."""
    root = french_first_example(tmp_path / "mission")
    kessa = root / "assessments" / "2026-q3" / "kessa.yaml"
    text = kessa.read_text(encoding="utf-8")
    kessa.write_text(text[: text.index("  HR-04:\n")] + text[text.index("  HR-05:\n") :], encoding="utf-8")
    output = plain(run("check", "--project", str(root)).output)
    assert "1 indicateur manquant sans motif : HR-04" in output
    assert "(une absence n'est jamais lue comme zéro)" in output
    use_language("fr")
    assert plain(say_n("rule.O003.missing", 2, indicators="HR-04, HR-05")) == (
        "2 indicateurs manquants sans motif : HR-04, HR-05"
    )
    assert plain(say_n("rule.G002.no_population", 2, region="lomara", regions="kessa, ovanga")).endswith(
        "mais kessa, ovanga n'ont pas de population"
    )


def test_every_rule_has_a_french_summary_and_fix_of_its_own():
    english = {r.code: (r.summary, r.fix) for r in rules.ALL}
    french = catalogue("fr")
    use_language("fr")
    assert len(rules.ALL) == 77
    for rule in rules.ALL:
        assert {f"rule.{rule.code}.summary", f"rule.{rule.code}.fix"} <= set(french), rule.code
        summary, fix = rule.summary, rule.fix
        assert summary and fix, rule.code
        assert summary != english[rule.code][0] and fix != english[rule.code][1], rule.code
        prose = re.sub(r"`[^`]*`", "", plain(summary + " " + fix))  # (code stays as it is typed)
        assert not re.search(r"\b(the|and|with|which|or|of|to)\b", prose), (rule.code, prose)
    assert "du 1990-01-01 au 2100-12-31" in rules.BY_CODE["S004"].summary


def test_every_message_of_the_rules_has_its_own_french():
    """Each message the rules write (`rule.<code>.<name>`) has a French entry other than the English one."""
    en, fr = catalogue("en"), catalogue("fr")
    messages = [k for k in en if k.startswith("rule.") and k.split(".")[2] not in ("summary", "fix")]
    assert len(messages) > 150
    assert not [k for k in messages if fr.get(k, en[k]) == en[k]]
