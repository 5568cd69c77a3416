"""Edit a YAML file's text in place, line by line, so that a change to one value changes that value's line and
nothing else: indentation, quoting, comments, key order and the layout of every other line are kept.

The editor composes the text (PyYAML's pure-Python composer, whose positions count characters) to learn where
each key and value sits, then applies edits to the text itself: a scalar replaced in its place (a trailing
comment stays), an entry inserted after the one it belongs after, with the file's own indentation, an entry
deleted with its lines, a flow `[]` turned into a block list. What it cannot edit in place (a flow mapping) is
written out again in block style, that entry alone.

`sync_mapping` makes a block mapping hold new values, given the values it holds (as the project's loader
reads them: `Plain` for unquoted scalars, `str` for quoted ones, dicts and lists): keys removed are deleted,
keys added are inserted in a sensible order, values that differ are replaced. The caller re-reads the result
and compares it with what it meant (importing does), so an edit that YAML would read differently is caught.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..i18n import say
from ..loading import Plain

#: Lines longer than this are folded (`>-`) when text is written anew.
WIDTH = 110
#: The keys that hold an observation's state: exactly one of them is meant to be given.
STATE_KEYS = ("value", "not_collected", "not_applicable")
#: The order in which keys are inserted into an observation (a key goes after the last one before it).
ORDER = ("value", "not_collected", "not_applicable", "carried_from", "confidence", "evidence", "note", "restricted")
_NULLS = {"", "~", "null", "Null", "NULL"}


class EditError(Exception):
    """The text could not be edited as asked (it is not YAML, or not shaped as expected)."""


def compose(text: str) -> Node | None:
    """The node tree of a YAML text, with positions in characters. Raises EditError when it is not YAML."""
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise EditError(say("import.edit.not_yaml", error=str(exc))) from None


def entries(node: MappingNode) -> dict[str, tuple[Node, Node]]:
    return {str(k.value): (k, v) for k, v in node.value}


# ---------------------------------------------------------------- scalars as YAML text


def plain_ok(text: str) -> bool:
    """Whether text can be written without quotes and read back as the same text, by the project's loader
    and by a YAML 1.1 reader alike (so `yes`, `2026`, `null`, `a: b`, `x # y` are quoted)."""
    if not text or text != text.strip() or "\n" in text or text in _NULLS or "\t" in text:
        return False
    try:
        node = yaml.compose("k: " + text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return False
    if not isinstance(node, MappingNode) or len(node.value) != 1:
        return False
    value = node.value[0][1]
    return (
        isinstance(value, ScalarNode)
        and not value.style
        and value.value == text
        and value.tag == "tag:yaml.org,2002:str"
    )


def double_quoted(text: str) -> str:
    out = []
    for ch in text:
        code = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif code < 0x20 or code == 0x7F or ch in "\x85\u2028\u2029\ufeff\ufffe\uffff" or 0xD800 <= code < 0xE000:
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def single_quoted(text: str) -> str | None:
    if "\n" in text or any(ord(c) < 0x20 or ord(c) == 0x7F for c in text):
        return None
    return "'" + text.replace("'", "''") + "'"


def inline(value: Any, style: str | None = None) -> str:
    """A scalar on one line: Plain as written, text plain when it can be, else in the quotes of `style` (the
    quoting of the value it replaces) or double quotes."""
    if value is None:
        return ""
    if isinstance(value, Plain):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if style == "'" and (quoted := single_quoted(text)) is not None:
        return quoted
    if style == '"':
        return double_quoted(text)
    return text if plain_ok(text) else double_quoted(text)


def _reads_as(snippet: str, text: str) -> bool:
    try:
        node = yaml.compose(snippet, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return False
    return (
        isinstance(node, MappingNode)
        and len(node.value) == 1
        and isinstance(node.value[0][1], ScalarNode)
        and node.value[0][1].value == text
    )


def _folded(text: str, indent: int, step: int) -> list[str] | None:
    """Long one-line text as a folded block (`>-`): the lines under the key, or None when folding would change
    it (double spaces, tabs) or it is short enough."""
    if "\n" in text or "\t" in text or "  " in text or text != text.strip():
        return None
    pad = " " * (indent + step)
    lines, current = [], ""
    for word in text.split(" "):
        if current and len(pad) + len(current) + 1 + len(word) > WIDTH:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    lines.append(current)
    return [pad + line for line in lines]


def _literal(text: str, indent: int, step: int) -> list[str] | None:
    if "\n" not in text or text != text.strip():
        return None
    pad = " " * (indent + step)
    return [pad + line if line else "" for line in text.split("\n")]


# ---------------------------------------------------------------- the file's own layout


@dataclass
class Layout:
    """The indentation a file uses: mapping step, and how far a list's `-` sits from its key."""

    step: int = 2
    offset: int = 2

    @classmethod
    def of(cls, root: Node | None, list_key: str = "evidence") -> Layout:
        """The layout of the first nested block mapping, and of the first block list under `list_key` (or,
        without one, of the first block list)."""
        layout = cls()
        steps: list[int] = []
        offsets: list[tuple[bool, int]] = []
        stack = [root] if root is not None else []
        while stack:
            node = stack.pop(0)
            if isinstance(node, MappingNode) and not node.flow_style:
                for key, value in node.value:
                    if (
                        isinstance(value, MappingNode)
                        and not value.flow_style
                        and value.value
                        and value.start_mark.line > key.start_mark.line
                    ):
                        steps.append(value.value[0][0].start_mark.column - key.start_mark.column)
                    if isinstance(value, SequenceNode) and not value.flow_style and value.value:
                        offsets.append((key.value == list_key, value.start_mark.column - key.start_mark.column))
                    stack.append(value)
            elif isinstance(node, SequenceNode):
                stack.extend(node.value)
            if steps and any(mine for mine, _ in offsets):
                break
        if steps:
            layout.step = max(1, steps[0])
        if offsets:
            layout.offset = max(0, next((o for mine, o in offsets if mine), offsets[0][1]))
        return layout


