"""Reading, validating and linking the files, in French: a French-first mission whose files are broken in the
ways teams break them (an unclosed quote, a tab, a key given twice, `85%`, `N/A`, a decimal comma, a misspelt
key, a missing key, a date written 30/09/2026) gets every message and hint of `readiness check` in French."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import french_first_example, run
from tests.french_style import english_left, style_faults

#: The codes of the findings this part of the tool words: YAML (Y), schema (S), values (O001, O002), files (P).
OURS = re.compile(r": (?:erreur|avertissement|error|warning) (Y00\d|S00\d|O00[12]|P00\d) ")


def plain(text: str) -> str:
    """The text with French's no-break spaces as plain ones, to compare sentences."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def broken_mission(root: Path) -> Path:
    """The example, French first, with its files broken."""
    french_first_example(root)
    kessa = root / "assessments" / "2026-q3" / "kessa.yaml"
    text = kessa.read_text(encoding="utf-8")
    for old, new in (
        ("value: 91.0", "value: 85%"),  # HR-02, a percentage
        ("value: 94.7", "value: N/A"),  # HR-03
        ("value: 24.1", "value: 24,1"),  # HR-04: a decimal comma
        ("confidence: high\n", "confidence: high\nconfidance: high\n"),  # a misspelt key
    ):
        assert old in text
        text = text.replace(old, new, 1)
    kessa.write_text(text, encoding="utf-8")

    lowa = root / "assessments" / "2026-q3" / "lowa.yaml"
    text = lowa.read_text(encoding="utf-8")
    text = re.sub(r"assessed_on: \S+", "assessed_on: 30/09/2026", text, count=1)
    assert "confidence: high" in text
    lowa.write_text(text.replace("confidence: high", "confidence: élevée", 1), encoding="utf-8")

    scenario = root / "scenarios" / "lowa-logistics.yaml"
    text = scenario.read_text(encoding="utf-8")
    assert "\nround: 2026-q3\n" in text
    scenario.write_text(text.replace("\nround: 2026-q3\n", "\nround: 2026-q3\nround: 2026-q2\n", 1), encoding="utf-8")
    (root / "scenarios" / "essai.yaml").write_text(
        "description: Un essai\nround: 2026-q3\nrestricted: oui\n", encoding="utf-8"
    )  # no `name`, no `changes`

    (root / "indicators" / "hr" / "HR-90.yaml").write_text(
        'id: HR-90\nname: "Effectif formé\ndefinition: Part des agents formés.\n', encoding="utf-8"
    )
    (root / "indicators" / "hr" / "HR-91.yaml").write_text("id: HR-91\nname:\n\tfr: Effectif\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> str:
    root = broken_mission(tmp_path_factory.mktemp("fr") / "mission")
    result = run("check", "-p", str(root))
    assert result.exit_code == 1, result.output
    return result.output


def finding(output: str, where: str) -> str:
    """The finding at `where` (file:line:column) with its hint, as printed."""
    lines = output.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith(where))
    hint = lines[at + 1] if at + 1 < len(lines) and lines[at + 1].startswith(" ") else ""
    return plain(lines[at] + "\n" + hint)


def test_yaml_that_cannot_be_read_is_explained_in_french(checked):
    unclosed = finding(checked, "indicators/hr/HR-90.yaml:2:7:")
    assert "syntaxe YAML : un guillemet ou un crochet est ouvert et jamais fermé" in unclosed
    assert "conseil : fermez le guillemet ou le crochet ouvert sur cette ligne" in unclosed

    tab = finding(checked, "indicators/hr/HR-91.yaml:3:1:")
    assert "Y001 une tabulation dans l'indentation" in tab
    assert "YAML n'admet pas les tabulations pour indenter ; indentez avec des espaces" in tab

    twice = finding(checked, "scenarios/lowa-logistics.yaml:16:1:")
    assert "Y003 'round' figure deux fois dans ce bloc (la première fois à la ligne 15)" in twice
    assert "gardez-en une seule (fusionnez-les si chacune contient une partie des données)" in twice


def test_values_that_are_not_numbers_say_why_and_how_to_write_them(checked):
    percent = finding(checked, "assessments/2026-q3/kessa.yaml:50:12:")
    assert (
        "O001 HR-02 attend un nombre (percent) et a reçu '85%' : le signe % ne fait pas partie de la valeur" in percent
    )
    assert "conseil : écrivez 85 : l'unité de HR-02 est déjà percent" in percent

    na = finding(checked, "assessments/2026-q3/kessa.yaml:59:12:")
    assert "O001 'N/A' n'est pas une valeur de HR-03" in na
    assert (
        "conseil : supprimez la valeur et écrivez `not_applicable:` suivi du motif (l'indicateur ne s'applique pas "
        "à cette région) ou `not_collected:` suivi du motif (la valeur n'a pas pu être collectée pour cette "
        "évaluation)" in na
    )

    comma = finding(checked, "assessments/2026-q3/kessa.yaml:65:12:")
    assert "les décimales s'écrivent avec un point, pas une virgule" in comma
    assert "conseil : écrivez 24.1" in comma


