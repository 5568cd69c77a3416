"""The transition paragraph as a drafting office reads it against a Secretary-General's report (issue 28, part 2):
written for a report period of the reports calendar (handover/reports.yaml), compared with the round the previous
report rested on; UN editorial style in English and French (dates, "per cent", one to nine in words, no sentence
opening with a figure, level names in running text); the host police named from the framework; districts apart
from units and national institutions; the UN police and its strength; women in the police; resolutions by
number, paragraph and date; each deadline in three groups. And the README shows the example's paragraph as the
code writes it."""

from __future__ import annotations

import re
import shutil
import textwrap
from pathlib import Path

import pytest
import yaml

from readiness.documents import transition_facts, transition_paragraph
from readiness.documents.paragraph import report_line, report_period
from readiness.project import load_project
from readiness.report import View, build_view
from readiness.scoring import score_project
from tests.conftest import REPO, run

WORDS = {
    "en": "one two three four five six seven eight nine".split(),
    "fr": "un deux trois quatre cinq six sept huit neuf".split(),
}
MONTHS_EN = "January|February|March|April|May|June|July|August|September|October|November|December"
MONTHS_FR = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"


def view_of(root: Path) -> View:
    project, _ = load_project(root)
    return build_view(project, score_project(project), "internal")


@pytest.fixture(scope="module")
def example() -> View:
    return view_of(REPO)


@pytest.fixture(scope="module")
def paragraphs(example) -> dict[str, list[str]]:
    return {lang: transition_paragraph(example, lang) for lang in ("en", "fr")}


def words(count: int, lang: str = "en") -> str:
    """A count as UN reports write it: one to nine in words, 10 and above in figures."""
    return WORDS[lang][count - 1] if 1 <= count <= 9 else f"{count:,}".replace(",", "\u202f" if lang == "fr" else ",")


def sentence(found: list[str], start: str) -> str:
    return next(s for s in found if s.startswith(start))


def copy_example(target: Path) -> Path:
    shutil.copytree(
        REPO, target, ignore=shutil.ignore_patterns("build", "site", ".git", ".venv", "__pycache__", "tests")
    )
    return target


# ---------------------------------------------------------------- the report period


def test_the_paragraph_is_written_for_the_report_whose_period_holds_the_cut_off(example):
    period = report_period(example)
    assert example.latest.date.isoformat() == "2026-09-30"
    assert period.report is not None and period.report.id == "report-2026-12"
    assert period.previous is not None and period.previous.symbol == "S/2026/415"
    # the previous report's information ended on 31 May 2026: it rested on the first quarter's round, not on the
    # second quarter's (the previous round, closed after it)
    assert period.compared is not None and period.compared.id == "2026-q1"
    assert example.previous is not None and example.previous.id == "2026-q2"
    assert report_line(example, "en") == (
        "For the report of the Secretary-General due on 15 December 2026, covering the period from 1 June 2026 to 30 "
        "November 2026. Figures as at 30 September 2026, the cut-off date of the latest joint assessment."
    )
    assert report_line(example, "fr") == (
        "Pour le rapport du Secrétaire général attendu le 15 décembre 2026, couvrant la période du 1er juin 2026 au 30 "
        "novembre 2026. Données au 30 septembre 2026, date d'arrêt de la dernière évaluation conjointe."
    )


def test_the_period_opens_since_the_previous_report_with_its_decisions_in_one_sentence(paragraphs):
    assert paragraphs["en"][0] == (
        "Since my report of 15 June 2026 (S/2026/415), the Joint Government-UNML Transition Committee decided, on 16 "
        "July 2026, to hand over Marun to the Lomara National Police (LNP) with effect from 1 August 2026 "
        "(JTC/2026/05) and to hand over general policing and criminal investigations in Port Adra to the LNP with "
        "effect from 17 August 2026 (JTC/2026/06)."
    )
    assert paragraphs["fr"][0] == (
        "Depuis mon rapport du 15 juin 2026 (S/2026/415), le Comité mixte de transition Gouvernement-UNML a décidé, le "
        "16 juillet 2026, de transférer à la Police nationale du Lomara (PNL) la responsabilité de Marun, avec effet "
        "au 1er août 2026 (JTC/2026/05) et de transférer à la PNL, pour Port Adra, les fonctions de police générale "
        "et d'enquêtes judiciaires, avec effet au 17 août 2026 (JTC/2026/06)."
    )
    # the handover of general policing in Dabori took effect on 1 May 2026: the previous report's, not this one's
    assert not any("JTC/2026/03" in s for s in paragraphs["en"])


