"""The page models (`readiness.pages`): what each page shows, decided before anything is formatted; and the
boundary between the report stage and render."""

from __future__ import annotations

import ast
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from readiness import pages
from readiness.pages import (
    changes,
    dashboard,
    downloads,
    indicator,
    indicators_index,
    methodology,
    region,
    regions_index,
)
from readiness.pages.common import ordered_regions
from readiness.pipeline import scenario_effects
from readiness.project import load_project
from readiness.report import build_view, public_project
from readiness.scoring import score_project
from readiness.scoring.results import results_csv
from tests.conftest import REPO, framework, observation, project_files, write_project
from tests.conftest import indicator as indicator_file

RENDER = Path(__file__).resolve().parents[1] / "readiness" / "render"


def view_of(tmp_path: Path, files: dict, audience: str = "internal"):
    project, problems = load_project(write_project(tmp_path / "p", files))
    assert not [d for d in problems if d.severity.value == "error"], problems
    if audience == "public":
        project, left_out = public_project(project)
        return build_view(project, score_project(project), audience, left_out=left_out)
    return build_view(project, score_project(project), audience)


ROUNDS = [("r1", "2026-01-31"), ("r2", "2026-02-28"), ("r3", "2026-03-31")]
REGIONS = [
    {"id": "land", "name": "Land"},
    {"id": "east", "name": "East", "parent": "land", "population": 10},
    {"id": "west", "name": "West", "parent": "land", "population": 10},
    {"id": "hill", "name": "Hill", "parent": "east", "tier": "rural", "population": 5},
    {"id": "port", "name": "Port", "parent": "east", "tier": "urban", "population": 5},
    {"id": "dale", "name": "Dale", "parent": "west", "tier": "rural", "population": 10},
]


def both(value: float) -> dict:
    return {"A1": observation(value, date="2026-01-15"), "B1": observation(value, date="2026-01-20")}


@pytest.fixture
def three_rounds(tmp_path):
    """hill: ready from r2 on; port: ready in r1 and r3, not in r2; dale: never ready."""
    values = {}
    for rnd, (hill, port, dale) in zip(("r1", "r2", "r3"), ((60, 90, 20), (90, 55, 25), (95, 92, 30)), strict=True):
        values |= {f"{rnd}/hill": both(hill), f"{rnd}/port": both(port), f"{rnd}/dale": both(dale)}
    return view_of(tmp_path, project_files(values, rounds=ROUNDS, regions=REGIONS))


@pytest.fixture(scope="module")
def example():
    project, _ = load_project(REPO)
    results = score_project(project)
    return build_view(project, results, "internal", scenarios=scenario_effects(project, results))


# ---------------------------------------------------------------- ready since and the timeline


def test_ready_since_is_the_first_round_of_the_latest_unbroken_run_at_handover(three_rounds):
    assert changes.ready_since(three_rounds, "hill").id == "r2"
    assert changes.ready_since(three_rounds, "port").id == "r3"
    assert changes.ready_since(three_rounds, "dale") is None


def test_the_timeline_lists_higher_levels_first_then_by_its_words_then_by_name(three_rounds):
    page = changes.build(three_rounds)
    rows = [(row.region.id, row.level, row.when.kind) for row in page.timeline]
    assert [r[0] for r in rows] == ["hill", "port", "dale"]  # ready (since r2 before since r3), then not ready
    assert rows[0][2] == rows[1][2] == "since" and page.timeline[1].when.since.id == "r3"
    assert [row.rank for row in page.timeline] == sorted((row.rank for row in page.timeline), reverse=True)
    words = {"r2": "later", "r3": "earlier"}  # rows of one level are listed as their `when` reads
    backwards = changes.build(three_rounds, words=lambda w: words[w.since.id] if w.since else w.kind)
    assert [row.region.id for row in backwards.timeline] == ["port", "hill", "dale"]
    assert {row.region.id for row in page.timeline} == {"hill", "port", "dale"}, "only assessed regions"


