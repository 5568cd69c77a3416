"""Checks: the consistency rules that `readiness check` runs over a linked project.

Each check reads the `Project` and returns diagnostics; none raises for a user's mistake. Checks skip what
linking had to leave out (a file that failed validation is already reported).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import networkx as nx

from .diagnostics import Diagnostic, diagnostic
from .loading import Loc, paused_gc
from .model import Assessment, Framework, Indicator, Pillar, ValueProblem, read_value, short
from .project import Project
from .validation import did_you_mean

ALL_TIERS = "all"


def check_project(project: Project, today: date | None = None) -> list[Diagnostic]:
    """Run every check; `today` bounds evidence dates (defaults to the real date)."""
    with paused_gc():
        return _check_project(project, today)


def _check_project(project: Project, today: date | None) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    fw = project.framework
    if fw is not None:
        found += check_framework(project, fw)
        found += check_indicators(project, fw)
        found += check_regions(project, fw)
        found += check_assessments(project, fw, today or date.today())
        found += check_restricted_references(project)
        found += check_scenarios(project, fw)
    found += check_cycles(project)
    if fw is not None:
        found += check_translations(project, fw)
    found += check_site(project)
    return found


class _Reporter:
    """Small helper so each check states only what is wrong and where."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.found: list[Diagnostic] = []

    def at(self, code: str, kind: str, key: str, loc: Loc, message: str, hint: str = "",
           key_of: bool = False) -> None:
        file, position = self.project.where(kind, key, loc, key_of=key_of)
        self.found.append(diagnostic(code, file, position, message, hint))

    def unknown(self, kind: str, key: str, loc: Loc, what: str, value: str, known: list[str],
                key_of: bool = False) -> None:
        unreadable = self.project.unreadable
        if (what, value) in unreadable or (what, "*") in unreadable:
            return  # defined in a file that failed validation; that file's error is reported
        hint = did_you_mean(value, known) or (f"known {_plural(what)}: {', '.join(known[:12])}"
                                              + (" ..." if len(known) > 12 else "") if known else
                                              f"no {_plural(what)} are defined yet")
        self.at("R002", kind, key, loc, f"unknown {what} {value!r}", hint, key_of)


def _plural(word: str) -> str:
    return word[:-1] + "ies" if word.endswith("y") else word + "s"


def _pillars(pillars: list[Pillar], loc: Loc) -> Iterator[tuple[Pillar, Loc]]:
    for i, pillar in enumerate(pillars):
        here = loc + (i,)
        yield pillar, here
        yield from _pillars(pillar.pillars, here + ("pillars",))


def pillar_ids(fw: Framework) -> list[str]:
    return [p.id for p, _ in _pillars(fw.pillars, ("pillars",))]


# ---------------------------------------------------------------- framework


