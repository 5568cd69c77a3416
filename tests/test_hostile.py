"""Hostile input: each case writes a small valid project, makes ONE file hostile, and runs the real
`readiness check` in a subprocess under a 500 MB address-space cap, with a hang guard.

Every case asserts: the expected exit code (1 findings or 2 usage; 0 where the input is legitimately
accepted, e.g. a byte-order mark or CRLF line ends), no "Traceback" anywhere in the output, a diagnostic that
names the file (and the line, where there is one), and that the run stayed under 500 MB. How long a case
takes depends on how busy the machine is, so time is never asserted: the hang guard (two minutes for `check`,
five for `build`) only ends a run that would never finish. The time and memory of every case go to
build/hostile-summary.json with the 5 s target, which SECURITY.md quotes; `benchmarks/run.py` measures speed.
The last cases run `readiness build` on a project whose hand-written `site/` leaves the project, or whose map
outlines are hostile. Bugs found here are kept as strict xfails with the reason and the measured figures.
"""

from __future__ import annotations

import json
import math
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.test_site import small_project

pytestmark = pytest.mark.slow  # builds and checks projects of hostile size and content

TARGET_SECONDS = 5.0  # what a case should take on an idle machine: reported, never asserted
LIMIT_SECONDS = 120.0  # the hang guard of a `check` run: only a run that would never finish reaches it
LIMIT_MB = 500
BUILD_SECONDS = 300.0  # the hang guard of a `build` run, under the same memory cap
SUMMARY = REPO / "build" / "hostile-summary.json"

ASSESSMENT = "assessments/r1/north.yaml"
INDICATOR = "indicators/A1.yaml"
REGIONS = "assessments/regions.yaml"
FRAMEWORK = "indicators/framework.yaml"
GEOJSON = "assessments/regions.geojson"
SETTINGS = "mkdocs.yml"

_DIAGNOSTIC = re.compile(
    r"^(?P<file>\S[^:\n]*):(?P<line>\d+):(?P<column>\d+): (?P<severity>error|warning) "
    r"(?P<code>[A-Z]\d{3}) (?P<message>.*)$",
    re.MULTILINE,
)

RECORDS: list[dict] = []


