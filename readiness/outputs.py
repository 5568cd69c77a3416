"""Where the tool may write: the one place that decides whether an output path is safe to replace.

`readiness build` replaces a whole folder; `check -o`, `score --results` and `export` write files. A careless
`--out .` or `--out ~` must never cost anyone their work, so every output path is checked here first:

- a site folder is replaced only if the tool built it itself (it carries `SITE_MARKER`), or if it does not
  exist or is empty;
- the filesystem root, the home folder, the project folder, any folder that contains the project, and anything
  inside the project's sources (indicators/, assessments/, scenarios/, site/, schemas/, mkdocs.yml, .git) are
  refused outright, marker or not;
- an output file may not be one of the project's sources either.

Paths are compared after resolving links, so a link to the project is the project. Every output file is
written by `replacing`/`write_output`: a new file beside the target, renamed into place, so a link at the
target's name is replaced, never written through, and a failed write leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from .errors import Refusal
from .i18n import say

#: Written at the root of every site the tool builds; a folder without it is never replaced.
SITE_MARKER = ".readiness-site"
MARKER_TEXT = (
    "This folder was built by `readiness build`, which replaces it whole on the next build.\n"
    "Do not keep your own files here: they would be deleted with it.\n"
)
#: What the tool reads (and a team writes) in a project: never an output.
SOURCES = ("indicators", "assessments", "scenarios", "handover", "site", "schemas", "mkdocs.yml", ".git")


class UnsafeOutput(Refusal):
    """An output path the tool refuses to write or replace; the message says why and what to do."""

    then = "cli.nothing_written_or_deleted"


def _real(path: Path) -> Path:
    return Path(path).expanduser().resolve()


def _protected(target: Path, project: Path) -> str | None:
    """Why `target` (resolved) may never be written as an output of the project at `project`, or None."""
    home = _real(Path.home())
    if target == Path(target.anchor):
        return say("outputs.why.root")
    if target == home:
        return say("outputs.why.home")
    if target == project:
        return say("outputs.why.project")
    if project.is_relative_to(target):
        return say("outputs.why.contains_project")
    if home.is_relative_to(target):
        return say("outputs.why.contains_home")
    for name in SOURCES:
        source = project / name
        if target == source or target.is_relative_to(source):
            return say("outputs.why.source", name=name)
    return None


def is_built_site(folder: Path) -> bool:
    """Whether `folder` is a site this tool built: it carries the marker (a regular file, not a link)."""
    marker = folder / SITE_MARKER
    return marker.is_file() and not marker.is_symlink()


def check_site_folder(out: Path, project: Path) -> Path:
    """The resolved site folder, if `readiness build` may replace it; raises UnsafeOutput otherwise."""
    target, root = _real(out), _real(project)
    reason = _protected(target, root)
    if reason is not None:
        raise UnsafeOutput(say("outputs.site.protected", out=str(out), reason=reason))
    if target.exists() or target.is_symlink():
        if not target.is_dir():
            raise UnsafeOutput(say("outputs.site.file", out=str(out)))
        try:
            empty = not any(target.iterdir())
        except OSError as exc:
            raise UnsafeOutput(say("outputs.site.unreadable", out=str(out), error=str(exc.strerror or exc))) from None
        if not empty and not is_built_site(target):
            raise UnsafeOutput(say("outputs.site.not_ours", out=str(out), marker=SITE_MARKER))
    return target


def check_output_file(path: Path, project: Path) -> Path:
    """The path an output file will be written at, if writing it cannot overwrite the project's sources (its
    folder resolved, its own name kept: a link there is replaced, never written through)."""
    return output_path(path, project)


def check_output_folder(folder: Path, project: Path) -> Path:
    """The resolved path of a folder the tool writes files into (without deleting anything there)."""
    target, root = _real(folder), _real(project)
    reason = _protected(target, root)
    if reason is not None:
        raise UnsafeOutput(say("outputs.folder.protected", folder=str(folder), reason=reason))
    return target


# ---------------------------------------------------------------- the one writer

_UMASK = os.umask(0o022)
os.umask(_UMASK)


def output_path(path: Path, project: Path | None = None) -> Path:
    """`path` as it will be written: its folder resolved, its own name kept, so a link at that name is replaced
    (never written through). Refuses a folder, a device or a pipe, and, given the project, its sources."""
    path = Path(path).expanduser()
    target = _real(path.parent) / path.name
    if target.is_dir() and not target.is_symlink():
        raise UnsafeOutput(say("outputs.file.folder", path=str(path)))
    if (target.exists() or target.is_symlink()) and not (target.is_symlink() or target.is_file()):
        # a device or a pipe (/dev/null): the tool writes a new file and renames it into place, which would
        # replace the device itself
        raise UnsafeOutput(say("outputs.file.not_regular", path=str(path)))
    if project is not None:
        reason = _protected(target, _real(project))
        if reason is not None:
            raise UnsafeOutput(say("outputs.file.protected", path=str(path), reason=reason))
    return target


@contextlib.contextmanager
def replacing(path: Path, binary: bool = False) -> Iterator[IO[Any]]:
    """A new file that takes the place of `path` once the block ends without error.

    It is written beside `path` under a fresh name (created exclusively: never a file or link that was there)
    and renamed onto `path`, which replaces a link at `path` instead of writing to what it points at. A reader
    never sees half a file, and a failed write (a full disk) leaves `path` as it was and nothing else behind."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:80]}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~_UMASK)  # as an ordinary new file would be, not mkstemp's owner-only
        stream: IO[Any] = os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="")
        with stream as f:
            yield f
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_output(path: Path, data: str | bytes) -> Path:
    """Write `data` to `path` through `replacing` (see there); returns `path`."""
    with replacing(path, binary=isinstance(data, bytes)) as f:
        f.write(data)
    return Path(path)


