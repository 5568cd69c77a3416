"""References: every id a file names must be defined (R002).

One rule, checked wherever an id points elsewhere: the framework's gates and the indicators its host police names
(women among its officers and in command), each indicator's pillar, prerequisites, source types and thresholds,
each region's parent, tier and outline, each assessment's region, round, indicators, sources, sign-off parties
and override, each scenario's round, regions and indicators, and the handover register (bodies, functions,
regions, rounds, parties, levels and indicators of decisions and the mandate calendar).
A reference to something defined in a file that failed validation is not reported: that file's error is.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..i18n import say
from ..loading import Loc
from ..validation import did_you_mean
from .base import ERROR, Context, Problem, Rule, at, pillar_ids

ALL_TIERS = "all"


class UnknownReference(Rule):
    """A reference to a pillar, indicator, region, round, level, tier, party, source type, function or deciding
    body that does not exist, most often a typo; the hint names the closest id, or lists those defined.

    Fails, in indicators/hr/HR-01.yaml:

        pillar: HRM

    Passes, in indicators/hr/HR-01.yaml:

        pillar: HR
    """

    code = "R002"
    name = "unknown-reference"
    severity = ERROR

    def check(self, ctx: Context) -> Iterator[Problem]:
        yield from _in_framework(ctx)
        yield from _in_indicators(ctx)
        yield from _in_regions(ctx)
        yield from _in_assessments(ctx)
        yield from _in_scenarios(ctx)
        yield from _in_register(ctx)


def unknown(
    ctx: Context, kind: str, key: str, loc: Loc, what: str, value: str, known: list[str], key_of: bool = False
) -> Iterator[Problem]:
    """The problem of an unknown `what` named `value`, unless it is defined in a file that failed validation."""
    unreadable = ctx.project.unreadable
    if (what, value) in unreadable or (what, "*") in unreadable:
        return  # defined in a file that failed validation; that file's error is reported
    name = what.replace(" ", "_")
    hint = did_you_mean(value, known) or (
        say(f"rule.R002.known.{name}", ids=", ".join(known[:12]) + (" ..." if len(known) > 12 else ""))
        if known
        else say(f"rule.R002.none.{name}")
    )
    yield at(kind, key, loc, say(f"rule.R002.unknown.{name}", value=value), hint, key_of=key_of)


def _in_framework(ctx: Context) -> Iterator[Problem]:
    fw = ctx.framework
    f = ("framework", "")
    level_ids = ctx.level_ids
    if fw.handover_level not in level_ids:
        yield from unknown(ctx, *f, ("handover_level",), "level", fw.handover_level, level_ids)
    gates = fw.gates
    for name in type(gates).model_fields:
        gate = getattr(gates, name)
        if gate is None:
            continue
        for field in (
            "required_level",
            "cap_at",
            "applies_to",
            "insufficient_level",
            "sustained_level",
            "missing_caps_at",
        ):
            value = getattr(gate, field, None)
            if value is not None and value not in level_ids:
                yield from unknown(ctx, *f, ("gates", name, field), "level", value, level_ids)
    for i, benchmark in enumerate(fw.benchmarks):
        for j, ind_id in enumerate(benchmark.indicators):
            if ind_id not in ctx.project.indicators:
                yield from unknown(ctx, *f, ("benchmarks", i, "indicators", j), "indicator", ind_id, ctx.indicator_ids)
    for i, threat in enumerate(fw.threats):
        for j, ind_id in enumerate(threat.critical):
            if ind_id not in ctx.project.indicators:
                yield from unknown(ctx, *f, ("threats", i, "critical", j), "indicator", ind_id, ctx.indicator_ids)
    host = fw.host_police
    if host is not None:
        for field in ("women", "women_in_command"):
            ind_id = getattr(host, field)
            if ind_id is not None and ind_id not in ctx.project.indicators:
                yield from unknown(ctx, *f, ("host_police", field), "indicator", ind_id, ctx.indicator_ids)
    if gates.sign_off is not None:
        for i, party in enumerate(gates.sign_off.parties):
            if party not in ctx.party_ids:
                yield from unknown(ctx, *f, ("gates", "sign_off", "parties", i), "party", party, ctx.party_ids)
    if gates.tier_thresholds is not None and gates.tier_thresholds.fallback_tier is not None:
        if gates.tier_thresholds.fallback_tier not in ctx.tier_ids:
            yield from unknown(
                ctx,
                *f,
                ("gates", "tier_thresholds", "fallback_tier"),
                "tier",
                gates.tier_thresholds.fallback_tier,
                ctx.tier_ids,
            )


def _in_indicators(ctx: Context) -> Iterator[Problem]:
    pillars = pillar_ids(ctx.framework)
    level_ids, tier_ids = ctx.level_ids, ctx.tier_ids
    for ind in ctx.project.indicators.values():
        key = ("indicator", ind.id)
        if ind.pillar not in pillars:
            yield from unknown(ctx, *key, ("pillar",), "pillar", ind.pillar, pillars)
        for i, req in enumerate(ind.requires):
            if req.indicator not in ctx.project.indicators:
                yield from unknown(ctx, *key, ("requires", i), "indicator", req.indicator, ctx.indicator_ids)
            for field in ("level", "cap_at"):
                value = getattr(req, field)
                if value is not None and value not in level_ids:
                    yield from unknown(ctx, *key, ("requires", i, field), "level", value, level_ids)
        partners = [p.id for p in ctx.framework.partners] if ctx.framework is not None else []
        for i, partner in enumerate(ind.shared_with):
            if partner not in partners:
                yield from unknown(ctx, *key, ("shared_with", i), "partner", partner, partners)
        functions = [f.id for f in ctx.framework.functions] if ctx.framework is not None else []
        for i, function in enumerate(ind.functions):
            if function not in functions:
                yield from unknown(ctx, *key, ("functions", i), "function", function, functions)
        for i, source in enumerate(ind.evidence.source_types):
            if source not in ctx.source_ids:
                yield from unknown(ctx, *key, ("evidence", "source_types", i), "source type", source, ctx.source_ids)
        threat_ids = [t.id for t in ctx.framework.threats]
        for tier, cuts in ind.thresholds.items():
            if tier != ALL_TIERS and tier not in tier_ids and tier not in threat_ids:
                yield from unknown(
                    ctx, *key, ("thresholds", tier), "tier", tier, [ALL_TIERS, *tier_ids, *threat_ids], key_of=True
                )
            for lv in cuts:
                if lv not in level_ids:
                    yield from unknown(ctx, *key, ("thresholds", tier, lv), "level", lv, level_ids, key_of=True)


def _in_regions(ctx: Context) -> Iterator[Problem]:
    project = ctx.project
    region_ids = list(project.regions)
    for region in project.regions.values():
        key = ("region", region.id)
        if region.parent is not None and region.parent not in project.regions:
            yield from unknown(ctx, *key, ("parent",), "region", region.parent, region_ids)
        if region.geometry is not None and region.geometry not in project.geometry:
            yield from unknown(ctx, *key, ("geometry",), "geometry", region.geometry, sorted(project.geometry))
        if region.tier is not None and region.tier not in ctx.tier_ids:
            yield from unknown(ctx, *key, ("tier",), "tier", region.tier, ctx.tier_ids)
        threat_ids = [t.id for t in ctx.framework.threats] if ctx.framework is not None else []
        if region.threat is not None and region.threat not in threat_ids:
            yield from unknown(ctx, *key, ("threat",), "threat", region.threat, threat_ids)


def _in_assessments(ctx: Context) -> Iterator[Problem]:
    project = ctx.project
    sources = set(ctx.source_ids)
    for key, assessment in ctx.assessments():
        path, folder, stem = ctx.filed(key)
        for field, value, named, known in (
            ("region", assessment.region, stem, project.regions),
            ("round", assessment.round, folder, project.rounds),
        ):
            if value in known:
                continue  # (a known id that the file's place contradicts is O006)
            if named in known:  # a misspelt id: the file's name says which was meant
                yield at(
                    *key,
                    (field,),
                    say(f"rule.R002.misspelt.{field}", value=value, path=path),
                    say("rule.R002.misspelt_hint", field=field, named=named),
                )
            else:
                yield from unknown(ctx, *key, (field,), field, value, list(known))
        for ind_id, obs in assessment.observations.items():
            loc: Loc = ("observations", ind_id)
            if ind_id not in project.indicators:
                yield from unknown(ctx, *key, loc, "indicator", ind_id, ctx.indicator_ids, key_of=True)
            for i, ev in enumerate(obs.evidence):
                if ev.source not in sources:
                    yield from unknown(
                        ctx, *key, loc + ("evidence", i, "source"), "source type", ev.source, ctx.source_ids
                    )
        for i, sign in enumerate(assessment.sign_off):
            if sign.party not in ctx.party_ids:
                yield from unknown(ctx, *key, ("sign_off", i, "party"), "party", sign.party, ctx.party_ids)
        for i, member in enumerate(assessment.team):
            if member.party is not None and member.party not in ctx.party_ids:
                yield from unknown(ctx, *key, ("team", i, "party"), "party", member.party, ctx.party_ids)
        override = assessment.override
        if override is not None and override.level not in ctx.level_ids:
            yield from unknown(ctx, *key, ("override", "level"), "level", override.level, ctx.level_ids)
        if override is not None and override.body is not None and override.body not in _bodies(ctx):
            yield from unknown(ctx, *key, ("override", "body"), "body", override.body, _bodies(ctx))


def _in_scenarios(ctx: Context) -> Iterator[Problem]:
    project = ctx.project
    for name, scenario in project.scenarios.items():
        key = ("scenario", name)
        if scenario.round is not None and scenario.round not in project.rounds:
            yield from unknown(ctx, *key, ("round",), "round", scenario.round, list(project.rounds))
        for i, change in enumerate(scenario.changes):
            if change.region not in project.regions:
                yield from unknown(ctx, *key, ("changes", i, "region"), "region", change.region, list(project.regions))
            if change.indicator not in project.indicators:
                yield from unknown(
                    ctx, *key, ("changes", i, "indicator"), "indicator", change.indicator, ctx.indicator_ids
                )


def _bodies(ctx: Context) -> list[str]:
    return [b.id for b in ctx.framework.bodies]


def _in_register(ctx: Context) -> Iterator[Problem]:
    project, fw = ctx.project, ctx.framework
    parties, levels = ctx.party_ids, ctx.level_ids
    regions, rounds = list(project.regions), list(project.rounds)
    functions = [f.id for f in fw.functions]
    f = ("framework", "")
    if fw.partial_handover_level is not None and fw.partial_handover_level not in levels:
        yield from unknown(ctx, *f, ("partial_handover_level",), "level", fw.partial_handover_level, levels)
    for i, body in enumerate(fw.bodies):
        for j, party in enumerate(body.parties):
            if party not in parties:
                yield from unknown(ctx, *f, ("bodies", i, "parties", j), "party", party, parties)
    for decision in project.decisions.values():
        key = ("decision", decision.id)
        if decision.region not in project.regions:
            yield from unknown(ctx, *key, ("region",), "region", decision.region, regions)
        if decision.relied_on not in project.rounds:
            yield from unknown(ctx, *key, ("relied_on",), "round", decision.relied_on, rounds)
        if decision.body is not None and decision.body not in _bodies(ctx):
            yield from unknown(ctx, *key, ("body",), "body", decision.body, _bodies(ctx))
        for i, function in enumerate(decision.functions):
            if function not in functions:
                yield from unknown(ctx, *key, ("functions", i), "function", function, functions)
        for i, position in enumerate(decision.positions):
            if position.party not in parties:
                yield from unknown(ctx, *key, ("positions", i, "party"), "party", position.party, parties)
        for i, condition in enumerate(decision.conditions):
            if condition.owner is not None and condition.owner not in parties:
                yield from unknown(ctx, *key, ("conditions", i, "owner"), "party", condition.owner, parties)
            for round_id, said in condition.status.items():
                loc: Loc = ("conditions", i, "status", round_id)
                if round_id not in project.rounds:
                    yield from unknown(ctx, *key, loc, "round", round_id, rounds, key_of=True)
                for j, party in enumerate(said.verified_by):
                    if party not in parties:
                        yield from unknown(ctx, *key, (*loc, "verified_by", j), "party", party, parties)
                waiver = said.waived_by
                if waiver is not None and waiver not in parties and waiver not in _bodies(ctx):
                    known = _bodies(ctx) + parties
                    yield from unknown(ctx, *key, (*loc, "waived_by"), "body or party", waiver, known)
        for i, trigger in enumerate(decision.triggers):
            if trigger.level_below is not None and trigger.level_below not in levels:
                yield from unknown(ctx, *key, ("triggers", i, "level_below"), "level", trigger.level_below, levels)
            if trigger.indicator is not None and trigger.indicator not in project.indicators:
                loc = ("triggers", i, "indicator")
                yield from unknown(ctx, *key, loc, "indicator", trigger.indicator, ctx.indicator_ids)
            for round_id in trigger.status:
                if round_id not in project.rounds:
                    loc = ("triggers", i, "status", round_id)
                    yield from unknown(ctx, *key, loc, "round", round_id, rounds, key_of=True)
    if project.mandate is not None:
        for i, deadline in enumerate(project.mandate.deadlines):
            for j, region in enumerate(deadline.regions):
                if region not in project.regions:
                    yield from unknown(ctx, "mandate", "", ("deadlines", i, "regions", j), "region", region, regions)
        for i, presence in enumerate(project.mandate.presence):
            if presence.region not in project.regions:
                loc = ("presence", i, "region")
                yield from unknown(ctx, "mandate", "", loc, "region", presence.region, regions)
    for record in project.hrddp.values():
        if record.region not in project.regions:
            yield from unknown(ctx, "hrddp", record.id, ("region",), "region", record.region, regions)
