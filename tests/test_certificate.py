"""The certificates a joint body signs (issue 28, section 3), opened as a drafting office opens them: every handover
certificate and every record of a reversion or deferral of the example, in English and in French, read back with
python-docx for its parts: the number, the legal basis (the mandate's resolution and the arrangement the body acts
under), the framework agreement, the Government's request, the assessment relied on; the decision for the whole
district or unit or by function (handed over and retained), said in the heading when taken against the
assessment; the agreed criteria (the framework's benchmarks) met or not met with their indicators and targets in
words, values within their margin of error and the share of samples that give the level, never the composite
score; the reversion triggers in words; the place, date and language clause; the co-chairs and witnesses by
role. The site's page of each says the same, sentence for sentence."""

from __future__ import annotations

import html
import io
import re
from typing import Any

import pytest

from readiness.documents import document_list
from readiness.documents.certificate import certificate, certificates, records
from readiness.i18n import Translator
from readiness.project import load_project
from readiness.report import build_view
from readiness.scoring import score_project
from tests.conftest import REPO, run
from tests.french_style import english_left, style_faults

docx = pytest.importorskip("docx")

LANGS = ("en", "fr")
CODE = re.compile(r"\b[A-Z]{2}-\d{2}\b")


@pytest.fixture(scope="module")
def example():
    """The example scored, with the sensitivity analysis of its latest round (as a site build holds it), and
    every document of the view in both languages, written in process as the site's downloads are."""
    from readiness.uncertainty import analyse

    project, _ = load_project(REPO)
    results = score_project(project)
    analysis = analyse(project, results, samples=200, sensitivity=False)
    view = build_view(project, results, "internal", uncertainty=analysis)
    files: dict[str, dict[str, bytes]] = {lang: {} for lang in LANGS}
    for name, write, args in document_list(view):
        if name.startswith(("certificate-", "decision-record-")):
            for lang in LANGS:
                stream = io.BytesIO()
                write(*args, lang, stream)
                files[lang][name] = stream.getvalue()
    return view, files


def parts(data: bytes) -> list[tuple[str, Any]]:
    """A Word document's body in order: (style, text) for each paragraph, ("table", rows) for each table."""
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(io.BytesIO(data))
    out: list[tuple[str, Any]] = []
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            paragraph = Paragraph(child, document)
            if paragraph.text.strip():
                out.append((paragraph.style.name, paragraph.text))
        elif child.tag == qn("w:tbl"):
            out.append(("table", [[c.text for c in row.cells] for row in Table(child, document).rows]))
    return out


def spaced(text: str) -> str:
    """Text with French's no-break spaces read as spaces (the tests compare words)."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " ")).strip()


def paragraphs(data: bytes) -> list[str]:
    return [spaced(text) for style, text in parts(data) if style != "table"]


def after(items: list[tuple[str, Any]], heading: str) -> list[tuple[str, Any]]:
    """The parts under a heading of level 2, up to the next one."""
    start = next(i for i, (style, text) in enumerate(items) if style == "Heading 2" and spaced(text) == heading)
    end = next((i for i in range(start + 1, len(items)) if items[i][0] == "Heading 2"), len(items))
    return items[start + 1 : end]


def every_document(view, files):
    """(certificate, lang, bytes) for every decision's document."""
    for cert in certificates(view) + records(view):
        for lang in LANGS:
            prefix = "decision-record" if cert.record else "certificate"
            yield cert, lang, files[lang][f"{prefix}-{cert.decision.id}.docx"]


def doc(files, lang: str, decision: str) -> bytes:
    name = next(n for n in files[lang] if n.endswith(f"-{decision}.docx"))
    return files[lang][name]


# ---------------------------------------------------------------- one document for each decision


