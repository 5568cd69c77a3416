"""results.json as types: the one contract between scoring and every reader of the file.

The JSON Schema published for downstream readers (`schemas/results.schema.json`) is generated from these
TypedDicts by `results_schema`; the one serialiser (`results.py`, `_Plainer`) is held to it by the tests (every
results.json the tool writes is validated against the schema) and `read_results` reads a file back into the
typed results it was written from (a round trip to the same bytes). A gate's details and a
path step's detail have one shape per gate or kind: the gate's own module declares its details
(`Gate.Details`, scoring/gates/), `STEP_DETAILS` here the steps'. Numbers written from exact decimals are JSON
numbers (`float` here: an integer is a number too).
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any, Literal, NotRequired

from pydantic import ConfigDict, with_config
from typing_extensions import TypedDict

from .results import SCHEMA_VERSION, LeftOut

#: Each key of the schema is described by the docstring written under it.
described = with_config(ConfigDict(use_attribute_docstrings=True))

Status = Literal["value", "not-collected", "not-applicable", "missing", "pending", "invalid"]


@described
class IndicatorJSON(TypedDict):
    """One indicator in one region and round: value, score, level and why."""

    indicator: str
    status: Status
    raw: float | bool | None
    reason: str
    score: float | None
    capped_score: float | None
    level: str | None
    uncapped_level: str | None
    capped_by: list[str]
    at_risk_from: list[str]
    margin: float | None
    within_margin: bool
    tier_used: str
    target: float | None
    weight: float
    share: float
    contribution: float | None
    current: bool
    latest_evidence: str | None
    evidence_age_days: int | None
    source_types: list[str]
    critical: bool
    amended: bool


@described
class PillarJSON(TypedDict):
    pillar: str
    coverage: float
    aggregation: str
    score_full: float | None
    score: float | None


@described
class GateJSON(TypedDict):
    """A gate that lowered (or set) the level; its details have the shape its module declares."""

    gate: str
    allows: str
    details: dict[str, Any]


@described
class BecauseOf(TypedDict):
    because_of: NotRequired[list[str]]
    """The prerequisites a value waits on (raise, lower) or that put it at risk (at_risk)."""


@described
class AtRiskDetail(TypedDict):
    because_of: list[str]


@described
class CollectDetail(TypedDict):
    reason: NotRequired[str]
    """Why the value was not collected, in the team's words."""


@described
class CappedDetail(TypedDict):
    by: list[str]


@described
class SourcesDetail(TypedDict):
    has: list[str]
    count: int


@described
class SignOffDetail(TypedDict):
    position: NotRequired[str]
    reason: NotRequired[str]
    resolution: NotRequired[str]


#: The detail of a path step, by its kind.
STEP_DETAILS: dict[str, Any] = {
    "raise": BecauseOf,
    "lower": BecauseOf,
    "at_risk": AtRiskDetail,
    "collect": CollectDetail,
    "capped": CappedDetail,
    "sources": SourcesDetail,
    "sign_off": SignOffDetail,
}


@described
class StepJSON(TypedDict):
    """One thing that must change for the region to reach the handover level; its detail has the shape of its
    kind (`STEP_DETAILS`)."""

    kind: str
    subject: str
    current: float | bool | None
    target: float | None
    critical: bool
    detail: dict[str, Any]


@described
class Reached(TypedDict):
    status: Literal["reached"]


@described
class Unknown(TypedDict):
    status: Literal["unknown"]
    why: Literal["no-score", "one-round"]


@described
class ScoreReached(TypedDict):
    status: Literal["score-reached"]
    pace: float


@described
class NotConverging(TypedDict):
    status: Literal["not converging"]
    pace: float
    held_by: NotRequired[str]
    """The critical indicator that does not move."""


@described
class Converging(TypedDict):
    status: Literal["converging"]
    pace: float
    rounds_needed: int
    projected_date: str
    paced_by: NotRequired[str]
    """The critical indicator slower than the score, which sets the pace."""


Projection = Reached | Unknown | ScoreReached | NotConverging | Converging


@described
class OverrideJSON(TypedDict):
    level: str
    computed_level: str
    approved_by: str
    expires: str
    rationale: str | None
    body: str | None
    reference: str


@described
class HandedOver(TypedDict):
    decision: str
    round: str
    level: str


# "from" is a Python keyword: the functional form
Fell = TypedDict("Fell", {"kind": Literal["fell"], "decision": str, "from": str, "to": str})


@described
class Tripped(TypedDict):
    kind: Literal["trigger"]
    decision: str
    trigger: int
    level_below: str | None
    indicator: str | None


@described
class ConditionJSON(TypedDict):
    decision: str
    index: int
    status: Literal["open", "met", "not-met", "waived"]
    due: datetime.date | None
    overdue: bool
    reference: str
    verified_by: list[str]
    waived_by: str | None
    date: datetime.date | None


@described
class AgainstJSON(TypedDict):
    decision: str
    kind: Literal["handover", "reversion", "deferral"]
    level: str


