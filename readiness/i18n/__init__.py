"""Translation catalogues: every label the site prints, one YAML file per language (`en.yaml`, `fr.yaml`).

Adding a language is adding a catalogue with the same keys (a test holds every catalogue to the English
keys). Numbers and dates are written as each language writes them, with Babel.
"""

from __future__ import annotations

import functools
import math
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date

from ..loading import parse_document

CATALOGUES = Path(__file__).parent


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


@functools.cache
def catalogue(lang: str) -> dict[str, str]:
    path = CATALOGUES / f"{lang}.yaml"
    if not path.is_file():
        raise KeyError(f"no catalogue for language {lang!r}; available: {', '.join(available())}")
    # our own loader: no YAML 1.1 guessing, so a key `yes:` stays the word "yes"
    doc, problems = parse_document(path.read_bytes(), path.name)
    if doc is None:
        raise ValueError(f"the {lang} catalogue is not valid: {problems[0].message}")
    return _flatten(doc.data)


class Translator:
    """Labels and number and date formats for one language."""

    def __init__(self, lang: str) -> None:
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
        return text.format(**params) if params else text

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

    def date(self, value: date | str | None) -> str:
        if value is None or value == "":
            return "–"
        if isinstance(value, str):
            value = date.fromisoformat(value)
        shown = self._dates.get(value)
        if shown is None:
            shown = self._dates[value] = format_date(value, format="medium", locale=self.locale)
        return shown
