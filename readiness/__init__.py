"""readiness: region-by-region readiness of host-state police to take over primary responsibility for
public safety, checked from YAML, scored through explicit gates, and published as a static site."""

__version__ = "0.1.0"
