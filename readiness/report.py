"""Report: from the project and its results to what each audience may see.

This stage decides *what* is published; `render` decides *how it looks*. The internal audience sees everything,
restricted items marked as such. The public audience sees figures computed from public data only:
`public_project` removes every restricted item before scoring (indicators, regions with everything inside them,
observation values, evidence, notes, scenarios), so no published number, taken alone, together with others or
across rounds, is derived from anything restricted. It also leaves out the texts marked sensitive (not restricted,
but not for the public), and shows the people the project names by role only, unless the framework's
`public_edition.named` says their party or role may be named. What was left out is counted, and the site says so.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .model import Assessment, Evidence, Framework, Indicator, Note, Observation, Region, Round
from .project import Project
from .publication import NOT_NAMED, Naming, restricted_regions, sensitive_reason
from .requires import Requires
from .scoring.results import IndicatorResult, LeftOut, RegionRound, Results, results_dict, results_json

if TYPE_CHECKING:
    import networkx as nx

    from .explain import Explainer
    from .situation import Situation

AUDIENCES = ("internal", "public")


@dataclass(frozen=True)
class RestrictedText:
    """A text of a restricted item that must not appear in a public build, and where it is written."""

    text: str
    file: str
    line: int
    what: str


@dataclass
class View:
    """What one audience may see of one project's results. For the public audience, `project` and `results`
    are the public ones: restricted items are not in them."""

    audience: str
    framework: Framework
    project: Project
    results: Results
    rounds: list[Round]
    regions: dict[str, Region]
    indicators: dict[str, Indicator]
    uncertainty: Any = None
    """The Monte Carlo analysis of the latest round (readiness.uncertainty.Analysis), if run."""
    scenarios: dict[str, Any] = field(default_factory=dict)
    """Scenario name to (Scenario, round id, effects)."""
    left_out: LeftOut = field(default_factory=LeftOut)
    """What a public build left out."""
    restricted: list[RestrictedText] = field(default_factory=list)
    """Texts that only restricted items hold: the public build's final guard looks for them."""
    provisional: Any = None
    """Where the latest round stands (collection.RoundProgress) when it is still being collected: a preview."""
    results_file: Path | None = None
    """results.json as scored, already written (internal builds write it while scoring)."""
    _downloadable: bytes | None = None
    _let_go: frozenset[tuple[str, str]] = frozenset()
    """The (round, region) of the assessments `let_go_of_unshown_assessments` let go of."""

    @property
    def public(self) -> bool:
        return self.audience == "public"

    @cached_property
    def situation(self) -> Situation:
        """The latest round as at its cut-off: every district's and unit's standing, computed once for every page
        and document of this view (readiness.situation)."""
        from .situation import Situation

        return Situation(self.project, self.results, self.latest.id, self.uncertainty, regions=self.regions)

    @property
    def latest(self) -> Round:
        return self.rounds[-1]

    @property
    def previous(self) -> Round | None:
        return self.rounds[-2] if len(self.rounds) > 1 else None

    # ---------------------------------------------------------------- results

    def result(self, round_id: str, region_id: str) -> RegionRound | None:
        if region_id not in self.regions:
            return None
        return self.results.get(round_id, region_id)

    def indicator_results(self, r: RegionRound) -> list[IndicatorResult]:
        return [ir for _, ir in sorted(r.indicators.items())]

    def last_result(self, region_id: str) -> RegionRound | None:
        """The region's result in the last round of this view that gives it one (its page's round)."""
        return next((r for rd in reversed(self.rounds) if (r := self.result(rd.id, region_id)) is not None), None)

    def children(self, r: RegionRound) -> list[str]:
        return [c for c in r.children if c in self.regions]

    def assessment(self, round_id: str, region_id: str) -> Assessment | None:
        if (round_id, region_id) in self._let_go:  # a page that reads one would show it as missing: a bug here
            raise RuntimeError(f"the assessment of {region_id} in {round_id} was let go before publishing")
        return self.project.assessments.get((round_id, region_id))

    def shown_assessments(self) -> set[tuple[str, str]]:
        """The (round, region) of the assessments the pages and documents read: each region's in the last round
        that gives it a result (its page: evidence, notes, sign-offs), and every one of the latest round (the gap
        list). Every figure of every round is in the results."""
        shown = {key for key in self.project.assessments if key[0] == self.latest.id}
        for region_id in self.regions:
            if (current := self.last_result(region_id)) is not None:
                shown.add((current.round, region_id))
        return shown

    def let_go_of_unshown_assessments(self) -> None:
        """Keep only the assessments `shown_assessments` names, once everything is scored and weighed and before
        the pages are made: the project's assessments are most of a large project's memory (L: nine tenths of
        them are of earlier rounds), and every process forked to make pages copies what it touches of them. The
        caller lets go of its own references to the project. Asking for one let go of is an error, not a gap."""
        shown = self.shown_assessments()
        kept = {key: a for key, a in self.project.assessments.items() if key in shown}
        self._let_go = frozenset(self.project.assessments) - frozenset(kept)
        self.project = dataclasses.replace(self.project, assessments=kept)
        self.__dict__.pop("situation", None)  # made again, if it was made, from what is kept

    def observation(self, a: Assessment | None, ind_id: str) -> Observation | None:
        return None if a is None else a.observations.get(ind_id)

    @staticmethod
    def notes(notes: list[Note] | Note | None) -> list[Note]:
        return [notes] if isinstance(notes, Note) else list(notes or [])

    @staticmethod
    def evidence(obs: Observation | None) -> list[Evidence]:
        return [] if obs is None else list(obs.evidence)

    def robustness(self, region_id: str) -> Any:
        if self.uncertainty is None or region_id not in self.regions:
            return None
        return self.uncertainty.regions.get(region_id)

    # ---------------------------------------------------------------- the project's structure, for the pages

    @property
    def graph(self) -> nx.DiGraph:
        """The prerequisite graph of the indicators (for a public view, of the public ones only)."""
        return self.project.graph

    def outline(self, region_id: str) -> list[list[tuple[float, float]]] | None:
        """The region's outline on the map (its polygons), if the project's geometry has one for it."""
        region = self.regions.get(region_id)
        if region is None or not region.geometry:
            return None
        return self.project.geometry.get(region.geometry) or None

    def round(self, round_id: str) -> Round:
        return self.project.rounds[round_id]

    def explainer(self, lang: str | None = None, markup: bool = True) -> Explainer:
        """The explainer of these results (gate, step and projection sentences) in `lang`."""
        from .explain import Explainer

        return Explainer(self.project, lang, markup=markup)

    # ---------------------------------------------------------------- downloads

    def downloadable_bytes(self) -> bytes:
        """results.json as this audience may download it, worked out once per view (each language of a build
        publishes it)."""
        if self._downloadable is None:
            if not self.public and self.results_file is not None:
                self._downloadable = self.results_file.read_bytes()
            else:
                self._downloadable = self.downloadable_json().encode("utf-8")
        return self._downloadable

    def downloadable_json(self) -> str:
        """The internal audience gets results.json as scored; the public one the results of the public data,
        saying so and what was left out."""
        if not self.public:
            return results_json(self.results)
        import json

        data = results_dict(self.results)
        data["audience"] = self.audience
        data["left_out"] = self.left_out.as_dict()
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def without_ranks(analysis: Any) -> Any:
    """The Monte Carlo's analysis without the rank intervals (a public build does not rank, unless the framework
    says `uncertainty.rank_in_public`)."""
    from dataclasses import replace

    return replace(analysis, regions={k: replace(u, rank_interval=None) for k, u in analysis.regions.items()})


