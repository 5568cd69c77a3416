"""The rules page: every rule of `readiness check`, with what it catches, how to fix it and its examples, as the
rules document themselves (`readiness.rules.reference_markdown`). Written in English only."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class RulesPage:
    markdown: str
    """The reference, Markdown from the rules' own docstrings (English)."""


def build() -> RulesPage:
    from ..rules import reference_markdown

    return RulesPage(reference_markdown())
