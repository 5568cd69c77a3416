"""Progress of long work (scoring, the Monte Carlo, rendering, building the HTML), for people and for CI logs.

    progress = Progress(sys.stderr)               # or Progress(sys.stderr, quiet=True), or NullProgress()
    with progress.stage("scoring", total=48, unit="region-rounds", past="scored") as stage:
        for ...:
            stage.advance()

On a terminal, one line is redrawn in place, at most `Progress.max_rate` times a second, and replaced by a
summary when the stage ends:

    rendering pages  ████████░░░░░░░░░░░░  120/315
    scored 48 region-rounds (1.2 s)

Elsewhere (a CI log, a file), a stage writes one plain line when it starts and one when it ends, never a
carriage return or an escape sequence. Everything goes to standard error unless another stream is given, so
standard output stays for what the command produces (JSON, CSV, DOT).

The stages readiness itself runs (`STAGES`: scoring, the uncertainty, the scenarios, the site) are written in the
language of the command, from the catalogue (`progress.<stage>`); a stage named otherwise is written with the
words it was given.
"""

from __future__ import annotations

import os
import shutil
import sys
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import TextIO, cast

from .i18n import language, say, say_n

BAR_WIDTH = 20
CLEAR_LINE = "\x1b[K"


def _is_tty(stream: TextIO) -> bool:
    try:
        return bool(stream.isatty()) and os.environ.get("TERM") != "dumb"
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


def _can_write(stream: TextIO, text: str) -> bool:
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


#: The stages readiness runs, by the words the code gives them (name, unit, past): their words in each language
#: are the catalogue's `progress.<stage>.name`, `.unit`, `.opening` and `.summary`.
STAGES = {
    ("scoring", "rounds", "scored"): "scoring",
    ("weighing the uncertainty of", "round", "weighed the uncertainty of"): "uncertainty",
    ("playing", "scenarios", "played"): "scenarios",
    ("building the site in", "languages", "built the site in"): "site",
}


def decimals(number: str) -> str:
    """A number written with a decimal point ("1.25"), with the decimal sign of the language in use."""
    return number.replace(".", ",") if language().startswith("fr") else number


def seconds(elapsed: float) -> str:
    """`0.4 s`, `12.3 s`, `2 min 05 s`."""
    if elapsed < 60:
        return f"{decimals(f'{elapsed:.1f}')} s"
    minutes, rest = divmod(int(round(elapsed)), 60)
    return f"{minutes} min {rest:02d} s"


class Stage:
    """One stage of work being counted. Use `advance` as items are done and `done` at the end (or the stage as
    a context manager, which calls `done`, or `failed` when the block raised)."""

    def __init__(self, progress: Progress, name: str, total: int | None, unit: str, past: str | None) -> None:
        self.progress = progress
        self.name = name
        self.total = total
        self.unit = unit
        self.past = past
        self.count = 0
        self.finished = False
        self.started = progress.clock()
        self.key = STAGES.get((name, unit, past or ""))
        """The stage's entry in the catalogue (`progress.<key>`), for a stage readiness runs; else None."""

    @property
    def label(self) -> str:
        """What is going on ("scoring"), in the language in use for a stage readiness runs."""
        return say(f"progress.{self.key}.name") if self.key else self.name

    def advance(self, n: int = 1) -> None:
        if self.finished:
            return
        self.count += n
        self.progress._advanced(self)

    def done(self) -> None:
        if not self.finished:
            self.finished = True
            self.progress._ended(self, failed=False)

    def failed(self) -> None:
        if not self.finished:
            self.finished = True
            self.progress._ended(self, failed=True)

    def __enter__(self) -> Stage:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if kind is None:
            self.done()
        else:
            self.failed()

    # ---------------------------------------------------------------- what is written

    def units(self, n: int) -> str:
        """The unit for `n` items: `1 round`, `2 rounds`."""
        if self.key:
            return say_n(f"progress.{self.key}.unit", n)
        return self.unit[:-1] if n == 1 and self.unit.endswith("s") and not self.unit.endswith("ss") else self.unit

    def counted(self) -> str:
        """`48 region-rounds`, or `120/315 pages` while a stage with a total runs."""
        return f"{self.count} {self.units(self.count)}".rstrip()

    def summary(self, elapsed: float) -> str:
        """The line that says the stage is over: `scored 48 region-rounds (1.2 s)`."""
        if self.key:
            return say_n(f"progress.{self.key}.summary", self.count, time=seconds(elapsed))
        if self.past:
            return f"{self.past} {self.counted()} ({seconds(elapsed)})"
        counted = self.counted() if self.unit or self.count else say("progress.done")
        return say("progress.ended", name=self.name, counted=counted, time=seconds(elapsed))

    def opening(self) -> str:
        """The plain line that says the stage has started: `scoring 48 region-rounds...`."""
        if self.key and self.total is not None:
            return say_n(f"progress.{self.key}.opening", self.total)
        if self.total is not None:
            return f"{self.label} {f'{self.total} {self.units(self.total)}'.rstrip()}..."
        return f"{self.label}..."

    def stopped(self) -> str:
        """The line that says the stage failed: `building: stopped after 1/4 languages`."""
        shown = f"{self.count}/{self.total}" if self.total is not None else str(self.count)
        unit = self.units(self.total if self.total is not None else self.count) if self.key else self.unit
        return say("progress.stopped", name=self.label, shown=shown, unit=unit).rstrip()


