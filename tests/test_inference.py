"""Inference attacks on a public build: nothing published, taken together and across rounds, gives back a
restricted value more precisely than the public data alone allows.

The attacker (`PublicBuild` and the `attack_*` functions) reads only what a public build publishes:
downloads/results.json and downloads/results.csv, the HTML pages and search/search_index.json, in every
language built, plus what the site publishes about the framework anyway (pillar tree, weights, names, the
pillar of each public indicator, round dates and labels: the methodology and indicator pages). The internal
truth (`readiness score`, every value as scored) is used only to judge what the attacker found.

One copy of the example serves every attack (its public build: attacks 1 to 5), with three changes:
- Nasse, a district with two siblings, is marked restricted in assessments/regions.yaml (attack 3);
- tobel's IT-01 in 2026-q2 is marked restricted (attack 2). The example restricts no observation value, and
  its values follow smooth trends, so the copy also moves this one off the trend of the rounds around it
  (to 45.5, 5 of 11 stations): neither the value before nor the value after, nor their mean, gives it;
- dabori's restricted human-rights (HRM) evidence for PC-05 in 2026-q3 gets a date used nowhere else in the
  project, later than the public evidence of that observation (attack 4).
A second copy restricts port-adra's SC-01 in 2026-q3, whose evidence reference reads exactly like the public
ones of other districts (attack 6, the build's own guard).

What counts as recovered: an estimate within 0.5 points of the internal score (1 point for a region's
score rebuilt from its parent, 1% for a population), unless the estimate is also what the public figures
alone suggest (the weighted mean of the visible indicators of the pillar, the parent's own score): such a
guess is no better than the public data.

The figures (attacks tried, region-rounds attacked, values recovered) go to build/inference-summary.json for
SECURITY.md.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import shutil
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from babel.dates import format_date

from readiness.project import load_project
from tests.conftest import REPO, reseal, run

pytestmark = pytest.mark.slow

RESTRICTED_DISTRICT = "nasse"
RESTRICTED_OBSERVATION = ("2026-q2", "tobel", "IT-01")
OFF_TREND_VALUE = "45.5"
EVIDENCE = ("2026-q3", "dabori", "PC-05", "HRM")
GUARD_OBSERVATION = ("2026-q3", "port-adra", "SC-01")

WITHIN = 0.5  # points, for an indicator's score
WITHIN_ROLL_UP = 1.0  # points, for a region's score rebuilt from its parent
WITHIN_POPULATION = 0.01
SUMMARY_FILE = REPO / "build" / "inference-summary.json"

SUMMARY: dict[str, Any] = {}
"""Per attack: estimates tried, region-rounds attacked, region-rounds and restricted values recovered."""
CHECKS: dict[str, Any] = {}


# ---------------------------------------------------------------- the project copies and their builds


def _copy_example(target: Path) -> Path:
    shutil.copytree(
        REPO,
        target,
        ignore=shutil.ignore_patterns(
            "build",
            ".git",
            ".venv",
            ".hypothesis",
            "*.egg-info",
            "__pycache__",
            ".pytest_cache",
            ".mypy_cache",
            ".ruff_cache",
            "node_modules",
        ),
    )
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{path}: expected {old!r} once"
    path.write_text(text.replace(old, new), encoding="utf-8")


def _written_dates(day: date) -> set[str]:
    """A date as the site or a reader may write it, in both languages."""
    forms = {day.isoformat(), day.strftime("%d/%m/%Y"), day.strftime("%m/%d/%Y"), day.strftime("%Y/%m/%d")}
    for locale in ("en", "fr"):
        for fmt in ("short", "medium", "long"):
            forms.add(format_date(day, format=fmt, locale=locale))
    forms |= {f"{day.day} {day:%B} {day.year}", f"{day:%B} {day.day}, {day.year}"}
    return forms


def _project_text(root: Path) -> str:
    folders = ("assessments", "indicators", "scenarios", "site")
    return "\n".join(
        p.read_text(encoding="utf-8", errors="replace")
        for folder in folders
        for p in sorted((root / folder).rglob("*"))
        if p.is_file()
    )


def _secret_date(root: Path) -> date:
    """A date for the restricted evidence: after the observation's public evidence, on or before the round's
    cut-off, and written nowhere in the project (in any form), so that finding it in a public file can only
    come from the restricted entry."""
    project, _ = load_project(root)
    round_id, region, ind_id, _ = EVIDENCE
    obs = project.assessments[(round_id, region)].observations[ind_id]
    after = max(e.date for e in obs.evidence if not e.restricted)
    cutoff = project.rounds[round_id].date
    used = {e.date for a in project.assessments.values() for o in a.observations.values() for e in o.evidence}
    text = _project_text(root)
    day = cutoff - timedelta(days=1)
    while day > after:
        if day not in used and not any(form in text for form in _written_dates(day)):
            return day
        day -= timedelta(days=1)
    raise AssertionError("no unused date for the restricted evidence")


@dataclass
class Leaky:
    root: Path
    site: Path
    truth: dict[tuple[str, str], dict[str, Any]]
    project: Any
    secret_date: date


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Path:
    return _copy_example(tmp_path_factory.mktemp("inference") / "example")


@pytest.fixture(scope="module")
def leaky(example, tmp_path_factory) -> Leaky:
    work = tmp_path_factory.mktemp("leaky")
    root = Path(shutil.copytree(example, work / "project"))
    # attack 3: a district with siblings, restricted
    _edit(root / "assessments" / "regions.yaml", "    name: Nasse\n", "    name: Nasse\n    restricted: true\n")
    # attack 2: one observation value, restricted in one round only
    round_id, region, ind_id = RESTRICTED_OBSERVATION
    path = root / "assessments" / round_id / f"{region}.yaml"
    found = re.search(rf"^  {ind_id}:\n    value: [^\n]*\n", path.read_text(encoding="utf-8"), re.MULTILINE)
    assert found, f"{path}: no value for {ind_id}"
    _edit(path, found.group(0), f"  {ind_id}:\n    restricted: true\n    value: {OFF_TREND_VALUE}\n")
    # attack 4: restricted evidence with a date of its own, the latest of its observation
    round_id, region, ind_id, source = EVIDENCE
    secret = _secret_date(root)
    _edit(
        root / "assessments" / round_id / f"{region}.yaml",
        "        date: 2026-08-31\n        restricted: true\n",
        f"        date: {secret.isoformat()}\n        restricted: true\n",
    )
    reseal(root)  # the attacks edit closed rounds; a recorded amendment seals them again
    project, _ = load_project(root)
    obs = project.assessments[(round_id, region)].observations[ind_id]
    hidden = [e for e in obs.evidence if e.restricted]
    assert [(e.source, e.date) for e in hidden] == [(source, secret)]
    assert all(e.source != source and e.date < secret for e in obs.evidence if not e.restricted)
    assert project.regions[RESTRICTED_DISTRICT].restricted
    assert project.assessments[RESTRICTED_OBSERVATION[:2]].observations[RESTRICTED_OBSERVATION[2]].restricted

    site = work / "public"
    result = run("build", "-p", str(root), "--audience", "public", "--out", str(site))
    assert result.exit_code == 0, result.output
    scored = run("score", "-p", str(root), "--format", "json", "--out", str(work / "internal-results.json"))
    assert scored.exit_code == 0, scored.output
    internal = json.loads((work / "internal-results.json").read_text(encoding="utf-8"))
    truth = {(r["round"], r["region"]): r for r in internal["results"]}
    assert truth[(round_id, region)]["indicators"][ind_id]["latest_evidence"] == secret.isoformat()
    assert source in truth[(round_id, region)]["indicators"][ind_id]["source_types"]
    return Leaky(root, site, truth, project, secret)


@pytest.fixture(scope="module")
def public(leaky) -> PublicBuild:
    return PublicBuild(leaky.site, Knowledge(leaky.project))


@pytest.fixture(scope="module", autouse=True)
def summary():
    yield SUMMARY
    SUMMARY_FILE.parent.mkdir(parents=True, exist_ok=True)
    SUMMARY_FILE.write_text(
        json.dumps(
            {
                "what": "inference attacks on a public build of the example (tests/test_inference.py)",
                "recovered_within": {
                    "indicator_points": WITHIN,
                    "roll_up_points": WITHIN_ROLL_UP,
                    "population_share": WITHIN_POPULATION,
                },
                "attacks": SUMMARY,
                "checks": CHECKS,
                "attacks_tried": len(SUMMARY),
                "estimates_tried": sum(a["attempts"] for a in SUMMARY.values()),
                "region_rounds_attacked": sum(a["region_rounds"] for a in SUMMARY.values()),
                "values_recovered": sum(a["values_recovered"] for a in SUMMARY.values()),
            },
            indent=2,
            sort_keys=True,
        )
        + "\n",
        encoding="utf-8",
    )


# ---------------------------------------------------------------- what the public knows anyway


class Knowledge:
    """What a public site publishes about the framework itself: the pillar tree with weights and names, the
    pillar of each public indicator, round dates and labels, level labels. Nothing restricted."""

    def __init__(self, project: Any) -> None:
        fw = project.framework
        self.languages = list(fw.languages)
        self.top_aggregation = fw.aggregation
        self.parent: dict[str, str | None] = {}
        self.children: dict[str | None, list[str]] = defaultdict(list)
        self.weight: dict[str, float] = {}
        self.aggregation: dict[str, str] = {}
        self.pillar_names: dict[str, dict[str, str]] = defaultdict(dict)  # lang -> name -> pillar id

        def walk(pillar: Any, parent: str | None) -> None:
            self.parent[pillar.id] = parent
            self.children[parent].append(pillar.id)
            self.weight[pillar.id] = float(pillar.weight)
            self.aggregation[pillar.id] = pillar.aggregation
            for lang in self.languages:
                self.pillar_names[lang][pillar.name.get(lang)] = pillar.id
            for sub in pillar.pillars:
                walk(sub, pillar.id)

        for pillar in fw.pillars:
            walk(pillar, None)
        self.indicator_pillar = {i.id: i.pillar for i in project.indicators.values() if not i.restricted}
        self.round_dates = {r.id: r.date for r in project.rounds.values()}
        self.round_labels = {
            lang: {r.label.get(lang): r.id for r in project.rounds.values()} for lang in self.languages
        }
        self.level_labels = {lang: {lv.id: lv.label.get(lang) for lv in fw.levels} for lang in self.languages}
        self.level_order = {lv.id: i for i, lv in enumerate(fw.levels)}


# ---------------------------------------------------------------- the attacker's reading of a public build


def _strip(fragment: str) -> str:
    text = re.sub(r"<[^>]+>", " ", fragment)
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def _rows(page: str) -> list[list[str]]:
    return [
        [_strip(c) for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, flags=re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", page, flags=re.S)
    ]


def _number(text: str, lang: str) -> float | None:
    text = re.sub(r"[\s\u00a0\u202f]", "", text).replace("%", "")
    text = text.replace(",", ".") if lang == "fr" else text.replace(",", "")
    try:
        return float(text)
    except ValueError:
        return None


class PublicBuild:
    """Everything a public build publishes, as a reader finds it."""

    def __init__(self, site: Path, know: Knowledge) -> None:
        self.site, self.know = site, know
        self.folders = {
            lang: site if i == 0 else site / lang
            for i, lang in enumerate(know.languages)
            if (site if i == 0 else site / lang).is_dir()
        }
        self.files = {
            p.relative_to(site).as_posix(): p.read_text(encoding="utf-8", errors="replace")
            for p in sorted(site.rglob("*"))
            if p.is_file()
            and p.suffix in (".html", ".json", ".csv", ".js", ".xml", ".svg", ".txt")
            and "assets" not in p.relative_to(site).parts
        }
        self.json_rows: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        self.csv_rows: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
        self.rounds: list[str] = []
        for folder in self.folders.values():
            data = json.loads((folder / "downloads" / "results.json").read_text(encoding="utf-8"))
            self.rounds = data["rounds"]
            for row in data["results"]:
                self.json_rows[(row["round"], row["region"])].append(row)
            table = (folder / "downloads" / "results.csv").read_text(encoding="utf-8")
            for row in csv.DictReader(io.StringIO(table)):
                self.csv_rows[(row["round"], row["region"])].append(row)
        self.regions = sorted({region for _, region in self.json_rows})

    # -------------------------------------------------------- pages

    def page(self, lang: str, region: str) -> str | None:
        """The region's page and its evidence page (its annex), as one text."""
        paths = [self.folders[lang] / folder / f"{region}.html" for folder in ("regions", "evidence")]
        found = [path.read_text(encoding="utf-8") for path in paths if path.is_file()]
        return "\n".join(found) if found else None

    def page_text(self, lang: str, region: str) -> str:
        page = self.page(lang, region) or ""
        page = re.sub(r"<script.*?</script>", " ", page, flags=re.S)
        start = page.find("<article")
        return _strip(page[start:] if start >= 0 else page)

    def populations(self, region: str) -> set[float]:
        found = set()
        for lang in self.folders:
            for match in re.finditer(
                r"population\s*:?\s*(\d{1,3}(?:[\s\u00a0\u202f,.]\d{3})*)", self.page_text(lang, region)
            ):
                value = _number(match.group(1), "fr" if lang == "fr" else "en")
                if value is not None:
                    found.add(value)
        return found

    def population(self, region: str) -> float | None:
        found = self.populations(region)
        return next(iter(found)) if len(found) == 1 else (max(found) if found else None)

    # -------------------------------------------------------- published numbers

    def published(self, round_id: str, region: str, node: str | None) -> set[float]:
        """Every published value of one pillar (node None: the overall score) in one region and round: the
        downloads, and for the latest round the region page's tables, in every language."""
        values: set[float] = set()
        for row in self.json_rows.get((round_id, region), []):
            where = row if node is None else row["pillars"].get(node) or {}
            for key in ("score", "score_full"):
                if isinstance(where.get(key), int | float):
                    values.add(float(where[key]))
        for row in self.csv_rows.get((round_id, region), []):
            value = _number(row.get("score" if node is None else node) or "", "en")
            if value is not None:
                values.add(value)
        for lang in self.folders:
            page = self.page(lang, region)
            if page is None:
                continue
            for cells in _rows(page):
                if len(cells) < 2:
                    continue
                label = cells[0].lstrip("↳ ").strip()
                if node is None and self.know.round_labels[lang].get(label) == round_id:
                    value = _number(cells[1], lang)
                elif (
                    node is not None and round_id == self.rounds[-1] and self.know.pillar_names[lang].get(label) == node
                ):
                    value = _number(cells[1], lang)
                else:
                    continue
                if value is not None:
                    values.add(value)
        return {round(v, 6) for v in values}

    def one(self, round_id: str, region: str, node: str | None) -> float | None:
        rows = self.json_rows.get((round_id, region), [])
        if not rows:
            return None
        where = rows[0] if node is None else rows[0]["pillars"].get(node) or {}
        value = where.get("score_full", where.get("score"))
        return float(value) if isinstance(value, int | float) else None

    def candidates(self, round_id: str, region: str, node: str | None) -> list[tuple[str, float]]:
        """(route, value) for a pillar (or the overall score, node None): as published (route "SC"), and as
        worked back from its parent and siblings in the pillar tree, arithmetic parents only, weights from the
        methodology (route "SC <- operations", "SC <- operations <- overall")."""
        name = node or "overall"
        found = [(name, v) for v in sorted(self.published(round_id, region, node))]
        if node is None:
            return found
        parent = self.know.parent[node]
        method = self.know.top_aggregation if parent is None else self.know.aggregation[parent]
        if method != "arithmetic":
            return found
        siblings = [
            (s, self.know.weight[s], self.one(round_id, region, s)) for s in self.know.children[parent] if s != node
        ]
        siblings = [(s, w, v) for s, w, v in siblings if v is not None]
        total = self.know.weight[node] + sum(w for _, w, _ in siblings)
        known = sum(w * v for _, w, v in siblings)
        for route, value in self.candidates(round_id, region, parent):
            found.append((f"{name} <- {route}", (value * total - known) / self.know.weight[node]))
        return found


