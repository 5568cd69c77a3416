"""Human rights due diligence as a mission-side record (issue 30, item 5): the policy governs UN and donor support
(the decisions' postures, the gap list's inputs), never the host police's level; `check` asks for a record where
the mission supports a district or unit (H014); a suspended record holds the support."""

from __future__ import annotations

from typing import Any

import pytest

from readiness.checks import check_project
from readiness.documents.gaps import funding_text, gap_list
from readiness.i18n import Translator
from readiness.project import load_project
from readiness.render import Renderer
from readiness.report import build_view, public_project
from readiness.scoring import score_project
from tests.conftest import REPO, framework, indicator, observation, project_files, run, write_project

GAP_INPUTS = [
    {"item": "HF radio sets", "quantity": 6, "unit_cost": 2400, "owner": "mission"},
    {"item": "Fuel for a year", "quantity": 1, "unit_cost": 30000, "owner": "government", "recurrent": True},
]


def files(records: list[dict[str, Any]] | None, posture: bool = True) -> dict[str, Any]:
    fw = framework(
        parties=[{"id": "un", "name": "UN Police", "side": "un"}, {"id": "gov", "name": "Ministry", "side": "host"}],
        bodies=[{"id": "jtc", "name": "Joint Transition Committee", "parties": ["un", "gov"]}],
        initial_primacy="joint",
        gates={"critical_floor": {"enabled": True}},
    )
    a1 = observation(60)
    a1["inputs"] = GAP_INPUTS
    out = project_files(
        {"r1/north": {"A1": a1, "B1": observation(90)}},
        fw=fw,
        indicators=[indicator("A1", critical=True), indicator("B1", "B")],
    )
    out["handover/decisions/d1.yaml"] = {
        "id": "d1",
        "kind": "deferral",
        "region": "north",
        "body": "jtc",
        "reference": "JTC/d1",
        "decided": "2026-02-15",
        "relied_on": "r1",
        "rationale": "Radios first.",
        "positions": [{"party": "un", "position": "concur"}, {"party": "gov", "position": "concur"}],
        **({"posture": {"text": "UN police co-located in every station.", "kind": "co-location"}} if posture else {}),
    }
    if records is not None:
        out["handover/hrddp.yaml"] = {"records": records}
    return out


def record(**changes: Any) -> dict[str, Any]:
    return {
        "id": "north-2026",
        "region": "north",
        "reference": "UNML/HRDDP/2026/01",
        "assessed": "2026-02-01",
        "review": "2027-02-01",
        "risk": "medium",
        "support": "conditional",
        "measures": ["Human rights training before equipment is delivered"],
        **changes,
    }


def h014(root) -> list:
    project, problems = load_project(root)
    return [d for d in problems + check_project(project) if d.code in ("H014", "R002")]


def test_un_support_without_a_record_is_a_warning(tmp_path):
    found = h014(write_project(tmp_path / "p", files(None)))
    assert [(d.code, d.file, d.severity.value) for d in found] == [("H014", "assessments/regions.yaml", "warning")]
    assert "north keeps UN police support" in found[0].message and "handover/hrddp.yaml" in found[0].hint


def test_donor_or_mission_inputs_alone_also_need_a_record(tmp_path):
    found = h014(write_project(tmp_path / "p", files(None, posture=False)))
    assert len(found) == 1 and "inputs funded by the mission or a donor" in found[0].message


def test_a_record_covers_the_support_and_one_past_its_review_is_reported(tmp_path):
    assert h014(write_project(tmp_path / "p", files([record()]))) == []
    stale = h014(write_project(tmp_path / "q", files([record(review="2026-03-01")])))
    assert [(d.code, d.file) for d in stale] == [("H014", "handover/hrddp.yaml")]
    assert "to be reviewed by 2026-03-01" in stale[0].message


def test_a_record_assessed_after_the_cut_off_does_not_cover_the_round(tmp_path):
    assert len(h014(write_project(tmp_path / "p", files([record(assessed="2026-04-01")])))) == 1


def test_a_record_of_an_unknown_region_is_reported(tmp_path):
    found = h014(write_project(tmp_path / "p", files([record(), record(id="x", region="nort")])))
    assert [(d.code, d.file) for d in found] == [("R002", "handover/hrddp.yaml")] and "north" in found[0].hint


def test_the_warning_speaks_french(tmp_path):
    result = run("check", str(write_project(tmp_path / "p", files(None))), "--lang", "fr")
    assert "aucun dossier de diligence voulue" in result.output, result.output


def view_of(root, audience: str = "internal"):
    project, _ = load_project(root)
    results = score_project(project)
    if audience == "public":
        project, _ = public_project(project)
        results = score_project(project)
    return build_view(project, results, audience)


