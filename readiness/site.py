"""Site: write the rendered pages into a work folder, build the HTML with MkDocs, verify it, and swap it in.

MkDocs is called through one function (`build_html`) on a generated configuration that inherits the
project's own `mkdocs.yml`; no MkDocs hooks or plugins of our own. The new site replaces the old one only
when every step succeeded: a failed build leaves the previous site whole.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import re
import shutil
import tempfile
from datetime import datetime, time, timezone
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from .outputs import MARKER_TEXT, SITE_MARKER, UnsafeOutput, check_site_folder, is_built_site
from .render import Renderer, Site
from .report import View

SITE_SOURCES = "site"
USER_CONFIG = "mkdocs.yml"
THEME_ASSETS = ("assets/javascripts/", "assets/stylesheets/", "assets/images/")
_EXTERNAL = re.compile(
    r"""(?:<(?:script|img|iframe|audio|video|source|embed|object)\b[^>]*?\s(?:src|data)\s*=\s*["']?\s*(?:https?:)?//"""
    r"""|<link\b[^>]*?\shref\s*=\s*["']?\s*(?:https?:)?//"""
    r"""|url\(\s*["']?\s*(?:https?:)?//"""
    r"""|@import\s+["'](?:https?:)?//)""",
    re.IGNORECASE,
)


class BuildError(Exception):
    """The site could not be built; the previous site is untouched."""


def _title(markdown: str, fallback: str) -> str:
    match = re.search(r"^#\s+(.+)$", markdown, re.MULTILINE)
    return match.group(1).strip() if match else fallback


def write_docs(site: Site, view: View, root: Path, docs: Path, renderer: Renderer) -> list[Any]:
    """Write generated pages, downloads and assets, then the hand-written pages of site/. Returns the nav."""
    nav = list(site.nav)
    banner = ""
    if not view.public:
        label = renderer.loc(view.framework.marking.restricted_label)
        banner = (f'!!! warning "{renderer.loc(view.framework.marking.internal_notice)}"\n'
                  f"    {renderer.tr('site.banner_body', label=label)}\n\n")
    for rel, text in site.pages.items():
        path = docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for rel, data in site.files.items():
        path = docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    extra_css: list[str] = []
    sources = root / SITE_SOURCES
    if sources.is_dir():
        handwritten = []
        real_root = root.resolve()
        languages = set(view.framework.languages) | set(renderer.languages)
        for path in _site_files(sources, real_root):
            rel = path.relative_to(sources).as_posix()
            if rel.startswith(".") or path.name.split(".")[0] == "methodology":
                continue
            parts = path.name.split(".")
            if len(parts) == 3 and parts[1] in languages:
                continue  # a translation (about.fr.md): used in place of about.md on that language's site
            translated = path.with_name(f"{parts[0]}.{renderer.lang}.md")
            if path.suffix == ".md" and translated.is_file():
                path = translated
            target = docs / "pages" / rel
            if (rel.removeprefix("pages/")) in site.pages:
                raise BuildError(f"site/{rel} would replace a generated page; rename it")
            target.parent.mkdir(parents=True, exist_ok=True)
            if path.suffix == ".md":
                text = renderer.with_language_bar(path.read_text(encoding="utf-8"), f"pages/{rel}")
                target.write_text(banner + text if banner else text, encoding="utf-8")
                handwritten.append({_title(text, path.stem): f"pages/{rel}"})
            else:
                shutil.copyfile(path, target)
                if path.suffix == ".css":
                    extra_css.append(f"pages/{rel}")
        if handwritten:
            nav.append({renderer.tr("nav.about"): handwritten})
    view_css = ["assets/readiness.css", *extra_css]
    return [nav, view_css]


def _site_files(sources: Path, real_root: Path) -> list[Path]:
    """The hand-written files of site/, refusing any link that leaves the project or loops."""
    def inside(path: Path, boundary: Path) -> bool:
        try:
            return path.resolve(strict=True).is_relative_to(boundary)
        except (OSError, RuntimeError):
            return False

    if not inside(sources, real_root):
        raise BuildError("site/ is a link outside the project; make it a real folder inside the project")
    real_sources = sources.resolve()
    out: list[Path] = []
    stack = [sources]
    while stack:
        folder = stack.pop()
        for path in sorted(folder.iterdir()):
            rel = path.relative_to(sources).as_posix()
            if path.is_symlink() and not inside(path, real_sources):
                raise BuildError(f"site/{rel} is a link outside site/ (or in a loop); copy the file in instead "
                                 "of linking it")
            if path.is_dir():
                stack.append(path)
            elif path.is_file():
                out.append(path)
    return sorted(out)


def mkdocs_config(root: Path, work: Path, view: View, nav: list[Any], css: list[str], renderer: Renderer) -> Path:
    """A configuration that inherits the project's mkdocs.yml and adds what an offline site needs."""
    user = root / USER_CONFIG
    config: dict[str, Any] = {}
    site_name = renderer.loc(view.framework.name)
    theme: dict[str, Any] = {"name": "material"}
    if user.is_file():
        config["INHERIT"] = str(user.resolve())
        try:
            loaded = yaml.load(user.read_text(encoding="utf-8"), Loader=_TolerantLoader) or {}
        except yaml.YAMLError as exc:
            raise BuildError(f"{USER_CONFIG} is not valid YAML: {exc}") from None
        site_name = loaded.get("site_name", site_name)
        user_theme = loaded.get("theme") or {}
        if isinstance(user_theme, dict):
            theme.update({k: v for k, v in user_theme.items() if k in ("palette", "logo", "favicon", "icon",
                                                                        "language")})
            css = [*css, *[c for c in loaded.get("extra_css", []) if isinstance(c, str)]]
    theme.update({
        "font": False,  # no Google Fonts: the site must work offline
        "features": ["navigation.sections", "navigation.prune", "navigation.top", "navigation.indexes",
                     "search.highlight", "toc.follow"],
    })
    suffix = " " + renderer.tr("site.suffix_public" if view.public else "site.suffix_internal")
    theme["language"] = renderer.lang
    # no `extra.alternate`: the theme's switcher fetches sitemap.xml, which browsers refuse from file://;
    # each page carries its own links to the same page in the other languages instead
    extra: dict[str, Any] = {"polyfills": ["assets/iframe-worker.js"], "generator": False}
    config.update({
        "site_name": site_name + suffix,
        "docs_dir": "docs",
        "site_dir": "site",
        "use_directory_urls": False,
        "nav": nav,
        "theme": theme,
        "plugins": [{"search": {"lang": [renderer.lang]}}, "offline",
                    {"privacy": {"assets_fetch": False, "cache": False, "log": False}}],
        "extra_css": css,
        "extra": extra,
        "markdown_extensions": ["admonition", "tables", "md_in_html", {"toc": {"permalink": False}}],
        "validation": {"nav": {"omitted_files": "ignore", "not_found": "warn"},
                       "links": {"not_found": "warn", "anchors": "ignore", "unrecognized_links": "ignore"}},
    })
    path = work / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


class _TolerantLoader(yaml.SafeLoader):
    """Reads a team's mkdocs.yml for a few plain settings, skipping MkDocs' `!!python/name:` and `!ENV` tags."""


_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def build_html(config_path: Path) -> None:
    """The one call into MkDocs."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    for name in ("mkdocs", "material"):
        logging.getLogger(name).setLevel(logging.ERROR)
    try:
        config = load_config(str(config_path))
        build(config)
    except MkDocsException as exc:
        raise BuildError(f"MkDocs could not build the site: {exc}") from None


def verify(site_dir: Path, view: View) -> None:
    """The built site loads nothing from outside, and a public one contains nothing restricted."""
    terms = [t for t in view.restricted_terms if len(t) >= 5 or any(c.isdigit() for c in t)]
    pattern = re.compile("|".join(rf"(?<![\w-]){re.escape(t)}(?![\w-])" for t in terms)) if terms else None
    for path in sorted(site_dir.rglob("*")):
        if not path.is_file() or path.suffix not in (".html", ".css", ".js", ".json", ".csv", ".svg", ".xml", ".txt"):
            continue
        rel = path.relative_to(site_dir).as_posix()
        if rel.startswith(THEME_ASSETS):
            continue  # the theme's own scripts and styles: not written from the project's data
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix in (".html", ".css") and (match := _EXTERNAL.search(text)):
            raise BuildError(f"{rel} would load something from outside the site ({match.group(0)[:80]}...)")
        if view.public and pattern is not None and (match := pattern.search(text)):
            raise BuildError(f"{rel} contains restricted text ({match.group(0)[:40]!r}); nothing was published")


def source_date(view: View) -> str:
    """SOURCE_DATE_EPOCH for MkDocs (sitemap dates, archives): the latest round's date, so builds repeat."""
    moment = datetime.combine(view.latest.date, time(0), tzinfo=timezone.utc)
    return str(int(moment.timestamp()))


def prepare(root: Path, work: Path, view: View, lang: str | None = None,
            languages: list[str] | None = None) -> Path:
    """Render the pages of `view` in `lang` into work/docs and write the MkDocs configuration.

    `languages` are the languages built side by side: the first at the site's root, the others in a folder
    each, with a language switcher between them."""
    chosen = lang or view.framework.languages[0]
    handwritten = root / SITE_SOURCES / f"methodology.{chosen}.md"
    if not handwritten.is_file():
        handwritten = root / SITE_SOURCES / "methodology.md"
    renderer = Renderer(view, handwritten.read_text(encoding="utf-8") if handwritten.is_file() else "", lang,
                        languages)
    site = renderer.render()
    nav, css = write_docs(site, view, root, work / "docs", renderer)
    return mkdocs_config(root, work, view, nav, css, renderer)


def publish(root: Path, out: Path, view: View, languages: list[str] | None = None) -> Path:
    """Build the site for `view` into `out`, replacing what is there only if every step succeeds.

    The first language is built at the root of `out`, every other one in `out/<lang>/`."""
    languages = languages or [view.framework.languages[0]]
    try:
        out = check_site_folder(out, root)
    except UnsafeOutput as exc:
        raise BuildError(str(exc)) from None
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f".{out.name}-build-", dir=out.parent))
    except OSError as exc:
        raise BuildError(f"cannot write the site next to {out}: {exc.strerror or exc}; choose another --out or "
                         "check the folder's permissions") from None
    previous_epoch = os.environ.get("SOURCE_DATE_EPOCH")
    try:
        if previous_epoch is None:
            os.environ["SOURCE_DATE_EPOCH"] = source_date(view)
        for lang in languages:
            config = prepare(root, work / lang, view, lang, languages)
            build_html(config)
            verify(work / lang / "site", view)
        main_site = work / languages[0] / "site"
        for lang in languages[1:]:
            if (main_site / lang).exists():
                raise BuildError(f"a page folder named {lang!r} would clash with the {lang} site")
            (work / lang / "site").rename(main_site / lang)
        (main_site / SITE_MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        try:
            _swap(main_site, out)
        except UnsafeOutput as exc:
            raise BuildError(str(exc)) from None
        except OSError as exc:
            raise BuildError(f"cannot put the new site in {out}: {exc.strerror or exc}; the previous site is "
                             "unchanged") from None
    finally:
        if previous_epoch is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        shutil.rmtree(work, ignore_errors=True)
    return out


def sync_tree(source: Path, target: Path) -> list[str]:
    """Make target hold exactly what source holds, writing only files whose bytes changed. Returns the
    changed paths; a live server then rebuilds and reloads only when something really changed."""
    changed = []
    wanted = {p.relative_to(source) for p in source.rglob("*") if p.is_file()}
    for rel in sorted(wanted):
        src, dst = source / rel, target / rel
        data = src.read_bytes()
        if not dst.is_file() or dst.read_bytes() != data:
            dst.parent.mkdir(parents=True, exist_ok=True)
            dst.write_bytes(data)
            changed.append(rel.as_posix())
    if target.exists():
        for path in sorted(target.rglob("*"), reverse=True):
            rel = path.relative_to(target)
            if path.is_file() and rel not in wanted:
                path.unlink()
                changed.append(rel.as_posix())
    return changed


@contextlib.contextmanager
def _locked(out: Path) -> Iterator[None]:
    """One swap at a time per output folder: two builds at once each finish whole, the later one last."""
    # the lock is taken on the folder that holds the site, so no lock file is left anywhere (a USB stick)
    fd = os.open(out.parent, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def recover(out: Path) -> None:
    """Finish a swap that was interrupted between its two renames: put the previous site back."""
    if out.exists():
        return
    leftovers = sorted(out.parent.glob(f".{out.name}-old-*"), key=lambda p: p.stat().st_mtime)
    if leftovers:
        leftovers[-1].rename(out)


def _swap(new: Path, out: Path) -> None:
    """Put the new site in place with renames, so the old one stays whole until the new one is there."""
    with _locked(out):
        recover(out)
        old = None
        if out.is_dir() and any(out.iterdir()) and not is_built_site(out):  # checked again: it may have changed
            raise UnsafeOutput(f"{out} is no longer a site built by readiness; nothing was replaced")
        if out.exists():
            old = out.with_name(f".{out.name}-old-{os.getpid()}")
            out.rename(old)
        try:
            new.rename(out)
        except BaseException:
            if old is not None:
                old.rename(out)
            raise
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
