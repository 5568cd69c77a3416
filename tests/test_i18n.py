"""French and English: complete catalogues, translatable YAML, and a check that names what is missing."""

from __future__ import annotations

import re

import pytest

from readiness.i18n import Translator, available, catalogue
from readiness.project import load_project
from tests.conftest import REPO, framework, indicator, project_files, run, write_project

PLACEHOLDER = re.compile(r"\{(\w+)(?:![rsa])?(?::[^{}]*)?\}")


def test_every_catalogue_has_every_english_label_with_the_same_placeholders():
    english = catalogue("en")
    assert set(available()) >= {"en", "fr"}
    for lang in available():
        labels = catalogue(lang)
        assert set(labels) == set(english), (lang, set(english) ^ set(labels))
        for key, text in labels.items():
            fields, english_fields = set(PLACEHOLDER.findall(text)), set(PLACEHOLDER.findall(english[key]))
            if key.endswith(".zero"):  # "aucun" says the count without writing it
                assert fields <= english_fields, (lang, key)
            else:
                assert fields == english_fields, (lang, key)


def test_every_catalogue_file_passes_the_project_loader():
    """The catalogues are read with PyYAML's base loader, for speed; the project loader, which refuses a key given
    twice, anchors and tags, must find nothing in them either, so the fast read misses nothing."""
    from readiness.i18n import CATALOGUES
    from readiness.loading import parse_document

    files = sorted(CATALOGUES.rglob("*.yaml"))
    assert len(files) >= 4
    for path in files:
        doc, problems = parse_document(path.read_bytes(), path.name)
        assert doc is not None and not problems, (path.name, [p.message for p in problems][:3])


def test_a_key_given_twice_in_a_catalogue_file_is_found(tmp_path):
    from readiness.loading import parse_document

    doc, problems = parse_document(b"a:\n  b: one\n  b: two\n", "x.yaml")
    assert problems and "b" in problems[0].message


def test_numbers_and_dates_are_written_as_each_language_writes_them():
    en, fr = Translator("en"), Translator("fr")
    assert en.number(1234.5, 1) == "1,234.5" and fr.number(1234.5, 1) == "1\u202f234,5"
    assert en.percent(0.953) == "95%" and fr.percent(0.953) == "95\u00a0%"
    assert en.date("2026-09-30") == "Sep 30, 2026" and fr.date("2026-09-30") == "30 sept. 2026"


def test_the_example_declares_english_and_french():
    project, _ = load_project(REPO)
    fw = project.framework
    assert fw.languages == ["en", "fr"]
    assert fw.levels[3].label.get("fr") != fw.levels[3].label.get("en")
    assert all(ind.name.get("fr") != ind.name.get("en") for ind in project.indicators.values())
    french_narratives = [
        a for a in project.assessments.values() if a.narrative is not None and "fr" in a.narrative.text.translations
    ]
    assert len(french_narratives) >= 2


def test_check_reports_a_missing_translation_with_file_and_line(tmp_path):
    fw = framework(languages=["en", "fr"], name={"en": "Test framework", "fr": "Cadre de test"})
    files = project_files(
        {"r1/north": {"A1": 70, "B1": 60}},
        fw=fw,
        indicators=[
            indicator("A1", name={"en": "Officers certified", "fr": "Agents certifiés"}),
            indicator("B1", "B", name={"en": "Stations open"}),
        ],
    )
    root = write_project(tmp_path / "p", files)
    result = run("check", str(root), "--strict")
    assert result.exit_code == 1
    assert "indicators/B1.yaml:3:" in result.output and "I006 name has no fr text" in result.output
    assert "indicators/A1.yaml:3:" not in result.output


def test_a_narrative_may_be_written_in_several_languages(tmp_path):
    files = project_files({"r1/north": {"A1": 70, "B1": 60}}, fw=framework(languages=["en", "fr"]))
    files["assessments/r1/north.yaml"]["narrative"] = {"en": "All posts open.", "fr": "Tous les postes ouverts."}
    project, problems = load_project(write_project(tmp_path / "p", files))
    assert not [p for p in problems if p.severity.value == "error"]
    assert project.assessments[("r1", "north")].narrative.text.get("fr") == "Tous les postes ouverts."


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.slow
def test_build_one_language(tmp_path, lang):
    result = run("build", "-p", str(REPO), "--lang", lang, "--out", str(tmp_path / "site"))
    assert result.exit_code == 0, result.output
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert f'<html lang="{lang}"' in page
    assert not (tmp_path / "site" / "fr").exists()


def test_an_unknown_language_is_a_usage_error(tmp_path):
    assert run("build", "-p", str(REPO), "--lang", "xx", "--out", str(tmp_path / "site")).exit_code == 2
