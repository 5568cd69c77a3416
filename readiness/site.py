"""Site: write the rendered pages into a work folder, build the HTML with MkDocs, verify it, and swap it in.

MkDocs is called through one function (`build_html`) on a generated configuration that inherits the
project's own `mkdocs.yml`; no MkDocs hooks or plugins of our own. The new site replaces the old one only
when every step succeeded: a failed build leaves the previous site whole.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import html
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any

import yaml

from .documents import DocumentLeak, document_text
from .errors import Refusal
from .outputs import MARKER_TEXT, SITE_MARKER, UnsafeOutput, check_site_folder, is_built_site
from .render import Renderer, Site
from .report import LeakGuard, View
from .safety import (
    MARKDOWN_EXTENSIONS,
    hidden_site_path,
    html_text,
    scan_css,
    scan_html,
    scan_svg,
    unpublished_site_file,
    unsafe_site_name,
)
from .workers import Background, Pending, can_fork, forked_map

SITE_SOURCES = "site"
THEME_ASSETS = ("assets/javascripts/", "assets/stylesheets/", "assets/images/")


class BuildError(Refusal):
    """The site could not be built; the previous site is untouched."""

    then = "cli.build.unchanged"


_HEADING = re.compile(r"^#[ \t]+(.+?)[ \t]*#*[ \t]*$", re.MULTILINE)
_MD_ESCAPE = re.compile(r"\\(.)")


def page_title(markdown: str, fallback: str) -> str:
    """A page's title for the theme (its `<title>`, navigation and search): the text of its first heading,
    HTML-escaped, whatever the heading holds (the theme prints titles into HTML without escaping them)."""
    match = _HEADING.search(markdown)
    if match is None:
        return html_text(fallback)
    text = _MD_ESCAPE.sub(r"\1", match.group(1))  # Markdown escapes off; what stays is HTML-escaped text
    return html_text(html.unescape(re.sub(r"<[^>]*>", "", text)))


def with_title(markdown: str, title: str) -> str:
    """The page with its title in front matter, which the theme prints as given (escaped here)."""
    return "---\n" + yaml.safe_dump({"title": title}, allow_unicode=True, width=1 << 20) + "---\n\n" + markdown


def write_docs(site: Site, view: View, root: Path, docs: Path, renderer: Renderer) -> list[Any]:
    """Write generated pages, downloads and assets, then the hand-written pages of site/. Returns the nav and
    the style sheets."""
    nav = _escaped_nav(list(site.nav))
    banner = renderer.banner() + "\n\n"
    for rel, text in site.pages.items():
        path = docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(with_title(text, page_title(text, rel)), encoding="utf-8")
    for rel, data in site.files.items():
        path = docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    extra_css: list[str] = []
    sources = root / SITE_SOURCES
    handwritten = []
    languages = set(view.framework.languages) | set(renderer.languages)
    for rel in view.project.site_files:
        path = sources / rel
        parts = path.name.split(".")
        if hidden_site_path(rel) or parts[0] == "methodology":
            continue
        refused = unsafe_site_name(rel) or unpublished_site_file(rel, _head(path))
        if refused is not None:  # `check` reports it (M003); never published, whatever called this
            raise BuildError(f"site/{rel}: {refused}; nothing was published [M003]")
        if len(parts) == 3 and parts[1] in languages:
            continue  # a translation (about.fr.md): used in place of about.md on that language's site
        translated = path.with_name(f"{parts[0]}.{renderer.lang}.md")
        if path.suffix == ".md" and translated.is_file():
            path = translated
        target = docs / "pages" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".md":
            written = path.read_text(encoding="utf-8")
            if path == translated or renderer.fw.written_in == renderer.lang:  # the page's language: its spacing
                written = renderer.tr.prose(written)
            text = renderer.with_language_bar(written, f"pages/{rel}")
            title = page_title(text, path.stem)
            target.write_text(with_title(banner + text, title), encoding="utf-8")
            handwritten.append({title: f"pages/{rel}"})
        else:
            shutil.copyfile(path, target)
            if path.suffix == ".css":
                extra_css.append(f"pages/{rel}")
    if handwritten:
        nav.append({html_text(renderer.tr("nav.about")): handwritten})
    return [nav, ["assets/readiness.css", *extra_css]]


def _head(path: Path) -> bytes:
    with path.open("rb") as f:
        return f.read(16)


def _escaped_nav(nav: Any) -> Any:
    """Navigation titles escaped for the theme, which prints them into HTML as they are."""
    if isinstance(nav, list):
        return [_escaped_nav(item) for item in nav]
    if isinstance(nav, dict):
        return {html_text(k): _escaped_nav(v) for k, v in nav.items()}
    return nav


def mkdocs_config(work: Path, view: View, nav: list[Any], css: list[str], renderer: Renderer) -> Path:
    """The site engine's configuration, written by the tool from the checked settings of mkdocs.yml (never the
    file itself: it may hold anything), with what an offline site needs."""
    settings = view.project.settings
    theme: dict[str, Any] = {"name": "material"}
    site_name = renderer.loc(settings.site_name if settings else view.framework.name)
    config: dict[str, Any] = {}
    if settings is not None:
        if settings.theme.palette is not None:
            theme["palette"] = settings.theme.palette.model_dump(exclude_none=True)
        for key in ("logo", "favicon"):
            value = getattr(settings.theme, key)
            if value is not None:
                theme[key] = html_text(f"pages/{value}")  # the theme writes it into an attribute as it is
        description = renderer.loc(settings.site_description)
        if description:
            config["site_description"] = html_text(description)
        if settings.site_author:
            config["site_author"] = html_text(settings.site_author)
        copyright_line = renderer.loc(settings.copyright)
        if copyright_line:
            config["copyright"] = html_text(copyright_line)
    theme.update(
        {
            "font": False,  # no Google Fonts: the site must work offline
            "language": renderer.lang,
            "features": [
                "navigation.sections",
                "navigation.prune",
                "navigation.top",
                "navigation.indexes",
                "search.highlight",
                "toc.follow",
            ],
        }
    )
    suffix = " " + renderer.tr("site.suffix_public" if view.public else "site.suffix_internal")
    # no `extra.alternate`: the theme's switcher fetches sitemap.xml, which browsers refuse from file://;
    # each page carries its own links to the same page in the other languages instead
    extra: dict[str, Any] = {"polyfills": ["assets/iframe-worker.js"], "generator": False}
    config = {
        "site_name": html_text(site_name + suffix),
        **config,
        "docs_dir": "docs",
        "site_dir": "site",
        "use_directory_urls": False,
        "nav": nav,
        "theme": theme,
        "plugins": [
            {"search": {"lang": [renderer.lang]}},
            "offline",
            {"privacy": {"assets_fetch": False, "cache": False, "log": False}},
        ],
        "extra_css": css,
        "extra": extra,
        "markdown_extensions": [
            {name: {"permalink": False}} if name == "toc" else name for name in MARKDOWN_EXTENSIONS
        ],
        "validation": {
            "nav": {"omitted_files": "ignore", "not_found": "warn"},
            "links": {"not_found": "warn", "anchors": "ignore", "unrecognized_links": "ignore"},
        },
    }
    path = work / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


#: Settings of the written configuration that hold text already escaped for HTML.
ESCAPED_SETTINGS = ("site_name", "site_description", "site_author", "copyright")


def _mark_escaped(config: Any) -> None:
    """Tell the theme's templates that the names in the configuration are escaped already, so that where a
    template escapes again (`| e`), "Law &amp; Order" is not shown as "Law &amp;amp; Order"."""
    from markupsafe import Markup

    for key in ESCAPED_SETTINGS:
        if isinstance(config.get(key), str):
            config[key] = Markup(config[key])

    def nav(items: Any) -> Any:
        if isinstance(items, list):
            return [nav(item) for item in items]
        if isinstance(items, dict):
            return {Markup(k): nav(v) for k, v in items.items()}
        return items

    if config.get("nav"):
        config["nav"] = nav(config["nav"])


def build_html(config_path: Path, workers: int = 1, cache: Path | None = None) -> None:
    """The one call into MkDocs. With `workers` > 1, its pages' Markdown is converted half here and half in a
    forked worker, and with `cache` (a folder) a page converted by an earlier build is not converted again
    (`_shared_rendering`): the same site, sooner."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    for name in ("mkdocs", "material"):
        logging.getLogger(name).setLevel(logging.ERROR)
    try:
        config = load_config(str(config_path))
        _mark_escaped(config)
        with _shared_rendering(workers, cache, config_path):
            build(config)
    except MkDocsException as exc:
        raise BuildError(f"MkDocs could not build the site: {exc}") from None