def test_what_was_decided_after_the_cut_off_is_said_subsequently_with_the_unit_s_article(paragraphs):
    assert sentence(paragraphs["en"], "Subsequently") == (
        "Subsequently, the Joint Government-UNML Transition Committee decided, on 2 October 2026, to hand over the "
        "Maritime Police Unit to the LNP with effect from 15 October 2026 (JTC/2026/07) and, on 16 October 2026, to "
        "defer the handover of Tessin (JTC/2026/09) and to return general policing in Dabori to joint responsibility "
        "with effect from 19 October 2026 (JTC/2026/08)."
    )
    assert sentence(paragraphs["fr"], "Par la suite") == (
        "Par la suite, le Comité mixte de transition Gouvernement-UNML a décidé, le 2 octobre 2026, de transférer à la "
        "PNL la responsabilité de l'Unité de police maritime, avec effet au 15 octobre 2026 (JTC/2026/07) et, le 16 "
        "octobre 2026, de différer le transfert de Tessin (JTC/2026/09) et de replacer sous responsabilité conjointe, "
        "pour Dabori, la fonction de police générale, avec effet au 19 octobre 2026 (JTC/2026/08)."
    )


def test_without_a_reports_calendar_the_paragraph_compares_with_the_previous_round(tmp_path):
    root = copy_example(tmp_path / "mission")
    (root / "handover" / "reports.yaml").unlink()
    view = view_of(root)
    period = report_period(view)
    assert period.report is None and period.previous is None and period.compared.id == "2026-q2"
    found = transition_paragraph(view, "en")
    assert found[0].startswith("Since the joint assessment as at 30 June 2026, the Joint Government-UNML")
    assert sentence(found, "Compared with").startswith("Compared with the joint assessment as at 30 June 2026, ")
    assert "my previous report" not in " ".join(found)


# ---------------------------------------------------------------- UN style


def _counts_left_in_figures(text: str, lang: str) -> list[str]:
    """Single figures 1 to 9 that count something (dates, references, paragraphs and resolutions left out)."""
    months = MONTHS_FR if lang == "fr" else MONTHS_EN
    text = re.sub(rf"\b\d{{1,2}}(er)? ({months}) \d{{4}}", " ", text)  # dates
    text = re.sub(r"\([^()]*\d[^()]*\)", " ", text)  # references, symbols, years of resolutions
    text = re.sub(r"\b(paragraph|paragraphe|resolution|résolution) \d+", " ", text)
    text = re.sub(r"\d+[.,]\d+", " ", text)  # values with decimals
    return re.findall(r"(?<![\w/.,\u202f-])[1-9](?![\w/.,\u202f-])", text)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_dates_per_cent_and_counts_are_written_as_un_reports_write_them(paragraphs, lang):
    found = paragraphs[lang]
    text = " ".join(found)
    assert "%" not in text
    assert ("\u00a0per cent" if lang == "en" else "\u00a0pour cent") in text
    assert not re.search(r"\b[A-Z][a-z]{2} \d{1,2}, \d{4}", text)  # never "Sep 30, 2026"
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", text)
    assert ("30 September 2026" if lang == "en" else "30 septembre 2026") in text
    if lang == "fr":
        assert "1er août 2026" in text and not re.search(rf"\b1 ({MONTHS_FR})", text)
    assert not [s for s in found if s[:1].isdigit()], "a sentence opens with a figure"
    assert not _counts_left_in_figures(text, lang)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_level_names_are_running_text_never_proper_nouns(example, paragraphs, lang):
    text = " ".join(paragraphs[lang])
    for level in example.framework.levels:
        label = level.label.get(lang)
        assert f" {label} " not in text and f" {label}." not in text, label  # "Ready for handover" as a name
    kurmi = example.situation.standings["kurmi"]
    assert kurmi.level == "insufficient-evidence"
    if lang == "en":
        assert "Kurmi could not be assessed for lack of current data (previously not ready)" in text
        assert "Marun and Port Adra were assessed ready for handover (previously partially ready)" in text
    else:
        assert "les données récentes ont manqué pour évaluer Kurmi (auparavant «\u00a0pas prêt\u00a0»)" in text
        assert (
            "Marun et Port Adra ont atteint le niveau «\u00a0prêt pour le transfert\u00a0» (auparavant "
            "«\u00a0partiellement prêt\u00a0»)"
        ) in text


