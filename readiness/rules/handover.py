"""The handover register and the sign-off workflow: decisions taken jointly (H001), complete conditions
(H002, H006), decisions in an order that makes sense (H003, H004), positions with their reasons (H005), an
independent, joint verification (H007, H008), and what the results say after a handover (H009, H010, raised
from the scored project). The mandate calendar's dates (H011).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from ..i18n import say, say_n
from ..model import CONCURRING, CONDITIONS_CLOSED
from ..register import FOOTPRINT, Register, diligence, requirement, totals
from ..signoff import sign_off_status
from .base import ERROR, WARNING, Context, Problem, Rule, at

if TYPE_CHECKING:
    from ..model import Body, MandatePeriod, Phase


def register_of(ctx: Context) -> Register:
    return Register(ctx.project)


def sides(ctx: Context) -> dict[str, str | None]:
    return {p.id: p.side for p in ctx.framework.parties}


def _body(ctx: Context, body_id: str | None) -> Body | None:
    return next((b for b in ctx.framework.bodies if b.id == body_id), None)


def _name_the_body(key: str, known: set[str]) -> str:
    """The hint to name a deciding body: the framework's bodies, or where to declare one."""
    if known:
        return say(f"{key}_hint", bodies=", ".join(sorted(known)))
    return say(f"{key}_hint_undeclared")


class JointDecision(Rule):
    """A decision of the handover register, or a leadership override, that is not a joint decision: no deciding
    `body`, a body whose parties are all on one side (the framework says each party's `side`: `un` or `host`),
    or a decision only one side concurs with. Primary responsibility moves only by joint decision; a level or a
    handover set by one party alone is refused.

    Fails, in handover/decisions/north-general-policing.yaml:

        body: null

    Fails, in indicators/framework.yaml (a body of the mission alone):

        bodies:
          - {id: jtc, name: UNPOL command, parties: [unpol]}

    Passes, in handover/decisions/north-general-policing.yaml:

        body: jtc
    """

    code = "H001"
    name = "joint-decision"
    severity = ERROR

    def check(self, ctx: Context) -> Iterator[Problem]:
        side = sides(ctx)
        known = {b.id for b in ctx.framework.bodies}
        for decision in ctx.project.decisions.values():
            key = ("decision", decision.id)
            if decision.body is None:
                yield at(
                    *key,
                    (),
                    say("rule.H001.no_body", decision=decision.id),
                    _name_the_body("rule.H001.no_body", known),
                    key_of=False,
                )
                continue
            body = _body(ctx, decision.body)
            if body is None:
                continue  # an unknown body is R002
            yield from self._one_sided(ctx, key, ("body",), body, side)
            agreeing = {side.get(p.party) for p in decision.positions if p.position in CONCURRING}
            if decision.positions and all(side.get(p) for p in body.parties) and not {"un", "host"} <= agreeing:
                lacking = "host" if "host" not in agreeing else "un"
                yield at(
                    *key,
                    ("positions",),
                    say(f"rule.H001.one_side_{lacking}", decision=decision.id),
                    say("rule.H001.one_side_hint"),
                    key_of=True,
                )
        for key, assessment in ctx.assessments():
            override = assessment.override
            if override is None:
                continue
            if override.body is None:
                yield at(
                    *key,
                    ("override",),
                    say("rule.H001.override_no_body"),
                    _name_the_body("rule.H001.override_no_body", known),
                    key_of=True,
                )
                continue
            body = _body(ctx, override.body)
            if body is not None:
                yield from self._one_sided(ctx, key, ("override", "body"), body, side)
        for i, body in enumerate(ctx.framework.bodies):
            present = {side.get(p) for p in body.parties if p in side}
            if body.parties and all(p in side for p in body.parties) and None not in present:
                if not {"un", "host"} <= present:
                    yield at(
                        "framework",
                        "",
                        ("bodies", i, "parties"),
                        say("rule.H001.body_one_side", body=body.id, sides=", ".join(sorted(p for p in present if p))),
                        say("rule.H001.body_one_side_hint"),
                    )

    def _one_sided(
        self, ctx: Context, key: tuple[str, str], loc: tuple[str, ...], body: Body, side: dict[str, str | None]
    ) -> Iterator[Problem]:
        unknown_side = [p for p in body.parties if p in side and side[p] is None]
        if unknown_side:
            yield at(
                *key,
                loc,
                say("rule.H001.no_side", body=body.id, party=unknown_side[0]),
                say("rule.H001.no_side_hint", party=unknown_side[0]),
            )


