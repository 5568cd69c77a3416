"""The site shows the handover register: who holds primacy, region by region and function by function, the
decisions with their positions, conditions and triggers, the mandate calendar, and the national headline on the
dashboard; in English and French, in internal and public editions, with every text from the register escaped.

One small mission is built for most tests (`mission_files`), its story told by its decisions:
- east: handed over whole on the first round's assessment (Ready); its condition met since.
- west: handed over whole on the first round (Ready), fell to Not ready in the second, tripping its reversion
  trigger; the joint body took it back on the second round's assessment, after its cut-off.
- port: general policing handed over on the second round's assessment while Partially ready (against the
  assessment, with a rationale), after its cut-off; public order stays with the UN; its condition is overdue.
- academy: a national institution (no population), no public decision; a restricted deferral in the internal
  edition only.

Every figure is as at the second round's cut-off (30 June 2026): decisions taken on that round's assessment take
effect in July, so they are reported since the cut-off, never folded into the figures (issue 25). West is shown
taken back, never "at risk".
"""

from __future__ import annotations

import html
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from readiness.i18n import Translator
from readiness.pages import decisions as decisions_page
from readiness.pages import region as region_page
from readiness.project import load_project
from readiness.report import build_view, public_project
from readiness.scoring import score_project
from tests.conftest import framework, observation, project_files, run, write_project

ROUNDS = [("r1", "2026-03-31"), ("r2", "2026-06-30")]
POPULATION = {"east": 3000, "west": 1000, "port": 2000}
"""The population of each assessed district; the academy (a national institution) has none."""
SCORES = {"east": (90, 90), "west": (85, 30), "port": (60, 60), "academy": (75, 75)}
"""Each region's two values in r1 and r2 (both indicators alike): the score is the value."""
RATIONALE = "The port authority needs a single chain of command before the shipping season."
SECRET_REFERENCE = "JTC-SECRET-0042"
SECRET_RATIONALE = "The ministry's internal audit named two commanders under investigation."
XSS_SCRIPT = "<script>window.__xss = 1</script>"
XSS_LINK = "[click me](javascript:alert(1))"


def decision(decision_id: str, region: str, relied_on: str, decided: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": decision_id,
        "kind": "handover",
        "region": region,
        "body": "jtc",
        "reference": f"JTC/{decision_id}",
        "decided": decided,
        "relied_on": relied_on,
        "positions": [{"party": "un", "position": "concur"}, {"party": "gov", "position": "concur"}],
        **extra,
    }


