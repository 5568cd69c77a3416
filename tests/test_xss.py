"""Stored XSS and outside requests from YAML text, in a real browser.

Requirement: every text from YAML reaches HTML either escaped or through one sanitiser with an allowlist (no
raw HTML from YAML; links only relative, http(s) and mailto; no outside images); names handed to MkDocs and
the theme (nav titles, page titles, site name) are escaped.

How: a corpus of hostile strings (PAYLOADS) goes into every text field a team can write (FIELDS: framework,
indicators, regions, rounds, assessments, scenarios, mkdocs.yml), in both languages. The corpus is split into
a few groups; each group makes one throw-away project carrying all of its payloads in every field, built once
as internal and once as `--audience public`, each with an English and a French site. Every page is read as a
browser parses it (lexbor, through selectolax); in Debian's chromium, every page of the internal sites and a
sample of every kind of page of the public ones is opened over file://, and that sample of every site over a
local http server, with a dialog handler, a request listener that aborts anything outside the site, and a
count of `javascript:`, `data:` and `vbscript:` links; the search box of every site is given a hostile term once.

Each payload is written as in the corpus, except that every `alert(1)` / `msgbox(1)` carries a number instead
of the 1, every outside URL a path, and every reference label a suffix, made of the payload's number and the
field's (`alert(2317)`: payload 23, field 17), so a dialog, a request or a link names the payload and the
field that caused it.

The figures (payloads, fields, pages opened, dialogs, outside requests, script links, seconds) go to
build/xss-summary.json, which SECURITY.md quotes.
"""

from __future__ import annotations

import functools
import html
import http.server
import json
import os
import re
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import pytest

from tests.conftest import REPO, run, write_project

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--no-default-browser-check",
]
SUMMARY = REPO / "build" / "xss-summary.json"
OUTSIDE_HOST = "outside.test"  # a reserved name (RFC 2606): never a real host
SEARCH_CODE = 9999
SEARCH_TERM = f"North <img src=x onerror=alert({SEARCH_CODE})> script"  # North: a region, so results show

if not Path(CHROMIUM).exists():
    if os.environ.get("READINESS_REQUIRE_BROWSER"):
        raise RuntimeError("browser tests need Debian's chromium (apt-get install chromium)")
    pytest.skip(
        "Debian's chromium is not installed (apt-get install chromium); .ci/run installs it", allow_module_level=True
    )

sync_api = pytest.importorskip("playwright.sync_api")


# ---------------------------------------------------------------- the corpus


@dataclass(frozen=True)
class Payload:
    id: str
    text: str
    group: str
    harmless: bool = False


def _p(group: str, *items: tuple[str, str]) -> list[Payload]:
    return [Payload(pid, text, group, harmless=group == "harmless") for pid, text in items]