def check_framework(project: Project, fw: Framework) -> list[Diagnostic]:
    r = _Reporter(project)
    f = ("framework", "")
    for label, items, loc in (("level", fw.levels, ("levels",)), ("tier", fw.tiers, ("tiers",)),
                              ("party", fw.parties, ("parties",)),
                              ("source type", fw.source_types, ("source_types",))):
        seen: set[str] = set()
        for i, item in enumerate(items):
            if item.id in seen:
                r.at("R001", *f, loc + (i, "id"), f"{label} {item.id!r} is defined twice",
                     "ids must be unique; rename or remove one")
            seen.add(item.id)
    seen_pillars: set[str] = set()
    for pillar, loc in _pillars(fw.pillars, ("pillars",)):
        if pillar.id in seen_pillars:
            r.at("R001", *f, loc + ("id",), f"pillar {pillar.id!r} is defined twice",
                 "pillar ids must be unique across the whole tree")
        seen_pillars.add(pillar.id)
        if pillar.weight <= 0:
            r.at("I003", *f, loc + ("weight",), f"pillar {pillar.id!r} has weight {pillar.weight}",
                 "weights must be positive; to leave a pillar out, remove it")

    if fw.scale.min >= fw.scale.max:
        r.at("S003", *f, ("scale",), f"scale.min ({fw.scale.min}) must be below scale.max ({fw.scale.max})")
    level_ids = [lv.id for lv in fw.levels]
    previous: Decimal | None = None
    for i, level in enumerate(fw.levels):
        if level.min_score is None:
            continue
        if not fw.scale.min <= level.min_score <= fw.scale.max:
            r.at("S003", *f, ("levels", i, "min_score"),
                 f"level {level.id!r} needs {level.min_score}, outside the scale {fw.scale.min}-{fw.scale.max}")
        if previous is not None and level.min_score <= previous:
            r.at("I001", *f, ("levels", i, "min_score"),
                 f"level {level.id!r} needs {level.min_score}, not more than the level below it ({previous})",
                 "levels are listed from lowest to highest; each min_score must be higher than the last")
        previous = level.min_score
    if fw.handover_level not in level_ids:
        r.unknown(*f, ("handover_level",), "level", fw.handover_level, level_ids)

    gates = fw.gates
    for name in type(gates).model_fields:
        gate = getattr(gates, name)
        if gate is None:
            continue
        for field in ("required_level", "cap_at", "applies_to", "insufficient_level", "sustained_level",
                      "missing_caps_at"):
            value = getattr(gate, field, None)
            if value is not None and value not in level_ids:
                r.unknown(*f, ("gates", name, field), "level", value, level_ids)
    if gates.sign_off is not None:
        party_ids = [p.id for p in fw.parties]
        for i, party in enumerate(gates.sign_off.parties):
            if party not in party_ids:
                r.unknown(*f, ("gates", "sign_off", "parties", i), "party", party, party_ids)
    if gates.tier_thresholds is not None and gates.tier_thresholds.fallback_tier is not None:
        tier_ids = [t.id for t in fw.tiers]
        if gates.tier_thresholds.fallback_tier not in tier_ids:
            r.unknown(*f, ("gates", "tier_thresholds", "fallback_tier"), "tier",
                      gates.tier_thresholds.fallback_tier, tier_ids)
    if gates.evidence is not None:
        for field in ("min_coverage", "insufficient_below"):
            value = getattr(gates.evidence, field)
            if not 0 <= value <= 100:
                r.at("S003", *f, ("gates", "evidence", field), f"{field} is a percentage, got {value}",
                     "write a number from 0 to 100")
    return r.found


# ---------------------------------------------------------------- indicators


def scored_levels(fw: Framework) -> list[str]:
    """Levels an indicator can be rated at: those with a score cut-off, lowest first."""
    return [lv.id for lv in fw.levels if lv.min_score is not None]


def check_indicators(project: Project, fw: Framework) -> list[Diagnostic]:
    r = _Reporter(project)
    pillars = pillar_ids(fw)
    level_ids = [lv.id for lv in fw.levels]
    tier_ids = [t.id for t in fw.tiers]
    source_ids = [s.id for s in fw.source_types]
    indicator_ids = sorted(project.indicators)
    order = {lv: i for i, lv in enumerate(level_ids)}
    for ind in project.indicators.values():
        key = ("indicator", ind.id)
        if ind.pillar not in pillars:
            r.unknown(*key, ("pillar",), "pillar", ind.pillar, pillars)
        if ind.weight <= 0:
            r.at("I003", *key, ("weight",), f"{ind.id} has weight {ind.weight}",
                 "weights must be positive; to leave an indicator out of the score, delete its file")
        for i, req in enumerate(ind.requires):
            if req.indicator not in project.indicators:
                r.unknown(*key, ("requires", i), "indicator", req.indicator, indicator_ids)
            for field in ("level", "cap_at"):
                value = getattr(req, field)
                if value is not None and value not in level_ids:
                    r.unknown(*key, ("requires", i, field), "level", value, level_ids)
        for i, source in enumerate(ind.evidence.source_types):
            if source not in source_ids:
                r.unknown(*key, ("evidence", "source_types", i), "source type", source, source_ids)
        _check_thresholds(r, ind, fw, tier_ids, level_ids, order)
        _check_scoring(r, ind)
    return r.found


