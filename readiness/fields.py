"""The field types every model is made of: scalars typed by the schema (never by YAML 1.1's guesses), texts in
several languages, ids, colours, enumerations, and the strict base model. The models of the project files
(`model.py`) and the parameters of the scoring methods (`methods/`) are built from them.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeAlias

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from .i18n import say
from .loading import Plain

#: The first and the last date a project may write (a round's cut-off, evidence, a sign-off, a decision, the
#: mandate calendar; rule S004) and a projection may give: a date outside is a typo (9999-12-31 for "no end").
EARLIEST_DATE = date(1990, 1, 1)
LATEST_DATE = date(2100, 12, 31)


# ---------------------------------------------------------------- scalar types: the schema decides


def short(text: str, limit: int = 60) -> str:
    """A value quoted in a message, cut to a readable length."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe(value: Any) -> str:
    """How a value reads to a user, for error messages (in the language in use)."""
    if isinstance(value, str) and len(value) > 60:
        value = type(value)(short(value))
    if value is None:
        return say("files.value.nothing")
    if isinstance(value, list):
        return say("files.value.a_list")
    if isinstance(value, dict):
        return say("files.value.a_mapping")
    if isinstance(value, Plain):
        return repr(str(value))
    if isinstance(value, str):
        return say("files.value.quoted_text", text=repr(str(value)))
    return repr(value)


def fail(kind: str, key: str, **fields: Any) -> PydanticCustomError:
    """The error a field's validator raises: the catalogue's message `key` with its fields, in the language in
    use (already written: pydantic fills nothing in it)."""
    return PydanticCustomError(kind, say(key, **fields))


def to_text(value: Any) -> str:
    if isinstance(value, str):
        return str(value)
    raise fail("text_type", "files.type.text", got=describe(value))


_NUMBER = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")
_MAX_MAGNITUDE = 30  # digits before the point; anything larger is a typo, not a measurement


