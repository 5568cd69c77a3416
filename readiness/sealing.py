"""Sealed rounds: a closed round stays closed, and a change to it is on the record.

`readiness close-round` seals a round: it records, in `assessments/rounds.yaml`, a digest of each of the
round's files. From then on:

- `readiness check` reports any change to those files as an error (A002) naming the round and the file;
- `readiness import` and `readiness template` refuse the round;
- the only way to change it is `readiness amend ROUND`, with a reason, who and when: it records each value it
  changed (old and new) in the round's history and seals the round again. The results mark the figures that
  rest on amended values, and the region pages and the changes page say "amended on ..., because ...".

A seal is a record, not a lock: anyone can edit a file, and the repository's history keeps every version. What it
guarantees is that no change to a closed round goes unseen, and that each one has its reason on the record.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .model import AmendedValue, Assessment

#: How many hex digits of each file's SHA-256 a seal keeps: enough to tell any two versions of a file apart
#: (a chance collision among 2**64 is not a concern for a record that git also keeps), short enough to read.
DIGITS = 16


def file_digest(data: bytes) -> str:
    """A file's digest as a seal records it: line ends counted as LF, so a checkout with CRLF keeps its seal."""
    return hashlib.sha256(data.replace(b"\r\n", b"\n")).hexdigest()[:DIGITS]


def round_folder(root: Path, round_id: str) -> Path:
    return root / "assessments" / round_id


def digests(root: Path, round_id: str, overlay: dict[Path, str] | None = None) -> dict[str, str]:
    """The digest of each file of a round's folder, by name; `overlay` gives the new text of files about to be
    written (an amendment seals what it writes)."""
    folder = round_folder(root, round_id)
    files = {p.name: p for p in sorted(folder.glob("*.yaml")) if p.is_file()} if folder.is_dir() else {}
    out = {}
    for name, path in files.items():
        text = (overlay or {}).get(path)
        out[name] = file_digest(text.encode("utf-8") if text is not None else path.read_bytes())
    for path, text in (overlay or {}).items():
        if path.parent == folder and path.name not in out:
            out[path.name] = file_digest(text.encode("utf-8"))
    return dict(sorted(out.items()))


@dataclass(frozen=True)
class Breach:
    """A file of a sealed round that is not as the seal recorded it."""

    name: str
    how: str
    """`changed`, `added` or `removed`."""


def breaches(root: Path, round_id: str, sealed: dict[str, str]) -> list[Breach]:
    """How a sealed round's files differ from its seal."""
    now = digests(root, round_id)
    out = [Breach(n, "changed") for n in sorted(now) if n in sealed and now[n] != sealed[n]]
    out += [Breach(n, "added") for n in sorted(now) if n not in sealed]
    out += [Breach(n, "removed") for n in sorted(sealed) if n not in now]
    return out


def observation_changes(region: str, old: Assessment | None, new: Assessment | None) -> list[AmendedValue]:
    """What changed in one region's assessment, observation by observation: its value, its reason for having
    none, and how many evidence entries back it."""
    changes = []
    before = old.observations if old is not None else {}
    after = new.observations if new is not None else {}
    for ind in sorted(set(before) | set(after)):
        a, b = before.get(ind), after.get(ind)
        for field in ("value", "not_collected", "not_applicable"):
            x, y = _shown(getattr(a, field, None)), _shown(getattr(b, field, None))
            if x != y:
                changes.append(AmendedValue(region=region, indicator=ind, field=field, old=x, new=y))
        count_before, count_after = len(a.evidence) if a else 0, len(b.evidence) if b else 0
        if count_before != count_after:
            changes.append(
                AmendedValue(
                    region=region, indicator=ind, field="evidence", old=str(count_before), new=str(count_after)
                )
            )
    return changes


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
