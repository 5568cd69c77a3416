"""What a build holds in memory while it makes pages: the view keeps only the assessments the pages read."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import REPO

#: Run in a fresh interpreter: the example's English site made from a view that kept every assessment and from one
#: that let go of those no page reads, and the assessments still alive once the project is let go of.
_BOTH_WAYS = """
import gc, json, sys
from pathlib import Path
from readiness.model import Assessment
from readiness.pipeline import site_view
from readiness.project import load_project
from readiness.site import build_html, prepare

def alive():
    gc.unfreeze()
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, Assessment))

root, out = Path(sys.argv[1]), Path(sys.argv[2])
whole, _ = load_project(root)
loaded = whole.published()
everything = alive()
sites, counts = {}, {}
for let_go in (False, True):
    view = site_view(loaded, "internal")
    if let_go:
        del whole, loaded
        view.let_go_of_unshown_assessments()
        counts = {"loaded": everything, "kept": len(view.project.assessments), "alive": alive()}
    config = prepare(root, out / str(let_go), view, "en", ["en"])
    build_html(config, 1)
    site = config.parent / "site"
    sites[let_go] = {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}
    try:
        view.assessment("2025-q4", "dabori")
        counts["asked"] = "answered"
    except RuntimeError as exc:
        counts["asked"] = str(exc)
print(json.dumps({
    "files": len(sites[False]),
    "same": sites[False].keys() == sites[True].keys(),
    "differ": [k for k in sites[False] if sites[False][k] != sites[True].get(k)],
    **counts,
}))
"""


@pytest.mark.slow
def test_a_view_that_let_go_of_the_earlier_rounds_assessments_makes_the_same_site(tmp_path):
    """`readiness build` lets the view keep only the assessments its pages read (each region's in its last round
    with a result, and the latest round's), so a large project's earlier rounds are not held, nor copied by the
    forked workers, while the pages are made. The example's site is the same byte for byte either way, the
    assessments let go of are freed (not held elsewhere), and asking for one is an error, not a gap."""
    done = subprocess.run(
        [sys.executable, "-c", _BOTH_WAYS, str(REPO), str(tmp_path)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    found = json.loads(done.stdout)
    assert found["files"] > 100 and found["same"] and found["differ"] == [], found
    assert found["kept"] < found["loaded"] / 2, found  # the example: four rounds, most regions in each
    assert found["alive"] == found["kept"], found
    assert "was let go" in found["asked"], found