# ---------------------------------------------------------------- running under limits


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float | None
    timed_out: bool

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def diagnostics(self) -> list[dict]:
        return [m.groupdict() for m in _DIAGNOSTIC.finditer(self.stdout)]

    def excerpt(self, limit: int = 3000) -> str:
        text = self.output
        return text if len(text) <= limit else text[: limit // 2] + "\n[...]\n" + text[-limit // 2 :]


def _cap_memory() -> None:  # runs in the child between fork and exec
    cap = LIMIT_MB * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    os.setsid()  # its own process group, so a timeout can end it and anything it started


# A small intermediate process forks the command and reports the command's own peak resident memory. Measuring
# the command directly from this test process would not work: on Linux a child's ru_maxrss starts at the RSS of
# the process it was forked from, here pytest holding the generated inputs (hundreds of MB).
_SHIM = """
import os, sys
pid = os.fork()
if pid == 0:
    try:
        os.execv(sys.argv[2], sys.argv[2:])
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as f:
    f.write(str(usage.ru_maxrss))
code = os.waitstatus_to_exitcode(status)
sys.exit(code if code >= 0 else 128 - code)
"""


def run_limited(args: list[str], timeout: float = LIMIT_SECONDS, cwd: Path | None = None) -> Run:
    """Run `args` under the memory cap, kill it (and anything it started) at `timeout`, and measure its peak
    resident memory (ru_maxrss of the command itself, in MB; None when it had to be killed)."""
    with tempfile.TemporaryDirectory() as scratch:
        rss = Path(scratch) / "maxrss"
        with open(Path(scratch) / "out", "w+b") as out, open(Path(scratch) / "err", "w+b") as err:
            start = time.monotonic()
            proc = subprocess.Popen(
                [sys.executable, "-I", "-c", _SHIM, str(rss), *args],
                stdout=out,
                stderr=err,
                stdin=subprocess.DEVNULL,
                cwd=cwd,
                preexec_fn=_cap_memory,
            )
            timed_out = False
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                timed_out = True
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
            seconds = time.monotonic() - start
            out.seek(0)
            err.seek(0)
            stdout, stderr = out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace")
        peak = round(int(rss.read_text()) / 1024, 1) if rss.is_file() and rss.read_text() else None
    return Run(proc.returncode, stdout, stderr, round(seconds, 3), peak, timed_out)


def check(root: Path, timeout: float = LIMIT_SECONDS) -> Run:
    return run_limited([sys.executable, "-m", "readiness", "check", str(root)], timeout, cwd=root.parent)


def record(name: str, command: str, result: Run, expected_failure: str | None = None, **notes: object) -> None:
    RECORDS.append(
        {
            "case": name,
            "command": command,
            "exit": result.code,
            "seconds": result.seconds,
            "peak_mb": result.peak_mb,
            "timed_out": result.timed_out,
            "traceback": "Traceback" in result.output,
            "internal_error": result.code == 3 or (result.code >= 128 and not result.timed_out),
            "known_bug": expected_failure,
            **notes,
        }
    )


@pytest.fixture(scope="module", autouse=True)
def summary():
    """After the module: the figures of every case, for SECURITY.md."""
    RECORDS.clear()
    started = time.monotonic()
    yield
    if not RECORDS:
        return
    crashes = [r for r in RECORDS if (r["internal_error"] or r["traceback"]) and not r["timed_out"]]
    SUMMARY.parent.mkdir(parents=True, exist_ok=True)
    SUMMARY.write_text(
        json.dumps(
            {
                "suite": "tests/test_hostile.py",
                "limits": {
                    "hang_guard_seconds": LIMIT_SECONDS,
                    "build_hang_guard_seconds": BUILD_SECONDS,
                    "memory_mb": LIMIT_MB,
                    "target_seconds": TARGET_SECONDS,
                },
                "complete": len(RECORDS) == len(CASES) + 1 + len(BUILD_CASES) + len(GEOMETRY_CASES),  # not a -k subset
                "cases": len(RECORDS),
                "crashes": len(crashes),
                "crashed_cases": [r["case"] for r in crashes],
                "timeouts": [r["case"] for r in RECORDS if r["timed_out"]],
                "over_memory": [r["case"] for r in RECORDS if r["peak_mb"] is not None and r["peak_mb"] >= LIMIT_MB],
                "known_bugs": sorted({r["case"] for r in RECORDS if r["known_bug"]}),
                "max_seconds": max(r["seconds"] for r in RECORDS),
                "max_mb": max((r["peak_mb"] for r in RECORDS if r["peak_mb"] is not None), default=None),
                "max_seconds_within_limits": max((r["seconds"] for r in RECORDS if not r["timed_out"]), default=None),
                "check_cases_over_target": [
                    r["case"]
                    for r in RECORDS
                    if r["command"] == "check"
                    and r["seconds"] >= TARGET_SECONDS
                    and r["case"] != "3,000 assessment files"
                ],
                "module_seconds": round(time.monotonic() - started, 1),
                "runs": RECORDS,
            },
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )


# ---------------------------------------------------------------- the cases


def line_of(root: Path, rel: str, needle: str | bytes) -> int:
    """1-based line of the first occurrence of `needle` in a project file."""
    data = (root / rel).read_bytes()
    needle = needle.encode() if isinstance(needle, str) else needle
    at = data.index(needle)
    return data.count(b"\n", 0, at) + 1


@dataclass
class Case:
    name: str
    make: Callable[[Path], None]
    """Makes one file of the valid project at the given root hostile."""
    exit: tuple[int, ...] = (1, 2)
    file: str | None = None
    """A diagnostic must name this file ..."""
    line: Callable[[Path], int] | int | None = None
    """... at this line (a number, or computed from the hostile file), or at any line when None ..."""
    code: str | tuple[str, ...] | None = None
    """... with this rule code (or one of these)."""
    timeout: float = LIMIT_SECONDS
    bug: str | None = None
    """A bug in readiness this case exposes: kept as a strict xfail with this reason."""
    extra: Callable[[Path, Run], None] | None = None
    """Further assertions on the run."""
    lines: tuple[int, int] | None = None
    """A range the reported line must fall in, where the exact line depends on the parser's limits."""


def replace(rel: str, old: str | bytes, new: str | bytes, count: int = 1) -> Callable[[Path], None]:
    def make(root: Path) -> None:
        path = root / rel
        data = path.read_bytes()
        o = old.encode() if isinstance(old, str) else old
        n = new.encode() if isinstance(new, str) else new
        assert o in data, f"{old!r} not in {rel}"
        path.write_bytes(data.replace(o, n, count))

    return make


def append(rel: str, text: str | bytes) -> Callable[[Path], None]:
    def make(root: Path) -> None:
        path = root / rel
        path.write_bytes(path.read_bytes() + (text.encode() if isinstance(text, str) else text))

    return make


def write(rel: str, content: str | bytes) -> Callable[[Path], None]:
    def make(root: Path) -> None:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode() if isinstance(content, str) else content)

    return make


def at(needle: str | bytes, rel: str = ASSESSMENT) -> Callable[[Path], int]:
    """The expected line: where `needle` stands in the hostile file (computed after the mutation)."""
    return lambda root: line_of(root, rel, needle)


def billion_laughs() -> str:
    lines = ['lol0: &lol0 "lol"']
    for i in range(1, 10):
        lines.append(f"lol{i}: &lol{i} [" + ", ".join([f"*lol{i - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


def alias_bomb(root: Path) -> None:
    (root / ASSESSMENT).write_text(
        "region: north\nround: r1\n" + billion_laughs() + "observations: *lol9\n", encoding="utf-8"
    )


def latin1(root: Path) -> None:
    path = root / ASSESSMENT
    path.write_bytes(path.read_bytes().replace(b"All stations visited.", b"All stations visit\xe9d.", 1))


def crlf(root: Path) -> None:
    path = root / ASSESSMENT
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))


def bom(root: Path) -> None:
    path = root / ASSESSMENT
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())


def utf16(root: Path) -> None:
    path = root / ASSESSMENT
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))


