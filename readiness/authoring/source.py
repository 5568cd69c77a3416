"""Where a new repository's CI installs readiness from: a pinned direct reference, never a bare name.

`readiness` is not on any index a team controls, so `pip install readiness==0.1.0` fails, and whoever registers
the name first would run code in every such job. `readiness init` therefore writes requirements.txt with one of:

    readiness @ git+<URL>@<40-hex commit>
    readiness @ https://<URL>#sha256=<64-hex hash>

either the one the user passed (`--tool-source`), or one derived from how the running tool was installed
(pip's `direct_url.json`, PEP 610): a VCS install keeps its commit, an archive keeps its hash, a local git
checkout (editable or not) is pinned to its HEAD commit. Anything else is refused with a `ToolSourceError` that
says what to pass instead.
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit

from ..errors import UsageRefusal

NAME = "readiness"
HINT = (
    "pass the source explicitly: `readiness init DIR --tool-source 'readiness @ git+https://<your repository>"
    "@<40-hex commit>'` (or `readiness @ https://<archive URL>#sha256=<hash>`)"
)
LOCAL_WARNING = (
    "the source is a path on this machine; CI elsewhere cannot reach it: pass --tool-source with your repository's URL"
)

_COMMIT = re.compile(r"[0-9a-fA-F]{40}|[0-9a-fA-F]{64}")
_SHA256 = re.compile(r"[0-9a-fA-F]{64}")
_SUBDIRECTORY = re.compile(r"subdirectory=[A-Za-z0-9._/-]+")
_GIT_SCHEMES = ("https", "ssh", "file")
_ARCHIVE_SCHEMES = ("https", "file")
_SCP_LIKE = re.compile(r"(?P<user>[A-Za-z0-9._-]+@)?(?P<host>[A-Za-z0-9.-]+):(?P<path>(?!//)[^\s]+)")


class ToolSourceError(UsageRefusal, ValueError):
    """No pinned source for readiness could be found or the one given is not pinned: a usage error (exit 2)."""


@dataclass(frozen=True)
class ToolSource:
    """A pinned direct reference to readiness, where it came from, and what the user should know about it."""

    requirement: str
    """The requirements.txt line, e.g. `readiness @ git+https://example.org/readiness.git@<commit>`."""
    origin: str
    """Where the source came from, for the comment in requirements.txt."""
    warnings: tuple[str, ...] = field(default=())

    @property
    def local(self) -> bool:
        """True when CI on another machine cannot reach the source (a file:// URL)."""
        url = self.requirement.split(" @ ", 1)[1]
        return url.startswith(("file:", "git+file:"))


class _Metadata(Protocol):
    def read_text(self, filename: str) -> str | None: ...


# ---------------------------------------------------------------- an explicit source


def parse_tool_source(spec: str) -> str:
    """`spec` as a requirements.txt line `readiness @ <URL>`, if it is a pinned direct reference; else raise.

    Accepted: `readiness @ git+{https,ssh,file}://...@<40-hex commit>[#subdirectory=...]`,
    `readiness @ {https,file}://...#sha256=<64 hex>`, or either URL alone. Refused: a bare name, a version or a
    range (`readiness`, `readiness==0.1.0`), a branch or tag instead of a commit, plain http, a URL with
    credentials, and anything with spaces, options or markers."""
    text = spec.strip()
    if not text:
        raise ToolSourceError(f"the tool source is empty; {HINT}")
    named = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)\s*@\s*(\S+)", text)
    if named:
        if _normal_name(named.group(1)) != NAME:
            raise ToolSourceError(f"the tool source names {named.group(1)!r}, not {NAME!r}; {HINT}")
        url = named.group(2)
    elif "://" in text and not re.search(r"\s", text):
        url = text
    else:
        raise ToolSourceError(
            f"{spec!r} is not a pinned source: a name or version is installed from whatever index answers first, "
            f"and anyone can register the name there; {HINT}"
        )
    requirement = f"{NAME} @ {_check_url(url, spec)}"
    try:  # what pip will make of it (packaging comes with MkDocs); a last guard, the checks above decide
        from packaging.requirements import InvalidRequirement, Requirement
    except ImportError:
        return requirement
    try:
        Requirement(requirement)
    except InvalidRequirement as exc:
        raise ToolSourceError(f"{spec!r} is not a valid requirement: {exc}; {HINT}") from None
    return requirement


