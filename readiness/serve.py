"""Serve: a live preview for assessment teams. Builds the site, serves it with MkDocs' development server,
and regenerates the pages whenever indicators/, assessments/, site/ or mkdocs.yml change; the browser
reloads by itself. A change that breaks `check` is reported in the terminal and the last good pages stay.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import click

from .checks import check_project
from .diagnostics import format_text, has_failures, sort_diagnostics
from .project import FileCache, load_project
from .pipeline import site_view
from .site import BuildError, prepare, sync_tree

WATCHED = ("indicators", "assessments", "site", "mkdocs.yml")


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """Size and modification time of every watched file."""
    state: dict[str, tuple[int, int]] = {}
    for name in WATCHED:
        base = root / name
        paths = [base] if base.is_file() else sorted(p for p in base.rglob("*") if p.is_file()) if base.is_dir() else []
        for path in paths:
            try:
                info = path.stat()
            except OSError:
                continue
            state[path.relative_to(root).as_posix()] = (info.st_mtime_ns, info.st_size)
    return state


def regenerate(root: Path, work: Path, audience: str, echo: Callable[[str], None],
               cache: FileCache | None = None) -> bool:
    """Check, score and render into a scratch folder, then copy over only what changed. With `cache`, files
    that did not change since the last call are not read again; the check's outcome is reported at once,
    before the pages are regenerated."""
    started = time.perf_counter()
    project, found = load_project(root, cache)
    found = sort_diagnostics(found + check_project(project))
    if cache is not None:
        errors = sum(d.severity.value == "error" for d in found)
        echo(f"readiness serve: checked {len(project.files)} files in {time.perf_counter() - started:.2f} s "
             f"({cache.read} read, {cache.reused} unchanged): {errors} error{'s' * (errors != 1)}")
    if has_failures(found, strict=False):
        echo(format_text([d for d in found if d.severity.value == "error"], len(project.files)))
        echo("readiness serve: keeping the last good pages until these errors are fixed")
        return False
    view = site_view(project, audience)
    scratch = Path(tempfile.mkdtemp(prefix="readiness-serve-"))
    try:
        config = prepare(root, scratch, view)
        changed = sync_tree(scratch / "docs", work / "docs")
        text = config.read_text(encoding="utf-8").replace(str(scratch), str(work))
        target = work / "mkdocs.yml"
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
            changed.append("mkdocs.yml")
    except BuildError as exc:
        echo(f"readiness serve: {exc}")
        return False
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if changed:
        echo(f"readiness serve: regenerated {len(changed)} file{'s' * (len(changed) != 1)}")
    return True


def watch(root: Path, work: Path, audience: str, stop: threading.Event, echo: Callable[[str], None],
          interval: float = 0.5) -> None:
    state = snapshot(root)
    cache = FileCache()
    load_project(root, cache)  # fills the cache: the first edit re-reads only what it touched
    while not stop.wait(interval):
        current = snapshot(root)
        if current != state:
            state = current
            try:
                regenerate(root, work, audience, echo, cache)
            except Exception as exc:  # noqa: BLE001 - a watcher must survive a bad edit
                echo(f"readiness serve: could not regenerate: {type(exc).__name__}: {exc}")


def serve(root: Path, dev_addr: str, audience: str) -> None:
    from mkdocs.commands.serve import serve as mkdocs_serve

    work = Path(tempfile.mkdtemp(prefix="readiness-serve-"))
    echo = click.echo
    try:
        if not regenerate(root, work, audience, echo):
            raise click.ClickException("fix the errors above, then run `readiness serve` again")
        stop = threading.Event()
        watcher = threading.Thread(target=watch, args=(root, work, audience, stop, echo), daemon=True)
        watcher.start()
        echo(f"readiness serve: http://{dev_addr}/ (Ctrl+C to stop)")
        try:
            mkdocs_serve(config_file=str(work / "mkdocs.yml"), livereload=True, dev_addr=dev_addr)
        finally:
            stop.set()
            time.sleep(0)
    finally:
        shutil.rmtree(work, ignore_errors=True)