def test_moved_levels_and_the_change_behind_them(three_rounds):
    page = changes.build(three_rounds)
    moved = {m.region.id: m for m in page.moved}
    assert moved["port"].before == "partially-ready" and moved["port"].now == "ready" and moved["port"].up
    assert moved["port"].result.change == Decimal("37.0")
    assert "dale" not in moved and "hill" not in moved  # not-ready and ready in both r2 and r3


def test_new_and_resolved_blockers_compare_the_gates_of_the_last_two_rounds(tmp_path):
    gates = {
        "evidence": {
            "min_coverage": 90,
            "insufficient_below": 10,
            "insufficient_level": "insufficient-evidence",
            "critical_source_types": 1,
            "applies_to": "ready",
            "cap_at": "partially-ready",
        }
    }
    away = {"not_collected": "away"}
    values = {
        "r1/north": {"A1": 95, "B1": 95},
        "r2/north": {"A1": 95, "B1": away},
        "r1/south": {"A1": 95, "B1": away},
        "r2/south": {"A1": 95, "B1": 95},
    }
    regions = [{"id": "north", "name": "North", "tier": "urban"}, {"id": "south", "name": "South", "tier": "urban"}]
    rounds = [("r1", "2026-03-31"), ("r2", "2026-04-30")]
    view = view_of(tmp_path, project_files(values, fw=framework(gates=gates), rounds=rounds, regions=regions))
    page = changes.build(view)
    assert [(b.region.id, b.gate.gate) for b in page.new_blockers] == [("north", "evidence")]
    assert [(b.region.id, b.gate) for b in page.resolved] == [("south", "evidence")]


# ---------------------------------------------------------------- dashboard, indexes


def test_dashboard_counts_levels_of_assessed_regions_and_rolled_up_regions_count_parts_below_handover(three_rounds):
    page = dashboard.build(three_rounds)
    assert [row.id for row in page.rows] == ["land", "east", "hill", "port", "west", "dale"]  # parents first
    assert page.assessed == ["hill", "port", "dale"] and page.n_assessed == 3
    counts = {c.level.id: c.regions for c in page.counts}
    assert counts == {"insufficient-evidence": 0, "not-ready": 1, "partially-ready": 0, "ready": 2, "sustained": 0}
    rows = {row.id: row for row in page.rows}
    assert rows["land"].rolled and rows["land"].blocking == dashboard.Blocking(below=1, parts=3)
    assert rows["east"].blocking == dashboard.Blocking(below=0, parts=2)
    assert rows["dale"].blocking.steps == len(rows["dale"].result.path) > 0
    assert rows["hill"].latest_evidence == date(2026, 1, 20) and rows["land"].latest_evidence is None
    assert not page.has_map and page.unmapped == [] and [t.id for t in page.tiles] == page.assessed


def test_regions_group_under_the_level_below_the_top(three_rounds):
    page = regions_index.build(three_rounds)
    groups = [(g.region.id, [row.region.id for row in g.rows]) for g in page.groups]
    assert groups == [("land", ["land"]), ("east", ["east", "hill", "port"]), ("west", ["west", "dale"])]
    tiers = {row.region.id: row.tier for g in page.groups for row in g.rows}
    assert str(tiers["hill"]) == "Rural" and tiers["land"] == ""


def test_indicators_index_counts_assessed_regions_at_handover(three_rounds):
    rows = {row.indicator.id: row for g in indicators_index.build(three_rounds).groups for row in g.rows}
    assert (rows["A1"].ready, rows["A1"].assessed) == (2, 3)


def test_siblings_are_ordered_by_their_name_in_the_page_language(tmp_path):
    regions = [{"id": "a", "name": {"en": "Zeta", "fr": "Alpha"}}, {"id": "b", "name": {"en": "Beta", "fr": "Omega"}}]
    values = {"r1/a": both(90), "r1/b": both(90)}
    view = view_of(tmp_path, project_files(values, fw=framework(languages=["en", "fr"]), regions=regions))
    assert ordered_regions(view, "en") == ["b", "a"] and ordered_regions(view, "fr") == ["a", "b"]
    assert [row.id for row in dashboard.build(view, "fr").rows] == ["a", "b"]


