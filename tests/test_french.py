"""French as a francophone reader reads it: the helper that writes it (readiness/i18n/french.py), then every
French page of the site, every French document and every command's output on a French-first mission, held to
French style (tests/french_style.py: plurals, elision, contractions, `1er`, labels in running text, the spaces
before `: ; ! ?` and inside « ») and to having no English sentence left outside codes, paths and quoted values."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from readiness.i18n import Translator, say, say_n, speaking
from readiness.i18n.french import article, first_of_month, of, plural, to, typeset
from tests.conftest import french_first_example, run
from tests.french_style import english_left, style_faults

# ---------------------------------------------------------------- the helper


@pytest.mark.parametrize(
    "name,de,a,le",
    [
        ("Kessa", "de Kessa", "à Kessa", "Kessa"),
        ("Ovanga", "d'Ovanga", "à Ovanga", "Ovanga"),
        (
            "Unité de police maritime",
            "de l'Unité de police maritime",
            "à l'Unité de police maritime",
            "l'Unité de police maritime",
        ),
        (
            "Région des Grands Lacs",
            "de la Région des Grands Lacs",
            "à la Région des Grands Lacs",
            "la Région des Grands Lacs",
        ),
        ("District de Marun", "du District de Marun", "au District de Marun", "le District de Marun"),
        ("Inspection générale", "de l'Inspection générale", "à l'Inspection générale", "l'Inspection générale"),
        ("UNPOL", "d'UNPOL", "à UNPOL", "UNPOL"),
    ],
)
def test_names_take_the_preposition_and_article_french_gives_them(name, de, a, le):
    assert (of(name), to(name), article(name)) == (de, a, le)


def test_a_label_in_running_text_is_lower_cased_with_its_article_unless_it_is_a_name_or_an_acronym():
    assert article("Deuxième trimestre 2026", lower=True) == "le deuxième trimestre 2026"
    assert to("Deuxième trimestre 2026", lower=True) == "au deuxième trimestre 2026"
    assert of("Première évaluation 2026", lower=True) == "de la première évaluation 2026"
    assert of("T2 2026", lower=True) == "de T2 2026"
    assert to("Kessa", lower=True) == "à Kessa"
    with speaking("fr"):
        assert say("dashboard.against", round="Deuxième trimestre 2026") == (
            "Les évolutions sont mesurées par rapport au deuxième trimestre 2026."
        )


def test_spacing_is_french_outside_code_urls_and_times():
    assert typeset("Note : voir ceci ; et cela ! Vraiment ? « oui »") == (
        "Note\u00a0: voir ceci\u202f; et cela\u202f! Vraiment\u202f? «\u00a0oui\u00a0»"
    )
    assert typeset("valeur: 3") == "valeur\u00a0: 3"
    assert typeset("http://example.org:80/a à 10:30, `side: un` et `x ; y`") == (
        "http://example.org:80/a à 10:30, `side: un` et `x ; y`"
    )
    assert typeset("| :--- | ---: |") == "| :--- | ---: |"
    assert typeset(typeset("a : b")) == typeset("a : b")  # twice is once


def test_the_first_of_the_month_is_1er():
    assert Translator("fr").date("2026-05-01") == "1er mai 2026"
    assert Translator("fr").date("2026-05-11") == "11 mai 2026"
    assert first_of_month("1 janv. 2027", 1) == "1er janv. 2027"
    assert Translator("en").date("2026-05-01") == "May 1, 2026"


def test_plurals_are_babels():
    from babel import Locale

    for count in [*range(0, 30), 100, 1000, 1.0, 1.5, Decimal("1"), Decimal("1.0"), Decimal("2.5")]:
        assert plural("en", count) == Locale.parse("en").plural_form(count), count
    assert [plural("fr", n) for n in (0, 1, 2)] == ["one", "one", "other"]
    with speaking("fr"):
        assert [say_n("report.errors", n) for n in (0, 1, 2)] == ["0 erreur", "1 erreur", "2 erreurs"]
    assert Translator("fr").count("dashboard.blocking", 1) == "1 bloquant"
    assert Translator("fr").count("dashboard.blocking", 2) == "2 bloquants"


# ---------------------------------------------------------------- the site and the documents


@pytest.fixture(scope="module")
def french_mission(tmp_path_factory) -> Path:
    return french_first_example(tmp_path_factory.mktemp("fr") / "mission")


@pytest.fixture(scope="module")
def french_site(french_mission, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("fr-site") / "site"
    built = run("build", "-p", str(french_mission), "-o", str(out))
    assert built.exit_code == 0, built.output
    return out


def page_text(path: Path) -> str:
    """A page's text as its reader reads it: the article, without code, scripts and text marked English (a
    team's note not translated, shown with the mark "(non traduit)")."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(path.read_text(encoding="utf-8"))
    for selector in ("script", "style", "code", "pre", "svg", "[lang=en]", ".rd-untranslated"):
        for node in tree.css(selector):
            node.decompose()
    main = tree.css_first("article") or tree.body
    return main.text(separator="\n") if main is not None else ""


