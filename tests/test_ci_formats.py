"""What `readiness check` writes for CI tools (GitHub annotations, SARIF, JUnit), the text it prints, and the
spreadsheets `readiness export` writes: each must be accepted by its consumer and must neither break nor be
hijacked by what a YAML key, a value or a file name contains."""

from __future__ import annotations

import copy
import csv
import json
import os
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from urllib.parse import unquote

import jsonschema
import pytest
from junitparser import JUnitXml
from openpyxl import load_workbook

from readiness.authoring.export import spreadsheet_text
from readiness.checks import check_project
from readiness.diagnostics import (
    Diagnostic,
    Severity,
    escape_controls,
    has_failures,
    repository_prefix,
    sort_diagnostics,
)
from readiness.findings import artifact_uri, format_github, format_json, format_junit, format_sarif, format_text
from readiness.project import load_project
from readiness.rules import RULES
from tests.conftest import REPO, indicator, observation, project_files, run

#: The official OASIS schema (errata 01, draft-04), unchanged: tests/data keeps a copy so that the tests run
#: without shared/.
SARIF_SCHEMA = REPO / "tests" / "data" / "sarif-schema-2.1.0.json"
SHARED_SARIF_SCHEMA = REPO.parent / "shared" / "fixtures" / "sarif-schema-2.1.0.json"

ESC = "\x1b"
#: Names that are awkward in a URI, in XML or on a terminal.
ODD_NAMES = [
    "assessments/r1/with space.yaml",
    "indicators/50%.yaml",
    "indicators/café.yaml",
    f"indicators/{ESC}[31mred.yaml",
    "indicators/a#b?c.yaml",
    "indicators/x:y.yaml",
]


def sarif_validator() -> jsonschema.Draft4Validator:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    # FormatChecker() holds every format jsonschema knows, "uri-reference" included (Draft4Validator's own
    # checker has only "uri"); both need rfc3987 or rfc3986-validator installed, see test_uri_formats_are_checked.
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())


@pytest.fixture
def broken(make_project):
    """A project with an error (unknown pillar, in an indicator) and a warning (value without evidence)."""
    files = project_files(
        {"r1/north": {"A1": 70, "B1": {"value": 60}}}, indicators=[indicator("A1", pillar="Aa"), indicator("B1", "B")]
    )
    return make_project(files)


@pytest.fixture
def warned(make_project):
    """Warnings only (a value without evidence): `check` exits 0, `check --strict` 1."""
    return make_project(project_files({"r1/north": {"A1": 70, "B1": {"value": 60}}}))


@pytest.fixture
def hostile(make_project):
    """A key holding ESC, CR and LF (written with YAML's double-quoted escapes), and a file name holding ESC,
    a space, a per cent sign and a non-ASCII letter."""
    root = make_project(project_files({"r1/north": {"A1": 70, "B1": 60}}))
    north = root / "assessments" / "r1" / "north.yaml"
    north.write_text(north.read_text(encoding="utf-8") + '"\\e[31mX\\r\\n::error forged": 1\n', encoding="utf-8")
    (root / "indicators" / f"odd{ESC}[2J name 50% é.YAML").write_text("id: X\n", encoding="utf-8")
    return root


def diagnostics_with(
    file: str = "indicators/A1.yaml", message: str = "m", hint: str = "h", severity: Severity = Severity.ERROR
) -> list[Diagnostic]:
    return [Diagnostic(file, 4, 9, "R002" if severity is Severity.ERROR else "E004", message, hint, severity)]


# ---------------------------------------------------------------- SARIF


def test_the_sarif_schema_is_the_official_oasis_file():
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    assert schema["$schema"] == "http://json-schema.org/draft-04/schema#"
    assert schema["id"].startswith("https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/")
    assert schema["required"] == ["version", "runs"] and schema["additionalProperties"] is False
    if SHARED_SARIF_SCHEMA.exists():
        assert SARIF_SCHEMA.read_bytes() == SHARED_SARIF_SCHEMA.read_bytes()


def test_uri_formats_are_checked():
    """Without rfc3987 or rfc3986-validator, jsonschema skips "uri" and "uri-reference" silently."""
    checker = jsonschema.FormatChecker()
    assert {"uri", "uri-reference"} <= set(checker.checkers)
    assert not checker.conforms("with space.yaml", "uri-reference")
    assert not checker.conforms("50%.yaml", "uri-reference")
    assert checker.conforms("with%20space.yaml", "uri-reference")


def _valid_log() -> dict:
    return json.loads(format_sarif(diagnostics_with(), 1, "1.0"))


def _without_tool(log: dict) -> dict:
    del log["runs"][0]["tool"]
    return log