@pytest.mark.parametrize(
    ("support", "held", "words"),
    [
        ("conditional", False, "HRDDP UNML/HRDDP/2026/01: support under mitigating measures"),
        ("suspended", True, "HRDDP UNML/HRDDP/2026/01: support suspended, input held"),
    ],
)
def test_the_gap_list_cites_the_record_for_un_support_only(tmp_path, support, held, words):
    view = view_of(write_project(tmp_path / "p", files([record(support=support)])))
    inputs = {str(i.item): i for line in gap_list(view) for i in line.inputs}
    radios, fuel = inputs["HF radio sets"], inputs["Fuel for a year"]
    assert radios.held is held and radios.diligence is not None and fuel.diligence is None and not fuel.held
    tr = Translator("en")
    assert funding_text(radios, tr).endswith(words) and "HRDDP" not in funding_text(fuel, tr)


def test_the_level_does_not_depend_on_the_record(tmp_path):
    levels = [
        score_project(load_project(write_project(tmp_path / name, files(recs)))[0]).get("r1", "north").level
        for name, recs in (("a", None), ("b", [record(support="suspended", risk="high")]))
    ]
    assert levels[0] == levels[1]


def test_the_region_page_says_it_internally_and_the_public_edition_leaves_it_out(tmp_path):
    root = write_project(tmp_path / "p", files([record()]))
    internal = Renderer(view_of(root), lang="en").render().pages["regions/north.md"]
    assert "**Human rights due diligence (UN support)**: medium risk; support continues under the measures" in internal
    assert "UNML/HRDDP/2026/01" in internal
    public = Renderer(view_of(root, "public"), lang="en").render().pages["regions/north.md"]
    assert "due diligence" not in public and "UNML/HRDDP" not in public


def test_the_example_holds_dabori_support_and_checks_clean_of_h014():
    project, problems = load_project(REPO)
    assert not [d for d in problems + check_project(project) if d.code == "H014"]
    view = build_view(project, score_project(project), "internal")
    dabori = [i for line in gap_list(view) if line.region.id == "dabori" for i in line.inputs if i.supported]
    assert dabori and all(i.held for i in dabori)


# ---------------------------------------------------------------- an indicator retired between rounds


def retired_files(with_value_after: bool) -> dict[str, Any]:
    """B1 retired on 2026-05-01: counted in r1 (cut-off 31 March), not in r2 (30 June)."""
    after = {"A1": observation(70, date="2026-06-01")}
    if with_value_after:
        after["B1"] = observation(10, date="2026-06-01")
    return project_files(
        {"r1/north": {"A1": observation(70), "B1": observation(90)}, "r2/north": after},
        indicators=[indicator("A1"), indicator("B1", "B", retired="2026-05-01")],
        rounds=[("r1", "2026-03-31"), ("r2", "2026-06-30")],
    )


def test_a_retired_indicator_counts_before_its_day_and_not_after(tmp_path):
    project, problems = load_project(write_project(tmp_path / "p", retired_files(False)))
    found = problems + check_project(project)
    assert not [d for d in found if d.severity.value == "error"], found  # r2 need not list B1
    results = score_project(project)
    before, after = results.get("r1", "north"), results.get("r2", "north")
    assert before.indicators["B1"].status == "value" and str(before.rounded) == "80.0"
    assert after.indicators["B1"].status == "not-applicable" and str(after.rounded) == "70.0"


def test_a_value_of_a_retired_indicator_is_reported_and_not_used(tmp_path):
    project, problems = load_project(write_project(tmp_path / "p", retired_files(True)))
    found = [d for d in problems + check_project(project) if d.code == "O008"]
    assert [(d.file, d.severity.value) for d in found] == [("assessments/r2/north.yaml", "warning")]
    assert "retired on 2026-05-01" in found[0].message
    assert str(score_project(project).get("r2", "north").rounded) == "70.0"


def test_the_collection_templates_do_not_ask_a_retired_indicator(tmp_path):
    from readiness.authoring.xlsform import build_form, xml_name
    from readiness.collection import round_progress

    project, _ = load_project(write_project(tmp_path / "p", retired_files(False)))
    names = {row.get("name") for row in build_form(project, "r2").survey}
    assert xml_name("A1") in names and xml_name("B1") not in names
    assert xml_name("B1") in {row.get("name") for row in build_form(project, "r1").survey}
    progress = round_progress(project, "r2", with_levels=False).regions[0]
    assert (progress.expected, progress.missing) == (1, [])


def test_the_example_retires_its_due_diligence_indicator_after_its_last_round():
    project, _ = load_project(REPO)
    retired = project.indicators["TR-08"].retired
    assert retired is not None and all(r.date < retired for r in project.rounds.values())
