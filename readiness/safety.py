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
from pathlib import Path
from typing import Any

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

    def __html_format__(self, spec: str) -> Safe:
        """`{region:de}` in a catalogue entry: French's preposition and article before a name already made safe
        (readiness/i18n/french.py); only a letter and an apostrophe are added before it."""
        if not spec:
            return self
        from .i18n.french import SPECS

        if spec not in SPECS:
            raise ValueError(f"unsupported format specification {spec!r} for safe text")
        return Safe(SPECS[spec](str(self)))


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


#: A code span as Markdown reads it: a run of backticks, text on the same line, the same run again. Where this
#: and Markdown disagree nothing is lost: the span's text is escaped either way (see sanitise_markdown).
_CODE_SPAN = re.compile(r"(?<![\\`])(`+)(?!`)([^\n]+?)(?<!`)\1(?!`)")


def sanitise_markdown(text: str) -> Safe:
    """Markdown written by assessment teams: formatting allowed; raw HTML shown as text; links only to
    relative, http(s) and mailto targets (any other link is shown as text); no images (which would load from
    outside); no attribute lists.

    Safe by construction: not one `<` of the team's text reaches the page as a `<`. Prose is HTML-escaped, and
    a code span (`...`) is written as our own `<code>` element around its text escaped like any name, so that
    no code span, however Markdown reads its backticks, can carry raw HTML past the escaping."""
    text = text.strip()
    out, last = [], 0
    for match in _CODE_SPAN.finditer(text):
        out.append(_sanitise_prose(text[last : match.start()]))
        out.append(f"<code>{escape_markdown(match.group(2).strip())}</code>")
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

#: The Markdown extensions of every page the site engine builds (site.mkdocs_config writes them), so that
#: `check` reads a hand-written page of site/ exactly as the build will.
MARKDOWN_EXTENSIONS: tuple[str, ...] = ("admonition", "tables", "md_in_html", "toc")

#: Attributes whose value an element loads as a resource, by element ("*": any element).
_RESOURCE_ATTRIBUTES: dict[str, str | tuple[str, ...]] = {
    "src": "*",
    "srcset": "*",
    "imagesrcset": "*",
    "poster": "*",
    "background": "*",
    "lowsrc": "*",
    "dynsrc": "*",
    "data": "*",
    "codebase": "*",
    "archive": "*",
    "classid": "*",
    "manifest": "*",
    "icon": "*",
    "longdesc": "*",
    "ping": "*",
    "profile": "*",
    "cite": ("blockquote", "q", "del", "ins"),
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
}
#: Attributes a browser follows or submits to: a script scheme there runs when clicked or submitted.
_LINK_ATTRIBUTES = ("href", "xlink:href", "action", "formaction", "src", "data", "to", "from", "values", "by")
#: Elements whose `data:image/...` source is a picture, which runs no script (in a frame, an embed or an object
#: the same address is a page of its own, which may).
_PICTURES = ("img", "image", "source", "input", "video", "picture", "feimage")
#: CSS functions whose arguments are addresses the browser loads.
_CSS_LOADERS = ("url", "src", "image-set", "-webkit-image-set", "image", "cross-fade", "-webkit-cross-fade")
_CSS_CODE = ("behavior", "behaviour", "-moz-binding")
_REFRESH_URL = re.compile(r"url\s*=", re.IGNORECASE)
_SCRIPT_SCHEMES = ("javascript", "vbscript", "livescript")


@dataclass(frozen=True)
class Finding:
    line: int
    what: str


def _line(text: str, needle: str, start: int = 1) -> int:
    """The line of `text` where `needle` first appears (1 if it does not: a parser's tree has no positions)."""
    at = text.find(needle) if needle else -1
    return start + text.count("\n", 0, at) if at >= 0 else start


