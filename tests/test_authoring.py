"""A team's round, command by command: init, new-round, import, check, score, build, export, explain, graph."""

from __future__ import annotations

import csv
import json
import re
import shlex
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from openpyxl import Workbook, load_workbook

from readiness.authoring.scaffold import quarter
from readiness.cli import main
from readiness.project import load_project
from readiness.scoring import score_project
from tests.conftest import REPO, run

TODAY = date.today()
SEEN = (TODAY - timedelta(days=3)).isoformat()


def next_round() -> tuple[str, str]:
    _, cutoff = quarter(TODAY)
    round_id, end = quarter(cutoff + timedelta(days=1))
    return round_id, end.isoformat()


def spreadsheet_rows(project: Path) -> list[list[str]]:
    """A filled-in round for both regions, two rows (two source types) for critical indicators."""
    rows = [["Region", "Indicator", "Value", "Source type", "Reference", "Date", "Note"]]
    values = {
        "capital": {"HR-02": 86, "HR-03": 93, "BU-01": 82, "LO-01": 27, "LG-02": 88, "PC-01": 74},
        "district": {"HR-02": 66, "HR-03": 80, "BU-01": 47, "LO-01": "", "LG-02": 52, "PC-01": 38},
    }
    for region, inds in values.items():
        for ind, value in inds.items():
            sources = {"HR-02": ["ADM", "FV"], "BU-01": ["ADM", "DOC"], "LO-01": ["ADM", "FV"]}.get(ind, ["FV"])
            if value == "":
                rows.append([region, ind, "", "", "", "", "Call register lost in the station fire"])
                continue
            for source in sources:
                rows.append([region, ind, str(value), source, f"{source} record, {region}", SEEN, ""])
    return rows


def write_xlsx(path: Path, rows: list[list[str]]) -> Path:
    book = Workbook()
    for row in rows:
        book.active.append([float(c) if re.fullmatch(r"\d+(\.\d+)?", c) else c for c in row])
    book.save(path)
    return path


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    return path


def test_a_spreadsheet_with_three_bad_rows_writes_nothing_and_names_each_row(tmp_path):
    project = tmp_path / "mission"
    run("init", str(project))
    round_id, cutoff = next_round()
    run("new-round", round_id, "--date", cutoff, "--project", str(project))
    before = {p: p.read_bytes() for p in project.rglob("*.yaml")}
    rows = spreadsheet_rows(project)
    rows[3][2] = "about 90"  # row 4: not a number
    rows[6][0] = "capitol"  # row 7: unknown region
    rows[9][3] = "RUMOUR"  # row 10: unknown source type
    result = run("import", str(write_csv(tmp_path / "bad.csv", rows)), "--round", round_id, "--project", str(project))
    assert result.exit_code == 1
    for number in (4, 7, 10):
        assert f"row {number}, column " in result.output  # the column too, by its header and letter
    assert 'did you mean "capital"' in result.output
    assert "nothing was written" in result.output
    assert {p: p.read_bytes() for p in project.rglob("*.yaml")} == before


def test_import_keeps_comments_and_key_order(tmp_path):
    project = tmp_path / "mission"
    run("init", str(project))
    files = list((project / "assessments").glob("*/capital.yaml"))
    path = files[0]
    text = path.read_text(encoding="utf-8")
    text = text.replace("observations:", "# Values agreed at the joint review of 12 November.\nobservations:")
    text = text.replace("  HR-03:\n", "  HR-03:  # training register re-counted by UNPOL\n")
    path.write_text(text, encoding="utf-8")
    keys_before = list(yaml.safe_load(text))
    round_id = yaml.safe_load(text)["round"]
    rows = [
        ["region", "indicator", "value", "source_type", "reference", "date"],
        ["capital", "HR-03", "95", "ADM", "Training register, recount", SEEN],
    ]
    result = run(
        "import",
        str(write_csv(tmp_path / "one.csv", rows)),
        "--round",
        round_id,
        "--replace",
        "--project",
        str(project),
    )  # 95 replaces the value init wrote: refused without --replace
    assert result.exit_code == 0, result.output
    after = path.read_text(encoding="utf-8")
    assert "# Values agreed at the joint review of 12 November." in after
    assert "HR-03:  # training register re-counted by UNPOL" in after
    assert list(yaml.safe_load(after)) == keys_before
    assert yaml.safe_load(after)["observations"]["HR-03"]["value"] == 95
    assert run("check", str(project)).exit_code == 0


def test_dry_run_writes_nothing(tmp_path):
    project = tmp_path / "mission"
    run("init", str(project))
    round_id, cutoff = next_round()
    run("new-round", round_id, "--date", cutoff, "--project", str(project))
    before = {p: p.read_bytes() for p in project.rglob("*.yaml")}
    sheet = write_csv(tmp_path / "round.csv", spreadsheet_rows(project))
    result = run("import", str(sheet), "--round", round_id, "--dry-run", "--project", str(project))
    assert result.exit_code == 0 and "would update" in result.output
    assert {p: p.read_bytes() for p in project.rglob("*.yaml")} == before


def test_new_round_never_overwrites(tmp_path):
    project = tmp_path / "mission"
    run("init", str(project))
    round_id, cutoff = next_round()
    target = project / "assessments" / round_id / "capital.yaml"
    target.parent.mkdir(parents=True)
    target.write_text("# started by hand\n", encoding="utf-8")
    assert run("new-round", round_id, "--date", cutoff, "--project", str(project)).exit_code == 0
    assert target.read_text(encoding="utf-8") == "# started by hand\n"
    assert run("new-round", round_id, "--date", cutoff, "--project", str(project)).exit_code == 2


def test_init_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "notes.txt").write_text("mine", encoding="utf-8")
    result = run("init", str(tmp_path / "x"))
    assert result.exit_code == 2 and "not empty" in result.output