# ---------------------------------------------------------------- attacks 1 and 2: algebra within a pillar


@dataclass
class Tally:
    attempts: int = 0
    region_rounds: set[tuple[str, str]] = field(default_factory=set)
    recovered: list[dict[str, Any]] = field(default_factory=list)
    public_guess_only: int = 0
    by_route: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def record(self, name: str, values: int | None = None, **extra: Any) -> dict[str, Any]:
        """Into the summary: `recovered` counts region-rounds, `values_recovered` restricted values (one per
        region-round unless given)."""
        keys = {(r["round"], r["region"]) for r in self.recovered}
        entry = {
            "attempts": self.attempts,
            "region_rounds": len(self.region_rounds),
            "recovered": len(keys),
            "values_recovered": len(keys) if values is None else values,
            "estimates_recovered": len(self.recovered),
            "recovered_by_route": dict(self.by_route),
            "estimates_no_better_than_public_data": self.public_guess_only,
            **extra,
        }
        SUMMARY[name] = entry
        return entry


def _visible(row: dict[str, Any], know: Knowledge, pillar: str, leave_out: str = "") -> tuple[float, float]:
    """Sum of the published contributions and shares of the indicators of one pillar (one left out)."""
    contribution = share = 0.0
    for ind_id, entry in row["indicators"].items():
        if ind_id == leave_out or know.indicator_pillar.get(ind_id) != pillar:
            continue
        if entry.get("contribution") is not None and entry.get("share") is not None:
            contribution += entry["contribution"]
            share += entry["share"]
    return contribution, share


