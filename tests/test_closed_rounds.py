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
    page = Renderer(view).render().pages["regions/north.md"]
    assert "signed the self-assessment only: it does not count" in page
    assert "signed the self-assessment only, which does not count for the joint sign-off" in page  # why this level

    verified = project / "assessments" / "2026-q3" / "north.yaml"
    verified.write_text(verified.read_text(encoding="utf-8").replace("    step: self-assessment\n", ""), "utf-8")
    assert not [
        d
        for d in json.loads(run("check", "-p", str(project), "--format", "json").output)["diagnostics"]
        if d["code"] == "H012"
    ]