def scan_css(text: str, line: int = 1, declarations: bool = False) -> list[Finding]:
    """Everything a style sheet (or, with `declarations`, a style attribute) would load from outside or run,
    read as a browser reads CSS (tinycss2 tokenises by the CSS Syntax standard, so `\\75 rl(` is `url(` and
    `\\68ttps:` is `https:`)."""
    import tinycss2

    found: list[Finding] = []

    def report(token: Any, what: str) -> None:
        found.append(Finding(line + token.source_line - 1, what))

    def address(token: Any) -> None:
        url = token.value
        scheme = _SCHEME.match(_normalised(url))
        if loads_from_outside(url) or (scheme and scheme.group(1) in _SCRIPT_SCHEMES):
            report(token, f"CSS loads {url[:80]!r} from outside the site")

    def walk(tokens: Any, loader: bool = False) -> None:
        for token in tokens or ():
            kind = token.type
            if kind == "url" or (kind == "string" and loader):
                address(token)
            elif kind == "function":
                name = token.lower_name
                if name == "expression":
                    report(token, "CSS runs code (expression())")
                walk(token.arguments, loader or name in _CSS_LOADERS)
            elif kind == "ident" and token.lower_value in _CSS_CODE:
                report(token, f"CSS runs code ({token.value})")
            elif kind == "at-rule":
                walk(token.prelude, loader or token.lower_at_keyword == "import")
                walk(token.content, loader)
            elif kind == "qualified-rule":
                walk(token.prelude, loader)
                walk(token.content, loader)
            elif kind in ("() block", "[] block", "{} block"):
                walk(token.content, loader)

    parsed = (
        tinycss2.parse_blocks_contents(text)
        if declarations
        else tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True)
    )
    for item in parsed:
        if item.type == "declaration":
            if item.lower_name in _CSS_CODE:
                report(item, f"CSS runs code ({item.name})")
            walk(item.value)
        else:
            walk([item])
    return found


@functools.lru_cache(maxsize=16384)
def _style_findings(declarations: str) -> tuple[Finding, ...]:
    """`scan_css` of a style attribute, once per distinct text: a site's pages repeat the same few hundred
    (a bar's width, a level's colour) hundreds of thousands of times."""
    return tuple(scan_css(declarations, 1, True))


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


def scan_html(text: str, theme: bool = True) -> list[Finding]:
    """Everything in an HTML page or SVG drawing that runs a script or loads from outside the site, read as a
    browser reads it: an HTML5 parser (lexbor, through selectolax) with scripting on, so comments, CDATA,
    `<noscript>`, foreign content (`<svg><style>`) and broken markup form the elements a browser forms. The
    content of `<template>`, `<noscript>` (as a browser without scripts reads it) and `srcdoc` is read too.
    With `theme`, the theme's own scripts (its bundle, its configuration, its inline helpers) are allowed."""
    found: list[Finding] = []
    _scan_document(text, theme, found, depth=0)
    return sorted(set(found), key=lambda f: (f.line, f.what))


def _scan_document(text: str, theme: bool, found: list[Finding], depth: int, base: str | None = None) -> None:
    """Scan one document (or a piece of one read as a document: a template, noscript, srcdoc)."""
    from selectolax.lexbor import LexborHTMLParser

    source = base if base is not None else text
    if depth > 8:
        found.append(Finding(1, "markup nested too deep to read (templates or frames inside each other)"))
        return
    tree = LexborHTMLParser(text, scripting=True)
    roots = [tree.root, *_templates(tree)]
    for root in roots:
        if root is None:
            continue
        for node in root.traverse(include_text=False):
            _scan_element(node, theme, found, depth, source)


def _templates(tree: Any) -> list[Any]:
    """The content of every `<template>`, nested ones included (not part of the document tree)."""
    out, todo = [], list(tree.template_fragments())
    while todo:
        fragment = todo.pop()
        out.append(fragment)
        todo.extend(fragment.template_fragments())
    return out


