"""Serve: a live preview for assessment teams. Renders the site in every language the framework declares (the
first at the root, the others in a folder each, as `readiness build` publishes it), serves it with MkDocs'
live-reload server, and regenerates the pages whenever indicators/, assessments/, scenarios/, handover/, site/ or
mkdocs.yml change; the browser reloads by itself.

A change that breaks `check` keeps the last good pages, and the browser says so: every page carries a banner
("3 errors in the project: the pages show the last good version") linking to `findings.html`, which lists
each error with its file, line, code, message and hint. Both go away once the errors are fixed.

How the languages are served. MkDocs' own `serve` command builds one configuration, that is one language:
its theme language, navigation and search index are per configuration, so the other languages cannot be
folders of the same docs folder without showing French pages under an English theme, navigation and search.
Here each language is built with `site.built_site`, as `publish` builds it (MkDocs, then the scanner), and the
other languages' sites are moved into `<lang>/` of the first one; the result is synced (changed bytes only) into
the folder
that MkDocs' `LiveReloadServer` serves. That server injects its reload script into every HTML page it serves,
in every language, holds requests while a build runs (no half-built site is seen), and reloads the browsers
once a build is over. It watches one thing only: a stamp that `regenerate` touches after it has written every
language, so a build never starts on half-written pages.

The work folder:

    last-good/<lang>/docs, mkdocs.yml   the pages of the last project that passed `check`
    <lang>/docs, mkdocs.yml              what MkDocs builds: the last good pages, with the banner and
                                         findings.md while the project has errors
    <lang>/site                          MkDocs' output for that language (while building)
    site/                                what the browser is served
    trigger/stamp                        touched when something changed: the server then rebuilds
    languages                            the languages of the last good pages, one a line
"""

from __future__ import annotations

import html
import re
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from .checks import check_project
from .diagnostics import Diagnostic, has_failures, sort_diagnostics
from .findings import format_text
from .i18n import language, say, say_n, use_language
from .pipeline import site_view
from .progress import decimals
from .project import FileCache, load_project
from .safety import escape_markdown, html_text
from .site import BuildError, built_site, prepare, sync_tree, with_title

WATCHED = ("indicators", "assessments", "scenarios", "handover", "site", "mkdocs.yml")
FINDINGS_PAGE = "findings.md"
LAST_GOOD = "last-good"
SERVED = "site"
TRIGGER = "trigger"
#: Work kept for the next regeneration (readiness.store: the pages MkDocs converted, each region's Monte Carlo),
#: in the work folder.
CACHE = "cache"

_VIEWS: dict[Path, Any] = {}
"""The view each work folder's last good pages were made from (their restricted texts, for the leak check)."""

_BUSY = threading.Lock()
"""Held while the pages MkDocs reads are written, and while MkDocs reads them: a build never sees a page half
written."""


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


# ---------------------------------------------------------------- what the browser is told about errors


def _said(key: str, count: int | None = None, /, **fields: Any) -> str:
    """A line of `readiness serve` on the terminal: "readiness serve: ...", in the language in use."""
    text = say(key, **fields) if count is None else say_n(key, count, **fields)
    return say("serve.said", text=text)


def banner(errors: int, page: str) -> str:
    """The notice at the top of each page while the project has errors, linking to the findings page (a
    relative link, so it works in every language's folder). Written in the language of the command, which says
    so (`lang`): every language's pages carry the same notice."""
    up = "../" * page.count("/")
    what = say_n("serve.banner.title", errors)
    return (
        f'<div class="admonition failure rd-serve-findings" lang="{html.escape(language())}" role="alert">\n'
        f'<p class="admonition-title">{html.escape(what)}</p>\n'
        f'<p><a href="{up}findings.html">{html.escape(say("serve.banner.link"))}</a>. '
        f"{html.escape(say('serve.banner.after'))}</p>\n</div>\n\n"
    )


