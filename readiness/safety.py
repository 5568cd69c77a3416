"""What may reach a page: the one escaper, the one sanitiser and the one scanner of the site.

Text from YAML reaches a page in one of three ways, and only these:
- `escape_markdown`: plain text (names, labels, references). HTML-escaped (quotes too) and Markdown punctuation
  neutralised, so it can neither open a tag nor form a link. `Safe` is the string type of text that has been
  through it; formatting a `Safe` template escapes every value put into it the same way.
- `sanitise_markdown`: the teams' narratives, risks and recommendations. Markdown formatting is kept; raw HTML
  is shown as text; links keep only an allowlisted target (relative, http, https, mailto), any other is shown as
  text; images and attribute lists are not formed.
- `html_text`: names handed to the site engine and its theme (site name, navigation and page titles), which
  print them into HTML as they are.

After the build, `scan_html` and `scan_css` read every page, SVG and style sheet of the site as a browser would
(an HTML parser, not a search in text) and report anything that runs a script or loads from outside the site:
a script that is not the theme's own, an event handler, a `javascript:`/`vbscript:`/`data:` link, any
attribute or CSS that loads a resource from an absolute address. Escaped text is text: it is never reported.
The same scanner checks the hand-written pages of site/ in `readiness check`.
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from markupsafe import Markup

_MD_SPECIAL = re.compile(r"([\\`*_\[\]#|{}<>!])")


class Safe(Markup):
    """Text safe to put into a Markdown page. Values joined to it or formatted into it are escaped for HTML
    and Markdown alike (a plain `Markup` would escape HTML only, leaving `[x](javascript:...)` a live link)."""

    __slots__ = ()

    @classmethod
    def escape(cls, s: object) -> Safe:
        if hasattr(s, "__html__"):
            return cls(s.__html__())
        return escape_markdown(str(s))


def escape_markdown(text: object) -> Safe:
    """Plain text for a Markdown page: HTML-escaped (quotes included, so it is safe in an attribute too),
    Markdown punctuation neutralised, on one line."""
    escaped = html.escape(str(text), quote=True)
    return Safe(_MD_SPECIAL.sub(r"\\\1", escaped).replace("\r", " ").replace("\n", " "))


def html_text(text: object) -> str:
    """Text for the site engine and its theme, which put names into HTML without escaping them."""
    return html.escape(str(text).replace("\r", " ").replace("\n", " "), quote=True)


# ---------------------------------------------------------------- links

_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f]")  # browsers drop tabs and line breaks, and trim the rest
LINK_SCHEMES = ("http", "https", "mailto")


def _normalised(url: str) -> str:
    """A URL as a browser reads an attribute's (already decoded) value: spaces and controls dropped,
    backslashes as slashes, lower case."""
    return _IGNORED_IN_URL.sub("", url).replace("\\", "/").lower().lstrip("<")


def _decoded(text: str) -> str:
    """Text with HTML character references decoded until none is left (a sanitiser must not be fooled by
    `&amp;#106;avascript:`, even where a browser would decode only once)."""
    for _ in range(5):
        decoded = html.unescape(text)
        if decoded == text:
            break
        text = decoded
    return text


def link_allowed(url: str) -> bool:
    """Whether a link target from a team's text may be followed: relative, http(s) or mailto."""
    target = _normalised(_decoded(url))
    match = _SCHEME.match(target)
    return match is None or match.group(1) in LINK_SCHEMES


def loads_from_outside(url: str) -> bool:
    """Whether a resource address points outside the site: any scheme but data: and blob:, or `//host`."""
    target = _normalised(url)
    if target.startswith("//"):
        return True
    match = _SCHEME.match(target)
    return match is not None and match.group(1) not in ("data", "blob")


def script_link(url: str) -> bool:
    """Whether a link or form target runs something when followed (javascript:, vbscript:, data:)."""
    match = _SCHEME.match(_normalised(url))
    return match is not None and match.group(1) in ("javascript", "vbscript", "data", "livescript")


# ---------------------------------------------------------------- narratives

_INLINE_LINK = re.compile(r"\]\(")
_REFERENCE = re.compile(r"^( {0,3})\[([^\]\n]+)\]:[ \t]*(\S*)", re.MULTILINE)


def _link_target(text: str, start: int) -> str:
    """What follows `](` up to its unbalanced `)` or the end of the line: the destination, and any title. Read
    whole, because a browser drops the tabs and spaces a parser might stop at (`java\tscript:`)."""
    depth, i = 0, start
    while i < len(text) and text[i] != "\n":
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            if depth == 0:
                break
            depth -= 1
        i += 1
    return text[start:i]


