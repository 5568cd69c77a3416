"""What the public edition shows of people and of texts, read by the public project (`report.public_project`), its
final guard (`report.restricted_texts`) and `check` (rules A003, A004) alike, so that what is left out and what is
looked for are decided in one place.

- `restricted_regions`: the regions a public edition leaves out (restricted ones, with everything inside them).
- `Naming`: who the public edition names (the framework's `public_edition.named`, by default the parties of the
  mission's side) and how everyone else appears: by role only ("LNP Dabori District Commander").
- `public_texts`: every narrative, risk, recommendation and observation note, and every reason a party gave for
  its position on a decision, that a public edition publishes (not restricted, not sensitive), with where it is
  written; `sensitive_reason`: whether a position's reason is left out.
- `phrases` and `found_in`: the words `check` looks for in a public text (the catalogue's `rule.A003.phrases` of
  each language, or the framework's `public_edition.phrases`), found as whole words, case aside.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Literal, get_args, get_origin

from pydantic import BaseModel, WithJsonSchema

from .loading import Loc
from .model import Framework, LocalText, PartyPosition, TeamMember, person_and_role

if TYPE_CHECKING:
    from .project import Project


def restricted_regions(project: Project) -> set[str]:
    """Regions marked restricted, with every region inside them (their figures would add up to it)."""
    hidden = {rid for rid, region in project.regions.items() if region.restricted}
    changed = True
    while changed:
        changed = False
        for rid, region in project.regions.items():
            if rid not in hidden and region.parent in hidden:
                hidden.add(rid)
                changed = True
    return hidden


#: A sign-off's name in the public edition when the framework does not name its party or role: the role column
#: says who signed.
NOT_NAMED = "–"

#: Words that stand before a name as part of a rank ("Chief Supt.", "Deputy Commissioner"), besides abbreviations
#: ending in a full stop ("Supt.", "Insp.", "Cdt.").
RANK_WORDS = frozenset({"chief", "deputy", "assistant", "senior", "acting", "principal", "commissaire", "adjudant"})


def name_forms(name: str) -> list[str]:
    """The ways a text may write a person's name: as given ("Chief Supt. Ibrahim Dolo"), without the rank
    ("Ibrahim Dolo") and as the rank and surname ("Chief Supt. Dolo"); longest first."""
    words = name.split()
    rank: list[str] = []
    while len(words) > 1 and (words[0].endswith(".") or words[0].casefold() in RANK_WORDS):
        rank.append(words.pop(0))
    forms = [" ".join(rank + words)]
    if rank and len(words) > 1:
        forms += [" ".join(words), " ".join([*rank, words[-1]])]
    return sorted(set(forms), key=len, reverse=True)


def looks_like_a_name(text: str) -> bool:
    """Whether a text written without a role ("Supt. Rose Abeni", "Moussa Kanta") reads as a person's name rather
    than a role ("Director of Police Affairs"): a rank or an initial first, or two to four words all capitalised."""
    words = text.split()
    if not words:
        return False
    if words[0].endswith(".") or words[0].casefold() in RANK_WORDS:
        return True
    return 2 <= len(words) <= 4 and all(w[:1].isupper() for w in words)


@dataclass(frozen=True)
class Person:
    """Someone the public edition shows by role only, and where the project first names them."""

    name: str
    kind: str
    key: str
    loc: Loc

    @property
    def forms(self) -> list[str]:
        return name_forms(self.name)


class Naming:
    """Who the public edition names, as the framework's `public_edition.named` says (by default the parties of the
    mission's side), and how everyone else appears: by role only.

    A sign-off, a party's spokesperson (`by` of a decision's position) and a typed team member (`{name, party,
    role}`) are of a party; a team member written as a line of text is named only when the project shows them to
    be of a party (or in a role) that may be named: they signed or spoke for it, and for no party that may not be,
    or their role names it by its id ("UNPOL investigations adviser") and names no party that may not be. A
    certificate's signatory is named only when its role may be."""

    def __init__(self, project: Project) -> None:
        fw = project.framework
        assert fw is not None
        self.edition = fw.public_edition
        self.parties = list(fw.parties)
        named: dict[str, str] = {}
        hidden: dict[str, Person] = {}

        def seen(name: str, shown: bool, kind: str, key: str, loc: Loc) -> None:
            name = " ".join(name.split())
            if not name:
                return
            if shown:
                named.setdefault(name.casefold(), name)
            else:
                hidden.setdefault(name.casefold(), Person(name, kind, key, loc))

        for (round_id, region_id), a in project.assessments.items():
            for i, s in enumerate(a.sign_off):
                seen(s.name, self.names(s.party, s.role), "assessment", f"{round_id}/{region_id}", ("sign_off", i))
            for i, member in enumerate(a.team):
                if member.typed:
                    shown = self.names(member.party, member.role)
                    seen(member.name, shown, "assessment", f"{round_id}/{region_id}", ("team", i, "name"))
        for d in project.decisions.values():
            for i, p in enumerate(d.positions):
                name, role = person_and_role(p.by)
                if role or looks_like_a_name(name):  # without a comma, a role alone ("Director of Police Affairs")
                    seen(name, self.names(p.party, role), "decision", d.id, ("positions", i, "by"))
        self.known = set(named) - set(hidden)
        """The names (case folded) of people the project shows to be of a party, or in a role, that may be named."""
        for (round_id, region_id), a in project.assessments.items():
            for i, member in enumerate(a.team):
                if member.typed:
                    continue
                name, role = person_and_role(member.text())
                if name.casefold() not in self.known and not self.names(None, role) and not self._of_named(role):
                    if role or looks_like_a_name(name):
                        seen(name, False, "assessment", f"{round_id}/{region_id}", ("team", i))
        for b, body in enumerate(fw.bodies):
            for j, signatory in enumerate(body.signatories):
                if signatory.name and not self.names(None, signatory.role):
                    seen(signatory.name, False, "framework", "", ("bodies", b, "signatories", j, "name"))
        self.people = sorted((p for k, p in hidden.items() if k not in named), key=lambda p: len(p.name), reverse=True)
        """The people the public edition shows by role only, longest name first."""
        self._people = {p.name.casefold() for p in self.people}
        self.hidden = sorted({f for p in self.people for f in p.forms}, key=len, reverse=True)
        """Every form of their names, longest first: a public text should not hold one (`check`, A003; the final
        guard of a public build)."""

    def names(self, party: str | None, role: object = "") -> bool:
        """Whether the public edition names whoever holds `role` for `party`."""
        return self.edition.names(self.parties, party, role)

    def _of_named(self, role: str) -> bool:
        """Whether a team member's role shows them to be of a party that may be named, and of no other: it names a
        party by its id, as a word ("UNPOL investigations adviser"), and names none that may not be."""
        words = {w.casefold() for w in re.findall(r"[\w-]+", role)}
        of = [p.id for p in self.parties if p.id.casefold() in words]
        return bool(of) and all(self.names(p) for p in of)

    def person(self, text: str, party: str | None = None) -> str:
        """A person as written in a team list or a position ("Supt. Moussa Kanta, Acting LNP Dabori District
        Commander") as the public edition shows them: as written when they may be named, else their role alone
        ("" when the text gives no role). A text without a comma that reads as a role stays as written."""
        name, role = person_and_role(text)
        if self.names(party, role) or self.names(party, text):
            return text
        if " ".join(name.split()).casefold() in self._people:
            return role  # shown by role only elsewhere: everywhere
        if party is None and (name.casefold() in self.known or self._of_named(role)):
            return text
        if not role and not looks_like_a_name(name):
            return text  # a role alone: "Director of Police Affairs"
        return role

    def member(self, member: TeamMember) -> TeamMember | None:
        """A team member as the public edition shows them: as written when they may be named, else by their role
        alone (None when they have none to show)."""
        if member.typed:
            if self.names(member.party, member.role):
                return member
            return member.model_copy(update={"name": ""}) if str(member.role).strip() else None
        text = member.text()
        shown = self.person(text)
        if shown == text:
            return member
        return member.model_copy(update={"name": "", "role": LocalText(shown)}) if shown else None

    def framework(self, fw: Framework) -> Framework:
        """The framework with the names of the certificates' signatories whose role may not be named left blank (a
        certificate then gives a line to write the name on)."""
        bodies = []
        for body in fw.bodies:
            signatories = [
                s if not s.name or self.names(None, s.role) else s.model_copy(update={"name": ""})
                for s in body.signatories
            ]
            bodies.append(
                body if signatories == list(body.signatories) else body.model_copy(update={"signatories": signatories})
            )
        if bodies == list(fw.bodies):
            return fw
        return fw.model_copy(update={"bodies": bodies})


