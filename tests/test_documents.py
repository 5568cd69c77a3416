"""The handover certificate (issue 19, first document): one Word document per handover decision, written by
`readiness documents` from the same results as the site, opened here with a Word-document reader (python-docx):
its headings, the criteria table (one row per critical indicator at the assessment relied on, with the values
of results.json), the conditions with owners and due dates, and a signature row for each party of the body; in
both languages; a public run leaves out restricted decisions."""

from __future__ import annotations

import pytest

from readiness.i18n import Translator
from readiness.project import load_project
from readiness.scoring import score_project
from tests.conftest import REPO, run, write_project
from tests.test_handover_site import SECRET_REFERENCE, mission_files

docx = pytest.importorskip("docx")


def headings(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]


@pytest.fixture(scope="module")
def example_documents(tmp_path_factory):
    out = tmp_path_factory.mktemp("documents")
    for lang in ("en", "fr"):
        result = run("documents", "-p", str(REPO), "--lang", lang, "-o", str(out))
        assert result.exit_code == 0, result.output
    return out


def test_every_handover_decision_of_the_example_has_a_certificate_in_each_language(example_documents):
    project, _ = load_project(REPO)
    handovers = sorted(d.id for d in project.decisions.values() if d.kind == "handover")
    for lang in ("en", "fr"):
        written = sorted(p.name for p in example_documents.glob(f"certificate-*.{lang}.docx"))
        assert written == [f"certificate-{d}.{lang}.docx" for d in handovers]


def test_the_french_certificate_is_in_french(example_documents):
    document = docx.Document(str(example_documents / "certificate-marun-handover.fr.docx"))
    assert headings(document)[0] == "Certificat de transfert\u00a0: Marun"
    assert "Signatures" in headings(document) and "Conditions" in headings(document)


def test_a_public_run_leaves_out_restricted_decisions(tmp_path):
    files = mission_files()
    files["handover/decisions/east-all.yaml"]["restricted"] = True
    files["handover/decisions/east-all.yaml"]["reference"] = SECRET_REFERENCE
    root = write_project(tmp_path / "p", files)
    internal = run("documents", "-p", str(root), "-o", str(tmp_path / "internal"))
    public = run("documents", "-p", str(root), "-o", str(tmp_path / "public"), "--audience", "public")
    assert internal.exit_code == public.exit_code == 0, internal.output + public.output
    assert (tmp_path / "internal" / "certificate-east-all.en.docx").exists()
    assert not (tmp_path / "public" / "certificate-east-all.en.docx").exists()
    for path in (tmp_path / "public").glob("*.docx"):
        document = docx.Document(str(path))
        text = " ".join(p.text for p in document.paragraphs) + " ".join(
            c.text for t in document.tables for r in t.rows for c in r.cells
        )
        assert SECRET_REFERENCE not in text
        assert "not for publication" not in text  # the internal marking is for internal documents


def test_the_transition_paragraph_states_the_results_figures(example_documents):
    from readiness.documents import transition_facts, transition_paragraph
    from readiness.pages.handover import headline
    from readiness.report import build_view

    project, _ = load_project(REPO)
    results = score_project(project)
    view = build_view(project, results, "internal")
    facts = transition_facts(view)
    h = headline(view)
    counts = {c.answer: c.regions for c in h.counts}
    assert (facts.host, facts.transition, facts.un_joint, facts.total) == (
        counts["host"],
        counts["transition"],
        counts["un-joint"],
        h.total,
    )
    text = " ".join(transition_paragraph(view, "en"))
    # every district and unit under host primacy as at the cut-off, by name (UN style: counts in words, tested in
    # tests/test_paragraph.py)
    assert all(str(s.region.name) in text for s in facts.answers["host"].standings)
    latest = view.latest
    # every handover and reversion that took effect since the previous report's cut-off, with its reference
    start = facts.period.previous.information_to
    since = [d for d in project.decisions.values() if d.kind != "deferral" and d.effective_date > start]
    assert since and all(d.reference in text for d in since)
    # every level change since the round the previous report rested on, and nothing else
    moved = [
        r.region
        for r in results.for_round(latest.id)
        if r.assessed
        and (then := results.get(facts.period.compared.id, r.region)) is not None
        and then.assessed
        and then.level != r.level
    ]
    assert sorted(moved) == sorted(s.id for s, _ in facts.changes)
    for rid in moved:
        assert str(project.regions[rid].name) in text
    deadline = facts.deadlines[0]
    projected = [
        r
        for r in results.for_round(latest.id)
        if r.handover and r.handover.deadline and r.handover.deadline["status"] in ("late", "off-track", "held-back")
    ]
    assert {s.id for s in deadline.at_risk} >= {r.region for r in projected}
    n = len(deadline.at_risk)
    said = "one two three four five six seven eight nine".split()[n - 1] if n < 10 else str(n)
    assert f"and {said} {'is' if n == 1 else 'are'} at risk of missing it." in text
    document = docx.Document(str(example_documents / "transition-paragraph.en.docx"))
    assert " ".join(transition_paragraph(view, "en")) in [p.text for p in document.paragraphs]


