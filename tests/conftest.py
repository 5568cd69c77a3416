"""Shared helpers: build a throw-away project from a dict of files and run the real CLI on it."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from readiness.cli import main

REPO = Path(__file__).resolve().parents[1]

LEVELS = [
    {"id": "insufficient-evidence", "label": "Insufficient evidence", "colour": "#888888"},
    {"id": "not-ready", "label": "Not ready", "colour": "#aa0000", "min_score": 0},
    {"id": "partially-ready", "label": "Partially ready", "colour": "#dd8800", "min_score": 50},
    {"id": "ready", "label": "Ready", "colour": "#008800", "min_score": 70},
    {"id": "sustained", "label": "Sustained", "colour": "#0044aa"},
]


def framework(**changes: Any) -> dict[str, Any]:
    """A small framework: two pillars (A arithmetic, B arithmetic), no gates unless given."""
    fw: dict[str, Any] = {
        "name": "Test framework",
        "scale": {"min": 0, "max": 100},
        "rounding": {"digits": 1, "mode": "half-up"},
        "levels": copy.deepcopy(LEVELS),
        "handover_level": "ready",
        "aggregation": "arithmetic",
        "pillars": [{"id": "A", "name": "Pillar A"}, {"id": "B", "name": "Pillar B"}],
        "tiers": [{"id": "urban", "label": "Urban"}, {"id": "rural", "label": "Rural"}],
        "parties": [{"id": "un", "name": "UN Police", "side": "un"}, {"id": "gov", "name": "Ministry", "side": "host"}],
        "bodies": [{"id": "joint", "name": "Joint committee", "parties": ["un", "gov"]}],
        "source_types": [{"id": "ADM", "name": "Administrative records"}, {"id": "FV", "name": "Field visit"}],
        "roll_up": "population",
    }
    fw.update(changes)
    return fw


def indicator(ind_id: str, pillar: str = "A", **changes: Any) -> dict[str, Any]:
    """A percentage indicator, goalposts 0-100, cut-offs 50 / 80."""
    ind: dict[str, Any] = {
        "id": ind_id,
        "name": f"Indicator {ind_id}",
        "definition": f"Share of things that are {ind_id}.",
        "pillar": pillar,
        "unit": "percent",
        "direction": "higher",
        "scoring": {"method": "goalposts", "worst": 0, "best": 100},
        "thresholds": {"all": {"partially-ready": 50, "ready": 80}},
    }
    ind.update(changes)
    return ind


def observation(value: Any, *sources: str, date: str = "2026-03-01") -> dict[str, Any]:
    return {
        "value": value,
        "evidence": [{"source": s, "reference": f"{s} register", "date": date} for s in (sources or ("ADM",))],
    }


def assessment(region: str, round_id: str, observations: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"region": region, "round": round_id, "observations": observations, **extra}


def project_files(
    values: dict[str, dict[str, Any]] | None = None,
    *,
    fw: dict[str, Any] | None = None,
    indicators: list[dict[str, Any]] | None = None,
    rounds: list[tuple[str, str]] | None = None,
    regions: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Files of a project. `values` maps "round/region" to {indicator: observation or value}."""
    indicators = indicators if indicators is not None else [indicator("A1"), indicator("B1", "B")]
    rounds = rounds or [("r1", "2026-03-31")]
    regions = regions or [{"id": "north", "name": "North", "tier": "urban", "population": 1000}]
    files: dict[str, Any] = {
        "indicators/framework.yaml": fw or framework(),
        "assessments/regions.yaml": {"regions": regions},
        "assessments/rounds.yaml": {"rounds": [{"id": r, "label": r.upper(), "date": d} for r, d in rounds]},
    }
    for ind in indicators:
        files[f"indicators/{ind['id']}.yaml"] = ind
    for key, obs in (values or {}).items():
        round_id, region = key.split("/")
        full = {k: (v if isinstance(v, dict) else observation(v)) for k, v in obs.items()}
        files[f"assessments/{round_id}/{region}.yaml"] = assessment(region, round_id, full)
    return files


