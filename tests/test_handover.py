"""The handover register read with the results: each state transition a region goes through (ready, handed
over, sustained; handed over, at risk, reverted; conditional, condition overdue), primacy by function,
decisions against the assessment, the mandate deadline, and what `check` says of them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from readiness.checks import check_project
from readiness.project import load_project
from readiness.scoring import score_project
from readiness.uncertainty import analyse, zero_variation
from tests.conftest import framework, observation, project_files, run, write_project

ROUNDS = [("r1", "2025-03-31"), ("r2", "2025-06-30"), ("r3", "2025-09-30"), ("r4", "2025-12-31")]
STABILITY = {"rounds": 2, "applies_to": "ready", "cap_at": "partially-ready", "sustained_level": "sustained"}


def register_framework(**changes: Any) -> dict[str, Any]:
    settings: dict[str, Any] = {
        "parties": [{"id": "un", "name": "UN Police", "side": "un"}, {"id": "gov", "name": "Ministry", "side": "host"}],
        "functions": [{"id": "policing", "name": "General policing"}, {"id": "order", "name": "Public order"}],
        "bodies": [{"id": "jtc", "name": "Joint Transition Committee", "parties": ["un", "gov"]}],
        "initial_primacy": "joint",
        "partial_handover_level": "partially-ready",
        "gates": {"stability": dict(STABILITY)},
    }
    return framework(**{**settings, **changes})


def decision(did: str, relied_on: str, decided: str, kind: str = "handover", **extra: Any) -> dict[str, Any]:
    return {
        "id": did,
        "kind": kind,
        "region": "north",
        "body": "jtc",
        "reference": f"JTC/{did}",
        "decided": decided,
        "relied_on": relied_on,
        "rationale": "Agreed by the committee.",
        "positions": [{"party": "un", "position": "concur"}, {"party": "gov", "position": "concur"}],
        **extra,
    }


def project(
    tmp_path: Path,
    values: dict[str, int],
    decisions: list[dict[str, Any]],
    mandate: dict[str, Any] | None = None,
    **fw: Any,
) -> Path:
    """One region, north, with both indicators at `values[round]` in each round (dated in the round)."""
    dates = dict(ROUNDS)
    data = {
        f"{rnd}/north": {
            "A1": observation(v, date=dates[rnd][:8] + "01"),
            "B1": observation(v, date=dates[rnd][:8] + "01"),
        }
        for rnd, v in values.items()
    }
    files = project_files(data, fw=register_framework(**fw), rounds=[r for r in ROUNDS if r[0] in values])
    for d in decisions:
        files[f"handover/decisions/{d['id']}.yaml"] = d
    if mandate is not None:
        files["handover/mandate.yaml"] = mandate
    return write_project(tmp_path / "p", files)


def scored(root: Path, *, errors_ok: bool = False):
    loaded, problems = load_project(root)
    found = problems + check_project(loaded)
    if not errors_ok:
        assert [d for d in found if d.severity.value == "error"] == [], found
    return loaded, score_project(loaded), found


def states(results: Any) -> dict[str, Any]:
    return {rnd: results.get(rnd, "north") for rnd in results.rounds}


# ---------------------------------------------------------------- ready -> handed over -> sustained


def test_ready_then_handed_over_then_sustained(tmp_path):
    root = project(tmp_path, {"r1": 90, "r2": 91, "r3": 92, "r4": 92}, [decision("h1", "r1", "2025-04-15")])
    _, results, _ = scored(root)
    r = states(results)
    assert [r[k].level for k in ("r1", "r2", "r3", "r4")] == ["ready", "ready", "sustained", "sustained"]
    # as at r1's cut-off the decision taken on r1's assessment is not yet in effect: it is "since the cut-off"
    assert r["r1"].handover.primacy == "joint" and r["r1"].handover.taken == r["r1"].handover.since == ["h1"]
    assert r["r1"].handover.handed_over is None
    assert r["r2"].handover.primacy == "host" and r["r2"].handover.decisions == ["h1"] and r["r2"].handover.since == []
    assert r["r2"].handover.handed_over == {"decision": "h1", "round": "r1", "level": "ready"}
    sustained = next(g for g in r["r3"].gates if g.gate == "stability")
    assert sustained.details["handover"] == "h1" and sustained.details["rounds"] == ["r2"]


def test_ready_without_a_handover_is_never_sustained(tmp_path):
    root = project(tmp_path, {"r1": 90, "r2": 91, "r3": 92, "r4": 92}, [])
    _, results, _ = scored(root)
    assert {r.level for r in states(results).values()} == {"ready"}
    assert {r.handover.primacy for r in states(results).values()} == {"joint"}


def test_sustained_without_the_register_when_the_framework_says_so(tmp_path):
    gates = {"stability": {**STABILITY, "after_handover": False}}
    root = project(tmp_path, {"r1": 90, "r2": 91, "r3": 92}, [], gates=gates)
    _, results, _ = scored(root)
    assert [r.level for r in states(results).values()] == ["ready", "ready", "sustained"]


def test_the_monte_carlo_sustains_as_the_engine_does(tmp_path):
    root = project(tmp_path, {"r1": 90, "r2": 91, "r3": 92}, [decision("h1", "r1", "2025-04-15")])
    loaded, results, _ = scored(root)
    spec = zero_variation(loaded.framework.uncertainty)
    for rnd in results.rounds:
        analysis = analyse(loaded, results, rnd, samples=6, spec=spec, sensitivity=False)
        assert analysis.regions["north"].probabilities == {results.get(rnd, "north").computed_level: 1.0}, rnd


# ---------------------------------------------------------------- handed over -> at risk -> reverted


def test_handed_over_then_at_risk_then_reverted(tmp_path):
    triggers = [{"level_below": "partially-ready"}, {"indicator": "A1", "level_below": "ready"}]
    decisions = [
        decision("h1", "r1", "2025-04-15", triggers=triggers),
        decision("back", "r2", "2025-07-20", kind="reversion", rationale="Below the level it was handed over at."),
    ]
    root = project(tmp_path, {"r1": 90, "r2": 60, "r3": 62}, decisions)
    _, results, found = scored(root)
    r = states(results)
    assert r["r1"].handover.at_risk == []
    risks = r["r2"].handover.at_risk
    assert {"kind": "fell", "decision": "h1", "from": "ready", "to": "partially-ready"} in risks
    tripped = [x for x in risks if x["kind"] == "trigger"]
    assert [(x["trigger"], x["indicator"]) for x in tripped] == [(1, "A1")]  # the region is not below partially
    # the reversion is taken on r2's assessment, after its cut-off: as at the cut-off the host still held it
    assert r["r2"].handover.reverted_by == "back" and r["r2"].handover.primacy == "host"
    assert r["r2"].handover.since == ["back"]
    assert r["r3"].handover.at_risk == [] and r["r3"].handover.primacy == "joint"
    # decided: check says nothing more (H009 only while the body has not decided)
    assert not [d for d in found if d.code == "H009"]


def test_check_warns_of_a_region_at_risk_until_the_body_decides(tmp_path):
    root = project(tmp_path, {"r1": 90, "r2": 60}, [decision("h1", "r1", "2025-04-15")])
    result = run("check", "-p", str(root), "--format", "json")
    report = json.loads(result.output)
    risks = [d for d in report["diagnostics"] if d["code"] == "H009"]
    assert len(risks) == 1 and risks[0]["file"] == "handover/decisions/h1.yaml", report
    assert "handed over at ready" in risks[0]["message"] and "partially-ready in r2" in risks[0]["message"]
    assert result.exit_code == 0  # a warning
    assert run("check", "-p", str(root), "--strict").exit_code == 1


# ---------------------------------------------------------------- conditional -> condition overdue


@pytest.mark.parametrize(("status", "overdue"), [({"r1": "open"}, True), ({"r1": "open", "r2": "met"}, False)])
def test_a_condition_is_overdue_after_its_date_until_it_is_met(tmp_path, status, overdue):
    conditions = [{"what": "Platoon trained", "owner": "gov", "due": "2025-05-31", "status": status}]
    root = project(tmp_path, {"r1": 90, "r2": 91}, [decision("h1", "r1", "2025-04-15", conditions=conditions)])
    _, results, found = scored(root)
    r1, r2 = results.get("r1", "north").handover, results.get("r2", "north").handover
    assert r1.conditions == []  # as at r1's cut-off the decision taken on its assessment is not yet in effect
    assert r2.conditions[0]["decision"] == "h1" and r2.conditions[0]["due"] == "2025-05-31"
    assert r2.conditions[0]["overdue"] is overdue
    assert r2.conditions[0]["status"] == ("open" if overdue else "met")
    assert bool([d for d in found if d.code == "H006"]) is overdue  # due before today, still open


# ---------------------------------------------------------------- functions, divergence


def test_a_handover_of_some_functions_leaves_the_others_joint(tmp_path):
    root = project(tmp_path, {"r1": 60, "r2": 62}, [decision("h1", "r1", "2025-04-15", functions=["policing"])])
    _, results, _ = scored(root)
    h = results.get("r2", "north").handover
    assert h.functions == {"policing": "host", "order": "joint"}
    assert (h.primacy, h.headline) == ("mixed", "transition")
    assert h.against == []  # partially ready is enough for some functions
    assert results.get("r2", "north").level == "partially-ready"  # primacy does not change the level


@pytest.mark.parametrize(
    ("values", "made", "kind"),
    [
        ({"r1": 60, "r2": 62}, decision("h1", "r1", "2025-04-15"), "handover"),  # the whole region while partially
        ({"r1": 90, "r2": 91}, decision("d1", "r1", "2025-04-15", kind="deferral"), "deferral"),  # held back, ready
    ],
)
def test_a_decision_against_the_assessment_is_recorded_with_its_level(tmp_path, values, made, kind):
    root = project(tmp_path, values, [made])
    _, results, _ = scored(root)
    level = results.get("r1", "north").level
    assert results.get("r1", "north").handover.against == [{"decision": made["id"], "kind": kind, "level": level}]
    assert results.get("r2", "north").handover.against == []  # recorded on the round it relied on


def test_a_decision_against_the_assessment_needs_its_rationale(tmp_path):
    made = decision("h1", "r1", "2025-04-15")
    del made["rationale"]
    root = project(tmp_path, {"r1": 60}, [made])
    _, _, found = scored(root, errors_ok=True)
    assert [(d.code, d.file) for d in found if d.severity.value == "error"] == [("H010", "handover/decisions/h1.yaml")]


# ---------------------------------------------------------------- the mandate deadline


def mandate(deadline: str) -> dict[str, Any]:
    return {
        "deadlines": [
            {"id": "council", "what": "Primacy everywhere", "date": deadline, "set_by": "A resolution (fictional)"}
        ]
    }


@pytest.mark.parametrize(
    ("values", "deadline", "status", "projected"),
    [
        # +5 a round from 65: 70 (ready's cut-off) projected one round after r3, 2025-12-30
        ({"r1": 55, "r2": 60, "r3": 65}, "2026-03-31", "on-track", "2025-12-30"),
        ({"r1": 55, "r2": 60, "r3": 65}, "2025-12-01", "late", "2025-12-30"),
        ({"r1": 65, "r2": 60, "r3": 55}, "2026-03-31", "off-track", None),
        ({"r1": 90, "r2": 91, "r3": 92}, "2026-03-31", "ready", None),
    ],
)
def test_the_deadline_projection(tmp_path, values, deadline, status, projected):
    root = project(tmp_path, values, [], mandate=mandate(deadline))
    _, results, _ = scored(root)
    r3 = results.get("r3", "north")
    assert r3.handover.deadline == {
        "deadline": "council",
        "date": deadline,
        "status": status,
        "projected_date": projected,
    }, r3.projection


def test_a_region_handed_over_before_the_deadline_meets_it(tmp_path):
    root = project(tmp_path, {"r1": 90, "r2": 91}, [decision("h1", "r1", "2025-04-15")], mandate=mandate("2026-06-30"))
    _, results, _ = scored(root)
    assert results.get("r2", "north").handover.deadline["status"] == "handed-over"


def test_explain_tells_the_handover_in_french(tmp_path):
    conditions = [{"what": "Peloton formé", "owner": "gov", "due": "2025-05-31", "status": {"r1": "open"}}]
    root = project(tmp_path, {"r1": 90, "r2": 60}, [decision("h1", "r1", "2025-04-15", conditions=conditions)])
    out = run("explain", "north", "-p", str(root), "--lang", "fr").output
    assert "responsabilité principale\u00a0: primauté de l'État hôte" in out
    assert "À RISQUE après le transfert\u00a0: transféré au niveau ready (h1), désormais partially ready" in out
    assert "Transfert (toute la région), décidé par Joint Transition Committee le 15 avr. 2025 (JTC/h1)" in out
    assert "Peloton formé (responsable\u00a0: Ministry\u202f; échéance 31 mai 2025)\u00a0: en cours, en retard" in out


def test_conditions_of_a_reversed_handover_no_longer_wait_and_a_deferral_s_do(tmp_path):
    late = [{"what": "Platoon trained", "owner": "gov", "due": "2025-05-31", "status": {"r1": "open"}}]
    review = [{"what": "Cost sheet reviewed", "owner": "gov", "due": "2025-08-31", "status": {"r2": "open"}}]
    decisions = [
        decision("h1", "r1", "2025-04-15", conditions=late),
        decision("back", "r2", "2025-07-20", kind="reversion"),
        decision("wait", "r2", "2025-07-21", kind="deferral", conditions=review),
    ]
    root = project(tmp_path, {"r1": 90, "r2": 60}, decisions)
    _, results, found = scored(root)
    r2 = results.get("r2", "north").handover
    # as at r2's cut-off the reversion and the deferral (taken on r2's assessment) are not yet in effect
    assert [c["decision"] for c in r2.conditions] == ["h1"] and r2.since == ["back", "wait"]
    overdue = [d.message for d in found if d.code == "H006"]
    assert len(overdue) == 1 and "decision wait" in overdue[0]
