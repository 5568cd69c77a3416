"""The joint assessment itself (issue 30, item 4): team members typed by party and role, and `check` weighing the
team (J001 unbalanced, J002 the assessed commander verifying, J003 no leader or two); a condition recorded met or
waived with its evidence and an independent verifier (J004 while the round is open, J005 once closed); text
triggers said tripped or not at each round (J006), reported by the situation beside level triggers and shown on
the region's page with their evidence; the public edition showing a typed member by role."""

from __future__ import annotations

import io
import re
import shutil
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from readiness.model import Assessment
from readiness.project import load_project
from readiness.publication import Naming
from readiness.report import public_project
from readiness.scoring import score_project
from readiness.situation import Situation
from tests.conftest import REPO, run
from tests.test_corpus import BASE, run_check

NORTH_Q3 = "assessments/2026-q3/north.yaml"
NORTH_DECISION = "handover/decisions/north-general-policing.yaml"
BALANCED = """
team:
  - {name: Supt. Amina Mensah, party: unpol, role: UNPOL Sector North commander, leader: true}
  - {name: Insp. Rui Costa, party: unpol, role: UNPOL investigations adviser}
  - {name: Supt. Joseph Okoro, party: lnp, role: LNP Inspectorate General}
  - {name: Insp. Grace Adjei, party: lnp, role: LNP provincial staff officer}
  - {name: Chief Supt. Samuel Phiri, party: lnp, role: LNP North District Commander, assessed: true, observer: true}
"""


def _patch(root: Path, path: str, snippet: str) -> None:
    """Lay a YAML snippet's keys over a file of the project (mappings merge key by key, other values replace)."""
    yaml = YAML()
    yaml.preserve_quotes = True
    target = root / path
    data = yaml.load(target.read_text(encoding="utf-8"))

    def merge(into: Any, patch: Any) -> None:
        for key, value in patch.items():
            if isinstance(value, dict) and isinstance(into.get(key), dict):
                merge(into[key], value)
            else:
                into[key] = value

    merge(data, yaml.load(snippet))
    out = io.StringIO()
    yaml.dump(data, out)
    target.write_text(out.getvalue(), encoding="utf-8")