def _judge(
    tally: Tally,
    round_id: str,
    region: str,
    route: str,
    estimate: float,
    truth: list[float],
    public_guess: float | None,
    what: str,
) -> None:
    tally.attempts += 1
    if public_guess is not None and abs(estimate - public_guess) <= WITHIN:
        tally.public_guess_only += 1
        return
    error = min(abs(estimate - t) for t in truth)
    if error <= WITHIN:
        tally.by_route[route] += 1
        tally.recovered.append(
            {
                "round": round_id,
                "region": region,
                "what": what,
                "route": route,
                "estimate": round(estimate, 3),
                "internal": round(truth[0], 3),
                "error": round(error, 3),
            }
        )


def subtract_within_pillar(
    pub: PublicBuild,
    tally: Tally,
    round_id: str,
    region: str,
    pillar: str,
    truth: list[float],
    what: str,
    leave_out: str = "",
) -> None:
    """(pillar score - visible contributions) / (1 - visible shares), for each way of having the pillar."""
    for row in pub.json_rows.get((round_id, region), [])[:1]:
        contribution, share = _visible(row, pub.know, pillar, leave_out)
        public_guess = contribution / share if share > 1e-9 else None
        if 1 - share <= 1e-6:
            # the published parts make up the whole pillar; a pillar published elsewhere (a page, the CSV)
            # that does not add up to them still holds something hidden (weight guessed: the visible mean)
            tally.attempts += 1
            weights = [
                float(e["weight"])
                for i, e in row["indicators"].items()
                if pub.know.indicator_pillar.get(i) == pillar and e.get("contribution") is not None
            ]
            mean = sum(weights) / len(weights) if weights else 0.0
            hidden = mean / (sum(weights) + mean) if weights else 0.0
            for route, value in pub.candidates(round_id, region, pillar):
                if route == pillar and abs(value - contribution) > 0.051 and hidden:
                    _judge(
                        tally,
                        round_id,
                        region,
                        f"{route}, not adding up to its parts",
                        (value - (1 - hidden) * contribution) / hidden,
                        truth,
                        public_guess,
                        what,
                    )
            continue
        for route, value in pub.candidates(round_id, region, pillar):
            estimate = (value - contribution) / (1 - share)
            _judge(tally, round_id, region, route, estimate, truth, public_guess, what)