#: The findings page's content is one block in the language of the command (`lang`): every language's site
#: shows it, and `build_site` gives the page's `<html lang>` the same language.
FINDINGS_BLOCK = "rd-serve-findings-page"
_FINDINGS_LANG = re.compile(rf'<div class="{FINDINGS_BLOCK}" lang="([A-Za-z]{{2,8}}(?:-[A-Za-z0-9]{{1,8}})*)"')


def findings_page(errors: list[Diagnostic], checked_files: int) -> str:
    """findings.md: each error with where it is, its code, what is wrong and how to fix it, escaped (a message
    quotes the project's files, which may hold anything)."""
    title = say("serve.findings.title")
    lines = [
        f'<div class="{FINDINGS_BLOCK}" lang="{html.escape(language())}" markdown>',
        "",
        f"# {escape_markdown(title)}",
        "",
        say_n(
            "serve.findings.intro",
            len(errors),
            errors=say_n("report.errors", len(errors)),
            files=say_n("serve.findings.files", checked_files),
        ),
        "",
        "| "
        + " | ".join(escape_markdown(say(f"serve.findings.{column}")) for column in ("where", "code", "problem", "fix"))
        + " |",
        "| --- | --- | --- | --- |",
    ]
    for d in errors:
        where = escape_markdown(f"{d.file}:{d.line}:{d.column}")
        lines.append(
            f"| {where} | {escape_markdown(d.code)} | {escape_markdown(d.message)} | "
            f"{escape_markdown(d.hint) if d.hint else ''} |"
        )
    lines += ["", "</div>"]
    return with_title("\n".join(lines) + "\n", html_text(title))


_CODE = "\ue000"  # where the command goes in the refusal's sentence, once the sentence is escaped


def refusal_page(reason: str) -> str:
    """What the browser is shown instead of pages the scanner refused (escaped: the reason quotes them)."""
    return (
        f'<!doctype html>\n<html lang="{html.escape(language())}"><head><meta charset="utf-8">'
        f"<title>{html.escape(say('serve.refused.title'))}</title></head><body>\n"
        f"<h1>{html.escape(say('serve.refused.heading'))}</h1>\n"
        f"<p>{html.escape(reason)}</p>\n"
        f"<p>{html.escape(say('serve.refused.why', command=_CODE)).replace(_CODE, '<code>readiness build</code>')}"
        "</p>\n</body></html>\n"
    )


def _findings_in_language(site: Path) -> None:
    """The built findings page's `<html lang>`: the language its content is written in (the command's), which
    may not be the language of the site it is shown in."""
    page = site / "findings.html"
    if not page.is_file():
        return
    text = page.read_text(encoding="utf-8")
    spoken = _FINDINGS_LANG.search(text)
    if spoken is not None:
        page.write_text(
            re.sub(r'<html lang="[^"]*"', f'<html lang="{spoken.group(1)}"', text, count=1), encoding="utf-8"
        )


def _with_banner(text: str, notice: str) -> str:
    """The page with the notice after its front matter, above its title."""
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end != -1:
            cut = end + len("\n---\n")
            return text[:cut] + "\n" + notice + text[cut:].lstrip("\n")
    return notice + text


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def sync_files(files: dict[str, bytes], target: Path) -> list[str]:
    """Make `target` hold exactly `files`, writing only what changed (as `site.sync_tree`)."""
    changed = []
    for rel, data in files.items():
        path = target / rel
        if not path.is_file() or path.read_bytes() != data:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            changed.append(rel)
    if target.exists():
        for path in sorted(target.rglob("*"), reverse=True):
            rel = path.relative_to(target).as_posix()
            if path.is_file() and rel not in files:
                path.unlink()
                changed.append(rel)
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return changed