def build_view(
    project: Project,
    results: Results,
    audience: str,
    uncertainty: Any = None,
    scenarios: dict[str, Any] | None = None,
    left_out: LeftOut | None = None,
    restricted: list[RestrictedText] | None = None,
) -> View:
    """The view of a checked, scored project for `audience`. For the public audience, `project` and
    `results` must be those of `public_project` (see `pipeline.site_view`)."""
    if audience not in AUDIENCES:
        raise ValueError(f"audience must be one of {', '.join(AUDIENCES)}")
    fw = project.framework
    assert fw is not None
    if uncertainty is not None and audience == "public" and not fw.uncertainty.rank_in_public:
        uncertainty = without_ranks(uncertainty)
    rounds = [project.rounds[r] for r in project.round_order]
    view = View(
        audience,
        fw,
        project,
        results,
        rounds,
        dict(sorted(project.regions.items())),
        dict(sorted(project.indicators.items())),
        uncertainty,
        left_out=left_out or LeftOut(),
        restricted=restricted or [],
    )
    view.scenarios = {
        name: (scenario, round_id, [e for e in effects if e.region in view.regions])
        for name, (scenario, round_id, effects) in sorted((scenarios or {}).items())
    }
    if view.latest.collecting:
        from .collection import round_progress

        view.provisional = round_progress(project, view.latest.id, with_levels=False)
    return view


