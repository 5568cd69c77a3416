"""Checks: the consistency rules that `readiness check` runs over a linked project.

The rules live in the package readiness/rules/, one module per rule or small family, each with its check; this
module keeps the entry point the rest of the code calls.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from .diagnostics import Diagnostic
from .project import Project
from .rules import run
from .rules.base import pillar_ids
from .rules.references import ALL_TIERS

if TYPE_CHECKING:
    from .scoring.results import Results

__all__ = ["ALL_TIERS", "check_project", "pillar_ids"]


def check_project(project: Project, today: date | None = None, workers: int = 1) -> list[Diagnostic]:
    """Run every check; `today` bounds evidence dates (defaults to the real date). The rules on what happened
    after a handover read the scored regions of the handover register (when nothing else is an error). With
    `workers` > 1, the rules that run apart are checked in a forked child meanwhile (the same diagnostics)."""
    return run(project, today, scored_register, workers)


def scored_register(project: Project) -> Results | None:
    """The final rounds of the regions that the handover register names (and of their parts), scored; None
    when the register is empty or no round is final."""
    if not project.decisions or project.framework is None:
        return None
    from .project import RoundChoice
    from .scoring import score_project

    try:
        published = project.published()
    except RoundChoice:
        return None
    return score_project(published.around({d.region for d in project.decisions.values()}))
