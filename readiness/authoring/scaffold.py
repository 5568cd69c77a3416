"""`readiness init`: a new assessment repository that passes `readiness check` and builds.

It holds a small framework (or a minimal one), two regions under a country, one round with both
assessments filled in, the JSON Schemas for editors, mkdocs.yml, a site/ page, .gitignore, a pre-commit
configuration and CI workflows for GitHub Actions and GitLab CI. The CI installs readiness from the pinned source
in requirements.txt (see source.py), never by bare name.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

from ..i18n import say
from ..outputs import write_output
from ..schema import write_schemas
from .source import ToolSource, ToolSourceError, requirements_text, resolve_tool_source

__all__ = ["InitResult", "ToolSource", "ToolSourceError", "init_project", "project_files", "quarter"]

LEVELS = [
    {
        "id": "insufficient-evidence",
        "label": "Insufficient evidence",
        "colour": "#e2e2e2",
        "meaning": "Too little current data to judge.",
    },
    {
        "id": "not-ready",
        "label": "Not ready",
        "colour": "#a81810",
        "min_score": 0,
        "meaning": "Host police cannot yet carry primary responsibility.",
    },
    {
        "id": "partially-ready",
        "label": "Partially ready",
        "colour": "#dd9c1c",
        "min_score": 50,
        "meaning": "Some functions can be handed over.",
    },
    {
        "id": "ready",
        "label": "Ready for handover",
        "colour": "#a166ac",
        "min_score": 70,
        "meaning": "The agreed criteria are met.",
    },
    {
        "id": "sustained",
        "label": "Sustained",
        "colour": "#490f5b",
        "meaning": "Ready held for two or more rounds with no regression.",
    },
]

GATES = {
    "critical_floor": {"enabled": True},
    "prerequisites": {"required_level": "partially-ready", "cap_at": "partially-ready"},
    "pillar_floor": {"floor": 50, "applies_to": "ready", "cap_at": "partially-ready"},
    "evidence": {
        "min_coverage": 90,
        "insufficient_below": 60,
        "insufficient_level": "insufficient-evidence",
        "critical_source_types": 2,
        "max_age_days": 365,
        "applies_to": "ready",
        "cap_at": "partially-ready",
    },
    "stability": {"rounds": 2, "applies_to": "ready", "cap_at": "partially-ready", "sustained_level": "sustained"},
    "tier_thresholds": {"enabled": True},
    "sign_off": {"parties": ["unpol", "ministry", "police"], "applies_to": "ready", "cap_at": "partially-ready"},
    "override": {"enabled": True},
}


def _indicator(ind_id: str, name: str, definition: str, pillar: str, **more: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": ind_id,
        "name": name,
        "definition": definition,
        "pillar": pillar,
        "unit": "percent",
        "direction": "higher",
    }
    data.update(more)
    data.setdefault("scoring", {"method": "goalposts", "worst": 0, "best": 100})
    return data


INDICATORS = [
    _indicator(
        "HR-02",
        "Eligible officers vetted and finally certified",
        "Share of eligible sworn officers who passed vetting and hold final certification, from the "
        "certification register, verified on a sample of personnel files.",
        "HR",
        critical=True,
        weight=2,
        requires=["HR-03"],
        thresholds={"all": {"partially-ready": 60, "ready": 80}},
        evidence={"source_types": ["ADM", "FV"], "max_age_days": 180},
    ),
    _indicator(
        "HR-03",
        "Officers who completed the basic training curriculum",
        "Share of sworn officers on the nominal roll with a basic-training certificate.",
        "HR",
        thresholds={"all": {"partially-ready": 70, "ready": 90}},
        evidence={"source_types": ["ADM"]},
    ),
    _indicator(
        "BU-01",
        "Recurrent costs funded from the national budget",
        "Share of the region's recurrent police costs paid from national treasury lines in the last four quarters.",
        "BU",
        critical=True,
        weight=2,
        thresholds={"all": {"partially-ready": 50, "ready": 80}},
        evidence={"source_types": ["ADM", "DOC"]},
    ),
    _indicator(
        "LO-01",
        "Median response time to priority-1 calls",
        "Median minutes from a priority-1 call to officers on scene, from the call register.",
        "LO",
        unit="minutes",
        direction="lower",
        requires=["LG-02"],
        scoring={"method": "goalposts", "worst": 240, "best": 30},
        thresholds={"urban": {"partially-ready": 60, "ready": 30}, "rural": {"partially-ready": 120, "ready": 60}},
        evidence={"source_types": ["ADM", "FV"]},
    ),
    _indicator(
        "LG-02",
        "Stations with a serviceable vehicle and a fuel allocation",
        "Share of stations with at least one serviceable vehicle and this month's fuel allocation, by "
        "field verification.",
        "LG",
        thresholds={"all": {"partially-ready": 50, "ready": 80}},
        evidence={"source_types": ["FV"]},
    ),
    _indicator(
        "PC-01",
        "Stations with a functional SGBV and child-protection desk",
        "Share of stations with a staffed desk, a private interview room and a referral register.",
        "PC",
        thresholds={"all": {"partially-ready": 30, "ready": 70}},
        evidence={"source_types": ["FV"]},
    ),
]
MINIMAL_INDICATORS = ["HR-03", "LO-01"]

#: Example values of the two regions: a capital that is nearly ready, a rural district that is not.
VALUES = {
    "capital": {"HR-02": 84, "HR-03": 92, "BU-01": 81, "LO-01": 28, "LG-02": 85, "PC-01": 72},
    "district": {"HR-02": 63, "HR-03": 78, "BU-01": 44, "LO-01": 105, "LG-02": 48, "PC-01": 35},
}

SOURCE_NAMES = {
    "ADM": "Administrative records",
    "FV": "Field verification",
    "DOC": "Document review",
    "SUR": "Public survey",
    "EXP": "Expert judgement",
    "HRM": "Human-rights monitoring",
}


def quarter(day: date) -> tuple[str, date]:
    """The round id and cut-off date of the quarter that contains `day`."""
    q = (day.month - 1) // 3 + 1
    end_month = q * 3
    end = date(day.year + (end_month == 12), 1, 1) if end_month == 12 else date(day.year, end_month + 1, 1)
    return f"{day.year}-q{q}", end - timedelta(days=1)


def _dump(data: dict[str, Any], schema: str, comment: str = "") -> str:
    head = f"# yaml-language-server: $schema={schema}\n"
    if comment:
        head += "".join(f"# {line}\n" for line in comment.splitlines())
    return head + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=110)


def project_files(today: date, minimal: bool = False, source: ToolSource | None = None) -> dict[str, str]:
    """The files of a new project, by relative path (requirements.txt only with a `source` to install from)."""
    round_id, cutoff = quarter(today)
    seen = min(today, cutoff) - timedelta(days=7)
    indicators = [i for i in INDICATORS if not minimal or i["id"] in MINIMAL_INDICATORS]
    if minimal:
        indicators = [{**i, "requires": []} for i in indicators]
    pillars_used = {i["pillar"] for i in indicators}
    groups = [
        ("operations", "Operational capacity", ["LO", "PC"]),
        ("enablers", "Institutional enablers", ["HR", "LG", "BU"]),
    ]
    names = {
        "LO": "Law and order",
        "PC": "Protection of civilians",
        "HR": "Human resources",
        "LG": "Infrastructure and logistics",
        "BU": "Budget sustainability",
    }
    pillars = [
        {
            "id": gid,
            "name": gname,
            "aggregation": "arithmetic",
            "pillars": [{"id": p, "name": names[p]} for p in members if p in pillars_used],
        }
        for gid, gname, members in groups
        if any(p in pillars_used for p in members)
    ]
    sources = sorted({s for i in indicators for s in i.get("evidence", {}).get("source_types", [])})
    framework: dict[str, Any] = {
        "name": "Police primacy readiness framework",
        "version": "0.1",
        "description": "Edit the levels, pillars, tiers, parties and gates to the criteria your mission agreed.",
        "scale": {"min": 0, "max": 100},
        "rounding": {"digits": 1, "mode": "half-up"},
        "levels": LEVELS,
        "handover_level": "ready",
        "aggregation": "arithmetic",
        "pillars": pillars,
        "tiers": [{"id": "urban", "label": "Urban"}, {"id": "rural", "label": "Rural"}],
        "parties": [
            {"id": "unpol", "name": "UNPOL", "side": "un"},
            {"id": "ministry", "name": "Ministry of Interior", "side": "host"},
            {"id": "police", "name": "National police command", "side": "host"},
        ],
        "source_types": [{"id": s, "name": SOURCE_NAMES[s]} for s in sources],
        "roll_up": "population",
        "gates": {"critical_floor": {"enabled": True}} if minimal else GATES,
        # the agreed criteria the Secretary-General reports on (the annex of benchmarks): each met where every
        # indicator measuring it has reached the handover level; name them as your mandate does
        "benchmarks": [
            b
            for b in (
                {
                    "id": "law-and-order",
                    "name": "The national police responds to public-safety incidents",
                    "indicators": [i["id"] for i in indicators if i["pillar"] == "LO"],
                },
                {
                    "id": "certification",
                    "name": "Final certification of at least 80% of eligible officers",
                    "indicators": [i["id"] for i in indicators if i["id"] == "HR-02"],
                },
            )
            if b["indicators"]
        ],
        "functions": [
            {"id": "general-policing", "name": "General policing"},
            {"id": "public-order", "name": "Public order"},
        ],
        "bodies": [
            {"id": "joint-committee", "name": "Joint transition committee", "parties": ["unpol", "ministry", "police"]}
        ],
        "initial_primacy": "joint",
    }
    files = {
        "indicators/framework.yaml": _dump(
            framework, "../schemas/framework.schema.json", "The framework: levels, pillars, tiers, parties and gates."
        )
    }
    for ind in indicators:
        files[f"indicators/{ind['pillar'].lower()}/{ind['id']}.yaml"] = _dump(
            ind, "../../schemas/indicator.schema.json"
        )
    regions = [
        {"id": "country", "name": "Country", "kind": "territorial", "category": "Country"},
        {
            "id": "capital",
            "name": "Capital District",
            "parent": "country",
            "category": "District",
            "tier": "urban",
            "population": 650000,
        },
        {
            "id": "district",
            "name": "Rural District",
            "parent": "country",
            "category": "District",
            "tier": "rural",
            "population": 210000,
        },
    ]
    files["assessments/regions.yaml"] = _dump(
        {"regions": regions},
        "../schemas/regions.schema.json",
        "Regions nest through `parent`; assessed regions need a tier.",
    )
    files["assessments/rounds.yaml"] = _dump(
        {"rounds": [{"id": round_id, "label": f"Quarter {round_id[-1]} {today.year}", "date": cutoff.isoformat()}]},
        "../schemas/rounds.schema.json",
        "Rounds, oldest first. `readiness new-round` adds the next one.",
    )
    for region in ("capital", "district"):
        observations = {}
        for ind in indicators:
            kinds = ind.get("evidence", {}).get("source_types", ["ADM"])
            observations[ind["id"]] = {
                "value": VALUES[region][ind["id"]],
                "evidence": [
                    {
                        "source": s,
                        "reference": f"{SOURCE_NAMES[s]}: replace with the real reference",
                        "date": seen.isoformat(),
                    }
                    for s in kinds
                ],
            }
        assessment = {
            "region": region,
            "round": round_id,
            "assessed_on": seen.isoformat(),
            "narrative": "Replace with what the assessment team found, in a few sentences (Markdown allowed).",
            "observations": observations,
            "sign_off": [
                {"party": p, "name": "Name of the signatory", "date": seen.isoformat()}
                for p in ("unpol", "ministry", "police")
            ],
        }
        files[f"assessments/{round_id}/{region}.yaml"] = _dump(assessment, "../../schemas/assessment.schema.json")
    files.update(_repository_files(source))
    return files


def _repository_files(source: ToolSource | None) -> dict[str, str]:
    files = {
        "mkdocs.yml": "# yaml-language-server: $schema=schemas/mkdocs.schema.json\n"
        "# Site settings a team may edit (title, description, copyright, theme colours by name, logo "
        "and favicon from site/).\n# It is data: `readiness check` validates it; `readiness build` "
        "adds what an offline site needs.\n"
        "site_name: Police primacy readiness\ntheme:\n  name: material\n  palette:\n"
        "    primary: blue grey\n",
        "site/about.md": "# About this assessment\n\nWho assesses, how often, and who decides. Pages in site/ are "
        "added to the published site.\n",
        "handover/README.md": HANDOVER_README,
        ".gitignore": "build/\n.venv/\n__pycache__/\n",
        ".pre-commit-config.yaml": pre_commit_config(source),
        ".github/workflows/readiness.yml": GITHUB_WORKFLOW,
        ".gitlab-ci.yml": GITLAB_CI,
    }
    if source is not None:
        files["requirements.txt"] = requirements_text(source)
    return files


#: Every file `readiness check` reads: the sources (indicators/, assessments/ with regions.geojson, scenarios/)
#: and the site's (site/, mkdocs.yml). A commit touching any of them runs the hook; the same in
HANDOVER_README = """\
# The handover register

