"""The `readiness` command line. Each command parses its options, calls the stages and returns an exit code:
0 clean, 1 findings, 2 usage error, 3 internal error (a short message, never a bare traceback).

One convention for every command: the project is `-p/--project DIR` (default: the nearest folder, from here
upwards, that holds indicators/ or assessments/), and what a command writes goes to `-o/--out PATH`. Every option
is honoured or refused with exit 2 and the reason; errors are mapped to exit codes in one place (`guarded`).
"""

from __future__ import annotations

import functools
import json
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from . import __version__
from .diagnostics import has_failures, repository_prefix, show_invisible, sort_diagnostics
from .errors import EXIT_CLEAN, EXIT_FINDINGS, EXIT_INTERNAL, Refusal, UsageRefusal
from .i18n import say, say_n, use_language
from .outputs import check_output_file, check_output_folder, check_site_folder, write_output

if TYPE_CHECKING:
    from .project import Project

# The project's loading and the rules (pydantic models, every rule) are imported by the commands that use them
# (`load_project`, `check_project` and `format_text` below), so that a `check` whose outcome was kept
# (`_kept_check`) starts as fast as Python reading the files (tests/test_startup.py, benchmarks/run.py).


def load_project(root: Path) -> tuple[Project, list[Any]]:
    """readiness.project.load_project, imported when first needed."""
    from .project import load_project as load

    return load(root)


def check_project(project: Project, workers: int = 1) -> list[Any]:
    """readiness.checks.check_project, imported when first needed."""
    from .checks import check_project as check

    return check(project, workers=workers)


def format_text(found: list[Any], files: int) -> str:
    """readiness.findings.format_text, imported when first needed."""
    from .findings import format_text as text

    return text(found, files)


EXIT_BROKEN_PIPE = 141  # what a shell reports for a command whose reader went away (`readiness score | head`)
REPORT_URL = "https://github.com/readiness-project/readiness/issues"


class Findings(Exception):
    """The project has errors: they were printed; exit 1."""