def show(work: Path, errors: list[Diagnostic] | None = None, checked_files: int = 0) -> list[str]:
    """Put the last good pages of every language where MkDocs builds them: as they are, or, with `errors`,
    with the banner on every page and the findings page. Returns what changed."""
    changed: list[str] = []
    for lang in languages_of(work):
        good = work / LAST_GOOD / lang
        files = _files(good / "docs")
        if errors:
            for rel, data in files.items():
                if rel.endswith(".md"):
                    files[rel] = _with_banner(data.decode("utf-8"), banner(len(errors), rel)).encode("utf-8")
            files[FINDINGS_PAGE] = findings_page(errors, checked_files).encode("utf-8")
        config = (good / "mkdocs.yml").read_bytes()
        with _BUSY:
            changed += [f"{lang}/{rel}" for rel in sync_files(files, work / lang / "docs")]
            target = work / lang / "mkdocs.yml"
            if not target.is_file() or target.read_bytes() != config:
                target.write_bytes(config)
                changed.append(f"{lang}/mkdocs.yml")
    if changed:
        touch(work)
    return changed


def touch(work: Path) -> None:
    """Tell the server to build again (it watches this folder only)."""
    stamp = work / TRIGGER / "stamp"
    stamp.parent.mkdir(parents=True, exist_ok=True)
    count = int(stamp.read_text(encoding="utf-8") or 0) if stamp.is_file() else 0
    stamp.write_text(str(count + 1), encoding="utf-8")


def languages_of(work: Path) -> list[str]:
    """The languages of the last good pages, the first at the site's root."""
    path = work / "languages"
    return path.read_text(encoding="utf-8").split() if path.is_file() else []


# ---------------------------------------------------------------- regenerating the pages


def regenerate(
    root: Path,
    work: Path,
    audience: str,
    echo: Callable[[str], None],
    cache: FileCache | None = None,
    languages: list[str] | None = None,
) -> bool:
    """Check, score and render every language (or `languages`) into a scratch folder, then copy over only what
    changed. With `cache`, files that did not change since the last call are not read again; the check's
    outcome is reported at once, before the pages are regenerated. When the check finds errors, the last good
    pages stay, with a banner and a findings page that say why; returns whether the pages are current."""
    import time

    started = time.perf_counter()
    project, found = load_project(root, cache)
    found = sort_diagnostics(found + check_project(project))
    if cache is not None:
        errors = sum(d.severity.value == "error" for d in found)
        echo(
            _said(
                "serve.checked",
                len(project.files),
                seconds=decimals(f"{time.perf_counter() - started:.2f}"),
                read=say_n("serve.read", cache.read),
                unchanged=say_n("serve.unchanged", cache.reused),
                errors=say_n("report.errors", errors),
            )
        )
    if has_failures(found, strict=False):
        errors_found = [d for d in found if d.severity.value == "error"]
        echo(format_text(errors_found, len(project.files)))
        echo(_said("serve.keeping"))
        if languages_of(work):
            show(work, errors_found, len(project.files))
            echo(_said("serve.listed", page=f"{FINDINGS_PAGE[:-3]}.html"))
        return False
    assert project.framework is not None
    chosen = list(languages or project.framework.languages)
    view = site_view(project, audience, cache=work / CACHE)  # a region the edit left alone is not sampled again
    scratch = Path(tempfile.mkdtemp(prefix="readiness-serve-"))
    try:
        for lang in chosen:
            config = prepare(root, scratch / lang, view, lang, chosen)
            good = work / LAST_GOOD / lang
            sync_tree(scratch / lang / "docs", good / "docs")
            text = config.read_text(encoding="utf-8").replace(str(scratch / lang), str(work / lang))
            (good / "mkdocs.yml").write_text(text, encoding="utf-8")
        for stale in (work / LAST_GOOD).iterdir():
            if stale.name not in chosen:  # a language the framework no longer declares
                shutil.rmtree(stale, ignore_errors=True)
                with _BUSY:
                    shutil.rmtree(work / stale.name, ignore_errors=True)
        (work / "languages").write_text("\n".join(chosen) + "\n", encoding="utf-8")
        _VIEWS[work] = view
        changed = show(work)
    except BuildError as exc:
        echo(say("serve.said", text=str(exc)))
        return False
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if changed:
        echo(_said("serve.regenerated", len(changed)))
    return True


