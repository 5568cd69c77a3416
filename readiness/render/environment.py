"""The templates' environment: Jinja with every printed value escaped (`finalize`), compiled once per process."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

from ..safety import Safe, escape_markdown


class _CompiledTemplates(jinja2.BytecodeCache):
    """Templates compiled once per process and shared by every Renderer (one per language and per rebuild in
    `readiness serve`). Jinja keys each entry by the template's name and a checksum of its source, so an
    edited template is compiled again."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


COMPILED = _CompiledTemplates()


def environment(templates: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        autoescape=True,
        trim_blocks=False,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        bytecode_cache=COMPILED,
        finalize=finalize,
    )
    env.filters["join"] = join
    return env


class Pages:
    """Writes a page through its template."""

    def __init__(self, env: jinja2.Environment) -> None:
        self.env = env

    def __call__(self, template: str, **context: Any) -> str:
        return self.env.get_template(template).render(**context)


def join(items: Any, separator: str = "") -> Safe:
    """The templates' `join`: each item escaped as `finalize` would (Jinja's own escapes for HTML only, and a
    level label `[x](javascript:...)` in a table cell would become a live link)."""
    return Safe(separator).join(items)


def finalize(value: Any) -> Any:
    """Every value a template prints is escaped for Markdown and HTML, unless it is already `Safe` (the
    catalogue's labels through `t`, narratives through `narrative`, charts drawn here)."""
    return value if hasattr(value, "__html__") else escape_markdown(value)
