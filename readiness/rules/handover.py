"""The handover register and the sign-off workflow: decisions taken jointly (H001), complete conditions
(H002, H006), decisions in an order that makes sense (H003, H004), positions with their reasons (H005), an
independent, joint verification (H007, H008), and what the results say after a handover (H009, H010, raised
from the scored project). The mandate calendar's dates (H011).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from ..model import CONCURRING, CONDITIONS_CLOSED
from ..register import Register
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
                    f"decision {decision.id} names no deciding body",
                    "add `body:` with the joint body that took it"
                    + (f" ({', '.join(sorted(known))})" if known else "; declare it under `bodies:` in the framework"),
                    key_of=False,
                )
                continue
            body = _body(ctx, decision.body)
            if body is None:
                continue  # an unknown body is R002
            yield from self._one_sided(ctx, key, ("body",), body, side)
            agreeing = {side.get(p.party) for p in decision.positions if p.position in CONCURRING}
            if decision.positions and all(side.get(p) for p in body.parties) and not {"un", "host"} <= agreeing:
                lacking = "the host state" if "host" not in agreeing else "the mission"
                yield at(
                    *key,
                    ("positions",),
                    f"no party of {lacking} concurs with decision {decision.id}: one side alone cannot move "
                    "primary responsibility",
                    "record the concurrence of both sides, or record the decision as a deferral",
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
                    "the override names no deciding body: a level set by one party alone is not published",
                    "add `body:` with the joint body that decided it"
                    + (f" ({', '.join(sorted(known))})" if known else "; declare it under `bodies:` in the framework"),
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
                        f"body {body.id} has parties of one side only ({', '.join(sorted(p for p in present if p))})",
                        "a joint body has parties of the mission (`side: un`) and of the host state (`side: host`)",
                    )

    def _one_sided(
        self, ctx: Context, key: tuple[str, str], loc: tuple[str, ...], body: Body, side: dict[str, str | None]
    ) -> Iterator[Problem]:
        unknown_side = [p for p in body.parties if p in side and side[p] is None]
        if unknown_side:
            yield at(
                *key,
                loc,
                f"body {body.id} cannot be shown to be joint: party {unknown_side[0]} has no `side`",
                f"give party {unknown_side[0]} `side: un` or `side: host` in the framework",
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
                        f"condition {i + 1} of decision {decision.id} has no {' and no '.join(absent)}",
                        "say which party delivers it (`owner:`) and by when (`due: YYYY-MM-DD`)",
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
                what = decision.region if never == register.functions else f"{', '.join(never)} in {decision.region}"
                yield at(
                    "decision",
                    decision.id,
                    ("kind",),
                    f"reversion {decision.id} takes back {what}, which was not handed over before it",
                    "record the handover it reverses (an earlier decision), or correct `functions` or `relied_on`",
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
                    f"decision {decision.id} takes effect on {decision.effective}, before it was taken "
                    f"({decision.decided})",
                    "the effective date is the day of the decision or later",
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
                    f"decision {decision.id} relies on round {decision.relied_on}, which has no assessment of "
                    f"{decision.region}",
                    "name the round whose assessment the body relied on",
                )
                continue
            assessed = assessment.assessed_on
            if assessed is not None and decision.decided < assessed:
                yield at(
                    *key,
                    ("decided",),
                    f"decision {decision.id} is dated {decision.decided}, before the assessment it relied on "
                    f"({decision.relied_on}, assessed on {assessed})",
                    "correct the date, or `relied_on` (the round whose assessment came before the decision)",
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
                        f"{position.party}'s position ({position.position}) on decision {decision.id} has no reason",
                        "add `reason:` in the party's own words",
                    )
            body = _body(ctx, decision.body)
            if body is not None and decision.body is not None:
                recorded = {p.party for p in decision.positions}
                for party in body.parties:
                    if party not in recorded:
                        yield at(
                            *key,
                            ("positions",) if decision.positions else ("body",),
                            f"the position of {party}, a party of {body.id}, on decision {decision.id} is not recorded",
                            f"add `- {{party: {party}, position: concur}}` (or its reservations or dissent, with the "
                            "reason) under `positions:`",
                            key_of=bool(decision.positions),
                        )
        for key, assessment in ctx.assessments():
            for i, sign in enumerate(assessment.sign_off):
                if sign.position != "concur" and not sign.reason.strip():
                    yield at(
                        *key,
                        ("sign_off", i, "position"),
                        f"{sign.party}'s sign-off ({sign.position}) has no reason",
                        "add `reason:` and, where something would resolve it, `resolution:`",
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
            status: {2026-q3: met}
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
                state = condition.status[last] if last is not None else "open"
                if state in CONDITIONS_CLOSED:
                    continue
                yield at(
                    "decision",
                    decision.id,
                    ("conditions", i, "due"),
                    f"condition {i + 1} of decision {decision.id} was due on {condition.due} and is {state}"
                    + (f" at {last}" if last else ""),
                    "record its status at the latest round, or the new due date the body agreed",
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
                        f"{sign.name} signed the self-assessment and signs its verification",
                        "the verification is signed by others (a joint team), not by the assessed command",
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
                        "the self-assessment has no verification yet",
                        "record the joint verification (`step: verification`) of both sides",
                        key_of=True,
                    )
                continue
            if not {"un", "host"} <= verifying:
                lacking = "host state" if "host" not in verifying else "mission"
                yield at(
                    *key,
                    ("sign_off",),
                    f"the verification is signed by one side only: no party of the {lacking} verified",
                    "joint verification has members of both sides",
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
                    f"{party} signed only the self-assessment, which does not count for the joint sign-off: "
                    "the gate holds the level as if it had not signed",
                    f"record {party}'s verification signature (`step: verification`), or its position there "
                    "(`withheld`, `dissent`) with the reason",
                    key_of=True,
                )


class AtRiskAfterHandover(Rule):
    """A region or function handed over to the host state whose results since fall below the level it was handed
    over at, or trip one of the decision's reversion triggers (`level_below`, for the region or one indicator).
    The region is flagged "at risk after handover" on every page until the body decides (a reversion, or a new
    decision that confirms the handover).

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
                    message = (
                        f"{region_id} was handed over at {risk['from']} ({decision.id}) and is {risk['to']} in "
                        f"{round_id}"
                    )
                else:
                    subject = f"{risk['indicator']} is" if risk.get("indicator") else f"{region_id} is"
                    message = (
                        f"reversion trigger {risk['trigger'] + 1} of {decision.id} is tripped in {round_id}: "
                        f"{subject} below {risk['level_below']}"
                    )
                if state.reverted_by:
                    continue  # the body already decided
                yield at(
                    "decision",
                    decision.id,
                    ("triggers", risk["trigger"]) if risk["kind"] == "trigger" else ("kind",),
                    message + ": at risk after handover",
                    "bring it to the joint body and record its decision",
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
                    f"{decision.kind} {decision.id} goes against the assessment ({decision.region} was "
                    f"{against['level']} in {decision.relied_on}) and states no rationale",
                    "add `rationale:` with the body's reason",
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
                        f"{item.id} ends on {item.end}, before it starts ({item.start})",
                        "swap or correct the dates",
                    )
        ordered = sorted(enumerate(mandate.phases), key=lambda pair: pair[1].start)
        for (_, earlier), (j, later) in zip(ordered, ordered[1:], strict=False):
            if later.start <= earlier.end:
                yield at(
                    *key,
                    ("phases", j, "start"),
                    f"phase {later.id} starts on {later.start}, before phase {earlier.id} ends ({earlier.end})",
                    "phases follow one another: start the later one after the earlier one ends",
                )
