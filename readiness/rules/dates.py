"""Dates: every date a project writes lies in the span the tool accepts, and every number of days fits in it
(S004).

`EARLIEST` and `LATEST` are that span, defined here once. A date outside it is a typo (9999-12-31 for "open
ended", 0001-01-01 for "unknown", 2206 for 2026) that would otherwise reach the date arithmetic of the rules
and the scorer (an age in days, a projected handover date) and stop them; the rules that do arithmetic on
dates leave such a date to this one.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Annotated, Literal, get_args, get_origin

from pydantic import BaseModel

from ..fields import EARLIEST_DATE, LATEST_DATE
from ..i18n import say
from ..loading import Loc
from .base import ERROR, Context, Problem, Rule, at

#: The first and the last date a project may write (a round's cut-off, evidence, a sign-off, a decision, a
#: condition's due date, the mandate calendar): fields.EARLIEST_DATE and LATEST_DATE.
EARLIEST, LATEST = EARLIEST_DATE, LATEST_DATE
#: The longest span of days a project may write (an evidence age limit): the whole accepted span of dates.
MAX_DAYS = (LATEST - EARLIEST).days


def plausible(day: date) -> bool:
    """Whether a date lies in the span the tool accepts."""
    return EARLIEST <= day <= LATEST


#: Values that hold no date: not descended into.
_NO_DATE = (str, int, float, Decimal, type(None))
_SCALARS = frozenset((*_NO_DATE, bool))  # as annotations name them (bool is an int to isinstance only)


def _may_hold_date(annotation: object) -> bool:
    """Whether a field so annotated may hold a date, at any depth; anything not known to be a plain scalar may."""
    if annotation in _SCALARS:
        return False
    origin = get_origin(annotation)
    if origin is Literal:
        return False
    if origin is Annotated:
        return _may_hold_date(get_args(annotation)[0])
    if origin is not None:  # unions, lists, tuples, mappings: by their arguments
        args = [a for a in get_args(annotation) if a is not Ellipsis]
        return not args or any(_may_hold_date(a) for a in args)
    return not (isinstance(annotation, type) and issubclass(annotation, Enum))


@functools.cache
def _date_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields of a model that may hold a date (a project's models have dozens of text and number fields;
    walking each of them, for every observation of a large project, was most of this rule's time)."""
    return tuple(name for name, f in model.model_fields.items() if _may_hold_date(f.annotation))


def dates_in(value: object, loc: Loc = ()) -> list[tuple[Loc, date]]:
    """Every date inside a model (its fields, lists and mappings, depth first), with its location."""
    found: list[tuple[Loc, date]] = []
    if isinstance(value, date) and not isinstance(value, datetime):
        found.append((loc, value))
    else:
        _walk(value, loc, found)
    return found


def _walk(value: object, loc: Loc, found: list[tuple[Loc, date]]) -> None:
    if isinstance(value, BaseModel):
        items: Iterable[tuple[str | int, object]] = ((name, getattr(value, name)) for name in _date_fields(type(value)))
    elif isinstance(value, (list, tuple)):
        items = enumerate(value)
    elif isinstance(value, dict):
        items = value.items()
    else:
        return
    for key, item in items:  # dates and leaves are looked at here, without a call each
        if isinstance(item, _NO_DATE):
            continue
        if isinstance(item, date):
            if not isinstance(item, datetime):
                found.append(((*loc, key), item))
        elif item:
            _walk(item, (*loc, key), found)


class DateRange(Rule):
    """A date outside the span the tool accepts, 1990-01-01 to 2100-12-31: a round's cut-off, an evidence or
    sign-off date, an override's expiry, a decision's dates, a condition's due date or a date of the mandate
    calendar. Such a date is a typo (9999-12-31 written for "no end", 0001-01-01 for "unknown", 2206 for
    2026): no assessment can be dated so, and ages and projections computed from it would be meaningless. An
    evidence age limit (`max_age_days`, of an indicator or of the evidence gate) longer than that whole span
    is reported too: leave it out for the default.

    Fails, in assessments/rounds.yaml:

        rounds:
          - {id: 2026-q1, label: First quarter 2026, date: 2026-03-31}
          - {id: 2026-q3, label: Third quarter 2026, date: 9999-12-31}

    Passes, in assessments/rounds.yaml:

        rounds:
          - {id: 2026-q1, label: First quarter 2026, date: 2026-03-31}
          - {id: 2026-q3, label: Third quarter 2026, date: 2026-09-30}
    """

    code = "S004"
    name = "date-range"
    severity = ERROR
    apart = True  # every date of every assessment walked: a tenth of the rules' time on a large project

    @classmethod
    def fields(cls) -> dict[str, object]:
        return {"earliest": EARLIEST.isoformat(), "latest": LATEST.isoformat()}

    needs_framework = False

    def check(self, ctx: Context) -> Iterator[Problem]:
        yield from self._days(ctx)
        project = ctx.project
        objects: list[tuple[str, str, Loc, object]] = [
            *(("round", key, (), value) for key, value in project.rounds.items()),
            *((kind, key, (), value) for (kind, key), value in ctx.assessments()),
            *(("decision", key, (), value) for key, value in project.decisions.items()),
            *(("scenario", key, (), value) for key, value in project.scenarios.items()),
        ]
        if project.mandate is not None:
            objects.append(("mandate", "", (), project.mandate))
        if project.framework is not None:  # benchmarks' target dates, agreements, resolutions
            objects.append(("framework", "", (), project.framework))
        objects += [("reports", "", ("reports", i), report) for i, report in enumerate(project.reports)]
        objects += [("hrddp", key, (), record) for key, record in project.hrddp.items()]
        seen: set[str] = set()  # an indicator measured per population is linked once per population
        for key, indicator in sorted(project.indicators.items()):
            origin = project.origins.get(("indicator", key))
            if indicator.retired is not None and origin is not None and origin[0].path not in seen:
                seen.add(origin[0].path)
                objects.append(("indicator", key, (), indicator))
        for kind, key, prefix, value in objects:
            if (kind, key) not in project.origins:
                continue
            for loc, day in dates_in(value, prefix):
                if not plausible(day):
                    field = loc[-1] if loc else "date"
                    yield at(
                        kind,
                        key,
                        loc,
                        say(
                            "rule.S004.outside",
                            field=str(field),
                            day=day.isoformat(),
                            earliest=EARLIEST.isoformat(),
                            latest=LATEST.isoformat(),
                        ),
                        say("rule.S004.outside_hint"),
                    )

    def _days(self, ctx: Context) -> Iterator[Problem]:
        """Evidence age limits longer than the accepted span of dates (the scorer subtracts them from a round's
        date)."""
        project = ctx.project
        limits: list[tuple[str, str, tuple[str, ...], int | None]] = []
        if project.framework is not None and project.framework.gates.evidence is not None:
            gate = project.framework.gates.evidence
            limits.append(("framework", "", ("gates", "evidence", "max_age_days"), gate.max_age_days))
        files: set[str] = set()  # an indicator measured per population is linked once per population
        for key, indicator in sorted(project.indicators.items()):
            origin = project.origins.get(("indicator", key))
            if origin is not None and origin[0].path not in files:
                files.add(origin[0].path)
                limits.append(("indicator", key, ("evidence", "max_age_days"), indicator.evidence.max_age_days))
        for kind, key, loc, days in limits:
            if days is not None and days > MAX_DAYS:
                yield at(
                    kind,
                    key,
                    loc,
                    say("rule.S004.max_age", days=days, max_days=MAX_DAYS),
                    say("rule.S004.max_age_hint"),
                )
