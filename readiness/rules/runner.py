"""The runner: every rule's check over a linked project, each problem stamped with its rule's code.

A check yields `Problem`s that name no code; the runner turns each into a `Diagnostic` with the code and the
default severity of the rule that yielded it, so no check can report under another rule's code.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterable
from datetime import date
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic, Severity
from ..loading import paused_gc
from ..workers import Background, can_fork
from .base import Context, Problem, Rule

if TYPE_CHECKING:
    from ..project import Project
    from ..scoring.results import Results


#: The observations from which the rules that run `apart` are worth a forked child: below it (the example has
#: about 4,000) the rules take a fraction of a second and forking costs more than it saves.
APART_FROM = 20_000


def run(
    project: Project,
    rules: Iterable[Rule],
    today: date | None = None,
    scorer: Callable[[Project], Results | None] | None = None,
    workers: int = 1,
) -> list[Diagnostic]:
    """The diagnostics of every checked rule of `rules`, in their order; `today` bounds evidence dates (the real
    date by default). A rule that `needs_framework` is skipped when the framework could not be read. The rules
    that `needs_results` run last, with `scorer` giving them the scored project, and only when the others found
    no error (a project with errors is not scored). With `workers` > 1 where the system can fork, on a project of
    at least APART_FROM observations, the rules that run `apart` are checked in a forked child while this process
    checks the others (the child inherits the project instead of reading it again); the diagnostics are the
    same, in the same order."""
    ctx = Context(project, today or date.today(), scorer)
    chosen = [r for r in rules if r.checked() and not (r.needs_framework and project.framework is None)]
    first = [r for r in chosen if not r.needs_results]
    away = [r for r in first if r.apart] if can_fork(workers) and _observations(project) >= APART_FROM else []
    by_rule: dict[type[Rule], list[Diagnostic]] = {}
    with Background(functools.partial(_check, ctx, away), workers) if away else contextlib.nullcontext() as beside:
        with paused_gc():
            by_rule.update(_check(ctx, [r for r in first if r not in away]))
        if beside is not None:
            by_rule.update(beside.result())
    found = [d for rule in first for d in by_rule[type(rule)]]
    if scorer is not None and not any(d.severity is Severity.ERROR for d in found):
        with paused_gc():
            found += (d for rule in chosen if rule.needs_results for d in _check(ctx, [rule])[type(rule)])
    return found


def _observations(project: Project) -> int:
    return sum(len(a.observations) for a in project.assessments.values())


def _check(ctx: Context, rules: list[Rule]) -> dict[type[Rule], list[Diagnostic]]:
    """The diagnostics of each of `rules`, by rule."""
    return {type(rule): [stamp(rule, problem, ctx.project) for problem in rule.check(ctx)] for rule in rules}


def stamp(rule: Rule, problem: Problem, project: Project) -> Diagnostic:
    """The diagnostic of a problem a rule found: its place resolved to file, line and column."""
    if problem.file is None:
        file, (line, column) = project.where(problem.kind, problem.key, problem.loc, key_of=problem.key_of)
    else:
        file, (line, column) = problem.file, problem.position
    return Diagnostic(file, line, column, rule.code, problem.message, problem.hint, rule.severity)
