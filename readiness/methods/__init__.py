"""The methods a framework chooses from, in registries: normalisation (how a raw value becomes a score),
aggregation (how a node of the pillar tree combines its children) and rounding (how reported scores are
rounded). One class per member, in one module each; importing this package registers them all. The schema
(`model.py`), the checks, the engine, the Monte Carlo and the site read the registries, so adding a member is
adding one module (and its tests).
"""

from . import aggregation, normalisation, rounding  # noqa: E402,F401 - registers the members
from .base import (
    AGGREGATIONS,
    NORMALISATIONS,
    ROUNDINGS,
    Aggregation,
    Normalisation,
    ParameterProblem,
    Rounding,
    on_register,
    register,
    unregister,
)

__all__ = [
    "AGGREGATIONS",
    "NORMALISATIONS",
    "ROUNDINGS",
    "Aggregation",
    "Normalisation",
    "ParameterProblem",
    "Rounding",
    "on_register",
    "register",
    "unregister",
]
