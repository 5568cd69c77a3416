"""Work shared out between forked processes, for the stages of a build that use every core: the pages and
documents rendered (render), the built files scanned (site.verify).

A forked worker inherits the caller's memory (the project, the results, the templates compiled) instead of
unpickling it; only what it returns is pickled back. A child's first act is `settle_child()`: what it
inherited is left out of its garbage collector's walks, so that it copies only the pages it writes. Where fork
is not available, or other threads are running (forking then is unsafe), or one worker is asked for, the work is
done here, in order: the result is the same.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Generic, TypeVar, cast

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


def settle_child() -> None:
    """A forked child's first act: what it inherited is moved out of reach of its cyclic garbage collector
    (`gc.freeze()`, which splices the collector's lists and touches no object). Without it, the child's first full
    collection walks every object the parent had made (the results, the view, the pages) and writes to each one's
    header, and the system copies every page it writes: a child that only reads the project came to hold a copy
    of most of it. (The project itself is frozen in the parent once loaded: readiness.loading.paused_gc.) Refcounts
    still free what the child lets go of."""
    gc.freeze()


class Pending(Generic[R]):
    """Tasks started in forked workers while the caller goes on; `results()` waits for them, in their order."""

    def __init__(self, tasks: Sequence[Callable[[], R]], workers: int) -> None:
        global _TASKS
        self._done: list[R] | None = None
        self._pool: Any = None
        if not can_fork(workers) or len(tasks) < 2:
            self._done = [task() for task in tasks]
            return
        _TASKS = tasks
        try:  # the workers are forked here and keep the tasks they inherit
            self._pool = multiprocessing.get_context("fork").Pool(min(workers, len(tasks)), settle_child)
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
        pool = multiprocessing.get_context("fork").Pool(workers, settle_child)
    finally:
        _FUNCTION = None
    with pool:  # leaving early (the caller stops at a refusal) terminates the workers
        yield from pool.imap(_call, items, chunksize)


def _call(item: Any) -> Any:
    assert _FUNCTION is not None
    return _FUNCTION(item)


class Background(Generic[R]):
    """One function run in a forked child while the caller goes on (`result()` waits for it and returns what it
    returned, or raises what it raised). Unlike `Pending`, it starts no thread here, so the caller may share its
    own work out between forked workers meanwhile. Where fork is unsafe, the function runs at once, here."""

    def __init__(self, function: Callable[[], R], workers: int) -> None:
        self._pid: int | None = None
        self._read = -1
        self._done: tuple[bool, Any] | None = None
        if not can_fork(workers):
            self._done = _outcome(function)
            return
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: its outcome, pickled, down the pipe, then gone without running the parent's exits
            settle_child()
            os.close(read)
            try:
                payload = pickle.dumps(_outcome(function))
            except BaseException:  # noqa: BLE001 - an outcome that cannot be pickled is said as a failure
                payload = pickle.dumps((False, RuntimeError("the background task's outcome could not be sent")))
            try:
                with os.fdopen(write, "wb") as out:
                    out.write(payload)
            finally:
                os._exit(0)
        os.close(write)
        self._pid, self._read = pid, read

    def result(self) -> R:
        if self._done is None:
            assert self._pid is not None
            with os.fdopen(self._read, "rb") as stream:
                data = stream.read()
            self._read = -1
            os.waitpid(self._pid, 0)
            self._pid = None
            self._done = pickle.loads(data) if data else (False, RuntimeError("the background task ended early"))
        ok, value = self._done
        if ok:
            return cast(R, value)
        raise value

    def close(self) -> None:
        """Stop the child if it is still running: nothing is left behind."""
        if self._pid is not None:
            try:
                os.kill(self._pid, signal.SIGKILL)
                os.waitpid(self._pid, 0)
            except ProcessLookupError:
                pass
            self._pid = None
        if self._read >= 0:
            os.close(self._read)
            self._read = -1

    def __enter__(self) -> Background[R]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _outcome(function: Callable[[], R]) -> tuple[bool, Any]:
    try:
        return True, function()
    except Exception as exc:  # noqa: BLE001 - raised again by `result()`, where the caller waits
        return False, exc