def _check_thresholds(r: _Reporter, ind: Indicator, fw: Framework, tier_ids: list[str], level_ids: list[str],
                      order: dict[str, int]) -> None:
    key = ("indicator", ind.id)
    if not ind.thresholds:
        r.at("S003", *key, ("thresholds",), f"{ind.id} has no thresholds",
             f"give the cut-offs for each level, e.g. `all: {{{', '.join(scored_levels(fw)[1:])}: ...}}`")
        return
    for tier, cuts in ind.thresholds.items():
        if tier != ALL_TIERS and tier not in tier_ids:
            r.unknown(*key, ("thresholds", tier), "tier", tier, [ALL_TIERS, *tier_ids], key_of=True)
        known = [(lv, v) for lv, v in cuts.items() if lv in order]
        for lv in cuts:
            if lv not in order:
                r.unknown(*key, ("thresholds", tier, lv), "level", lv, level_ids, key_of=True)
        known.sort(key=lambda item: order[item[0]])
        for (low_level, low), (high_level, high) in zip(known, known[1:], strict=False):
            ok = high > low if ind.direction == "higher" else high < low
            if not ok:
                relation = "above" if ind.direction == "higher" else "below"
                r.at("I001", *key, ("thresholds", tier, high_level),
                     f"{ind.id} ({ind.direction} is better): the cut-off for {high_level!r} ({high}) must be "
                     f"{relation} the cut-off for {low_level!r} ({low})",
                     "swap the two values, or check the indicator's direction")
    if tier_ids and ALL_TIERS not in ind.thresholds:
        missing = [t for t in tier_ids if t not in ind.thresholds]
        if missing:
            r.at("I004", *key, ("thresholds",),
                 f"{ind.id} has thresholds for {', '.join(ind.thresholds)} but not for {', '.join(missing)}",
                 f"add thresholds for {', '.join(missing)}, or an `{ALL_TIERS}:` set that applies to every tier",
                 key_of=True)


def _check_scoring(r: _Reporter, ind: Indicator) -> None:
    key = ("indicator", ind.id)
    s = ind.scoring
    loc: Loc = ("scoring",)
    if s.method == "goalposts":
        if s.worst is None or s.best is None:
            r.at("I005", *key, loc, f"{ind.id}: goalposts need both `worst` and `best`", key_of=True)
            return
        if s.worst == s.best:
            r.at("I002", *key, loc + ("best",), f"{ind.id}: goalposts worst and best are both {s.best}",
                 "the best value must differ from the worst, or no value can be scored")
        elif (s.best > s.worst) != (ind.direction == "higher"):
            r.at("I002", *key, loc + ("best",),
                 f"{ind.id} is {ind.direction}-is-better, but its goalposts run from {s.worst} (worst) to "
                 f"{s.best} (best)", "swap worst and best, or correct the direction")
        if s.log and (s.worst <= 0 or s.best <= 0):
            r.at("I005", *key, loc + ("log",), f"{ind.id}: a log transform needs positive goalposts")
    elif s.method == "bands":
        bands = s.bands or []
        if len(bands) < 2:
            r.at("I005", *key, loc, f"{ind.id}: band scoring needs at least two bands (value and score)",
                 key_of=True)
            return
        values = [b.value for b in bands]
        rising = all(b > a for a, b in zip(values, values[1:], strict=False))
        if not rising:
            r.at("I005", *key, loc + ("bands",), f"{ind.id}: band values must rise strictly from first to last",
                 "list the bands in increasing order of value")
        scores = [b.score for b in bands]
        better_up = all(b >= a for a, b in zip(scores, scores[1:], strict=False))
        better_down = all(b <= a for a, b in zip(scores, scores[1:], strict=False))
        if (ind.direction == "higher" and not better_up) or (ind.direction == "lower" and not better_down):
            r.at("I005", *key, loc + ("bands",),
                 f"{ind.id} is {ind.direction}-is-better, but its band scores do not follow that direction")
    elif s.method == "rubric":
        if not s.rubric or len(s.rubric) < 2:
            r.at("I005", *key, loc, f"{ind.id}: a rubric needs a descriptor for at least two levels",
                 key_of=True)
        if ind.unit != "ordinal":
            r.at("I005", *key, ("unit",), f"{ind.id}: rubric scoring needs unit `ordinal`, not {ind.unit!r}")
    elif s.method == "yes-no" and ind.unit != "yes-no":
        r.at("I005", *key, ("unit",), f"{ind.id}: yes-no scoring needs unit `yes-no`, not {ind.unit!r}")
    if ind.unit == "yes-no" and s.method != "yes-no":
        r.at("I005", *key, ("scoring", "method"), f"{ind.id}: a yes-no indicator is scored with method yes-no")