def _bad_uri(log: dict) -> dict:
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] = "a b%.yaml"
    return log


def _bad_level(log: dict) -> dict:
    log["runs"][0]["results"][0]["level"] = "fatal"
    return log


@pytest.mark.parametrize(
    "garbage",
    [
        lambda log: {},
        lambda log: {"version": "2.1.0"},
        lambda log: {"runs": log["runs"]},
        lambda log: [log],
        _without_tool,
        _bad_uri,
        _bad_level,
    ],
    ids=["empty", "version-only", "no-version", "not-an-object", "run-without-tool", "bad-uri", "bad-level"],
)
def test_the_sarif_check_can_fail(garbage):
    validator = sarif_validator()
    assert validator.is_valid(_valid_log())
    assert not validator.is_valid(garbage(copy.deepcopy(_valid_log())))


def test_sarif_validates_against_the_published_schema(broken):
    result = run("check", str(broken), "--format", "sarif")
    log = json.loads(result.output)
    sarif_validator().validate(log)
    results = log["runs"][0]["results"]
    first = next(r for r in results if r["ruleId"] == "R002")
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "indicators/A1.yaml", "uriBaseId": "%SRCROOT%"}
    assert location["region"]["startLine"] == 4
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert rules[first["ruleIndex"]]["id"] == "R002"


def test_sarif_artifact_uris_are_percent_encoded(hostile):
    log = json.loads(run("check", str(hostile), "--format", "sarif").output)
    sarif_validator().validate(log)
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]]
    assert "indicators/odd%1B%5B2J%20name%2050%25%20%C3%A9.YAML" in uris

    found = [Diagnostic(name, 1, 1, "P002", "m", "", Severity.WARNING) for name in ODD_NAMES]
    log = json.loads(format_sarif(found, len(found), prefix="missions/la côte/"))
    sarif_validator().validate(log)
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]]
    assert [unquote(u) for u in uris] == [f"missions/la côte/{n}" for n in ODD_NAMES]
    assert all(re.fullmatch(r"[A-Za-z0-9%/._~-]+", u) for u in uris), uris
    assert artifact_uri("a b/50%/é") == "a%20b/50%25/%C3%A9"


def test_sarif_rules_carry_descriptions_and_help():
    log = json.loads(format_sarif([], 0, "1.0"))
    sarif_validator().validate(log)
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted(RULES)
    for rule in rules:
        assert rule["shortDescription"]["text"] == RULES[rule["id"]].summary
        assert rule["fullDescription"]["text"].startswith(RULES[rule["id"]].summary)
        assert rule["fullDescription"]["text"] != rule["shortDescription"]["text"]
        assert rule["help"]["text"] and "`" not in rule["help"]["text"]
        assert rule["help"]["markdown"].startswith(f"**{rule['id']} {rule['name']}**")
        assert "How to fix" in rule["help"]["markdown"], rule["id"]
        assert "helpUri" not in rule  # the rules have no published page of their own to point to


# ---------------------------------------------------------------- repository prefix


def test_repository_prefix_finds_the_repository_root(tmp_path):
    repo = tmp_path / "repo"
    project = repo / "missions" / "lomara"
    project.mkdir(parents=True)
    assert repository_prefix(project) == ""  # no repository: paths stay relative to the project
    (repo / ".git").mkdir()
    assert repository_prefix(project) == "missions/lomara/"
    assert repository_prefix(repo) == ""
    assert repository_prefix(repo / "missions" / ".." / "missions" / "lomara") == "missions/lomara/"
    (project / ".git").write_text("gitdir: ../../.git/modules/lomara\n", encoding="utf-8")  # a submodule
    assert repository_prefix(project) == ""


def test_an_explicit_base_overrides_the_detection(tmp_path):
    repo = tmp_path / "repo"
    project = repo / "missions" / "lomara"
    project.mkdir(parents=True)
    (repo / ".git").mkdir()
    assert repository_prefix(project, base=repo / "missions") == "lomara/"
    assert repository_prefix(project, base=tmp_path) == "repo/missions/lomara/"
    assert repository_prefix(project, base=project) == ""
    with pytest.raises(ValueError, match="not inside"):
        repository_prefix(project, base=tmp_path / "elsewhere")