# ---------------------------------------------------------------- block text for new entries


@dataclass
class Writer:
    layout: Layout

    def entry(self, key: str, value: Any, indent: int) -> list[str]:
        """`key: value` as block lines at `indent`."""
        pad = " " * indent
        step = self.layout.step
        if isinstance(value, dict):
            if not value:
                return [f"{pad}{key}: {{}}"]
            lines = [f"{pad}{key}:"]
            for k, v in value.items():
                lines += self.entry(str(k), v, indent + step)
            return lines
        if isinstance(value, list):
            if not value:
                return [f"{pad}{key}: []"]
            return [f"{pad}{key}:", *self.items(value, indent + self.layout.offset)]
        if isinstance(value, str) and not isinstance(value, Plain):
            text = str(value)
            one = f"{pad}{key}: {inline(text)}"
            if "\n" in text:
                block = _literal(text, indent, step)
                if block is not None and _reads_as(f"{key}: |-\n" + "\n".join(block) + "\n", text):
                    return [f"{pad}{key}: |-", *block]
                return [f"{pad}{key}: {double_quoted(text)}"]
            if len(one) > WIDTH:
                block = _folded(text, indent, step)
                if block is not None and _reads_as(f"{key}: >-\n" + "\n".join(block) + "\n", text):
                    return [f"{pad}{key}: >-", *block]
            return [one]
        return [f"{pad}{key}: {inline(value)}".rstrip()]

    def items(self, values: list[Any], indent: int) -> list[str]:
        """List items as block lines with their `-` at `indent`."""
        lines: list[str] = []
        pad = " " * indent
        for item in values:
            if isinstance(item, dict) and item:
                inner: list[str] = []
                for k, v in item.items():
                    inner += self.entry(str(k), v, indent + 2)
                lines.append(pad + "- " + inner[0][indent + 2 :])
                lines += inner[1:]
            elif isinstance(item, list) and item:
                inner = self.items(item, indent + 2)
                lines.append(pad + "- " + inner[0][indent + 2 :])
                lines += inner[1:]
            else:
                rendered = "{}" if isinstance(item, dict) else "[]" if isinstance(item, list) else inline(item)
                lines.append(f"{pad}- {rendered}")
        return lines


# ---------------------------------------------------------------- edits on the text


