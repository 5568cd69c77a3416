"""Hygiene of what a project writes (issue 24, low findings): dates in a plausible span (S004), look-alike
names and ids (R005) and words mixing scripts (R006), scenario file names (C002), and `check` showing
invisible characters escaped in the text and GitHub formats while the data formats keep them and stay valid.

Before these rules, a round dated 0001-01-01 stopped `check` with an internal error (exit 3), one dated
9999-12-31 stopped `score` and `build` the same way, and look-alike names, odd scenario file names and
zero-width characters in messages passed unseen."""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest

from readiness.checks import check_project
from readiness.diagnostics import Diagnostic, Severity, escape_controls, show_invisible
from readiness.findings import format_github, format_json, format_junit, format_sarif, format_text
from readiness.project import load_project
from readiness.rules.dates import EARLIEST, LATEST, MAX_DAYS, plausible
from readiness.rules.lookalikes import CONFUSABLES, folded, mixed_word, skeleton
from readiness.rules.scenarios import SAFE_NAME, safe_name
from tests.conftest import REPO, run
from tests.test_ci_formats import sarif_validator
from tests.test_corpus import BASE

#: What the brief of the example project copies: the project's own sources.
EXAMPLE_PARTS = ("indicators", "assessments", "scenarios", "handover", "site", "mkdocs.yml")
DATE = re.compile(r"(?<![\w-])\d{4}-\d{2}-\d{2}(?![\w-])")
TODAY = date(2026, 10, 15)


def example(tmp_path: Path) -> Path:
    """A copy of the repository's example project."""
    root = tmp_path / "example"
    root.mkdir()
    for part in EXAMPLE_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, root / part)
        elif source.is_file():
            shutil.copyfile(source, root / part)
    return root


def base(tmp_path: Path) -> Path:
    root = tmp_path / "base"
    shutil.copytree(BASE, root)
    return root


def redate(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert f"date: {old}" in text
    path.write_text(text.replace(f"date: {old}", f"date: {new}", 1), encoding="utf-8")


def codes(root: Path) -> list[Diagnostic]:
    project, found = load_project(root)
    return found + check_project(project, TODAY)


# ---------------------------------------------------------------- S004: dates out of range


def test_the_accepted_span_is_inclusive():
    assert (EARLIEST, LATEST) == (date(1990, 1, 1), date(2100, 12, 31))
    assert plausible(EARLIEST) and plausible(LATEST) and plausible(date(2026, 9, 30))
    assert not plausible(date(1989, 12, 31)) and not plausible(date(2101, 1, 1))
    assert not plausible(date.min) and not plausible(date.max)


def test_check_reports_a_round_dated_0001_instead_of_crashing(tmp_path):
    """It stopped with `internal error: OverflowError` (exit 3): an evidence age computed from the cut-off."""
    root = example(tmp_path)
    redate(root / "assessments" / "rounds.yaml", "2025-12-31", "0001-01-01")
    result = run("check", "--project", str(root))
    assert result.exit_code == 1, result.output
    assert "internal error" not in result.output
    assert re.search(r"assessments/rounds\.yaml:7:\d+: error S004 date: 0001-01-01 is outside", result.output)
    # the evidence of that round is not reported once per value against a cut-off that is a typo
    assert " E001 " not in result.output


@pytest.mark.parametrize("command", [["score"], ["build", "-o", "{tmp}/site"], ["explain", "kessa"], ["export"]])
def test_commands_stop_with_the_error_on_a_round_dated_9999(tmp_path, command):
    """`score` and `build` stopped with `internal error: OverflowError` (a projected handover date)."""
    root = example(tmp_path)
    redate(root / "assessments" / "rounds.yaml", "2026-09-30", "9999-12-31")
    args = [part.replace("{tmp}", str(tmp_path)) for part in command]
    result = run(*args, "--project", str(root))
    assert result.exit_code == 1, result.output
    assert "internal error" not in result.output
    line = next(
        i
        for i, text in enumerate((root / "assessments" / "rounds.yaml").read_text().splitlines(), 1)
        if "9999-12-31" in text
    )
    assert f"assessments/rounds.yaml:{line}:11: error S004 date: 9999-12-31 is outside the dates readiness accepts" in (
        result.output
    )
    assert "fix these errors first" in result.output
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("extreme", ["0001-01-01", "9999-12-31", "1989-12-31", "2101-01-01"])
@pytest.mark.parametrize("where", ["assessments/20", "handover/", "assessments/rounds.yaml", ""])
def test_no_date_stops_the_check(tmp_path, extreme, where):
    """Every date of the example (rounds, evidence, sign-off, decisions, conditions, the mandate calendar) set
    to one out of range, file kind by file kind: the check reports S004 where it is, and nothing crashes."""
    root = example(tmp_path)
    changed: set[str] = set()
    for path in sorted(root.rglob("*.yaml")):
        rel = path.relative_to(root).as_posix()
        if where in rel:
            text = path.read_text(encoding="utf-8")
            new = DATE.sub(extreme, text)
            if new != text:
                path.write_text(new, encoding="utf-8")
                changed.add(rel)
    assert changed
    found = codes(root)
    s004 = [d for d in found if d.code == "S004"]
    assert s004 and {d.file for d in s004} == changed
    assert all(d.severity is Severity.ERROR and extreme in d.message for d in s004)


@pytest.mark.parametrize(
    ("file", "old", "field"),
    [
        ("assessments/2026-q3/north.yaml", "assessed_on: 2026-09-20", "assessed_on"),
        ("handover/decisions/north-general-policing.yaml", "decided: 2026-04-20", "decided"),
        ("handover/decisions/north-general-policing.yaml", "due: 2027-03-31", "due"),
    ],
)
def test_each_kind_of_date_is_named_at_its_line(tmp_path, file, old, field):
    root = base(tmp_path)
    path = root / file
    text = path.read_text(encoding="utf-8")
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, f"{field}: 2206-04-20"), encoding="utf-8")
    s004 = [d for d in codes(root) if d.code == "S004"]
    assert [(d.file, d.line) for d in s004] == [(file, line)]
    assert s004[0].message.startswith(f"{field}: 2206-04-20 is outside")
    assert "check the year" in s004[0].hint


