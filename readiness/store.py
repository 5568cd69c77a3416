"""A content-addressed folder of work kept between builds: an entry's name is a digest of everything the work
read, so a changed input finds no entry and the work is done again; nothing is ever updated in place.

`readiness build` keeps two kinds in `PROJECT/build/cache/` (`serve` in its work folder): the pages MkDocs
converted (readiness.pagecache) and each region's Monte Carlo (readiness.uncertainty). A store is only ever a
shortcut: an entry that is missing, cut short or unreadable is a miss, and a store that cannot be written makes
the next build slower, never wrong.

Safe under runs at once: an entry is written to a file of its own and moved into place in one step
(`os.replace`), so a reader finds a whole entry or none. Entries are bytes the caller encodes (JSON or NumPy
arrays, never pickles, so the folder runs nothing when read), compressed. Entries nobody used for `KEEP_DAYS`
are removed by `prune` (an entry is touched when used); another run's fresh entries are never removed.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import time
import zlib
from importlib import metadata
from pathlib import Path

#: Entries not used for this many days are removed by `prune`.
KEEP_DAYS = 7
#: An entry's file: its key, then this (zlib-compressed bytes).
SUFFIX = ".z"


def versions(*packages: str) -> list[str]:
    """Python's version, the installed version of each package and of readiness, and a digest of readiness's own
    code (an edit between two releases changes it too), for a key: an upgrade or an edit changes every key."""
    out = [f"python {sys.version}", f"readiness code {_code()}"]
    for name in ("readiness", *packages):
        try:
            out.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            out.append(f"{name} -")
    return out


_CODE: list[str] = []


def _code() -> str:
    """A digest of every Python file of readiness, once per process."""
    if not _CODE:
        package = Path(__file__).parent
        _CODE.append(
            digest(
                *(
                    b
                    for path in sorted(package.rglob("*.py"))
                    for b in (path.relative_to(package).as_posix(), path.read_bytes())
                )
            )
        )
    return _CODE[0]


def digest(*parts: bytes | str) -> str:
    """One key from parts, each taken whole (a part's end is marked, so parts cannot run into each other)."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


class Store:
    """The entries of one folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.used: set[str] = set()
        self.written = 0
        self.found = 0

    def get(self, key: str) -> bytes | None:
        path = self.folder / f"{key}{SUFFIX}"
        try:
            data = zlib.decompress(path.read_bytes())
        except (OSError, zlib.error):
            return None
        self.used.add(key)
        self.found += 1
        with contextlib.suppress(OSError):
            os.utime(path)  # used: kept
        return data

    def put(self, key: str, data: bytes) -> None:
        """Keep `data` under `key`; a folder that cannot be written is only a slower next run."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            temporary = self.folder / f".{key}.{os.getpid()}.tmp"
            temporary.write_bytes(zlib.compress(data, 1))
            os.replace(temporary, self.folder / f"{key}{SUFFIX}")
        except OSError:
            return
        self.used.add(key)
        self.written += 1

    def prune(self, now: float | None = None) -> int:
        """Remove what was not used for KEEP_DAYS: entries and the work files of runs that were killed. Returns
        the number removed."""
        limit = (now if now is not None else time.time()) - KEEP_DAYS * 86400
        removed = 0
        try:
            paths = list(self.folder.iterdir())
        except OSError:
            return 0
        for path in paths:
            if path.name.removesuffix(SUFFIX) in self.used:
                continue
            with contextlib.suppress(OSError):
                if path.is_file() and path.stat().st_mtime < limit:
                    path.unlink()
                    removed += 1
        return removed