def _scan_element(node: Any, theme: bool, found: list[Finding], depth: int, source: str) -> None:
    tag = (node.tag or "").lower()
    if tag.startswith("-"):
        return  # text, comments, the document
    tag = tag.split(":")[-1]  # `svg:script` is a script to an XML reader
    attrs = {(name or "").lower(): value or "" for name, value in node.attributes.items()}

    def report(needle: str, what: str) -> None:
        found.append(Finding(_line(source, needle), what))

    for name, value in attrs.items():
        local = name.split(":")[-1]
        if local.startswith("on"):
            report(name, f"<{tag}> has an event handler ({name})")
        if name in _LINK_ATTRIBUTES or local == "href":
            target = _normalised(_decoded(value))
            scheme = _SCHEME.match(target)
            if scheme and scheme.group(1) in (*_SCRIPT_SCHEMES, "data"):
                picture = scheme.group(1) == "data" and target.startswith("data:image/") and tag in _PICTURES
                if not picture:
                    report(value[:20], f"<{tag} {name}> runs a script link ({value[:60]!r})")
        where = _RESOURCE_ATTRIBUTES.get(name) or (_RESOURCE_ATTRIBUTES["href"] if local == "href" else None)
        if where is not None and (where == "*" or tag in where):
            urls = [c.strip().split(" ")[0] for c in value.split(",")] if local.endswith("srcset") else [value]
            for url in urls:
                if url and loads_from_outside(url):
                    report(url[:20], f"<{tag} {name}> loads {url[:80]!r} from outside the site")
        if name == "style":
            found.extend(Finding(_line(source, "style"), f"<{tag} style>: {f.what}") for f in _style_findings(value))
        if name == "srcdoc":
            report("srcdoc", f"<{tag} srcdoc> holds a page of its own")
            _scan_document(value, False, found, depth + 1, source)
        if name == "attributename" and tag in ("animate", "set", "animatemotion", "animatetransform"):
            if value.split(":")[-1].strip().lower() == "href":
                report(value, f"<{tag}> changes a link (attributeName={value!r})")
    if (
        tag == "meta"
        and attrs.get("http-equiv", "").lower() == "refresh"
        and _REFRESH_URL.search(attrs.get("content", ""))
    ):
        report("refresh", "<meta http-equiv=refresh> sends the reader elsewhere")
    if tag == "base":
        report("<base", "<base> changes where every link of the page points")
    if tag == "script":
        src = attrs.get("src")
        if src is not None:
            if not theme or loads_from_outside(src):
                report(src[:20] or "<script", f"<script src={src[:60]!r}>")
        elif attrs.get("type", "").lower() == "application/json" and theme:
            pass  # the theme's configuration: data, never run
        else:
            body = node.text(deep=True)
            if not theme or not theme_scripts().match(body):
                report(body.strip()[:20] or "<script", f"an inline script ({body.strip()[:60]!r})")
    elif tag == "style":
        css = node.text(deep=True)
        found.extend(Finding(_line(source, css.strip()[:20]), f.what) for f in scan_css(css))
    elif tag == "noscript" and node.text(deep=True).strip():
        _scan_document(node.text(deep=True), theme, found, depth + 1, source)  # as read with scripts off
    elif tag == "link" and "import" in attrs.get("rel", "").lower().split():
        report("import", "<link rel=import> brings in another page")


_MD_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)")
_MD_REFERENCE = re.compile(r"^ {0,3}\[[^\]\n]+\]:[ \t]*<?(\S+?)>?(?:\s|$)", re.MULTILINE)


#: What a Markdown page needs to form a link or an element: a page without any is plain text once rendered.
_MARKUP = ("](", "]:", "<", "&")


def render_markdown(text: str) -> str:
    """A Markdown page as the site engine renders it (the same extensions), for scanning."""
    import markdown

    return markdown.markdown(text, extensions=list(MARKDOWN_EXTENSIONS))


def scan_markdown(text: str) -> list[Finding]:
    """What a hand-written Markdown page of site/ would run or load from outside once built: the page is
    rendered as the build renders it and the HTML scanned as a browser reads it (so `check` reports what
    `build` would refuse), and its source is read for links the renderer might form otherwise."""
    found = scan_html(text, theme=False)
    if any(mark in text for mark in _MARKUP):  # without them Markdown forms no link and no HTML
        found += [Finding(_relocated(f, text), f.what) for f in scan_html(render_markdown(text), theme=False)]
    for match in _MD_IMAGE.finditer(text):
        if loads_from_outside(match.group(1)):
            found.append(
                Finding(
                    text.count("\n", 0, match.start()) + 1, f"an image from outside the site ({match.group(1)[:80]!r})"
                )
            )
    for match in _INLINE_LINK.finditer(text):
        target = _link_target(text, match.end())
        if script_link(_decoded(target)):
            found.append(Finding(text.count("\n", 0, match.start()) + 1, f"a script link ({target[:60]!r})"))
    for match in _MD_REFERENCE.finditer(text):
        if script_link(_decoded(match.group(1))):
            found.append(Finding(text.count("\n", 0, match.start()) + 1, f"a script link ({match.group(1)[:60]!r})"))
    return _one_per_line(found)


