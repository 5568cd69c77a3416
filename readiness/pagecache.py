"""MkDocs' work on a page kept between builds: a page whose Markdown, configuration and neighbours have not changed
is not converted again, nor indexed for search again.

A build after one assessment changed writes most pages exactly as before (the other regions' pages, most
indicators, the methodology); MkDocs would still convert each page's Markdown to HTML and parse that HTML for its
search index, most of a build's time. This store keeps what that work produced for each page (its Markdown after
the plugins, metadata, HTML, table of contents, title, anchors, links to other pages' anchors, and its search
entries), content-addressed: an entry's name is a digest of everything the work reads, so a changed input
simply finds no entry.

What the key covers (`PageStore.key`): the page's source bytes, its path and its title in the navigation; the
configuration without the navigation (Markdown extensions, plugins, theme, validation); every file of the site
with where it is written (links are resolved against them); the versions of readiness, MkDocs, Python-Markdown,
the theme and Python; and this store's format. Nothing else goes into converting a page.

Kept in a readiness.store folder (safe under builds running at once; JSON, never pickles, so the folder runs
nothing when read); what an entry holds still goes through the scan of every built page, like everything else in
the site.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .store import Store, digest, versions

#: The shape of an entry; a change of shape is a new format, and older entries are never read.
FORMAT = 1
#: The packages whose versions change what a page converts to.
PACKAGES = ("mkdocs", "markdown", "mkdocs-material", "pymdown-extensions")


class Converted:
    """What MkDocs' conversion of one page produced, and the search entries made from it."""

    __slots__ = ("anchors", "content", "entries", "links", "markdown", "meta", "title", "toc")

    def __init__(
        self,
        markdown: str,
        meta: dict[str, Any],
        content: str,
        toc: list[Any],
        title: str | None,
        anchors: list[str] | None,
        links: dict[str, dict[str, str]] | None,
        entries: list[dict[str, Any]] | None,
    ) -> None:
        self.markdown, self.meta, self.content, self.toc = markdown, meta, content, toc
        self.title, self.anchors, self.links, self.entries = title, anchors, links, entries

    @classmethod
    def of(cls, page: Any, entries: list[dict[str, Any]] | None) -> Converted:
        """What `page` holds after MkDocs converted it (the table of contents as plain lists)."""
        links = page.links_to_anchors
        return cls(
            page.markdown,
            page.meta,
            page.content,
            [_plain_toc(item) for item in page.toc],
            page._title_from_render,
            None if page.present_anchor_ids is None else sorted(page.present_anchor_ids),
            None if links is None else {f.src_uri: dict(v) for f, v in links.items()},
            entries,
        )

    def apply(self, page: Any, files: Any) -> None:
        """Give `page` what its conversion produced, as if MkDocs had just converted it."""
        from mkdocs.structure.toc import TableOfContents

        page.markdown, page.meta, page.content = self.markdown, self.meta, self.content
        page.toc = TableOfContents([_anchor(item) for item in self.toc])
        page._title_from_render = self.title
        page.present_anchor_ids = None if self.anchors is None else set(self.anchors)
        if self.links is not None:
            linked = ((files.get_file_from_path(uri), v) for uri, v in self.links.items())
            page.links_to_anchors = {file: dict(v) for file, v in linked if file is not None}

    def to_json(self) -> str:
        return json.dumps({"format": FORMAT, **{name: getattr(self, name) for name in self.__slots__}})

    @classmethod
    def from_json(cls, text: str) -> Converted | None:
        """The entry, or None if it is not one this version wrote whole."""
        try:
            data = json.loads(text)
        except ValueError:
            return None
        if not isinstance(data, dict) or data.get("format") != FORMAT or set(data) != {"format", *cls.__slots__}:
            return None
        if not (
            isinstance(data["markdown"], str)
            and isinstance(data["content"], str)
            and isinstance(data["meta"], dict)
            and isinstance(data["toc"], list)
            and all(_is_toc_item(item) for item in data["toc"])
            and isinstance(data["title"], str | None)
            and _is_list_of(data["anchors"], str)
            and _is_list_of(data["entries"], dict)
            and (
                data["links"] is None
                or isinstance(data["links"], dict)
                and all(isinstance(v, dict) for v in data["links"].values())
            )
        ):
            return None
        return cls(**{name: data[name] for name in cls.__slots__})


def _is_list_of(value: Any, kind: type) -> bool:
    return value is None or isinstance(value, list) and all(isinstance(item, kind) for item in value)


def _is_toc_item(item: Any) -> bool:
    return (
        isinstance(item, list)
        and len(item) == 4
        and isinstance(item[0], str)
        and isinstance(item[1], str)
        and isinstance(item[2], int)
        and isinstance(item[3], list)
        and all(_is_toc_item(child) for child in item[3])
    )


def _plain_toc(item: Any) -> list[Any]:
    return [item.title, item.id, item.level, [_plain_toc(child) for child in item.children]]


def _anchor(item: list[Any]) -> Any:
    from mkdocs.structure.toc import AnchorLink

    title, anchor_id, level, children = item
    link = AnchorLink(title, anchor_id, level)
    link.children = [_anchor(child) for child in children]
    return link


class PageStore:
    """The pages of one folder (a readiness.store.Store), for one MkDocs configuration and set of files."""

    def __init__(self, folder: Path, config_file: Path, files: Any) -> None:
        import yaml

        self.store = Store(folder)
        settings = yaml.safe_load(config_file.read_text(encoding="utf-8")) or {}
        settings.pop("nav", None)  # a page's own title in it is part of the page's key
        where = sorted((f.src_uri, f.dest_uri, f.url, str(f.inclusion)) for f in files)
        self.salt = digest(json.dumps([FORMAT, versions(*PACKAGES), settings, where], sort_keys=True, default=str))

    def key(self, page: Any) -> str:
        """The digest of everything converting `page` reads (see the module's docstring)."""
        nav_title = page.__dict__.get("title")  # given by the navigation, before the page is read
        return digest(
            self.salt,
            page.file.src_uri,
            "" if nav_title is None else str(nav_title),
            Path(page.file.abs_src_path).read_bytes(),
        )

    def get(self, key: str) -> Converted | None:
        data = self.store.get(key)
        try:
            return None if data is None else Converted.from_json(data.decode("utf-8"))
        except UnicodeDecodeError:
            return None

    def put(self, key: str, converted: Converted) -> None:
        try:
            data = converted.to_json().encode("utf-8")
        except (TypeError, ValueError):  # metadata JSON cannot hold: that page is converted every time
            return
        self.store.put(key, data)

    def prune(self) -> int:
        return self.store.prune()