Who holds primary responsibility for public safety is decided jointly, region by region (and unit by unit,
sometimes function by function). Record each decision of the joint committee in `decisions/<id>.yaml`:

```yaml
# yaml-language-server: $schema=../../schemas/decision.schema.json
id: capital-handover
kind: handover                 # handover, reversion or deferral
region: capital
body: joint-committee          # one of the framework's bodies
reference: JTC/2026/01
decided: 2026-10-15
relied_on: 2026-q3             # the assessment round the committee relied on
rationale: The capital meets the agreed criteria.
positions:                     # every party of the body; a reason for anything but concur
  - {party: unpol, position: concur}
  - {party: ministry, position: concur}
  - {party: police, position: concur}
conditions:
  - what: Night patrols at full strength
    owner: police
    due: 2027-03-31
    status:
      2026-q3: open
      # once met: the report that shows it, and who verified it (others than its owner alone)
      # 2026-q4: {state: met, reference: JTWG field verification report FV-04, verified_by: [unpol, ministry]}
posture:
  text: UNPOL monitors and advises.
  footprint: {individual_officers: 10, formed_units: 0, colocation_teams: 1}
review: 2027-03-31
triggers:
  - level_below: ready         # at risk after handover if the capital falls below ready
  - text: An attack on a station the police cannot contain without UN formed police
    # the team watches it: at each round after the handover, whether it tripped and what shows it
    status: {2026-q3: {tripped: false, evidence: Operations room incident log of the quarter}}
```

