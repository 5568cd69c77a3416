"""Generate a synthetic, valid readiness project of any size, for benchmarks and load tests.

Usage (from the repository root):

    python benchmarks/generate.py --regions N --indicators K --rounds R [--seed S] --out DIR [--force]

writes into DIR a complete project that `readiness check DIR` accepts without findings:

    indicators/framework.yaml           5 levels, 9 pillars under 2 groups, 3 tiers, 3 parties, 6 source
                                        types, every gate configured (as in the example mission)
    indicators/<pillar>/<ID>.yaml       K indicators spread over the pillars; about 20% critical; a
                                        prerequisite DAG (each indicator requires 0-3 indicators generated
                                        before it, so there is no cycle); mostly percent, some minutes
                                        (lower is better, per-tier thresholds), counts scored with bands and
                                        ordinal ratings scored with a rubric
    assessments/regions.yaml            N regions: a country, about sqrt(N)/2 provinces, districts under them
                                        and one functional unit; every leaf has a tier and a population
    assessments/rounds.yaml             R quarterly rounds, the last ending 2026-09-30
    assessments/<round>/<region>.yaml   one assessment per leaf region per round listing every indicator:
                                        ~92% values (with 1-2 evidence entries dated within 90 days before
                                        the round; critical ones from two source types), ~6% not_collected,
                                        ~2% not_applicable; values follow a small random walk per region

The output is a function of the arguments only (random.Random(seed), no clock, fixed order), so two runs
with the same arguments (on the same Python minor version, whose `random` must not change) give
byte-identical trees. YAML is written as text, not through a YAML library, so the L size (1,000 regions x
40 indicators x 12 rounds: 11,839 files, 471,840 observations) takes seconds. Evidence is dated up to the
last cut-off, 2026-09-30; `readiness check` also refuses evidence dated after the real date (E001), so the
project checks clean only from that day on.

DIR must be absent or empty; with --force an existing DIR is reused and its indicators/ and assessments/
folders (only those) are deleted first, so no file of an earlier run survives. Files carry no
`yaml-language-server` modeline: the generated project has no schemas/ folder to point at.

Prints one line at the end: files written, observations, seconds. Exit status 2 on a usage error.
"""

from __future__ import annotations

import argparse
import math
import random
import shutil
import sys
import time
from datetime import date, timedelta
from pathlib import Path

# ---------------------------------------------------------------- fixed parts of the framework

LAST_ROUND_END = date(2026, 9, 30)

GROUPS = [
    (
        "operations",
        "Operational capacity",
        "arithmetic",
        [
            ("LO", "Law and order", 3),
            ("PC", "Protection of civilians", 3),
            ("SC", "Serious and organised crime", 2),
            ("TR", "Public trust, accountability and reform", 2),
            ("IT", "Information and technology", 1),
        ],
    ),
    (
        "enablers",
        "Institutional enablers",
        "geometric",
        [
            ("HR", "Human resources", 1),
            ("LG", "Infrastructure and logistics", 1),
            ("IN", "Institutional and legal framework", 1),
            ("BU", "Budget sustainability", 1),
        ],
    ),
]
PILLARS = [code for _, _, _, pillars in GROUPS for code, _, _ in pillars]

