"""French done properly, in one place: elision and articles before names, the first of the month, and the spaces
French puts before `: ; ! ?` and inside « ».

A catalogue entry asks for a name with a preposition through a format spec: `{region:de}` is "de Kessa", "d'Ovanga",
"de l'Unité de police maritime" or "du District de Marun"; `{round:le}` is "le deuxième trimestre 2026" (a label
in running text, lower-cased unless it starts with an acronym). Plurals are Babel's (see `plural`), never written
here.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

#: The common nouns a French name of a region, unit, round or level may start with, by gender: they take the
#: definite article ("de l'Unité de police maritime", "du District de Marun", "la Région des Grands Lacs").
#: A name that starts with none of them is a proper name and takes no article ("de Kessa", "d'Ovanga").
FEMININE = frozenset(
    {
        "académie",
        "base",
        "brigade",
        "circonscription",
        "commune",
        "compagnie",
        "direction",
        "division",
        "école",
        "évaluation",
        "gendarmerie",
        "inspection",
        "police",
        "préfecture",
        "province",
        "région",
        "section",
        "unité",
        "zone",
    }
)
MASCULINE = frozenset(
    {
        "arrondissement",
        "bataillon",
        "bureau",
        "camp",
        "centre",
        "comité",
        "commandement",
        "commissariat",
        "conseil",
        "corps",
        "cycle",
        "département",
        "détachement",
        "district",
        "escadron",
        "groupement",
        "ministère",
        "niveau",
        "office",
        "poste",
        "premier",
        "deuxième",
        "troisième",
        "quatrième",
        "secteur",
        "semestre",
        "service",
        "territoire",
        "trimestre",
    }
)
_VOWEL = re.compile(r"[aeiouyàâäéèêëîïôöùûüœæ]", re.IGNORECASE)
#: Ordinals that head a round label ("Deuxième trimestre 2026"): the label takes the article of the noun after.
_ORDINALS = frozenset({"premier", "première", "deuxième", "second", "seconde", "troisième", "quatrième", "dernier"})


def _gender(name: str) -> str | None:
    """ "f" or "m" when the name starts with a common noun (after an ordinal: "Deuxième trimestre"), else None."""
    words = [w.lower() for w in re.split(r"[\s\-]+", name.strip()) if w]
    if not words:
        return None
    head = words[1] if words[0] in _ORDINALS and len(words) > 1 else words[0]
    if head in FEMININE:
        return "f"
    if head in MASCULINE:
        return "m"
    return None


def _in_text(name: str) -> str:
    """A label inside a sentence: a label that starts with a common noun or an ordinal is lower-cased ("le
    deuxième trimestre 2026"); a proper name or an acronym is left as it is."""
    word = re.split(r"[\s\-']", name.strip(), maxsplit=1)[0]
    if _gender(name) is None or (len(word) > 1 and word[1:].lower() != word[1:]):
        return name  # a proper name (Kessa) or an acronym keeps its capital
    return name[:1].lower() + name[1:]


def article(name: str, *, lower: bool = False) -> str:
    """The name with its definite article, when it takes one: "l'Unité de police maritime", "la Région des Grands
    Lacs", "Kessa". `lower` writes a label as running text does ("le deuxième trimestre 2026")."""
    gender = _gender(name)
    shown = _in_text(name) if lower else name
    if gender is None:
        return shown
    if _VOWEL.match(shown):
        return "l'" + shown
    return ("la " if gender == "f" else "le ") + shown


def of(name: str, *, lower: bool = False) -> str:
    """ "de" before a name: "de Kessa", "d'Ovanga", "de l'Unité…", "de la Région…", "du District de Marun"."""
    gender = _gender(name)
    shown = _in_text(name) if lower else name
    if gender == "m" and not _VOWEL.match(shown):
        return "du " + shown
    if gender is not None:
        return "de " + article(name, lower=lower)
    return ("d'" if _VOWEL.match(shown) else "de ") + shown


def to(name: str, *, lower: bool = False) -> str:
    """ "à" before a name: "à Kessa", "à l'Unité…", "à la Région…", "au deuxième trimestre 2026"."""
    gender = _gender(name)
    shown = _in_text(name) if lower else name
    if gender == "m" and not _VOWEL.match(shown):
        return "au " + shown
    if gender is not None:
        return "à " + article(name, lower=lower)
    return "à " + shown


def lower_first(text: str) -> str:
    """A label inside a sentence in lower case ("partiellement prêt"), unless it starts with an acronym; markup
    and escapes before the first letter are skipped."""
    lead = re.match(r"(?:<[^>]*>|\\.|[^\w<])*", text)
    at = lead.end() if lead else 0
    if at >= len(text) or not text[at].isalpha():
        return text
    following = text[at + 1 : at + 2]
    if following and following.isupper():
        return text  # an acronym: UNPOL, ONU
    return text[:at] + text[at].lower() + text[at + 1 :]


#: The format specs a catalogue entry may put after a placeholder: `{region:de}`.
SPECS = {
    "le": lambda s: article(s),
    "de": lambda s: of(s),
    "à": lambda s: to(s),
    "le_texte": lambda s: article(s, lower=True),
    "de_texte": lambda s: of(s, lower=True),
    "à_texte": lambda s: to(s, lower=True),
    "texte": _in_text,
    "min": lower_first,
}


class Name(str):
    """A name handed to a catalogue entry: `{x:de}` and the other SPECS apply French's rules, in any language's
    entry (English entries simply do not use them)."""

    __slots__ = ()

    def __format__(self, spec: str) -> str:
        if spec in SPECS:
            return SPECS[spec](str(self))
        return format(str(self), spec)


_BEFORE_HIGH = re.compile(r"(?<=[\w\)\]\}\*_»\"'’%…])[ \u00a0\u202f]?([;!?])(?=\s|$|[\)\*_])")
_BEFORE_COLON = re.compile(r"(?<=[\w\)\]\}\*_»\"'’%…])[ \u00a0\u202f]?(:)(?=\s|$|[\*_])")
_AFTER_OPENING = re.compile(r"«[ \u00a0\u202f]?")
_BEFORE_CLOSING = re.compile(r"[ \u00a0\u202f]?»")


_CODE = re.compile(r"(```.*?```|`[^`\n]*`)", re.DOTALL)


def typeset(text: str) -> str:
    """French spacing: a no-break space before `:` and inside « », a narrow no-break space before `; ! ?`. Only
    where the sign ends a word and a space or the end follows, so that URLs, times (10:30), paths and Markdown
    (`:---`) are left alone; code (between backticks) is left as written, since it is copied."""
    if "`" in text:
        parts = _CODE.split(text)
        return "".join(part if i % 2 else _typeset(part, after_code=i > 0) for i, part in enumerate(parts))
    return _typeset(text)


_AFTER_CODE = re.compile(r"^[ \u00a0\u202f]?([:;!?])(?=\s|$)")


def _typeset(text: str, after_code: bool = False) -> str:
    if after_code:  # "`readiness check` :" -- the sign follows a code span
        text = _AFTER_CODE.sub(lambda m: ("\u00a0" if m.group(1) == ":" else "\u202f") + m.group(1), text)
    text = _BEFORE_COLON.sub("\u00a0:", text)
    text = _BEFORE_HIGH.sub(lambda m: "\u202f" + m.group(1), text)
    text = _AFTER_OPENING.sub("«\u00a0", text)
    return _BEFORE_CLOSING.sub("\u00a0»", text)


def first_of_month(shown: str, day: int) -> str:
    """ "1er mai 2026", never "1 mai 2026"."""
    return re.sub(r"^1(?=[ \u00a0])", "1er", shown) if day == 1 else shown


def plural(lang: str, count: float | int | Decimal) -> str:
    """The CLDR plural category of a count in the language (Babel's rules): French says "0 bloquant", "1
    bloquant", "2 bloquants"; English "0 blockers", "1 blocker". English is CLDR's rule written out (one: a
    whole 1), so that `check`, which speaks English by default, does not load Babel at start-up (a test holds
    it to Babel's)."""
    if lang == "en":
        visible = isinstance(count, Decimal) and int(count.as_tuple().exponent) < 0  # 1.0 written with a decimal
        return "one" if count == 1 and not visible else "other"
    return _rules(lang.replace("-", "_"))(abs(count))


@functools.cache
def _rules(locale: str) -> Callable[[Any], str]:
    from babel import Locale

    rule: Callable[[Any], str] = Locale.parse(locale).plural_form
    return rule