@dataclass(frozen=True)
class PublicText:
    """A text a public edition publishes as written, and where: an assessment's note (`round` is its round) or
    the reason of a party's position on a decision (`round` is "")."""

    kind: str
    key: str
    loc: Loc
    text: object
    round: str = ""


def sensitive_reason(position: PartyPosition) -> bool:
    """Whether a party's reason for its position on a decision is kept out of the public edition."""
    return position.sensitive and bool(str(position.reason).strip())


def public_texts(project: Project) -> Iterator[PublicText]:
    """Every text a public edition publishes as written that a team may mark sensitive: the narrative, risks,
    recommendations and observation notes that are not restricted and not sensitive, of regions, indicators and
    observations that are not restricted; and the reasons of the parties' positions on the decisions the public
    edition shows, unless marked sensitive."""
    hidden = restricted_regions(project)
    for (round_id, region_id), a in project.assessments.items():
        round_ = project.rounds.get(round_id)
        if region_id in hidden or round_ is None:
            continue
        notes = [
            (("narrative",), a.narrative),
            *((("risks", i), n) for i, n in enumerate(a.risks)),
            *((("recommendations", i), n) for i, n in enumerate(a.recommendations)),
        ]
        for ind_id, obs in a.observations.items():
            indicator = project.indicators.get(ind_id)
            if not obs.restricted and (indicator is None or not indicator.restricted):
                notes.append((("observations", ind_id, "note"), obs.note))
        for loc, note in notes:
            if note is not None and not note.restricted and not round_.marks_sensitive(region_id, note):
                yield PublicText("assessment", f"{round_id}/{region_id}", loc, note.text, round_id)
    for decision in project.decisions.values():
        if decision.restricted or decision.region in hidden:
            continue
        for i, position in enumerate(decision.positions):
            if str(position.reason).strip() and not position.sensitive:
                yield PublicText("decision", decision.id, ("positions", i, "reason"), position.reason)