def check_cycles(project: Project) -> list[Diagnostic]:
    """Every prerequisite cycle, named in full, reported at each member's `requires` entry."""
    found: list[Diagnostic] = []
    graph = project.graph
    for component in sorted(nx.strongly_connected_components(graph), key=min):
        if len(component) == 1 and not graph.has_edge(next(iter(component)), next(iter(component))):
            continue
        start = min(component)
        cycle = [edge[0] for edge in nx.find_cycle(graph.subgraph(component), source=start)]
        # edges run prerequisite -> dependent; read the cycle as "X requires Y requires ..."
        cycle.reverse()
        names = []
        for ind_id in cycle:
            doc, _ = project.origin("indicator", ind_id)
            names.append(f"{ind_id} ({doc.path})")
        text = " requires ".join(names + [names[0]])
        for i, ind_id in enumerate(cycle):
            required = cycle[(i + 1) % len(cycle)]
            ind = project.indicators[ind_id]
            index = next(j for j, req in enumerate(ind.requires) if req.indicator == required)
            file, position = project.where("indicator", ind_id, ("requires", index))
            found.append(diagnostic("R003", file, position, f"prerequisite cycle: {text}",
                                    f"remove one of these requirements; {ind_id} cannot require {required} "
                                    "if it is itself required first"))
    return found


# ---------------------------------------------------------------- regions


def check_regions(project: Project, fw: Framework) -> list[Diagnostic]:
    r = _Reporter(project)
    region_ids = list(project.regions)
    tier_ids = [t.id for t in fw.tiers]
    assessed = {region for _, region in project.assessments}
    for region in project.regions.values():
        key = ("region", region.id)
        if region.parent is not None and region.parent not in project.regions:
            r.unknown(*key, ("parent",), "region", region.parent, region_ids)
        if region.geometry is not None and region.geometry not in project.geometry:
            r.unknown(*key, ("geometry",), "geometry", region.geometry, sorted(project.geometry))
        if region.tier is not None and region.tier not in tier_ids:
            r.unknown(*key, ("tier",), "tier", region.tier, tier_ids)
        is_leaf = not project.children(region.id)
        if tier_ids and region.tier is None and (is_leaf or region.id in assessed):
            r.at("G001", *key, ("id",), f"region {region.id!r} has no tier",
                 f"add `tier:` with one of {', '.join(tier_ids)}; the tier selects its thresholds")
        # a region may not be its own ancestor; report each region that is on such a loop
        chain, current = [region.id], region.parent
        while current is not None and current in project.regions and current not in chain:
            chain.append(current)
            current = project.regions[current].parent
        if current == region.id:
            loop = " > ".join([*chain, region.id])
            r.at("R004", *key, ("parent",), f"region {region.id!r} is nested inside itself: {loop}",
                 "fix the `parent:` chain so it ends at a top-level region")
        if fw.roll_up == "population" and not is_leaf and any(
            project.regions[c].population is None for c in project.children(region.id)
        ):
            missing = [c for c in project.children(region.id) if project.regions[c].population is None]
            r.at("G002", *key, ("id",), f"region {region.id!r} rolls up by population, but "
                 f"{', '.join(missing)} {'has' if len(missing) == 1 else 'have'} no population",
                 "add `population:` to each child region, or set `roll_up: equal` in the framework")
    return r.found


# ---------------------------------------------------------------- assessments


