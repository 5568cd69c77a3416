"""The gates: each states the highest level a region may have, and why; the region's level is the lowest that
any capping gate allows, then a sustained region is promoted, then a leadership override sets the level. One
module per gate, each with its scalar and vectorised form (see base.py); the engine and the Monte Carlo loop
over these lists."""

from .base import NO_LEVEL, Gate, GateContext, SampleContext
from .critical_floor import CriticalFloor
from .evidence import Evidence
from .override import Override
from .pillar_floor import PillarFloor
from .prerequisites import Prerequisites
from .sign_off import SignOff
from .stability import Stability, Sustained

#: The capping gates, in the order they are reported.
CAPPING: tuple[Gate, ...] = (CriticalFloor(), Prerequisites(), PillarFloor(), Evidence(), Stability(), SignOff())
SUSTAINED = Sustained()
OVERRIDE = Override()

__all__ = ["CAPPING", "NO_LEVEL", "OVERRIDE", "SUSTAINED", "Gate", "GateContext", "SampleContext"]