def test_an_evidence_age_limit_beyond_the_calendar_is_an_error_not_a_crash(tmp_path):
    """`max_age_days` has no upper bound in the schema: `check` stopped with `internal error: OverflowError`
    (the evidence-age rule, then the scorer that `check` runs for the handover rules, subtract it from a round's
    date)."""
    root = base(tmp_path)
    path = root / "indicators" / "hr" / "HR-01.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.endswith("evidence:\n  source_types: [ADM]\n")
    path.write_text(text + "  max_age_days: 999999999999\n", encoding="utf-8")
    result = run("check", "--project", str(root))
    assert result.exit_code == 1 and "internal error" not in result.output, result.output
    assert "indicators/hr/HR-01.yaml:13:17: error S004 max_age_days: 999999999999 is longer than" in result.output
    result = run("score", "--project", str(root))
    assert result.exit_code == 1 and "S004" in result.output and "internal error" not in result.output
    # the longest limit accepted: the whole span of dates
    path.write_text(text + f"  max_age_days: {MAX_DAYS}\n", encoding="utf-8")
    assert codes(root) == []


def test_the_evidence_gate_s_age_limit_is_bounded_too(tmp_path):
    root = base(tmp_path)
    path = root / "indicators" / "framework.yaml"
    text = path.read_text(encoding="utf-8")
    match = re.search(r"^( +max_age_days: )(\d+)$", text, re.M)
    assert match is not None
    path.write_text(text.replace(match.group(0), match.group(1) + "99999999"), encoding="utf-8")
    s004 = [d for d in codes(root) if d.code == "S004"]
    assert [(d.file, d.line) for d in s004] == [("indicators/framework.yaml", text[: match.start()].count("\n") + 1)]


def test_evidence_age_is_still_reported(tmp_path):
    root = base(tmp_path)
    redate(root / "assessments" / "2026-q3" / "north.yaml", "2026-09-15", "2025-06-30")
    e002 = [d for d in codes(root) if d.code == "E002"]
    assert len(e002) == 1 and "is 457 days old" in e002[0].message and "at most 365 days" in e002[0].message


