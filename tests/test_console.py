"""What the terminal shows: progress of long work, the score table, and `readiness graph --format dot`."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from readiness.console import display_width, score_table, tree_order, wrap
from readiness.progress import NullProgress, Progress
from tests.conftest import framework, indicator, project_files, write_project

# ---------------------------------------------------------------- progress


class FakeTerminal(io.StringIO):
    """A stream that says it is a terminal, and can tell what a person would see on it."""

    encoding = "utf-8"

    def isatty(self) -> bool:
        return True

    def screen(self) -> list[str]:
        """The lines left on the screen: a carriage return goes back to the start of the line, ESC[K clears
        what follows the cursor."""
        lines: list[str] = []
        for raw in self.getvalue().split("\n"):
            line, col = [], 0
            for part in re.split(r"(\r|\x1b\[K)", raw):
                if part == "\r":
                    col = 0
                elif part == "\x1b[K":
                    del line[col:]
                else:
                    for char in part:
                        if col < len(line):
                            line[col] = char
                        else:
                            line.append(char)
                        col += 1
            lines.append("".join(line))
        return lines


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_ci_log_gets_one_plain_line_when_a_stage_starts_and_one_when_it_ends():
    log = io.StringIO()  # not a terminal
    clock = Clock()
    progress = Progress(log, clock=clock)
    with progress.stage("scoring", total=48, unit="region-rounds", past="scored") as stage:
        for _ in range(48):
            stage.advance()
            clock.now += 0.025
    stage = progress.stage("rendering pages", unit="pages", past="rendered")
    stage.advance(315)
    stage.done()
    text = log.getvalue()
    assert "\r" not in text and "\x1b" not in text
    assert text.splitlines() == [
        "scoring 48 region-rounds...",
        "scored 48 region-rounds (1.2 s)",
        "rendering pages...",
        "rendered 315 pages (0.0 s)",
    ]


def test_a_terminal_gets_one_line_redrawn_with_a_bar_and_the_counts():
    terminal = FakeTerminal()
    clock = Clock()
    progress = Progress(terminal, clock=clock, width=80)
    stage = progress.stage("rendering pages", total=315, unit="pages", past="rendered")
    for _ in range(120):
        clock.now += 1  # slow enough for every step to be drawn
        stage.advance()
    screen = terminal.screen()
    assert len(screen) == 1  # one line, redrawn in place
    assert re.fullmatch(r"rendering pages  █{7}░{13}  120/315 pages", screen[0]), screen
    for _ in range(195):
        stage.advance()
    stage.done()
    assert terminal.screen() == ["rendered 315 pages (2 min 00 s)", ""]


def test_the_terminal_line_is_redrawn_at_most_ten_times_a_second():
    terminal = FakeTerminal()
    clock = Clock()
    progress = Progress(terminal, clock=clock)
    stage = progress.stage("scoring", total=10_000)
    for _ in range(10_000):  # the clock stands still: a burst of work within one tenth of a second
        stage.advance()
    assert progress.redraws == 2  # the first line, then the step that completes the bar
    assert terminal.screen()[-1].endswith("10000/10000")
    stage = progress.stage("simulating", total=None, unit="samples")
    for _ in range(1000):
        clock.now += 0.01  # 1000 steps over 10 s
        stage.advance()
    assert progress.redraws <= 2 + 1 + 10 * 10 + 1
    assert terminal.screen()[-1] == "simulating  1000 samples"


def test_quiet_and_null_progress_write_nothing_and_progress_goes_to_stderr_by_default(capsys):
    log = io.StringIO()
    for progress in (Progress(log, quiet=True), NullProgress()):
        with progress.stage("scoring", total=3) as stage:
            stage.advance(3)
        progress.note("a note")
    assert log.getvalue() == ""
    with Progress(tty=False).stage("checking", unit="files", past="checked") as stage:
        stage.advance(6)
    out, err = capsys.readouterr()
    assert out == "" and err.splitlines()[0] == "checking..." and err.splitlines()[1].startswith("checked 6 files")


def test_a_failed_stage_says_where_it_stopped_and_a_terminal_without_unicode_gets_plain_bars():
    terminal = FakeTerminal()
    terminal.encoding = "ascii"
    clock = Clock()
    progress = Progress(terminal, clock=clock)
    with pytest.raises(RuntimeError), progress.stage("building", total=4, unit="languages") as stage:
        clock.now += 1
        stage.advance()
        assert "#####---------------  1/4 languages" in terminal.screen()[-1]
        raise RuntimeError("disk full")
    assert terminal.screen() == ["building: stopped after 1/4 languages", ""]
    terminal.getvalue().encode("ascii")


# ---------------------------------------------------------------- the score table

LONG = {
    "lomara": ("Federal Republic of Lomara and the Associated Island Territories of the South", None),
    "central": ("Central Highlands Administrative Province of the Interior", "lomara"),
    "dabori": ("Dabori District Police Command and Border Post Network", "central"),
    "abbe": ("Abbe", "central"),
    "coastal": ("Coastal Province", "lomara"),
    "port": ("Port Adra Metropolitan Police Headquarters and Harbour Unit", "coastal"),
    "maritime": ("Maritime Police Unit", None),
}


def long_named_project(tmp_path):
    regions = [
        {"id": rid, "name": name, "tier": "urban", "population": 1000, **({"parent": parent} if parent else {})}
        for rid, (name, parent) in LONG.items()
    ]
    assessed = ["dabori", "abbe", "port", "maritime"]
    values = {f"r1/{rid}": {"A1": 85, "B1": 60 + i} for i, rid in enumerate(assessed)}
    values |= {f"r2/{rid}": {"A1": 90, "B1": 62 + i} for i, rid in enumerate(assessed)}
    values["r2/dabori"]["B1"] = 30
    files = project_files(
        values,
        fw=framework(gates={"critical_floor": {"enabled": True}}),
        indicators=[indicator("A1"), indicator("B1", "B", critical=True)],
        rounds=[("r1", "2026-03-31"), ("r2", "2026-06-30")],
        regions=regions,
    )
    return write_project(tmp_path / "p", files)


def scored(root):
    from readiness.project import load_project
    from readiness.scoring import score_project

    project, found = load_project(root)
    assert not [d for d in found if d.severity.value == "error"], found
    results = score_project(project)
    return project, results


def region_cells(table: str) -> dict[str, tuple[str, str]]:
    """Each region's id -> (the tree lines before its name, its name put back together from wrapped lines)."""
    lines = table.splitlines()
    header = next(i for i, line in enumerate(lines) if line.lstrip().startswith("region"))
    id_at = lines[header].index(" id ") + 1
    level_at = lines[header].index(" level ") + 1
    cells: dict[str, list] = {}
    current = None
    for line in lines[header + 1 :]:
        if not line.strip():
            break
        rid = line[id_at:level_at].strip()
        part = line[2:id_at].rstrip()
        text = part.lstrip("├└│─ ")
        if rid:
            current = rid
            cells[rid] = [part[: len(part) - len(text)], [text]]
        elif text:
            cells[current][1].append(text)
    return {rid: (tree, " ".join(texts)) for rid, (tree, texts) in cells.items()}


def test_the_score_table_nests_regions_with_tree_lines_and_never_cuts_a_name(tmp_path):
    project, results = scored(long_named_project(tmp_path))
    rows = [r for r in results.regions.values() if r.round == "r2"]
    table = score_table(project, results, rows)
    assert table.splitlines()[0] == "R2 (r2, cut-off 2026-06-30)"
    assert "…" not in table
    cells = region_cells(table)
    # depth-first from the top, siblings by name
    assert list(cells) == ["lomara", "central", "abbe", "dabori", "coastal", "port", "maritime"]
    assert {rid: name for rid, (_, name) in cells.items()} == {rid: name for rid, (name, _) in LONG.items()}
    assert {rid: tree for rid, (tree, _) in cells.items()} == {
        "lomara": "",
        "central": "├─ ",
        "abbe": "│  ├─ ",
        "dabori": "│  └─ ",
        "coastal": "└─ ",
        "port": "   └─ ",
        "maritime": "",
    }
    width = max(display_width(line) for line in table.splitlines())
    assert all(display_width(line[2:]) <= width for line in table.splitlines())
    # a wrapped name keeps the tree's lines running down beside it
    lines = table.splitlines()
    first = next(i for i, line in enumerate(lines) if "Central Highlands" in line)
    assert lines[first + 1].startswith("  │  │ ")


def test_the_score_table_names_levels_and_gates(tmp_path):
    project, results = scored(long_named_project(tmp_path))
    rows = [r for r in results.regions.values() if r.round == "r2"]
    table = score_table(project, results, rows)
    line = {rid: next(ln for ln in table.splitlines() if f" {rid} " in ln) for rid in LONG}
    assert "Not ready" in line["dabori"] and "Critical floor: B1" in line["dabori"]
    assert "Partially ready" in line["abbe"] and "-" not in line["abbe"].split("Partially ready")[1].split()[1:2]
    assert "Roll-up: dabori" in line["central"]
    assert re.search(r"\s+-?\d+\.\d\s+[+-]\d+\.\d\s+100%", line["abbe"])
    assert "critical_floor" not in table and "roll_up" not in table


def test_the_score_table_keeps_to_the_terminal_width_by_wrapping_the_why_column(tmp_path):
    project, results = scored(long_named_project(tmp_path))
    rows = [r for r in results.regions.values() if r.region == "dabori"]  # one region, both rounds
    table = score_table(project, results, rows, width=90)
    assert [ln for ln in table.splitlines() if ln and not ln.startswith(" ")] == [
        "R1 (r1, cut-off 2026-03-31)",
        "R2 (r2, cut-off 2026-06-30)",
    ]
    assert all(display_width(line) <= 90 for line in table.splitlines()), table
    assert region_cells(table)["dabori"] == ("", LONG["dabori"][0])  # its parent is not shown: at the top


def test_the_score_table_shows_names_in_the_chosen_language_and_controls_as_text(tmp_path):
    regions = [
        {"id": "north", "name": {"en": "North", "fr": "Nord"}, "tier": "urban", "population": 1},
        {"id": "evil", "name": "Evil\x1b[31m red", "tier": "urban", "population": 1},
    ]
    files = project_files(
        {"r1/north": {"A1": 85, "B1": 60}, "r1/evil": {"A1": 85, "B1": 60}},
        fw=framework(languages=["en", "fr"]),
        regions=regions,
    )
    project, results = scored(write_project(tmp_path / "p", files))
    rows = list(results.regions.values())
    french = score_table(project, results, rows, lang="fr")
    assert "Nord" in french and "72,5" in french and "\x1b" not in french and "Evil\\x1b[31m red" in french
    assert "North" in score_table(project, results, rows)


def test_the_score_table_orders_rounds_by_date_and_marks_a_round_still_being_collected(tmp_path):
    root = long_named_project(tmp_path)
    rounds = root / "assessments" / "rounds.yaml"
    rounds.write_text(
        rounds.read_text(encoding="utf-8").replace("date: '2026-06-30'", "date: '2026-06-30'\n  state: collecting"),
        encoding="utf-8",
    )
    project, results = scored(root)
    if not getattr(project.rounds["r2"], "collecting", False):
        pytest.skip("this version has no round states")
    table = score_table(project, None, list(results.regions.values())[::-1])
    headings = [ln for ln in table.splitlines() if ln and not ln.startswith(" ")]
    assert headings == [
        "R1 (r1, cut-off 2026-03-31)",
        "R2 (r2, cut-off 2026-06-30)  PROVISIONAL: still being collected",
    ]


def test_wrap_keeps_every_character_and_measures_wide_characters():
    assert wrap("a very long name indeed", 8) == ["a very", "long", "name", "indeed"]
    assert wrap("Abcdefghijklmnop", 5) == ["Abcde", "fghij", "klmno", "p"]
    assert wrap("", 5) == [""]
    assert display_width("東京都") == 6 and display_width("Café") == 4 and display_width("e\u0301") == 1
    assert all(display_width(line) <= 7 for line in wrap("東京都 警察 本部 北区 域", 7))
    assert tree_order({}, []) == []


# ---------------------------------------------------------------- `readiness graph --format dot`

NAMES = {
    "Q1": 'Share of "ready" posts',
    "Q2": "Path C:\\new\\table and \\n, \\N, \\G taken literally",
    "Q3": "Trailing backslash \\",
    "Q4": "<b>Bold</b> & more — Côte d’Ivoire",
}


def graph_project(tmp_path):
    from readiness.project import load_project

    indicators = [indicator(i, name=name, **({"requires": ["Q1"]} if i != "Q1" else {})) for i, name in NAMES.items()]
    root = write_project(tmp_path / "g", project_files({"r1/north": {i: 80 for i in NAMES}}, indicators=indicators))
    project, _ = load_project(root)
    return project


def dot_labels(dot: str) -> dict[str, str]:
    """Node -> label, read as Graphviz reads a quoted label: `\\"` a quote, `\\\\` a backslash, `\\n` a line
    break."""
    out = {}
    for node, label in re.findall(r'^\s+"((?:[^"\\]|\\.)*)" \[label="((?:[^"\\]|\\.)*)"', dot, re.MULTILINE):
        out[node] = re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), label)
    return out