def guarded(command: Callable[..., int]) -> Callable[..., None]:
    """Turn a command's return value into the exit code, and every error into its exit code: a usage problem 2,
    findings or a file that cannot be read or written 1, a bug 3."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> None:
        try:
            code = _spoken(command, *args, **kwargs)
        except Findings:
            sys.exit(EXIT_FINDINGS)
        except UsageRefusal as exc:
            _refuse(click.UsageError(str(exc)))
        except Refusal as exc:  # what was given cannot be used (readiness/errors.py): said, then what was kept
            click.echo(say("cli.said", message=str(exc)), err=True)
            if exc.then is not None:
                click.echo(say(exc.then), err=True)
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            _refuse(exc)
        except (click.exceptions.Exit, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo(say("cli.interrupted"), err=True)
            sys.exit(130)
        except BrokenPipeError:  # the reader of our output went away: nothing more to say to anyone
            _silence_stdout()
            sys.exit(EXIT_BROKEN_PIPE)
        except OSError as exc:  # the file system refused (a path, a permission, a full disk): not a bug
            what = exc.filename or say("cli.a_file")
            click.echo(say("cli.cannot_use", file=str(what), reason=str(exc.strerror or exc)), err=True)
            click.echo(say("cli.hint_os"), err=True)
            sys.exit(EXIT_FINDINGS)
        except Exception as exc:  # noqa: BLE001 - the last line of defence for users
            where = traceback.extract_tb(exc.__traceback__)[-1]
            click.echo(say("cli.internal_error", kind=type(exc).__name__, error=str(exc)), err=True)
            click.echo(
                "  " + say("cli.internal_where", file=Path(where.filename).name, line=where.lineno, url=REPORT_URL),
                err=True,
            )
            sys.exit(EXIT_INTERNAL)
        sys.exit(code)

    return run


def _refuse(exc: click.ClickException) -> NoReturn:
    """A usage error raised once the command chose its language: Click shows it in English; in another
    language, its words (usage, the hint to --help, "Error:", "Invalid value for") come from the catalogue."""
    from .i18n import language

    if language() == "en":
        raise exc
    ctx = getattr(exc, "ctx", None) or click.get_current_context(silent=True)
    if isinstance(exc, click.UsageError) and ctx is not None:
        arguments = " ".join(piece for piece in ctx.command.collect_usage_pieces(ctx) if piece)
        click.echo(say("cli.click.usage", command=ctx.command_path, arguments=arguments), err=True)
        if ctx.command.get_help_option(ctx) is not None:
            option = max(ctx.command.get_help_option_names(ctx), key=len)
            click.echo(say("cli.click.try_help", command=f"{ctx.command_path} {option}"), err=True)
        click.echo(err=True)
    message = exc.format_message()
    if isinstance(exc, click.BadParameter):
        hint = exc.param_hint
        if hint is None and exc.param is not None and ctx is not None:
            hint = exc.param.get_error_hint(ctx)
        if isinstance(hint, str):
            message = say("cli.click.invalid_for", param=hint, message=exc.message)
        elif hint is not None:
            message = say("cli.click.invalid_for", param=" / ".join(repr(h) for h in hint), message=exc.message)
        else:
            message = say("cli.click.invalid", message=exc.message)
    click.echo(say("cli.click.error", message=message), err=True)
    sys.exit(exc.exit_code)


def _spoken(command: Callable[..., int], *args: Any, **kwargs: Any) -> int:
    """Run a command in English until it chooses its language (`speak`): whatever the last command in the same
    process spoke (tests run many) is not carried over."""
    use_language("en")
    return command(*args, **kwargs)


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that flushing it at exit does not raise again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def console_main() -> None:
    """The `readiness` console script: run the command, then leave without tearing down every object one by
    one (a large mission holds millions; the operating system frees them at once)."""
    try:
        main()
        code: Any = 0
    except SystemExit as exc:
        code = exc.code
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        code = EXIT_BROKEN_PIPE
    sys.stderr.flush()
    os._exit(code if isinstance(code, int) else (0 if code is None else 1))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="readiness")
def main() -> None:
    """Police primacy readiness: check indicators and assessments, score regions, publish a site."""
    # the options are read in English, whatever a command run earlier in this process spoke (tests run many):
    # a command speaks its project's language once it has found it (`speak`)
    use_language("en")


# ---------------------------------------------------------------- the shared options


def find_project(start: Path) -> Path:
    """The nearest folder, from `start` upwards, that holds indicators/ or assessments/."""
    here = start.resolve()
    for folder in (here, *here.parents):
        if (folder / "indicators").is_dir() or (folder / "assessments").is_dir():
            return start if folder == here else folder
    from .project import NotAProject

    raise NotAProject(say("cli.not_a_project", path=str(start.resolve())))


def project_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """`-p/--project DIR`, resolved to the project's folder (`project: Path` for the command)."""

    def resolve(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
        if value is None:
            return None
        if not value.exists():
            raise click.BadParameter(say("cli.does_not_exist", path=str(value)), ctx, param)
        return value

    return click.option(
        "-p",
        "--project",
        type=click.Path(file_okay=False, path_type=Path),
        callback=resolve,
        help="The project folder [default: the nearest folder, from here upwards, that holds "
        "indicators/ or assessments/].",
    )(command)


def _project(project: Path | None) -> Path:
    """The project's folder; the command speaks the project's language from here on (`speak`)."""
    root = project if project is not None else find_project(Path("."))
    speak(root)
    return root


def language_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """`--lang`: the language of the command's messages and tables [default: the framework's first]."""

    def keep(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
        if value is not None:
            from .i18n import available

            if value not in available():
                raise click.BadParameter(
                    say("cli.no_catalogue", lang=value, available=", ".join(available())), ctx, param
                )
            ctx.meta["readiness.lang"] = value

    return click.option(
        "--lang",
        expose_value=False,
        callback=keep,
        help="The language of the messages [default: the framework's first language].",
    )(command)


def speak(root: Path, lang: str | None = None) -> str:
    """Choose the language of every message of this command, once: `lang` (a command's own --lang), else
    `--lang`, else the first language of the project's framework that readiness speaks, else English."""
    from .i18n import available, use_language

    ctx = click.get_current_context(silent=True)
    chosen = lang or (ctx.meta.get("readiness.lang") if ctx is not None else None) or framework_language(root)
    use_language(chosen if chosen in available() else "en")
    return chosen


def framework_language(root: Path) -> str:
    """The first language the framework declares (read on its own, before the project is loaded, so that the
    loading's own messages are in it); English when it cannot be read."""
    from .i18n import available
    from .loading import parse_document

    path = root / "indicators" / "framework.yaml"
    try:
        doc, _ = parse_document(path.read_bytes(), "indicators/framework.yaml")
    except OSError:
        return "en"
    languages = doc.data.get("languages") if doc is not None and isinstance(doc.data, dict) else None
    if isinstance(languages, list):
        return next((lang for lang in languages if isinstance(lang, str) and lang in available()), "en")
    return "en"


def no_positional_path(command: Callable[..., Any]) -> Callable[..., Any]:
    """Refuse the positional project path of earlier versions with the way to say it now."""

    def refuse(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> None:
        if value:
            raise click.UsageError(say("cli.legacy_path", argument=repr(value[0]), path=value[0]), ctx)

    return click.argument("legacy_path", nargs=-1, expose_value=False, callback=refuse, metavar="")(command)


def round_options(command: Callable[..., Any]) -> Callable[..., Any]:
    command = click.option("--preview", is_flag=True, help="Show the round still being collected, marked provisional.")(
        command
    )
    return click.option(
        "--round",
        "round_id",
        help="The latest round to use [default: the last final round]; a round still being "
        "collected is a preview, marked provisional.",
    )(command)


def choose_round(project: Project, round_id: str | None, preview: bool) -> Project:
    """The project with the rounds the command publishes (see Project.published)."""
    if preview:
        from .collection import collecting_rounds

        collecting = collecting_rounds(project)
        if round_id is not None:
            raise click.UsageError(say("cli.round_and_preview"))
        if not collecting:
            raise click.UsageError(say("cli.nothing_to_preview"))
        round_id = collecting[-1]
    return project.published(round_id)


def load_checked(path: Path) -> Project:
    """Load a project and stop with its errors (exit 1) if `check` would fail."""
    project, found = load_project(path)
    stop_on_errors(project, found + check_project(project, workers=os.cpu_count() or 1))
    return project


def stop_on_errors(project: Project, found: list[Any]) -> None:
    """Stop with the errors among `found` (exit 1), as `check` would report them, if there are any."""
    found = sort_diagnostics(found)
    if has_failures(found, strict=False):
        errors = [d for d in found if d.severity.value == "error"]
        click.echo(format_text(errors, len(project.files)), err=True, nl=False)
        click.echo(say("cli.fix_first"), err=True)
        raise Findings()


def write_atomically(path: Path, text: str) -> None:
    """Write through a temporary file and rename, so a reader never sees half a file (outputs.write_output)."""
    write_output(path, text)


# ---------------------------------------------------------------- check


FORMATS = ["text", "github", "json", "sarif", "junit"]


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@project_option
@language_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="text for people, github for workflow annotations, json, sarif or junit for CI tools.",
)
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option(
    "-o",
    "--out",
    "--output",
    "output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to this file instead of standard output.",
)
@click.option(
    "--base",
    type=click.Path(file_okay=False, path_type=Path),
    help="The repository root that CI reports paths against (github, sarif, junit, json) [default: the "
    "nearest folder above the project that holds .git].",
)
@guarded
def check(
    paths: tuple[Path, ...], project: Path | None, fmt: str, strict: bool, output: Path | None, base: Path | None
) -> int:
    """Check every file of the project and report every problem in one run. PATHS (files or folders of the
    project) narrow what is reported; the whole project is still read, so references are checked."""
    if project is None:
        first = paths[0] if paths else Path(".")
        project = find_project(first if first.is_dir() else first.parent)
    speak(project)
    if output:
        check_output_file(output, project)
    narrow = _narrowing(project, paths)
    try:
        prefix = "" if fmt == "text" else repository_prefix(project, base)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--base") from None
    key = _check_key(project, [fmt, str(strict), repr(narrow), prefix])
    store = _check_store() if key is not None else None
    kept = _kept_check(store, key) if store is not None and key is not None else None
    if kept is None:
        kept = _checked(project, fmt, strict, narrow, prefix)
        if store is not None and key is not None:
            store.put(key, json.dumps(kept).encode("utf-8"))
    code, report = kept
    if output:
        write_output(output, report)
    else:
        click.echo(report, nl=False)
    return code


def _check_store() -> Any:
    """Where `check` keeps its outcome for the next run on the same files: the user's store `check`
    (readiness.store), or None when there is none to be had."""
    from .store import Store, cache_root

    root = cache_root()
    return None if root is None else Store(root / "check")


def _check_key(project: Path, options: list[str]) -> str | None:
    """The digest of everything `check`'s outcome depends on: every file it reads (by content, and every link,
    folder and other entry by what it is), the options that shape the report,
    the language, the day (rules compare dates with today), readiness's version and code and the packages
    installed. None when a file cannot be read (the check itself then says why)."""
    from datetime import date

    from .i18n import language
    from .loading import SETTINGS_FILE, SITE_SOURCES, SOURCE_FOLDERS
    from .store import code, digest, installed, tree

    try:
        files = tree(project, (*SOURCE_FOLDERS, SITE_SOURCES, SETTINGS_FILE))
    except OSError:
        return None
    return digest(
        "check 1",
        str(project.resolve()),
        files,
        *options,
        language(),
        date.today().isoformat(),
        __version__,
        code(),
        installed(),
    )


def _kept_check(store: Any, key: str) -> tuple[int, str] | None:
    """The exit code and report an earlier `check` of the same files, options and day kept in `store`, if any."""
    data = store.get(key)
    try:
        code, report = json.loads(data) if data is not None else (None, None)
    except (ValueError, TypeError):
        return None
    if code not in (EXIT_CLEAN, EXIT_FINDINGS) or not isinstance(report, str):
        return None
    return code, report


def _checked(project: Path, fmt: str, strict: bool, narrow: list[str] | None, prefix: str) -> tuple[int, str]:
    """Check the project: the exit code and the report in `fmt`."""
    from .collection import collecting_rounds, format_progress, round_progress
    from .findings import format_github, format_json, format_junit, format_sarif

    loaded, found = load_project(project)
    found = sort_diagnostics(found + check_project(loaded, workers=os.cpu_count() or 1))
    if narrow is not None:
        found = [d for d in found if any(d.file == n or d.file.startswith(n.rstrip("/") + "/") for n in narrow)]
    progress = [round_progress(loaded, r, found=found) for r in collecting_rounds(loaded)] if loaded.framework else []
    files = len(loaded.files)
    if fmt == "junit":
        report = format_junit(found, loaded.files, prefix=prefix, strict=strict)
    elif fmt == "sarif":
        report = format_sarif(found, files, __version__, prefix=prefix)
    elif fmt == "json":
        report = format_json(found, files, prefix=prefix, extra={"collecting": [p.as_dict() for p in progress]})
    elif fmt == "github":
        report = format_github(found, files, prefix=prefix)
        report += "".join(
            f"::notice title={say('cli.check.collecting', round=p.round)}::"
            f"{say_n('cli.check.values_in', p.collected, expected=p.expected)}\n"
            for p in progress
        )
    else:
        report = format_text(found, files) + format_progress(progress, loaded)
    return (EXIT_FINDINGS if has_failures(found, strict) else EXIT_CLEAN), report


def _narrowing(project: Path, paths: tuple[Path, ...]) -> list[str] | None:
    """The PATHS of `check` as paths relative to the project (None: everything)."""
    if not paths:
        return None
    root = project.resolve()
    out = []
    for path in paths:
        try:
            rel = path.resolve().relative_to(root).as_posix()
        except ValueError:
            raise click.BadParameter(
                say("cli.check.outside", path=str(path), project=str(project)), param_hint="PATHS"
            ) from None
        if rel == ".":
            return None
        out.append(rel)
    return out


# ---------------------------------------------------------------- score, explain, graph


@main.command()
@no_positional_path
@project_option
@language_option
@round_options
@click.option("--region", "region_id", help="Only this region.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@click.option(
    "-o",
    "--out",
    "results_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write results.json for every region and round [default: PROJECT/build/results.json].",
)
@click.option(
    "--uncertainty",
    is_flag=True,
    help="Monte Carlo over weights, aggregation and observation error: "
    "the probability of each level, score and rank intervals, and what moves each score most.",
)
@click.option("--samples", type=click.IntRange(10, 100000), help="Monte Carlo samples [default: the framework's].")
@click.option("--seed", type=int, help="Random seed, for reproducible samples [default: the framework's].")
@click.option("--scenario", "scenario", help="A what-if from scenarios/: levels before and after.")
@guarded
def score(
    project: Path | None,
    round_id: str | None,
    preview: bool,
    region_id: str | None,
    fmt: str,
    results_path: Path | None,
    uncertainty: bool,
    samples: int | None,
    seed: int | None,
    scenario: str | None,
) -> int:
    """Score every region in every final round (or up to --round); print a table, JSON or CSV, and write
    results.json."""
    root = _project(project)
    if scenario is not None and uncertainty:
        raise click.UsageError(say("cli.score.scenario_or_uncertainty"))
    if (samples is not None or seed is not None) and not uncertainty:
        raise click.UsageError(say("cli.score.samples_need_uncertainty"))
    if results_path is not None and (scenario is not None or uncertainty):
        raise click.UsageError(say("cli.score.out_not_written"))
    target = results_path or root / "build" / "results.json"
    check_output_file(target, root)
    full = load_checked(root)
    loaded = choose_round(full, round_id, preview)
    if region_id is not None and region_id not in loaded.regions:
        from .validation import did_you_mean

        raise click.BadParameter(
            say("cli.unknown_region", region=repr(region_id), suggestion=did_you_mean(region_id, loaded.regions)),
            param_hint="--region",
        )
    if scenario is not None:
        return _score_scenario(loaded, scenario, round_id, region_id, fmt)
    if uncertainty:
        return _score_uncertainty(loaded, region_id, fmt, samples, seed)
    from .pipeline import ResultsFile
    from .progress import Progress
    from .scoring import score_project

    try:
        with (
            ResultsFile(target) as written,
            Progress().stage("scoring", total=len(loaded.rounds), unit="rounds", past="scored") as stage,
        ):

            def done(res: Any, rid: str) -> None:  # each round is written while the next one is scored
                written.round_done(res, rid)
                stage.advance()

            results = score_project(loaded, on_round=done)
            written.finish(results)
    except OSError as exc:
        click.echo(say("cli.score.cannot_write", target=str(target), reason=str(exc.strerror or exc)), err=True)
        return EXIT_FINDINGS
    order = {r: i for i, r in enumerate(results.rounds)}
    rows = sorted(
        (
            r
            for r in results.regions.values()
            if (round_id is None or r.round == round_id) and (region_id is None or r.region == region_id)
        ),
        key=lambda r: (order[r.round], r.region),
    )
    from .console import score_output

    click.echo(score_output(fmt, loaded, results, rows, width=_width()), nl=False)
    return EXIT_CLEAN


def _score_scenario(project: Project, name: str, round_id: str | None, region_id: str | None, fmt: str) -> int:
    from .scoring import score_project
    from .scoring.scenarios import apply_scenario, compare, scenario_round

    if name not in project.scenarios:
        raise click.BadParameter(
            say(
                "cli.score.unknown_scenario",
                scenario=repr(name),
                scenarios=", ".join(project.scenarios) or say("cli.score.no_scenarios"),
            ),
            param_hint="--scenario",
        )
    assert project.framework is not None
    scenario_in = scenario_round(project, name)
    if round_id is not None and round_id != scenario_in:
        raise click.UsageError(
            say("cli.score.scenario_round", scenario=repr(name), changes=scenario_in, round=round_id, name=name)
        )
    if scenario_in not in project.rounds:
        raise click.UsageError(say("cli.score.scenario_not_final", scenario=repr(name), changes=scenario_in))
    before = score_project(project)
    after = score_project(apply_scenario(project, name))
    effects = [e for e in compare(before, after, scenario_in) if region_id is None or e.region == region_id]
    if fmt in ("json", "csv"):
        from .console import scenario_data

        click.echo(scenario_data(fmt, name, scenario_in, effects), nl=False)
        return EXIT_CLEAN
    from .console import scenario_report
    from .explain import Explainer

    paths = {e.region: before.get(scenario_in, e.region).path for e in effects}  # type: ignore[union-attr]
    click.echo(scenario_report(project, name, scenario_in, effects, paths, Explainer(project, markup=False)), nl=False)
    return EXIT_CLEAN


def _width() -> int | None:
    """The terminal's width for a table, or None when the output goes to a file or a pipe."""
    import shutil

    return shutil.get_terminal_size().columns if sys.stdout.isatty() else None


def _score_uncertainty(project: Project, region_id: str | None, fmt: str, samples: int | None, seed: int | None) -> int:
    from .scoring import score_project
    from .uncertainty import analyse

    assert project.framework is not None
    results = score_project(project)
    analysis = analyse(project, results, None, samples, seed, workers=os.cpu_count() or 1)
    regions = {k: v for k, v in analysis.regions.items() if region_id is None or k == region_id}
    from .console import uncertainty_output

    click.echo(uncertainty_output(fmt, project, analysis, regions, width=_width()), nl=False)
    return EXIT_CLEAN


@main.command()
@click.argument("region_id", metavar="REGION")
@click.argument("indicator_id", metavar="[INDICATOR]", required=False)
@project_option
@round_options
@click.option("--lang", help="The language of the explanation [default: the framework's first].")
@guarded
def explain(
    region_id: str,
    indicator_id: str | None,
    project: Path | None,
    round_id: str | None,
    preview: bool,
    lang: str | None,
) -> int:
    """Why REGION has its level: the numbers, the gates and the path to handover (or one INDICATOR)."""
    from .explain import Explainer
    from .i18n import available
    from .scoring import score_project
    from .validation import did_you_mean

    if lang is not None and lang not in available():
        raise click.BadParameter(
            say("cli.no_catalogue", lang=lang, available=", ".join(available())), param_hint="--lang"
        )
    root = _project(project)
    speak(root, lang)
    loaded = choose_round(load_checked(root), round_id, preview)
    if region_id not in loaded.regions:
        raise click.BadParameter(
            say("cli.unknown_region", region=repr(region_id), suggestion=did_you_mean(region_id, loaded.regions)),
            param_hint="REGION",
        )
    if indicator_id is not None and indicator_id not in loaded.indicators:
        raise click.BadParameter(
            say(
                "cli.unknown_indicator_suggest",
                indicator=repr(indicator_id),
                suggestion=did_you_mean(indicator_id, loaded.indicators),
            ),
            param_hint="INDICATOR",
        )
    results = score_project(loaded)
    rounds = [r for r in results.rounds if results.get(r, region_id) is not None]
    chosen = round_id if round_id is not None else (rounds[-1] if rounds else None)
    result = results.get(chosen, region_id) if chosen else None
    if result is None:
        raise click.UsageError(say("cli.explain.no_result", region=region_id, round=str(chosen)))
    explainer = Explainer(loaded, lang, markup=False)
    text = explainer.indicator(result, loaded.indicators[indicator_id]) if indicator_id else explainer.region(result)
    if loaded.rounds[result.round].collecting:
        text = say("cli.explain.provisional", round=result.round) + "\n" + text
    click.echo(text, nl=False)
    return EXIT_CLEAN


@main.command()
@no_positional_path
@project_option
@language_option
@click.option("--indicator", "indicator_id", help="Only this indicator, what it requires and what requires it.")
@click.option("--format", "fmt", type=click.Choice(["dot", "mermaid", "svg"]), default="dot", show_default=True)
@guarded
def graph(project: Path | None, indicator_id: str | None, fmt: str) -> int:
    """The prerequisite graph as Graphviz DOT, Mermaid or SVG."""
    from .graph import neighbourhood, to_dot, to_mermaid, to_svg

    loaded = load_checked(_project(project))
    if indicator_id is not None and indicator_id not in loaded.indicators:
        raise click.BadParameter(say("cli.unknown_indicator", indicator=repr(indicator_id)), param_hint="--indicator")
    sub = neighbourhood(loaded, indicator_id)
    if fmt == "dot":
        click.echo(to_dot(loaded, sub), nl=False)
    elif fmt == "mermaid":
        click.echo(to_mermaid(loaded, sub), nl=False)
    else:
        title = say("cli.graph.prerequisites_of", indicator=indicator_id) if indicator_id else say("cli.graph.title")
        click.echo(to_svg(loaded, sub, title), nl=False)
    return EXIT_CLEAN


# ---------------------------------------------------------------- build and serve


@main.command()
@no_positional_path
@project_option
@click.option(
    "-o",
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where the HTML site goes [default: PROJECT/build/site]; replaced whole, so only a folder "
    "readiness built, a new one or an empty one.",
)
@click.option(
    "--audience",
    type=click.Choice(["internal", "public"]),
    default="internal",
    show_default=True,
    help="public leaves out everything marked restricted.",
)
@click.option(
    "--lang",
    "languages",
    multiple=True,
    help="Build this language only (repeatable) [default: every language the framework declares, the "
    "first at the root and the others in a folder each, with a language switcher].",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="Do all the work again instead of reusing what an earlier build did from the same inputs (pages "
    "converted, each region's Monte Carlo, kept in the user's cache folder: $READINESS_CACHE, else "
    "~/.cache/readiness).",
)
@round_options
@guarded
def build(
    project: Path | None,
    out: Path | None,
    audience: str,
    languages: tuple[str, ...],
    no_cache: bool,
    round_id: str | None,
    preview: bool,
) -> int:
    """Build the static site for mission leadership; the previous site stays until the new one is complete."""
    import tempfile

    from .fields import LocalText
    from .i18n import available, language
    from .pipeline import site_view
    from .site import publish
    from .store import cache_root
    from .workers import Background

    root = _project(project)
    speak(root, languages[0] if languages and languages[0] in available() else None)
    target = out or root / "build" / "site"
    check_site_folder(target, root)
    whole, found = load_project(root)
    stop_on_errors(whole, found)  # a project that does not load as it should is not scored
    cores = os.cpu_count() or 1
    # the check rules run in a forked child while the project is scored; nothing is published before they pass
    with Background(functools.partial(check_project, whole), cores) as rules:
        loaded = choose_round(whole, round_id, preview)
        assert loaded.framework is not None
        chosen = list(languages) or list(loaded.framework.languages)
        unknown = [lang for lang in chosen if lang not in available()]
        if unknown:
            raise click.BadParameter(
                say("cli.no_catalogue", lang=", ".join(unknown), available=", ".join(available())),
                param_hint="--lang",
            )
        from .progress import Progress

        progress = Progress()
        with tempfile.TemporaryDirectory(prefix="readiness-build-") as scratch:
            try:
                cache = None if no_cache else cache_root()
                view = site_view(loaded, audience, workers=cores, scratch=Path(scratch), progress=progress, cache=cache)
            except Exception:  # what check refuses may break scoring: say that, not how scoring broke
                stop_on_errors(whole, found + rules.result())
                raise
            stop_on_errors(whole, found + rules.result())
            del whole, loaded  # what the pages read is in the view; the rest of the project can go
            view.let_go_of_unshown_assessments()
            publish(root, target, view, chosen, progress=progress, cache=cache)
    note = " " + say("cli.build.provisional") if view.latest.collecting else ""
    label = view.latest.label
    shown = label.get(language()) if isinstance(label, LocalText) else str(label)
    click.echo(say(f"cli.build.built.{audience}", round=shown, target=str(target), note=note))
    click.echo(say("cli.build.open", uri=(target / "index.html").resolve().as_uri()))
    return EXIT_CLEAN


@main.command()
@no_positional_path
@project_option
@language_option
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True, help="Address to serve on.")
@click.option("--audience", type=click.Choice(["internal", "public"]), default="internal", show_default=True)
@guarded
def serve(project: Path | None, dev_addr: str, audience: str) -> int:
    """Preview the site, regenerating it as indicators/, assessments/, site/ or mkdocs.yml change."""
    from .serve import serve as run_server

    root = _project(project)
    load_checked(root)
    run_server(root, dev_addr, audience)
    return EXIT_CLEAN


# ---------------------------------------------------------------- authoring workflow


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--minimal", is_flag=True, help="Two indicators and one gate, for a first look.")
@click.option(
    "--tool-source",
    metavar="SPEC",
    help="Where the new repository's CI installs readiness from, pinned: `readiness @ git+URL@COMMIT` "
    "or `readiness @ URL#sha256=HASH` [default: the source this readiness was installed from, "
    "pinned to its commit or hash].",
)
@guarded
def init(directory: Path, minimal: bool, tool_source: str | None) -> int:
    """Start a new assessment repository in DIRECTORY that passes `readiness check` and builds."""
    from datetime import date

    from .authoring.scaffold import init_project

    try:
        created = init_project(directory, date.today(), minimal, tool_source)
    except FileExistsError as exc:
        raise click.UsageError(str(exc)) from None
    import shlex

    click.echo(say_n("cli.init.wrote", len(created.files), directory=str(directory)))
    if created.branch:
        click.echo(say("cli.init.git", branch=created.branch))
    click.echo(say("cli.init.ci", requirement=created.source.requirement, origin=created.source.origin))
    for warning in created.warnings:
        click.echo(say("cli.warning", warning=warning), err=True)
    click.echo(say("cli.init.next", directory=shlex.quote(str(directory))))
    return EXIT_CLEAN


def _parse_labels(labels: tuple[str, ...], languages: list[str]) -> dict[str, str] | str | None:
    """`--label TEXT` for every language, or `--label LANG=TEXT` once per language."""
    if not labels:
        return None
    by_lang: dict[str, str] = {}
    plain: list[str] = []
    for label in labels:
        lang, sep, text = label.partition("=")
        if sep and lang.strip() in languages:
            by_lang[lang.strip()] = text.strip()
        else:
            plain.append(label)
    if plain and (by_lang or len(plain) > 1):
        raise click.BadParameter(say("cli.new_round.one_label", languages=", ".join(languages)), param_hint="--label")
    if plain:
        return plain[0]
    missing = [lang for lang in languages if lang not in by_lang]
    if missing:
        raise click.BadParameter(
            say("cli.new_round.no_label", languages=", ".join(missing), lang=missing[0]), param_hint="--label"
        )
    return by_lang


@main.command("new-round")
@click.argument("round_id", metavar="ROUND")
@click.option(
    "--date", "cutoff", required=True, metavar="YYYY-MM-DD", help="The round's data cut-off date, e.g. 2027-03-31."
)
@click.option("--from", "previous", help="The round whose values are shown beside each field [default: the last].")
@click.option(
    "--label",
    "labels",
    multiple=True,
    help="A readable name for the round: once for every language, or LANG=TEXT once per language "
    "(--label 'en=First quarter 2027' --label 'fr=Premier trimestre 2027') [default: its id].",
)
@project_option
@language_option
@guarded
def new_round_command(
    round_id: str, cutoff: str, previous: str | None, labels: tuple[str, ...], project: Path | None
) -> int:
    """Add ROUND to rounds.yaml, being collected, and write one assessment file per region to fill in (never
    overwriting)."""
    from datetime import date

    from pydantic import ValidationError

    from .authoring.rounds import RoundError, new_round

    root = _project(project)  # speaks the project's language: the refusal below is in it
    try:
        when = date.fromisoformat(cutoff)
    except ValueError:
        raise click.BadParameter(say("cli.new_round.bad_date", date=repr(cutoff)), param_hint="--date") from None
    # files started by hand for the new round may not pass `check` yet; the framework must load
    loaded, found = load_project(root)
    if loaded.framework is None or not loaded.regions:
        click.echo(format_text(sort_diagnostics(found), len(loaded.files)), err=True, nl=False)
        raise Findings()
    label = _parse_labels(labels, list(loaded.framework.languages))
    try:
        files = new_round(loaded, round_id, when, previous, label)
    except (RoundError, ValidationError) as exc:
        raise click.UsageError(
            str(exc).splitlines()[0]
            if isinstance(exc, RoundError)
            else say("cli.new_round.invalid", reason=str(exc.errors()[0]["msg"]))
        ) from None
    for target, text in files.items():
        write_atomically(target, text)
        click.echo(say("cli.wrote", path=str(target.relative_to(root))))
    click.echo(say("cli.new_round.collecting", round=round_id))
    return EXIT_CLEAN


@main.command("close-round")
@click.argument("round_id", metavar="ROUND")
@project_option
@language_option
@guarded
def close_round_command(round_id: str, project: Path | None) -> int:
    """Mark ROUND final and seal it once every value, reason and sign-off is in; refused, with everything still
    missing, until then. A sealed round changes only by `readiness amend`. A round already final but not yet
    sealed (closed by an earlier version) is sealed as it is."""
    from datetime import date

    from .authoring.rounds import close_round
    from .collection import format_progress, round_progress

    root = _project(project)
    loaded = load_checked(root)
    if round_id not in loaded.rounds:
        raise click.BadParameter(
            say("cli.unknown_round", round=repr(round_id), rounds=", ".join(loaded.rounds)), param_hint="ROUND"
        )
    if loaded.rounds[round_id].sealed:
        click.echo(say("cli.close_round.already", round=round_id))
        return EXIT_CLEAN
    progress = round_progress(loaded, round_id)
    if not progress.complete:
        click.echo(format_progress([progress], loaded, limit=10_000), err=True, nl=False)
        click.echo(say("cli.close_round.not_yet", round=round_id), err=True)
        return EXIT_FINDINGS
    path, text = close_round(loaded, round_id, date.today())
    write_atomically(path, text)
    click.echo(say("cli.close_round.sealed", round=round_id))
    return EXIT_CLEAN


@main.command("amend")
@click.argument("round_id", metavar="ROUND")
@click.argument("table", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@project_option
@language_option
@click.option("--reason", required=True, help="Why the closed round changes (on the record, shown on the pages).")
@click.option("--by", "by", required=True, help="Who decided the change (a name and role, or the body).")
@click.option("--on", "on", metavar="YYYY-MM-DD", help="The day of the amendment [default: today].")
@click.option("--dry-run", is_flag=True, help="Say what the amendment would change; write nothing.")
@click.option("--decimal-comma", is_flag=True, help="As for import.")
@click.option("--day-first", is_flag=True, help="As for import.")
@click.option("--sheet", help="As for import.")
@guarded
def amend_command(
    round_id: str,
    table: Path | None,
    project: Path | None,
    reason: str,
    by: str,
    on: str | None,
    dry_run: bool,
    decimal_comma: bool,
    day_first: bool,
    sheet: str | None,
) -> int:
    """Change a closed (sealed) round, on the record: with TABLE, its rows are imported into ROUND (values
    replaced); without it, the hand edits made to ROUND's files since it was sealed are recorded. Either way each
    value changed (old and new), the reason, who and when go into rounds.yaml, and the round is sealed again."""
    from datetime import date

    from .authoring.importing import ImportError_, import_table, write_plan
    from .authoring.rounds import amend_round

    root = _project(project)  # speaks the project's language: the refusals below are in it
    when = date.today()
    if on is not None:
        try:
            when = date.fromisoformat(on)
        except ValueError:
            raise click.BadParameter(say("cli.amend.bad_date", date=repr(on)), param_hint="--on") from None
    if not reason.strip() or not by.strip():
        raise click.UsageError(say("cli.amend.needs"))
    loaded, found = load_project(root)
    if loaded.framework is None:
        click.echo(format_text(sort_diagnostics(found), len(loaded.files)), err=True, nl=False)
        raise Findings()
    texts = None
    if table is not None:
        try:
            plan = import_table(
                loaded,
                table,
                round_id,
                when,
                replace=True,
                decimal_comma=decimal_comma,
                day_first=day_first,
                sheet=sheet,
                amend=round_id,
            )
        except ImportError_ as exc:
            for problem in exc.problems:
                click.echo(say("cli.file_problem", file=show_invisible(table.name), problem=problem), err=True)
            click.echo(say("cli.amend.nothing"), err=True)
            return EXIT_FINDINGS
        texts = plan.texts
        for warning in plan.warnings:
            click.echo(say("cli.file_warning", file=show_invisible(table.name), warning=warning), err=True)
    files, changes = amend_round(loaded, round_id, on=when, by=by.strip(), reason=reason.strip(), texts=texts)
    for c in changes:
        what = f"{c.region} {c.indicator} {c.field}" if c.indicator else f"{c.region} ({c.field})"
        click.echo(
            say("cli.amend.would" if dry_run else "cli.amend.done", what=what, old=c.old or "–", new=c.new or "–")
        )
    if dry_run:
        return EXIT_CLEAN
    from .authoring.importing import Plan

    write_plan(Plan(texts=files))
    click.echo(say("cli.amend.sealed", round=round_id, date=str(when)))
    return EXIT_CLEAN


@main.command("import")
@click.argument("table", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@project_option
@language_option
@click.option("--round", "round_id", help="The round of every row, when the table has no round column.")
@click.option("--dry-run", is_flag=True, help="Say what would change; write nothing.")
@click.option("--replace", is_flag=True, help="Overwrite values that differ from those already in the files.")
@click.option(
    "--decimal-comma",
    is_flag=True,
    help="Numbers typed as text in the sheet use a decimal comma (72,5); without it a comma is refused.",
)
@click.option("--day-first", is_flag=True, help="Dates typed as text in the sheet are day/month/year (30/09/2026).")
@click.option(
    "--sheet",
    help="The sheet to read from a workbook [default: `observations`, or its only visible sheet; a hidden sheet "
    "only when named here].",
)
@click.option(
    "--layout",
    "layout_name",
    type=click.Choice(["sheet", "kobo", "odk"]),
    help="How to read the table [default: told by its columns: the spreadsheet layout, or a KoboToolbox or ODK "
    "Central export of the form `template --format xlsform` writes].",
)
@guarded
def import_command(
    table: Path,
    project: Path | None,
    round_id: str | None,
    dry_run: bool,
    replace: bool,
    decimal_comma: bool,
    day_first: bool,
    sheet: str | None,
    layout_name: str | None,
) -> int:
    """Import a long table (CSV or XLSX) of observations, or a KoboToolbox or ODK Central export of the tablet
    form, into the assessment files; only the lines whose values change are edited."""
    from datetime import date

    from .authoring.importing import ImportError_, import_table, write_plan

    root = _project(project)
    loaded, found = load_project(root)
    if loaded.framework is None:
        click.echo(format_text(sort_diagnostics(found), len(loaded.files)), err=True, nl=False)
        raise Findings()
    try:
        plan = import_table(
            loaded,
            table,
            round_id,
            date.today(),
            replace=replace,
            decimal_comma=decimal_comma,
            day_first=day_first,
            sheet=sheet,
            layout_name=layout_name,
        )
    except ImportError_ as exc:
        for problem in exc.problems:
            click.echo(say("cli.file_problem", file=show_invisible(table.name), problem=problem), err=True)
        click.echo(say_n("cli.import.nothing_written", len(exc.problems)), err=True)
        return EXIT_FINDINGS
    if plan.layout != "sheet":
        tool = say(f"collection.import.tool.{plan.layout}")
        read_as = say("collection.import.layout", tool=tool)
        click.echo(say("cli.file_problem", file=show_invisible(table.name), problem=read_as), err=True)
    for line in [*plan.changes, *plan.summary]:
        click.echo(say("cli.import.would", line=line) if dry_run and line in plan.summary else line)
    for warning in plan.warnings:
        click.echo(say("cli.file_warning", file=show_invisible(table.name), warning=warning), err=True)
    if not dry_run:
        write_plan(plan)
        click.echo(say_n("cli.import.written", len(plan.texts)))
    return EXIT_CLEAN


@main.command()
@no_positional_path
@project_option
@language_option
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "json"]), default="csv", show_default=True)
@click.option(
    "-o",
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the files [default: PROJECT/build/export].",
)
@round_options
@guarded
def export(project: Path | None, fmt: str, out: Path | None, round_id: str | None, preview: bool) -> int:
    """Export results and raw observations as tables (one file or sheet per table). Includes restricted
    items, marked in a `restricted` column: the public site's downloads are the shareable version."""
    from .authoring.export import write_export
    from .scoring import score_project

    root = _project(project)
    folder = out or root / "build" / "export"
    check_output_folder(folder, root)
    loaded = choose_round(load_checked(root), round_id, preview)
    for written in write_export(loaded, score_project(loaded), fmt, folder, round_id=round_id):
        click.echo(say("cli.wrote", path=str(written)))
    return EXIT_CLEAN