def build_site(work: Path, echo: Callable[[str], None]) -> bool:
    """Build every language's HTML as `publish` does (the first at the root, the others in `<lang>/`) and sync
    it into the served folder. A failed build leaves the served site as it was."""
    languages = languages_of(work)
    if not languages:
        return False
    try:
        with _BUSY:
            for lang in languages:
                # the pages an edit left as they were are not converted again (readiness.pagecache)
                built = built_site(work / lang / "mkdocs.yml", lang, _VIEWS.get(work), cache=work / CACHE)
                _findings_in_language(built)
        main_site = work / languages[0] / "site"
        for lang in languages[1:]:
            if (main_site / lang).exists():
                raise BuildError(say("serve.clash", folder=repr(lang), lang=lang))
            (work / lang / "site").rename(main_site / lang)
        sync_tree(main_site, work / SERVED)
    except BuildError as exc:
        echo(_said("serve.refused.said", error=str(exc)))
        refused = refusal_page(str(exc)).encode("utf-8")
        sync_files({"index.html": refused, "404.html": refused}, work / SERVED)
        return False
    finally:
        for lang in languages:
            shutil.rmtree(work / lang / "site", ignore_errors=True)
    return True


def watch(
    root: Path,
    work: Path,
    audience: str,
    stop: threading.Event,
    echo: Callable[[str], None],
    interval: float = 0.5,
    languages: list[str] | None = None,
    cache: FileCache | None = None,
    state: dict[str, tuple[int, int]] | None = None,
) -> None:
    """Poll the project's files every `interval` seconds and regenerate the pages after each change, until
    `stop` is set. `state` is the `snapshot` the pages were made from (taken before they were made, so that
    an edit made meanwhile is not missed); default: the files as they are when the watch starts."""
    state = snapshot(root) if state is None else state
    if cache is None:
        cache = FileCache()
        load_project(root, cache)  # fills the cache: the first edit re-reads only what it touched
    while not stop.wait(interval):
        current = snapshot(root)
        if current != state:
            state = current
            try:
                regenerate(root, work, audience, echo, cache, languages)
            except Exception as exc:  # noqa: BLE001 - a watcher must survive a bad edit
                echo(_said("serve.not_regenerated", error=f"{type(exc).__name__}: {exc}"))


# ---------------------------------------------------------------- the server


def parse_address(dev_addr: str) -> tuple[str, int]:
    """`127.0.0.1:8000`, `localhost:8000` or `[::1]:8000`."""
    host, _, port = dev_addr.rpartition(":")
    host = host.strip("[]")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise click.UsageError(say("serve.address", address=repr(dev_addr)))
    return host, int(port)


