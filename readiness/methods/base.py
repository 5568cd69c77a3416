"""What every scoring method, aggregation and rounding mode provides, and the registries that hold them.

A member is one class in one module: its name (what a framework writes: `method: goalposts`,
`aggregation: geometric`, `rounding: {mode: half-even}`), its parameters (a model, part of the schema), its
checks, its scalar form (the engine) and its vectorised form (the Monte Carlo), and what the site says of it.
`register` adds a member; the schema of indicators and frameworks is rebuilt from the registries, so a new
member is usable as soon as it is registered (see tests/test_methods.py for one added in a test).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

if TYPE_CHECKING:  # numpy is imported only where the Monte Carlo runs (check and score do without it)
    import numpy as np

    from ..model import Indicator, Scale


@dataclass(frozen=True)
class ParameterProblem:
    """Something wrong with a method's parameters for one indicator: the rule code (I002 goalposts, I005
    scoring method), where in the indicator file, what and how to fix it."""

    code: str
    loc: tuple[str | int, ...]
    message: str
    hint: str = ""
    key_of: bool = False


class Normalisation(ABC):
    """A way to turn an indicator's raw value into a score on the framework's scale."""

    #: The value of `scoring.method` that chooses it.
    name: ClassVar[str]
    #: Its parameters: a model with `method: Literal[name]` and whatever else it needs.
    Params: ClassVar[type]
    #: The indicator units it works with (None: any).
    units: ClassVar[tuple[str, ...] | None] = None

    def check(self, ind: Indicator) -> Iterator[ParameterProblem]:
        """Problems with the parameters for this indicator (beyond what the schema refuses)."""
        if self.units is not None and ind.unit not in self.units:
            yield ParameterProblem(
                "I005",
                ("unit",),
                f"{ind.id}: {self.name} scoring needs unit "
                f"{' or '.join(f'`{u}`' for u in self.units)}, not {ind.unit!r}",
            )

    @abstractmethod
    def scorer(self, ind: Indicator, scale: Scale) -> Callable[[Decimal | bool], float]:
        """The score of one raw value, at full precision (the engine)."""

    @abstractmethod
    def vector(self, ind: Indicator, scale: Scale) -> Callable[[np.ndarray], np.ndarray]:
        """The score of an array of raw values, nan where there is none (the Monte Carlo)."""

    def span(self, ind: Indicator) -> float:
        """The width of the scoring range in the indicator's unit: the yardstick of observation noise (0: no
        noise, e.g. yes/no)."""
        return 0.0

    #: What the site says of the method, by language, when the catalogues have no `indicator.<name>` label
    #: (a method added outside the tool): `{"en": "a step at {at}", "fr": "un palier à {at}"}`.
    labels: ClassVar[dict[str, str]] = {}

    def describe(self, ind: Indicator) -> tuple[str, dict[str, Any]]:
        """What the site says of the method: a catalogue key (`indicator.<name>`) and its values (numbers as
        numbers, texts as translatable texts); the page formats them in its language."""
        return f"indicator.{self.name.replace('-', '_')}", {}


class Aggregation(ABC):
    """A way to combine the scores of a node's children (weighted) into the node's score."""

    name: ClassVar[str]
    #: Whether the children's order matters (the order the pillar lists them, not their ids').
    ordered: ClassVar[bool] = False
    #: Whether the node has no score unless every child has one (otherwise missing children are skipped).
    needs_all: ClassVar[bool] = False
    #: How many children the node must have (None: any number); with fewer scored, the node has no score.
    arity: ClassVar[int | None] = None

    @abstractmethod
    def combine(self, parts: list[tuple[float, float]], low: float, high: float) -> float:
        """(score, weight) pairs, every score present, on the scale low..high."""

    @abstractmethod
    def vector(self, values: np.ndarray, weights: np.ndarray, low: float, high: float) -> np.ndarray:
        """Each row of `values` (S, C) combined with its `weights`, nan where a child has no score (it is
        skipped, and its weight with it); a row with no score at all gives nan."""


class Rounding(ABC):
    """How reported scores are rounded (levels compare the rounded value)."""

    name: ClassVar[str]
    #: The `decimal` module's rounding constant.
    decimal: ClassVar[str]
    #: Where, between two whole units, a value changes the way it rounds (0.5 for half-up; 0 for up and down):
    #: the Monte Carlo rounds values this close to it in decimals, as the engine does.
    boundary: ClassVar[float] = 0.5

    @abstractmethod
    def units(self, scaled: np.ndarray) -> np.ndarray:
        """Scores already multiplied by 10**digits, rounded to whole units (vectorised, for the Monte Carlo)."""


M = TypeVar("M", Normalisation, Aggregation, Rounding)

NORMALISATIONS: dict[str, Normalisation] = {}
AGGREGATIONS: dict[str, Aggregation] = {}
ROUNDINGS: dict[str, Rounding] = {}
_REGISTRIES: dict[type, dict[str, Any]] = {
    Normalisation: NORMALISATIONS,
    Aggregation: AGGREGATIONS,
    Rounding: ROUNDINGS,
}
_LISTENERS: list[Callable[[], None]] = []


def register(cls: type[M]) -> type[M]:
    """Add a member to its registry (a class decorator); the models built from the registries are rebuilt."""
    for base, registry in _REGISTRIES.items():
        if issubclass(cls, base):
            registry[cls.name] = cls()
            for listener in _LISTENERS:
                listener()
            return cls
    raise TypeError(f"{cls.__name__} is not a normalisation, an aggregation or a rounding mode")


def unregister(cls: type) -> None:
    """Take a member out of its registry again (a test that added one cleans up after itself)."""
    for base, registry in _REGISTRIES.items():
        name = getattr(cls, "name", None)
        if issubclass(cls, base) and name in registry and type(registry[name]) is cls:
            del registry[name]
            for listener in _LISTENERS:
                listener()


def on_register(listener: Callable[[], None]) -> None:
    """Call `listener` whenever a member is registered (the model rebuilds its schema)."""
    _LISTENERS.append(listener)
