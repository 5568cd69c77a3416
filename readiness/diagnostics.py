"""Diagnostics: what `readiness check` reports, the rule catalogue, and the output formats.

A diagnostic names a file, a line and a column (1-based), a rule code, a severity, a message and a hint.
Every stage returns diagnostics instead of raising, so one run reports every problem.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .i18n import say, say_n


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Rule:
    """A rule as the catalogue and the output formats see it (readiness/rules/ defines each, with its checks)."""

    code: str
    name: str
    severity: Severity
    fields: tuple[tuple[str, object], ...] = ()
    """Values its summary and fix name, as (name, value) pairs."""

    @property
    def summary(self) -> str:
        """One sentence, in the language in use (the catalogue's `rule.<code>.summary`)."""
        return say(f"rule.{self.code}.summary", **dict(self.fields))

    @property
    def fix(self) -> str:
        """How to fix it, in Markdown (backticks for code); SARIF viewers show it as the rule's help."""
        return say(f"rule.{self.code}.fix", **dict(self.fields))


class _Catalogue(Mapping[str, Rule]):
    """Every rule `readiness check` knows, by code, in the order of the README's table. The rules are defined in
    the package readiness/rules/ (one module per rule or small family), which imports this module: the
    catalogue is read from it on first use."""

    def __init__(self) -> None:
        self._rules: dict[str, Rule] | None = None

    def _read(self) -> dict[str, Rule]:
        if self._rules is None:
            from .rules import RULES as defined

            self._rules = defined
        return self._rules

    def __getitem__(self, code: str) -> Rule:
        return self._read()[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self._read())

    def __len__(self) -> int:
        return len(self._read())

    def __repr__(self) -> str:
        return f"RULES({', '.join(self._read())})"


#: Every rule `readiness check` knows, from readiness/rules/. The README lists the same table; a test keeps them
#: in step.
RULES: Mapping[str, Rule] = _Catalogue()


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


def diagnostic(code: str, file: str, position: tuple[int, int], message: str, hint: str = "") -> Diagnostic:
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
            raise ValueError(say("report.not_inside", project=str(project), base=str(root)))
    else:
        root = next((p for p in (project, *project.parents) if (p / ".git").exists()), project)
    relative = project.relative_to(root).as_posix()
    return "" if relative == "." else relative + "/"


_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_char(c: str) -> str:
    code = ord(c)
    return _NAMED.get(c) or (
        f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
    )


def _escape_one(match: re.Match[str]) -> str:
    return _escape_char(match.group())


def escape_controls(text: str, keep: str = "") -> str:
    """Text with every character that could act on a terminal or a parser instead of being shown, written
    visibly: control characters (ESC as `\\x1b`, CR as `\\r`, LF as `\\n`, tab as `\\t`, C1 controls),
    line and paragraph separators, bidirectional overrides and isolates, lone surrogates and the
    non-characters U+FFFE/U+FFFF. What is left is safe on a terminal, in a workflow command and in XML 1.0.
    Characters in `keep` (say "\\n") are left as they are, for a caller that encodes them itself."""
    return _CONTROLS.sub(lambda m: m.group() if m.group() in keep else _escape_one(m), str(text))


#: The Unicode categories of characters a message never prints as they are: a terminal acts on them or shows
#: nothing for them. Controls (C0, DEL, C1: escape sequences, bells, cursor moves), format characters
#: (bidirectional overrides and isolates, direction marks, zero-width spaces and joiners, the word joiner, the
#: byte order mark, the soft hyphen, tag characters that can carry hidden text), line and paragraph separators,
#: and lone surrogates.
_UNPRINTABLE = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})


def show_invisible(text: str, keep: str = "") -> str:
    """Text for a person to read (a terminal, a pull request's annotations): every character of the categories
    above written visibly (ESC as `\\x1b`, a zero-width space as `\\u200b`, a line break as `\\n`), so a
    message shows what the file holds. Characters in `keep` are left as they are. The data formats (JSON, SARIF,
    JUnit) keep such characters as they are."""
    import unicodedata

    text = escape_controls(text, keep)
    if text.isprintable():
        return text  # the common case: isprintable() is False for every character of those categories
    return "".join(c if c in keep or unicodedata.category(c) not in _UNPRINTABLE else _escape_char(c) for c in text)


# ---------------------------------------------------------------- output formats
#
# Every format takes `prefix`, the project's path inside the repository (see repository_prefix): the formats
# that CI tools place on files (github, sarif, junit) need paths from the repository root. Diagnostic.file
# itself stays relative to the project.


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
                f"title={_github_escape(f'{d.code} {d.rule.name}', True)}",
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
            {**asdict(d), "severity": d.severity.value, "rule": d.rule.name, "path": prefix + d.file} for d in found
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
    failed = sum(1 for ds in by_file.values() if any(_fails(d, strict) for d in ds))
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
                    name=d.rule.name,
                    where=where,
                )
                + f"\n{message}"
                + ("\n" + say("report.hint", hint=hint) if d.hint else "")
            )
            if _fails(d, strict):
                failure = ET.SubElement(case, "failure", type=f"{d.code} {d.rule.name}", message=f"{where}: {message}")
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
