"""The rules of `readiness check`: one module per rule or small family, and the one catalogue of them all.

    from readiness import rules
    rules.ALL                  # every rule, in the order of the README's table
    rules.BY_CODE["I001"]      # one rule: code, name, severity, summary, fix, docstring with examples
    rules.run(project)         # the diagnostics of every rule checked over a linked project
    rules.catalogue_markdown() # the README's table of rule codes
    rules.reference_markdown() # a page of every rule with its fix and examples

`readiness.findings` (the output formats) reads `RULES` here. See README.md beside this file.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from types import ModuleType
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic
from ..diagnostics import Rule as Entry
from . import catalogue as _catalogue
from . import (
    dates,
    evidence,
    filing,
    handover,
    ids,
    joint,
    layout,
    lookalikes,
    observations,
    overrides,
    placeholders,
    prerequisites,
    public_text,
    quality,
    references,
    regions,
    scenarios,
    schema,
    scoring_methods,
    sealed,
    site,
    syntax,
    thresholds,
    translations,
    values,
    weights,
)
from . import runner as _runner
from .base import Rule

if TYPE_CHECKING:
    from ..project import Project
    from ..scoring.results import Results

MODULES: tuple[ModuleType, ...] = (
    layout,
    syntax,
    schema,
    dates,
    ids,
    references,
    prerequisites,
    regions,
    lookalikes,
    thresholds,
    weights,
    scoring_methods,
    translations,
    values,
    observations,
    filing,
    evidence,
    quality,
    placeholders,
    sealed,
    public_text,
    overrides,
    handover,
    joint,
    scenarios,
    site,
)

#: The families in the order of the catalogue: project layout, YAML, schema, references, indicators, geography
#: (regions), observations, evidence, data quality (Q), assessments, overrides (V), the handover register and
#: sign-off workflow (H), the joint assessment (J), scenarios (C), the site's sources (M).
FAMILIES = "PYSRIGOEQAVHJCM"


def _collect() -> tuple[Rule, ...]:
    found = [
        obj()
        for module in MODULES
        for obj in vars(module).values()
        if isinstance(obj, type) and issubclass(obj, Rule) and obj is not Rule and obj.__module__ == module.__name__
    ]
    return tuple(sorted(found, key=lambda r: (FAMILIES.index(r.code[0]), r.code)))


#: Every rule, in the order of the README's table.
ALL: tuple[Rule, ...] = _collect()
BY_CODE: dict[str, Rule] = {r.code: r for r in ALL}
assert len(BY_CODE) == len(ALL), "two rules share a code"

#: Every rule as the output formats see it (code, name, severity, summary, fix); `readiness.findings` reads it.
RULES: dict[str, Entry] = {r.code: r.entry() for r in ALL}


def run(
    project: Project,
    today: date | None = None,
    scorer: Callable[[Project], Results | None] | None = None,
    workers: int = 1,
) -> list[Diagnostic]:
    """The diagnostics of every rule checked over a linked project; `today` bounds evidence dates; `scorer`
    scores the project for the rules that read results (they are skipped without it); with `workers` > 1 the
    rules that run `apart` are checked in a forked child meanwhile (readiness.rules.runner)."""
    return _runner.run(project, ALL, today, scorer, workers)


def catalogue_markdown() -> str:
    """The README's "Rule codes" table."""
    return _catalogue.catalogue_markdown(ALL)


def reference_markdown(lang: str = "en") -> str:
    """A Markdown page of every rule, its fix and its examples, for the site."""
    return _catalogue.reference_markdown(ALL, lang)


__all__ = ["ALL", "BY_CODE", "FAMILIES", "MODULES", "RULES", "Rule", "catalogue_markdown", "reference_markdown", "run"]
