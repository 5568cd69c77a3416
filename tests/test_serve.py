"""`readiness serve`: a live preview that regenerates when an assessment changes."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.request

from tests.test_site import small_project


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def wait_for(url: str, text: str, seconds: float = 40) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        page = fetch(url)
        if page is not None and text in page:
            return page
        time.sleep(0.3)
    raise AssertionError(f"{text!r} did not appear at {url} within {seconds} s")


def test_serve_regenerates_a_region_page_when_its_assessment_changes(tmp_path):
    root = small_project(tmp_path, narrative="First visit: all stations open.")
    settle(root)  # written a while ago, as a team's files are: serve's cache keeps only files not just written
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "readiness", "serve", str(root), "--dev-addr",
                                f"127.0.0.1:{port}"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url = f"http://127.0.0.1:{port}/regions/north.html"
        page = wait_for(url, "First visit: all stations open.")
        assert "livereload" in page  # the browser is told to reload when pages change
        assessment = root / "assessments" / "r1" / "north.yaml"
        assessment.write_text(assessment.read_text(encoding="utf-8").replace(
            "First visit: all stations open.", "Second visit: the northern post has reopened."), encoding="utf-8")
        wait_for(url, "Second visit: the northern post has reopened.")
        # a broken edit keeps the last good pages and says why in the terminal
        assessment.write_text(assessment.read_text(encoding="utf-8").replace("value: 85", "value: 185"),
                              encoding="utf-8")
        time.sleep(2)
        assert "Second visit" in (fetch(url) or "")
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=20)
    assert "O002" in output and "keeping the last good pages" in output
    # the check is reported at once after each edit, which re-read the one file it touched
    files = len([p for p in root.rglob("*.yaml") if "build" not in p.parts])
    assert re.search(rf"checked \d+ files in [\d.]+ s \(1 read, {files - 1} unchanged\): 0 errors", output), output
    assert re.search(rf"checked \d+ files in [\d.]+ s \(1 read, {files - 1} unchanged\): 1 error\b", output), output


def settle(*paths):
    """Date files a minute back, as if written before this session started (a file written a moment ago is
    read again on every load, by design)."""
    import os

    past = time.time() - 60
    for path in paths:
        for each in [path, *path.rglob("*")] if path.is_dir() else [path]:
            os.utime(each, (past, past))


def test_a_second_load_reads_only_the_files_that_changed(tmp_path):
    """The file cache behind `readiness serve`: an edited file is read again (and its edit seen), a deleted file
    is forgotten, a new one is read, and everything else is reused."""
    from readiness.project import FileCache, load_project

    root = small_project(tmp_path, narrative="First visit.")
    settle(root)
    cache = FileCache()
    project, _ = load_project(root, cache)
    files = len(project.files)
    assert (cache.read, cache.reused) == (files, 0)
    project, _ = load_project(root, cache)
    assert (cache.read, cache.reused) == (0, files)

    north = root / "assessments" / "r1" / "north.yaml"
    north.write_text(north.read_text(encoding="utf-8").replace("First visit.", "Second visit."), encoding="utf-8")
    project, _ = load_project(root, cache)
    assert (cache.read, cache.reused) == (1, files - 1)
    assert "Second visit." in str(project.assessments[("r1", "north")].narrative)
    # written a moment ago: not kept, since a second write in the same clock tick could leave the same stamp
    project, _ = load_project(root, cache)
    assert (cache.read, cache.reused) == (1, files - 1)
    settle(north)
    load_project(root, cache)
    project, _ = load_project(root, cache)
    assert (cache.read, cache.reused) == (0, files)

    # same size, new content: read again all the same
    north.write_text(north.read_text(encoding="utf-8").replace("Second visit.", "Third visit.."), encoding="utf-8")
    project, _ = load_project(root, cache)
    assert cache.read == 1 and "Third visit.." in str(project.assessments[("r1", "north")].narrative)
    settle(north)
    load_project(root, cache)

    b1 = root / "indicators" / "B1.yaml"
    text = b1.read_text(encoding="utf-8")
    b1.unlink()
    project, found = load_project(root, cache)
    assert "B1" not in project.indicators and (cache.read, cache.reused) == (0, files - 1)
    b1.write_text(text, encoding="utf-8")
    settle(b1)
    project, found = load_project(root, cache)
    assert "B1" in project.indicators and (cache.read, cache.reused) == (1, files - 1)
    fresh, fresh_found = load_project(root)
    assert sorted(project.indicators) == sorted(fresh.indicators) and found == fresh_found