def subtract_across_rounds(
    pub: PublicBuild, tally: Tally, round_id: str, region: str, pillar: str, ind_id: str, truth: list[float], what: str
) -> None:
    """The same pillar in the rounds before and after, where the indicator is public: its value there plus the
    change of the pillar not explained by the change of the other (visible) indicators, over its share."""
    order = pub.rounds
    rows = pub.json_rows.get((round_id, region), [])
    if not rows or round_id not in order:
        return
    i = order.index(round_id)
    here_other, _ = _visible(rows[0], pub.know, pillar, leave_out=ind_id)
    here_values = sorted(pub.published(round_id, region, pillar))
    for j in (i - 1, i + 1):
        if not 0 <= j < len(order):
            continue
        for other_row in pub.json_rows.get((order[j], region), [])[:1]:
            entry = other_row["indicators"].get(ind_id) or {}
            if entry.get("share") in (None, 0) or entry.get("capped_score") is None:
                continue
            there_other, _ = _visible(other_row, pub.know, pillar, leave_out=ind_id)
            for there_value in sorted(pub.published(order[j], region, pillar)):
                for here_value in here_values:
                    unexplained = (here_value - there_value) - (here_other - there_other)
                    estimate = entry["capped_score"] + unexplained / entry["share"]
                    _judge(tally, round_id, region, f"{pillar} change since {order[j]}", estimate, truth, None, what)
            tally.region_rounds.add((round_id, region))


