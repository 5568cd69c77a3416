"""Gender (issue 30, item 7): survey indicators reported by sex carry both figures (O009), and women among the
host police's officers and among the UN police of the drawdown phase reach the factsheet and the paragraph."""

from __future__ import annotations

import pytest

from readiness.checks import check_project
from readiness.documents.paragraph import transition_paragraph
from readiness.project import load_project
from readiness.render import Renderer
from readiness.report import build_view
from readiness.scoring import score_project
from tests.conftest import REPO, framework, indicator, observation, project_files, run, write_project


def survey_files(by_sex: dict | None) -> dict:
    obs = observation(63.5)
    if by_sex is not None:
        obs["by_sex"] = by_sex
    return project_files(
        {"r1/north": {"A1": obs, "B1": observation(70)}},
        fw=framework(),
        indicators=[indicator("A1", by_sex=True), indicator("B1", "B")],
    )


def o009(root) -> list:
    project, problems = load_project(root)
    return [d for d in problems + check_project(project) if d.code == "O009"]


def test_a_value_reported_by_sex_without_its_figures_is_an_error(tmp_path):
    found = o009(write_project(tmp_path / "p", survey_files(None)))
    assert [(d.file, d.severity.value) for d in found] == [("assessments/r1/north.yaml", "error")]
    assert "A1" in found[0].message and "by_sex: {women: ..., men: ...}" in found[0].hint


@pytest.mark.parametrize("partial", [{"women": 59.8}, {"men": 67.1}])
def test_one_figure_alone_is_not_enough(tmp_path, partial):
    assert len(o009(write_project(tmp_path / "p", survey_files(partial)))) == 1


def test_both_figures_pass(tmp_path):
    assert o009(write_project(tmp_path / "p", survey_files({"women": 59.8, "men": 67.1}))) == []


def test_the_message_is_in_french_for_a_french_team(tmp_path):
    root = write_project(tmp_path / "p", survey_files(None))
    result = run("check", str(root), "--lang", "fr")
    assert "A1 est ventilé par sexe" in result.output, result.output


def test_a_sealed_round_is_not_checked_again(tmp_path):
    from tests.conftest import reseal

    files = survey_files(None)
    files["assessments/rounds.yaml"]["rounds"][0]["seal"] = {"date": "2026-04-10", "files": {"north.yaml": "0" * 16}}
    root = write_project(tmp_path / "p", files)
    reseal(root)
    assert o009(root) == []


@pytest.fixture(scope="module")
def example_view():
    project, _ = load_project(REPO)
    return build_view(project, score_project(project), "internal")


def test_the_factsheet_gives_women_among_host_and_un_police(example_view):
    view = example_view
    spread = view.situation.women()
    assert spread is not None and spread.lowest is not None and spread.highest is not None
    phase = view.situation.un_police().phase
    assert phase is not None and phase.strength.women
    share = round(100 * phase.strength.women / phase.strength.individual_officers)
    for lang, head, un in (
        ("en", "**Women.**", f"{share}% of the UN police's individual officers"),
        ("fr", "**Femmes.**", f"{share}\u00a0% des policiers hors unités constituées de l'ONU"),
    ):
        page = Renderer(view, lang=lang).render().pages["factsheet.md"]
        line = next(x for x in page.splitlines() if x.startswith(head))
        assert un in line, line
        assert f"{len(spread.reached)} " in line and f"{len(spread.values)} " in line, line


def test_the_paragraph_gives_the_women_of_the_phase_strength(example_view):
    phase = example_view.situation.un_police().phase
    text = " ".join(transition_paragraph(example_view, "en"))
    assert f"women make up {phase.strength.women} of the individual police officers" in text, text
