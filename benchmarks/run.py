"""Benchmark `readiness check`, `score` and `build` against the floors they cannot beat, in the same run.

    python benchmarks/run.py --size S [--repeat 3] [--out benchmarks/results-S.json]

For each size (S: 50 regions x 40 indicators x 4 rounds, M: 300 x 40 x 8, L: 1,000 x 40 x 12; and the indicators
axis I40, I400, I2000: 50 regions x 40, 400 or 2,000 indicators x 4 rounds) it generates a
synthetic project with benchmarks/generate.py, then measures, each as a whole process, the median wall time
of several repetitions and the peak memory:

- floor: loading every YAML file of the project with PyYAML's C loader (`yaml.load(..., CSafeLoader)`);
- `readiness check`, `readiness score` and `readiness build` (cold: `--no-cache`, nothing kept from an earlier
  build);
- warm build: `readiness build` after one value of one assessment of the latest round was edited, with what
  the previous build kept (readiness.store: pages converted, each region's Monte Carlo); the build that fills
  the store first is not timed, and each repetition edits the value again;
- site floor: a plain `mkdocs build` of the Markdown pages and configuration that `readiness build` generates;
- startup: `readiness check` on this repository's example, a second time on the same files (the pre-commit case:
  the outcome the first kept is answered), against a bare Python that imports PyYAML and reads the same files;
  "first check" is a check with nothing kept (every command but "warm build" and "startup" runs with an empty
  store);
- serve: on this repository's example mission, the re-check after an edit to one assessment file as
  `readiness serve` does it (files that did not change are reused), against a cold load and check.

It prints a table with the ratios the targets are stated in and writes it as JSON. Ratios compare figures
measured in the same run on the same machine; absolute seconds move with the machine's load.

When the JSON file it writes is already there, the figures it held are kept in the new file as `before` (their
date, machine, command and reports; only one level: the old file's own `before` is dropped), so that the file
always says what changed since its previous run. When the file is written in this folder (the default), the
figures in benchmarks/README.md are then written again from it by benchmarks/report.py; a file written elsewhere
(CI writes build/benchmark-S.json) leaves the README alone.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
SIZES = {
    "S": (50, 40, 4),
    "M": (300, 40, 8),
    "L": (1000, 40, 12),
    # the indicators axis: 50 regions x 4 rounds with 40, 400 and 2,000 indicators (time and memory should grow
    # with the number of observations, no faster; `axis` below says by how much they do)
    "I40": (50, 40, 4),
    "I400": (50, 400, 4),
    "I2000": (50, 2000, 4),
}
TARGETS = {
    "check / floor": 1.0,
    "score / check": 1.25,
    "build / site floor": 1.3,
    "warm build / build": 0.6,
    "startup / bare": 1.5,
}
#: Ratios reported without a target of their own.
REPORTED = ("first check / bare",)
#: Peak memory of check and score (the largest process), and of build (all its processes by PSS), in MB.
MEMORY_TARGET_MB = 1536
#: `readiness serve`'s re-check of the example after one assessment is edited, in seconds.
SERVE_TARGET_SECONDS = 1.0

#: The pre-commit case: a bare Python that imports PyYAML and reads the example's files with the C loader, the
#: floor `readiness check` on the example is measured against (issue 20: within 1.5x).
STARTUP_FLOOR = """
import sys, yaml
from pathlib import Path
root = Path(sys.argv[1])
for folder in ("indicators", "assessments", "handover", "scenarios"):
    for path in sorted((root / folder).rglob("*.yaml")):
        yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
"""

FLOOR = """
import sys, yaml
from pathlib import Path
root = Path(sys.argv[1])
for path in sorted(root.rglob("*.yaml")):
    yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
"""

# Runs one command and reports its peak memory two ways: the largest resident set of any one process (the command
# or a child it forked; a forked child's resident set counts the pages it shares with its parent again), and the
# largest proportional set size of the whole process tree, sampled every 0.2 s (Linux: each shared page counted
# once, split between the processes that share it; 0 where /proc/<pid>/smaps_rollup cannot be read).
MEASURE = """
import os, resource, subprocess, sys, threading, time