@described
class DeadlineJSON(TypedDict):
    deadline: str
    date: datetime.date
    status: Literal["handed-over", "ready", "on-track", "late", "held-back", "off-track", "unknown"]
    projected_date: datetime.date | None


@described
class FootprintJSON(TypedDict):
    individual_officers: int
    formed_units: int
    colocation_teams: int


Primacy = Literal["un", "joint", "host"]


@described
class HandoverJSON(TypedDict):
    """Who holds primary responsibility as at the round's cut-off, and what the handover register says."""

    primacy: Literal["un", "joint", "host", "mixed"]
    headline: Literal["host", "transition", "un-joint"]
    functions: dict[str, Primacy]
    decisions: list[str]
    taken: list[str]
    since: list[str]
    handed_over: HandedOver | None
    at_risk: list[Fell | Tripped]
    reverted_by: str | None
    conditions: list[ConditionJSON]
    against: list[AgainstJSON]
    deadline: DeadlineJSON | None
    footprint: FootprintJSON | None


@described
class FunctionJSON(TypedDict):
    function: str
    level: str
    score_level: str | None
    computed_level: str
    coverage: float
    criteria: list[str]
    gates: list[GateJSON]
    score_full: float | None
    score: float | None


@described
class EntryJSON(TypedDict):
    """A region in a round: the overall score, the level, and everything that explains them."""

    region: str
    round: str
    assessed: bool
    level: str
    score_level: str | None
    computed_level: str
    coverage: float
    pillars: dict[str, PillarJSON]
    indicators: dict[str, IndicatorJSON]
    gates: list[GateJSON]
    override: OverrideJSON | None
    change: float | None
    previous_level: str | None
    level_change: Literal["", "up", "down", "same"]
    regression: bool
    projection: Projection | None
    path: list[StepJSON]
    children: list[str]
    handover: HandoverJSON | None
    functions: dict[str, FunctionJSON]
    score_full: float | None
    score: float | None


@described
class ResultsJSON(TypedDict):
    """Every region in every round, with the provenance of every number."""

    schema_version: int
    framework: str
    rounds: list[str]
    levels: list[str]
    handover_level: str
    provisional_rounds: NotRequired[list[str]]
    results: list[EntryJSON]
    audience: NotRequired[Literal["public"]]
    left_out: NotRequired[dict[str, int]]


# ---------------------------------------------------------------- the schema, generated


def gate_details_schemas() -> dict[str, Any]:
    """The JSON Schema of each gate's `details`, by gate key, generated from the TypedDict the gate's module
    declares (`Gate.Details`): a gate owns the shape of what it reports."""
    from .gates import GATES

    return {key: _schema(gate.Details) for key, gate in GATES.items()}


def results_schema() -> dict[str, Any]:
    """The JSON Schema of results.json (schemas/results.schema.json), generated from `ResultsJSON`: a gate entry
    is one variant per gate (its key and the details its module declares), a path step one per kind, the
    left-out counts one integer per field of `LeftOut`. A test holds every results.json the tool writes to it."""
    gates = {
        "oneOf": [
            _closed_object({"gate": {"const": key}, "allows": {"type": "string"}, "details": details})
            for key, details in gate_details_schemas().items()
        ]
    }
    step = _schema(StepJSON)
    steps = {
        "oneOf": [
            {**step, "properties": {**step["properties"], "kind": {"const": kind}, "detail": _schema(detail)}}
            for kind, detail in STEP_DETAILS.items()
        ]
    }
    schema = _schema(ResultsJSON, {"GateJSON": gates, "StepJSON": steps})
    schema["properties"]["schema_version"] = {"const": SCHEMA_VERSION}
    schema["properties"]["left_out"] = _closed_object(
        {f.name: {"type": "integer"} for f in dataclasses.fields(LeftOut)}
    )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "results.schema.json",
        "title": "readiness results.json",
        **{k: v for k, v in schema.items() if k != "description"},
        "description": f"Every region in every round, with the provenance of every number (schema version "
        f"{SCHEMA_VERSION}).",
    }


def _closed_object(properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": list(properties), "additionalProperties": False}


def _schema(kind: Any, replaced: dict[str, Any] | None = None) -> dict[str, Any]:
    """The schema pydantic generates for a type, written as results.schema.json writes it: references to its
    `$defs` written in place (those named in `replaced` by the schema given), no titles, every object closed to
    properties it does not name, each key described by the docstring under it."""
    from pydantic import TypeAdapter

    generated = TypeAdapter(kind).json_schema()
    defs, replaced = generated.get("$defs", {}), replaced or {}

    def walk(node: Any) -> Any:
        if isinstance(node, list):
            return [walk(n) for n in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[-1]
            return replaced[name] if name in replaced else walk(defs[name])
        out = {k: walk(v) for k, v in node.items() if k not in ("title", "$defs")}
        if "properties" in out:
            out["additionalProperties"] = False
        return out

    return walk(generated)
