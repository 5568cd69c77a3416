"""The scoring engine, against hand-computed expectations for each method, gate and cap."""

from __future__ import annotations

import json
import math
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from readiness.checks import check_project
from readiness.project import load_project
from readiness.scoring import score_project
from readiness.scoring.results import results_json
from tests.conftest import framework, indicator, observation, project_files, run, write_project

GATES_ALL = {
    "critical_floor": {"enabled": True},
    "prerequisites": {"required_level": "partially-ready", "cap_at": "partially-ready"},
    "pillar_floor": {"floor": 50, "applies_to": "ready", "cap_at": "partially-ready"},
    "evidence": {
        "min_coverage": 90,
        "insufficient_below": 60,
        "insufficient_level": "insufficient-evidence",
        "critical_source_types": 2,
        "applies_to": "ready",
        "cap_at": "partially-ready",
    },
    "stability": {"rounds": 2, "applies_to": "ready", "cap_at": "partially-ready", "sustained_level": "sustained"},
    "sign_off": {"parties": ["un", "gov"], "applies_to": "ready", "cap_at": "partially-ready"},
    "override": {"enabled": True},
}


def scored(tmp_path: Path, files: dict[str, Any]):
    root = write_project(tmp_path / "p", files)
    project, problems = load_project(root)
    errors = [d for d in problems + check_project(project) if d.severity.value == "error"]
    assert errors == []
    return score_project(project)


def one(tmp_path: Path, ind: dict[str, Any], value: Any, **kw: Any):
    files = project_files({"r1/north": {ind["id"]: value}}, indicators=[ind], **kw)
    return scored(tmp_path, files).get("r1", "north")


# ---------------------------------------------------------------- normalisation methods


@pytest.mark.parametrize("value,expected", [(75, 75.0), (0, 0.0), (100, 100.0), (120, 100.0)])
def test_goalposts_scale_linearly_and_cap_beyond_the_best(tmp_path, value, expected):
    ind = indicator("A1", unit="number")
    assert one(tmp_path, ind, value).indicators["A1"].score == pytest.approx(expected)


@pytest.mark.parametrize("minutes,expected", [(135, 50.0), (30, 100.0), (20, 100.0), (300, 0.0)])
def test_goalposts_for_lower_is_better(tmp_path, minutes, expected):
    ind = indicator(
        "A1",
        unit="minutes",
        direction="lower",
        scoring={"method": "goalposts", "worst": 240, "best": 30},
        thresholds={"all": {"partially-ready": 120, "ready": 60}},
    )
    assert one(tmp_path, ind, minutes).indicators["A1"].score == pytest.approx(expected)


def test_goalposts_with_a_log_transform(tmp_path):
    ind = indicator(
        "A1",
        unit="number",
        scoring={"method": "goalposts", "worst": 100, "best": 75000, "log": True},
        thresholds={"all": {"partially-ready": 1000, "ready": 10000}},
    )
    expected = 100 * (math.log(1000) - math.log(100)) / (math.log(75000) - math.log(100))
    assert one(tmp_path, ind, 1000).indicators["A1"].score == pytest.approx(expected, rel=1e-12)


def test_bands_are_piecewise_linear(tmp_path):
    ind = indicator(
        "A1",
        unit="count",
        scoring={
            "method": "bands",
            "bands": [{"value": 0, "score": 0}, {"value": 3, "score": 50}, {"value": 6, "score": 100}],
        },
        thresholds={"all": {"partially-ready": 3, "ready": 6}},
    )
    result = one(tmp_path, ind, 4)
    assert result.indicators["A1"].score == pytest.approx(50 + 50 / 3)


def test_rubric_scores_by_level(tmp_path):
    ind = indicator(
        "A1",
        unit="ordinal",
        scoring={
            "method": "rubric",
            "rubric": [
                {"level": 0, "descriptor": "none"},
                {"level": 1, "descriptor": "draft"},
                {"level": 2, "descriptor": "adopted"},
                {"level": 3, "descriptor": "in force"},
            ],
        },
        thresholds={"all": {"partially-ready": 2, "ready": 3}},
    )
    result = one(tmp_path, ind, 2)
    assert result.indicators["A1"].score == pytest.approx(200 / 3)
    assert result.indicators["A1"].level == "partially-ready"