# ---------------------------------------------------------------- the public project


def public_project(project: Project) -> tuple[Project, LeftOut]:
    """The project without anything restricted, to be scored for a public build.

    Left out: restricted indicators (and the prerequisites that name them), restricted regions with every
    region inside them, restricted observation values (read as not collected, with the marking as the reason),
    restricted evidence, restricted notes, notes marked sensitive (`sensitive: true`, or a passage the round's
    `sensitive` list gives), the reasons of positions marked sensitive, and restricted scenarios or those that
    touch a left-out item. A region that lost a part has as population the sum of its public parts, so that no
    population can be recovered by subtraction.
    People appear by role only (`Naming`) unless the framework names their party or role."""
    fw = project.framework
    assert fw is not None
    left = LeftOut()
    hidden_regions = restricted_regions(project)
    indicators = {k: v for k, v in project.indicators.items() if not v.restricted}
    left.indicators = len(project.indicators) - len(indicators)
    left.regions = len(hidden_regions)
    for ind_id, ind in list(indicators.items()):
        kept = [req for req in ind.requires if req.indicator in indicators]
        if len(kept) != len(ind.requires):
            indicators[ind_id] = ind.model_copy(update={"requires": kept})
    regions = {k: v for k, v in project.regions.items() if k not in hidden_regions}
    regions = _public_populations(project, regions, hidden_regions)
    from .i18n import Translator

    reason = (
        fw.marking.restricted_label.get(fw.languages[0])
        if fw.marking.given("restricted_label")
        else Translator(fw.languages[0])("marking.restricted_label")
    )
    naming = Naming(project)
    assessments: dict[tuple[str, str], Assessment] = {}
    for key, a in project.assessments.items():
        if key[1] not in regions:
            continue
        round_ = project.rounds.get(key[0])

        def sensitive(note: Note | None, region: str = key[1], round_: Round | None = round_) -> bool:
            return (
                note is not None and not note.restricted and round_ is not None and round_.marks_sensitive(region, note)
            )

        observations: dict[str, Observation] = {}
        for ind_id, obs in a.observations.items():
            if ind_id not in indicators:
                continue
            if obs.restricted:
                left.values += obs.value is not None
                left.evidence += len(obs.evidence)
                left.notes += obs.note is not None
                observations[ind_id] = Observation(not_collected=reason)
                continue
            evidence = [e for e in obs.evidence if not e.restricted]
            left.evidence += len(obs.evidence) - len(evidence)
            note = obs.note if obs.note is None or not (obs.note.restricted or sensitive(obs.note)) else None
            left.notes += obs.note is not None and obs.note.restricted
            left.sensitive += sensitive(obs.note)
            if len(evidence) != len(obs.evidence) or note is not obs.note:
                obs = obs.model_copy(update={"evidence": evidence, "note": note})
            observations[ind_id] = obs
        texts = [a.narrative, *a.risks, *a.recommendations]
        left.notes += sum(n is not None and n.restricted for n in texts)
        left.sensitive += sum(sensitive(n) for n in texts)
        narrative = (
            a.narrative if a.narrative is None or not (a.narrative.restricted or sensitive(a.narrative)) else None
        )
        risks = [n for n in a.risks if not (n.restricted or sensitive(n))]
        recommendations = [n for n in a.recommendations if not (n.restricted or sensitive(n))]
        assessments[key] = a.model_copy(
            update={
                "observations": observations,
                "narrative": narrative,
                "risks": risks,
                "recommendations": recommendations,
                "team": [shown for shown in (naming.member(t) for t in a.team) if shown is not None],
                "sign_off": [
                    s if naming.names(s.party, s.role) else s.model_copy(update={"name": NOT_NAMED}) for s in a.sign_off
                ],
            }
        )
    scenarios = {
        name: s
        for name, s in project.scenarios.items()
        if not s.restricted
        and all(
            c.region in regions and c.indicator in indicators and not _restricted_observation(project, s, c)
            for c in s.changes
        )
    }
    left.scenarios = len(project.scenarios) - len(scenarios)
    decisions = {k: d for k, d in project.decisions.items() if not d.restricted and d.region in regions}
    left.decisions = len(project.decisions) - len(decisions)
    for did, decision in list(decisions.items()):  # a public decision may not name a restricted indicator
        triggers = [t for t in decision.triggers if t.indicator is None or t.indicator in indicators]
        if len(triggers) != len(decision.triggers):
            left.references += len(decision.triggers) - len(triggers)
            decisions[did] = decision.model_copy(update={"triggers": triggers})
        positions = []
        for p in decision.positions:
            update: dict[str, Any] = {}
            if p.by:
                update["by"] = naming.person(p.by, p.party)
            if sensitive_reason(p):
                update["reason"] = ""
                left.sensitive += 1
            positions.append(p.model_copy(update=update) if update else p)
        if positions != list(decision.positions):
            decisions[did] = decisions[did].model_copy(update={"positions": positions})
    framework = naming.framework(_public_framework(fw, indicators, left))
    mandate = project.mandate
    if mandate is not None and any(r not in regions for d in mandate.deadlines for r in d.regions):
        deadlines = [
            d.model_copy(update={"regions": [r for r in d.regions if r in regions]})
            for d in mandate.deadlines
            if not d.regions or any(r in regions for r in d.regions)
        ]
        mandate = mandate.model_copy(update={"deadlines": deadlines})
    # the passages a round marks sensitive are the texts themselves: the public project does not carry them
    rounds = {rid: r.model_copy(update={"sensitive": []}) if r.sensitive else r for rid, r in project.rounds.items()}
    public = dataclasses.replace(
        project,
        framework=framework,
        rounds=rounds,
        indicators=indicators,
        regions=regions,
        assessments=assessments,
        scenarios=scenarios,
        decisions=decisions,
        mandate=mandate,
        hrddp={},  # the mission's due diligence records are internal: the public edition leaves them out
        requires=Requires(sorted(indicators)),
    )
    for ind_id, ind in indicators.items():  # edges of the prerequisites left out are gone with their nodes
        for req in ind.requires:
            if req.indicator in indicators:
                public.requires.add_edge(req.indicator, ind_id)
    return public, left