# ---------------------------------------------------------------- R005, R006: look-alikes

CYRILLIC_O, GREEK_O, CYRILLIC_A = "\u043e", "\u039f", "\u0430"


def test_the_confusables_are_cyrillic_and_greek_letters_for_latin_ones():
    assert CONFUSABLES[CYRILLIC_A] == "a" and CONFUSABLES[GREEK_O] == "O" and CONFUSABLES[CYRILLIC_O] == "o"
    for char, latin in CONFUSABLES.items():
        assert char.isalpha() and latin.isascii() and latin.isalpha() and len(latin) == 1
        assert not char.isascii()


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Kess\u00e1", "Kessa\u0301"),  # NFC and NFD
        ("Port Adra", "port adra"),  # case
        ("Port Adra", "Port\u00a0Adra"),  # a no-break space
        ("Port Adra", "Port  Adra"),  # two spaces
        ("Ovanga", "\uff2fvanga"),  # a full-width letter
        ("Ovanga", "Ovan\u200bga"),  # a zero-width space
        ("Kessa", "Kess" + CYRILLIC_A),
        ("OVANGA", GREEK_O + "VANGA"),
        ("Ovanga", GREEK_O + "vanga"),
        ("Selu", "S\u0435lu"),  # Cyrillic ie
        ("\u00cblka", "\u0401lka"),  # Latin E with diaeresis, Cyrillic capital io
    ],
)
def test_look_alikes_share_a_skeleton(first, second):
    assert first != second
    assert skeleton(first) == skeleton(second)


@pytest.mark.parametrize(
    ("first", "second"), [("Kessa", "Kessá"), ("Tobel", "Tobol"), ("Marun", "Maran"), ("Nasse", "Nasser")]
)
def test_different_names_do_not(first, second):
    assert skeleton(first) != skeleton(second) and folded(first) != folded(second)


def test_case_variants_of_greek_names_are_alike_even_where_the_letters_look_latin_only_in_one_case():
    upper, lower = "\u0397\u039b\u0399\u039f\u03a3", "\u03b7\u03bb\u03b9\u03bf\u03c3"  # ΗΛΙΟΣ, ηλιοσ
    assert folded(upper) == folded(lower)


def _regions(root: Path, south: str, north: str = "Northern Province", south_id: str = "south") -> None:
    """The corpus's regions with south's name (in double quotes: YAML escapes work), north's name (as YAML)
    and south's id changed."""
    path = root / "assessments" / "regions.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("name: Southern Province", f'name: "{south}"')
    text = text.replace("name: Northern Province", f"name: {north}")
    if south_id != "south":
        text = text.replace("id: south", f"id: {south_id}")
    path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    ("south", "why"),
    [
        ("Northern Province", None),  # the same name twice: two "Central" districts are not look-alikes
        ("Northern province", "case"),
        ("N\\u043erthern Province", "letters of another script"),
        ("Northern\\u200b Province", "invisible characters"),
        ("\\uff2eorthern Province", "compatibility forms"),
    ],
)
def test_region_names_that_look_alike_are_reported_with_both_places(tmp_path, south, why):
    root = base(tmp_path)
    _regions(root, south)
    found = [d for d in codes(root) if d.code == "R005"]
    if why is None:
        assert found == []
        return
    assert len(found) == 1, found
    d = found[0]
    assert (d.file, d.line, d.severity) == ("assessments/regions.yaml", 12, Severity.WARNING)
    assert "(of region south) looks like 'Northern Province' (of region north, assessments/regions.yaml:6)" in (
        d.message
    )
    assert why in d.message


def test_region_ids_that_differ_by_case_are_reported(tmp_path):
    root = base(tmp_path)
    _regions(root, "Southern Province", south_id="North")
    found = [d for d in codes(root) if d.code == "R005"]
    assert [(d.file, d.line) for d in found] == [("assessments/regions.yaml", 11)]
    assert "region id 'North' looks like 'north' (assessments/regions.yaml:5): they differ only in case" in (
        found[0].message
    )


