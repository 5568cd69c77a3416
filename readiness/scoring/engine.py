"""The scoring engine: every region in every round, from the linked project to `Results`.

Steps per assessed region and round: type each observed value; normalise it; rate the indicator against its
tier's thresholds; cap indicators whose prerequisites are not met, in topological order; aggregate the
pillar tree; map the rounded score to a level; apply the gates (the lowest allowance wins); promote to
"sustained" where earned; apply a valid leadership override. Then roll nested regions up to their parents,
and compare each round with the previous one. Pure: the project in, results out.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Literal

from ..loading import paused_gc
from ..model import Assessment, Framework, Indicator, Region, ValueProblem, value_reader
from ..project import Project
from ..register import Holding, Register
from .aggregate import Tree, level_for_score
from .gates import CAPPING, OVERRIDE, ROLL_UP, SUSTAINED, GateContext
from .handover import handover_path, projection
from .index import FrameworkIndex
from .margin import survey_margin, within_margin
from .normalise import level_reached, round_score, thresholds_for
from .primacy import Primacy
from .results import FunctionLevel, GateEffect, IndicatorResult, PillarResult, RegionRound, Results


class _Plan:
    """What scoring one indicator needs, worked out once per project rather than once per observation."""

    __slots__ = (
        "ind",
        "id",
        "weight",
        "critical",
        "higher",
        "max_age",
        "requires",
        "causes",
        "read",
        "score",
        "tiers",
    )

    def __init__(self, engine: Engine, ind: Indicator) -> None:
        fw, index = engine.fw, engine.index
        self.ind, self.id, self.weight, self.critical = ind, ind.id, ind.weight, ind.critical
        self.higher = ind.direction == "higher"
        self.read = value_reader(ind, fw.scale)
        self.max_age = index.max_age[ind.id]
        self.requires = [(req.indicator, req.level, req.cap_at) for req in index.requires[ind.id]]
        self.causes = [(req.indicator, req.level) for req in index.causes[ind.id]]
        self.score = index.methods[ind.id].scorer(ind, fw.scale)
        self.tiers: dict[
            tuple[str | None, str | None], tuple[str, dict[str, Decimal], Decimal | None, list[tuple[str, Decimal]]]
        ] = {}

    def thresholds(
        self, engine: Engine, tier: str | None, threat: str | None = None
    ) -> tuple[str, dict[str, Decimal], Decimal | None, list[tuple[str, Decimal]]]:
        """Tier used, its cut-offs, the handover target, and the scored levels above the lowest with their
        cut-offs (the ladder a value climbs)."""
        found = self.tiers.get((tier, threat))
        if found is None:
            tier_used, cutoffs = thresholds_for(self.ind, tier, threat)
            ladder = [(lv, cutoffs[lv]) for lv in engine.scored[1:] if cutoffs.get(lv) is not None]
            found = self.tiers[(tier, threat)] = (tier_used, cutoffs, cutoffs.get(engine.fw.handover_level), ladder)
        return found


class Engine:
    """Holds what every region shares: the compiled framework (`FrameworkIndex`) and each indicator's plan."""

    def __init__(self, project: Project, index: FrameworkIndex | None = None) -> None:
        self.project = project
        self.index = index or FrameworkIndex(project)
        self.fw: Framework = self.index.framework
        self.order = self.index.order
        self.scored = self.index.scored
        self.topological = self.index.topological
        self.depth = self.index.depth
        self.plans = [_Plan(self, project.indicators[ind_id]) for ind_id in self.topological]
        self.plan = {plan.id: plan for plan in self.plans}
        self.ceilings = self.index.ceilings
        self.tree = Tree(self.index, project.indicators)
        self.register = Register(project)
        self.primacy = Primacy(project, self.register, self.order)
        tier_gate = self.fw.gates.tier_thresholds
        self.oldest: dict[tuple[date, int], date] = {}
        """The oldest evidence date still current, by round date and maximum age."""
        self.fixed_tier: str | None | Literal[False] = (
            tier_gate.fallback_tier if tier_gate is not None and not tier_gate.enabled else False
        )
        self.critical_at: dict[str, set[str]] = {}
        """The indicators a threat makes critical: its own and those of every lower threat."""
        added: set[str] = set()
        for threat in self.fw.threats:
            added = added | set(threat.critical)
            self.critical_at[threat.id] = added
        self.retiring = any(ind.retired is not None for ind in project.indicators.values())
        """Some indicator is retired from a day on (`Project.asks` is then read per indicator)."""
        self.criteria = function_criteria(self.fw, project.indicators)
        """The indicators each policing function is judged on (empty when no indicator names a function)."""

    # ------------------------------------------------------------ one indicator

    def indicator_result(
        self,
        plan: _Plan,
        assessment: Assessment,
        tier: str | None,
        round_date: date,
        done: dict[str, IndicatorResult],
        threat: str | None = None,
    ) -> IndicatorResult:
        if self.fixed_tier is not False:
            tier, threat = self.fixed_tier, None
        tier_used, cuts, target, ladder = plan.thresholds(self, tier, threat)
        critical = plan.critical or (threat is not None and plan.id in self.critical_at.get(threat, ()))
        result = IndicatorResult(
            plan.id, "missing", weight=plan.weight, critical=critical, tier_used=tier_used, target=target
        )
        round_ = self.project.rounds.get(assessment.round)
        if round_ is not None and round_.amendments and round_.amended(assessment.region, plan.id):
            result.amended = True  # the figure rests on a value changed after the round was sealed
        obs = assessment.observations.get(plan.id)
        if obs is None:
            return result
        if obs.not_applicable is not None:
            result.status, result.reason = "not-applicable", obs.not_applicable
            return result
        if obs.value is None:
            if obs.not_collected is None:  # a round being collected: the value is still to come
                result.status = "pending"
                return result
            result.status, result.reason = "not-collected", obs.not_collected
            return result
        try:
            value = plan.read(obs)
        except ValueProblem as problem:
            result.status, result.reason = "invalid", problem.message
            return result
        if value is None:  # the reader gives None only for a missing value, handled above
            return result
        result.status, result.raw = "value", value
        latest: date | None = None
        sources: set[str] = set()
        key = (round_date, plan.max_age)
        oldest = self.oldest.get(key)
        if oldest is None:
            oldest = self.oldest[key] = round_date - timedelta(days=plan.max_age)
        for ev in obs.evidence:
            when = ev.date
            if when <= round_date:
                if latest is None or when > latest:
                    latest = when
                if when >= oldest:
                    sources.add(ev.source)
        if latest is not None:
            result.latest_evidence = latest.isoformat()
            age = result.evidence_age_days = (round_date - latest).days
            result.current = age <= plan.max_age
        if sources:
            result.source_types = sorted(sources)
        result.score = result.capped_score = plan.score(value)
        # an empty set of cut-offs: the indicator counts in the score but has no level of its own
        level = level_reached(plan.higher, value, ladder, self.scored[0]) if cuts else None
        result.uncapped_level = result.level = level
        if obs.evidence and (margin := survey_margin(plan.ind, obs, value)) is not None:
            result.margin = round(margin, 2)
            result.within_margin = within_margin(value, margin, ladder, level, plan.higher)  # type: ignore[arg-type]
        if plan.requires:
            order = self.order
            caps: list[str] = []
            for req_id, need, cap_at in plan.requires:
                pre = done.get(req_id)
                if pre is None or pre.status == "not-applicable":
                    continue
                if pre.level is None or order[pre.level] < need:
                    result.capped_by.append(req_id)
                    caps.append(cap_at)
            if caps:
                cap = min(caps, key=order.__getitem__)
                if level is not None and order[cap] < order[level]:
                    result.level = cap
                result.capped_score = min(result.score, self.ceilings[cap])
        for req_id, need in plan.causes:
            pre = done.get(req_id)
            if pre is None or pre.status == "not-applicable":
                continue
            if pre.level is None or self.order[pre.level] < need:
                result.at_risk_from.append(req_id)
        return result

    # ------------------------------------------------------------ one region in one round

    def region_round(
        self, region: Region, round_id: str, assessment: Assessment, history: list[RegionRound]
    ) -> RegionRound:
        fw = self.fw
        round_date = self.project.rounds[round_id].date
        indicators: dict[str, IndicatorResult] = {}
        tier = region.tier
        narrowed = bool(region.criteria) or self.retiring
        for plan in self.plans:
            if narrowed and not self.project.asks(region.id, round_id, plan.id):  # retired, or outside its criteria
                indicators[plan.id] = IndicatorResult(plan.id, "not-applicable", weight=plan.weight)
                continue
            indicators[plan.id] = self.indicator_result(plan, assessment, tier, round_date, indicators, region.threat)
        score, uncapped_score, coverage, pillars = self.tree.aggregate(indicators)
        rounded = None if score is None else round_score(score, fw.rounding)
        score_level = level_for_score(fw, rounded)
        uncapped_level = (
            score_level
            if uncapped_score == score
            else level_for_score(fw, None if uncapped_score is None else round_score(uncapped_score, fw.rounding))
        )
        ctx = GateContext(
            fw,
            self.order,
            indicators,
            pillars,
            coverage,
            rounded,
            uncapped_level,
            score_level,
            assessment,
            round_date,
            history,
        )
        handed = self.register.handed_over(region.id, round_id)
        if handed is not None:
            after = self.register.index[handed.relied_on]
            ctx.handover = handed.id
            ctx.since_handover = [h for h in history if self.register.index[h.round] > after]
        computed, effects = self.gated(ctx)
        level = computed
        o = OVERRIDE.apply(ctx, computed)
        override_info = None
        if o is not None:
            effects.append(o)
            level = o.allows
            override_info = {
                "level": o.allows,
                "computed_level": computed,
                **o.details,
                "rationale": assessment.override.rationale if assessment.override else "",
            }
        result = RegionRound(
            region=region.id,
            round=round_id,
            assessed=True,
            score=score,
            rounded=rounded,
            level=level,
            score_level=score_level,
            computed_level=computed,
            coverage=coverage,
            pillars=pillars,
            indicators=indicators,
            gates=effects,
            override=override_info,
        )
        result.path = handover_path(self, result, assessment)
        if self.criteria and region.kind != "national":  # an institution is not handed over by function
            held = self.register.holdings(region.id, round_id)
            result.functions = {
                function: self.function_level(function, criteria, held.get(function), round_date, ctx, history)
                for function, criteria in self.criteria.items()
            }
        return result

    def gated(self, ctx: GateContext) -> tuple[str, list[GateEffect]]:
        """The level every gate allows (the lowest wins), promoted to sustained where earned, and the gates that
        bit: the region's and each function's level come from this one sequence."""
        if ctx.uncapped_level is None:
            evidence_gate = self.fw.gates.evidence
            base = evidence_gate.insufficient_level if evidence_gate else self.scored[0]
        else:
            base = ctx.uncapped_level
        level = base
        effects: list[GateEffect] = []
        for gate in CAPPING:
            effect = gate.evaluate(ctx)
            if effect is not None and self.order[effect.allows] < self.order[base]:
                effects.append(effect)
                if self.order[effect.allows] < self.order[level]:
                    level = effect.allows
        promoted = SUSTAINED.promote(ctx, level)
        if promoted is not None:
            effects.append(promoted)
            level = promoted.allows
        return level, effects

    def function_level(
        self,
        function: str,
        criteria: list[str],
        holding: Holding | None,
        round_date: date,
        region_ctx: GateContext,
        history: list[RegionRound],
    ) -> FunctionLevel:
        """One function of a region in a round: its criteria aggregated over the pillar tree and passed through the
        region's gates, its track record read from its own earlier levels; sustained only after a handover of
        that function."""
        fw = self.fw
        indicators = region_ctx.indicators
        own = {ind_id: indicators[ind_id] for ind_id in criteria if ind_id in indicators}
        score, uncapped_score, coverage, pillars = self.tree.aggregate(own, fill=False)
        rounded = None if score is None else round_score(score, fw.rounding)
        score_level = level_for_score(fw, rounded)
        uncapped_level = (
            score_level
            if uncapped_score == score
            else level_for_score(fw, None if uncapped_score is None else round_score(uncapped_score, fw.rounding))
        )
        past = [
            RegionRound(
                region=h.region,
                round=h.round,
                assessed=True,
                score=f.score,
                rounded=f.rounded,
                level=f.level,
                score_level=f.score_level,
                computed_level=f.computed_level,
                coverage=f.coverage,
                indicators=h.indicators,
            )
            for h in history
            if (f := h.functions.get(function)) is not None
        ]
        ctx = GateContext(
            fw,
            self.order,
            own,
            pillars,
            coverage,
            rounded,
            uncapped_level,
            score_level,
            region_ctx.assessment,
            round_date,
            past,
        )
        decision = holding.decision if holding is not None else None
        if holding is not None and holding.primacy == "host" and decision is not None and decision.kind == "handover":
            after = self.register.index[decision.relied_on]
            ctx.handover = decision.id
            ctx.since_handover = [h for h in past if self.register.index[h.round] > after]
        level, effects = self.gated(ctx)
        return FunctionLevel(
            function=function,
            level=level,
            score=score,
            rounded=rounded,
            score_level=score_level,
            computed_level=level,
            coverage=coverage,
            criteria=[ind_id for ind_id in criteria if ind_id in own],
            gates=effects,
        )

    # ------------------------------------------------------------ roll-up

    def roll_up(self, region: Region, round_id: str, children: list[RegionRound]) -> RegionRound:
        """A parent without its own assessment: the weighted mean of its children, as ready as the least
        ready of them."""
        fw = self.fw
        weights = [float(self.project.regions[c.region].population or 0) for c in children]
        if fw.roll_up == "equal" or not all(w > 0 for w in weights):
            weights = [1.0] * len(children)
        scored = [(s, w) for c, w in zip(children, weights, strict=True) if (s := c.score) is not None]
        total = sum(w for _, w in scored)
        score = sum(s * w for s, w in scored) / total if scored else None
        coverage = sum(c.coverage * w for c, w in zip(children, weights, strict=True)) / sum(weights)
        pillars: dict[str, PillarResult] = {}
        for pid in sorted({p for c in children for p in c.pillars}):
            parts = [(c.pillars[pid], w) for c, w in zip(children, weights, strict=True) if pid in c.pillars]
            with_score = [(s, w) for p, w in parts if (s := p.score) is not None]
            ps = sum(s * w for s, w in with_score) / sum(w for _, w in with_score) if with_score else None
            pillars[pid] = PillarResult(
                pid,
                ps,
                None if ps is None else round_score(ps, fw.rounding),
                sum(p.coverage * w for p, w in parts) / sum(w for _, w in parts),
                "roll-up",
            )
        rounded = None if score is None else round_score(score, fw.rounding)
        level = min((c.level for c in children), key=self.order.__getitem__)
        effect = ROLL_UP.effect(level, children)
        return RegionRound(
            region=region.id,
            round=round_id,
            assessed=False,
            score=score,
            rounded=rounded,
            level=level,
            score_level=level_for_score(fw, rounded),
            computed_level=level,
            coverage=coverage,
            pillars=pillars,
            gates=[effect],
            children=[c.region for c in children],
        )


