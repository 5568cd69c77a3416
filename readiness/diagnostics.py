"""Diagnostics: what `readiness check` reports, the rule catalogue, and the output formats.

A diagnostic names a file, a line and a column (1-based), a rule code, a severity, a message and a hint.
Every stage returns diagnostics instead of raising, so one run reports every problem.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass
from enum import Enum
from pathlib import Path
from typing import Any
from urllib.parse import quote


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    summary: str
    fix: str = ""
    """How to fix it, in Markdown (backticks for code); SARIF viewers show it as the rule's help."""


def _rules(*rows: tuple[str, str, Severity, str]) -> dict[str, Rule]:
    return {code: Rule(code, name, sev, summary, _FIX.get(code, "")) for code, name, sev, summary in rows}


_FIX: dict[str, str] = {
    "P001": "Run the command on the project folder, the one holding `indicators/` and `assessments/`. Add "
            "the missing file (`readiness init` writes a starting point); replace a link that leaves the "
            "project or leads nowhere by the real file.",
    "P002": "Move the file where the project reads it (`indicators/*.yaml`, "
            "`assessments/<round>/<region>.yaml`) with a lower-case `.yaml` ending, or move it out of "
            "`indicators/` and `assessments/`.",
    "Y001": "Fix the syntax at the line given: usually the indentation, a missing colon, or a value holding "
            "`: ` or ` #` that needs quotes.",
    "Y002": "Save the file as UTF-8 (most editors offer it when saving, as the encoding).",
    "Y003": "Keep one of the two entries: merge what each says into it, then delete the other.",
    "Y004": "Write the value out in full wherever the alias (`*name`) was used, and remove the anchor "
            "(`&name`).",
    "Y005": "Keep exactly one YAML document per file, without `---` between documents, custom `!tags` or `? "
            "` complex keys; fill in or delete an empty file.",
    "S001": "Check the spelling against the schema (`readiness schema` writes it for editors), or remove "
            "the key if it does not belong there.",
    "S002": "Add the key; the JSON Schemas written by `readiness schema` list what each file needs.",
    "S003": "Write a value of the type the schema expects: a number unquoted, `true` or `false` for yes/no, "
            "a date as `YYYY-MM-DD`, one of the listed choices.",
    "R001": "Give each its own id, or delete the copy.",
    "R002": "Use an id that is defined (the hint names the closest one), or define the missing one.",
    "R003": "Remove one of the `requires` links so that the prerequisites no longer go round in a cycle.",
    "R004": "Correct the `parent` of one of the regions so that every chain of parents ends at a top-level "
            "region.",
    "I001": "Order the cut-offs so that each level needs a better value than the one below it: rising for a "
            "higher-is-better indicator, falling for a lower-is-better one.",
    "I002": "Give `worst` and `best` different values, `best` above `worst` for a higher-is-better "
            "indicator and below it for a lower-is-better one.",
    "I003": "Give a weight above zero, or remove the item if it should not count.",
    "I004": "Add thresholds for every tier the framework declares, or one `all` entry for every tier.",
    "I005": "Give the parameters the scoring method needs (the message names them), with a method that fits "
            "the unit.",
    "I006": "Write the text in every language the framework declares, and only in those.",
    "G001": "Give the region a `tier` from those the framework declares.",
    "G002": "Give every child region a `population`, or set the framework's `roll_up` to `equal`.",
    "O001": "Write a value of the indicator's unit: a number unquoted and without its unit, a whole number "
            "for a count, `true` or `false` for yes/no.",
    "O002": "Correct the value, or check the indicator's unit (a percentage runs from 0 to 100).",
    "O003": "Add the observation, or write `not_collected:` with the reason it is missing (missing is never "
            "read as zero).",
    "O004": "Keep either a `value` (with its evidence) or a reason (`not_collected` or `not_applicable`): "
            "one of them, not both.",
    "O005": "Keep one file per region and round: merge the two, then delete one.",
    "O006": "Make `region:` and `round:` say what the file's name and folder say, or move the file.",
    "E001": "Check the date: evidence must not postdate the round's cut-off date, or it belongs to a later "
            "round.",
    "E002": "Collect fresher evidence, or check the indicator's `max_age_days`.",
    "E003": "Add evidence of another source type (for example a field visit besides administrative records).",
    "E004": "Add at least one evidence entry with a `source`, a `reference` and a `date`.",
    "E005": "Mark every use of the reference `restricted: true`, or lift the restriction where it is not needed.",
    "A001": "Replace the placeholder with what the team found, or remove the entry.",
    "V001": "Give the override a `rationale`, an `approved_by` and an `expires` date, or remove it.",
    "V002": "Renew the override (a new approval and expiry date), or remove it.",
    "C001": "Choose a region assessed in the scenario's round, or set the scenario's `round:` to a round in "
            "which the region was assessed.",
    "M001": "Remove the setting the message names from `mkdocs.yml`; put images and style sheets in `site/` "
            "and name them by their path relative to `site/`.",
    "M002": "Remove the script, event handler or outside link; copy images into `site/` and link them by a "
            "relative path.",
}


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
    ("O006", "assessment-misfiled", E, "An assessment whose `region:` or `round:` differs from the file's name or "
     "folder (often a copied file)."),
    ("E001", "evidence-future", E, "Evidence dated after the round's cut-off date."),
    ("E002", "evidence-age", W, "Evidence older than the indicator allows."),
    ("E003", "evidence-sources", W, "A critical indicator with fewer distinct source types than required."),
    ("E004", "evidence-missing", W, "A value with no evidence at all."),
    ("E005", "evidence-restricted-inconsistently", W, "An evidence reference restricted in one place and public "
     "in another: a public build publishes it."),
    ("A001", "placeholder", E, "The placeholder text of `readiness new-round`, left in a final round."),
    ("V001", "override-incomplete", E, "A leadership override without rationale, approver or expiry."),
    ("V002", "override-expired", W, "A leadership override that expired before the round's date; it is ignored."),
    ("C001", "scenario-not-applicable", E, "A scenario changes a region that has no assessment in its round."),
    ("M001", "site-settings", E, "mkdocs.yml asks for what the site may not do: run code (hooks, Python tags), "
     "use other plugins or templates, load from outside, or name a file that site/ does not hold."),
    ("M002", "site-page", E, "A page, drawing or style sheet of site/ that would run a script or load something "
     "from outside the site."),
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
    return any(_fails(d, strict) for d in found)


