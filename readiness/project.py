"""Project linking: find the files of a project, load and validate each, and link them into one `Project`.

Layout (relative to the project root):
    indicators/framework.yaml          the framework (levels, pillars, gates)
    indicators/**/*.yaml               one indicator per file
    assessments/regions.yaml           the regions
    assessments/rounds.yaml            the rounds, oldest first
    assessments/<round>/<region>.yaml  one assessment per region per round
    assessments/regions.geojson        optional outlines of the regions, for the map
    scenarios/<name>.yaml              optional what-if scenarios
    mkdocs.yml                         optional site settings (title, colours, logo), read as data
    site/                              optional hand-written pages, images and CSS for the site

Linking tolerates broken files: what could not be validated is left out and reported, so `check` can still
report every other problem in the same run.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .diagnostics import Diagnostic, Severity, diagnostic
from .errors import EXIT_USAGE, Refusal, UsageRefusal
from .fields import LocalText
from .i18n import say
from .loading import SETTINGS_FILE, SITE_SOURCES, SOURCE_FOLDERS, Document, Loc, load_document, paused_gc
from .model import (
    Assessment,
    Decision,
    DueDiligence,
    DueDiligenceFile,
    Framework,
    Indicator,
    Mandate,
    Model,
    Region,
    RegionsFile,
    Report,
    ReportsFile,
    Round,
    RoundsFile,
    Scenario,
    SiteSettings,
)
from .requires import Requires

if TYPE_CHECKING:
    import networkx as nx
from .validation import validate_document

FRAMEWORK_FILE = "indicators/framework.yaml"
REGIONS_FILE = "assessments/regions.yaml"
ROUNDS_FILE = "assessments/rounds.yaml"
GEOMETRY_FILE = "assessments/regions.geojson"
MANDATE_FILE = "handover/mandate.yaml"
REPORTS_FILE = "handover/reports.yaml"
HRDDP_FILE = "handover/hrddp.yaml"
DECISIONS = "handover/decisions"
YAML_SUFFIXES = (".yaml", ".yml")


class RoundChoice(UsageRefusal):
    """No round can be published as asked (none is final yet, or the round named does not exist)."""


class NotAProject(Refusal):
    """The folder has neither indicators/ nor assessments/: a usage error, not a finding (exit 2), said with a hint
    to the option that names the project."""

    exit_code = EXIT_USAGE
    then = "cli.hint_project"


@dataclass
class Project:
    """Everything a project says, linked: ids resolved to objects, and where each came from."""

    root: Path
    framework: Framework | None = None
    indicators: dict[str, Indicator] = field(default_factory=dict)
    regions: dict[str, Region] = field(default_factory=dict)
    rounds: dict[str, Round] = field(default_factory=dict)
    assessments: dict[tuple[str, str], Assessment] = field(default_factory=dict)
    """Keyed by (round id, region id)."""
    scenarios: dict[str, Scenario] = field(default_factory=dict)
    """What-if scenarios, by file name without extension."""
    decisions: dict[str, Decision] = field(default_factory=dict)
    """The handover register: decisions of joint bodies, by id."""
    mandate: Mandate | None = None
    """The mandate calendar (handover/mandate.yaml), if the project has one."""
    reports: list[Report] = field(default_factory=list)
    """The Secretary-General's reports on the mission (handover/reports.yaml), as the file lists them
    (`documents.paragraph` reads them by the end of their period)."""
    hrddp: dict[str, DueDiligence] = field(default_factory=dict)
    """The mission's human rights due diligence records (handover/hrddp.yaml), by id."""
    files: list[str] = field(default_factory=list)
    origins: dict[tuple[str, str], tuple[Document, Loc]] = field(default_factory=dict)
    requires: Requires = field(default_factory=Requires)
    """Prerequisite graph: an edge runs from a prerequisite to the indicator that requires it."""
    geometry: dict[str, list[list[tuple[float, float]]]] = field(default_factory=dict)
    """Outline rings (longitude, latitude) of each feature of assessments/regions.geojson, by feature id."""
    settings: SiteSettings | None = None
    """The site settings of mkdocs.yml, if the project has one and it is valid."""
    site_files: list[str] = field(default_factory=list)
    """The hand-written files of site/ (pages, images, CSS), relative to site/, links that leave the project
    and link loops left out (and reported)."""
    unreadable: set[tuple[str, str]] = field(default_factory=set)
    """(kind, id) of things defined in files that failed validation: references to them are not reported
    as unknown, since the file's own error says what is wrong."""

    @cached_property
    def graph(self) -> nx.DiGraph:
        """The prerequisite graph as networkx holds it, for the drawings (imported only when asked for)."""
        import networkx as nx

        graph: nx.DiGraph = nx.DiGraph()
        graph.add_nodes_from(self.requires.nodes)
        graph.add_edges_from(self.requires.edges)
        return graph

    def origin(self, kind: str, key: str) -> tuple[Document, Loc]:
        return self.origins[(kind, key)]

    def where(self, kind: str, key: str, loc: Loc = (), *, key_of: bool = False) -> tuple[str, tuple[int, int]]:
        """File and position of `loc` inside the object `kind`/`key` (the key itself with key_of)."""
        doc, base = self.origins[(kind, key)]
        full = base + loc
        return doc.path, (doc.key_position(full) if key_of else doc.position(full))

    # ---------------------------------------------------------------- orders, defined once

    @cached_property
    def round_order(self) -> list[str]:
        """Round ids in time order: by cut-off date, then id. Every page, document and rule uses this order."""
        return [r.id for r in sorted(self.rounds.values(), key=lambda r: (r.date, r.id))]

    def previous_round(self, round_id: str) -> str | None:
        """The round before `round_id` in time order (the one "what changed" compares with), or None."""
        order = self.round_order
        at = order.index(round_id)
        return order[at - 1] if at > 0 else None

    def asks(self, region_id: str, round_id: str, indicator_id: str) -> bool:
        """Whether a round asks an indicator of a region: not when the region's own criteria profile leaves it out
        (`criteria:`), nor when the indicator was retired by the round's cut-off (`retired:`). The engine, the
        checks, the progress of a round and the collection templates all ask this."""
        region = self.regions.get(region_id)
        if region is not None and not region.applies(indicator_id):
            return False
        ind = self.indicators.get(indicator_id)
        round_ = self.rounds.get(round_id)
        return ind is None or ind.retired is None or round_ is None or round_.date < ind.retired

    @cached_property
    def level_rank(self) -> dict[str, int]:
        """Each level's rank, lowest first, as the framework lists them."""
        return {lv.id: i for i, lv in enumerate(self.framework.levels)} if self.framework else {}

    def children(self, region_id: str) -> list[str]:
        return [r.id for r in self.regions.values() if r.parent == region_id]

    def published(self, round_id: str | None = None) -> Project:
        """The project as `score`, `explain`, `build` and `export` use it: its final rounds, up to `round_id` if
        given. `round_id` may name a round still being collected: a preview, marked provisional wherever it
        shows. Raises RoundChoice when there is nothing to publish or the round is unknown."""
        import dataclasses

        ordered = [self.rounds[r] for r in self.round_order]
        if round_id is not None:
            if round_id not in self.rounds:
                raise RoundChoice(
                    say("files.project.unknown_round", round=round_id, rounds=", ".join(r.id for r in ordered))
                )
            chosen = self.rounds[round_id]
            kept = [
                r
                for r in ordered
                if (r.date, r.id) <= (chosen.date, chosen.id) and (not r.collecting or r.id == round_id)
            ]
        else:
            kept = [r for r in ordered if not r.collecting]
            if not kept:
                collecting = [r.id for r in ordered if r.collecting]
                raise RoundChoice(
                    say("files.project.none_final_preview", round=collecting[-1])
                    if collecting
                    else say("files.project.none_final")
                )
        if len(kept) == len(ordered):
            return self
        ids = {r.id for r in kept}
        return dataclasses.replace(
            self, rounds={r.id: r for r in kept}, assessments={k: v for k, v in self.assessments.items() if k[0] in ids}
        )

    def around(self, region_ids: set[str]) -> Project:
        """The project narrowed to some regions and their parts (what a check of a few regions needs to score:
        each region is scored on its own, a roll-up from its parts)."""
        import dataclasses

        kept: set[str] = set()
        todo = [r for r in region_ids if r in self.regions]
        while todo:
            region = todo.pop()
            if region not in kept:
                kept.add(region)
                todo += self.children(region)
        return dataclasses.replace(
            self,
            regions={k: v for k, v in self.regions.items() if k in kept},
            assessments={k: v for k, v in self.assessments.items() if k[1] in kept},
        )


