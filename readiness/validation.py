"""Validation: a loaded document against its model, with every pydantic error turned into a diagnostic
that names the file, line, key path and what to do."""

from __future__ import annotations

import difflib
import re
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from .diagnostics import Diagnostic, diagnostic
from .i18n import say, say_n
from .loading import Document, Loc
from .model import Model, describe


def did_you_mean(word: str, choices: typing.Iterable[str]) -> str:
    """'did you mean "x"?' for the closest choice (in the language in use), or '' when nothing is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    if not close:
        lowered = {c.lower(): c for c in choices}
        close = [lowered[word.lower()]] if word.lower() in lowered else []
    return say("files.did_you_mean", choice=close[0]) if close else ""


_DAY_MONTH_YEAR = re.compile(r"\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\s*")
_YEAR_MONTH_DAY = re.compile(r"\s*(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2})\s*")


def date_hint(value: Any) -> str:
    """The fix for a date that is not written YYYY-MM-DD, in one step where the date can be told."""
    import datetime

    def iso(year: str, month: str, day: str) -> str | None:
        try:
            return datetime.date(int(year), int(month), int(day)).isoformat()
        except ValueError:
            return None

    text = str(value) if isinstance(value, str) else ""
    if match := _YEAR_MONTH_DAY.fullmatch(text):
        fixed = iso(*match.groups())
        return say("files.date.write", date=fixed) if fixed else say("files.date.no_such_date")
    if match := _DAY_MONTH_YEAR.fullmatch(text):
        first, second, year = match.groups()
        day_first, month_first = iso(year, second, first), iso(year, first, second)
        if day_first and month_first and day_first != month_first:
            return say("files.date.day_or_month", day_first=day_first, month_first=month_first)
        if day_first or month_first:
            return say("files.date.write", date=day_first or month_first)
    return say("files.date.format")


def dotted(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _unwrap(annotation: Any) -> Any:
    """Strip Annotated and Optional to reach the type that holds keys."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0] if len(args) == 1 else annotation
            if len(args) != 1:
                return annotation
        else:
            return annotation


def model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The model class that describes the mapping at `loc`, if any."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(part))
            if field is None:
                return None
            current = field.annotation
            continue
        origin = typing.get_origin(current)
        if origin is list:
            current = typing.get_args(current)[0]
        elif origin is dict:
            current = typing.get_args(current)[1]
        elif origin in (typing.Union, types.UnionType):  # a discriminated union: the part is the member's tag
            members = (
                [
                    m
                    for m in typing.get_args(current)
                    if isinstance(m, type)
                    and issubclass(m, BaseModel)
                    and part in typing.get_args(m.model_fields["method"].annotation)
                ]
                if all("method" in getattr(m, "model_fields", {}) for m in typing.get_args(current))
                else []
            )
            if not members:
                return None
            current = members[0]
        else:
            return None
    current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _value_at(data: Any, loc: Loc) -> Any:
    for part in loc:
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            return None
    return data


def validate_document(doc: Document, model: type[Model]) -> tuple[Model | None, list[Diagnostic]]:
    """Validate a document; returns the model, or None and one diagnostic per problem found."""
    if not isinstance(doc.data, dict):
        return None, [
            diagnostic(
                "S003",
                doc.path,
                doc.position(),
                say("files.schema.top_not_mapping", got=describe(doc.data)),
                say("files.schema.top_not_mapping_hint", model=model.__name__),
            )
        ]
    try:
        return model.model_validate(doc.data), []
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
    found = [_to_diagnostic(doc, model, error) for error in errors]
    unknown = [tuple(error["loc"]) for error in errors if error["type"] == "extra_forbidden"]
    if unknown and len(unknown) == len(errors):
        # only unknown keys: they are reported, and the rest of the file is still checked without them (a typo
        # in one key must not hide a wrong value or an old date elsewhere in the same file)
        try:
            return model.model_validate(_without(doc.data, unknown)), found
        except ValidationError:
            pass
    return None, found


def _without(data: Any, locs: list[Loc]) -> Any:
    """A copy of `data` without the keys at `locs` (copying only the mappings and lists on their way)."""

    def drop(value: Any, rest: list[Loc]) -> Any:
        here = {loc[0] for loc in rest if len(loc) == 1}
        deeper: dict[Any, list[Loc]] = {}
        for loc in rest:
            if len(loc) > 1:
                deeper.setdefault(loc[0], []).append(loc[1:])
        if isinstance(value, dict):
            return {k: (drop(v, deeper[k]) if k in deeper else v) for k, v in value.items() if k not in here}
        if isinstance(value, list):
            return [drop(v, deeper[i]) if i in deeper else v for i, v in enumerate(value)]
        return value

    return drop(data, locs)


def _without_tags(data: Any, loc: Loc) -> Loc:
    """The location in the document of an error located by pydantic: without the tags it adds for a member of a
    discriminated union (`scoring.goalposts.best` is `scoring.best` in the file: `goalposts` is its method)."""
    out: list[str | int] = []
    for part in loc:
        if isinstance(data, dict) and part not in data and isinstance(part, str) and data.get("method") == part:
            continue
        out.append(part)
        data = (
            data.get(part)
            if isinstance(data, dict)
            else (data[part] if isinstance(data, list) and isinstance(part, int) and part < len(data) else None)
        )
    return tuple(out)


