"""Goalposts: the share of the way from the worst to the best value, capped at both ends; optionally on the
logarithms of the values (for quantities whose effect saturates, as the HDI treats income)."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from ...fields import Bool, Model, Number
from ..base import Normalisation, ParameterProblem, register

if TYPE_CHECKING:
    import numpy as np

    from ...model import Indicator, Scale


class GoalpostsScoring(Model):
    """`method: goalposts`: the score runs from the scale's minimum at `worst` to its maximum at `best`."""

    method: Literal["goalposts"]
    worst: Number
    best: Number
    log: Bool = False
    """Take the natural logarithm of the value and both goalposts."""


@register
class Goalposts(Normalisation):
    name = "goalposts"
    Params = GoalpostsScoring

    def check(self, ind: Indicator) -> Iterator[ParameterProblem]:
        yield from super().check(ind)
        s: Any = ind.scoring
        if s.worst == s.best:
            yield ParameterProblem(
                "I002",
                ("scoring", "best"),
                f"{ind.id}: goalposts worst and best are both {s.best}",
                "the best value must differ from the worst, or no value can be scored",
            )
        elif (s.best > s.worst) != (ind.direction == "higher"):
            yield ParameterProblem(
                "I002",
                ("scoring", "best"),
                f"{ind.id} is {ind.direction}-is-better, but its goalposts run from {s.worst} (worst) to "
                f"{s.best} (best)",
                "swap worst and best, or correct the direction",
            )
        if s.log and (s.worst <= 0 or s.best <= 0):
            yield ParameterProblem("I005", ("scoring", "log"), f"{ind.id}: a log transform needs positive goalposts")

    def scorer(self, ind: Indicator, scale: Scale) -> Callable[[Decimal | bool], float]:
        s: Any = ind.scoring
        low, span = float(scale.min), float(scale.max) - float(scale.min)
        worst, best = float(s.worst), float(s.best)
        if s.log:
            # values beyond the goalposts are capped first, so the logarithm is always defined
            floor, ceiling = min(worst, best), max(worst, best)
            log_worst, log_best = math.log(worst), math.log(best)
            log_width = log_best - log_worst
            return lambda value: (
                low
                + span * min(1.0, max(0.0, (math.log(min(max(float(value), floor), ceiling)) - log_worst) / log_width))
            )
        width = best - worst
        return lambda value: low + span * min(1.0, max(0.0, (float(value) - worst) / width))

    def vector(self, ind: Indicator, scale: Scale) -> Callable[[np.ndarray], np.ndarray]:
        import numpy as np

        s: Any = ind.scoring
        low, width = float(scale.min), float(scale.max) - float(scale.min)
        worst, best = float(s.worst), float(s.best)

        log = np.frompyfunc(math.log, 1, 1)  # the engine's own logarithm (numpy's may differ in the last bit)

        def score(v: np.ndarray) -> np.ndarray:
            lo, hi = worst, best
            if s.log:
                clipped = np.clip(v, min(worst, best), max(worst, best))
                v = np.where(np.isnan(clipped), np.nan, log(np.nan_to_num(clipped, nan=1.0)).astype(float))
                lo, hi = math.log(worst), math.log(best)
            return low + width * np.clip((v - lo) / (hi - lo), 0.0, 1.0)

        return score

    def span(self, ind: Indicator) -> float:
        s: Any = ind.scoring
        return abs(float(s.best) - float(s.worst))

    def describe(self, ind: Indicator) -> tuple[str, dict[str, Any]]:
        s: Any = ind.scoring
        return ("indicator.goalposts_log" if s.log else "indicator.goalposts"), {"worst": s.worst, "best": s.best}