def check_assessments(project: Project, fw: Framework, today: date) -> list[Diagnostic]:
    r = _Reporter(project)
    level_ids = [lv.id for lv in fw.levels]
    source_ids = [s.id for s in fw.source_types]
    party_ids = [p.id for p in fw.parties]
    indicator_ids = sorted(project.indicators)
    evidence_gate = fw.gates.evidence
    min_sources = evidence_gate.critical_source_types if evidence_gate and evidence_gate.enabled else 1
    default_age = evidence_gate.max_age_days if evidence_gate else 365
    for (round_id, region_id), assessment in project.assessments.items():
        key = ("assessment", f"{round_id}/{region_id}")
        doc, _ = project.origin(*key)
        parts = doc.path.split("/")
        folder, stem = (parts[1], parts[-1].rsplit(".", 1)[0]) if len(parts) == 3 else ("", "")
        round_ = project.rounds.get(round_id)
        for field, value, named, known, what in (("region", region_id, stem, project.regions, "file"),
                                                 ("round", round_id, folder, project.rounds, "folder")):
            if value in known:
                if named != value and named in known:  # a copied file whose `region:` or `round:` was not changed
                    r.at("O006", *key, (field,), f"this file is {doc.path}, but it says `{field}: {value}`",
                         f"change it to `{field}: {named}` (a file copied from another {field}?), or move the file "
                         f"to {_filed_as(doc.path, field, value)}")
            elif named in known:  # a misspelt id: the file's name says which was meant
                r.at("R002", *key, (field,), f"unknown {field} {value!r}; this file is {doc.path}",
                     f"change it to `{field}: {named}`")
            else:
                r.unknown(*key, (field,), field, value, list(known))
        if region_id in project.regions and round_id in project.rounds and (
                (stem != region_id and stem not in project.regions)
                or (folder != round_id and folder not in project.rounds)):  # a name that is no id at all
            expected = f"assessments/{round_id}/{region_id}"
            r.at("P002", *key, ("region",), f"this assessment of {region_id!r} in round {round_id!r} is filed "
                 f"as {doc.path}", f"move it to {expected}.yaml so teams find it")
        cutoff = round_.date if round_ else None
        collecting = round_ is not None and round_.collecting
        _check_observations(r, project, fw, assessment, key, cutoff, today, source_ids, indicator_ids,
                            min_sources, default_age, collecting)
        if not collecting:
            _check_placeholders(r, assessment, key)
        for i, sign in enumerate(assessment.sign_off):
            if sign.party not in party_ids:
                r.unknown(*key, ("sign_off", i, "party"), "party", sign.party, party_ids)
        _check_override(r, assessment, key, cutoff, level_ids)
    return r.found


def _filed_as(path: str, field: str, value: str) -> str:
    parts = path.split("/")
    if field == "region":
        parts[-1] = value + "." + parts[-1].rsplit(".", 1)[-1]
    else:
        parts[1] = value
    return "/".join(parts)


def _check_observations(r: _Reporter, project: Project, fw: Framework, assessment: Assessment,
                        key: tuple[str, str], cutoff: date | None, today: date, source_ids: list[str],
                        indicator_ids: list[str], min_sources: int, default_age: int, collecting: bool = False
                        ) -> None:
    """The observations of one assessment. While its round is collecting, a value still to come (an empty
    observation, or an indicator not listed yet) is progress, not a finding; anything entered is checked."""
    for ind_id, obs in assessment.observations.items():
        loc: Loc = ("observations", ind_id)
        ind = project.indicators.get(ind_id)
        if ind is None:
            r.unknown(*key, loc, "indicator", ind_id, indicator_ids, key_of=True)
        given = [name for name in ("value", "not_collected", "not_applicable") if getattr(obs, name) is not None]
        if len(given) != 1 and not (collecting and not given):
            r.at("O004", *key, loc,
                 f"observation {ind_id} has {' and '.join(given) if given else 'no value and no reason'}",
                 "give exactly one of: value, not_collected (with the reason), not_applicable (with the reason)",
                 key_of=True)
        if ind is not None and obs.value is not None:
            try:
                read_value(ind, obs, fw.scale)
            except ValueProblem as problem:
                r.at(problem.code, *key, loc + ("value",), problem.message, problem.hint)
        for i, ev in enumerate(obs.evidence):
            eloc = loc + ("evidence", i)
            if ev.source not in source_ids:
                r.unknown(*key, eloc + ("source",), "source type", ev.source, source_ids)
            if cutoff is not None and ev.date > cutoff:
                r.at("E001", *key, eloc + ("date",),
                     f"evidence dated {ev.date}, after the round's cut-off date {cutoff}",
                     "check the date; evidence gathered after the cut-off belongs to the next round")
            elif ev.date > today:
                r.at("E001", *key, eloc + ("date",), f"evidence dated {ev.date}, which is in the future",
                     "check the date")
            max_age = (ind.evidence.max_age_days if ind and ind.evidence.max_age_days else default_age)
            if cutoff is not None and (cutoff - ev.date).days > max_age:
                r.at("E002", *key, eloc + ("date",),
                     f"evidence dated {ev.date} is {(cutoff - ev.date).days} days old at the round's cut-off; "
                     f"{ind_id} accepts at most {max_age} days",
                     "collect current evidence, or mark the value not_collected with the reason")
        if ind is not None and obs.value is not None:
            if not obs.evidence:
                r.at("E004", *key, loc, f"{ind_id} has a value but no evidence",
                     "add at least one evidence entry (source, reference, date)", key_of=True)
            elif ind.critical:
                kinds = {ev.source for ev in obs.evidence}
                if len(kinds) < min_sources:
                    r.at("E003", *key, loc + ("evidence",),
                         f"{ind_id} is critical and needs {min_sources} distinct source types, has "
                         f"{len(kinds)} ({', '.join(sorted(kinds))})",
                         "add evidence of another kind (e.g. field verification besides administrative records)",
                         key_of=True)
    meant = {m for key in assessment.observations if key not in project.indicators
             for m in difflib.get_close_matches(key, indicator_ids, n=1, cutoff=0.6)}
    missing = [i for i in sorted(project.indicators) if i not in assessment.observations and i not in meant]
    if missing and not collecting:  # (an indicator under a misspelt id is reported there, not as missing)
        r.at("O003", *key, ("observations",),
             f"{len(missing)} indicator{'s' * (len(missing) != 1)} missing without a reason: {', '.join(missing)}",
             "list each one with `not_collected: <reason>` (missing is never read as zero)", key_of=True)