@pytest.fixture
def base(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(BASE, root)
    return root


def _check(root: Path, *extra: str) -> list[dict[str, Any]]:
    _, output, report = run_check(root, *extra)
    assert report is not None, output
    return report["diagnostics"]


def _codes(found: list[dict[str, Any]], code: str) -> list[dict[str, Any]]:
    return [d for d in found if d["code"] == code]


# ---------------------------------------------------------------- the team, typed or as lines of text


def test_a_team_member_is_a_line_of_text_or_a_typed_mapping():
    a = Assessment.model_validate(
        {
            "region": "north",
            "round": "2026-q3",
            "observations": {},
            "team": [
                "Supt. Adaeze Okonkwo, UNPOL Sector North commander (team leader)",
                {
                    "name": "Chief Supt. Mariam Seko",
                    "party": "lnp",
                    "role": {"en": "LNP Kessa District Commander", "fr": "Commandante du district de Kessa, PNL"},
                    "assessed": True,
                    "observer": True,
                },
            ],
        }
    )
    line, typed = a.team
    assert (line.name, str(line.role), line.party, line.typed) == (
        "Supt. Adaeze Okonkwo",
        "UNPOL Sector North commander (team leader)",
        None,
        False,
    )
    assert line.text() == "Supt. Adaeze Okonkwo, UNPOL Sector North commander (team leader)"
    assert typed.typed and typed.party == "lnp" and typed.assessed and typed.observer and not typed.leader
    assert typed.text("fr") == "Chief Supt. Mariam Seko, Commandante du district de Kessa, PNL"


def test_the_example_checks_clean_of_the_joint_rules_with_its_teams_as_written():
    found = _check(REPO)
    assert not [d for d in found if d["code"].startswith("J") or d["severity"] == "error"], found


def test_a_typed_member_of_an_unknown_party_is_an_unknown_reference(base):
    _patch(base, NORTH_Q3, "team:\n  - {name: A. Mensah, party: unpoll, role: UNPOL commander, leader: true}\n")
    (problem,) = _codes(_check(base), "R002")
    assert problem["file"] == NORTH_Q3 and problem["line"] == 5
    assert "unknown party 'unpoll'" in problem["message"] and '"unpol"' in problem["hint"]


def test_a_team_member_that_is_neither_text_nor_a_member_is_told_where(base):
    _patch(base, NORTH_Q3, "team:\n  - {name: A. Mensah, party: unpol, rank: Supt.}\n")
    found = _check(base)
    (problem,) = _codes(found, "S001")
    assert problem["file"] == NORTH_Q3 and "rank" in problem["message"]


# ---------------------------------------------------------------- J001 unbalanced team


def test_a_balanced_team_with_the_assessed_commander_observing_checks_clean(base):
    _patch(base, NORTH_Q3, BALANCED)
    assert _check(base, "--strict") == []


def test_more_verifiers_of_one_side_than_of_the_other_is_a_warning(base):
    _patch(
        base,
        NORTH_Q3,
        BALANCED.replace(
            "leader: true}", "leader: true}\n  - {name: Insp. Olena Kravets, party: unpol, role: UNPOL adviser}"
        ),
    )
    (problem,) = _codes(_check(base), "J001")
    assert problem["severity"] == "warning" and problem["file"] == NORTH_Q3
    assert "3 verifying members of the mission's side and 2 of the host State's" in problem["message"]
    assert "add a verifying member of the host State's side" in problem["hint"]


def test_an_observer_does_not_count_as_a_verifier(base):
    # the Ministry's officer attends without verifying: 2 against 1 once she is an observer
    snippet = BALANCED.replace(
        "  - {name: Insp. Grace Adjei, party: lnp, role: LNP provincial staff officer}\n",
        "  - {name: Insp. Grace Adjei, party: lnp, role: LNP provincial staff officer, observer: true}\n",
    )
    _patch(base, NORTH_Q3, snippet)
    (problem,) = _codes(_check(base), "J001")
    assert "2 verifying members of the mission's side and 1 of the host State's" in problem["message"]


def test_a_team_not_wholly_typed_is_not_weighed(base):
    _patch(base, NORTH_Q3, "team:\n  - A. Mensah, UNPOL\n  - {name: R. Diallo, party: unpol, role: UNPOL adviser}\n")
    found = _check(base)
    assert not _codes(found, "J001") and not _codes(found, "J003")


# ---------------------------------------------------------------- J002 the assessed commander verifying


def test_the_assessed_commander_verifying_is_a_warning(base):
    _patch(base, NORTH_Q3, BALANCED.replace("assessed: true, observer: true}", "assessed: true}"))
    found = _check(base)
    (problem,) = _codes(found, "J002")
    assert problem["message"] == (
        "Chief Supt. Samuel Phiri commands the region assessed (`assessed: true`) and takes part in the verification"
    )
    assert "observer: true" in problem["hint"]
    assert _codes(found, "J001"), "the commander now counts as a third verifier of the host side"


def test_the_assessed_commander_signing_the_verification_is_a_warning_even_as_an_observer(base):
    _patch(
        base,
        NORTH_Q3,
        BALANCED
        + "sign_off:\n"
        + "  - {party: unpol, name: R. Diallo, role: Regional commander, date: 2026-09-25}\n"
        + "  - {party: lnp, name: Chief Supt. Samuel Phiri, role: District commander, date: 2026-09-26}\n",
    )
    (problem,) = _codes(_check(base), "J002")
    assert problem["message"] == "Chief Supt. Samuel Phiri commands the region assessed and signs its verification"


# ---------------------------------------------------------------- J003 the team's leader


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("leader: true}", "the team has no leader"),
        ("role: LNP Inspectorate General}", "the team has 2 leaders: Supt. Amina Mensah, Supt. Joseph Okoro"),
    ],
)
def test_a_typed_team_has_one_leader(base, change, message):
    replaced = BALANCED.replace(change, "}" if change.startswith("leader") else change[:-1] + ", leader: true}")
    _patch(base, NORTH_Q3, replaced)
    (problem,) = _codes(_check(base), "J003")
    assert problem["message"] == message and problem["severity"] == "warning"


# ---------------------------------------------------------------- J004, J005 a condition met needs its evidence


def _condition_status(root: Path, status: str) -> None:
    _patch(
        root,
        NORTH_DECISION,
        "conditions:\n"
        "  - what: Public-order platoon trained and equipped\n"
        "    owner: lnp\n"
        "    due: 2027-03-31\n"
        f"    status:\n      2026-q3: {status}\n",
    )


