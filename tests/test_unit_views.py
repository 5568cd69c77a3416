"""Leadership's views of issue 29, checked against the situation (`readiness.situation`), never against another
page: one view per unit (units.md), region pages under 5,000 px with an evidence page each, the factsheet that names
the country and the mission and says why the number assessed changes, the trend verdict, and the severity x
completeness matrix. The example mission, built once per session (`example_sites`), in both editions and both
languages; the expectations are worked out from the views the build makes (`pipeline.site_view`)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from selectolax.lexbor import LexborHTMLParser

from readiness.pipeline import site_view
from readiness.project import load_project
from readiness.render.formatters import Formatter
from readiness.situation import COMPLETENESS
from tests.conftest import REPO

EDITIONS = [("internal", "en"), ("internal", "fr"), ("public", "en"), ("public", "fr")]


@pytest.fixture(scope="module")
def views() -> dict[str, Any]:
    """The example's views as `readiness build` makes them: its published rounds, each edition's data."""
    project, _ = load_project(REPO)
    published = project.published()
    return {audience: site_view(published, audience) for audience in ("internal", "public")}


def folder(example_sites: Path, audience: str, lang: str) -> Path:
    return example_sites / audience / ("fr" if lang == "fr" else "")


def tree(path: Path) -> LexborHTMLParser:
    return LexborHTMLParser(path.read_text(encoding="utf-8"))


def words(node: Any) -> str:
    """A node's text with every run of white space (the no-break spaces of French included) as one space."""
    text = node if isinstance(node, str) else node.text(separator=" ")
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", str(text))).strip()


def fmt_of(view: Any, lang: str) -> Formatter:
    return Formatter(view.framework, lang, view.explainer(lang, markup=True))


def region_id(href: str) -> str:
    return href.rsplit("/", 1)[-1].removesuffix(".html")


# ---------------------------------------------------------------- one view per unit


@pytest.mark.parametrize(("audience", "lang"), EDITIONS)
def test_the_units_page_lists_each_assessed_unit_once_as_the_situation_says(example_sites, views, audience, lang):
    view = views[audience]
    situation, fmt = view.situation, fmt_of(view, lang)
    page = tree(folder(example_sites, audience, lang) / "units.html")
    cards: dict[str, list[str]] = {}
    for item in page.css("article li"):
        first = item.css_first("a")
        if first is not None and (first.attributes.get("href") or "").startswith("regions/"):
            cards.setdefault(region_id(first.attributes["href"] or ""), []).append(words(item))
    assert set(cards) == set(situation.standings), set(cards) ^ set(situation.standings)
    assert all(len(found) == 1 for found in cards.values()), {k: len(v) for k, v in cards.items() if len(v) > 1}
    for rid, s in situation.standings.items():
        card = cards[rid][0]
        expected = {
            "level": fmt.level_label(s.level),
            "primacy": fmt.tr(f"handover.short.{s.primacy}"),
            "review": fmt.date(s.next_review) if s.next_review is not None else "–",
            "deadline": fmt.tr(f"unit_view.deadline.{s.deadline['status']}").split(" (")[0] if s.deadline else "–",
        }
        change = situation.newest_change(s)
        if change.kind == "none":
            first = next(a.round for a in situation.assessed_rounds() if any(r.region == rid for r in a.results))
            expected["change"] = words(fmt.tr("unit_view.change_none", round=fmt.loc(first.label)))
        else:
            expected["change"] = fmt.date(change.day)
            if change.kind == "level":
                expected["change_to"] = fmt.level_label(change.after or "")
            else:
                assert change.decision is not None
                expected["change_to"] = change.decision.decision.reference
        labels = {key: fmt.tr(f"unit_view.column.{key}") for key in ("primacy", "review", "deadline", "change")}
        for key, value in expected.items():
            label = labels.get(key.split("_")[0])
            where = card[card.index(words(label)) :] if label else card
            assert words(value).casefold() in where.casefold(), (audience, lang, rid, key, value, card)
        if s.share is not None:
            assert words(fmt.percent(s.share)) in card  # how sure: the dashboard's one figure


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_dashboards_first_screen_links_to_the_units_page_and_the_matrix(example_sites, chromium, lang):
    page = chromium.new_page(viewport={"width": 1366, "height": 900})
    try:
        page.goto((folder(example_sites, "internal", lang) / "index.html").as_uri(), wait_until="load")
        for target in ("units.html", "matrix.html"):
            link = page.locator(f'.rd-points a[href="{target}"]')
            assert link.count() == 1, target
            box = link.bounding_box()
            assert box is not None and box["y"] + box["height"] <= 900, (target, box)
            link.click()
            page.wait_for_load_state("load")
            assert page.url.endswith(target)
            page.go_back(wait_until="load")
    finally:
        page.close()


