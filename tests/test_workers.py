"""Work shared out between forked processes (readiness.workers): the same results, in the same order, as done in
one process; a task's failure reaches the caller; nothing is left running."""

from __future__ import annotations

import functools
import multiprocessing
import os
import threading

import pytest

from readiness.workers import Pending, can_fork, forked_map


def _square(x: int) -> tuple[int, int]:
    return x * x, os.getpid()


def _fails(x: int) -> int:
    raise ValueError(f"task {x} failed")


def test_tasks_give_their_results_in_order_whether_forked_or_not():
    tasks = [functools.partial(_square, i) for i in range(7)]
    with Pending(tasks, 2) as pending:
        forked = pending.results()
    with Pending(tasks, 1) as pending:
        here = pending.results()
    assert [r for r, _ in forked] == [r for r, _ in here] == [i * i for i in range(7)]
    assert {pid for _, pid in here} == {os.getpid()}
    if can_fork(2):
        assert os.getpid() not in {pid for _, pid in forked}  # done by the workers
    assert multiprocessing.active_children() == []


def test_a_failing_task_is_raised_to_the_caller_and_stops_the_workers():
    tasks = [functools.partial(_square, 1), functools.partial(_fails, 2)]
    with pytest.raises(ValueError, match="task 2 failed"), Pending(tasks, 2) as pending:
        pending.results()
    assert multiprocessing.active_children() == []


def test_a_map_keeps_the_order_and_can_be_left_early():
    items = list(range(100))
    assert [r for r, _ in forked_map(_square, items, 2)] == [i * i for i in items]
    seen = []
    for result, _ in forked_map(_square, items, 2, chunksize=4):
        seen.append(result)
        if result == 25:
            break
    assert seen == [0, 1, 4, 9, 16, 25]
    assert multiprocessing.active_children() == []


def test_no_fork_while_another_thread_runs():
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not can_fork(2)
        assert [r for r, _ in forked_map(_square, list(range(40)), 2)] == [i * i for i in range(40)]
    finally:
        stop.set()
        thread.join()
    assert not can_fork(1)


def test_one_task_is_done_here():
    with Pending([functools.partial(_square, 3)], 2) as pending:  # one task alone: `Background` forks it
        assert pending.results()[0][1] == os.getpid()
    assert multiprocessing.active_children() == []


#: Run in a fresh interpreter: a test process may hold a thread of its own (Playwright's child watcher, once a
#: browser test ran in it), and forking is then refused, so both builds would be made in one process.
_BOTH_WAYS = """
import sys, threading
from pathlib import Path
from readiness.pipeline import site_view
from readiness.project import load_project
from readiness.site import build_html, prepare
from readiness.workers import can_fork

root, out = Path(sys.argv[1]), Path(sys.argv[2])
assert can_fork(2), threading.enumerate()
project, _ = load_project(root)
view = site_view(project, "internal")
sites = {}
for workers in (1, 2):
    config = prepare(root, out / str(workers), view, "en", ["en"])
    build_html(config, workers)
    site = config.parent / "site"
    sites[workers] = {p.relative_to(site): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}
assert len(sites[1]) > 100, len(sites[1])
assert sites[1].keys() == sites[2].keys()
print([str(k) for k in sites[1] if sites[1][k] != sites[2][k]])
"""