def test_a_condition_met_without_evidence_at_a_closed_round_is_a_warning(base):
    _condition_status(base, "met")
    (problem,) = _codes(_check(base), "J005")
    assert problem["severity"] == "warning" and problem["file"] == NORTH_DECISION
    assert problem["message"] == (
        "condition 1 of decision north-general-policing is met in 2026-q3 without its evidence: no reference, "
        "no verifying party"
    )
    assert "verified_by" in problem["hint"] and "others than lnp alone" in problem["hint"]


def test_a_condition_met_without_evidence_at_a_round_still_open_is_an_error(base):
    _condition_status(base, "met")
    rounds = base / "assessments" / "rounds.yaml"
    rounds.write_text(rounds.read_text(encoding="utf-8") + "    state: collecting\n", encoding="utf-8")
    code, _, report = run_check(base)
    assert report is not None
    (problem,) = _codes(report["diagnostics"], "J004")
    assert problem["severity"] == "error" and code == 1
    assert not _codes(report["diagnostics"], "J005")


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (
            "{state: met, reference: Provincial commander's memo PC/2026/41, verified_by: lnp}",
            "condition 1 of decision north-general-policing is met in 2026-q3 as verified by its owner, lnp, alone",
        ),
        (
            "{state: met, verified_by: [unpol, lnp]}",
            "condition 1 of decision north-general-policing is met in 2026-q3 without the reference of what shows it",
        ),
        (
            "{state: met, reference: Joint field verification report JFV/2026/14}",
            "condition 1 of decision north-general-policing is met in 2026-q3 without the parties that verified it",
        ),
        (
            "{state: waived, reference: JTC/2026/11}",
            "condition 1 of decision north-general-policing is waived in 2026-q3 without who waived it",
        ),
        (
            "{state: waived, reference: LNP letter 2026/88, waived_by: lnp}",
            "condition 1 of decision north-general-policing is waived in 2026-q3 by its owner, lnp",
        ),
    ],
)
def test_what_a_met_or_waived_status_lacks_is_said(base, status, message):
    _condition_status(base, status)
    (problem,) = _codes(_check(base), "J005")
    assert problem["message"] == message


@pytest.mark.parametrize(
    "status",
    [
        "{state: met, reference: Joint field verification report JFV/2026/14, verified_by: [unpol, lnp]}",
        "{state: met, reference: UNPOL field visit report FV/2026/09, verified_by: unpol, date: 2026-09-18}",
        "{state: waived, reference: JTC/2026/11, waived_by: jtc}",
        "open",
        "not-met",
    ],
)
def test_a_status_with_its_evidence_or_still_waiting_checks_clean(base, status):
    _condition_status(base, status)
    assert _check(base, "--strict") == []


def test_a_verifier_or_a_waiver_that_is_not_defined_is_an_unknown_reference(base):
    _condition_status(base, "{state: met, reference: JFV/2026/14, verified_by: [unpol, minstry]}")
    (problem,) = _codes(_check(base), "R002")
    assert problem["message"] == "unknown party 'minstry'"
    _condition_status(base, "{state: waived, reference: JTC/2026/11, waived_by: jtcc}")
    (problem,) = _codes(_check(base), "R002")
    assert problem["message"] == "unknown body or party 'jtcc'" and '"jtc"' in problem["hint"]


def test_the_example_records_every_met_condition_with_its_evidence():
    project, _ = load_project(REPO)
    sides = {p.id: p.side for p in project.framework.parties}
    met = [
        (d.id, c.owner, said)
        for d in project.decisions.values()
        for c in d.conditions
        for said in c.status.values()
        if said.state == "met"
    ]
    assert len(met) >= 4
    for decision, owner, said in met:
        assert said.reference and said.verified_by and said.date, decision
        assert set(said.verified_by) != {owner}, decision
        assert "un" in {sides[p] for p in said.verified_by}, decision


# ---------------------------------------------------------------- J006 text triggers said at each round


def test_a_text_trigger_without_a_status_after_its_decision_took_effect_is_a_warning(base):
    _patch(
        base,
        NORTH_DECISION,
        "triggers:\n  - level_below: partially-ready\n  - text: A public-order incident the police cannot contain.\n",
    )
    (problem,) = _codes(_check(base), "J006")
    assert problem["severity"] == "warning" and problem["file"] == NORTH_DECISION
    assert problem["message"] == (
        "reversion trigger 2 of north-general-policing has no status in 2026-q3: the team watches it, say whether "
        "it tripped"
    )
    assert "status: {2026-q3: {tripped: false, evidence: ...}}" in problem["hint"]


