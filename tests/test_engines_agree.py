"""One set of semantics: with every source of variation switched off, the Monte Carlo's vectorised engine gives
the engine's level and rounded score in every sample, region by region and round by round, over generated
projects with every normalisation method, aggregation, rounding mode and gate."""

from __future__ import annotations

import shutil
import tempfile
from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from readiness.methods import AGGREGATIONS, NORMALISATIONS, ROUNDINGS
from readiness.project import load_project
from readiness.scoring import score_project
from readiness.uncertainty import analyse, zero_variation
from tests.conftest import write_project
from tests.test_fuzz import GATES, KINDS, SETTINGS, valid_projects

AGREEMENT = settings(SETTINGS, max_examples=80)


def test_the_generator_covers_every_registered_member():
    """If a method, aggregation or rounding mode is added, the generator below must draw it too."""
    kinds = {k.split("-")[0] if k.startswith("goalposts") else k for k in KINDS}
    assert set(NORMALISATIONS) <= kinds | {"goalposts"}
    # a ratio needs exactly two sub-pillars, which generated trees do not have: tests/test_gdi.py checks that
    # both engines agree on it, on the GDI
    assert set(AGGREGATIONS) == {"arithmetic", "geometric", "minimum", "ratio"}
    assert set(ROUNDINGS) == {"half-up", "half-even", "down", "up"}


@AGREEMENT
@given(
    files=valid_projects(),
    mode=st.sampled_from(sorted(ROUNDINGS)),
    digits=st.integers(0, 2),
    aggregation=st.sampled_from(sorted(set(AGGREGATIONS) - {"ratio"})),
    stability=st.fixed_dictionaries(
        {
            "tolerance": st.sampled_from([0, 0.5, 3]),
            "track_record": st.integers(1, 3),
            "critical_drop": st.booleans(),
        }
    ),
)
def test_the_sampled_engine_without_variation_is_the_engine(files, mode, digits, aggregation, stability):
    fw = files["indicators/framework.yaml"]
    fw["gates"] = dict(GATES)  # every gate on
    fw["gates"]["stability"] = {**GATES["stability"], **stability}
    fw["rounding"] = {"digits": digits, "mode": mode}
    fw["aggregation"] = aggregation
    root = write_project(Path(tempfile.mkdtemp(prefix="agree-")), files)
    try:
        project, problems = load_project(root)
        assert not [p for p in problems if p.severity.value == "error"], problems
        results = score_project(project)
        spec = zero_variation(project.framework.uncertainty)
        for round_id in results.rounds:
            analysis = analyse(project, results, round_id, samples=6, spec=spec, sensitivity=False)
            for region_id, u in analysis.regions.items():
                r = results.get(round_id, region_id)
                assert u.probabilities == {r.computed_level: 1.0}, (
                    round_id,
                    region_id,
                    r.computed_level,
                    u.probabilities,
                    [g.gate for g in r.gates],
                )
                if r.rounded is None:
                    assert u.score_interval is None
                else:
                    assert u.score_interval == (float(r.rounded), float(r.rounded)), (round_id, region_id)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def test_a_score_on_a_rounding_boundary_rounds_alike_in_both_engines_whatever_float_noise_says():
    """A weighted geometric mean of 41.5 and 41.5 is 41.5; Python's power gives exactly that and numpy's
    vectorised power 41.49999999999999, which rounded down (one digit) was 41.4 in the Monte Carlo and 41.5 in
    the engine. A score that close to a boundary is on it, in both; a real difference is kept."""
    import numpy as np

    from readiness.methods import AGGREGATIONS
    from readiness.model import Rounding
    from readiness.scoring.normalise import round_score

    geometric = AGGREGATIONS["geometric"]
    scalar = geometric.combine([(41.5, 1.0), (41.5, 1.0)], 0.0, 100.0)
    vector = float(geometric.vector(np.array([[41.5, 41.5]]), np.array([[1.0, 1.0]]), 0.0, 100.0)[0])
    down = Rounding(digits=1, mode="down")
    assert round_score(scalar, down) == round_score(vector, down) == Decimal("41.5")
    # the example's arithmetic mean of PC's indicators in Dabori, 2025-q4: exactly 70.95, computed 70.94999999999999
    assert round_score(70.94999999999999, Rounding(digits=1, mode="half-up")) == Decimal("71.0")
    # a difference in the data, however small it is written, is not noise
    assert round_score(70.9499999, Rounding(digits=1, mode="half-up")) == Decimal("70.9")
    assert round_score(41.4999, down) == Decimal("41.4")
