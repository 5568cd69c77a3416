"""Translation catalogues: every label the site prints and every message a command prints, per language: the
site's words in `en.yaml`, `fr.yaml`, the messages in `en/*.yaml`, `fr/*.yaml` (one file per area: the check
rules, import, the commands), merged into one catalogue per language.

Adding a language is adding a catalogue with the same keys (a test holds every catalogue to the English
keys). Numbers and dates are written as each language writes them, with Babel; French spacing, elision and the
first of the month by `french.py`.

A command speaks one language, chosen once (`use_language`: `--lang`, else the framework's first); `say(key,
**fields)` writes a message in it, `say_n(key, count, **fields)` with the plural form the count takes.
"""

from __future__ import annotations

import contextlib
import functools
import math
from collections.abc import Iterator
from contextvars import ContextVar
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from . import french

CATALOGUES = Path(__file__).parent
_LANGUAGE: ContextVar[str] = ContextVar("readiness_language", default="en")


def _flatten(data: dict[str, Any], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, name + "."))
        else:
            out[name] = str(value).strip(" \n\t")
    return out


def available() -> list[str]:
    return sorted(p.stem for p in CATALOGUES.glob("*.yaml"))


def _read(path: Path) -> dict[str, str]:
    # PyYAML's base loader resolves nothing: every key and label stays the text written (a key `yes:` stays the
    # word "yes", `1.0` stays "1.0"), as the project loader reads text; in C, it reads the catalogues of a
    # language in a few milliseconds (the project loader, which keeps lines for messages, took a tenth of a
    # second, paid by every command). tests/test_i18n.py reads them with the project loader too, for duplicates.
    loader = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
    try:
        data = yaml.load(path.read_bytes(), Loader=loader)  # noqa: S506 (the base loader builds no objects)
    except yaml.YAMLError as exc:
        raise ValueError(f"the catalogue {path.name} is not valid: {exc}") from exc
    if not isinstance(data, dict):
        raise ValueError(f"the catalogue {path.name} is not a mapping of labels")
    return _flatten(data)


@functools.cache
def catalogue(lang: str) -> dict[str, str]:
    """Every label and message of a language: `<lang>.yaml` and the files of `<lang>/`, merged (a key given
    twice is a mistake in the catalogues)."""
    path = CATALOGUES / f"{lang}.yaml"
    if not path.is_file():
        raise KeyError(f"no catalogue for language {lang!r}; available: {', '.join(available())}")
    labels = _read(path)
    for part in sorted((CATALOGUES / lang).glob("*.yaml")):
        more = _read(part)
        twice = sorted(set(more) & set(labels))
        if twice:
            raise ValueError(f"{lang}/{part.name} gives {twice[0]!r} again")
        labels.update(more)
    return labels


def use_language(lang: str) -> None:
    """The language of every message from here on (a command chooses it once, first)."""
    if lang not in available():
        raise KeyError(f"no catalogue for language {lang!r}; available: {', '.join(available())}")
    _LANGUAGE.set(lang)


@contextlib.contextmanager
def speaking(lang: str) -> Iterator[None]:
    """Messages in `lang` inside the block (a page of the site in one of its languages), then as before."""
    token = _LANGUAGE.set(lang if lang in available() else "en")
    try:
        yield
    finally:
        _LANGUAGE.reset(token)


def language() -> str:
    """The language messages are written in."""
    return _LANGUAGE.get()


def written_in(text: Any, lang: str, source: str) -> str:
    """The language a text of the project is shown in on a page in `lang`: `lang` when the text gives it, else
    the first language the text gives, else (a text written once) `source`, the language the project's texts
    are written in."""
    translations = getattr(text, "translations", None) or {}
    if lang in translations:
        return lang
    if translations:
        return str(next(iter(translations)))
    return source


def named(params: dict[str, Any]) -> dict[str, Any]:
    """The values for a catalogue entry, each plain text a `french.Name` (so `{region:de}` works)."""
    return {k: french.Name(v) if type(v) is str else v for k, v in params.items()}


def _fill(lang: str, text: str, params: dict[str, Any]) -> str:
    if params:
        text = text.format(**named(params))
    return french.typeset(text) if lang.startswith("fr") else text


def say(key: str, /, **params: Any) -> str:
    """The message `key` in the language in use, its `{fields}` filled. A key missing from the language's
    catalogue is read in English (the catalogue test keeps that from happening)."""
    lang = _LANGUAGE.get()
    text = catalogue(lang).get(key)
    if text is None:
        lang, text = "en", catalogue("en")[key]
    return _fill(lang, text, params)


def say_n(key: str, count: float | int, /, **params: Any) -> str:
    """`say` for a message that counts: the entry `key.one`, `key.other`... that the count takes in the language
    (Babel's plural rules: French 0 and 1 are singular), with `{count}` filled too."""
    lang = _LANGUAGE.get()
    labels = catalogue(lang)
    form = french.plural(lang, count)
    text = labels.get(f"{key}.{form}") or labels.get(f"{key}.other")
    if text is None:
        lang = "en"
        form = french.plural(lang, count)
        text = catalogue("en").get(f"{key}.{form}") or catalogue("en")[f"{key}.other"]
    return _fill(lang, text, {"count": count, **params})