def _truth_scores(entry: dict[str, Any]) -> list[float]:
    return [v for v in (entry.get("capped_score"), entry.get("score")) if v is not None]


def test_1_subtraction_within_a_pillar_gives_back_no_restricted_indicator(leaky, public):
    tally = Tally()
    restricted = [i for i in leaky.project.indicators.values() if i.restricted]
    assert restricted, "the example has a restricted indicator (SC-04)"
    for (round_id, region), row in sorted(leaky.truth.items()):
        if (round_id, region) not in public.json_rows or not row["assessed"]:
            continue
        for ind in restricted:
            entry = row["indicators"].get(ind.id) or {}
            truth = _truth_scores(entry)
            if not truth:
                continue
            tally.region_rounds.add((round_id, region))
            subtract_within_pillar(public, tally, round_id, region, ind.pillar, truth, ind.id)
    found = tally.record("subtraction_within_pillar", target=[i.id for i in restricted])
    print(
        f"\nattack 1 (subtraction within a pillar): {found['region_rounds']} region-rounds attacked, "
        f"{found['attempts']} estimates, restricted indicator recovered within {WITHIN} in "
        f"{found['recovered']} region-rounds; by route {found['recovered_by_route']}"
    )
    for r in tally.recovered[:5]:
        print("   ", r)
    assert found["region_rounds"] >= 40, "the attack reached the region-rounds that score it"
    assert found["recovered"] == 0, f"restricted indicator recovered: {tally.recovered[:5]}"