def test_dot_labels_hold_the_id_and_the_name_on_two_lines(tmp_path):
    from readiness.graph import neighbourhood, to_dot

    project = graph_project(tmp_path)
    dot = to_dot(project, neighbourhood(project, None))
    assert dot_labels(dot) == {i: f"{i}\n{name}" for i, name in NAMES.items()}
    assert '"Q1" -> "Q2";' in dot


def test_graphviz_renders_each_label_as_written(tmp_path):
    """With Graphviz installed (apt-get install graphviz), each node's box shows its id, then its name, as
    written: no literal `\\n`, quotes and backslashes intact."""
    from readiness.graph import neighbourhood, to_dot

    dot_program = shutil.which("dot")
    if dot_program is None:
        pytest.skip("Graphviz is not installed (apt-get install graphviz); the labels are checked in the DOT text")
    project = graph_project(tmp_path)
    svg = subprocess.run(
        [dot_program, "-Tsvg"],
        input=to_dot(project, neighbourhood(project, None)),
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
        timeout=120,
    ).stdout
    ns = {"svg": "http://www.w3.org/2000/svg"}
    nodes = {}
    for group in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}g"):
        if group.get("class") == "node":
            title = group.find("svg:title", ns).text
            nodes[title] = [t.text for t in group.findall("svg:text", ns)]
    assert nodes == {i: [i, name] for i, name in NAMES.items()}


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-q"]))
