"""Scoring: from a linked project to results for every region in every round. See README.md here."""

from .engine import score_project
from .results import SCHEMA_VERSION, Results

__all__ = ["SCHEMA_VERSION", "Results", "score_project"]
