"""The mistakes field officers make most, each with the exact first message `check` gives and a hint that fixes
it in one step (issue 14: a misspelt region once got the hint to rename the file to the misspelling).

Each case starts from a small valid project and changes one thing, as a person typing would."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import indicator, observation, project_files, run, write_project

NORTH = "assessments/r1/north.yaml"


def project(tmp_path: Path) -> Path:
    files = project_files(
        {"r1/north": {"HR-04": observation(60), "LG-03": observation(12), "IN-01": observation(True)}},
        indicators=[
            indicator("HR-04", name="Women among sworn officers"),
            indicator(
                "LG-03",
                "B",
                unit="count",
                thresholds={"all": {"partially-ready": 5, "ready": 10}},
                scoring={"method": "goalposts", "worst": 0, "best": 20},
            ),
            indicator("IN-01", "B", unit="yes-no", scoring={"method": "yes-no"}, thresholds={"all": {"ready": 1}}),
        ],
    )
    return write_project(tmp_path / "p", files)


def edit(old: str, new: str, rel: str = NORTH) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        path = root / rel
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} in {rel}"
        path.write_text(text.replace(old, new), encoding="utf-8")

    return change


def copy_as(source: str, target: str) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        (root / target).write_text((root / source).read_text(encoding="utf-8"), encoding="utf-8")

    return change


# (case, change, code, file, message, hint): the first diagnostic `check` reports, exactly
CASES = [
    (
        "misspelt indicator id",
        edit("  LG-03:", "  LG-3:"),
        "R002",
        NORTH,
        "unknown indicator 'LG-3'",
        'did you mean "LG-03"?',
    ),
    (
        "misspelt region id",
        edit("region: north", "region: nroth"),
        "R002",
        NORTH,
        "unknown region 'nroth'; this file is assessments/r1/north.yaml",
        "change it to `region: north`",
    ),
    (
        "a per cent sign",
        edit("value: 60", "value: 60%"),
        "O001",
        NORTH,
        "HR-04 expects a number (percent), got '60%': the per cent sign is not part of the value",
        "write 60: the unit of HR-04 is percent already",
    ),
    (
        "a per cent sign in quotes",
        edit("value: 60", "value: '60%'"),
        "O001",
        NORTH,
        "HR-04 expects a number (percent), got '60%': the per cent sign is not part of the value",
        "write, without quotes, 60: the unit of HR-04 is percent already",
    ),
    (
        "a number in quotes",
        edit("value: 60", "value: '60'"),
        "O001",
        NORTH,
        "the value '60' is written in quotes, so it is text",
        "remove the quotes: write 60",
    ),
    (
        "a decimal comma",
        edit("value: 60", "value: 60,5"),
        "O001",
        NORTH,
        "HR-04 expects a number (percent), got '60,5': decimals are written with a point, not a comma",
        "write 60.5",
    ),
    (
        "a thousands separator",
        edit("value: 12", "value: 1 200"),
        "O001",
        NORTH,
        "LG-03 expects a number (count), got '1 200': a number with a thousands separator",
        "write 1200, without the separator",
    ),
    (
        "the unit written after the number",
        edit("value: 12", "value: 12 stations"),
        "O001",
        NORTH,
        "LG-03 expects a number (count), got '12 stations': the value holds words or a unit",
        "write 12, the number alone: the unit of LG-03 is count already",
    ),
    (
        "yes for a yes/no indicator",
        edit("value: true", "value: yes"),
        "O001",
        NORTH,
        "IN-01 is a yes/no indicator, got 'yes'",
        "write true",
    ),
    (
        "a day-first date",
        edit(
            "60\n    evidence:\n    - source: ADM\n      reference: ADM register\n      date: '2026-03-01'",
            "60\n    evidence:\n    - source: ADM\n      reference: ADM register\n      date: 15/03/2026",
        ),
        "S003",
        NORTH,
        "observations.HR-04.evidence[0].date: expected a date written as YYYY-MM-DD, got '15/03/2026'",
        "write 2026-03-15",
    ),
    (
        "an ambiguous date",
        edit(
            "60\n    evidence:\n    - source: ADM\n      reference: ADM register\n      date: '2026-03-01'",
            "60\n    evidence:\n    - source: ADM\n      reference: ADM register\n      date: 03/02/2026",
        ),
        "S003",
        NORTH,
        "observations.HR-04.evidence[0].date: expected a date written as YYYY-MM-DD, got '03/02/2026'",
        "write 2026-02-03 if the day comes first, or 2026-03-02 if the month does",
    ),
    (
        "a line indented too far",
        edit("    value: 60\n", "    value: 60\n      evidence: x\n"),
        "Y001",
        NORTH,
        "YAML syntax: a `:` where YAML does not expect one (mapping values are not allowed in this context)",
        "this line is probably indented more than it should be: align it with the keys of its block; if the value "
        "itself holds ': ', put the value in quotes",
    ),
    (
        "an observation given twice",
        edit("  LG-03:", "  HR-04:\n    value: 61\n  LG-03:"),
        "Y003",
        NORTH,
        "'HR-04' is given twice in this mapping (first at line 4)",
        "keep one of the two (merge them if both hold part of the data): YAML would silently keep only the last one",
    ),
    (
        "a file copied for another region",
        copy_as(NORTH, "assessments/r1/south.yaml"),
        "O005",
        "assessments/r1/south.yaml",
        "a second assessment of region 'north' in round 'r1' (the first is assessments/r1/north.yaml)",
        "this file is south.yaml: if it was copied from north.yaml, change it to `region: south`",
    ),
    (
        "a value out of range",
        edit("value: 60", "value: 160"),
        "O002",
        NORTH,
        "HR-04 is measured in percent, which runs from 0 to 100; got 160",
        "check the figure and the unit of the source",
    ),
]


@pytest.mark.parametrize(("name", "change", "code", "file", "message", "hint"), CASES, ids=[c[0] for c in CASES])
def test_the_first_message_names_the_real_cause_and_the_hint_fixes_it(
    tmp_path, name, change, code, file, message, hint
):
    root = project(tmp_path)
    if name == "a file copied for another region":
        (root / "assessments" / "regions.yaml").write_text(
            "regions:\n  - {id: north, name: North, tier: urban, population: 1000}\n"
            "  - {id: south, name: South, tier: urban, population: 1000}\n",
            encoding="utf-8",
        )
    assert run("check", str(root)).exit_code == 0, "the project is valid before the change"
    change(root)
    result = run("check", str(root), "--format", "json")
    assert result.exit_code == 1, result.output
    found = json.loads(result.stdout)["diagnostics"]
    first = found[0]
    assert (first["code"], first["file"], first["message"], first["hint"]) == (code, file, message, hint), found
