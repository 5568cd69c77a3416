"""Evidence behind each value: dated within the round (E001) and recent enough (E002), of enough kinds for a
critical indicator (E003), there at all (E004), and restricted consistently (E005)."""

from __future__ import annotations

from collections.abc import Iterator

from ..i18n import say
from ..loading import Loc
from ..model import short
from .base import ERROR, WARNING, Context, Problem, Rule, at
from .dates import plausible


class EvidenceFuture(Rule):
    """Evidence dated after its round's cut-off date (it belongs to a later round), or after today.

    Fails, in assessments/2026-q3/north.yaml (the round's cut-off is 2026-09-30):

        observations:
          HR-01:
            evidence:
              - {source: ADM, reference: Personnel register, date: 2026-10-02}

    Passes, in assessments/2026-q3/north.yaml:

        observations:
          HR-01:
            evidence:
              - {source: ADM, reference: Personnel register, date: 2026-09-15}
    """

    code = "E001"
    name = "evidence-future"
    severity = ERROR

    def check(self, ctx: Context) -> Iterator[Problem]:
        for key, assessment in ctx.assessments():
            cutoff = ctx.cutoff(assessment.round)
            if cutoff is not None and not plausible(cutoff):
                continue  # S004 reports the round's date; every evidence date would follow it
            bound = ctx.today if cutoff is None else min(cutoff, ctx.today)
            for ind_id, obs in assessment.observations.items():
                for i, ev in enumerate(obs.evidence):
                    if ev.date <= bound or not plausible(ev.date):
                        continue
                    loc = ("observations", ind_id, "evidence", i, "date")
                    if cutoff is not None and ev.date > cutoff:
                        yield at(
                            *key,
                            loc,
                            say("rule.E001.after_cutoff", date=ev.date, cutoff=cutoff),
                            say("rule.E001.after_cutoff_hint"),
                        )
                    elif ev.date > ctx.today:
                        yield at(*key, loc, say("rule.E001.future", date=ev.date), say("rule.E001.future_hint"))


class EvidenceAge(Rule):
    """Evidence older, at its round's cut-off date, than the indicator's `evidence.max_age_days` allows (or the
    evidence gate's `max_age_days`, 365 days without one).

    Fails, in assessments/2026-q3/north.yaml (the round's cut-off is 2026-09-30):

        observations:
          HR-01:
            evidence:
              - {source: ADM, reference: Personnel register, date: 2025-06-30}

    Passes, in assessments/2026-q3/north.yaml:

        observations:
          HR-01:
            evidence:
              - {source: ADM, reference: Personnel register, date: 2026-09-15}
    """

    code = "E002"
    name = "evidence-age"
    severity = WARNING

    def check(self, ctx: Context) -> Iterator[Problem]:
        gate = ctx.framework.gates.evidence
        default_age = gate.max_age_days if gate else 365
        ages = {
            ind.id: ind.evidence.max_age_days for ind in ctx.project.indicators.values() if ind.evidence.max_age_days
        }
        for key, assessment in ctx.assessments():
            cutoff = ctx.cutoff(assessment.round)
            if cutoff is None or not plausible(cutoff):
                continue  # S004 reports a round's date outside the accepted span
            for ind_id, obs in assessment.observations.items():
                max_age = ages.get(ind_id, default_age)
                for i, ev in enumerate(obs.evidence):
                    # the difference of two dates never overflows, whatever the dates
                    age = (cutoff - ev.date).days
                    if age > max_age and plausible(ev.date):
                        yield at(
                            *key,
                            ("observations", ind_id, "evidence", i, "date"),
                            say("rule.E002.too_old", date=ev.date, age=age, indicator=ind_id, max_age=max_age),
                            say("rule.E002.too_old_hint"),
                        )


