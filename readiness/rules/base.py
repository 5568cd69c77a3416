"""What every rule module uses: the `Rule` base class, the `Problem` a check yields and the `Context` it reads.

A rule is a class: its attributes say what it is (code, name, severity, summary, fix), its docstring says what
it catches, with a failing and a passing example (see README.md beside this file for the format), and, when
`readiness check` looks for it in a linked project, its `check` method yields problems. A problem says where and
what, never which rule: the runner stamps the code and the default severity of the rule that yielded it.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, ClassVar, Literal, TypeVar

from ..diagnostics import Rule as Entry
from ..diagnostics import Severity
from ..i18n import say
from ..loading import Loc
from ..model import ValueProblem, value_reader

if TYPE_CHECKING:
    from ..model import Assessment, Framework, Indicator, Observation, Pillar
    from ..project import Project
    from ..scoring.results import Results

ERROR, WARNING = Severity.ERROR, Severity.WARNING
T = TypeVar("T")


@dataclass(frozen=True)
class Problem:
    """One finding of a check: where (an object and a location inside it, or a file and a position) and what.

    `kind`/`key`/`loc` name a place in a linked object (`project.where` turns it into file and position;
    `key_of` points at the key instead of its value); `file`/`position` name a file directly, for what is not
    an object of the project (a page of site/)."""

    message: str
    hint: str = ""
    kind: str = ""
    key: str = ""
    loc: Loc = ()
    key_of: bool = False
    file: str | None = None
    position: tuple[int, int] = (1, 1)


def at(kind: str, key: str, loc: Loc, message: str, hint: str = "", *, key_of: bool = False) -> Problem:
    """A problem at `loc` inside the object `kind`/`key` ("indicator", "HR-01", ("thresholds", "all"))."""
    return Problem(message, hint, kind, key, loc, key_of)


def in_file(file: str, position: tuple[int, int], message: str, hint: str = "") -> Problem:
    """A problem at a line and column of a file (relative to the project)."""
    return Problem(message, hint, file=file, position=position)


@dataclass(frozen=True)
class Example:
    """A snippet from a rule's docstring: `verdict` says whether the rule must report it; `how` whether it is the
    whole `path` ("as") or keys laid over the file of the test corpus's base project ("in")."""

    verdict: Literal["fails", "passes"]
    how: Literal["as", "in"]
    path: str
    text: str
    note: str = ""
    """What the header adds in brackets: what the snippet relies on in the rest of the project."""

    @property
    def language(self) -> str:
        """The language of the snippet, for a Markdown code block."""
        suffix = self.path.rsplit(".", 1)[-1].lower()
        return {"yaml": "yaml", "yml": "yaml", "md": "markdown", "css": "css", "html": "html", "svg": "xml"}.get(
            suffix, "text"
        )


_EXAMPLE = re.compile(r"^(Fails|Passes), (as|in) (\S+)(?: \(([^)]*)\))?:$")
_NO_EXAMPLE = "No example:"


class _Said:
    """A rule's words, read from the catalogue (readiness/i18n/*/rules.yaml) in the language in use."""

    def __init__(self, part: str) -> None:
        self.part = part

    def __get__(self, obj: object, owner: type[Rule]) -> str:
        return say(f"rule.{owner.code}.{self.part}", **owner.fields())