TIERS = ["urban", "rural", "high-threat"]
PARTIES = [
    ("unpol", "UNPOL (police component of the mission)"),
    ("ministry", "Ministry of Interior and Public Security"),
    ("lnp", "National Police command"),
]
#: Each party's side, as the handover register's rules read them (a joint body has both).
SIDES = {"unpol": "un", "ministry": "host", "lnp": "host"}
SOURCES = [
    ("ADM", "Administrative records"),
    ("FV", "Field verification"),
    ("SUR", "Public survey"),
    ("EXP", "Expert judgement"),
    ("DOC", "Document review"),
    ("HRM", "Human-rights monitoring"),
]
SOURCE_IDS = [s for s, _ in SOURCES]
SOURCE_REFERENCE = {
    "ADM": "Register extract",
    "FV": "Joint field verification",
    "SUR": "Perception survey wave",
    "EXP": "Joint rating sheet",
    "DOC": "Document review",
    "HRM": "Human Rights Division monitoring summary",
}
# the kinds of source each pillar usually draws on, first choice first
PILLAR_SOURCES = {
    "LO": ["ADM", "FV", "SUR"],
    "PC": ["FV", "HRM", "ADM"],
    "SC": ["ADM", "FV", "DOC"],
    "TR": ["SUR", "ADM", "DOC"],
    "IT": ["FV", "ADM"],
    "HR": ["ADM", "FV", "DOC"],
    "LG": ["FV", "ADM"],
    "IN": ["DOC", "EXP", "ADM"],
    "BU": ["ADM", "DOC", "SUR"],
}
PILLAR_TOPIC = {
    "LO": "public-order",
    "PC": "protection",
    "SC": "serious-crime",
    "TR": "accountability",
    "IT": "information-system",
    "HR": "personnel",
    "LG": "logistics",
    "IN": "institutional",
    "BU": "budget",
}
OBJECTS = ["stations", "posts", "units", "case files", "command posts", "sites", "reports", "officers"]

FRAMEWORK_TAIL = """\
tiers:
  - {id: urban, label: Urban, description: "Provincial capitals and towns above 50,000 residents."}
  - {id: rural, label: Rural, description: "Districts without a town above 50,000 residents."}
  - {id: high-threat, label: High threat,
     description: "Districts with armed-group activity in the last 12 months."}

parties:
PARTIES_HERE
bodies:
  - {id: jtc, name: Joint Transition Committee, parties: [unpol, ministry, lnp]}
source_types:
SOURCES_HERE
roll_up: population

gates:
  critical_floor:
    enabled: true
    missing_caps_at: partially-ready
  prerequisites:
    required_level: partially-ready
    cap_at: partially-ready
  pillar_floor:
    floor: 50
    applies_to: ready
    cap_at: partially-ready
  evidence:
    min_coverage: 90
    insufficient_below: 60
    insufficient_level: insufficient-evidence
    critical_source_types: 2
    max_age_days: 365
    applies_to: ready
    cap_at: partially-ready
  stability:
    rounds: 2
    applies_to: ready
    cap_at: partially-ready
    sustained_level: sustained
  tier_thresholds:
    enabled: true
    fallback_tier: rural
  sign_off:
    parties: [unpol, ministry, lnp]
    applies_to: ready
    cap_at: partially-ready
  override:
    enabled: true

marking:
  restricted_label: Restricted
  internal_notice: "Synthetic benchmark project: not real data."
"""

LEVELS = """\
levels:
  - id: insufficient-evidence
    label: Insufficient evidence
    colour: "#8a8f98"
    meaning: Too little current data to judge.
  - id: not-ready
    label: Not ready
    colour: "#c0392b"
    min_score: 0
    meaning: Host police cannot yet carry primary responsibility.
  - id: partially-ready
    label: Partially ready
    colour: "#e08e0b"
    min_score: 50
    meaning: Some functions can be handed over.
  - id: ready
    label: Ready for handover
    colour: "#1e8449"
    min_score: 70
    meaning: The agreed criteria are met.
  - id: sustained
    label: Sustained
    colour: "#1f618d"
    meaning: Ready held for two or more rounds after handover, with no regression.
handover_level: ready
"""