def check_restricted_references(project: Project) -> list[Diagnostic]:
    """An evidence reference marked restricted in one place and not in another: the public build publishes the
    public one, so the restriction protects nothing (often a mark forgotten in a spreadsheet)."""
    r = _Reporter(project)
    places: dict[str, list[tuple[bool, str, str, Loc]]] = {}
    for (round_id, region_id), a in sorted(project.assessments.items()):
        for ind_id, obs in a.observations.items():
            for i, ev in enumerate(obs.evidence):
                places.setdefault(ev.reference, []).append((ev.restricted or obs.restricted, round_id, region_id,
                                                            ("observations", ind_id, "evidence", i, "reference")))
    for reference, where in places.items():
        restricted = [w for w in where if w[0]]
        if not restricted or len(restricted) == len(where):
            continue
        _, first_round, first_region, first_loc = restricted[0]
        file, (line, _) = project.where("assessment", f"{first_round}/{first_region}", first_loc)
        for _, round_id, region_id, loc in where:
            if not _:
                r.at("E005", "assessment", f"{round_id}/{region_id}", loc,
                     f"the reference {short(reference, 50)!r} is restricted at {file}:{line} but not here, so a "
                     "public build publishes it", "mark this evidence `restricted: true` as well, or lift the "
                     "restriction where it is not needed")
    return r.found


def _check_placeholders(r: _Reporter, assessment: Assessment, key: tuple[str, str]) -> None:
    """A final round publishes what it holds: the scaffold's placeholder text may not be among it."""
    from .model import PLACEHOLDERS

    notes = [(("narrative",), assessment.narrative), *((("risks", i), n) for i, n in enumerate(assessment.risks)),
             *((("recommendations", i), n) for i, n in enumerate(assessment.recommendations))]
    for loc, note in notes:
        if note is not None and any(p in variant for p in PLACEHOLDERS for variant in _texts_of(note.text)):
            r.at("A001", *key, loc, "the placeholder text of `readiness new-round` is still here, in a final round",
                 "write what the team found, or remove the entry; a final round publishes it as written")


def _texts_of(text: object) -> list[str]:
    translations = getattr(text, "translations", None)
    return list(translations.values()) if translations else [str(text)]