def folder_named_yaml(root: Path) -> None:
    (root / "assessments/r1/south.yaml").mkdir()


def outside_file(root: Path) -> Path:
    outside = root.parent / "outside"
    outside.mkdir(exist_ok=True)
    return outside


def link_outside(root: Path) -> None:
    target = outside_file(root) / "north.yaml"
    shutil.copyfile(root / ASSESSMENT, target)
    (root / ASSESSMENT).unlink()
    (root / ASSESSMENT).symlink_to(target)


def link_to_device(root: Path) -> None:
    (root / "assessments/r1/south.yaml").symlink_to("/dev/zero")


def link_loop(root: Path) -> None:
    (root / "assessments/r1/south.yaml").symlink_to(root / "assessments/r1/west.yaml")
    (root / "assessments/r1/west.yaml").symlink_to(root / "assessments/r1/south.yaml")


def dangling_link(root: Path) -> None:
    (root / "assessments/r1/south.yaml").symlink_to(root / "assessments/r1/nowhere.yaml")


def round_folder_outside(root: Path) -> None:
    target = outside_file(root) / "r1"
    shutil.move(root / "assessments/r1", target)
    (root / "assessments/r1").symlink_to(target, target_is_directory=True)


def indicators_folder_outside(root: Path) -> None:
    target = outside_file(root) / "indicators"
    shutil.move(root / "indicators", target)
    (root / "indicators").symlink_to(target, target_is_directory=True)


def named_pipe(root: Path) -> None:
    os.mkfifo(root / "assessments/r1/south.yaml")