def mission_files(rationale: str = RATIONALE, reference: str = "JTC/port-gp") -> dict[str, Any]:
    fw = framework(
        languages=["en", "fr"],
        parties=[
            {"id": "un", "name": {"en": "UN Police", "fr": "Police des Nations Unies"}, "side": "un"},
            {"id": "gov", "name": {"en": "Ministry", "fr": "Ministère"}, "side": "host"},
        ],
        functions=[
            {"id": "general", "name": {"en": "General policing", "fr": "Police générale"}},
            {"id": "public-order", "name": {"en": "Public order", "fr": "Maintien de l'ordre"}},
        ],
        bodies=[
            {"id": "jtc", "name": {"en": "Joint Transition Committee", "fr": "Comité mixte"}, "parties": ["un", "gov"]}
        ],
        initial_primacy="un",
    )
    regions = [
        {"id": "land", "name": "Land", "category": "country"},
        *(
            {"id": rid, "name": rid.title(), "parent": "land", "tier": "urban", "population": population}
            for rid, population in POPULATION.items()
        ),
        {"id": "academy", "name": "Police Academy", "kind": "national", "tier": "urban"},
    ]
    values = {
        f"{rnd}/{rid}": {
            "A1": observation(scores[i], date=f"{d[:8]}01"),
            "B1": observation(scores[i], date=f"{d[:8]}01"),
        }
        for rid, scores in SCORES.items()
        for i, (rnd, d) in enumerate(ROUNDS)
    }
    files = project_files(values, fw=fw, rounds=ROUNDS, regions=regions)
    files["assessments/r2/port.yaml"]["sign_off"] = [
        {"party": "gov", "name": "A. Mensah", "date": "2026-06-20", "step": "self-assessment"},
        {"party": "gov", "name": "C. Diop", "date": "2026-06-24"},
        {
            "party": "un",
            "name": "B. Okafor",
            "date": "2026-06-25",
            "position": "withheld",
            "reason": "The duty rosters have not been seen.",
            "resolution": "The port command shares the rosters by 31 July.",
        },
    ]
    register = [
        decision(
            "east-all",
            "east",
            "r1",
            "2026-04-15",
            effective="2026-05-01",
            conditions=[
                {"what": "Radio network extended", "owner": "gov", "due": "2026-06-01", "status": {"r2": "met"}}
            ],
            posture={
                "text": "Monitoring and advice from the district headquarters.",
                "footprint": {"individual_officers": 10, "formed_units": 1, "colocation_teams": 2},
            },
            review="2026-12-01",
        ),
        decision(
            "west-all",
            "west",
            "r1",
            "2026-04-20",
            posture={"text": "Co-location only.", "footprint": {"individual_officers": 4, "colocation_teams": 1}},
            triggers=[{"level_below": "ready", "text": "Any fall below Ready."}],
        ),
        decision(
            "west-back",
            "west",
            "r2",
            "2026-07-05",
            kind="reversion",
            rationale="The district fell to Not ready.",
        ),
        decision(
            "port-gp",
            "port",
            "r2",
            "2026-07-10",
            functions=["general"],
            reference=reference,
            rationale=rationale,
            positions=[
                {"party": "un", "position": "reservations", "reason": "Public order is not yet ready.", "by": "HoPC"},
                {"party": "gov", "position": "concur"},
            ],
            conditions=[
                {"what": "Harbour patrol boats crewed", "owner": "gov", "due": "2026-05-15", "status": {"r2": "open"}}
            ],
            posture={
                "text": "A formed police unit stays on standby for public order.",
                "footprint": {"individual_officers": 6, "formed_units": 1, "colocation_teams": 1},
            },
        ),
        decision(
            "academy-wait",
            "academy",
            "r2",
            "2026-07-12",
            kind="deferral",
            reference=SECRET_REFERENCE,
            rationale=SECRET_RATIONALE,
            restricted=True,
        ),
    ]
    for d in register:
        files[f"handover/decisions/{d['id']}.yaml"] = d
    files["handover/mandate.yaml"] = {
        "periods": [{"id": "m-2026", "resolution": "S/RES/2900 (2026)", "start": "2026-01-01", "end": "2026-12-31"}],
        "deadlines": [
            {
                "id": "primacy",
                "what": "The host state holds primacy everywhere",
                "date": "2026-12-31",
                "set_by": "S/RES/2900",
            }
        ],
        "phases": [
            {
                "id": "p1",
                "name": "Phase 1",
                "start": "2026-06-01",
                "end": "2026-08-31",
                "strength": {"individual_officers": 100, "formed_units": 3, "colocation_teams": 10},
            },
            {
                "id": "p2",
                "name": "Phase 2",
                "start": "2026-09-01",
                "end": "2026-12-31",
                "strength": {"individual_officers": 50, "formed_units": 2, "colocation_teams": 5},
            },
        ],
    }
    return files


def view_of(root: Path, audience: str = "internal"):
    project, problems = load_project(root)
    assert not [d for d in problems if d.severity.value == "error"], problems
    if audience == "public":
        project, left_out = public_project(project)
        return build_view(project, score_project(project), audience, left_out=left_out)
    return build_view(project, score_project(project), audience)


def build(root: Path, out: Path, *extra: str) -> Path:
    result = run("build", "-p", str(root), "--out", str(out), *extra)
    assert result.exit_code == 0, result.output
    return out