def test_yes_no_and_values_already_on_the_scale(tmp_path):
    yes = indicator("A1", unit="yes-no", scoring={"method": "yes-no"}, thresholds={"all": {"ready": 1}})
    assert one(tmp_path / "a", yes, True).indicators["A1"].score == 100.0
    assert one(tmp_path / "b", yes, False).indicators["A1"].level == "not-ready"
    on_scale = indicator("A1", unit="score", scoring={"method": "scale"})
    assert one(tmp_path / "c", on_scale, 42.5).indicators["A1"].score == 42.5


# ---------------------------------------------------------------- levels on cut-offs


@pytest.mark.parametrize(
    "value,level", [(80, "ready"), ("79.99", "partially-ready"), (50, "partially-ready"), ("49.999", "not-ready")]
)
def test_a_value_on_a_cut_off_reaches_that_level(tmp_path, value, level):
    value = Decimal(value) if isinstance(value, str) else value
    assert one(tmp_path, indicator("A1"), float(value)).indicators["A1"].level == level


@pytest.mark.parametrize(
    "tier,minutes,level",
    [
        ("urban", 30, "ready"),
        ("urban", 31, "partially-ready"),
        ("rural", 60, "ready"),
        ("rural", "60.1", "partially-ready"),
    ],
)
def test_the_tier_selects_the_thresholds(tmp_path, tier, minutes, level):
    ind = indicator(
        "A1",
        unit="minutes",
        direction="lower",
        scoring={"method": "goalposts", "worst": 240, "best": 30},
        thresholds={"urban": {"partially-ready": 60, "ready": 30}, "rural": {"partially-ready": 120, "ready": 60}},
    )
    regions = [{"id": "north", "name": "North", "tier": tier, "population": 10}]
    result = one(tmp_path, ind, float(minutes), regions=regions)
    assert result.indicators["A1"].level == level
    assert result.indicators["A1"].tier_used == tier


def test_a_region_score_exactly_on_a_level_cut_off_after_rounding_is_in_that_level(tmp_path):
    # (69.9 + 70.0) / 2 = 69.95, rounded half-up to one decimal = 70.0: ready, not partially ready
    files = project_files({"r1/north": {"A1": 69.9, "B1": 70}})
    result = scored(tmp_path, files).get("r1", "north")
    assert result.rounded == Decimal("70.0")
    assert result.level == "ready"


# ---------------------------------------------------------------- aggregation


def test_weighted_arithmetic_mean(tmp_path):
    inds = [indicator("A1"), indicator("A2", weight=3), indicator("B1", "B")]
    result = scored(tmp_path, project_files({"r1/north": {"A1": 40, "A2": 80, "B1": 70}}, indicators=inds))
    r = result.get("r1", "north")
    assert r.pillars["A"].score == pytest.approx(70.0)
    assert r.indicators["A2"].share == pytest.approx(0.75)
    assert r.indicators["A2"].contribution == pytest.approx(60.0)


@pytest.mark.parametrize("method,expected", [("geometric", 50.0), ("minimum", 25.0), ("arithmetic", 62.5)])
def test_geometric_mean_and_minimum(tmp_path, method, expected):
    fw = framework(pillars=[{"id": "A", "name": "A", "aggregation": method}, {"id": "B", "name": "B"}])
    inds = [indicator("A1"), indicator("A2"), indicator("B1", "B")]
    result = scored(tmp_path, project_files({"r1/north": {"A1": 25, "A2": 100, "B1": 70}}, fw=fw, indicators=inds))
    assert result.get("r1", "north").pillars["A"].score == pytest.approx(expected)


def test_missing_is_never_zero_and_lowers_coverage(tmp_path):
    inds = [indicator("A1"), indicator("A2"), indicator("B1", "B")]
    files = project_files(
        {"r1/north": {"A1": 80, "B1": 80, "A2": {"not_collected": "register lost in a fire"}}}, indicators=inds
    )
    r = scored(tmp_path, files).get("r1", "north")
    assert r.pillars["A"].score == pytest.approx(80.0)
    assert r.pillars["A"].coverage == pytest.approx(0.5)
    assert r.coverage == pytest.approx(0.75)
    assert r.indicators["A2"].status == "not-collected"


def test_not_applicable_is_left_out_of_coverage(tmp_path):
    inds = [indicator("A1"), indicator("A2"), indicator("B1", "B")]
    files = project_files(
        {"r1/north": {"A1": 80, "B1": 80, "A2": {"not_applicable": "no border in this region"}}}, indicators=inds
    )
    assert scored(tmp_path, files).get("r1", "north").coverage == pytest.approx(1.0)