def test_the_schema_speaks_french(checked):
    unknown = finding(checked, "assessments/2026-q3/kessa.yaml:12:1:")
    assert "S001 clé inconnue 'confidance' dans confidance" in unknown
    assert 'conseil : vouliez-vous dire "confidence" ?' in unknown

    date = finding(checked, "assessments/2026-q3/lowa.yaml:4:14:")
    assert "assessed_on : une date au format AAAA-MM-JJ est attendue ; valeur reçue : '30/09/2026'" in date
    assert "conseil : écrivez 2026-09-30" in date

    literal = finding(checked, "assessments/2026-q3/lowa.yaml:13:13:")
    assert "confidence : 'élevée' n'est pas admis : la valeur doit être 'low', 'medium' ou 'high'" in literal

    assert "S002 la clé obligatoire 'name' manque" in plain(checked)
    assert "conseil : ajoutez `name:` ici" in plain(checked)
    boolean = finding(checked, "scenarios/essai.yaml:3:13:")
    assert "restricted : true ou false est attendu ; valeur reçue : 'oui'" in boolean
    assert "écrivez true ou false (yes, no, on, off, oui ou non ne sont pas lus comme des booléens ici)" in boolean


def test_french_typography_and_no_english_left(checked):
    assert 'vouliez-vous dire "confidence"\u202f?' in checked
    assert "clé inconnue 'confidance' dans confidance" in checked
    ours = []
    lines = checked.splitlines()
    for i, line in enumerate(lines):
        if OURS.search(line):
            ours.append(line)
            if i + 1 < len(lines) and lines[i + 1].startswith(" "):
                ours.append(lines[i + 1])
    assert len(ours) >= 20
    text = "\n".join(ours)
    # libyaml's own words stay in parentheses after the French ("(found unexpected end of stream)")
    assert english_left(re.sub(r"\((?:found|mapping|could|did|expected)[^)]*\)", "", text)) == []
    assert style_faults(text) == []


def test_the_same_findings_in_english_with_lang_en(tmp_path):
    root = broken_mission(tmp_path / "mission")
    result = run("check", "-p", str(root), "--lang", "en")
    out = result.output
    assert "HR-02 expects a number (percent), got '85%': the per cent sign is not part of the value" in out
    assert "hint: write 85: the unit of HR-02 is percent already" in out
    assert 'did you mean "confidence"?' in out
    assert "assessed_on: expected a date written as YYYY-MM-DD, got '30/09/2026'" in out
    assert "'round' is given twice in this mapping (first at line 15)" in out


def test_a_round_that_does_not_exist_is_named_in_french(tmp_path):
    root = french_first_example(tmp_path / "mission")
    result = run("score", "-p", str(root), "--round", "2027-q1", "--format", "json", "-o", str(tmp_path / "s.json"))
    assert result.exit_code == 2
    assert "évaluation inconnue : '2027-q1' ; évaluations : 2025-q4, 2026-q1, 2026-q2, 2026-q3" in plain(result.output)


def test_hints_in_french_from_the_library():
    from readiness.i18n import use_language
    from readiness.model import no_value_fix
    from readiness.validation import date_hint, did_you_mean

    use_language("fr")
    assert plain(did_you_mean("regoin", ["region", "round"])) == 'vouliez-vous dire "region" ?'
    assert did_you_mean("zzz", ["region"]) == ""
    assert date_hint("03/04/2026") == "écrivez 2026-04-03 si le jour vient en premier, ou 2026-03-04 si c'est le mois"
    assert "n'existe pas\u202f; écrivez-la" in date_hint("2026-02-30")  # French spacing before ;
    assert plain(date_hint("2026-02-30")).startswith("cette date n'existe pas ; écrivez-la sous la forme AAAA-MM-JJ")
    assert plain(no_value_fix("not_collected", columns=True)) == (
        "laissez la valeur vide et indiquez le motif dans la colonne not_collected (la valeur n'a pas pu être "
        "collectée pour cette évaluation)"
    )


def test_a_broken_catalogue_is_named_not_read_again_and_again(tmp_path, monkeypatch):
    """The catalogues are read with PyYAML's base loader, not the project's loader (whose messages come from the
    catalogues): a catalogue that is not valid YAML is named, with PyYAML's line, instead of recursing."""
    import readiness.i18n as i18n

    (tmp_path / "en.yaml").write_text('files:\n  folder: "never closed\n', encoding="utf-8")
    monkeypatch.setattr(i18n, "CATALOGUES", tmp_path)
    i18n.catalogue.cache_clear()
    try:
        broken = r"the catalogue en.yaml is not valid: while scanning a quoted scalar\n.*line 2, column 11"
        with pytest.raises(ValueError, match=broken):
            i18n.catalogue("en")
    finally:
        monkeypatch.undo()
        i18n.catalogue.cache_clear()