`hrddp.yaml` holds the mission's human rights due diligence records, one per district or unit it supports: the
policy governs UN support, never the level (`readiness check` warns where a posture or a UN- or donor-funded input
has no record, H014):

```yaml
# yaml-language-server: $schema=../schemas/hrddp.schema.json
records:
  - id: capital-2026
    region: capital
    reference: HRDDP/2026/01       # the risk assessment, as the mission files it
    assessed: 2026-01-15
    review: 2028-01-15
    risk: low                      # low, medium or high
    support: continued             # continued, conditional (on the measures) or suspended
    measures: [Vetting of newly appointed commanders shared with the mission]
```

`mandate.yaml` holds the mandate calendar: periods, deadlines set by the Security Council, the planned drawdown
phases, and the presence each district needs before its handover. `readiness check` checks them; the site shows
primacy beside every level.
"""

#: The files `readiness check` reads: the hook of .pre-commit-hooks.yaml (this repository) runs on them.
CHECKED_FILES = r"^(indicators/|assessments/|scenarios/|handover/|site/|mkdocs\.yml$)"


def pre_commit_config(source: ToolSource | None) -> str:
    """.pre-commit-config.yaml: the `readiness-check` hook of readiness's own repository (.pre-commit-hooks.yaml),
    pinned to the commit CI installs, so `pre-commit install` just works: pre-commit installs readiness into an
    environment of its own, nothing needs to be on the PATH. An archive source (no git repository to name) is
    installed the same way, as the hook's one dependency."""
    head = (
        "# pre-commit: run `readiness check` before every commit that touches a file it reads.\n"
        "# Once: pip install pre-commit && pre-commit install (pre-commit installs readiness itself).\n"
        "repos:\n"
    )
    url = source.requirement.split(" @ ", 1)[1] if source is not None else ""
    if url.startswith("git+") and "@" in url.rsplit("/", 1)[-1] and "#subdirectory" not in url:
        repo, _, rev = url.removeprefix("git+").rpartition("@")
        rev = rev.split("#", 1)[0]
        return head + (
            f"  - repo: {repo}\n"
            f"    rev: {rev}  # the commit of readiness that CI installs (requirements.txt)\n"
            "    hooks:\n"
            "      - id: readiness-check\n"
        )
    dependency = f'        additional_dependencies: ["{source.requirement}"]\n' if source is not None else ""
    return head + (
        "  - repo: local\n"
        "    hooks:\n"
        "      - id: readiness-check\n"
        "        name: readiness check\n"
        "        entry: readiness check\n"
        "        language: python\n"
        f"{dependency}"
        "        pass_filenames: false\n"
        f"        files: {CHECKED_FILES}\n"
    )


