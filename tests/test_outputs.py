"""Nothing destroyed: every output option refuses a path whose loss would cost someone their work.

`readiness build` replaces a whole folder, so it replaces only a folder it built itself (marked with
`.readiness-site`), a new one or an empty one; the project, anything that contains it, its sources, the home
folder and the root are refused, marker or not. Output files never overwrite a project's source.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml

from readiness.outputs import SITE_MARKER
from tests.conftest import REPO, run
from tests.test_site import small_project

FIGURES = {"refusals": 0, "files_watched": 0, "files_lost_or_changed": 0}


@pytest.fixture(scope="module", autouse=True)
def summary():
    """After the module: how many dangerous outputs were refused and how many files were lost, for SECURITY.md."""
    yield
    out = REPO / "build" / "outputs-summary.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"suite": "tests/test_outputs.py", **FIGURES}, indent=1) + "\n", encoding="utf-8")


def snapshot(folder: Path) -> dict[str, bytes]:
    files = {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
    FIGURES["files_watched"] += len(files)
    return files


def same(before: dict[str, bytes], after: dict[str, bytes]) -> bool:
    lost = sum(1 for k, v in before.items() if after.get(k) != v)
    FIGURES["files_lost_or_changed"] += lost
    return lost == 0 and before.keys() == after.keys()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = small_project(tmp_path)
    (root / "site").mkdir()
    (root / "site" / "about.md").write_text("# About\n\nHand-written.\n", encoding="utf-8")
    (root / ".git").mkdir()
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    (tmp_path / "sibling.txt").write_text("a neighbour's work", encoding="utf-8")
    return root


def refused(result, *words: str) -> None:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    text = result.output.lower()
    for word in words:
        assert word in text, result.output
    assert "nothing was written or deleted" in text
    FIGURES["refusals"] += 1


@pytest.mark.parametrize(
    "out,why",
    [
        (".", "project folder itself"),
        ("..", "contains the project"),
        ("site", "sources (site)"),
        ("indicators", "sources (indicators)"),
        ("assessments/r1", "sources (assessments)"),
        ("site/public", "sources (site)"),
        (".git", "sources (.git)"),
    ],
)
def test_build_refuses_the_project_its_parent_and_its_sources(project, monkeypatch, out, why):
    monkeypatch.chdir(project)
    before, around = snapshot(project), snapshot(project.parent)
    refused(run("build", "-p", ".", "--out", out), why)
    assert same(before, snapshot(project)) and same(around, snapshot(project.parent))


def test_build_refuses_the_home_folder(project, tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    (home / "thesis.docx").write_bytes(b"years of work")
    monkeypatch.setenv("HOME", str(home))
    refused(run("build", "-p", str(project), "--out", "~"), "home folder")
    refused(run("build", "-p", str(project), "--out", str(home)), "home folder")
    refused(run("build", "-p", str(project), "--out", str(home.parent)), "contains")
    assert (home / "thesis.docx").read_bytes() == b"years of work"


def test_build_refuses_the_root_of_the_file_system(project):
    refused(run("build", "-p", str(project), "--out", "/"), "root of the file system")


def test_build_refuses_a_link_to_the_project(project, tmp_path):
    link = tmp_path / "link-to-project"
    link.symlink_to(project, target_is_directory=True)
    before = snapshot(project)
    refused(run("build", "-p", str(project), "--out", str(link)), "project folder itself")
    assert same(before, snapshot(project))


def test_build_refuses_a_folder_it_did_not_build(project, tmp_path):
    mine = tmp_path / "reports"
    mine.mkdir()
    (mine / "q3.pdf").write_bytes(b"%PDF")
    refused(run("build", "-p", str(project), "--out", str(mine)), "not built by readiness", SITE_MARKER)
    assert (mine / "q3.pdf").read_bytes() == b"%PDF"
    afile = tmp_path / "notes.txt"
    afile.write_text("x", encoding="utf-8")
    result = run("build", "-p", str(project), "--out", str(afile))
    assert result.exit_code in (1, 2) and "is a file" in result.output
    assert afile.read_text(encoding="utf-8") == "x"


def test_build_writes_a_new_or_empty_folder_marks_it_and_replaces_only_what_it_built(project, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run("build", "-p", str(project), "--out", str(empty)).exit_code == 0
    assert (empty / SITE_MARKER).is_file() and (empty / "index.html").is_file()
    (empty / "stale.html").write_text("from an earlier build", encoding="utf-8")
    assert run("build", "-p", str(project), "--out", str(empty)).exit_code == 0  # its own site: replaced whole
    assert not (empty / "stale.html").exists() and (empty / SITE_MARKER).is_file()
    default = run("build", "-p", str(project))
    assert default.exit_code == 0, default.output
    assert (project / "build" / "site" / SITE_MARKER).is_file()


def test_a_marker_planted_in_the_project_does_not_make_it_replaceable(project, monkeypatch):
    (project / SITE_MARKER).write_text("planted", encoding="utf-8")
    monkeypatch.chdir(project)
    before = snapshot(project)
    refused(run("build", "-p", ".", "--out", "."), "project folder itself")
    assert same(before, snapshot(project))


def test_output_files_never_overwrite_a_source(project):
    framework = project / "indicators" / "framework.yaml"
    before = snapshot(project)
    refused(run("score", "-p", str(project), "--out", str(framework)), "sources (indicators)")
    refused(run("check", str(project), "-o", str(project / "mkdocs.yml")), "sources (mkdocs.yml)")
    refused(run("check", str(project), "-o", str(project / "assessments" / "r1" / "north.yaml")), "sources")
    refused(run("export", "-p", str(project), "--out", str(project / "assessments")), "sources (assessments)")
    assert same(before, snapshot(project))
    assert run("check", str(project), "-o", str(project / "report.txt")).exit_code == 0


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX only")
def test_the_swap_checks_again_under_its_lock(project, tmp_path, monkeypatch):
    """A folder filled by someone else between the first check and the swap is not replaced."""
    import readiness.site as site

    out = tmp_path / "late"
    real_build_html = site.build_html

    def fill_then_build(config, *args):
        out.mkdir(exist_ok=True)
        (out / "someone-else.txt").write_text("arrived during the build", encoding="utf-8")
        real_build_html(config, *args)

    monkeypatch.setattr(site, "build_html", fill_then_build)
    result = run("build", "-p", str(project), "--out", str(out))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert (out / "someone-else.txt").read_text(encoding="utf-8") == "arrived during the build"


# ---------------------------------------------------------------- links and full disks (second audit)


def link_to_victim(at: Path, victim: Path) -> None:
    """What a pull request can commit: a file of an output's name that is a link to a file the CI user may
    write (the audit pointed it at the `readiness` script, and the next run executed the report as shell)."""
    at.parent.mkdir(parents=True, exist_ok=True)
    at.symlink_to(victim)


@pytest.mark.parametrize(
    "command,name",
    [
        (("check", "--format", "sarif", "-o"), "readiness.sarif"),
        (("check", "--format", "junit", "-o"), "readiness-junit.xml"),
        (("score", "--out"), "results.json"),
        (("template", "--round", "r1", "-o"), "collection.xlsx"),
    ],
)
def test_an_output_is_never_written_through_a_link_at_its_name(project, tmp_path, command, name):
    victim = tmp_path / "victim.sh"
    victim.write_text("#!/bin/sh\necho the CI user's own script\n", encoding="utf-8")
    out = project / name
    link_to_victim(out, victim)
    result = run(command[0], "-p", str(project), *command[1:], str(out))
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output
    assert victim.read_text(encoding="utf-8") == "#!/bin/sh\necho the CI user's own script\n"
    assert not out.is_symlink() and out.is_file() and out.stat().st_size > 0  # the link itself was replaced
    assert [p.name for p in project.glob(f".{name}*")] == []  # no temporary file left beside it


def test_files_written_into_a_folder_replace_links_there_too(project, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    folder = tmp_path / "export"
    for name in ("observations.csv", "readiness-export.json"):
        link_to_victim(folder / name, victim)
    assert run("export", "-p", str(project), "--out", str(folder)).exit_code == 0
    assert run("export", "-p", str(project), "--out", str(folder), "--format", "json").exit_code == 0
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert not (folder / "observations.csv").is_symlink() and (folder / "observations.csv").stat().st_size > 0


def _full_disk() -> None:  # runs in the child: every file may grow to 2 KB, as on a nearly full disk
    import resource
    import signal

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG, as ENOSPC would
    resource.setrlimit(resource.RLIMIT_FSIZE, (2048, 2048))


@pytest.mark.parametrize(
    "args",
    [
        ("export", "--format", "xlsx", "--out", "{out}"),
        ("export", "--format", "json", "--out", "{out}"),
        ("template", "--round", "r1", "-o", "{out}/collection.xlsx"),
        ("check", "--format", "sarif", "-o", "{out}/readiness.sarif"),
    ],
)
def test_a_full_disk_is_a_clear_error_and_leaves_no_empty_file(project, tmp_path, args):
    import subprocess
    import sys

    out = tmp_path / "out"
    out.mkdir()
    (out / "observations.csv").write_text("the previous export\n", encoding="utf-8")
    before = snapshot(out)
    big = "x" * 4096  # a note longer than the disk has room for, so every output file is too large
    assessment = project / "assessments" / "r1" / "north.yaml"
    data = yaml.safe_load(assessment.read_text(encoding="utf-8"))
    data["narrative"] = big
    assessment.write_text(yaml.safe_dump(data), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "readiness", *(a.format(out=out) for a in args), "-p", str(project)],
        capture_output=True,
        text=True,
        preexec_fn=_full_disk,
        timeout=300,
        check=False,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr and "cannot" in done.stderr, done.stderr
    assert same(before, snapshot(out)), "a file of the folder was lost, changed, or left empty or half written"