def french_pages(site: Path) -> list[Path]:
    return [
        p
        for p in sorted(site.rglob("*.html"))
        if not p.relative_to(site).as_posix().startswith(("en/", "assets/", "search/", "404"))
    ]


@pytest.mark.slow
def test_every_french_page_is_written_in_good_french(french_site):
    faults = {p.relative_to(french_site).as_posix(): style_faults(page_text(p)) for p in french_pages(french_site)}
    faults = {page: found for page, found in faults.items() if found}
    assert not faults, "\n".join(f"{page}: {f}" for page, found in faults.items() for f in found[:5])


@pytest.mark.slow
def test_no_english_sentence_is_left_on_a_french_page(french_site):
    left = {p.relative_to(french_site).as_posix(): english_left(page_text(p)) for p in french_pages(french_site)}
    left = {page: found for page, found in left.items() if found}
    assert not left, "\n".join(f"{page}: {s}" for page, found in left.items() for s in found[:5])


@pytest.mark.slow
def test_every_french_document_is_written_in_good_french(french_mission, tmp_path):
    from docx import Document

    out = tmp_path / "documents"
    made = run("documents", "-p", str(french_mission), "-o", str(out))
    assert made.exit_code == 0, made.output
    documents = sorted(out.rglob("*.docx"))
    assert documents
    for path in documents:
        doc = Document(str(path))
        parts = [p.text for p in doc.paragraphs]
        parts += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
        for section in doc.sections:
            parts += [p.text for p in section.header.paragraphs] + [p.text for p in section.footer.paragraphs]
        text = "\n".join(parts)
        assert not style_faults(text), (path.name, style_faults(text)[:5])
        assert not english_left(text), (path.name, english_left(text)[:5])


# ---------------------------------------------------------------- every command's output


def _terminal_faults(label: str, output: str) -> list[str]:
    return [f"{label}: {f}" for f in style_faults(output)] + [f"{label}: English: {s}" for s in english_left(output)]


@pytest.mark.slow
def test_every_command_speaks_french_on_a_french_first_mission(tmp_path):
    """A francophone team's day, with mistakes in its files: no English sentence and no fault of French style
    in any command's output (ids, codes, paths, options and quoted values aside)."""
    root = french_first_example(tmp_path / "mission")
    faults: list[str] = []

    def step(label: str, *args: str) -> str:
        result = run(*args, "-p", str(root)) if args[0] not in ("init",) else run(*args)
        assert "Traceback" not in result.output, result.output
        faults.extend(_terminal_faults(label, result.output))
        return result.output

    step("score", "score")
    step("explain", "explain", "lowa")
    step("explain indicator", "explain", "lowa", "LG-03")
    step(
        "new-round",
        "new-round",
        "2026-q4",
        "--date",
        "2026-12-31",
        "--label",
        "fr=Quatrième trimestre 2026",
        "--label",
        "en=Fourth quarter 2026",
    )
    lowa = root / "assessments" / "2026-q4" / "lowa.yaml"
    text = lowa.read_text(encoding="utf-8")
    lowa.write_text(text.replace("  HR-04:\n    value:\n", "  HR-04:\n    value: 85%\n", 1), encoding="utf-8")
    step("check", "check")
    step("check json", "check", "--format", "json")
    step("template", "template", "--round", "2026-q4", "-o", str(tmp_path / "t.xlsx"))
    sheet = tmp_path / "obs.csv"
    sheet.write_text(
        "région,indicateur,valeur,type de source,référence,date\n"
        'lowa,LG-03,"72,5",ADM,Registre,30/09/2026\n'
        "lowaa,HR-04,N/A,ADM,Registre,2026-11-02\n",
        encoding="utf-8",
    )
    step("import", "import", str(sheet), "--round", "2026-q4")
    step("close-round", "close-round", "2026-q4")
    step("export", "export", "-o", str(tmp_path / "export"))
    step("documents", "documents", "-o", str(tmp_path / "documents"))
    step("build", "build", "-o", str(tmp_path / "site"))
    step("unknown round", "explain", "lowa", "--round", "2031-q1")
    assert not faults, "\n".join(faults[:40])