#: A code span as Markdown reads it, on one line (a span over several lines could hide a raw HTML block from
#: this function but not from Markdown) and not opened by an escaped backtick.
_CODE_SPAN = re.compile(r"(?<![\\`])(`+)([^`\n](?:[^\n]*?[^`\n])?)\1(?!`)")


def sanitise_markdown(text: str) -> Safe:
    """Markdown written by assessment teams: formatting allowed; raw HTML shown as text; links only to
    relative, http(s) and mailto targets (any other link is shown as text); no images (which would load from
    outside); no attribute lists. Code spans (`...`) are left as written: Markdown shows their content as text
    and escapes it itself."""
    text = text.strip()
    out, last = [], 0
    for match in _CODE_SPAN.finditer(text):
        out.append(_sanitise_prose(text[last : match.start()]) + match.group(0))
        last = match.end()
    return Safe("".join(out) + _sanitise_prose(text[last:]))


def _sanitise_prose(text: str) -> str:
    safe = html.escape(text, quote=False)  # quotes stay: link titles work; narratives are never attributes
    safe = safe.replace("{", "&#123;").replace("}", "&#125;")
    safe = safe.replace("![", "!\\[")
    out, last = [], 0
    for match in _INLINE_LINK.finditer(safe):
        if not link_allowed(_link_target(safe, match.end())):
            out.append(safe[last : match.start()] + "]\\(")  # the bracket no longer opens a link
            last = match.end()
    safe = "".join(out) + safe[last:]

    def reference(match: re.Match[str]) -> str:
        if link_allowed(match.group(3)):
            return match.group(0)
        return f"{match.group(1)}\\[{match.group(2)}]:{match.group(0).split(']:', 1)[1]}"

    return _REFERENCE.sub(reference, safe)


# ---------------------------------------------------------------- the scanner