def test_mkdocs_pages_converted_half_in_a_worker_give_the_same_site_byte_for_byte(tmp_path):
    """The site of one language, its Markdown converted half in a forked worker (`site._shared_rendering`) and
    all in one process: the same files with the same bytes."""
    import subprocess
    import sys

    from tests.conftest import REPO

    done = subprocess.run(
        [sys.executable, "-c", _BOTH_WAYS, str(REPO), str(tmp_path)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "[]"


def test_a_background_task_runs_in_a_child_without_a_thread_here_and_gives_its_outcome():
    from readiness.workers import Background

    threads = threading.active_count()
    with Background(functools.partial(_square, 5), 2) as task:
        assert threading.active_count() == threads  # the caller may still fork workers of its own
        value, pid = task.result()
    assert value == 25
    if can_fork(2):
        assert pid != os.getpid()
    with pytest.raises(ValueError, match="task 3 failed"), Background(functools.partial(_fails, 3), 2) as task:
        task.result()
    with Background(functools.partial(_square, 5), 1) as task:  # one worker: done here, at once
        assert task.result()[1] == os.getpid()


#: Run in a fresh interpreter, where forking is allowed (see _BOTH_WAYS): a task that would sleep a minute, left.
_LEFT_RUNNING = """
import os, time
from readiness.workers import Background, can_fork

assert can_fork(2)
started = time.monotonic()
with Background(lambda: time.sleep(60), 2) as task:
    pid = task._pid
assert pid is not None and time.monotonic() - started < 30
try:
    os.waitpid(pid, os.WNOHANG)
except ChildProcessError:
    print("reaped")
"""


def test_a_background_task_left_running_is_stopped():
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", _LEFT_RUNNING], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "reaped"


#: Run in a fresh interpreter, where forking is allowed (see _BOTH_WAYS): the project's diagnostics checked in one
#: process and with the rules that run apart in a forked child, and the process each rule was checked in.
_RULES_APART = """
import dataclasses, json, os, sys, threading
from pathlib import Path
from readiness.checks import check_project
from readiness.project import load_project
from readiness.rules import ALL, runner
from readiness.workers import can_fork

assert can_fork(2), threading.enumerate()
runner.APART_FROM = 0  # a small project, shared out as a large one is
seen = Path(sys.argv[2])
for rule in ALL:
    def watched(self, ctx, _check=type(rule).check):
        with seen.open("a", encoding="utf-8") as out:
            out.write(f"{self.code} {os.getpid()}\\n")
        return _check(self, ctx)
    type(rule).check = watched
project, _ = load_project(Path(sys.argv[1]))
found = {}
for workers in (1, 2):
    seen.write_text("", encoding="utf-8")
    found[workers] = [dataclasses.asdict(d) for d in check_project(project, workers=workers)]
    pids = dict(line.split() for line in seen.read_text(encoding="utf-8").splitlines())
    found[f"pids {workers}"] = {code: pid == str(os.getpid()) for code, pid in pids.items()}
print(json.dumps(found, default=str))
"""


def test_the_rules_checked_apart_in_a_child_give_the_same_diagnostics_in_the_same_order(tmp_path):
    """`check` shares its rules out: those that run `apart` (every public text walked, every date walked) in a
    forked child, the others here. A project with findings of both kinds (a hidden name in a public evidence
    reference: A003; an assessment dated in another century: S004; and those that follow from them) gives the
    same diagnostics in the same order either way, and the rules apart really ran in the child."""
    import json
    import subprocess
    import sys

    from readiness.rules import ALL
    from tests.conftest import write_project
    from tests.test_handover_site import mission_files

    files = mission_files()
    assessment = next(v for k, v in files.items() if k.startswith("assessments/") and "sign_off" in v)
    assessment["sign_off"][0].update(party="gov", name="Insp. Awa Lemba", role="Provincial commander")
    observation = next(o for o in assessment["observations"].values() if isinstance(o, dict) and o.get("evidence"))
    observation["evidence"][0]["reference"] = "Station log countersigned by Insp. Awa Lemba"
    observation["evidence"][0]["date"] = "1890-01-01"
    root = write_project(tmp_path / "p", files)
    done = subprocess.run(
        [sys.executable, "-c", _RULES_APART, str(root), str(tmp_path / "seen.txt")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    found = json.loads(done.stdout)
    codes = [d["code"] for d in found["1"]]
    assert "A003" in codes and "S004" in codes, codes
    assert found["1"] == found["2"]
    apart = {r.code for r in ALL if r.apart}
    assert apart >= {"A003", "S004"}
    assert all(found["pids 1"].values()), found["pids 1"]  # one worker: every rule here
    assert {code for code, here in found["pids 2"].items() if not here} == apart, found["pids 2"]


def test_a_forked_child_leaves_what_it_inherited_to_refcounts_alone():
    """A child's collector does not walk what the parent made (`settle_child`): a full collection in a child
    would write to every inherited object's header, and the system would copy each page it wrote."""
    import gc

    from readiness.workers import Background

    gc.unfreeze()  # nothing frozen here (a project loaded by an earlier test in this process is)
    assert gc.get_freeze_count() == 0
    with Background(gc.get_freeze_count, 2) as task:
        frozen = task.result()
    if can_fork(2):
        assert frozen > 1000, frozen
