"""The method a planner would defend (issue 17): a stability gate with a track record and a tolerance, causal
prerequisites that flag instead of capping, indicators shared with justice, survey margins of error, and no
ranking in public builds. Each rule is checked on the engine and, where sampling could move it, on the Monte
Carlo with all variation off (the two must agree)."""

from __future__ import annotations

import math
from typing import Any

import pytest

from readiness.project import load_project
from readiness.scoring import score_project
from readiness.uncertainty import analyse, zero_variation
from tests.conftest import framework, indicator, observation, project_files, write_project
from tests.test_scoring import GATES_ALL, SIGNED

ROUNDS = [("r1", "2025-12-31"), ("r2", "2026-03-31"), ("r3", "2026-06-30")]
DATES = ["2025-12-01", "2026-03-01", "2026-06-01"]


def scored_project(tmp_path, files: dict[str, Any]):
    root = write_project(tmp_path / "p", files)
    project, problems = load_project(root)
    assert not [p for p in problems if p.severity.value == "error"], problems
    return project, score_project(project)


def rounds_of(
    tmp_path,
    series: dict[str, list[Any]],
    stability: dict[str, Any],
    gates: dict[str, Any] | None = None,
    indicators: list[dict[str, Any]] | None = None,
):
    """North over three rounds, signed in each, with every gate on (or `gates`) and the stability settings."""
    gates = dict(gates if gates is not None else GATES_ALL)
    gates["stability"] = {**GATES_ALL["stability"], **stability}
    values = {
        f"r{i + 1}/north": {k: observation(v[i], "ADM", "FV", date=DATES[i]) for k, v in series.items()}
        for i in range(len(ROUNDS))
    }
    files = project_files(values, fw=framework(gates=gates), rounds=ROUNDS, indicators=indicators)
    for key in values:
        r, region = key.split("/")
        files[f"assessments/{r}/{region}.yaml"].update(SIGNED)
    return scored_project(tmp_path, files)


def levels(results) -> list[str]:
    return [results.get(r, "north").level for r, _ in ROUNDS]


def engines_agree(project, results) -> None:
    """With no variation, every Monte Carlo sample has the engine's level."""
    spec = zero_variation(project.framework.uncertainty)
    for round_id in results.rounds:
        analysis = analyse(project, results, round_id, samples=4, spec=spec, sensitivity=False)
        for region_id, u in analysis.regions.items():
            assert u.probabilities == {results.get(round_id, region_id).computed_level: 1.0}, (round_id, region_id)


# ---------------------------------------------------------------- stability: tolerance, track record, critical drop


def test_a_fall_smaller_than_the_tolerance_keeps_ready_and_a_larger_one_does_not(tmp_path):
    series = {"A1": [90, 89, 85], "B1": [90, 89, 85]}  # falls of 1 then 4 points
    project, results = rounds_of(tmp_path / "tolerant", series, {"tolerance": 2})
    assert levels(results) == ["ready", "ready", "partially-ready"]
    gate = results.get("r3", "north").gates[0]
    assert gate.gate == "stability" and gate.details["falls"] == [["89.0", "85.0"]]
    assert gate.details["tolerance"] == "2"
    engines_agree(project, results)
    project, results = rounds_of(tmp_path / "strict", series, {})  # the default: any fall is one
    assert levels(results) == ["ready", "partially-ready", "partially-ready"]
    engines_agree(project, results)


def test_a_track_record_keeps_a_region_from_being_ready_on_its_first_assessment(tmp_path):
    project, results = rounds_of(tmp_path, {"A1": [85, 86, 87], "B1": [85, 86, 87]}, {"track_record": 2})
    assert levels(results) == ["partially-ready", "ready", "ready"]
    first = results.get("r1", "north").gates[0]
    assert (first.gate, first.details["track_record"], first.details["in_a_row"]) == ("stability", 2, 1)
    engines_agree(project, results)


def test_the_track_record_starts_again_after_a_round_below_the_cut_off(tmp_path):
    project, results = rounds_of(tmp_path, {"A1": [85, 60, 90], "B1": [85, 60, 90]}, {"track_record": 2})
    # r2 falls below the ready cut-off; r3 is back above it but has a record of one round only
    assert levels(results) == ["partially-ready", "partially-ready", "partially-ready"]
    engines_agree(project, results)


