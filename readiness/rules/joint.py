"""The joint assessment itself: a team of both sides in equal numbers (J001), verified by others than the assessed
command (J002), with one leader (J003); conditions recorded met or waived with their evidence and an independent
verifier (J004 while the round is open, J005 once it is closed); text triggers said tripped or not at each round
(J006).

The team rules weigh typed members only (`{name, party, role, leader, assessed, observer}`): a team written as
lines of text (older rounds) says nothing of sides or roles, and is left as it is.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..i18n import say, say_n
from .base import ERROR, WARNING, Context, Problem, Rule, at
from .handover import register_of

if TYPE_CHECKING:
    from ..model import Condition, ConditionStatus


def _person(name: str) -> str:
    return " ".join(name.casefold().replace(".", " ").split())


class TeamUnbalanced(Rule):
    """A joint assessment team whose verifying members (all but observers) are not as many from the mission's
    side (parties with `side: un`) as from the host State's (`side: host`): joint teams have equal numbers from
    each side (UNMIT's did), so that neither side's view outweighs the other's. Checked when every member is
    typed (`{name, party, role}`) and every party has a side.

    Fails, in assessments/2026-q3/north.yaml:

        team:
          - {name: A. Mensah, party: unpol, role: UNPOL sector commander, leader: true}
          - {name: R. Diallo, party: unpol, role: UNPOL adviser}
          - {name: J. Okoro, party: lnp, role: Inspectorate}

    Passes, in assessments/2026-q3/north.yaml:

        team:
          - {name: A. Mensah, party: unpol, role: UNPOL sector commander, leader: true}
          - {name: R. Diallo, party: unpol, role: UNPOL adviser}
          - {name: J. Okoro, party: lnp, role: Inspectorate}
          - {name: K. Osei, party: lnp, role: Provincial staff officer}
          - {name: S. Phiri, party: lnp, role: District commander, assessed: true, observer: true}
    """

    code = "J001"
    name = "team-unbalanced"
    severity = WARNING

    def check(self, ctx: Context) -> Iterator[Problem]:
        side = {p.id: p.side for p in ctx.framework.parties}
        for key, assessment in ctx.assessments():
            team = assessment.team
            if not team or not all(m.typed and side.get(m.party or "") for m in team):
                continue  # a member without a party, or a party without a side (R002, H001 say so)
            verifying = [side[m.party or ""] for m in team if not m.observer]
            un, host = verifying.count("un"), verifying.count("host")
            if un != host:
                yield at(
                    *key,
                    ("team",),
                    say("rule.J001.unbalanced", un=un, host=host),
                    say(f"rule.J001.unbalanced_hint_{'host' if host < un else 'un'}"),
                    key_of=True,
                )


class AssessedVerifying(Rule):
    """A member of the assessment team who commands (or is on the staff of) the region assessed (`assessed: true`)
    and takes part in the verification: not marked `observer: true`, or signing the verification. The assessed
    command writes the self-assessment; the verification is others', as for the sign-off (H007).

    Fails, in assessments/2026-q3/north.yaml:

        team:
          - {name: A. Mensah, party: unpol, role: UNPOL sector commander, leader: true}
          - {name: J. Okoro, party: lnp, role: Inspectorate}
          - {name: S. Phiri, party: lnp, role: District commander, assessed: true}

    Passes, in assessments/2026-q3/north.yaml:

        team:
          - {name: A. Mensah, party: unpol, role: UNPOL sector commander, leader: true}
          - {name: J. Okoro, party: lnp, role: Inspectorate}
          - {name: S. Phiri, party: lnp, role: District commander, assessed: true, observer: true}
    """

    code = "J002"
    name = "assessed-verifying"
    severity = WARNING

    def check(self, ctx: Context) -> Iterator[Problem]:
        for key, assessment in ctx.assessments():
            verifiers = {_person(s.name) for s in assessment.sign_off if s.step == "verification"}
            for i, member in enumerate(assessment.team):
                if not member.assessed:
                    continue
                if not member.observer:
                    yield at(
                        *key,
                        ("team", i, "assessed"),
                        say("rule.J002.verifying", name=member.name),
                        say("rule.J002.verifying_hint"),
                    )
                elif _person(member.name) in verifiers:
                    yield at(
                        *key,
                        ("team", i, "name"),
                        say("rule.J002.signs", name=member.name),
                        say("rule.J002.signs_hint"),
                    )


class TeamLeader(Rule):
    """A typed assessment team (every member `{name, party, role}`) without a leader, or with more than one
    (`leader: true`): one member leads the team and answers for its report.

    Fails, in assessments/2026-q3/north.yaml:

        team:
          - {name: A. Mensah, party: unpol, role: UNPOL sector commander}
          - {name: J. Okoro, party: lnp, role: Inspectorate}

    Passes, in assessments/2026-q3/north.yaml:

        team:
          - {name: A. Mensah, party: unpol, role: UNPOL sector commander, leader: true}
          - {name: J. Okoro, party: lnp, role: Inspectorate}
    """

    code = "J003"
    name = "team-leader"
    severity = WARNING

    def check(self, ctx: Context) -> Iterator[Problem]:
        for key, assessment in ctx.assessments():
            team = assessment.team
            if not team or not all(m.typed for m in team):
                continue
            leaders = [i for i, m in enumerate(team) if m.leader]
            if not leaders:
                yield at(*key, ("team",), say("rule.J003.none"), say("rule.J003.none_hint"), key_of=True)
            elif len(leaders) > 1:
                names = ", ".join(team[i].name for i in leaders)
                yield at(
                    *key,
                    ("team", leaders[1], "leader"),
                    say_n("rule.J003.several", len(leaders), names=names),
                    say("rule.J003.several_hint"),
                )


def _unevidenced(ctx: Context, closed: bool) -> Iterator[Problem]:
    """The statuses `met` and `waived`, at rounds closed or not, recorded without their evidence: a reference,
    and who verified (or waived) it, others than its owner alone."""
    rounds = ctx.project.rounds
    for decision in ctx.project.decisions.values():
        for i, condition in enumerate(decision.conditions):
            for round_id, said in condition.status.items():
                rnd = rounds.get(round_id)
                if rnd is None or said.state not in ("met", "waived") or rnd.collecting == closed:
                    continue  # an unknown round is R002
                for field, message in _lacking(condition, said):
                    yield at(
                        "decision",
                        decision.id,
                        ("conditions", i, "status", round_id, *field),
                        say(
                            f"rule.J004.{message}",
                            number=i + 1,
                            decision=decision.id,
                            round=round_id,
                            owner=condition.owner or "–",
                        ),
                        say(f"rule.J004.{message}_hint", state=said.state, owner=condition.owner or "–"),
                    )


def _lacking(condition: Condition, said: ConditionStatus) -> Iterator[tuple[tuple[str, ...], str]]:
    """What a `met` or `waived` status lacks (where, and the message's key)."""
    shorthand = not (said.reference or said.verified_by or said.waived_by or said.date)
    at_state: tuple[str, ...] = () if shorthand else ("state",)
    referenced = bool(said.reference.strip())
    if said.state == "met":
        if not referenced and not said.verified_by:
            yield at_state, "met_no_evidence"
            return
        if not referenced:
            yield at_state, "met_no_reference"
        if not said.verified_by:
            yield at_state, "met_no_verifier"
        elif condition.owner is not None and set(said.verified_by) == {condition.owner}:
            yield ("verified_by",), "met_self_verified"
    else:
        if not referenced and said.waived_by is None:
            yield at_state, "waived_no_evidence"
            return
        if not referenced:
            yield at_state, "waived_no_reference"
        if said.waived_by is None:
            yield at_state, "waived_no_one"
        elif said.waived_by == condition.owner:
            yield ("waived_by",), "waived_by_owner"


class ConditionEvidence(Rule):
    """A condition recorded `met` or `waived`, at a round still open (`state: collecting`), without its evidence:
    `met` needs the reference of what shows it (a verification report) and the parties that verified it, others
    than its owner alone (who delivers a condition does not verify it, as for the sign-off, H007); `waived` needs
    the reference of the decision that waived it and who waived it (the joint body), not its owner. The register
    is not sealed with the round, so the team completes it; once the round is closed, J005 says the same as a
    warning.

    No example: it needs a round still open (`state: collecting` in assessments/rounds.yaml) and a condition
    recorded `met` at it (in a decision of handover/decisions/), two files where a snippet changes one; J005 shows
    the same finding at a closed round, and tests/test_joint_assessment.py holds this one.
    """

    code = "J004"
    name = "condition-evidence"
    severity = ERROR

    def check(self, ctx: Context) -> Iterator[Problem]:
        yield from _unevidenced(ctx, closed=False)


class ConditionEvidenceClosed(Rule):
    """A condition recorded `met` or `waived` at a round already closed (`readiness close-round`), without its
    evidence (as J004 says for a round still open): a warning, since the register, unlike the round's files, is
    not sealed and the team can add the reference and the verifying parties now.

    Fails, in handover/decisions/north-general-policing.yaml:

        conditions:
          - what: Public-order platoon trained and equipped
            owner: lnp
            due: 2027-03-31
            status: {2026-q3: met}

    Passes, in handover/decisions/north-general-policing.yaml:

        conditions:
          - what: Public-order platoon trained and equipped
            owner: lnp
            due: 2027-03-31
            status:
              2026-q3: {state: met, reference: Joint field verification report JFV/2026/14, verified_by: [unpol, lnp]}
    """

    code = "J005"
    name = "condition-evidence-closed"
    severity = WARNING

    def check(self, ctx: Context) -> Iterator[Problem]:
        yield from _unevidenced(ctx, closed=True)


class TextTriggerStatus(Rule):
    """A reversion trigger written as text alone (the team watches it) whose decision is in force at a closed round
    with no `status` for that round: the team says at every round after the decision took effect whether it
    tripped, and what shows it (`status: {2026-q3: {tripped: false, evidence: "..."}}`); while a round is being
    collected, `check` lists the triggers still to say in the round's progress instead. Also one recorded
    tripped without its evidence, and a `status` on a level trigger, which the tool checks itself (the status is
    not read).

    Fails, in handover/decisions/north-general-policing.yaml (north's handover took effect on 2026-05-01):

        triggers:
          - level_below: partially-ready
          - text: A public-order incident the national police cannot contain.

    Passes, in handover/decisions/north-general-policing.yaml:

        triggers:
          - level_below: partially-ready
          - text: A public-order incident the national police cannot contain.
            status:
              2026-q3: {tripped: false, evidence: Provincial operations room incident log for July to September}
    """

    code = "J006"
    name = "text-trigger-status"
    severity = WARNING

    def check(self, ctx: Context) -> Iterator[Problem]:
        project = ctx.project
        register = ctx.shared(register_of)
        for decision in project.decisions.values():
            if not decision.triggers or decision.region not in project.regions:
                continue
            watching = [
                r
                for r in project.round_order
                if decision.kind == "handover"
                and not project.rounds[r].collecting  # while collecting, the progress lists it (collection.py)
                and decision.effective_date <= project.rounds[r].date
                and decision in register.in_force(decision.region, r)
            ]
            for i, trigger in enumerate(decision.triggers):
                key, loc = ("decision", decision.id), ("triggers", i)
                if not trigger.watched:
                    if trigger.status:
                        yield at(
                            *key,
                            (*loc, "status"),
                            say("rule.J006.level_status", number=i + 1, decision=decision.id),
                            say("rule.J006.level_status_hint"),
                            key_of=True,
                        )
                    continue
                for round_id in watching:
                    said = trigger.status.get(round_id)
                    if said is None:
                        yield at(
                            *key,
                            loc,
                            say("rule.J006.unsaid", number=i + 1, decision=decision.id, round=round_id),
                            say("rule.J006.unsaid_hint", round=round_id),
                            key_of=True,
                        )
                    elif said.tripped and not str(said.evidence).strip():
                        yield at(
                            *key,
                            (*loc, "status", round_id, "tripped"),
                            say("rule.J006.no_evidence", number=i + 1, decision=decision.id, round=round_id),
                            say("rule.J006.no_evidence_hint"),
                        )