def test_the_benchmark_annex_has_one_row_per_benchmark_and_every_region_with_its_status(example_documents):
    from openpyxl import load_workbook

    project, _ = load_project(REPO)
    results = score_project(project)
    latest = sorted(project.rounds.values(), key=lambda r: r.date)[-1].id
    benchmarks = project.framework.benchmarks
    document = docx.Document(str(example_documents / "benchmark-annex.en.docx"))
    summary = document.tables[0]
    assert [row.cells[0].text for row in summary.rows[1:]] == [str(b.name) for b in benchmarks]
    assessed = [r for r in results.for_round(latest) if r.assessed]
    for b, table in zip(benchmarks, document.tables[2:], strict=True):  # after the summary and the districts
        statuses = {row.cells[0].text: row.cells[1].text for row in table.rows[1:]}
        assert len(statuses) == len(assessed)  # every district and unit of the round
        for r in assessed:
            relevant = [r.indicators[i] for i in b.indicators if r.indicators[i].status != "not-applicable"]
            met = all(x.level in ("ready", "sustained") for x in relevant) and any(
                x.status == "value" for x in relevant
            )
            name = str(project.regions[r.region].name)
            assert (statuses[name] == "met") == met, (b.id, r.region)
        met_count = sum(1 for s in statuses.values() if s == "met")
        line = next(row for row in summary.rows[1:] if row.cells[0].text == str(b.name))
        assert line.cells[1].text.startswith(f"met in {met_count} of ")
    book = load_workbook(example_documents / "benchmark-annex.en.xlsx")
    rows = list(book["Benchmarks"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(benchmarks) * len(assessed)
    french = docx.Document(str(example_documents / "benchmark-annex.fr.docx"))
    assert french.paragraphs[0].text.startswith("Annexe\u00a0: points de référence")


@pytest.mark.slow
def test_the_site_downloads_hold_the_documents_in_its_language_and_the_same_bytes_each_build(tmp_path):
    sites = []
    for name in ("one", "two"):
        result = run("build", "-p", str(REPO), "--out", str(tmp_path / name))
        assert result.exit_code == 0, result.output
        sites.append(tmp_path / name)
    for lang_folder, title in (("", "Handover certificate: Marun"), ("fr/", "Certificat de transfert\u00a0: Marun")):
        downloads = sites[0] / lang_folder / "downloads"
        assert (downloads / "benchmark-annex.xlsx").exists() and (downloads / "transition-paragraph.docx").exists()
        document = docx.Document(str(downloads / "certificate-marun-handover.docx"))
        assert headings(document)[0] == title
        page = (sites[0] / lang_folder / "downloads.html").read_text(encoding="utf-8")
        assert 'href="certificate-marun-handover.docx"' in page or "certificate-marun-handover.docx" in page
    for path in sorted((sites[0] / "downloads").glob("*.docx")) + sorted((sites[0] / "downloads").glob("*.xlsx")):
        assert path.read_bytes() == (sites[1] / "downloads" / path.name).read_bytes(), path.name


def test_the_costed_gap_list_names_each_blocker_with_its_inputs_totals_and_scenarios(example_documents):
    from decimal import Decimal

    from openpyxl import load_workbook

    from readiness.documents import gap_list, gap_totals
    from readiness.report import build_view

    project, _ = load_project(REPO)
    view = build_view(project, score_project(project), "internal")
    lines = gap_list(view)
    lowa = next(line for line in lines if line.region.id == "lowa" and line.indicator.indicator == "LG-03")
    assert sum((i.cost for i in lowa.inputs), Decimal(0)) == Decimal(6 * 4800)  # the six radios; customs free
    assert lowa.scenarios == ["lowa-logistics"]  # the scenario that models the logistics package
    # where the assessment costs nothing, the indicator's own input applies (one radio set a station)
    dabori = next(line for line in lines if line.region.id == "dabori" and line.indicator.indicator == "LG-03")
    assert [i.unit_cost for i in dabori.inputs] == [Decimal(4800)]
    # every blocker of every region below the handover level is listed, costed or not
    for line in lines:
        assert line.indicator.critical and line.indicator.level not in ("ready", "sustained")
    totals = gap_totals(lines)
    assert sum(totals.values()) == sum(i.cost for line in lines for i in line.inputs)
    document = docx.Document(str(example_documents / "gap-list.en.docx"))
    total_table = document.tables[-1]
    assert len(total_table.rows) == 1 + len(totals)
    sheet = load_workbook(example_documents / "gap-list.en.xlsx")["Gap list"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == sum(max(len(line.inputs), 1) for line in lines)
    assert ("Lowa", "LG-03") in {(r[0], r[1].split()[0]) for r in rows}


def test_the_documents_page_shows_the_paragraph_annex_and_gap_list_as_the_files_hold_them():
    from readiness.documents import benchmark_annex, gap_list, transition_paragraph
    from readiness.render import Renderer
    from readiness.report import build_view

    project, _ = load_project(REPO)
    view = build_view(project, score_project(project), "internal")
    site = Renderer(view).render()
    page = site.pages["documents.md"]
    # the reversion of Dabori took effect after the round's cut-off: it is reported as subsequent
    assert (
        "Subsequently, the Joint Government-UNML Transition Committee decided, on 2 October 2026, to hand over" in page
    )
    assert "on 16 October 2026, to defer the handover of Tessin (JTC/2026/09) and to return general policing" in page
    assert len(transition_paragraph(view, "en")) >= 5
    for row in benchmark_annex(view):
        assert f"| met in {row.met} of {row.assessed} |" in page
    assert page.count("\n| ") - 2 * 1 >= len(benchmark_annex(view)) + sum(max(len(g.inputs), 1) for g in gap_list(view))
    assert "documents.md" in str(site.nav)


def test_a_long_name_with_control_characters_does_not_stop_the_documents(tmp_path):
    """Word limits a title to 255 characters and XML refuses control characters; a team's text may have both."""
    files = mission_files()
    hostile = "Port " + "very long name " * 30 + "\x1b[31m"
    for region in files["assessments/regions.yaml"]["regions"]:
        if region["id"] == "port":
            region["name"] = hostile
    files["handover/decisions/port-gp.yaml"]["conditions"][0]["what"] = "Boats\x07 crewed"
    root = write_project(tmp_path / "p", files)
    result = run("documents", "-p", str(root), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    document = docx.Document(str(tmp_path / "out" / "certificate-port-gp.en.docx"))
    assert headings(document)[0].startswith("Handover certificate: Port very long name")
    assert "\x1b" not in headings(document)[0]


def test_public_and_internal_documents_never_share_a_folder(tmp_path):
    """Issue 24: a public run wrote into the internal folder and left the internal certificate of a restricted
    decision beside the public files. Each audience has its own default folder; a run refuses the other
    audience's folder, and a public run refuses a folder holding documents it did not write."""
    files = mission_files()
    files["handover/decisions/east-all.yaml"]["restricted"] = True
    root = write_project(tmp_path / "p", files)
    assert run("documents", "-p", str(root)).exit_code == 0
    assert run("documents", "-p", str(root), "--audience", "public").exit_code == 0
    internal, public = root / "build" / "documents", root / "build" / "documents-public"
    assert (internal / "certificate-east-all.en.docx").exists()
    assert not (public / "certificate-east-all.en.docx").exists() and any(public.glob("*.docx"))
    for audience, folder in (("public", internal), ("internal", public)):
        before = sorted(p.name for p in folder.iterdir())
        refused = run("documents", "-p", str(root), "--audience", audience, "-o", str(folder))
        assert refused.exit_code == 1 and "never share a folder" in refused.output, refused.output
        assert sorted(p.name for p in folder.iterdir()) == before
    loose = tmp_path / "loose"
    loose.mkdir()
    (loose / "certificate-east-all.en.docx").write_bytes(b"an internal file from somewhere")
    refused = run("documents", "-p", str(root), "--audience", "public", "-o", str(loose))
    assert refused.exit_code == 1 and "no public run wrote" in refused.output


def test_a_document_no_longer_public_is_removed_from_the_public_folder(tmp_path):
    files = mission_files()
    root = write_project(tmp_path / "p", files)
    public = root / "build" / "documents-public"
    for lang in ("en", "fr"):
        assert run("documents", "-p", str(root), "--audience", "public", "--lang", lang).exit_code == 0
    assert (public / "certificate-east-all.en.docx").exists() and (public / "certificate-east-all.fr.docx").exists()
    decision = root / "handover" / "decisions" / "east-all.yaml"
    decision.write_text(decision.read_text(encoding="utf-8") + "restricted: true\n", encoding="utf-8")
    result = run("documents", "-p", str(root), "--audience", "public")
    assert result.exit_code == 0, result.output
    assert not (public / "certificate-east-all.en.docx").exists() and "removed" in result.output
    assert (public / "certificate-east-all.fr.docx").exists()  # French was not run again: the team's to rerun


def test_public_documents_are_read_back_for_restricted_text(tmp_path):
    """A restricted evidence reference that a public text repeats would reach a public Word file; the guard
    reads every public document back and refuses, as the site's guard does for pages."""
    files = mission_files()
    files["handover/decisions/east-all.yaml"]["rationale"] = f"Relied on {SECRET_REFERENCE}."
    files["handover/decisions/west-part.yaml"] = {**files["handover/decisions/east-all.yaml"], "restricted": True}
    files["handover/decisions/west-part.yaml"].update(
        {"id": "west-part", "reference": SECRET_REFERENCE, "rationale": "Internal."}
    )
    root = write_project(tmp_path / "p", files)
    result = run("documents", "-p", str(root), "--audience", "public")
    assert result.exit_code == 1 and SECRET_REFERENCE[:20] in result.output, result.output
    assert not list((root / "build" / "documents-public").glob("*.docx"))


def test_word_and_excel_files_are_authored_by_the_framework_not_the_library(example_documents):
    import openpyxl

    project, _ = load_project(REPO)
    name = project.framework.name.get("en")
    for path in sorted(example_documents.glob("*.en.docx")):
        properties = docx.Document(str(path)).core_properties
        assert properties.author == properties.last_modified_by == name, path.name
    for path in sorted(example_documents.glob("*.en.xlsx")):
        assert openpyxl.load_workbook(path).properties.creator == name, path.name


# ---------------------------------------------------------------- finished files (issue 28, part 1)


def _page_fields(part) -> list[str]:
    from docx.oxml.ns import qn

    return [t.text.strip() for t in part._element.iter(qn("w:instrText"))]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_word_document_is_a4_marked_and_numbered_on_every_page_with_its_properties(example_documents, lang):
    """What a drafting office checks before filing a document: A4, the marking in the header and "Page X of Y" in
    the footer of every section, table header rows repeated on every page, its title, author and language, and
    Word proofing it in its own language."""
    from docx.oxml.ns import qn
    from docx.shared import Cm

    project, _ = load_project(REPO)
    notice = Translator(lang).prose(project.framework.marking.internal_notice.get(lang))
    page_words = {"en": ("Page", "of"), "fr": ("Page", "sur")}[lang]
    documents = sorted(example_documents.glob(f"*.{lang}.docx"))
    assert len(documents) >= 4
    for path in documents:
        document = docx.Document(str(path))
        for section in document.sections:
            assert abs(section.page_width - Cm(21.0)) < Cm(0.05), path.name
            assert abs(section.page_height - Cm(29.7)) < Cm(0.05), path.name
            assert notice in "\n".join(p.text for p in section.header.paragraphs), path.name
            assert _page_fields(section.footer) == ["PAGE", "NUMPAGES"], path.name
            footer = "".join(p.text for p in section.footer.paragraphs)
            assert footer.startswith(page_words[0]) and f" {page_words[1]} " in footer, (path.name, footer)
        for table in document.tables:
            header = table.rows[0]._tr
            repeat = header.find(qn("w:trPr"))
            assert repeat is not None and repeat.find(qn("w:tblHeader")) is not None, path.name
        props = document.core_properties
        assert props.title and props.title == headings(document)[0], path.name
        assert props.author and "python-docx" not in props.author and props.author != "readiness", path.name
        assert props.language == {"en": "en-GB", "fr": "fr-FR"}[lang]
        defaults = document.styles.element.find(qn("w:docDefaults"))
        language = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:lang"))
        assert language.get(qn("w:val")) == {"en": "en-GB", "fr": "fr-FR"}[lang], path.name


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_workbook_is_readable_printable_and_marked(example_documents, lang):
    from openpyxl import load_workbook

    project, _ = load_project(REPO)
    notice = Translator(lang).prose(project.framework.marking.internal_notice.get(lang))
    books = sorted(example_documents.glob(f"*.{lang}.xlsx"))
    assert len(books) == 2
    for path in books:
        book = load_workbook(path)
        assert book.properties.title and book.properties.language == {"en": "en-GB", "fr": "fr-FR"}[lang]
        for sheet in book.worksheets:
            header = [c.value for c in sheet[1]]
            assert all(isinstance(h, str) and h and "_" not in h and h[0].isupper() for h in header), header
            assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref, path.name
            assert sheet.print_title_rows == "$1:$1" or sheet.print_title_rows == "1:1", sheet.print_title_rows
            assert str(sheet.page_setup.paperSize) == str(sheet.PAPERSIZE_A4)  # 9: A4
            assert notice.replace("&", "&&") in sheet.oddHeader.center.text
            assert "&P" in sheet.oddFooter.center.text and "&N" in sheet.oddFooter.center.text
            assert all(sheet.column_dimensions[c.column_letter].width for c in sheet[1])
            ids = {r.id for r in project.regions.values()} - {str(r.name) for r in project.regions.values()}
            assert not ids & {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}, path.name  # names
