"""`readiness check` runs on every commit (pre-commit) where start-up is most of the time: it imports only what
checking needs. The heavy modules (numpy for the Monte Carlo, networkx for drawings, MkDocs and Jinja for the
site, Babel for dates, openpyxl for spreadsheets) are imported by the commands that use them. What it imports is
asserted here; how long it takes is measured by benchmarks/run.py (`startup` step), never by a test."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import REPO

HEAVY = ("numpy", "networkx", "mkdocs", "jinja2", "babel", "openpyxl", "markdown", "ruamel", "scipy")


def imported_by(*args: str) -> list[str]:
    """The heavy modules a fresh interpreter has imported after running the command line."""
    code = (
        "import sys, json\n"
        "from readiness.cli import main\n"
        f"sys.argv = ['readiness', *{list(args)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_check_imports_none_of_the_heavy_modules():
    assert imported_by("check") == []


def test_check_in_the_formats_ci_uses_imports_none_of_them_either():
    assert imported_by("check", "--format", "github") == []
    assert imported_by("--version") == []


def test_score_does_not_import_the_site_or_the_drawings(tmp_path):
    found = imported_by("score", "--format", "json", "-o", str(tmp_path / "results.json"))
    assert not {"mkdocs", "jinja2", "networkx", "openpyxl"} & set(found), found


def test_an_output_that_is_a_device_is_refused_not_replaced(tmp_path):
    """`score -o /dev/null` once replaced the device with a file (the tool writes a file and renames it into
    place): an existing path that is not a regular file is refused."""
    import os

    from tests.conftest import run

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = run("score", "-p", str(REPO), "--format", "json", "-o", str(fifo))
    assert result.exit_code != 0 and "not a regular file" in result.output
    assert not fifo.is_file() and fifo.exists()  # still a pipe


# ---------------------------------------------------------------- the outcome kept for the same files

LOADING = ("readiness.model", "readiness.rules", "readiness.project", "pydantic")


def checked(root, *args: str) -> tuple[int, str, list[str]]:
    """`readiness check` in a fresh interpreter: exit code, output, and which of the loading modules it imported."""
    code = (
        "import sys, json\n"
        "from readiness.cli import main\n"
        f"sys.argv = ['readiness', 'check', '-p', {str(root)!r}, *{list(args)!r}]\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    status = exc.code\n"
        f"print('\\n' + json.dumps([status, sorted(m for m in {LOADING!r} if m in sys.modules)]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    *output, last = done.stdout.rstrip("\n").split("\n")
    status, modules = json.loads(last)
    return status, "\n".join(output), modules


def test_a_second_check_of_the_same_files_says_the_same_without_loading_the_project(tmp_path):
    from tests.test_site import small_project

    root = small_project(tmp_path)
    first = checked(root)
    assert first[0] == 0 and set(first[2]) == set(LOADING)  # checked: the models and the rules were loaded
    second = checked(root)
    assert second[:2] == first[:2] and second[2] == []  # the same report, kept: nothing of the loading imported
    assert checked(root, "--format", "json")[1] != first[1]  # another report is checked, not taken


def test_any_change_to_what_check_reads_is_checked_again(tmp_path):
    import os

    from tests.test_site import small_project

    root = small_project(tmp_path)
    assert checked(root)[0] == 0
    indicator = root / "indicators" / "A1.yaml"
    good = indicator.read_text(encoding="utf-8")
    indicator.write_text(good.replace("pillar: A", "pillar: Z"), encoding="utf-8")  # an unknown pillar
    status, output, modules = checked(root)
    assert status == 1 and "Z" in output and modules  # checked again, the error reported
    indicator.write_text(good, encoding="utf-8")
    assert checked(root)[:2] == (0, checked(root)[1]) and checked(root)[2] == []  # the kept clean outcome again
    # a file swapped for a link to one outside the project: what it is counts, not only what it reads
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text(good, encoding="utf-8")
    indicator.unlink()
    os.symlink(outside, indicator)
    status, output, _ = checked(root)
    assert status == 1 and "A1.yaml" in output