def to_decimal(value: Any) -> Decimal:
    """A number written in YAML, kept exact as a Decimal."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise fail("number_type", "files.type.number", got=describe(value))
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Decimal(str(value))
    if isinstance(value, str) and _NUMBER.fullmatch(value.strip()):
        if not isinstance(value, Plain):
            raise fail("number_quoted", "files.type.number_quoted", got=repr(str(value)))
        try:
            number = Decimal(value.strip())
        except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
            raise fail("number_type", "files.type.number", got=describe(value)) from None
        if number != 0 and abs(number.adjusted()) > _MAX_MAGNITUDE:
            raise fail("number_range", "files.type.number_range", got=str(value))
        return number
    raise fail("number_type", "files.type.number", got=describe(value))


def to_int(value: Any) -> int:
    number = to_decimal(value)
    if number != number.to_integral_value():
        raise fail("int_type", "files.type.whole_number", got=str(value))
    return int(number)


def to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, Plain) and value in ("true", "false"):
        return value == "true"
    raise fail("bool_type", "files.type.bool", got=describe(value))


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def to_date(value: Any) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise fail("date_value", "files.type.date_value", got=str(value)) from None
    raise fail("date_type", "files.type.date", got=describe(value))


# Text needs no Python validator: a YAML scalar is already a str (Plain when unquoted), which strict mode
# accepts as it is; anything else is refused by pydantic's own check (validation.py words the message).
Text = Annotated[str, WithJsonSchema({"type": "string"})]
NonEmptyText = Annotated[str, Field(min_length=1), WithJsonSchema({"type": "string", "minLength": 1})]
Number = Annotated[Decimal, BeforeValidator(to_decimal), WithJsonSchema({"type": "number"})]
Int = Annotated[int, BeforeValidator(to_int), WithJsonSchema({"type": "integer"})]
Bool = Annotated[bool, BeforeValidator(to_bool), WithJsonSchema({"type": "boolean"})]
Date = Annotated[date, BeforeValidator(to_date), WithJsonSchema({"type": "string", "format": "date"})]
_LANGUAGE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})?")


class LocalText(str):
    """Text that may be written in several languages (`{en: ..., fr: ...}`) or once for all (a plain string).

    The string value is the first language given; `get(lang)` picks a language, falling back to that.
    """

    __slots__ = ("translations",)
    translations: dict[str, str]

    def __new__(cls, value: str, translations: dict[str, str] | None = None) -> LocalText:
        obj = super().__new__(cls, value)
        obj.translations = dict(translations or {})
        return obj

    def __reduce__(self) -> tuple[Any, ...]:
        return (LocalText, (str(self), self.translations))

    @property
    def plain(self) -> bool:
        """Written once for every language."""
        return not self.translations

    def get(self, lang: str | None) -> str:
        return self.translations.get(lang or "", str(self)) if self.translations else str(self)


def to_local(value: Any, empty_ok: bool = False) -> LocalText:
    if isinstance(value, LocalText):
        return value
    if isinstance(value, str):
        if not value and not empty_ok:
            raise fail("text_empty", "files.type.text_empty")
        return LocalText(str(value))
    if isinstance(value, dict) and value:
        for lang, text in value.items():
            if not _LANGUAGE.fullmatch(str(lang)):
                raise fail("language_code", "files.type.language_code", got=repr(str(lang)))
            if not isinstance(text, str) or not text:
                raise fail("text_type", "files.type.translation", lang=str(lang), got=describe(text))
        translations = {str(k): str(v) for k, v in value.items()}
        return LocalText(next(iter(translations.values())), translations)
    raise fail("text_type", "files.type.translated", got=describe(value))


class Translation:
    """Marks a translatable field: `expected` fields should be given in every language the framework
    declares; `optional` ones (names of places, narratives) may be written once for all."""

    def __init__(self, policy: str) -> None:
        self.policy = policy

    def __repr__(self) -> str:
        return f"Translation({self.policy!r})"


_LOCAL_SCHEMA = {
    "anyOf": [
        {"type": "string"},
        {
            "type": "object",
            "minProperties": 1,
            "propertyNames": {"pattern": "^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$"},
            "additionalProperties": {"type": "string", "minLength": 1},
        },
    ]
}
_LOCAL_OUT = PlainSerializer(lambda v: dict(v.translations) if v.translations else str(v), return_type=Any)
Translated = Annotated[
    LocalText, PlainValidator(to_local), _LOCAL_OUT, WithJsonSchema(_LOCAL_SCHEMA), Translation("expected")
]
TranslatedOrEmpty = Annotated[
    LocalText,
    PlainValidator(lambda v: to_local(v, empty_ok=True)),
    _LOCAL_OUT,
    WithJsonSchema(_LOCAL_SCHEMA),
    Translation("expected"),
]
MaybeTranslated = Annotated[
    LocalText, PlainValidator(to_local), _LOCAL_OUT, WithJsonSchema(_LOCAL_SCHEMA), Translation("optional")
]
MaybeTranslatedOrEmpty = Annotated[
    LocalText,
    PlainValidator(lambda v: to_local(v, empty_ok=True)),
    _LOCAL_OUT,
    WithJsonSchema(_LOCAL_SCHEMA),
    Translation("optional"),
]
_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
Id = Annotated[
    str,
    Field(pattern=_ID_PATTERN, max_length=80),
    WithJsonSchema({"type": "string", "pattern": _ID_PATTERN, "maxLength": 80}),
]
Colour = Annotated[
    str,
    BeforeValidator(to_text),
    Field(pattern=r"^#[0-9a-fA-F]{6}$"),
    WithJsonSchema({"type": "string", "pattern": "^#[0-9a-fA-F]{6}$"}),
]


def enum(*values: str) -> Any:
    return Annotated[Literal[values], BeforeValidator(to_text), WithJsonSchema({"enum": list(values)})]


if TYPE_CHECKING:  # checked against their values at run time; to a type checker they are text
    Direction: TypeAlias = str
    Confidence: TypeAlias = str
    Unit: TypeAlias = str
else:
    Direction = enum("higher", "lower")
    Confidence = enum("low", "medium", "high")
    Unit = enum(
        "percent",
        "count",
        "rate",
        "minutes",
        "hours",
        "days",
        "per-100k",
        "per-100",
        "ordinal",
        "yes-no",
        "score",
        "number",
    )


class Model(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, use_attribute_docstrings=True)

    def model_post_init(self, context: Any, /) -> None:
        """Models of one class given the same fields share one set of their names (pydantic keeps a set per
        instance: a quarter of a large project's memory, with hundreds of thousands of observations and evidence
        items). The models are frozen, so nothing adds to the set in place; `model_copy(update=...)` copies it
        first."""
        fields = self.__pydantic_fields_set__
        key = (type(self), frozenset(fields))
        shared = _FIELDS_SETS.setdefault(key, fields)
        if shared is not fields:
            object.__setattr__(self, "__pydantic_fields_set__", shared)


#: One set of field names for each class and combination of fields given (a few dozen in all).
_FIELDS_SETS: dict[tuple[type, frozenset[str]], set[str]] = {}


#: Models that may also be written as a plain string (the schema shows both forms).
SHORTHAND_MODELS = {
    "Note": "text",
    "Requirement": "indicator",
    "TeamMember": "name",
    "ConditionStatus": "state",
}


def shorthand(field: str) -> Any:
    """Accept a plain string where a mapping with one main field is meant (`- HR-03` for a requirement)."""

    def convert(value: Any) -> Any:
        if isinstance(value, str):
            return {field: value}
        if (
            field == "text"
            and isinstance(value, dict)
            and value
            and "text" not in value
            and all(isinstance(k, str) and _LANGUAGE.fullmatch(k) for k in value)
        ):
            return {field: value}  # a note written straight in several languages: {en: ..., fr: ...}
        return value

    return BeforeValidator(convert)


def empty_list() -> Any:
    """A field's default of an empty list, made fresh for each model (pydantic deep-copies a mutable default
    for every model it validates: 200,000 copies in loading a project of 300 regions), still written
    `"default": []` in the JSON Schema for editors."""
    return Field(default_factory=list, json_schema_extra={"default": []})


def empty_dict() -> Any:
    """A field's default of an empty mapping, made fresh for each model (see `empty_list`)."""
    return Field(default_factory=dict, json_schema_extra={"default": {}})