class Rule:
    """A rule of `readiness check`. Subclasses set the class attributes and, if the rule is checked over the
    linked project, override `check`."""

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]
    summary: ClassVar[str] = _Said("summary")  # type: ignore[assignment]
    """One sentence: the README's table and SARIF's short description (`rule.<code>.summary` in the catalogue,
    in the language in use)."""
    fix: ClassVar[str] = _Said("fix")  # type: ignore[assignment]
    """How to fix it, in Markdown (backticks for code); SARIF viewers show it as the rule's help
    (`rule.<code>.fix`)."""
    raised_in: ClassVar[str] = ""
    """The stage that also raises the code while loading or linking ("loading.py"), if any."""
    needs_framework: ClassVar[bool] = True
    """The check runs only when the framework could be read (most compare against it)."""
    needs_results: ClassVar[bool] = False
    """The check reads the scored project (`ctx.results()`): it runs after the others, only when they found no
    error."""
    apart: ClassVar[bool] = False
    """The check reads the project on its own (no value or page another rule reads too: nothing in `ctx.value`
    or `ctx.shared`) and takes a large share of a large project's check: where the command shares work out between
    processes, it runs in a forked child beside the other rules (readiness.rules.runner)."""

    def check(self, ctx: Context) -> Iterable[Problem]:
        """The problems of this rule in the linked project; the base class checks nothing."""
        return ()

    @classmethod
    def fields(cls) -> dict[str, object]:
        """Values the rule's summary and fix name (`{earliest}`), if any."""
        return {}

    @classmethod
    def checked(cls) -> bool:
        return cls.check is not Rule.check

    @classmethod
    def entry(cls) -> Entry:
        """The rule as the catalogue and the output formats see it."""
        return Entry(cls.code, cls.name, cls.severity, tuple(cls.fields().items()))

    @classmethod
    def doc(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def description(cls) -> str:
        """The docstring's prose: everything before the first example (or the no-example note)."""
        kept: list[str] = []
        for line in cls.doc().splitlines():
            if _EXAMPLE.match(line) or line.startswith(_NO_EXAMPLE):
                break
            kept.append(line)
        return "\n".join(kept).strip()

    @classmethod
    def examples(cls) -> list[Example]:
        """The examples of the docstring, in order. A header line `Fails, in PATH:` or `Passes, as PATH:` (with
        an optional note in brackets before the colon) is followed by a blank line and the snippet, indented."""
        lines = cls.doc().splitlines()
        found: list[Example] = []
        for i, line in enumerate(lines):
            match = _EXAMPLE.match(line)
            if not match:
                continue
            block: list[str] = []
            for following in lines[i + 1 :]:
                if following.strip() and not following.startswith((" ", "\t")):
                    break
                block.append(following)
            text = inspect.cleandoc("\n".join(block)) + "\n"
            verdict, how, path, note = match.groups()
            found.append(Example(verdict.lower(), how, path, text, note or ""))  # type: ignore[arg-type]
        return found

    @classmethod
    def no_example(cls) -> str:
        """Why the docstring has no example (its `No example:` paragraph), or ""."""
        doc = cls.doc()
        start = doc.find(_NO_EXAMPLE)
        if start < 0:
            return ""
        return " ".join(doc[start + len(_NO_EXAMPLE) :].split("\n\n")[0].split())


class Context:
    """What a check reads: the linked project, the framework, the date evidence may not postdate, and the
    lists of ids several rules compare against (computed once per run)."""

    def __init__(
        self, project: Project, today: date, scorer: Callable[[Project], Results | None] | None = None
    ) -> None:
        self.project = project
        self.today = today
        self._shared: dict[Callable[..., object], object] = {}
        self._scorer = scorer
        self._results: list[Results | None] = []
        self._values: dict[
            str, tuple[Callable[[Observation], Decimal | bool | None], dict[int, Decimal | bool | ValueProblem | None]]
        ] = {}
        """Each indicator's reader and the values it read, by the id of their observation (kept alive by the
        project)."""

    def results(self) -> Results | None:
        """The project's final rounds scored (once per run), for the rules that read results; None when the
        runner was given no scorer or there is nothing to score."""
        if not self._results:
            self._results.append(self._scorer(self.project) if self._scorer is not None else None)
        return self._results[0]

    @property
    def framework(self) -> Framework:
        """The framework; the runner runs a rule that `needs_framework` only when there is one."""
        assert self.project.framework is not None
        return self.project.framework

    def value(self, indicator: Indicator, observation: Observation) -> Decimal | bool | None:
        """`model.read_value` of an observation of the project, read once per run whichever rules ask (the type
        and range rules, the magnitude rule and the data-quality rules each read every value); raises its
        ValueProblem as it does."""
        known = self._values.get(indicator.id)
        if known is None:
            known = self._values[indicator.id] = (value_reader(indicator, self.framework.scale), {})
        reader, read = known
        key = id(observation)
        if key not in read:
            try:
                read[key] = reader(observation)
            except ValueProblem as problem:
                read[key] = problem
        found = read[key]
        if isinstance(found, ValueProblem):
            raise found
        return found

    def shared(self, compute: Callable[[Context], T]) -> T:
        """`compute(self)`, once per run: for work two rules of a family share (reading values, site pages)."""
        if compute not in self._shared:
            self._shared[compute] = compute(self)
        return self._shared[compute]  # type: ignore[return-value]

    @cached_property
    def level_ids(self) -> list[str]:
        return [lv.id for lv in self.framework.levels]

    @cached_property
    def tier_ids(self) -> list[str]:
        return [t.id for t in self.framework.tiers]

    @cached_property
    def party_ids(self) -> list[str]:
        return [p.id for p in self.framework.parties]

    @cached_property
    def source_ids(self) -> list[str]:
        return [s.id for s in self.framework.source_types]

    @cached_property
    def indicator_ids(self) -> list[str]:
        return sorted(self.project.indicators)

    def assessments(self) -> Iterator[tuple[tuple[str, str], Assessment]]:
        """(("assessment", "<round>/<region>"), assessment) of every linked assessment."""
        for (round_id, region_id), assessment in self.project.assessments.items():
            yield ("assessment", f"{round_id}/{region_id}"), assessment

    def observations(self) -> Iterator[tuple[tuple[str, str], str, Observation, Loc]]:
        """(object key, indicator id, observation, its location) of every observation of every assessment."""
        for key, assessment in self.assessments():
            for ind_id, obs in assessment.observations.items():
                yield key, ind_id, obs, ("observations", ind_id)

    def cutoff(self, round_id: str) -> date | None:
        """The cut-off date of a round, None for an unknown round."""
        round_ = self.project.rounds.get(round_id)
        return round_.date if round_ else None

    def collecting(self, round_id: str) -> bool:
        """Whether a round is still being collected (values still to come are progress, not findings)."""
        round_ = self.project.rounds.get(round_id)
        return round_ is not None and round_.collecting

    def filed(self, key: tuple[str, str]) -> tuple[str, str, str]:
        """(path, round folder, file stem) of an assessment: what its file's place says it is ("" and "" for a
        file not at assessments/<round>/<region>.yaml)."""
        doc, _ = self.project.origin(*key)
        parts = doc.path.split("/")
        folder, stem = (parts[1], parts[-1].rsplit(".", 1)[0]) if len(parts) == 3 else ("", "")
        return doc.path, folder, stem


def walk_pillars(pillars: list[Pillar], loc: Loc = ("pillars",)) -> Iterator[tuple[Pillar, Loc]]:
    """Every pillar of the tree, depth first, with its location in the framework."""
    for i, pillar in enumerate(pillars):
        here = loc + (i,)
        yield pillar, here
        yield from walk_pillars(pillar.pillars, here + ("pillars",))


def pillar_ids(fw: Framework) -> list[str]:
    return [p.id for p, _ in walk_pillars(fw.pillars)]