@contextlib.contextmanager
def _shared_rendering(workers: int, cache: Path | None = None, config_path: Path | None = None) -> Iterator[None]:
    """MkDocs converts every page's Markdown to HTML in one loop, on one core, then parses each page's HTML for
    its search index: most of its time (the M benchmark: about 60 and 30 per cent; the theme's templates are the
    rest). While this is in effect, the first page MkDocs asks for has every page converted and indexed: a page
    an earlier build converted from the same inputs is taken from `cache` (readiness.pagecache), and the others
    are shared out by the size of their Markdown, a forked worker converting about half while this process
    converts the rest; MkDocs then finds each page converted, and the search plugin each page's entries. A page
    is converted exactly as MkDocs converts it (the same function, the same plugins' page events, the search
    plugin's own indexing), so the site is the same byte for byte. Where fork is unsafe (other threads running,
    as in `serve`), or with one worker, and no cache, MkDocs does it all itself."""
    from material.plugins.search.plugin import SearchIndex
    from mkdocs.commands import build as mkdocs_build

    if not can_fork(workers) and cache is None:
        yield
        return
    original = mkdocs_build._populate_page
    index_page = SearchIndex.add_entry_from_context
    started: list[bool] = []
    indexed: dict[str, tuple[str, list[dict[str, Any]]]] = {}
    stores: list[Any] = []

    def populate(page: Any, config: Any, files: Any, dirty: bool = False) -> None:
        if not started:
            started.append(True)
            store = None
            if cache is not None and config_path is not None:
                from .pagecache import PageStore

                store = PageStore(cache / "pages", config_path, files)
                stores.append(store)
            indexed.update(_convert_all(original, index_page, config, files, workers, store))
        if page.content is None:  # a page the loop made that was not there yet (none in our builds)
            original(page, config, files, dirty)

    def add_entry(self: Any, page: Any) -> None:
        found = indexed.pop(page.file.src_uri, None)
        if found is not None and found[0] == page.content:  # indexed from this very HTML
            self.entries.extend(found[1])
        else:
            index_page(self, page)

    mkdocs_build._populate_page = populate
    SearchIndex.add_entry_from_context = add_entry
    try:
        yield
    finally:
        mkdocs_build._populate_page = original
        SearchIndex.add_entry_from_context = index_page
    for store in stores:  # the build went through: what no build used for days goes
        store.prune()


