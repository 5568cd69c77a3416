"""Uncertainty: would a region's level survive reasonable doubts about weights, methods and data?

Monte Carlo over the choices a reasonable analyst could make (each weight within the framework's range, an
alternative aggregation at a node, each observation perturbed according to its confidence), reproducible
from a seed, and Sobol sensitivity indices (first and total order) of each region's score to each weight and
each observation. The engine's methods and gates run here in their vectorised form, on numpy arrays, one row
per sample, so a thousand samples of every region take a second or two; with every source of variation set to
zero it gives the deterministic engine's result in every sample (a property test holds it to that).
"""

from __future__ import annotations

import io
import json
import math
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal
from typing import Any

import numpy as np

from .methods import AGGREGATIONS, ROUNDINGS
from .model import Framework, Uncertainty
from .project import Project
from .register import Register
from .scoring.engine import Engine
from .scoring.gates import CAPPING, SUSTAINED, GateContext, SampleContext
from .scoring.gates.stability import held, track
from .scoring.margin import Z95
from .scoring.normalise import round_score, thresholds_for
from .scoring.results import RegionRound, Results
from .store import Store

NO_LEVEL = -1
_UNIT_BOUNDS = {"percent": (0.0, 100.0), "per-100": (0.0, 100.0)}
_NON_NEGATIVE = {"count", "rate", "minutes", "hours", "days", "per-100k", "ordinal"}


@dataclass
class RegionInput:
    """One assessed region in one round, as arrays."""

    region: str
    values: np.ndarray  # (K,) nan where no value
    applicable: np.ndarray  # (K,) bool
    sd: np.ndarray  # (K,) noise in the indicator's unit
    cutoffs: list[list[tuple[int, float]]]  # per indicator: (level index, cut-off), ascending levels
    constant_cap: int  # the lowest allowance of the gates that sampling does not move
    history_scores: list[int]  # earlier rounds' rounded scores, in rounding units
    history_falls: bool
    sustained_ok: bool
    missing_critical: bool
    result: RegionRound
    tolerance_units: int = 0
    previous_levels: np.ndarray | None = None
    critical: np.ndarray | None = None  # (K,) critical here (the framework's, and those the region's threat adds)
    unrated: np.ndarray | None = None  # (K,) indicators with no cut-offs for this region: no level of their own


@dataclass
class RegionUncertainty:
    region: str
    level: str
    probabilities: dict[str, float]
    robust: bool
    share_same: float
    score_interval: tuple[float, float] | None
    """None when the region has no score (no current value at all)."""
    rank_interval: tuple[int, int] | None
    override: bool
    sensitivity: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Analysis:
    round: str
    samples: int
    seed: int
    regions: dict[str, RegionUncertainty]
    factors: list[dict[str, Any]] = field(default_factory=list)
    """Mean sensitivity of every factor across regions, largest first."""


