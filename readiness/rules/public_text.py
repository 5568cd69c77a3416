"""What the public edition publishes as written: a public text holding words that are rarely for the public, or the
name of someone it shows by role only (A003), and a round's `sensitive` list naming a text no assessment holds
(A004); see readiness/publication.py."""

from __future__ import annotations

from collections.abc import Iterator

from ..i18n import say
from ..model import holds_passage
from ..publication import Naming, PublicText, Words, other_public_texts, phrases, public_texts, variants
from .base import ERROR, WARNING, Context, Problem, Rule, at


class PublicPhrase(Rule):
    """A narrative, risk, recommendation or observation note, or a party's reason for its position on a decision,
    that the public edition publishes (neither restricted nor sensitive) and that holds a word which is rarely
    for the public (intelligence, an informant, an officer recalled, a disciplinary case, a suspension), or the
    name of someone the public edition shows by role only (a host-State officer who signed or was on the team).
    Either may be right where it is; the team decides: mark the text `sensitive: true` (in a sealed round, list
    it under the round's `sensitive:` in assessments/rounds.yaml, which is not part of the seal; on a decision,
    `sensitive: true` beside the position) to keep it out of the public edition, or write it for the public. The
    words looked for are the catalogue's for each language, or the framework's `public_edition.phrases`. A name
    is found as written, without its rank and as rank and surname, in these texts and in every other text of an
    assessment or decision the public edition shows (an evidence reference, why a value was not collected, a
    condition, a trigger, an override); a public build refuses to publish it, so `check` says where it is first
    (an item marked restricted is not published: mark the evidence or the text so, or write the role instead).

    Fails, in assessments/2026-q3/north.yaml:

        risks:
          - The district commander was recalled to headquarters in August; command continuity is fragile.

    Passes, in assessments/2026-q3/north.yaml:

        risks:
          - text: The district commander was recalled to headquarters in August; command continuity is fragile.
            sensitive: true
    """

    code = "A003"
    name = "public-phrase"
    severity = WARNING
    apart = True  # every text of every public assessment walked: a third of the rules' time on a large project

    def check(self, ctx: Context) -> Iterator[Problem]:
        fw = ctx.framework
        project = ctx.project
        names = Words(Naming(project).hidden)
        words: dict[str, Words] = {}
        for item in public_texts(project):
            found: list[str] = []
            named: list[str] = []
            for lang, text in variants(item.text, fw.written_in):
                if lang not in words:
                    words[lang] = Words(phrases(fw, lang))
                found += [w for w in words[lang].found_in(text) if w not in found]
                named += names.found_in(text)
            named = _whole(named)
            if found:
                yield at(
                    item.kind,
                    item.key,
                    item.loc,
                    say("rule.A003.phrase", words=", ".join(repr(w) for w in found)),
                    self._hint(ctx, item),
                )
            if named:
                yield self._named(ctx, item, named)
        if not names.words:
            return
        seen: dict[str, list[str]] = {}  # a text written in many places (a reference, a unit) is read once
        for item in other_public_texts(project):  # references, conditions, triggers...: only the names
            named = []
            for _, text in variants(item.text, fw.written_in):
                if text not in seen:
                    seen[text] = names.found_in(text)
                named += seen[text]
            named = _whole(named)
            if named:
                yield self._named(ctx, item, named)

    @classmethod
    def _named(cls, ctx: Context, item: PublicText, named: list[str]) -> Problem:
        """The names of people shown by role only that a public text holds."""
        message = say("rule.A003.name", names=", ".join(repr(n) for n in named))
        return at(item.kind, item.key, item.loc, message, cls._hint(ctx, item))

    @staticmethod
    def _hint(ctx: Context, item: PublicText) -> str:
        """How to keep this text out of the public edition, where it is written."""
        if item.kind == "decision":
            return say("rule.A003.hint_decision")
        round_ = ctx.project.rounds.get(item.round)
        if round_ is not None and round_.sealed:
            return say("rule.A003.hint_sealed", round=item.round, region=item.key.split("/", 1)[-1])
        return say("rule.A003.hint")


def _whole(names: list[str]) -> list[str]:
    """The names found, each once, without those found only as part of a longer one ("Ruth Okafor-Bah" inside
    "Chief Supt. Ruth Okafor-Bah")."""
    unique = list(dict.fromkeys(names))
    return [n for n in unique if not any(n != m and n.casefold() in m.casefold() for m in unique)]


class SensitiveNotFound(Rule):
    """An entry of a round's `sensitive:` list (assessments/rounds.yaml) that no text of that region's assessment
    in the round holds: the text it was meant to keep out of the public edition would be published. The passage
    must be written as the text writes it, in any of its languages (its first words are enough; line breaks do
    not count), and the region must have an assessment in the round.

    Fails, as assessments/rounds.yaml:

        rounds:
          - {id: 2026-q1, label: First quarter 2026, date: 2026-03-31}
          - id: 2026-q3
            label: Third quarter 2026
            date: 2026-09-30
            sensitive:
              - {region: north, text: The district commander was recalled}

    Passes, in assessments/2026-q3/north.yaml (the round is not sealed: the text is marked where it is written):

        narrative: All posts are staffed.
        risks:
          - text: The district commander was recalled to headquarters in August.
            sensitive: true
    """

    code = "A004"
    name = "sensitive-not-found"
    severity = ERROR

    def check(self, ctx: Context) -> Iterator[Problem]:
        project = ctx.project
        for round_id in project.round_order:
            round_ = project.rounds[round_id]
            for i, entry in enumerate(round_.sensitive):
                assessment = project.assessments.get((round_id, entry.region))
                if assessment is None:
                    yield at(
                        "round",
                        round_id,
                        ("sensitive", i, "region"),
                        say("rule.A004.no_assessment", round=round_id, region=entry.region),
                        say("rule.A004.no_assessment_hint"),
                    )
                    continue
                notes = [
                    assessment.narrative,
                    *assessment.risks,
                    *assessment.recommendations,
                    *(o.note for o in assessment.observations.values()),
                ]
                if not any(holds_passage(n.text, entry.text) for n in notes if n is not None):
                    yield at(
                        "round",
                        round_id,
                        ("sensitive", i, "text"),
                        say("rule.A004.not_found", round=round_id, region=entry.region, text=repr(entry.text[:60])),
                        say("rule.A004.not_found_hint"),
                    )
