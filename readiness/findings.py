"""The formats `readiness check` writes its findings in: text for people, GitHub annotations, JSON, SARIF and
JUnit. The machine formats name each finding's rule and describe every rule from the catalogue of
readiness/rules/; the diagnostics themselves (readiness/diagnostics.py) come from every stage and know only a
rule's code.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import asdict
from typing import Any
from urllib.parse import quote

from .diagnostics import Diagnostic, Rule, Severity, escape_controls, fails, show_invisible
from .i18n import say, say_n
from .rules import RULES


def severity_word(severity: Severity) -> str:
    """ "error" or "warning", in the language in use (the formats for people; the data formats keep the value)."""
    return say(f"report.severity.{severity.value}")


def format_text(found: list[Diagnostic], checked_files: int, *, prefix: str = "") -> str:
    lines = []
    for d in found:
        lines.append(
            f"{show_invisible(prefix + d.file)}:{d.line}:{d.column}: {severity_word(d.severity)} {d.code} "
            f"{show_invisible(d.message)}"
        )
        if d.hint:
            lines.append("    " + say("report.hint", hint=show_invisible(d.hint)))
    lines.append(files_checked(found, checked_files))
    return "\n".join(lines) + "\n"


def _github_escape(text: str, property_value: bool = False) -> str:
    """Controls written visibly, then the runner's own encoding; a message keeps its line breaks (%0D/%0A) and
    shows invisible characters too (`show_invisible`); a property (the file, the title) has only its controls
    written visibly, so that a file's path stays the path GitHub knows."""
    text = escape_controls(text) if property_value else show_invisible(text, keep="\r\n")
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
                f"title={_github_escape(f'{d.code} {RULES[d.code].name}', True)}",
            ]
        )
        body = _github_escape(d.message) + (f"%0A{_github_escape(d.hint)}" if d.hint else "")
        out.append(f"::{level} {props}::{body}")
    out.append(files_checked(found, checked_files))
    return "\n".join(out) + "\n"


def files_checked(found: list[Diagnostic], checked_files: int) -> str:
    """The last line of a report for people: "117 files checked: 0 errors, 4 warnings"."""
    errors = sum(d.severity is Severity.ERROR for d in found)
    warnings = len(found) - errors
    return say_n(
        "report.files_checked",
        checked_files,
        errors=say_n("report.errors", errors),
        warnings=say_n("report.warnings", warnings),
    )


def format_json(
    found: list[Diagnostic], checked_files: int, *, prefix: str = "", extra: dict[str, Any] | None = None
) -> str:
    """Each diagnostic's `file` is relative to the project, its `path` relative to the repository; `extra`
    adds keys (the progress of rounds being collected)."""
    payload = {
        "schema_version": 1,
        "files_checked": checked_files,
        "errors": sum(d.severity is Severity.ERROR for d in found),
        "warnings": sum(d.severity is Severity.WARNING for d in found),
        "diagnostics": [
            {**asdict(d), "severity": d.severity.value, "rule": RULES[d.code].name, "path": prefix + d.file}
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
    default = say(f"report.sarif.default_{rule.severity.value}")
    summary, fix = rule.summary, rule.fix
    fix_text = fix.replace("`", "")
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": summary},
        "fullDescription": {"text": say("report.sarif.full", summary=summary, default=default.replace("`", ""))},
        "help": {
            "text": fix_text or summary,
            "markdown": say("report.sarif.help", code=rule.code, name=rule.name, default=default)
            + f"\n\n{summary}\n\n"
            + (say("report.sarif.how_to_fix", fix=fix) if fix else ""),
        },
        "defaultConfiguration": {"level": rule.severity.value},
    }


def format_sarif(found: list[Diagnostic], checked_files: int, version: str = "", *, prefix: str = "") -> str:
    """SARIF 2.1.0, as read by GitHub code scanning and other static-analysis viewers."""
    codes = sorted(RULES)
    results = []
    for d in found:
        text = escape_controls(d.message + (" " + say("report.sarif.hint", hint=d.hint) if d.hint else ""), keep="\n")
        results.append(
            {
                "ruleId": d.code,
                "ruleIndex": codes.index(d.code),
                "level": d.severity.value,
                "message": {"text": text},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": artifact_uri(prefix + d.file), "uriBaseId": "%SRCROOT%"},
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


def format_junit(found: list[Diagnostic], checked_files: list[str], *, prefix: str = "", strict: bool = False) -> str:
    """JUnit XML: one test case per checked file. Errors are failures; warnings are printed in the test case's
    <system-out> and fail it only in strict mode (as the exit code does). Every text is escaped so that the
    XML is well-formed whatever a file name or a key contains."""
    by_file: dict[str, list[Diagnostic]] = {f: [] for f in checked_files}
    for d in found:
        by_file.setdefault(d.file, []).append(d)
    failed = sum(1 for ds in by_file.values() if any(fails(d, strict) for d in ds))
    suite = ET.Element(
        "testsuite", name="readiness check", tests=str(len(by_file)), failures=str(failed), errors="0", skipped="0"
    )
    for file, ds in sorted(by_file.items()):
        path = escape_controls(prefix + file)
        case = ET.SubElement(suite, "testcase", classname="readiness.check", name=path, file=path)
        notes = []
        for d in ds:
            where = f"{path}:{d.line}:{d.column}"
            message, hint = escape_controls(d.message), escape_controls(d.hint)
            detail = (
                say(
                    "report.junit.detail",
                    severity=severity_word(d.severity),
                    code=d.code,
                    name=RULES[d.code].name,
                    where=where,
                )
                + f"\n{message}"
                + ("\n" + say("report.hint", hint=hint) if d.hint else "")
            )
            if fails(d, strict):
                failure = ET.SubElement(
                    case, "failure", type=f"{d.code} {RULES[d.code].name}", message=f"{where}: {message}"
                )
                failure.text = detail
            else:
                notes.append(detail)
        if notes:
            ET.SubElement(case, "system-out").text = "\n\n".join(notes)
    suites = ET.Element(
        "testsuites", name="readiness", tests=suite.get("tests", "0"), failures=suite.get("failures", "0")
    )
    suites.append(suite)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