class Progress:
    """Reports stages of work to `stream` (standard error by default). `tty` forces the terminal form on or
    off (default: whether the stream is a terminal); `quiet` writes nothing at all."""

    max_rate = 10.0
    """Redraws per second, at most, on a terminal."""

    def __init__(
        self,
        stream: TextIO | None = None,
        *,
        tty: bool | None = None,
        quiet: bool = False,
        width: int | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.tty = _is_tty(self.stream) if tty is None else tty
        self.quiet = quiet
        self.width = width
        self.clock = clock
        self.redraws = 0
        """Lines drawn in place so far (for tests and curious users)."""
        self._lock = threading.Lock()
        self._last_draw: float | None = None
        self._drawn = False
        self._drawn_count = 0
        self._cells = ("█", "░") if _can_write(self.stream, "█░") else ("#", "-")

    def stage(self, name: str, total: int | None = None, *, unit: str = "", past: str | None = None) -> Stage:
        """Start a stage: `name` is what is going on ("rendering pages"), `total` how many items there will be
        (if known), `unit` what the items are ("pages"), `past` the verb of the summary ("rendered")."""
        stage = Stage(self, name, total, unit, past)
        if self.quiet:
            return stage
        with self._lock:
            if self.tty:
                self._drawn_count = 0
                self._draw(stage, force=True)
            else:
                self._write(stage.opening() + "\n")
        return stage

    def note(self, text: str) -> None:
        """A line of its own (a warning, a finding), written above the line being drawn."""
        if self.quiet:
            return
        with self._lock:
            self._clear()
            self._write(text.rstrip("\n") + "\n")

    # ---------------------------------------------------------------- called by Stage

    def _advanced(self, stage: Stage) -> None:
        if self.quiet or not self.tty:
            return
        with self._lock:
            self._draw(stage)

    def _ended(self, stage: Stage, failed: bool) -> None:
        if self.quiet:
            return
        elapsed = self.clock() - stage.started
        with self._lock:
            self._clear()
            if failed:
                self._write(stage.stopped() + "\n")
            else:
                self._write(stage.summary(elapsed) + "\n")
            self._last_draw = None

    # ---------------------------------------------------------------- the terminal line

    def line(self, stage: Stage) -> str:
        """The line drawn in place: `rendering pages  ████████░░░░░░░░░░░░  120/315`."""
        full, empty = self._cells
        if stage.total:
            share = min(max(stage.count / stage.total, 0.0), 1.0)
            filled = int(share * BAR_WIDTH)
            text = f"{stage.label}  {full * filled}{empty * (BAR_WIDTH - filled)}  {stage.count}/{stage.total}"
        else:
            text = f"{stage.label}  {stage.count}"
        unit = stage.units(stage.total if stage.total is not None else stage.count) if stage.key else stage.unit
        if unit:
            text += f" {unit}"
        width = self.width or shutil.get_terminal_size((80, 24)).columns
        return text[: max(width - 1, 10)]  # never wider than the terminal: a wrapped line cannot be redrawn

    def _draw(self, stage: Stage, force: bool = False) -> None:
        now = self.clock()
        # the step that completes the bar is always drawn: a throttled line must not stop short of its total
        last_step = stage.total is not None and stage.count >= stage.total > self._drawn_count
        if not force and not last_step and self._last_draw is not None and now - self._last_draw < 1.0 / self.max_rate:
            return
        self._last_draw = now
        self._drawn_count = stage.count
        self._write("\r" + self.line(stage) + CLEAR_LINE)
        self._drawn = True
        self.redraws += 1

    def _clear(self) -> None:
        if self.tty and self._drawn:
            self._write("\r" + CLEAR_LINE)
            self._drawn = False

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):  # a closed pipe or stream: progress is never worth failing the work for
            pass


class NullProgress(Progress):
    """The same interface, writing nothing: for library calls and tests."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(stream=cast(TextIO, _Discard()), tty=False, quiet=True)


class _Discard:
    encoding = "utf-8"

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False
