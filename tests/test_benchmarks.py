"""The benchmark scripts run: `compare.py` times this checkout against a commit in the same run."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow  # generates a project and runs readiness several times


def test_compare_times_this_checkout_against_a_commit(tmp_path):
    if not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    out = tmp_path / "compare.json"
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "compare.py"), "--against", "HEAD", "--size", "S"]
        + ["--repeat", "1", "--steps", "check", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(out.read_text(encoding="utf-8"))
    head = subprocess.run(["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True, text=True).stdout
    assert report["against"] == head.strip() and report["shape"] == {"regions": 50, "indicators": 40, "rounds": 4}
    check = report["steps"]["check"]
    assert check["before"]["seconds"] > 0 and check["now"]["seconds"] > 0 and check["now / before"] > 0
    assert "check" in done.stdout and str(out) in done.stdout
    # the temporary worktree is gone again
    listed = subprocess.run(["git", "-C", str(REPO), "worktree", "list"], capture_output=True, text=True).stdout
    assert "readiness-compare-" not in listed


def test_compare_refuses_an_unknown_step():
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "compare.py"), "--against", "HEAD", "--steps", "serve"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2 and "unknown step 'serve'" in done.stderr


@pytest.mark.parametrize(("size", "seeds"), [("S", (0, 1, 2, 3, 4)), ("M", (0, 7)), ("L", (0,))])
def test_the_generator_writes_projects_that_pass_every_rule(tmp_path, size, seeds):
    """A benchmark that cannot check its project measures nothing: every size, with several seeds, passes
    `readiness check --strict` (every rule, warnings too), so a new rule cannot break the benchmark unseen."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        from run import SIZES
    finally:
        sys.path.pop(0)
    regions, indicators, rounds = SIZES[size]
    for seed in seeds:
        out = tmp_path / f"{size}-{seed}"
        subprocess.run(
            [sys.executable, str(REPO / "benchmarks" / "generate.py"), "--regions", str(regions)]
            + ["--indicators", str(indicators), "--rounds", str(rounds), "--seed", str(seed), "--out", str(out)],
            check=True,
            capture_output=True,
        )
        done = subprocess.run(
            [sys.executable, "-m", "readiness", "check", "-p", str(out), "--strict"],
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, (size, seed, done.stdout[-3000:])