# ---------------------------------------------------------------- region pages and their evidence


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_region_page_is_under_5000_px_on_a_laptop(example_sites, chromium, lang):
    root = folder(example_sites, "internal", lang) / "regions"
    paths = sorted(p for p in root.glob("*.html") if p.name != "index.html")
    assert len(paths) >= 16
    page = chromium.new_page(viewport={"width": 1366, "height": 900})
    try:
        heights = {}
        for path in paths:
            page.goto(path.as_uri(), wait_until="load")
            heights[path.stem] = page.evaluate("document.documentElement.scrollHeight")
    finally:
        page.close()
    tall = {rid: h for rid, h in heights.items() if h >= 5000}
    assert tall == {}, f"region pages 5,000 px tall or more at 1366x900 ({lang}): {tall}"


@pytest.mark.parametrize(("audience", "lang"), EDITIONS)
def test_each_evidence_page_holds_every_indicator_and_links_both_ways(example_sites, views, audience, lang):
    view = views[audience]
    root = folder(example_sites, audience, lang)
    for rid, s in view.situation.standings.items():
        region = (root / "regions" / f"{rid}.html").read_text(encoding="utf-8")
        assert f'href="../evidence/{rid}.html"' in region, rid
        evidence = tree(root / "evidence" / f"{rid}.html")
        links = [a.attributes.get("href") or "" for a in evidence.css("article a")]
        assert f"../regions/{rid}.html" in links, rid
        rows = Counter(
            region_id(a.attributes.get("href") or "")
            for a in evidence.css("article table tbody tr td:first-child a")
            if "/indicators/" in (a.attributes.get("href") or "")
        )
        expected = {i for i in s.result.indicators if i in view.indicators}
        assert set(rows) == expected and all(n == 1 for n in rows.values()), (rid, set(rows) ^ expected)


# ---------------------------------------------------------------- the matrix


@pytest.mark.parametrize(("audience", "lang"), EDITIONS)
def test_the_matrix_holds_every_assessed_unit_once_in_its_situations_cell(example_sites, views, audience, lang):
    situation = views[audience].situation
    page = tree(folder(example_sites, audience, lang) / "matrix.html")
    table = page.css_first("article table")
    rows = table.css("tbody tr")
    assert len(rows) == len(situation.matrix()) + 1  # a row per distance from handover, then the totals
    where: dict[str, list[tuple[int, int]]] = {}
    for r, row in enumerate(rows[:-1]):
        for c, cell in enumerate(row.css("td")[1 : 1 + len(COMPLETENESS)]):
            for a in cell.css("a"):
                where.setdefault(region_id(a.attributes.get("href") or ""), []).append((r, c))
    assert set(where) == set(situation.standings)
    for rid, s in situation.standings.items():
        assert where[rid] == [(situation.severity(s), COMPLETENESS.index(situation.completeness(s)))], rid
    totals = [words(td) for td in rows[-1].css("td")]
    assert totals[-1] == str(situation.total) == str(len(situation.standings))
    row_totals = [int(words(row.css("td")[-1])) for row in rows[:-1]]
    assert sum(row_totals) == situation.total


# ---------------------------------------------------------------- the factsheet


