"""Compare this checkout's `readiness check`, `score` and `build` with an earlier commit's, in the same run.

    python benchmarks/compare.py --against COMMIT [--size M] [--repeat 3] [--steps check,score,build]

It checks the earlier commit out into a temporary git worktree, generates one synthetic project of the size
(benchmarks/generate.py, seed 1), and runs each step with both versions, alternating which goes first from one
repetition to the next so that the machine's drift falls on both alike. Both versions run in this Python with
the same installed dependencies; the earlier one is put first on PYTHONPATH. It prints the median seconds and
peak memory of each and the ratio now / before, and writes them as JSON. A ratio above 1 means slower now.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import SIZES, measure  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
STEPS = ("check", "score", "build")


def command(step: str, project: Path, work: Path) -> list[str]:
    readiness = [sys.executable, "-m", "readiness"]
    if step == "check":
        return [*readiness, "check", "-p", str(project)]
    if step == "score":
        return [*readiness, "score", "-p", str(project), "--format", "csv", "-o", str(work / "scores.csv")]
    if step == "build":
        return [*readiness, "build", "-p", str(project), "-o", str(work / "site")]
    raise ValueError(step)


def package_of(env: dict[str, str]) -> str:
    """Where `import readiness` resolves with this environment (a guard against comparing a version with itself)."""
    out = subprocess.run(
        [sys.executable, "-c", "import readiness, pathlib; print(pathlib.Path(readiness.__file__).parent)"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


def compare(against: str, size: str, repeat: int, steps: tuple[str, ...], work: Path) -> dict[str, object]:
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--verify", f"{against}^{{commit}}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    before_tree = work / "before"
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", "--quiet", str(before_tree), commit], check=True
    )
    try:
        regions, indicators, rounds = SIZES[size]
        project = work / f"project-{size}"
        subprocess.run(
            [sys.executable, str(HERE / "generate.py"), "--regions", str(regions), "--indicators", str(indicators)]
            + ["--rounds", str(rounds), "--seed", "1", "--out", str(project), "--force"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        envs = {
            "before": {**os.environ, "PYTHONPATH": str(before_tree)},
            "now": {**os.environ, "PYTHONPATH": str(ROOT)},
        }
        # `python -m` and `-c` put the working folder first on the path: run from the scratch folder, so that
        # PYTHONPATH decides which version is imported
        os.chdir(work)
        where = {name: package_of(env) for name, env in envs.items()}
        if where["before"] == where["now"] or not where["before"].startswith(str(before_tree)):
            raise SystemExit(f"both versions import the same package ({where}); nothing to compare")
        runs: dict[str, dict[str, list[tuple[float, float, float]]]] = {s: {"before": [], "now": []} for s in steps}
        for i in range(repeat):
            order = ("before", "now") if i % 2 == 0 else ("now", "before")
            for step in steps:
                for name in order:
                    out = work / "outputs" / name
                    out.mkdir(parents=True, exist_ok=True)
                    runs[step][name].append(measure(command(step, project, out), envs[name]))
        table: dict[str, object] = {}
        for step in steps:
            row: dict[str, object] = {}
            for name in ("before", "now"):
                seconds = [s for s, _, _ in runs[step][name]]
                row[name] = {
                    "seconds": round(statistics.median(seconds), 3),
                    "peak_mb": round(max(m for _, m, _ in runs[step][name]), 1),
                    "pss_mb": round(max(p for _, _, p in runs[step][name]), 1),
                    "runs": [round(s, 3) for s in seconds],
                }
            row["now / before"] = round(row["now"]["seconds"] / row["before"]["seconds"], 3)  # type: ignore[index]
            row["memory now / before"] = round(row["now"]["peak_mb"] / row["before"]["peak_mb"], 3)  # type: ignore[index]
            table[step] = row
        return {
            "against": commit,
            "size": size,
            "shape": {"regions": regions, "indicators": indicators, "rounds": rounds},
            "repeat": repeat,
            "date": date.today().isoformat(),
            "machine": f"{os.cpu_count()} cores, {platform.system()} {platform.machine()}, "
            f"Python {platform.python_version()}",
            "steps": table,
        }
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(before_tree)], check=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--against", required=True, help="the earlier commit (hash, tag or branch)")
    parser.add_argument("--size", choices=sorted(SIZES), default="M")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--steps", default=",".join(STEPS), help=f"comma-separated, of {', '.join(STEPS)}")
    parser.add_argument("--out", type=Path, help="JSON report [default: benchmarks/compare-<size>.json]")
    args = parser.parse_args()
    steps = tuple(s.strip() for s in args.steps.split(",") if s.strip())
    unknown = [s for s in steps if s not in STEPS]
    if unknown:
        parser.error(f"unknown step {unknown[0]!r}: choose from {', '.join(STEPS)}")
    with tempfile.TemporaryDirectory(prefix="readiness-compare-") as tmp:
        report = compare(args.against, args.size, args.repeat, steps, Path(tmp))
    print(f"{args.size}: now against {report['against'][:10]}, median of {args.repeat}")
    print(f"{'step':<8} {'before s':>9} {'now s':>9} {'now/before':>11} {'before MB':>10} {'now MB':>8}")
    for step, row in report["steps"].items():  # type: ignore[attr-defined]
        print(
            f"{step:<8} {row['before']['seconds']:>9.2f} {row['now']['seconds']:>9.2f} {row['now / before']:>11.3f} "
            f"{row['before']['peak_mb']:>10.0f} {row['now']['peak_mb']:>8.0f}"
        )
    out = args.out or HERE / f"compare-{args.size}.json"
    out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(f"written to {out}")


if __name__ == "__main__":
    main()