def test_every_format_reports_paths_from_the_repository_root():
    prefix = "missions/lomara/"
    found = diagnostics_with("indicators/A1.yaml")
    assert "file=missions/lomara/indicators/A1.yaml,line=4" in format_github(found, 1, prefix=prefix)
    log = json.loads(format_sarif(found, 1, prefix=prefix))
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "missions/lomara/indicators/A1.yaml", "uriBaseId": "%SRCROOT%"}
    cases = {
        c.get("name"): c
        for c in ET.fromstring(format_junit(found, ["indicators/A1.yaml"], prefix=prefix)).iter("testcase")
    }
    assert cases["missions/lomara/indicators/A1.yaml"].get("file") == "missions/lomara/indicators/A1.yaml"
    assert "missions/lomara/indicators/A1.yaml:4:9" in cases["missions/lomara/indicators/A1.yaml"][0].get("message")
    assert format_text(found, 1, prefix=prefix).startswith("missions/lomara/indicators/A1.yaml:4:9: error R002")
    entry = json.loads(format_json(found, 1, prefix=prefix))["diagnostics"][0]
    assert entry["file"] == "indicators/A1.yaml" and entry["path"] == "missions/lomara/indicators/A1.yaml"
    assert found[0].file == "indicators/A1.yaml"
    # without a prefix, as before
    assert "file=indicators/A1.yaml," in format_github(found, 1)


# ---------------------------------------------------------------- JUnit


def _junit(text: str, tmp_path: Path) -> tuple[ET.Element, dict]:
    root = ET.fromstring(text.encode("utf-8"))
    path = tmp_path / "junit.xml"
    path.write_text(text, encoding="utf-8")
    return root, {case.name: case for suite in JUnitXml.fromfile(str(path)) for case in suite}


def test_junit_is_read_by_a_junit_reader(broken, tmp_path):
    out = tmp_path / "report.xml"
    assert run("check", str(broken), "--format", "junit", "--output", str(out)).exit_code == 1
    xml = JUnitXml.fromfile(str(out))
    cases = {case.name: case for suite in xml for case in suite}
    assert "indicators/A1.yaml" in cases and "indicators/framework.yaml" in cases
    assert not cases["indicators/A1.yaml"].is_passed
    assert cases["indicators/framework.yaml"].is_passed
    failure = cases["indicators/A1.yaml"].result[0]
    assert "R002" in failure.type and "indicators/A1.yaml:4" in failure.message
    # the warning (a value without evidence) does not fail its file: it is printed in system-out
    north = cases["assessments/r1/north.yaml"]
    assert north.is_passed and "E004" in north.system_out


def test_junit_is_well_formed_whatever_a_key_or_a_file_name_holds(hostile, tmp_path):
    report = run("check", str(hostile), "--format", "junit").output
    root, cases = _junit(report, tmp_path)
    assert ESC not in report
    failure = root.find(".//testcase[@name='assessments/r1/north.yaml']/failure")
    assert failure is not None and "\\x1b[31mX\\r\\n::error forged" in failure.get("message")
    assert "indicators/odd\\x1b[2J name 50% é.YAML" in cases


@pytest.mark.parametrize(
    "char", [ESC, "\x00", "\x08", "\x0b", "\x0c", "\x1f", "\ufffe", "\uffff", "\udcff", "\x7f", "\x9b"]
)
def test_junit_writes_every_character_xml_forbids_visibly(char, tmp_path):
    found = diagnostics_with(f"indicators/a{char}b.yaml", message=f"key {char}x", hint=f"hint {char}y")
    report = format_junit(found, [])
    root, cases = _junit(report, tmp_path)
    shown = escape_controls(char)
    assert shown.startswith("\\") and len(shown) > 1
    assert f"indicators/a{shown}b.yaml" in cases
    assert f"key {shown}x" in root.find(".//failure").get("message")
    assert f"hint {shown}y" in root.find(".//failure").text


def test_junit_warnings_are_not_failures_unless_strict(warned, tmp_path):
    result = run("check", str(warned), "--format", "junit")
    assert result.exit_code == 0
    root, cases = _junit(result.output, tmp_path)
    assert root.get("failures") == "0" and root.find("testsuite").get("failures") == "0"
    assert all(case.is_passed for case in cases.values())
    assert "warning E004" in cases["assessments/r1/north.yaml"].system_out

    project, found = load_project(warned)
    found = sort_diagnostics(found + check_project(project))
    assert not has_failures(found, strict=False) and has_failures(found, strict=True)
    root, cases = _junit(format_junit(found, project.files, strict=True), tmp_path)
    assert root.get("failures") == "1" and not cases["assessments/r1/north.yaml"].is_passed
    assert "E004" in cases["assessments/r1/north.yaml"].result[0].type


