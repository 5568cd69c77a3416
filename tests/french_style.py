"""What a francophone reader checks in French text, as functions the tests run over every French page, document
and terminal output: plurals, elision, the first of the month, articles before labels, the spaces before `: ; ! ?`
and inside « », and English sentences left untranslated.

Text is given as a reader sees it (the text of a page, not its HTML); codes, ids, paths, quoted values and
commands are left out by `prose`, which each checker reads.
"""

from __future__ import annotations

import re

MONTHS = (
    "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre|"
    r"janv\.|févr\.|avr\.|juil\.|sept\.|oct\.|nov\.|déc\."
)
#: Nouns that end in s in the singular too.
INVARIABLE = frozenset(
    {"mois", "fois", "pays", "temps", "cas", "accès", "progrès", "processus", "recours", "corps", "succès", "dessous"}
    | {"sous", "dans", "sans", "depuis", "après", "plus", "moins", "très", "alors", "puis", "jamais", "toujours"}
)
_CODE = re.compile(
    r"`[^`]*`"  # code spans left in terminal text
    r"|\b[A-Z]{1,4}-?\d{1,3}[a-z]?\b"  # indicator and rule codes: HR-01, O002
    r"|\S+\.(?:yaml|yml|md|html|json|csv|xlsx|docx|svg|css)\b"  # file names and paths
    r"|https?://\S+|file://\S+"
    r"|--[a-z][\w-]*"  # options
    r"|readiness [a-z-]+"  # commands
    r"|\"[^\"\n]{0,200}\"|'[^'\n]{0,200}'"  # quoted values (the user's own words)
)
_VOWEL_START = "aeiouéèêëàâîïôûœæAEIOUÉÈÊËÀÂÎÏÔÛŒ"
_SPACES = "\u00a0\u202f"


def prose(text: str) -> str:
    """The text with what is not prose (codes, paths, options, commands, quoted values) blanked out."""
    return _CODE.sub(" ", text)


def _context(text: str, start: int, end: int) -> str:
    return text[max(0, start - 30) : end + 30].replace("\n", " ")


def style_faults(text: str) -> list[str]:
    """Each fault of French style in the text, with its context."""
    text = prose(text)
    found: list[str] = []
    for m in re.finditer(r"(?<![\d,.\u202f\u00a0])\b([01])[ \u00a0\u202f]([a-zéèêàçô]+s)\b", text):
        if m.group(2) not in INVARIABLE:
            found.append(f"plural after {m.group(1)}: «{_context(text, m.start(), m.end())}»")
    for m in re.finditer(rf"\b(de|le|la|que|ne|se|jusque|lorsque|puisque) ([{_VOWEL_START}][a-zéèêëàâîïôûœ]+)\b", text):
        if m.group(2).lower() in ("un", "une", "onze", "huit", "ouate", "oui"):
            continue  # numbers and "oui" do not elide
        found.append(f"no elision: «{_context(text, m.start(), m.end())}»")
    for m in re.finditer(r"\b(de|à) (le|les) ", text):
        found.append(f"no contraction (du, au, des, aux): «{_context(text, m.start(), m.end())}»")
    for m in re.finditer(rf"(?<![\d,])\b1[ {_SPACES}]({MONTHS})", text):
        found.append(f"the first of the month is 1er: «{_context(text, m.start(), m.end())}»")
    for m in re.finditer(
        r"\b(à|de|du|le|la|au|depuis le|par rapport au) (Premier|Première|Deuxième|Troisième|Quatrième)\b", text
    ):
        found.append(f"a label in running text is lower-cased: «{_context(text, m.start(), m.end())}»")
    for m in re.finditer(r"(?<=[\w\)»%])([;!?])(?=\s|$)", text):
        found.append(f"no space before {m.group(1)}: «{_context(text, m.start(), m.end())}»")
    for m in re.finditer(r"(?<=[A-Za-zÀ-ÿ\)»%])(:)(?=\s|$)", text):
        found.append(f"no space before ':': «{_context(text, m.start(), m.end())}»")
    for m in re.finditer(r"(?<=\S) ([:;!?])(?=\s|$)", text):
        found.append(f"a breaking space before {m.group(1)}: «{_context(text, m.start(), m.end())}»")
    for m in re.finditer(r"« |«(?=\S)| »|(?<=\S)»", text):
        found.append(f"quotes « » need no-break spaces inside: «{_context(text, m.start(), m.end())}»")
    for m in re.finditer(
        r"\b(Région|Unité|Direction|Province|Brigade|Préfecture|Commune|Zone)\b[^.;:\n]{0,60}?\b(est|a été) "
        r"(passé|transféré|évalué|classé|remis|rétrogradé)\b",
        text,
    ):
        found.append(f"participle not agreed with a feminine name: «{_context(text, m.start(), m.end())}»")
    return found


#: English words that do not occur in French prose: two of them in one sentence make it English.
ENGLISH = frozenset(
    {
        "the",
        "and",
        "is",
        "are",
        "was",
        "were",
        "with",
        "without",
        "has",
        "have",
        "not",
        "must",
        "should",
        "would",
        "could",
        "which",
        "this",
        "that",
        "these",
        "those",
        "from",
        "into",
        "for",
        "of",
        "to",
        "in",
        "by",
        "or",
        "be",
        "been",
        "it",
        "its",
        "no",
        "yet",
        "write",
        "check",
        "missing",
        "round",
        "value",
        "values",
        "file",
        "files",
        "found",
        "needs",
        "give",
        "add",
        "remove",
        "name",
        "every",
        "each",
        "there",
        "here",
        "what",
        "when",
        "only",
        "above",
        "below",
        "after",
        "before",
        "level",
        "score",
        "region",
        "regions",
        "error",
        "errors",
        "warning",
        "warnings",
        "hint",
        "did",
        "you",
        "mean",
        "unknown",
        "expects",
        "got",
        "number",
        "see",
        "use",
    }
)
_WORD = re.compile(r"[A-Za-zÀ-ÿ']+")


def english_left(text: str) -> list[str]:
    """Sentences of the text (outside codes, paths, commands and quoted values) that read as English: three
    English words or more, and more English words than French-looking ones."""
    found = []
    for sentence in re.split(r"(?<=[.!?;:])\s+|\n+", prose(text)):
        words = [w.lower() for w in _WORD.findall(sentence)]
        english = [w for w in words if w in ENGLISH]
        if len(english) >= 3 and len(english) * 2 > len(words):
            found.append(sentence.strip()[:200])
    return found
