"""Faults: an interrupted build or import loses nothing; two builds at once; a read-only output folder."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import readiness.authoring.importing as importing
import readiness.render
import readiness.site as site
from tests.conftest import run
from tests.test_authoring import SEEN, next_round, spreadsheet_rows, write_csv
from tests.test_site import small_project


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


STAGES = [
    (readiness.render.Renderer, "render"),
    (site, "write_docs"),
    (site, "mkdocs_config"),
    (site, "build_html"),
    (site, "verify"),
]


@pytest.mark.parametrize("owner,name", STAGES, ids=[name for _, name in STAGES])
def test_a_build_interrupted_at_any_stage_keeps_sources_and_the_previous_site(tmp_path, monkeypatch, owner, name):
    root = small_project(tmp_path)
    out = tmp_path / "site"
    assert run("build", "-p", str(root), "--out", str(out)).exit_code == 0
    before_site, before_sources = snapshot(out), snapshot(root)

    def fail(*_args, **_kwargs):
        raise RuntimeError(f"simulated failure in {name}")

    monkeypatch.setattr(owner, name, fail)
    result = run("build", "-p", str(root), "--out", str(out))
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert snapshot(out) == before_site
    assert snapshot(root) == before_sources
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site-build-")]


def test_a_killed_build_leaves_work_that_the_next_build_removes(tmp_path):
    """A build killed with SIGKILL cannot clean up: its `.site-build-<pid>-…` folder stays until the next build
    into the same place, which removes it (and keeps the folder of a build still running)."""
    import signal

    root = small_project(tmp_path)
    out = tmp_path / "site"
    command = [sys.executable, "-m", "readiness", "build", "-p", str(root), "--out", str(out)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not list(tmp_path.glob(".site-build-*")) and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    left = list(tmp_path.glob(".site-build-*"))
    assert left, "the build was not caught while it ran (the machine was too quick or too slow): no work folder"
    alive = tmp_path / f".site-build-{os.getpid()}-running"  # a build of this very process, still at work
    alive.mkdir()
    assert run("build", "-p", str(root), "--out", str(out)).exit_code == 0
    assert [p.name for p in tmp_path.glob(".site-build-*")] == [alive.name]


def test_a_swap_interrupted_between_its_renames_is_recovered(tmp_path):
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("old", encoding="utf-8")
    old = tmp_path / ".site-old-999"
    out.rename(old)  # as if the process died right after moving the old site aside
    site.recover(out)
    assert (out / "index.html").read_text(encoding="utf-8") == "old" and not old.exists()


def test_two_builds_at_once_leave_one_whole_site(tmp_path):
    root = small_project(tmp_path)
    out = tmp_path / "site"
    command = [sys.executable, "-m", "readiness", "build", "-p", str(root), "--out", str(out)]
    processes = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT) for _ in range(2)]
    results = [p.wait(timeout=300) for p in processes]
    assert results == [0, 0]
    assert (out / "index.html").is_file() and (out / "regions" / "north.html").is_file()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith((".site-old-", ".site-build-"))]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only folders")
def test_a_read_only_output_folder_gives_a_clear_error(tmp_path):  # pragma: no cover - CI runs as root
    root = small_project(tmp_path)
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    result = run("build", "-p", str(root), "--out", str(locked / "site"))
    assert result.exit_code == 1 and "cannot write" in result.output


def test_an_output_folder_that_cannot_be_written_gives_a_clear_error(tmp_path):
    root = small_project(tmp_path)
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = run("build", "-p", str(root), "--out", str(blocker / "site"))
    assert result.exit_code == 1 and "cannot write the site" in result.output and "Traceback" not in result.output


def test_results_that_cannot_be_written_give_a_clear_error_and_keep_the_old_file(tmp_path):
    root = small_project(tmp_path)
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = run("score", "-p", str(root), "--out", str(blocker / "results.json"))
    assert result.exit_code == 1 and "cannot write" in result.output and "--out" in result.output
    assert "internal error" not in result.output and "Traceback" not in result.output
    assert blocker.read_text(encoding="utf-8") == "not a folder"


@pytest.mark.parametrize("command", [["check", "-o"], ["export", "--out"]])
def test_an_output_path_that_cannot_be_written_is_named_not_reported_as_a_bug(tmp_path, command):
    root = small_project(tmp_path)
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = run(command[0], "-p", str(root), command[1], str(blocker / "out"))
    assert result.exit_code == 1, result.output
    assert "cannot use" in result.output and str(blocker) in result.output
    assert "internal error" not in result.output and "Traceback" not in result.output


def test_an_import_interrupted_while_writing_puts_every_file_back(tmp_path, monkeypatch):
    project = tmp_path / "mission"
    run("init", str(project))
    round_id, cutoff = next_round()
    run("new-round", round_id, "--date", cutoff, "--project", str(project))
    before = snapshot(project)
    calls = {"n": 0}
    real_replace = Path.replace

    def flaky_replace(self, target):
        calls["n"] += 1
        if calls["n"] == 2:  # the second file's rename fails, after the first one went through
            raise OSError("disk full")
        return real_replace(self, target)

    monkeypatch.setattr(Path, "replace", flaky_replace)
    sheet = write_csv(tmp_path / "round.csv", spreadsheet_rows(project))
    loaded, today = _project(project)
    plan = importing.import_table(loaded, sheet, round_id, today)
    assert len(plan.texts) >= 2
    with pytest.raises(OSError):
        importing.write_plan(plan)
    assert snapshot(project) == before
    assert SEEN


def _project(root: Path):
    from readiness.project import load_project

    project, _ = load_project(root)
    from datetime import date

    return project, date.today()


def test_sources_are_never_written_by_check_score_or_build(tmp_path):
    root = small_project(tmp_path)
    before = snapshot(root)
    for args in (
        ["check", str(root)],
        ["score", "-p", str(root), "--out", str(tmp_path / "r.json")],
        ["build", "-p", str(root), "--out", str(tmp_path / "site")],
    ):
        assert run(*args).exit_code == 0
    assert snapshot(root) == before
