"""Diagnostics: what `readiness check` reports, the rule catalogue, and the output formats.

A diagnostic names a file, a line and a column (1-based), a rule code, a severity, a message and a hint.
Every stage returns diagnostics instead of raising, so one run reports every problem.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    summary: str


def _rules(*rows: tuple[str, str, Severity, str]) -> dict[str, Rule]:
    return {code: Rule(code, name, sev, summary) for code, name, sev, summary in rows}


E, W = Severity.ERROR, Severity.WARNING

#: Every rule `readiness check` knows. The README lists the same table; a test keeps them in step.
RULES: dict[str, Rule] = _rules(
    ("P001", "project-layout", E, "The folder is not a readiness project, or a required file is missing."),
    ("P002", "unexpected-file", W, "A file in indicators/ or assessments/ that the project does not read."),
    ("Y001", "yaml-syntax", E, "The file is not valid YAML."),
    ("Y002", "encoding", E, "The file is not UTF-8 text."),
    ("Y003", "duplicate-key", E, "A key appears twice in the same mapping; YAML would silently keep one."),
    ("Y004", "anchor-alias", E, "Anchors and aliases (&name, *name) are not allowed: write values out."),
    ("Y005", "yaml-feature", E, "An empty file, several documents in one file, a custom tag or a complex key."),
    ("S001", "unknown-key", E, "A key the schema does not know (often a typo)."),
    ("S002", "missing-key", E, "A required key is missing."),
    ("S003", "invalid-value", E, "A value of the wrong type or outside what the schema allows."),
    ("R001", "duplicate-id", E, "Two things of the same kind share an id."),
    ("R002", "unknown-reference", E, "A reference to a pillar, indicator, region, round, level, tier, party or "
     "source type that does not exist."),
    ("R003", "prerequisite-cycle", E, "Indicators require each other in a cycle."),
    ("R004", "region-nesting", E, "A region is its own ancestor."),
    ("I001", "thresholds-order", E, "Threshold cut-offs are out of order for the indicator's direction."),
    ("I002", "goalposts", E, "Goalposts where worst equals best, or that point against the indicator's direction."),
    ("I003", "weight", E, "A weight that is zero or negative."),
    ("I004", "tier-coverage", E, "Thresholds that do not cover every tier the framework declares."),
    ("I005", "scoring-method", E, "A scoring method whose parameters do not fit the indicator."),
    ("I006", "translation-missing", W, "Text without a language the framework declares, or in an undeclared one."),
    ("G001", "region-tier", E, "A region that is assessed has no tier although the framework declares tiers."),
    ("G002", "region-population", W, "Population-weighted roll-up needs a population for every child region."),
    ("O001", "value-type", E, "An observed value of the wrong type for the indicator's unit."),
    ("O002", "value-range", E, "An observed value outside the range of the indicator's unit."),
    ("O003", "missing-observation", E, "An indicator missing from an assessment without a not-collected reason."),
    ("O004", "observation-shape", E, "An observation with both a value and a not-collected reason, or neither."),
    ("O005", "assessment-duplicate", E, "Two assessment files for the same region and round."),
    ("E001", "evidence-future", E, "Evidence dated after the round's cut-off date."),
    ("E002", "evidence-age", W, "Evidence older than the indicator allows."),
    ("E003", "evidence-sources", W, "A critical indicator with fewer distinct source types than required."),
    ("E004", "evidence-missing", W, "A value with no evidence at all."),
    ("V001", "override-incomplete", E, "A leadership override without rationale, approver or expiry."),
    ("V002", "override-expired", W, "A leadership override that expired before the round's date; it is ignored."),
)


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem found in a project. Sorts by file, line, column, then code."""

    file: str
    line: int
    column: int
    code: str
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR

    @property
    def rule(self) -> Rule:
        return RULES[self.code]


def diagnostic(
    code: str, file: str, position: tuple[int, int], message: str, hint: str = ""
) -> Diagnostic:
    """A diagnostic with the rule's default severity."""
    line, column = position
    return Diagnostic(file, line, column, code, message, hint, RULES[code].severity)


def sort_diagnostics(found: list[Diagnostic]) -> list[Diagnostic]:
    return sorted(set(found))


