"""The severity × completeness matrix (matrix.md): every assessed district and unit once, by how far below the
handover level it stands (rows: at or above it, then one level below, down to the lowest level) and how complete
its data is (columns: the evidence gate's coverage bands). Both are the situation's (`Situation.matrix`)."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Level, Round
from ..report import View
from ..situation import COMPLETENESS, Standing
from .common import ordered_regions


@dataclass(frozen=True)
class MatrixRow:
    severity: int
    """Levels below the handover level (0: at or above it)."""
    levels: list[Level]
    """The levels of the row (every level at or above the handover level in the first row; one level each
    below it)."""
    cells: list[list[Standing]]
    """By completeness band, in the order of `COMPLETENESS`; each in page order."""

    @property
    def total(self) -> int:
        return sum(len(c) for c in self.cells)


@dataclass(frozen=True)
class MatrixPage:
    round: Round
    rows: list[MatrixRow]
    bands: tuple[str, ...]
    complete: float
    """The coverage (a share) from which data is complete."""
    partial: float
    """The coverage from which data is partial (below: insufficient)."""
    total: int
    """Assessed districts and units: each is in one cell."""


def build(view: View, lang: str | None = None, order: list[str] | None = None) -> MatrixPage:
    situation = view.situation
    order = order if order is not None else ordered_regions(view, lang)
    place = {rid: i for i, rid in enumerate(order)}
    rank, handover = situation.rank, situation.handover
    levels = view.framework.levels
    rows = []
    for cells in situation.matrix():
        severity = cells[0].severity
        row_levels = (
            [lv for lv in reversed(levels) if rank[lv.id] >= handover]
            if severity == 0
            else [lv for lv in levels if rank[lv.id] == handover - severity]
        )
        rows.append(
            MatrixRow(
                severity,
                row_levels,
                [sorted(c.standings, key=lambda s: place.get(s.id, len(place))) for c in cells],
            )
        )
    complete, partial = situation.completeness_bands()
    return MatrixPage(situation.round, rows, COMPLETENESS, complete, partial, situation.total)