# ---------------------------------------------------------------- methodology, indicator, region


def test_pillar_shares_are_weights_over_their_siblings(example):
    page = methodology.build(example)
    top = [row for row in page.pillars if row.depth == 0]
    assert abs(sum(row.share for row in top) - 1) < 1e-9
    assert [row.share for row in top] == [
        float(p.weight / sum(q.weight for q in example.framework.pillars)) for p in example.framework.pillars
    ]
    assert {g.gate for g in page.gates} == set(type(example.framework.gates).model_fields)
    assert all(g.state in ("on", "off", "unset") for g in page.gates)


def test_indicator_history_keeps_regions_with_something_to_show(three_rounds):
    page = indicator.build(three_rounds, "A1")
    assert [row.region.id for row in page.history] == ["hill", "port", "dale"]  # roll-ups have no values
    assert [c.raw for c in page.history[0].cells] == [Decimal(60), Decimal(90), Decimal(95)]
    assert [b.region.id for b in page.bars] == ["hill", "port", "dale"]
    assert page.threshold_levels == ["partially-ready", "ready"]
    assert page.thresholds[0].tier == "all" and page.thresholds[0].cuts == [Decimal(50), Decimal(80)]


def test_indicator_prerequisites_come_from_the_graph(tmp_path):
    inds = [indicator_file("A1"), indicator_file("B1", "B", requires=["A1"])]
    view = view_of(tmp_path, project_files({"r1/north": both(90)}, indicators=inds))
    assert [i.id for i in indicator.build(view, "B1").requires] == ["A1"]
    assert [i.id for i in indicator.build(view, "A1").required_by] == ["B1"]
    page = region.build(view, "north")
    assert page.dependencies.layers == [["A1"], ["B1"]] and page.dependencies.edges == [("A1", "B1")]


def test_region_pillars_take_the_band_of_their_score(three_rounds):
    page = region.build(three_rounds, "dale")
    assert [(row.entry.id, row.band) for row in page.pillars] == [("A", "not-ready"), ("B", "not-ready")]
    assert [p.round.id for p in page.trend] == ["r1", "r2", "r3"] and page.result.round == "r3"
    assert [(b.level, b.start, b.end) for b in page.bands][-1] == ("ready", Decimal(70), Decimal(100))


def test_the_example_has_a_map_and_every_page(example):
    site = pages.build_site(example)
    assert site.dashboard.has_map and all(row.outline for row in site.dashboard.mapped)
    assert set(site.regions) == set(example.regions) and set(site.indicators) == set(example.indicators)
    assert site.scenarios_index is not None and len(site.scenarios) == len(example.scenarios)
    assert site.nav_regions == [rid for rid in site.order if rid in site.regions]


# ---------------------------------------------------------------- downloads


def test_results_csv_is_the_one_results_csv_writes(example):
    page = downloads.build(example)
    pillar_ids = [row.pillar.id for row in methodology.build(example).pillars]
    assert page.files["downloads/results.csv"] == results_csv(example.results, pillar_ids).encode()
    assert page.files["downloads/results.json"] == example.downloadable_bytes()


# ---------------------------------------------------------------- the boundary


def test_render_reads_page_models_not_the_project():
    for path in sorted(RENDER.glob("*.py")):
        source = path.read_text(encoding="utf-8")
        assert "view.project" not in source, path.name
        tree = ast.parse(source)
        typing_only = {
            id(n)
            for node in ast.walk(tree)
            if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING"
            for n in ast.walk(node)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and id(node) not in typing_only:
                module = (node.module or "").split(".")[0]
                assert module not in ("project", "loading", "scoring", "site", "pipeline"), (path.name, node.module)