class ConditionIncomplete(Rule):
    """A condition of a decision without an `owner` (the party that must deliver it) or a `due` date: nobody could
    say when it is overdue, or whom to ask.

    Fails, in handover/decisions/north-general-policing.yaml:

        conditions:
          - what: Public-order platoon trained and equipped

    Passes, in handover/decisions/north-general-policing.yaml:

        conditions:
          - what: Public-order platoon trained and equipped
            owner: lnp
            due: 2027-03-31
    """

    code = "H002"
    name = "condition-incomplete"
    severity = ERROR

    def check(self, ctx: Context) -> Iterator[Problem]:
        for decision in ctx.project.decisions.values():
            for i, condition in enumerate(decision.conditions):
                absent = [name for name in ("owner", "due") if getattr(condition, name) is None]
                if absent:
                    yield at(
                        "decision",
                        decision.id,
                        ("conditions", i),
                        say(f"rule.H002.no_{'_'.join(absent)}", number=i + 1, decision=decision.id),
                        say("rule.H002.incomplete_hint"),
                        key_of=True,
                    )


class DecisionSequence(Rule):
    """A reversion of functions that were not under host-state primacy when it was taken: a reversion takes back
    what a handover gave, so a handover of the same region and functions must come first (in the order of the
    rounds the decisions relied on, then of their dates).

    Fails, as handover/decisions/south-reversion.yaml:

        id: south-reversion
        kind: reversion
        region: south
        body: jtc
        reference: JTC/2026/09
        decided: 2026-10-15
        relied_on: 2026-q3
        rationale: Public order deteriorated.
        positions:
          - {party: unpol, position: concur}
          - {party: lnp, position: concur}

    Passes, as handover/decisions/north-reversion.yaml:

        id: north-reversion
        kind: reversion
        region: north
        functions: [general-policing]
        body: jtc
        reference: JTC/2026/09
        decided: 2026-10-15
        relied_on: 2026-q3
        rationale: Public order deteriorated.
        positions:
          - {party: unpol, position: concur}
          - {party: lnp, position: concur}
    """

    code = "H003"
    name = "decision-sequence"
    severity = ERROR

    def check(self, ctx: Context) -> Iterator[Problem]:
        register = ctx.shared(register_of)
        for decision in ctx.project.decisions.values():
            if decision.relied_on not in register.index or decision.region not in ctx.project.regions:
                continue  # unknown references are R002
            never = register.reversion_without_handover(decision)
            if never:
                if never == register.functions:
                    message = say("rule.H003.not_handed_over", decision=decision.id, region=decision.region)
                else:
                    message = say_n(
                        "rule.H003.not_handed_over_functions",
                        len(never),
                        decision=decision.id,
                        functions=", ".join(never),
                        region=decision.region,
                    )
                yield at(
                    "decision",
                    decision.id,
                    ("kind",),
                    message,
                    say("rule.H003.not_handed_over_hint"),
                )


