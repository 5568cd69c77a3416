"""UNDP's Gender Development Index, configured only in YAML (examples/gdi/), reproduces every published value:
each indicator measured for women and men from one file, the HDI of each sex, their ratio (above the top of the
scale where women's HDI is higher) and the five groups, bands of |1 - GDI| on both sides of parity."""

from __future__ import annotations

import csv
from decimal import Decimal

import pytest

from readiness.project import load_project
from readiness.scoring import score_project
from readiness.uncertainty import analyse, zero_variation
from tests.conftest import REPO, run

EXAMPLE = REPO / "examples" / "gdi"
FIXTURE = REPO.parent / "shared" / "fixtures" / "gdi_2021_sample.csv"
if not FIXTURE.exists():  # CI lays shared/ beside the clone; fall back to the copy kept in the example
    FIXTURE = EXAMPLE / "gdi_2021_sample.csv"
ROWS = list(csv.DictReader(FIXTURE.open(encoding="utf-8")))


@pytest.fixture(scope="module")
def scored():
    project, problems = load_project(EXAMPLE)
    assert problems == []
    return project, score_project(project)


def test_the_sample_has_sixteen_countries_and_one_file_per_indicator():
    assert len(ROWS) == 16
    files = sorted(p.name for p in (EXAMPLE / "indicators").glob("*.yaml"))
    assert files == [
        "expected-schooling.yaml",
        "framework.yaml",
        "gni-per-capita.yaml",
        "life-expectancy.yaml",
        "mean-schooling.yaml",
    ]


@pytest.mark.parametrize("row", ROWS, ids=[r["iso3"] for r in ROWS])
def test_each_gdi_and_group_is_the_published_one(scored, row):
    _, results = scored
    r = results.get("2021", row["iso3"])
    assert r.rounded == Decimal(row["gdi_published"])
    assert r.level == f"group-{row['gdi_group_published']}"
    # the HDI of each sex, the two sub-trees of the ratio
    assert r.pillars["hdi-female"].score == pytest.approx(float(row["hdi_f_published"]), abs=1e-6)
    assert r.pillars["hdi-male"].score == pytest.approx(float(row["hdi_m_published"]), abs=1e-6)


def test_a_gdi_above_parity_exceeds_the_scale_and_counts_as_far_from_parity_as_one_below(scored):
    _, results = scored
    qatar, ireland = results.get("2021", "QAT"), results.get("2021", "IRL")
    assert qatar.rounded == Decimal("1.019") > 1  # the top of the scale is 1
    assert qatar.level == ireland.level == "group-1"  # |1 - 1.019| and |1 - 0.987| are both within 0.025


def test_each_indicator_is_expanded_per_population_with_its_own_goalposts(scored):
    project, results = scored
    female, male = project.indicators["life-expectancy.female"], project.indicators["life-expectancy.male"]
    assert (female.pillar, female.scoring.worst, female.scoring.best) == ("health-female", 22.5, 87.5)
    assert (male.pillar, male.scoring.worst, male.scoring.best) == ("health-male", 17.5, 82.5)
    assert str(female.name) == "Life expectancy at birth (women)"
    assert "life-expectancy" not in project.indicators
    aus = results.get("2021", "AUS").indicators
    assert aus["life-expectancy.female"].raw == Decimal("85.8396") and aus["life-expectancy.male"].raw == Decimal(
        "83.1718"
    )
    assert aus["life-expectancy.female"].level is None  # no cut-offs of its own: the groups rate the ratio


def test_the_sampled_engine_without_variation_is_the_engine(scored):
    project, results = scored
    analysis = analyse(project, results, "2021", samples=4, spec=zero_variation(project.framework.uncertainty))
    for region_id, u in analysis.regions.items():
        r = results.get("2021", region_id)
        assert u.probabilities == {r.computed_level: 1.0}, region_id
        assert u.score_interval == (float(r.rounded), float(r.rounded))


def test_a_missing_value_for_one_sex_is_refused_with_its_file(tmp_path):
    import shutil

    root = tmp_path / "gdi"
    shutil.copytree(EXAMPLE, root)
    path = root / "assessments" / "2021" / "KEN.yaml"
    text = path.read_text(encoding="utf-8")
    old = "    populations: {female: 3873.191056, male: 5084.167477}"
    assert old in text
    path.write_text(text.replace(old, "    populations: {female: 3873.191056}"), encoding="utf-8")
    result = run("check", "-p", str(root))
    assert result.exit_code == 1
    assert "assessments/2021/KEN.yaml:" in result.output
    assert "O004 observation gni-per-capita.male has no value" in result.output


def test_a_ratio_with_other_than_two_sub_pillars_is_refused(tmp_path):
    import shutil

    import yaml

    root = tmp_path / "gdi"
    shutil.copytree(EXAMPLE, root)
    path = root / "indicators" / "framework.yaml"
    fw = yaml.safe_load(path.read_text(encoding="utf-8"))
    fw["pillars"].append({"id": "third", "name": "A third"})
    path.write_text(yaml.safe_dump(fw, sort_keys=False), encoding="utf-8")
    result = run("check", "-p", str(root))
    assert result.exit_code == 1 and "I008" in result.output and "indicators/framework.yaml:" in result.output


def test_the_example_builds_a_site(tmp_path):
    result = run("build", "-p", str(EXAMPLE), "--out", str(tmp_path / "site"))
    assert result.exit_code == 0, result.output
    qatar = (tmp_path / "site" / "regions" / "QAT.html").read_text(encoding="utf-8")
    assert "1.019" in qatar and "Group 1: high equality" in qatar
    assert "primacy" not in qatar.lower()  # an index, not a transition: no handover section