@dataclass
class TextEdit:
    """Edits of one text, kept as (start, end, new text) on the original and applied together."""

    text: str
    root: Node | None = None
    layout: Layout = field(default_factory=Layout)
    edits: list[tuple[int, int, int, str]] = field(default_factory=list)

    @classmethod
    def of(cls, text: str) -> TextEdit:
        root = compose(text)
        return cls(text, root, Layout.of(root))

    @property
    def writer(self) -> Writer:
        return Writer(self.layout)

    # positions
    def line_start(self, pos: int) -> int:
        return self.text.rfind("\n", 0, pos) + 1

    def line_end(self, pos: int) -> int:
        """Just past the end of the line holding `pos` (its newline included), trailing comment and all."""
        end = self.text.find("\n", pos)
        return len(self.text) if end < 0 else end + 1

    def content_end(self, node: Node) -> int:
        """Just past the last character of a node's own content (not the blank lines or comments after it)."""
        if isinstance(node, ScalarNode):
            end = node.end_mark.index
            if node.style in ("|", ">"):
                while end > node.start_mark.index and self.text[end - 1] in " \t\r\n":
                    end -= 1
            return end
        if isinstance(node, MappingNode | SequenceNode):
            if node.flow_style or not node.value:
                return node.end_mark.index
            last = node.value[-1]
            return self.content_end(last[1] if isinstance(last, tuple) else last)
        return node.end_mark.index  # pragma: no cover

    def entry_span(self, key: Node, value: Node) -> tuple[int, int]:
        return self.line_start(key.start_mark.index), self.line_end(self.content_end(value))

    # raw edits
    def replace(self, start: int, end: int, new: str) -> None:
        self.edits.append((start, end, len(self.edits), new))

    def insert(self, pos: int, new: str) -> None:
        if pos == len(self.text) and self.text and not self.text.endswith("\n"):
            new = "\n" + new
        elif pos > 0 and self.text[pos - 1] == "\r":  # a file that ends its lines with a bare CR
            raise EditError(say("import.edit.bare_cr"))
        self.replace(pos, pos, new)

    def result(self) -> str:
        """The edited text; new lines end as the file's own do (CRLF in a file written on Windows)."""
        out, cursor = [], 0
        crlf = "\r\n" in self.text
        for start, end, _, new in sorted(self.edits, key=lambda e: (e[0], e[1], e[2])):
            if start < cursor:
                raise EditError(say("import.edit.overlap"))
            out.append(self.text[cursor:start])
            out.append(new.replace("\n", "\r\n") if crlf else new)
            cursor = end
        out.append(self.text[cursor:])
        return "".join(out)

    # value-level edits
    def set_scalar(self, value_node: ScalarNode, value: Any) -> bool:
        """Replace a one-line scalar in its place, keeping its quoting where it can; False if it is a block
        scalar or the new text needs several lines (the caller replaces the whole entry)."""
        if value_node.style in ("|", ">") or (isinstance(value, str) and "\n" in value):
            return False
        new = inline(value, value_node.style if value_node.style in ("'", '"') else None)
        start, end = value_node.start_mark.index, value_node.end_mark.index
        if start == end:  # an empty value: `value:` or `value:  # comment`
            self.insert(start, " " + new)
        else:
            self.replace(start, end, new)
        return True

    def set_entry(self, key: Node, value: Node, name: str, new: Any) -> None:
        """Replace a whole entry (its lines) with `name: new` at the same indentation."""
        start, end = self.entry_span(key, value)
        lines = self.writer.entry(name, new, key.start_mark.column)
        self.replace(start, end, "\n".join(lines) + "\n")

    def delete_entry(self, key: Node, value: Node) -> None:
        start, end = self.entry_span(key, value)
        self.replace(start, end, "")

    def rename(self, key: Node, name: str) -> None:
        self.replace(key.start_mark.index, key.end_mark.index, name)

    def insert_lines(self, pos: int, lines: list[str]) -> None:
        self.insert(pos, "\n".join(lines) + "\n")

    # mapping-level edits
    def sync_mapping(
        self, node: MappingNode, old: dict[str, Any], new: dict[str, Any], order: tuple[str, ...] = ORDER
    ) -> None:
        """Make the block mapping `node`, which holds `old`, hold `new` instead, editing only what differs."""
        if node.flow_style or not node.value:
            raise EditError(say("import.edit.flow"))
        found = entries(node)
        removed = [k for k in old if k not in new]
        added = [k for k in new if k not in old]
        gone_state = [k for k in removed if k in STATE_KEYS]
        new_state = [k for k in added if k in STATE_KEYS]
        renamed: dict[str, str] = {}
        if len(gone_state) == 1 and len(new_state) == 1:  # value: -> not_collected: <reason>, in its place
            renamed[new_state[0]] = gone_state[0]
            removed.remove(gone_state[0])
            added.remove(new_state[0])
        for k in removed:
            self.delete_entry(*found[k])
        for target, source in renamed.items():
            key, value = found[source]
            if isinstance(value, ScalarNode) and not isinstance(new[target], dict | list):
                self.rename(key, target)
                if not self.set_scalar(value, new[target]):
                    self.rename_undo(key)
                    self.set_entry(key, value, target, new[target])
            else:
                self.set_entry(key, value, target, new[target])
        for k in new:
            if k in old and not same(old[k], new[k]):
                self.update(found[k], k, old[k], new[k])
        present = [k for k in found if k not in removed]
        position = {k: float(i) for i, k in enumerate(found)}
        end_of = {k: self.line_end(self.content_end(v)) for k, (_, v) in found.items()}
        for target, source in renamed.items():
            position[target], end_of[target] = position[source], end_of[source]
            present.append(target)
        rank = {k: i for i, k in enumerate(order)}
        first = self.line_start(node.value[0][0].start_mark.index)
        indent = node.value[0][0].start_mark.column
        for k in sorted(added, key=lambda k: rank.get(k, len(order))):
            before = [p for p in present if rank.get(p, len(order)) <= rank.get(k, len(order))]
            lines = self.writer.entry(k, new[k], indent)
            if before:
                anchor = max(before, key=lambda p: position[p])
                at, position[k] = end_of[anchor], position[anchor] + 0.001
            else:
                at, position[k] = first, -1.0 + 0.001 * len(present)
            self.insert_lines(at, lines)
            end_of[k] = at
            present.append(k)

    def rename_undo(self, key: Node) -> None:
        self.edits = [e for e in self.edits if not (e[0] == key.start_mark.index and e[1] == key.end_mark.index)]

    def update(self, found: tuple[Node, Node], name: str, old: Any, new: Any) -> None:
        key, value = found
        if not isinstance(old, dict | list) and not isinstance(new, dict | list) and isinstance(value, ScalarNode):
            if not self.set_scalar(value, new):
                self.set_entry(key, value, name, new)
            return
        if isinstance(old, list) and isinstance(new, list) and isinstance(value, SequenceNode):
            if self.sync_list(key, value, old, new):
                return
        if (
            isinstance(old, dict)
            and isinstance(new, dict)
            and isinstance(value, MappingNode)
            and old
            and not value.flow_style
        ):
            self.sync_mapping(value, old, new, order=tuple(new))
            return
        self.set_entry(key, value, name, new)

    def sync_list(self, key: Node, node: SequenceNode, old: list[Any], new: list[Any]) -> bool:
        """Items appended (and items changed in place, when they are block mappings); False when the change
        is anything else (the caller writes the entry out again)."""
        if len(new) < len(old):
            return False
        if node.flow_style:
            if old:
                return False
            # `evidence: []  # comment` -> `evidence:  # comment` and the items below it
            start = node.start_mark.index
            if start > 0 and self.text[start - 1] == " ":
                start -= 1
            self.replace(start, node.end_mark.index, "")
            indent = key.start_mark.column + self.layout.offset
            self.insert_lines(self.line_end(node.end_mark.index), self.writer.items(new, indent))
            return True
        for item_node, before, after in zip(node.value, old, new[: len(old)], strict=True):
            if same(before, after):
                continue
            if not (
                isinstance(item_node, MappingNode)
                and isinstance(before, dict)
                and isinstance(after, dict)
                and not item_node.flow_style
                and item_node.value
            ):
                return False
            self.sync_mapping(item_node, before, after, order=tuple(after))
        if len(new) > len(old):
            indent = node.start_mark.column
            self.insert_lines(self.line_end(self.content_end(node)), self.writer.items(new[len(old) :], indent))
        return True

    def insert_entry(self, node: MappingNode, name: str, value: Any, *, sort: bool = True) -> None:
        """A new entry in a block mapping: in sorted place when the mapping's keys are sorted, else last."""
        keys = [str(k.value) for k, _ in node.value]
        indent = node.value[0][0].start_mark.column
        lines = self.writer.entry(name, value, indent)
        after = None
        if sort and keys == sorted(keys):
            earlier = [i for i, k in enumerate(keys) if k < name]
            if not earlier:
                self.insert_lines(self.line_start(node.value[0][0].start_mark.index), lines)
                return
            after = node.value[earlier[-1]][1]
        else:
            after = node.value[-1][1]
        self.insert_lines(self.line_end(self.content_end(after)), lines)


def same(a: Any, b: Any) -> bool:
    """Equal values written the same way: Plain and quoted text differ even when the text is the same."""
    if isinstance(a, dict) and isinstance(b, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict | list) or isinstance(b, dict | list):
        return False
    if a is None or b is None:
        return a is b
    return isinstance(a, Plain) == isinstance(b, Plain) and str(a) == str(b)


def comment_above(edit: TextEdit, key: Node, marker: str) -> tuple[int, int] | None:
    """The span of a whole comment line directly above `key` that contains `marker`, if there is one."""
    start = edit.line_start(key.start_mark.index)
    if start == 0:
        return None
    above = edit.line_start(start - 1)
    line = edit.text[above:start]
    if re.match(r"[ \t]*#", line) and marker in line:
        return above, start
    return None