def _fails(d: Diagnostic, strict: bool) -> bool:
    return d.severity is Severity.ERROR or strict


def repository_prefix(project_root: Path, base: Path | None = None) -> str:
    """The project folder's path inside the repository, as a prefix for the paths the CI formats report.

    Diagnostic.file is relative to the project; GitHub (annotations, code scanning, test reports) places a
    finding on a file by its path from the repository root. The repository root is the nearest folder,
    walking up from the project, that holds `.git` (a folder, or a file in a worktree or submodule). An
    explicit `base` (`readiness check --base DIR`) overrides the detection. Returns "" for the root itself or when no
    repository is found, else a POSIX path ending with "/" ("missions/lomara/"). ValueError if the project is
    not inside `base`.
    """
    project = Path(project_root).resolve()
    if base is not None:
        root = Path(base).resolve()
        if not project.is_relative_to(root):
            raise ValueError(f"the project {project} is not inside {root}")
    else:
        root = next((p for p in (project, *project.parents) if (p / ".git").exists()), project)
    relative = project.relative_to(root).as_posix()
    return "" if relative == "." else relative + "/"


_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_one(match: re.Match[str]) -> str:
    c = match.group()
    return _NAMED.get(c) or (f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}")


def escape_controls(text: str, keep: str = "") -> str:
    """Text with every character that could act on a terminal or a parser instead of being shown, written
    visibly: control characters (ESC as `\\x1b`, CR as `\\r`, LF as `\\n`, tab as `\\t`, C1 controls),
    line and paragraph separators, bidirectional overrides and isolates, lone surrogates and the
    non-characters U+FFFE/U+FFFF. What is left is safe on a terminal, in a workflow command and in XML 1.0.
    Characters in `keep` (say "\\n") are left as they are, for a caller that encodes them itself."""
    return _CONTROLS.sub(lambda m: m.group() if m.group() in keep else _escape_one(m), str(text))


# ---------------------------------------------------------------- output formats
#
# Every format takes `prefix`, the project's path inside the repository (see repository_prefix): the formats
# that CI tools place on files (github, sarif, junit) need paths from the repository root. Diagnostic.file
# itself stays relative to the project.


def format_text(found: list[Diagnostic], checked_files: int, *, prefix: str = "") -> str:
    lines = []
    for d in found:
        lines.append(f"{escape_controls(prefix + d.file)}:{d.line}:{d.column}: {d.severity.value} {d.code} "
                     f"{escape_controls(d.message)}")
        if d.hint:
            lines.append(f"    hint: {escape_controls(d.hint)}")
    lines.append(f"{checked_files} files checked: {_count(found)}")
    return "\n".join(lines) + "\n"


def _github_escape(text: str, property_value: bool = False) -> str:
    """Controls written visibly, then the runner's own encoding; a message keeps its line breaks (%0D/%0A)."""
    text = escape_controls(text, keep="" if property_value else "\r\n")
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def format_github(found: list[Diagnostic], checked_files: int, *, prefix: str = "") -> str:
    """GitHub Actions workflow commands: one annotation per diagnostic on the pull request."""
    out = []
    for d in found:
        level = "error" if d.severity is Severity.ERROR else "warning"
        props = ",".join(
            [
                f"file={_github_escape(prefix + d.file, True)}",
                f"line={d.line}",
                f"col={d.column}",
                f"title={_github_escape(f'{d.code} {d.rule.name}', True)}",
            ]
        )
        body = _github_escape(d.message) + (f"%0A{_github_escape(d.hint)}" if d.hint else "")
        out.append(f"::{level} {props}::{body}")
    out.append(f"{checked_files} files checked: {_count(found)}")
    return "\n".join(out) + "\n"