def test_2_a_restricted_observation_is_not_given_back(leaky, public):
    round_id, region, ind_id = RESTRICTED_OBSERVATION
    entry = leaky.truth[(round_id, region)]["indicators"][ind_id]
    truth = _truth_scores(entry)
    assert truth and abs(truth[0] - float(OFF_TREND_VALUE)) < 1e-6
    pillar = public.know.indicator_pillar[ind_id]
    for other in (pub_round for pub_round in public.rounds if pub_round != round_id):
        neighbour = leaky.truth[(other, region)]["indicators"][ind_id]["capped_score"]
        assert abs(neighbour - truth[0]) > 5, "no public round gives the restricted value away by itself"
    within, across = Tally(), Tally()
    within.region_rounds.add((round_id, region))
    subtract_within_pillar(
        public, within, round_id, region, pillar, truth, f"{ind_id} in {region}, {round_id}", leave_out=ind_id
    )
    subtract_across_rounds(public, across, round_id, region, pillar, ind_id, truth, f"{ind_id} in {region}")
    a = within.record("restricted_observation_within_round", target=[round_id, region, ind_id])
    b = across.record("restricted_observation_across_rounds", target=[round_id, region, ind_id])
    print(
        f"\nattack 2 (restricted observation {ind_id}, {region}, {round_id}, internal {truth[0]}): "
        f"within the round {a['attempts']} estimates, {a['estimates_recovered']} within {WITHIN}; "
        f"across rounds {b['attempts']} estimates, {b['estimates_recovered']} within {WITHIN}"
    )
    for r in within.recovered + across.recovered:
        print("   ", r)
    assert a["attempts"] and b["attempts"], "the attacks ran"
    assert within.recovered == [] and across.recovered == [], "restricted observation recovered"


# ---------------------------------------------------------------- attack 3: parent minus children