def children():
    found = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    found[int(entry)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                pass
    return found

def tree_pss(root):
    parents, pids, total = children(), {root}, 0
    grew = True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in pids} - pids
        grew = bool(more)
        pids |= more
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                total += next(int(line.split()[1]) for line in f if line.startswith("Pss:"))
        except (OSError, StopIteration, ValueError):
            pass
    return total

start = time.perf_counter()
process = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
peak_pss, done = [0], threading.Event()

def sample():
    while not done.wait(0.2):
        peak_pss[0] = max(peak_pss[0], tree_pss(process.pid))

sampler = threading.Thread(target=sample, daemon=True)
if os.path.isdir("/proc"):
    sampler.start()
process.communicate()
code = process.returncode
seconds = time.perf_counter() - start
done.set()
peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(f"{code} {seconds} {peak_kb} {peak_pss[0]}")
"""

PREPARE = """
import sys
from pathlib import Path
from readiness.pipeline import site_view
from readiness.project import load_project
from readiness.site import prepare
root, work = Path(sys.argv[1]), Path(sys.argv[2])
project, _ = load_project(root)
view = site_view(project, "internal")
languages = list(project.framework.languages)
for lang in languages:
    prepare(root, work / lang, view, lang, languages)
print(" ".join(languages))
"""


# `readiness serve` after an edit: the example mission of this repository (a copy), its files loaded once into
# the serve's file cache, then one assessment edited at a time; times the re-check (load with the cache, then
# every check) and the whole regeneration of the pages that follows, against a cold load and check.
RECHECK = """
import json, shutil, statistics, sys, tempfile, time
from pathlib import Path
from readiness.checks import check_project
from readiness.project import FileCache, load_project
from readiness.serve import regenerate
repo, repeat = Path(sys.argv[1]), int(sys.argv[2])
with tempfile.TemporaryDirectory() as tmp:
    root = Path(tmp) / "example"
    for name in ("indicators", "assessments", "scenarios", "site"):
        shutil.copytree(repo / name, root / name)
    shutil.copy(repo / "mkdocs.yml", root / "mkdocs.yml")
    edited = sorted((root / "assessments").glob("*/*.yaml"))[-1]
    def check(cache):
        start = time.perf_counter()
        project, found = load_project(root, cache)
        found += check_project(project)
        return time.perf_counter() - start, cache.read if cache else len(project.files)
    cold = [check(None)[0] for _ in range(repeat)]
    cache = FileCache()
    load_project(root, cache)
    warm, regen, read = [], [], set()
    work = Path(tmp) / "work"
    regenerate(root, work, "internal", lambda _: None, cache)
    for i in range(repeat):
        edited.write_text(edited.read_text(encoding="utf-8") + f"# edit {i}\\n", encoding="utf-8")
        seconds, n = check(cache)
        warm.append(seconds)
        read.add(n)
        edited.write_text(edited.read_text(encoding="utf-8") + f"# again {i}\\n", encoding="utf-8")
        start = time.perf_counter()
        regenerate(root, work, "internal", lambda _: None, cache)
        regen.append(time.perf_counter() - start)
print(json.dumps({"cold check": statistics.median(cold), "re-check": statistics.median(warm),
                  "regenerate": statistics.median(regen), "files read per re-check": sorted(read)}))
