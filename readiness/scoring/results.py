"""Results: plain data for every region in every round, with the provenance of every number.

These dataclasses are the contract between scoring and everything downstream (the site, exports,
`results.json`). They hold no behaviour beyond turning themselves into JSON-ready dictionaries.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..errors import Refusal

#: 2: gate effects and path steps carry typed details instead of English sentences (`reason` and `action` are
#: gone; a path step's `kind` is what the step asks for); an indicator's `reason` is only the team's own text.
#: 3: every entry carries `handover` (primacy per function, decisions, at risk after handover, conditions,
#: decisions against the assessment, the mandate deadline, the planned footprint); the sign-off gate's
#: details and sign-off steps carry each party's position; the sustained gate names the handover.
SCHEMA_VERSION = 6


@dataclass(slots=True)
class IndicatorResult:
    """One indicator in one region and round: value, score, level and why."""

    indicator: str
    status: str  # "value", "not-collected", "not-applicable", "missing", "pending", "invalid"
    raw: Decimal | bool | None = None
    reason: str = ""
    """The team's own words: why it was not collected or does not apply."""
    score: float | None = None
    """Normalised score at full precision, before any prerequisite cap."""
    capped_score: float | None = None
    """The score that enters the aggregate (equal to `score` unless a prerequisite capped it)."""
    level: str | None = None
    """Level after prerequisite caps."""
    uncapped_level: str | None = None
    capped_by: list[str] = field(default_factory=list)
    at_risk_from: list[str] = field(default_factory=list)
    """Causal prerequisites below their level: they may explain a low value, and put a good one at risk."""
    margin: float | None = None
    """A survey percentage's 95% margin of error, in percentage points (`scoring/margin.py`)."""
    within_margin: bool = False
    """The value reaches the cut-off of its level by less than its margin."""
    tier_used: str = ""
    target: Decimal | None = None
    """The value needed for the handover level under this region's thresholds."""
    weight: Decimal = Decimal(1)
    share: float = 0.0
    """Weight as a share of its pillar's weight with data."""
    contribution: float | None = None
    """Points this indicator adds to its pillar's score (arithmetic pillars only)."""
    current: bool = False
    latest_evidence: str | None = None
    evidence_age_days: int | None = None
    source_types: list[str] = field(default_factory=list)
    critical: bool = False
    amended: bool = False
    """The value was changed by an amendment after its round was sealed (the round's `amendments`)."""


@dataclass(slots=True)
class PillarResult:
    pillar: str
    score: float | None
    rounded: Decimal | None
    coverage: float
    """Share (0-1) of the pillar's weight with current data."""
    aggregation: str


@dataclass(slots=True)
class GateEffect:
    """A gate that lowered (or set) the region's level, with the numbers that made it bite. `details` has a fixed
    shape per gate (see schemas/results.schema.json); `readiness.explain` turns it into sentences."""

    gate: str
    allows: str
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class FunctionLevel:
    """One policing function of an assessed region in a round, judged on its own criteria: the indicators that
    name the function and those that name none (`Indicator.functions`), aggregated over the same pillar tree and
    passed through the same gates as the region (a leadership override sets the region's level, not a
    function's). A functional handover relies on the level of the functions it hands over."""

    function: str
    level: str
    score: float | None
    rounded: Decimal | None
    score_level: str | None
    computed_level: str
    """The level after every gate (the same as `level`: no override applies to a function)."""
    coverage: float
    criteria: list[str] = field(default_factory=list)
    """The indicators the function is judged on, in the framework's order."""
    gates: list[GateEffect] = field(default_factory=list)


@dataclass(slots=True)
class HandoverStep:
    """One thing that must change for the region to reach the handover level: what (`kind`: raise, lower,
    collect, capped, sources, sign_off) and of what (`subject`: an indicator or a party)."""

    kind: str
    subject: str
    current: Decimal | bool | None = None
    target: Decimal | None = None
    critical: bool = False
    detail: dict[str, Any] = field(default_factory=dict)
    """What else the step says: the reason a value was not collected (collect), the prerequisites that cap it
    (capped), the source types there are and how many are needed (sources)."""

    @property
    def key(self) -> tuple[str, str]:
        return self.kind, self.subject