@contextmanager
def _stopped_by_signals() -> Iterator[None]:
    """SIGTERM stops the server as Ctrl+C does, so the work folder is removed; and SIGINT stops it even where it
    was started ignoring SIGINT (a shell starts a background command so: `readiness serve &` in a script, or a
    test runner started that way, whose `kill -INT` then did nothing). Main thread only."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    previous_int = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        for signum, handler in ((signal.SIGTERM, previous), (signal.SIGINT, previous_int)):
            if handler is not None:  # None: set outside Python, and left as it is
                signal.signal(signum, handler)


#: Host names a browser on this machine uses for the preview. Any other Host header is refused: a page of
#: another site can make a name of its own point at 127.0.0.1 (DNS rebinding) and read the internal preview.
LOCAL_NAMES = ("localhost", "127.0.0.1", "::1")


def host_allowed(header: str, bound: str) -> bool:
    """Whether a request's Host header names this machine's preview: a local name, a `*.localhost` name, or
    the very address the server was asked to listen on (`--dev-addr 192.168.1.5:8000` to show a colleague)."""
    header = header.strip().lower()
    name = header[1 : header.find("]")] if header.startswith("[") else header.rsplit(":", 1)[0]
    name = name.rstrip(".")
    if not name:
        return False
    if name in LOCAL_NAMES or name.endswith(".localhost"):
        return True
    return bound.lower() not in ("", "0.0.0.0", "::") and name == bound.lower()


def local_server(builder: Callable[[], None], host: str, port: int, root: Path) -> Any:
    """MkDocs' live-reload server, answering only requests addressed to this machine (see `host_allowed`)."""
    from mkdocs.livereload import LiveReloadServer

    refused = (say("serve.local_only") + "\n").encode("utf-8")  # the language of the command, not the thread's

    class LocalServer(LiveReloadServer):
        def serve_request(self, environ: dict[str, Any], start_response: Any) -> Any:
            if not host_allowed(environ.get("HTTP_HOST", ""), host):
                start_response("421 Misdirected Request", [("Content-Type", "text/plain; charset=utf-8")])
                return [refused]
            return super().serve_request(environ, start_response)

    return LocalServer(builder=builder, host=host, port=port, root=str(root))


def serve(
    root: Path,
    dev_addr: str,
    audience: str,
    languages: list[str] | None = None,
    echo: Callable[[str], None] = click.echo,
) -> None:
    """Preview the site of the project at `root` on `dev_addr` until interrupted (Ctrl+C or SIGTERM), in
    `languages` (default: every language the framework declares)."""
    import logging

    host, port = parse_address(dev_addr)
    spoken = language()  # the server's and the watcher's threads speak it too

    def in_language(job: Callable[..., None]) -> Callable[..., None]:
        def run(*args: Any, **kwargs: Any) -> None:
            use_language(spoken)
            job(*args, **kwargs)

        return run

    work = Path(tempfile.mkdtemp(prefix="readiness-serve-"))
    stop = threading.Event()
    try:
        with _stopped_by_signals():
            cache = FileCache()
            state = snapshot(root)  # before the pages are made: an edit made meanwhile is seen
            if not regenerate(root, work, audience, echo, cache, languages):
                raise click.ClickException(say("serve.fix_first"))
            served = work / SERVED
            served.mkdir(exist_ok=True)
            if not build_site(work, echo):
                raise click.ClickException(say("serve.not_built"))

            def rebuild() -> None:
                try:
                    build_site(work, echo)
                except Exception as exc:  # noqa: BLE001 - the server must survive a failed build
                    echo(_said("serve.not_rebuilt", error=f"{type(exc).__name__}: {exc}"))

            server = local_server(in_language(rebuild), host, port, served)

            def error_page(code: int) -> bytes | None:
                page = served / f"{code}.html"
                return page.read_bytes() if code == 404 and page.is_file() else None

            server.error_handler = error_page
            touch(work)
            server.watch(str(work / TRIGGER))
            logging.getLogger("mkdocs.livereload").setLevel(logging.ERROR)
            watcher = threading.Thread(
                target=in_language(watch),
                args=(root, work, audience, stop, echo),
                kwargs={"languages": languages, "cache": cache, "state": state},
                daemon=True,
            )
            watcher.start()
            shown = ", ".join(languages_of(work)[1:])
            address = f"http://{dev_addr}/"
            echo(
                _said("serve.serving_also", address=address, languages=shown, folders=f"{address}<lang>/")
                if shown
                else _said("serve.serving", address=address)
            )
            try:
                server.serve()
            except OSError as exc:
                raise click.ClickException(
                    say("serve.cannot_serve", address=dev_addr, error=str(exc.strerror or exc))
                ) from None
            except KeyboardInterrupt:
                echo(_said("serve.stopped"))
            finally:
                stop.set()
                server.shutdown()
                watcher.join(timeout=30)
    finally:
        stop.set()
        _VIEWS.pop(work, None)
        shutil.rmtree(work, ignore_errors=True)
