"""The corpus of broken projects: each case is the valid project in corpus/base with a few files changed.

A case is a folder under tests/corpus/ that holds only the files that differ from base (same relative paths)
and an `expect.yaml`:

    code: Y003                      # the rule that must be reported ...
    file: indicators/framework.yaml # ... in this file ...
    line: 12                        # ... at this line
    message: substring              # optional; a list of substrings is also accepted
    hint: substring                 # optional
    delete: [relative/path.yaml]    # optional: files of base that the case removes
    strict: true                    # optional: run with --strict (the rule is a warning)
    absent: [R002, {code: R004, file: assessments/regions.yaml, line: 14}]
                                    # optional: diagnostics that must not be reported (a code alone: anywhere)
    xfail: reason                   # optional: a known bug in readiness; the case must fail until fixed

A passing case (a YAML hazard the tool must accept) says `exit: 0` instead of code/file/line: the project must
check clean, with no diagnostic at all.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from readiness.cli import main
from readiness.diagnostics import Severity
from readiness.rules import RULES

CORPUS = Path(__file__).parent / "corpus"
BASE = CORPUS / "base"
EXPECT = "expect.yaml"

#: Rule codes no corpus case triggers, each with the reason. Keep it empty if at all possible.
UNTRIGGERED: dict[str, str] = {}


def _load_expect(folder: Path) -> dict[str, Any]:
    with open(folder / EXPECT, encoding="utf-8") as handle:
        expect = yaml.safe_load(handle)
    assert isinstance(expect, dict), f"{folder.name}/{EXPECT} must be a mapping"
    return expect


def _cases() -> list[tuple[str, dict[str, Any]]]:
    return [
        (folder.name, _load_expect(folder)) for folder in sorted(CORPUS.iterdir()) if folder.is_dir() and folder != BASE
    ]


CASES = _cases()
FAILING = [(name, expect) for name, expect in CASES if "exit" not in expect]
PASSING = [(name, expect) for name, expect in CASES if "exit" in expect]


def _params(cases: list[tuple[str, dict[str, Any]]]) -> list[Any]:
    params = []
    for name, expect in cases:
        marks = [pytest.mark.xfail(strict=True, reason=expect["xfail"])] if expect.get("xfail") else []
        params.append(pytest.param(name, expect, id=name, marks=marks))
    return params


def build(name: str, expect: dict[str, Any], tmp_path: Path) -> Path:
    """Copy base to a temporary folder, lay the case's files over it and remove what it deletes."""
    project = tmp_path / "project"
    shutil.copytree(BASE, project)
    case = CORPUS / name
    for source in sorted(case.rglob("*")):
        rel = source.relative_to(case)
        if rel.as_posix() == EXPECT or not source.is_file():
            continue
        target = project / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)  # byte for byte: BOMs, CRLF and bad bytes stay as written
    for rel in expect.get("delete", []):
        target = project / rel
        assert target.exists(), f"{name}: `delete` names {rel}, which base does not have"
        if target.is_dir():
            shutil.rmtree(target)
        else:
            target.unlink()
    return project


def run_check(project: Path, *extra: str) -> tuple[int, str, dict[str, Any] | None]:
    result = CliRunner().invoke(main, ["check", str(project), "--format", "json", *extra])
    output = result.output  # standard output and error, as a user sees them
    try:
        report = json.loads(result.stdout)
    except ValueError:
        report = None
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"the CLI raised {result.exception!r}\n{output}") from result.exception
    return result.exit_code, output, report


def _describe(diagnostics: list[dict[str, Any]]) -> str:
    return (
        "\n".join(
            f"  {d['file']}:{d['line']}:{d['column']} {d['code']} {d['message']} | {d['hint']}" for d in diagnostics
        )
        or "  (none)"
    )