def test_the_host_police_is_named_in_full_once_then_by_its_abbreviation(paragraphs):
    en, fr = " ".join(paragraphs["en"]), " ".join(paragraphs["fr"])
    assert en.count("the Lomara National Police (LNP)") == 1 and "the host State police" not in en
    assert en.index("the Lomara National Police (LNP)") < en.index("the LNP")
    assert fr.count("Police nationale du Lomara (PNL)") == 1 and "à la PNL" in fr and "la PNL assumait" in fr


# ---------------------------------------------------------------- the facts, each from the situation


def test_districts_and_units_are_counted_apart_and_each_named(example, paragraphs):
    situation = example.situation
    kinds = situation.kinds()
    districts = kinds["territorial"]
    units = kinds.get("functional", 0) + kinds.get("national", 0)
    host = situation.answer("host")
    held = host.by_kind(["territorial"])["territorial"]
    first = sentence(paragraphs["en"], "As at 30 September 2026")
    assert first.startswith(
        "As at 30 September 2026, the cut-off date of the latest joint assessment, the LNP held primary "
        f"responsibility for public safety in {words(held)} of the {words(districts)} districts (Kessa Capital "
        "District and Marun), home to "
    )
    share = round(host.share * 100)
    assert first.endswith(f"home to {share}\u00a0per cent of the population of the areas assessed.")
    transition = [s.region.name for s in situation.answer("transition").standings]
    assert transition and all(str(n) in paragraphs["en"][2] for n in transition)
    others = situation.answer("un-joint").by_kind(["territorial"])["territorial"]
    assert paragraphs["en"][2] == (
        "Primary responsibility was divided by function in Dabori and Port Adra, while the other "
        f"{words(others)} districts and the {words(units)} units and national institutions remained under joint "
        "responsibility."
    )
    assert paragraphs["fr"][2] == (
        "La responsabilité principale était partagée par fonction à Dabori et à Port Adra, tandis que les "
        f"{words(others, 'fr')} autres districts et les {words(units, 'fr')} unités et institutions nationales "
        "restaient sous responsabilité conjointe."
    )


def test_the_un_police_footprint_and_the_strength_planned_for_the_phase(example, paragraphs):
    u = example.situation.un_police()
    assert u.phase is not None and u.phase.id == "phase-2"
    en = sentence(paragraphs["en"], "Under the decisions in effect")
    assert en.startswith(
        f"Under the decisions in effect, United Nations police kept {words(u.officers)} individual police officers, "
        f"{words(u.formed_units)} formed police units and {words(u.colocation_teams)} co-location teams in "
    )
    assert en.endswith(" in support of the LNP.")
    assert sentence(paragraphs["en"], "The strength") == (
        "The strength of the police component planned for the period from 1 July 2026 to 31 December 2026, endorsed "
        "by the Security Council in paragraph 12 of resolution 2836 (2026) of 26 June 2026, is 1,100 individual "
        "police officers, five formed police units and 30 co-location teams (women make up 209 of the individual "
        "police officers, or 19\u00a0per cent)."
    )
    assert sentence(paragraphs["fr"], "L'effectif") == (
        "L'effectif de la composante Police prévu pour la période du 1er juillet 2026 au 31 décembre 2026, approuvé "
        "par le Conseil de sécurité au paragraphe 12 de la résolution 2836 (2026) du 26 juin 2026, est de "
        "1\u202f100 policiers hors unités constituées, cinq unités de police constituées et 30 équipes colocalisées "
        "(dont 209 femmes parmi les policiers hors unités constituées, soit 19\u00a0pour cent)."
    )


def test_women_in_the_police_from_the_indicator_the_framework_names(example, paragraphs, tmp_path):
    facts = transition_facts(example)
    spread = facts.women
    assert spread is not None and spread.indicator == example.framework.host_police.women == "HR-04"
    (low_at, low), (high_at, high) = spread.lowest, spread.highest
    en = sentence(paragraphs["en"], "For women among sworn officers")
    assert en.startswith(
        f"For women among sworn officers, values ranged from {low}\u00a0per cent in {low_at.region.name} to "
        f"{high}\u00a0per cent in the {high_at.region.name.get('en')}; {words(len(spread.reached))} of the "
        f"{words(len(spread.values))} districts and units met the target of 20\u00a0per cent, against "
        f"{words(len(facts.women_then.reached))} of {words(len(facts.women_then.values))} as at 31 March 2026."
    )
    fr = sentence(paragraphs["fr"], "S'agissant")
    assert fr.startswith("S'agissant de l'indicateur «\u00a0femmes parmi les policiers assermentés\u00a0», les valeurs")
    # another framework names another indicator: the sentence follows the field, never an id in the code
    root = copy_example(tmp_path / "mission")
    framework = root / "indicators" / "framework.yaml"
    framework.write_text(framework.read_text(encoding="utf-8").replace("  women: HR-04\n", ""), encoding="utf-8")
    assert not any(s.startswith("For women") for s in transition_paragraph(view_of(root), "en"))


