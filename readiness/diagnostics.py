"""Diagnostics: what `readiness check` reports, found by every stage.

A diagnostic names a file, a line and a column (1-based), a rule code, a severity, a message and a hint.
Every stage returns diagnostics instead of raising, so one run reports every problem. The rules themselves are
defined in readiness/rules/ (above every stage they check) and the formats that describe them in
readiness/findings.py: this module imports neither.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from .i18n import say


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


def diagnostic(
    code: str,
    file: str,
    position: tuple[int, int],
    message: str,
    hint: str = "",
    severity: Severity = Severity.ERROR,
) -> Diagnostic:
    """A diagnostic of a stage below the rules (loading, validation, linking): its rule's default severity is
    passed where it is not an error (`tests/test_rules_hygiene.py` holds every such call to the severity its rule
    declares in readiness/rules/)."""
    line, column = position
    return Diagnostic(file, line, column, code, message, hint, severity)


def sort_diagnostics(found: list[Diagnostic]) -> list[Diagnostic]:
    return sorted(set(found))


def has_failures(found: list[Diagnostic], strict: bool) -> bool:
    return any(fails(d, strict) for d in found)


def fails(d: Diagnostic, strict: bool) -> bool:
    """Whether a finding fails the run: an error, or any finding in strict mode."""
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
