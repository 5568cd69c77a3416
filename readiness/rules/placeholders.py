"""Placeholders: the text `readiness new-round` writes for a team to replace, left in a final round (A001)."""

from __future__ import annotations

from collections.abc import Iterator

from ..i18n import say
from ..model import PLACEHOLDERS
from .base import ERROR, Context, Problem, Rule, at


class Placeholder(Rule):
    """The placeholder text of `readiness new-round` (its narrative, risks and recommendations) still in an
    assessment of a final round, which publishes what it holds as written. While the round is being collected
    it is progress, not a finding.

    Fails, in assessments/2026-q3/north.yaml:

        narrative: What the team found, in a few sentences.

    Passes, in assessments/2026-q3/north.yaml:

        narrative: Posts are filled and vetted; response times fell below an hour in the towns.
    """

    code = "A001"
    name = "placeholder"
    severity = ERROR

    def check(self, ctx: Context) -> Iterator[Problem]:
        for key, assessment in ctx.assessments():
            if ctx.collecting(assessment.round):
                continue
            notes = [
                (("narrative",), assessment.narrative),
                *((("risks", i), n) for i, n in enumerate(assessment.risks)),
                *((("recommendations", i), n) for i, n in enumerate(assessment.recommendations)),
            ]
            for loc, note in notes:
                if note is not None and any(p in variant for p in PLACEHOLDERS for variant in _texts_of(note.text)):
                    yield at(
                        *key,
                        loc,
                        say("rule.A001.left"),
                        say("rule.A001.left_hint"),
                    )


def _texts_of(text: object) -> list[str]:
    translations = getattr(text, "translations", None)
    return list(translations.values()) if translations else [str(text)]
