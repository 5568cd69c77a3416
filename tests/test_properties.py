"""Properties of the scoring engine, checked on generated projects (hypothesis)."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readiness.model import Assessment, Framework, Indicator, Region, Round
from readiness.project import Project
from readiness.scoring import score_project
from readiness.scoring.results import results_json
from tests.conftest import framework, indicator
from tests.test_scoring import GATES_ALL

IDS = ["A1", "A2", "A3", "B1", "B2"]
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def build(
    values: dict[str, float | None],
    *,
    aggregation: str = "arithmetic",
    weights: dict[str, float] | None = None,
    shuffle: int | None = None,
) -> Project:
    """A one-region, one-round project in memory: A1 <- A2 prerequisites, A3 critical, B pillar geometric."""
    weights = weights or {}
    fw = framework(
        gates=GATES_ALL,
        pillars=[
            {"id": "A", "name": "A", "aggregation": aggregation},
            {"id": "B", "name": "B", "aggregation": "geometric"},
        ],
    )
    specs = [
        indicator("A1", weight=weights.get("A1", 1)),
        indicator("A2", requires=["A1"], weight=weights.get("A2", 2)),
        indicator("A3", critical=True, weight=weights.get("A3", 1)),
        indicator("B1", "B", weight=weights.get("B1", 1)),
        indicator(
            "B2",
            "B",
            scoring={
                "method": "bands",
                "bands": [{"value": 0, "score": 0}, {"value": 50, "score": 60}, {"value": 100, "score": 100}],
            },
            weight=weights.get("B2", 1),
        ),
    ]
    observations: dict[str, Any] = {}
    for ind_id in IDS:
        v = values.get(ind_id)
        observations[ind_id] = (
            {"not_collected": "no access"}
            if v is None
            else {
                "value": v,
                "evidence": [{"source": s, "reference": "register", "date": "2026-03-01"} for s in ("ADM", "FV")],
            }
        )
    order = list(IDS)
    if shuffle is not None:
        random.Random(shuffle).shuffle(order)
        observations = {k: observations[k] for k in order}
    project = Project(root=Path("."))
    project.framework = Framework.model_validate(fw)
    for spec in sorted(specs, key=lambda s: order.index(s["id"])):
        project.indicators[spec["id"]] = Indicator.model_validate(spec)
    regions = [
        Region.model_validate({"id": "north", "name": "North", "tier": "urban", "population": 10}),
        Region.model_validate({"id": "south", "name": "South", "tier": "rural", "population": 20}),
    ]
    if shuffle is not None:
        random.Random(shuffle).shuffle(regions)
    project.regions = {r.id: r for r in regions}
    project.rounds = {"r1": Round.model_validate({"id": "r1", "label": "R1", "date": "2026-03-31"})}
    signed = [{"party": p, "name": "N", "date": "2026-04-01"} for p in ("un", "gov")]
    for region in project.regions:
        project.assessments[("r1", region)] = Assessment.model_validate(
            {"region": region, "round": "r1", "observations": observations, "sign_off": signed}
        )
    for ind in project.indicators.values():
        project.graph.add_node(ind.id)
        for req in ind.requires:
            project.graph.add_edge(req.indicator, ind.id)
    return project


percent = st.floats(min_value=0, max_value=100, allow_nan=False).map(lambda x: round(x, 2))
value_sets = st.fixed_dictionaries({i: percent for i in IDS})


def result(project: Project):
    return score_project(project).get("r1", "north")


@SETTINGS
@given(
    values=value_sets,
    which=st.sampled_from(IDS),
    delta=st.floats(min_value=0, max_value=100),
    aggregation=st.sampled_from(["arithmetic", "geometric", "minimum"]),
)
def test_a_better_raw_value_never_lowers_a_score_or_a_level(values, which, delta, aggregation):
    better = dict(values)
    better[which] = min(100.0, round(values[which] + delta, 2))
    before, after = result(build(values, aggregation=aggregation)), result(build(better, aggregation=aggregation))
    order = {
        lv: i for i, lv in enumerate(["insufficient-evidence", "not-ready", "partially-ready", "ready", "sustained"])
    }
    assert after.score >= before.score - 1e-9
    assert order[after.level] >= order[before.level]
    assert order[after.indicators[which].level] >= order[before.indicators[which].level]


@SETTINGS
@given(
    values=st.fixed_dictionaries({i: st.one_of(st.none(), percent) for i in IDS}),
    aggregation=st.sampled_from(["arithmetic", "geometric", "minimum"]),
)
def test_scores_stay_within_the_scale(values, aggregation):
    r = result(build(values, aggregation=aggregation))
    for score in [r.score, *(p.score for p in r.pillars.values()), *(i.score for i in r.indicators.values())]:
        assert score is None or 0.0 <= score <= 100.0


@SETTINGS
@given(
    values=value_sets,
    factor=st.sampled_from([0.25, 0.5, 2.0, 4.0, 8.0]),
    weights=st.fixed_dictionaries({i: st.integers(min_value=1, max_value=9) for i in IDS}),
)
def test_scaling_all_weights_of_a_node_changes_nothing(values, factor, weights):
    # powers of two keep float arithmetic exact, so any difference would be a real dependence on scale
    scaled = {k: (w * factor if k.startswith("A") else w) for k, w in weights.items()}
    a, b = result(build(values, weights=weights)), result(build(values, weights=scaled))
    assert a.score == b.score and a.level == b.level and a.pillars["A"].score == b.pillars["A"].score


@SETTINGS
@given(values=st.fixed_dictionaries({i: st.one_of(st.none(), percent) for i in IDS}), seed=st.integers(0, 10**6))
def test_the_order_of_indicators_and_regions_changes_nothing(values, seed):
    assert results_json(score_project(build(values))) == results_json(score_project(build(values, shuffle=seed)))


@SETTINGS
@given(values=value_sets.filter(lambda v: v["A1"] > 0 and v["A3"] > 0), removed=st.sampled_from(["A1", "A3"]))
def test_removing_an_observation_never_acts_like_a_zero(values, removed):
    without = dict(values, **{removed: None})
    zero = dict(values, **{removed: 0.0})
    r_without, r_zero = result(build(without)), result(build(zero))
    others = [k for k in ("A1", "A2", "A3") if k != removed]
    kept = r_without.indicators
    weights = {"A1": 1, "A2": 2, "A3": 1}
    expected = sum(kept[k].capped_score * weights[k] for k in others) / sum(weights[k] for k in others)
    assert abs(r_without.pillars["A"].score - expected) < 1e-9
    assert r_without.indicators[removed].score is None and r_without.coverage < 1
    assert r_zero.pillars["A"].score != r_without.pillars["A"].score