class DecisionDate(Rule):
    """A decision dated before the assessment it relied on (its region's assessment in the round `relied_on`,
    dated by `assessed_on`), a decision that relied on a round without an assessment of its region, or one that
    takes effect before it was taken. A decision dated after its round's cut-off is normal: the assessment comes
    first, then the decision.

    Fails, in handover/decisions/north-general-policing.yaml (north's 2026-q1 assessment is dated 2026-03-20):

        decided: 2026-03-01

    Passes, in handover/decisions/north-general-policing.yaml:

        decided: 2026-04-20
    """

    code = "H004"
    name = "decision-date"
    severity = ERROR

    def check(self, ctx: Context) -> Iterator[Problem]:
        project = ctx.project
        for decision in project.decisions.values():
            key = ("decision", decision.id)
            if decision.effective is not None and decision.effective < decision.decided:
                yield at(
                    *key,
                    ("effective",),
                    say(
                        "rule.H004.effective_before",
                        decision=decision.id,
                        effective=decision.effective,
                        decided=decision.decided,
                    ),
                    say("rule.H004.effective_before_hint"),
                )
            if decision.relied_on not in project.rounds or decision.region not in project.regions:
                continue  # R002
            assessment = project.assessments.get((decision.relied_on, decision.region))
            if assessment is None:
                if project.children(decision.region):
                    continue  # a roll-up: its parts were assessed
                yield at(
                    *key,
                    ("relied_on",),
                    say(
                        "rule.H004.no_assessment",
                        decision=decision.id,
                        round=decision.relied_on,
                        region=decision.region,
                    ),
                    say("rule.H004.no_assessment_hint"),
                )
                continue
            assessed = assessment.assessed_on
            if assessed is not None and decision.decided < assessed:
                yield at(
                    *key,
                    ("decided",),
                    say(
                        "rule.H004.before_assessment",
                        decision=decision.id,
                        decided=decision.decided,
                        round=decision.relied_on,
                        assessed=assessed,
                    ),
                    say("rule.H004.before_assessment_hint"),
                )


class PositionReason(Rule):
    """A party's position without its reason (anything but `concur`: `reservations`, `withheld`, `dissent`), on a
    decision or on an assessment's sign-off; or a party of the deciding body whose position is not recorded.
    The record of who disagreed, and why, is part of the evidence.

    Fails, in handover/decisions/north-general-policing.yaml:

        positions:
          - {party: unpol, position: concur}
          - {party: lnp, position: reservations}

    Passes, in handover/decisions/north-general-policing.yaml:

        positions:
          - {party: unpol, position: concur}
          - party: lnp
            position: reservations
            reason: The public-order platoon is not yet at strength.
    """

    code = "H005"
    name = "position-reason"
    severity = ERROR

    def check(self, ctx: Context) -> Iterator[Problem]:
        for decision in ctx.project.decisions.values():
            key = ("decision", decision.id)
            for i, position in enumerate(decision.positions):
                if position.position != "concur" and not position.reason.strip():
                    yield at(
                        *key,
                        ("positions", i, "position"),
                        say(
                            "rule.H005.no_reason",
                            party=position.party,
                            position=position.position,
                            decision=decision.id,
                        ),
                        say("rule.H005.no_reason_hint"),
                    )
            body = _body(ctx, decision.body)
            if body is not None and decision.body is not None:
                recorded = {p.party for p in decision.positions}
                for party in body.parties:
                    if party not in recorded:
                        yield at(
                            *key,
                            ("positions",) if decision.positions else ("body",),
                            say("rule.H005.not_recorded", party=party, body=body.id, decision=decision.id),
                            say("rule.H005.not_recorded_hint", party=party),
                            key_of=bool(decision.positions),
                        )
        for key, assessment in ctx.assessments():
            for i, sign in enumerate(assessment.sign_off):
                if sign.position != "concur" and not sign.reason.strip():
                    yield at(
                        *key,
                        ("sign_off", i, "position"),
                        say("rule.H005.sign_off_no_reason", party=sign.party, position=sign.position),
                        say("rule.H005.sign_off_no_reason_hint"),
                    )


