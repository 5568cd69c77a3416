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