def _check_override(r: _Reporter, assessment: Assessment, key: tuple[str, str], cutoff: date | None,
                    level_ids: list[str]) -> None:
    override = assessment.override
    if override is None:
        return
    if override.level not in level_ids:
        r.unknown(*key, ("override", "level"), "level", override.level, level_ids)
    absent = [name for name in ("rationale", "approved_by", "expires")
              if getattr(override, name) in (None, "")]
    if absent:
        r.at("V001", *key, ("override",), f"the override lacks {', '.join(absent)}",
             "an override is shown to leadership only with a rationale, an approver and an expiry date",
             key_of=True)
    if override.expires is not None and cutoff is not None and override.expires < cutoff:
        r.at("V002", *key, ("override", "expires"),
             f"the override expired on {override.expires}, before this round's cut-off {cutoff}; it is ignored",
             "remove it, or renew it with a new approval and expiry date")


# ---------------------------------------------------------------- scenarios


def check_scenarios(project: Project, fw: Framework) -> list[Diagnostic]:
    r = _Reporter(project)
    from .loading import Plain
    from .model import Observation

    for name, scenario in project.scenarios.items():
        key = ("scenario", name)
        if scenario.round is not None and scenario.round not in project.rounds:
            r.unknown(*key, ("round",), "round", scenario.round, list(project.rounds))
        for i, change in enumerate(scenario.changes):
            loc: Loc = ("changes", i)
            if change.region not in project.regions:
                r.unknown(*key, loc + ("region",), "region", change.region, list(project.regions))
            ind = project.indicators.get(change.indicator)
            if ind is None:
                r.unknown(*key, loc + ("indicator",), "indicator", change.indicator, sorted(project.indicators))
            if (change.value is None) == (change.not_collected is None):
                r.at("O004", *key, loc, "a scenario change needs exactly one of value and not_collected",
                     "give the value the scenario assumes, or not_collected with the reason")
            elif ind is not None and change.value is not None:
                try:
                    read_value(ind, Observation.model_validate({"value": Plain(change.value)}), fw.scale)
                except ValueProblem as problem:
                    r.at(problem.code, *key, loc + ("value",), problem.message, problem.hint)
            round_id = scenario.round if scenario.round is not None else (max(
                project.rounds.values(), key=lambda rd: (rd.date, rd.id)).id if project.rounds else None)
            if round_id in project.rounds and change.region in project.regions and \
                    (round_id, change.region) not in project.assessments:
                r.at("C001", *key, loc + ("region",), f"{change.region} has no assessment in round {round_id}, so "
                     "this scenario cannot change it", "choose a region assessed in that round, or set `round:` "
                     "to a round in which it was assessed")
    return r.found


# ---------------------------------------------------------------- the site's sources: mkdocs.yml and site/

_SCANNED = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html", ".svg": "html",
            ".css": "css"}


def check_site(project: Project) -> list[Diagnostic]:
    """mkdocs.yml names only files that site/ holds, and no page, drawing or style sheet of site/ runs a script
    or loads anything from outside the site (the same scanner reads the built site)."""
    from .loading import MAX_FILE_BYTES
    from .project import SITE_SOURCES
    from .safety import scan_css, scan_html, scan_markdown

    found: list[Diagnostic] = []
    settings = project.settings
    if settings is not None:
        r = _Reporter(project)
        for key in ("logo", "favicon"):
            value = getattr(settings.theme, key)
            if value is not None and value not in project.site_files:
                r.at("M001", "settings", "", ("theme", key), f"theme.{key} names {value}, which is not a file in "
                     "site/", f"put the image in site/ (site/{value}), or correct the path (relative to site/)")
        found += r.found
    for rel in project.site_files:
        kind = _SCANNED.get(Path(rel).suffix.lower())
        if kind is None:
            continue
        path = project.root / SITE_SOURCES / rel
        shown = f"{SITE_SOURCES}/{rel}"
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                found.append(diagnostic("P001", shown, (1, 1), f"the file is larger than "
                                        f"{MAX_FILE_BYTES // 1048576} MB", "split the page, or link a download"))
                continue
            text = path.read_bytes().decode("utf-8", errors="replace")
        except OSError as exc:
            found.append(diagnostic("P001", shown, (1, 1), f"cannot read the file: {exc.strerror or exc}",
                                    "check the file's permissions"))
            continue
        problems = (scan_markdown(text) if kind == "markdown" else scan_css(text) if kind == "css"
                    else scan_html(text, theme=False))
        for problem in problems:
            found.append(diagnostic("M002", shown, (problem.line, 1), problem.what,
                                    "pages of site/ are the team's own Markdown and HTML, but the site runs no "
                                    "script and loads nothing from outside itself: copy images into site/ and "
                                    "link them by a relative path; remove scripts and event handlers"))
    return found