@dataclass(slots=True)
class HandoverState:
    """Who holds primary responsibility for a region as at a round's cut-off, and what the handover register
    says of it at that round: plain data with stable keys (see schemas/results.schema.json), written into
    sentences by `readiness.explain`."""

    primacy: str
    """`un`, `joint` or `host` for every function alike, `mixed` otherwise."""
    functions: dict[str, str] = field(default_factory=dict)
    """Primacy per function (empty when the framework declares no functions)."""
    decisions: list[str] = field(default_factory=list)
    """The region's decisions in effect as at this round's cut-off, in the order they took effect."""
    taken: list[str] = field(default_factory=list)
    """Those taken on this round's assessment (relied on this round; they take effect after its cut-off)."""
    since: list[str] = field(default_factory=list)
    """The region's decisions that took effect after this round's cut-off and by the next round's (any later
    one, for the last round): what happened since the cut-off."""
    handed_over: dict[str, Any] | None = None
    """The handover in effect during this round: {decision, round, level} (the level it was handed over at)."""
    at_risk: list[dict[str, Any]] = field(default_factory=list)
    """Why the region is at risk after handover: {kind: fell, decision, from, to} or {kind: trigger, decision,
    trigger, level_below, indicator} (`level_below` None for a text trigger the team recorded tripped)."""
    reverted_by: str | None = None
    """A reversion taken on this round's assessment."""
    conditions: list[dict[str, Any]] = field(default_factory=list)
    """The conditions of the decisions in force: {decision, index, status, due, overdue}, with the evidence of
    the status recorded (reference, verified_by, waived_by, date)."""
    against: list[dict[str, Any]] = field(default_factory=list)
    """Decisions taken on this round that go against its assessment: {decision, kind, level}."""
    deadline: dict[str, Any] | None = None
    """The mandate deadline that applies: {deadline, date, status, projected_date}."""
    footprint: dict[str, int] | None = None
    """The UN police strength planned by the latest decision's posture."""

    @property
    def headline(self) -> str:
        """`host`, `transition` (some functions handed over) or `un-joint`."""
        if self.primacy == "host":
            return "host"
        if "host" in self.functions.values():
            return "transition"
        return "un-joint"


@dataclass
class LeftOut:
    """What a public build leaves out, by kind: the site says how many of each (results.json's `left_out`)."""

    indicators: int = 0
    regions: int = 0
    values: int = 0
    evidence: int = 0
    notes: int = 0
    sensitive: int = 0
    """Narratives, risks, recommendations and notes marked sensitive: not restricted, but not for the public."""
    scenarios: int = 0
    decisions: int = 0
    references: int = 0
    """Reversion triggers, benchmark measures and threat lists that named a restricted indicator."""

    @property
    def total(self) -> int:
        return sum(dataclasses.astuple(self))

    def as_dict(self) -> dict[str, int]:
        return dataclasses.asdict(self)


@dataclass(slots=True)
class RegionRound:
    """A region in a round: the overall score, the level, and everything that explains them."""

    region: str
    round: str
    assessed: bool
    """False for a parent region whose result is rolled up from its children."""
    score: float | None
    rounded: Decimal | None
    level: str
    score_level: str | None
    """The level the rounded score alone would give."""
    computed_level: str
    """The level after every gate, before any leadership override."""
    coverage: float
    pillars: dict[str, PillarResult] = field(default_factory=dict)
    indicators: dict[str, IndicatorResult] = field(default_factory=dict)
    gates: list[GateEffect] = field(default_factory=list)
    override: dict[str, Any] | None = None
    change: Decimal | None = None
    """Change of the rounded score since the previous round with a score."""
    previous_level: str | None = None
    level_change: str = ""  # "up", "down", "same", or "" for the first round
    regression: bool = False
    projection: dict[str, Any] | None = None
    path: list[HandoverStep] = field(default_factory=list)
    children: list[str] = field(default_factory=list)
    handover: HandoverState | None = None
    """Primacy and the handover register at this round (assessed regions, and regions the register names)."""
    functions: dict[str, FunctionLevel] = field(default_factory=dict)
    """The level of each policing function that has criteria of its own (empty when no indicator names a
    function, and for regions rolled up from their children)."""


