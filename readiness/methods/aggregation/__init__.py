"""The aggregation methods, one module each; importing the package registers them."""

from . import arithmetic, geometric, minimum  # noqa: F401 - registered on import