def test_the_clean_example_has_no_junit_failures(tmp_path):
    """The example checks clean (exit 0) with a few warnings; its JUnit report used to count them as failures."""
    result = run("check", str(REPO), "--format", "junit")
    assert result.exit_code == 0
    root, cases = _junit(result.output, tmp_path)
    assert root.get("failures") == "0" and all(case.is_passed for case in cases.values())
    project, found = load_project(REPO)
    found = sort_diagnostics(found + check_project(project))
    strict, _ = _junit(format_junit(found, project.files, strict=True), tmp_path)
    assert int(strict.get("failures")) == len({d.file for d in found}) > 0


# ---------------------------------------------------------------- text and GitHub


def test_text_shows_control_characters_visibly():
    found = diagnostics_with(
        f"indicators/{ESC}]0;title{ESC}\\.yaml", message=f"bad\r\nx.yaml:1:1: error {ESC}[2J", hint=f"h\n\tint{ESC}"
    )
    text = format_text(found, 1)
    assert ESC not in text and "\r" not in text and "\t" not in text
    lines = text.splitlines()
    assert len(lines) == 3  # the diagnostic, its hint, the summary: nothing forged
    assert lines[0] == ("indicators/\\x1b]0;title\\x1b\\.yaml:4:9: error R002 bad\\r\\nx.yaml:1:1: error \\x1b[2J")
    assert lines[1] == "    hint: h\\n\\tint\\x1b"


def test_check_prints_a_hostile_key_and_file_name_visibly(hostile):
    text = run("check", str(hostile)).output
    assert ESC not in text and "\r" not in text
    assert all(
        re.match(r"^(\S.*:\d+:\d+: (error|warning) [A-Z]\d{3} |    hint: |\d+ files checked)", line)
        for line in text.splitlines()
    ), text
    assert "indicators/odd\\x1b[2J name 50% é.YAML:1:1: warning P002" in text


def test_github_annotations_neutralise_control_characters(hostile):
    output = run("check", str(hostile), "--format", "github").output
    assert ESC not in output and "\r" not in output
    lines = output.splitlines()
    assert all(line.startswith("::") for line in lines[:-1]) and lines[-1].startswith("6 files checked")
    assert "file=indicators/odd\\x1b[2J name 50%25 é.YAML," in output
    assert "\\x1b[31mX%0D%0A::error forged" in output  # CR/LF stay the runner's escapes: one annotation

    found = diagnostics_with(f"a,b:{ESC}\r\n.yaml", message=f"m{ESC}\x07\x9b", hint="h%")
    line = format_github(found, 1).splitlines()[0]
    assert (
        line
        == "::error file=a%2Cb%3A\\x1b\\r\\n.yaml,line=4,col=9,title=R002 unknown-reference::m\\x1b\\x07\\x9b%0Ah%25"
    )


# ---------------------------------------------------------------- exports

HOSTILE_REFERENCES = ['=HYPERLINK("http://x","y")', "+1+2", "-2+3+cmd|' /C calc'!A0", "@SUM(A1:A2)", "\tTAB", "\rCR"]


@pytest.mark.parametrize(
    "value,expected",
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+1+2", "'+1+2"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-", "'-"),
        ("--", "'--"),
        ("- 1", "'- 1"),
        ("plain", "plain"),
        ("a=b", "a=b"),
        ("", ""),
        ("-2.5", "-2.5"),
        ("+3", "+3"),
        ("1e-3", "1e-3"),
        ("-.5", "-.5"),
        (-2.5, -2.5),
        (3, 3),
        (None, None),
    ],
)
def test_spreadsheet_text(value, expected):
    assert spreadsheet_text(value) == expected


@pytest.fixture
def exported(make_project):
    """Two rounds, the second worse (a negative change), evidence references a spreadsheet would evaluate and
    one holding ESC (which openpyxl refuses to write)."""
    hostile = observation(60)
    hostile["evidence"] = [
        {"source": "ADM", "reference": ref, "date": "2026-03-01"} for ref in [*HOSTILE_REFERENCES, f"{ESC}[31mred"]
    ]
    return make_project(
        project_files(
            {"r1/north": {"A1": 90, "B1": 90}, "r2/north": {"A1": 40, "B1": hostile}},
            rounds=[("r1", "2026-03-31"), ("r2", "2026-06-30")],
        )
    )


