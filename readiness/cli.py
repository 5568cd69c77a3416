"""The `readiness` command line. Each command parses its options, calls the stages and returns an exit code:
0 clean, 1 findings, 2 usage error, 3 internal error (a short message, never a bare traceback)."""

from __future__ import annotations

import functools
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from . import __version__
from .checks import check_project
from .diagnostics import (
    format_github,
    format_json,
    format_junit,
    format_sarif,
    format_text,
    has_failures,
    repository_prefix,
    sort_diagnostics,
)
from .outputs import UnsafeOutput, check_output_file, check_output_folder, check_site_folder
from .project import NotAProject, Project, load_project
from .schema import write_schemas
from .scoring import Results, score_project
from .scoring.results import region_round_dict, results_csv

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
REPORT_URL = "https://github.com/readiness-project/readiness/issues"


def guarded(command: Callable[..., int]) -> Callable[..., None]:
    """Turn a command's return value into the exit code; a usage problem exits 2, a file that cannot be read or
    written 1, a bug 3."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> None:
        try:
            code = command(*args, **kwargs)
        except NotAProject as exc:
            click.echo(f"readiness: {exc}", err=True)
            click.echo("hint: run the command in a project folder, or pass its path", err=True)
            sys.exit(EXIT_USAGE)
        except UnsafeOutput as exc:
            click.echo(f"readiness: {exc}", err=True)
            click.echo("nothing was written or deleted", err=True)
            sys.exit(EXIT_FINDINGS)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("readiness: interrupted", err=True)
            sys.exit(130)
        except OSError as exc:  # the file system refused (a path, a permission, a full disk): not a bug
            click.echo(f"readiness: cannot use {exc.filename or 'a file'}: {exc.strerror or exc}", err=True)
            click.echo("hint: check the path, the folder's permissions and the free space, or write elsewhere",
                       err=True)
            sys.exit(EXIT_FINDINGS)
        except Exception as exc:  # noqa: BLE001 - the last line of defence for users
            where = traceback.extract_tb(exc.__traceback__)[-1]
            click.echo(f"readiness: internal error: {type(exc).__name__}: {exc}", err=True)
            click.echo(f"  at {Path(where.filename).name}:{where.lineno}. This is a bug in readiness, not in "
                       f"your files; please report it at {REPORT_URL} with this message.", err=True)
            sys.exit(EXIT_INTERNAL)
        sys.exit(code)

    return run


def console_main() -> None:
    """The `readiness` console script: run the command, then leave without tearing down every object one by
    one (a large mission holds millions; the operating system frees them at once)."""
    import os

    try:
        main()
        code: Any = 0
    except SystemExit as exc:
        code = exc.code
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code if isinstance(code, int) else (0 if code is None else 1))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="readiness")
def main() -> None:
    """Police primacy readiness: check indicators and assessments, score regions, publish a site."""


FORMATS = ["text", "github", "json", "sarif", "junit"]


@main.command()
@click.argument("path", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="text for people, github for workflow annotations, json, sarif or junit for CI tools.")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report to this file instead of standard output.")
@click.option("--base", type=click.Path(file_okay=False, path_type=Path),
              help="The repository root that CI reports paths against (github, sarif, junit, json) [default: the "
                   "nearest folder above the project that holds .git].")
@guarded
def check(path: Path, fmt: str, strict: bool, output: Path | None, base: Path | None) -> int:
    """Check every file of the project at PATH (default: here) and report every problem in one run."""
    if not path.exists():
        raise click.BadParameter(f"{path} does not exist", param_hint="PATH")
    if output:
        check_output_file(output, path)
    try:
        prefix = "" if fmt == "text" else repository_prefix(path, base)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--base") from None
    project, found = load_project(path)
    found = sort_diagnostics(found + check_project(project))
    if fmt == "junit":
        report = format_junit(found, project.files, prefix=prefix, strict=strict)
    elif fmt == "sarif":
        report = format_sarif(found, len(project.files), __version__, prefix=prefix)
    else:
        report = {"text": format_text, "github": format_github, "json": format_json}[fmt](
            found, len(project.files), prefix=prefix)
    if output:
        output.write_text(report, encoding="utf-8")
    else:
        click.echo(report, nl=False)
    return EXIT_FINDINGS if has_failures(found, strict) else EXIT_CLEAN


@main.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("schemas"),
              show_default=True, help="Folder to write the schemas to.")
@guarded
def schema(out: Path) -> int:
    """Write a JSON Schema per file kind, for editors and CI validators."""
    for path in write_schemas(out):
        click.echo(f"wrote {path}")
    return EXIT_CLEAN


def load_checked(path: Path) -> Project:
    """Load a project and stop with its errors (exit 1) if `check` would fail."""
    if not path.exists():
        raise click.BadParameter(f"{path} does not exist", param_hint="PATH")
    project, found = load_project(path)
    found = sort_diagnostics(found + check_project(project))
    if has_failures(found, strict=False):
        errors = [d for d in found if d.severity.value == "error"]
        click.echo(format_text(errors, len(project.files)), err=True, nl=False)
        click.echo("readiness: fix these errors first (`readiness check` lists them all)", err=True)
        raise SystemExit(EXIT_FINDINGS)
    return project


def write_atomically(path: Path, text: str) -> None:
    """Write through a temporary file and rename, so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def _pillar_ids(project: Project) -> list[str]:
    from .checks import pillar_ids

    assert project.framework is not None
    return pillar_ids(project.framework)