def _normal_name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _check_url(url: str, spec: str) -> str:
    if any(c in url for c in "\\\"'<>`;") or not url.isprintable():
        raise ToolSourceError(f"{spec!r} has characters no source URL needs; {HINT}")
    if url.startswith("git+"):
        return _check_git_url(url, spec)
    if "+" in url.split("://", 1)[0]:
        raise ToolSourceError(f"{spec!r}: only git sources (git+https, git+ssh, git+file) are supported; {HINT}")
    return _check_archive_url(url, spec)


def _check_git_url(url: str, spec: str) -> str:
    base, _, fragment = url.partition("#")
    if fragment and not _SUBDIRECTORY.fullmatch(fragment):
        raise ToolSourceError(f"{spec!r}: the only fragment a git source may have is #subdirectory=<path>")
    location, at, rev = base.rpartition("@")
    parts = urlsplit(base[len("git+") :])
    if parts.scheme not in _GIT_SCHEMES:
        raise ToolSourceError(
            f"{spec!r}: a git source must use git+https://, git+ssh:// or git+file:// "
            f"(not {parts.scheme or 'no scheme'}); {HINT}"
        )
    if not at or "/" in rev or location.endswith("/"):
        raise ToolSourceError(
            f"{spec!r} names no commit: end the URL with @<40-hex commit>, so every CI run "
            f"installs the same code; {HINT}"
        )
    if not _COMMIT.fullmatch(rev):
        raise ToolSourceError(
            f"{spec!r}: {rev!r} is a branch or a tag, which can move; pin a full commit id "
            f"(40 hex digits, `git rev-parse {rev}` prints it)"
        )
    parts = urlsplit(location[len("git+") :])
    _check_netloc(parts, spec)
    if parts.scheme == "file" and not parts.netloc:  # PEP 508 wants a host: git+file:///x is refused by pip
        location = f"git+file://localhost{parts.path}"
    return f"{location}@{rev.lower()}" + (f"#{fragment}" if fragment else "")