@pytest.mark.parametrize(("audience", "lang"), EDITIONS)
def test_the_factsheet_names_mission_and_country_and_why_the_number_assessed_changes(
    example_sites, views, audience, lang
):
    view = views[audience]
    fw, fmt = view.framework, fmt_of(view, lang)
    assert fw.mission is not None and fw.country  # the example's framework names them
    page = tree(folder(example_sites, audience, lang) / "factsheet.html")
    title = words(page.css_first("article h1"))
    assert words(fmt.loc(fw.mission.name)) in title and words(fmt.loc(fw.country)) in title, title
    text = words(page.css_first("article"))
    rounds = view.situation.assessed_rounds()
    changed = [(a, b) for a, b in zip(rounds, rounds[1:], strict=False) if b.added or b.dropped]
    assert changed, "the example assesses more units from its third round"
    for before, after in changed:
        note = words(
            fmt.tr(
                "factsheet.assessed_change",
                before=before.total,
                after=after.total,
                round_before=fmt.loc(before.round.label),
                round=fmt.loc(after.round.label),
                changes="",
            )
        )
        assert note.split(":")[0].split(" :")[0] in text, (note, text)
        for rid in after.added:
            assert words(fmt.loc(view.regions[rid].name)) in text, rid
    assert page.css_first("article svg") is not None  # the map
    for _, d in view.situation.period():
        assert d.decision.reference in text  # the quarter's decisions


# ---------------------------------------------------------------- the trend verdict


@pytest.mark.parametrize(("audience", "lang"), EDITIONS)
def test_the_trend_verdict_agrees_with_the_level_changes_on_the_changes_page(example_sites, views, audience, lang):
    view = views[audience]
    situation, fmt = view.situation, fmt_of(view, lang)
    verdict = situation.trend()
    assert verdict is not None
    root = folder(example_sites, audience, lang)
    changes = tree(root / "changes.html")
    moved: dict[str, str] = {}
    for row in changes.css("article table tbody tr"):
        cells = row.css("td")
        link = cells[0].css_first("a") if cells else None
        if link is None or len(cells) < 3:
            continue
        rid = region_id(link.attributes.get("href") or "")
        arrow = words(cells[2])
        if rid in situation.standings and ("▲" in arrow or "▼" in arrow):
            moved[rid] = "up" if "▲" in arrow else "down"
    rose = {rid for rid, way in moved.items() if way == "up"}
    fell = {rid for rid, way in moved.items() if way == "down"}
    assert rose == {s.id for s in verdict.rose} and fell == {s.id for s in verdict.fell}, (rose, fell)
    if len(rose) != len(fell):
        assert verdict.verdict == ("improving" if len(rose) > len(fell) else "deteriorating")
    word = words(fmt.tr(f"trend.verdict.{verdict.verdict}"))
    why = words(fmt.tr("trend.why", rose=len(rose), fell=len(fell), compared=verdict.compared))
    changes_text = words(changes.css_first("article"))
    assert word in changes_text and why in changes_text
    points = words(tree(root / "index.html").css_first(".rd-points"))
    assert word in points and why in points


# ---------------------------------------------------------------- accessible at a laptop's and a phone's size


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_axe_finds_no_serious_or_critical_violation_on_the_new_pages(example_sites, chromium, lang):
    """axe-core on the units page, the matrix, an evidence page and the factsheet, at 1366x900 and 390x844."""
    from axe_playwright_python.sync_playwright import Axe

    axe, found = Axe(), []
    root = folder(example_sites, "internal", lang)
    for width, height in ((1366, 900), (390, 844)):
        page = chromium.new_page(viewport={"width": width, "height": height})
        try:
            for name in ("units.html", "matrix.html", "evidence/dabori.html", "factsheet.html"):
                page.goto((root / name).as_uri(), wait_until="load")
                found += [
                    f"{width}px {name}: {v['id']} ({v['impact']}: {v['nodes'][0]['html'][:80]})"
                    for v in axe.run(page).response["violations"]
                    if v["impact"] in ("serious", "critical")
                ]
        finally:
            page.close()
    assert found == [], "\n".join(found)