class Model:
    """The engine's compiled framework (`FrameworkIndex`) as arrays, shared by every region: the same methods
    (`readiness/methods/`) and the same gates (`readiness/scoring/gates/`) as the engine, in their vectorised
    form."""

    def __init__(self, project: Project) -> None:
        assert project.framework is not None
        self.project = project
        self.register = Register(project)
        self.fw: Framework = project.framework
        self.engine = Engine(project)
        index = self.index = self.engine.index
        self.ids = list(index.topological)
        self.index_of = {k: i for i, k in enumerate(self.ids)}
        self.inds = [project.indicators[k] for k in self.ids]
        self.order = index.order
        self.low, self.high = index.low, index.high
        self.unit = index.unit
        self.rounding = ROUNDINGS[self.fw.rounding.mode]
        self.aggregations = list(AGGREGATIONS)
        """Aggregation methods by code: the Monte Carlo chooses a node's method per sample by its code."""
        self.codes = {name: i for i, name in enumerate(self.aggregations)}
        scored = [lv for lv in self.fw.levels if lv.min_score is not None]
        self.scored_idx = [self.order[lv.id] for lv in scored]
        self.min_units = {self.order[lv.id]: int(lv.min_score * self.unit) for lv in scored}
        self.ceilings = {self.order[lv]: index.ceilings[lv] for lv in index.scored}
        self.nodes = index.nodes
        self.roots = index.roots
        self.node_indicators = [[self.index_of[i] for i in node.indicators] for node in self.nodes]
        self.critical = np.array([i.critical for i in self.inds], dtype=bool)
        self.requirements = [
            [
                (self.index_of[r.indicator], r.level, self.order[r.cap_at])
                for r in index.requires[k]
                if r.indicator in self.index_of
            ]
            for k in self.ids
        ]
        self.scorers = [index.methods[k].vector(ind, self.fw.scale) for k, ind in zip(self.ids, self.inds, strict=True)]

    # ---------------------------------------------------------------- one region in arrays

    def region_input(self, r: RegionRound, history: list[RegionRound], spec: Uncertainty) -> RegionInput:
        fw, project = self.fw, self.project
        region = project.regions[r.region]
        assessment = project.assessments[(r.round, r.region)]
        values = np.full(len(self.ids), np.nan)
        applicable = np.ones(len(self.ids), dtype=bool)
        sd = np.zeros(len(self.ids))
        cutoffs = []
        noise = spec.noise
        tier_gate = fw.gates.tier_thresholds
        fixed = tier_gate is not None and not tier_gate.enabled
        tier = tier_gate.fallback_tier if fixed and tier_gate is not None else region.tier
        threat = None if fixed else region.threat
        critical = np.array([r.indicators[k].critical for k in self.ids], dtype=bool)
        unrated = np.zeros(len(self.ids), dtype=bool)
        for k, ind in enumerate(self.inds):
            ir = r.indicators[ind.id]
            if ir.status == "not-applicable":
                applicable[k] = False
            if ir.status == "value" and ir.raw is not None:
                values[k] = float(ir.raw)
                obs = assessment.observations[ind.id]
                share = getattr(noise, obs.confidence) if obs.confidence else noise.unstated
                sd[k] = 0.0 if ind.unit == "yes-no" else float(share) * self.index.methods[ind.id].span(ind)
                if spec.survey_margins and ir.margin is not None:
                    sd[k] = ir.margin / Z95  # the survey's own sampling error
            _, cuts = thresholds_for(ind, tier, threat)
            unrated[k] = not cuts
            cutoffs.append(
                sorted(
                    (self.order[lv], float(v))
                    for lv, v in cuts.items()
                    if lv in self.order and self.order[lv] in self.scored_idx
                )
            )
        round_date = project.rounds[r.round].date
        ctx = GateContext(
            fw,
            self.order,
            r.indicators,
            r.pillars,
            r.coverage,
            r.rounded,
            None,
            r.score_level,
            assessment,
            round_date,
            history,
        )
        caps = [e.allows for gate in CAPPING if not gate.sampled and (e := gate.evaluate(ctx)) is not None]
        constant_cap = min((self.order[c] for c in caps), default=len(fw.levels) - 1)
        stability = fw.gates.stability
        hist_scores: list[int] = []
        falls = False
        sustained_ok = False
        tolerance_units = 0
        previous_levels = None
        if stability is not None and stability.enabled:
            hist_scores = [int(h.rounded * self.unit) for h in history if h.rounded is not None][-stability.rounds :]
            tolerance_units = int(math.ceil(stability.tolerance * self.unit))
            falls = any(b < a and a - b >= tolerance_units for a, b in zip(hist_scores, hist_scores[1:], strict=False))
            falls = falls or track(stability, self.order, history) + 1 < stability.track_record
            if stability.critical_drop and history:
                before = history[-1].indicators
                previous_levels = np.array(
                    [
                        self.order[lv] if (b := before.get(k)) is not None and (lv := b.level) is not None else NO_LEVEL
                        for k in self.ids
                    ]
                )
            handed = self.register.handed_over(r.region, r.round)
            since = (
                []
                if handed is None
                else [h for h in history if self.register.index[h.round] > self.register.index[handed.relied_on]]
            )
            sustained_ok = stability.sustained_level is not None and (
                held(stability, self.order, history, None if handed is None else handed.id, since) is not None
            )
        critical_gate = fw.gates.critical_floor
        missing_critical = bool(
            critical_gate
            and critical_gate.enabled
            and critical_gate.missing_caps_at
            and any(
                r.indicators[i.id].status in ("not-collected", "missing", "pending", "invalid")
                for i in self.inds
                if r.indicators[i.id].critical
            )
        )
        return RegionInput(
            r.region,
            values,
            applicable,
            sd,
            cutoffs,
            constant_cap,
            hist_scores,
            falls,
            sustained_ok,
            missing_critical,
            r,
            tolerance_units,
            previous_levels,
            critical,
            unrated if unrated.any() else None,
        )

    # ---------------------------------------------------------------- the vectorised engine

    def levels(self, k: int, v: np.ndarray, cutoffs: list[tuple[int, float]]) -> np.ndarray:
        higher = self.inds[k].direction == "higher"
        level = np.full(v.shape, self.scored_idx[0])
        for idx, cut in cutoffs:
            reach = v >= cut if higher else v <= cut
            level = np.where(reach, idx, level)
        return np.where(np.isnan(v), NO_LEVEL, level)

    def combine(self, vals: np.ndarray, w: np.ndarray, code: np.ndarray) -> np.ndarray:
        """Each row's aggregation (by its code: `self.aggregations`) of its columns, skipping nan; only the
        methods some row uses are computed (the logarithms of the geometric mean are the dearest)."""
        used = sorted({int(c) for c in np.unique(code)}) if code.size else []
        out = np.full(vals.shape[0], np.nan)
        for c in used:
            combined = AGGREGATIONS[self.aggregations[c]].vector(vals, w, self.low, self.high)
            out = combined if len(used) == 1 else np.where(code == c, combined, out)
        return out

    def aggregate(
        self,
        scores: np.ndarray,
        applicable: np.ndarray,
        ind_w: np.ndarray,
        node_w: np.ndarray,
        codes: np.ndarray,
        root_code: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Overall score (S,), every node's score (S, N) and which nodes have children, from indicator
        scores (S, K)."""
        n_samples = scores.shape[0]
        node_scores = np.full((n_samples, len(self.nodes)), np.nan)
        present = np.zeros(len(self.nodes), dtype=bool)

        def evaluate(position: int) -> None:
            node = self.nodes[position]
            columns, weights = [], []
            for sub in node.sub:
                evaluate(sub)
                if present[sub]:
                    columns.append(node_scores[:, sub])
                    weights.append(node_w[:, sub])
            for k in self.node_indicators[position]:
                if applicable[k]:
                    columns.append(scores[:, k])
                    weights.append(ind_w[:, k])
            if columns:
                present[position] = True
                arity = AGGREGATIONS[node.aggregation].arity
                if arity is not None and len(columns) != arity:
                    return  # as the engine: the node counts, without a score
                node_scores[:, position] = self.combine(np.stack(columns, 1), np.stack(weights, 1), codes[:, position])

        for root in self.roots:
            evaluate(root)
        tops = [r for r in self.roots if present[r]]
        arity = AGGREGATIONS[self.fw.aggregation].arity
        if not tops or (arity is not None and len(tops) != arity):
            return np.full(n_samples, np.nan), node_scores, present
        overall = self.combine(node_scores[:, tops], node_w[:, tops], root_code)
        return overall, node_scores, present

    def round_units(self, x: np.ndarray) -> np.ndarray:
        """The framework's rounding, in units of its last digit (70.0 with one digit is 700), exactly as the engine
        rounds: a score close enough to a rounding boundary that float arithmetic could tip it (18.044999999999998
        times 100 is 1804.5 in floats; numpy's vectorised power can differ from Python's by a last bit) is rounded
        by `round_score` itself, which takes a score that close to a boundary as on it."""
        scaled = x * self.unit
        out = np.where(np.isnan(x), np.nan, self.rounding.units(scaled))
        fraction = scaled - np.floor(scaled)
        near = ~np.isnan(x) & (
            (np.abs(fraction - self.rounding.boundary) < 1e-6) | (np.abs(fraction - self.rounding.boundary - 1) < 1e-6)
        )
        if near.any():
            rounding = self.fw.rounding
            flat, values = out.reshape(-1), x.reshape(-1)
            for i in np.flatnonzero(near.reshape(-1)):
                flat[i] = int(round_score(float(values[i]), rounding).scaleb(rounding.digits))
            out = flat.reshape(out.shape)
        return out

    def score_level(self, units: np.ndarray) -> np.ndarray:
        if self.fw.score_around is not None:  # a two-sided band around the value, as `level_for_score`
            around = int(self.fw.score_around * self.unit)
            units = around - np.abs(units - around)
        level = np.full(units.shape, NO_LEVEL)
        for idx, need in sorted(self.min_units.items()):
            level = np.where(units >= need, idx, level)
        return np.where(np.isnan(units), NO_LEVEL, level)

    def run(
        self,
        reg: RegionInput,
        values: np.ndarray,
        ind_w: np.ndarray,
        node_w: np.ndarray,
        codes: np.ndarray,
        root_code: np.ndarray,
        scores_only: bool = False,
    ) -> dict[str, np.ndarray]:
        fw = self.fw
        n_samples = values.shape[0]
        k_count = len(self.ids)
        scores = np.full((n_samples, k_count), np.nan)
        levels = np.full((n_samples, k_count), NO_LEVEL)
        capped = np.full((n_samples, k_count), np.nan)
        for k in range(k_count):
            if not reg.applicable[k]:
                continue
            v = values[:, k]
            scores[:, k] = self.scorers[k](v)
            level = self.levels(k, v, reg.cutoffs[k])
            if reg.unrated is not None and reg.unrated[k]:
                level = np.full(v.shape, NO_LEVEL)  # no cut-offs: no level of its own, as the engine
            capped_k = scores[:, k].copy()
            for j, required, cap in self.requirements[k]:
                if not reg.applicable[j]:
                    continue
                hit = levels[:, j] < required
                level = np.where(hit & (level > cap), cap, level)
                capped_k = np.where(hit, np.minimum(capped_k, self.ceilings[cap]), capped_k)
            levels[:, k] = level
            capped[:, k] = capped_k
        overall, nodes, present = self.aggregate(capped, reg.applicable, ind_w, node_w, codes, root_code)
        if scores_only:
            return {"score": overall}
        uncapped, _, _ = self.aggregate(scores, reg.applicable, ind_w, node_w, codes, root_code)
        units = self.round_units(overall)
        evidence_gate = fw.gates.evidence
        floor_level = self.order[evidence_gate.insufficient_level] if evidence_gate else self.scored_idx[0]
        base = self.score_level(self.round_units(uncapped))
        level = np.where(base == NO_LEVEL, floor_level, base)
        ctx = SampleContext(
            fw,
            self.order,
            levels,
            self.critical if reg.critical is None else reg.critical,
            reg.applicable,
            ~np.isnan(reg.values),
            reg.missing_critical,
            self.score_level(units),
            units,
            self.round_units(nodes[:, np.flatnonzero(present)]),
            self.unit,
            reg.history_scores,
            reg.history_falls,
            reg.sustained_ok,
            reg.tolerance_units,
            reg.previous_levels,
        )
        for gate in CAPPING:  # the same gates as the engine: each in its vectorised form, or as it is for all
            level = gate.vector(ctx, level) if gate.sampled else level
        level = np.minimum(level, reg.constant_cap)
        level = SUSTAINED.vector(ctx, level)
        return {"score": overall, "units": units, "level": level}


def _draws(model: Model, spec: Uncertainty, rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """The analyst's choices, shared by every region within a sample."""
    r = float(spec.weight_range)
    k_count, n_nodes = len(model.ids), len(model.nodes)
    base_ind = np.array([float(i.weight) for i in model.inds])
    base_node = np.array([node.weight for node in model.nodes])
    ind_w = base_ind * rng.uniform(1 - r, 1 + r, size=(n, k_count)) if r > 0 else np.tile(base_ind, (n, 1))
    node_w = base_node * rng.uniform(1 - r, 1 + r, size=(n, n_nodes)) if r > 0 else np.tile(base_node, (n, 1))
    codes = np.tile(np.array([model.codes[node.aggregation] for node in model.nodes]), (n, 1))
    root_code = np.full(n, model.codes[model.fw.aggregation])
    for target, options in spec.alternatives.items():
        choices = np.array(
            [
                model.codes[
                    model.fw.aggregation
                    if target == "overall"
                    else next(nd.aggregation for nd in model.nodes if nd.id == target)
                ]
            ]
            + [model.codes[o] for o in options]
        )
        picked = choices[rng.integers(0, len(choices), size=n)]
        if target == "overall":
            root_code = picked
        else:
            position = next((i for i, nd in enumerate(model.nodes) if nd.id == target), None)
            if position is not None:
                codes[:, position] = picked
    return {"ind_w": ind_w, "node_w": node_w, "codes": codes, "root_code": root_code}


def _perturb(model: Model, reg: RegionInput, rng: np.random.Generator, n: int) -> np.ndarray:
    values = np.tile(reg.values, (n, 1))
    noisy = reg.sd > 0
    if noisy.any():
        values[:, noisy] += rng.normal(0.0, 1.0, size=(n, int(noisy.sum()))) * reg.sd[noisy]
    for k, ind in enumerate(model.inds):
        if not noisy[k]:
            continue
        low, high = _UNIT_BOUNDS.get(ind.unit, (0.0, np.inf) if ind.unit in _NON_NEGATIVE else (-np.inf, np.inf))
        column = np.clip(values[:, k], low, high)
        if ind.unit in ("count", "ordinal"):
            column = np.round(column)
        values[:, k] = column
    return values


def sample_scores(
    project: Project, results: Results, region_id: str, round_id: str, samples: int, seed: int, spec: Uncertainty
) -> np.ndarray:
    """The unrounded overall score of one region in every sample (for checks against known answers)."""
    model = Model(project)
    draws = _draws(model, spec, np.random.default_rng(seed), samples)
    history = [
        h for rnd in results.rounds[: results.rounds.index(round_id)] if (h := results.get(rnd, region_id)) is not None
    ]
    reg = model.region_input(results.get(round_id, region_id), history, spec)  # type: ignore[arg-type]
    stream = np.random.default_rng(_streams(seed, region_id)[0])
    return model.run(reg, _perturb(model, reg, stream, samples), **draws)["score"]  # type: ignore[arg-type]


def _streams(seed: int, region_id: str) -> list[np.random.SeedSequence]:
    """A region's own random streams (observation errors, Sobol samples), from the seed and its id only."""
    return np.random.SeedSequence([seed, *region_id.encode("utf-8")]).spawn(2)


def analyse(
    project: Project,
    results: Results,
    round_id: str | None = None,
    samples: int | None = None,
    seed: int | None = None,
    spec: Uncertainty | None = None,
    sensitivity: bool = True,
    workers: int = 1,
    store: Store | None = None,
) -> Analysis:
    """Monte Carlo (and, with `sensitivity`, Sobol indices) for every assessed region of one round.

    The analyst's choices (weights, aggregation) are drawn once from `seed` and shared by every region within a
    sample; each region's observation errors and Sobol samples come from its own stream, seeded by `seed` and
    the region's id. So a region's figures do not move when another region is added or edited, and the regions
    can be shared out between `workers` processes (forked; where fork is not available, one process) with the
    same result to the last digit. For the same reason a region whose inputs are those of an earlier run is not
    sampled again: its outcome is taken from `store` (a readiness.store.Store) where that run kept it (see
    `_keys`)."""
    model = Model(project)
    fw = model.fw
    spec = spec or fw.uncertainty
    n = samples or spec.samples
    seed = spec.seed if seed is None else seed
    round_id = round_id or results.rounds[-1]
    draws = _draws(model, spec, np.random.default_rng(seed), n)
    inputs: list[RegionInput] = []
    for region_id in sorted(project.regions):
        r = results.get(round_id, region_id)
        if r is None or not r.assessed:
            continue
        history = [
            h
            for rnd in results.rounds[: results.rounds.index(round_id)]
            if (h := results.get(rnd, region_id)) is not None
        ]
        inputs.append(model.region_input(r, history, spec))
    job = _Job(model, spec, inputs, draws, n, seed, sensitivity, 256 if len(inputs) <= 100 else 128)
    keys = _keys(job) if store is not None else {}
    done: dict[str, Outcome] = {}
    for reg in inputs:
        found = _outcome_from(store.get(keys[reg.region])) if store is not None else None
        if found is not None:
            done[reg.region] = found
    sampled = _share_out(replace(job, inputs=[reg for reg in inputs if reg.region not in done]), workers)
    done.update(sampled)
    if store is not None:
        for region, outcome in sampled.items():
            store.put(keys[region], _outcome_bytes(outcome))
    level_ids = [lv.id for lv in fw.levels]
    scores = np.stack([done[reg.region][0]["score"] for reg in inputs], 1) if inputs else np.zeros((n, 0))
    ranks = (-np.nan_to_num(scores, nan=-np.inf)).argsort(axis=1).argsort(axis=1) + 1
    regions: dict[str, RegionUncertainty] = {}
    totals: dict[str, list[float]] = {}
    for i, reg in enumerate(inputs):
        out, rows = done[reg.region]
        computed = model.order[reg.result.computed_level]
        counts = np.bincount(out["level"].astype(int), minlength=len(level_ids))
        probabilities = {level_ids[j]: float(counts[j]) / n for j in range(len(level_ids)) if counts[j]}
        same = float(counts[computed]) / n
        units = out["units"][~np.isnan(out["units"])] / model.unit
        interval = (float(np.percentile(units, 5)), float(np.percentile(units, 95))) if units.size else None
        rank_interval = (int(np.percentile(ranks[:, i], 5)), int(np.percentile(ranks[:, i], 95)))
        regions[reg.region] = RegionUncertainty(
            reg.region,
            reg.result.computed_level,
            probabilities,
            same >= float(spec.robust_share),
            same,
            interval,
            rank_interval,
            reg.result.override is not None,
        )
        for row in rows or []:
            totals.setdefault(row["factor"], []).append(row["total_order_full"])
        regions[reg.region].sensitivity = [
            {k: v for k, v in row.items() if k != "total_order_full"}
            for row in sorted(rows or [], key=lambda row: -row["total_order"])
        ]
    analysis = Analysis(round_id, n, seed, regions)
    analysis.factors = sorted(
        ({"factor": k, "mean_total_order": round(float(np.mean(v)), 4)} for k, v in totals.items()),
        key=lambda row: -row["mean_total_order"],
    )
    return analysis


@dataclass
class _Job:
    """What every region's analysis shares; a forked worker inherits it."""

    model: Model
    spec: Uncertainty
    inputs: list[RegionInput]
    draws: dict[str, np.ndarray]
    samples: int
    seed: int
    sensitivity: bool
    base: int
    """Sobol base sample size."""


Outcome = tuple[dict[str, np.ndarray], list[dict[str, Any]] | None]
#: The shape of a kept outcome (`_outcome_bytes`); a change of shape is a new format, and older ones are not read.
OUTCOME_FORMAT = 1


def _keys(job: _Job) -> dict[str, str]:
    """Each region's key in a store: a digest of everything its Monte Carlo and Sobol indices read. Shared by
    every region: the framework and the indicators (as their models hold them), the analyst's choices drawn for
    every sample, the settings, the seed, the sample sizes, the versions and readiness's code. The region's own:
    its id (its random streams) and every field of its `RegionInput` but the engine's result, which neither
    reads (values, their noise, cut-offs, the gates' constant cap, the history the stability gate reads...)."""
    from .store import digest, versions

    model = job.model
    shared: list[bytes | str] = [
        str(OUTCOME_FORMAT),
        *versions("numpy"),
        model.fw.model_dump_json(),
        *(ind.model_dump_json() for ind in model.inds),
        job.spec.model_dump_json(),
        f"{job.samples} {job.seed} {job.sensitivity} {job.base}",
    ]
    for name in sorted(job.draws):
        array = np.ascontiguousarray(job.draws[name])
        shared += [f"{name} {array.dtype.str} {array.shape}", array.tobytes()]
    salt = digest(*shared)
    out = {}
    for reg in job.inputs:
        parts: list[bytes | str] = [salt]
        for item in fields(reg):
            value = getattr(reg, item.name)
            if item.name == "result":
                continue
            if isinstance(value, np.ndarray):
                array = np.ascontiguousarray(value)
                parts += [f"{item.name} {array.dtype.str} {array.shape}", array.tobytes()]
            else:
                parts.append(f"{item.name} {json.dumps(value, default=repr)}")
        out[reg.region] = digest(*parts)
    return out


def _outcome_bytes(outcome: Outcome) -> bytes:
    """A region's outcome as NumPy's archive (arrays, and the Sobol rows as JSON text): no pickle."""
    arrays, rows = outcome
    buffer = io.BytesIO()
    payload: dict[str, Any] = {f"a_{k}": v for k, v in arrays.items()}
    np.savez(buffer, rows=np.array(json.dumps(rows)), **payload)
    return json.dumps(OUTCOME_FORMAT).encode("ascii") + b"\n" + buffer.getvalue()


def _outcome_from(data: bytes | None) -> Outcome | None:
    """The outcome `_outcome_bytes` kept, or None if it is not one this version wrote whole."""
    if data is None:
        return None
    head, _, body = data.partition(b"\n")
    if head != json.dumps(OUTCOME_FORMAT).encode("ascii"):
        return None
    try:
        with np.load(io.BytesIO(body), allow_pickle=False) as archive:
            arrays = {name[2:]: archive[name] for name in archive.files if name.startswith("a_")}
            rows = json.loads(str(archive["rows"]))
    except (OSError, ValueError, KeyError, EOFError):
        return None
    if rows is not None and not isinstance(rows, list):
        return None
    return arrays, rows


def _share_out(job: _Job, workers: int) -> dict[str, Outcome]:
    """Every region's Monte Carlo outcome and Sobol rows, shared out between forked workers (readiness.workers:
    they inherit the job instead of unpickling it; one process where fork is unsafe or the regions are few)."""
    import functools

    from .workers import Pending

    positions = list(range(len(job.inputs)))
    if len(positions) < 2 * workers:
        workers = 1
    tasks = [functools.partial(_part, job, positions[i::workers]) for i in range(workers)]
    done: dict[str, Outcome] = {}
    with Pending(tasks, workers) as pending:
        for part in pending.results():
            done.update(part)
    return done


def _part(job: _Job, positions: list[int]) -> dict[str, Outcome]:
    done: dict[str, Outcome] = {}
    for i in positions:
        reg = job.inputs[i]
        monte_carlo, sobol = _streams(job.seed, reg.region)
        values = _perturb(job.model, reg, np.random.default_rng(monte_carlo), job.samples)
        outcome = job.model.run(reg, values, **job.draws)  # type: ignore[arg-type]
        rows = (
            _sensitivity(job.model, job.spec, reg, np.random.default_rng(sobol), job.base) if job.sensitivity else None
        )
        done[reg.region] = (outcome, rows)
    return done


#: Past this many observed values in a region, the sensitivity analysis ranks them by pillar, a group each (see
#: `_sensitivity`); the example and most missions have fewer.
MAX_VALUE_FACTORS = 60


def _sensitivity(
    model: Model, spec: Uncertainty, reg: RegionInput, rng: np.random.Generator, base: int
) -> list[dict[str, Any]] | None:
    """First-order (Saltelli 2010) and total-order (Jansen 1999) indices of one region's overall score."""
    # factors: each pillar's weight and each observed value (the weights of single indicators are varied in
    # the Monte Carlo but not ranked here: they would double the cost for little a reader can act on)
    r = float(spec.weight_range)
    names = [f"weight of pillar {nd.id}" for nd in model.nodes] if r > 0 else []
    noisy = [k for k in range(len(model.ids)) if reg.sd[k] > 0]
    d = len(names) + len(noisy)  # the columns sampled: each pillar weight, each observed value
    if d == 0:
        return None
    # the factors ranked: a Saltelli design scores the region once per factor and base sample, so with a value
    # per factor its cost grows with the square of the indicators; past MAX_VALUE_FACTORS values they are ranked
    # by pillar, a group each (the estimators are the same for a group of columns as for one)
    groups: list[tuple[str, list[int]]] = [(name, [i]) for i, name in enumerate(names)]
    columns = range(len(names), d)
    if len(noisy) <= MAX_VALUE_FACTORS:
        groups += [(f"value of {model.ids[k]}", [c]) for k, c in zip(noisy, columns, strict=True)]
    else:
        by_pillar: dict[str, list[int]] = {}
        for k, c in zip(noisy, columns, strict=True):
            by_pillar.setdefault(str(model.inds[k].pillar), []).append(c)
        groups += [(f"values of pillar {pillar}", cols) for pillar, cols in by_pillar.items()]
    labels = [label for label, _ in groups]

    def sample(size: int) -> np.ndarray:
        parts = []
        if r > 0:
            parts.append(rng.uniform(1 - r, 1 + r, size=(size, len(model.nodes))))
        parts.append(rng.normal(0.0, 1.0, size=(size, len(noisy))))
        return np.concatenate(parts, axis=1)

    a, b = sample(base), sample(base)
    stacked = [a, b] + [np.where(np.isin(np.arange(d), cols), b, a) for _, cols in groups]
    x = np.concatenate(stacked, axis=0)
    m = x.shape[0]
    offset = 0
    node_w = np.tile([nd.weight for nd in model.nodes], (m, 1))
    ind_w = np.tile([float(i.weight) for i in model.inds], (m, 1))
    if r > 0:
        node_w = node_w * x[:, : len(model.nodes)]
        offset = len(model.nodes)
    values = np.tile(reg.values, (m, 1))
    for j, k in enumerate(noisy):
        values[:, k] = values[:, k] + x[:, offset + j] * reg.sd[k]
        low, high = _UNIT_BOUNDS.get(
            model.inds[k].unit, (0.0, np.inf) if model.inds[k].unit in _NON_NEGATIVE else (-np.inf, np.inf)
        )
        values[:, k] = np.clip(values[:, k], low, high)
    codes = np.tile([model.codes[nd.aggregation] for nd in model.nodes], (m, 1))
    root = np.full(m, model.codes[model.fw.aggregation])
    y = model.run(reg, values, ind_w, node_w, codes, root, scores_only=True)["score"]
    if np.isnan(y).all():
        return None  # no value at all: nothing moves a score that does not exist
    y = np.nan_to_num(y, nan=float(np.nanmean(y)))
    y = y - np.mean(y[: 2 * base])  # centring keeps the estimators' own noise small
    ya, yb = y[:base], y[base : 2 * base]
    variance = np.var(np.concatenate([ya, yb]))
    rows = []
    for i, label in enumerate(labels):
        yab = y[(2 + i) * base : (3 + i) * base]
        first = float(np.mean(yb * (yab - ya)) / variance) if variance > 0 else 0.0
        total = float(0.5 * np.mean((ya - yab) ** 2) / variance) if variance > 0 else 0.0
        rows.append(
            {"factor": label, "first_order": round(first, 4), "total_order": round(total, 4), "total_order_full": total}
        )
    return rows


def zero_variation(spec: Uncertainty) -> Uncertainty:
    """The same settings with every source of variation switched off."""
    return spec.model_copy(
        update={
            "weight_range": Decimal(0),
            "alternatives": {},
            "survey_margins": False,
            "noise": spec.noise.model_copy(
                update={"low": Decimal(0), "medium": Decimal(0), "high": Decimal(0), "unstated": Decimal(0)}
            ),
        }
    )


def analysis_dict(analysis: Analysis) -> dict[str, Any]:
    return {
        "round": analysis.round,
        "samples": analysis.samples,
        "seed": analysis.seed,
        "regions": {
            k: {
                "level": v.level,
                "probabilities": v.probabilities,
                "robust": v.robust,
                "share_same_level": round(v.share_same, 4),
                "score_5_95": [round(x, 3) for x in v.score_interval] if v.score_interval else None,
                "rank_5_95": list(v.rank_interval) if v.rank_interval else None,
                "override": v.override,
                "sensitivity": v.sensitivity[:10],
            }
            for k, v in sorted(analysis.regions.items())
        },
        "factors": analysis.factors[:25],
    }
