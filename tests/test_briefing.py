"""The briefing leadership reads (issue 18, first part): the dashboard's main points (ready regions with how sure
that is, blocked ones with their main blocker named, what changed), blockers counted apart from other gaps, and
projections that do not ignore the gates."""

from __future__ import annotations

from typing import Any

from readiness.i18n import Translator
from readiness.pages import dashboard
from readiness.render import Renderer
from readiness.report import build_view
from tests.conftest import framework, indicator, observation, project_files
from tests.test_method import scored_project
from tests.test_scoring import GATES_ALL, SIGNED

ROUNDS = [("r1", "2025-12-31"), ("r2", "2026-03-31"), ("r3", "2026-06-30")]
DATES = ["2025-12-01", "2026-03-01", "2026-06-01"]


def mission(tmp_path, series: dict[str, dict[str, list[Any]]], gates: dict[str, Any] | None = None):
    """Regions over three rounds; A1 is critical; every assessment signed unless the region is `unsigned`."""
    regions = [{"id": r, "name": r.title(), "tier": "urban", "population": 1000} for r in series]
    values = {
        f"r{i + 1}/{region}": {k: observation(v[i], "ADM", "FV", date=DATES[i]) for k, v in inds.items()}
        for region, inds in series.items()
        for i in range(len(ROUNDS))
    }
    inds = [indicator("A1", critical=True), indicator("B1", "B")]
    files = project_files(
        values, fw=framework(gates=gates or GATES_ALL), rounds=ROUNDS, indicators=inds, regions=regions
    )
    for key in values:
        r, region = key.split("/")
        if region != "unsigned":
            files[f"assessments/{r}/{region}.yaml"].update(SIGNED)
    return scored_project(tmp_path, files)


SERIES = {
    "ready": {"A1": [85, 86, 88], "B1": [90, 90, 91]},
    "falling": {"A1": [85, 86, 60], "B1": [90, 90, 90]},  # A1 drops below ready: critical floor
    "unsigned": {"A1": [85, 86, 88], "B1": [90, 90, 91]},  # ready by score, no sign-off
    "flat": {"A1": [55, 55, 55], "B1": [30, 45, 60]},  # the score climbs, the critical indicator does not
}


def test_the_main_points_name_each_region_with_its_confidence_or_its_main_blocker(tmp_path):
    project, results = mission(tmp_path, SERIES)
    view = build_view(project, results, "internal")
    points = dashboard.build(view).points
    assert [p.region.id for p in points.ready] == ["ready"]
    blockers = {p.region.id: (p.blocker.gate, p.blocker.subject) for p in points.blocked}
    assert blockers == {
        "falling": ("critical_floor", "A1"),
        "unsigned": ("sign_off", "un"),
        "flat": ("score", "A1"),  # the score alone sets its level; the first step of its path is named
    }
    assert [(c.region.id, c.before, c.after, c.up) for c in points.changes] == [
        ("falling", "ready", "partially-ready", False)
    ]
    page = Renderer(view).render().pages["index.md"]
    main = page[page.index("**Main points**") : page.index("</div>", page.index("**Main points**"))]
    # one vocabulary: a level's name is only ever that level, never "not ready" as a general word
    assert "**At Ready or above: 1**: [Ready](regions/ready.md) (Ready)" in main
    assert "**Below Ready: 3**" in main and "not ready" not in main.lower().replace("partially ready", "")
    assert "[Falling](regions/falling.md) (Partially ready): Indicator A1 is Partially ready" in main
    assert "[Unsigned](regions/unsigned.md) (Partially ready): no sign-off from UN Police" in main
    assert "**Since R2**: [Falling](regions/falling.md) fell from Ready to Partially ready" in main
    assert main.count("\n- ") <= 6


def test_the_confidence_of_a_ready_region_is_part_of_its_headline(tmp_path):
    from readiness.uncertainty import analyse

    project, results = mission(tmp_path, {"ready": SERIES["ready"], "flat": SERIES["flat"]})
    analysis = analyse(project, results, "r3", samples=200)
    view = build_view(project, results, "internal", analysis)
    page = Renderer(view).render().pages["index.md"]
    u = analysis.regions["ready"]
    word = "robust" if u.robust else "fragile"
    assert f"[Ready](regions/ready.md) (Ready, {word}: same level in {Translator('en').percent(u.share_same)})" in page