def test_a_critical_indicator_losing_a_level_is_a_fall_when_the_framework_says_so(tmp_path):
    gates = {k: v for k, v in GATES_ALL.items() if k != "critical_floor"}  # the floor would catch it first
    inds = [indicator("A1", critical=True), indicator("B1", "B")]
    series = {"A1": [90, 60, 60], "B1": [70, 100, 100]}  # the score holds at 80 while A1 drops a level
    project, results = rounds_of(tmp_path / "drop", series, {"critical_drop": True}, gates=gates, indicators=inds)
    assert levels(results) == ["ready", "partially-ready", "ready"]
    gate = results.get("r2", "north").gates[0]
    assert gate.details["critical_drops"] == {"A1": ["ready", "partially-ready"]} and gate.details["falls"] == []
    engines_agree(project, results)
    project, results = rounds_of(tmp_path / "score-only", series, {}, gates=gates, indicators=inds)
    assert levels(results) == ["ready", "ready", "ready"]


def test_the_stability_reasons_are_explained_in_both_languages(tmp_path):
    from readiness.explain import Explainer

    project, results = rounds_of(
        tmp_path, {"A1": [85, 86, 83], "B1": [85, 86, 83]}, {"track_record": 2, "tolerance": 1}
    )
    first = results.get("r1", "north").gates[0]
    third = results.get("r3", "north").gates[0]
    en, fr = Explainer(project, "en", markup=False), Explainer(project, "fr", markup=False)
    assert "Ready needs a score at its cut-off in 2 rounds in a row: 1 so far" in str(en.gate(first))
    assert "no fall of 1 or more in the overall score over the last 2 rounds: 86.0 to 83.0" in str(en.gate(third))
    assert "2 évaluations consécutives\u00a0: 1 à ce jour" in str(fr.gate(first))


@pytest.mark.parametrize("setting", [{"tolerance": -1}, {"track_record": 0}])
def test_a_negative_tolerance_or_an_empty_track_record_is_refused(tmp_path, setting):
    from tests.conftest import run

    gates = dict(GATES_ALL)
    gates["stability"] = {**GATES_ALL["stability"], **setting}
    root = write_project(tmp_path / "p", project_files({"r1/north": {"A1": 90, "B1": 90}}, fw=framework(gates=gates)))
    result = run("check", "-p", str(root))
    assert result.exit_code == 1 and "indicators/framework.yaml:" in result.output, result.output
    assert "Traceback" not in result.output


# ---------------------------------------------------------------- validity and causal prerequisites


def prerequisite_project(tmp_path, kind: str, a1: int, b1: int):
    inds = [indicator("A1"), indicator("B1", "B", requires=[{"indicator": "A1", "kind": kind}])]
    gates = {"prerequisites": GATES_ALL["prerequisites"]}
    files = project_files({"r1/north": {"A1": a1, "B1": b1}}, fw=framework(gates=gates), indicators=inds)
    return scored_project(tmp_path / kind, files)


def test_a_validity_prerequisite_caps_and_a_causal_one_flags_without_lowering_the_outcome(tmp_path):
    # A1 at 30 is below partially ready; B1 measured at 95 (ready by value)
    _, validity = prerequisite_project(tmp_path, "validity", 30, 95)
    b1 = validity.get("r1", "north").indicators["B1"]
    assert (b1.level, b1.capped_by, b1.at_risk_from) == ("partially-ready", ["A1"], [])
    project, causal = prerequisite_project(tmp_path, "causal", 30, 95)
    r = causal.get("r1", "north")
    b1 = r.indicators["B1"]
    assert (b1.level, b1.capped_by, b1.at_risk_from) == ("ready", [], ["A1"])
    assert b1.capped_score == b1.score  # the outcome enters the score as measured
    assert r.rounded > validity.get("r1", "north").rounded
    steps = {(s.kind, s.subject): s.detail for s in r.path}
    assert steps[("at_risk", "B1")] == {"because_of": ["A1"]}
    from readiness.explain import Explainer

    text = Explainer(project, "en", markup=False).step(next(s for s in r.path if s.kind == "at_risk"))
    assert text == (
        "keep Indicator B1 (B1): it meets its target, but is at risk because of Indicator A1 (A1) (below its level)"
    )
    engines_agree(project, causal)