PAYLOADS: list[Payload] = [
    # script and event handlers, and attempts to break out of an attribute or of <title>
    *_p(
        "script",
        ("script-tag", "<script>alert(1)</script>"),
        ("img-onerror", "<img src=x onerror=alert(1)>"),
        ("svg-onload", "<svg onload=alert(1)>"),
        ("attr-break-double", '"><script>alert(1)</script>'),
        ("attr-break-single", "'><img src=x onerror=alert(1)>"),
        ("title-break", "</title><script>alert(1)</script>"),
        ("pre-escaped-script", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("pre-escaped-title", "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("details-ontoggle", "<details open ontoggle=alert(1)>x</details>"),
        ("raw-js-anchor", '<a href="javascript:alert(1)">x</a>'),
    ),
    # links to script, in Markdown and in raw HTML
    *_p(
        "links",
        ("md-js-link", "[x](javascript:alert(1))"),
        ("md-js-mixed-case", "[x](JaVaScRiPt:alert(1))"),
        ("md-js-angle", "[x](<javascript:alert(1)>)"),
        ("md-data-link", "[x](data:text/html,<script>alert(1)</script>)"),
        ("md-vbscript", "[x](vbscript:msgbox(1))"),
        ("md-reference-link", "[x][r]\n[r]: javascript:alert(1)"),
        ("md-entity-s", "[x](java&#115;cript:alert(1))"),
        ("md-entity-j", "[x](&#106;avascript:alert(1))"),
        ("md-entity-colon", "[x](javascript&#58;alert(1))"),
        ("md-js-tab", "[x](java\tscript:alert(1))"),
        ("md-js-space", "[x]( javascript:alert(1))"),
        ("autolink-js", "<javascript:alert(1)>"),
        ("svg-xlink-js", '<svg><a xlink:href="javascript:alert(1)"><text y="20">x</text></a></svg>'),
        ("attr-list-onclick", 'x{: onclick="alert(1)"}'),
        ("attr-list-onmouseover", "{onmouseover=alert(1)}"),
    ),
    # the second audit: code spans that swallow raw HTML, and markup that Python's html.parser reads otherwise
    # than a browser (foreign content, noscript, bogus comments, CDATA), and documents shown from data: URLs
    *_p(
        "script",
        ("code-span-swallow", "`a` <img src=x onerror=alert(1)> `b`"),
        ("code-span-double", "``a` <img src=x onerror=alert(1)> `b``"),
        ("code-span-unclosed", "`a <img src=x onerror=alert(1)>"),
        ("svg-style-img", "<svg><style><img src=x onerror=alert(1)></style></svg>"),
        ("noscript-title", '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>'),
        ("comment-short", "<!--><img src=x onerror=alert(1)>-->"),
        ("comment-bang", "<!-- --!><img src=x onerror=alert(1)> -->"),
        ("cdata", "<![CDATA[ x ><img src=x onerror=alert(1)> ]]>"),
        ("iframe-data-svg", '<iframe src="data:image/svg+xml,<svg onload=alert(1)>"></iframe>'),
        ("embed-data-svg", '<embed src="data:image/svg+xml,<svg onload=alert(1)>">'),
        ("object-data-svg", '<object data="data:image/svg+xml,<svg onload=alert(1)>"></object>'),
        ("template-img", "<template><img src=x onerror=alert(1)></template>"),
        (
            "svg-animate-href",
            "<svg><a><animate attributeName=href values=javascript:alert(1) /><text>x</text></a></svg>",
        ),
    ),
    # loads from outside the site
    *_p(
        "loads",
        ("img-srcset", '<img srcset="http://outside.test/a.png 1x">'),
        ("video-poster", '<video poster="http://outside.test/p.png"></video>'),
        ("input-image", "<input type=image src=http://outside.test/i.png>"),
        ("svg-image", '<svg><image href="http://outside.test/i.svg"/></svg>'),
        ("meta-refresh", '<meta http-equiv="refresh" content="0;url=http://outside.test/">'),
        ("md-image", "![x](http://outside.test/x.png)"),
        ("md-image-protocol-relative", "![x](//outside.test/y.png)"),
        ("link-stylesheet", "<link rel=stylesheet href=http://outside.test/s.css>"),
        ("iframe", "<iframe src=http://outside.test/></iframe>"),
        ("object-data", "<object data=http://outside.test/o.swf></object>"),
        ("base-href", '<base href="http://outside.test/">'),
    ),
    # ... and through CSS
    *_p(
        "loads",
        ("style-import", "<style>@import url(http://outside.test/s.css)</style>"),
        ("style-attribute", '<div style="background:url(http://outside.test/b.png)">x</div>'),
        # CSS escapes and functions a regular expression does not read as a browser does
        ("css-escaped-url", '<p style="background:\\75 rl(http://outside.test/e.png)">x</p>'),
        ("css-escaped-scheme", "<style>p{background:url(\\68ttp://outside.test/h.png)}</style>"),
        ("css-image-set", "<style>p{background-image:image-set('http://outside.test/i.png' 1x)}</style>"),
        ("css-escaped-import", '<style>@import "\\68ttp://outside.test/s.css";</style>'),
    ),
    # harmless text that must be shown and must not make the build refuse
    *_p(
        "harmless",
        ("mentions-css-url", "The style guide says to write url(https://example.org/x) for the logo."),
        ("mentions-script-tag", "Never paste `<script>` into a narrative."),
    ),
]
GROUPS = list(dict.fromkeys(p.group for p in PAYLOADS))
NUMBER = {p.id: i for i, p in enumerate(PAYLOADS, start=1)}


# ---------------------------------------------------------------- the fields


FIELDS: list[str] = [
    "framework.name",
    "framework.version",
    "framework.description",
    "level.label",
    "level.meaning",
    "level.posture",
    "pillar.name",
    "pillar.description",
    "tier.label",
    "tier.description",
    "party.name",
    "source_type.name",
    "source_type.description",
    "marking.restricted_label",
    "marking.internal_notice",
    "indicator.name",
    "indicator.definition",
    "indicator.unit_label",
    "indicator.notes",
    "indicator.source",
    "indicator.rubric.descriptor",
    "region.name",
    "region.category",
    "region.description",
    "round.label",
    "assessment.team",
    "assessment.narrative",
    "assessment.risks",
    "assessment.recommendations",
    "observation.note",
    "observation.not_collected",
    "observation.not_applicable",
    "evidence.reference",
    "sign_off.name",
    "sign_off.role",
    "override.rationale",
    "override.approved_by",
    "body.name",
    "function.name",
    "sign_off.reason",
    "sign_off.resolution",
    "decision.reference",
    "decision.rationale",
    "position.reason",
    "position.by",
    "condition.what",
    "posture.text",
    "trigger.text",
    "deadline.what",
    "deadline.set_by",
    "phase.name",
    "period.resolution",
    "scenario.name",
    "scenario.description",
    "mkdocs.site_name",
    "mkdocs.site_description",
    "mkdocs.site_author",
    "mkdocs.copyright",
    "observation.effort",
]
FIELD_NUMBER = {name: i for i, name in enumerate(FIELDS, start=1)}


def instance(payload: Payload, field_name: str) -> str:
    """The payload as written into one field: its calls, outside URLs and reference labels carry the code."""
    code = NUMBER[payload.id] * 100 + FIELD_NUMBER[field_name]
    text = payload.text.replace("alert(1)", f"alert({code})").replace("msgbox(1)", f"msgbox({code})")
    text = text.replace(f"{OUTSIDE_HOST}/", f"{OUTSIDE_HOST}/c{code}/").replace("[r]", f"[r{code}]")
    return text


def decode(code: int) -> str:
    """`payload-id in field.name` for a code found in a dialog, a request or a link."""
    if code == SEARCH_CODE:
        return "the search term"
    number, field_number = divmod(code, 100)
    pid = PAYLOADS[number - 1].id if 1 <= number <= len(PAYLOADS) else f"?{number}"
    fname = FIELDS[field_number - 1] if 1 <= field_number <= len(FIELDS) else f"?{field_number}"
    return f"{pid} in {fname}"


def decode_text(text: str) -> str:
    codes = [
        int(x) for pair in re.findall(r"\b(?:alert|confirm|prompt|msgbox)\((\d+)\)|/c(\d+)/", text) for x in pair if x
    ]
    return "; ".join(decode(c) for c in dict.fromkeys(codes)) or "no code"


class Writer:
    """Hostile text for one group: every field carries every payload of the group."""

    def __init__(self, group: str) -> None:
        self.payloads = [p for p in PAYLOADS if p.group == group]
        self.used: set[str] = set()

    def text(self, field_name: str, prefix: str, multiline: bool = False) -> str:
        self.used.add(field_name)
        joiner = "\n\n" if multiline else " "
        return prefix + joiner + joiner.join(instance(p, field_name) for p in self.payloads)

    def local(self, field_name: str, en: str, fr: str, multiline: bool = False) -> dict[str, str]:
        """A translated text, hostile in both languages."""
        return {"en": self.text(field_name, en, multiline), "fr": self.text(field_name, fr, multiline)}


LEVEL_IDS = ["insufficient-evidence", "not-ready", "partially-ready", "ready", "sustained"]
LEVEL_NAMES = [
    ("Insufficient evidence", "Données insuffisantes", "#888888", None),
    ("Not ready", "Pas prêt", "#aa0000", 0),
    ("Partially ready", "Partiellement prêt", "#dd8800", 50),
    ("Ready", "Prêt", "#008800", 70),
    ("Sustained", "Consolidé", "#0044aa", None),
]


def hostile_project(root: Path, group: str) -> tuple[Path, set[str]]:
    """A valid project (two languages, two rounds, a nested region, a rubric, an override, a sign-off and a
    scenario) with the group's payloads in every text field. Returns its folder and the fields written."""
    w = Writer(group)
    levels = []
    for lid, (en, fr, colour, min_score) in zip(LEVEL_IDS, LEVEL_NAMES, strict=True):
        level: dict[str, Any] = {
            "id": lid,
            "label": w.local("level.label", en, fr),
            "colour": colour,
            "meaning": w.local("level.meaning", "Meaning", "Sens"),
            "posture": w.local("level.posture", "Posture", "Dispositif"),
        }
        if min_score is not None:
            level["min_score"] = min_score
        levels.append(level)
    fw = {
        "name": w.local("framework.name", "Framework", "Cadre"),
        "version": w.text("framework.version", "2026.1"),
        "description": w.local("framework.description", "About", "À propos", multiline=True),
        "languages": ["en", "fr"],
        "scale": {"min": 0, "max": 100},
        "rounding": {"digits": 1, "mode": "half-up"},
        "levels": levels,
        "handover_level": "ready",
        "aggregation": "arithmetic",
        "pillars": [
            {
                "id": "A",
                "name": w.local("pillar.name", "Pillar A", "Pilier A"),
                "description": w.local("pillar.description", "Pillar A", "Pilier A"),
            },
            {
                "id": "B",
                "name": w.local("pillar.name", "Pillar B", "Pilier B"),
                "description": w.local("pillar.description", "Pillar B", "Pilier B"),
            },
        ],
        "tiers": [
            {
                "id": "urban",
                "label": w.local("tier.label", "Urban", "Urbain"),
                "description": w.local("tier.description", "Towns", "Villes"),
            },
            {
                "id": "rural",
                "label": w.local("tier.label", "Rural", "Rural"),
                "description": w.local("tier.description", "Country", "Campagne"),
            },
        ],
        "parties": [
            {"id": "un", "name": w.local("party.name", "UN Police", "Police de l'ONU"), "side": "un"},
            {"id": "gov", "name": w.local("party.name", "Ministry", "Ministère"), "side": "host"},
        ],
        "bodies": [
            {"id": "jtc", "name": w.local("body.name", "Joint committee", "Comité mixte"), "parties": ["un", "gov"]}
        ],
        "functions": [
            {"id": "general", "name": w.local("function.name", "General policing", "Police générale")},
            {"id": "order", "name": w.local("function.name", "Public order", "Ordre public")},
        ],
        "source_types": [
            {
                "id": "ADM",
                "name": w.local("source_type.name", "Records", "Registres"),
                "description": w.local("source_type.description", "Records", "Registres"),
            },
            {
                "id": "FV",
                "name": w.local("source_type.name", "Field visit", "Visite"),
                "description": w.local("source_type.description", "Visit", "Visite"),
            },
        ],
        "roll_up": "population",
        "gates": {
            "sign_off": {"parties": ["un", "gov"], "applies_to": "ready", "cap_at": "partially-ready"},
            "override": {"enabled": True},
        },
        "marking": {
            "restricted_label": w.local("marking.restricted_label", "Restricted", "Restreint"),
            "internal_notice": w.local("marking.internal_notice", "Internal", "Interne"),
        },
    }

    def percent(ind_id: str, pillar: str) -> dict[str, Any]:
        return {
            "id": ind_id,
            "name": w.local("indicator.name", f"Indicator {ind_id}", f"Indicateur {ind_id}"),
            "definition": w.local("indicator.definition", "Share", "Part", multiline=True),
            "pillar": pillar,
            "unit": "percent",
            "unit_label": w.local("indicator.unit_label", "per cent", "pour cent"),
            "direction": "higher",
            "scoring": {"method": "goalposts", "worst": 0, "best": 100},
            "thresholds": {"all": {"partially-ready": 50, "ready": 80}},
            "evidence": {"source_types": ["ADM", "FV"]},
            "source": w.text("indicator.source", "Handbook"),
            "notes": w.local("indicator.notes", "Notes", "Notes", multiline=True),
        }

    rubric = {
        "id": "B1",
        "name": w.local("indicator.name", "Indicator B1", "Indicateur B1"),
        "definition": w.local("indicator.definition", "Rating", "Note", multiline=True),
        "pillar": "B",
        "unit": "ordinal",
        "direction": "higher",
        "scoring": {
            "method": "rubric",
            "rubric": [
                {"level": lv, "descriptor": w.local("indicator.rubric.descriptor", f"Level {lv}", f"Niveau {lv}")}
                for lv in (0, 1, 2)
            ],
        },
        "thresholds": {"all": {"partially-ready": 1, "ready": 2}},
        "notes": w.text("indicator.notes", "Notes written once", multiline=True),
    }

    def evidence(source: str, date: str) -> dict[str, Any]:
        return {"source": source, "reference": w.text("evidence.reference", f"{source} register"), "date": date}

    def obs(value: Any, date: str) -> dict[str, Any]:
        return {"value": value, "evidence": [evidence("ADM", date), evidence("FV", date)]}

    def assessment(region: str, round_id: str, date: str, a1: Any, a2: Any, b1: Any, full: bool) -> dict[str, Any]:
        observations: dict[str, Any] = {"A1": obs(a1, date), "B1": obs(b1, date)}
        observations["A2"] = (
            obs(a2, date) if a2 is not None else {"not_collected": w.text("observation.not_collected", "Not collected")}
        )
        doc: dict[str, Any] = {"region": region, "round": round_id, "observations": observations}
        if not full:
            return doc
        observations["A1"]["note"] = w.text("observation.note", "Note", multiline=True)
        observations["A1"]["effort"] = w.text("observation.effort", "Visits")
        doc.update(
            {
                "team": [w.text("assessment.team", "Officer One"), w.text("assessment.team", "Officer Two")],
                "narrative": w.local("assessment.narrative", "Narrative", "Récit", multiline=True),
                "risks": [
                    w.text("assessment.risks", "Risk", multiline=True),
                    {"text": w.local("assessment.risks", "Risk", "Risque", multiline=True)},
                ],
                "recommendations": [
                    w.text("assessment.recommendations", "Do", multiline=True),
                    w.local("assessment.recommendations", "Do", "Faire", multiline=True),
                ],
                "sign_off": [
                    {
                        "party": party,
                        "name": w.text("sign_off.name", "Name"),
                        "role": w.text("sign_off.role", "Role"),
                        "date": date,
                        **(
                            {
                                "position": "reservations",
                                "reason": w.local("sign_off.reason", "Because", "Parce que"),
                                "resolution": w.text("sign_off.resolution", "Settled"),
                            }
                            if party == "gov"
                            else {}
                        ),
                    }
                    for party in ("un", "gov")
                ],
            }
        )
        return doc

    south_r2 = assessment("south", "r2", "2026-06-01", 90, None, 2, True)
    south_r2["observations"]["A2"] = {"not_applicable": w.text("observation.not_applicable", "Not applicable")}
    north_r2 = assessment("north", "r2", "2026-06-01", 60, None, 1, True)
    north_r2["override"] = {
        "level": "ready",
        "rationale": w.text("override.rationale", "Because", multiline=True),
        "approved_by": w.text("override.approved_by", "Head of component"),
        "expires": "2027-03-31",
        "body": "jtc",
    }
    files: dict[str, Any] = {
        "indicators/framework.yaml": fw,
        "indicators/A1.yaml": percent("A1", "A"),
        "indicators/A2.yaml": percent("A2", "A"),
        "indicators/B1.yaml": rubric,
        "assessments/regions.yaml": {
            "regions": [
                {
                    "id": "nation",
                    "name": w.local("region.name", "Nation", "Nation"),
                    "category": w.local("region.category", "Country", "Pays"),
                    "description": w.local("region.description", "All", "Tout", multiline=True),
                },
                {
                    "id": "north",
                    "name": w.text("region.name", "North"),
                    "parent": "nation",
                    "tier": "urban",
                    "population": 1000,
                    "category": w.text("region.category", "Province"),
                    "description": w.text("region.description", "North", multiline=True),
                },
                {
                    "id": "south",
                    "name": w.text("region.name", "South"),
                    "parent": "nation",
                    "tier": "rural",
                    "population": 3000,
                    "category": w.text("region.category", "Province"),
                    "description": w.text("region.description", "South", multiline=True),
                },
            ]
        },
        "assessments/rounds.yaml": {
            "rounds": [
                {"id": "r1", "label": w.local("round.label", "March", "Mars"), "date": "2026-03-31"},
                {"id": "r2", "label": w.local("round.label", "June", "Juin"), "date": "2026-06-30"},
            ]
        },
        "assessments/r1/north.yaml": assessment("north", "r1", "2026-03-01", 40, 45, 0, True),
        "assessments/r1/south.yaml": assessment("south", "r1", "2026-03-01", 85, 90, 2, False),
        "assessments/r2/north.yaml": north_r2,
        "assessments/r2/south.yaml": south_r2,
        "scenarios/what-if.yaml": {
            "name": w.local("scenario.name", "What if", "Et si"),
            "description": w.local("scenario.description", "Suppose", "Supposons", multiline=True),
            "round": "r2",
            "changes": [{"region": "north", "indicator": "A1", "value": 95}],
        },
        "handover/decisions/south.yaml": {
            "id": "south-general",
            "kind": "handover",
            "region": "south",
            "functions": ["general"],
            "body": "jtc",
            "reference": w.text("decision.reference", "JTC/1"),
            "decided": "2026-07-10",
            "relied_on": "r2",
            "rationale": w.local("decision.rationale", "Because", "Parce que", multiline=True),
            "positions": [
                {"party": "un", "position": "concur"},
                {
                    "party": "gov",
                    "position": "reservations",
                    "reason": w.local("position.reason", "Late", "Tard"),
                    "by": w.text("position.by", "Minister"),
                },
            ],
            "conditions": [
                {"what": w.local("condition.what", "Radios", "Radios"), "owner": "gov", "due": "2026-12-31"}
            ],
            "posture": {
                "text": w.local("posture.text", "Advise", "Conseiller", multiline=True),
                "footprint": {"individual_officers": 10},
            },
            "review": "2027-01-31",
            "triggers": [{"text": w.local("trigger.text", "Falls", "Chute"), "level_below": "partially-ready"}],
        },
        "handover/mandate.yaml": {
            "periods": [
                {
                    "id": "p1",
                    "resolution": w.text("period.resolution", "Resolution 1"),
                    "start": "2026-01-01",
                    "end": "2026-12-31",
                }
            ],
            "deadlines": [
                {
                    "id": "full",
                    "what": w.local("deadline.what", "Full primacy", "Primauté"),
                    "date": "2027-06-30",
                    "set_by": w.text("deadline.set_by", "Council"),
                }
            ],
            "phases": [
                {
                    "id": "one",
                    "name": w.local("phase.name", "Phase one", "Phase un"),
                    "start": "2026-07-01",
                    "end": "2026-12-31",
                    "strength": {"individual_officers": 100},
                }
            ],
        },
        "mkdocs.yml": {
            "site_name": w.text("mkdocs.site_name", "Readiness"),
            "site_description": w.text("mkdocs.site_description", "Readiness of the police"),
            "site_author": w.text("mkdocs.site_author", "Working group"),
            "copyright": w.text("mkdocs.copyright", "Working group 2026"),
        },
    }
    return write_project(root, files), w.used


# ---------------------------------------------------------------- building


AUDIENCES = ("internal", "public")
FIGURES: dict[str, Any] = {}


@dataclass
class Built:
    group: str
    audience: str
    project: Path
    site: Path
    exit_code: int
    output: str
    fields: set[str]

    @property
    def name(self) -> str:
        return f"{self.group}-{self.audience}"


@pytest.fixture(scope="module", autouse=True)
def summary():
    started = time.monotonic()
    yield
    FIGURES["seconds"] = round(time.monotonic() - started, 1)
    hostile = [p for p in PAYLOADS if not p.harmless]
    FIGURES.update(
        {
            "outside_host": OUTSIDE_HOST,
            "payloads": len(hostile),
            "harmless": len(PAYLOADS) - len(hostile),
            "fields": len(FIELDS),
            "payloads_x_fields": len(hostile) * len(FIELDS),
            "corpus": [{"id": p.id, "group": p.group, "text": p.text, "harmless": p.harmless} for p in PAYLOADS],
            "field_names": FIELDS,
        }
    )
    SUMMARY.parent.mkdir(parents=True, exist_ok=True)
    SUMMARY.write_text(json.dumps(FIGURES, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> list[Built]:
    base = tmp_path_factory.mktemp("xss").resolve()
    out = []
    for group in GROUPS:
        root, used = hostile_project(base / "projects" / group, group)
        for audience in AUDIENCES:
            site = base / "sites" / f"{group}-{audience}"
            result = run("build", "-p", str(root), "--out", str(site), "--audience", audience)
            out.append(Built(group, audience, root, site, result.exit_code, result.output, used))
    FIGURES["builds"] = [
        {"site": b.name, "exit_code": b.exit_code, "refused": "" if b.exit_code == 0 else b.output.strip()[-300:]}
        for b in out
    ]
    FIGURES["fields_written"] = len(set().union(*(b.fields for b in out)))
    shown = fields_on_pages(out)
    FIGURES["fields_on_pages"] = len(shown)
    FIGURES["fields_on_no_page"] = [f for f in FIELDS if f not in shown]
    return out


def fields_on_pages(built: list[Built]) -> set[str]:
    """The fields whose text (escaped or not) reaches a built page, found by their codes."""
    codes: set[int] = set()
    for b in built:
        for path in pages(b):
            text = html.unescape(html.unescape(path.read_text(encoding="utf-8", errors="replace")))
            codes.update(int(c) for pair in re.findall(r"(?:alert|msgbox)\((\d+)\)|/c(\d+)/", text) for c in pair if c)
    return {FIELDS[c % 100 - 1] for c in codes if 0 < c % 100 <= len(FIELDS) and 0 < c // 100 <= len(PAYLOADS)}


def pages(b: Built) -> list[Path]:
    return sorted(b.site.rglob("*.html")) if b.exit_code == 0 and b.site.is_dir() else []


# ---------------------------------------------------------------- the static check, without a browser


_CALL = re.compile(r"\b(?:alert|msgbox)\(\d+\)")


def raw_html(text: str) -> list[str]:
    """Script and handlers from the corpus in one page, read as a browser reads it (an HTML5 parser with
    scripting on, templates included): a `<script>` whose text calls the corpus's functions, and any on...=
    attribute of a real element that does (escaped text inside a value or an element is not a tag)."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(text, scripting=True)
    found = []
    for root in [tree.root, *tree.template_fragments()]:
        for node in root.traverse(include_text=False):
            tag = (node.tag or "").lower()
            if tag == "script" and _CALL.search(node.text(deep=True)):
                found.append(f"<script>{node.text(deep=True)[:40]}")
            for name, value in node.attributes.items():
                if name.lower().startswith("on") and value and _CALL.search(value):
                    found.append(f"<{tag} {name}={value}>")
    return found


def by_cause(findings: list[tuple[str, str]], limit: int = 60) -> str:
    """Findings (page, text with codes) grouped by payload and field, each with a count and a first page."""
    causes: dict[str, list[str]] = {}
    for page, text in findings:
        for cause in decode_text(text).split("; "):
            causes.setdefault(cause, []).append(page)
    lines = [f"{cause}: {len(where)} times, e.g. {where[0]}" for cause, where in sorted(causes.items())]
    return "\n".join(lines[:limit]) + (f"\n... and {len(lines) - limit} more" if len(lines) > limit else "")


def test_no_page_contains_unescaped_script_or_handlers(built):
    found = []
    for b in built:
        for path in pages(b):
            for hit in raw_html(path.read_text(encoding="utf-8", errors="replace")):
                found.append((f"{b.name}/{path.relative_to(b.site).as_posix()} {hit[:60]!r}", hit))
    FIGURES["static_findings"] = len(found)
    assert found == [], f"{len(found)} unescaped scripts or handlers in the HTML:\n" + by_cause(found)


# ---------------------------------------------------------------- the browser


# After load: wait a moment in the page (a refresh, a toggle event), then collect in one call the links whose
# href (control characters and spaces removed, lower-cased) starts with javascript:, data: or vbscript: (HTML
# and SVG links, href and xlink:href, as written and as resolved), the event-handler attributes that call the
# corpus's functions, and the dialogs recorded by _DIALOG_LIMIT_JS.
_COLLECT_JS = """async () => {
  await new Promise(resolve => setTimeout(resolve, 30));
  const links = [], handlers = [];
  for (const el of document.querySelectorAll('a, area')) {
    const values = [el.getAttribute('href'), el.getAttributeNS('http://www.w3.org/1999/xlink', 'href'),
                    typeof el.href === 'string' ? el.href : (el.href && el.href.baseVal)];
    for (const value of values) {
      if (value == null) continue;
      const bare = value.replace(/[\\u0000-\\u0020]/g, '').toLowerCase();
      if (/^(javascript|data|vbscript):/.test(bare)) { links.push(value); break; }
    }
  }
  for (const el of document.querySelectorAll('*'))
    for (const a of el.attributes)
      if (a.name.startsWith('on') && /(alert|confirm|prompt|msgbox)\\(\\d+\\)/.test(a.value))
        handlers.push(`<${el.localName} ${a.name}=${a.value}>`);
  return {links, handlers, dialogs: window.__moreDialogs || []};
}"""

# Dialogs are slow to open and dismiss one by one, and a page with a broken escape can open dozens: after
# the first few on a page, further alert/confirm/prompt calls are recorded instead of opening (none is lost).
_DIALOG_LIMIT_JS = """(() => {
  let opened = 0;
  window.__moreDialogs = [];
  for (const name of ['alert', 'confirm', 'prompt']) {
    const real = window[name];
    window[name] = function (message) {
      if (++opened <= 3) return real.apply(this, arguments);
      window.__moreDialogs.push(`${name}(${message})`);
    };
  }
})();"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):  # a page left before its last file was sent
        pass


@pytest.fixture(scope="module")
def server(built):
    sites = built[0].site.parent
    handler = functools.partial(_QuietHandler, directory=str(sites))
    httpd = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@dataclass
class Seen:
    """What the browser saw, each finding with the page it was on."""

    pages: int = 0
    dialogs: list[tuple[str, str]] = field(default_factory=list)
    real_dialogs: int = 0
    """Dialogs that really opened (the others were recorded by the page, see _DIALOG_LIMIT_JS)."""
    outside: list[tuple[str, str]] = field(default_factory=list)
    script_links: list[tuple[str, str]] = field(default_factory=list)
    handlers: list[tuple[str, str]] = field(default_factory=list)
    search_results: int = 0
    searches: int = 0
    by_mode: dict[str, int] = field(default_factory=dict)
    load_errors: list[tuple[str, str]] = field(default_factory=list)

    def add(self, other: Seen) -> None:
        for name, value in vars(other).items():
            if isinstance(value, dict):
                for key, n in value.items():
                    self.by_mode[key] = self.by_mode.get(key, 0) + n
            else:
                setattr(self, name, getattr(self, name) + value)


class Visitor:
    """One browser context for one site in one mode: every request outside the site is recorded and aborted,
    every dialog recorded and dismissed."""

    def __init__(self, browser, seen: Seen, site: Path, origin: str | None) -> None:
        self.seen, self.site, self.origin = seen, site, origin
        self.current = ""
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.context.add_init_script(_DIALOG_LIMIT_JS)
        self.context.route("**/*", self._route)
        self.context.on("request", self._request)
        self.context.on("page", self._watch)
        self.page = self.context.new_page()
        self._reported: set[tuple[str, str]] = set()

    def _watch(self, page) -> None:
        page.on("dialog", self._dialog)

    def _dialog(self, dialog) -> None:
        self.seen.dialogs.append((self.current, f"{dialog.type}({dialog.message})"))
        self.seen.real_dialogs += 1
        try:
            dialog.dismiss()
        except Exception:  # the page may already be gone
            pass

    def inside(self, url: str) -> bool:
        parsed = urlparse(url)
        if parsed.scheme in ("data", "blob", "about"):
            return True
        if parsed.scheme == "file":
            return self.origin is None and unquote(parsed.path).startswith(f"{self.site}/")
        if parsed.scheme in ("http", "https") and self.origin is not None:
            return f"{parsed.scheme}://{parsed.netloc}" == self.origin
        return False

    def _outside(self, url: str) -> None:
        key = (self.current, url)
        if key not in self._reported:
            self._reported.add(key)
            self.seen.outside.append((self.current, url))

    def _route(self, route) -> None:
        url = route.request.url
        if self.inside(url):
            route.continue_()
        else:
            self._outside(url)
            route.abort()

    def _request(self, request) -> None:
        if not self.inside(request.url) and not request.url.startswith("chrome-error:"):
            self._outside(request.url)

    def visit(self, url: str, label: str) -> None:
        self.current = label
        self.seen.pages += 1
        mode = label.split(":", 1)[0]
        self.seen.by_mode[mode] = self.seen.by_mode.get(mode, 0) + 1
        try:
            self.page.goto(url, wait_until="load", timeout=15_000)
            found = self.page.evaluate(_COLLECT_JS)
        except Exception as exc:  # a page that navigated away on its own, or hung
            self.seen.load_errors.append((label, str(exc).splitlines()[0][:160]))
            return
        self.record(label, found)

    def record(self, label: str, found: dict[str, list[str]]) -> None:
        self.seen.script_links += [(label, href) for href in found["links"]]
        self.seen.handlers += [(label, h) for h in found["handlers"]]
        self.seen.dialogs += [(label, d) for d in found["dialogs"]]

    def search(self, url: str, label: str) -> None:
        self.current = label + " (search)"
        self.seen.searches += 1
        try:
            self.page.goto(url, wait_until="load", timeout=15_000)
            # key by key: the theme reads the query on a key's release; a value set at once raced it
            self.page.locator(".md-search__input").press_sequentially(SEARCH_TERM)
            try:
                self.page.locator(".md-search-result__item").first.wait_for(timeout=10_000)
            except Exception:
                pass  # no result is a result too: the term was still typed
            self.page.wait_for_timeout(200)
            self.seen.search_results += self.page.locator(".md-search-result__item").count()
            self.record(self.current, self.page.evaluate(_COLLECT_JS))
        except Exception as exc:
            self.seen.load_errors.append((self.current, str(exc).splitlines()[0][:160]))

    def close(self) -> None:
        self.context.close()


# Over http, a sample of every kind of page in both languages (with 404.html, which only a server shows);
# over file://, every page.
HTTP_SAMPLE = [
    "index.html",
    "changes.html",
    "methodology.html",
    "downloads.html",
    "regions/index.html",
    "regions/nation.html",
    "regions/north.html",
    "indicators/index.html",
    "indicators/B1.html",
    "scenarios/index.html",
    "scenarios/what-if.html",
    "404.html",
    "fr/index.html",
    "fr/regions/north.html",
    "fr/indicators/B1.html",
    "fr/scenarios/what-if.html",
    "fr/404.html",
]
LANES = 2  # two browsers side by side: the machines that run this have two cores


@dataclass
class Job:
    site: Built
    mode: str
    pages: list[str]


def jobs(built: list[Built]) -> list[Job]:
    out = []
    for b in built:
        every = [p.relative_to(b.site).as_posix() for p in pages(b)]
        if not every:
            continue
        # from disk, 404.html is not a page anyone opens (its /assets/ links point at the disk's root); every
        # page of an internal site, and of a public one (the same templates, fewer items) the sample of every
        # page kind: the static check above reads every page of every site as the browser parses it
        on_disk = every if b.audience == "internal" else [rel for rel in HTTP_SAMPLE if rel in every]
        out.append(Job(b, "file", [rel for rel in on_disk if not rel.endswith("404.html")]))
        out.append(Job(b, "http", [rel for rel in HTTP_SAMPLE if rel in every]))
    return out


def crawl(lane: list[Job], server: str, seen: Seen, failures: list[BaseException]) -> None:
    """One lane of jobs in its own browser (a thread each: Playwright's sync API keeps to its thread)."""
    try:
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            try:
                for job in lane:
                    b = job.site
                    visitor = Visitor(browser, seen, b.site, None if job.mode == "file" else server)
                    try:
                        for rel in job.pages:
                            url = (b.site / rel).as_uri() if job.mode == "file" else f"{server}/{b.site.name}/{rel}"
                            visitor.visit(url, f"{job.mode}:{b.name}/{rel}")
                        if job.mode == "http":
                            visitor.search(f"{server}/{b.site.name}/index.html", f"http:{b.name}/index.html")
                    finally:
                        visitor.close()
            finally:
                browser.close()
    except BaseException as exc:  # reported by the fixture, in the test's thread
        failures.append(exc)


@pytest.fixture(scope="module")
def seen(built, server) -> Seen:
    """Every page of every site opened over file://, a sample of each kind over http, and the search box of
    every site given a hostile term."""
    seen = Seen()
    started = time.monotonic()
    todo = jobs(built)
    lanes: list[list[Job]] = [[] for _ in range(LANES)]
    for job in sorted(todo, key=lambda j: -len(j.pages)):
        min(lanes, key=lambda lane: sum(len(j.pages) + 10 * (j.mode == "http") for j in lane)).append(job)
    failures: list[BaseException] = []
    per_lane = [Seen() for _ in lanes]
    threads = [
        threading.Thread(target=crawl, args=(lane, server, mine, failures))
        for lane, mine in zip(lanes, per_lane, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    for mine in per_lane:
        seen.add(mine)
    FIGURES.update(
        {
            "pages_opened": seen.pages,
            "pages_opened_file": seen.by_mode.get("file", 0),
            "pages_opened_http": seen.by_mode.get("http", 0),
            "searches": seen.searches,
            "dialogs": len(seen.dialogs),
            "dialogs_really_opened": seen.real_dialogs,
            "outside_requests": len(seen.outside),
            "script_links": len(seen.script_links),
            "event_handlers": len(seen.handlers),
            "search_results_shown": seen.search_results,
            "load_errors": len(seen.load_errors),
            "browser_seconds": round(time.monotonic() - started, 1),
            "sites_opened": len({j.site.name for j in todo}),
            "sites_built": len(built),
        }
    )
    return seen


def test_no_dialog_opens(seen):
    assert seen.dialogs == [], f"{len(seen.dialogs)} dialogs:\n" + by_cause(seen.dialogs)


def test_no_request_leaves_the_site(seen):
    assert seen.outside == [], f"{len(seen.outside)} requests outside the site:\n" + by_cause(seen.outside)


def test_no_link_runs_script(seen):
    assert seen.script_links == [], f"{len(seen.script_links)} javascript:/data:/vbscript: links:\n" + by_cause(
        seen.script_links
    )


def test_no_event_handler_from_yaml_is_in_the_page(seen):
    assert seen.handlers == [], f"{len(seen.handlers)} event handlers:\n" + by_cause(seen.handlers)


# ---------------------------------------------------------------- the builds themselves


def test_every_build_succeeds(built):
    refused = [f"{b.name}: exit {b.exit_code}: {b.output.strip()[-400:]}" for b in built if b.exit_code != 0]
    assert refused == [], "builds refused:\n" + "\n".join(refused)


def test_the_harmless_text_is_shown_as_written(built):
    for b in built:
        if b.group != "harmless" or b.exit_code != 0:
            continue
        page = (b.site / "regions" / "north.html").read_text(encoding="utf-8")
        assert "url(https://example.org/x)" in page, b.name
        assert "<code>&lt;script&gt;</code>" in page, b.name
    assert any(b.group == "harmless" and b.exit_code == 0 for b in built), "the harmless project did not build"


def test_every_built_site_was_opened(built, seen):
    assert all(b.exit_code == 0 for b in built), "a site that was not built was not opened in the browser"
    assert seen.pages >= sum(len(j.pages) for j in jobs(built)) > 0
    assert seen.searches == len(jobs(built)) // 2 and seen.search_results > 0, "the search showed no result"
    assert seen.load_errors == [], "pages that did not load:\n" + "\n".join(f"{p}: {e}" for p, e in seen.load_errors)


HANDOVER_FIELDS = FIELDS[FIELDS.index("body.name") : FIELDS.index("period.resolution") + 1]


def test_every_text_of_the_handover_register_reaches_a_page(built):
    """The register's texts are tested above only if they are shown: each must reach at least one page."""
    shown = fields_on_pages(built)
    assert [f for f in HANDOVER_FIELDS if f not in shown] == []
