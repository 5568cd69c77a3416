"""The downloads (downloads.md and downloads/): results.json as this audience may have it, and results.csv,
written by `readiness.scoring.results.results_csv` (as `readiness score --format csv` writes it)."""

from __future__ import annotations

from dataclasses import dataclass

from ..report import View
from ..scoring.results import SCHEMA_VERSION, Results, results_csv
from .common import pillars


@dataclass(frozen=True)
class DownloadsPage:
    schema_version: int
    """The version of results.json's schema."""
    files: dict[str, bytes]
    """The files, by path inside the site."""


def results_table(view: View) -> str:
    """results.csv: one row per region (published here) and round, with its score, level, coverage, change and
    each pillar's score."""
    results = view.results
    if any(region not in view.regions for _, region in results.regions):
        results = Results(
            results.framework,
            results.rounds,
            results.levels,
            results.handover_level,
            {key: r for key, r in results.regions.items() if key[1] in view.regions},
            results.provisional,
        )
    return results_csv(results, [entry.id for entry in pillars(view)])


def build(view: View) -> DownloadsPage:
    return DownloadsPage(
        SCHEMA_VERSION,
        {"downloads/results.json": view.downloadable_bytes(), "downloads/results.csv": results_table(view).encode()},
    )