def test_a_text_trigger_tripped_without_evidence_and_a_level_trigger_with_a_status_are_warnings(base):
    _patch(
        base,
        NORTH_DECISION,
        "triggers:\n"
        "  - level_below: partially-ready\n"
        "    status: {2026-q3: {tripped: false}}\n"
        "  - text: A public-order incident the police cannot contain.\n"
        "    status: {2026-q3: {tripped: true}}\n",
    )
    found = _codes(_check(base), "J006")
    assert sorted(d["message"] for d in found) == [
        "reversion trigger 1 of north-general-policing is checked by the tool (`level_below`): its `status` is not "
        "read",
        "reversion trigger 2 of north-general-policing is tripped in 2026-q3 without its evidence",
    ]


def test_a_text_trigger_recorded_tripped_puts_the_region_at_risk_after_handover(base):
    _patch(
        base,
        NORTH_DECISION,
        "triggers:\n"
        "  - text: A public-order incident the police cannot contain.\n"
        "    status: {2026-q3: {tripped: true, evidence: Riot at the Nasse market on 2 August; army called in}}\n",
    )
    found = _check(base)
    (problem,) = _codes(found, "H009")
    assert problem["message"] == (
        "reversion trigger 1 of north-general-policing is recorded tripped in 2026-q3: at risk after handover"
    )
    project, _ = load_project(base)
    results = score_project(project)
    north = results.get("2026-q3", "north").handover
    assert {"kind": "trigger", "decision": "north-general-policing", "trigger": 0, "level_below": None,
            "indicator": None} in north.at_risk  # fmt: skip


@pytest.fixture(scope="module")
def example() -> tuple[Any, Any]:
    project, _ = load_project(REPO)
    return project, score_project(project)


def test_the_situation_reports_the_text_trigger_the_wari_attack_tripped(example):
    project, results = example
    q3 = Situation(project, results, "2026-q3").standings["dabori"]
    by_text = {t.index: t for t in q3.triggers if t.decision.id == "dabori-general-policing"}
    attack = by_text[2]
    assert attack.trigger.watched and attack.tripped and attack.said is not None and attack.said.tripped
    assert "Wari border post was overrun" in attack.said.evidence.get("en")
    assert by_text[0].said is None and by_text[0].tripped  # a level trigger: the tool found it tripped
    q2 = Situation(project, results, "2026-q2").standings["dabori"]
    attack = next(t for t in q2.triggers if t.decision.id == "dabori-general-policing" and t.index == 2)
    assert not attack.tripped and attack.said is not None and "3 May" in attack.said.evidence.get("en")
    risks = results.get("2026-q3", "dabori").handover.at_risk
    assert {"kind": "trigger", "decision": "dabori-general-policing", "trigger": 2, "level_below": None,
            "indicator": None} in risks  # fmt: skip


def test_every_text_trigger_of_the_example_is_said_at_each_round_after_its_handover(example):
    project, results = example
    for round_id in project.round_order:
        situation = Situation(project, results, round_id)
        for standing in situation.standings.values():
            for t in standing.triggers:
                if t.trigger.watched:
                    assert t.said is not None, (round_id, t.decision.id, t.index)
                    assert str(t.said.evidence).strip(), (round_id, t.decision.id, t.index)


# ---------------------------------------------------------------- what the pages and the public edition show