def text_of(page: Path) -> str:
    """A built page's own text as a reader sees it (its article, without the navigation: tags dropped, entities
    decoded, spaces collapsed)."""
    raw = page.read_text(encoding="utf-8")
    article = re.search(r"<article\b.*?</article>", raw, re.S)
    raw = article.group(0) if article else raw
    raw = re.sub(r"<(script|style)\b.*?</\1>", " ", raw, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", raw)))


# ---------------------------------------------------------------- the page models (fast)

#: Who holds primacy as at r2's cut-off, as the register's story has it (see the module's docstring).
HEADLINE_AT_R2 = {"east": "host", "west": "host", "port": "un-joint", "academy": "un-joint"}
#: The decisions taken on r2's assessment, in the order they take effect: since the cut-off.
SINCE_R2 = ["west-back", "port-gp", "academy-wait"]


@pytest.fixture(scope="module")
def mission(tmp_path_factory) -> Path:
    return write_project(tmp_path_factory.mktemp("mission") / "project", mission_files())


def test_the_headline_counts_regions_and_population_under_each_primacy(mission):
    page = decisions_page.build(view_of(mission))
    h = page.headline
    people = sum(POPULATION.values())
    assert h.total == len(HEADLINE_AT_R2) and h.population == people
    assert h.kinds == {"territorial": len(POPULATION), "national": 1}
    assert h.without_population == 1  # the academy: counted, with no population
    for answer in ("host", "transition", "un-joint"):
        under = [rid for rid, a in HEADLINE_AT_R2.items() if a == answer]
        count = h.count(answer)
        assert count.regions == len(under), answer
        assert count.population == sum(POPULATION.get(rid, 0) for rid in under)
        assert count.share == pytest.approx(sum(POPULATION.get(rid, 0) for rid in under) / people)
    by_function = {f.function.id: f.counts for f in h.functions}
    # as at the cut-off: east and west handed over whole; port and the academy with the UN
    assert by_function["general"] == {"host": 2, "joint": 0, "un": 2}
    assert by_function["public-order"] == {"host": 2, "joint": 0, "un": 2}
    assert [d.decision.id for _, d in h.since] == SINCE_R2
    # west fell and tripped its trigger, but was taken back since the cut-off: taken back, never at risk
    assert h.at_risk == [] and [s.id for s in h.reverted] == ["west"]


def test_the_register_lists_every_decision_newest_first_with_its_conditions_at_the_latest_round(mission):
    page = decisions_page.build(view_of(mission))
    decided = [row.decision.decided for row in page.rows]
    assert decided == sorted(decided, reverse=True) and len(page.rows) == 5
    rows = {row.decision.id: row for row in page.rows}
    assert (rows["port-gp"].open, rows["port-gp"].overdue) == (1, 1)
    assert (rows["east-all"].open, rows["east-all"].overdue) == (0, 0)  # met at r2
    assert rows["port-gp"].against is not None and rows["east-all"].against is None


def test_a_deferral_is_the_only_restricted_decision_and_a_public_view_leaves_it_out(mission):
    internal, public = decisions_page.build(view_of(mission)), decisions_page.build(view_of(mission, "public"))
    assert "academy-wait" in {row.decision.id for row in internal.rows}
    assert "academy-wait" not in {row.decision.id for row in public.rows}
    assert (internal.left_out, public.left_out) == (0, 1)


def test_the_deadline_counts_the_regions_at_risk_of_missing_it_as_the_paragraph_does(mission):
    """One truth: the register's deadline line counts the situation's at-risk group, which the transition
    paragraph names, and the projected-late regions are among them."""
    from readiness.situation import MISSES

    view = view_of(mission)
    (summary,) = decisions_page.build(view).deadlines
    (groups,) = view.situation.deadlines()
    states = [view.result("r2", rid).handover for rid in HEADLINE_AT_R2]
    assert summary.total == len(HEADLINE_AT_R2)
    assert summary.missing == len(groups.at_risk)
    late = {rid for rid, s in zip(HEADLINE_AT_R2, states, strict=True) if s.deadline["status"] == "off-track"}
    assert late <= {s.id for s in groups.at_risk} and set(MISSES) >= {"late", "off-track"}
    assert 0 < summary.missing < summary.total


def test_each_phase_counts_the_strength_planned_by_the_decisions_in_effect_on_its_first_day(mission):
    page = decisions_page.build(view_of(mission))
    files = mission_files()
    postures = {
        d["region"]: (date.fromisoformat(d.get("effective", d["decided"])), d["posture"]["footprint"])
        for key, d in files.items()
        if key.startswith("handover/decisions/") and "posture" in d
    }
    for row in page.phases:
        in_effect = [fp for start, fp in postures.values() if start <= row.phase.start]
        assert row.regions == len(in_effect)
        assert row.planned == {
            k: sum(fp.get(k, 0) for fp in in_effect)
            for k in ("individual_officers", "formed_units", "colocation_teams")
        }


def test_the_region_page_names_the_decision_behind_each_function_and_a_region_without_one_only_its_primacy(mission):
    view = view_of(mission, "public")
    port = region_page.build(view, "port").handover
    assert {row.function.id: (row.primacy, row.decision and row.decision.id) for row in port.functions} == {
        "general": ("un", None),  # port-gp takes effect after the cut-off
        "public-order": ("un", None),
    }
    assert port.decisions[0].decision.id == "port-gp" and port.decisions[0].standing.status == "since"
    assert port.decisions[0].conditions[0]["overdue"]
    west = region_page.build(view, "west").handover
    assert [e.decision.id for e in west.decisions] == ["west-back", "west-all"]  # newest first
    assert west.decisions[0].standing.status == "since"
    assert west.decisions[1].standing.superseded_by.id == "west-back" and west.decisions[1].tripped == [0]
    assert west.standing.primacy == "host" and west.standing.reverted and west.standing.at_risk == []
    academy = region_page.build(view, "academy").handover
    assert academy.decisions == [] and academy.functions == [] and academy.deadline is not None


# ---------------------------------------------------------------- the built site (slow)


@pytest.fixture(scope="module")
def sites(mission, tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("sites")
    return {
        "internal": build(mission, out / "internal"),
        "public": build(mission, out / "public", "--audience", "public"),
    }


def section(text: str, start: str, end: str) -> str:
    """The text between two headings (or marks) of a page."""
    i = text.index(start)
    return text[i : text.index(end, i + len(start))]


@pytest.mark.slow
def test_the_region_page_says_who_holds_primacy_function_by_function(sites):
    port = text_of(sites["internal"] / "regions" / "port.html")
    headline = section(port, "Port", "Why this level")
    assert "UN police primacy" in headline  # primacy on the first screen, beside the level, as at the cut-off
    primacy = section(port, "Primacy and handover decisions", "Trend over rounds")
    assert "Primacy as at Jun 30, 2026 (the R2 cut-off): UN police primacy." in primacy
    assert "General policing UN police primacy before any decision" in primacy
    assert "takes effect after the cut-off, on Jul 10, 2026" in primacy  # port-gp, listed with its date
    east = text_of(sites["internal"] / "regions" / "east.html")
    assert "host-state primacy" in section(east, "East", "Why this level")
    west = text_of(sites["internal"] / "regions" / "west.html")
    functions = section(west, "Primacy and handover decisions", "Trend over rounds")
    assert "General policing host-state primacy JTC/west-all Apr 20, 2026" in functions


@pytest.mark.slow
def test_a_region_taken_back_leads_with_the_reversion_and_is_never_shown_at_risk(sites):
    page = (sites["internal"] / "regions" / "west.html").read_text(encoding="utf-8")
    notice = re.search(r'<div class="admonition danger">(.*?)</div>', page, re.S)
    assert notice is not None
    words = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", notice.group(1))))
    assert "Handover taken back" in words and "At risk" not in words
    assert (
        "taken back since the cut-off by the Joint Transition Committee's decision of Jul 5, 2026 (JTC/west-back), "
        "effective Jul 5, 2026: joint UN and host-state responsibility"
    ) in words
    assert page.index("admonition danger") < page.index("rd-headline")
    assert "rd-primacy-host" in page  # as at the cut-off the host held it; the reversion came after
    # the handover it took back is kept, marked superseded, with the trigger that tripped
    text = text_of(sites["internal"] / "regions" / "west.html")
    assert "superseded by the reversion: the Joint Transition Committee's decision of Jul 5, 2026" in text
    assert "At risk after handover" not in text_of(sites["internal"] / "index.html")


@pytest.mark.slow
def test_a_handover_against_the_assessment_shows_a_warning_with_its_rationale(sites):
    page = (sites["internal"] / "regions" / "port.html").read_text(encoding="utf-8")
    warnings = re.findall(r'<div class="admonition warning">(.*?)</div>', page, re.S)
    against = [w for w in warnings if "Decided against the assessment" in w]
    assert len(against) == 1
    words = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", against[0])))
    assert "handed over while Partially ready in R2" in words and RATIONALE in words
    assert "Decided against the assessment" not in text_of(sites["internal"] / "regions" / "east.html")


@pytest.mark.slow
def test_an_overdue_condition_is_marked_and_a_met_one_is_not(sites):
    port = (sites["internal"] / "regions" / "port.html").read_text(encoding="utf-8")
    item = re.search(r"<li>Harbour patrol boats crewed.*?</li>", port, re.S)
    assert item is not None and "<strong>overdue</strong>" in item.group(0)
    east = (sites["internal"] / "regions" / "east.html").read_text(encoding="utf-8")
    item = re.search(r"<li>Radio network extended.*?</li>", east, re.S)
    assert item is not None and "overdue" not in item.group(0) and ": met" in item.group(0)


@pytest.mark.slow
def test_the_sign_off_table_has_each_step_and_position_with_its_reason_and_resolution(sites):
    port = text_of(sites["internal"] / "evidence" / "port.html")  # the sign-off, in the region's annex
    sign_off = port[port.rindex("Step Party Name Role Date Position") :]
    assert "Self-assessment Ministry A. Mensah" in sign_off
    assert "Joint verification UN Police B. Okafor" in sign_off
    assert "withholds its signature: The duty rosters have not been seen." in sign_off
    assert "to resolve: The port command shares the rosters by 31 July." in sign_off


@pytest.mark.slow
def test_the_register_lists_decisions_newest_first_under_the_national_headline(sites):
    text = text_of(sites["internal"] / "decisions.html")
    en = Translator("en")
    people = sum(POPULATION.values())
    total = len(HEADLINE_AT_R2)
    for answer, label in (("host", "Host-state primacy"), ("transition", "In transition"), ("un-joint", "UN or joint")):
        under = [rid for rid, a in HEADLINE_AT_R2.items() if a == answer]
        share = en.percent(sum(POPULATION.get(rid, 0) for rid in under) / people)
        assert f"{len(under)} {label}" in text
        assert f"of {total} · {share} of the population" in text
    files = mission_files()
    register = sorted(
        (d for k, d in files.items() if k.startswith("handover/decisions/")), key=lambda d: d["decided"], reverse=True
    )
    table = section(text, "Newest first", "Mandate calendar")
    positions = [table.index(d["reference"]) for d in register]
    assert positions == sorted(positions)
    assert "1 open, 1 overdue" in table
    assert "taken against the assessment (Partially ready in R2)" in table
    national = section(text, "Who holds primacy", "By function")
    assert "national institutions: 1" in national and f"{people:,} people" in national


@pytest.mark.slow
def test_the_dashboard_leads_with_who_holds_primacy_before_the_levels(sites):
    page = (sites["internal"] / "index.html").read_text(encoding="utf-8")
    text = text_of(sites["internal"] / "index.html")
    assert text.index("Who holds primacy") < text.index("Readiness levels") < text.index("Benchmarks")
    first = section(text, "Who holds primacy", "Readiness levels")
    host = [rid for rid, a in HEADLINE_AT_R2.items() if a == "host"]
    share = Translator("en").percent(sum(POPULATION[r] for r in host) / sum(POPULATION.values()))
    assert f"{len(host)} Host-state primacy of {len(HEADLINE_AT_R2)} · {share} of the population" in first
    assert "At risk after handover" not in first and "Handover taken back West" in first
    assert "Decisions that took effect after the cut-off of Jun 30, 2026" in first
    assert "West: taken back (whole region) by the Joint Transition Committee's decision of Jul 5, 2026" in first
    assert "2 of 4 regions and units are at risk of missing the deadline of Dec 31, 2026" in first
    assert 'href="decisions.html"' in page
    assert '<a href="decisions.html" class="md-nav__link">' in page  # in the navigation too


@pytest.mark.slow
def test_the_french_site_writes_the_handover_in_french(sites):
    fr = sites["internal"] / "fr"
    register = text_of(fr / "decisions.html")
    for words in ("Registre des transferts", "Qui détient la primauté", "Primauté de l'État hôte", "En transition"):
        assert words in register, words
    assert "Calendrier du mandat" in register and "Phases de retrait" in register
    port = text_of(fr / "regions" / "port.html")
    assert "Primauté et décisions de transfert" in port and "Décision contraire à l'évaluation" in port
    assert "Police générale primauté de la police de l'ONU avant toute décision" in port
    # an overdue condition is on the region's page; the sign-off and its steps on its evidence page, linked from it
    evidence = text_of(fr / "evidence" / "port.html")
    assert "en retard" in port and "Auto-évaluation" in evidence
    west = text_of(fr / "regions" / "west.html")
    assert "Transfert repris" in west and "Critères de retour" in west
    assert "Primauté de l&" not in register and "\\#" not in register  # labels in HTML blocks are not escaped twice


@pytest.mark.slow
def test_a_public_build_leaves_the_restricted_decision_out_and_says_so(sites):
    internal = text_of(sites["internal"] / "decisions.html")
    assert SECRET_REFERENCE in internal and "academy-wait" in text_of(sites["internal"] / "regions" / "academy.html")
    for page in sites["public"].rglob("*"):
        if page.is_file() and page.suffix in (".html", ".json", ".csv", ".js", ".xml", ".txt"):
            text = page.read_text(encoding="utf-8", errors="replace")
            for secret in (SECRET_REFERENCE, SECRET_RATIONALE, "internal audit", "academy-wait"):
                assert secret not in text, (page, secret)
    register = text_of(sites["public"] / "decisions.html")
    assert "handover decisions: 1" in register  # the banner
    assert "Decisions marked restricted, left out of this public edition: 1." in register
    academy = text_of(sites["public"] / "regions" / "academy.html")
    assert "No handover decision concerns this region or unit yet." in academy


@pytest.mark.slow
def test_hostile_text_in_a_decision_is_shown_as_text(tmp_path):
    hostile = f"Because {XSS_SCRIPT} and {XSS_LINK}"
    files = mission_files(rationale=hostile, reference=f"REF {XSS_SCRIPT}")
    files["handover/decisions/port-gp.yaml"]["conditions"][0]["what"] = f"Boats {XSS_LINK}"
    files["handover/decisions/port-gp.yaml"]["posture"]["text"] = f"Standby {XSS_SCRIPT}"
    site = build(write_project(tmp_path / "p", files), tmp_path / "site")
    from readiness.safety import scan_html

    for name in ("regions/port.html", "decisions.html", "index.html", "fr/regions/port.html", "fr/decisions.html"):
        page = (site / name).read_text(encoding="utf-8")
        assert "<script>window.__xss" not in page, name
        assert 'href="javascript:' not in page.lower(), name
        assert not scan_html(page), name
    port = text_of(site / "regions" / "port.html")
    assert XSS_SCRIPT in port and XSS_LINK in port  # shown as written, as text
    assert f"REF {XSS_SCRIPT}" in text_of(site / "decisions.html")


# ---------------------------------------------------------------- without functions, without a register (fast)


def test_a_framework_without_functions_hands_over_whole_regions(tmp_path):
    fw = framework(
        parties=[{"id": "un", "name": "UN Police", "side": "un"}, {"id": "gov", "name": "Ministry", "side": "host"}],
        bodies=[{"id": "jtc", "name": "Joint committee", "parties": ["un", "gov"]}],
    )
    files = project_files({"r1/north": {"A1": 90, "B1": 90}}, fw=fw)
    files["handover/decisions/north.yaml"] = decision("north", "north", "r1", "2026-04-10")
    view = view_of(write_project(tmp_path / "p", files))
    section_ = region_page.build(view, "north").handover
    # decided on R1's assessment, after its cut-off: as at the cut-off, the initial primacy; the decision is since
    assert section_.standing.primacy == "un" and section_.functions == []
    assert [d.status for d in section_.standing.decisions] == ["since"]
    assert decisions_page.build(view).headline.functions == []
    from readiness.render import Renderer

    site = Renderer(view).render()
    assert "**Primacy** as at Mar 31, 2026 (the R1 cut-off): UN police primacy." in site.pages["regions/north.md"]
    whole = Translator("en")("handover.whole")
    assert (
        f"| [North](regions/north.md) | Handover: {whole} | Joint committee | JTC/north |" in site.pages["decisions.md"]
    )


def test_a_project_without_a_register_has_no_register_page_and_no_primacy_headline(tmp_path):
    view = view_of(write_project(tmp_path / "p", project_files({"r1/north": {"A1": 90, "B1": 90}})))
    from readiness.render import Renderer

    site = Renderer(view).render()
    assert "decisions.md" not in site.pages
    assert "decisions.md" not in str(site.nav)
    assert "Who holds primacy" not in site.pages["index.md"]


def test_the_methodology_says_in_the_rounds_figures_why_the_roll_up_is_not_the_headline(mission):
    from readiness.pages import methodology
    from readiness.render import Renderer

    view = view_of(mission)
    (note,) = methodology.build(view).roll_ups
    assert note.region.id == "land" and note.round.id == "r2"
    # the land's score is the population-weighted mean of its districts (east 90 x 3000, west 30 x 1000,
    # port 60 x 2000); the academy has no population and is not rolled up
    assert note.score == 70
    levels = {r.region: r.level for r in view.results.for_round("r2") if r.assessed}
    below = [rid for rid, level in levels.items() if level not in ("ready", "sustained")]
    assert (note.below, note.total) == (len(below), 4) and len(below) >= 2
    page = Renderer(view).render().pages["methodology.md"]
    assert (
        f"In R2, the rolled-up score of Land is 70, above the 70 that Ready needs, while {len(below)} of the 4 "
        "assessed districts and units are below Ready"
    ) in page