def test_a_causal_prerequisite_of_an_indicator_below_target_is_named_in_its_step(tmp_path):
    project, results = prerequisite_project(tmp_path, "causal", 30, 60)
    step = next(s for s in results.get("r1", "north").path if s.subject == "B1")
    assert (step.kind, step.detail) == ("raise", {"because_of": ["A1"]})
    from readiness.explain import Explainer

    assert "ce qui peut dépendre de Indicator A1 (A1)" in str(Explainer(project, "fr", markup=False).step(step))


def test_a_causal_prerequisite_met_flags_nothing(tmp_path):
    _, results = prerequisite_project(tmp_path, "causal", 90, 95)
    r = results.get("r1", "north")
    assert r.indicators["B1"].at_risk_from == [] and not [s for s in r.path if s.kind == "at_risk"]


def test_the_example_counts_lowas_crime_returns_in_full_and_flags_them(tmp_path):
    from tests.conftest import REPO

    project, problems = load_project(REPO)
    results = score_project(project)
    it02 = results.get("2026-q3", "lowa").indicators["IT-02"]
    assert it02.level == "ready" and it02.capped_by == [] and it02.at_risk_from == ["LG-03"]


# ---------------------------------------------------------------- indicators shared with justice


def shared_project(tmp_path, partner: str = "justice"):
    fw = framework(
        gates={"critical_floor": {"enabled": True}},
        partners=[{"id": "justice", "name": {"en": "the justice sector", "fr": "la justice"}}],
        languages=["en", "fr"],
    )
    inds = [
        indicator("A1", critical=True),
        indicator("B1", "B", critical=True, shared_with=[partner], name="Custody within 48 hours"),
    ]
    return project_files({"r1/north": {"A1": 60, "B1": 40}}, fw=fw, indicators=inds)


def test_a_gap_shared_with_justice_is_named_apart_in_why_not_ready_and_in_the_path(tmp_path):
    from readiness.explain import Explainer

    project, results = scored_project(tmp_path, shared_project(tmp_path))
    r = results.get("r1", "north")
    floor = next(g for g in r.gates if g.gate == "critical_floor")
    en, fr = Explainer(project, "en", markup=False), Explainer(project, "fr", markup=False)
    assert str(en.gate(floor)) == (
        "critical indicators below the handover level: Indicator A1 (A1) is Partially ready; "
        "shared with the justice sector, not the police's alone: Custody within 48 hours (B1) is Not ready"
    )
    assert "partagés avec la justice" in str(fr.gate(floor))
    step = next(s for s in r.path if s.subject == "B1")
    assert str(en.step(step)).endswith("; shared with the justice sector")
    police = next(s for s in r.path if s.subject == "A1")
    assert "shared" not in str(en.step(police))


def test_an_unknown_partner_is_refused_with_its_line(tmp_path):
    from tests.conftest import run

    root = write_project(tmp_path / "p", shared_project(tmp_path, partner="justise"))
    result = run("check", "-p", str(root))
    assert result.exit_code == 1
    assert "indicators/B1.yaml:" in result.output and "unknown partner 'justise'" in result.output
    assert "justice" in result.output  # did you mean


# ---------------------------------------------------------------- no ranking in public builds


@pytest.mark.parametrize(
    ("audience", "rank_in_public", "ranked"),
    [("internal", False, True), ("public", False, False), ("public", True, True)],
)
def test_public_builds_do_not_rank_unless_the_framework_says_so(tmp_path, audience, rank_in_public, ranked):
    from readiness.render import Renderer
    from readiness.report import build_view, public_project

    fw = framework(uncertainty={"samples": 50, "rank_in_public": rank_in_public})
    regions = [{"id": r, "name": r.title(), "tier": "urban", "population": 1000} for r in ("north", "south")]
    files = project_files({"r1/north": {"A1": 90, "B1": 70}, "r1/south": {"A1": 60, "B1": 50}}, fw=fw, regions=regions)
    project, results = scored_project(tmp_path, files)
    if audience == "public":
        project, left_out = public_project(project)
        results = score_project(project)
    analysis = analyse(project, results, "r1", samples=50)
    view = build_view(project, results, audience, analysis)
    page = Renderer(view).render().pages["evidence/north.md"]  # how sure, in the region's annex
    assert "Score 5–95%:" in page
    assert ("rank among 2" in page) is ranked
    assert (view.uncertainty.regions["north"].rank_interval is not None) is ranked