def _relocated(finding: Finding, source: str) -> int:
    """The line of the Markdown source that a finding in its rendered HTML comes from, as near as the quoted
    value tells (a rendered page has lines of its own)."""
    quoted = re.search(r"'([^']{3,})'", finding.what)
    needle = quoted.group(1)[:20] if quoted else ""
    return _line(source, needle) if needle and needle in source else 1


def _one_per_line(found: list[Finding]) -> list[Finding]:
    """One finding per line and kind of problem (the rendered page and the source often report the same)."""
    seen: dict[tuple[int, str], Finding] = {}
    for f in sorted(found, key=lambda f: (f.line, f.what)):
        seen.setdefault((f.line, f.what), f)
    return list(seen.values())


# ---------------------------------------------------------------- the files of site/

#: What a file of site/ may be, by its suffix: pages and style sheets are scanned, pictures and fonts are read
#: for the signature of their type. Anything else (a script, an XHTML or XML page, an archive) is not
#: published: a browser reads those by other rules than the ones checked here.
SITE_FILE_TYPES: dict[str, str] = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".css": "css",
    ".svg": "svg",
    ".png": "image",
    ".jpg": "image",
    ".jpeg": "image",
    ".gif": "image",
    ".webp": "image",
    ".ico": "image",
    ".woff": "font",
    ".woff2": "font",
    ".ttf": "font",
    ".otf": "font",
}
_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".webp": (b"RIFF",),
    ".ico": (b"\x00\x00\x01\x00",),
    ".woff": (b"wOFF",),
    ".woff2": (b"wOF2",),
    ".ttf": (b"\x00\x01\x00\x00", b"true"),
    ".otf": (b"OTTO",),
}
#: A file or folder name of site/: letters (any script), digits, `-`, `_`, `.` and spaces, not starting with a
#: dot or a dash. A name is written into pages (a logo's `src`, a link, the navigation) as it is.
_SAFE_NAME = re.compile(r"[^\W_][\w.\- ]*")


def hidden_site_path(rel: str) -> bool:
    """Whether a path of site/ is hidden (a part of it starts with a dot): never published, never checked."""
    return any(part.startswith(".") for part in rel.split("/"))


def unsafe_site_name(rel: str) -> str | None:
    """Why a path of site/ (relative to it) may not be published, or None: each part of it must be a safe
    name (see `_SAFE_NAME`)."""
    for part in rel.split("/"):
        if not _SAFE_NAME.fullmatch(part) or part.endswith((" ", ".")):
            bad = sorted({c for c in part if not (c.isalnum() or c in "._- ")})
            what = f"holds {' '.join(repr(c) for c in bad)}" if bad else "starts or ends with a dot, dash or space"
            return f"the name {part!r} {what}"
    return None


def unpublished_site_file(rel: str, head: bytes) -> str | None:
    """Why a file of site/ is not published by its type, or None: its suffix is not one the site publishes,
    or its first bytes (`head`) are not those of the type its suffix names."""
    suffix = Path(rel).suffix.lower()
    if suffix not in SITE_FILE_TYPES:
        return f"{suffix or 'a file without a suffix'} is not a type the site publishes"
    signatures = _SIGNATURES.get(suffix)
    if signatures and not head.startswith(signatures):
        return f"the file is not a {suffix[1:].upper()} file, whatever its name says"
    if suffix == ".webp" and head[8:12] != b"WEBP":
        return "the file is not a WEBP file, whatever its name says"
    return None


_XML_ONLY = re.compile(r"<!DOCTYPE|<!ENTITY|<\?xml-stylesheet", re.IGNORECASE)


def scan_svg(text: str) -> list[Finding]:
    """A drawing of site/: opened by itself, a browser reads it as XML, not HTML. Everything an HTML5 parser
    finds is reported (prefixed elements such as `svg:script` by their local name), and so is what only an XML
    reader acts on: a document type or entity (which could spell a link the HTML parser does not see) and a
    style sheet processing instruction."""
    found = scan_html(text, theme=False)
    for match in _XML_ONLY.finditer(text):
        found.append(
            Finding(
                text.count("\n", 0, match.start()) + 1,
                f"{match.group(0)} in a drawing (an XML reader would act on it; the site's drawings use none)",
            )
        )
    return found
