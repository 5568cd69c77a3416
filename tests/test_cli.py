"""`readiness check` as CI runs it: exit codes, and output that each consumer accepts."""

from __future__ import annotations

import json
import re

import pytest

from tests.conftest import indicator, project_files, run

# The SARIF and JUnit tests are in test_ci_formats.py, with the other tests of what CI tools read.


@pytest.fixture
def broken(make_project):
    """A project with an error (unknown pillar, in an indicator) and a warning (value without evidence)."""
    files = project_files({"r1/north": {"A1": 70, "B1": {"value": 60}}},
                          indicators=[indicator("A1", pillar="Aa"), indicator("B1", "B")])
    return make_project(files)


@pytest.fixture
def clean(make_project):
    return make_project(project_files({"r1/north": {"A1": 70, "B1": 60}}))


def test_a_clean_project_exits_0(clean):
    result = run("check", str(clean))
    assert result.exit_code == 0, result.output
    assert "0 errors, 0 warnings" in result.output


def test_path_defaults_to_the_current_folder(clean, monkeypatch):
    monkeypatch.chdir(clean)
    assert run("check").exit_code == 0


def test_findings_exit_1_with_file_line_code_and_hint(broken):
    result = run("check", str(broken))
    assert result.exit_code == 1
    assert "indicators/A1.yaml:4:9: error R002 unknown pillar 'Aa'" in result.output
    assert 'hint: did you mean "A"?' in result.output
    assert "Traceback" not in result.output


def test_warnings_alone_pass_unless_strict(make_project):
    files = project_files({"r1/north": {"A1": 70, "B1": {"value": 60}}})
    root = make_project(files)
    assert run("check", str(root)).exit_code == 0
    strict = run("check", str(root), "--strict")
    assert strict.exit_code == 1 and "E004" in strict.output


def test_not_a_project_is_a_usage_error(tmp_path):
    result = run("check", str(tmp_path))
    assert result.exit_code == 2 and "not a readiness project" in result.output


def test_unknown_option_is_a_usage_error(clean):
    assert run("check", str(clean), "--format", "xml").exit_code == 2


def test_an_internal_error_exits_3_with_a_short_message_and_no_traceback(clean, monkeypatch):
    import readiness.cli

    def explode(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(readiness.cli, "check_project", explode)
    result = run("check", str(clean))
    assert result.exit_code == 3
    assert "internal error: RuntimeError: boom" in result.output and "Traceback" not in result.output


def test_every_problem_is_reported_in_one_run_sorted_by_file_and_line(make_project):
    files = project_files({"r1/north": {"A1": 170, "B1": "x"}},
                          indicators=[indicator("A1", pillar="Q", weight=0), indicator("B1", "B")])
    out = json.loads(run("check", str(make_project(files)), "--format", "json").output)
    found = [(d["file"], d["line"], d["code"]) for d in out["diagnostics"]]
    assert {"R002", "I003", "O002", "O001"} <= {c for _, _, c in found}
    assert found == sorted(found)


def test_github_annotations(broken):
    result = run("check", str(broken), "--format", "github")
    lines = [line for line in result.output.splitlines() if line.startswith("::")]
    pattern = re.compile(r"^::(error|warning) file=([^,]+),line=(\d+),col=(\d+),title=([^:]+)::(.+)$")
    parsed = [pattern.match(line) for line in lines]
    assert all(parsed), lines
    assert ("error", "indicators/A1.yaml", "4") in [(m[1], m[2], m[3]) for m in parsed]
    assert any(m[1] == "warning" and "E004" in m[5] for m in parsed)


def test_json_report(broken):
    out = json.loads(run("check", str(broken), "--format", "json").output)
    assert out["schema_version"] == 1 and out["errors"] == 1 and out["warnings"] == 1


def test_schema_command_writes_one_schema_per_file_kind(tmp_path):
    result = run("schema", "--out", str(tmp_path))
    assert result.exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "assessment.schema.json", "framework.schema.json", "indicator.schema.json", "mkdocs.schema.json",
        "regions.schema.json", "rounds.schema.json", "scenario.schema.json"]
