"""`readiness serve`: a live preview that regenerates when an assessment changes."""

from __future__ import annotations

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
