"""Look-alikes: names and ids that look the same but are not (R005), and words that mix scripts (R006).

Two regions whose names differ only in how an accent is encoded (composed "á" or "a" and a combining accent),
in case, in an invisible character, or in a Cyrillic or Greek letter standing for the Latin one it looks like,
read as one region on every page, yet are two to the tool: values, decisions and links may go to the wrong
one. `skeleton` is what a name looks like: Unicode's compatibility normalisation (NFKC), case folding,
invisible characters dropped, and the letters of `CONFUSABLES` replaced by the Latin letter they pass for.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ..i18n import say
from ..loading import Loc
from .base import WARNING, Context, Problem, Rule, at


def _letters(script: str, table: dict[str, str]) -> dict[str, str]:
    return {unicodedata.lookup(f"{script} {name}"): latin for name, latin in table.items()}


#: Cyrillic and Greek letters that look like a Latin letter in common fonts, by the Latin letter they pass
#: for (written by their Unicode names, so that this table holds no look-alike itself).
CONFUSABLES: dict[str, str] = {
    **_letters(
        "CYRILLIC",
        {
            "CAPITAL LETTER A": "A",
            "CAPITAL LETTER VE": "B",
            "CAPITAL LETTER IE": "E",
            "CAPITAL LETTER DZE": "S",
            "CAPITAL LETTER BYELORUSSIAN-UKRAINIAN I": "I",
            "CAPITAL LETTER JE": "J",
            "CAPITAL LETTER KA": "K",
            "CAPITAL LETTER EM": "M",
            "CAPITAL LETTER EN": "H",
            "CAPITAL LETTER O": "O",
            "CAPITAL LETTER ER": "P",
            "CAPITAL LETTER ES": "C",
            "CAPITAL LETTER TE": "T",
            "CAPITAL LETTER U": "Y",
            "CAPITAL LETTER HA": "X",
            "CAPITAL LETTER STRAIGHT U": "Y",
            "CAPITAL LETTER SHHA": "H",
            "CAPITAL LETTER QA": "Q",
            "CAPITAL LETTER WE": "W",
            "CAPITAL LETTER IZHITSA": "V",
            "LETTER PALOCHKA": "I",
            "SMALL LETTER A": "a",
            "SMALL LETTER IE": "e",
            "SMALL LETTER O": "o",
            "SMALL LETTER ER": "p",
            "SMALL LETTER ES": "c",
            "SMALL LETTER U": "y",
            "SMALL LETTER HA": "x",
            "SMALL LETTER DZE": "s",
            "SMALL LETTER BYELORUSSIAN-UKRAINIAN I": "i",
            "SMALL LETTER JE": "j",
            "SMALL LETTER SHHA": "h",
            "SMALL LETTER KOMI DE": "d",
            "SMALL LETTER QA": "q",
            "SMALL LETTER WE": "w",
            "SMALL LETTER STRAIGHT U": "y",
            "SMALL LETTER IZHITSA": "v",
            "SMALL LETTER PALOCHKA": "l",
        },
    ),
    **_letters(
        "GREEK",
        {
            "CAPITAL LETTER ALPHA": "A",
            "CAPITAL LETTER BETA": "B",
            "CAPITAL LETTER EPSILON": "E",
            "CAPITAL LETTER ZETA": "Z",
            "CAPITAL LETTER ETA": "H",
            "CAPITAL LETTER IOTA": "I",
            "CAPITAL LETTER KAPPA": "K",
            "CAPITAL LETTER MU": "M",
            "CAPITAL LETTER NU": "N",
            "CAPITAL LETTER OMICRON": "O",
            "CAPITAL LETTER RHO": "P",
            "CAPITAL LETTER TAU": "T",
            "CAPITAL LETTER UPSILON": "Y",
            "CAPITAL LETTER CHI": "X",
            "CAPITAL LETTER YOT": "J",
            "CAPITAL LUNATE SIGMA SYMBOL": "C",
            "SMALL LETTER ALPHA": "a",
            "SMALL LETTER GAMMA": "y",
            "SMALL LETTER IOTA": "i",
            "SMALL LETTER NU": "v",
            "SMALL LETTER OMICRON": "o",
            "SMALL LETTER RHO": "p",
            "SMALL LETTER UPSILON": "u",
            "SMALL LETTER CHI": "x",
            "LETTER YOT": "j",
            "LUNATE SIGMA SYMBOL": "c",
        },
    ),
}

#: Scripts whose letters are mistaken for one another.
SCRIPTS = ("LATIN", "CYRILLIC", "GREEK")


def _visible(char: str) -> bool:
    """Whether a character shows: format characters (zero-width spaces and joiners, direction marks, the
    byte order mark), variation selectors and the combining grapheme joiner do not."""
    code = ord(char)
    return not (
        unicodedata.category(char) == "Cf" or 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF or code == 0x34F
    )


def folded(text: str) -> str:
    """`text` as it reads whatever its case and encoding: NFKC, case folded, invisible characters dropped and
    runs of spaces (of any kind) made one space."""
    text = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    return " ".join("".join(c for c in text if _visible(c)).split())


def skeleton(text: str) -> str:
    """What `text` looks like: decomposed, every letter of `CONFUSABLES` replaced by its Latin look-alike (the
    accents kept), then `folded`."""
    decomposed = unicodedata.normalize("NFKD", text)
    return folded("".join(CONFUSABLES.get(c, c) for c in decomposed))


def describe(char: str) -> str:
    """A character as a message names it: U+0430 CYRILLIC SMALL LETTER A."""
    return f"U+{ord(char):04X} {unicodedata.name(char, '') or say('rule.R005.unnamed')}"


def _differing(first: str, second: str) -> tuple[str, str]:
    """What is left of two texts once their common beginning and end are taken away."""
    start = 0
    while start < min(len(first), len(second)) and first[start] == second[start]:
        start += 1
    end = 0
    while end < min(len(first), len(second)) - start and first[-1 - end] == second[-1 - end]:
        end += 1
    return first[start : len(first) - end], second[start : len(second) - end]


def why_alike(first: str, second: str) -> str:
    """In words, what alone tells two look-alike texts apart, with the characters that differ (`second`'s
    "here", `first`'s "there")."""
    nfc = unicodedata.normalize
    if nfc("NFC", first) == nfc("NFC", second):
        reason = "normalisation"
    elif nfc("NFKC", first) == nfc("NFKC", second):
        reason = "compatibility"
    elif folded(first) == folded(second):
        cleaned = [" ".join("".join(c for c in nfc("NFKC", t) if _visible(c)).split()) for t in (first, second)]
        if cleaned[0] != cleaned[1]:
            return say("rule.R005.why.case")
        reason = "invisible"
    else:
        reason = "script"
    there, here = _differing(first, second)

    def listed(chars: str) -> str:
        named = [describe(c) for c in chars[:3]] + (["..."] if len(chars) > 3 else [])
        return f" {say('rule.R005.and')} ".join(named) if named else say("rule.R005.nothing")

    return say("rule.R005.differ", reason=say(f"rule.R005.why.{reason}"), here=listed(here), there=listed(there))


@dataclass(frozen=True)
class Entry:
    """A name or id as written: what it is, whose it is, its text and where it is."""

    label: str
    owner: str
    text: str
    kind: str
    key: str
    loc: Loc


def _variants(value: object) -> list[tuple[Loc, str]]:
    """(location, text) of each language of a translatable text (a plain string has one)."""
    translations = getattr(value, "translations", None)
    if translations:
        return [((lang,), str(text)) for lang, text in translations.items()]
    return [((), str(value))]


def _indicators(ctx: Context) -> dict[str, str]:
    """Each indicator file's id, with the key of a linked indicator from that file: an indicator measured per
    population (linked as one indicator per population) stands once, by the id written."""
    by_file: dict[str, list[str]] = {}
    for (kind, key), (doc, _) in ctx.project.origins.items():
        if kind == "indicator":
            by_file.setdefault(doc.path, []).append(key)
    out: dict[str, str] = {}
    for keys in by_file.values():
        written = min(keys, key=len)
        linked = [k for k in sorted(keys) if k in ctx.project.indicators]
        out[written] = written if written in ctx.project.indicators else (linked[0] if linked else "")
    return out


def _entries(ctx: Context) -> list[list[Entry]]:
    """The groups compared: region ids, region names (every language), indicator ids."""
    project = ctx.project
    ids = [Entry("region id", region, region, "region", region, ("id",)) for region in project.regions]
    names = [
        Entry("region name", region.id, text, "region", region.id, ("name", *loc))
        for region in project.regions.values()
        for loc, text in _variants(region.name)
    ]
    indicators = [Entry("indicator id", key, key, "indicator", key, ("id",)) for key in _indicators(ctx)]
    return [ids, names, indicators]


def _pairs(group: list[Entry], key: Callable[[str], str]) -> Iterator[tuple[Entry, Entry]]:
    by_key: dict[str, list[Entry]] = {}
    for entry in group:
        by_key.setdefault(key(entry.text), []).append(entry)
    for alike in by_key.values():
        for i, second in enumerate(alike):
            for first in alike[:i]:
                if first.owner != second.owner and first.text != second.text:
                    yield first, second


class LookAlike(Rule):
    """Two regions whose ids or names, or two indicators whose ids, look the same but differ: in how an accent
    is encoded (a composed "á" in one file, "a" and a combining accent in another, as editors and keyboards
    write them), in case, in an invisible character, or in a Cyrillic or Greek letter that looks like a Latin
    one (U+043E CYRILLIC SMALL LETTER O for "o"). Every page shows them as one, yet they are two: a value, a
    decision or a link meant for one may go to the other. Both are named, with their files and lines. Two
    regions with exactly the same name (a "Central" district in two provinces) are not reported.

    Fails, in assessments/regions.yaml (the second name ends with "a" and a combining accent):

        regions:
          - {id: lomara, name: Republic of Lomara, category: country}
          - {id: north, name: "Kess\\u00e1", parent: lomara, tier: urban, population: 120000}
          - {id: south, name: "Kessa\\u0301", parent: lomara, tier: rural, population: 80000}

    Passes, in assessments/regions.yaml:

        regions:
          - {id: lomara, name: Republic of Lomara, category: country}
          - {id: north, name: "Kess\\u00e1", parent: lomara, tier: urban, population: 120000}
          - {id: south, name: Tobel, parent: lomara, tier: rural, population: 80000}
    """

    code = "R005"
    name = "look-alike"
    severity = WARNING
    needs_framework = False

    def check(self, ctx: Context) -> Iterator[Problem]:
        project = ctx.project
        reported: set[tuple[str, str, str]] = set()
        for group in _entries(ctx):
            for key in (folded, skeleton):
                for first, second in _pairs(group, key):
                    if (first.label, first.owner, second.owner) in reported:
                        continue
                    reported.add((first.label, first.owner, second.owner))
                    file, (line, _) = project.where(first.kind, first.key, first.loc)
                    yield at(
                        second.kind,
                        second.key,
                        second.loc,
                        say(
                            f"rule.R005.alike.{first.label.replace(' ', '_')}",
                            text=second.text,
                            owner=second.owner,
                            other=first.text,
                            other_owner=first.owner,
                            file=file,
                            line=line,
                            why=why_alike(first.text, second.text),
                        ),
                        say(f"rule.R005.alike_hint.{first.kind}"),
                    )


_WORD = re.compile(r"[^\W\d_]+")


def mixed_word(text: str) -> tuple[str, list[str], str] | None:
    """The first word of `text` whose letters belong to more than one of `SCRIPTS`: (the word, the scripts
    in the order met, the letters of the scripts other than the first), or None."""
    for word in _WORD.findall(unicodedata.normalize("NFC", text)):
        scripts: dict[str, list[str]] = {}
        for char in word:
            script = unicodedata.name(char, "").split(" ", 1)[0]
            if script in SCRIPTS:
                scripts.setdefault(script, []).append(char)
        if len(scripts) > 1:
            names = list(scripts)
            ordered = sorted(names, key=lambda s: -len(scripts[s]))
            odd = [describe(c) for s in ordered[1:] for c in dict.fromkeys(scripts[s])][:3]
            return word, names, ", ".join(odd)
    return None


class MixedScript(Rule):
    """A region or indicator name with a word that mixes Latin, Cyrillic or Greek letters ("Kessa" ending with
    U+0430 CYRILLIC SMALL LETTER A): it looks like the Latin word but is not, so a search, a sort or another
    file typed in Latin does not find it, and it may pass for another region's name. A name written in two
    scripts word by word ("Lomara Ломара") is not reported.

    Fails, in assessments/regions.yaml (the "o" of "Southern" is Cyrillic):

        regions:
          - {id: lomara, name: Republic of Lomara, category: country}
          - {id: north, name: Northern Province, parent: lomara, tier: urban, population: 120000}
          - {id: south, name: "S\\u043euthern Province", parent: lomara, tier: rural, population: 80000}

    Passes, in assessments/regions.yaml:

        regions:
          - {id: lomara, name: "Republic of Lomara \\u041b\\u043e\\u043c\\u0430\\u0440\\u0430", category: country}
          - {id: north, name: Northern Province, parent: lomara, tier: urban, population: 120000}
          - {id: south, name: Southern Province, parent: lomara, tier: rural, population: 80000}
    """

    code = "R006"
    name = "mixed-script"
    severity = WARNING
    needs_framework = False

    def check(self, ctx: Context) -> Iterator[Problem]:
        project = ctx.project
        named: list[tuple[str, str, object]] = [("region", r.id, r.name) for r in project.regions.values()]
        named += [
            ("indicator", written, project.indicators[linked].name)
            for written, linked in _indicators(ctx).items()
            if linked
        ]
        for kind, key, name in named:
            for loc, text in _variants(name):
                found = mixed_word(text)
                if found is None:
                    continue
                word, scripts, odd = found
                joined = f" {say('rule.R006.and')} ".join(say(f"rule.R006.script.{s}") for s in scripts)
                yield at(
                    kind,
                    key,
                    ("name", *loc),
                    say(f"rule.R006.mixed.{kind}", key=key, scripts=joined, word=word, odd=odd),
                    say("rule.R006.mixed_hint"),
                )
