"""The gates: each states the highest level a region may have, and why; the region's level is the lowest that
any capping gate allows, then a sustained region is promoted, then a leadership override sets the level. One
module per gate, each with its scalar and vectorised form and what its effect says (see base.py); the engine and
the Monte Carlo loop over these lists, and every reader of a gate's effect finds the gate in `GATES`."""

from .base import NO_LEVEL, Gate, GateContext, Held, SampleContext, details
from .critical_floor import CriticalFloor
from .evidence import Evidence
from .override import Override
from .pillar_floor import PillarFloor
from .prerequisites import Prerequisites
from .roll_up import RollUp
from .sign_off import SignOff
from .stability import Stability, Sustained

#: The capping gates, in the order they are reported.
CAPPING: tuple[Gate, ...] = (CriticalFloor(), Prerequisites(), PillarFloor(), Evidence(), Stability(), SignOff())
SUSTAINED = Sustained()
OVERRIDE = Override()
ROLL_UP = RollUp()

#: Every gate whose effect results carry, by its key (the sustained promotion is reported under `stability`).
GATES: dict[str, Gate] = {g.key: g for g in (*CAPPING, OVERRIDE, ROLL_UP)}

__all__ = [
    "CAPPING",
    "GATES",
    "NO_LEVEL",
    "OVERRIDE",
    "ROLL_UP",
    "SUSTAINED",
    "Gate",
    "GateContext",
    "Held",
    "SampleContext",
    "details",
]
