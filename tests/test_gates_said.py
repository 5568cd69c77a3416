"""A gate owns what its effect says (issue 25): the shape of its details, the items it names as holding a
region back, its words in the console's table and its sentence in the explainer. Every reader looks the gate
up in `GATES`, so a new gate is one module (and its name in each language's catalogue, `gate.<key>`): added here
as a mission would add it, it is counted as a blocker, named in the console and the explanation, and described in
results.json's schema, with no other module changed."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from typing_extensions import TypedDict

from readiness.console import why
from readiness.explain import Explainer
from readiness.i18n import catalogue
from readiness.project import load_project
from readiness.scoring import score_project
from readiness.scoring.contract import gate_details_schemas, results_schema
from readiness.scoring.gates import GATES, Gate, Held, details
from readiness.scoring.results import GateEffect, results_dict
from readiness.situation import Blocker, situation_of

EXAMPLE = Path(__file__).resolve().parent.parent


@details
class CurfewDetails(TypedDict):
    districts: list[str]
    """The neighbouring districts under curfew."""


class Curfew(Gate):
    """A gate a mission might add: no handover while a neighbouring district is under curfew."""

    key = "curfew"
    Details = CurfewDetails

    def holding(self, details: Mapping[str, Any], rank: Mapping[str, int]) -> list[Held]:
        return [Held(d) for d in details["districts"]]

    def brief(self, effect: GateEffect, tr: Any, labels: Mapping[str, str]) -> str:
        return ", ".join(effect.details["districts"])

    def reason(self, effect: GateEffect, ex: Any) -> Any:
        return "curfew in " + ", ".join(str(ex.region_name(d)) for d in effect.details["districts"])


@pytest.fixture(scope="module")
def example():
    project, _ = load_project(EXAMPLE)
    return project, score_project(project)


def test_every_gate_in_results_is_described_by_the_schema_its_module_declares(example):
    project, results = example
    schemas = gate_details_schemas()
    assert set(schemas) == set(GATES)
    seen = {g.gate for r in results.regions.values() for g in r.gates}
    assert seen <= set(GATES), seen - set(GATES)
    # results.json's schema describes each gate's details by the schema generated from its module
    found: dict[str, Any] = {}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            gate = node.get("properties", {}).get("gate", {})
            if isinstance(gate, dict) and "const" in gate:
                found[gate["const"]] = node["properties"]["details"]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(results_schema())
    assert found == schemas


def test_a_new_gate_is_one_module_and_every_reader_says_it(example, monkeypatch):
    project, results = example
    monkeypatch.setitem(GATES, "curfew", Curfew())
    monkeypatch.setitem(catalogue("en"), "gate.curfew", "Curfew")
    rank = project.level_rank
    handover = project.framework.handover_level
    round_id = results.rounds[-1]
    r = next(
        r for r in results.for_round(round_id) if r.assessed and rank[r.level] < rank[handover] and r.region != "kessa"
    )
    lowest = min(project.level_rank, key=rank.__getitem__)
    neighbour = next(reg for reg in project.regions if reg != r.region)
    r.gates.append(GateEffect("curfew", lowest, {"districts": [neighbour]}))
    try:
        situation = situation_of(project, results, round_id)
        assert Blocker("curfew", neighbour) in situation.blockers(r)
        assert neighbour in why(r, "en")
        ex = Explainer(project, "en", markup=False)
        assert f"curfew in {ex.region_name(neighbour)}" in str(ex.region(r))
        assert gate_details_schemas()["curfew"]["required"] == ["districts"]
        assert gate_details_schemas()["curfew"]["properties"]["districts"]["description"] == (
            "The neighbouring districts under curfew."
        )
        assert results_dict(results)["results"]  # the new effect is written like any other
    finally:
        r.gates.pop()


def test_an_unknown_gate_in_an_older_results_file_is_named_not_dropped(example):
    """A gate no module declares (results written by a later version) still counts as holding the region back,
    as a whole, and is said by its key."""
    project, results = example
    rank = project.level_rank
    round_id = results.rounds[-1]
    r = next(
        r for r in results.for_round(round_id) if r.assessed and rank[r.level] < rank[project.framework.handover_level]
    )
    lowest = min(project.level_rank, key=rank.__getitem__)
    r.gates.append(GateEffect("unheard_of", lowest, {"x": 1}))
    try:
        assert Blocker("unheard_of") in situation_of(project, results, round_id).blockers(r)
        assert "unheard_of" in why(r, "en")
        assert "unheard_of" in str(Explainer(project, "en", markup=False).region(r))
    finally:
        r.gates.pop()