@dataclass(slots=True)
class Results:
    framework: str
    rounds: list[str]
    levels: list[str]
    handover_level: str
    regions: dict[tuple[str, str], RegionRound] = field(default_factory=dict)
    """Keyed by (round id, region id)."""
    provisional: list[str] = field(default_factory=list)
    """Rounds still being collected, scored as a preview: their figures will change."""

    def get(self, round_id: str, region_id: str) -> RegionRound | None:
        return self.regions.get((round_id, region_id))

    def for_round(self, round_id: str) -> list[RegionRound]:
        return [r for (rnd, _), r in sorted(self.regions.items()) if rnd == round_id]


# ---------------------------------------------------------------- plain JSON and CSV


def _number(value: Decimal) -> int | float:
    """A Decimal as JSON writes it: an integer when written without a fractional part (a non-negative
    exponent), a float otherwise."""
    exponent = value.as_tuple().exponent
    return int(value) if isinstance(exponent, int) and exponent >= 0 else float(value)


def _number_default(value: Any) -> Any:
    """A Decimal inside details (a score, a floor) as JSON writes it."""
    if isinstance(value, Decimal):
        return _number(value)
    raise TypeError(f"cannot write {type(value).__name__} to JSON")


def region_round_dict(r: RegionRound) -> dict[str, Any]:
    """One entry of results.json, as data (the same serialiser writes the file)."""
    return _Plainer().region_round(r)


def _ordered(results: Results) -> list[RegionRound]:
    order = {r: i for i, r in enumerate(results.rounds)}
    return sorted(results.regions.values(), key=lambda r: (order[r.round], r.region))


def results_json(results: Results) -> str:
    """`results.json`: the same input gives the same bytes."""
    import io

    out = io.StringIO()
    write_results_json(results, out)
    return out.getvalue()


def write_results_json(results: Results, out: Any) -> None:
    """Write `results.json` to a text stream one region and round at a time: Python's C encoder writes each
    piece, and a large mission never holds the whole document in memory. Keys keep a fixed order (dataclass
    fields, details built in code order), so the same input gives the same bytes."""
    out.write(head(results))
    written = 0
    for round_id in results.rounds:
        written += write_round(results, round_id, out, first=written == 0)
    out.write(FOOT)


FOOT = "]}\n"


def _encoder() -> Callable[[Any], str]:
    import json

    return json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=_number_default).encode


def head(results: Results) -> str:
    """`results.json` up to its list of entries."""
    encode = _encoder()
    return (
        '{"schema_version":'
        + encode(SCHEMA_VERSION)
        + ',"framework":'
        + encode(results.framework)
        + ',"rounds":'
        + encode(results.rounds)
        + ',"levels":'
        + encode(results.levels)
        + ',"handover_level":'
        + encode(results.handover_level)
        + (',"provisional_rounds":' + encode(results.provisional) if results.provisional else "")
        + ',"results":['
    )


def write_round(results: Results, round_id: str, out: Any, first: bool) -> int:
    """The entries of one round in `results.json`, by region id, each after a comma unless `first` (no entry
    written before); returns how many."""
    encode, plain = _encoder(), _Plainer()
    entries = sorted((r for (rnd, _), r in results.regions.items() if rnd == round_id), key=lambda r: r.region)
    for i, r in enumerate(entries):
        out.write(("," if i or not first else "") + encode(plain.region_round(r)))
    return len(entries)


