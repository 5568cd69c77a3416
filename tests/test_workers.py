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