def test_blockers_are_counted_apart_from_other_gaps(tmp_path):
    project, results = mission(tmp_path, SERIES)
    view = build_view(project, results, "internal")
    rows = {row.id: row for row in dashboard.build(view).rows}
    falling = rows["falling"].blocking
    # A1 below ready (critical floor) and the fall in the score (stability)
    assert falling.blockers == 2 and falling.steps == len(results.get("r3", "falling").path)
    # below by its score alone: no gate holds it, so its one blocker is the score (the main points name it too)
    assert rows["flat"].blocking.blockers == 1
    assert rows["ready"].blocking.blockers == 0
    page = Renderer(view).render().pages["index.md"]
    line = next(x for x in page.splitlines() if x.startswith("| [Unsigned]"))
    assert line.rstrip(" |").endswith("| 2")  # the two missing sign-offs; nothing else to improve


def test_no_date_is_projected_while_a_critical_indicator_does_not_move(tmp_path):
    from readiness.explain import Explainer

    project, results = mission(tmp_path, {"flat": SERIES["flat"]}, gates={"critical_floor": {"enabled": True}})
    r = results.get("r3", "flat")
    # the score rises 7.5 points a round, but A1 has stood at 55 (ready needs 80) for three rounds
    assert r.projection["status"] == "not converging" and r.projection["held_by"] == "A1"
    text = str(Explainer(project, "en", markup=False).projection(r))
    assert text.startswith("Not on track: the score is rising, but the critical indicator Indicator A1 (A1)")


def test_a_date_is_paced_by_the_slowest_critical_indicator(tmp_path):
    # the score (35, 42.5, 50) needs 3 more rounds at 7.5 a round; A1 (+5 a round, 60 of 80) needs 4
    series = {"slow": {"A1": [50, 55, 60], "B1": [20, 30, 40]}}
    project, results = mission(tmp_path, series, gates={"critical_floor": {"enabled": True}})
    p = results.get("r3", "slow").projection
    assert p["status"] == "converging" and p["paced_by"] == "A1" and p["rounds_needed"] == 4


def test_a_capped_step_reads_as_a_sentence(tmp_path):
    from readiness.explain import Explainer
    from readiness.scoring.results import HandoverStep

    project, _ = mission(tmp_path, {"ready": SERIES["ready"]})
    step = HandoverStep("capped", "B1", detail={"by": ["A1"]})
    assert str(Explainer(project, "en", markup=False).step(step)) == (
        "Indicator B1 (B1) meets its own target but is capped until its prerequisites improve (Indicator A1 (A1))"
    )


def test_a_french_page_marks_english_text_and_reads_its_parameters_in_french(tmp_path):
    from readiness.render import Renderer
    from tests.conftest import write_project

    fw = framework(languages=["en", "fr"], gates=GATES_ALL)
    files = project_files(
        {"r1/north": {"A1": observation(85, "ADM", "FV"), "B1": observation(90, "ADM", "FV")}},
        fw=fw,
        indicators=[indicator("A1", critical=True), indicator("B1", "B")],
    )
    files["assessments/r1/north.yaml"].update(
        {
            "narrative": "The team found **six** radios in customs.",
            "risks": ["Budget closure.", {"text": {"en": "Floods.", "fr": "Inondations."}}],
            **SIGNED,
        }
    )
    project, results = scored_project(tmp_path, files)
    assert write_project  # (the project is written by scored_project)
    site = Renderer(build_view(project, results, "internal"), lang="fr").render()
    page = site.pages["regions/north.md"]
    assert '<div lang="en" markdown="1">' in page and "(non traduit)" in page  # the English narrative, marked
    assert '<span lang="en">Budget closure.</span> <span class="rd-untranslated">(non traduit)</span>' in page
    assert "- Inondations." in page  # a translated risk is not marked
    english = Renderer(build_view(project, results, "internal"), lang="en").render().pages["regions/north.md"]
    assert "(not translated)" not in english and 'lang="en"' not in english
    method = site.pages["methodology.md"]
    assert (
        "| niveau exigé du prérequis\u00a0: Partially ready\u202f; plafonné à\u00a0: Partially ready |" in method
    )  # levels: English here


def test_the_factsheet_counts_every_region_once_and_names_its_three_risks(tmp_path):
    from readiness.pages import factsheet

    project, results = mission(tmp_path, SERIES)
    view = build_view(project, results, "internal")
    page = factsheet.build(view, dashboard.build(view))
    named = [r.id for line in page.levels for r in line.regions]
    assert sorted(named) == sorted(SERIES)  # the map, as text: every assessed region under its level
    assert page.ready == 1 and page.assessed == 4
    assert [t.counts for t in page.trend][-1] == {"ready": 1, "partially-ready": 3}
    text = Renderer(view).render().pages["factsheet.md"]
    assert "**As at Jun 30, 2026: 4 districts and units assessed; 1 at Ready or above.**" in text
    assert 'Indicator A1 <small class="rd-code">A1</small> is the main blocker in 2 districts and units.' in text
