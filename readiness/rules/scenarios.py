"""Scenarios: a what-if changes regions that its round assessed (C001); its file name makes a safe page path
(C002)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from ..i18n import say
from .base import ERROR, Context, Problem, Rule, at, in_file


class ScenarioNotApplicable(Rule):
    """A scenario that changes a region without an assessment in the scenario's round (its `round:`, or the
    latest round): there is no observation to change.

    Fails, as scenarios/radios.yaml (the country is not assessed, its provinces are):

        name: Radios for the whole country
        round: 2026-q3
        changes:
          - region: lomara
            indicator: LO-01
            value: 12

    Passes, as scenarios/radios.yaml:

        name: Radios for the northern province
        round: 2026-q3
        changes:
          - region: north
            indicator: LO-01
            value: 12
    """

    code = "C001"
    name = "scenario-not-applicable"
    severity = ERROR

    def check(self, ctx: Context) -> Iterator[Problem]:
        project = ctx.project
        latest = max(project.rounds.values(), key=lambda rd: (rd.date, rd.id)).id if project.rounds else None
        for name, scenario in project.scenarios.items():
            round_id = scenario.round if scenario.round is not None else latest
            for i, change in enumerate(scenario.changes):
                if (
                    round_id in project.rounds
                    and change.region in project.regions
                    and (round_id, change.region) not in project.assessments
                ):
                    yield at(
                        "scenario",
                        name,
                        ("changes", i, "region"),
                        say("rule.C001.not_assessed", region=change.region, round=round_id),
                        say("rule.C001.not_assessed_hint"),
                    )


#: What a scenario's file name (without `.yaml`) may be: it becomes the scenario's name on the command line
#: (`--scenario NAME`) and the path of its page (`scenarios/NAME.md`, then `.html`).
SAFE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]*")
_SAFE_CHAR = re.compile(r"[A-Za-z0-9_-]")
#: Names the site's pages of scenarios use themselves.
RESERVED_NAMES = ("index",)


def safe_name(stem: str) -> str:
    """A name of the safe set close to `stem`: accents dropped, every other character a hyphen."""
    ascii_only = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    name = re.sub(r"[^A-Za-z0-9_]+", "-", ascii_only).strip("-").lower()
    return name if name and name not in RESERVED_NAMES else f"scenario-{name}".rstrip("-")


def _shown(char: str) -> str:
    """A character as a message names it: quoted, with its code point when it is not ASCII."""
    return repr(char) if char.isascii() else f"{char!r} (U+{ord(char):04X})"


class ScenarioFileName(Rule):
    """A scenario file whose name (without `.yaml`) is not made of ASCII letters, digits, `-` and `_`, starts
    with `-` or `.`, or is `index`: the name becomes the scenario's page on the site (`scenarios/NAME.html`) and
    its name on the command line (`readiness score --scenario NAME`), where spaces, `#`, `?`, `%`, quotes or
    look-alike letters break links or mislead. Two scenario files whose names differ only by case or by
    ending (`radios.yaml`, `Radios.yml`), or that sit in two subfolders, would be one scenario and one page
    (one replacing the other, on a disk that ignores case such as a USB stick too): the second is reported,
    naming the first.

    Fails, as scenarios/radios#north.yaml:

        name: Radios for the northern province
        round: 2026-q3
        changes:
          - region: north
            indicator: LO-01
            value: 12

    Passes, as scenarios/radios-north.yaml:

        name: Radios for the northern province
        round: 2026-q3
        changes:
          - region: north
            indicator: LO-01
            value: 12
    """

    code = "C002"
    name = "scenario-file-name"
    severity = ERROR
    needs_framework = False

    def check(self, ctx: Context) -> Iterator[Problem]:
        seen: dict[str, str] = {}
        for path in ctx.project.files:
            if not path.startswith("scenarios/"):
                continue
            file_name = path.rsplit("/", 1)[-1]
            stem = file_name.rsplit(".", 1)[0]
            if stem.lower() in RESERVED_NAMES:
                reason = say("rule.C002.reserved", name=repr(stem))
            elif not stem or stem[0] in ".-":
                reason = say("rule.C002.leading", name=repr(file_name), first=repr(file_name[0]))
            else:
                odd = ", ".join(_shown(c) for c in dict.fromkeys(stem) if not _SAFE_CHAR.fullmatch(c))
                reason = say("rule.C002.odd_characters", name=repr(stem), characters=odd) if odd else ""
            if reason:
                yield in_file(
                    path,
                    (1, 1),
                    reason,
                    say("rule.C002.rename_hint", name=safe_name(stem)),
                )
            folded = stem.casefold()
            if folded in seen:
                yield in_file(
                    path,
                    (1, 1),
                    say("rule.C002.same_page", name=repr(stem), first=seen[folded]),
                    say("rule.C002.same_page_hint"),
                )
            else:
                seen[folded] = path