# ---------------------------------------------------------------- prerequisites


def test_an_indicator_is_capped_by_a_prerequisite_that_is_not_ready(tmp_path):
    fw = framework(gates={"prerequisites": GATES_ALL["prerequisites"]})
    inds = [indicator("A1"), indicator("A2", requires=["A1"]), indicator("B1", "B")]
    r = scored(tmp_path, project_files({"r1/north": {"A1": 40, "A2": 95, "B1": 95}}, fw=fw, indicators=inds)).get(
        "r1", "north"
    )
    a2 = r.indicators["A2"]
    assert (a2.uncapped_level, a2.level, a2.capped_by) == ("ready", "partially-ready", ["A1"])
    assert a2.score == 95.0 and a2.capped_score == 70.0  # at most where "ready" begins
    assert r.pillars["A"].score == pytest.approx(55.0)


def test_missing_prerequisite_data_counts_as_not_ready(tmp_path):
    fw = framework(gates={"prerequisites": GATES_ALL["prerequisites"]})
    inds = [indicator("A1"), indicator("A2", requires=["A1"]), indicator("B1", "B")]
    files = project_files(
        {"r1/north": {"A1": {"not_collected": "no access"}, "A2": 95, "B1": 95}}, fw=fw, indicators=inds
    )
    assert scored(tmp_path, files).get("r1", "north").indicators["A2"].capped_by == ["A1"]


def test_caps_propagate_down_a_chain(tmp_path):
    fw = framework(gates={"prerequisites": {"required_level": "ready", "cap_at": "partially-ready"}})
    inds = [indicator("A1"), indicator("A2", requires=["A1"]), indicator("A3", requires=["A2"]), indicator("B1", "B")]
    files = project_files({"r1/north": {"A1": 60, "A2": 95, "A3": 95, "B1": 95}}, fw=fw, indicators=inds)
    r = scored(tmp_path, files).get("r1", "north")
    assert r.indicators["A2"].capped_by == ["A1"] and r.indicators["A3"].capped_by == ["A2"]


# ---------------------------------------------------------------- gates


def gated(tmp_path, values, *, gates=None, indicators=None, rounds=None, extra=None):
    fw = framework(gates=gates if gates is not None else GATES_ALL)
    files = project_files(values, fw=fw, indicators=indicators, rounds=rounds)
    for key, more in (extra or {}).items():
        r, region = key.split("/")
        files[f"assessments/{r}/{region}.yaml"].update(more)
    return scored(tmp_path, files)


SIGNED = {
    "sign_off": [
        {"party": "un", "name": "A. Officer", "date": "2026-04-02"},
        {"party": "gov", "name": "B. Minister", "date": "2026-04-03"},
    ]
}


def two_sources(value):
    return observation(value, "ADM", "FV")


def test_a_critical_indicator_partially_ready_caps_the_region(tmp_path):
    inds = [indicator("A1", critical=True), indicator("B1", "B")]
    r = gated(
        tmp_path, {"r1/north": {"A1": two_sources(60), "B1": 100}}, indicators=inds, extra={"r1/north": SIGNED}
    ).get("r1", "north")
    assert r.score_level == "ready" and r.level == "partially-ready"
    assert [g.gate for g in r.gates] == ["critical_floor"]
    assert r.gates[0].details["indicators"] == {"A1": "partially-ready"}


def test_a_critical_indicator_not_ready_caps_at_not_ready(tmp_path):
    inds = [indicator("A1", critical=True), indicator("B1", "B")]
    r = gated(
        tmp_path, {"r1/north": {"A1": two_sources(45), "B1": 100}}, indicators=inds, extra={"r1/north": SIGNED}
    ).get("r1", "north")
    assert r.level == "not-ready"


def test_pillar_floor(tmp_path):
    r = gated(tmp_path, {"r1/north": {"A1": 100, "B1": 45}}, extra={"r1/north": SIGNED}).get("r1", "north")
    assert r.rounded == Decimal("72.5") and r.level == "partially-ready"
    assert [g.gate for g in r.gates] == ["pillar_floor"] and r.gates[0].details["pillars"] == {"B": "45.0"}