def test_3_a_restricted_district_is_not_given_back_by_its_parent(leaky, public):
    hidden = RESTRICTED_DISTRICT
    project = leaky.project
    ancestors, parent = [], project.regions[hidden].parent
    while parent is not None:
        ancestors.append(parent)
        parent = project.regions[parent].parent
    true_population = float(project.regions[hidden].population)
    assert [r for r in project.children(ancestors[0]) if r != hidden], "the district has siblings"
    assert hidden not in public.regions and all(a in public.regions for a in ancestors)

    tally, populations, levels = Tally(), [], []
    roll_ups = [
        (round_id, region) for (round_id, region), rows in sorted(public.json_rows.items()) if rows[0]["children"]
    ]
    for round_id, region in roll_ups:
        row = public.json_rows[(round_id, region)][0]
        children = [c for c in row["children"] if (round_id, c) in public.json_rows]
        parent_population = public.population(region)
        child_population = {c: public.population(c) for c in children}
        tally.region_rounds.add((round_id, region))
        tally.attempts += 1
        if parent_population is None or any(v is None for v in child_population.values()):
            continue
        residual = parent_population - sum(child_population.values())
        target = region in ancestors
        truth_row = leaky.truth.get((round_id, hidden)) if target else None
        if residual > WITHIN_POPULATION * parent_population:
            if target and abs(residual - true_population) <= WITHIN_POPULATION * true_population:
                populations.append(
                    {"round": round_id, "parent": region, "population": residual, "internal": true_population}
                )
        # the parent is as ready as its least ready part: a level below every public part is the hidden one's
        order = public.know.level_order
        child_levels = [public.json_rows[(round_id, c)][0]["level"] for c in children]
        if target and child_levels and order[row["level"]] < min(order[lv] for lv in child_levels):
            if truth_row is not None and truth_row["level"] == row["level"]:
                levels.append({"round": round_id, "parent": region, "level": row["level"]})
        if residual <= WITHIN_POPULATION * parent_population:
            continue
        for node in [None, *public.know.parent]:
            scores = {c: public.one(round_id, c, node) for c in children}
            if any(v is None for v in scores.values()):
                continue
            known = sum(scores[c] * child_population[c] for c in children)
            truth = None
            if truth_row is not None:
                where = truth_row if node is None else truth_row["pillars"].get(node) or {}
                truth = where.get("score_full")
            for route, value in public.candidates(round_id, region, node):
                estimate = (value * parent_population - known) / residual
                tally.attempts += 1
                if truth is None:
                    continue
                if abs(estimate - value) <= WITHIN_ROLL_UP:  # the parent's own score: no better than a guess
                    tally.public_guess_only += 1
                    continue
                if abs(estimate - truth) <= WITHIN_ROLL_UP:
                    tally.by_route[route] += 1
                    tally.recovered.append(
                        {
                            "round": round_id,
                            "region": hidden,
                            "what": node or "overall",
                            "route": f"{region}: {route}",
                            "estimate": round(estimate, 2),
                            "internal": round(truth, 2),
                            "error": round(abs(estimate - truth), 2),
                        }
                    )
    overall = {r["round"] for r in tally.recovered if r["what"] == "overall"}
    scores = {(r["round"], r["what"]) for r in tally.recovered}
    found = tally.record(
        "parent_minus_children",
        values=len(scores) + bool(populations) + len(levels),
        target=hidden,
        population_recovered_in=len(populations),
        levels_recovered=len(levels),
        overall_scores_recovered=len(overall),
        pillar_scores_recovered=len(scores) - len(overall),
    )
    found["recovered"] = len(
        {(r["round"], r["region"]) for r in tally.recovered}
        | {(p["round"], hidden) for p in populations}
        | {(lv["round"], hidden) for lv in levels}
    )
    print(
        f"\nattack 3 (parent minus children, {hidden} restricted): {len(roll_ups)} roll-up region-rounds, "
        f"{tally.attempts} estimates; population recovered in {len(populations)} region-rounds "
        f"{populations[:1]}; overall score in {len(overall)} region-rounds; pillar scores "
        f"{len(scores) - len(overall)}; level (parent below every public part) {len(levels)}"
    )
    for r in [r for r in tally.recovered if r["what"] == "overall"][:4]:
        print("   ", r)
    assert len(roll_ups) >= 4 * 4, "the attack reached every roll-up"
    assert populations == [], f"restricted district's population recovered: {populations[:3]}"
    assert tally.recovered == [], f"restricted district's scores recovered: {tally.recovered[:5]}"
    assert levels == [], f"restricted district's level recovered: {levels[:3]}"


# ---------------------------------------------------------------- attack 4: restricted evidence


def test_4_restricted_evidence_leaves_no_date_or_source_type(leaky, public):
    round_id, region, ind_id, source = EVIDENCE
    secret = leaky.secret_date
    age = (public.know.round_dates[round_id] - secret).days
    forms = sorted(_written_dates(secret))
    source_names = {
        st.name.get(lang)
        for st in leaky.project.framework.source_types
        if st.id == source
        for lang in public.know.languages
    }
    places, found = 0, []
    # results.json, in the place of that observation
    for row in public.json_rows.get((round_id, region), []):
        entry = row["indicators"].get(ind_id) or {}
        places += 3
        if entry.get("latest_evidence") == secret.isoformat():
            found.append(("date", "results.json latest_evidence"))
        if entry.get("evidence_age_days") == age:
            found.append(("date", f"results.json evidence_age_days ({round_id} cut-off minus {age} days)"))
        if source in (entry.get("source_types") or []):
            found.append(("source type", "results.json source_types"))
    # the region page: the evidence and age columns of that indicator's row (latest round)
    assert round_id == public.rounds[-1], "the region page shows the latest round"
    for lang in public.folders:
        page = public.page(lang, region) or ""
        rows = [cells for cells in _rows(page) if cells and cells[0].startswith(f"{ind_id} ")]
        assert rows, f"{lang} page of {region} has a row for {ind_id}"
        for cells in rows:
            places += 3
            line = " | ".join(cells)
            if any(form in line for form in forms):
                found.append(("date", f"{lang} region page, {ind_id} row"))
            if cells[-1].strip() == str(age):
                found.append(("date", f"{lang} region page, {ind_id} age column ({age} days)"))
            if re.search(rf"(?<![\w-]){source}(?![\w-])", line) or any(n in line for n in source_names):
                found.append(("source type", f"{lang} region page, {ind_id} row"))
    # every public file, anywhere, for the date in any written form
    for rel, text in public.files.items():
        places += 1
        hits = [form for form in forms if form in text]
        if hits:
            found.append(("date", f"{rel}: {hits[0]!r}"))
    dates = [f for f in found if f[0] == "date"]
    sources = [f for f in found if f[0] == "source type"]
    SUMMARY["restricted_evidence"] = {
        "attempts": places,
        "region_rounds": 1,
        "recovered": int(bool(found)),
        "values_recovered": bool(dates) + bool(sources),
        "date_found_in": len(dates),
        "source_type_found_in": len(sources),
        "target": [round_id, region, ind_id, source, secret.isoformat()],
    }
    print(
        f"\nattack 4 (restricted {source} evidence of {ind_id}, {region}, {round_id}, dated {secret}): "
        f"{places} places searched; date found in {len(dates)}, source type in {len(sources)}"
    )
    for f in found:
        print("   ", f)
    assert found == [], f"restricted evidence shows through: {found[:6]}"


