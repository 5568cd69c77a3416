"""Women in command (issue 30, item 7): the framework may name, beside the indicator of women among the host
police's officers (`host_police.women`), the indicator of women's share of its command posts
(`host_police.women_in_command`). `check` holds the reference to a defined indicator (R002); the situation gives its
spread district by district through the same helper as `women()`; the transition paragraph gives it a sentence
after the one on women among officers, and the factsheet a line, in English and French. The example names none
(its rounds are sealed, and a new indicator would need values in them), so a copy of it gets one here: HR-09,
with a value in every district and unit of the latest round that takes it, the round resealed."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from readiness.checks import check_project
from readiness.diagnostics import Severity
from readiness.documents.paragraph import transition_paragraph
from readiness.project import load_project
from readiness.render import Renderer
from readiness.report import View, build_view
from readiness.scoring import score_project
from tests.conftest import REPO, copy_example, reseal, run

LATEST = "2026-q3"
EARLIER = ("2025-q4", "2026-q1", "2026-q2")
#: Women's share of command posts, per cent, written into the latest round: every district and the maritime unit
#: (the national institutions are judged on their own `criteria:`, which do not name HR-09). Dabori is the lowest,
#: Tessin the highest; two reach the ready cut-off of 20.
VALUES = {
    "kessa": "22.5",
    "marun": "12.4",
    "tobel": "6.5",
    "port-adra": "15.2",
    "ovanga": "4.5",
    "selu": "9.5",
    "dabori": "3.5",
    "kurmi": "11.6",
    "nasse": "8.2",
    "lowa": "17.9",
    "tessin": "25.5",
    "maritime": "10.4",
}
HR09 = {
    "id": "HR-09",
    "name": {"en": "Women among command posts", "fr": "Part des femmes dans les postes de commandement"},
    "definition": {
        "en": "Numerator: command posts held by women on the last day of the round. Denominator: all command posts.",
        "fr": "Numérateur : postes de commandement tenus par des femmes le dernier jour du cycle. Dénominateur : "
        "ensemble des postes de commandement.",
    },
    "pillar": "HR",
    "unit": "percent",
    "direction": "higher",
    "weight": 1,  # a weight of zero is refused (I003): the copy's scores move, which these tests do not read
    "scoring": {"method": "goalposts", "worst": 0, "best": 50},
    "thresholds": {"all": {"partially-ready": 10, "ready": 20}},
    "evidence": {"source_types": ["ADM"], "max_age_days": 180},
}


def name_in_framework(root: Path, indicator: str) -> None:
    framework = root / "indicators" / "framework.yaml"
    text = framework.read_text(encoding="utf-8")
    assert text.count("  women: HR-04\n") == 1
    framework.write_text(
        text.replace("  women: HR-04\n", f"  women: HR-04\n  women_in_command: {indicator}\n"), encoding="utf-8"
    )


def observe(path: Path, entry: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count("\nobservations:\n") == 1, path
    path.write_text(text.replace("\nobservations:\n", "\nobservations:\n" + entry), encoding="utf-8")


def add_hr09(root: Path) -> None:
    """HR-09 defined, a value for it in each district and unit of the latest round, the rounds before saying it was
    not collected then (else O003: the reason the example itself cannot take it), every round resealed."""
    (root / "indicators" / "hr" / "HR-09.yaml").write_text(
        yaml.safe_dump(HR09, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    for region, value in VALUES.items():
        observe(
            root / "assessments" / LATEST / f"{region}.yaml",
            f"  HR-09:\n    value: {value}\n    evidence:\n      - source: ADM\n"
            "        reference: HRMIS command roster by sex\n        date: 2026-08-30\n",
        )
        for earlier in EARLIER:
            path = root / "assessments" / earlier / f"{region}.yaml"
            if path.exists():
                observe(path, "  HR-09: {not_collected: The command roster was not kept by sex before this year.}\n")
    reseal(root)


def view_of(root: Path) -> View:
    project, _ = load_project(root)
    return build_view(project, score_project(project), "internal")


def errors(root: Path) -> list[tuple[str, str, str]]:
    project, problems = load_project(root)
    return sorted(
        (d.code, d.file, d.message) for d in problems + check_project(project) if d.severity is Severity.ERROR
    )


@pytest.fixture(scope="module")
def mission(tmp_path_factory) -> Path:
    root = copy_example(tmp_path_factory.mktemp("women-in-command") / "mission")
    add_hr09(root)
    name_in_framework(root, "HR-09")
    return root


@pytest.fixture(scope="module")
def view(mission) -> View:
    return view_of(mission)


@pytest.fixture(scope="module")
def example() -> View:
    return view_of(REPO)


def expected_spread() -> tuple[tuple[str, Decimal], tuple[str, Decimal], int]:
    """The lowest and highest value and how many reach the ready cut-off, from `VALUES` alone."""
    values = sorted((Decimal(v), r) for r, v in VALUES.items())
    (low, low_at), (high, high_at) = values[0], values[-1]
    return (low_at, low), (high_at, high), sum(1 for v, _ in values if v >= 20)


# ---------------------------------------------------------------- check


def test_check_finds_no_new_error(mission, tmp_path):
    before = errors(copy_example(tmp_path / "example"))
    assert errors(mission) == before


@pytest.mark.parametrize("field", ["women_in_command", "women"])
def test_an_unknown_indicator_named_for_women_is_reported(tmp_path, field):
    root = copy_example(tmp_path / "mission")
    if field == "women":
        framework = root / "indicators" / "framework.yaml"
        framework.write_text(
            framework.read_text(encoding="utf-8").replace("  women: HR-04\n", "  women: HR-99\n"), encoding="utf-8"
        )
    else:
        name_in_framework(root, "HR-99")
    project, problems = load_project(root)
    found = [d for d in problems + check_project(project) if d.code == "R002" and "HR-99" in d.message]
    assert [(d.file, d.severity) for d in found] == [("indicators/framework.yaml", Severity.ERROR)], found
    assert "unknown indicator 'HR-99'" in found[0].message
    assert getattr(view_of(root).situation, field)() is None
    french = run("check", str(root), "--lang", "fr")
    assert french.exit_code != 0 and "R002" in french.output and "indicateur 'HR-99' inconnu" in french.output


# ---------------------------------------------------------------- the situation


def test_the_situation_gives_the_spread_the_values_imply(view):
    spread = view.situation.women_in_command()
    assert spread is not None and spread.indicator == "HR-09"
    (low_at, low), (high_at, high), reached = expected_spread()
    assert (spread.lowest[0].id, spread.lowest[1]) == (low_at, low)
    assert (spread.highest[0].id, spread.highest[1]) == (high_at, high)
    assert sorted((s.id, v) for s, v in spread.values) == sorted((r, Decimal(v)) for r, v in VALUES.items())
    assert len(spread.reached) == reached and spread.targets == [Decimal(20)]
    # women among officers is read as before, by the same helper
    women = view.situation.women()
    assert women is not None and women.indicator == "HR-04"


# ---------------------------------------------------------------- the paragraph


def test_the_paragraph_gives_women_in_command_after_women_among_officers(view):
    (low_at, low), (high_at, high), reached = expected_spread()
    assert (low_at, high_at, reached, len(VALUES)) == ("dabori", "tessin", 2, 12)
    en = transition_paragraph(view, "en")
    women = next(i for i, s in enumerate(en) if s.startswith("For women among sworn officers"))
    # no earlier round has HR-09: nothing to compare with
    assert en[women + 1] == (
        "For women in command (women among command posts), values ranged from 3.5\u00a0per cent in Dabori to "
        "25.5\u00a0per cent in Tessin; two of the 12 districts and units met the target of 20\u00a0per cent."
    )
    fr = transition_paragraph(view, "fr")
    women = next(i for i, s in enumerate(fr) if s.startswith("S'agissant de l'indicateur"))
    assert fr[women + 1] == (
        "S'agissant des femmes aux postes de commandement (indicateur «\u00a0part des femmes dans les postes de "
        "commandement\u00a0»), les valeurs allaient de 3,5\u00a0pour cent à Dabori à 25,5\u00a0pour cent à "
        "Tessin\u202f; deux des 12 districts et unités atteignaient la cible de 20\u00a0pour cent."
    )


def test_without_women_in_command_no_sentence(example):
    assert example.framework.host_police.women_in_command is None
    assert example.situation.women_in_command() is None
    assert not any(s.startswith("For women in command") for s in transition_paragraph(example, "en"))
    assert not any("postes de commandement (" in s for s in transition_paragraph(example, "fr"))


# ---------------------------------------------------------------- the factsheet


def factsheet(view: View, lang: str) -> list[str]:
    return Renderer(view, lang=lang).render().pages["factsheet.md"].splitlines()


def test_the_factsheet_has_a_line_on_women_in_command(view):
    for lang, women, line in (
        (
            "en",
            "**Women.** Women among sworn officers: from",
            "**Women in command.** Women among command posts: from 3.5 per cent (Dabori) to 25.5 per cent "
            "(Tessin), 2 of 12 districts and units at the target.",
        ),
        (
            "fr",
            "**Femmes.** Femmes parmi les policiers assermentés\u00a0: de",
            "**Femmes aux postes de commandement.** Part des femmes dans les postes de commandement\u00a0: de 3,5 "
            "pour cent (Dabori) à 25,5 pour cent (Tessin), 2 des 12 districts et unités à la cible.",
        ),
    ):
        lines = factsheet(view, lang)
        at = next(i for i, x in enumerate(lines) if x.startswith(women))
        assert lines[at + 1 : at + 3] == ["", line], (lang, lines[at : at + 3])


def test_without_women_in_command_no_line(example):
    for lang, head in (("en", "**Women in command.**"), ("fr", "**Femmes aux postes de commandement.**")):
        lines = factsheet(example, lang)
        assert any(x.startswith(("**Women.**", "**Femmes.**")) for x in lines)
        assert not any(x.startswith(head) for x in lines)