def _search_index(config: Any) -> Any:
    """The theme's search plugin's index of this build (for its settings), or None without the plugin."""
    from material.plugins.search.plugin import SearchPlugin

    for plugin in config.plugins.values():
        if isinstance(plugin, SearchPlugin) and plugin.config.enabled:
            return getattr(plugin, "search_index", None)
    return None


def _convert_all(
    convert: Callable[..., None],
    index_page: Callable[[Any, Any], None],
    config: Any,
    files: Any,
    workers: int,
    store: Any = None,
) -> dict[str, tuple[str, list[dict[str, Any]]]]:
    """Every documentation page of `files` converted by `convert` (MkDocs' own) and indexed by `index_page` (the
    search plugin's own): taken from `store` (a pagecache.PageStore) where an earlier build did it, the rest
    about half (by the size of their Markdown) in a forked worker and half here. Each page gets what its
    conversion found (its Markdown after the plugins, metadata, HTML, table of contents, title and anchors);
    returned: each page's search entries with the HTML they were made from, by the page's path."""
    from mkdocs.structure.pages import Page

    from .pagecache import Converted

    index = _search_index(config)
    pages = []
    for file in files.documentation_pages():
        if file.page is None and file.inclusion.is_not_in_nav():
            Page(None, file, config)  # as MkDocs' loop would make it
        if file.page is not None:
            pages.append(file.page)
    keys = {page.file.src_uri: store.key(page) for page in pages} if store is not None else {}
    done: dict[str, Converted] = {}
    for page in pages:
        found = store.get(keys[page.file.src_uri]) if store is not None else None
        if found is not None and (found.entries is None) == (index is None):
            done[page.file.src_uri] = found
    kept = set(done)
    shares: tuple[list[Any], list[Any]] = ([], [])
    sizes = [0, 0]
    left = [page for page in pages if page.file.src_uri not in kept]
    for page in sorted(left, key=lambda p: -os.path.getsize(p.file.abs_src_path)):
        lighter = 0 if sizes[0] <= sizes[1] else 1
        shares[lighter].append(page)
        sizes[lighter] += os.path.getsize(page.file.abs_src_path)
    here, there = shares

    def converted(page: Any) -> Converted:
        convert(page, config, files)
        entries = None
        if index is not None:
            from material.plugins.search.plugin import SearchIndex

            one = SearchIndex(**index.config)
            index_page(one, page)
            entries = one.entries
        return Converted.of(page, entries)

    with Background(lambda: [converted(page) for page in there], workers) as pending:
        for page in here:
            done[page.file.src_uri] = converted(page)
        for page, result in zip(there, pending.result(), strict=True):
            result.apply(page, files)
            done[page.file.src_uri] = result
    for page in pages:
        uri = page.file.src_uri
        if uri in kept:
            done[uri].apply(page, files)
        elif store is not None:
            store.put(keys[uri], done[uri])
    return {uri: (result.content, result.entries) for uri, result in done.items() if result.entries is not None}