# ---------------------------------------------------------------- survey margins of error


def survey_observation(value: float, n: int | None, deff: float = 1.0, **extra: Any) -> dict[str, Any]:
    obs = observation(value, "SUR")
    if n is not None:
        obs["evidence"][0].update({"sample_size": n, "design_effect": deff})
    obs.update(extra)
    return obs


def survey_project(tmp_path, a1: dict[str, Any], uncertainty: dict[str, Any] | None = None):
    fw = framework(uncertainty={"samples": 400, **(uncertainty or {})})
    fw["source_types"] = [*fw.get("source_types", []), {"id": "SUR", "name": "Survey"}]
    return scored_project(tmp_path, project_files({"r1/north": {"A1": a1, "B1": 90}}, fw=fw))


def test_the_margin_of_error_follows_the_sample_size_and_design_effect(tmp_path):
    import math

    from readiness.model import Evidence, Indicator, Observation
    from readiness.scoring.margin import survey_margin

    ind = Indicator.model_validate(indicator("A1"))

    def margin(value: float, n: int, deff: float = 1) -> float | None:
        ev = Evidence(source="SUR", reference="wave 5", date="2026-08-28", sample_size=n, design_effect=deff)
        return survey_margin(ind, Observation(evidence=[ev]), value)  # type: ignore[arg-type]

    assert margin(50, 400) == pytest.approx(4.9, abs=0.01)  # the textbook figure: ±4.9 points at n = 400
    assert margin(50, 400, 1.5) == pytest.approx(4.9 * math.sqrt(1.5), abs=0.01)
    assert margin(50, 1600) == pytest.approx(margin(50, 400) / 2)  # four times the sample, half the margin
    assert margin(100, 400) > 0  # no false certainty at the ends of the scale
    count = Indicator.model_validate(
        indicator("C1", unit="count", scoring={"method": "goalposts", "worst": 0, "best": 10})
    )
    ev = Evidence(source="SUR", reference="wave 5", date="2026-08-28", sample_size=400)
    assert survey_margin(count, Observation(evidence=[ev]), 5) is None  # only percentages have one


def test_a_value_within_its_margin_of_the_cut_off_is_flagged_and_shown(tmp_path):
    from readiness.render import Renderer
    from readiness.report import build_view

    project, results = survey_project(tmp_path, survey_observation(82, 300, 1.5, by_sex={"women": 77, "men": 87}))
    a1 = results.get("r1", "north").indicators["A1"]
    assert a1.level == "ready" and a1.margin == pytest.approx(5.32, abs=0.01) and a1.within_margin
    page = Renderer(build_view(project, results, "internal")).render().pages["evidence/north.md"]
    assert "82 ± 5.3 *(within its margin of error of the cut-off)* (women 77, men 87)" in page


def test_a_value_clear_of_its_cut_off_or_without_a_sample_is_not_flagged(tmp_path):
    _, results = survey_project(tmp_path / "clear", survey_observation(95, 1000))
    a1 = results.get("r1", "north").indicators["A1"]
    assert a1.margin is not None and not a1.within_margin
    _, results = survey_project(tmp_path / "none", survey_observation(82, None))
    a1 = results.get("r1", "north").indicators["A1"]
    assert a1.margin is None and not a1.within_margin


def test_the_monte_carlo_varies_a_survey_value_by_its_sampling_error(tmp_path):
    from readiness.uncertainty import Model

    def spread(n: int | None, survey_margins: bool = True) -> float:
        project, results = survey_project(
            tmp_path / f"{n}-{survey_margins}", survey_observation(70, n), {"survey_margins": survey_margins}
        )
        model = Model(project)
        r = results.get("r1", "north")
        reg = model.region_input(r, [], project.framework.uncertainty)
        return float(reg.sd[model.index_of["A1"]])

    # the fixed confidence noise is 4% of the 0-100 span: 4 points; a survey of 100 has ±9.0 points (sd 4.6)
    assert spread(None) == pytest.approx(4.0)
    assert spread(100) == pytest.approx(math.sqrt(0.7 * 0.3 / 100) * 100, abs=0.01)
    assert spread(100, survey_margins=False) == pytest.approx(4.0)
    assert spread(10000) < 1.0


