"""JSON Schemas for each kind of project file, generated from the same models that `check` uses, so an
editor (through the `# yaml-language-server: $schema=...` line), CI and the tool agree; and the schema of
results.json, for the tools that read it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .fields import SHORTHAND_MODELS
from .model import FILE_KINDS
from .outputs import write_output

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _allow_shorthand(node: Any) -> Any:
    """Where a model may also be written as a string, offer both forms."""
    if isinstance(node, dict):
        ref = node.get("$ref", "")
        name = ref.rsplit("/", 1)[-1]
        if name in SHORTHAND_MODELS and len(node) == 1:
            return {"anyOf": [{"type": "string"}, {"$ref": ref}]}
        return {k: _allow_shorthand(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_allow_shorthand(v) for v in node]
    return node


def file_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of one file kind."""
    schema = _allow_shorthand(FILE_KINDS[kind].model_json_schema(mode="validation"))
    return {"$schema": SCHEMA_DIALECT, "$id": f"{kind}.schema.json", **schema}


def schema_texts() -> dict[str, str]:
    """File name to schema text, for every file kind and for results.json; deterministic."""
    from .scoring.contract import results_schema

    texts = {
        f"{kind}.schema.json": json.dumps(file_schema(kind), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        for kind in FILE_KINDS
    }
    texts["results.schema.json"] = json.dumps(results_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    return texts


def write_schemas(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in schema_texts().items():
        written.append(write_output(out / name, text))
    return written