def other_public_texts(project: Project) -> Iterator[PublicText]:
    """Every other text of the assessments and decisions a public edition shows, where a name it shows by role only
    may have been written: evidence references, conditions and their references, triggers, postures, overrides,
    amendments... Not the texts `public_texts` gives, nor anything restricted or sensitive (an item marked so is
    left out with all it holds), nor the fields that name the people themselves (sign-offs, team members, a
    party's spokesperson on a decision)."""
    hidden = restricted_regions(project)
    own = {("narrative",), ("risks",), ("recommendations",), ("team",)}
    for (round_id, region_id), a in project.assessments.items():
        if region_id in hidden or round_id not in project.rounds:
            continue
        for loc, text in _strings(a, ()):
            if loc[:1] in own or (loc[:1] == ("sign_off",) and loc[-1] == "name"):
                continue
            if loc[:1] == ("observations",):
                indicator = project.indicators.get(str(loc[1]))
                if loc[2:3] == ("note",) or (indicator is not None and indicator.restricted):
                    continue
            yield PublicText("assessment", f"{round_id}/{region_id}", loc, text, round_id)
    for decision in project.decisions.values():
        if decision.restricted or decision.region in hidden:
            continue
        for loc, text in _strings(decision, ()):
            if not (loc[:1] == ("positions",) and loc[2:3] in (("by",), ("reason",))):
                yield PublicText("decision", decision.id, loc, text)