# ---------------------------------------------------------------- setting and threat, two axes


def threat_files(lo_high: dict[str, int] | None = None, threat: str | None = "high") -> dict[str, Any]:
    fw = framework(
        gates={"critical_floor": {"enabled": True}, "tier_thresholds": {"enabled": True}},
        threats=[
            {"id": "normal", "label": "Normal"},
            {"id": "high", "label": "High threat", "critical": ["B1"]},
        ],
    )
    thresholds: dict[str, Any] = {"all": {"partially-ready": 50, "ready": 80}}
    if lo_high is not None:
        thresholds["high"] = lo_high
    inds = [indicator("A1"), indicator("B1", "B", thresholds=thresholds)]
    regions = [
        {
            "id": "capital",
            "name": "Capital",
            "tier": "urban",
            "population": 1000,
            **({"threat": threat} if threat else {}),
        },
        {"id": "calm", "name": "Calm", "tier": "urban", "population": 1000, "threat": "normal"},
    ]
    return project_files(
        {"r1/capital": {"A1": 90, "B1": 82}, "r1/calm": {"A1": 90, "B1": 82}}, fw=fw, indicators=inds, regions=regions
    )


def test_a_higher_threat_raises_a_cut_off_and_makes_an_indicator_critical(tmp_path):
    project, results = scored_project(tmp_path, threat_files({"ready": 85}))
    capital, calm = results.get("r1", "capital"), results.get("r1", "calm")
    # the same value: ready in the calm region, short of the high-threat cut-off in the capital
    assert calm.indicators["B1"].level == "ready" and not calm.indicators["B1"].critical
    b1 = capital.indicators["B1"]
    assert (b1.level, b1.critical, b1.tier_used, b1.target) == ("partially-ready", True, "all+high", 85)
    assert capital.level == "partially-ready" and capital.gates[0].gate == "critical_floor"
    assert calm.level == "ready"
    engines_agree(project, results)


def test_a_threat_never_lowers_a_requirement_and_check_warns(tmp_path):
    from tests.conftest import run

    project, results = scored_project(tmp_path, threat_files({"partially-ready": 30, "ready": 60}))
    assert results.get("r1", "capital").indicators["B1"].target == 80  # the stricter, the setting's
    result = run("check", "-p", str(tmp_path / "p"))
    assert (
        "warning I007" in result.output and "threat 'high' needs 60 for 'ready', less than the 'all'" in result.output
    )


def test_an_unknown_threat_is_refused_with_its_line(tmp_path):
    from tests.conftest import run

    root = write_project(tmp_path / "p", threat_files(threat="hihg"))
    result = run("check", "-p", str(root))
    assert result.exit_code == 1 and "assessments/regions.yaml:" in result.output
    assert "unknown threat 'hihg'" in result.output and "high" in result.output


def test_the_region_page_names_setting_and_threat(tmp_path):
    from readiness.render import Renderer
    from readiness.report import build_view

    project, results = scored_project(tmp_path, threat_files({"ready": 85}))
    pages = Renderer(build_view(project, results, "internal")).render().pages
    assert "setting: Urban · threat: High threat" in pages["regions/capital.md"]
    assert "| Urban | High threat |" in pages["regions/index.md"]


def test_the_monitoring_effort_is_shown_beside_the_count(tmp_path):
    from readiness.render import Renderer
    from readiness.report import build_view

    obs = observation(40, "HRM")
    obs["effort"] = "12 station visits by 2 monitors"
    project, results = scored_project(tmp_path, project_files({"r1/north": {"A1": obs, "B1": 90}}))
    page = Renderer(build_view(project, results, "internal")).render().pages["evidence/north.md"]
    assert "40 (monitoring: 12 station visits by 2 monitors)" in page
