"""`readiness build`: the pages, offline, safe text, audiences, failure leaves the old site, determinism."""

from __future__ import annotations

import hashlib
import html
import re
from pathlib import Path

import pytest

import readiness.render
from readiness.i18n import Translator
from readiness.project import load_project
from readiness.report import public_project, restricted_texts
from readiness.safety import scan_css, scan_html
from readiness.site import THEME_ASSETS
from tests.conftest import REPO, indicator, observation, project_files, run, write_project

pytestmark = pytest.mark.slow  # builds the example site, several times

XSS = (
    'Field notes <script>window.__xss = 1</script> and <img src=x onerror="window.__xss = 2">, '
    "a [bad link](javascript:alert(1)) and **bold** text."
)


def build(root: Path, out: Path, *extra: str) -> None:
    result = run("build", "-p", str(root), "--out", str(out), *extra)
    assert result.exit_code == 0, result.output


def small_project(tmp_path: Path, narrative: str = "All stations visited.", restricted: bool = False) -> Path:
    files = project_files(
        {"r1/north": {"A1": observation(85, "ADM"), "B1": observation(60, "FV")}},
        indicators=[indicator("A1"), indicator("B1", "B", restricted=restricted, name="Informant network coverage")],
    )
    files["assessments/r1/north.yaml"]["narrative"] = narrative
    files["assessments/r1/north.yaml"]["risks"] = [
        {"text": "Named suspect Colonel Vasko", "restricted": True},
        "Rains may cut the road to the border post.",
    ]
    return write_project(tmp_path / "project", files)


@pytest.fixture(scope="module")
def example_sites(tmp_path_factory):
    out = tmp_path_factory.mktemp("sites")
    build(REPO, out / "internal")
    build(REPO, out / "public", "--audience", "public")
    return out


def all_text(site: Path) -> dict[str, str]:
    """Every text file written from the project's data (the theme's own scripts and styles left out)."""
    return {
        rel: p.read_text(encoding="utf-8", errors="replace")
        for p in site.rglob("*")
        if p.is_file()
        and p.suffix in (".html", ".js", ".json", ".csv", ".xml", ".css", ".svg", ".txt")
        and not (rel := p.relative_to(site).as_posix()).removeprefix("fr/").startswith(THEME_ASSETS)
    }


def test_the_example_site_has_every_page(example_sites):
    site = example_sites / "internal"
    project, _ = load_project(REPO)
    for page in (
        "index.html",
        "changes.html",
        "methodology.html",
        "downloads.html",
        "regions/index.html",
        "indicators/index.html",
        "downloads/results.csv",
        "downloads/results.json",
    ):
        assert (site / page).is_file(), page
    for region in project.regions:
        assert (site / "regions" / f"{region}.html").is_file()
    for ind in project.indicators:
        assert (site / "indicators" / f"{ind}.html").is_file()


def test_the_site_loads_nothing_from_outside(example_sites):
    for name in ("internal", "public"):
        for rel, text in all_text(example_sites / name).items():
            if rel.endswith((".html", ".svg")):
                assert not scan_html(text), rel
            if rel.endswith(".css"):
                assert not scan_css(text), rel
            if rel.endswith(".html"):
                assert "fonts.googleapis" not in text and "unpkg.com" not in text, rel


def test_every_page_of_an_internal_build_is_marked_internal(example_sites):
    project, _ = load_project(REPO)
    notice = project.framework.marking.internal_notice
    pages = [p for p in (example_sites / "internal").rglob("*.html") if p.name != "404.html"]
    assert pages
    for page in pages:
        lang = "fr" if page.relative_to(example_sites / "internal").parts[0] == "fr" else "en"
        expected = Translator(lang).prose(notice.get(lang))  # as the language writes it (French spacing)
        text = page.read_text(encoding="utf-8")
        assert html.escape(expected, quote=True) in text or expected in text, page


def test_nothing_restricted_in_the_example_appears_in_a_public_build(example_sites):
    project, _ = load_project(REPO)
    terms = [r.text for r in restricted_texts(project, public_project(project)[0]) if len(r.text) >= 5]
    assert terms, "the example marks some content restricted"
    texts = all_text(example_sites / "public")
    for term in terms:
        for rel, text in texts.items():
            assert term not in text, f"{term!r} leaked into {rel}"
    internal = "\n".join(all_text(example_sites / "internal").values())
    assert any(term in internal for term in terms), "the internal build shows restricted items"


def test_restricted_indicator_and_notes_stay_out_of_a_public_build(tmp_path):
    root = small_project(tmp_path, restricted=True)
    build(root, tmp_path / "public", "--audience", "public")
    build(root, tmp_path / "internal")
    public = "\n".join(all_text(tmp_path / "public").values())
    internal = "\n".join(all_text(tmp_path / "internal").values())
    for secret in ("Informant network coverage", "Colonel Vasko", "B1"):
        assert secret in internal
        assert not re.search(rf"(?<![\w-]){re.escape(secret)}(?![\w-])", public), secret
    assert "Rains may cut the road" in public


def test_narrative_markdown_is_kept_but_raw_html_is_not_rendered(tmp_path):
    root = small_project(tmp_path, narrative=XSS)
    build(root, tmp_path / "site")
    page = (tmp_path / "site" / "regions" / "north.html").read_text(encoding="utf-8")
    assert "<strong>bold</strong>" in page
    assert "&lt;script&gt;window.__xss = 1&lt;/script&gt;" in page
    assert "<script>window.__xss" not in page
    assert not re.search(r"<img[^>]*onerror", page)
    assert 'href="javascript:' not in page