def _public_framework(fw: Any, indicators: dict[str, Any], left: LeftOut) -> Any:
    """The framework without the restricted indicators it names: a benchmark keeps the public indicators that
    measure it (one with none left is left out), a threat's list of critical indicators the public ones."""
    benchmarks = []
    for benchmark in fw.benchmarks:
        kept = [i for i in benchmark.indicators if i in indicators]
        left.references += len(kept) != len(benchmark.indicators)
        if kept:
            benchmarks.append(
                benchmark
                if len(kept) == len(benchmark.indicators)
                else benchmark.model_copy(update={"indicators": kept})
            )
    threats = []
    for threat in fw.threats:
        kept = [i for i in threat.critical if i in indicators]
        left.references += len(kept) != len(threat.critical)
        threats.append(threat if len(kept) == len(threat.critical) else threat.model_copy(update={"critical": kept}))
    if benchmarks == list(fw.benchmarks) and threats == list(fw.threats):
        return fw
    return fw.model_copy(update={"benchmarks": benchmarks, "threats": threats})


def _restricted_observation(project: Project, scenario: Any, change: Any) -> bool:
    """Whether a scenario change replaces a restricted observation (its effect would show the value)."""
    from .scoring.scenarios import scenario_round

    name = next(k for k, v in project.scenarios.items() if v is scenario)
    a = project.assessments.get((scenario_round(project, name), change.region))
    obs = a.observations.get(change.indicator) if a else None
    return obs is not None and obs.restricted