class ConditionOverdue(Rule):
    """A condition of a decision in force (one that still holds a function, or the latest deferral) whose due
    date has passed while its last recorded status (at the latest round that records one) is still `open` or
    `not-met`. Leadership sees overdue conditions on the region's page; the
    team records where the condition stands at each round (`status: {ROUND: met}`), or the body extends it.

    Fails, in handover/decisions/north-general-policing.yaml:

        conditions:
          - what: Public-order platoon trained and equipped
            owner: lnp
            due: 2026-06-30
            status: {2026-q3: open}

    Passes, in handover/decisions/north-general-policing.yaml:

        conditions:
          - what: Public-order platoon trained and equipped
            owner: lnp
            due: 2026-06-30
            status:
              2026-q3: {state: met, reference: Joint field verification report JFV/2026/14, verified_by: [unpol, lnp]}
    """

    code = "H006"
    name = "condition-overdue"
    severity = WARNING

    def check(self, ctx: Context) -> Iterator[Problem]:
        register = ctx.shared(register_of)
        live = {d.id for region in register.by_region for d in register.in_force(region)}
        for decision in ctx.project.decisions.values():
            if decision.id not in live:
                continue  # superseded (a reversed handover, a deferral followed by a decision): nothing waits on it
            for i, condition in enumerate(decision.conditions):
                if condition.due is None or condition.due >= ctx.today:
                    continue
                known = [r for r in condition.status if r in register.index]
                last = max(known, key=register.index.__getitem__) if known else None
                state = condition.status[last].state if last is not None else "open"
                if state in CONDITIONS_CLOSED:
                    continue
                yield at(
                    "decision",
                    decision.id,
                    ("conditions", i, "due"),
                    say(
                        "rule.H006.overdue_at" if last else "rule.H006.overdue",
                        number=i + 1,
                        decision=decision.id,
                        due=condition.due,
                        state=state,
                        round=last,
                    ),
                    say("rule.H006.overdue_hint"),
                )


class SelfVerification(Rule):
    """Someone who signed an assessment's self-assessment also signs its verification: the assessed commander
    does not verify their own district. Verification is done by others, jointly.

    Fails, in assessments/2026-q3/north.yaml:

        sign_off:
          - {step: self-assessment, party: lnp, name: T. Banda, date: 2026-09-21}
          - {step: verification, party: unpol, name: R. Diallo, date: 2026-09-25}
          - {step: verification, party: lnp, name: T. Banda, date: 2026-09-26}

    Passes, in assessments/2026-q3/north.yaml:

        sign_off:
          - {step: self-assessment, party: lnp, name: T. Banda, date: 2026-09-21}
          - {step: verification, party: unpol, name: R. Diallo, date: 2026-09-25}
          - {step: verification, party: lnp, name: K. Osei, role: Inspectorate, date: 2026-09-26}
    """

    code = "H007"
    name = "self-verification"
    severity = ERROR

    def check(self, ctx: Context) -> Iterator[Problem]:
        for key, assessment in ctx.assessments():
            assessed = {_person(s.name) for s in assessment.sign_off if s.step == "self-assessment"}
            for i, sign in enumerate(assessment.sign_off):
                if sign.step == "verification" and _person(sign.name) in assessed:
                    yield at(
                        *key,
                        ("sign_off", i, "name"),
                        say("rule.H007.self_verified", name=sign.name),
                        say("rule.H007.self_verified_hint"),
                    )


def _person(name: str) -> str:
    return " ".join(name.casefold().replace(".", " ").split())


