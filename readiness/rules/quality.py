"""Data quality: values that are plausible one by one but not together. An unusual share of a region's values just
above their cut-offs (Q001); a value resting on a survey that gives no sample size, for a critical indicator
(Q002) or another (Q003); a survey value identical to the round before (Q004).

A source type is a survey when the framework says so (`source_types[].survey`). Every round is checked, sealed
ones included; a value pending, not collected or not applicable is not a value and is never reported. The
thresholds a value is rated against are the engine's (`model.thresholds_for`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from ..i18n import say, say_n
from ..loading import Loc
from ..model import Indicator, Observation, ValueProblem, thresholds_for
from .base import ERROR, WARNING, Context, Problem, Rule, at

#: How many indicators a Q001 message names before "and N more".
NAMED = 6


def cutoffs(indicator: Indicator, tier: str | None, threat: str | None = None) -> dict[str, Decimal]:
    """The cut-offs that apply to a region of `tier` at `threat`, as the engine rates values against them
    (`model.thresholds_for`, the one definition)."""
    return thresholds_for(indicator, tier, threat)[1] if indicator.thresholds else {}


@dataclass(frozen=True, slots=True)
class _Value:
    """One value of one assessment, read: where it is written and what it rests on."""

    round: str
    region: str
    indicator: Indicator
    observation: Observation
    value: Decimal | bool
    loc: Loc
    """Where the observation is written: `("observations", id)`, the id as the file writes it."""
    population: str | None
    """The population, for one population of an indicator measured per population (its value is the
    observation's `populations:` entry, or its `value`)."""
    critical: bool
    """Critical in its region: the indicator's own `critical`, or critical at the region's threat."""
    cuts: dict[str, Decimal]
    """The cut-offs that apply in its region (its tier's and threat's)."""

    @property
    def key(self) -> tuple[str, str]:
        return "assessment", f"{self.round}/{self.region}"


def _written(ctx: Context, ind_id: str) -> tuple[str, str | None]:
    """The indicator id as the assessment file writes it, and the population when `ind_id` is one population of
    an indicator measured per population (`HR-05.women` is written under `HR-05`, `populations: {women: ...}`)."""
    populations = {p.id for p in ctx.framework.populations}
    base, dot, population = ind_id.rpartition(".")
    if dot and population in populations and ind_id in ctx.project.indicators and base not in ctx.project.indicators:
        return base, population
    return ind_id, None


def read_values(ctx: Context) -> dict[tuple[str, str], list[_Value]]:
    """Every value of every assessment, typed by its indicator's unit, with its region's cut-offs and whether the
    indicator is critical there, by (round, region) in the order of the file. Values that do not read (O001 and
    O002 report them), indicators unknown (R002) and observations with no value are left out."""
    project, fw = ctx.project, ctx.framework
    gate = fw.gates.tier_thresholds
    fixed = gate is not None and not gate.enabled  # every region uses the fallback tier, threats aside
    critical_at: dict[str, set[str]] = {}
    added: set[str] = set()
    for level in fw.threats:
        added = added | set(level.critical)
        critical_at[level.id] = added
    found: dict[tuple[str, str], list[_Value]] = {}
    shared_cuts: dict[tuple[str, str | None, str | None], dict[str, Decimal]] = {}
    for (round_id, region_id), assessment in project.assessments.items():
        region = project.regions.get(region_id)
        tier = gate.fallback_tier if fixed and gate is not None else region.tier if region else None
        threat = None if fixed or region is None else region.threat
        values = found.setdefault((round_id, region_id), [])
        for ind_id, obs in assessment.observations.items():
            ind = project.indicators.get(ind_id)
            if ind is None or obs.value is None or obs.not_applicable is not None:
                continue
            try:
                value = ctx.value(ind, obs)
            except ValueProblem:
                continue
            if value is None:
                continue
            written, population = _written(ctx, ind_id)
            loc: Loc = ("observations", written)
            critical = ind.critical or (threat is not None and ind_id in critical_at.get(threat, ()))
            key = (ind_id, tier, threat)
            cuts = shared_cuts.get(key)
            if cuts is None:  # one mapping per indicator, tier and threat, read by every value that has them
                cuts = shared_cuts[key] = dict(cutoffs(ind, tier, threat))
            values.append(_Value(round_id, region_id, ind, obs, value, loc, population, critical, cuts))
    return found


def _survey_sources(ctx: Context) -> set[str]:
    return {s.id for s in ctx.framework.source_types if s.survey}


def _number(value: Decimal | int) -> str:
    """A number as the files write it: 3, 2.5 (no exponent, no trailing zeros)."""
    text = f"{Decimal(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


class NearCutoffShare(Rule):
    """An unusual share of a region's values in one round sitting just above one of their cut-offs: values
    rounded up to pass, targets met on paper, figures reported to reach a level. A value is just above a cut-off
    when it passes it (in the indicator's direction, against the region's tier and threat thresholds, as scoring
    rates it) by less than the framework's `data_quality.near_cutoff_band` per cent (3 by default) of the
    indicator's range: its goalposts' |best - worst|, else the cut-off's own value. A yes/no value is never just
    above (it is its cut-off or not), nor a count whose band is narrower than one (five meetings where five are
    needed is what a count often is, not a figure nudged over the line). The region's round is reported when at
    least `near_cutoff_min` (5) values are just above and they are more than `near_cutoff_share` per cent (25) of
    its values with a level. Nothing needs changing when the values are right: the warning asks for a second look
    at their sources.

    Fails, in indicators/framework.yaml (north, 2026-q3: HR-01 85 for 80, LO-01 45 for 60):

        data_quality: {near_cutoff_band: 8, near_cutoff_min: 2}

    Passes, in indicators/framework.yaml (no round of a region has three values just above):

        data_quality: {near_cutoff_band: 3, near_cutoff_min: 3}
    """

    code = "Q001"
    name = "near-cutoff-share"
    severity = WARNING

    def check(self, ctx: Context) -> Iterator[Problem]:
        settings = ctx.framework.data_quality
        band, share_limit = settings.near_cutoff_band, settings.near_cutoff_share
        scored = [lv.id for lv in ctx.framework.levels if lv.min_score is not None]
        for (round_id, region_id), values in sorted(ctx.shared(read_values).items()):
            rated = [v for v in values if v.cuts]
            near = [v.indicator.id for v in rated if _just_above(v, scored[1:], band)]
            if not rated or len(near) < settings.near_cutoff_min:
                continue
            share = Decimal(len(near)) * 100 / len(rated)
            if share <= share_limit:
                continue
            shown = ", ".join(near[:NAMED])
            if len(near) > NAMED:
                shown = say_n("rule.Q001.more", len(near) - NAMED, names=shown)
            yield at(
                "assessment",
                f"{round_id}/{region_id}",
                ("observations",),
                say(
                    "rule.Q001.near",
                    count=len(near),
                    total=len(rated),
                    share=_number(share.quantize(Decimal(1), rounding=ROUND_HALF_UP)),
                    region=region_id,
                    round=round_id,
                    band=_number(band),
                    indicators=shown,
                ),
                say("rule.Q001.near_hint", limit=_number(share_limit)),
                key_of=True,
            )


def _just_above(v: _Value, ladder: list[str], band: Decimal) -> bool:
    """Whether the value passes one of its cut-offs by less than `band` per cent of the indicator's range."""
    if isinstance(v.value, bool):
        return False
    higher = v.indicator.direction == "higher"
    best, worst = getattr(v.indicator.scoring, "best", None), getattr(v.indicator.scoring, "worst", None)
    for level in ladder:
        cut = v.cuts.get(level)
        if cut is None:
            continue
        margin = v.value - cut if higher else cut - v.value
        if margin < 0:
            continue  # not passed
        span = abs(best - worst) if best is not None and worst is not None else abs(cut)
        if v.indicator.unit in WHOLE_UNITS and band * span < 100:
            continue  # a band narrower than one: only a value exactly on the cut-off, which a count often is
        if margin * 100 < band * span:
            return True
    return False


#: Units whose values are whole numbers (`read_value` refuses a fraction).
WHOLE_UNITS = ("count", "ordinal")


def _missing_samples(ctx: Context, critical: bool) -> Iterator[Problem]:
    """Survey evidence with no `sample_size` behind a value, of critical indicators or of the others."""
    surveys = _survey_sources(ctx)
    if not surveys:
        return
    code = "Q002" if critical else "Q003"
    seen: set[tuple[str, str, Loc]] = set()
    for (_, region_id), values in sorted(ctx.shared(read_values).items()):
        for v in values:
            if v.critical != critical:
                continue
            for i, ev in enumerate(v.observation.evidence):
                loc = v.loc + ("evidence", i)
                if ev.source not in surveys or ev.sample_size is not None or (*v.key, loc) in seen:
                    continue
                seen.add((*v.key, loc))  # one indicator measured per population: its evidence once
                yield at(
                    *v.key,
                    loc,
                    say(f"rule.{code}.no_sample", indicator=v.loc[-1], reference=repr(ev.reference), region=region_id),
                    say(f"rule.{code}.no_sample_hint"),
                )


class CriticalSurveyWithoutSample(Rule):
    """A value of a critical indicator (critical itself, or at the region's threat) resting on a survey that
    gives no sample size: without the respondents behind it, the value's margin of error cannot be worked out,
    and a level that the margin would put in doubt is published as certain. A source type is a survey when the
    framework marks it `survey: true`. For a subsample (bribery among people who had contact with the police),
    the sample is the subsample's respondents, not the whole survey's.

    Fails, in assessments/2026-q3/north.yaml (HR-02 is critical; SUR is a survey):

        observations:
          HR-02:
            evidence:
              - {source: ADM, reference: Certification register, date: 2026-09-10}
              - {source: SUR, reference: Officer survey 2026, date: 2026-09-08}

    Passes, in assessments/2026-q3/north.yaml:

        observations:
          HR-02:
            evidence:
              - {source: ADM, reference: Certification register, date: 2026-09-10}
              - {source: SUR, reference: Officer survey 2026, date: 2026-09-08, sample_size: 412}
    """

    code = "Q002"
    name = "critical-survey-without-sample"
    severity = ERROR

    def check(self, ctx: Context) -> Iterator[Problem]:
        return _missing_samples(ctx, critical=True)


class SurveyWithoutSample(Rule):
    """A value resting on a survey that gives no sample size (an indicator that is not critical; Q002 is the
    error for a critical one): without the respondents behind it, the value's margin of error cannot be worked
    out. For a subsample (bribery among people who had contact with the police), the sample is the subsample's
    respondents, not the whole survey's.

    Fails, in assessments/2026-q3/north.yaml (SUR is a survey):

        observations:
          HR-01:
            evidence:
              - {source: SUR, reference: Station staffing survey, date: 2026-09-15}

    Passes, in assessments/2026-q3/north.yaml:

        observations:
          HR-01:
            evidence:
              - {source: SUR, reference: Station staffing survey, date: 2026-09-15, sample_size: 96}
    """

    code = "Q003"
    name = "survey-without-sample"
    severity = WARNING

    def check(self, ctx: Context) -> Iterator[Problem]:
        return _missing_samples(ctx, critical=False)


class SurveyValueRepeated(Rule):
    """A value resting on a survey that is identical to the same region's value for the same indicator in the
    round before: most often a figure copied forward from the last wave rather than a new wave's. Two waves
    rarely give the same figure to the last decimal. When it is right (a new wave gave the same figure, or no
    new wave was run and the last one still stands), say so in the observation's note.

    Fails, in assessments/2026-q3/north.yaml (HR-01 was 72 in 2026-q1):

        observations:
          HR-01:
            value: 72
            evidence:
              - {source: SUR, reference: Station staffing survey, date: 2026-09-15, sample_size: 96}

    Passes, in assessments/2026-q3/north.yaml:

        observations:
          HR-01:
            value: 74
            evidence:
              - {source: SUR, reference: Station staffing survey, date: 2026-09-15, sample_size: 96}
    """

    code = "Q004"
    name = "survey-value-repeated"
    severity = WARNING

    def check(self, ctx: Context) -> Iterator[Problem]:
        surveys = _survey_sources(ctx)
        if not surveys:
            return
        project, values = ctx.project, ctx.shared(read_values)
        for (round_id, region_id), current in sorted(values.items()):
            before_id = project.previous_round(round_id) if round_id in project.rounds else None
            if before_id is None:
                continue
            previous = {v.indicator.id: v.value for v in values.get((before_id, region_id), ())}
            for v in current:
                if isinstance(v.value, bool) or v.observation.note is not None:
                    continue
                if not any(ev.source in surveys for ev in v.observation.evidence):
                    continue
                old = previous.get(v.indicator.id)
                if old is None or isinstance(old, bool) or old != v.value:
                    continue
                yield at(
                    *v.key,
                    v.loc if v.population else v.loc + ("value",),
                    say(
                        "rule.Q004.repeated",
                        indicator=v.indicator.id,
                        value=_number(v.value),
                        round=round_id,
                        before=before_id,
                    ),
                    say("rule.Q004.repeated_hint"),
                    key_of=v.population is not None,  # a population's value: at the indicator's key
                )
