"""A content-addressed folder of work kept between runs: an entry's name is a digest of everything the work
read, so a changed input finds no entry and the work is done again; nothing is ever updated in place.

`readiness build` keeps the pages MkDocs converted (readiness.pagecache) and each region's Monte Carlo
(readiness.uncertainty), and `readiness check` its outcome, in the user's own cache folder (`cache_root`:
`$READINESS_CACHE`, else `$XDG_CACHE_HOME/readiness`, else `~/.cache/readiness`, made private to the user);
`serve` keeps its pages and Monte Carlo in its own work folder. Never in the project: a file a pull request
commits (a planted entry under a name anyone can work out from public inputs, or a link where an entry would be
written) is never read or written through. A store is only ever a shortcut: an entry that is missing, cut short or
unreadable is a miss, and a store that cannot be written makes the next run slower, never wrong.

Safe under runs at once: an entry is written as every output is (outputs.write_output: a file of its own,
created exclusively, moved into place in one step), so a reader finds a whole entry or none. Entries are bytes
the caller encodes (JSON or NumPy arrays, never pickles, so the folder runs nothing when read), compressed.
Entries nobody used for `KEEP_DAYS` are removed by `prune` (an entry is touched when used); another run's fresh
entries, and any file that is not an entry or a work file of this module, are never removed.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import sys
import time
import zlib
from collections.abc import Iterable
from pathlib import Path

#: Entries not used for this many days are removed by `prune`.
KEEP_DAYS = 7
#: An entry's file: its key, then this (zlib-compressed bytes).
SUFFIX = ".z"


def cache_root() -> Path | None:
    """The folder of the user's stores (see the module's docstring), made if need be, private to the user; None
    when there is no such folder to be had (no home, a read-only one): every run then does all its work."""
    chosen = os.environ.get("READINESS_CACHE")
    if chosen:
        root = Path(chosen)
    else:
        base = os.environ.get("XDG_CACHE_HOME")
        try:
            root = (Path(base) if base and os.path.isabs(base) else Path.home() / ".cache") / "readiness"
        except RuntimeError:  # no home folder to be found
            return None
    try:
        root.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    return root if root.is_dir() else None


def versions(*packages: str) -> list[str]:
    """Python's version, the installed version of each package and of readiness, and a digest of readiness's own
    code (an edit between two releases changes it too), for a key: an upgrade or an edit changes every key."""
    from importlib import metadata

    out = [f"python {sys.version}", f"readiness code {code()}"]
    for name in ("readiness", *packages):
        try:
            out.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            out.append(f"{name} -")
    return out


_CODE: list[str] = []


def code() -> str:
    """A digest of readiness's own code and catalogues (every Python and YAML file of the package), once per
    process: an edit between two releases changes it."""
    if not _CODE:
        package = Path(__file__).parent
        paths = sorted(p for pattern in ("*.py", "*.yaml") for p in package.rglob(pattern))
        _CODE.append(digest(*(part for p in paths for part in (p.relative_to(package).as_posix(), p.read_bytes()))))
    return _CODE[0]


def installed() -> str:
    """A digest of when each folder Python imports from last changed (installing, upgrading or removing a
    package changes its folder), without importing the packages: cheap enough for a command's start."""
    parts = []
    for entry in sys.path:
        if not os.path.isabs(entry):  # the folder a command runs in ('' or '.'): not where packages live
            continue
        with contextlib.suppress(OSError):
            parts.append(f"{entry} {os.stat(entry).st_mtime_ns}")
    return digest(sys.version, *parts)


def tree(root: Path, names: Iterable[str]) -> str:
    """A digest of what `names` (folders and files under `root`) hold: every regular file's path and bytes,
    every link's path and target (and the target's bytes if it is a file under `root`: what lies outside is never
    read), every other entry's path and kind, links never followed. Raises OSError when
    something cannot be read."""
    parts: list[bytes | str] = []
    real_root = root.resolve()

    def walk(path: Path, rel: str) -> None:
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):  # where it points, and what it points at if that is a file of the root
            target = os.path.realpath(path)
            parts.extend([f"link {rel}", os.readlink(path), target])
            if os.path.isfile(target) and Path(target).is_relative_to(real_root):
                parts.append(Path(target).read_bytes())
        elif stat.S_ISDIR(info.st_mode):
            parts.append(f"folder {rel} {info.st_mode:o}")
            for child in sorted(os.listdir(path)):
                walk(path / child, f"{rel}/{child}")
        elif stat.S_ISREG(info.st_mode):
            parts.extend([f"file {rel} {info.st_mode:o}", path.read_bytes()])
        else:
            parts.append(f"other {rel} {info.st_mode:o}")

    for name in names:
        path = root / name
        if os.path.lexists(path):
            walk(path, name)
        else:
            parts.append(f"absent {name}")
    return digest(*parts)


def digest(*parts: bytes | str) -> str:
    """One key from parts, each taken whole (a part's end is marked, so parts cannot run into each other)."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogateescape") if isinstance(part, str) else part  # names as the disk has them
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
        """Keep `data` under `key`, through the one writer of every output (outputs.write_output: a fresh file
        renamed into place, never written through a link, nothing left behind when it fails); a folder that
        cannot be written is only a slower next run."""
        from .outputs import write_output

        try:
            write_output(self.folder / f"{key}{SUFFIX}", zlib.compress(data, 1))
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
            ours = path.name.endswith(SUFFIX) or (path.name.startswith(".") and path.name.endswith(".tmp"))
            if not ours or path.name.removesuffix(SUFFIX) in self.used:
                continue  # a folder chosen by mistake ($READINESS_CACHE=~) loses nothing but entries
            with contextlib.suppress(OSError):
                info = path.lstat()
                if stat.S_ISREG(info.st_mode) and info.st_mtime < limit:
                    path.unlink()
                    removed += 1
        return removed
