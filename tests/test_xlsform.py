"""`readiness template --format xlsform`: the round's form for tablets, converted by pyxform (the reference XLSForm
converter) and read back as the XForm that ODK Collect and KoboToolbox run."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from openpyxl import load_workbook

from readiness.authoring.xlsform import FormProblem, build_form, question_name, write_xlsform, xml_name
from readiness.project import load_project
from tests.conftest import EXAMPLE_PARTS, REPO, framework, indicator, run, write_project

pyxform = pytest.importorskip("pyxform.xls2xform")

ROUND = "2026-q4"
XF = "{http://www.w3.org/2002/xforms}"
H = "{http://www.w3.org/1999/xhtml}"


def copy_project(source: Path, target: Path) -> Path:
    """The example's project files (not the code or the built site), as a team's repository holds them."""
    target.mkdir(parents=True)
    for part in EXAMPLE_PARTS:
        if (source / part).is_dir():
            shutil.copytree(source / part, target / part)
        elif (source / part).is_file():
            shutil.copy(source / part, target / part)
    return target


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the example with round 2026-q4 opened (the example's own rounds are all sealed)."""
    root = copy_project(REPO, tmp_path_factory.mktemp("xlsform") / "m")
    opened = run(
        "new-round",
        ROUND,
        "--date",
        "2026-12-31",
        "--label",
        "en=Fourth quarter 2026",
        "--label",
        "fr=Quatrième trimestre 2026",
        "-p",
        str(root),
    )
    assert opened.exit_code == 0, opened.output
    return root


def convert(path: Path) -> ET.Element:
    """The XForm pyxform makes of a workbook, parsed; any warning pyxform gives fails the test."""
    warnings: list[str] = []
    result = pyxform.convert(xlsform=str(path), warnings=warnings)
    assert warnings == [], warnings
    return ET.fromstring(result.xform)


def binds(xform: ET.Element) -> dict[str, dict[str, str]]:
    return {b.attrib["nodeset"].rsplit("/", 1)[-1]: b.attrib for b in xform.iter(f"{XF}bind")}


def texts(xform: ET.Element, lang: str) -> dict[str, str]:
    translation = next(t for t in xform.iter(f"{XF}translation") if t.attrib["lang"] == lang)
    out = {}
    for text in translation.iter(f"{XF}text"):
        value = text.find(f"{XF}value")
        out[text.attrib["id"]] = "".join(value.itertext()) if value is not None else ""
    return out


# ---------------------------------------------------------------- the example


@pytest.fixture(scope="module")
def form(example: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ET.Element]:
    out = tmp_path_factory.mktemp("form") / "form.xlsx"
    result = run("template", "--round", ROUND, "--format", "xlsform", "-o", str(out), "-p", str(example))
    assert result.exit_code == 0, result.output
    return out, convert(out)


def test_the_example_form_converts_with_pyxform_in_english_and_french(form):
    _, xform = form
    languages = [t.attrib["lang"] for t in xform.iter(f"{XF}translation")]
    assert languages == ["English (en)", "Français (fr)"]
    english, french = texts(xform, "English (en)"), texts(xform, "Français (fr)")
    label = "/data/LO/LO_01/LO_01_value:label"
    # French spacing is in the workbook (a no-break space before the colon); pyxform writes it as a space
    assert english[label] == "LO-01: value" and french[label].replace("\u00a0", " ") == "LO-01 : valeur"
    assert french["/data/LO/LO_01:label"] == "LO-01 Délai de réponse médian aux appels de priorité 1"
    assert french["/data/LO:label"] == "Ordre public et sécurité"
    assert "Durée médiane" in french["/data/LO/LO_01/LO_01_state:hint"]  # the indicator's definition, in French
    assert french["/data/LO/LO_02/LO_02_value:jr:constraintMsg"] == "un nombre de 0 à 100"
    assert "Registres administratifs" in french.values() and "Oui" in french.values()