def geometry_feature(feature_id: str, ring: list[list[float]]) -> dict:
    return {
        "type": "Feature",
        "id": feature_id,
        "properties": {"id": feature_id},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def square(x: float, y: float, size: float = 1.0) -> list[list[float]]:
    return [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]


def geojson(*features: dict) -> str:
    return json.dumps({"type": "FeatureCollection", "features": list(features)})


def with_geometry(feature_id: str) -> Callable[[Path], None]:
    return replace(REGIONS, "  tier: urban", f"  tier: urban\n  geometry: {feature_id}")


def both(*steps: Callable[[Path], None]) -> Callable[[Path], None]:
    def make(root: Path) -> None:
        for step in steps:
            step(root)

    return make


def geojson_20mb(root: Path) -> None:
    features = [
        geometry_feature(f"f{i}", [[round(i * 0.01 + j * 1e-6, 6), round(j * 1e-4, 6)] for j in range(1200)])
        for i in range(900)
    ]
    text = geojson(geometry_feature("north-shape", square(10, 5)), *features)
    assert len(text) > 20_000_000
    (root / GEOJSON).write_text(text, encoding="utf-8")
    with_geometry("north-shape")(root)


def geojson_million_points(root: Path) -> None:
    ring = [[round(10 + (k % 1000) * 1e-3, 3), round(5 + (k // 1000) * 1e-3, 3)] for k in range(1_000_000)]
    ring.append(ring[0])
    (root / GEOJSON).write_text(geojson(geometry_feature("north-shape", ring)), encoding="utf-8")
    with_geometry("north-shape")(root)


EVIDENCE_LINE = (
    "      - {source: ADM, reference: 'Station register, page %08d of the district archive', date: 2026-03-01}"
)


def assessment_30mb(root: Path) -> None:
    """A 30 MB assessment: its two observations carry 300,000 evidence entries between them."""
    head = (
        "region: north\nround: r1\nobservations:\n"
        "  B1: {value: 60, evidence: [{source: FV, reference: FV register, date: 2026-03-01}]}\n"
        "  A1:\n    value: 85\n    evidence:\n"
    )
    body = "\n".join(EVIDENCE_LINE % i for i in range(300_000))
    text = head + body + "\n"
    assert len(text) > 30_000_000
    (root / ASSESSMENT).write_text(text, encoding="utf-8")


def unknown_observations(count: int) -> Callable[[Path], None]:
    def make(root: Path) -> None:
        lines = [
            "region: north",
            "round: r1",
            "observations:",
            "  A1: {value: 85, evidence: [{source: ADM, reference: ADM register, date: 2026-03-01}]}",
            "  B1: {value: 60, evidence: [{source: FV, reference: FV register, date: 2026-03-01}]}",
        ]
        for i in range(count):
            lines += [
                f"  X{i:06d}:",
                "    value: 85",
                "    evidence:",
                f"      - {{source: ADM, reference: 'Register of stations, page {i}', date: 2026-03-01}}",
            ]
        (root / ASSESSMENT).write_text("\n".join(lines) + "\n", encoding="utf-8")

    return make


def many_assessments(root: Path) -> None:
    """3,000 assessment files: 20 rounds x 150 regions, written as text (safe_dump would take seconds)."""
    regions = "regions:\n" + "".join(
        f"- {{id: reg{i:03d}, name: Region {i}, tier: urban, population: 1000}}\n" for i in range(150)
    )
    (root / REGIONS).write_text(regions, encoding="utf-8")
    rounds = "rounds:\n" + "".join(f"- {{id: q{j:02d}, label: Q{j}, date: 2026-03-{j + 1:02d}}}\n" for j in range(20))
    (root / "assessments/rounds.yaml").write_text(rounds, encoding="utf-8")
    shutil.rmtree(root / "assessments/r1")
    for j in range(20):
        folder = root / f"assessments/q{j:02d}"
        folder.mkdir()
        for i in range(150):
            (folder / f"reg{i:03d}.yaml").write_text(
                f"region: reg{i:03d}\nround: q{j:02d}\nobservations:\n"
                "  A1: {value: 85, evidence: [{source: ADM, reference: ADM register, date: 2026-02-01}]}\n"
                "  B1: {value: 60, evidence: [{source: FV, reference: FV register, date: 2026-02-01}]}\n",
                encoding="utf-8",
            )


def all_files_read(count: int) -> Callable[[Path, Run], None]:
    def extra(root: Path, result: Run) -> None:
        assert f"{count} files checked: 0 errors, 0 warnings" in result.stdout, result.excerpt()

    return extra


def python_tag(root: Path) -> None:
    replace(ASSESSMENT, "region: north", f"region: !!python/object/apply:os.system ['touch {root.parent / 'pwned'}']")(
        root
    )


def mkdocs_python_tag(root: Path) -> None:
    write(
        SETTINGS, f"site_name: x\nsite_description: !!python/object/apply:os.system ['touch {root.parent / 'pwned'}']\n"
    )(root)


def nothing_executed(root: Path, result: Run) -> None:
    assert not (root.parent / "pwned").exists(), "a YAML tag ran code"


def bounded_report(limit: int) -> Callable[[Path, Run], None]:
    def extra(root: Path, result: Run) -> None:
        assert len(result.output) < limit, f"the report is {len(result.output):,} characters long"

    return extra


TABS_HINT = "tabs"
BIG = "9" * 1000  # a number of 1,000 digits, i.e. about 10**1000

CASES: list[Case] = [
    Case("control: the valid project", lambda root: None, exit=(0,), extra=all_files_read(6)),
    # YAML bombs and depth
    Case("alias bomb (billion laughs)", alias_bomb, file=ASSESSMENT, line=at("&lol0"), code="Y004"),
    Case(
        "merge key with alias",
        append(ASSESSMENT, "base: &b {x: 1}\nmore:\n  <<: *b\n"),
        file=ASSESSMENT,
        line=at("&b"),
        code="Y004",
    ),
    Case(
        "10,000 nested [",
        append(ASSESSMENT, "risks: " + "[" * 10_000 + "]" * 10_000 + "\n"),
        file=ASSESSMENT,
        line=at("risks: ["),
        code=("Y001", "Y005"),
    ),
    Case(
        "10,000 nested flow mappings",
        append(ASSESSMENT, "risks: " + "{a: " * 10_000 + "1" + "}" * 10_000 + "\n"),
        file=ASSESSMENT,
        line=at("risks: {"),
        code=("Y001", "Y005"),
    ),
    Case(
        "10,000 nested block sequences",
        append(ASSESSMENT, "risks:\n" + "- " * 10_000 + "x\n"),
        file=ASSESSMENT,
        line=at("- - -"),
        code=("Y001", "Y005"),
    ),
    Case(
        "2,000 nested block mappings",
        append(ASSESSMENT, "risks:\n" + "".join(" " * (i + 1) + f"k{i}:\n" for i in range(2000)) + " " * 2001 + "x\n"),
        file=ASSESSMENT,
        lines=(2, 2100),
        code=("Y001", "Y005"),
    ),
    # sizes
    Case(
        "5 MB narrative (legitimately accepted)",
        replace(ASSESSMENT, "All stations visited.", "x" * 5_000_000),
        exit=(0,),
        extra=all_files_read(6),
    ),
    Case(
        "5 MB string where a number is expected",
        replace(ASSESSMENT, "value: 85", "value: " + "x" * 5_000_000),
        file=ASSESSMENT,
        line=at("value: xxx"),
        code="O001",
        extra=bounded_report(100_000),
    ),
    Case(
        "5 MB region id",
        replace(REGIONS, "id: north", "id: n" + "x" * 5_000_000),
        file=REGIONS,
        line=at("id: nxx", REGIONS),
        code="S003",
        extra=bounded_report(100_000),
    ),
    Case("100 KB key", append(ASSESSMENT, "k" * 100_000 + ": 1\n"), file=ASSESSMENT, line=at("kkk"), code="Y001"),
    # numbers
    Case(
        "value 1e400", replace(ASSESSMENT, "value: 85", "value: 1e400"), file=ASSESSMENT, line=at("1e400"), code="O001"
    ),
    Case(
        "value of 1,000 digits",
        replace(ASSESSMENT, "value: 85", f"value: {BIG}"),
        file=ASSESSMENT,
        line=at(BIG),
        code="O001",
    ),
    Case(
        "threshold 1e400",
        replace(INDICATOR, "ready: 80", "ready: 1e400"),
        file=INDICATOR,
        line=at("1e400", INDICATOR),
        code="S003",
    ),
    Case(
        "threshold of 1,000 digits",
        replace(INDICATOR, "ready: 80", f"ready: {BIG}"),
        file=INDICATOR,
        line=at(BIG, INDICATOR),
        code="S003",
    ),
    Case(
        "scale max 1e400",
        replace(FRAMEWORK, "max: 100", "max: 1e400"),
        file=FRAMEWORK,
        line=at("1e400", FRAMEWORK),
        code="S003",
    ),
    Case(
        "population of 1,000 digits",
        replace(REGIONS, "population: 1000", f"population: {BIG}"),
        file=REGIONS,
        line=at(BIG, REGIONS),
        code="S003",
    ),
    *[
        Case(
            f"value {token}",
            replace(ASSESSMENT, "value: 85", f"value: {token}"),
            file=ASSESSMENT,
            line=at(f"value: {token}"),
            code="O001",
        )
        for token in (".nan", ".inf", "-.inf", ".NaN", "+.INF")
    ],
    *[
        Case(
            f"threshold {token}",
            replace(INDICATOR, "ready: 80", f"ready: {token}"),
            file=INDICATOR,
            line=at(f"ready: {token}", INDICATOR),
            code="S003",
        )
        for token in (".nan", ".inf", "-.inf")
    ],
    *[
        Case(
            f"goalpost {token}",
            replace(INDICATOR, "worst: 0", f"worst: {token}"),
            file=INDICATOR,
            line=at(f"worst: {token}", INDICATOR),
            code="S003",
        )
        for token in (".nan", "-.inf")
    ],
    Case(
        "weight .nan",
        append(INDICATOR, "weight: .nan\n"),
        file=INDICATOR,
        line=at("weight: .nan", INDICATOR),
        code="S003",
    ),
    Case(
        "level min_score .inf",
        replace(FRAMEWORK, "min_score: 70", "min_score: .inf"),
        file=FRAMEWORK,
        line=at("min_score: .inf", FRAMEWORK),
        code="S003",
    ),
    # numbers as strings, strings as numbers
    Case(
        "value '85' in quotes",
        replace(ASSESSMENT, "value: 85", "value: '85'"),
        file=ASSESSMENT,
        line=at("'85'"),
        code="O001",
    ),
    Case(
        'threshold "80" in quotes',
        replace(INDICATOR, "ready: 80", 'ready: "80"'),
        file=INDICATOR,
        line=at('"80"', INDICATOR),
        code="S003",
    ),
    Case(
        "population 'lots'",
        replace(REGIONS, "population: 1000", "population: lots"),
        file=REGIONS,
        line=at("lots", REGIONS),
        code="S003",
    ),
    Case(
        "value eighty-five",
        replace(ASSESSMENT, "value: 85", "value: eighty-five"),
        file=ASSESSMENT,
        line=at("eighty-five"),
        code="O001",
    ),
    Case(
        "value 1_000 (YAML 1.1 underscores)",
        replace(ASSESSMENT, "value: 85", "value: 1_000"),
        file=ASSESSMENT,
        line=at("1_000"),
        code="O001",
    ),
    Case(
        "value 0x55 (hex)",
        replace(ASSESSMENT, "value: 85", "value: 0x55"),
        file=ASSESSMENT,
        line=at("0x55"),
        code="O001",
    ),
    Case(
        "region name 12 and reference 1e5 (text; accepted)",
        both(
            replace(REGIONS, "name: North", "name: 12"),
            replace(ASSESSMENT, "reference: ADM register", "reference: 1e5"),
        ),
        exit=(0,),
        extra=all_files_read(6),
    ),
    Case(
        "boolean word NO for restricted",
        replace(INDICATOR, "direction: higher", "direction: higher\nrestricted: NO"),
        file=INDICATOR,
        line=at("restricted: NO", INDICATOR),
        code="S003",
    ),
    # characters and encodings
    Case(
        "tab indentation",
        replace(ASSESSMENT, "  A1:", "\tA1:"),
        file=ASSESSMENT,
        line=at("\tA1:"),
        code="Y001",
        extra=lambda root, result: (
            None if TABS_HINT in result.stdout else pytest.fail("no hint about tabs:\n" + result.excerpt())
        ),
    ),
    Case("CRLF line ends (accepted)", crlf, exit=(0,), extra=all_files_read(6)),
    Case(
        "CRLF line ends, with a bad value: the line is right",
        both(replace(ASSESSMENT, "value: 60", "value: sixty"), crlf),
        file=ASSESSMENT,
        line=at("sixty"),
        code="O001",
    ),
    Case("byte-order mark (accepted)", bom, exit=(0,), extra=all_files_read(6)),
    Case(
        "byte-order mark, with a bad value: the line is right",
        both(replace(ASSESSMENT, "value: 60", "value: sixty"), bom),
        file=ASSESSMENT,
        line=at("sixty"),
        code="O001",
    ),
    Case("Latin-1 byte (not UTF-8)", latin1, file=ASSESSMENT, line=at(b"\xe9"), code="Y002"),
    Case("UTF-16 file", utf16, file=ASSESSMENT, line=1, code="Y002"),
    Case("NUL byte", replace(ASSESSMENT, "round: r1", "round: r\x001"), file=ASSESSMENT, line=at(b"\x00"), code="Y002"),
    Case(
        "U+2028 line separator",
        replace(ASSESSMENT, "All stations", "All\u2028stations"),
        file=ASSESSMENT,
        line=at("\u2028"),
        code="Y002",
    ),
    Case("empty file", write(ASSESSMENT, b""), file=ASSESSMENT, line=1, code="Y005"),
    Case(
        "only comments",
        write(ASSESSMENT, "# nothing here\n# and nothing here either\n"),
        file=ASSESSMENT,
        line=1,
        code="Y005",
    ),
    Case(
        "only whitespace and a document marker", write(ASSESSMENT, "\n   \n---\n"), file=ASSESSMENT, line=1, code="Y005"
    ),
    Case(
        "100,000 lines of comments (accepted)",
        append(ASSESSMENT, "# a comment line\n" * 100_000),
        exit=(0,),
        extra=all_files_read(6),
    ),
    Case(
        "100,000 lines of comments, then a bad value: the line is right",
        append(ASSESSMENT, "# a comment line\n" * 100_000 + "team: {a: 1}\n"),
        file=ASSESSMENT,
        line=at("team:"),
        code="S003",
    ),
    Case("python tag that would run code", python_tag, file=ASSESSMENT, line=1, code="Y005", extra=nothing_executed),
    Case(
        "!!binary tag",
        replace(ASSESSMENT, "region: north", "region: !!binary aGVsbG8="),
        file=ASSESSMENT,
        line=1,
        code="Y005",
    ),
    # the file system
    Case("a folder named like a YAML file", folder_named_yaml, file="assessments/r1/south.yaml", line=1, code="P001"),
    Case("a link to a file outside the project", link_outside, file=ASSESSMENT, line=1, code="P001"),
    Case("a link to /dev/zero", link_to_device, file="assessments/r1/south.yaml", line=1, code="P001"),
    Case("a dangling link", dangling_link, file="assessments/r1/south.yaml", line=1, code="P001"),
    Case("a symlink loop", link_loop, file="assessments/r1/south.yaml", line=1, code="P001"),
    Case(
        "a round folder that links outside the project",
        round_folder_outside,
        file="assessments/r1",
        code=("P001", "P002"),
    ),
    Case("indicators/ itself links outside the project", indicators_folder_outside, file="indicators", code="P001"),
    Case("a named pipe called south.yaml", named_pipe, file="assessments/r1/south.yaml", line=1, code="P001"),
    # the map
    Case(
        "region geometry names a missing feature (no GeoJSON)",
        with_geometry("nowhere"),
        file=REGIONS,
        line=at("geometry: nowhere", REGIONS),
        code="R002",
    ),
    Case(
        "region geometry names a missing feature (GeoJSON without it)",
        both(write(GEOJSON, geojson(geometry_feature("south-shape", square(0, 0)))), with_geometry("nowhere")),
        file=REGIONS,
        line=at("geometry: nowhere", REGIONS),
        code="R002",
    ),
    Case(
        "regions.geojson is not JSON",
        write(GEOJSON, '{\n  "type": "FeatureCollection",\n  oops\n}\n'),
        file=GEOJSON,
        line=3,
        code="S003",
    ),
    Case("regions.geojson is JSON but not GeoJSON", write(GEOJSON, "[1, 2, 3]"), file=GEOJSON, line=1, code="S003"),
    Case("regions.geojson is not UTF-8", write(GEOJSON, b'{"type": "Feature\xff"}'), file=GEOJSON, code="S003"),
    Case(
        "regions.geojson nested 100,000 deep", write(GEOJSON, "[" * 100_000 + "]" * 100_000), file=GEOJSON, code="S003"
    ),
    Case("regions.geojson of 20 MB (accepted)", geojson_20mb, exit=(0,), extra=all_files_read(7)),
    Case(
        "regions.geojson with a million-point polygon (accepted)",
        geojson_million_points,
        exit=(0,),
        extra=all_files_read(7),
    ),
    # mkdocs.yml is data, read with the same loader and limits as every other file
    Case(
        "mkdocs.yml with a !!python tag", mkdocs_python_tag, file=SETTINGS, line=2, code="Y005", extra=nothing_executed
    ),
    Case(
        "mkdocs.yml with hooks",
        write(SETTINGS, "site_name: x\nhooks:\n  - hooks/evil.py\n"),
        file=SETTINGS,
        line=2,
        code="M001",
    ),
    Case(
        "mkdocs.yml nested 10,000 deep",
        write(SETTINGS, "site_name: x\nextra: " + "[" * 10_000 + "]" * 10_000 + "\n"),
        file=SETTINGS,
        code=("Y001", "Y005"),
    ),
    Case(
        "mkdocs.yml of 56 MB",
        write(SETTINGS, "site_name: x\nsite_description: " + "y" * (56 << 20) + "\n"),
        file=SETTINGS,
        line=1,
        code="P001",
    ),
    Case("mkdocs.yml is a folder", lambda root: (root / SETTINGS).mkdir(), file=SETTINGS, code="P001"),
    # volume
    Case("30 MB assessment (300,000 evidence entries)", assessment_30mb, exit=(0, 1)),
    Case(
        "16,000 observations of unknown indicators (2 MB)", unknown_observations(16_000), file=ASSESSMENT, code="R002"
    ),
    Case("3,000 assessment files", many_assessments, exit=(0,), extra=all_files_read(3005)),
]


def _params():
    for case in CASES:
        marks = [pytest.mark.xfail(strict=True, reason=case.bug)] if case.bug else []
        yield pytest.param(case, id=case.name, marks=marks)


@pytest.mark.parametrize("case", list(_params()))
def test_check_survives_hostile_input(case: Case, tmp_path: Path) -> None:
    root = small_project(tmp_path)
    case.make(root)
    result = check(root, case.timeout)
    record(case.name, "check", result, case.bug)

    assert not result.timed_out, f"still running after {case.timeout} s"
    assert result.peak_mb is not None and result.peak_mb < LIMIT_MB, f"peak memory {result.peak_mb} MB"
    assert "Traceback" not in result.output, result.excerpt()
    assert result.code in case.exit, f"exit {result.code}, expected {case.exit}:\n{result.excerpt()}"
    if case.file is not None:
        found = result.diagnostics()
        line = case.line(root) if callable(case.line) else case.line
        codes = (case.code,) if isinstance(case.code, str) else case.code
        matching = [
            d
            for d in found
            if d["file"] == case.file
            and (line is None or int(d["line"]) == line)
            and (case.lines is None or case.lines[0] <= int(d["line"]) <= case.lines[1])
            and (codes is None or d["code"] in codes)
        ]
        assert matching, (
            f"no {codes or ''} diagnostic for {case.file}{f' line {line}' if line else ''}:\n{result.excerpt()}"
        )
    if case.extra is not None:
        case.extra(root, result)


# ---------------------------------------------------------------- build: hand-written pages that leave the project


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A valid project and a site built from it once, copied by each case (MkDocs takes seconds)."""
    base = tmp_path_factory.mktemp("built")
    root = small_project(base)
    result = build(root, base / "site")
    record("build: the valid project", "build", result)
    assert result.code == 0 and "Traceback" not in result.output, result.excerpt()
    return root, base / "site"


def build(root: Path, out: Path) -> Run:
    return run_limited(
        [sys.executable, "-m", "readiness", "build", "-p", str(root), "--out", str(out)], BUILD_SECONDS, cwd=root.parent
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


SECRET = "EYES-ONLY-7f3a: informant list"


def secret_outside(where: Path) -> Path:
    where.mkdir(parents=True, exist_ok=True)
    path = where / "secret.md"
    path.write_text(f"# Secret\n\n{SECRET}\n", encoding="utf-8")
    return path


def site_file_links_out(root: Path) -> str:
    (root / "site").mkdir()
    (root / "site/notes.md").symlink_to(secret_outside(root.parent / "elsewhere"))
    return "site/notes.md"


def site_link_loop(root: Path) -> str:
    (root / "site").mkdir()
    (root / "site/a.md").symlink_to(root / "site/b.md")
    (root / "site/b.md").symlink_to(root / "site/a.md")
    return "site/a.md"


def site_folder_links_out(root: Path) -> str:
    secret_outside(root.parent / "elsewhere")
    (root / "site").symlink_to(root.parent / "elsewhere", target_is_directory=True)
    return "site"


def site_file_links_into_project(root: Path) -> str:
    """A link that stays in the project but leaves site/ (to an assessment): refused too."""
    (root / "site").mkdir()
    (root / "site/data.md").symlink_to(root / ASSESSMENT)
    return "site/data.md"


BUILD_CASES: list[tuple[str, Callable[[Path], str], str | None]] = [
    ("a site/ page that links outside the project", site_file_links_out, None),
    ("a site/ page that links to a project file outside site/", site_file_links_into_project, None),
    ("a symlink loop in site/", site_link_loop, None),
    ("site/ itself links outside the project", site_folder_links_out, None),
]


def _build_params():
    for name, make, bug in BUILD_CASES:
        marks = [pytest.mark.xfail(strict=True, reason=bug)] if bug else []
        yield pytest.param(name, make, bug, id=name, marks=marks)


@pytest.mark.parametrize(("name", "make", "bug"), list(_build_params()))
def test_build_refuses_site_pages_that_leave_the_project(name, make, bug, built, tmp_path: Path) -> None:
    template_root, template_site = built
    root = tmp_path / "project"
    shutil.copytree(template_root, root, symlinks=True)
    out = tmp_path / "site"
    shutil.copytree(template_site, out, symlinks=True)
    before = snapshot(out)
    named = make(root)

    result = build(root, out)
    record(f"build: {name}", "build", result, bug)

    assert not result.timed_out and result.peak_mb is not None and result.peak_mb < LIMIT_MB, (
        result.seconds,
        result.peak_mb,
    )
    assert "Traceback" not in result.output, result.excerpt()
    assert result.code == 1, f"exit {result.code}:\n{result.excerpt()}"
    # refused by the check that every build runs first, naming the file and why
    assert named in result.stderr and any(w in result.stderr for w in ("outside", "leaves", "loop")), result.excerpt()
    assert snapshot(out) == before, "the previous site changed"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site-")], "a work folder was left behind"
    assert SECRET not in "".join(v.decode("utf-8", "replace") for v in snapshot(out).values())


# ---------------------------------------------------------------- build: hostile map outlines


def outline(ring: list[list[float]]) -> Callable[[Path], None]:
    """regions.geojson with one outline, `ring`, drawn for north (json.dumps writes NaN, Infinity and integers
    of any length as JSON readers accept them)."""

    def make(root: Path) -> None:
        (root / GEOJSON).write_text(geojson(geometry_feature("north-shape", ring)), encoding="utf-8")
        with_geometry("north-shape")(root)

    return make


nan_coordinates = outline([[math.nan, 1], [math.inf, 2], [3, -math.inf], [math.nan, 1]])
huge_coordinates = outline([[10**400, 1], [2, 2], [3, 1], [10**400, 1]])  # float() cannot; found by test_fuzz


GEOMETRY_CASES: list[tuple[str, Callable[[Path], None], str | None]] = [
    ("a million-point polygon on the map", geojson_million_points, None),
    ("NaN and Infinity coordinates (JSON accepts them)", nan_coordinates, None),
    ("a coordinate too large for a float", huge_coordinates, None),
]


def _geometry_params():
    for name, make, bug in GEOMETRY_CASES:
        marks = [pytest.mark.xfail(strict=True, reason=bug)] if bug else []
        yield pytest.param(name, make, bug, id=name, marks=marks)


@pytest.mark.parametrize(("name", "make", "bug"), list(_geometry_params()))
def test_build_survives_hostile_map_outlines(name, make, bug, tmp_path: Path) -> None:
    """The map is drawn from assessments/regions.geojson: a build finishes within the memory cap and either
    publishes (exit 0) or refuses with a clear message (exit 1), never an internal error."""
    root = small_project(tmp_path)
    make(root)
    out = tmp_path / "site"
    result = build(root, out)
    page = out / "index.html"
    record(
        f"build: {name}",
        "build",
        result,
        bug,
        index_html_mb=round(page.stat().st_size / 2**20, 1) if page.is_file() else None,
    )

    assert not result.timed_out, f"still running after {BUILD_SECONDS} s"
    assert result.peak_mb is not None and result.peak_mb < LIMIT_MB, f"peak memory {result.peak_mb} MB"
    assert "Traceback" not in result.output and "internal error" not in result.output, result.excerpt()
    assert result.code in (0, 1), f"exit {result.code}:\n{result.excerpt()}"
    if result.code == 0:
        assert page.is_file()
    else:
        assert "regions.geojson" in result.output, result.excerpt()
