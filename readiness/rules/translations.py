"""Translations: text meant to be read in every language of the site is given in each, and only in those
(I006)."""

from __future__ import annotations

import typing
from collections.abc import Iterator

from pydantic import BaseModel

from ..fields import LocalText, Translation
from ..i18n import say
from ..loading import Loc
from ..validation import did_you_mean, dotted
from .base import WARNING, Context, Problem, Rule, at


class TranslationMissing(Rule):
    """Text without a language the framework declares in `languages:`, or in a language it does not declare
    (often a typo of the code). Where a text is expected in every language (names, definitions), one plain
    text is reported too when the framework declares more than one language.

    Fails, in indicators/hr/HR-01.yaml (the framework declares only en):

        name: {en: Posts filled, fe: Postes pourvus}

    Passes, in indicators/hr/HR-01.yaml:

        name: Posts filled
    """

    code = "I006"
    name = "translation-missing"
    severity = WARNING

    def check(self, ctx: Context) -> Iterator[Problem]:
        fw = ctx.framework
        project = ctx.project
        languages = list(fw.languages)
        owners: list[tuple[str, str, object]] = [("framework", "", fw)]
        owners += [("indicator", k, v) for k, v in project.indicators.items()]
        owners += [("region", k, v) for k, v in project.regions.items()]
        owners += [("round", k, v) for k, v in project.rounds.items()]
        owners += [("assessment", f"{k[0]}/{k[1]}", v) for k, v in project.assessments.items()]
        owners += [("scenario", k, v) for k, v in project.scenarios.items()]
        for kind, key, model in owners:
            for loc, text, policy in _translatable(model, ()):
                if not str(text):
                    continue
                given = list(text.translations)  # type: ignore[attr-defined]
                if not given:
                    if policy == "expected" and len(languages) > 1:
                        yield at(
                            kind,
                            key,
                            loc,
                            say("rule.I006.one_language", where=_dotted(loc), languages=", ".join(languages)),
                            say(
                                "rule.I006.one_language_hint",
                                mapping="{" + ", ".join(f"{lang}: ..." for lang in languages) + "}",
                            ),
                        )
                    continue
                missing = [lang for lang in languages if lang not in given]
                unknown = [lang for lang in given if lang not in languages]
                if missing:
                    yield at(
                        kind,
                        key,
                        loc,
                        say("rule.I006.missing", where=_dotted(loc), missing=", ".join(missing)),
                        say("rule.I006.missing_hint", first=missing[0], given=", ".join(given)),
                    )
                if unknown:
                    yield at(
                        kind,
                        key,
                        loc,
                        say(
                            "rule.I006.undeclared",
                            where=_dotted(loc),
                            unknown=", ".join(unknown),
                            languages=", ".join(languages),
                        ),
                        did_you_mean(unknown[0], languages) or say("rule.I006.undeclared_hint"),
                    )


def _dotted(loc: Loc) -> str:
    return dotted(loc) or say("rule.I006.the_text")


_FIELDS: dict[type, list[tuple[str, str | None]]] = {}


def _translatable_fields(model_class: type) -> list[tuple[str, str | None]]:
    """(field, policy) of the fields of a model class that hold translatable text, directly (policy set) or
    inside nested models (policy None). Cached per class: most fields (numbers, ids, evidence) never do."""
    cached = _FIELDS.get(model_class)
    if cached is not None:
        return cached
    out: list[tuple[str, str | None]] = []
    _FIELDS[model_class] = out  # guards recursive models (pillars hold pillars)
    for name, info in model_class.model_fields.items():  # type: ignore[attr-defined]
        policy = next((m.policy for m in info.metadata if isinstance(m, Translation)), None)
        if policy:
            out.append((name, policy))
            continue
        stack = [info.annotation]
        while stack:
            t = stack.pop()
            if isinstance(t, type) and issubclass(t, BaseModel):
                if t is model_class or _translatable_fields(t):
                    out.append((name, None))
                    break
            stack.extend(typing.get_args(t))
    return out


def _translatable(model: object, loc: Loc) -> Iterator[tuple[Loc, object, str]]:
    """(location, value, policy) of every translatable text inside a model."""
    if not isinstance(model, BaseModel):
        return
    for name, policy in _translatable_fields(type(model)):
        value = getattr(model, name)
        if policy:
            if isinstance(value, LocalText):
                yield loc + (name,), value, policy
            continue
        if isinstance(value, BaseModel):
            yield from _translatable(value, loc + (name,))
        elif isinstance(value, dict):
            for key, item in value.items():
                yield from _translatable(item, loc + (name, key))
        elif isinstance(value, list):
            for key, item in enumerate(value):
                yield from _translatable(item, loc + (name, key))