class _Plainer:
    """Results objects as the dictionaries of results.json (the one serialiser), written out field by field for
    speed (a large mission has half a million indicator results). Decimal numbers are converted once per
    object: the same Decimal objects (targets, weights, recurring values) come back again and again, and all
    of them stay alive while results.json is written, so their identity is a safe key."""

    def __init__(self) -> None:
        self.numbers: dict[int, int | float] = {}

    def number(self, value: Any) -> Any:
        if value is None or value is True or value is False:
            return value
        key = id(value)
        found = self.numbers.get(key)
        if found is None:
            found = self.numbers[key] = _number(value)
        return found

    def indicator(self, r: IndicatorResult) -> dict[str, Any]:
        number = self.number
        return {
            "indicator": r.indicator,
            "status": r.status,
            "raw": number(r.raw),
            "reason": r.reason,
            "score": r.score,
            "capped_score": r.capped_score,
            "level": r.level,
            "uncapped_level": r.uncapped_level,
            "capped_by": r.capped_by,
            "at_risk_from": r.at_risk_from,
            "margin": r.margin,
            "within_margin": r.within_margin,
            "tier_used": r.tier_used,
            "target": number(r.target),
            "weight": number(r.weight),
            "share": r.share,
            "contribution": r.contribution,
            "current": r.current,
            "latest_evidence": r.latest_evidence,
            "evidence_age_days": r.evidence_age_days,
            "source_types": r.source_types,
            "critical": r.critical,
            "amended": r.amended,
        }

    def region_round(self, r: RegionRound) -> dict[str, Any]:
        number, indicator = self.number, self.indicator
        return {
            "region": r.region,
            "round": r.round,
            "assessed": r.assessed,
            "level": r.level,
            "score_level": r.score_level,
            "computed_level": r.computed_level,
            "coverage": r.coverage,
            "pillars": {
                k: {
                    "pillar": p.pillar,
                    "coverage": p.coverage,
                    "aggregation": p.aggregation,
                    "score_full": p.score,
                    "score": number(p.rounded),
                }
                for k, p in r.pillars.items()
            },
            "indicators": {k: indicator(v) for k, v in r.indicators.items()},
            "gates": [{"gate": g.gate, "allows": g.allows, "details": g.details} for g in r.gates],
            "override": r.override,
            "change": number(r.change),
            "previous_level": r.previous_level,
            "level_change": r.level_change,
            "regression": r.regression,
            "projection": r.projection,
            "path": [
                {
                    "kind": h.kind,
                    "subject": h.subject,
                    "current": number(h.current),
                    "target": number(h.target),
                    "critical": h.critical,
                    "detail": h.detail,
                }
                for h in r.path
            ],
            "children": r.children,
            "handover": None if r.handover is None else handover_dict(r.handover),
            "functions": {
                k: {
                    "function": f.function,
                    "level": f.level,
                    "score_level": f.score_level,
                    "computed_level": f.computed_level,
                    "coverage": f.coverage,
                    "criteria": f.criteria,
                    "gates": [{"gate": g.gate, "allows": g.allows, "details": g.details} for g in f.gates],
                    "score_full": f.score,
                    "score": number(f.rounded),
                }
                for k, f in r.functions.items()
            },
            "score_full": r.score,
            "score": number(r.rounded),
        }


def handover_dict(h: HandoverState) -> dict[str, Any]:
    return {
        "primacy": h.primacy,
        "headline": h.headline,
        "functions": h.functions,
        "decisions": h.decisions,
        "taken": h.taken,
        "since": h.since,
        "handed_over": h.handed_over,
        "at_risk": h.at_risk,
        "reverted_by": h.reverted_by,
        "conditions": h.conditions,
        "against": h.against,
        "deadline": h.deadline,
        "footprint": h.footprint,
    }


def results_dict(results: Results) -> dict[str, Any]:
    import json

    return json.loads(results_json(results))


