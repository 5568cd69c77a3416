"""The runner: every rule's check over a linked project, each problem stamped with its rule's code.

A check yields `Problem`s that name no code; the runner turns each into a `Diagnostic` with the code and the
default severity of the rule that yielded it, so no check can report under another rule's code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic, Severity
from ..loading import paused_gc
from .base import Context, Problem, Rule

if TYPE_CHECKING:
    from ..project import Project
    from ..scoring.results import Results


def run(
    project: Project,
    rules: Iterable[Rule],
    today: date | None = None,
    scorer: Callable[[Project], Results | None] | None = None,
) -> list[Diagnostic]:
    """The diagnostics of every checked rule of `rules`; `today` bounds evidence dates (the real date by
    default). A rule that `needs_framework` is skipped when the framework could not be read. The rules that
    `needs_results` run last, with `scorer` giving them the scored project, and only when the others found no
    error (a project with errors is not scored)."""
    ctx = Context(project, today or date.today(), scorer)
    found: list[Diagnostic] = []
    chosen = [r for r in rules if r.checked() and not (r.needs_framework and project.framework is None)]
    with paused_gc():
        for rule in chosen:
            if not rule.needs_results:
                found += (stamp(rule, problem, project) for problem in rule.check(ctx))
        if scorer is not None and not any(d.severity is Severity.ERROR for d in found):
            for rule in chosen:
                if rule.needs_results:
                    found += (stamp(rule, problem, project) for problem in rule.check(ctx))
    return found


def stamp(rule: Rule, problem: Problem, project: Project) -> Diagnostic:
    """The diagnostic of a problem a rule found: its place resolved to file, line and column."""
    if problem.file is None:
        file, (line, column) = project.where(problem.kind, problem.key, problem.loc, key_of=problem.key_of)
    else:
        file, (line, column) = problem.file, problem.position
    return Diagnostic(file, line, column, rule.code, problem.message, problem.hint, rule.severity)
