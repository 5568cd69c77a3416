"""The stages in order, for the commands that need all of them (build, serve): score, weigh the
uncertainty, play the scenarios, and decide what an audience sees."""

from __future__ import annotations

from typing import Any

from .project import Project
from .report import View, build_view
from .scoring import score_project
from .scoring.scenarios import ScenarioError, apply_scenario, compare, scenario_round
from .uncertainty import analyse


def scenario_effects(project: Project, results: Any) -> dict[str, Any]:
    """Every scenario with its round and its effects; a scenario that cannot apply is left out."""
    out = {}
    for name, scenario in sorted(project.scenarios.items()):
        try:
            after = score_project(apply_scenario(project, name))
        except ScenarioError:
            continue
        round_id = scenario_round(project, name)
        out[name] = (scenario, round_id, compare(results, after, round_id))
    return out


def site_view(project: Project, audience: str, workers: int = 1) -> View:
    """Scores, the Monte Carlo of the latest round (shared out between `workers` processes), the scenarios, and
    the view for `audience`."""
    results = score_project(project)
    analysis = analyse(project, results, workers=workers) if results.rounds else None
    return build_view(project, results, audience, analysis, scenario_effects(project, results))