def test_base_is_clean(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(BASE, project)
    for extra in ((), ("--strict",)):
        code, output, report = run_check(project, *extra)
        assert "Traceback" not in output
        assert report is not None, output
        assert report["diagnostics"] == [], _describe(report["diagnostics"])
        assert code == 0, output


@pytest.mark.parametrize(("name", "expect"), _params(FAILING))
def test_broken_case(name: str, expect: dict[str, Any], tmp_path: Path) -> None:
    for key in ("code", "file", "line"):
        assert key in expect, f"{name}/{EXPECT} lacks `{key}`"
    assert expect["code"] in RULES, f"{name}: unknown rule code {expect['code']}"
    project = build(name, expect, tmp_path)
    strict = bool(expect.get("strict"))
    code, output, report = run_check(project, *(["--strict"] if strict else []))
    assert "Traceback" not in output, output
    assert report is not None, f"the output is not JSON:\n{output}"
    diagnostics = report["diagnostics"]
    found = [d for d in diagnostics if d["code"] == expect["code"] and d["file"] == expect["file"]]
    assert found, f"no {expect['code']} in {expect['file']}; got:\n{_describe(diagnostics)}"
    at_line = [d for d in found if d["line"] == expect["line"]]
    assert at_line, (
        f"{expect['code']} in {expect['file']} is reported at line(s) "
        f"{sorted({d['line'] for d in found})}, expected line {expect['line']}:\n{_describe(found)}"
    )
    messages = expect.get("message", [])
    for part in [messages] if isinstance(messages, str) else messages:
        assert any(part in d["message"] for d in at_line), f"no message contains {part!r}:\n{_describe(at_line)}"
    if "hint" in expect:
        assert any(expect["hint"] in d["hint"] for d in at_line), (
            f"no hint contains {expect['hint']!r}:\n{_describe(at_line)}"
        )
    for unwanted in expect.get("absent", []):
        unwanted = {"code": unwanted} if isinstance(unwanted, str) else unwanted
        wrong = [d for d in diagnostics if all(d[k] == v for k, v in unwanted.items())]
        assert not wrong, f"reported although it should not be:\n{_describe(wrong)}"
    assert code == 1, f"exit code {code}, expected 1:\n{output}"
    severity = RULES[expect["code"]].severity
    assert all(d["severity"] == severity.value for d in found)
    if strict:
        assert severity is Severity.WARNING, f"{name}: `strict` is for warnings, {expect['code']} is an error"
        # warnings alone do not fail a check without --strict
        plain_code, plain_output, _ = run_check(project)
        assert plain_code == 0, f"without --strict the check exits {plain_code}:\n{plain_output}"
    else:
        assert severity is Severity.ERROR, f"{name}: {expect['code']} is a warning; set `strict: true`"


@pytest.mark.parametrize(("name", "expect"), _params(PASSING))
def test_accepted_case(name: str, expect: dict[str, Any], tmp_path: Path) -> None:
    project = build(name, expect, tmp_path)
    code, output, report = run_check(project, "--strict")
    assert "Traceback" not in output, output
    assert report is not None, f"the output is not JSON:\n{output}"
    assert report["diagnostics"] == [], _describe(report["diagnostics"])
    assert code == expect["exit"] == 0, output


def test_every_rule_has_a_case() -> None:
    covered = {expect["code"] for _, expect in FAILING if not expect.get("xfail")}
    missing = sorted(set(RULES) - covered - set(UNTRIGGERED))
    assert not missing, f"rules with no corpus case (add one, or list it in UNTRIGGERED with the reason): {missing}"
    stale = sorted(set(UNTRIGGERED) & covered)
    assert not stale, f"UNTRIGGERED lists rules that a case now covers: {stale}"
    unknown = sorted(set(UNTRIGGERED) - set(RULES))
    assert not unknown, f"UNTRIGGERED lists codes that are not rules: {unknown}"


def test_cases_are_overlays() -> None:
    """Every file of a case replaces or adds a file of base; an identical copy means the case tests nothing."""
    for name, _ in CASES:
        case = CORPUS / name
        for source in case.rglob("*"):
            rel = source.relative_to(case)
            if not source.is_file() or rel.as_posix() == EXPECT:
                continue
            original = BASE / rel
            assert not (original.is_file() and original.read_bytes() == source.read_bytes()), (
                f"{name}/{rel} is identical to base"
            )
