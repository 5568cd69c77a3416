"""UNDP's Human Development Index, configured only in YAML (examples/hdi/), reproduces every published value."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from readiness.project import load_project
from readiness.scoring import score_project
from tests.conftest import REPO

FIXTURE = REPO.parent / "shared" / "fixtures" / "hdi_2021_sample.csv"
if not FIXTURE.exists():  # CI lays shared/ beside the clone; fall back to the copy kept in the example
    FIXTURE = REPO / "examples" / "hdi" / "hdi_2021_sample.csv"


def group(hdi: Decimal) -> str:
    """The report's development groups, on the rounded value."""
    if hdi >= Decimal("0.800"):
        return "very-high"
    if hdi >= Decimal("0.700"):
        return "high"
    if hdi >= Decimal("0.550"):
        return "medium"
    return "low"


@pytest.fixture(scope="module")
def results():
    project, problems = load_project(REPO / "examples" / "hdi")
    assert problems == []
    return score_project(project)


ROWS = list(csv.DictReader(FIXTURE.open(encoding="utf-8")))


def test_the_fixture_has_sixteen_countries():
    assert len(ROWS) == 16


@pytest.mark.parametrize("row", ROWS, ids=[r["iso3"] for r in ROWS])
def test_published_hdi_and_group_are_reproduced_exactly(results, row):
    r = results.get("2021", row["iso3"])
    published = Decimal(row["hdi_published"]).quantize(Decimal("0.001"))
    assert r.rounded == published
    assert r.level == group(published)


def test_education_is_the_mean_of_its_two_indices(results):
    aus = results.get("2021", "AUS")
    # expected years (21.05) is above the maximum of 18 and is capped at 1
    assert aus.indicators["expected-schooling"].score == 1.0
    assert aus.pillars["education"].score == pytest.approx((1.0 + 12.72681999 / 15) / 2)


def test_the_examples_observations_match_the_fixture(results):
    """The example's YAML holds the fixture's components at full precision, unchanged."""
    project, _ = load_project(REPO / "examples" / "hdi")
    for row in ROWS:
        obs = project.assessments[("2021", row["iso3"])].observations
        assert Decimal(obs["gni-per-capita"].value) == Decimal(row["gni_per_capita"])
        assert Decimal(obs["life-expectancy"].value) == Decimal(row["life_expectancy"])


def test_a_cote_divoire_on_the_medium_cut_off_is_medium(results):
    # 0.550 sits exactly on the cut-off of the medium group
    assert results.get("2021", "CIV").rounded == Decimal("0.550")
    assert results.get("2021", "CIV").level == "medium"


def test_hdi_fixture_path_exists():
    assert Path(FIXTURE).exists()