def test_a_translated_name_is_compared_in_each_language(tmp_path):
    root = base(tmp_path)
    _regions(root, "Southern Province", north="{en: Northern Province, fr: Province du Sud}")
    path = root / "assessments" / "regions.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('name: "Southern Province"', 'name: "Province du Su\\u0064"'), encoding="utf-8")
    # "Province du Sud" with an escape that is still plain ASCII: the very same text, not reported
    assert [d for d in codes(root) if d.code == "R005"] == []
    path.write_text(text.replace('name: "Southern Province"', 'name: "Pr\\u043evince du Sud"'), encoding="utf-8")
    found = [d for d in codes(root) if d.code == "R005"]
    assert len(found) == 1 and "'Province du Sud' (of region north, assessments/regions.yaml:6)" in found[0].message


def test_indicator_ids_that_differ_by_case_name_both_files(tmp_path):
    root = base(tmp_path)
    original = root / "indicators" / "hr" / "HR-01.yaml"
    copy = root / "indicators" / "hr" / "hr-01.yaml"
    copy.write_text(original.read_text(encoding="utf-8").replace("id: HR-01", "id: hr-01"), encoding="utf-8")
    found = [d for d in codes(root) if d.code == "R005"]
    assert len(found) == 1
    d = found[0]
    first, second = sorted(["indicators/hr/HR-01.yaml", "indicators/hr/hr-01.yaml"])
    mentioned = first if d.file == second else second
    assert d.file in (first, second) and f"({mentioned}:1)" in d.message and "indicator id" in d.message


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Kess" + CYRILLIC_A, "Kess" + CYRILLIC_A),
        ("Port " + GREEK_O + "vanga", GREEK_O + "vanga"),
        ("Lomara " + "\u041b\u043e\u043c\u0430\u0440\u0430", None),  # two scripts, word by word
        ("\u041b\u043e\u043c\u0430\u0440\u0430", None),
        ("Province du Sud", None),
        ("Kess\u00e1-Tobel", None),
        ("Kessa\u0301", None),
    ],
)
def test_a_word_mixing_scripts(text, word):
    found = mixed_word(text)
    assert (found[0] if found else None) == word


def test_a_region_name_mixing_scripts_is_reported_at_its_line(tmp_path):
    root = base(tmp_path)
    _regions(root, "Kess\\u0430 Province")
    found = [d for d in codes(root) if d.code == "R006"]
    assert [(d.file, d.line, d.severity) for d in found] == [("assessments/regions.yaml", 12, Severity.WARNING)]
    assert "mixes Latin and Cyrillic letters: 'Kess\u0430' (U+0430 CYRILLIC SMALL LETTER A)" in found[0].message


def test_an_indicator_name_mixing_scripts_is_reported(tmp_path):
    root = base(tmp_path)
    path = root / "indicators" / "hr" / "HR-01.yaml"
    text = path.read_text(encoding="utf-8")
    name = re.search(r"^name: (.*)$", text, re.M)
    assert name is not None
    path.write_text(text.replace(name.group(0), 'name: "P\\u043ests filled"'), encoding="utf-8")
    found = [d for d in codes(root) if d.code == "R006"]
    assert [(d.file, d.line) for d in found] == [("indicators/hr/HR-01.yaml", text[: name.start()].count("\n") + 1)]


def test_the_example_has_no_look_alikes():
    project, _ = load_project(REPO)
    assert [d for d in check_project(project) if d.code in ("R005", "R006", "C002", "S004")] == []


# ---------------------------------------------------------------- C002: scenario file names

SCENARIO = """name: Radios for the northern province
round: 2026-q3
changes:
  - region: north
    indicator: LO-01
    value: 12
"""


@pytest.mark.parametrize("name", ["radios-north", "radios_north", "Radios2", "2026-radios", "_draft"])
def test_safe_scenario_names_pass(tmp_path, name):
    root = base(tmp_path)
    (root / "scenarios").mkdir()
    (root / "scenarios" / f"{name}.yaml").write_text(SCENARIO, encoding="utf-8")
    assert SAFE_NAME.fullmatch(name)
    assert codes(root) == []