def test_too_little_current_data_is_insufficient_evidence(tmp_path):
    inds = [indicator("A1"), indicator("A2"), indicator("B1", "B")]
    values = {"r1/north": {"A1": 90, "A2": {"not_collected": "insecurity"}, "B1": {"not_collected": "insecurity"}}}
    r = gated(tmp_path, values, indicators=inds, extra={"r1/north": SIGNED}).get("r1", "north")
    assert r.coverage == pytest.approx(0.25)
    assert r.level == "insufficient-evidence"
    evidence = next(g for g in r.gates if g.gate == "evidence")
    assert evidence.allows == "insufficient-evidence" and evidence.details["coverage"] == 25.0
    assert "pillar_floor" in [g.gate for g in r.gates]  # pillar B has no data at all


def test_stale_evidence_lowers_coverage_below_the_handover_minimum(tmp_path):
    values = {"r1/north": {"A1": 90, "B1": observation(90, date="2024-01-01")}}
    r = gated(tmp_path, values, extra={"r1/north": SIGNED}).get("r1", "north")
    assert r.coverage == pytest.approx(0.5)
    assert r.level == "insufficient-evidence"


def test_a_critical_indicator_needs_two_source_types_for_ready(tmp_path):
    inds = [indicator("A1", critical=True), indicator("B1", "B")]
    r = gated(tmp_path, {"r1/north": {"A1": 95, "B1": 95}}, indicators=inds, extra={"r1/north": SIGNED}).get(
        "r1", "north"
    )
    assert r.level == "partially-ready"
    assert r.gates[0].gate == "evidence" and r.gates[0].details["thin_sources"] == {"A1": 1}


def test_joint_sign_off_is_needed_for_ready(tmp_path):
    unsigned = {"sign_off": SIGNED["sign_off"][:1]}
    r = gated(tmp_path, {"r1/north": {"A1": 95, "B1": 95}}, extra={"r1/north": unsigned}).get("r1", "north")
    assert r.level == "partially-ready" and r.gates[0].gate == "sign_off"
    assert r.gates[0].details["missing"] == ["gov"]
    assert [s.kind for s in r.path] == ["sign_off"]


ROUNDS3 = [("r1", "2025-12-31"), ("r2", "2026-03-31"), ("r3", "2026-06-30")]


def _three_rounds(tmp_path, scores, gates=None):
    values = {
        f"r{i + 1}/north": {"A1": observation(s, date=d), "B1": observation(s, date=d)}
        for i, (s, d) in enumerate(zip(scores, ["2025-12-01", "2026-03-01", "2026-06-01"], strict=True))
    }
    extra = {k: SIGNED for k in values}
    return gated(tmp_path, values, rounds=ROUNDS3, extra=extra, gates=gates)


def test_a_fall_in_the_score_blocks_ready(tmp_path):
    results = _three_rounds(tmp_path, [90, 85, 88])
    r2 = results.get("r2", "north")
    assert r2.level == "partially-ready" and r2.gates[0].gate == "stability"
    assert r2.change == Decimal("-5.0") and r2.regression
    # r3 still sees the fall from 90 to 85 within its last two rounds
    assert results.get("r3", "north").level == "partially-ready"


def test_ready_held_for_two_rounds_becomes_sustained_when_no_handover_is_required(tmp_path):
    gates = {**GATES_ALL, "stability": {**GATES_ALL["stability"], "after_handover": False}}
    results = _three_rounds(tmp_path, [80, 82, 85], gates=gates)
    assert [results.get(r, "north").level for r in ("r1", "r2", "r3")] == ["ready", "ready", "sustained"]


def test_ready_is_not_sustained_without_a_handover(tmp_path):
    """By default the sustained level needs a handover (tests/test_handover.py has the transitions)."""
    results = _three_rounds(tmp_path, [80, 82, 85])
    assert [results.get(r, "north").level for r in ("r1", "r2", "r3")] == ["ready", "ready", "ready"]


def test_a_leadership_override_sets_the_level_and_is_recorded(tmp_path):
    override = {
        "override": {
            "level": "ready",
            "rationale": "Port handover agreed with the government",
            "approved_by": "Head of Police Component",
            "expires": "2026-12-31",
            "body": "joint",
        }
    }
    r = gated(tmp_path, {"r1/north": {"A1": 60, "B1": 60}}, extra={"r1/north": override}).get("r1", "north")
    assert r.computed_level == "partially-ready" and r.level == "ready"
    assert r.override["approved_by"] == "Head of Police Component"


