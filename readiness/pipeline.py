"""The stages in order, for the commands that need all of them (build, serve): score, weigh the
uncertainty, play the scenarios, and decide what an audience sees; and `results.json` written while scoring
goes on (score, build)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .outputs import replacing
from .project import Project
from .report import View, build_view, public_project, restricted_texts
from .scoring import score_project
from .scoring.results import FOOT, Results, head, write_results_json, write_round
from .scoring.scenarios import ScenarioError, apply_scenario, compare, scenario_round
from .store import Store
from .uncertainty import analyse
from .workers import settle_child


def scenario_effects(project: Project, results: Any) -> dict[str, Any]:
    """Every scenario with its round and its effects; a scenario that cannot apply is left out."""
    out = {}
    for name, scenario in sorted(project.scenarios.items()):
        try:
            after = score_project(apply_scenario(project, name))
        except ScenarioError:
            continue
        round_id = scenario_round(project, name)
        out[name] = (scenario, round_id, compare(results, after, round_id))
    return out


def site_view(
    project: Project,
    audience: str,
    workers: int = 1,
    scratch: Path | None = None,
    progress: Any = None,
    cache: Path | None = None,
) -> View:
    """Scores, the Monte Carlo of the latest round (shared out between `workers` processes), the scenarios, and
    the view for `audience`. With `scratch` (a folder), the internal results.json for the downloads is written
    there while scoring goes on (`ResultsFile` below), instead of later. A public view is computed from the
    public data only: restricted items are removed before scoring (`report.public_project`). `progress`
    (readiness.progress) is told of each stage. With `cache` (a folder, readiness.store), a region's Monte Carlo
    that an earlier run did from the same inputs is taken from there, in `cache/uncertainty/`."""
    from .progress import NullProgress

    progress = progress or NullProgress()
    left_out, restricted = None, None
    if audience == "public":
        internal = project
        project, left_out = public_project(internal)
        restricted = restricted_texts(internal, project)
    written_to = None
    with progress.stage("scoring", total=len(project.rounds), unit="rounds", past="scored") as stage:

        def done(results: Results, round_id: str) -> None:
            if written is not None:
                written.round_done(results, round_id)
            stage.advance()

        written = None
        if scratch is not None and audience == "internal":
            written_to = scratch / "results.json"
            with ResultsFile(written_to) as written:
                results = score_project(project, on_round=done)
                written.finish(results)
        else:
            results = score_project(project, on_round=done)
    analysis = None
    if results.rounds:
        with progress.stage(
            "weighing the uncertainty of", total=1, unit="round", past="weighed the uncertainty of"
        ) as stage:
            store = None if cache is None else Store(cache / "uncertainty")
            analysis = analyse(project, results, workers=workers, store=store)
            if store is not None:
                store.prune()
            stage.advance()
    with progress.stage("playing", total=len(project.scenarios), unit="scenarios", past="played") as stage:
        effects = scenario_effects(project, results)
        stage.advance(len(project.scenarios))
    view = build_view(project, results, audience, analysis, effects, left_out, restricted)
    view.results_file = written_to
    return view


class ResultsFile:
    """`results.json`, written while scoring goes on where the system can fork: as soon as a round is final,
    a child process (which shares the parent's memory, copy on write) writes its entries to a part file,
    while the parent scores the next round; `finish` joins the parts. At most one child writes at a time.
    Elsewhere (no fork, or other threads running), `finish` writes the whole file. Either way the bytes are
    those of `write_results_json`, and the target is replaced only once complete. (Here rather than in
    scoring/, which does no I/O.)"""

    def __init__(self, target: Path) -> None:
        import tempfile
        import threading

        self.target = target
        target.parent.mkdir(parents=True, exist_ok=True)
        self.forking = hasattr(os, "fork") and threading.active_count() == 1
        self.parts: list[tuple[int, Path]] = []
        self.waited: set[int] = set()
        self.failed = False
        self.entries = 0
        """Entries of the rounds handed to children so far (a round may have none)."""
        self.folder = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent)) if self.forking else None

    def round_done(self, results: Results, round_id: str) -> None:
        """Called by the engine once every entry of `round_id` is final."""
        if not self.forking or self.folder is None:
            return
        self._wait()
        part = self.folder / f"{len(self.parts):05d}.json"
        first = self.entries == 0
        self.entries += sum(1 for rnd, _ in results.regions if rnd == round_id)
        pid = os.fork()
        if pid == 0:  # the child: write the part, then leave at once, without running any clean-up
            settle_child()
            code = 1
            try:
                with part.open("w", encoding="utf-8") as stream:
                    write_round(results, round_id, stream, first)
                code = 0
            finally:
                os._exit(code)
        self.parts.append((pid, part))

    def _wait(self) -> None:
        """Wait for every child started so far; remember whether any failed."""
        for pid, _ in self.parts:
            if pid in self.waited:
                continue
            try:
                _, status = os.waitpid(pid, 0)
                code = os.waitstatus_to_exitcode(status)
            except ChildProcessError:  # reaped elsewhere: its part cannot be trusted
                code = 1
            self.waited.add(pid)
            self.failed = self.failed or code != 0

    def __enter__(self) -> ResultsFile:
        return self

    def __exit__(self, *exc: object) -> None:
        """Whatever happened: no child left running, no part left behind."""
        import shutil

        self._wait()
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)

    def finish(self, results: Results) -> None:
        import shutil

        try:
            self._wait()
            complete = self.forking and not self.failed and len(self.parts) == len(results.rounds)
            with replacing(self.target) as out:
                if complete:
                    out.write(head(results))
                    out.flush()
                    for _, part in self.parts:
                        with part.open("r", encoding="utf-8") as piece:
                            shutil.copyfileobj(piece, out, 1 << 20)
                    out.write(FOOT)
                else:  # no fork here, or a part failed: write it all in this process
                    write_results_json(results, out)
        finally:
            if self.folder is not None:
                shutil.rmtree(self.folder, ignore_errors=True)