@main.command()
@no_positional_path
@project_option
@click.option(
    "-o",
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the documents [default: PROJECT/build/documents, or build/documents-public with "
    "--audience public: public and internal documents never share a folder].",
)
@click.option(
    "--audience",
    type=click.Choice(["internal", "public"]),
    default="internal",
    show_default=True,
    help="public leaves out restricted decisions and evidence, as the public site does.",
)
@click.option("--lang", "lang", help="The documents' language [default: the framework's first].")
@click.option("--decisions-on", "relied_on", help="Only the decisions relied on this round's assessment.")
@round_options
@guarded
def documents(
    project: Path | None,
    out: Path | None,
    audience: str,
    lang: str | None,
    relied_on: str | None,
    round_id: str | None,
    preview: bool,
) -> int:
    """Write the documents the joint body and the drafting office use, from the same results as the site: a
    handover certificate (Word) for each handover decision, with a signature block for each party, the
    transition paragraph of the Secretary-General's report, the annex of benchmarks and the costed gap list
    (Word and Excel)."""
    from .documents import documents, missing_documents
    from .i18n import available
    from .outputs import documents_folder, write_documents_folder
    from .report import build_view, public_project, restricted_texts
    from .scoring import score_project

    root = _project(project)
    speak(root, lang if lang in available() else None)
    folder = out or root / "build" / ("documents-public" if audience == "public" else "documents")
    record = documents_folder(folder, root, audience)
    loaded = choose_round(load_checked(root), round_id, preview)
    assert loaded.framework is not None
    language = lang or loaded.framework.languages[0]
    if language not in available():
        raise click.BadParameter(
            say("cli.no_catalogue", lang=language, available=", ".join(available())), param_hint="--lang"
        )
    left_out, restricted = None, None
    if audience == "public":
        internal = loaded
        loaded, left_out = public_project(internal)
        restricted = restricted_texts(internal, loaded)
    view = build_view(loaded, score_project(loaded), audience, left_out=left_out, restricted=restricted)
    files = documents(view, language, relied_on)
    named = {f"{Path(name).stem}.{language}{Path(name).suffix}": data for name, data in files.items()}
    # with --decisions-on, only some certificates: the others of this language stay as they are
    written, removed = write_documents_folder(folder, record, language, named, prune=relied_on is None)
    for path in written:
        click.echo(say("cli.wrote", path=str(path)))
    for path in removed:
        click.echo(say(f"cli.documents.removed.{audience}", path=str(path)))
    for note in missing_documents(view, relied_on):
        click.echo(note)
    return EXIT_CLEAN


@main.command()
@project_option
@language_option
@click.option("--round", "round_id", required=True, help="The round the field teams collect.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["xlsx", "xlsform"]),
    default="xlsx",
    show_default=True,
    help="xlsx: the spreadsheet; xlsform: the form for tablets (ODK Collect, KoboToolbox).",
)
@click.option("--region", "region_id", help="xlsform: the form for one region (the region is not asked).")
@click.option("--public-only", is_flag=True, help="xlsform: leave out the restricted indicators.")
@click.option(
    "-o",
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The workbook to write [default: PROJECT/build/<round>-collection.xlsx, or <round>-form.xlsx].",
)
@guarded
def template(
    project: Path | None, round_id: str, fmt: str, region_id: str | None, public_only: bool, out: Path | None
) -> int:
    """A spreadsheet for field teams to collect ROUND: its regions and indicators, units, ranges and last
    round's values, in the layout `readiness import` reads; or (--format xlsform) the XLSForm of the round for
    tablets, whose exports `readiness import` reads as they are."""
    from .authoring.export import write_template

    if fmt != "xlsform" and (region_id is not None or public_only):
        option = "--region" if region_id is not None else "--public-only"
        raise click.UsageError(say("collection.template.form_only", option=option))
    root = _project(project)
    narrowed = (f"-{region_id}" if region_id else "") + ("-public" if public_only else "")
    default = f"{round_id}{narrowed}-form.xlsx" if fmt == "xlsform" else f"{round_id}-collection.xlsx"
    target = out or root / "build" / default
    check_output_file(target, root)
    loaded, found = load_project(root)
    if loaded.framework is None:
        click.echo(format_text(sort_diagnostics(found), len(loaded.files)), err=True, nl=False)
        raise Findings()
    if round_id not in loaded.rounds:
        raise click.BadParameter(
            say("cli.unknown_round", round=repr(round_id), rounds=", ".join(loaded.rounds)), param_hint="--round"
        )
    if loaded.rounds[round_id].sealed:
        raise click.UsageError(say("cli.template.sealed", round=round_id))
    if fmt == "xlsform":
        from .authoring.xlsform import write_xlsform

        if region_id is not None and region_id not in loaded.regions:
            regions = ", ".join(sorted(loaded.regions))
            message = say("collection.template.unknown_region", region=repr(region_id), regions=regions)
            raise click.BadParameter(message, param_hint="--region")
        write_xlsform(loaded, round_id, target, region=region_id, public_only=public_only)
        click.echo(say("cli.wrote", path=str(target)))
        return EXIT_CLEAN
    write_template(loaded, round_id, target)
    click.echo(say("cli.wrote", path=str(target)))
    return EXIT_CLEAN


@main.command()
@click.option(
    "-o",
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("schemas"),
    show_default=True,
    help="Folder to write the schemas to.",
)
@guarded
def schema(out: Path) -> int:
    """Write a JSON Schema per file kind, for editors and CI validators."""
    from .schema import write_schemas

    for path in write_schemas(out):
        click.echo(say("cli.wrote", path=str(path)))
    return EXIT_CLEAN
