"""Work shared out between forked processes, for the stages of a build that use every core: the pages and
documents rendered (render), the built files scanned (site.verify).

A forked worker inherits the caller's memory (the project, the results, the templates compiled) instead of
unpickling it; only what it returns is pickled back. Where fork is not available, or other threads are running
(forking then is unsafe), or one worker is asked for, the work is done here, in order: the result is the same.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_TASKS: Sequence[Callable[[], Any]] | None = None
_FUNCTION: Callable[[Any], Any] | None = None


def can_fork(workers: int) -> bool:
    """Whether work may be shared out between `workers` forked processes here and now."""
    return (
        workers > 1
        and not multiprocessing.current_process().daemon  # a worker may not start workers of its own
        and "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1  # forking a process with other threads running is unsafe
    )


class Pending(Generic[R]):
    """Tasks started in forked workers while the caller goes on; `results()` waits for them, in their order."""

    def __init__(self, tasks: Sequence[Callable[[], R]], workers: int, alone: bool = False) -> None:
        """`alone`: fork even one task, for the caller to do its own share of the work meanwhile."""
        global _TASKS
        self._done: list[R] | None = None
        self._pool: Any = None
        if not can_fork(workers) or not tasks or (len(tasks) < 2 and not alone):
            self._done = [task() for task in tasks]
            return
        _TASKS = tasks
        try:  # the workers are forked here and keep the tasks they inherit
            self._pool = multiprocessing.get_context("fork").Pool(min(workers, len(tasks)))
        finally:
            _TASKS = None
        self._async = self._pool.map_async(_run_task, range(len(tasks)), chunksize=1)

    def results(self) -> list[R]:
        """Every task's result, in the order given; a task's exception is raised here."""
        if self._done is None:
            try:
                self._done = self._async.get()
            finally:
                self.close()
        return self._done

    def close(self) -> None:
        """Stop the workers (whatever they were doing): nothing is left running."""
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None

    def __enter__(self) -> Pending[R]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _run_task(index: int) -> Any:
    assert _TASKS is not None
    return _TASKS[index]()


def forked_map(function: Callable[[T], R], items: Sequence[T], workers: int, chunksize: int = 8) -> Iterator[R]:
    """`function(item)` for each item, in order, computed by `workers` forked processes (or here, in order)."""
    global _FUNCTION
    if not can_fork(workers) or len(items) < 2 * chunksize:
        yield from map(function, items)
        return
    _FUNCTION = function
    try:
        pool = multiprocessing.get_context("fork").Pool(workers)
    finally:
        _FUNCTION = None
    with pool:  # leaving early (the caller stops at a refusal) terminates the workers
        yield from pool.imap(_call, items, chunksize)


def _call(item: Any) -> Any:
    assert _FUNCTION is not None
    return _FUNCTION(item)