# ---------------------------------------------------------------- translations


def _translatable_fields(model_class: type) -> list[tuple[str, str | None]]:
    """(field, policy) of the fields of a model class that hold translatable text, directly (policy set) or
    inside nested models (policy None). Cached per class: most fields (numbers, ids, evidence) never do."""
    cached = _FIELDS.get(model_class)
    if cached is not None:
        return cached
    import typing

    from pydantic import BaseModel

    from .model import Translation

    out: list[tuple[str, str | None]] = []
    _FIELDS[model_class] = out  # guards recursive models (pillars hold pillars)
    for name, info in model_class.model_fields.items():  # type: ignore[attr-defined]
        policy = next((m.policy for m in info.metadata if isinstance(m, Translation)), None)
        if policy:
            out.append((name, policy))
            continue
        stack = [info.annotation]
        while stack:
            t = stack.pop()
            if isinstance(t, type) and issubclass(t, BaseModel):
                if t is model_class or _translatable_fields(t):
                    out.append((name, None))
                    break
            stack.extend(typing.get_args(t))
    return out


_FIELDS: dict[type, list[tuple[str, str | None]]] = {}


def _translatable(model: object, loc: Loc) -> Iterator[tuple[Loc, object, str]]:
    """(location, value, policy) of every translatable text inside a model."""
    from pydantic import BaseModel

    from .model import LocalText

    if not isinstance(model, BaseModel):
        return
    for name, policy in _translatable_fields(type(model)):
        value = getattr(model, name)
        if policy:
            if isinstance(value, LocalText):
                yield loc + (name,), value, policy
            continue
        if isinstance(value, BaseModel):
            yield from _translatable(value, loc + (name,))
        elif isinstance(value, dict):
            for key, item in value.items():
                yield from _translatable(item, loc + (name, key))
        elif isinstance(value, list):
            for key, item in enumerate(value):
                yield from _translatable(item, loc + (name, key))


def check_translations(project: Project, fw: Framework) -> list[Diagnostic]:
    """Every language the framework declares, for the text meant to be translated (I006, a warning)."""
    r = _Reporter(project)
    languages = list(fw.languages)
    owners: list[tuple[str, str, object]] = [("framework", "", fw)]
    owners += [("indicator", k, v) for k, v in project.indicators.items()]
    owners += [("region", k, v) for k, v in project.regions.items()]
    owners += [("round", k, v) for k, v in project.rounds.items()]
    owners += [("assessment", f"{k[0]}/{k[1]}", v) for k, v in project.assessments.items()]
    owners += [("scenario", k, v) for k, v in project.scenarios.items()]
    for kind, key, model in owners:
        for loc, text, policy in _translatable(model, ()):
            if not str(text):
                continue
            given = list(text.translations)  # type: ignore[attr-defined]
            if not given:
                if policy == "expected" and len(languages) > 1:
                    r.at("I006", kind, key, loc, f"{dotted_loc(loc)} is written in one language only; the framework "
                         f"declares {', '.join(languages)}",
                         "write it as a mapping, e.g. `{" + ", ".join(f"{lang}: ..." for lang in languages) + "}`")
                continue
            missing = [lang for lang in languages if lang not in given]
            unknown = [lang for lang in given if lang not in languages]
            if missing:
                r.at("I006", kind, key, loc, f"{dotted_loc(loc)} has no {', '.join(missing)} text",
                     f"add `{missing[0]}: ...` beside {', '.join(given)}")
            if unknown:
                r.at("I006", kind, key, loc, f"{dotted_loc(loc)} is given in {', '.join(unknown)}, a language the "
                     f"framework does not declare ({', '.join(languages)})",
                     did_you_mean(unknown[0], languages) or "add it to `languages:` in framework.yaml, or remove it")
    return r.found


def dotted_loc(loc: Loc) -> str:
    from .validation import dotted

    return dotted(loc) or "the text"