def test_each_number_question_is_constrained_to_its_indicator_range(form, example):
    _, xform = form
    bound = binds(xform)
    assert bound["LO_02_value"]["constraint"] == ". >= 0 and . <= 100"  # percent
    assert bound["LO_02_value"]["type"] == "decimal"
    assert bound["LO_01_value"]["constraint"] == ". >= 0"  # minutes: no upper bound
    assert bound["IN_03_value"]["type"] == "int" and bound["IN_03_value"]["constraint"] == ". >= 0"  # a count
    assert "constraint" not in bound["LO_07_value"]  # a plain number: no range
    assert bound["LO_02_value"]["relevant"] == " /data/LO/LO_02/LO_02_state  = 'value'"
    assert bound["LO_02_value"]["required"] == "true()"
    date = bound["LO_02_date"]
    assert date["type"] == "date" and date["constraint"] == ". <= date('2026-12-31') and . <= today()"
    assert bound["LO_02_not_collected"]["relevant"] == " /data/LO/LO_02/LO_02_state  = 'not_collected'"
    assert bound["round"]["calculate"] == "'2026-q4'"
    # every value question of the project, checked against the range `read_value` enforces
    from readiness.model import _bounds

    loaded, _ = load_project(example)
    assert loaded.framework is not None
    for ind in loaded.indicators.values():
        if ind.retired is not None and ind.retired <= loaded.rounds["2026-q4"].date:
            assert question_name(ind.id, "value") not in bound, ind.id  # retired: not asked any more (TR-08)
            continue
        low, high = _bounds(ind, loaded.framework.scale)
        value = bound[question_name(ind.id, "value")]
        if ind.unit == "yes-no" or (ind.unit == "ordinal" and getattr(ind.scoring, "rubric", None)):
            assert value["type"] == "string" and "constraint" not in value, ind.id  # a select_one
            continue
        parts = ([f". >= {low.normalize():f}"] if low is not None else []) + (
            [f". <= {high.normalize():f}"] if high is not None else []
        )
        assert value.get("constraint", "") == " and ".join(parts), ind.id


def test_yes_no_rubrics_sources_and_regions_are_choices_from_the_framework(form):
    out, _ = form
    book = load_workbook(out)
    choices = [
        dict(zip([c.value for c in book["choices"][1]], row, strict=False))
        for row in book["choices"].iter_rows(min_row=2, values_only=True)
    ]

    def listed(name: str) -> list[str]:
        return [c["name"] for c in choices if c["list_name"] == name]

    assert listed("yes_no") == ["yes", "no"]
    assert listed("rubric_IN_01") == ["0", "1", "2", "3"]
    assert listed("source") == ["ADM", "FV", "SUR", "EXP", "DOC", "HRM"]
    assert "lowa" in listed("region") and "police-academy" in listed("region")
    assert listed("state") == ["value", "not_collected", "not_applicable"]
    level = next(c for c in choices if c["list_name"] == "rubric_IN_01" and c["name"] == "2")
    assert level["label::English (en)"].startswith("2: Law, code of conduct")
    survey = {row[1]: row for row in book["survey"].iter_rows(min_row=2, values_only=True) if row[1]}
    assert survey["TR_07_value"][0] == "select_one yes_no" and survey["IN_01_value"][0] == "select_one rubric_IN_01"
    assert survey["region"][0] == "select_one region"
    settings = dict(
        zip(
            [c.value for c in book["settings"][1]],
            next(book["settings"].iter_rows(min_row=2, values_only=True)),
            strict=False,
        )
    )
    assert settings["form_id"] == "readiness_2026_q4"
    assert settings["version"].startswith("2026.1-2026-q4-")
    assert settings["default_language"] == "English (en)"


