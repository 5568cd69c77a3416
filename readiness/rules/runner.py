"""The runner: every rule's check over a linked project, each problem stamped with its rule's code.

A check yields `Problem`s that name no code; the runner turns each into a `Diagnostic` with the code and the
default severity of the rule that yielded it, so no check can report under another rule's code.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic
from ..loading import paused_gc
from .base import Context, Problem, Rule

if TYPE_CHECKING:
    from ..project import Project


def run(project: Project, rules: Iterable[Rule], today: date | None = None) -> list[Diagnostic]:
    """The diagnostics of every checked rule of `rules`; `today` bounds evidence dates (the real date by
    default). A rule that `needs_framework` is skipped when the framework could not be read."""
    ctx = Context(project, today or date.today())
    found: list[Diagnostic] = []
    with paused_gc():
        for rule in rules:
            if not rule.checked() or (rule.needs_framework and project.framework is None):
                continue
            found += (stamp(rule, problem, project) for problem in rule.check(ctx))
    return found


def stamp(rule: Rule, problem: Problem, project: Project) -> Diagnostic:
    """The diagnostic of a problem a rule found: its place resolved to file, line and column."""
    if problem.file is None:
        file, (line, column) = project.where(problem.kind, problem.key, problem.loc, key_of=problem.key_of)
    else:
        file, (line, column) = problem.file, problem.position
    return Diagnostic(file, line, column, rule.code, problem.message, problem.hint, rule.severity)