def write_project(root: Path, files: dict[str, Any]) -> Path:
    """Write a dict of files (text, bytes, or data dumped as YAML) under root."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        elif isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_text(yaml.safe_dump(content, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return root


def reseal(root: Path) -> None:
    """Seal every sealed round of a copied project again as its files now are, as `readiness amend` would after
    recording a change: a test that edits a closed round to stage an attack then tests that attack, not A002."""
    from readiness.sealing import breaches, digests

    rounds = root / "assessments" / "rounds.yaml"
    text = rounds.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    for entry in data.get("rounds", []):
        seal = entry.get("seal")
        if not seal:
            continue
        sealed = {str(k): str(v) for k, v in seal["files"].items()}
        assert not [b for b in breaches(root, entry["id"], sealed) if b.how != "changed"], entry["id"]
        for name, digest in digests(root, entry["id"]).items():
            if digest != sealed[name]:
                assert text.count(sealed[name]) == 1, (entry["id"], name)
                text = text.replace(sealed[name], digest)
    rounds.write_text(text, encoding="utf-8")


def run(*args: str) -> Result:
    """Run the real `readiness` command line."""
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def make_project(tmp_path: Path):
    def make(files: dict[str, Any]) -> Path:
        return write_project(tmp_path / "project", files)

    return make


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """Messages are written in the language a command chose (readiness.i18n.use_language); a test that ran a
    French command leaves the next test in English."""
    yield
    from readiness.i18n import use_language

    use_language("en")


#: The folders and files of the example mission (the rest of the repository is the framework's code).
EXAMPLE_PARTS = ("indicators", "assessments", "handover", "scenarios", "site", "schemas", "mkdocs.yml")


def copy_example(target: Path) -> Path:
    """A copy of the example mission's project files (not its build) in `target`."""
    import shutil

    target.mkdir(parents=True, exist_ok=True)
    for part in EXAMPLE_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, target / part)
        elif source.is_file():
            shutil.copy2(source, target / part)
    return target


def french_first_example(target: Path) -> Path:
    """A copy of the example mission whose framework declares French first (`languages: [fr, en]`), as a
    francophone team would run it: every command then speaks French unless told otherwise."""
    copy_example(target)
    framework = target / "indicators" / "framework.yaml"
    text = framework.read_text(encoding="utf-8")
    assert "languages: [en, fr]" in text
    # the example's teams wrote their notes in English: said so, their notes are marked as not translated
    framework.write_text(
        text.replace("languages: [en, fr]", "languages: [fr, en]\ntext_language: en", 1), encoding="utf-8"
    )
    return target


@pytest.fixture(scope="session", autouse=True)
def own_cache(tmp_path_factory, worker_id: str) -> Path:
    """The work runs keep between them (readiness.store) goes to this run's own folder, never the user's
    `~/.cache/readiness`; commands run in a fresh interpreter inherit it. Under pytest-xdist the workers share
    one (the store is made for concurrent runs: an entry is written under a fresh name and renamed), so a page
    one worker converted is not converted again by the other. A test of the store sets its own."""
    import os

    base = tmp_path_factory.getbasetemp()
    folder = (base if worker_id == "master" else base.parent) / "readiness-cache"
    previous = os.environ.get("READINESS_CACHE")
    os.environ["READINESS_CACHE"] = str(folder)
    yield folder
    if previous is None:
        os.environ.pop("READINESS_CACHE", None)
    else:
        os.environ["READINESS_CACHE"] = previous


@pytest.fixture(scope="session")
def example_sites(tmp_path_factory, worker_id: str) -> Path:
    """The example mission's site built once per test run, internal and public edition, in every language:
    `<dir>/internal/` and `<dir>/public/` (French in `fr/` of each). Browser and page tests share it, read only;
    a test that changes the project builds its own. Under pytest-xdist the workers share one build: the first
    to ask builds it under a file lock in the run's common temporary folder, the others wait and read it."""
    from filelock import FileLock

    if worker_id == "master":  # one process (`-n 0`)
        out = tmp_path_factory.mktemp("example-sites")
        _build_example_sites(out)
        return out
    out = tmp_path_factory.getbasetemp().parent / "example-sites"
    with FileLock(str(out) + ".lock"):
        if not (out / "built").exists():
            _build_example_sites(out)
            (out / "built").write_text("both editions built\n", encoding="utf-8")
    return out


def _build_example_sites(out: Path) -> None:
    for audience in ("internal", "public"):
        built = run("build", "-p", str(REPO), "--audience", audience, "--out", str(out / audience))
        assert built.exit_code == 0, built.output


@pytest.fixture(scope="session")
def chromium():
    """Debian's chromium driven by Playwright, once per session (skips without it, unless CI requires it)."""
    import os
    import shutil

    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        if os.environ.get("READINESS_REQUIRE_BROWSER"):
            raise RuntimeError("browser tests need Debian's chromium (apt-get install chromium)")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    from tests.test_browser import ARGS

    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=ARGS)
        yield browser
        browser.close()