def test_minimal_init_passes_check(tmp_path):
    assert run("init", str(tmp_path / "m"), "--minimal").exit_code == 0
    assert run("check", str(tmp_path / "m"), "--strict").exit_code == 0


def _commands(lines: list[str]) -> list[list[str]]:
    return [shlex.split(line)[1:] for line in lines if line.strip().startswith("readiness ")]


def assert_real_command(args: list[str]) -> None:
    command = main.commands[args[0]]
    options = {opt for param in command.params for opt in getattr(param, "opts", [])}
    for arg in args[1:]:
        if arg.startswith("--"):
            assert arg in options, f"readiness {args[0]} has no option {arg}"
    ctx = command.make_context(args[0], args[1:], resilient_parsing=False)
    assert ctx is not None


def test_ci_templates_are_valid_yaml_and_name_real_commands(tmp_path):
    run("init", str(tmp_path / "m"))
    github = yaml.safe_load((tmp_path / "m" / ".github" / "workflows" / "readiness.yml").read_text())
    steps = [s["run"] for s in github["jobs"]["check-and-build"]["steps"] if "run" in s]
    gitlab = yaml.safe_load((tmp_path / "m" / ".gitlab-ci.yml").read_text())
    scripts = gitlab["check"]["script"] + gitlab["build"]["script"]
    hooks = yaml.safe_load((tmp_path / "m" / ".pre-commit-config.yaml").read_text())
    ours = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    by_id = {h["id"]: h for h in ours}  # a hook of readiness's own repository is named by id only
    entries = [h.get("entry") or by_id[h["id"]]["entry"] for repo in hooks["repos"] for h in repo["hooks"]]
    commands = _commands(steps) + _commands(scripts) + _commands(entries) + _commands([h["entry"] for h in ours])
    assert {c[0] for c in commands} >= {"check", "build"}
    for args in commands:
        assert_real_command(args)
    assert any("--format" in c and "github" in c for c in _commands(steps))
    assert gitlab["check"]["artifacts"]["reports"]["junit"] == "readiness-junit.xml"


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_export_writes_every_table(tmp_path, fmt):
    result = run("export", "-p", str(REPO), "--format", fmt, "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    tables = ["results", "pillars", "indicators", "observations", "decisions", "conditions"]
    project, _ = load_project(REPO)
    scored = score_project(project)
    if fmt == "csv":
        results = list(csv.DictReader((tmp_path / "results.csv").open(encoding="utf-8")))
        assert {"region", "round", "score", "level", "primacy", "at_risk_after_handover"} <= set(results[0])
        assert len(results) == len(scored.regions)
        observations = list(csv.DictReader((tmp_path / "observations.csv").open(encoding="utf-8")))
        assert any(o["not_collected"] for o in observations)
        decisions = list(csv.DictReader((tmp_path / "decisions.csv").open(encoding="utf-8")))
        assert sorted(d["decision"] for d in decisions) == sorted(project.decisions)
        conditions = list(csv.DictReader((tmp_path / "conditions.csv").open(encoding="utf-8")))
        assert len(conditions) == sum(len(d.conditions) for d in project.decisions.values())
    elif fmt == "xlsx":
        book = load_workbook(tmp_path / "readiness-export.xlsx", read_only=True)
        assert book.sheetnames == tables
    else:
        data = json.loads((tmp_path / "readiness-export.json").read_text(encoding="utf-8"))
        assert list(data) == tables


def test_explain_says_why_a_region_has_its_level(monkeypatch):
    monkeypatch.chdir(REPO)
    result = run("explain", "tessin")
    assert result.exit_code == 0
    assert "Joint sign-off" in result.output and "Ministry" in result.output
    assert "Path to handover" in result.output
    one = run("explain", "lowa", "LO-01")
    assert one.exit_code == 0 and "capped" in one.output and "LG-03" in one.output
    assert run("explain", "nowhere").exit_code == 2


@pytest.mark.parametrize("fmt,marker", [("dot", "digraph"), ("mermaid", "flowchart LR"), ("svg", "<svg")])
def test_graph_formats(fmt, marker):
    result = run("graph", "-p", str(REPO), "--indicator", "LO-01", "--format", fmt)
    assert result.exit_code == 0 and marker in result.output
    assert "LG-02" in result.output and "PC-04" in result.output and "HR-04" not in result.output


def test_the_handover_readme_of_a_new_project_is_a_decision_that_checks(tmp_path):
    """The example decision that `readiness init` writes in handover/README.md, filed for the project's round
    and dated after its assessment, is a valid decision: check stays clean and the capital is handed over."""
    project = tmp_path / "m"
    assert run("init", str(project)).exit_code == 0
    readme = (project / "handover" / "README.md").read_text(encoding="utf-8")
    example = readme.split("```yaml\n", 1)[1].split("```", 1)[0]
    loaded, _ = load_project(project)
    (round_id,) = loaded.rounds
    decided = max(a.assessed_on for a in loaded.assessments.values()) + timedelta(days=1)
    example = example.replace("2026-q3", round_id).replace("decided: 2026-10-15", f"decided: {decided}")
    target = project / "handover" / "decisions" / "capital-handover.yaml"
    target.parent.mkdir()
    target.write_text(example, encoding="utf-8")
    # and the due diligence record the README shows beside it, for the support the decision's posture keeps
    record = readme.split("```yaml\n", 2)[2].split("```", 1)[0]
    (project / "handover" / "hrddp.yaml").write_text(record, encoding="utf-8")
    result = run("check", "-p", str(project), "--strict")
    assert result.exit_code == 0, result.output
    loaded, _ = load_project(project)
    assert score_project(loaded).get(round_id, "capital").handover.primacy == "host"