def test_a_failed_build_leaves_the_previous_site_in_place(tmp_path, monkeypatch):
    root = small_project(tmp_path)
    out = tmp_path / "site"
    build(root, out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    broken = tmp_path / "templates"
    broken.mkdir()
    for template in readiness.render.TEMPLATES.iterdir():
        (broken / template.name).write_text(template.read_text(encoding="utf-8"), encoding="utf-8")
    (broken / "region.md.j2").write_text("{% for x in %}broken", encoding="utf-8")
    monkeypatch.setattr(readiness.render, "TEMPLATES", broken)
    result = run("build", "-p", str(root), "--out", str(out))
    assert result.exit_code != 0 and "Traceback" not in result.output
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site-")], "no work folder left behind"


def test_two_builds_of_the_same_input_are_byte_identical(tmp_path):
    root = REPO

    def digest(site: Path) -> dict[str, str]:
        return {
            p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*"))
            if p.is_file()
        }

    build(root, tmp_path / "one")
    build(root, tmp_path / "two")
    assert digest(tmp_path / "one") == digest(tmp_path / "two")


def test_hand_written_pages_are_merged_and_the_methodology_is_generated(tmp_path):
    root = small_project(tmp_path)
    write_project(
        root,
        {
            "site/contacts.md": "# Contacts\n\nThe joint working group meets on Tuesdays.\n",
            "site/methodology.md": "# Methodology\n\nOur hand-written explanation.\n",
        },
    )
    build(root, tmp_path / "site")
    assert "meets on Tuesdays" in (tmp_path / "site" / "pages" / "contacts.html").read_text(encoding="utf-8")
    methodology = (tmp_path / "site" / "methodology.html").read_text(encoding="utf-8")
    assert "Our hand-written explanation." in methodology
    assert "Pillar tree" in methodology and "Test framework" in methodology


def test_a_project_with_errors_is_not_built(tmp_path):
    files = project_files({"r1/north": {"A1": 130, "B1": 50}})
    root = write_project(tmp_path / "p", files)
    result = run("build", "-p", str(root), "--out", str(tmp_path / "site"))
    assert result.exit_code == 1 and not (tmp_path / "site").exists()


def test_the_site_shows_robustness_probabilities_sensitivity_and_scenarios(example_sites):
    site = example_sites / "internal"
    dashboard = (site / "index.html").read_text(encoding="utf-8")
    assert "rd-fragile" in dashboard and "rd-robust" in dashboard
    marun = (site / "evidence" / "marun.html").read_text(encoding="utf-8")  # how sure, in the region's annex
    assert "How sure" in marun and 'aria-labelledby="prob-marun-title' in marun
    methodology = (site / "methodology.html").read_text(encoding="utf-8")
    assert 'aria-labelledby="sensitivity-title' in methodology
    scenario = (site / "scenarios" / "lowa-logistics.html").read_text(encoding="utf-8")
    assert "Vehicles, fuel and radios funded in Lowa" in scenario and "Partially ready" in scenario
    assert (example_sites / "public" / "scenarios" / "lowa-logistics.html").is_file()


def test_restricted_markers_at_every_level_stay_out_of_a_public_build(tmp_path):
    """Indicator, region, observation, note and evidence reference, each marked restricted."""
    files = project_files(
        {
            "r1/north": {
                "A1": {
                    "value": 63.21,
                    "restricted": True,
                    "evidence": [{"source": "ADM", "reference": "Register 44", "date": "2026-03-01"}],
                },
                "B1": {
                    "value": 60,
                    "evidence": [
                        {
                            "source": "FV",
                            "reference": "Informant file ZX-9931",
                            "date": "2026-03-01",
                            "restricted": True,
                        },
                        {"source": "ADM", "reference": "Station roster 12", "date": "2026-03-01"},
                    ],
                },
                "C1": 70,
                "A2": 80,
            },
            "r1/hidden-valley": {"A1": 50, "B1": 50, "C1": 50, "A2": 50},
        },
        indicators=[
            indicator("A1"),
            indicator("A2"),
            indicator("B1", "B"),
            indicator("C1", "B", restricted=True, name="Covert surveillance teams deployed"),
        ],
        regions=[
            {"id": "north", "name": "North", "tier": "urban", "population": 1000},
            {
                "id": "hidden-valley",
                "name": "Hidden Valley Sector",
                "tier": "rural",
                "population": 50,
                "restricted": True,
            },
        ],
    )
    files["assessments/r1/north.yaml"]["recommendations"] = [
        {"text": "Brief the prosecutor on Operation Nightjar", "restricted": True},
        "Repair the radio mast.",
    ]
    root = write_project(tmp_path / "p", files)
    build(root, tmp_path / "public", "--audience", "public")
    build(root, tmp_path / "internal")
    public = all_text(tmp_path / "public")
    internal = "\n".join(all_text(tmp_path / "internal").values())
    secrets = [
        "Informant file ZX-9931",
        "Covert surveillance teams deployed",
        "Hidden Valley Sector",
        "hidden-valley",
        "Operation Nightjar",
        "63.21",
        "63,21",
    ]
    for secret in secrets:
        for rel, text in public.items():
            assert secret not in text, f"{secret!r} leaked into {rel}"
    assert any(rel.endswith("search_index.json") for rel in public)
    for secret in [
        "Informant file ZX-9931",
        "Covert surveillance teams deployed",
        "Hidden Valley Sector",
        "Operation Nightjar",
    ]:
        assert secret in internal, secret
    assert "Repair the radio mast." in "\n".join(public.values())
