"""Loading: YAML text to plain values, safely, with the position of every key and value kept.

The loader composes the YAML with PyYAML's C parser where available and builds the values itself, so that:
- no YAML 1.1 guessing happens: every scalar stays text (`Plain` when unquoted) until the schema types it,
  so `NO`, `on`, `012`, `1:30` and `2026-10-01` mean what the schema says;
- duplicate keys, anchors, aliases, custom tags and non-UTF-8 text are refused with a diagnostic;
- positions are recovered lazily: a document keeps its text and re-composes it only when a diagnostic needs
  a line number, so loading stays cheap for large projects.
"""

from __future__ import annotations

import contextlib
import gc
import re
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .diagnostics import Diagnostic, diagnostic
from .i18n import say

try:  # the C parser is much faster; fall back to pure Python where libyaml is missing
    _Base: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Base = yaml.SafeLoader

_DEFAULT_TAGS = {
    ScalarNode: "tag:yaml.org,2002:str",
    SequenceNode: "tag:yaml.org,2002:seq",
    MappingNode: "tag:yaml.org,2002:map",
}


class _Loader(_Base):
    """The C composer without PyYAML's implicit type resolution: it would guess YAML 1.1 types we ignore anyway
    (the schema decides), and its regular expressions cost more than composing the file."""

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        return _DEFAULT_TAGS[kind]

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        """Path-based resolvers are never used: nothing to track."""

    def ascend_resolver(self) -> None:
        """Path-based resolvers are never used: nothing to track."""


_STANDARD_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:merge",
    "tag:yaml.org,2002:value",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}
_NULLS = {"", "~", "null", "Null", "NULL"}

#: The folders of a project whose YAML files are read, the hand-written pages of its site, and its site settings:
#: everything `check` reads of a project (project.discover_files, the rules of site/ and mkdocs.yml).
SOURCE_FOLDERS = ("indicators", "assessments", "scenarios", "handover")
SITE_SOURCES = "site"
SETTINGS_FILE = "mkdocs.yml"

#: Nesting deeper than this is refused: no project file needs it, and it guards the recursion.
MAX_DEPTH = 64
#: A larger YAML file is refused: an assessment is tens of kilobytes; this bounds time and memory.
MAX_FILE_BYTES = 8 * 1024 * 1024


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a project's many small, acyclic objects are built.

    With hundreds of thousands of live objects, every collection walks them all: loading a large project
    took three times as long with the collector running (benchmarks/README.md)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.freeze()  # what was built stays; later collections need not walk it again (refcounts still free it)
            gc.enable()


class Plain(str):
    """An unquoted YAML scalar. The schema decides whether it is a number, a boolean, a date or text."""

    __slots__ = ()


Loc = tuple[str | int, ...]


_SPEAKING: ContextVar[bool] = ContextVar("readiness_loading_speaks", default=False)


def _say(key: str, /, **fields: Any) -> str:
    """`say`, safe to call while the catalogues are being read: they are read with this module, so a catalogue
    that is not valid YAML is reported by the message's key and fields instead of reading the catalogues again
    (and again)."""
    if _SPEAKING.get():
        return key + "".join(f" {name}={value!r}" for name, value in fields.items())
    token = _SPEAKING.set(True)
    try:
        return say(key, **fields)
    finally:
        _SPEAKING.reset(token)


class YamlProblem(Exception):
    """A YAML hazard found while building values; carries the rule code and a 1-based position."""

    def __init__(self, code: str, position: tuple[int, int], message: str, hint: str = "") -> None:
        super().__init__(message)
        self.code, self.position, self.message, self.hint = code, position, message, hint