#: Our own scripts in a built site (the theme's are under THEME_ASSETS): the search worker's file:// shim.
OWN_SCRIPTS = ("assets/iframe-worker.js",)
#: The offline search's index as a script (so search works from file://): one assignment of JSON data.
SEARCH_INDEX_SCRIPT = "search/search_index.js"
_INDEX_PREFIX = "var __index = "


def _json_script(text: str) -> bool:
    """Whether a script only assigns JSON data (the offline search index), which runs nothing else."""
    import json

    if not text.startswith(_INDEX_PREFIX):
        return False
    try:
        json.loads(text[len(_INDEX_PREFIX) :])
    except ValueError:
        return False
    return True


#: What a built site may hold besides pages, drawings, style sheets and scripts: data, documents, pictures and
#: fonts (the types site/ may hold are checked by `check`, M003, before they are copied).
_DATA = (".json", ".csv", ".txt", ".map")
_BINARY = (".gz", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".ico", ".woff", ".woff2", ".ttf", ".otf")
_DOCUMENTS = (".docx", ".xlsx")


def verify(site_dir: Path, view: View | None, workers: int = 1) -> None:
    """The built site runs no script but the theme's and loads nothing from outside (read as a browser reads
    it: escaped text is text), holds no file of a type it should not, and a public one contains nothing
    restricted, in its pages, data and Word and Excel documents alike. With `workers` > 1 the files are read
    by that many forked processes (where fork is safe); the first refusal, in the order of the files, is the
    one raised, as in one process."""
    guard = LeakGuard(view.restricted) if view is not None and view.public else None
    paths = [path for path in sorted(site_dir.rglob("*")) if path.is_file()]
    for problem in forked_map(functools.partial(_refusal, site_dir, guard), paths, workers):
        if problem is not None:
            raise BuildError(problem)


def _refusal(site_dir: Path, guard: LeakGuard | None, path: Path) -> str | None:
    """Why the built file at `path` may not be published, or None."""
    rel = path.relative_to(site_dir).as_posix()
    if rel.startswith(THEME_ASSETS) or rel == SITE_MARKER:
        return None  # the theme's own scripts and styles: not written from the project's data
    suffix = path.suffix.lower()
    if suffix in _BINARY:
        return None
    if suffix in _DOCUMENTS:
        text = document_text(path)
    elif suffix in (".html", ".htm", ".svg", ".xml", ".css", ".js", *_DATA):
        text = path.read_text(encoding="utf-8", errors="replace")
    else:
        return f"{rel}: a file of a type the site does not publish; nothing was published"
    if suffix == ".js" and rel not in OWN_SCRIPTS and not (rel == SEARCH_INDEX_SCRIPT and _json_script(text)):
        return f"{rel}: a script that is not the site's own; nothing was published [M003]"
    found = (
        scan_html(text, theme=True)
        if suffix in (".html", ".htm")
        else scan_svg(text)
        if suffix in (".svg", ".xml")
        else scan_css(text)
        if suffix == ".css"
        else []
    )
    if found:
        first = found[0]
        return (
            f"{rel}, line {first.line}: {first.what}; nothing was published (a page may not run "
            f"a script or load anything from outside the site) [M002]"
        )
    if guard is not None and (item := guard.first(_project_text(rel, text))) is not None:
        return LeakGuard.refusal(rel, item)
    return None