class VerificationNotJoint(Rule):
    """An assessment whose sign-off records a self-assessment but whose verification is signed by one side only:
    joint verification has members of the mission (`side: un`) and of the host state (`side: host`).

    Fails, in assessments/2026-q3/north.yaml:

        sign_off:
          - {step: self-assessment, party: lnp, name: T. Banda, date: 2026-09-21}
          - {step: verification, party: unpol, name: R. Diallo, date: 2026-09-25}

    Passes, in assessments/2026-q3/north.yaml:

        sign_off:
          - {step: self-assessment, party: lnp, name: T. Banda, date: 2026-09-21}
          - {step: verification, party: unpol, name: R. Diallo, date: 2026-09-25}
          - {step: verification, party: lnp, name: K. Osei, role: Inspectorate, date: 2026-09-26}
    """

    code = "H008"
    name = "verification-not-joint"
    severity = WARNING

    def check(self, ctx: Context) -> Iterator[Problem]:
        side = sides(ctx)
        for key, assessment in ctx.assessments():
            if not any(s.step == "self-assessment" for s in assessment.sign_off):
                continue
            verifying = {side.get(s.party) for s in assessment.sign_off if s.step == "verification"}
            if None in verifying or not verifying & {"un", "host"}:
                if not verifying:
                    yield at(
                        *key,
                        ("sign_off",),
                        say("rule.H008.no_verification"),
                        say("rule.H008.no_verification_hint"),
                        key_of=True,
                    )
                continue
            if not {"un", "host"} <= verifying:
                lacking = "host" if "host" not in verifying else "un"
                yield at(
                    *key,
                    ("sign_off",),
                    say(f"rule.H008.one_side_{lacking}"),
                    say("rule.H008.one_side_hint"),
                    key_of=True,
                )


class SignOffNotCounted(Rule):
    """A party the sign-off gate requires that has signed an assessment (one being collected, or a final one)
    only in its self-assessment: a self-assessment signature does not count for the joint sign-off
    (readiness/signoff.py), so the gate caps the region as if the party had not signed, while its signature is
    on the page. Record the
    party's verification signature, or its position (`withheld`, `dissent`) with the reason. `close-round`
    refuses the round until then.

    Fails, in assessments/2026-q3/north.yaml (the gate requires unpol and lnp):

        sign_off:
          - {step: self-assessment, party: lnp, name: T. Banda, date: 2026-09-21}
          - {step: verification, party: unpol, name: R. Diallo, date: 2026-09-25}

    Passes, in assessments/2026-q3/north.yaml:

        sign_off:
          - {step: self-assessment, party: lnp, name: T. Banda, date: 2026-09-21}
          - {step: verification, party: unpol, name: R. Diallo, date: 2026-09-25}
          - {step: verification, party: lnp, name: K. Osei, role: Inspectorate, date: 2026-09-26}
    """

    code = "H012"
    name = "sign-off-not-counted"
    severity = WARNING

    def check(self, ctx: Context) -> Iterator[Problem]:
        fw = ctx.project.framework
        gate = fw.gates.sign_off if fw is not None else None
        if gate is None or not gate.enabled:
            return
        for key, assessment in ctx.assessments():
            for party in sign_off_status(assessment, list(gate.parties)).self_only:
                yield at(
                    *key,
                    ("sign_off",),
                    say("rule.H012.self_only", party=party),
                    say("rule.H012.self_only_hint", party=party),
                    key_of=True,
                )


