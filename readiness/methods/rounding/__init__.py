"""The rounding modes, one module each; importing the package registers them."""

from . import down, half_even, half_up, up  # noqa: F401 - registered on import