class Translator:
    """Labels and number and date formats for one language."""

    def __init__(self, lang: str) -> None:
        from babel import Locale

        self.lang = lang
        self.labels = catalogue(lang)
        self.locale = lang.replace("-", "_")
        symbols = Locale.parse(self.locale).number_symbols.get("latn", Locale.parse(self.locale).number_symbols)
        self.decimal = symbols.get("decimal", ".")
        self.group = symbols.get("group", ",")
        self.minus = symbols.get("minusSign", "-")
        self._dates: dict[date, str] = {}
        self._numbers: dict[tuple[Any, int | None, bool], str] = {}
        """Numbers already written: equal values (1, 1.0, Decimal("1.00")) are written alike at equal digits."""

    def __call__(self, key: str, **params: Any) -> str:
        text = self.labels.get(key)
        if text is None:
            raise KeyError(f"the {self.lang} catalogue has no label {key!r}")
        return _fill(self.lang, text, params)

    def sep(self, separator: str) -> str:
        """A separator as this language writes it: French puts a no-break space before `:` and a narrow one
        before `;` ("; " -> " ; ")."""
        if not self.lang.startswith("fr"):
            return separator
        return separator.replace(": ", "\u00a0: ").replace("; ", "\u202f; ")

    def prose(self, text: str) -> str:
        """A text of the project written in this language (a team's note, a reason), with the language's
        spacing: French team text typed with plain spaces before `:` gets the no-break ones."""
        return french.typeset(text) if self.lang.startswith("fr") and text else text

    def plural(self, count: float | int) -> str:
        """The plural category of a count in this language (Babel's rules): "one", "other"..."""
        return french.plural(self.lang, count)

    def cardinal(self, count: int, feminine: bool = False) -> str:
        """A count as UN reports write it in running text: one to nine in words, 0 and 10 and above in figures."""
        if 1 <= count <= 9:
            return self(f"paragraph.{'numbers_feminine' if feminine else 'numbers'}").split()[count - 1]
        return self.number(count)

    def count(self, key: str, count: float | int, **params: Any) -> str:
        """A label that counts: the entry `key.one`, `key.other`... the count takes in this language."""
        form = "zero" if count == 0 and f"{key}.zero" in self.labels else french.plural(self.lang, count)
        text = self.labels.get(f"{key}.{form}") or self.labels.get(f"{key}.other")
        if text is None:
            raise KeyError(f"the {self.lang} catalogue has no label {key!r}.{form}")
        return _fill(self.lang, text, {"count": count, **params})

    def number(self, value: Decimal | float | int | None, digits: int | None = None, sign: bool = False) -> str:
        """A number with the language's decimal and grouping signs (Babel's symbols for the locale), `digits`
        decimals (or up to three when None), half-up as the framework rounds."""
        if value is None or (isinstance(value, float) and not math.isfinite(value)):
            return "–"
        key = (value, digits, sign)
        shown = self._numbers.get(key) if not isinstance(value, bool) else None
        if shown is None:
            shown = self._numbers[key] = self._number(value, digits, sign)
        return shown

    def _number(self, value: Decimal | float | int, digits: int | None, sign: bool) -> str:
        number = (
            value
            if isinstance(value, Decimal)
            else Decimal(repr(value))
            if isinstance(value, float)
            else Decimal(value)
        )
        if digits is None:
            text = f"{number.quantize(Decimal('0.001'), rounding='ROUND_HALF_UP').normalize():f}"
        else:
            text = f"{number.quantize(Decimal(1).scaleb(-digits), rounding='ROUND_HALF_UP'):f}"
        negative = text.startswith("-")
        whole, _, fraction = text.lstrip("-").partition(".")
        groups = f"{int(whole):,}".replace(",", self.group)
        out = groups + (self.decimal + fraction if fraction else "")
        if negative and out.strip("0" + self.decimal + self.group):
            return self.minus + out
        return ("+" + out) if sign and number > 0 else out

    def percent(self, share: float, digits: int = 0) -> str:
        """A share of 1 written as a percentage (0.953 -> "95%" or "95 %")."""
        number = self.number(share * 100, digits)
        return f"{number}\u00a0%" if self.lang.startswith("fr") else f"{number}%"

    def long_date(self, value: date | str | None) -> str:
        """A date as United Nations documents write it, day, month in words and year: "30 September 2026",
        "30 septembre 2026", "1er octobre 2026" (never "Sep 30, 2026")."""
        if value is None or value == "":
            return "–"
        if isinstance(value, str):
            value = date.fromisoformat(value)
        from babel.dates import format_date

        shown = format_date(value, format="d MMMM y", locale=self.locale)
        return french.first_of_month(shown, value.day) if self.lang.startswith("fr") else shown

    def date(self, value: date | str | None) -> str:
        if value is None or value == "":
            return "–"
        if isinstance(value, str):
            value = date.fromisoformat(value)
        shown = self._dates.get(value)
        if shown is None:
            from babel.dates import format_date

            shown = format_date(value, format="medium", locale=self.locale)
            if self.lang.startswith("fr"):
                shown = french.first_of_month(shown, value.day)
            self._dates[value] = shown
        return shown