class AtRiskAfterHandover(Rule):
    """A region or function handed over to the host state whose results since fall below the level it was handed
    over at, or trip one of the decision's reversion triggers (`level_below`, for the region or one indicator; a
    text trigger the team recorded tripped at the round, `status: {ROUND: {tripped: true}}`). The region is
    flagged "at risk after handover" on every page until the body decides (a reversion, or a new decision that
    confirms the handover).

    Fails, in handover/decisions/north-general-policing.yaml (north is partially ready in 2026-q3):

        triggers:
          - level_below: ready

    Passes, in handover/decisions/north-general-policing.yaml:

        triggers:
          - level_below: partially-ready
    """

    code = "H009"
    name = "at-risk-after-handover"
    severity = WARNING
    raised_in = "scoring (checked when the project has no errors)"
    needs_results = True

    def check(self, ctx: Context) -> Iterator[Problem]:
        results = ctx.results()
        if results is None:
            return
        for (round_id, region_id), result in sorted(results.regions.items()):
            state = result.handover
            if state is None or not state.at_risk or round_id != results.rounds[-1]:
                continue
            for risk in state.at_risk:
                decision = ctx.project.decisions.get(risk["decision"])
                if decision is None:
                    continue
                if risk["kind"] == "fell":
                    message = say(
                        "rule.H009.fell",
                        region=region_id,
                        level_from=risk["from"],
                        decision=decision.id,
                        level_to=risk["to"],
                        round=round_id,
                    )
                elif risk.get("level_below") is None:  # a text trigger the team recorded tripped
                    message = say(
                        "rule.H009.trigger_text", number=risk["trigger"] + 1, decision=decision.id, round=round_id
                    )
                elif risk.get("indicator"):
                    message = say(
                        "rule.H009.trigger_indicator",
                        number=risk["trigger"] + 1,
                        decision=decision.id,
                        round=round_id,
                        indicator=risk["indicator"],
                        level=risk["level_below"],
                    )
                else:
                    message = say(
                        "rule.H009.trigger_region",
                        number=risk["trigger"] + 1,
                        decision=decision.id,
                        round=round_id,
                        region=region_id,
                        level=risk["level_below"],
                    )
                if state.reverted_by:
                    continue  # the body already decided
                yield at(
                    "decision",
                    decision.id,
                    ("triggers", risk["trigger"]) if risk["kind"] == "trigger" else ("kind",),
                    message,
                    say("rule.H009.at_risk_hint"),
                )


class AgainstAssessment(Rule):
    """A decision taken against the assessment it relied on (a handover while the region was below the handover
    level, or, for some functions only, below the framework's `partial_handover_level`; a deferral or reversion
    while it was at the handover level or above) without a `rationale`. Such decisions are legitimate and shown
    as such beside the level; their stated reason is part of the record.

    Fails, as handover/decisions/south-handover.yaml (south was not ready in 2026-q1):

        id: south-handover
        kind: handover
        region: south
        body: jtc
        reference: JTC/2026/04
        decided: 2026-04-20
        relied_on: 2026-q1
        positions:
          - {party: unpol, position: concur}
          - {party: lnp, position: concur}

    Passes, as handover/decisions/south-handover.yaml:

        id: south-handover
        kind: handover
        region: south
        body: jtc
        reference: JTC/2026/04
        decided: 2026-04-20
        relied_on: 2026-q1
        rationale: The Council's deadline leaves no later date; UNPOL stays co-located until the gaps close.
        positions:
          - {party: unpol, position: concur}
          - {party: lnp, position: concur}
    """

    code = "H010"
    name = "against-assessment"
    severity = ERROR
    raised_in = "scoring (checked when the project has no errors)"
    needs_results = True

    def check(self, ctx: Context) -> Iterator[Problem]:
        results = ctx.results()
        if results is None:
            return
        for (_, _), result in sorted(results.regions.items()):
            state = result.handover
            if state is None:
                continue
            for against in state.against:
                decision = ctx.project.decisions.get(against["decision"])
                if decision is None or str(decision.rationale).strip():
                    continue
                yield at(
                    "decision",
                    decision.id,
                    ("kind",),
                    say(
                        f"rule.H010.against_{decision.kind}",
                        decision=decision.id,
                        region=decision.region,
                        level=against["level"],
                        round=decision.relied_on,
                    ),
                    say("rule.H010.against_hint"),
                )


