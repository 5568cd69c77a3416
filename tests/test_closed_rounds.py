"""A closed round stays closed, and the sign-off means what it says (issue 26).

The stories a joint body relies on, played end to end on a copy of the corpus's valid project (Lomara, north
and south, rounds 2026-q1 and 2026-q3).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import run

BASE = Path(__file__).parent / "corpus" / "base"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(BASE, root)
    return root


def collecting(root: Path, round_id: str = "2026-q3") -> None:
    """Open `round_id` again, as a round still being collected."""
    rounds = root / "assessments" / "rounds.yaml"
    text = rounds.read_text(encoding="utf-8")
    at = text.index(f"id: {round_id}")
    end = text.find("\n  - ", at)
    end = len(text) if end < 0 else end
    rounds.write_text(text[:end].rstrip("\n") + "\n    state: collecting\n" + text[end:].lstrip("\n"), "utf-8")


def self_assessment_only(root: Path) -> None:
    """The host police's signature recorded in the self-assessment step, as the README's old example did."""
    north = root / "assessments" / "2026-q3" / "north.yaml"
    text = north.read_text(encoding="utf-8")
    text = text.replace(
        "    role: Provincial commissioner\n    date: 2026-09-26",
        "    role: Provincial commissioner\n    date: 2026-09-26\n    step: self-assessment",
    )
    north.write_text(text, encoding="utf-8")


# ---------------------------------------------------------------- the sign-off rule


def test_a_self_assessment_signature_alone_is_the_same_gap_everywhere(project):
    """The gate counts only the joint verification (readiness/signoff.py); check, the progress, close-round,
    the gate and the region page all say the host police has not signed off."""
    from readiness.collection import round_progress
    from readiness.pipeline import site_view
    from readiness.project import load_project
    from readiness.render import Renderer

    collecting(project)
    self_assessment_only(project)
    report = json.loads(run("check", "-p", str(project), "--format", "json").output)
    h012 = [d for d in report["diagnostics"] if d["code"] == "H012"]
    assert len(h012) == 1 and h012[0]["file"] == "assessments/2026-q3/north.yaml" and "lnp" in h012[0]["message"]

    loaded, _ = load_project(project)
    north = next(r for r in round_progress(loaded, "2026-q3").regions if r.region == "north")
    assert not north.complete and any("self-assessment only" in b for b in north.blockers)

    closing = run("close-round", "2026-q3", "-p", str(project))
    assert closing.exit_code == 1 and "self-assessment only" in closing.output
    assert "state: collecting" in (project / "assessments" / "rounds.yaml").read_text(encoding="utf-8")

    view = site_view(loaded.published("2026-q3"), "internal")
    r = view.result("2026-q3", "north")
    gate = next(g for g in r.gates if g.gate == "sign_off")
    assert "lnp" in gate.details["missing"]
    assert gate.details["positions"]["lnp"]["position"] == "self-assessment-only"
    pages = Renderer(view).render().pages
    assert "signed the self-assessment only: it does not count" in pages["evidence/north.md"]  # the sign-off
    page = pages["regions/north.md"]
    assert "signed the self-assessment only, which does not count for the joint sign-off" in page  # why this level

    verified = project / "assessments" / "2026-q3" / "north.yaml"
    verified.write_text(verified.read_text(encoding="utf-8").replace("    step: self-assessment\n", ""), "utf-8")
    assert not [
        d
        for d in json.loads(run("check", "-p", str(project), "--format", "json").output)["diagnostics"]
        if d["code"] == "H012"
    ]


# ---------------------------------------------------------------- a closed round stays closed


def sealed(root: Path) -> Path:
    """The corpus project with its last round closed and sealed, committed to git (as a team's repository)."""
    import subprocess

    result = run("close-round", "2026-q3", "-p", str(root))
    assert result.exit_code == 0 and "sealed" in result.output, result.output
    for args in (["init", "-q"], ["add", "-A"], ["-c", "user.name=t", "-c", "user.email=t@x", "commit", "-qm", "q3"]):
        subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)
    return root


def table(path: Path, rows: list[list[object]]) -> Path:
    import csv

    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["round", "region", "indicator", "value", "source_type", "reference", "date"])
        writer.writerows(rows)
    return path


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "assessments").rglob("*.yaml"))}


