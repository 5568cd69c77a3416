"""What a gate is: one rule that says the highest level a region may have, and why.

Each gate is one class in one module, with a scalar form (`evaluate`: the engine, one region and round) and
either a vectorised form (`vector`: the Monte Carlo, every sample of a region at once) or the declaration
that sampling cannot move it (`sampled = False`: the Monte Carlo then applies what `evaluate` gave). The
engine and the Monte Carlo both loop over `CAPPING` (in `__init__.py`), so a gate is defined once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from ...model import Assessment, Framework
from ..results import GateEffect, IndicatorResult, PillarResult, RegionRound

if TYPE_CHECKING:
    import numpy as np


@dataclass
class GateContext:
    """One region in one round, as the engine scored it, for the scalar form of the gates."""

    framework: Framework
    order: dict[str, int]
    indicators: dict[str, IndicatorResult]
    pillars: dict[str, PillarResult]
    coverage: float
    rounded: Decimal | None
    uncapped_level: str | None
    score_level: str | None
    assessment: Assessment
    round_date: date
    history: list[RegionRound] = field(default_factory=list)
    """Earlier rounds of the same region, oldest first."""
    handover: str | None = None
    """The decision that handed the whole region over, in effect during this round (None: not handed over)."""
    since_handover: list[RegionRound] = field(default_factory=list)
    """The earlier rounds after the one that handover relied on, oldest first."""


@dataclass
class SampleContext:
    """One region's samples, as the Monte Carlo computed them, for the vectorised form of the gates. Levels are
    indices into the framework's levels (NO_LEVEL where there is none); scores are in rounding units."""

    framework: Framework
    order: dict[str, int]
    levels: np.ndarray
    """(S, K) each indicator's level after prerequisite caps, in the Monte Carlo's indicator order."""
    critical: np.ndarray
    """(K,) which indicators are critical."""
    applicable: np.ndarray
    """(K,) which indicators apply to the region."""
    observed: np.ndarray
    """(K,) which indicators have a value."""
    missing_critical: bool
    score_level: np.ndarray
    """(S,) the level the rounded score alone gives."""
    units: np.ndarray
    """(S,) the rounded overall score, in rounding units."""
    node_units: np.ndarray
    """(S, N') the rounded score of every pillar with data, in rounding units."""
    unit: int
    """10 ** digits of the framework's rounding."""
    history_scores: list[int]
    history_falls: bool
    """Whether the stability gate bites whatever this round's samples: a fall among earlier rounds, or a track
    record too short."""
    sustained_ok: bool
    tolerance_units: int = 0
    """The stability gate's tolerance, in rounding units."""
    previous_levels: np.ndarray | None = None
    """(K,) each indicator's level in the previous round (NO_LEVEL where none), when `critical_drop` is on."""
    extra: dict[str, Any] = field(default_factory=dict)


NO_LEVEL = -1


class Gate:
    """One gate: its key in the framework's `gates:` and its two forms."""

    #: The gate's key in `gates:` and in results (`critical_floor`, `evidence`...).
    key: ClassVar[str]
    #: Whether sampling (weights, aggregation, observation error) can move what the gate allows.
    sampled: ClassVar[bool] = True

    def settings(self, framework: Framework) -> Any:
        """The gate's settings in the framework, or None when it is off."""
        gate = getattr(framework.gates, self.key)
        return gate if gate is not None and gate.enabled else None

    def evaluate(self, ctx: GateContext) -> GateEffect | None:
        """What the gate allows this region in this round, and why; None when it does not restrict."""
        return None

    def vector(self, ctx: SampleContext, level: np.ndarray) -> np.ndarray:
        """`level` (S,) lowered to what the gate allows in each sample."""
        return level