def test_each_deadline_in_three_groups_with_every_district_held_back_by_gates_at_risk(example, paragraphs):
    (standing,) = example.situation.deadlines()
    groups = (standing.handed_over, standing.on_track, standing.at_risk)
    applying = [s for s in example.situation.ordered if s.deadline and s.deadline["deadline"] == "primacy-2027"]
    assert sorted(s.id for g in groups for s in g) == sorted(s.id for s in applying)
    held_back = [s for s in applying if s.deadline["status"] == "held-back"]
    assert held_back and all(s in standing.at_risk for s in held_back)
    en = sentence(paragraphs["en"], "Of the ")
    assert en.startswith(
        f"Of the {words(standing.total)} districts and units to which the deadline of 30 June 2027 set in paragraph 7 "
        "of resolution 2836 (2026) of 26 June 2026 applies, "
        f"{words(len(standing.handed_over))} have been handed over ("
    )
    assert en.endswith(f"; and {words(len(standing.at_risk))} are at risk of missing it.")
    why = sentence(paragraphs["en"], "Of those at risk")
    reached = why.split(" have reached the required score but not yet all the agreed criteria")[0]
    assert all(str(s.region.name) in reached for s in held_back)
    # a projection years out is said as a year, never as a day
    ovanga = example.situation.standings["ovanga"].deadline
    assert ovanga["status"] == "late" and ovanga["projected_date"] > "2030"
    year = ovanga["projected_date"][:4]
    assert f"Ovanga is not expected to be ready before {year}." in why
    assert f"la préparation d'Ovanga n'est pas attendue avant {year}." in sentence(paragraphs["fr"], "Parmi ces")


def test_a_projection_within_two_years_is_said_as_a_quarter(example):
    from readiness.documents.paragraph import _Writer

    writer = _Writer(example, "en", transition_facts(example))
    ovanga = example.situation.standings["ovanga"]

    class Near:
        region, id = ovanga.region, ovanga.id
        deadline = {**ovanga.deadline, "projected_date": "2027-08-14"}

    assert writer.projected(Near) == ("late_quarter", "in the third quarter of 2027")
    french = _Writer(example, "fr", transition_facts(example))
    assert french.projected(Near) == ("late_quarter", "au troisième trimestre 2027")


# ---------------------------------------------------------------- the files


def test_the_word_file_holds_the_report_line_and_the_paragraph_in_each_language(example, tmp_path):
    import docx

    for lang in ("en", "fr"):
        assert run("documents", "-p", str(REPO), "--lang", lang, "-o", str(tmp_path)).exit_code == 0
        document = docx.Document(str(tmp_path / f"transition-paragraph.{lang}.docx"))
        texts = [p.text for p in document.paragraphs]
        assert texts[1] == report_line(example, lang)
        assert texts[2] == " ".join(transition_paragraph(example, lang))


def test_the_reports_calendar_is_a_file_of_its_own_with_its_schema():
    data = yaml.safe_load((REPO / "handover" / "reports.yaml").read_text(encoding="utf-8"))
    assert [r["id"] for r in data["reports"]] == ["report-2025-12", "report-2026-06", "report-2026-12"]
    first = (REPO / "handover" / "reports.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../schemas/reports.schema.json"
    assert (REPO / "schemas" / "reports.schema.json").is_file()


# ---------------------------------------------------------------- the README


def readme_block(view: View | None = None) -> str:
    """The README's example paragraph as the code writes it, wrapped as the README holds it. To refresh the README:
    .venv/bin/python -c "from tests.test_paragraph import readme_block; print(readme_block())" """
    text = " ".join(transition_paragraph(view or view_of(REPO), "en"))
    return textwrap.fill(
        text, width=118, initial_indent="> ", subsequent_indent="> ", break_on_hyphens=False, break_long_words=False
    )


def test_the_readme_shows_the_example_paragraph_exactly_as_the_code_writes_it(example):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    shown = readme.split("<!-- transition-paragraph -->\n", 1)[1].split("<!-- /transition-paragraph -->", 1)[0]
    unwrapped = " ".join(line.removeprefix("> ") for line in shown.strip().splitlines())
    assert unwrapped == " ".join(transition_paragraph(example, "en")), (
        "the README's transition paragraph differs from what the code writes: see readme_block()"
    )