# ---------------------------------------------------------------- 5: the public build still says something


def test_5_every_public_region_keeps_a_level_and_a_score(leaky, public):
    missing = []
    public_regions = [r for r, region in leaky.project.regions.items() if not region.restricted]
    latest = public.rounds[-1]
    for round_id, region in sorted(leaky.truth):
        if region not in public_regions or leaky.truth[(round_id, region)]["score"] is None:
            continue
        rows = public.json_rows.get((round_id, region), [])
        if not rows or any(r.get("level") is None or r.get("score") is None for r in rows):
            missing.append((round_id, region, "results.json"))
    for region in public_regions:
        rows = public.json_rows.get((latest, region), [])
        if not rows:
            continue
        level, score = rows[0]["level"], rows[0]["score"]
        for lang in public.folders:
            text = public.page_text(lang, region)
            shown = f"{score:.1f}".replace(".", "," if lang == "fr" else ".")
            if not text or public.know.level_labels[lang][level] not in text or shown not in text:
                missing.append((latest, region, f"{lang} page"))
    CHECKS["public_regions_keep_level_and_score"] = {"regions": len(public_regions), "missing": len(missing)}
    print(f"\ncheck 5: {len(public_regions)} public regions; missing a level or a score: {missing[:6]}")
    assert missing == []


# ---------------------------------------------------------------- 6: the guard works on what is restricted


def test_6_restricting_an_observation_does_not_refuse_a_public_reference_that_reads_the_same(example, tmp_path_factory):
    work = tmp_path_factory.mktemp("guard")
    root = Path(shutil.copytree(example, work / "project"))
    round_id, region, ind_id = GUARD_OBSERVATION
    project, _ = load_project(root)
    obs = project.assessments[(round_id, region)].observations[ind_id]
    reference = obs.evidence[0].reference
    elsewhere = sorted(
        r
        for (rnd, r), a in project.assessments.items()
        if rnd == round_id
        and r != region
        and any(e.reference == reference and not e.restricted for o in a.observations.values() for e in o.evidence)
    )
    assert elsewhere, "another region cites the same reference publicly"
    _edit(
        root / "assessments" / round_id / f"{region}.yaml",
        f"  {ind_id}:\n    value:",
        f"  {ind_id}:\n    restricted: true\n    value:",
    )
    reseal(root)  # restricting an observation of a closed round is an amendment
    site = work / "public"
    result = run("build", "-p", str(root), "--audience", "public", "--lang", "en", "--out", str(site))
    shown = []
    if result.exit_code == 0:
        shown = [
            r
            for r in elsewhere
            if reference in html.unescape((site / "evidence" / f"{r}.html").read_text(encoding="utf-8"))
        ]
    CHECKS["guard_on_what_is_restricted"] = {
        "build_exit_code": result.exit_code,
        "regions_citing_the_same_reference": len(elsewhere),
        "still_shown": len(shown),
    }
    print(
        f"\ncheck 6: restricting {ind_id} in {region}, {round_id} (reference {reference!r}, cited "
        f"publicly by {len(elsewhere)} other regions): exit {result.exit_code}; "
        f"{result.output.strip()[:300]}"
    )
    assert result.exit_code == 0, result.output
    assert shown == elsewhere, "the public regions' own evidence is still shown"
    page = html.unescape((site / "evidence" / f"{region}.html").read_text(encoding="utf-8"))
    row = [cells for cells in _rows(page) if cells and cells[0].startswith(f"{ind_id} ")]
    assert row and str(obs.value) not in row[0][1:3], "the restricted value itself stays out"