def _table(project: Project, results: Results, rows: list) -> str:
    assert project.framework is not None
    labels = {lv.id: lv.label for lv in project.framework.levels}
    lines = []
    current_round = None
    for r in rows:
        if r.round != current_round:
            current_round = r.round
            lines.append(f"\n{project.rounds[r.round].label} ({r.round}, cut-off {project.rounds[r.round].date})")
            lines.append(f"  {'region':<26} {'level':<22} {'score':>6} {'change':>7} {'cover':>6}  why")
        name = project.regions[r.region].name
        name = ("  " if not r.assessed else "") + name
        change = "" if r.change is None else f"{r.change:+}"
        why = "; ".join(f"{e.gate}" for e in r.gates)
        if r.override:
            why = "OVERRIDE " + why
        lines.append(f"  {name[:26]:<26} {labels[r.level][:22]:<22} {'' if r.rounded is None else str(r.rounded):>6}"
                     f" {change:>7} {r.coverage * 100:>5.0f}%  {why}")
    return "\n".join(lines).lstrip("\n") + "\n"


@main.command()
@click.argument("path", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--round", "round_id", help="Only this round (default: every round).")
@click.option("--region", "region_id", help="Only this region.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@click.option("--results", "results_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write results.json for every region and round [default: PATH/build/results.json].")
@click.option("--uncertainty", is_flag=True, help="Monte Carlo over weights, aggregation and observation error: "
              "the probability of each level, score and rank intervals, and what moves each score most.")
@click.option("--samples", type=click.IntRange(10, 100000), help="Monte Carlo samples [default: the framework's].")
@click.option("--seed", type=int, help="Random seed, for reproducible samples [default: the framework's].")
@click.option("--scenario", "scenario", help="A what-if from scenarios/: levels before and after.")
@guarded
def score(path: Path, round_id: str | None, region_id: str | None, fmt: str, results_path: Path | None,
          uncertainty: bool, samples: int | None, seed: int | None, scenario: str | None) -> int:
    """Score every region in every round; print a table, JSON or CSV, and write results.json."""
    target = results_path or path / "build" / "results.json"
    check_output_file(target, path)
    project = load_checked(path)
    if scenario is not None:
        return _score_scenario(project, scenario, fmt)
    if uncertainty:
        return _score_uncertainty(project, round_id, region_id, fmt, samples, seed)
    if round_id is not None and round_id not in project.rounds:
        raise click.BadParameter(f"unknown round {round_id!r}; rounds: {', '.join(project.rounds)}",
                                 param_hint="--round")
    if region_id is not None and region_id not in project.regions:
        raise click.BadParameter(f"unknown region {region_id!r}", param_hint="--region")
    from .pipeline import ResultsFile

    try:
        with ResultsFile(target) as written:  # each round is written while the next one is scored
            results = score_project(project, on_round=written.round_done)
            written.finish(results)
    except OSError as exc:
        click.echo(f"readiness: cannot write {target}: {exc.strerror or exc}; choose another --results or check "
                   "the folder's permissions", err=True)
        return EXIT_FINDINGS
    order = {r: i for i, r in enumerate(results.rounds)}
    rows = sorted((r for r in results.regions.values()
                   if (round_id is None or r.round == round_id) and (region_id is None or r.region == region_id)),
                  key=lambda r: (order[r.round], r.region))
    if fmt == "json":
        import json

        click.echo(json.dumps([region_round_dict(r) for r in rows], indent=1, sort_keys=True, ensure_ascii=False))
    elif fmt == "csv":
        subset = Results(results.framework, results.rounds, results.levels, results.handover_level,
                         {(r.round, r.region): r for r in rows})
        click.echo(results_csv(subset, _pillar_ids(project)), nl=False)
    else:
        click.echo(_table(project, results, rows), nl=False)
    return EXIT_CLEAN


@main.command()
@click.argument("path", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Where the HTML site goes [default: PATH/build/site].")
@click.option("--audience", type=click.Choice(["internal", "public"]), default="internal", show_default=True,
              help="public leaves out everything marked restricted.")
@click.option("--lang", "languages", multiple=True,
              help="Build this language only (repeatable) [default: every language the framework declares, the "
                   "first at the root and the others in a folder each, with a language switcher].")
@guarded
def build(path: Path, out: Path | None, audience: str, languages: tuple[str, ...]) -> int:
    """Build the static site for mission leadership; the previous site stays until the new one is complete."""
    from .pipeline import site_view
    from .site import BuildError, publish

    from .i18n import available

    target = out or path / "build" / "site"
    check_site_folder(target, path)
    project = load_checked(path)
    assert project.framework is not None
    chosen = list(languages) or list(project.framework.languages)
    unknown = [lang for lang in chosen if lang not in available()]
    if unknown:
        raise click.BadParameter(f"no catalogue for {', '.join(unknown)}; available: {', '.join(available())}",
                                 param_hint="--lang")
    import tempfile

    with tempfile.TemporaryDirectory(prefix="readiness-build-") as scratch:
        view = site_view(project, audience, workers=os.cpu_count() or 1, scratch=Path(scratch))
        try:
            publish(path, target, view, chosen)
        except BuildError as exc:
            click.echo(f"readiness: {exc}", err=True)
            click.echo("the previous site, if any, is unchanged", err=True)
            return EXIT_FINDINGS
    click.echo(f"built the {audience} site for {view.latest.label} in {target}")
    click.echo(f"open {(target / 'index.html').resolve().as_uri()}")
    return EXIT_CLEAN


@main.command()
@click.argument("path", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True, help="Address to serve on.")
@click.option("--audience", type=click.Choice(["internal", "public"]), default="internal", show_default=True)
@guarded
def serve(path: Path, dev_addr: str, audience: str) -> int:
    """Preview the site, regenerating it as indicators/, assessments/, site/ or mkdocs.yml change."""
    from .serve import serve as run_server

    load_checked(path)
    run_server(path, dev_addr, audience)
    return EXIT_CLEAN


# ---------------------------------------------------------------- authoring workflow


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--minimal", is_flag=True, help="Two indicators and one gate, for a first look.")
@click.option("--tool-source", metavar="SPEC",
              help="Where the new repository's CI installs readiness from, pinned: `readiness @ git+URL@COMMIT` "
                   "or `readiness @ URL#sha256=HASH` [default: the source this readiness was installed from, "
                   "pinned to its commit or hash].")
@guarded
def init(directory: Path, minimal: bool, tool_source: str | None) -> int:
    """Start a new assessment repository in DIRECTORY that passes `readiness check` and builds."""
    from datetime import date

    from .authoring.scaffold import ToolSourceError, init_project

    try:
        created = init_project(directory, date.today(), minimal, tool_source)
    except FileExistsError as exc:
        raise click.UsageError(str(exc)) from None
    except ToolSourceError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"wrote {len(created.files)} files in {directory}")
    click.echo(f"CI installs {created.source.requirement} ({created.source.origin})")
    for warning in created.warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(f"next: cd {directory} && readiness check && readiness build")
    return EXIT_CLEAN


@main.command("new-round")
@click.argument("round_id", metavar="ROUND")
@click.option("--date", "cutoff", required=True, type=click.DateTime(formats=["%Y-%m-%d"]),
              help="The round's data cut-off date (YYYY-MM-DD).")
@click.option("--from", "previous", help="The round whose values are shown beside each field [default: the last].")
@click.option("--label", help="A readable name for the round [default: its id].")
@click.option("--project", "path", default=".", type=click.Path(file_okay=False, path_type=Path), show_default=True)
@guarded
def new_round_command(round_id: str, cutoff: Any, previous: str | None, label: str | None, path: Path) -> int:
    """Add ROUND to rounds.yaml and write one assessment file per region to fill in (never overwriting)."""
    from pydantic import ValidationError

    from .authoring.rounds import RoundError, new_round

    # files started by hand for the new round may not pass `check` yet; the framework must load
    project, found = load_project(path)
    if project.framework is None or not project.regions:
        click.echo(format_text(sort_diagnostics(found), len(project.files)), err=True, nl=False)
        raise SystemExit(EXIT_FINDINGS)
    try:
        files = new_round(project, round_id, cutoff.date(), previous, label)
    except (RoundError, ValidationError) as exc:
        raise click.UsageError(str(exc).splitlines()[0] if isinstance(exc, RoundError) else
                               f"invalid round: {exc.errors()[0]['msg']}") from None
    for target, text in files.items():
        write_atomically(target, text)
        click.echo(f"wrote {target.relative_to(path)}")
    click.echo("fill in the values (or import a spreadsheet with `readiness import`), then `readiness check`")
    return EXIT_CLEAN


@main.command("import")
@click.argument("table", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--round", "round_id", help="The round of every row, when the table has no round column.")
@click.option("--dry-run", is_flag=True, help="Say what would change; write nothing.")
@click.option("--project", "path", default=".", type=click.Path(file_okay=False, path_type=Path), show_default=True)
@guarded
def import_command(table: Path, round_id: str | None, dry_run: bool, path: Path) -> int:
    """Import a long table (CSV or XLSX: region, indicator, value, source type, reference, date, note)."""
    from datetime import date

    from .authoring.importing import ImportError_, import_table, write_plan

    project, found = load_project(path)
    if project.framework is None:
        click.echo(format_text(sort_diagnostics(found), len(project.files)), err=True, nl=False)
        raise SystemExit(EXIT_FINDINGS)
    try:
        plan = import_table(project, table, round_id, date.today())
    except ImportError_ as exc:
        for problem in exc.problems:
            click.echo(f"{table.name}: {problem}", err=True)
        click.echo(f"readiness: nothing was written ({len(exc.problems)} problem"
                   f"{'s' * (len(exc.problems) != 1)})", err=True)
        return EXIT_FINDINGS
    for line in plan.summary:
        click.echo(("would " if dry_run else "") + line)
    if not dry_run:
        write_plan(plan)
        click.echo(f"{len(plan.texts)} file{'s' * (len(plan.texts) != 1)} written; run `readiness check`")
    return EXIT_CLEAN


@main.command()
@click.argument("path", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "json"]), default="csv", show_default=True)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the files [default: PATH/build/export].")
@guarded
def export(path: Path, fmt: str, out: Path | None) -> int:
    """Export results and raw observations as tables (one file or sheet per table). Includes restricted
    items, marked in a `restricted` column: the public site's downloads are the shareable version."""
    from .authoring.export import write_export

    folder = out or path / "build" / "export"
    check_output_folder(folder, path)
    project = load_checked(path)
    for written in write_export(project, score_project(project), fmt, folder):
        click.echo(f"wrote {written}")
    return EXIT_CLEAN


@main.command()
@click.argument("region_id", metavar="REGION")
@click.argument("indicator_id", metavar="[INDICATOR]", required=False)
@click.option("--round", "round_id", help="The round [default: the latest].")
@click.option("--project", "path", default=".", type=click.Path(file_okay=False, path_type=Path), show_default=True)
@guarded
def explain(region_id: str, indicator_id: str | None, round_id: str | None, path: Path) -> int:
    """Why REGION has its level: the numbers, the gates and the path to handover (or one INDICATOR)."""
    from .explain import explain_indicator, explain_region
    from .validation import did_you_mean

    project = load_checked(path)
    if region_id not in project.regions:
        raise click.BadParameter(f"unknown region {region_id!r}. {did_you_mean(region_id, project.regions)}",
                                 param_hint="REGION")
    if indicator_id is not None and indicator_id not in project.indicators:
        raise click.BadParameter(f"unknown indicator {indicator_id!r}. "
                                 f"{did_you_mean(indicator_id, project.indicators)}", param_hint="INDICATOR")
    results = score_project(project)
    rounds = [r for r in results.rounds if results.get(r, region_id) is not None]
    if round_id is not None and round_id not in project.rounds:
        raise click.BadParameter(f"unknown round {round_id!r}", param_hint="--round")
    chosen = round_id or (rounds[-1] if rounds else None)
    result = results.get(chosen, region_id) if chosen else None
    if result is None:
        raise click.UsageError(f"{region_id} has no result in round {chosen}")
    if indicator_id:
        click.echo(explain_indicator(project, result, project.indicators[indicator_id]), nl=False)
    else:
        click.echo(explain_region(project, result), nl=False)
    return EXIT_CLEAN


@main.command()
@click.argument("path", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--indicator", "indicator_id", help="Only this indicator, what it requires and what requires it.")
@click.option("--format", "fmt", type=click.Choice(["dot", "mermaid", "svg"]), default="dot", show_default=True)
@guarded
def graph(path: Path, indicator_id: str | None, fmt: str) -> int:
    """The prerequisite graph as Graphviz DOT, Mermaid or SVG."""
    from .graph import neighbourhood, to_dot, to_mermaid, to_svg

    project = load_checked(path)
    if indicator_id is not None and indicator_id not in project.indicators:
        raise click.BadParameter(f"unknown indicator {indicator_id!r}", param_hint="--indicator")
    sub = neighbourhood(project, indicator_id)
    if fmt == "dot":
        click.echo(to_dot(project, sub), nl=False)
    elif fmt == "mermaid":
        click.echo(to_mermaid(project, sub), nl=False)
    else:
        click.echo(to_svg(project, sub, f"Prerequisites of {indicator_id}" if indicator_id else "Prerequisite graph"),
                   nl=False)
    return EXIT_CLEAN


def _score_scenario(project: Project, name: str, fmt: str) -> int:
    from .scoring.scenarios import ScenarioError, apply_scenario, compare, scenario_round

    if name not in project.scenarios:
        raise click.BadParameter(f"unknown scenario {name!r}; scenarios: {', '.join(project.scenarios) or 'none'}",
                                 param_hint="--scenario")
    assert project.framework is not None
    before = score_project(project)
    try:
        after = score_project(apply_scenario(project, name))
    except ScenarioError as exc:
        raise click.UsageError(str(exc)) from None
    round_id = scenario_round(project, name)
    effects = compare(before, after, round_id)
    if fmt == "json":
        import dataclasses
        import json

        click.echo(json.dumps({"scenario": name, "round": round_id, "effects": [
            {k: (str(v) if v is not None and not isinstance(v, list | int) else v)
             for k, v in dataclasses.asdict(e).items()} for e in effects]}, indent=1))
        return EXIT_CLEAN
    labels = {lv.id: lv.label for lv in project.framework.levels}
    scenario = project.scenarios[name]
    click.echo(f"{scenario.name} ({name}), round {round_id}")
    for change in scenario.changes:
        click.echo(f"  assumes {change.region} {change.indicator} = "
                   f"{change.value if change.value is not None else 'not collected'}")
    if not effects:
        click.echo("no region's score, level or blockers change")
    for e in effects:
        arrow = "unchanged" if e.level_before == e.level_after else f"-> {labels[e.level_after]}"
        click.echo(f"  {project.regions[e.region].name}: {labels[e.level_before]} {arrow}   score "
                   f"{e.score_before} -> {e.score_after}")
        for gate in e.cleared:
            click.echo(f"      no longer held back by: {gate}")
        for action in e.resolved:
            click.echo(f"      done: {action}")
    return EXIT_CLEAN


def _score_uncertainty(project: Project, round_id: str | None, region_id: str | None, fmt: str,
                       samples: int | None, seed: int | None) -> int:
    from .uncertainty import analyse, analysis_dict

    if round_id is not None and round_id not in project.rounds:
        raise click.BadParameter(f"unknown round {round_id!r}", param_hint="--round")
    assert project.framework is not None
    results = score_project(project)
    analysis = analyse(project, results, round_id, samples, seed, workers=os.cpu_count() or 1)
    if fmt == "json":
        import json

        click.echo(json.dumps(analysis_dict(analysis), indent=1, sort_keys=True))
        return EXIT_CLEAN
    labels = {lv.id: lv.label for lv in project.framework.levels}
    click.echo(f"{analysis.samples} samples (seed {analysis.seed}), round {analysis.round}")
    click.echo(f"  {'region':<24} {'level':<22} {'same':>6}  {'robust':<7} {'score 5-95%':>13} {'rank':>7}  moves it most")
    for rid, u in analysis.regions.items():
        if region_id is not None and rid != region_id:
            continue
        top = u.sensitivity[0]["factor"] if u.sensitivity else ""
        click.echo(f"  {project.regions[rid].name[:24]:<24} {labels[u.level][:22]:<22} {u.share_same * 100:>5.0f}%  "
                   f"{'yes' if u.robust else 'FRAGILE':<7} "
                   + (f"{u.score_interval[0]:>6.1f}-{u.score_interval[1]:<6.1f}" if u.score_interval else f"{'-':>13}")
                   + f" {u.rank_interval[0]:>3}-{u.rank_interval[1]:<3}  {top}"
                   + ("  (override applies)" if u.override else ""))
    return EXIT_CLEAN