def _strings(value: object, loc: Loc) -> list[tuple[Loc, object]]:
    """Every text inside a model, with where it is; an item marked restricted or sensitive is skipped whole."""
    found: list[tuple[Loc, object]] = []
    if isinstance(value, str | LocalText):
        found.append((loc, value))
    else:
        _walk_texts(value, loc, found)
    return found


def _walk_texts(value: object, loc: Loc, found: list[tuple[Loc, object]]) -> None:
    if isinstance(value, BaseModel):
        if not _left_out(value):
            _model_texts(value, loc, found)
        return
    if isinstance(value, list | tuple):
        items: Iterable[tuple[str | int, object]] = enumerate(value)
    elif isinstance(value, dict):
        items = value.items()
    else:
        return
    for key, item in items:  # texts, empty values and models are looked at here, without a call each
        if isinstance(item, str | LocalText):
            found.append(((*loc, key), item))
        elif isinstance(item, BaseModel):
            if not _left_out(item):
                _model_texts(item, (*loc, key), found)
        elif item:
            _walk_texts(item, (*loc, key), found)


def _model_texts(model: BaseModel, loc: Loc, found: list[tuple[Loc, object]]) -> None:
    for name in _text_fields(type(model)):
        item = getattr(model, name)
        if isinstance(item, str | LocalText):
            found.append(((*loc, name), item))
        elif item:
            _walk_texts(item, (*loc, name), found)


def _left_out(model: BaseModel) -> bool:
    """Whether an item is marked restricted or sensitive: the public edition leaves it out with all it holds."""
    for mark in _marks(type(model)):
        if getattr(model, mark) is True:
            return True
    return False


@functools.cache
def _marks(model: type[BaseModel]) -> tuple[str, ...]:
    return tuple(mark for mark in ("restricted", "sensitive") if mark in model.model_fields)


#: Annotations that hold no free text: not descended into.
_NO_TEXT = frozenset((int, float, Decimal, bool, date, type(None)))


def _may_hold_text(annotation: object) -> bool:
    """Whether a field so annotated may hold free text, at any depth: not a number, a date, a flag, a choice from
    a fixed list, an id (`_free`), nor a model or a mapping whose values hold none of those (a mapping's keys are
    ids)."""
    if annotation in _NO_TEXT:
        return False
    origin = get_origin(annotation)
    if origin is Literal:
        return False
    if origin is Annotated:
        inner, *metadata = get_args(annotation)
        return _free(metadata) and _may_hold_text(inner)
    if origin in (dict, Mapping):
        return _may_hold_text(get_args(annotation)[-1]) if get_args(annotation) else True
    if origin is not None:  # unions, lists, tuples: by their arguments
        args = [a for a in get_args(annotation) if a is not Ellipsis]
        return not args or any(_may_hold_text(a) for a in args)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation in _VISITING or bool(_text_fields(annotation))
    return not (isinstance(annotation, type) and issubclass(annotation, Enum))


#: The models whose fields are being looked at (a model that holds itself is taken to hold text).
_VISITING: set[type] = set()


@functools.cache
def _text_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """The fields of a model that may hold free text (an observation has more number, date, flag and id fields
    than text ones, and a large project has hundreds of thousands of observations)."""
    _VISITING.add(model)
    try:
        return tuple(
            name for name, f in model.model_fields.items() if _free(f.metadata) and _may_hold_text(f.annotation)
        )
    finally:
        _VISITING.discard(model)


