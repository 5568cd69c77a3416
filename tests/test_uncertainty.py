"""How sure we are: Monte Carlo, Sobol sensitivity and what-if scenarios."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest

from readiness.pipeline import scenario_effects
from readiness.project import load_project
from readiness.scoring import score_project
from readiness.uncertainty import analyse, sample_scores, zero_variation
from tests.conftest import REPO, framework, indicator, observation, project_files, run, write_project


@pytest.fixture(scope="module")
def example():
    project, _ = load_project(REPO)
    return project, score_project(project)


def test_with_zero_variation_every_sample_reproduces_the_deterministic_result(example):
    project, results = example
    spec = zero_variation(project.framework.uncertainty)
    for round_id in results.rounds:
        analysis = analyse(project, results, round_id, samples=20, spec=spec, sensitivity=False)
        assert analysis.regions
        for region_id, u in analysis.regions.items():
            r = results.get(round_id, region_id)
            assert u.probabilities == {r.computed_level: 1.0}, (round_id, region_id)
            assert u.score_interval == (float(r.rounded), float(r.rounded)), (round_id, region_id)


def linear_project(tmp_path):
    """One arithmetic pillar of four indicators weighted 1 to 4, values mid-scale: score = sum w_i v_i / 10."""
    fw = framework(
        pillars=[{"id": "A", "name": "A"}],
        uncertainty={"weight_range": 0, "noise": {"low": 0.05, "medium": 0.05, "high": 0.05, "unstated": 0.05}},
    )
    inds = [indicator(f"A{i}", weight=i) for i in range(1, 5)]
    values = {"r1/north": {f"A{i}": observation(50) for i in range(1, 5)}}
    root = write_project(tmp_path / "p", project_files(values, fw=fw, indicators=inds))
    project, problems = load_project(root)
    assert not [d for d in problems if d.severity.value == "error"]
    return project, score_project(project)


def test_a_linear_aggregate_has_the_variance_theory_gives(tmp_path):
    project, results = linear_project(tmp_path)
    n = 20000
    scores = sample_scores(project, results, "north", "r1", n, 7, project.framework.uncertainty)
    sigma = 0.05 * 100  # 5% of the 0-100 goalposts
    expected = sigma**2 * sum((w / 10) ** 2 for w in (1, 2, 3, 4))  # = 7.5
    standard_error = expected * np.sqrt(2 / (n - 1))
    assert abs(np.var(scores, ddof=1) - expected) < 4 * standard_error
    assert abs(np.mean(scores) - 50.0) < 4 * np.sqrt(expected / n)


def test_sobol_indices_of_a_linear_aggregate_match_the_weights(tmp_path):
    project, results = linear_project(tmp_path)
    analysis = analyse(project, results, samples=200, seed=3)
    rows = {row["factor"]: row for row in analysis.regions["north"].sensitivity}
    expected = {f"value of A{i}": i * i / 30 for i in range(1, 5)}  # (w_i/W)^2 sigma^2 / Var
    for factor, share in expected.items():
        assert abs(rows[factor]["total_order"] - share) < 0.08, (factor, rows[factor])
        assert abs(rows[factor]["first_order"] - share) < 0.12, (factor, rows[factor])
    order = [row["factor"] for row in analysis.regions["north"].sensitivity]
    assert order[0] == "value of A4"


def test_many_values_are_ranked_by_pillar_and_the_cost_stays_linear(tmp_path):
    """Past MAX_VALUE_FACTORS observed values the sensitivity ranks the values of each pillar together: a Saltelli
    design with one factor per value would score the region (values x base samples) times, so the work grew with
    the square of the indicators (400 indicators took two minutes on 50 regions). A pillar's group carries what
    its values explain: here pillar B's values, its pillar weighted nine times A, explain most of the variance."""
    from readiness.uncertainty import MAX_VALUE_FACTORS

    fw = framework(
        pillars=[{"id": "A", "name": "Pillar A"}, {"id": "B", "name": "Pillar B", "weight": 9}],
        uncertainty={"weight_range": 0, "noise": {"low": 0.05, "medium": 0.05, "high": 0.05, "unstated": 0.05}},
    )
    half = MAX_VALUE_FACTORS // 2 + 5
    inds = [indicator(f"A{i}", "A") for i in range(half)] + [indicator(f"B{i}", "B") for i in range(half)]
    values = {"r1/north": {ind["id"]: observation(50) for ind in inds}}
    root = write_project(tmp_path / "p", project_files(values, fw=fw, indicators=inds))
    project, problems = load_project(root)
    assert not [d for d in problems if d.severity.value == "error"]
    analysis = analyse(project, score_project(project), samples=200, seed=3)
    rows = {row["factor"]: row for row in analysis.regions["north"].sensitivity}
    assert set(rows) == {"values of pillar A", "values of pillar B"}
    assert rows["values of pillar B"]["total_order"] > 0.8 > 0.2 > rows["values of pillar A"]["total_order"]

    few = [indicator(f"A{i}", "A") for i in range(4)]
    root = write_project(
        tmp_path / "q", project_files({"r1/north": {i["id"]: observation(50) for i in few}}, fw=fw, indicators=few)
    )
    project, _ = load_project(root)
    rows = {
        row["factor"]
        for row in analyse(project, score_project(project), samples=50, seed=3).regions["north"].sensitivity
    }
    assert rows == {f"value of A{i}" for i in range(4)}  # few values: each its own factor, as before


