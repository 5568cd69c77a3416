"""The handover (H), site (M) and scenario (C) rules speak French to a French-first mission: `readiness check` on a
copy of the example whose framework declares French first, with mistakes in its handover register, its site/
files and its scenarios, writes every message and hint of these rules in French (issue 27)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import french_first_example, run

NBSP, NNBSP = "\u00a0", "\u202f"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def mission(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The French-first example with a few mistakes a team could make in the files these rules check."""
    root = french_first_example(tmp_path_factory.mktemp("fr") / "mission")
    decisions = root / "handover" / "decisions"
    # H001: a decision without its deciding body; H002: a condition without its owner
    _edit(decisions / "kessa-handover.yaml", "body: jtc\n", "")
    _edit(decisions / "kessa-handover.yaml", "    owner: ministry\n    due: 2026-06-30\n", "    due: 2026-06-30\n")
    # H005: a dissent without its reason
    _edit(
        decisions / "dabori-general-policing.yaml",
        "{party: ministry, position: concur}",
        "{party: ministry, position: dissent}",
    )
    # H011: two drawdown phases that overlap
    _edit(root / "handover" / "mandate.yaml", "    end: 2026-12-31\n", "    end: 2027-01-31\n")
    # M001: a logo that site/ does not hold; M002: a script in a page of site/
    _edit(root / "mkdocs.yml", "  name: material\n", "  name: material\n  logo: images/logo.png\n")
    with (root / "site" / "about.md").open("a", encoding="utf-8") as page:
        page.write('\n<script src="https://example.org/track.js"></script>\n')
    # C001: a scenario that changes a province nobody assessed; C002: a scenario named like the scenarios' index
    _edit(
        root / "scenarios" / "lowa-logistics.yaml",
        "{region: lowa, indicator: LG-02",
        "{region: highlands, indicator: LG-02",
    )
    (root / "scenarios" / "index.yaml").write_bytes((root / "scenarios" / "ovanga-budget.yaml").read_bytes())
    return root


@pytest.fixture(scope="module")
def report(mission: Path) -> list[dict[str, str]]:
    result = run("check", str(mission), "--format", "json")
    assert result.exit_code == 1, result.output
    return json.loads(result.stdout)["diagnostics"]


def _said(report: list[dict[str, str]], code: str) -> list[tuple[str, str]]:
    return [(d["message"], d["hint"]) for d in report if d["code"] == code]


def test_the_handover_register_s_mistakes_are_told_in_french(report):
    assert (
        "la décision kessa-handover ne nomme aucun organe de décision",
        "ajoutez `body:` avec l'organe conjoint qui l'a prise (jtc)",
    ) in _said(report, "H001")
    assert (
        "la condition 1 de la décision kessa-handover n'a pas de responsable (`owner`)",
        "indiquez quelle partie doit la remplir (`owner:`) et pour quand (`due:`, au format AAAA-MM-JJ)",
    ) in _said(report, "H002")
    assert (
        "la position de la partie ministry (dissent) sur la décision dabori-general-policing n'est pas motivée",
        "ajoutez `reason:` dans les termes mêmes de la partie",
    ) in _said(report, "H005")
    assert _said(report, "H011") == [
        (
            "la phase phase-3 commence le 2027-01-01, avant la fin de la phase phase-2 (2027-01-31)",
            f"les phases se succèdent{NBSP}: faites commencer la suivante après la fin de la précédente",
        )
    ]


def test_the_site_s_mistakes_are_told_in_french(report):
    assert _said(report, "M001") == [
        (
            "theme.logo désigne images/logo.png, qui n'est pas un fichier de site/",
            "placez l'image dans site/ (site/images/logo.png), ou corrigez le chemin (relatif à site/)",
        )
    ]
    hints = {hint for _, hint in _said(report, "M002")}
    assert hints == {
        "les pages de site/ sont le Markdown et le HTML propres à l'équipe, mais le site n'exécute aucun script et "
        f"ne charge rien de l'extérieur{NBSP}: copiez les images dans site/ et liez-les par un chemin relatif{NNBSP}; "
        "retirez les scripts et les gestionnaires d'événements"
    }


def test_the_scenarios_mistakes_are_told_in_french(report):
    assert _said(report, "C001") == [
        (
            f"la région highlands n'a pas d'évaluation en 2026-q3{NBSP}: ce scénario ne peut donc pas la modifier",
            "choisissez une région couverte par cette évaluation, ou indiquez sous `round:` une évaluation qui la "
            "couvre",
        )
    ]
    assert _said(report, "C002") == [
        (
            f"'index' est le nom de la page d'index des scénarios{NNBSP}; le nom du fichier d'un scénario est le "
            "chemin de sa page et son nom sur la ligne de commande",
            "renommez le fichier en scenarios/scenario-index.yaml (lettres ASCII, chiffres, `-` et `_`)",
        )
    ]


def test_no_english_sentence_is_left_in_these_rules_messages(report):
    english = (
        "names no deciding body",
        "add `body:`",
        "has no owner",
        "say which party",
        "has no reason",
        "in the party's own words",
        "starts on",
        "phases follow one another",
        "which is not a file in site/",
        "put the image",
        "pages of site/ are",
        "has no assessment in round",
        "choose a region",
        "is the name of the scenarios",
        "rename the file",
    )
    mine = [d for d in report if d["code"] in ("H001", "H002", "H005", "H011", "M001", "M002", "C001", "C002")]
    assert {d["code"] for d in mine} == {"H001", "H002", "H005", "H011", "M001", "M002", "C001", "C002"}
    for d in mine:
        for words in english:
            assert words not in d["message"] and words not in d["hint"], (d["code"], d["message"], d["hint"])


def test_the_text_output_speaks_french_too(mission):
    result = run("check", str(mission))
    assert result.exit_code == 1
    output = " ".join(result.output.split())  # the console may wrap long lines
    assert "la décision kessa-handover ne nomme aucun organe de décision" in output
    assert "la phase phase-3 commence le 2027-01-01, avant la fin de la phase phase-2 (2027-01-31)" in output
    assert "names no deciding body" not in output and "has no assessment in round" not in output