def _count(found: list[Diagnostic]) -> str:
    errors = sum(d.severity is Severity.ERROR for d in found)
    warnings = len(found) - errors
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"


def format_json(found: list[Diagnostic], checked_files: int, *, prefix: str = "",
                extra: dict[str, Any] | None = None) -> str:
    """Each diagnostic's `file` is relative to the project, its `path` relative to the repository; `extra`
    adds keys (the progress of rounds being collected)."""
    payload = {
        "schema_version": 1,
        "files_checked": checked_files,
        "errors": sum(d.severity is Severity.ERROR for d in found),
        "warnings": sum(d.severity is Severity.WARNING for d in found),
        "diagnostics": [
            {**asdict(d), "severity": d.severity.value, "rule": d.rule.name, "path": prefix + d.file}
            for d in found
        ],
        **(extra or {}),
    }
    return _json(payload)


def _json(payload: object) -> str:
    """Indented JSON, UTF-8 text as it is; a lone surrogate (a file name that is not UTF-8) as its \\u escape,
    which JSON allows and which could not be written out as UTF-8."""
    text = json.dumps(payload, indent=2, ensure_ascii=False)
    return re.sub(r"[\ud800-\udfff]", lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


def artifact_uri(path: str) -> str:
    """A relative POSIX path as a URI reference: every byte outside RFC 3986's unreserved set and "/" is
    percent-encoded as UTF-8 (a space as %20, "%" as %25, "é" as %C3%A9). A file name that is not UTF-8 (read
    by Python with surrogate escapes) gets its own bytes back."""
    try:
        return quote(path, safe="/", encoding="utf-8", errors="surrogateescape")
    except UnicodeEncodeError:
        return quote(path, safe="/", encoding="utf-8", errors="surrogatepass")


def _sarif_rule(rule: Rule) -> dict[str, object]:
    """A reporting descriptor. No helpUri: the rules are documented in the README's table, which has no
    published address of its own (add one here only when it does)."""
    default = ("an error by default: it fails `readiness check`" if rule.severity is Severity.ERROR
               else "a warning by default: it fails `readiness check` only with `--strict`")
    fix_text = rule.fix.replace("`", "")
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": f"{rule.summary} This is {default.replace('`', '')}."},
        "help": {
            "text": fix_text or rule.summary,
            "markdown": f"**{rule.code} {rule.name}** is {default}.\n\n{rule.summary}\n\n"
                        + (f"**How to fix:** {rule.fix}" if rule.fix else ""),
        },
        "defaultConfiguration": {"level": rule.severity.value},
    }


def format_sarif(found: list[Diagnostic], checked_files: int, version: str = "", *, prefix: str = "") -> str:
    """SARIF 2.1.0, as read by GitHub code scanning and other static-analysis viewers."""
    codes = sorted(RULES)
    results = []
    for d in found:
        text = escape_controls(d.message + (f" Hint: {d.hint}" if d.hint else ""), keep="\n")
        results.append(
            {
                "ruleId": d.code,
                "ruleIndex": codes.index(d.code),
                "level": d.severity.value,
                "message": {"text": text},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": artifact_uri(prefix + d.file),
                                                 "uriBaseId": "%SRCROOT%"},
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
                        "rules": [_sarif_rule(RULES[code]) for code in codes],
                    }
                },
                "results": results,
            }
        ],
    }
    return _json(log)


def format_junit(found: list[Diagnostic], checked_files: list[str], *, prefix: str = "",
                 strict: bool = False) -> str:
    """JUnit XML: one test case per checked file. Errors are failures; warnings are printed in the test case's
    <system-out> and fail it only in strict mode (as the exit code does). Every text is escaped so that the
    XML is well-formed whatever a file name or a key contains."""
    by_file: dict[str, list[Diagnostic]] = {f: [] for f in checked_files}
    for d in found:
        by_file.setdefault(d.file, []).append(d)
    failed = sum(1 for ds in by_file.values() if any(_fails(d, strict) for d in ds))
    suite = ET.Element("testsuite", name="readiness check", tests=str(len(by_file)), failures=str(failed),
                       errors="0", skipped="0")
    for file, ds in sorted(by_file.items()):
        path = escape_controls(prefix + file)
        case = ET.SubElement(suite, "testcase", classname="readiness.check", name=path, file=path)
        notes = []
        for d in ds:
            where = f"{path}:{d.line}:{d.column}"
            message, hint = escape_controls(d.message), escape_controls(d.hint)
            detail = f"{d.severity.value} {d.code} {d.rule.name} at {where}\n{message}" + (
                f"\nhint: {hint}" if d.hint else "")
            if _fails(d, strict):
                failure = ET.SubElement(case, "failure", type=f"{d.code} {d.rule.name}",
                                        message=f"{where}: {message}")
                failure.text = detail
            else:
                notes.append(detail)
        if notes:
            ET.SubElement(case, "system-out").text = "\n\n".join(notes)
    suites = ET.Element("testsuites", name="readiness", tests=suite.get("tests", "0"),
                        failures=suite.get("failures", "0"))
    suites.append(suite)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