def test_monte_carlo_is_reproducible_from_its_seed(example):
    project, results = example
    one = analyse(project, results, samples=200, seed=11, sensitivity=False)
    two = analyse(project, results, samples=200, seed=11, sensitivity=False)
    other = analyse(project, results, samples=200, seed=12, sensitivity=False)
    assert {k: v.probabilities for k, v in one.regions.items()} == {k: v.probabilities for k, v in two.regions.items()}
    assert {k: v.probabilities for k, v in one.regions.items()} != {
        k: v.probabilities for k, v in other.regions.items()
    }


def _figures(analysis):
    return {
        k: (v.probabilities, v.score_interval, v.rank_interval, v.sensitivity) for k, v in analysis.regions.items()
    }, analysis.factors


def test_shared_out_between_processes_the_analysis_is_the_same_to_the_last_digit(example):
    """`readiness build` shares the regions out between forked workers, one per core; the figures must not
    depend on how many there are."""
    project, results = example
    one = analyse(project, results, samples=300, seed=4, workers=1)
    two = analyse(project, results, samples=300, seed=4, workers=2)
    three = analyse(project, results, samples=300, seed=4, workers=3)
    assert _figures(one) == _figures(two) == _figures(three)
    assert len(one.regions) >= 6 and all(u.sensitivity for u in one.regions.values() if u.score_interval)


def test_a_regions_figures_do_not_move_when_another_region_changes(tmp_path):
    """Each region draws its observation errors from its own stream (seed and region id): editing, adding or
    removing one region leaves the others' probabilities and intervals as they were (ranks aside)."""
    values = {"r1/north": {"A1": 62, "B1": 75}, "r1/south": {"A1": 81, "B1": 55}, "r1/east": {"A1": 49, "B1": 90}}
    regions = [{"id": r, "name": r.title(), "tier": "urban", "population": 10} for r in ("north", "south", "east")]
    noisy = {"noise": {"low": 0.1, "medium": 0.05, "high": 0.02, "unstated": 0.05}}

    def figures(vals, regs, name):
        root = write_project(tmp_path / name, project_files(vals, regions=regs, fw=framework(uncertainty=noisy)))
        project, found = load_project(root)
        assert not [d for d in found if d.severity.value == "error"], found
        analysis = analyse(project, score_project(project), samples=400, seed=9)
        return {k: (v.probabilities, v.score_interval, v.sensitivity) for k, v in analysis.regions.items()}

    before = figures(values, regions, "before")
    edited = figures({**values, "r1/south": {"A1": 30, "B1": 41}}, regions, "edited")
    fewer = figures({k: v for k, v in values.items() if k != "r1/east"}, regions[:2], "fewer")
    assert edited["north"] == before["north"] and edited["east"] == before["east"]
    assert edited["south"] != before["south"]
    assert fewer["north"] == before["north"] and fewer["south"] == before["south"]


def test_the_example_has_fragile_and_robust_levels(example):
    project, results = example
    analysis = analyse(project, results, sensitivity=False)
    assert any(not u.robust for u in analysis.regions.values())
    assert any(u.robust for u in analysis.regions.values())
    for u in analysis.regions.values():
        assert abs(sum(u.probabilities.values()) - 1) < 1e-9
        assert u.score_interval is None or u.score_interval[0] <= u.score_interval[1]


def test_the_example_has_a_scenario_that_changes_a_level(example):
    project, results = example
    effects = scenario_effects(project, results)
    assert "lowa-logistics" in effects
    changed = [e for e in effects["lowa-logistics"][2] if e.level_before != e.level_after]
    assert any(
        e.region == "lowa" and e.level_before == "not-ready" and e.level_after == "partially-ready" for e in changed
    )
    lowa = next(e for e in changed if e.region == "lowa")
    assert any("LG-03" in action for action in lowa.resolved)


def test_score_uncertainty_and_scenario_on_the_command_line(monkeypatch):
    monkeypatch.chdir(REPO)
    result = run("score", "--uncertainty", "--samples", "200", "--seed", "5")
    assert result.exit_code == 0, result.output
    assert "FRAGILE" in result.output and "yes" in result.output and "200 samples (seed 5)" in result.output
    scenario = run("score", "--scenario", "lowa-logistics")
    assert scenario.exit_code == 0
    assert "Lowa: Not ready -> Partially ready" in scenario.output
    assert run("score", "--scenario", "nothing-like-it").exit_code == 2


def test_a_scenario_with_an_unknown_region_is_reported_with_its_line(tmp_path):
    files = project_files({"r1/north": {"A1": 70, "B1": 60}})
    files["scenarios/what-if.yaml"] = "name: What if\nchanges:\n  - {region: nowhere, indicator: A1, value: 80}\n"
    result = run("check", str(write_project(tmp_path / "p", files)))
    assert result.exit_code == 1
    assert "scenarios/what-if.yaml:3:" in result.output and "unknown region 'nowhere'" in result.output


def test_a_scenario_never_changes_the_project_it_starts_from(example):
    project, results = example
    before = {k: v for k, v in project.assessments.items()}
    scenario_effects(project, results)
    assert project.assessments == before
    assert results.get("2026-q3", "lowa").level == "not-ready"
    assert Decimal(project.assessments[("2026-q3", "lowa")].observations["LG-02"].value) < 80