def _relative(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def _outside(path: Path, real_root: Path) -> bool | None:
    """Whether a path leads outside the project (None: a link that leads nowhere or in a loop)."""
    try:
        return not path.resolve(strict=True).is_relative_to(real_root)
    except (OSError, RuntimeError):
        return None


def _walk(base: Path, root: Path, real_root: Path, problems: list[Diagnostic], boundary: str = "project") -> list[Path]:
    """Every entry under `base`, without following links that leave `real_root` (`boundary`: "project", or
    "site" for site/ and its hand-written files) or go round in a loop."""
    out: list[Path] = []
    try:
        entries = sorted(base.iterdir())
    except OSError as exc:
        problems.append(
            diagnostic(
                "P001",
                _relative(base, root),
                (1, 1),
                say("files.project.unreadable_folder", reason=exc.strerror or exc),
                say("files.project.unreadable_folder_hint"),
            )
        )
        return out
    for path in entries:
        rel = _relative(path, root)
        if path.is_symlink():
            outside = _outside(path, real_root)
            if outside is None:
                problems.append(
                    diagnostic(
                        "P001",
                        rel,
                        (1, 1),
                        say("files.project.broken_link"),
                        say("files.project.broken_link_hint"),
                    )
                )
                continue
            if outside:
                problems.append(
                    diagnostic(
                        "P001",
                        rel,
                        (1, 1),
                        say(f"files.project.link_outside_{boundary}"),
                        say(f"files.project.link_outside_{boundary}_hint"),
                    )
                )
                continue
        if path.is_dir():
            if boundary == "project" and path.suffix.lower() in YAML_SUFFIXES:
                problems.append(
                    diagnostic(
                        "P001",
                        rel,
                        (1, 1),
                        say("files.folder"),
                        say("files.folder_hint"),
                    )
                )
                continue
            out += _walk(path, root, real_root, problems, boundary)
        else:
            out.append(path)
    return out


def discover_files(root: Path) -> tuple[list[tuple[str, Path]], list[Diagnostic]]:
    """The YAML files of a project with their kind, in a stable order. Links that leave the project, link
    loops, and anything that is not a regular file (a pipe, a device) are reported, never read."""
    found: list[tuple[str, Path]] = []
    problems: list[Diagnostic] = []
    real_root = root.resolve()
    for folder in SOURCE_FOLDERS:
        base = root / folder
        if base.is_symlink() and _outside(base, real_root) is not False:
            problems.append(
                diagnostic(
                    "P001",
                    folder,
                    (1, 1),
                    say("files.project.folder_link", folder=folder),
                    say("files.project.folder_link_hint", folder=folder),
                )
            )
            continue
        if not base.is_dir():
            continue
        for path in _walk(base, root, real_root, problems):
            rel = _relative(path, root)
            if path.suffix not in YAML_SUFFIXES:
                if path.suffix.lower() in YAML_SUFFIXES:
                    problems.append(
                        diagnostic(
                            "P002",
                            rel,
                            (1, 1),
                            say("files.project.suffix", name=path.name),
                            say("files.project.suffix_hint", name=f"{path.stem}.yaml"),
                            severity=Severity.WARNING,
                        )
                    )
                continue
            if not path.is_file():
                problems.append(
                    diagnostic(
                        "P001",
                        rel,
                        (1, 1),
                        say("files.not_regular"),
                        say("files.not_regular_hint"),
                    )
                )
                continue
            if folder == "scenarios":
                kind = "scenario"
            elif folder == "handover":
                if rel == MANDATE_FILE:
                    kind = "mandate"
                elif rel == REPORTS_FILE:
                    kind = "reports"
                elif rel == HRDDP_FILE:
                    kind = "hrddp"
                elif path.parent == root / DECISIONS:
                    kind = "decision"
                else:
                    problems.append(
                        diagnostic(
                            "P002",
                            rel,
                            (1, 1),
                            say("files.project.handover_stray"),
                            say("files.project.handover_stray_hint", path=f"{DECISIONS}/{path.name}"),
                            severity=Severity.WARNING,
                        )
                    )
                    continue
            elif rel == FRAMEWORK_FILE:
                kind = "framework"
            elif folder == "indicators":
                kind = "indicator"
            elif rel == REGIONS_FILE:
                kind = "regions"
            elif rel == ROUNDS_FILE:
                kind = "rounds"
            elif path.parent == base:
                problems.append(
                    diagnostic(
                        "P002",
                        rel,
                        (1, 1),
                        say("files.project.assessments_stray"),
                        say("files.project.assessments_stray_hint"),
                        severity=Severity.WARNING,
                    )
                )
                continue
            else:
                kind = "assessment"
            found.append((kind, path))
    settings = root / SETTINGS_FILE
    if settings.is_symlink() and _outside(settings, real_root) is not False:
        problems.append(
            diagnostic(
                "P001",
                SETTINGS_FILE,
                (1, 1),
                say("files.project.settings_link"),
                say("files.project.settings_link_hint"),
            )
        )
    elif settings.is_dir():
        problems.append(
            diagnostic(
                "P001",
                SETTINGS_FILE,
                (1, 1),
                say("files.folder"),
                say("files.folder_hint"),
            )
        )
    elif settings.exists():
        if settings.is_file():
            found.append(("mkdocs", settings))
        else:
            problems.append(
                diagnostic(
                    "P001",
                    SETTINGS_FILE,
                    (1, 1),
                    say("files.not_regular"),
                    say("files.not_regular_hint"),
                )
            )
    return found, problems


def discover_site_files(root: Path) -> tuple[list[str], list[Diagnostic]]:
    """The hand-written files of site/, relative to it, in a stable order. A site/ that is a link leaving the
    project, and links inside it that leave site/ or loop, are reported and left out."""
    problems: list[Diagnostic] = []
    base = root / SITE_SOURCES
    real_root = root.resolve()
    if base.is_symlink() and _outside(base, real_root) is not False:
        problems.append(
            diagnostic(
                "P001",
                SITE_SOURCES,
                (1, 1),
                say("files.project.folder_link", folder=SITE_SOURCES),
                say("files.project.folder_link_hint", folder=SITE_SOURCES),
            )
        )
        return [], problems
    if not base.is_dir():
        return [], problems
    files = []
    for path in _walk(base, root, base.resolve(), problems, "site"):
        if path.is_file():
            files.append(path.relative_to(base).as_posix())
        else:
            problems.append(
                diagnostic(
                    "P001",
                    _relative(path, root),
                    (1, 1),
                    say("files.not_regular"),
                    say("files.not_regular_hint"),
                )
            )
    return sorted(files), problems


class FileCache:
    """What loading each file gave (document, model, diagnostics), kept between loads of the same project by a
    long-running process (`readiness serve`), so an edit to one file re-reads that file only.

    A file is reused while its size, modification and change times, and inode are those it had when it was
    read; anything else reads it again. A file modified in the last `RACY_SECONDS` is not kept at all: a
    second write within the file system's timestamp granularity could leave size and times unchanged (the
    "racily clean" case git guards against too). Models are never changed after validation, so sharing them
    between loads is safe."""

    RACY_SECONDS = 2

    def __init__(self) -> None:
        self.entries: dict[str, tuple[tuple[int, ...], Any]] = {}
        self.read = 0
        """Files read (not reused) by the last load."""
        self.reused = 0

    @staticmethod
    def stamp(path: Path) -> tuple[int, ...] | None:
        try:
            info = path.stat()
        except OSError:
            return None
        return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)

    def get(self, rel: str, stamp: tuple[int, ...] | None) -> Any:
        entry = self.entries.get(rel)
        if entry is None or stamp is None or entry[0] != stamp:
            self.read += 1
            return None
        self.reused += 1
        return entry[1]

    def put(self, rel: str, stamp: tuple[int, ...] | None, value: Any) -> None:
        if stamp is not None and time.time_ns() - stamp[1] >= self.RACY_SECONDS * 1_000_000_000:
            self.entries[rel] = (stamp, value)

    def start(self, present: set[str]) -> None:
        """A new load: forget files that are gone, reset the counts."""
        self.entries = {k: v for k, v in self.entries.items() if k in present}
        self.read = self.reused = 0