def _pos(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _build(node: Node, depth: int = 0, problems: list[YamlProblem] | None = None) -> Any:
    """The plain values of a node. A custom tag or a duplicate key is recorded in `problems` (the tagged value
    reads as empty, the first of two keys is kept) and building goes on, so that the rest of the file is still
    checked; without `problems` the first one is raised."""
    if depth > MAX_DEPTH:
        raise YamlProblem(
            "Y005",
            _pos(node),
            _say("files.yaml.too_deep", depth=MAX_DEPTH),
            _say("files.yaml.too_deep_hint"),
        )
    if node.tag not in _STANDARD_TAGS:
        problem = YamlProblem(
            "Y005",
            _pos(node),
            _say("files.yaml.tag", tag=node.tag),
            _say("files.yaml.tag_hint"),
        )
        if problems is None:
            raise problem
        problems.append(problem)
        return None
    if isinstance(node, ScalarNode):
        if node.style:  # quoted or block scalar: always text
            return node.value
        if node.value in _NULLS:
            return None
        return Plain(node.value)
    if isinstance(node, SequenceNode):
        return [_build(item, depth + 1, problems) for item in node.value]
    if isinstance(node, MappingNode):
        result: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise YamlProblem(
                    "Y005", _pos(key_node), _say("files.yaml.key_not_text"), _say("files.yaml.key_not_text_hint")
                )
            key = key_node.value
            if key in result:
                problem = YamlProblem(
                    "Y003",
                    _pos(key_node),
                    _say("files.yaml.duplicate", key=key, line=first_line[key]),
                    _say("files.yaml.duplicate_hint"),
                )
                if problems is None:
                    raise problem
                problems.append(problem)
                continue
            first_line[key] = key_node.start_mark.line + 1
            result[key] = _build(value_node, depth + 1, problems)
        return result
    raise YamlProblem("Y005", _pos(node), _say("files.yaml.unsupported"))  # pragma: no cover


def _check_anchors(text: str) -> None:
    """Refuse anchors and aliases. Cheap when the text has neither '&' nor '*', as almost every file does."""
    if "&" not in text and "*" not in text:
        return
    for event in yaml.parse(text, Loader=_Loader):
        mark = event.start_mark
        where = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        if isinstance(event, yaml.AliasEvent):
            raise YamlProblem(
                "Y004",
                where,
                _say("files.yaml.alias", name=event.anchor),
                _say("files.yaml.alias_hint"),
            )
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise YamlProblem(
                "Y004",
                where,
                _say("files.yaml.anchor", name=anchor),
                _say("files.yaml.anchor_hint"),
            )


def _compose(text: str) -> Node | None:
    loader = _Loader(text)
    try:
        if not loader.check_node():
            return None
        node = loader.get_node()
        if loader.check_node():
            second = loader.get_node()
            raise YamlProblem(
                "Y005",
                _pos(second),
                _say("files.yaml.second_document"),
                _say("files.yaml.second_document_hint"),
            )
        return node
    finally:
        loader.dispose()


@dataclass
class Document:
    """One loaded YAML file: its values and the means to find where any of them stands in the text."""

    path: str  # relative to the project root, with forward slashes
    data: Any
    text: str | None = field(repr=False)
    source: Path | None = field(default=None, repr=False)
    """The file on disk, to read the text again after `release`."""
    _root: Node | None = field(default=None, repr=False)
    _index: dict[int, dict[Any, tuple[Node, Node]]] = field(default_factory=dict, repr=False)

    def release(self) -> None:
        """Drop the values and the text once validated: a large project keeps only its models in memory, and
        the rare diagnostic that needs a line number reads the file again."""
        if self.source is not None:
            self.data = None
            self.text = None

    def _node(self, loc: Loc) -> tuple[Node | None, Node | None]:
        """The key node and value node at `loc`, or the deepest ones that exist."""
        if self._root is None:
            text = self.text
            if text is None and self.source is not None:
                text = self.source.read_bytes().decode("utf-8", errors="replace").removeprefix("\ufeff")
            self._root = _compose(text or "")
        key: Node | None = None
        node = self._root
        for part in loc:
            if isinstance(node, MappingNode):
                index = self._index.get(id(node))
                if index is None:  # built once per mapping: a file with many diagnostics stays linear
                    index = self._index[id(node)] = {}
                    for k, v in node.value:
                        index.setdefault(k.value, (k, v))
                found = index.get(part)
                if found is None:
                    return key, node
                key, node = found
            elif isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                key, node = None, node.value[part]
            else:
                return key, node
        return key, node

    def position(self, loc: Loc = ()) -> tuple[int, int]:
        """Line and column (1-based) of the value at `loc`, or of the nearest enclosing value."""
        _, node = self._node(loc)
        return _pos(node) if node is not None else (1, 1)

    def key_position(self, loc: Loc) -> tuple[int, int]:
        """Line and column of the key that introduces `loc` (the value itself for list items)."""
        key, node = self._node(loc)
        if key is not None:
            return _pos(key)
        return _pos(node) if node is not None else (1, 1)


_BAD_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x85\u2028\u2029]")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_LINE_BREAK_BYTES = re.compile(rb"\r\n|\r|\n")


def _line_column(text: str | bytes, offset: int) -> tuple[int, int]:
    """1-based line and column of an offset, counting CRLF, CR and LF as line breaks, as editors do."""
    matches = (
        _LINE_BREAK_BYTES.finditer(text, 0, offset)
        if isinstance(text, bytes)
        else _LINE_BREAK.finditer(text, 0, offset)
    )
    line, start = 1, 0
    for match in matches:
        line, start = line + 1, match.end()
    return line, offset - start + 1


def _within(text: str, position: tuple[int, int]) -> tuple[int, int]:
    """A position inside the text: libyaml marks an error "at the end" one line past the last one."""
    lines = text.splitlines()
    if lines and position[0] > len(lines):
        return len(lines), max(1, len(lines[-1]))
    return position