def has_failures(found: list[Diagnostic], strict: bool) -> bool:
    return any(d.severity is Severity.ERROR or strict for d in found)


# ---------------------------------------------------------------- output formats


def format_text(found: list[Diagnostic], checked_files: int) -> str:
    lines = []
    for d in found:
        lines.append(f"{d.file}:{d.line}:{d.column}: {d.severity.value} {d.code} {d.message}")
        if d.hint:
            lines.append(f"    hint: {d.hint}")
    lines.append(f"{checked_files} files checked: {_count(found)}")
    return "\n".join(lines) + "\n"


def _github_escape(text: str, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def format_github(found: list[Diagnostic], checked_files: int) -> str:
    """GitHub Actions workflow commands: one annotation per diagnostic on the pull request."""
    out = []
    for d in found:
        level = "error" if d.severity is Severity.ERROR else "warning"
        props = ",".join(
            [
                f"file={_github_escape(d.file, True)}",
                f"line={d.line}",
                f"col={d.column}",
                f"title={_github_escape(f'{d.code} {d.rule.name}', True)}",
            ]
        )
        body = d.message + (f"\n{d.hint}" if d.hint else "")
        out.append(f"::{level} {props}::{_github_escape(body)}")
    out.append(f"{checked_files} files checked: {_count(found)}")
    return "\n".join(out) + "\n"


def _count(found: list[Diagnostic]) -> str:
    errors = sum(d.severity is Severity.ERROR for d in found)
    warnings = len(found) - errors
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"


def format_json(found: list[Diagnostic], checked_files: int) -> str:
    payload = {
        "schema_version": 1,
        "files_checked": checked_files,
        "errors": sum(d.severity is Severity.ERROR for d in found),
        "warnings": sum(d.severity is Severity.WARNING for d in found),
        "diagnostics": [
            {**asdict(d), "severity": d.severity.value, "rule": d.rule.name} for d in found
        ],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def format_sarif(found: list[Diagnostic], checked_files: int, version: str = "") -> str:
    """SARIF 2.1.0, as read by GitHub code scanning and other static-analysis viewers."""
    codes = sorted(RULES)
    rules = [
        {
            "id": code,
            "name": RULES[code].name,
            "shortDescription": {"text": RULES[code].summary},
            "defaultConfiguration": {"level": RULES[code].severity.value},
        }
        for code in codes
    ]
    results = []
    for d in found:
        text = d.message + (f" Hint: {d.hint}" if d.hint else "")
        results.append(
            {
                "ruleId": d.code,
                "ruleIndex": codes.index(d.code),
                "level": d.severity.value,
                "message": {"text": text},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": d.file, "uriBaseId": "%SRCROOT%"},
                            "region": {"startLine": max(d.line, 1), "startColumn": max(d.column, 1)},
                        }
                    }
                ],
            }
        )
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "readiness",
                        "informationUri": "https://github.com/readiness-project/readiness",
                        "version": version or "0",
                        "rules": rules,
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def format_junit(found: list[Diagnostic], checked_files: list[str]) -> str:
    """JUnit XML: one test case per checked file, failing with each diagnostic found in it."""
    by_file: dict[str, list[Diagnostic]] = {f: [] for f in checked_files}
    for d in found:
        by_file.setdefault(d.file, []).append(d)
    suite = ET.Element(
        "testsuite",
        name="readiness check",
        tests=str(len(by_file)),
        failures=str(sum(1 for ds in by_file.values() if ds)),
        errors="0",
        skipped="0",
    )
    for file, ds in sorted(by_file.items()):
        case = ET.SubElement(suite, "testcase", classname="readiness.check", name=file)
        for d in ds:
            failure = ET.SubElement(
                case,
                "failure",
                type=f"{d.code} {d.rule.name}",
                message=f"{d.file}:{d.line}:{d.column}: {d.message}",
            )
            failure.text = f"{d.severity.value} {d.code} at {d.file}:{d.line}:{d.column}\n{d.message}" + (
                f"\nhint: {d.hint}" if d.hint else ""
            )
    suites = ET.Element("testsuites", name="readiness", tests=suite.get("tests", "0"),
                        failures=suite.get("failures", "0"))
    suites.append(suite)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