class MandateCalendar(Rule):
    """A mandate period or drawdown phase that ends before it starts, or drawdown phases that overlap: the
    calendar would place one day in two phases.

    Fails, in handover/mandate.yaml:

        phases:
          - id: phase-1
            name: Phase 1
            start: 2026-07-01
            end: 2027-01-31
            strength: {individual_officers: 120, formed_units: 2, colocation_teams: 8}
          - id: phase-2
            name: Phase 2
            start: 2027-01-01
            end: 2027-06-30
            strength: {individual_officers: 60, formed_units: 1, colocation_teams: 4}

    Passes, in handover/mandate.yaml:

        phases:
          - id: phase-1
            name: Phase 1
            start: 2026-07-01
            end: 2026-12-31
            strength: {individual_officers: 120, formed_units: 2, colocation_teams: 8}
    """

    code = "H011"
    name = "mandate-calendar"
    severity = ERROR

    def check(self, ctx: Context) -> Iterator[Problem]:
        mandate = ctx.project.mandate
        if mandate is None:
            return
        key = ("mandate", "")
        spans: list[tuple[str, Sequence[MandatePeriod | Phase]]] = [
            ("periods", mandate.periods),
            ("phases", mandate.phases),
        ]
        for field, items in spans:
            for i, item in enumerate(items):
                if item.end < item.start:
                    yield at(
                        *key,
                        (field, i, "end"),
                        say(f"rule.H011.ends_before_{field}", item=item.id, end=item.end, start=item.start),
                        say("rule.H011.ends_before_hint"),
                    )
        ordered = sorted(enumerate(mandate.phases), key=lambda pair: pair[1].start)
        for (_, earlier), (j, later) in zip(ordered, ordered[1:], strict=False):
            if later.start <= earlier.end:
                yield at(
                    *key,
                    ("phases", j, "start"),
                    say("rule.H011.overlap", later=later.id, start=later.start, earlier=earlier.id, end=earlier.end),
                    say("rule.H011.overlap_hint"),
                )


class DrawdownCeiling(Rule):
    """A drawdown phase whose strength is below the whole UN police requirement on its first day: the postures
    of the decisions in effect then, and the presence the mandate calendar records for every district and unit
    no decision in effect plans for (`presence:`). A ceiling checked against the handed-over postures alone
    leaves out the districts still under UN or joint responsibility, where most of the strength is.

    Fails, in handover/mandate.yaml (south has no decision yet):

        phases:
          - id: phase-1
            name: Phase 1
            start: 2026-07-01
            end: 2026-12-31
            strength: {individual_officers: 40, formed_units: 1, colocation_teams: 2}
        presence:
          - region: south
            kind: joint-operations
            footprint: {individual_officers: 60, formed_units: 1, colocation_teams: 4}

    Passes, in handover/mandate.yaml (north's posture keeps a formed unit and two co-location teams):

        phases:
          - id: phase-1
            name: Phase 1
            start: 2026-07-01
            end: 2026-12-31
            strength: {individual_officers: 80, formed_units: 2, colocation_teams: 6}
        presence:
          - region: south
            kind: joint-operations
            footprint: {individual_officers: 60, formed_units: 1, colocation_teams: 4}
    """

    code = "H013"
    name = "drawdown-ceiling"
    severity = WARNING

    def check(self, ctx: Context) -> Iterator[Problem]:
        mandate = ctx.project.mandate
        if mandate is None or not mandate.phases:
            return
        register = Register(ctx.project)
        for i, phase in enumerate(mandate.phases):
            needs = requirement(register, phase.start)
            if not needs:
                continue
            need = totals(needs)
            short = [
                say(f"rule.H013.kind.{key}", need=need[key], kept=getattr(phase.strength, key))
                for key in FOOTPRINT
                if need[key] > getattr(phase.strength, key)
            ]
            if short:
                planned = sum(1 for n in needs if n.decision is not None)
                yield at(
                    "mandate",
                    "",
                    ("phases", i, "strength"),
                    say(
                        "rule.H013.short",
                        phase=phase.id,
                        start=phase.start,
                        items="; ".join(short),
                        regions=len(needs),
                        planned=planned,
                        presence=len(needs) - planned,
                    ),
                    say("rule.H013.short_hint", phase=phase.id),
                )