@pytest.mark.parametrize(
    ("name", "message", "renamed"),
    [
        ("radios north", "holds ' '", "radios-north"),
        ("radios#north", "holds '#'", "radios-north"),
        ("radios?x=<b>", "holds '?', '=', '<', '>'", "radios-x-b"),
        ("r\u00e1dios", "holds '\u00e1' (U+00E1)", "radios"),
        ("radi" + CYRILLIC_O + "s", "holds '\u043e' (U+043E)", "radis"),
        ("radios\u200b", "holds '\\u200b' (U+200B)", "radios"),
        ("radios.north", "holds '.'", "radios-north"),
        ("-radios", "starts with '-'", "radios"),
        (".radios", "starts with '.'", "radios"),
        ("index", "index page", "scenario-index"),
        ("Index", "index page", "scenario-index"),
    ],
)
def test_unsafe_scenario_names_are_errors_with_a_safe_name_as_hint(tmp_path, name, message, renamed):
    root = base(tmp_path)
    (root / "scenarios").mkdir()
    (root / "scenarios" / f"{name}.yaml").write_text(SCENARIO, encoding="utf-8")
    found = [d for d in codes(root) if d.code == "C002"]
    assert [(d.file, d.line, d.severity) for d in found] == [(f"scenarios/{name}.yaml", 1, Severity.ERROR)]
    assert message in found[0].message
    assert f"rename the file to scenarios/{renamed}.yaml" in found[0].hint
    assert SAFE_NAME.fullmatch(safe_name(name)) and safe_name(name) == renamed


def test_two_scenarios_that_would_be_one_page(tmp_path):
    root = base(tmp_path)
    (root / "scenarios" / "north").mkdir(parents=True)
    (root / "scenarios" / "radios.yaml").write_text(SCENARIO, encoding="utf-8")
    (root / "scenarios" / "north" / "Radios.yaml").write_text(SCENARIO, encoding="utf-8")
    found = [d for d in codes(root) if d.code == "C002"]
    assert len(found) == 1 and "has the name of" in found[0].message


def test_score_refuses_a_scenario_with_an_unsafe_file_name(tmp_path):
    root = base(tmp_path)
    (root / "scenarios").mkdir()
    (root / "scenarios" / "radios north.yaml").write_text(SCENARIO, encoding="utf-8")
    result = run("score", "--project", str(root), "--scenario", "radios north")
    assert result.exit_code == 1 and "C002" in result.output, result.output


# ---------------------------------------------------------------- invisible characters in the output

INVISIBLE = {
    "\u200b": "\\u200b",  # zero-width space
    "\u200c": "\\u200c",  # zero-width non-joiner
    "\u200d": "\\u200d",  # zero-width joiner
    "\u200e": "\\u200e",  # left-to-right mark
    "\u200f": "\\u200f",  # right-to-left mark
    "\u2060": "\\u2060",  # word joiner
    "\ufeff": "\\ufeff",  # byte order mark
    "\u202a": "\\u202a",
    "\u202e": "\\u202e",  # right-to-left override
    "\u2066": "\\u2066",
    "\u2069": "\\u2069",
    "\u061c": "\\u061c",  # Arabic letter mark
    "\u00ad": "\\xad",  # soft hyphen
    "\U000e0041": "\\U000e0041",  # a tag character
    "\x1b": "\\x1b",
    "\x07": "\\x07",
}


@pytest.mark.parametrize(("char", "shown"), INVISIBLE.items())
def test_show_invisible_escapes_each_character(char, shown):
    assert show_invisible(f"a{char}b") == f"a{shown}b"


def test_show_invisible_leaves_visible_text_and_what_it_is_asked_to_keep():
    text = "Kessá, Ломара, Λ, 1\u202f250, 72,5 % é\u0301 \u2014 \u00a0"
    assert show_invisible(text) == text
    assert show_invisible("a\u200bb\nc", keep="\n\u200b") == "a\u200bb\nc"
    assert show_invisible("a\nb") == escape_controls("a\nb") == "a\\nb"


def _found(message: str, hint: str) -> list[Diagnostic]:
    return [Diagnostic("indicators/A1.yaml", 4, 9, "R002", message, hint, Severity.ERROR)]


HIDDEN = "admin\u200b\u202e\u2066txt.exe\u2069\ufeff\u200e"


