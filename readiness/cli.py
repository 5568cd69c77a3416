"""The `readiness` command line. Each command parses its options, calls the stages and returns an exit code:
0 clean, 1 findings, 2 usage error, 3 internal error (a short message, never a bare traceback)."""

from __future__ import annotations

import functools
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
    sort_diagnostics,
)
from .project import NotAProject, load_project
from .schema import write_schemas

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
REPORT_URL = "https://github.com/readiness-project/readiness/issues"


def guarded(command: Callable[..., int]) -> Callable[..., None]:
    """Turn a command's return value into the exit code; a usage problem exits 2, a bug exits 3."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> None:
        try:
            code = command(*args, **kwargs)
        except NotAProject as exc:
            click.echo(f"readiness: {exc}", err=True)
            click.echo("hint: run the command in a project folder, or pass its path", err=True)
            sys.exit(EXIT_USAGE)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("readiness: interrupted", err=True)
            sys.exit(130)
        except Exception as exc:  # noqa: BLE001 - the last line of defence for users
            where = traceback.extract_tb(exc.__traceback__)[-1]
            click.echo(f"readiness: internal error: {type(exc).__name__}: {exc}", err=True)
            click.echo(f"  at {Path(where.filename).name}:{where.lineno}. This is a bug in readiness, not in "
                       f"your files; please report it at {REPORT_URL} with this message.", err=True)
            sys.exit(EXIT_INTERNAL)
        sys.exit(code)

    return run


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
@guarded
def check(path: Path, fmt: str, strict: bool, output: Path | None) -> int:
    """Check every file of the project at PATH (default: here) and report every problem in one run."""
    if not path.exists():
        raise click.BadParameter(f"{path} does not exist", param_hint="PATH")
    project, found = load_project(path)
    found = sort_diagnostics(found + check_project(project))
    if fmt == "junit":
        report = format_junit(found, project.files)
    else:
        report = {"text": format_text, "github": format_github, "json": format_json,
                  "sarif": functools.partial(format_sarif, version=__version__)}[fmt](found, len(project.files))
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