SYLLABLES = [
    "ka",
    "ma",
    "ra",
    "to",
    "be",
    "lo",
    "wa",
    "se",
    "nu",
    "da",
    "bo",
    "ri",
    "ke",
    "sa",
    "ta",
    "mi",
    "no",
    "ve",
    "la",
    "go",
    "du",
    "zi",
    "pe",
    "an",
    "or",
    "el",
    "us",
    "in",
    "ar",
    "ko",
]
FIRST_NAMES = [
    "Amina",
    "Ingrid",
    "Victor",
    "Olena",
    "Mariam",
    "Kwame",
    "Sofia",
    "Tomas",
    "Nadia",
    "Joseph",
    "Leila",
    "Pedro",
    "Grace",
    "Ivan",
    "Fatou",
    "Hugo",
    "Aisha",
    "Daniel",
    "Mei",
    "Samuel",
]
LAST_NAMES = [
    "Mensah",
    "Halvorsen",
    "Kravets",
    "Seko",
    "Obiang",
    "Diallo",
    "Moreau",
    "Novak",
    "Tembo",
    "Okafor",
    "Silva",
    "Lindqvist",
    "Haddad",
    "Kone",
    "Petrov",
    "Ndiaye",
    "Santos",
    "Weber",
]
NOT_COLLECTED = [
    "Field visit cancelled for insecurity on the access road.",
    "Register not available at the time of the visit.",
    "Survey wave postponed to the next round.",
    "Source data still being reconciled by the ministry.",
    "Team could not reach the stations before the cut-off date.",
]
NOT_APPLICABLE = [
    "The region has no facility of this kind.",
    "No border crossing or corridor in the region.",
    "The function is carried out by a national directorate, assessed separately.",
]
QUARTER_LABEL = {3: "First quarter", 6: "Second quarter", 9: "Third quarter", 12: "Fourth quarter"}


def write(path: Path, text: str) -> None:
    """UTF-8 with LF line ends on every platform, so the bytes depend on the arguments only."""
    path.write_text(text, encoding="utf-8", newline="\n")