class DueDiligenceRecord(Rule):
    """UN support without its human rights due diligence record: a district or unit where a decision in effect
    at the latest round's cut-off keeps a UN police posture, or whose latest assessment lists inputs funded by
    the mission or a donor, with no record in handover/hrddp.yaml assessed by that cut-off; or a record past its
    review date. The UN's Human Rights Due Diligence Policy governs the mission's support, not the host police's
    level: the record says whether the support continues, under which measures, or is suspended.

    Fails, in handover/hrddp.yaml (north's handover keeps UN police in support, the record is for south):

        records:
          - id: south-2026
            region: south
            reference: UNML/HRDDP/2026/02
            assessed: 2026-02-15
            risk: medium

    Passes, in handover/hrddp.yaml:

        records:
          - id: north-2026
            region: north
            reference: UNML/HRDDP/2026/01
            assessed: 2026-02-15
            risk: low
            support: continued
    """

    code = "H014"
    name = "due-diligence"
    severity = WARNING

    def check(self, ctx: Context) -> Iterator[Problem]:
        project = ctx.project
        if not project.decisions or not project.round_order:
            return  # no register: nothing the mission supports is decided here
        latest = project.rounds[project.round_order[-1]]
        day = latest.date
        register = Register(project)
        supported: dict[str, str] = {}
        for region in sorted(register.by_region):
            held = [d for d in register.decisions(region, on=day) if d.posture is not None]
            if held:
                supported[region] = "posture"
        for (round_id, region), assessment in sorted(project.assessments.items()):
            if round_id != latest.id or region in supported:
                continue
            if any(g.owner in ("mission", "donor") for obs in assessment.observations.values() for g in obs.inputs):
                supported[region] = "inputs"
        for region, why in supported.items():
            if diligence(project, region, day) is None:
                yield at(
                    "region",
                    region,
                    ("id",),
                    say(f"rule.H014.missing_{why}", region=region, date=day),
                    say("rule.H014.missing_hint", region=region),
                )
        for record in project.hrddp.values():
            if record.review is not None and record.review < day:
                yield at(
                    "hrddp",
                    record.id,
                    ("review",),
                    say("rule.H014.review", record=record.id, review=record.review, date=day),
                    say("rule.H014.review_hint"),
                )


class PrimacyBasisMissing(Rule):
    """Responsibility held without its legal basis: a function under UN primacy (before any decision, or after a
    reversion) on the latest round's cut-off when no mandate period in force that day gives the mission's police
    executive authority for it (`executive:` of the period); or joint or UN responsibility before handover with
    no agreement recorded (`basis:` in handover/mandate.yaml). Checked only where the project keeps a mandate
    calendar.

    Fails, in indicators/framework.yaml (no mandate period gives UN police executive authority):

        initial_primacy: un

    Passes, in handover/mandate.yaml:

        periods:
          - id: mandate-2026
            resolution: S/RES/2800 (2025)
            start: 2025-07-01
            end: 2026-06-30
          - id: mandate-2027
            resolution: S/RES/2810 (2026)
            start: 2026-07-01
            end: 2027-06-30
            executive: [general-policing, public-order]
    """

    code = "H015"
    name = "primacy-basis"
    severity = WARNING

    def check(self, ctx: Context) -> Iterator[Problem]:
        project, fw = ctx.project, ctx.framework
        mandate = project.mandate
        if mandate is None or not project.round_order:
            return
        if fw.initial_primacy in ("un", "joint") and mandate.basis is None:
            yield at(
                "mandate",
                "",
                (),
                say("rule.H015.no_basis", primacy=fw.initial_primacy),
                say("rule.H015.no_basis_hint"),
            )
        if not mandate.periods:
            return
        latest = project.round_order[-1]
        day = project.rounds[latest].date
        executive = {f for p in mandate.periods if p.start <= day <= p.end for f in p.executive}
        register = Register(project)
        assessed = {region for (round_id, region) in project.assessments if round_id == latest}
        for region in sorted((assessed | set(register.by_region)) & set(project.regions)):
            held = register.holdings(region, on=day)
            under_un = sorted(f for f, h in held.items() if h.primacy == "un" and f not in executive)
            if under_un:
                yield at(
                    "region",
                    region,
                    ("id",),
                    say("rule.H015.no_executive", region=region, functions=", ".join(under_un), date=day),
                    say("rule.H015.no_executive_hint"),
                )
