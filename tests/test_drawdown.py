"""The drawdown checked against everything still to be done (issue 30, item 8): a phase's strength against the
whole UN police requirement on its first day (the postures of the decisions in effect, and the presence the
mandate records for the districts and units no decision plans for), with typed postures."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from readiness.checks import check_project
from readiness.project import load_project
from readiness.register import Register, requirement, totals
from readiness.report import build_view
from readiness.scoring import score_project
from tests.conftest import framework, observation, project_files, run, write_project

REGIONS = [
    {"id": "north", "name": "North", "tier": "urban", "population": 1000},
    {"id": "south", "name": "South", "tier": "rural", "population": 500},
]


def files(strength: dict[str, int], *, effective: str = "2026-05-01", footprint: dict[str, int] | None = None) -> dict:
    fw = framework(
        parties=[{"id": "un", "name": "UN Police", "side": "un"}, {"id": "gov", "name": "Ministry", "side": "host"}],
        bodies=[{"id": "jtc", "name": "Joint Transition Committee", "parties": ["un", "gov"]}],
        initial_primacy="joint",
    )
    out = project_files(
        {f"r1/{r['id']}": {"A1": observation(90), "B1": observation(90)} for r in REGIONS},
        fw=fw,
        regions=REGIONS,
    )
    decision: dict[str, Any] = {
        "id": "h1",
        "kind": "handover",
        "region": "north",
        "body": "jtc",
        "reference": "JTC/h1",
        "decided": "2026-04-15",
        "effective": effective,
        "relied_on": "r1",
        "rationale": "Agreed.",
        "positions": [{"party": "un", "position": "concur"}, {"party": "gov", "position": "concur"}],
        "posture": {
            "text": "UN police monitor and advise.",
            "kind": "monitor-advise",
            "footprint": footprint or {"individual_officers": 10, "formed_units": 0, "colocation_teams": 1},
        },
    }
    out["handover/decisions/h1.yaml"] = decision
    out["handover/mandate.yaml"] = {
        "phases": [
            {"id": "phase-1", "name": "Phase 1", "start": "2026-07-01", "end": "2026-12-31", "strength": strength}
        ],
        "presence": [
            {
                "region": "north",
                "kind": "joint-operations",
                "footprint": {"individual_officers": 80, "formed_units": 1, "colocation_teams": 2},
            },
            {
                "region": "south",
                "kind": "executive",
                "footprint": {"individual_officers": 60, "formed_units": 1, "colocation_teams": 2},
            },
        ],
    }
    return out


ENOUGH = {"individual_officers": 70, "formed_units": 1, "colocation_teams": 3}


def test_the_requirement_is_each_decision_posture_in_effect_and_the_recorded_presence_elsewhere(tmp_path):
    project, _ = load_project(write_project(tmp_path / "p", files(ENOUGH)))
    register = Register(project)
    before = {n.region: (n.kind, n.decision) for n in requirement(register, date(2026, 4, 30))}
    assert before == {"north": ("joint-operations", None), "south": ("executive", None)}
    after = requirement(register, date(2026, 7, 1))
    assert [(n.region, n.kind, n.decision.id if n.decision else None) for n in after] == [
        ("north", "monitor-advise", "h1"),
        ("south", "executive", None),
    ]
    assert totals(after) == {"individual_officers": 70, "formed_units": 1, "colocation_teams": 3}


def test_a_phase_below_the_whole_requirement_is_a_warning_naming_each_shortfall(tmp_path):
    # the handed-over posture alone (10 officers) fits 40; with south's presence (60) it does not
    root = write_project(tmp_path / "p", files({"individual_officers": 40, "formed_units": 1, "colocation_teams": 3}))
    project, problems = load_project(root)
    found = [d for d in problems + check_project(project) if d.code == "H013"]
    assert [(d.file, d.severity.value) for d in found] == [("handover/mandate.yaml", "warning")]
    assert "70 individual officers needed, 40 kept" in found[0].message
    assert "1 by the postures of their decisions, 1 by the presence" in found[0].message
    assert "formed units" not in found[0].message  # only what is short is named
    french = run("check", str(root), "--lang", "fr")
    assert "70 policiers hors unités constituées nécessaires, 40 maintenus" in french.output


def test_a_phase_that_covers_the_whole_requirement_passes(tmp_path):
    project, problems = load_project(write_project(tmp_path / "p", files(ENOUGH)))
    assert not [d for d in problems + check_project(project) if d.code == "H013"]


def test_a_handover_not_yet_in_effect_counts_with_its_presence(tmp_path):
    # effective after the phase starts: north still needs its pre-handover presence (80) on the first day
    root = write_project(tmp_path / "p", files(ENOUGH, effective="2026-08-01"))
    project, problems = load_project(root)
    found = [d for d in problems + check_project(project) if d.code == "H013"]
    assert len(found) == 1 and "140 individual officers needed, 70 kept" in found[0].message


def test_an_unknown_region_in_the_presence_is_reported(tmp_path):
    data = files(ENOUGH)
    data["handover/mandate.yaml"]["presence"][1]["region"] = "sout"
    project, problems = load_project(write_project(tmp_path / "p", data))
    found = [d for d in problems + check_project(project) if d.code == "R002"]
    assert [d.file for d in found] == ["handover/mandate.yaml"] and "south" in found[0].hint


def test_the_register_page_sets_each_phase_against_the_whole_need(tmp_path):
    from readiness.pages.decisions import build
    from readiness.render import Renderer

    root = write_project(tmp_path / "p", files({"individual_officers": 40, "formed_units": 1, "colocation_teams": 3}))
    project, _ = load_project(root)
    view = build_view(project, score_project(project), "internal")
    row = build(view).phases[0]
    assert row.planned == {"individual_officers": 10, "formed_units": 0, "colocation_teams": 1}
    assert row.required == {"individual_officers": 70, "formed_units": 1, "colocation_teams": 3}
    assert (row.regions, row.presence, row.short) == (1, 1, ["individual_officers"])
    page = Renderer(view, lang="en").render().pages["decisions.md"]
    line = next(line for line in page.splitlines() if line.startswith("| Phase 1"))
    assert line.rstrip(" |").endswith("70 · 1 · 3 **short of officers**"), line


def test_the_example_records_the_presence_of_every_district_and_unit():
    from tests.conftest import REPO

    project, _ = load_project(Path(REPO))
    assert project.mandate is not None
    named = {p.region for p in project.mandate.presence}
    assessed = {region for (_, region) in project.assessments}
    assert assessed <= named


def test_the_transition_paragraph_says_where_un_police_moved_to_monitoring_and_the_whole_need(tmp_path):
    from readiness.documents.paragraph import transition_paragraph

    data = files({"individual_officers": 40, "formed_units": 1, "colocation_teams": 3})
    data["handover/mandate.yaml"]["phases"][0].update(start="2026-03-01", end="2026-12-31")
    data["assessments/rounds.yaml"]["rounds"].append({"id": "r2", "label": "R2", "date": "2026-06-30"})
    for region in ("north", "south"):
        data[f"assessments/r2/{region}.yaml"] = {
            "region": region,
            "round": "r2",
            "observations": {k: observation(90, date="2026-06-01") for k in ("A1", "B1")},
        }
    project, _ = load_project(write_project(tmp_path / "p", data))
    view = build_view(project, score_project(project), "internal")
    english = " ".join(transition_paragraph(view, "en"))
    assert "In North, United Nations police have moved to monitoring and advice." in english, english
    assert "amount to 70 individual police officers, one formed police unit and three co-location teams" in english
    french = " ".join(transition_paragraph(view, "fr"))
    assert "La police des Nations Unies est passée au suivi et au conseil à North." in french, french


# ---------------------------------------------------------------- the legal basis of primacy


def basis_files(initial: str, executive: list[str] | None, basis: bool) -> dict:
    data = files(ENOUGH)
    fw = data["indicators/framework.yaml"]
    fw["initial_primacy"] = initial
    fw["functions"] = [{"id": "policing", "name": "General policing"}, {"id": "order", "name": "Public order"}]
    mandate = data["handover/mandate.yaml"]
    mandate["periods"] = [
        {
            "id": "mandate-2026",
            "resolution": "Resolution 2836 (2026)",
            "start": "2026-01-01",
            "end": "2026-12-31",
            **({"executive": executive} if executive is not None else {}),
        }
    ]
    if basis:
        mandate["basis"] = {
            "agreement": "the Supplemental Arrangement on Policing of 12 March 2025",
            "request": {"text": "letter of the Minister of Interior", "reference": "MOI/2025/14", "date": "2025-02-20"},
        }
    return data


def h015(root) -> list:
    project, problems = load_project(root)
    return [d for d in problems + check_project(project) if d.code == "H015"]


def test_un_primacy_needs_the_mandate_executive_authority_for_each_function(tmp_path):
    found = h015(write_project(tmp_path / "p", basis_files("un", ["policing"], True)))
    # on the cut-off (31 March; north's handover takes effect on 1 May) both regions are under UN primacy for
    # public order, which no period gives executive authority for; general policing is covered
    assert [(d.file, d.severity.value) for d in found] == [("assessments/regions.yaml", "warning")] * 2
    assert ["north is under UN primacy for order" in found[0].message, "south" in found[1].message] == [True, True]
    assert h015(write_project(tmp_path / "q", basis_files("un", ["policing", "order"], True))) == []


def test_responsibility_before_handover_needs_its_agreement(tmp_path):
    found = h015(write_project(tmp_path / "p", basis_files("joint", None, False)))
    assert [d.file for d in found] == ["handover/mandate.yaml"] and "no agreement" in found[0].message
    assert h015(write_project(tmp_path / "q", basis_files("joint", None, True))) == []


def test_the_register_page_states_the_basis_and_the_executive_authority(tmp_path):
    from readiness.render import Renderer

    root = write_project(tmp_path / "p", basis_files("un", ["policing", "order"], True))
    project, _ = load_project(root)
    view = build_view(project, score_project(project), "internal")
    page = Renderer(view, lang="en").render().pages["decisions.md"]
    assert "| mandate-2026 | Resolution 2836 (2026) |" in page
    assert "| General policing, Public order |" in page
    assert (
        "**Legal basis.** Before handover, UN police primacy rests on the Supplemental Arrangement on "
        "Policing of 12 March 2025, at the Government's request (letter of the Minister of Interior, MOI/2025/14"
    ) in page.replace("\n", " ")