def load_project(root: Path, cache: FileCache | None = None) -> tuple[Project, list[Diagnostic]]:
    """Load, validate and link every file of the project at `root` (reusing what `cache` holds of files that
    did not change)."""
    with paused_gc():
        return _load_project(Path(root), cache)


def _load_file(kind: str, path: Path, rel: str) -> tuple[Document | None, Model | None, list[Diagnostic]]:
    from .model import FILE_KINDS  # local: keeps the module's public names short

    doc, problems = load_document(path, rel)
    if doc is None:
        return None, None, problems
    model, found = validate_document(doc, FILE_KINDS[kind])
    if problems:  # a value refused while loading (a tag) is not reported a second time as empty
        refused = {(d.line, d.column) for d in problems}
        found = [d for d in found if (d.line, d.column) not in refused]
        model = None  # a file with a YAML hazard is never used, only checked
    if model is not None:
        doc.release()
    return doc, model, problems + found


def _load_project(root: Path, cache: FileCache | None = None) -> tuple[Project, list[Diagnostic]]:
    if not (root / "indicators").is_dir() and not (root / "assessments").is_dir():
        raise NotAProject(say("files.project.not_a_project", root=str(root)))
    project = Project(root=root)
    files, problems = discover_files(root)
    project.files = [_relative(p, root) for _, p in files]
    project.site_files, found = discover_site_files(root)
    problems += found
    for required in (FRAMEWORK_FILE, REGIONS_FILE, ROUNDS_FILE):
        if not (root / required).exists():
            problems.append(
                diagnostic(
                    "P001",
                    required,
                    (1, 1),
                    say("files.project.missing", path=required),
                    say("files.project.missing_hint"),
                )
            )

    validated: list[tuple[str, Document, Model]] = []
    if cache is not None:
        cache.start({_relative(p, root) for _, p in files} | {GEOMETRY_FILE})
    for kind, path in files:
        rel = _relative(path, root)
        if cache is None:
            doc, model, found = _load_file(kind, path, rel)
        else:
            stamp = cache.stamp(path)
            hit = cache.get(rel, stamp)
            if hit is None or hit[0] != kind:
                hit = (kind, *_load_file(kind, path, rel))
                cache.put(rel, stamp, hit)
            _, doc, model, found = hit
        problems += found
        if doc is None:  # not even YAML: what it meant to define is guessed from its name and text
            project.unreadable |= _ids_unparsed(kind, path)
            continue
        if model is not None:
            validated.append((kind, doc, model))
        else:
            project.unreadable |= _ids_in(kind, doc.data)
    problems += _link(project, validated)
    geometry = root / GEOMETRY_FILE
    if geometry.is_symlink() and _outside(geometry, root.resolve()) is not False:
        problems.append(
            diagnostic(
                "P001",
                GEOMETRY_FILE,
                (1, 1),
                say("files.project.geometry_link"),
                say("files.project.geometry_link_hint"),
            )
        )
    elif geometry.is_file():
        project.files.append(GEOMETRY_FILE)
        stamp = cache.stamp(geometry) if cache is not None else None
        outlines = cache.get(GEOMETRY_FILE, stamp) if cache is not None else None
        if outlines is None:
            outlines = load_geometry(geometry)
            if cache is not None:
                cache.put(GEOMETRY_FILE, stamp, outlines)
        project.geometry, found = outlines
        problems += found
    return project, problems