def test_a_closed_round_is_refused_four_ways_and_amended_once_on_the_record(project, tmp_path):
    from readiness.project import load_project
    from readiness.scoring import score_project

    root = sealed(project)
    rounds = yaml_of(root / "assessments" / "rounds.yaml")
    q3 = next(r for r in rounds["rounds"] if r["id"] == "2026-q3")
    assert q3["state"] == "final" and set(q3["seal"]["files"]) == {"north.yaml", "south.yaml"}
    before = snapshot(root)

    # 1. a sheet row that still carries the closed round: evidence it would add is refused
    added = table(tmp_path / "evidence.csv", [["2026-q3", "north", "LO-03", 1, "FV", "A late visit", "2026-09-20"]])
    refused = run("import", str(added), "-p", str(root))
    assert refused.exit_code == 1 and "round 2026-q3 is closed and sealed" in refused.output
    assert "readiness amend 2026-q3" in refused.output and "--replace" not in refused.output
    # 2. ... and so is a changed value, --replace or not
    changed = table(
        tmp_path / "value.csv", [["2026-q3", "north", "LO-03", 0, "ADM", "Station status report", "2026-09-18"]]
    )
    for extra in ([], ["--replace"]):
        refused = run("import", str(changed), "-p", str(root), *extra)
        assert refused.exit_code == 1 and "closed and sealed" in refused.output, refused.output
    # 3. no collection workbook for a closed round
    refused = run("template", "--round", "2026-q3", "-p", str(root), "-o", str(tmp_path / "t.xlsx"))
    assert refused.exit_code == 2 and "closed and sealed" in refused.output and not (tmp_path / "t.xlsx").exists()
    assert snapshot(root) == before
    # 4. a hand edit is an error naming the round and the file
    north = root / "assessments" / "2026-q3" / "north.yaml"
    north.write_text(
        north.read_text(encoding="utf-8").replace("  LO-03:\n    value: 1", "  LO-03:\n    value: 0"), "utf-8"
    )
    report = json.loads(run("check", "-p", str(root), "--format", "json").output)
    a002 = [d for d in report["diagnostics"] if d["code"] == "A002"]
    assert [(d["file"], d["severity"]) for d in a002] == [("assessments/2026-q3/north.yaml", "error")]
    assert "round 2026-q3 was sealed on" in a002[0]["message"]
    assert run("build", "-p", str(root), "--out", str(tmp_path / "site")).exit_code == 1  # nothing published

    # the one way: an amendment, with its reason, who and when; old and new on the record; sealed again
    amended = run(
        "amend",
        "2026-q3",
        "-p",
        str(root),
        "--on",
        "2026-11-02",
        "--by",
        "JTWG co-chairs",
        "--reason",
        "The verification visit of 28 October found the Marun post closed.",
    )
    assert amended.exit_code == 0, amended.output
    assert "amended north LO-03 value: 1 -> 0" in amended.output
    q3 = next(r for r in yaml_of(root / "assessments" / "rounds.yaml")["rounds"] if r["id"] == "2026-q3")
    (record,) = q3["amendments"]
    assert str(record["date"]) == "2026-11-02" and record["by"] == "JTWG co-chairs"
    assert record["changes"] == [{"region": "north", "indicator": "LO-03", "field": "value", "old": "1", "new": "0"}]
    assert str(q3["seal"]["date"]) == "2026-11-02"
    assert json.loads(run("check", "-p", str(root), "--format", "json").output)["diagnostics"] == [] or not [
        d
        for d in json.loads(run("check", "-p", str(root), "--format", "json").output)["diagnostics"]
        if d["code"] == "A002"
    ]
    loaded, _ = load_project(root)
    results = score_project(loaded)
    assert results.get("2026-q3", "north").indicators["LO-03"].amended
    assert not results.get("2026-q3", "south").indicators["LO-03"].amended

    # an amendment with a table: the import's rows, on the record the same way
    fix = table(tmp_path / "fix.csv", [["2026-q3", "north", "LO-03", 1, "ADM", "Station status report", "2026-09-18"]])
    again = run("amend", "2026-q3", str(fix), "-p", str(root), "--by", "JTWG", "--reason", "The post reopened.")
    assert again.exit_code == 0 and "amended north LO-03 value: 0 -> 1" in again.output, again.output
    q3 = next(r for r in yaml_of(root / "assessments" / "rounds.yaml")["rounds"] if r["id"] == "2026-q3")
    assert len(q3["amendments"]) == 2
    nothing = run("amend", "2026-q3", "-p", str(root), "--by", "x", "--reason", "y")
    assert nothing.exit_code == 2 and "nothing to amend" in nothing.output


def test_an_amendment_needs_a_reason_and_who_and_a_sealed_round(project):
    collecting(project)
    refused = run("amend", "2026-q3", "-p", str(project), "--by", "x", "--reason", "y")
    assert refused.exit_code == 2 and "not sealed" in refused.output
    missing = run("amend", "2026-q3", "-p", str(project), "--by", "x")
    assert missing.exit_code == 2 and "--reason" in missing.output


def test_the_example_shows_its_amendment_on_the_region_page_and_the_changes_page():
    from readiness.pipeline import site_view
    from readiness.project import load_project
    from readiness.render import Renderer
    from tests.conftest import REPO

    project, _ = load_project(REPO)
    q3 = project.rounds["2026-q3"]
    assert q3.sealed and len(q3.amendments) == 1 and q3.amendments[0].changes[0].region == "lowa"
    pages = Renderer(site_view(project, "internal")).render().pages
    assert "Amended on Oct 30, 2026 by Joint Transition Working Group (co-chairs)" in pages["regions/lowa.md"]
    assert "value 6 → 5" in pages["regions/lowa.md"]
    assert "[Lowa](regions/lowa.md): amended on Oct 30, 2026" in pages["changes.md"]


def yaml_of(path: Path) -> dict:
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_a_second_round_is_not_opened_while_one_is_being_collected(project):
    """import, check and the preview mean "the round being collected": there is only ever one."""
    collecting(project)
    refused = run("new-round", "2026-q4", "--date", "2026-12-31", "-p", str(project))
    assert refused.exit_code == 2 and "2026-q3 is still being collected" in refused.output
    assert "close-round 2026-q3" in refused.output
    assert not (project / "assessments" / "2026-q4").exists()
