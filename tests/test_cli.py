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
    files = project_files(
        {"r1/north": {"A1": 70, "B1": {"value": 60}}}, indicators=[indicator("A1", pillar="Aa"), indicator("B1", "B")]
    )
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


def _refusals() -> list[type]:
    """Every refusal class the package defines (readiness/errors.py's `Refusal` and its subclasses, everywhere)."""
    import importlib
    import pkgutil

    import readiness
    from readiness.errors import Refusal

    for info in pkgutil.walk_packages(readiness.__path__, "readiness."):
        if info.name not in ("readiness.__main__",):
            importlib.import_module(info.name)
    found, todo = [], [Refusal]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo += cls.__subclasses__()
    return found


def test_every_refusal_is_said_once_by_the_command_line_with_its_exit_code(clean, monkeypatch):
    """A refusal raised anywhere (a stage, an output check, the build) is never a bug: the command line says its
    message, then what it left as it was, and exits with the refusal's code; a usage refusal is said as Click says
    usage errors. One base class, one place that catches it (issue 25)."""
    import readiness.cli
    from readiness.errors import EXIT_FINDINGS, EXIT_USAGE, UsageRefusal
    from readiness.i18n import say

    refusals = _refusals()
    names = {cls.__name__ for cls in refusals}
    assert {"NotAProject", "UnsafeOutput", "BuildError", "DocumentLeak", "RoundError", "ScenarioError"} <= names
    for cls in refusals:

        def refuse(*_args, _cls=cls, **_kwargs):
            raise _cls("the round 2099-q1 does not exist")

        monkeypatch.setattr(readiness.cli, "check_project", refuse)
        result = run("check", str(clean))
        assert "the round 2099-q1 does not exist" in result.output, cls
        assert "Traceback" not in result.output and "internal error" not in result.output, cls
        if issubclass(cls, UsageRefusal):
            assert result.exit_code == EXIT_USAGE and "Usage:" in result.output, cls
        else:
            assert result.exit_code == cls.exit_code in (EXIT_FINDINGS, EXIT_USAGE), cls
            if cls.then is not None:
                assert say(cls.then) in result.output, cls


def test_every_problem_is_reported_in_one_run_sorted_by_file_and_line(make_project):
    files = project_files(
        {"r1/north": {"A1": 170, "B1": "x"}}, indicators=[indicator("A1", pillar="Q", weight=0), indicator("B1", "B")]
    )
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
        "assessment.schema.json",
        "decision.schema.json",
        "framework.schema.json",
        "hrddp.schema.json",
        "indicator.schema.json",
        "mandate.schema.json",
        "mkdocs.schema.json",
        "regions.schema.json",
        "reports.schema.json",
        "results.schema.json",
        "rounds.schema.json",
        "scenario.schema.json",
    ]


# ---------------------------------------------------------------- one convention, every option honoured or refused


def test_every_command_takes_the_project_the_same_way(clean, tmp_path, monkeypatch):
    out = tmp_path / "results.json"
    assert run("score", "-p", str(clean), "-o", str(out)).exit_code == 0 and out.is_file()
    assert run("score", "--project", str(clean), "--out", str(out)).exit_code == 0
    legacy = run("score", str(clean))
    assert legacy.exit_code == 2 and f"--project {clean}" in legacy.output
    monkeypatch.chdir(clean / "assessments")  # found from a folder inside the project, as git finds .git
    assert run("graph").exit_code == 0
    monkeypatch.chdir(tmp_path)
    lost = run("graph")
    assert lost.exit_code == 2 and "not a readiness project" in lost.output


def test_check_narrows_to_the_files_or_folders_given(make_project):
    from tests.conftest import project_files

    root = make_project(project_files({"r1/north": {"A1": 85, "B1": {"value": 60}}}))
    (root / "indicators" / "A1.yaml").write_text(
        (root / "indicators" / "A1.yaml").read_text(encoding="utf-8").replace("pillar: A", "pillar: Z"),
        encoding="utf-8",
    )
    whole = run("check", str(root))
    assert "indicators/A1.yaml" in whole.output and "assessments/r1/north.yaml" in whole.output
    narrowed = run("check", str(root / "assessments"))
    assert "assessments/r1/north.yaml" in narrowed.output and "indicators/A1.yaml" not in narrowed.output
    assert narrowed.exit_code == 0  # the warning alone
    one = run("check", str(root / "indicators" / "A1.yaml"))
    assert one.exit_code == 1 and "unknown pillar 'Z'" in one.output and "north.yaml" not in one.output