#: Where the check steps write their reports and the build step the site; the upload steps read the same names.
#: GitHub's report goes to a fresh folder of the runner, outside the checkout: a pull request could commit a
#: file of the report's name as a link to a file the CI user may write (the tool replaces a link rather than
#: writing through it, and the report is not where a pull request can put anything). GitLab reads reports only
#: inside the checkout, so the job deletes whatever a commit put at that name first.
SARIF_FILE = "${{ runner.temp }}/readiness/readiness.sarif"
JUNIT_FILE = "readiness-junit.xml"
SITE_DIR = "build/site"

GITHUB_WORKFLOW = f"""\
# Checks every pull request and push to main: findings appear as annotations on the changed lines and, where
# GitHub code scanning is available, in the Security tab (SARIF). Then builds the public site as an artifact.
name: readiness
on:
  push:
    branches: [main]
  pull_request:
permissions:
  contents: read
jobs:
  check-and-build:
    runs-on: ubuntu-latest
    permissions:
      contents: read  # check out the repository
      security-events: write  # upload the SARIF report to code scanning
      actions: read  # upload-sarif needs it in a private repository
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - name: Install readiness from the pinned source in requirements.txt
        id: install
        run: pip install -r requirements.txt
      # The SARIF report first: it is written whatever the later steps do.
      - name: Check (SARIF report for code scanning)
        id: sarif
        run: readiness check --format sarif --out "{SARIF_FILE}"
      - name: Check (annotations on the changed lines)
        if: ${{{{ !cancelled() && steps.install.outcome == 'success' }}}}
        run: readiness check --format github
      # Also when the check failed. Skipped for pull requests from forks and Dependabot, whose token cannot
      # write security events, and never failing the job where code scanning is not enabled.
      - name: Upload the SARIF report to code scanning
        if: >-
          always() && steps.sarif.outcome != 'skipped' &&
          (github.event_name != 'pull_request' || github.event.pull_request.head.repo.full_name == github.repository) &&
          github.actor != 'dependabot[bot]'
        continue-on-error: true
        uses: github/codeql-action/upload-sarif@v3
        with:
          sarif_file: {SARIF_FILE}
          category: readiness
      - name: Build the public site
        run: readiness build --audience public --out {SITE_DIR}
      - uses: actions/upload-artifact@v4
        with:
          name: readiness-site
          path: {SITE_DIR}
"""

