"""Authoring: the commands of an assessment team's round (init, new-round, import, export)."""