def q(text: str) -> str:
    """A YAML double-quoted string (the generator's texts hold no quotes or backslashes; escaped anyway)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


# ---------------------------------------------------------------- indicators


class Spec:
    """One generated indicator: what its file says and how its values are drawn."""

    __slots__ = (
        "best",
        "critical",
        "cuts",
        "direction",
        "id",
        "index",
        "kind",
        "pillar",
        "requires",
        "rubric_max",
        "sources",
        "text",
        "top",
        "unit",
        "worst",
    )

    def __init__(self, index: int, ind_id: str, pillar: str) -> None:
        self.index, self.id, self.pillar = index, ind_id, pillar
        self.requires: list[str] = []
        self.cuts: dict[str, list[int]] = {}
        """The cut-offs of a percent or minutes indicator, by tier (`all` for every tier)."""

    def clear_of_cutoffs(self, value: float, tier: str | None) -> float:
        """The value moved out of the band just above a cut-off (3 per cent of the range, rule Q001's default), to
        the band's far edge: drawn from one quality per region, the values of a region would otherwise sit
        together just above their cut-offs, which is what `readiness check` reports as unusual."""
        cuts = self.cuts.get(tier or "", self.cuts.get("all", []))
        band = abs(self.best - self.worst) * 0.03
        higher = self.direction == "higher"
        for cut in cuts:
            margin = value - cut if higher else cut - value
            if 0 <= margin < band:
                value = cut + band + 0.5 if higher else cut - band - 0.5
        return value

    def value(self, quality: float, tier: str | None = None) -> str:
        """The raw value for a quality in [0, 1], written as YAML text inside the unit's range (clear of the band
        just above a cut-off of the region's tier)."""
        kind = self.kind
        if kind == "percent":
            v = self.clear_of_cutoffs(self.worst + quality * (self.best - self.worst), tier)
            return f"{min(100.0, max(0.0, v)):.1f}"
        if kind == "minutes":
            v = self.clear_of_cutoffs(self.worst + quality * (self.best - self.worst), tier)
            return str(max(1, round(v)))
        if kind == "count":
            return str(max(0, round(quality * self.top * 1.2)))
        return str(min(self.rubric_max, max(0, round(quality * self.rubric_max))))  # ordinal


def make_indicators(rng: random.Random, count: int) -> list[Spec]:
    pillar_of = [PILLARS[i % len(PILLARS)] for i in range(count)]
    rng.shuffle(pillar_of)
    critical = set(rng.sample(range(count), round(count * 0.2)))
    # the mix of units, by quota so that small frameworks have some of each too
    kinds = (["minutes"] * round(count * 0.15) + ["count"] * round(count * 0.125) + ["ordinal"] * round(count * 0.125))[
        :count
    ]
    kinds += ["percent"] * (count - len(kinds))
    rng.shuffle(kinds)
    width = max(2, len(str(count)))
    numbers = dict.fromkeys(PILLARS, 0)
    specs: list[Spec] = []
    for i, pillar in enumerate(pillar_of):
        numbers[pillar] += 1
        spec = Spec(i, f"{pillar}-{numbers[pillar]:0{width}d}", pillar)
        spec.critical = i in critical
        preferred = PILLAR_SOURCES[pillar]
        if spec.critical:
            first = preferred[0]
            second = rng.choice(preferred[1:] + [s for s in SOURCE_IDS if s not in preferred][:1])
            spec.sources = [first, second]
        else:
            spec.sources = [preferred[0]] if rng.random() < 0.6 else preferred[:2]
        # prerequisites: 0-3 indicators generated earlier, so the graph has no cycle
        wanted = rng.choices([0, 1, 2, 3], weights=[45, 30, 17, 8])[0]
        if i and wanted:
            spec.requires = sorted(specs[j].id for j in rng.sample(range(i), min(wanted, i)))
        spec.text = indicator_text(rng, spec, kinds[i])
        specs.append(spec)
    return specs


def indicator_text(rng: random.Random, spec: Spec, kind: str) -> str:
    topic = PILLAR_TOPIC[spec.pillar]
    things = rng.choice(OBJECTS)
    lines: list[str] = [f"id: {spec.id}"]
    thresholds: list[str]
    if kind == "percent":  # percent, mostly higher is better
        spec.kind, spec.unit = "percent", "percent"
        if rng.random() < 0.85:
            spec.direction, spec.worst, spec.best = "higher", 0, 100
            name = f"{topic.capitalize()} {things} meeting the agreed standard"
            definition = (
                f"Numerator: {topic} {things} of the region that met the agreed standard at the "
                f"last verification. Denominator: all {topic} {things} of the region."
            )
            if rng.random() < 0.25:  # per-tier cut-offs: towns are held to a higher standard
                base = rng.randint(40, 60)
                spec.cuts = {
                    "urban": [base + 10, base + 30],
                    "rural": [base, base + 25],
                    "high-threat": [base, base + 20],
                }
                thresholds = [
                    f"  urban: {{partially-ready: {base + 10}, ready: {base + 30}}}",
                    f"  rural: {{partially-ready: {base}, ready: {base + 25}}}",
                    f"  high-threat: {{partially-ready: {base}, ready: {base + 20}}}",
                ]
            else:
                partial = rng.randint(40, 70)
                ready = partial + rng.randint(10, 25)
                spec.cuts = {"all": [partial, ready]}
                thresholds = [f"  all: {{partially-ready: {partial}, ready: {ready}}}"]
        else:
            spec.direction, spec.worst, spec.best = "lower", rng.choice([40, 50, 60]), 0
            name = f"{topic.capitalize()} {things} with unresolved deficiencies"
            definition = (
                f"Numerator: {topic} {things} of the region with a deficiency found at an earlier "
                f"verification and still open. Denominator: all {topic} {things} verified."
            )
            partial = spec.worst // 2
            spec.cuts = {"all": [partial, partial // 2]}
            thresholds = [f"  all: {{partially-ready: {partial}, ready: {partial // 2}}}"]
        scoring = f"scoring: {{method: goalposts, worst: {spec.worst}, best: {spec.best}}}"
    elif kind == "minutes":  # minutes, lower is better, per tier
        spec.kind, spec.unit, spec.direction = "minutes", "minutes", "lower"
        ready = rng.choice([20, 30, 45])
        spec.worst, spec.best = ready * 8, ready
        article = "an" if topic[0] in "aeiou" else "a"
        name = f"Median minutes to handle {article} {topic} request"
        definition = (
            f"Median minutes between the receipt of {article} {topic} request at a station of the "
            "region and the first action on it, over the 90 days before the cut-off."
        )
        spec.cuts = {
            "urban": [ready * 2, ready],
            "rural": [ready * 4, ready * 2],
            "high-threat": [ready * 5, ready * 3],
        }
        thresholds = [
            f"  urban: {{partially-ready: {ready * 2}, ready: {ready}}}",
            f"  rural: {{partially-ready: {ready * 4}, ready: {ready * 2}}}",
            f"  high-threat: {{partially-ready: {ready * 5}, ready: {ready * 3}}}",
        ]
        scoring = f"scoring: {{method: goalposts, worst: {spec.worst}, best: {spec.best}}}"
    elif kind == "count":  # count with bands
        spec.kind, spec.unit, spec.direction = "count", "count", "higher"
        spec.top = rng.choice([6, 12])
        t = spec.top
        name = f"{topic.capitalize()} coordination meetings held in the last {t} months"
        definition = (
            f"Number of {topic} coordination meetings held in the {t} months before the cut-off "
            "and documented by signed minutes with an attendance list."
        )
        scoring = (
            "scoring:\n  method: bands\n  bands:\n"
            f"    - {{value: 0, score: 0}}\n    - {{value: {t // 6}, score: 15}}\n"
            f"    - {{value: {t // 2}, score: 50}}\n    - {{value: {t * 5 // 6}, score: 80}}\n"
            f"    - {{value: {t}, score: 100}}"
        )
        thresholds = [f"  all: {{partially-ready: {t // 2}, ready: {t}}}"]
    else:  # ordinal with a rubric
        spec.kind, spec.unit, spec.direction = "ordinal", "ordinal", "higher"
        spec.rubric_max = rng.choice([3, 4])
        m = spec.rubric_max
        name = f"{topic.capitalize()} framework in force and applied"
        definition = (
            f"Rating from 0 to {m} by review of the {topic} texts and of their use in the region, "
            "by the mission's adviser and the ministry together."
        )
        rubric = "\n".join(
            f"    - {{level: {lv}, descriptor: {q(f'Stage {lv} of {m}: {topic} framework')}}}" for lv in range(m + 1)
        )
        scoring = f"scoring:\n  method: rubric\n  rubric:\n{rubric}"
        thresholds = [f"  all: {{partially-ready: {m - 1}, ready: {m}}}"]
    lines += [
        f"name: {q(name)}",
        f"definition: {q(definition)}",
        f"pillar: {spec.pillar}",
        f"unit: {spec.unit}",
        f"direction: {spec.direction}",
    ]
    if spec.critical:
        lines.append("critical: true")
    lines.append(f"weight: {2 if spec.critical else 1}")
    if spec.requires:
        lines.append(f"requires: [{', '.join(spec.requires)}]")
    max_age = 365 if spec.kind == "ordinal" else 180
    lines += [
        scoring,
        "thresholds:",
        *thresholds,
        f"evidence: {{source_types: [{', '.join(spec.sources)}], max_age_days: {max_age}}}",
    ]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- regions and rounds


class NameMaker:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def __call__(self) -> str:
        rng = self.rng
        for attempt in range(1000):
            parts = rng.randint(2, 3) + attempt // 200
            word = "".join(rng.choice(SYLLABLES) for _ in range(parts))
            if word not in self.used:
                self.used.add(word)
                return word
        raise RuntimeError("ran out of region names")  # pragma: no cover


class RegionSpec:
    """One region of regions.yaml; leaves also carry how well they do and who signs for them."""

    __slots__ = ("base", "category", "id", "kind", "name", "parent", "people", "population", "tier")

    def __init__(
        self,
        rid: str,
        name: str,
        parent: str | None,
        category: str,
        *,
        kind: str = "territorial",
        tier: str | None = None,
        population: int = 0,
    ) -> None:
        self.id, self.name, self.parent, self.category = rid, name, parent, category
        self.kind, self.tier, self.population = kind, tier, population
        self.base = 0.0
        self.people: list[str] = []


def make_regions(rng: random.Random, total: int) -> tuple[list[RegionSpec], list[RegionSpec]]:
    """All regions in file order, and the leaves (the assessed regions) in file order."""
    names = NameMaker(rng)
    provinces = max(1, round(math.sqrt(total) / 2))
    districts = total - provinces - 2
    word = names()
    country = RegionSpec(word, f"Republic of {word.capitalize()}", None, "Country")
    # districts per province: every province gets one, the rest at random
    share = [1] * provinces
    for _ in range(districts - provinces):
        share[rng.randrange(provinces)] += 1
    ordered: list[RegionSpec] = [country]
    leaves: list[RegionSpec] = []
    for p in range(provinces):
        word = names()
        province = RegionSpec(f"{word}-province", f"{word.capitalize()} Province", country.id, "Province")
        children = []
        for _ in range(share[p]):
            word, draw = names(), rng.random()
            tier = "urban" if draw < 0.2 else "high-threat" if draw > 0.8 else "rural"
            people = rng.randint(150_000, 1_200_000) if tier == "urban" else rng.randint(20_000, 250_000)
            children.append(RegionSpec(word, word.capitalize(), province.id, "District", tier=tier, population=people))
        province.population = sum(c.population for c in children)
        ordered += [province, *children]
        leaves += children
    unit = RegionSpec(
        "maritime",
        "Maritime Police Unit",
        country.id,
        "Specialised unit",
        kind="functional",
        tier="urban",
        population=rng.randint(10_000, 80_000),
    )
    ordered.append(unit)
    leaves.append(unit)
    country.population = sum(r.population for r in ordered if r.parent == country.id)
    for leaf in leaves:  # how good policing is there, and who signs for it
        leaf.base = rng.uniform(0.4, 1.05) - (0.12 if leaf.tier == "high-threat" else 0.0)
        leaf.people = [person(rng, "Supt."), person(rng, ""), person(rng, "Chief Supt.")]
    return ordered, leaves


def person(rng: random.Random, rank: str) -> str:
    name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    return f"{rank} {name}" if rank else name


def regions_text(regions: list[RegionSpec]) -> str:
    out = ["# Synthetic regions: a country, its provinces and districts, and one functional unit.", "regions:"]
    for r in regions:
        out += [f"  - id: {r.id}", f"    name: {q(r.name)}"]
        if r.parent:
            out.append(f"    parent: {r.parent}")
        if r.kind != "territorial":
            out.append(f"    kind: {r.kind}")
        out.append(f"    category: {r.category}")
        if r.tier:
            out.append(f"    tier: {r.tier}")
        out.append(f"    population: {r.population}")
    return "\n".join(out) + "\n"


def quarter_ends(count: int) -> list[date]:
    """`count` quarter-end dates, oldest first, the last on LAST_ROUND_END."""
    ends = []
    year, month = LAST_ROUND_END.year, LAST_ROUND_END.month
    for _ in range(count):
        next_month = date(year + (month == 12), month % 12 + 1, 1)
        ends.append(next_month - timedelta(days=1))
        month -= 3
        if month <= 0:
            month, year = month + 12, year - 1
    return ends[::-1]


def round_id(day: date) -> str:
    return f"{day.year}-q{(day.month - 1) // 3 + 1}"


# ---------------------------------------------------------------- assessments


def write_assessments(
    rng: random.Random, out: Path, specs: list[Spec], leaves: list[RegionSpec], rounds: list[date]
) -> tuple[int, int]:
    """One file per leaf region per round; returns (files, observations)."""
    folders = []
    for day in rounds:
        folder = out / "assessments" / round_id(day)
        folder.mkdir(parents=True, exist_ok=True)
        folders.append(folder)
    # per round: evidence dates 0-90 days before the cut-off, as text
    evidence_days = [[(day - timedelta(days=k)).isoformat() for k in range(91)] for day in rounds]
    labels = [f"{QUARTER_LABEL[day.month]} {day.year}" for day in rounds]
    random_ = rng.random
    gauss = rng.gauss
    files = observations = 0
    by_id = sorted(range(len(specs)), key=lambda k: specs[k].id)
    for leaf in leaves:
        # the region's standing on each indicator, and which indicators do not apply there at all
        # (teams put their effort into critical indicators first)
        quality = [min(1.0, max(0.0, leaf.base + (0.1 if spec.critical else 0.0) + gauss(0.0, 0.1))) for spec in specs]
        not_applicable = [random_() < 0.02 for _ in specs]
        trend = gauss(0.02, 0.02)
        previous: dict[int, str] = {}
        for r, day in enumerate(rounds):
            rid, cutoff_days = round_id(day), evidence_days[r]
            ref_tail = f", {leaf.name}, {labels[r]}"
            out_lines = [
                f"region: {leaf.id}",
                f"round: {rid}",
                f"assessed_on: {cutoff_days[rng.randint(10, 30)]}",
                "team:",
                *(f"  - {q(p)}" for p in leaf.people),
                f"confidence: {'high' if random_() < 0.6 else 'medium'}",
                f"narrative: {q(f'Synthetic assessment of {leaf.name} for the {labels[r].lower()}.')}",
                "observations:",
            ]
            add = out_lines.append
            for k in range(len(specs)):
                quality[k] = min(1.0, max(0.0, quality[k] + trend + gauss(0.0, 0.04)))
            for k in by_id:  # observations in the order of the indicator ids
                spec = specs[k]
                observations += 1
                add(f"  {spec.id}:")
                if not_applicable[k]:
                    add(f"    not_applicable: {q(NOT_APPLICABLE[k % len(NOT_APPLICABLE)])}")
                    continue
                if random_() < 0.06:
                    add(f"    not_collected: {q(NOT_COLLECTED[int(random_() * len(NOT_COLLECTED))])}")
                    continue
                value = spec.value(quality[k], leaf.tier)
                add(f"    value: {value}")
                if k in previous and _slipped(value, previous[k]):
                    # a real team says why a value moved tenfold, or check warns (O007)
                    add(f"    note: {q('A real change: recounted during the field visit.')}")
                previous[k] = value
                add("    evidence:")
                if spec.critical:  # two distinct kinds of source
                    sources = spec.sources
                elif random_() < 0.3:  # a second entry, of the second kind where there is one
                    sources = (spec.sources * 2)[:2]
                else:
                    sources = spec.sources[:1]
                for n, source in enumerate(sources):
                    when = cutoff_days[int(random_() * 91)]
                    add(
                        f'      - {{source: {source}, reference: "{SOURCE_REFERENCE[source]} '
                        f'{spec.id}-{n + 1}{ref_tail}", date: {when}}}'
                    )
            draw = random_()
            signers = PARTIES if draw < 0.85 else PARTIES[:2] if draw < 0.95 else []
            if signers:
                add("sign_off:")
                signed = (day + timedelta(days=rng.randint(3, 20))).isoformat()
                for (party, _), who in zip(signers, leaf.people, strict=False):
                    add(f"  - {{party: {party}, name: {q(who)}, date: {signed}}}")
            if r == len(rounds) - 1 and random_() < 0.01:
                add("override:")
                add("  level: partially-ready")
                add(f"  rationale: {q('Joint Transition Committee decision pending the next field visit.')}")
                add(f"  approved_by: {q('Head of Police Component')}")
                add("  body: jtc")
                add(f"  expires: {(day + timedelta(days=180)).isoformat()}")
            write(folders[r] / f"{leaf.id}.yaml", "\n".join(out_lines) + "\n")
            files += 1
    return files, observations


def _slipped(value: str, before: str) -> bool:
    from decimal import Decimal, InvalidOperation

    from readiness.model import slipped_by

    try:
        return slipped_by(Decimal(value), Decimal(before)) is not None
    except InvalidOperation:  # yes/no values
        return False


# ---------------------------------------------------------------- the project


def framework_text() -> str:
    out = [
        "# Synthetic framework, shaped like the example mission's.",
        "name: Synthetic police primacy readiness framework",
        'version: "bench"',
        "scale: {min: 0, max: 100}",
        "rounding: {digits: 1, mode: half-up}",
        "",
        LEVELS.rstrip("\n"),
        "",
        "aggregation: arithmetic",
        "pillars:",
    ]
    for gid, gname, aggregation, pillars in GROUPS:
        out += [
            f"  - id: {gid}",
            f"    name: {gname}",
            "    weight: 1",
            f"    aggregation: {aggregation}",
            "    pillars:",
        ]
        out += [f"      - {{id: {code}, name: {q(name)}, weight: {weight}}}" for code, name, weight in pillars]
    tail = FRAMEWORK_TAIL.replace(
        "PARTIES_HERE", "\n".join(f"  - {{id: {i}, name: {q(n)}, side: {SIDES[i]}}}" for i, n in PARTIES)
    )
    tail = tail.replace("SOURCES_HERE", "\n".join(f"  - {{id: {i}, name: {q(n)}}}" for i, n in SOURCES))
    return "\n".join(out) + "\n\n" + tail


def generate(regions: int, indicators: int, rounds: int, seed: int, out: Path) -> tuple[int, int]:
    rng = random.Random(seed)
    files = 0
    (out / "indicators").mkdir(parents=True)
    write(out / "indicators" / "framework.yaml", framework_text())
    files += 1
    specs = make_indicators(rng, indicators)
    for spec in specs:
        folder = out / "indicators" / spec.pillar.lower()
        folder.mkdir(exist_ok=True)
        write(folder / f"{spec.id}.yaml", spec.text)
        files += 1
    ordered, leaves = make_regions(rng, regions)
    (out / "assessments").mkdir()
    write(out / "assessments" / "regions.yaml", regions_text(ordered))
    dates = quarter_ends(rounds)
    rounds_lines = ["# Quarterly rounds, oldest first; the date is the data cut-off.", "rounds:"]
    for day in dates:
        rounds_lines += [
            f"  - id: {round_id(day)}",
            f"    label: {QUARTER_LABEL[day.month]} {day.year}",
            f"    date: {day.isoformat()}",
        ]
    write(out / "assessments" / "rounds.yaml", "\n".join(rounds_lines) + "\n")
    files += 2
    written, observations = write_assessments(rng, out, specs, leaves, dates)
    return files + written, observations


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic, valid readiness project of a given size.")
    parser.add_argument("--regions", type=int, required=True, help="total number of regions (at least 4)")
    parser.add_argument("--indicators", type=int, required=True, help="number of indicators (at least 1)")
    parser.add_argument("--rounds", type=int, required=True, help="number of quarterly rounds (at least 1)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the project into")
    parser.add_argument(
        "--force",
        action="store_true",
        help="write into a non-empty folder, deleting its indicators/ and assessments/ first",
    )
    args = parser.parse_args(argv)

    def usage(message: str) -> int:
        print(f"generate.py: error: {message}", file=sys.stderr)
        return 2

    if args.regions < 4:
        return usage("--regions must be at least 4 (a country, a province, a district and a functional unit)")
    if args.indicators < 1:
        return usage("--indicators must be at least 1")
    if not 1 <= args.rounds <= 400:
        return usage("--rounds must be between 1 and 400")
    out: Path = args.out
    if out.exists() and not out.is_dir():
        return usage(f"{out} exists and is not a folder")
    if out.is_dir() and any(out.iterdir()):
        if not args.force:
            return usage(
                f"{out} exists and is not empty; choose another folder or pass --force "
                "(which deletes its indicators/ and assessments/)"
            )
        for sub in ("indicators", "assessments"):
            target = out / sub
            if target.is_symlink() or target.is_file():
                target.unlink()
            elif target.is_dir():
                shutil.rmtree(target)
    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    files, observations = generate(args.regions, args.indicators, args.rounds, args.seed, out)
    seconds = time.perf_counter() - start
    print(f"{files} files written, {observations} observations, {seconds:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