GITLAB_CI = f"""\
# Checks every merge request and push (findings appear in the test report) and builds the site.
image: python:3.11
stages: [check, build]
check:
  stage: check
  script:
    - pip install -r requirements.txt
    - rm -f {JUNIT_FILE}  # a committed file or link of that name is not the report
    - readiness check --format junit --out {JUNIT_FILE}
  artifacts:
    when: always
    reports:
      junit: {JUNIT_FILE}
build:
  stage: build
  script:
    - pip install -r requirements.txt
    - readiness build --audience public --out {SITE_DIR}
  artifacts:
    paths:
      - {SITE_DIR}
"""


@dataclass
class InitResult:
    """What `init_project` did: the files it wrote, the source CI installs readiness from, and warnings for the
    user (print each). Iterating or taking len() gives the files, as the list returned before did."""

    files: list[Path]
    source: ToolSource
    warnings: list[str] = field(default_factory=list)
    branch: str | None = None
    """The git branch the new repository is on (None: no repository could be started)."""

    def __iter__(self) -> Iterator[Path]:
        return iter(self.files)

    def __len__(self) -> int:
        return len(self.files)


def init_project(target: Path, today: date, minimal: bool = False, tool_source: str | None = None) -> InitResult:
    """Write a new project into `target` (which must be empty or absent).

    `tool_source` is where the new repository's CI installs readiness from, a pinned direct reference
    (`readiness @ git+URL@<commit>` or `readiness @ https://URL#sha256=<hash>`, or the URL alone); without it,
    the source is derived from how the running readiness was installed. Raises ToolSourceError (a usage error)
    when the source is not pinned or cannot be derived, FileExistsError when `target` is not empty; either way
    before writing anything."""
    if target.exists() and any(target.iterdir()):
        raise FileExistsError(say("report.init.not_empty", target=str(target)))
    source = resolve_tool_source(tool_source)
    written = []
    for rel, text in project_files(today, minimal, source).items():
        written.append(write_output(target / rel, text))
    written += write_schemas(target / "schemas")
    warnings = list(source.warnings)
    branch = start_repository(target)
    if branch is None:
        warnings.append(say("report.init.no_git"))
    return InitResult(written, source, warnings, branch)


def start_repository(target: Path) -> str | None:
    """A git repository in `target` on the branch its CI workflows run on (`main`), unless `target` is already
    inside one; returns the branch, or None when git is missing or fails."""
    from .source import _git

    if _git(target, "rev-parse", "--is-inside-work-tree") == "true":
        return _git(target, "symbolic-ref", "--short", "HEAD") or "main"
    if _git(target, "init", "-q", "-b", "main") is None:
        return None
    return "main"