def _public_populations(project: Project, regions: dict[str, Region], hidden: set[str]) -> dict[str, Region]:
    """Regions that lost a part take the sum of their public parts as population."""
    if not hidden:
        return regions
    children: dict[str, list[str]] = {}
    for rid, region in project.regions.items():
        if region.parent is not None:
            children.setdefault(region.parent, []).append(rid)

    def lost_a_part(rid: str) -> bool:
        return any(c in hidden or lost_a_part(c) for c in children.get(rid, []))

    def public_population(rid: str) -> int | None:
        if not lost_a_part(rid):
            return regions[rid].population
        parts = [public_population(c) for c in children.get(rid, []) if c not in hidden]
        return sum(p for p in parts if p is not None) if parts and all(p is not None for p in parts) else None

    return {
        rid: (region if not lost_a_part(rid) else region.model_copy(update={"population": public_population(rid)}))
        for rid, region in regions.items()
    }


# ---------------------------------------------------------------- the final guard


def _variants(text: object) -> list[str]:
    """A text in every language it is written in."""
    translations = getattr(text, "translations", None)
    return [str(text).strip(), *(t.strip() for t in translations.values())] if translations else [str(text).strip()]


#: A word, to look a restricted form up by its first one; and a character that continues a word (a form is found
#: only as a whole word: neither is just before or after it).
_WORD = re.compile(r"\w+")
_WORD_CHAR = re.compile(r"[\w-]")


class LeakGuard:
    """The final guard of a public edition: finds the text of a restricted item in whatever is about to be
    published (a page, the search index, results.json, a Word or Excel document's text), in every form it could
    be written in there (as it is, escaped for HTML, inside JSON), as a whole word."""

    def __init__(self, restricted: list[RestrictedText]) -> None:
        import html
        import json

        self.forms: dict[str, RestrictedText] = {}
        for item in restricted:
            for form in (
                item.text,
                html.escape(item.text, quote=False),
                html.escape(item.text, quote=True),
                json.dumps(item.text, ensure_ascii=False)[1:-1],
                json.dumps(item.text)[1:-1],
            ):
                self.forms.setdefault(form, item)
        ordered = sorted(self.forms, key=len, reverse=True)
        # Each form is looked up by its first word, so a page is read once however many forms there are (a public
        # edition hides thousands of names); the few forms without a word are matched by one pattern.
        self.by_first: dict[str, list[tuple[int, str]]] = {}
        odd = []
        for form in ordered:
            word = _WORD.search(form)
            if word is None:
                odd.append(form)
            else:
                self.by_first.setdefault(word.group(0), []).append((word.start(), form))
        self.reach = max((offset for found in self.by_first.values() for offset, _ in found), default=0)
        self.pattern = re.compile("|".join(rf"(?<![\w-]){re.escape(t)}(?![\w-])" for t in odd)) if odd else None

    def first(self, text: str) -> RestrictedText | None:
        """The restricted item whose text `text` shows first (the longest of those that start there), or None."""
        best: tuple[int, int, str] | None = None  # start, -length, form
        match = self.pattern.search(text) if self.pattern is not None else None
        if match:
            best = (match.start(), -len(match.group(0)), match.group(0))
        if self.by_first:
            for word in _WORD.finditer(text):
                if best is not None and word.start() - self.reach > best[0]:
                    break
                for offset, form in self.by_first.get(word.group(0), ()):
                    start = word.start() - offset
                    end = start + len(form)
                    if (
                        start >= 0
                        and text.startswith(form, start)
                        and not (start and _WORD_CHAR.match(text, start - 1))
                        and not _WORD_CHAR.match(text, end)
                        and (best is None or (start, -len(form)) < best[:2])
                    ):
                        best = (start, -len(form), form)
        return self.forms[best[2]] if best is not None else None

    @staticmethod
    def refusal(where: str, item: RestrictedText) -> str:
        """What to tell the team when `where` would show `item`."""
        at = f"{item.file}:{item.line}" if item.file else "the project"
        return (
            f"{where} would show the text of {item.what} ({at}: {item.text[:40]!r}); nothing was published. Mark "
            f"the public item that holds the same text restricted as well, or change the text at {at}"
        )


