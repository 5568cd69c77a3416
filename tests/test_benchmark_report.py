"""benchmarks/report.py writes the README's figures from the results run.py wrote, before and after, and the
committed README is exactly what it writes from the committed results (so it cannot drift or be edited by hand).
Nothing here measures anything: the results are made up, or the committed ones."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

BENCHMARKS = REPO / "benchmarks"
MACHINE = {"python": "3.11.7", "system": "Linux-test-x86_64", "cpus": 2}


@pytest.fixture
def run(monkeypatch):
    """benchmarks/run.py as a module (with benchmarks/ on the path, as when it runs as a script)."""
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    import run as module

    return module


def report(size: str, check: float, floor: float, build: float, site: float, pss: float) -> dict[str, object]:
    """A report of one size as run.py writes it, with the figures given."""

    def step(seconds: float, peak: float, pss_mb: float = 0.0) -> dict[str, object]:
        return {"seconds": seconds, "peak_mb": peak, "pss_mb": pss_mb, "runs": [seconds]}

    ratios = {"check / floor": round(check / floor, 3), "build / site floor": round(build / site, 3)}
    return {
        "size": size,
        "regions": 300,
        "indicators": 40,
        "rounds": 8,
        "yaml_files": 2363,
        "measures": {
            "floor": step(floor, 15.0, 10.0),
            "check": step(check, 300.0, 290.0),
            "build": step(build, 700.0, pss),
            "site floor": step(site, 245.0, 200.0),
        },
        "ratios": ratios,
        "targets_met": {},
        "serve": None,
        "memory_target_met": True,
    }


def results(day: str, command: str, *reports: dict[str, object]) -> dict[str, object]:
    return {"date": day, "machine": MACHINE, "repeat": 1, "command": command, "reports": list(reports)}


def write_json(path: Path, payload: dict[str, object]) -> None:
    path.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")


def write_report(folder: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(BENCHMARKS / "report.py"), "--results-dir", str(folder), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def figures(tmp_path, run):
    """A folder with results-M.json written twice as run.py writes it (the first run kept as before), and a
    results-S.json with no before."""
    folder = tmp_path / "results"
    folder.mkdir()
    path = folder / "results-M.json"
    first = results(
        "2026-01-10", "python benchmarks/run.py --size M --repeat 1 --first", report("M", 6.0, 4.0, 40.0, 30.0, 1600.0)
    )
    write_json(path, run.with_before(first, run.previous_results(path)))
    second = results(
        "2026-02-20", "python benchmarks/run.py --size M --repeat 1 --second", report("M", 3.6, 4.0, 33.0, 30.0, 700.0)
    )
    write_json(path, run.with_before(second, run.previous_results(path)))
    write_json(
        folder / "results-S.json",
        results("2026-02-21", "python benchmarks/run.py --size S", report("S", 0.5, 0.4, 5.0, 4.0, 200.0)),
    )
    return folder


def test_run_keeps_the_previous_figures_as_before_one_level_only(tmp_path, run):
    path = tmp_path / "results-M.json"
    payloads = [results(f"2026-0{i}-01", f"run {i}", report("M", 5.0 + i, 4.0, 40.0, 30.0, 700.0)) for i in (1, 2, 3)]
    for payload in payloads:
        write_json(path, run.with_before(payload, run.previous_results(path)))
    written = json.loads(path.read_text(encoding="utf-8"))
    assert written["command"] == "run 3" and written["before"]["command"] == "run 2"
    assert written["before"]["date"] == "2026-02-01" and written["before"]["machine"] == MACHINE
    assert written["before"]["reports"] == payloads[1]["reports"] and "before" not in written["before"]


def test_each_size_shows_its_machine_date_command_and_figures_before_and_after(tmp_path, figures):
    out = tmp_path / "README.md"
    done = write_report(figures, out)
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    m = text[text.index("### M: 300 regions") : text.index("<!-- end of the part")]
    # what was run, where and when, before and after
    assert "| date | 2026-01-10 | 2026-02-20 |" in m
    first, second = (
        "python benchmarks/run.py --size M --repeat 1 --first",
        "python benchmarks/run.py --size M --repeat 1 --second",
    )
    assert f"| command | `{first}` | `{second}` |" in m
    assert "Python 3.11.7, Linux-test-x86_64, 2 CPUs" in m
    # each step's seconds before and after, and the change
    assert "| check | 6.00 | 3.60 | -40% |" in m
    assert "| build | 40.00 | 33.00 | -18% |" in m
    # the ratios against run.TARGETS, with met or missed, before and after
    assert "| check / floor | <= 1.0 | 1.50 missed | 0.90 met |" in m
    assert "| build / site floor | <= 1.3 | 1.33 missed | 1.10 met |" in m
    assert "| peak memory of build, all processes by PSS | < 1,536 MB | 1,600 MB missed | 700 MB met |" in m
    # the summary: the latest first, the one before it in brackets; S has no before and says so
    assert "| check / floor | <= 1.0 | 1.25 missed | 0.90 met (before 1.50 missed) |" in text
    s = text[text.index("### S: ") :]
    assert "no earlier figures" in s and "| date | 2026-02-21 |" in s and "`python benchmarks/run.py --size S`" in s
    assert "| check / floor | <= 1.0 | 1.25 missed |" in s
    assert "No figures here yet for L" in text
    # sizes in order S, M, L, the summary first
    assert text.index("## Latest figures") < text.index("### S: ") < text.index("### M: ")


def test_the_same_results_give_the_same_readme_and_the_hand_written_text_is_kept(tmp_path, figures):
    out = tmp_path / "README.md"
    assert write_report(figures, out).returncode == 0
    first = out.read_bytes()
    assert write_report(figures, out).returncode == 0
    assert out.read_bytes() == first
    # text around the markers is the maintainer's, kept as written
    text = first.decode("utf-8")
    out.write_text(
        "# Title\n\nWritten by hand.\n\n" + text.split("\n\n", 1)[1] + "\n## Notes\n\nKept.\n", encoding="utf-8"
    )
    assert write_report(figures, out).returncode == 0
    again = out.read_text(encoding="utf-8")
    assert again.startswith("# Title\n\nWritten by hand.\n\n<!-- generated by benchmarks/report.py")
    assert again.endswith("<!-- end of the part generated by benchmarks/report.py -->\n\n## Notes\n\nKept.\n")
    assert write_report(figures, out).returncode == 0 and out.read_text(encoding="utf-8") == again


def test_a_readme_without_the_markers_is_not_overwritten(tmp_path, figures):
    out = tmp_path / "README.md"
    out.write_text("# Written by hand, no markers\n", encoding="utf-8")
    done = write_report(figures, out)
    assert done.returncode == 2 and "marker" in done.stderr
    assert out.read_text(encoding="utf-8") == "# Written by hand, no markers\n"


def test_run_writes_the_readme_only_for_results_written_in_benchmarks(tmp_path, run, monkeypatch):
    """run.py's main, its measuring replaced by made-up figures: written in its own folder (here a copy), the
    README follows and the previous figures become before; written elsewhere (as CI does), the README is left."""
    here = tmp_path / "benchmarks"
    here.mkdir()
    shutil.copy(BENCHMARKS / "README.md", here / "README.md")
    monkeypatch.setattr(run, "HERE", here)
    checks = iter([6.0, 3.6, 0.5])
    monkeypatch.setattr(run, "bench", lambda size, *_: report(size, next(checks), 4.0, 40.0, 30.0, 700.0))
    for _ in range(2):
        monkeypatch.setattr(sys, "argv", ["run.py", "--size", "M", "--repeat", "1"])
        assert run.main() == 0
    written = json.loads((here / "results-M.json").read_text(encoding="utf-8"))
    assert written["reports"][0]["measures"]["check"]["seconds"] == 3.6
    assert written["before"]["reports"][0]["measures"]["check"]["seconds"] == 6.0
    readme = (here / "README.md").read_text(encoding="utf-8")
    assert "| check | 6.00 | 3.60 | -40% |" in readme and "## The scripts" in readme
    # CI's run: --out elsewhere; the README stays as it was
    elsewhere = tmp_path / "build" / "benchmark-S.json"
    elsewhere.parent.mkdir()
    monkeypatch.setattr(sys, "argv", ["run.py", "--size", "S", "--repeat", "1", "--out", str(elsewhere)])
    assert run.main() == 0
    assert (here / "README.md").read_text(encoding="utf-8") == readme and elsewhere.exists()


def test_the_committed_readme_is_what_report_writes_from_the_committed_results(tmp_path):
    """benchmarks/README.md's figures are never edited by hand: written again from the committed JSON, it is the
    same byte for byte. If this fails, run `python benchmarks/report.py` and commit the README it writes."""
    out = tmp_path / "README.md"
    shutil.copy(BENCHMARKS / "README.md", out)
    done = write_report(BENCHMARKS, out)
    assert done.returncode == 0, done.stderr
    assert out.read_bytes() == (BENCHMARKS / "README.md").read_bytes()