def test_text_and_github_show_invisible_characters_escaped_in_message_and_hint():
    found = _found(f"unknown pillar {HIDDEN!s}", f"did you mean {HIDDEN}?")
    for output in (format_text(found, 1), format_github(found, 1)):
        assert not re.search("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]", output), output
        assert "admin\\u200b\\u202e\\u2066txt.exe\\u2069\\ufeff\\u200e" in output
    text = format_text(found, 1).splitlines()
    assert text[0].endswith("unknown pillar admin\\u200b\\u202e\\u2066txt.exe\\u2069\\ufeff\\u200e")
    assert text[1] == "    hint: did you mean admin\\u200b\\u202e\\u2066txt.exe\\u2069\\ufeff\\u200e?"


def test_github_keeps_the_file_path_github_knows():
    found = [Diagnostic("indicators/a\u200bb.yaml", 1, 1, "R002", "m", "", Severity.ERROR)]
    assert "file=indicators/a\u200bb.yaml," in format_github(found, 1)


def test_the_data_formats_keep_invisible_characters_and_stay_valid(tmp_path):
    found = _found(f"unknown pillar {HIDDEN}", f"did you mean {HIDDEN}?")
    report = json.loads(format_json(found, 1))
    assert report["diagnostics"][0]["message"] == f"unknown pillar {HIDDEN}"
    assert report["diagnostics"][0]["hint"] == f"did you mean {HIDDEN}?"
    sarif = json.loads(format_sarif(found, 1))
    sarif_validator().validate(sarif)
    text = sarif["runs"][0]["results"][0]["message"]["text"]
    # SARIF and JUnit write controls and direction overrides visibly (as before); zero-width characters stay
    assert "\u200b" in text and "\ufeff" in text and "\u200e" in text
    root = ET.fromstring(format_junit(found, ["indicators/A1.yaml"]).encode("utf-8"))
    failure = root.find(".//failure")
    assert failure is not None and "\u200b" in (failure.get("message") or "") and "\u200b" in (failure.text or "")


def test_check_prints_a_zero_width_key_escaped(tmp_path):
    """End to end: a key holding a zero-width space and a right-to-left override, written with YAML escapes."""
    root = base(tmp_path)
    path = root / "indicators" / "hr" / "HR-01.yaml"
    path.write_text(path.read_text(encoding="utf-8") + '"weig\\u200bht\\u202e": 2\n', encoding="utf-8")
    text = run("check", "--project", str(root)).output
    assert "\u200b" not in text and "\u202e" not in text
    assert "weig\\u200bht\\u202e" in text
    github = run("check", "--project", str(root), "--format", "github").output
    assert "\u200b" not in github and "weig\\u200bht\\u202e" in github
    data = json.loads(run("check", "--project", str(root), "--format", "json").stdout)
    assert any("weig\u200bht" in d["message"] for d in data["diagnostics"])


def test_every_stage_below_the_rules_gives_a_finding_the_severity_its_rule_declares():
    """The loader, the validator and the linker make their diagnostics without importing the rules (which sit
    above them): each call names its rule's code and, where the rule is not an error, its severity. Read from
    their source, every such call must agree with the rule defined in readiness/rules/."""
    import ast

    from readiness.rules import BY_CODE

    package = Path(__file__).resolve().parent.parent / "readiness"
    calls = 0
    for path in sorted(package.rglob("*.py")):
        if "rules" in path.relative_to(package).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            if node.func.id == "YamlProblem":  # a hazard met while reading YAML, said as an error by the loader
                assert BY_CODE[node.args[0].value].severity is Severity.ERROR, f"{path}:{node.lineno}"
                continue
            if node.func.id != "diagnostic":
                continue
            code = node.args[0]
            if not isinstance(code, ast.Constant):  # a YAML hazard's own code (above)
                assert not node.keywords, f"{path}:{node.lineno}"
                continue
            given = next((k.value for k in node.keywords if k.arg == "severity"), None)
            severity = Severity[given.attr] if isinstance(given, ast.Attribute) else Severity.ERROR
            assert BY_CODE[code.value].severity is severity, (
                f"{path.relative_to(package)}:{node.lineno}: {code.value} is a {BY_CODE[code.value].severity} "
                f"in readiness/rules/, given as {severity}"
            )
            calls += 1
    assert calls > 20