def test_an_expired_override_is_ignored(tmp_path):
    override = {
        "override": {"level": "ready", "rationale": "x", "approved_by": "y", "expires": "2026-01-01", "body": "joint"}
    }
    files = project_files({"r1/north": {"A1": 60, "B1": 60}}, fw=framework(gates=GATES_ALL))
    files["assessments/r1/north.yaml"].update(override)
    root = write_project(tmp_path / "p", files)
    project, _ = load_project(root)
    codes = [d.code for d in check_project(project)]
    assert "V002" in codes
    assert score_project(project).get("r1", "north").level == "partially-ready"


def test_gates_can_be_switched_off(tmp_path):
    gates = {name: {**cfg, "enabled": False} for name, cfg in GATES_ALL.items()}
    inds = [indicator("A1", critical=True), indicator("B1", "B")]
    r = gated(tmp_path, {"r1/north": {"A1": 60, "B1": 100}}, gates=gates, indicators=inds).get("r1", "north")
    assert r.level == "ready" and r.gates == []


# ---------------------------------------------------------------- roll-up, trends, path


def test_parents_roll_up_by_population_and_are_as_ready_as_their_least_ready_child(tmp_path):
    regions = [
        {"id": "country", "name": "Country"},
        {"id": "north", "name": "North", "parent": "country", "tier": "urban", "population": 1000},
        {"id": "south", "name": "South", "parent": "country", "tier": "rural", "population": 3000},
    ]
    files = project_files({"r1/north": {"A1": 80, "B1": 80}, "r1/south": {"A1": 40, "B1": 40}}, regions=regions)
    r = scored(tmp_path, files).get("r1", "country")
    assert not r.assessed and r.score == pytest.approx(50.0)
    assert r.level == "not-ready" and r.children == ["north", "south"]


def test_projection_at_the_recent_pace(tmp_path):
    dates = ["2025-12-01", "2026-03-01", "2026-06-01"]
    values = {
        f"r{i + 1}/north": {"A1": observation(s, date=d), "B1": observation(s, date=d)}
        for i, (s, d) in enumerate(zip([40, 50, 60], dates, strict=True))
    }
    results = scored(tmp_path, project_files(values, rounds=ROUNDS3))
    p = results.get("r3", "north").projection
    assert p["status"] == "converging" and p["rounds_needed"] == 1 and p["pace"] == 10.0
    falling = scored(
        tmp_path / "x",
        project_files(
            {
                f"r{i + 1}/north": {"A1": observation(s, date=d), "B1": observation(s, date=d)}
                for i, (s, d) in enumerate(zip([60, 55, 50], dates, strict=True))
            },
            rounds=ROUNDS3,
        ),
    )
    assert falling.get("r3", "north").projection["status"] == "not converging"


def test_path_to_handover_puts_critical_then_prerequisites_then_small_gaps_first(tmp_path):
    fw = framework(gates={"prerequisites": GATES_ALL["prerequisites"], "critical_floor": {"enabled": True}})
    inds = [
        indicator("A1"),
        indicator("A2", requires=["A1"]),
        indicator("A3"),
        indicator("B1", "B", critical=True),
        indicator("B2", "B"),
    ]
    values = {"r1/north": {"A1": 40, "A2": 60, "A3": 75, "B1": 70, "B2": 30}}
    r = scored(tmp_path, project_files(values, fw=fw, indicators=inds)).get("r1", "north")
    assert [s.subject for s in r.path] == ["B1", "A3", "A1", "B2", "A2"]
    first = r.path[0]
    assert first.critical and first.current == Decimal(70) and first.target == Decimal(80)


def test_results_json_is_deterministic_and_versioned(tmp_path):
    files = project_files({"r1/north": {"A1": 33.3, "B1": 66.6}})
    a = results_json(scored(tmp_path / "a", files))
    b = results_json(scored(tmp_path / "b", files))
    assert a == b and '"schema_version":6' in a


def _three_regions_three_rounds(tmp_path, empty_first_round=False):
    rounds = [("r1", "2025-12-31"), ("r2", "2026-03-31"), ("r3", "2026-06-30")]
    regions = [{"id": r, "name": r.title(), "tier": "urban", "population": 10} for r in ("north", "south", "east")]
    values = {
        f"{rnd}/{reg['id']}": {
            "A1": observation(40 + 7 * i + j, "ADM", date=day),
            "B1": observation(90 - 5 * i - j, "FV", date=day),
        }
        for i, (rnd, day) in enumerate(rounds)
        for j, reg in enumerate(regions)
        if not (empty_first_round and rnd == "r1")
    }
    root = write_project(tmp_path / "p", project_files(values, rounds=rounds, regions=regions))
    project, _ = load_project(root)
    return project