class EvidenceSources(Rule):
    """A critical indicator whose value rests on fewer distinct source types than the evidence gate's
    `critical_source_types` (administrative records alone, say, without a field visit).

    Fails, in assessments/2026-q3/north.yaml (HR-02 is critical; two source types are required):

        observations:
          HR-02:
            evidence:
              - {source: ADM, reference: Certification register, date: 2026-09-10}

    Passes, in assessments/2026-q3/north.yaml:

        observations:
          HR-02:
            evidence:
              - {source: ADM, reference: Certification register, date: 2026-09-10}
              - {source: FV, reference: Spot check of three stations, date: 2026-09-12}
    """

    code = "E003"
    name = "evidence-sources"
    severity = WARNING

    def check(self, ctx: Context) -> Iterator[Problem]:
        gate = ctx.framework.gates.evidence
        min_sources = gate.critical_source_types if gate and gate.enabled else 1
        critical = {ind.id for ind in ctx.project.indicators.values() if ind.critical}
        for key, assessment in ctx.assessments():
            for ind_id, obs in assessment.observations.items():
                if ind_id not in critical or obs.value is None or not obs.evidence:
                    continue
                kinds = {ev.source for ev in obs.evidence}
                if len(kinds) < min_sources:
                    yield at(
                        *key,
                        ("observations", ind_id, "evidence"),
                        say(
                            "rule.E003.too_few",
                            indicator=ind_id,
                            needed=min_sources,
                            count=len(kinds),
                            sources=", ".join(sorted(kinds)),
                        ),
                        say("rule.E003.too_few_hint"),
                        key_of=True,
                    )


class EvidenceMissing(Rule):
    """A value with no evidence at all: nobody could check where it came from.

    Fails, in assessments/2026-q3/south.yaml:

        observations:
          LO-02:
            value: true
            evidence: []

    Passes, in assessments/2026-q3/south.yaml:

        observations:
          LO-02:
            value: true
            evidence:
              - {source: FV, reference: Station visits, date: 2026-09-05}
    """

    code = "E004"
    name = "evidence-missing"
    severity = WARNING

    def check(self, ctx: Context) -> Iterator[Problem]:
        indicators = ctx.project.indicators
        for key, assessment in ctx.assessments():
            for ind_id, obs in assessment.observations.items():
                if not obs.evidence and obs.value is not None and ind_id in indicators:
                    yield at(
                        *key,
                        ("observations", ind_id),
                        say("rule.E004.none", indicator=ind_id),
                        say("rule.E004.none_hint"),
                        key_of=True,
                    )


class EvidenceRestrictedInconsistently(Rule):
    """An evidence reference marked restricted in one place and not in another: the public build publishes the
    public one, so the restriction protects nothing (often a mark forgotten in a spreadsheet). Each public use
    is reported, with the place where it is restricted.

    Fails, in assessments/2026-q3/north.yaml (the first round cites the same register, public):

        observations:
          HR-01:
            evidence:
              - {source: ADM, reference: Personnel register, date: 2026-09-15, restricted: true}

    Passes, in assessments/2026-q3/north.yaml:

        observations:
          HR-01:
            evidence:
              - {source: ADM, reference: Personnel files of the vetting unit, date: 2026-09-15, restricted: true}
    """

    code = "E005"
    name = "evidence-restricted-inconsistently"
    severity = WARNING

    def check(self, ctx: Context) -> Iterator[Problem]:
        project = ctx.project
        places: dict[str, list[tuple[bool, str, str, Loc]]] = {}
        for (round_id, region_id), a in sorted(project.assessments.items()):
            for ind_id, obs in a.observations.items():
                for i, ev in enumerate(obs.evidence):
                    places.setdefault(ev.reference, []).append(
                        (
                            ev.restricted or obs.restricted,
                            round_id,
                            region_id,
                            ("observations", ind_id, "evidence", i, "reference"),
                        )
                    )
        for reference, where in places.items():
            restricted = [w for w in where if w[0]]
            if not restricted or len(restricted) == len(where):
                continue
            _, first_round, first_region, first_loc = restricted[0]
            file, (line, _) = project.where("assessment", f"{first_round}/{first_region}", first_loc)
            for is_restricted, round_id, region_id, loc in where:
                if not is_restricted:
                    yield at(
                        "assessment",
                        f"{round_id}/{region_id}",
                        loc,
                        say("rule.E005.public_here", reference=repr(short(reference, 50)), file=file, line=line),
                        say("rule.E005.public_here_hint"),
                    )
