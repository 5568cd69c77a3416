"""The site's sources: mkdocs.yml (M001) and the hand-written pages, drawings and style sheets of site/ (M002).

The site runs no script and loads nothing from outside itself; these rules hold the team's own files to that
(the same scanner reads the built site)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..i18n import say
from ..loading import MAX_FILE_BYTES
from ..project import SITE_SOURCES
from ..safety import (
    SITE_FILE_TYPES,
    hidden_site_path,
    scan_css,
    scan_html,
    scan_markdown,
    scan_svg,
    unpublished_site_file,
    unsafe_site_name,
)
from .base import ERROR, Context, Problem, Rule, at, in_file

_SCANNERS = {"markdown": scan_markdown, "css": scan_css, "svg": scan_svg, "html": lambda text: scan_html(text, False)}


@dataclass(frozen=True)
class Page:
    """A page, drawing or style sheet of site/: its text, or why it could not be read (`unreadable`, `hint`)."""

    shown: str
    kind: str
    text: str | None
    unreadable: str = ""
    hint: str = ""


def site_pages(ctx: Context) -> list[Page]:
    """The files of site/ that the scanner reads, each read once per run (P001 reports those it cannot)."""
    project = ctx.project
    pages = []
    for rel in project.site_files:
        kind = SITE_FILE_TYPES.get(Path(rel).suffix.lower(), "")
        if kind not in _SCANNERS or hidden_site_path(rel):
            continue
        path = project.root / SITE_SOURCES / rel
        shown = f"{SITE_SOURCES}/{rel}"
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                pages.append(
                    Page(
                        shown,
                        kind,
                        None,
                        say("rule.M002.page_too_large", size=MAX_FILE_BYTES // 1048576),
                        say("rule.M002.page_too_large_hint"),
                    )
                )
                continue
            text = path.read_bytes().decode("utf-8", errors="replace")
        except OSError as exc:
            pages.append(
                Page(
                    shown,
                    kind,
                    None,
                    say("rule.M002.page_unreadable", reason=exc.strerror or exc),
                    say("rule.M002.page_unreadable_hint"),
                )
            )
            continue
        pages.append(Page(shown, kind, text))
    return pages


class SiteSettings(Rule):
    """`mkdocs.yml` is read as data: it may set the site's title, colours, logo and favicon, and nothing that
    would run code during the build (hooks, Python tags), bring in other plugins or templates, load from
    outside, or name a file that site/ does not hold. Refused keys are reported while validating
    (validation.py); the check looks for the logo and favicon in site/.

    Fails, as mkdocs.yml:

        site_name: Lomara readiness
        theme:
          name: material
        hooks:
          - hooks/publish.py

    Passes, as mkdocs.yml:

        site_name: Lomara readiness
        theme:
          name: material
          palette: {primary: indigo}
    """

    code = "M001"
    name = "site-settings"
    severity = ERROR
    raised_in = "validation.py"
    needs_framework = False

    def check(self, ctx: Context) -> Iterator[Problem]:
        settings = ctx.project.settings
        if settings is None:
            return
        for key in ("logo", "favicon"):
            value = getattr(settings.theme, key)
            if value is not None and value not in ctx.project.site_files:
                yield at(
                    "settings",
                    "",
                    ("theme", key),
                    say("rule.M001.image_not_in_site", key=key, value=value),
                    say("rule.M001.image_not_in_site_hint", value=value),
                )


class SitePage(Rule):
    """A page, drawing or style sheet of site/ that would run a script (a `<script>`, an event handler such as
    `onclick`, a `javascript:` link) or load something from outside the site (an image, a font or a style sheet
    by its web address). The site must work offline and from a file share, and show nothing it does not hold.

    Fails, as site/about.md:

        # About this assessment

        Who assesses, how often, and who decides.

        <script src="https://example.org/track.js"></script>

    Passes, as site/about.md:

        # About this assessment

        Who assesses, how often, and who decides.
    """

    code = "M002"
    name = "site-page"
    severity = ERROR
    needs_framework = False

    def check(self, ctx: Context) -> Iterator[Problem]:
        for page in ctx.shared(site_pages):
            if page.text is None:
                continue
            for problem in _SCANNERS[page.kind](page.text):
                yield in_file(
                    page.shown,
                    (problem.line, 1),
                    problem.what,
                    say("rule.M002.page_hint"),
                )


class SiteFile(Rule):
    """A file of site/ that the site does not publish as it is: a type it does not publish (only Markdown and
    HTML pages, style sheets, SVG drawings, PNG, JPEG, GIF, WebP and ICO pictures, and WOFF, WOFF2, TTF and OTF
    fonts), a picture or font whose first bytes are not those of its type, or a name that could break out of
    the page it is written into (a name of site/ is printed into links, the navigation and the theme's logo:
    letters, digits, `-`, `_`, `.` and spaces only). Files and folders whose name starts with a dot are never
    published and not checked.

    Fails, as site/tracker.js:

        fetch("https://example.org/?" + document.title)

    Passes, as site/about.md:

        # About this assessment

        Who assesses, how often, and who decides.
    """

    code = "M003"
    name = "site-file"
    severity = ERROR
    needs_framework = False

    def check(self, ctx: Context) -> Iterator[Problem]:
        for rel in ctx.project.site_files:
            if hidden_site_path(rel):
                continue
            shown = f"{SITE_SOURCES}/{rel}"
            reason = unsafe_site_name(rel)
            if reason is not None:
                yield in_file(
                    shown,
                    (1, 1),
                    say("rule.M003.unsafe_name", reason=reason),
                    say("rule.M003.unsafe_name_hint"),
                )
                continue
            try:
                with (ctx.project.root / SITE_SOURCES / rel).open("rb") as f:
                    head = f.read(16)
            except OSError:
                continue  # P001 reports a file that cannot be read
            reason = unpublished_site_file(rel, head)
            if reason is not None:
                yield in_file(shown, (1, 1), say("rule.M003.not_published", reason=reason), self.fix)