@pytest.mark.parametrize("forking", [True, False])
@pytest.mark.parametrize("empty_first_round", [False, True])
def test_results_file_written_round_by_round_is_results_json_byte_for_byte(tmp_path, forking, empty_first_round):
    """`readiness score` writes each round of results.json in a forked child while the next round is scored;
    the file must be exactly what writing it in one go gives (valid JSON when a round has no assessment yet),
    with no part or child left behind."""
    import json

    from readiness.pipeline import ResultsFile

    project = _three_regions_three_rounds(tmp_path, empty_first_round)
    target = tmp_path / "out" / "results.json"
    with ResultsFile(target) as written:
        written.forking = written.forking and forking
        seen = []
        results = score_project(project, on_round=lambda res, rnd: (seen.append(rnd), written.round_done(res, rnd)))
        written.finish(results)
    assert seen == ["r1", "r2", "r3"]
    assert target.read_text(encoding="utf-8") == results_json(score_project(project))
    entries = json.loads(target.read_text(encoding="utf-8"))["results"]
    assert len(entries) == (6 if empty_first_round else 9)
    assert sorted(p.name for p in target.parent.iterdir()) == ["results.json"]


def test_a_failed_part_of_results_json_is_written_again_in_one_go(tmp_path, monkeypatch):
    """A child that cannot write its part (here: it raises) makes `finish` write the whole file itself."""
    import readiness.pipeline as module

    project = _three_regions_three_rounds(tmp_path)
    real = module.write_round
    parent = __import__("os").getpid()

    def flaky(results, round_id, out, first):
        if round_id == "r2" and __import__("os").getpid() != parent:
            raise OSError("no space left on device")
        return real(results, round_id, out, first)

    monkeypatch.setattr(module, "write_round", flaky)
    target = tmp_path / "out" / "results.json"
    with module.ResultsFile(target) as written:
        results = score_project(project, on_round=written.round_done)
        written.finish(results)
    assert target.read_text(encoding="utf-8") == results_json(score_project(project))
    assert sorted(p.name for p in target.parent.iterdir()) == ["results.json"]


def test_score_command_prints_csv_with_framework_rounding(tmp_path):
    root = write_project(tmp_path / "p", project_files({"r1/north": {"A1": 33.33, "B1": 66.66}}))
    result = run("score", "-p", str(root), "--format", "csv")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()  # the progress lines go to standard error
    assert lines[0].startswith("region,round,score,level")
    assert lines[1].startswith("north,r1,50.0,partially-ready")
    assert (root / "build" / "results.json").exists()


def test_score_refuses_a_project_with_errors(tmp_path):
    files = project_files({"r1/north": {"A1": 130, "B1": 50}})
    result = run("score", "-p", str(write_project(tmp_path / "p", files)))
    assert result.exit_code == 1 and "O002" in result.output


def test_a_refused_score_leaves_the_project_as_it_was(tmp_path):
    """A project whose rules find an error (a value out of range: O002, a rule, not the loader; the rules that
    run apart in a forked child are checked too) is refused with the rule's finding, and nothing is written: no
    build/ folder where there was none, and an earlier results.json byte for byte as it was. Mended, it
    scores."""
    files = project_files({"r1/north": {"A1": 130, "B1": 50}})
    root = write_project(tmp_path / "p", files)
    refused = run("score", "-p", str(root))
    assert refused.exit_code == 1 and "O002" in refused.output
    assert not (root / "build").exists()
    (root / "build").mkdir()
    (root / "build" / "results.json").write_text('{"earlier": true}\n', encoding="utf-8")
    assert run("score", "-p", str(root)).exit_code == 1
    assert (root / "build" / "results.json").read_text(encoding="utf-8") == '{"earlier": true}\n'
    assert sorted(p.name for p in (root / "build").iterdir()) == ["results.json"]  # no part left behind
    mended = write_project(tmp_path / "q", project_files({"r1/north": {"A1": 80, "B1": 50}}))
    assert run("check", "-p", str(mended)).exit_code == 0
    scored = run("score", "-p", str(mended), "--format", "csv")
    assert scored.exit_code == 0, scored.output
    assert json.loads((mended / "build" / "results.json").read_text(encoding="utf-8"))["rounds"]
