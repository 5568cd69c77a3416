"""Assessment files: one per region and round (O005, raised in project.py), filed where its `region:` and
`round:` say (O006)."""

from __future__ import annotations

from collections.abc import Iterator

from ..i18n import say
from .base import ERROR, Context, Problem, Rule, at


class AssessmentDuplicate(Rule):
    """Two assessment files for the same region and round: the one filed under the region's name is read, the
    other is reported (most often a file copied for another region whose `region:` was not changed).

    Fails, in assessments/2026-q3/north.yaml:

        region: south

    Passes, in assessments/2026-q3/north.yaml:

        region: north
    """

    code = "O005"
    name = "assessment-duplicate"
    severity = ERROR
    raised_in = "project.py"


class AssessmentMisfiled(Rule):
    """An assessment whose `region:` or `round:` names another region or round than its file's name or folder
    does, both being ids of the project: a file copied from another region or round, whose values would be
    read as that other region's.

    Fails, in assessments/2026-q3/north.yaml:

        region: lomara

    Passes, in assessments/2026-q3/north.yaml:

        region: north
    """

    code = "O006"
    name = "assessment-misfiled"
    severity = ERROR

    def check(self, ctx: Context) -> Iterator[Problem]:
        project = ctx.project
        for key, assessment in ctx.assessments():
            path, folder, stem = ctx.filed(key)
            for field, value, named, known in (
                ("region", assessment.region, stem, project.regions),
                ("round", assessment.round, folder, project.rounds),
            ):
                if value in known and named != value and named in known:
                    yield at(
                        *key,
                        (field,),
                        say("rule.O006.misfiled", path=path, field=field, value=value),
                        say(f"rule.O006.misfiled_hint.{field}", named=named, target=_filed_as(path, field, value)),
                    )


def _filed_as(path: str, field: str, value: str) -> str:
    parts = path.split("/")
    if field == "region":
        parts[-1] = value + "." + parts[-1].rsplit(".", 1)[-1]
    else:
        parts[1] = value
    return "/".join(parts)