def test_every_decision_has_a_signed_document_in_each_language(example, tmp_path):
    view, files = example
    kinds = {d.id: d.kind for d in view.project.decisions.values()}
    for lang in LANGS:
        expected = {
            (f"certificate-{d}.docx" if kind == "handover" else f"decision-record-{d}.docx")
            for d, kind in kinds.items()
        }
        assert expected <= set(files[lang]), sorted(expected - set(files[lang]))
    assert {k for k in kinds.values()} == {"handover", "reversion", "deferral"}
    # and `readiness documents` writes them, the records beside the certificates
    result = run("documents", "-p", str(REPO), "--lang", "fr", "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "decision-record-dabori-reversion.fr.docx").exists()
    assert (tmp_path / "decision-record-tessin-deferral.fr.docx").exists()


# ---------------------------------------------------------------- the preamble


def test_a_certificate_states_its_number_legal_basis_agreement_request_and_assessment(example):
    view, files = example
    english = paragraphs(doc(files, "en", "kessa-handover"))
    assert english[1:6] == [
        "Number: JTC/2026/01",
        "Legal basis: Security Council resolution 2781 (2025) of 27 June 2025; the Supplemental Arrangement on "
        "Policing between the Government of the Republic of Lomara and UNML of 12 March 2025, article 4",
        "Framework agreement: the Joint Framework for the Resumption of Primary Responsibility for Public Safety by "
        "the Lomara National Police, agreed on 20 November 2025 (JTC/2025/02)",
        "Request of the Government: letter of the Minister of Interior and Public Security to the Special "
        "Representative of the Secretary-General (MISP/CAB/2025/0311) of 2 December 2025",
        "Assessment relied on: the joint assessment of the fourth quarter 2025 (data cut-off 31 December 2025)",
    ]
    french = paragraphs(doc(files, "fr", "kessa-handover"))
    assert french[1:6] == [
        "Numéro : JTC/2026/01",
        "Fondement juridique : résolution 2781 (2025) du Conseil de sécurité, en date du 27 juin 2025 ; "
        "l'Arrangement complémentaire relatif à la police entre le Gouvernement de la République du Lomara et "
        "l'UNML du 12 mars 2025, article 4",
        "Accord-cadre : le Cadre conjoint pour la reprise par la Police nationale du Lomara de la responsabilité "
        "principale de la sécurité publique, adopté le 20 novembre 2025 (JTC/2025/02)",
        "Demande du Gouvernement : lettre du Ministre de l'Intérieur et de la Sécurité publique au Représentant "
        "spécial du Secrétaire général (MISP/CAB/2025/0311) du 2 décembre 2025",
        "Évaluation retenue : l'évaluation conjointe du quatrième trimestre 2025 (données arrêtées au 31 décembre "
        "2025)",
    ]
    # a decision of the 2026 mandate cites the 2026 resolution; one without a request says none
    marun = paragraphs(doc(files, "en", "marun-handover"))
    assert "Legal basis: Security Council resolution 2836 (2026) of 26 June 2026;" in " ".join(marun)
    assert not any(p.startswith("Request of the Government") for p in marun)
    for cert, lang, data in every_document(view, files):
        text = paragraphs(data)
        label = "Number: " if lang == "en" else "Numéro : "
        assert f"{label}{cert.decision.reference}" in text, (cert.decision.id, lang)


# ---------------------------------------------------------------- the decision


def test_the_heading_says_when_a_decision_was_taken_against_the_assessment(example):
    view, files = example
    said = {"en": "(decision taken against the assessment)", "fr": "(décision prise à l'encontre de l'évaluation)"}
    against = {"kessa-handover", "maritime-handover"}
    for cert, lang, data in every_document(view, files):
        title = parts(data)[0]
        assert title[0] == "Heading 1"
        result = view.result(cert.decision.relied_on, cert.decision.region)
        taken = any(a["decision"] == cert.decision.id for a in result.handover.against)
        assert (said[lang] in title[1]) == taken, (cert.decision.id, lang, title)
        assert (cert.decision.id in against) == taken
    maritime = paragraphs(doc(files, "en", "maritime-handover"))
    assert "The decision was taken against the assessment, which rated the unit partially ready." in maritime
    french = paragraphs(doc(files, "fr", "maritime-handover"))
    assert (
        "La décision a été prise à l'encontre de l'évaluation, qui plaçait l'unité au niveau « partiellement prêt »."
        in french
    )


def test_the_decision_says_the_functions_handed_over_and_retained_and_never_whole_region_of_a_unit(example):
    view, files = example
    port = paragraphs(doc(files, "en", "port-adra-handover"))
    assert (
        "On 16 July 2026, the Joint Government-UNML Transition Committee decided to hand over to the Lomara National "
        "Police (LNP) primary responsibility for the functions listed below, with effect from 17 August 2026."
    ) in port
    assert "Functions handed over: general policing, criminal investigations." in port
    assert "Functions that remain under joint responsibility: public order, border policing." in port
    french = paragraphs(doc(files, "fr", "port-adra-handover"))
    assert "Fonctions transférées : police générale, enquêtes judiciaires." in french
    assert "Fonctions qui restent sous responsabilité conjointe : maintien de l'ordre, police des frontières." in french
    maritime = paragraphs(doc(files, "en", "maritime-handover"))
    assert (
        "On 2 October 2026, the Joint Government-UNML Transition Committee decided to hand over to the Lomara "
        "National Police (LNP) primary responsibility for public safety in the whole unit, with effect from 15 "
        "October 2026."
    ) in maritime
    assert any("dans l'ensemble de l'unité" in p for p in paragraphs(doc(files, "fr", "maritime-handover")))
    assert any("public safety in the whole district" in p for p in paragraphs(doc(files, "en", "marun-handover")))
    for _, _, data in every_document(view, files):
        text = " ".join(paragraphs(data))
        assert "whole region" not in text and "ensemble de la région" not in text


# ---------------------------------------------------------------- the criteria


def _status_words(lang: str) -> dict[str, str]:
    tr = Translator(lang)
    return {s: tr(f"certificate.benchmark.{s}", benchmark="").strip(" :\u00a0") for s in ("met", "not-met", "no-data")}


def test_criteria_are_grouped_under_the_agreed_criteria_each_met_or_not_met_with_its_indicators(example):
    view, files = example
    project, fw = view.project, view.framework
    rank, need = project.level_rank, project.level_rank[fw.handover_level]
    measured = {i for b in fw.benchmarks for i in b.indicators}
    for cert, lang, data in every_document(view, files):
        tr = Translator(lang)
        items = after(parts(data), spaced(tr("certificate.criteria")))
        result = view.result(cert.decision.relied_on, cert.decision.region)
        applies = {i: r for i, r in result.indicators.items() if r.status != "not-applicable"}
        covered = cert.decision.functions
        if covered and set(covered) != {f.id for f in fw.functions}:
            # a functional decision states the criteria of the functions it covers, and no other
            own = {i for f in covered for i in result.functions[f].criteria}
            applies = {i: r for i, r in applies.items() if i in own}
        expected = []
        for b in fw.benchmarks:
            found = [applies[i] for i in b.indicators if i in applies]
            if not found:
                continue
            if not any(r.status == "value" for r in found):
                status = "no-data"
            elif all(r.status == "value" and r.level and rank[r.level] >= need for r in found):
                status = "met"
            else:
                status = "not-met"
            heading = spaced(tr(f"certificate.benchmark.{status}", benchmark=b.name.get(lang)))
            expected.append((heading, [r.indicator for r in found]))
        others = sorted(i for i, r in applies.items() if r.critical and i not in measured)
        if others:
            expected.append((spaced(tr("certificate.other_critical")), others))
        found_groups = []
        for i, (style, text) in enumerate(items):
            if style == "Heading 3":
                table = items[i + 1]
                assert table[0] == "table"
                found_groups.append((spaced(text), [row[0].split()[0] for row in table[1][1:]]))
        assert found_groups == expected, (cert.decision.id, lang)
    # in words, in English: the criterion, then met or not met
    marun = [spaced(t) for s, t in parts(doc(files, "en", "marun-handover")) if s == "Heading 3"]
    assert "Final certification of at least 80% of eligible officers: met" in marun
    words = _status_words("fr")
    assert words["met"] == "rempli" and words["not-met"] == "non rempli"


def test_targets_and_values_are_in_words(example):
    view, files = example
    rows = {
        lang: {
            row[0].split()[0]: row
            for style, table in parts(doc(files, lang, "marun-handover"))
            if style == "table"
            for row in table[1:]
            if CODE.match(row[0])
        }
        for lang in LANGS
    }
    assert spaced(rows["en"]["PC-05"][2]) == "at most 3 violations per 1,000 officers per year"
    assert spaced(rows["fr"]["PC-05"][2]) == "au plus 3 violations pour 1 000 agents par an"
    assert rows["en"]["TR-07"][1:3] == ["yes", "yes"] and rows["fr"]["TR-07"][1:3] == ["oui", "oui"]
    assert rows["en"]["LO-02"][2] == "at least 90 per cent" and rows["fr"]["LO-02"][2] == "au moins 90 pour cent"
    assert rows["en"]["LO-01"][2] == "at most 30 minutes"
    # an indicator short of its target says so beside its value
    maritime = {
        row[0].split()[0]: row
        for style, table in parts(doc(files, "en", "maritime-handover"))
        if style == "table"
        for row in table[1:]
        if CODE.match(row[0])
    }
    assert maritime["LO-01"][1:] == ["32 minutes (target not met)", "at most 30 minutes"]
    assert maritime["LO-02"][1:] == ["100 per cent", "at least 90 per cent"]
    result = view.result("2026-q3", "maritime")
    rank, need = view.project.level_rank, view.project.level_rank[view.framework.handover_level]
    for code, row in maritime.items():
        level = result.indicators[code].level
        assert ("(target not met)" in row[1]) == (level is not None and rank[level] < need), (code, row)
    for _, lang, data in every_document(view, files):
        for style, table in parts(data):
            if style != "table" or not CODE.match(table[1][0]):
                continue
            for row in table[1:]:
                target = spaced(row[2])
                assert not re.fullmatch(r"[\d.,\s]+", target), (lang, row)  # never a bare "3" or "1"
                assert not re.fullmatch(r"[\d.,\s]+", spaced(row[1])), (lang, row)


def test_no_composite_score_is_printed(example):
    view, files = example
    for cert, lang, data in every_document(view, files):
        document = docx.Document(io.BytesIO(data))
        text = " ".join(p.text for p in document.paragraphs).lower()
        text += " ".join(c.text for t in document.tables for r in t.rows for c in r.cells).lower()
        assert "score" not in text, (cert.decision.id, lang)
        tr = Translator(lang)
        criteria = after(parts(data), spaced(tr("certificate.criteria")))
        level = spaced(criteria[0][1])  # the level, said without the score that the gates overrule
        assert level.startswith(("The ", "L'évaluation")) and level.endswith("."), level
        assert tr.number(cert.result.rounded, view.framework.rounding.digits) not in level, level


def test_a_value_within_its_margin_of_error_and_the_share_of_samples_are_said(example):
    view, files = example
    analysis = view.uncertainty
    for cert, lang, data in every_document(view, files):
        text = paragraphs(data)
        cells = [spaced(c) for style, t in parts(data) if style == "table" for row in t for c in row]
        within = [r for r in cert.criteria if r.status == "value" and r.within_margin]
        said = "within the margin of error of the cut-off" if lang == "en" else "dans la marge d'erreur du seuil"
        assert sum(said in c for c in cells) == len(within), (cert.decision.id, lang)
        shares = [p for p in text if "samples of the sensitivity analysis" in p or "tirages de l'analyse" in p]
        if cert.decision.relied_on == analysis.round:
            share = Translator(lang).number(analysis.regions[cert.decision.region].share_same * 100, 0)
            assert len(shares) == 1 and f"{share} {'per cent' if lang == 'en' else 'pour cent'}" in shares[0]
        else:
            assert not shares  # the view holds the analysis of its latest round only
    maritime = [
        spaced(c) for s, t in parts(doc(files, "en", "maritime-handover")) if s == "table" for r in t for c in r
    ]
    assert "63 per cent, within the margin of error of the cut-off (±6.6 points)" in maritime


# ---------------------------------------------------------------- review and reversion


def test_reversion_triggers_are_in_words(example):
    view, files = example
    english = after(parts(doc(files, "en", "dabori-general-policing")), "Review and reversion")
    bullets = [spaced(t) for s, t in english if s == "List Bullet"]
    assert bullets == [
        "An assessment that rates the district below partially ready",
        "Public-order incidents handled by host police without UN or military intervention: below 60 per cent",
        "An attack on an LNP post or patrol that the LNP cannot contain without the UN force or the army.",
    ]
    assert (
        "Normal",
        "The Joint Government-UNML Transition Committee reviews the decision by 31 October 2026. The handover may be "
        "reversed if:",
    ) in english
    french = after(parts(doc(files, "fr", "dabori-general-policing")), "Réexamen et retour")
    bullets = [spaced(t) for s, t in french if s == "List Bullet"]
    assert bullets[:2] == [
        "Une évaluation qui place le district en dessous du niveau « partiellement prêt »",
        "Incidents d'ordre public gérés par la police nationale sans intervention de l'ONU ou de l'armée : moins de "
        "60 pour cent",
    ]
    labels = {lv.label.get(lang) for lv in view.framework.levels for lang in LANGS}
    for cert, lang, data in every_document(view, files):
        tr = Translator(lang)
        heading = spaced(tr("certificate.review_only" if cert.record else "certificate.review"))
        for style, text in after(parts(data), heading):
            if style == "List Bullet":
                assert not CODE.search(text), (cert.decision.id, text)
                assert not any(label in text for label in labels), (cert.decision.id, text)


def test_a_reversion_and_a_deferral_have_a_signed_record(example):
    view, files = example
    reversion = parts(doc(files, "en", "dabori-reversion"))
    assert reversion[0] == ("Heading 1", "Reversion record: Dabori")
    text = [spaced(t) for s, t in reversion if s != "table"]
    assert (
        "On 16 October 2026, the Joint Government-UNML Transition Committee decided to return primary responsibility "
        "for the functions listed below to joint United Nations and host State responsibility, with effect from 19 "
        "October 2026."
    ) in text
    assert "Functions returned: general policing." in text
    assert "Review" in text and "The handover may be reversed if:" not in text
    assert "Done at Kessa on 16 October 2026, in English and French, both texts being equally authentic." in text
    deferral = parts(doc(files, "fr", "tessin-deferral"))
    assert deferral[0] == ("Heading 1", "Procès-verbal de report\u00a0: Tessin")
    assert (
        "Le 16 octobre 2026, le Comité mixte de transition Gouvernement-UNML a décidé de reporter le transfert de la "
        "responsabilité principale de la sécurité publique dans l'ensemble du district."
    ) in [spaced(t) for s, t in deferral if s != "table"]


def test_a_handover_taken_back_is_marked_superseded(example):
    view, files = example
    text = paragraphs(doc(files, "en", "dabori-general-policing"))
    assert any(p.startswith("Superseded: superseded by the reversion: ") and "JTC/2026/08" in p for p in text)
    assert not any(p.startswith("Superseded") for p in paragraphs(doc(files, "en", "marun-handover")))


# ---------------------------------------------------------------- signatures


def test_the_co_chairs_and_witnesses_sign_by_role_under_the_place_date_and_language_clause(example):
    view, files = example
    body = view.framework.bodies[0]
    for cert, lang, data in every_document(view, files):
        tr = Translator(lang)
        done, signatures = after(parts(data), spaced(tr("certificate.signatures")))
        place = "Port Adra" if cert.decision.id == "maritime-handover" else "Kessa"
        day = tr.long_date(cert.decision.decided)
        if lang == "en":
            assert (
                spaced(done[1])
                == f"Done at {place} on {day}, in English and French, both texts being equally authentic."
            )
        else:
            assert spaced(done[1]) == spaced(
                f"Fait à {place}, le {day}, en anglais et en français, les deux textes faisant également foi."
            )
        header, *rows = signatures[1]
        assert header == [spaced(tr(f"certificate.column.{k}")) for k in ("role", "name", "signature", "date")]
        expected = [[s.role.get(lang), s.name] for s in body.signatories if not s.witness]
        expected += [[tr("certificate.witness", role=s.role.get(lang)), s.name] for s in body.signatories if s.witness]
        assert [[spaced(c) for c in row] for row in rows] == [[spaced(c) for c in r] + ["", ""] for r in expected]
    marun = after(parts(doc(files, "en", "marun-handover")), "Signatures")[1][1]
    assert marun[1:] == [
        ["Deputy Special Representative of the Secretary-General, co-chair", "Ingrid Solberg", "", ""],
        ["Minister of Interior and Public Security, co-chair", "Daniel Ekwueme", "", ""],
        ["UNML Police Commissioner (witness)", "", "", ""],  # no name given: a line to write it on
        ["Inspector-General of the Lomara National Police (witness)", "", "", ""],
    ]
    french = after(parts(doc(files, "fr", "marun-handover")), "Signatures")[1][1]
    assert spaced(french[3][0]) == "Chef de la composante Police de l'UNML (témoin)"


def test_a_body_without_signatories_signs_one_line_per_party(example):
    from dataclasses import replace

    from readiness.documents.certificate import certificate_text
    from readiness.explain import Explainer

    view, _ = example
    body = view.framework.bodies[0].model_copy(update={"signatories": []})
    bare = replace(view, framework=view.framework.model_copy(update={"bodies": [body]}))
    cert = certificate(bare, view.project.decisions["marun-handover"])
    text = certificate_text(cert, bare, Explainer(view.project, "en", markup=False))
    names = {p.id: str(p.name.get("en")) for p in view.framework.parties}
    assert text.signatories == [(names[p], "") for p in body.parties]


# ---------------------------------------------------------------- French, and the site's page


def test_the_french_certificates_are_written_in_good_french(example):
    view, files = example
    for cert, lang, data in every_document(view, files):
        if lang != "fr":
            continue
        document = docx.Document(io.BytesIO(data))
        texts = [p.text for p in document.paragraphs]
        texts += [c.text for t in document.tables for r in t.rows for c in r.cells]
        # the team's own words quoted in English (a spokesman's title) are not the tool's
        text = "\n".join(t for t in texts if "Supt." not in t and "Director of Police Affairs" not in t)
        assert not style_faults(text), (cert.decision.id, style_faults(text)[:3])
        assert not english_left(text), (cert.decision.id, english_left(text)[:3])


def _page_text(markdown: str) -> str:
    text = re.sub(r"<[^>]+>", " ", markdown)
    text = re.sub(r"\\(.)", r"\1", text)  # Markdown's escapes, then HTML's
    text = html.unescape(text.replace("&nbsp;", " "))
    text = text.replace("**", "").replace("|", " ")
    return spaced(text)


def test_the_sites_page_says_what_the_word_document_says(example):
    from readiness.render import Renderer
    from readiness.render import certificate as page

    view, files = example
    renderers = {lang: Renderer(view, lang=lang) for lang in LANGS}
    for cert, lang, data in every_document(view, files):
        r = renderers[lang]
        markdown = page.markdown(cert, view, r.fmt, r.write)
        assert "&amp;nbsp;" not in markdown  # a blank line to sign on, not the code of a space
        shown = _page_text(markdown)
        document = docx.Document(io.BytesIO(data))
        for paragraph in document.paragraphs:
            for piece in paragraph.runs:
                said = spaced(piece.text).rstrip(":").strip()
                if said:
                    assert said in shown, (cert.decision.id, lang, said)
        for table in document.tables:
            for row in table.rows:
                for cell in row.cells:
                    if spaced(cell.text):
                        assert spaced(cell.text) in shown, (cert.decision.id, lang, cell.text)
        heading = spaced(parts(data)[0][1])
        assert f"# {heading}" in shown