def test_csv_export_neutralises_formulas_and_keeps_numbers(exported, tmp_path):
    tmp_path = tmp_path / "out"
    result = run("export", "-p", str(exported), "--format", "csv", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    with (tmp_path / "observations.csv").open(encoding="utf-8", newline="") as f:
        references = [row["reference"] for row in csv.DictReader(f)]
    for ref in HOSTILE_REFERENCES:
        assert "'" + ref in references
    # one row per evidence entry: A1 and B1 in r1, A1 in r2, then B1's hostile ones and its ESC one; a bare CR
    # must not split a row
    assert len(references) == 3 + len(HOSTILE_REFERENCES) + 1 and f"{ESC}[31mred" in references
    assert not [r for r in references if r.startswith(("=", "+", "-", "@", "\t", "\r"))]
    with (tmp_path / "results.csv").open(encoding="utf-8", newline="") as f:
        second = next(row for row in csv.DictReader(f) if row["round"] == "r2")
    assert float(second["change"]) < 0 and second["change"].startswith("-")


def test_xlsx_export_writes_text_as_text(exported, tmp_path):
    tmp_path = tmp_path / "out"
    result = run("export", "-p", str(exported), "--format", "xlsx", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    path = tmp_path / "readiness-export.xlsx"
    book = load_workbook(path)
    sheet = book["observations"]
    header = [c.value for c in sheet[1]]
    cells = [row[header.index("reference")] for row in sheet.iter_rows(min_row=2)]
    # XML reads a bare CR as LF (openpyxl's own reader); with lxml installed it may come back as CR: either is the text
    by_value = {c.value.replace("\r", "\n") if isinstance(c.value, str) else c.value: c for c in cells}
    for ref in HOSTILE_REFERENCES:
        ref = ref.replace("\r", "\n")
        assert by_value[ref].data_type == "s", ref  # exactly the text, as a string cell: never a formula
    assert by_value["\\x1b[31mred"].data_type == "s"
    results = book["results"]
    header = [c.value for c in results[1]]
    change = [
        row[header.index("change")] for row in results.iter_rows(min_row=2) if row[header.index("round")].value == "r2"
    ][0]
    assert change.data_type == "n" and change.value < 0
    with zipfile.ZipFile(path) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        assert sheets and not any(re.search(rb"<(\w+:)?f[ >]", z.read(n)) for n in sheets)


@pytest.mark.parametrize("fmt", ["text", "github", "json", "sarif", "junit"])
def test_a_file_name_that_is_not_utf8_is_reported_in_every_format(fmt, make_project, tmp_path):
    root = make_project(project_files({"r1/north": {"A1": 70, "B1": 60}}))
    try:
        (root / "indicators" / os.fsdecode(b"bad\xff.YAML")).write_text("id: X\n", encoding="utf-8")
    except (OSError, UnicodeError):
        pytest.skip("this file system takes only UTF-8 names")
    result = run("check", str(root), "--format", fmt)
    assert result.exit_code == 0, result.output
    result.output.encode("utf-8")
    if fmt in ("json", "sarif"):
        text = json.dumps(json.loads(result.output))
        assert "bad\\udcff.YAML" in text or "bad%FF.YAML" in text
    elif fmt == "junit":
        _, cases = _junit(result.output, tmp_path)
        assert "indicators/bad\\udcff.YAML" in cases
    else:
        assert "bad\\udcff.YAML" in result.output


# ---------------------------------------------------------------- the command line


def test_check_reports_paths_from_the_repository_root_it_finds_or_is_given(tmp_path):
    """A project in a subfolder of a repository: annotations, SARIF, JUnit and JSON name each file from the
    repository root (GitHub places annotations only there); the text stays relative to the project."""
    files = project_files(
        {"r1/north": {"A1": 70, "B1": {"value": 60}}}, indicators=[indicator("A1", pillar="Aa"), indicator("B1", "B")]
    )
    from tests.conftest import write_project

    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    project = write_project(repo / "missions" / "lomara", files)
    github = run("check", str(project), "--format", "github")
    assert "file=missions/lomara/indicators/A1.yaml" in github.output
    sarif = json.loads(run("check", str(project), "--format", "sarif").output)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]}
    assert "missions/lomara/indicators/A1.yaml" in uris
    junit = run("check", str(project), "--format", "junit").output
    assert 'name="missions/lomara/indicators/A1.yaml"' in junit
    text = run("check", str(project)).output
    assert "\nindicators/A1.yaml:4:9: error R002" in text and "missions/" not in text
    given = run("check", str(project), "--format", "github", "--base", str(repo / "missions"))
    assert "file=lomara/indicators/A1.yaml" in given.output
    outside = run("check", str(project), "--format", "github", "--base", str(tmp_path / "elsewhere"))
    assert outside.exit_code == 2 and "--base" in outside.output


def test_check_junit_with_strict_fails_on_warnings_as_the_exit_code_does(warned, tmp_path):
    result = run("check", str(warned), "--format", "junit", "--strict")
    assert result.exit_code == 1
    root, _ = _junit(result.output, tmp_path)
    assert root.get("failures") == "1"
