"""The aggregation methods, one module each; importing the package registers them."""

from . import arithmetic, geometric, minimum, ratio  # noqa: F401 - registered on import
