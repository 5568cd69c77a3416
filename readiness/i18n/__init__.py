"""Translation catalogues: every label the site prints, one YAML file per language (`en.yaml`, `fr.yaml`).

Adding a language is adding a catalogue with the same keys (a test holds every catalogue to the English
keys). Numbers and dates are written as each language writes them, with Babel.
"""

from __future__ import annotations

import functools
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from babel.dates import format_date
from babel.numbers import format_decimal

from ..loading import parse_document

CATALOGUES = Path(__file__).parent


def _flatten(data: dict[str, Any], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, name + "."))
        else:
            out[name] = str(value).strip()
    return out


def available() -> list[str]:
    return sorted(p.stem for p in CATALOGUES.glob("*.yaml"))


@functools.lru_cache(maxsize=None)
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

    def __call__(self, key: str, **params: Any) -> str:
        text = self.labels.get(key)
        if text is None:
            raise KeyError(f"the {self.lang} catalogue has no label {key!r}")
        return text.format(**params) if params else text

    def number(self, value: Decimal | float | int | None, digits: int | None = None, sign: bool = False) -> str:
        if value is None:
            return "–"
        pattern = "#,##0" + ("." + "0" * digits if digits else "") if digits is not None else "#,##0.###"
        if sign:
            pattern = "+" + pattern + ";-" + pattern
        return format_decimal(value, format=pattern, locale=self.locale)

    def percent(self, share: float, digits: int = 0) -> str:
        """A share of 1 written as a percentage (0.953 -> "95%" or "95 %")."""
        number = self.number(share * 100, digits)
        return f"{number}\u00a0%" if self.lang.startswith("fr") else f"{number}%"

    def date(self, value: date | str | None) -> str:
        if value is None or value == "":
            return "–"
        if isinstance(value, str):
            value = date.fromisoformat(value)
        return format_date(value, format="medium", locale=self.locale)