MAX_RING_POINTS = 400


def simplify(ring: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """At most MAX_RING_POINTS points per outline: a dashboard map needs no more, and a survey-grade outline of
    a million points would make every page megabytes long."""
    if len(ring) <= MAX_RING_POINTS:
        return ring
    step = len(ring) / MAX_RING_POINTS
    kept = [ring[int(i * step)] for i in range(MAX_RING_POINTS)]
    return kept + [ring[-1]]


def load_geometry(path: Path) -> tuple[dict[str, list[list[tuple[float, float]]]], list[Diagnostic]]:
    """Polygons of a GeoJSON FeatureCollection, by feature id (`id`, or `properties.id`)."""
    import json
    import math

    def bad(message: str, position: tuple[int, int] = (1, 1)) -> tuple[dict, list[Diagnostic]]:
        return {}, [
            diagnostic(
                "S003",
                GEOMETRY_FILE,
                position,
                message,
                say("files.geometry.hint"),
            )
        ]

    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError:
        return bad(say("files.geometry.not_utf8"))
    except json.JSONDecodeError as exc:
        return bad(say("files.geometry.not_json", reason=exc.msg), (exc.lineno, exc.colno))
    except RecursionError:
        return bad(say("files.geometry.too_deep"))
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        return bad(say("files.geometry.no_features"))
    shapes: dict[str, list[list[tuple[float, float]]]] = {}
    for i, feature in enumerate(features):
        try:
            fid = feature.get("id") or feature["properties"]["id"]
            geometry = feature["geometry"]
            polygons = (
                [geometry["coordinates"]]
                if geometry["type"] == "Polygon"
                else geometry["coordinates"]
                if geometry["type"] == "MultiPolygon"
                else None
            )
            if polygons is None:
                return bad(say("files.geometry.not_polygon", feature=i))
            try:
                rings = [[(float(x), float(y)) for x, y, *_ in ring] for polygon in polygons for ring in polygon]
            except OverflowError:  # an integer with hundreds of digits
                rings = [[(math.inf, math.inf)]]
            if not all(math.isfinite(v) for ring in rings for point in ring for v in point):
                return bad(say("files.geometry.not_finite", feature=i))
            shapes[str(fid)] = [simplify(ring) for ring in rings]
        except (KeyError, TypeError, ValueError, AttributeError):
            return bad(say("files.geometry.unreadable", feature=i))
    return shapes, []


_ID_LINE = re.compile(rb"^id:[ \t]*[\"']?([A-Za-z0-9][A-Za-z0-9._-]*)", re.MULTILINE)


def _ids_unparsed(kind: str, path: Path) -> set[tuple[str, str]]:
    """The ids a file that could not be parsed at all meant to define: an indicator by its `id:` line and
    its file name (indicators/<pillar>/<ID>.yaml); a regions or rounds file, everything of its kind."""
    if kind == "indicator":
        ids = {("indicator", path.stem)}
        try:
            ids |= {("indicator", m.decode()) for m in _ID_LINE.findall(path.read_bytes()[: 1 << 20])}
        except OSError:
            pass
        return ids
    if kind in ("regions", "rounds"):
        return {(kind[:-1], "*")}
    return set()


def _ids_in(kind: str, data: object) -> set[tuple[str, str]]:
    """The ids a file that failed validation tried to define, read from its raw values."""
    if not isinstance(data, dict):
        return {(kind, "*")}
    if kind == "indicator":
        return {("indicator", str(data["id"]))} if isinstance(data.get("id"), str) else {("indicator", "*")}
    if kind in ("regions", "rounds"):
        items = data.get(kind)
        if not isinstance(items, list):
            return {(kind[:-1], "*")}
        return {
            (kind[:-1], str(item["id"])) for item in items if isinstance(item, dict) and isinstance(item.get("id"), str)
        }
    return set()


def _link(project: Project, validated: list[tuple[str, Document, Model]]) -> list[Diagnostic]:
    problems: list[Diagnostic] = []

    def register(kind: str, key: str, doc: Document, loc: Loc) -> bool:
        if (kind, key) in project.origins:
            first, first_loc = project.origins[(kind, key)]
            line = first.position(first_loc + ("id",))[0] if kind != "assessment" else 1
            problems.append(
                diagnostic(
                    "R001",
                    doc.path,
                    doc.position(loc + (("id",) if kind != "assessment" else ())),
                    say(f"files.project.duplicate.{kind}", id=key, file=first.path, line=line),
                    say("files.project.duplicate_hint"),
                )
            )
            return False
        project.origins[(kind, key)] = (doc, loc)
        return True

    for _kind, doc, model in validated:
        if isinstance(model, SiteSettings):
            project.settings = model
            project.origins[("settings", "")] = (doc, ())
        elif isinstance(model, Framework):
            project.framework = model
            project.origins[("framework", "")] = (doc, ())
        elif isinstance(model, Indicator):
            if register("indicator", model.id, doc, ()):
                project.indicators[model.id] = model
        elif isinstance(model, RegionsFile):
            for i, region in enumerate(model.regions):
                if register("region", region.id, doc, ("regions", i)):
                    project.regions[region.id] = region
        elif isinstance(model, RoundsFile):
            for i, round_ in enumerate(model.rounds):
                if register("round", round_.id, doc, ("rounds", i)):
                    project.rounds[round_.id] = round_
        elif isinstance(model, Decision):
            if register("decision", model.id, doc, ()):
                project.decisions[model.id] = model
        elif isinstance(model, Mandate):
            project.mandate = model
            project.origins[("mandate", "")] = (doc, ())
        elif isinstance(model, ReportsFile):
            project.reports = list(model.reports)
            project.origins[("reports", "")] = (doc, ())
        elif isinstance(model, DueDiligenceFile):
            for i, record in enumerate(model.records):
                if register("hrddp", record.id, doc, ("records", i)):
                    project.hrddp[record.id] = record
        elif isinstance(model, Scenario):
            key = Path(doc.path).stem
            project.origins[("scenario", key)] = (doc, ())
            project.scenarios[key] = model
        elif isinstance(model, Assessment):
            key = f"{model.round}/{model.region}"
            if (("assessment", key)) in project.origins:
                first, _ = project.origins[("assessment", key)]
                expected = f"assessments/{model.round}/{model.region}"
                if doc.path.rsplit(".", 1)[0] == expected != first.path.rsplit(".", 1)[0]:
                    # the file named for the region is the region's; the other one is the copy
                    project.origins[("assessment", key)] = (doc, ())
                    project.assessments[(model.round, model.region)] = model
                    doc, first = first, doc
                stem = doc.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
                copied = stem != model.region and doc.path.startswith(f"assessments/{model.round}/")
                problems.append(
                    diagnostic(
                        "O005",
                        doc.path,
                        doc.position(("region",)),
                        say(
                            "files.project.second_assessment", region=model.region, round=model.round, first=first.path
                        ),
                        say(
                            "files.project.second_assessment_copied",
                            name=doc.path.rsplit("/", 1)[-1],
                            first=first.path.rsplit("/", 1)[-1],
                            region=stem,
                        )
                        if copied
                        else say("files.project.second_assessment_hint"),
                    )
                )
                continue
            project.origins[("assessment", key)] = (doc, ())
            project.assessments[(model.round, model.region)] = model

    _expand_populations(project)
    # the prerequisite graph: built from what is known; unknown references are reported by checks
    project.requires.nodes = sorted(project.indicators)
    for indicator in project.indicators.values():
        for requirement in indicator.requires:
            if requirement.indicator in project.indicators:
                project.requires.add_edge(requirement.indicator, indicator.id)
    return problems


def _expand_populations(project: Project) -> None:
    """An indicator measured per population (`populations:`) becomes one indicator per population,
    `<id>.<population>`, in that population's pillar and with its scoring; each assessment's observation of it
    becomes one per population, with that population's value and the same evidence. Positions stay those of
    the file written, so a problem in either copy names the line the team wrote."""
    fw = project.framework
    labels = {p.id: p.label for p in fw.populations} if fw is not None else {}
    expanded: dict[str, list[str]] = {}
    for ind in list(project.indicators.values()):
        if not ind.populations:
            continue
        del project.indicators[ind.id]
        origin = project.origins.get(("indicator", ind.id))
        ids = expanded[ind.id] = []
        for population, variant in ind.populations.items():
            label = labels.get(population, LocalText(population))
            name = LocalText(
                f"{ind.name} ({label})",
                {
                    lang: f"{ind.name.get(lang)} ({label.get(lang)})"
                    for lang in {*ind.name.translations, *label.translations}
                },
            )
            copy = ind.model_copy(
                update={
                    "id": f"{ind.id}.{population}",
                    "name": name,
                    "pillar": variant.pillar,
                    "scoring": variant.scoring or ind.scoring,
                    "populations": {},
                }
            )
            project.indicators[copy.id] = copy
            ids.append(copy.id)
            if origin is not None:
                project.origins[("indicator", copy.id)] = origin
    if not expanded:
        return
    for key, assessment in list(project.assessments.items()):
        observations = dict(assessment.observations)
        changed = False
        for ind_id, variants in expanded.items():
            obs = observations.pop(ind_id, None)
            if obs is None:
                continue
            changed = True
            for variant_id in variants:
                population = variant_id[len(ind_id) + 1 :]
                value = obs.populations.get(population)
                observations[variant_id] = obs.model_copy(
                    update={"value": value if value is not None else obs.value, "populations": {}}
                )
        if changed:
            project.assessments[key] = assessment.model_copy(update={"observations": observations})