def restricted_texts(project: Project, public: Project) -> list[RestrictedText]:
    """The ids, names, texts and references that only restricted items hold, the texts marked sensitive and the
    names of the people the public edition shows by role only, with the file and line of each, for the final
    guard of a public build. A text that a public item holds too (the same evidence reference
    in another region) is not one of them: finding it proves nothing."""
    found: list[tuple[str, str, str, tuple[Any, ...], str]] = []  # text, kind, key, loc, what
    hidden_regions = restricted_regions(project)
    for ind in project.indicators.values():
        if ind.restricted:
            found += [
                (t, "indicator", ind.id, (), f"restricted indicator {ind.id}") for t in [ind.id, *_variants(ind.name)]
            ]
    for rid in hidden_regions:
        region = project.regions[rid]
        found += [(t, "region", rid, ("id",), f"restricted region {rid}") for t in [rid, *_variants(region.name)]]
    for name, scenario in project.scenarios.items():
        if scenario.restricted:
            found += [
                (t, "scenario", name, (), f"restricted scenario {name}")
                for t in [*_variants(scenario.name), *_variants(scenario.description)]
            ]
    for decision in project.decisions.values():
        if decision.restricted or decision.region in hidden_regions:
            texts = [decision.id, decision.reference, *_variants(decision.rationale)]
            for condition in decision.conditions:
                texts += _variants(condition.what)
            if decision.posture is not None:
                texts += _variants(decision.posture.text)
            for trigger in decision.triggers:
                texts += _variants(trigger.text)
            found += [(t, "decision", decision.id, (), f"restricted decision {decision.id}") for t in texts]
        for i, position in enumerate(decision.positions):
            if sensitive_reason(position):
                found += [
                    (t, "decision", decision.id, ("positions", i, "reason"), "a reason marked sensitive")
                    for t in _variants(position.reason)
                ]
    for person in Naming(project).people:
        found += [
            (form, person.kind, person.key, person.loc, "the name of someone the public edition shows by role only")
            for form in person.forms
        ]
    for (round_id, region_id), a in project.assessments.items():
        key = f"{round_id}/{region_id}"
        round_ = project.rounds.get(round_id)
        for loc, note in [
            (("narrative",), a.narrative),
            *((("risks", i), n) for i, n in enumerate(a.risks)),
            *((("recommendations", i), n) for i, n in enumerate(a.recommendations)),
            *((("observations", i, "note"), o.note) for i, o in a.observations.items() if not o.restricted),
        ]:
            if note is not None and note.restricted:
                found += [(t, "assessment", key, loc, "a restricted note") for t in _variants(note.text)]
            elif note is not None and round_ is not None and round_.marks_sensitive(region_id, note):
                found += [(t, "assessment", key, loc, "a note marked sensitive") for t in _variants(note.text)]
        for ind_id, obs in a.observations.items():
            if obs.note is not None and obs.restricted:
                found += [
                    (t, "assessment", key, ("observations", ind_id, "note"), "a restricted note")
                    for t in _variants(obs.note.text)
                ]
            for i, ev in enumerate(obs.evidence):
                if ev.restricted or obs.restricted:
                    found.append(
                        (
                            ev.reference,
                            "assessment",
                            key,
                            ("observations", ind_id, "evidence", i, "reference"),
                            "restricted evidence",
                        )
                    )
    public_texts = _texts(public)
    out = []
    for text, kind, key, loc, what in found:
        if not text or text in public_texts or (len(text) < 5 and not any(c.isdigit() for c in text)):
            continue  # too short to tell anything apart, or held by a public item too
        try:
            file, (line, _) = project.where(kind, key, loc)
        except KeyError:
            file, line = "", 0
        out.append(RestrictedText(text, file, line, what))
    return sorted(set(out), key=lambda r: (r.file, r.line, r.text))


def _texts(project: Project) -> set[str]:
    """Every text the public project holds (names, labels, notes, references), in every language."""
    out: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, str):
            out.update(_variants(value))
        elif isinstance(value, dict):
            for k, v in value.items():
                walk(k)
                walk(v)
        elif isinstance(value, list | tuple):
            for v in value:
                walk(v)
        elif hasattr(type(value), "model_fields"):
            for name in type(value).model_fields:
                walk(getattr(value, name))

    for collection in (
        project.indicators,
        project.regions,
        project.rounds,
        project.assessments,
        project.scenarios,
        project.decisions,
    ):
        walk(list(collection.values()))
    walk(project.framework)
    walk(project.mandate)
    return out
