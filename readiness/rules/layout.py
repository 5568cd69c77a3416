"""The project's layout: required files and where each file belongs (P001, P002).

Both are raised while the project's files are found (project.py, loading.py); the checks here add what only
the linked project shows: a page of site/ that cannot be read, an assessment filed under a name that is no id.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..i18n import say
from .base import ERROR, WARNING, Context, Problem, Rule, at, in_file
from .site import site_pages


class ProjectLayout(Rule):
    """The folder is not a readiness project, or something it needs is missing or cannot be read:
    `indicators/framework.yaml`, `assessments/regions.yaml` or `assessments/rounds.yaml` is missing; a folder
    is named like a YAML file; a link leaves the project, leads nowhere or loops; a path is a pipe or a device;
    a file or a page of site/ cannot be read or is larger than 8 MB.

    No example: the trigger is a missing file, a folder named like a file, a link or an unreadable file, not
    something written in a file.
    """

    code = "P001"
    name = "project-layout"
    severity = ERROR
    raised_in = "project.py, loading.py"
    needs_framework = False

    def check(self, ctx: Context) -> Iterator[Problem]:
        for page in ctx.shared(site_pages):
            if page.text is None:
                yield in_file(page.shown, (1, 1), page.unreadable, page.hint)


class UnexpectedFile(Rule):
    """A file in `indicators/` or `assessments/` that the project does not read, so what it holds counts for
    nothing: a YAML file directly in `assessments/` other than regions.yaml and rounds.yaml, an upper-case
    `.YAML` ending, or an assessment filed under a name that is neither its region's nor its round's id.

    Fails, as assessments/notes.yaml:

        visits:
          - {region: north, date: 2026-09-12, by: J. Okoro}

    Passes, as notes/visits.yaml:

        visits:
          - {region: north, date: 2026-09-12, by: J. Okoro}
    """

    code = "P002"
    name = "unexpected-file"
    severity = WARNING
    raised_in = "project.py"

    def check(self, ctx: Context) -> Iterator[Problem]:
        project = ctx.project
        for key, assessment in ctx.assessments():
            path, folder, stem = ctx.filed(key)
            region_id, round_id = assessment.region, assessment.round
            if (
                region_id in project.regions
                and round_id in project.rounds
                and (
                    (stem != region_id and stem not in project.regions)
                    or (folder != round_id and folder not in project.rounds)
                )
            ):  # a name that is no id at all
                yield at(
                    *key,
                    ("region",),
                    say("rule.P002.filed_as", region=region_id, round=round_id, path=path),
                    say("rule.P002.filed_as_hint", region=region_id, round=round_id),
                )
