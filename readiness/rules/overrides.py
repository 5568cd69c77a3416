"""Leadership overrides of a region's level: complete (V001) and in force (V002)."""

from __future__ import annotations

from collections.abc import Iterator

from ..i18n import say
from .base import ERROR, WARNING, Context, Problem, Rule, at


class OverrideIncomplete(Rule):
    """A leadership override without a `rationale`, an `approved_by` or an `expires` date: an override is shown
    to leadership only with all three.

    Fails, in assessments/2026-q3/north.yaml:

        override:
          level: ready
          rationale: Joint review of the northern command

    Passes, in assessments/2026-q3/north.yaml:

        override:
          level: ready
          rationale: Joint review of the northern command
          approved_by: Head of mission
          expires: 2026-12-31
          body: jtc
    """

    code = "V001"
    name = "override-incomplete"
    severity = ERROR

    def check(self, ctx: Context) -> Iterator[Problem]:
        for key, assessment in ctx.assessments():
            override = assessment.override
            if override is None:
                continue
            absent = [name for name in ("rationale", "approved_by", "expires") if getattr(override, name) in (None, "")]
            if absent:
                yield at(
                    *key,
                    ("override",),
                    say("rule.V001.lacks", missing=", ".join(absent)),
                    say("rule.V001.lacks_hint"),
                    key_of=True,
                )


class OverrideExpired(Rule):
    """A leadership override that expired before its round's cut-off date: it is ignored, and the computed
    level stands.

    Fails, in assessments/2026-q3/north.yaml (the round's cut-off is 2026-09-30):

        override:
          level: ready
          rationale: Joint review of the northern command
          approved_by: Head of mission
          expires: 2026-06-30

    Passes, in assessments/2026-q3/north.yaml:

        override:
          level: ready
          rationale: Joint review of the northern command
          approved_by: Head of mission
          expires: 2026-12-31
          body: jtc
    """

    code = "V002"
    name = "override-expired"
    severity = WARNING

    def check(self, ctx: Context) -> Iterator[Problem]:
        for key, assessment in ctx.assessments():
            override, cutoff = assessment.override, ctx.cutoff(assessment.round)
            if (
                override is not None
                and override.expires is not None
                and cutoff is not None
                and override.expires < cutoff
            ):
                yield at(
                    *key,
                    ("override", "expires"),
                    say("rule.V002.expired", expires=override.expires, cutoff=cutoff),
                    say("rule.V002.expired_hint"),
                )