def _to_diagnostic(doc: Document, model: type[Model], error: Any) -> Diagnostic:
    on_key = "[key]" in error["loc"]
    tagged: Loc = tuple(p for p in error["loc"] if p != "[key]")
    loc: Loc = _without_tags(doc.data, tagged)
    kind = error["type"]
    where = dotted(loc)
    if kind in ("union_tag_invalid", "union_tag_not_found"):  # the scoring method, which chooses the parameters
        field = error.get("ctx", {}).get("discriminator", "'method'").strip("'")
        expected = [t.strip(" '") for t in str(error.get("ctx", {}).get("expected_tags", "")).split(",") if t.strip()]
        value = _value_at(doc.data, loc)
        if not isinstance(value, dict):
            return diagnostic(
                "S003",
                doc.path,
                doc.position(loc),
                say("files.schema.at", where=where, message=say("files.schema.mapping", got=describe(value))),
                say("files.schema.method_parameters_hint", field=field, key=loc[-1]),
            )
        if kind == "union_tag_not_found":
            return diagnostic(
                "S002",
                doc.path,
                doc.key_position(loc),
                say("files.schema.missing_in", key=field, where=where),
                say("files.schema.missing_hint", key=field),
            )
        tag = str(value.get(field))
        return diagnostic(
            "S003",
            doc.path,
            doc.position(loc + (field,)),
            say("files.schema.not_a_method", where=where, field=field, tag=tag),
            did_you_mean(tag, expected) or say("files.schema.one_of", choices=", ".join(expected)),
        )
    if on_key:
        key = str(loc[-1]) if loc else ""
        return diagnostic(
            "S003",
            doc.path,
            doc.key_position(loc),
            say("files.schema.bad_key", key=key, where=dotted(loc[:-1])),
            say("files.schema.bad_key_hint"),
        )
    if kind == "extra_forbidden":
        parent = model_at(model, tagged[:-1])
        known = sorted(parent.model_fields) if parent else []
        key = str(loc[-1])
        if parent is not None and key in getattr(parent, "REFUSED", ()):
            # a setting of the site engine that the tool does not allow: say why, not "did you mean"
            inside = dotted(loc[:-1]) if len(loc) > 1 else doc.path
            return diagnostic(
                "M001",
                doc.path,
                doc.key_position(loc),
                say("files.schema.refused", key=key, inside=inside),
                say(f"files.refused.{key}"),
            )
        hint = did_you_mean(key, known) or (say("files.schema.allowed_keys", keys=", ".join(known)) if known else "")
        return diagnostic(
            "S001", doc.path, doc.key_position(loc), say("files.schema.unknown_key", key=key, where=where), hint
        )
    if kind == "missing":
        parent_loc = loc[:-1]
        return diagnostic(
            "S002",
            doc.path,
            doc.key_position(parent_loc) if parent_loc else doc.position(),
            say("files.schema.missing_in", key=str(loc[-1]), where=dotted(parent_loc))
            if parent_loc
            else say("files.schema.missing", key=str(loc[-1])),
            say("files.schema.missing_hint", key=loc[-1]),
        )
    message = _message(kind, error, _value_at(doc.data, loc))
    hint = ""
    if kind == "number_quoted":
        hint = say("files.schema.number_quoted_hint")
    elif kind == "bool_type":
        hint = say("files.schema.bool_hint")
    elif kind in ("date_type", "date_value"):
        hint = date_hint(_value_at(doc.data, loc))
    return diagnostic(
        "S003",
        doc.path,
        doc.position(loc),
        say("files.schema.at", where=where, message=message) if where else message,
        hint,
    )


#: Pydantic's own errors for the constraints the models use (`Field(ge=0)`, `min_length`...), in the catalogue's
#: words: (the catalogue's entry, the fields of the error's context it names, the one it counts by, if any).
_CONSTRAINTS: dict[str, tuple[str, tuple[str, ...], str | None]] = {
    "greater_than_equal": ("files.schema.ge", ("ge",), None),
    "greater_than": ("files.schema.gt", ("gt",), None),
    "less_than_equal": ("files.schema.le", ("le",), None),
    "less_than": ("files.schema.lt", ("lt",), None),
    "string_too_short": ("files.schema.string_too_short", (), "min_length"),
    "string_too_long": ("files.schema.string_too_long", (), "max_length"),
    "too_short": ("files.schema.too_short", ("actual_length",), "min_length"),
    "too_long": ("files.schema.too_long", ("actual_length",), "max_length"),
}


def _message(kind: str, error: Any, value: Any) -> str:
    """What a pydantic error says, in the language in use: the fields' own errors are already written in it
    (`fields.fail`), pydantic's are said again from their context; any other is pydantic's English."""
    message: str = error["msg"]
    context = error.get("ctx") or {}
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return say("files.schema.mapping", got=describe(value))
    if kind == "string_type":
        return say("files.schema.text", got=describe(value))
    if kind == "list_type":
        return say("files.schema.list", got=describe(value))
    if kind == "literal_error":
        expected = context.get("expected")
        if isinstance(expected, str) and message == f"Input should be {expected}":
            return say("files.schema.literal", got=describe(value), expected=_either(expected))
        return say("files.schema.not_allowed", got=describe(value), message=f"{message[0].lower()}{message[1:]}")
    if kind == "string_pattern_mismatch":
        return say("files.schema.bad_id", got=describe(value))
    constraint = _CONSTRAINTS.get(kind)
    if constraint is not None and (kind not in ("too_short", "too_long") or context.get("field_type") == "List"):
        key, names, counted = constraint
        fields = {name: context.get(name) for name in names}
        return say_n(key, context[counted], **fields) if counted else say(key, **fields)
    return message


def _either(expected: str) -> str:
    """Pydantic's list of the allowed values ("'a', 'b' or 'c'") with the language's "or"."""
    items = re.findall(r"'[^']*'", expected)
    if len(items) < 2 or f"{', '.join(items[:-1])} or {items[-1]}" != expected:
        return expected
    return say("files.schema.either", first=", ".join(items[:-1]), last=items[-1])