def _free(metadata: list[object]) -> bool:
    """Whether a field's declared JSON Schema lets it hold free text: not an id or a colour (a pattern), not a value
    written as a number or a yes/no."""
    for m in metadata:
        schema = getattr(m, "json_schema", None)
        if isinstance(m, WithJsonSchema) and isinstance(schema, dict):
            kinds = schema.get("type")
            kinds = {kinds} if isinstance(kinds, str) else set(kinds or ())
            if "pattern" in schema or (kinds and not kinds & {"string", "object", "array"}):
                return False
    return True


def phrases(fw: Framework, lang: str) -> list[str]:
    """The words and phrases `check` looks for in a public text written in `lang`: the framework's
    `public_edition.phrases` for the language, else the catalogue's (none for a language without a catalogue)."""
    given = fw.public_edition.phrases.get(lang)
    if given is not None:
        return [p.strip() for p in given if p.strip()]
    from .i18n import available, catalogue

    base = lang.split("-")[0]
    if base not in available():
        return []
    return [p.strip() for p in catalogue(base).get("rule.A003.phrases", "").split(",") if p.strip()]


#: A word of a text, to look words and phrases up by their first one.
_TOKEN = re.compile(r"\w+")
#: A character that continues a word: a match must not have one just before or after it.
_WORD_CHAR = re.compile(r"[\w-]")


@functools.lru_cache(maxsize=64)
def _by_first_word(words: tuple[str, ...]) -> dict[str, list[tuple[int, str, str]]]:
    """The words and phrases to look for, by their first word (case folded): (where that first word starts in the
    phrase, the phrase case folded with its spaces collapsed, the phrase as given)."""
    index: dict[str, list[tuple[int, str, str]]] = {}
    for word in words:
        folded = " ".join(word.split()).casefold()
        first = _TOKEN.search(folded)
        if first is not None:
            index.setdefault(first.group(0), []).append((first.start(), folded, word))
    return index


class Words:
    """Words and phrases to look for in many texts, indexed once by their first word (case folded)."""

    def __init__(self, words: list[str] | tuple[str, ...]) -> None:
        self.words = tuple(words)
        self.index = _by_first_word(self.words)
        alternatives = "|".join(re.escape(w) for w in sorted(self.index, key=len, reverse=True))
        #: Any first word, whole: a text without one holds none of the words (told apart in C).
        self.first = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)") if self.index else None

    def found_in(self, text: str) -> list[str]:
        """The words that `text` holds as whole words (case and line breaks aside), in the order given. Each
        word of the text is looked up once among the first words, so a text is read once however many words and
        names there are (a project names thousands of people)."""
        if self.first is None or self.first.search(text.casefold()) is None:
            return []
        index = self.index
        flat = " ".join(text.split()).casefold()
        found: set[str] = set()
        for token in _TOKEN.finditer(flat):
            for offset, folded, word in index.get(token.group(0), ()):
                start = token.start() - offset
                end = start + len(folded)
                if (
                    start >= 0
                    and word not in found
                    and flat.startswith(folded, start)
                    and not (start and _WORD_CHAR.match(flat, start - 1))
                    and not _WORD_CHAR.match(flat, end)
                ):
                    found.add(word)
        return [w for w in self.words if w in found] if found else []


@functools.lru_cache(maxsize=64)
def _words(words: tuple[str, ...]) -> Words:
    return Words(words)


def found_in(text: str, words: list[str]) -> list[str]:
    """The words of `words` that `text` holds as whole words (case and line breaks aside), in the order of
    `words` (`Words` indexes them once, for a loop over many texts)."""
    return _words(tuple(words)).found_in(text)


def variants(text: object, source: str) -> list[tuple[str, str]]:
    """(language, text) of each language a text is written in; a text written once is in `source`."""
    translations = getattr(text, "translations", None)
    return list(translations.items()) if translations else [(source, str(text))]
