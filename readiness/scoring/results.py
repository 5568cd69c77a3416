"""Results: plain data for every region in every round, with the provenance of every number.

These dataclasses are the contract between scoring and everything downstream (the site, exports,
`results.json`). They hold no behaviour beyond turning themselves into JSON-ready dictionaries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

SCHEMA_VERSION = 1


@dataclass(slots=True)
class IndicatorResult:
    """One indicator in one region and round: value, score, level and why."""

    indicator: str
    status: str  # "value", "not-collected", "not-applicable", "missing", "invalid"
    raw: Decimal | bool | None = None
    reason: str = ""
    score: float | None = None
    """Normalised score at full precision, before any prerequisite cap."""
    capped_score: float | None = None
    """The score that enters the aggregate (equal to `score` unless a prerequisite capped it)."""
    level: str | None = None
    """Level after prerequisite caps."""
    uncapped_level: str | None = None
    capped_by: list[str] = field(default_factory=list)
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
    """A gate that lowered (or set) the region's level, with the numbers that made it bite."""

    gate: str
    allows: str
    reason: str
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class HandoverStep:
    """One thing that must change for the region to reach the handover level."""

    kind: str  # "indicator", "evidence", "sign-off", "pillar"
    subject: str
    action: str
    current: Decimal | bool | None = None
    target: Decimal | None = None
    critical: bool = False
    detail: dict[str, Any] = field(default_factory=dict)
    """What the step is, for a reader in any language: {"step": "raise"|"lower"|"collect"|"capped"|
    "sources"|"sign_off", ...}."""


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


def _fields(obj: Any) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in obj.__dataclass_fields__}


def _json_default(value: Any) -> Any:
    """How the JSON encoder writes what it does not know: results objects, decimals and dates."""
    if isinstance(value, Decimal):
        return _number(value)
    if isinstance(value, RegionRound | PillarResult):
        data = _fields(value)
        # the reported score is the rounded one; full precision stays beside it for audit
        data["score_full"], data["score"] = data.pop("score"), data.pop("rounded")
        return data
    if hasattr(value, "__dataclass_fields__"):
        return _fields(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} to JSON")


def _plain(value: Any) -> Any:
    """The JSON-ready form of any result value (dicts, lists and numbers only)."""
    import json

    return json.loads(json.dumps(value, default=_json_default))


def region_round_dict(r: RegionRound) -> dict[str, Any]:
    return _plain(r)


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

    return json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=_json_default).encode


def head(results: Results) -> str:
    """`results.json` up to its list of entries."""
    encode = _encoder()
    return ('{"schema_version":' + encode(SCHEMA_VERSION) + ',"framework":' + encode(results.framework)
            + ',"rounds":' + encode(results.rounds) + ',"levels":' + encode(results.levels)
            + ',"handover_level":' + encode(results.handover_level)
            + (',"provisional_rounds":' + encode(results.provisional) if results.provisional else "")
            + ',"results":[')


def write_round(results: Results, round_id: str, out: Any, first: bool) -> int:
    """The entries of one round in `results.json`, by region id, each after a comma unless `first` (no entry
    written before); returns how many."""
    encode, plain = _encoder(), _Plainer()
    entries = sorted((r for (rnd, _), r in results.regions.items() if rnd == round_id), key=lambda r: r.region)
    for i, r in enumerate(entries):
        out.write(("," if i or not first else "") + encode(plain.region_round(r)))
    return len(entries)


class _Plainer:
    """Results objects as the dictionaries `_json_default` would make of them, written out field by field for
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
        return {"indicator": r.indicator, "status": r.status, "raw": number(r.raw), "reason": r.reason,
                "score": r.score, "capped_score": r.capped_score, "level": r.level,
                "uncapped_level": r.uncapped_level, "capped_by": r.capped_by, "tier_used": r.tier_used,
                "target": number(r.target), "weight": number(r.weight), "share": r.share,
                "contribution": r.contribution, "current": r.current, "latest_evidence": r.latest_evidence,
                "evidence_age_days": r.evidence_age_days, "source_types": r.source_types, "critical": r.critical}

    def region_round(self, r: RegionRound) -> dict[str, Any]:
        number, indicator = self.number, self.indicator
        return {"region": r.region, "round": r.round, "assessed": r.assessed, "level": r.level,
                "score_level": r.score_level, "computed_level": r.computed_level, "coverage": r.coverage,
                "pillars": {k: {"pillar": p.pillar, "coverage": p.coverage, "aggregation": p.aggregation,
                                "score_full": p.score, "score": number(p.rounded)} for k, p in r.pillars.items()},
                "indicators": {k: indicator(v) for k, v in r.indicators.items()},
                "gates": [{"gate": g.gate, "allows": g.allows, "reason": g.reason, "details": g.details}
                          for g in r.gates],
                "override": r.override, "change": number(r.change), "previous_level": r.previous_level,
                "level_change": r.level_change, "regression": r.regression, "projection": r.projection,
                "path": [{"kind": h.kind, "subject": h.subject, "action": h.action, "current": number(h.current),
                          "target": number(h.target), "critical": h.critical, "detail": h.detail}
                         for h in r.path],
                "children": r.children, "score_full": r.score, "score": number(r.rounded)}


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
        pillars = [("" if r.pillars.get(p) is None or r.pillars[p].rounded is None else str(r.pillars[p].rounded))
                   for p in pillar_ids]
        writer.writerow([r.region, r.round, "" if r.rounded is None else str(r.rounded), r.level,
                         f"{r.coverage * 100:.1f}", "" if r.change is None else str(r.change), *pillars])
    return out.getvalue()