def function_criteria(fw: Framework, indicators: dict[str, Indicator]) -> dict[str, list[str]]:
    """The indicators each of the framework's functions is judged on: those that name it and those that name no
    function. Empty when no indicator names a function (every function would be judged on everything: the
    region's level is the answer); a function no indicator names has no criteria of its own and no level."""
    if not fw.functions or not any(ind.functions for ind in indicators.values()):
        return {}
    named = {f for ind in indicators.values() for f in ind.functions}
    return {
        f.id: [ind_id for ind_id, ind in indicators.items() if not ind.functions or f.id in ind.functions]
        for f in fw.functions
        if f.id in named
    }


def score_project(project: Project, on_round: Callable[[Results, str], None] | None = None) -> Results:
    """Score every region in every round of a linked project. `on_round(results, round_id)` is called as
    soon as a round is final (scored, rolled up and compared with the rounds before it)."""
    with paused_gc():
        return _score_project(project, on_round)


def _score_project(project: Project, on_round: Callable[[Results, str], None] | None = None) -> Results:
    engine = Engine(project)
    fw = engine.fw
    rounds = [project.rounds[r] for r in project.round_order]
    results = Results(
        framework=fw.name,
        rounds=[r.id for r in rounds],
        levels=[lv.id for lv in fw.levels],
        handover_level=fw.handover_level,
        provisional=[r.id for r in rounds if r.collecting],
    )
    history: dict[str, list[RegionRound]] = {}
    series: dict[str, list[RegionRound]] = {}
    for round_ in rounds:
        for region_id in sorted(project.regions):
            assessment = project.assessments.get((round_.id, region_id))
            if assessment is None:
                continue
            past = history.setdefault(region_id, [])
            result = engine.region_round(project.regions[region_id], round_.id, assessment, past)
            results.regions[(round_.id, region_id)] = result
            past.append(result)
        _roll_up_round(engine, project, round_.id, results)
        _compare_round(engine, results, round_.id, series)
        engine.primacy.round(results, round_.id)
        if on_round is not None:
            on_round(results, round_.id)
    return results