#: The page that holds the tool's own words, the same in every project (the rule reference and its examples):
#: a restricted text that happens to be quoted there is not leaked by it.
TOOL_PAGES = ("rules.html",)


def _project_text(rel: str, text: str) -> str:
    """The part of a built file that comes from the project: all of it but for the tool's own pages (and their
    entries in the search index)."""
    import json

    if rel in TOOL_PAGES:
        return ""
    if rel in ("search/search_index.json", SEARCH_INDEX_SCRIPT):
        index = json.loads(text.removeprefix(_INDEX_PREFIX))
        index["docs"] = [d for d in index.get("docs", []) if d.get("location", "").split("#")[0] not in TOOL_PAGES]
        return json.dumps(index, ensure_ascii=False) + "\n" + json.dumps(index)
    return text


def source_date(view: View) -> str:
    """SOURCE_DATE_EPOCH for MkDocs (sitemap dates, archives): the latest round's date, so builds repeat."""
    moment = datetime.combine(view.latest.date, time(0), tzinfo=UTC)
    return str(int(moment.timestamp()))


def prepare(
    root: Path,
    work: Path,
    view: View,
    lang: str | None = None,
    languages: list[str] | None = None,
    workers: int = 1,
) -> Path:
    """Render the pages of `view` in `lang` into work/docs and write the MkDocs configuration.

    `languages` are the languages built side by side: the first at the site's root, the others in a folder
    each, with a language switcher between them."""
    chosen = lang or view.framework.languages[0]
    handwritten = root / SITE_SOURCES / f"methodology.{chosen}.md"
    if not handwritten.is_file():
        handwritten = root / SITE_SOURCES / "methodology.md"
    renderer = Renderer(
        view,
        handwritten.read_text(encoding="utf-8") if handwritten.is_file() else "",
        lang,
        languages,
        workers=workers,
    )
    try:
        site = renderer.render()
    except DocumentLeak as exc:  # a public download would show a restricted text
        raise BuildError(str(exc)) from None
    nav, css = write_docs(site, view, root, work / "docs", renderer)
    return mkdocs_config(work, view, nav, css, renderer)


#: The theme's search dialog, as it writes it without a name.
SEARCH_DIALOG = 'data-md-component="search" role="dialog">'


def name_dialogs(text: str, tr: Any) -> str:
    """A page with the theme's search dialog given an accessible name (the theme writes none), in its language."""
    if SEARCH_DIALOG not in text:
        return text
    named = SEARCH_DIALOG[:-1] + f' aria-label="{html.escape(tr("site.search_dialog"), quote=True)}">'
    return text.replace(SEARCH_DIALOG, named)


#: A table of a page's content, as Markdown writes it (never nested in another).
TABLE = re.compile(r"<table[ >].*?</table>", re.S)
#: What names the part of a page a table is in: a heading, or the summary of a folded section.
HEADING = re.compile(r"<(h[1-6]|summary)[^>]*>(.*?)</\1>", re.S)
CAPTION = re.compile(r"<caption[^>]*>(.*?)</caption>", re.S)