#: libyaml's words for the mistakes people make most, and the catalogue's entry that says them as a person would
#: (`files.yaml.syntax.<entry>`), with the fix (`<entry>_hint`).
_SYNTAX = [
    ("mapping values are not allowed", "colon"),
    ("could not find expected ':'", "no_colon"),
    ("did not find expected key", "key_indent"),
    ("did not find expected '-' indicator", "item_indent"),
    ("did not find expected node content", "no_value"),
    ("found unexpected end of stream", "unclosed"),
    ("expected ',' or ']'", "list_unclosed"),
    ("expected ',' or '}'", "mapping_unclosed"),
    ("found character that cannot start any token", "bad_start"),
    ("found undefined alias", "alias"),
    ("found unknown escape character", "escape"),
]


def _syntax_in_words(context: str, problem: str) -> tuple[str, str]:
    for words, entry in _SYNTAX:
        if words in problem:
            message = _say(f"files.yaml.syntax.{entry}")
            return _say("files.yaml.syntax_explained", message=message, problem=problem), _say(
                f"files.yaml.syntax.{entry}_hint"
            )
    detail = " ".join(p for p in (context, problem) if p)
    return _say("files.yaml.syntax_error", detail=detail), _say("files.yaml.syntax_hint")


def load_document(path: Path, relpath: str) -> tuple[Document | None, list[Diagnostic]]:
    """Read and parse one YAML file. Returns the document, or None and the diagnostics that stopped it."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [
                diagnostic(
                    "P001",
                    relpath,
                    (1, 1),
                    _say("files.yaml.too_large", size=f"{size / 1048576:.0f}", limit=MAX_FILE_BYTES // 1048576),
                    _say("files.yaml.too_large_hint"),
                )
            ]
        raw = path.read_bytes()
    except IsADirectoryError:
        return None, [
            diagnostic(
                "P001",
                relpath,
                (1, 1),
                _say("files.folder"),
                _say("files.folder_hint"),
            )
        ]
    except OSError as exc:
        return None, [
            diagnostic(
                "P001",
                relpath,
                (1, 1),
                _say("files.yaml.unreadable", reason=exc.strerror),
                _say("files.yaml.unreadable_hint"),
            )
        ]
    doc, problems = parse_document(raw, relpath)
    if doc is not None:
        doc.source = path
    return doc, problems


def parse_document(raw: bytes, relpath: str) -> tuple[Document | None, list[Diagnostic]]:
    """Parse YAML bytes into a Document; every refusal is a diagnostic, never an exception."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [
            diagnostic(
                "Y002",
                relpath,
                _line_column(raw, exc.start),
                _say("files.yaml.not_utf8", byte=f"{raw[exc.start]:02x}"),
                _say("files.yaml.not_utf8_hint"),
            )
        ]
    text = text.removeprefix("\ufeff")  # a byte-order mark from some Windows editors is harmless
    bad = _BAD_CONTROL.search(text)
    if bad:
        separator = bad.group() in "\x85\u2028\u2029"
        return None, [
            diagnostic(
                "Y002",
                relpath,
                _line_column(text, bad.start()),
                _say(
                    "files.yaml.line_separator" if separator else "files.yaml.control",
                    code=f"{ord(bad.group()):04X}",
                ),
                _say("files.yaml.control_hint"),
            )
        ]
    try:
        _check_anchors(text)
        root = _compose(text)
        if root is None or (isinstance(root, ScalarNode) and not root.style and root.value in _NULLS):
            return None, [
                diagnostic(
                    "Y005",
                    relpath,
                    (1, 1),
                    _say("files.yaml.empty"),
                    _say("files.yaml.empty_hint"),
                )
            ]
        hazards: list[YamlProblem] = []
        data = _build(root, 0, hazards)
        if hazards:  # reported, and the rest of the file is still validated (it cannot pass `check`)
            return Document(relpath, data, text), [
                diagnostic(p.code, relpath, _within(text, p.position), p.message, p.hint) for p in hazards
            ]
    except YamlProblem as problem:
        return None, [diagnostic(problem.code, relpath, _within(text, problem.position), problem.message, problem.hint)]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if (
            exc.context_mark is not None
            and "quoted scalar" in (exc.context or "")
            and "end of stream" in (exc.problem or "")
        ):
            mark = exc.context_mark  # an unclosed quote: where it opens, not the end of the file it ran to
        position = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        position = _within(text, position)
        lines = text.splitlines()
        if mark and mark.line < len(lines) and "\t" in lines[mark.line][: mark.column + 1]:
            message, hint = _say("files.yaml.tab"), _say("files.yaml.tab_hint")
        else:
            message, hint = _syntax_in_words(exc.context or "", exc.problem or "")
        return None, [diagnostic("Y001", relpath, position, message, hint)]
    except (yaml.YAMLError, RecursionError) as exc:
        return None, [
            diagnostic(
                "Y001", relpath, (1, 1), _say("files.yaml.syntax_error", detail=str(exc)), _say("files.yaml.other_hint")
            )
        ]
    return Document(relpath, data, text), []