def test_a_form_for_one_region_and_a_public_team(example, tmp_path):
    out = tmp_path / "lowa.xlsx"
    result = run(
        "template",
        "--round",
        ROUND,
        "--format",
        "xlsform",
        "--region",
        "lowa",
        "--public-only",
        "-o",
        str(out),
        "-p",
        str(example),
    )
    assert result.exit_code == 0, result.output
    xform = convert(out)
    bound = binds(xform)
    assert bound["region"]["calculate"] == "'lowa'"  # fixed: the team is not asked
    assert "SC_04_value" not in bound and "LO_01_value" in bound  # SC-04 is restricted
    whole = load_workbook(out)["settings"]
    assert whole["B2"].value == "readiness_2026_q4_lowa_public"
    full = build_form(load_project(example)[0], ROUND)
    assert any(q.name == "SC_04_value" for q in full.questions)


def test_template_refuses_a_sealed_round_an_unknown_region_and_form_options_without_the_form(example, tmp_path):
    sealed = run(
        "template", "--round", "2026-q3", "--format", "xlsform", "-o", str(tmp_path / "f.xlsx"), "-p", str(example)
    )
    assert sealed.exit_code == 2 and "sealed" in sealed.output
    unknown = run("template", "--round", ROUND, "--format", "xlsform", "--region", "nowhere", "-p", str(example))
    assert unknown.exit_code == 2 and "nowhere" in unknown.output
    plain = run("template", "--round", ROUND, "--public-only", "-p", str(example))
    assert plain.exit_code == 2 and "--format xlsform" in plain.output
    assert not (tmp_path / "f.xlsx").exists()


# ---------------------------------------------------------------- names


def test_question_names_are_xml_names_derived_from_the_indicator_id():
    assert question_name("LO-01", "value") == "LO_01_value"
    assert question_name("LO-01", "source_type") == "LO_01_source"
    assert question_name("hr.02", "not_collected") == "hr_02_not_collected"
    assert xml_name("2-A") == "n2_A"


def test_two_ids_that_become_one_name_are_refused(tmp_path):
    root = write_project(
        tmp_path / "p",
        {
            "indicators/framework.yaml": framework(),
            "indicators/A-1.yaml": indicator("A-1"),
            "indicators/A_1.yaml": indicator("A_1"),
            "assessments/regions.yaml": {
                "regions": [{"id": "north", "name": "North", "tier": "urban", "population": 5}]
            },
            "assessments/rounds.yaml": {
                "rounds": [{"id": "r1", "label": "R1", "date": "2026-06-30", "state": "collecting"}]
            },
        },
    )
    loaded, _ = load_project(root)
    with pytest.raises(FormProblem, match="A_1"):
        build_form(loaded, "r1")
    result = run("template", "--round", "r1", "--format", "xlsform", "-p", str(root))
    assert result.exit_code == 2 and "A_1" in result.output


# ---------------------------------------------------------------- a generated project


@pytest.mark.slow
def test_the_form_of_a_generated_project_converts_with_pyxform(tmp_path):
    out = tmp_path / "generated"
    subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "generate.py"), "--regions", "12", "--indicators", "40"]
        + ["--rounds", "2", "--seed", "3", "--out", str(out)],
        check=True,
        capture_output=True,
    )
    loaded, _ = load_project(out)
    last = loaded.round_order[-1]
    xform = convert(write_xlsform(loaded, last, tmp_path / "form.xlsx"))
    bound = binds(xform)
    assert loaded.framework is not None
    from readiness.model import _bounds

    for ind in loaded.indicators.values():
        value = bound[question_name(ind.id, "value")]
        low, high = _bounds(ind, loaded.framework.scale)
        if value["type"] in ("decimal", "int") and low is not None and high is not None:
            assert value["constraint"] == f". >= {low.normalize():f} and . <= {high.normalize():f}", ind.id
    rubrics = [i for i in loaded.indicators.values() if getattr(i.scoring, "rubric", None)]
    assert rubrics and all(bound[question_name(i.id, "value")]["type"] == "string" for i in rubrics)
    cutoff = loaded.rounds[last].date.isoformat()
    assert all(b["constraint"].startswith(f". <= date('{cutoff}')") for n, b in bound.items() if n.endswith("_date"))
