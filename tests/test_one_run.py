"""Every problem in one run: one mistake must not hide the others, nor be repeated as many others."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import observation, project_files, run, write_project


def report(root: Path) -> list[dict]:
    result = run("check", str(root), "--format", "json")
    assert result.exit_code == 1, result.output
    return json.loads(result.stdout)["diagnostics"]


def test_an_unknown_key_does_not_hide_the_rest_of_its_file(tmp_path):
    files = project_files({"r1/north": {"A1": observation(85, date="2026-05-01"), "B1": observation(60)}})
    files["assessments/r1/north.yaml"]["narative"] = "A typo in a top-level key."
    files["assessments/r1/north.yaml"]["observations"]["A1"]["confidance"] = "high"
    found = report(write_project(tmp_path / "p", files))
    codes = {(d["code"], d["message"].split(" at ")[0]) for d in found if d["file"] == "assessments/r1/north.yaml"}
    assert ("S001", "unknown key 'narative'") in codes
    assert ("S001", "unknown key 'confidance'") in codes
    # the evidence dated after the round's cut-off is still found in the same file
    assert any(d["code"] == "E001" and d["file"] == "assessments/r1/north.yaml" for d in found), found


def test_an_unknown_key_in_the_framework_does_not_hide_the_indicators_problems(tmp_path):
    files = project_files({"r1/north": {"A1": 85, "B1": 60}})
    files["indicators/framework.yaml"]["levls"] = []
    files["indicators/A1.yaml"]["pillar"] = "Z"
    found = report(write_project(tmp_path / "p", files))
    assert any(d["code"] == "S001" and d["file"] == "indicators/framework.yaml" for d in found)
    assert any(d["code"] == "R002" and d["file"] == "indicators/A1.yaml" and "'Z'" in d["message"] for d in found)


def test_an_indicator_that_does_not_parse_is_reported_once(tmp_path):
    rounds = [("r1", "2026-03-31"), ("r2", "2026-06-30")]
    regions = [{"id": f"d{i}", "name": f"District {i}", "tier": "urban", "population": 10} for i in range(6)]
    values = {f"{r}/d{i}": {"A1": 85, "B1": 60} for r, _ in rounds for i in range(6)}
    files = project_files(values, rounds=rounds, regions=regions)
    files["indicators/A1.yaml"] = "id: A1\nname: Indicator A1\n  definition: [broken\n"
    found = report(write_project(tmp_path / "p", files))
    assert [d["code"] for d in found if d["file"] == "indicators/A1.yaml"] == ["Y001"]
    assert not [d for d in found if "A1" in d["message"] and d["file"] != "indicators/A1.yaml"], found


def test_a_tag_is_reported_with_the_other_problems_of_its_file(tmp_path):
    root = write_project(tmp_path / "p", project_files({"r1/north": {"A1": 85, "B1": 60}}))
    (root / "mkdocs.yml").write_text(
        "site_name: !!python/name:os.system\nhooks: [x.py]\nsite_descripton: x\n", encoding="utf-8"
    )
    found = [d for d in report(root) if d["file"] == "mkdocs.yml"]
    assert [(d["line"], d["code"]) for d in found] == [(1, "Y005"), (2, "M001"), (3, "S001")]