def _check_archive_url(url: str, spec: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in _ARCHIVE_SCHEMES:
        raise ToolSourceError(f"{spec!r}: an archive must be fetched over https:// (or be a file:// path); {HINT}")
    match = re.fullmatch(r"sha256=([0-9a-fA-F]+)", parts.fragment)
    if not match or not _SHA256.fullmatch(match.group(1)):
        raise ToolSourceError(
            f"{spec!r} has no hash: end the archive URL with #sha256=<64 hex digits> "
            f"(`sha256sum FILE` prints it), so a changed file is refused; {HINT}"
        )
    if not parts.path or parts.path.endswith("/"):
        raise ToolSourceError(f"{spec!r} names no archive file; {HINT}")
    _check_netloc(parts, spec)
    return f"{url.split('#', 1)[0]}#sha256={match.group(1).lower()}"


def _check_netloc(parts: Any, spec: str) -> None:
    if parts.scheme != "file" and not parts.hostname:
        raise ToolSourceError(f"{spec!r} names no host; {HINT}")
    if "@" in parts.netloc:
        user = parts.netloc.rsplit("@", 1)[0]
        if parts.scheme != "ssh" or ":" in user:
            raise ToolSourceError(
                f"{spec!r} carries credentials: requirements.txt is committed, so never put a "
                "user or token in it; CI authenticates by its own means"
            )


# ---------------------------------------------------------------- derived from the running install


def resolve_tool_source(explicit: str | None = None, dist: _Metadata | None = None) -> ToolSource:
    """The source CI should install readiness from: `explicit` validated, or derived from this install."""
    if explicit is not None:
        requirement = parse_tool_source(explicit)
        source = ToolSource(requirement, "given with --tool-source")
        return _with_local_warning(source)
    return derive_tool_source(dist)


def derive_tool_source(dist: _Metadata | None = None) -> ToolSource:
    """A pinned source from how `dist` (default: the installed readiness distribution) was installed, read from
    its direct_url.json (PEP 610). Raises ToolSourceError when the install names no pinned source."""
    if dist is None:
        text = _installed_record()
    else:
        try:
            text = dist.read_text("direct_url.json")
        except OSError:
            text = None
    if not text:
        raise ToolSourceError(
            f"readiness was installed from a package index by name, not from a source this repository can pin; {HINT}"
        )
    try:
        info = json.loads(text)
    except ValueError:
        info = None
    url = info.get("url") if isinstance(info, dict) else None
    if not isinstance(info, dict) or not isinstance(url, str):
        raise ToolSourceError(f"readiness's install record (direct_url.json) is unreadable; {HINT}")
    subdirectory = info.get("subdirectory")
    fragment = f"#subdirectory={subdirectory}" if isinstance(subdirectory, str) and subdirectory else ""
    if isinstance(info.get("vcs_info"), dict):
        vcs = info["vcs_info"]
        if vcs.get("vcs") != "git":
            raise ToolSourceError(
                f"readiness was installed from a {vcs.get('vcs')} repository; only git sources are supported; {HINT}"
            )
        requirement = _derived(f"git+{url}@{vcs.get('commit_id')}{fragment}")
        return _with_local_warning(
            ToolSource(requirement, f"the git repository readiness was installed from ({url}), at the commit installed")
        )
    if isinstance(info.get("archive_info"), dict):
        archive = info["archive_info"]
        hashes = dict(archive["hashes"]) if isinstance(archive.get("hashes"), dict) else {}
        if not hashes and isinstance(archive.get("hash"), str) and "=" in archive["hash"]:
            name, _, value = archive["hash"].partition("=")
            hashes[name] = value
        if "sha256" not in hashes:
            raise ToolSourceError(
                f"readiness was installed from an archive ({url}) with no sha256 hash recorded, "
                f"so it cannot be pinned; {HINT}"
            )
        requirement = _derived(f"{url.split('#', 1)[0]}#sha256={hashes['sha256']}")
        return _with_local_warning(ToolSource(requirement, f"the archive readiness was installed from ({url})"))
    if isinstance(info.get("dir_info"), dict):
        return _from_directory(url, published_repository(dist))
    raise ToolSourceError(f"readiness's install record (direct_url.json) names no known kind of source; {HINT}")


def _installed_record() -> str | None:
    """direct_url.json of the installed readiness. A source tree's own readiness.egg-info (left by a build) can
    come first on sys.path and has none, so the first distribution that has one is taken."""
    found = False
    for dist in metadata.distributions(name=NAME):
        found = True
        try:
            text = dist.read_text("direct_url.json")
        except OSError:
            continue
        if text:
            return text
    if not found:
        raise ToolSourceError(f"readiness is not installed as a package here, so its source is unknown; {HINT}")
    return None


def _derived(spec: str) -> str:
    try:
        return parse_tool_source(spec)
    except ToolSourceError as exc:
        raise ToolSourceError(
            f"the source derived from how readiness was installed ({spec}) cannot be used: {exc}"
        ) from None


def _from_directory(url: str, published: str | None = None) -> ToolSource:
    parts = urlsplit(url)
    if parts.scheme != "file":
        raise ToolSourceError(f"readiness was installed from a directory with an unexpected URL ({url}); {HINT}")
    directory = Path(unquote(parts.path))
    toplevel = _git(directory, "rev-parse", "--show-toplevel")
    if toplevel is None:
        raise ToolSourceError(
            f"readiness was installed from the directory {directory}, which is not a git "
            f"checkout, so there is no commit to pin; {HINT}"
        )
    head = _git(directory, "rev-parse", "--verify", "HEAD^{commit}")
    if head is None or not _COMMIT.fullmatch(head):
        raise ToolSourceError(
            f"the git checkout {toplevel} that readiness was installed from has no commit yet; commit, or {HINT}"
        )
    root = Path(toplevel)
    warnings: list[str] = []
    remote = _git(directory, "remote", "get-url", "origin")
    if remote:
        repo_url = _remote_url(remote, root)
        fetched = repo_url.startswith("file:") or _git(
            directory, "for-each-ref", "--count=1", "--contains", head, "refs/remotes/origin"
        )
        if not fetched:
            warnings.append(
                f"commit {head[:12]} is on no branch of origin fetched here: push it, or CI cannot fetch it"
            )
    else:
        repo_url = root.resolve().as_uri()
    subdirectory = (
        directory.resolve().relative_to(root.resolve()).as_posix() if directory.resolve() != root.resolve() else ""
    )
    fragment = f"#subdirectory={subdirectory}" if subdirectory else ""
    if _git(directory, "status", "--porcelain"):
        warnings.append(
            f"the checkout {root} has uncommitted changes; requirements.txt pins its HEAD commit "
            f"{head[:12]}, which does not include them"
        )
    if repo_url.startswith("file:") and published is not None:
        # a checkout on this machine (or a clone of one): CI elsewhere cannot reach it, but the same commit is
        # where readiness is published (pyproject.toml's project.urls), once pushed there
        requirement = _derived(f"git+{published}@{head}{fragment}")
        origin = (
            f"readiness's published repository ({published}), at the commit of the checkout it runs from ({root}) "
            "when `readiness init` ran"
        )
        warnings.append(
            f"commit {head[:12]} must be on {published} for CI to install it: push it, or pass --tool-source"
        )
        return ToolSource(requirement, origin, tuple(warnings))
    requirement = _derived(f"git+{repo_url}@{head}{fragment}")
    origin = f"the git checkout readiness runs from ({root}), at its HEAD commit when `readiness init` ran"
    return _with_local_warning(ToolSource(requirement, origin, tuple(warnings)))


def published_repository(dist: _Metadata | None = None) -> str | None:
    """Where readiness is published: the `Repository` URL of pyproject.toml's project.urls, as the metadata of
    `dist` (default: the installed readiness) holds it (https only), or None."""
    try:
        text = dist.read_text("METADATA") if dist is not None else _installed_metadata()
    except OSError:
        text = None
    for line in (text or "").splitlines():
        if line.lower().startswith("project-url:"):
            label, _, url = line.split(":", 1)[1].partition(",")
            if label.strip().lower() == "repository" and url.strip().startswith("https://"):
                return url.strip()
    return None


def _installed_metadata() -> str | None:
    for dist in metadata.distributions(name=NAME):
        text = dist.read_text("METADATA")
        if text and "Project-URL" in text:
            return text
    return None


def _remote_url(remote: str, root: Path) -> str:
    """A git remote as a URL pip can fetch: scp-like `git@host:path` becomes ssh://, a path becomes file://, and
    credentials are dropped (they must never be written into a committed file)."""
    if "://" in remote:
        parts = urlsplit(remote)
        netloc = parts.netloc
        if "@" in netloc and parts.scheme != "ssh":
            netloc = netloc.rsplit("@", 1)[1]
        elif "@" in netloc and ":" in netloc.rsplit("@", 1)[0]:
            netloc = netloc.split(":", 1)[0] + "@" + netloc.rsplit("@", 1)[1]
        return parts._replace(netloc=netloc).geturl()
    scp = _SCP_LIKE.fullmatch(remote)
    if scp and "/" not in scp.group("host"):
        return f"ssh://{scp.group('user') or ''}{scp.group('host')}/{scp.group('path').lstrip('/')}"
    return (root / remote).resolve().as_uri()


def _git(directory: Path, *args: str) -> str | None:
    """git's output in `directory` (stripped), or None when git is missing or fails."""
    try:
        # no hook of the checkout's config runs: `status` would start a configured fsmonitor command
        done = subprocess.run(
            ["git", "-c", "core.fsmonitor=false", "-C", str(directory), *args],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def _with_local_warning(source: ToolSource) -> ToolSource:
    if source.local and LOCAL_WARNING not in source.warnings:
        return ToolSource(source.requirement, source.origin, source.warnings + (LOCAL_WARNING,))
    return source


def requirements_text(source: ToolSource) -> str:
    """requirements.txt: the pinned source, with where it came from and how to change it."""
    return (
        "# How CI installs readiness: from a pinned source, never by bare name from a package index (anyone\n"
        "# could register the name there, and their code would run in every job).\n"
        f"# Source: {source.origin}.\n"
        "# To change it, replace the line below with your own repository at a full commit id,\n"
        "#   readiness @ git+https://<your repository>@<40-hex commit>\n"
        "# or a release archive with its hash,\n"
        "#   readiness @ https://<archive URL>#sha256=<64-hex hash>\n"
        "# (`readiness init DIR --tool-source SPEC` writes it for a new repository).\n"
        f"{source.requirement}\n"
    )