@pytest.mark.parametrize(
    "args,why",
    [
        (["--scenario", "x", "--uncertainty"], "give one of them"),
        (["--samples", "100"], "add --uncertainty"),
        (["--seed", "3"], "add --uncertainty"),
        (["--round", "r1", "--preview"], "not both"),
        (["--preview"], "nothing to preview"),
        (["--round", "r9"], "unknown round 'r9'"),
    ],
)
def test_score_refuses_options_it_cannot_honour(clean, args, why):
    result = run("score", "-p", str(clean), *args)
    assert result.exit_code == 2 and why in result.output, result.output


def test_new_round_says_how_to_write_a_date(clean):
    result = run("new-round", "r2", "--date", "31/03/2027", "-p", str(clean))
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output and "%Y" not in result.output


def test_a_closed_pipe_ends_quietly(clean, monkeypatch):
    """`readiness score | head`: the reader goes away; that is not a file permission problem, nor a bug."""
    import readiness.cli

    def closed(*_args, **_kwargs):
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(readiness.cli.click, "echo", closed)
    monkeypatch.setattr(readiness.cli, "_silence_stdout", lambda: None)  # leave pytest's own streams alone
    result = run("graph", "-p", str(clean))
    assert result.exit_code == 141
    assert "permission" not in result.output and "cannot use" not in result.output and "internal" not in result.output


def test_long_work_reports_its_stages_as_plain_lines_off_a_terminal(clean, tmp_path):
    result = run("build", "-p", str(clean), "-o", str(tmp_path / "site"))
    assert result.exit_code == 0, result.output
    for line in ("scored 1 round", "weighed the uncertainty of 1 round", "built the site in 1 language"):
        assert line in result.output, result.output
    assert "\r" not in result.output and "\x1b" not in result.output


def test_explain_speaks_the_language_asked(tmp_path):
    from tests.conftest import REPO

    english = run("explain", "lowa", "-p", str(REPO))
    french = run("explain", "lowa", "-p", str(REPO), "--lang", "fr")
    assert english.exit_code == french.exit_code == 0
    assert "Why this level" in english.output and "Path to handover" in english.output
    assert "Pourquoi ce niveau" in french.output and "Chemin vers le transfert" in french.output
    assert "Plancher critique" in french.output and "Why" not in french.output
    one = run("explain", "lowa", "LG-03", "-p", str(REPO), "--lang", "fr")
    assert one.exit_code == 0 and "seuils appliqués" in one.output and "valeur\u00a0: 57,1" in one.output
    assert run("explain", "lowa", "-p", str(REPO), "--lang", "xx").exit_code == 2


def test_build_refuses_a_project_check_refuses_and_publishes_nothing(broken, tmp_path):
    """The check rules run in a forked child while the build scores: their errors still stop it, said as `check`
    says them, before anything is published."""
    out = tmp_path / "site"
    result = run("build", "-p", str(broken), "--out", str(out))
    assert result.exit_code == 1, result.output
    checked = run("check", str(broken))
    errors = [line for line in checked.output.splitlines() if ": error " in line]
    assert errors and all(line in result.output for line in errors)
    assert not out.exists()


def test_a_scoring_failure_on_a_project_check_refuses_is_said_as_its_errors(broken, tmp_path, monkeypatch):
    """What check refuses may break scoring: the build then reports the project's errors, not an internal error."""
    import readiness.pipeline

    def breaks(*_args, **_kwargs):
        raise KeyError("Aa")

    monkeypatch.setattr(readiness.pipeline, "site_view", breaks)
    result = run("build", "-p", str(broken), "--out", str(tmp_path / "site"))
    assert result.exit_code == 1 and "internal error" not in result.output, result.output
    assert " error " in result.output and "Aa" in result.output