#: Attributes whose value an element loads as a resource, by element ("*": any element).
_RESOURCE_ATTRIBUTES = {
    "src": "*",
    "srcset": "*",
    "poster": "*",
    "background": "*",
    "lowsrc": "*",
    "dynsrc": "*",
    "data": "object",
    "codebase": "*",
    "archive": "*",
    "manifest": "html",
    "icon": "*",
    "longdesc": "*",
    "href": (
        "link",
        "image",
        "use",
        "feimage",
        "script",
        "base",
        "tref",
        "filter",
        "pattern",
        "textpath",
        "mpath",
        "cursor",
        "font-face-uri",
        "color-profile",
    ),
    "xlink:href": (
        "image",
        "use",
        "feimage",
        "script",
        "tref",
        "filter",
        "pattern",
        "textpath",
        "mpath",
        "cursor",
        "font-face-uri",
        "color-profile",
    ),
}
_LINK_ATTRIBUTES = ("href", "xlink:href", "action", "formaction", "src", "data")
_CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)""", re.IGNORECASE | re.DOTALL)
_CSS_IMPORT = re.compile(r"""@import\s+(?:url\()?\s*['"]?([^'")\s;]+)""", re.IGNORECASE)
_CSS_EXPRESSION = re.compile(r"expression\s*\(|behaviou?r\s*:|-moz-binding", re.IGNORECASE)
_REFRESH_URL = re.compile(r"url\s*=", re.IGNORECASE)


@dataclass(frozen=True)
class Finding:
    line: int
    what: str


def scan_css(text: str, line: int = 1) -> list[Finding]:
    """Everything a style sheet (or a style attribute) would load from outside or run."""
    found = []
    for match in _CSS_URL.finditer(text):
        scheme = _SCHEME.match(_normalised(match.group(2)))
        if loads_from_outside(match.group(2)) or (scheme and scheme.group(1) in ("javascript", "vbscript")):
            found.append(
                Finding(
                    line + text.count("\n", 0, match.start()),
                    f"CSS loads {match.group(2)[:80]!r} from outside the site",
                )
            )
    for match in _CSS_IMPORT.finditer(text):
        if loads_from_outside(match.group(1)):
            found.append(
                Finding(
                    line + text.count("\n", 0, match.start()),
                    f"CSS imports {match.group(1)[:80]!r} from outside the site",
                )
            )
    for match in _CSS_EXPRESSION.finditer(text):
        found.append(Finding(line + text.count("\n", 0, match.start()), f"CSS runs code ({match.group(0)})"))
    return found


@functools.lru_cache(maxsize=1)
def theme_scripts() -> re.Pattern[str]:
    """The inline scripts of the installed theme's templates, with their template values as wildcards: the
    only inline scripts a built page may hold."""
    import material

    bodies = set()
    for template in sorted((Path(material.__file__).parent / "templates").rglob("*.html")):
        for body in re.findall(r"<script>(.*?)</script>", template.read_text(encoding="utf-8"), re.DOTALL):
            if "{%" not in body:
                bodies.add(body.strip())
    parts = []
    for body in sorted(bodies):
        pieces = re.split(r"\{\{.*?\}\}", body)
        parts.append(r"[^\"'<>\\\s]*".join(re.escape(p) for p in pieces))
    return re.compile(r"\A\s*(?:" + "|".join(parts) + r")\s*\Z", re.DOTALL) if parts else re.compile(r"\A\Z")


class _Scanner(HTMLParser):
    def __init__(self, theme: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.theme = theme
        self.found: list[Finding] = []
        self._script: tuple[int, bool] | None = None  # (line, whether its text must be the theme's)
        self._script_text: list[str] = []
        self._style: int | None = None
        self._style_text: list[str] = []

    def report(self, what: str) -> None:
        self.found.append(Finding(self.getpos()[0], what))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            if name.startswith("on"):
                self.report(f"<{tag}> has an event handler ({name})")
            if (
                name in _LINK_ATTRIBUTES
                and script_link(value)
                and not (name in ("src", "data") and _normalised(value).startswith("data:image/"))
            ):
                self.report(f"<{tag} {name}> runs a script link ({value[:60]!r})")
            where = _RESOURCE_ATTRIBUTES.get(name)
            if where is not None and (where == "*" or tag in where):
                urls = [c.strip().split(" ")[0] for c in value.split(",")] if name == "srcset" else [value]
                for url in urls:
                    if url and loads_from_outside(url):
                        self.report(f"<{tag} {name}> loads {url[:80]!r} from outside the site")
            if name == "style":
                self.found += [Finding(self.getpos()[0], f"<{tag} style>: {f.what}") for f in scan_css(value)]
        if (
            tag == "meta"
            and values.get("http-equiv", "").lower() == "refresh"
            and _REFRESH_URL.search(values.get("content", ""))
        ):
            self.report("<meta http-equiv=refresh> sends the reader elsewhere")
        if tag == "base":
            self.report("<base> changes where every link of the page points")
        if tag == "script":
            src = values.get("src")
            if src is not None:
                if not self.theme or loads_from_outside(src):
                    self.report(f"<script src={src[:60]!r}>")
                self._script = None
            elif values.get("type", "").lower() == "application/json" and self.theme:
                self._script = None  # the theme's configuration: data, never run
            else:
                self._script = (self.getpos()[0], True)
                self._script_text = []
        if tag == "style":
            self._style, self._style_text = self.getpos()[0], []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in ("script", "style"):
            self.handle_endtag(tag)

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script_text.append(data)
        elif self._style is not None:
            self._style_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            line, _ = self._script
            body = "".join(self._script_text)
            if not self.theme or not theme_scripts().match(body):
                self.found.append(Finding(line, f"an inline script ({body.strip()[:60]!r})"))
            self._script = None
        if tag == "style" and self._style is not None:
            self.found += scan_css("".join(self._style_text), self._style)
            self._style = None


def scan_html(text: str, theme: bool = True) -> list[Finding]:
    """Everything in an HTML page or SVG drawing that runs a script or loads from outside the site. With
    `theme`, the theme's own scripts (its bundle, its configuration, its inline helpers) are allowed."""
    scanner = _Scanner(theme)
    scanner.feed(text)
    scanner.close()
    if scanner._script is not None:  # a script left open at the end of the file
        scanner.found.append(Finding(scanner._script[0], "an unterminated inline script"))
    return scanner.found


_MD_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)")
_MD_REFERENCE = re.compile(r"^ {0,3}\[[^\]\n]+\]:[ \t]*<?(\S+?)>?(?:\s|$)", re.MULTILINE)


def scan_markdown(text: str) -> list[Finding]:
    """What a hand-written Markdown page of site/ would run or load from outside once built: its raw HTML,
    Markdown images with an absolute address, and links or references to script targets."""
    found = scan_html(text, theme=False)
    for match in _MD_IMAGE.finditer(text):
        if loads_from_outside(match.group(1)):
            found.append(
                Finding(
                    text.count("\n", 0, match.start()) + 1, f"an image from outside the site ({match.group(1)[:80]!r})"
                )
            )
    for match in _INLINE_LINK.finditer(text):
        target = _link_target(text, match.end())
        if script_link(target):
            found.append(Finding(text.count("\n", 0, match.start()) + 1, f"a script link ({target[:60]!r})"))
    for match in _MD_REFERENCE.finditer(text):
        if script_link(match.group(1)):
            found.append(Finding(text.count("\n", 0, match.start()) + 1, f"a script link ({match.group(1)[:60]!r})"))
    return sorted(set(found), key=lambda f: (f.line, f.what))