def _plain(fragment: str) -> str:
    """The text of an HTML fragment as a screen reader says it: tags and the theme's permalink sign removed."""
    text = re.sub(r'<a class="headerlink"[^>]*>.*?</a>', "", fragment, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


#: The tables read as one card per row on a phone (a unit's line of the dashboard, a decision of the register), by
#: page (from the language's root) and the catalogue key of the heading they are under; `None`: every table of the
#: page that is not folded away in a section. Other tables keep their scrolling region.
CARD_TABLES: dict[str, str | None] = {"index.html": None, "decisions.html": "decisions.register"}
_HEADER_CELL = re.compile(r"<th[^>]*>(.*?)</th>", re.S)
_ROW = re.compile(r"<tr[^>]*>.*?</tr>", re.S)


def _is_card_table(rel: str, text: str, start: int, heading: str, tr: Any) -> bool:
    """Whether the table at `start` of page `rel` turns into cards on a phone (CARD_TABLES)."""
    if rel not in CARD_TABLES:
        return False
    key = CARD_TABLES[rel]
    if key is None:
        return text.count("<details", 0, start) == text.count("</details>", 0, start)
    return " ".join(heading.split()) == " ".join(tr(key).split())


def labelled_cells(table: str) -> str:
    """The table with each data cell labelled with its column's header (`data-label`, escaped), which a phone shows
    in front of the cell when each row is a card."""
    head, sep, body = table.partition("</thead>")
    if not sep:
        return table
    labels = [html.escape(_plain(cell), quote=True) for cell in _HEADER_CELL.findall(head)]

    def row(match: re.Match[str]) -> str:
        cells = iter(labels)
        return re.sub(r"<td(?=[ >])", lambda _: f'<td data-label="{next(cells, "")}"', match.group(0))

    return head + sep + _ROW.sub(row, body)


def scroll_regions(text: str, rel: str, tr: Any) -> str:
    """Page `rel` (from the language's root) with every table in a region of its own that scrolls sideways
    when the table is wider than the screen, can be reached with the keyboard (so its hidden columns can be
    scrolled into view without a mouse) and is named after the table's caption, or the heading or folded
    section's summary above it ("Sign-off (table)"). The theme's own wrapper no longer scrolls. The tables of
    CARD_TABLES are marked (`rd-cards`) and their cells labelled, for the phone's layout of one card per row
    (readiness.css)."""
    if "<table" not in text:
        return text
    out, at = [], 0
    for match in TABLE.finditer(text):
        before = text[at : match.start()]
        caption = CAPTION.search(match.group(0))
        headings = HEADING.findall(text, 0, match.start())
        heading = _plain(headings[-1][1]) if headings else ""
        title = _plain(caption.group(1)) if caption else heading
        label = tr("site.table_region", title=title) if title else tr("site.table_region_untitled")
        table, kind = match.group(0), "rd-scroll"
        if _is_card_table(rel, text, match.start(), heading, tr):
            table, kind = labelled_cells(table), "rd-scroll rd-cards"
        out += [
            before,
            f'<div class="{kind}" role="region" tabindex="0" aria-label="{html.escape(label, quote=True)}">',
            table,
            "</div>",
        ]
        at = match.end()
    return "".join([*out, text[at:]])


#: The marking band of a generated page (templates/_macros.md.j2): the edition's marking, and on the internal
#: edition the label that marks a restricted item.
PRINT_MARK = re.compile(
    r'<div class="rd-print-mark"(?: data-restricted="([^"]*)")? aria-hidden="true">(.*?)</div>', re.S
)


_EMPHASIS = re.compile(r"<(em|strong)>([^<]*)</\1>")


def _css_string(text: str) -> str:
    """Text as a CSS string inside an HTML `<style>` element: quotes, backslashes, line ends and `<` escaped."""
    escaped = "".join(c if c.isprintable() and c not in '"\\<>' else f"\\{ord(c):x} " for c in text)
    return f'"{escaped}"'


def page_marking(text: str, lang: str) -> str | None:
    """The marking a printed page carries: the highest of the page's own and of any item on it. A page that shows
    an item marked restricted (its label, or the label in brackets after a text, as the whole of an emphasis) is
    marked restricted, before the edition's marking. None for a page without a marking band."""
    from .i18n import Translator

    band = PRINT_MARK.search(text)
    if band is None:
        return None
    marking = _plain(band.group(2))
    label = html.unescape(band.group(1) or "")
    if label:
        shown = {label, Translator(lang)("site.restricted_mark", label=label)}
        if any(html.unescape(m.group(2)).strip() in shown for m in _EMPHASIS.finditer(text)):
            marking = f"{label} · {marking}"
    return marking


def print_markings(text: str, lang: str) -> str:
    """A page that prints its marking in the top margin of each printed page (a margin box: table headers that
    the browser repeats on a continuation page never run under it), the highest marking of any item on the page
    (page_marking). The band itself stays hidden: it is where the page's words are read from."""
    marking = page_marking(text, lang)
    if marking is None or "</head>" not in text:
        return text
    style = f"<style>@page {{ @top-center {{ content: {_css_string(marking)}; }} }}</style>"
    return text.replace("</head>", style + "</head>", 1)


def finish_pages(site: Path, lang: str) -> None:
    """What the theme leaves to do on every built page, for `build` and `serve` alike: each page of the build's
    work folder read once, its search dialog named, its tables in regions and its marking set for print, and
    written once."""
    from .i18n import Translator

    tr = Translator(lang)
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        done = print_markings(scroll_regions(name_dialogs(text, tr), page.relative_to(site).as_posix(), tr), lang)
        if done != text:
            page.write_text(done, encoding="utf-8")


def publish(
    root: Path,
    out: Path,
    view: View,
    languages: list[str] | None = None,
    progress: Any = None,
    cache: Path | None = None,
) -> Path:
    """Build the site for `view` into `out`, replacing what is there only if every step succeeds.

    The first language is built at the root of `out`, every other one in `out/<lang>/`; `progress`
    (readiness.progress) is told of each language built; `cache`: the folder of work kept by earlier builds
    (readiness.store; the pages MkDocs converted in its `pages/`, readiness.pagecache), or None to convert
    every page."""
    from .progress import NullProgress

    progress = progress or NullProgress()
    languages = languages or [view.framework.languages[0]]
    try:
        out = check_site_folder(out, root)
    except UnsafeOutput as exc:
        raise BuildError(str(exc)) from None
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_work(out)
        work = Path(tempfile.mkdtemp(prefix=f".{out.name}-build-{os.getpid()}-", dir=out.parent))
    except OSError as exc:
        raise BuildError(
            f"cannot write the site next to {out}: {exc.strerror or exc}; choose another --out or "
            "check the folder's permissions"
        ) from None
    previous_epoch = os.environ.get("SOURCE_DATE_EPOCH")
    try:
        if previous_epoch is None:
            os.environ["SOURCE_DATE_EPOCH"] = source_date(view)
        with progress.stage(
            "building the site in", total=len(languages), unit="languages", past="built the site in"
        ) as stage:
            cores = os.cpu_count() or 1
            side_by_side = min(cores, len(languages))
            if side_by_side > 1 and can_fork(side_by_side):  # each language in a process of its own
                tasks = [
                    functools.partial(build_language, root, work, view, lang, languages, cache=cache)
                    for lang in languages
                ]
                with Pending(tasks, side_by_side) as pending:
                    pending.results()
                stage.advance(len(languages))
            else:  # one language after the other, each sharing its work out between the cores
                for lang in languages:
                    build_language(root, work, view, lang, languages, workers=cores, cache=cache)
                    stage.advance()
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
            raise BuildError(
                f"cannot put the new site in {out}: {exc.strerror or exc}; the previous site is unchanged"
            ) from None
    finally:
        if previous_epoch is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        shutil.rmtree(work, ignore_errors=True)
    return out


def build_language(
    root: Path,
    work: Path,
    view: View,
    lang: str,
    languages: list[str],
    workers: int = 1,
    cache: Path | None = None,
) -> None:
    """The site of one language, in work/<lang>/site: its pages (`prepare`), then `built_site`."""
    config = prepare(root, work / lang, view, lang, languages, workers=workers)
    built_site(config, lang, view, workers=workers, cache=cache)


def built_site(config: Path, lang: str, view: View | None, workers: int = 1, cache: Path | None = None) -> Path:
    """The pages `prepare` wrote for one language (`config`: their mkdocs.yml) as the site a reader gets, in the
    `site/` folder beside it: MkDocs, the pages finished, every built file verified by the scanner (`view`: what
    a public edition must not show). `readiness build` and `serve`'s preview both publish through this, so a
    preview never shows what a build would refuse. `cache`: see `publish`. Returns the site folder."""
    build_html(config, workers, cache)
    site = config.parent / "site"
    finish_pages(site, lang)
    verify(site, view, workers=workers)
    return site


def remove_stale_work(out: Path) -> list[Path]:
    """Remove the work folders that builds into `out` left behind when they were killed (`.site-build-<pid>-…`
    whose process is gone). A build that is still running keeps its own. Returns what was removed."""
    removed = []
    pattern = re.compile(rf"\.{re.escape(out.name)}-build-(\d+)-[^/]*")
    for path in out.parent.glob(f".{out.name}-build-*"):
        match = pattern.fullmatch(path.name)
        if match is None or not path.is_dir() or path.is_symlink() or _running(int(match.group(1))):
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


def _running(pid: int) -> bool:
    """Whether a process with this id exists (ours, or another user's)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


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