def results_csv(results: Results, pillar_ids: list[str]) -> str:
    """One row per region and round: region, round, score, level, then coverage and each pillar's score."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["region", "round", "score", "level", "coverage", "change", *pillar_ids])
    for r in _ordered(results):
        pillars = [
            ("" if r.pillars.get(p) is None or r.pillars[p].rounded is None else str(r.pillars[p].rounded))
            for p in pillar_ids
        ]
        writer.writerow(
            [
                r.region,
                r.round,
                "" if r.rounded is None else str(r.rounded),
                r.level,
                f"{r.coverage * 100:.1f}",
                "" if r.change is None else str(r.change),
                *pillars,
            ]
        )
    return out.getvalue()


# ---------------------------------------------------------------- the schema of results.json
# is generated from the TypedDicts of `contract.py`, which the serialiser above returns.


# ---------------------------------------------------------------- reading results.json back


class ResultsFileError(Refusal):
    """A results.json that cannot be read back: the message says why and what to do."""


#: The oldest schema version `read_results` upgrades: version 3 had no `since` (decisions after the cut-off);
#: version 4 reads primacy as at the round's cut-off and lists them; version 5 marks amended values; version 6
#: adds the level of each policing function.
OLDEST_READABLE = 3


def read_results(text: str) -> Results:
    """`results.json` loaded back into the typed results it was written from (the one serialiser's inverse), an
    older schema version upgraded, a newer or unknown one refused. Exact numbers come back as the Decimals they
    were written from."""
    import json

    try:
        data = json.loads(text, parse_float=Decimal)
    except ValueError as exc:
        raise ResultsFileError(f"results.json is not JSON ({exc}); write it again with `readiness score`") from None
    version = data.get("schema_version") if isinstance(data, dict) else None
    if not isinstance(version, int) or version > SCHEMA_VERSION or version < OLDEST_READABLE:
        raise ResultsFileError(
            f"results.json has schema version {version!r}; this readiness reads versions {OLDEST_READABLE} to "
            f"{SCHEMA_VERSION}: write it again with `readiness score`"
        )
    results = Results(
        framework=data["framework"],
        rounds=list(data["rounds"]),
        levels=list(data["levels"]),
        handover_level=data["handover_level"],
        provisional=list(data.get("provisional_rounds", [])),
    )
    for entry in data["results"]:
        r = _region_round(entry, version)
        results.regions[(r.round, r.region)] = r
    return results


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _exact(value: Any) -> Any:
    """A number written from a Decimal, as that Decimal; booleans and None as they are."""
    if value is None or isinstance(value, bool):
        return value
    return value if isinstance(value, Decimal) else Decimal(value)


def _plain(value: Any) -> Any:
    """Numbers inside free-form details back as JSON read them without Decimals (ints stay ints)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() and "." not in str(value) else float(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _region_round(e: dict[str, Any], version: int) -> RegionRound:
    handover = e.get("handover")
    if handover is not None:
        handover = {k: _plain(v) for k, v in handover.items() if k != "headline"}
        if version < 4:
            handover.setdefault("since", [])  # unknown in version 3: decisions after the cut-off were not listed
    return RegionRound(
        region=e["region"],
        round=e["round"],
        assessed=e["assessed"],
        score=_float(e["score_full"]),
        rounded=_exact(e["score"]),
        level=e["level"],
        score_level=e["score_level"],
        computed_level=e["computed_level"],
        coverage=float(e["coverage"]),
        pillars={
            k: PillarResult(
                p["pillar"], _float(p["score_full"]), _exact(p["score"]), float(p["coverage"]), p["aggregation"]
            )
            for k, p in e["pillars"].items()
        },
        indicators={k: _indicator(v) for k, v in e["indicators"].items()},
        gates=[GateEffect(g["gate"], g["allows"], _plain(g["details"])) for g in e["gates"]],
        override=_plain(e["override"]),
        change=_exact(e["change"]),
        previous_level=e["previous_level"],
        level_change=e["level_change"],
        regression=e["regression"],
        projection=_plain(e["projection"]),
        path=[
            HandoverStep(
                h["kind"], h["subject"], _exact(h["current"]), _exact(h["target"]), h["critical"], _plain(h["detail"])
            )
            for h in e["path"]
        ],
        children=list(e["children"]),
        handover=HandoverState(**handover) if handover is not None else None,
        functions={
            k: FunctionLevel(
                function=f["function"],
                level=f["level"],
                score=_float(f["score_full"]),
                rounded=_exact(f["score"]),
                score_level=f["score_level"],
                computed_level=f["computed_level"],
                coverage=float(f["coverage"]),
                criteria=list(f["criteria"]),
                gates=[GateEffect(g["gate"], g["allows"], _plain(g["details"])) for g in f["gates"]],
            )
            for k, f in e.get("functions", {}).items()  # not in versions before 6
        },
    )


def _indicator(v: dict[str, Any]) -> IndicatorResult:
    return IndicatorResult(
        indicator=v["indicator"],
        status=v["status"],
        raw=_exact(v["raw"]),
        reason=v["reason"],
        score=_float(v["score"]),
        capped_score=_float(v["capped_score"]),
        level=v["level"],
        uncapped_level=v["uncapped_level"],
        capped_by=list(v["capped_by"]),
        at_risk_from=list(v["at_risk_from"]),
        margin=_float(v["margin"]),
        within_margin=v["within_margin"],
        tier_used=v["tier_used"],
        target=_exact(v["target"]),
        weight=_exact(v["weight"]),
        share=float(v["share"]),
        contribution=_float(v["contribution"]),
        current=v["current"],
        latest_evidence=v["latest_evidence"],
        evidence_age_days=v["evidence_age_days"],
        source_types=list(v["source_types"]),
        critical=v["critical"],
        amended=v.get("amended", False),  # version 5
    )