"""


def measure(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float, float]:
    """Wall seconds, peak MB of the largest process and peak MB of the process tree by proportional set size,
    of one run of a command (in `env`, or this process's environment)."""
    out = subprocess.run([sys.executable, "-c", MEASURE, *command], capture_output=True, text=True, check=True, env=env)
    code, seconds, peak_kb, pss_kb = out.stdout.split()
    if code != "0":
        raise RuntimeError(f"{' '.join(command)} exited {code}")
    return float(seconds), int(peak_kb) / 1024, int(pss_kb) / 1024


def median_of(command: list[str], repeat: int) -> dict[str, float]:
    """Runs of a command each with an empty store (readiness.store), so that nothing is taken from an earlier run."""
    return summary([measure(command, cold_cache()) for _ in range(repeat)])


def cold_cache() -> dict[str, str]:
    """This environment with READINESS_CACHE set to a new empty folder."""
    folder = tempfile.mkdtemp(prefix="readiness-bench-cache-")
    _CACHES.append(folder)
    return {**os.environ, "READINESS_CACHE": folder}


_CACHES: list[str] = []


def summary(runs: list[tuple[float, float, float]]) -> dict[str, float]:
    """The median seconds and the peak memories of runs of one step."""
    return {
        "seconds": round(statistics.median(s for s, _, _ in runs), 3),
        "peak_mb": round(max(m for _, m, _ in runs), 1),
        "pss_mb": round(max(p for _, _, p in runs), 1),
        "runs": [round(s, 3) for s, _, _ in runs],
    }


ALL_STEPS = ("floor", "check", "score", "build", "warm build", "site floor", "serve", "startup")


def edit_one_value(project: Path, turn: int) -> str:
    """Change the first decimal value of the first region's assessment in the latest round (a little more each
    turn, so that every turn is an edit); the file changed."""
    import re

    latest = sorted(p for p in (project / "assessments").iterdir() if p.is_dir())[-1]
    path = sorted(latest.glob("*.yaml"))[0]
    text = path.read_text(encoding="utf-8")
    match = re.search(r"(?m)^(\s+value: )(\d+\.\d+)$", text)
    assert match is not None, f"no decimal value in {path}"
    value = float(match.group(2))
    new = value - 0.1 * (turn + 1) if value >= 1 else value + 0.1 * (turn + 1)
    path.write_text(text[: match.start(2)] + f"{new:.1f}" + text[match.end(2) :], encoding="utf-8")
    return str(path)


def bench(size: str, repeat: int, work: Path, steps: tuple[str, ...] = ALL_STEPS) -> dict[str, object]:
    regions, indicators, rounds = SIZES[size]
    project = work / f"project-{size}"
    subprocess.run(
        [
            sys.executable,
            str(HERE / "generate.py"),
            "--regions",
            str(regions),
            "--indicators",
            str(indicators),
            "--rounds",
            str(rounds),
            "--seed",
            "1",
            "--out",
            str(project),
            "--force",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    files = sum(1 for _ in project.rglob("*.yaml"))
    readiness = [sys.executable, "-m", "readiness"]
    results: dict[str, object] = {}
    if "floor" in steps:
        results["floor"] = median_of([sys.executable, "-c", FLOOR, str(project)], repeat)
    if "check" in steps:
        results["check"] = median_of([*readiness, "check", str(project)], repeat)
    if "score" in steps:
        results["score"] = median_of(
            [*readiness, "score", "-p", str(project), "--format", "csv", "--out", str(work / "results.json")], repeat
        )
    if "build" in steps:
        results["build"] = median_of(
            [*readiness, "build", "-p", str(project), "--out", str(work / "site"), "--no-cache"], repeat
        )
    if "warm build" in steps:
        command = [*readiness, "build", "-p", str(project), "--out", str(work / "site")]
        warm = cold_cache()
        subprocess.run(command, check=True, capture_output=True, env=warm)  # fills the store: not timed
        runs = []
        for turn in range(repeat):
            edit_one_value(project, turn)
            runs.append(measure(command, warm))
        results["warm build"] = summary(runs)
    if "site floor" in steps:
        docs = work / f"docs-{size}"
        languages = subprocess.run(
            [sys.executable, "-c", PREPARE, str(project), str(docs)], capture_output=True, text=True, check=True
        ).stdout.split()
        mkdocs = [
            sys.executable,
            "-c",
            "import sys, subprocess\n"
            "for cfg in sys.argv[1:]:\n"
            "    subprocess.run([sys.executable, '-m', 'mkdocs', 'build', '-q', '-f', cfg], check=True)",
            *(str(docs / lang / "mkdocs.yml") for lang in languages),
        ]
        results["site floor"] = median_of(mkdocs, repeat)
    serve: dict[str, object] | None = None
    if "serve" in steps:
        serve = json.loads(
            subprocess.run(
                [sys.executable, "-c", RECHECK, str(HERE.parent), str(max(repeat, 3))],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
    if "startup" in steps:  # paired runs, alternating, so that a busy machine slows both alike
        example = HERE.parent
        check = [*readiness, "check", "-p", str(example)]
        kept = cold_cache()
        subprocess.run(check, check=False, capture_output=True, env=kept)  # the first check keeps its outcome
        triples = [
            (
                measure(check, kept)[0],  # the pre-commit case: a check of files an earlier check read
                measure([sys.executable, "-c", STARTUP_FLOOR, str(example)])[0],
                measure(check, cold_cache())[0],  # a first check
            )
            for _ in range(max(repeat, 5))
        ]
        for name, runs in (
            ("startup", [a for a, _, _ in triples]),
            ("bare", [b for _, b, _ in triples]),
            ("first check", [c for _, _, c in triples]),
        ):
            results[name] = {
                "seconds": round(statistics.median(runs), 3),
                "peak_mb": 0.0,
                "runs": [round(x, 3) for x in runs],
            }
    seconds = {k: v["seconds"] for k, v in results.items()}  # type: ignore[index]
    pairs = {
        "check / floor": ("check", "floor"),
        "score / check": ("score", "check"),
        "build / site floor": ("build", "site floor"),
        "warm build / build": ("warm build", "build"),
        "startup / bare": ("startup", "bare"),
        "first check / bare": ("first check", "bare"),
    }
    ratios = {
        name: round(seconds[a] / seconds[b], 3) for name, (a, b) in pairs.items() if a in seconds and b in seconds
    }
    peaks = [results[k]["peak_mb"] for k in ("check", "score") if k in results]  # type: ignore[index]
    return {
        "size": size,
        "regions": regions,
        "indicators": indicators,
        "rounds": rounds,
        "yaml_files": files,
        "measures": results,
        "ratios": ratios,
        "targets_met": {k: ratios[k] <= TARGETS[k] for k in ratios if k in TARGETS},
        "serve": serve,
        "memory_target_met": all(p < MEMORY_TARGET_MB for p in peaks),
    }


def table(report: dict[str, object]) -> str:
    lines = [
        f"size {report['size']}: {report['regions']} regions x {report['indicators']} indicators x "
        f"{report['rounds']} rounds, {report['yaml_files']} YAML files",
        f"  {'step':<12} {'median s':>9} {'peak MB':>8} {'PSS MB':>7}  runs",
    ]
    for name, m in report["measures"].items():  # type: ignore[union-attr]
        lines.append(f"  {name:<12} {m['seconds']:>9.2f} {m['peak_mb']:>8.0f} {m.get('pss_mb', 0):>7.0f}  {m['runs']}")
    for name, ratio in report["ratios"].items():  # type: ignore[union-attr]
        if name in REPORTED:
            lines.append(f"  {name:<20} {ratio:>6.2f}   (no target)")
            continue
        target = TARGETS[name]
        lines.append(f"  {name:<20} {ratio:>6.2f}   target <= {target}  {'met' if ratio <= target else 'MISSED'}")
    peaks = [report["measures"][k]["peak_mb"] for k in ("check", "score") if k in report["measures"]]  # type: ignore[index,operator]
    if peaks:
        lines.append(
            f"  peak memory of check and score {max(peaks):.0f} MB   target < {MEMORY_TARGET_MB} MB  "
            f"{'met' if report['memory_target_met'] else 'MISSED'}"
        )
    build = report["measures"].get("build")  # type: ignore[union-attr]
    if build and build.get("pss_mb"):
        lines.append(
            f"  peak memory of build, all processes by PSS {build['pss_mb']:.0f} MB   target < {MEMORY_TARGET_MB} MB  "
            f"{'met' if build['pss_mb'] < MEMORY_TARGET_MB else 'MISSED'}"
        )
    serve = report.get("serve")
    if serve:
        lines.append(
            f"  serve, the example: re-check after editing one assessment {serve['re-check']:.3f} s "  # type: ignore[index]
            f"(cold check {serve['cold check']:.3f} s; files read {serve['files read per re-check']}); "  # type: ignore[index]
            f"target < {SERVE_TARGET_SECONDS:g} s  "
            f"{'met' if serve['re-check'] < SERVE_TARGET_SECONDS else 'MISSED'}; "  # type: ignore[index,operator]
            f"pages regenerated in {serve['regenerate']:.2f} s"
        )  # type: ignore[index]
    return "\n".join(lines)


def axis(reports: list[dict[str, object]]) -> str:
    """How time and memory grow between the smallest and each larger project of a run that differ only in the
    number of indicators: per observation (regions x indicators x rounds), 1.00 is linear."""
    by_shape = sorted(reports, key=lambda r: int(r["indicators"]))  # type: ignore[call-overload]
    if len(by_shape) < 2 or len({(r["regions"], r["rounds"]) for r in by_shape}) != 1:
        return ""
    first = by_shape[0]
    lines = [f"  indicators axis (per observation, against {first['indicators']} indicators; 1.00 is linear)"]
    for report in by_shape[1:]:
        scale = int(report["indicators"]) / int(first["indicators"])  # type: ignore[call-overload]
        cells = []
        for step, m in report["measures"].items():  # type: ignore[union-attr]
            base = first["measures"].get(step)  # type: ignore[union-attr]
            if not base or not base["seconds"]:
                continue
            time_ratio = m["seconds"] / base["seconds"] / scale
            memory = max(m["peak_mb"], m.get("pss_mb", 0)) / max(base["peak_mb"], base.get("pss_mb", 0), 1) / scale
            cells.append(f"{step} time {time_ratio:.2f} memory {memory:.2f}")
        lines.append(f"    {report['indicators']:>5} indicators: " + "; ".join(cells))
    return "\n".join(lines)


def with_before(payload: dict[str, object], previous: dict[str, object] | None) -> dict[str, object]:
    """The payload with the previous run's figures of the same file kept as its `before`: their date, machine,
    repeat, command and reports, not the previous run's own `before` (one level only, so the file stays the size
    of two runs however often it is written)."""
    if not previous or not isinstance(previous.get("reports"), list):
        return payload
    keep = ("date", "machine", "repeat", "command", "reports")
    return {**payload, "before": {key: previous[key] for key in keep if key in previous}}


def previous_results(path: Path) -> dict[str, object] | None:
    """The results a file already holds, or None when there is none (or it is not a results file)."""
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), action="append", help="S, M or L (repeatable)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--out",
        type=Path,
        help="JSON report [default: benchmarks/results-<sizes>.json; written in benchmarks/, README.md follows]",
    )
    parser.add_argument(
        "--steps", default=",".join(ALL_STEPS), help="comma-separated subset of: " + ", ".join(ALL_STEPS)
    )
    args = parser.parse_args()
    sizes = args.size or ["S"]
    reports = []
    with tempfile.TemporaryDirectory(prefix="readiness-bench-") as tmp:
        for size in sizes:
            report = bench(size, args.repeat, Path(tmp), tuple(s.strip() for s in args.steps.split(",")))
            print(table(report), flush=True)
            reports.append(report)
    for folder in _CACHES:
        shutil.rmtree(folder, ignore_errors=True)
    along = axis(reports)
    if along:
        print(along, flush=True)
    payload = {
        "date": date.today().isoformat(),
        "machine": {"python": platform.python_version(), "system": platform.platform(), "cpus": os.cpu_count()},
        "repeat": args.repeat,
        "command": " ".join(["python", "benchmarks/run.py", *sys.argv[1:]]),
        "reports": reports,
        "elapsed_seconds": round(time.perf_counter() - START, 1),
    }
    out = args.out or HERE / f"results-{''.join(sizes)}.json"
    payload = with_before(payload, previous_results(out))
    out.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out}")
    if out.resolve().parent != HERE:
        return 0
    import report  # benchmarks/report.py, beside this file

    try:
        readme = report.write(HERE, HERE / "README.md")
    except (OSError, ValueError) as error:
        print(f"benchmarks/README.md not written again: {error}", file=sys.stderr)
        return 1
    print(f"wrote {readme}")
    return 0


START = time.perf_counter()

if __name__ == "__main__":
    sys.exit(main())