def _roll_up_round(engine: Engine, project: Project, round_id: str, results: Results) -> None:
    def visit(region_id: str, trail: frozenset[str]) -> RegionRound | None:
        existing = results.get(round_id, region_id)
        if existing is not None:
            return existing
        parts = [
            r
            for c in sorted(project.children(region_id))
            if project.regions[c].kind != "national"  # a national institution is assessed once, never rolled up
            if c not in trail
            for r in [visit(c, trail | {c})]
            if r is not None
        ]
        if not parts:
            return None
        rolled = engine.roll_up(project.regions[region_id], round_id, parts)
        results.regions[(round_id, region_id)] = rolled
        return rolled

    for region_id in sorted(project.regions):
        visit(region_id, frozenset({region_id}))


def _compare_round(engine: Engine, results: Results, round_id: str, series: dict[str, list[RegionRound]]) -> None:
    """Change, regression and projection of every region in `round_id`, against its earlier rounds (`series`,
    oldest first, which this extends)."""
    for region_id, current in sorted(
        (region_id, r) for (rnd, region_id), r in results.regions.items() if rnd == round_id
    ):
        past = series.setdefault(region_id, [])
        previous = past[-1] if past else None
        if previous is not None:
            if current.rounded is not None and previous.rounded is not None:
                current.change = current.rounded - previous.rounded
            current.previous_level = previous.level
            delta = engine.order[current.level] - engine.order[previous.level]
            current.level_change = "up" if delta > 0 else "down" if delta < 0 else "same"
            current.regression = delta < 0 or (current.change is not None and current.change < 0)
        past.append(current)
        current.projection = projection(engine, past)
