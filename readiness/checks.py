"""Checks: the consistency rules that `readiness check` runs over a linked project.

The rules live in the package readiness/rules/, one module per rule or small family, each with its check; this
module keeps the entry point the rest of the code calls.
"""

from __future__ import annotations

from datetime import date

from .diagnostics import Diagnostic
from .project import Project
from .rules import run
from .rules.base import pillar_ids
from .rules.references import ALL_TIERS

__all__ = ["ALL_TIERS", "check_project", "pillar_ids"]


def check_project(project: Project, today: date | None = None) -> list[Diagnostic]:
    """Run every check; `today` bounds evidence dates (defaults to the real date)."""
    return run(project, today)