def save_workbook(document: Any, path: Path) -> Path:
    """Save a Word document or an Excel workbook (anything with `.save(stream)`) to `path` through
    `replacing`: the whole file is made in memory first, so a full disk leaves no half file."""
    import io

    buffer = io.BytesIO()
    try:
        document.save(buffer)
    except Exception as exc:
        if type(exc).__name__ == "SerialisationError":  # lxml writing openpyxl's temporary files: a full disk
            why = say("outputs.workbook_temporary", error=str(exc))
            raise OSError(errno.ENOSPC, why, str(path)) from None
        raise
    return write_output(path, buffer.getvalue())


# ---------------------------------------------------------------- folders of documents

#: Written into every folder `readiness documents` writes: which audience its documents are for and which files
#: each language's last run wrote. Public and internal documents never share a folder.
DOCUMENTS_MARKER = ".readiness-documents"
_DOCUMENT_SUFFIXES = (".docx", ".xlsx")


def documents_folder(folder: Path, project: Path, audience: str) -> dict[str, Any]:
    """The record of a folder `readiness documents` may write `audience`'s documents into (see DOCUMENTS_MARKER),
    or UnsafeOutput: a folder that holds the other audience's documents, or (for a public run) documents the
    tool did not record writing for the public."""
    import json

    target = check_output_folder(folder, project)
    marker = target / DOCUMENTS_MARKER
    record: dict[str, Any] | None = None
    if marker.is_file() and not marker.is_symlink():
        try:
            record = json.loads(marker.read_text(encoding="utf-8"))
        except ValueError:
            record = None
    if record is not None and record.get("audience") != audience:
        raise UnsafeOutput(
            say(
                "outputs.documents.other_audience",
                documents=_documents(audience),
                folder=str(folder),
                held=_documents(str(record.get("audience"))),
            )
        )
    if record is None and audience == "public" and target.is_dir():
        unknown = sorted(p.name for p in target.iterdir() if p.suffix.lower() in _DOCUMENT_SUFFIXES)
        if unknown:
            raise UnsafeOutput(
                say(
                    "outputs.documents.unknown",
                    folder=str(folder),
                    names=", ".join(unknown[:3]) + ("…" if len(unknown) > 3 else ""),
                )
            )
    if record is None or not isinstance(record.get("files"), dict):
        record = {"audience": audience, "files": {}}
    return record


def _documents(audience: str) -> str:
    """ "public documents", "internal documents", in the language in use."""
    if audience in ("public", "internal"):
        return say(f"outputs.documents.{audience}")
    return say("outputs.documents.audience", audience=audience)


def write_documents_folder(
    folder: Path, record: dict[str, Any], lang: str, files: dict[str, bytes], prune: bool = True
) -> tuple[list[Path], list[Path]]:
    """Write one language's documents into `folder` (each through `write_output`), remove those the last run in
    that language wrote and this one did not (a decision since marked restricted, say) unless `prune` is off
    (a run that writes only some of them), and record them. Returns (written, removed)."""
    import json

    written = [write_output(folder / name, data) for name, data in sorted(files.items())]
    removed = []
    before = record["files"].get(lang, [])
    for name in before if prune else []:
        stale = folder / Path(name).name
        if name not in files and stale.is_file() and not stale.is_symlink():
            stale.unlink()
            removed.append(stale)
    record["files"][lang] = sorted(files) if prune else sorted(set(before) | set(files))
    write_output(folder / DOCUMENTS_MARKER, json.dumps(record, indent=1, sort_keys=True) + "\n")
    return written, removed
