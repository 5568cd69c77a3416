"""Adding a normalisation method is one class in one module: this one is registered here, in the test, and used
end to end (schema, check, score, the Monte Carlo, the site)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any, Literal

import pytest

from readiness.fields import Model, Number
from readiness.methods import NORMALISATIONS, Normalisation, ParameterProblem, register, unregister
from tests.conftest import indicator, observation, project_files, run, write_project


class StepScoring(Model):
    """`method: step`: the top of the scale at `at` or beyond, the bottom below it."""

    method: Literal["step"]
    at: Number


class Step(Normalisation):
    name = "step"
    Params = StepScoring
    labels = {"en": "all or nothing at {at}", "fr": "tout ou rien à {at}"}

    def check(self, ind: Any) -> Iterator[ParameterProblem]:
        if ind.scoring.at < 0:
            yield ParameterProblem(
                "I005", ("scoring", "at"), f"{ind.id}: a step at {ind.scoring.at} can never be reached"
            )

    def scorer(self, ind: Any, scale: Any) -> Callable[[Decimal | bool], float]:
        at, low, high = float(ind.scoring.at), float(scale.min), float(scale.max)
        return lambda value: high if float(value) >= at else low

    def vector(self, ind: Any, scale: Any) -> Callable[[Any], Any]:
        import numpy as np

        at, low, high = float(ind.scoring.at), float(scale.min), float(scale.max)
        return lambda v: np.where(np.isnan(v), np.nan, np.where(v >= at, high, low))

    def span(self, ind: Any) -> float:
        return 10.0

    def describe(self, ind: Any) -> tuple[str, dict[str, Any]]:
        return "indicator.step", {"at": ind.scoring.at}


@pytest.fixture
def step():
    register(Step)
    yield NORMALISATIONS["step"]
    unregister(Step)
    assert "step" not in NORMALISATIONS


def test_a_method_registered_in_one_module_works_end_to_end(step, tmp_path):
    files = project_files(
        {"r1/north": {"A1": observation(85, "ADM", "FV"), "B1": observation(40, "ADM", "FV")}},
        indicators=[
            indicator("A1", scoring={"method": "step", "at": 80}),
            indicator("B1", "B", scoring={"method": "step", "at": 50}),
        ],
    )
    root = write_project(tmp_path / "p", files)
    checked = run("check", str(root))
    assert checked.exit_code == 0, checked.output
    scored = run("score", "-p", str(root), "--format", "json", "-o", str(tmp_path / "r.json"))
    import json

    row = json.loads(scored.stdout)[0]
    assert row["indicators"]["A1"]["score"] == 100.0 and row["indicators"]["B1"]["score"] == 0.0
    assert run("score", "-p", str(root), "--uncertainty", "--samples", "20").exit_code == 0
    built = run("build", "-p", str(root), "-o", str(tmp_path / "site"))
    assert built.exit_code == 0, built.output
    page = (tmp_path / "site" / "indicators" / "A1.html").read_text(encoding="utf-8")
    assert "all or nothing at 80" in page


def test_its_parameters_and_checks_are_the_schema_and_the_rules(step, tmp_path):
    files = project_files(
        {"r1/north": {"A1": 85, "B1": 40}},
        indicators=[
            indicator("A1", scoring={"method": "step", "at": -5}),
            indicator("B1", "B", scoring={"method": "step", "height": 50}),
        ],
    )
    root = write_project(tmp_path / "p", files)
    result = run("check", str(root))
    assert result.exit_code == 1
    assert "I005 A1: a step at -5 can never be reached" in result.output
    assert "unknown key 'height'" in result.output and "missing required key 'at'" in result.output


def test_an_unregistered_method_is_an_unknown_method(tmp_path):
    files = project_files(
        {"r1/north": {"A1": 85, "B1": 40}},
        indicators=[indicator("A1", scoring={"method": "step", "at": 80}), indicator("B1", "B")],
    )
    result = run("check", str(write_project(tmp_path / "p", files)))
    assert result.exit_code == 1 and "'step' is not a scoring method" in result.output
