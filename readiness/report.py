"""Report: from the project and its results to what each audience may see.

This stage decides *what* is published; `render` decides *how it looks*. For a public build it leaves out
every indicator, region, observation value, evidence entry and note marked restricted, and redacts their ids
and names from every text that mentions them (gate reasons, paths to handover). It computes no score.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .model import Assessment, Evidence, Framework, Indicator, Note, Observation, Region, Round
from .project import Project
from .scoring.results import (
    HandoverStep,
    IndicatorResult,
    RegionRound,
    Results,
    results_dict,
    results_json,
)

AUDIENCES = ("internal", "public")
REDACTED = "a restricted item"


@dataclass
class View:
    """What one audience may see of one project's results."""

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
    """Scenario name to (Scenario, round id, effects), for the scenarios this audience may see."""
    restricted_terms: list[str] = field(default_factory=list)
    """Strings that must not appear in a public build: ids, names, texts and references marked restricted."""
    results_file: Path | None = None
    """results.json as scored, already written (internal builds write it while scoring)."""
    _pattern: re.Pattern[str] | None = None
    _downloadable: bytes | None = None

    @property
    def public(self) -> bool:
        return self.audience == "public"

    @property
    def latest(self) -> Round:
        return self.rounds[-1]

    @property
    def previous(self) -> Round | None:
        return self.rounds[-2] if len(self.rounds) > 1 else None

    # ---------------------------------------------------------------- text

    def redact(self, text: str) -> str:
        if not self.public or self._pattern is None:
            return text
        return self._pattern.sub(REDACTED, text)

    # ---------------------------------------------------------------- results

    def result(self, round_id: str, region_id: str) -> RegionRound | None:
        if region_id not in self.regions:
            return None
        return self.results.get(round_id, region_id)

    def indicator_results(self, r: RegionRound) -> list[IndicatorResult]:
        return [ir for ind_id, ir in sorted(r.indicators.items()) if ind_id in self.indicators]

    def hidden(self, round_id: str, region_id: str, ind_id: str) -> bool:
        """Whether this audience may not see the value of one observation."""
        return self.value_hidden(self.observation(self.assessment(round_id, region_id), ind_id))

    def path(self, r: RegionRound) -> list[HandoverStep]:
        steps = []
        for s in r.path:
            if s.kind != "sign-off" and s.subject not in self.indicators:
                continue
            if s.current is not None and self.hidden(r.round, r.region, s.subject):
                s = dataclasses.replace(s, current=None, action="")
            steps.append(s)
        return steps

    def children(self, r: RegionRound) -> list[str]:
        return [c for c in r.children if c in self.regions]

    def assessment(self, round_id: str, region_id: str) -> Assessment | None:
        return self.project.assessments.get((round_id, region_id))

    def observation(self, a: Assessment | None, ind_id: str) -> Observation | None:
        if a is None or ind_id not in self.indicators:
            return None
        return a.observations.get(ind_id)

    def value_hidden(self, obs: Observation | None) -> bool:
        return obs is not None and obs.restricted and self.public

    def evidence(self, obs: Observation | None) -> list[Evidence]:
        if obs is None or self.value_hidden(obs):
            return []
        return [e for e in obs.evidence if not (e.restricted and self.public)]

    def notes(self, notes: list[Note] | Note | None) -> list[Note]:
        items = [notes] if isinstance(notes, Note) else list(notes or [])
        return [n for n in items if not (n.restricted and self.public)]

    def robustness(self, region_id: str) -> Any:
        if self.uncertainty is None or region_id not in self.regions:
            return None
        return self.uncertainty.regions.get(region_id)

    def factors(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Sensitivity rows without restricted indicators."""
        return [row for row in rows if not any(row["factor"].endswith(f" {i}") for i in self.project.indicators
                                               if i not in self.indicators)]

    def downloadable_bytes(self) -> bytes:
        """`downloadable_json` in UTF-8, worked out once per view (each language of a build publishes it)."""
        if self._downloadable is None:
            if not self.public and self.results_file is not None:
                self._downloadable = self.results_file.read_bytes()
            else:
                self._downloadable = self.downloadable_json().encode("utf-8")
        return self._downloadable

    def downloadable_json(self) -> str:
        """results.json as this audience may download it (the internal audience gets it as scored)."""
        if not self.public:
            return results_json(self.results)
        import json

        return json.dumps(self.downloadable(), ensure_ascii=False, separators=(",", ":")) + "\n"

    def _scrub(self, row: dict[str, Any]) -> dict[str, Any]:
        """A public row without any restricted id or text, wherever it appears (lists, details, actions)."""
        return _scrub_factory(self)(row)

    def downloadable(self) -> dict[str, Any]:
        """results.json as this audience may download it, as data."""
        data = results_dict(self.results)
        rows = []
        for row in data["results"]:
            if row["region"] not in self.regions:
                continue
            row["indicators"] = {k: v for k, v in row["indicators"].items() if k in self.indicators}
            if self.public:  # public figures are the rounded ones
                row.pop("score_full", None)
                for pillar in row["pillars"].values():
                    pillar.pop("score_full", None)
            for ind_id, entry in row["indicators"].items():
                if self.hidden(row["round"], row["region"], ind_id):
                    for key in ("raw", "score", "capped_score", "contribution", "level", "uncapped_level"):
                        entry[key] = None
                    entry["status"] = "restricted"
            for step in row["path"]:
                if step.get("current") is not None and step["kind"] != "sign-off" and \
                        self.hidden(row["round"], row["region"], step["subject"]):
                    step["current"], step["action"] = None, ""
            row["children"] = [c for c in row["children"] if c in self.regions]
            row["path"] = [s for s in row["path"] if s["kind"] == "sign-off" or s["subject"] in self.indicators]
            row["gates"] = [{**g, "reason": self.redact(g["reason"]),
                             "details": g["details"] if not self.public else {}} for g in row["gates"]]
            if row["override"] and self.public:
                row["override"] = {k: self.redact(str(v)) for k, v in row["override"].items()}
            rows.append(self._scrub(row) if self.public else row)
        data["results"] = rows
        data["audience"] = self.audience
        return data


_NOT_SCRUBBED = {"region", "round", "level", "score_level", "computed_level", "status", "kind", "gate", "allows"}


def _scrub_factory(view: View) -> Any:
    hidden = {i for i in view.project.indicators if i not in view.indicators} | \
             {r for r in view.project.regions if r not in view.regions}

    def scrub(value: Any, key: str = "") -> Any:
        if isinstance(value, str):
            return value if key in _NOT_SCRUBBED else view.redact(value)
        if isinstance(value, list):
            return [scrub(v, key) for v in value if not (isinstance(v, str) and v in hidden)]
        if isinstance(value, dict):
            return {k: scrub(v, k) for k, v in value.items() if k not in hidden}
        return value

    return scrub


def build_view(project: Project, results: Results, audience: str, uncertainty: Any = None,
               scenarios: dict[str, Any] | None = None) -> View:
    """The view of a checked, scored project for `audience` (internal or public)."""
    if audience not in AUDIENCES:
        raise ValueError(f"audience must be one of {', '.join(AUDIENCES)}")
    fw = project.framework
    assert fw is not None
    public = audience == "public"
    rounds = sorted(project.rounds.values(), key=lambda r: (r.date, r.id))
    regions = {k: r for k, r in sorted(project.regions.items()) if not (public and r.restricted)}
    indicators = {k: i for k, i in sorted(project.indicators.items()) if not (public and i.restricted)}
    view = View(audience, fw, project, results, rounds, regions, indicators, uncertainty)
    for name, (scenario, round_id, effects) in sorted((scenarios or {}).items()):
        if public and (scenario.restricted or any(c.region not in regions or c.indicator not in indicators
                                                  for c in scenario.changes)):
            continue
        view.scenarios[name] = (scenario, round_id, [e for e in effects if e.region in regions])
    if public:
        view.restricted_terms = restricted_terms(project)
        ids = [re.escape(t) for t in sorted(set(view.restricted_terms), key=len, reverse=True)]
        if ids:
            view._pattern = re.compile(r"(?<![\w-])(?:" + "|".join(ids) + r")(?![\w-])")
    return view


def _variants(text: object) -> list[str]:
    """A text in every language it is written in."""
    translations = getattr(text, "translations", None)
    return [str(text).strip(), *(t.strip() for t in translations.values())] if translations else [str(text).strip()]


def restricted_terms(project: Project) -> list[str]:
    """Every id, name, text and reference marked restricted, for redaction and for the final leak scan."""
    terms: list[str] = []
    for ind in project.indicators.values():
        if ind.restricted:
            terms += [ind.id, *_variants(ind.name)]
    for region in project.regions.values():
        if region.restricted:
            terms += [region.id, *_variants(region.name)]
    for name, scenario in project.scenarios.items():
        if scenario.restricted:
            terms += [*_variants(scenario.name), *_variants(scenario.description)]
    for a in project.assessments.values():
        for note in [a.narrative, *a.risks, *a.recommendations]:
            if note is not None and note.restricted:
                terms += _variants(note.text)
        for obs in a.observations.values():
            if obs.note is not None and obs.note.restricted:
                terms += _variants(obs.note.text)
            for ev in obs.evidence:
                if ev.restricted or obs.restricted:
                    terms.append(ev.reference)
    return sorted({t for t in terms if t})
