"""The normalisation methods, one module each; importing the package registers them."""

from . import bands, goalposts, rubric, scale, yes_no  # noqa: F401 - registered on import
