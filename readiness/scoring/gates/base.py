"""What a gate is: one rule that says the highest level a region may have, and why.

Each gate is one class in one module, with a scalar form (`evaluate`: the engine, one region and round) and
either a vectorised form (`vector`: the Monte Carlo, every sample of a region at once) or the declaration
that sampling cannot move it (`sampled = False`: the Monte Carlo then applies what `evaluate` gave). The
engine and the Monte Carlo both loop over `CAPPING` (in `__init__.py`), so a gate is defined once.

A gate also owns what its effect says: the shape of its details (`Details`, a TypedDict from which
results.json's schema is generated), the items it names as holding a region back (`holding`: the situation's
blockers), its few words in the console's table (`brief`) and its sentence in the explainer (`reason`). Every
reader looks the gate up in `GATES` by its key, so a new gate is one module again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import ConfigDict, with_config

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

#: Marks a gate's TypedDict of details: results.json's schema describes each of its keys with the docstring
#: written under it.
details = with_config(ConfigDict(use_attribute_docstrings=True))


@dataclass(frozen=True)
class Held:
    """One item a gate names as holding a region back: an indicator, a party, a pillar (None when the gate has
    no item, such as a fall in the score), its level where it has one, and what the gate says of it."""

    subject: str | None = None
    level: str | None = None
    detail: dict[str, Any] | None = None


class Gate:
    """One gate: its key in the framework's `gates:` and its two forms."""

    #: The gate's key in `gates:` and in results (`critical_floor`, `evidence`...).
    key: ClassVar[str]
    #: Whether sampling (weights, aggregation, observation error) can move what the gate allows.
    sampled: ClassVar[bool] = True
    #: Whether its effect caps the level from what the indicators show (False: it sets the level from elsewhere,
    #: a leadership override or the children of a region rolled up; such an effect names no blocker).
    caps: ClassVar[bool] = True

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

    # ---------------------------------------------------------------- what its effect says

    #: The shape of the gate's `details` in results: a TypedDict, or a union of TypedDicts told apart by their
    #: `kind`. results.json's schema is generated from it (`contract.results_schema`); a test holds every effect to it.
    Details: ClassVar[Any] = dict[str, Any]

    def holding(self, details: Mapping[str, Any], rank: Mapping[str, int]) -> list[Held]:
        """The items the gate names as holding the region back, in the order leadership reads them (`rank`: a
        level's place in the framework's order); none: the gate holds the region back as a whole."""
        return []

    def brief(self, effect: GateEffect, tr: Any, labels: Mapping[str, str]) -> str:
        """What made the gate bite, in a few ids, for the console's table (`tr`: the table's translator,
        `labels`: level labels)."""
        return ""

    def reason(self, effect: GateEffect, ex: Any) -> Any:
        """Why the gate bit, in a sentence of the explainer's catalogue (`ex`: a readiness.explain.Explainer),
        or None to say only the gate's name."""
        return None