def _text(path: Path) -> str:
    """A page's text as a reader sees it: tags out, spaces collapsed, none before a colon or a full stop."""
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8"))).split())
    return re.sub(r" ([:;,.)])", r"\1", text)


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The base project with a typed team, a condition met with its evidence and a text trigger tripped, built
    in both editions."""
    root = tmp_path_factory.mktemp("joint") / "project"
    shutil.copytree(BASE, root)
    _patch(root, NORTH_Q3, BALANCED)
    _condition_status(
        root,
        "{state: met, reference: Joint field verification report JFV/2026/14, verified_by: [unpol, lnp], "
        "date: 2026-09-18}",
    )
    _patch(
        root,
        NORTH_DECISION,
        "triggers:\n"
        "  - level_below: partially-ready\n"
        "  - text: A public-order incident the police cannot contain.\n"
        "    status: {2026-q3: {tripped: true, evidence: Riot at the Nasse market on 2 August; army called in}}\n",
    )
    out = root.parent / "sites"
    for audience in ("internal", "public"):
        built = run("build", "-p", str(root), "--audience", audience, "--out", str(out / audience))
        assert built.exit_code == 0, built.output
    return out


def test_the_region_page_shows_the_condition_s_evidence_where_it_shows_its_state(sites):
    page = _text(sites / "internal" / "regions" / "north.html")
    assert (
        "Public-order platoon trained and equipped (owner: National police command; due Mar 31, 2027): met "
        "(Joint field verification report JFV/2026/14; verified by UNPOL and National police command; "
        "Sep 18, 2026)"
    ) in page


def test_the_region_page_shows_the_text_trigger_tripped_with_its_evidence(sites):
    page = _text(sites / "internal" / "regions" / "north.html")
    assert (
        "A public-order incident the police cannot contain. tripped at this round: Riot at the Nasse market on "
        "2 August; army called in"
    ) in page


def test_the_internal_edition_names_the_team_with_what_each_member_did(sites):
    page = _text(sites / "internal" / "evidence" / "north.html")
    assert "Supt. Amina Mensah, UNPOL Sector North commander (team leader)" in page
    assert "Chief Supt. Samuel Phiri, LNP North District Commander (commands the region assessed; observer)" in page


def test_the_public_edition_shows_a_typed_member_of_the_host_side_by_role_only(sites):
    page = _text(sites / "public" / "evidence" / "north.html")
    assert "Supt. Amina Mensah, UNPOL Sector North commander (team leader)" in page  # the mission's side is named
    assert "LNP Inspectorate General" in page and "LNP North District Commander" in page
    for name in ("Joseph Okoro", "Grace Adjei", "Samuel Phiri", "Supt. Okoro", "Supt. Phiri"):
        assert name not in page


def test_naming_hides_a_typed_member_everywhere_a_public_text_might_name_them(base):
    _patch(base, NORTH_Q3, BALANCED)
    project, _ = load_project(base)
    naming = Naming(project)
    assert "Chief Supt. Samuel Phiri" in {p.name for p in naming.people}
    assert "Supt. Amina Mensah" not in {p.name for p in naming.people}
    public, _ = public_project(project)
    team = public.assessments[("2026-q3", "north")].team
    assert [m.text() for m in team] == [
        "Supt. Amina Mensah, UNPOL Sector North commander",
        "Insp. Rui Costa, UNPOL investigations adviser",
        "LNP Inspectorate General",
        "LNP provincial staff officer",
        "LNP North District Commander",
    ]
    assert team[4].assessed and team[4].observer  # what they did is kept


# ---------------------------------------------------------------- French


def test_the_joint_rules_speak_french(base):
    _patch(base, NORTH_Q3, BALANCED.replace("assessed: true, observer: true}", "assessed: true}"))
    _condition_status(base, "{state: met, reference: JFV/2026/14, verified_by: lnp}")
    _patch(
        base,
        NORTH_DECISION,
        "triggers:\n  - level_below: partially-ready\n  - text: A public-order incident the police cannot contain.\n",
    )
    found = {d["code"]: d for d in _check(base, "--lang", "fr")}
    nbsp = "\u00a0"
    assert found["J001"]["message"] == (
        f"l'équipe compte 2 membres vérificateurs du côté de la mission et 3 du côté de l'État hôte{nbsp}: une équipe "
        "conjointe en compte autant de chaque côté"
    )
    assert found["J002"]["message"] == (
        "Chief Supt. Samuel Phiri commande la région évaluée (`assessed: true`) et prend part à la vérification"
    )
    assert found["J005"]["message"] == (
        "la condition 1 de la décision north-general-policing est remplie en 2026-q3, vérifiée par son seul "
        "responsable, lnp"
    )
    assert found["J006"]["message"].startswith(
        f"le critère de retour 2 de la décision north-general-policing n'a pas de statut en 2026-q3{nbsp}:"
    )


def test_while_a_round_is_collected_its_progress_lists_the_triggers_to_say_not_a_warning(base):
    _patch(
        base,
        NORTH_DECISION,
        "triggers:\n  - level_below: partially-ready\n  - text: A public-order incident the police cannot contain.\n",
    )
    rounds = base / "assessments" / "rounds.yaml"
    rounds.write_text(rounds.read_text(encoding="utf-8") + "    state: collecting\n", encoding="utf-8")
    _, _, report = run_check(base)
    assert report is not None
    assert not _codes(report["diagnostics"], "J006")
    (north,) = [r for r in report["collecting"][0]["regions"] if r["region"] == "north"]
    assert "say whether reversion trigger 2 of north-general-policing tripped (`status:`)" in north["notes"]
