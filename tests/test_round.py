"""A round as teams run it: open for weeks (collecting), previewed, closed, then published.

The example in this repository is copied once; `readiness new-round` opens 2026-q4 in the copy."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO, run

ROUND = "2026-q4"


def copy_example(target: Path) -> Path:
    shutil.copytree(
        REPO,
        target,
        ignore=shutil.ignore_patterns(
            "build", ".git", ".venv", "*.egg-info", "__pycache__", ".pytest_cache", ".hypothesis"
        ),
    )
    return target


@pytest.fixture
def opened(tmp_path) -> Path:
    root = copy_example(tmp_path / "mission")
    result = run(
        "new-round",
        ROUND,
        "--date",
        "2026-12-31",
        "--label",
        "en=Fourth quarter 2026",
        "--label",
        "fr=Quatrième trimestre 2026",
        "-p",
        str(root),
    )
    assert result.exit_code == 0, result.output
    return root


def fill(
    root: Path,
    region: str,
    values: dict[str, object],
    round_id: str = ROUND,
    sources: dict[str, list[str]] | None = None,
) -> None:
    """Fill some observations of one region's file for the round, as a team member would by hand (evidence of
    the given source types, ADM by default)."""
    path = root / "assessments" / round_id / f"{region}.yaml"
    text = path.read_text(encoding="utf-8")
    for ind_id, value in values.items():
        old = f"  {ind_id}:\n"
        start = text.index(old)
        at = text.index("    value:\n", start)
        evidence = text.index("    evidence: []", at)
        end = text.index("\n", evidence)
        entries = "".join(
            f"      - source: {s}\n        reference: {s} record\n        date: 2026-11-20\n"
            + ("        sample_size: 400\n" if s == "SUR" else "")  # a survey gives its sample (Q002, Q003)
            for s in (sources or {}).get(ind_id, ["ADM"])
        )
        written = str(value).lower() if isinstance(value, bool) else value  # YAML's true, not Python's True
        text = text[:at] + f"    value: {written}\n    evidence:\n" + entries + text[end + 1 :]
    path.write_text(text, encoding="utf-8")


def test_opening_a_round_keeps_check_green_and_reports_progress(opened):
    result = run("check", "-p", str(opened))
    assert result.exit_code == 0, result.output  # 600 empty values are progress, not errors
    example = run("check", "-p", str(REPO)).output.strip().splitlines()[-1]
    # the example's own warnings, nothing more: 600 empty values are progress, not warnings
    assert example.split(": ", 1)[1] == result.output.split("files checked: ", 1)[1].split("\n", 1)[0]
    # 597 values asked: the institutions' own criteria, and TR-08 retired from 1 October 2026
    assert f"round {ROUND} (Fourth quarter 2026) is collecting: 13 of 597 values in" in result.output
    assert re.search(
        r"\n  lowa +0/45   nothing in yet  \(placeholder narrative; no team; no assessment date; no sign-off yet\)",
        result.output,
    )
    report = json.loads(run("check", "-p", str(opened), "--format", "json").stdout)
    collecting = report["collecting"][0]
    assert (collecting["round"], collecting["collected"], collecting["expected"]) == (ROUND, 13, 597)
    github = run("check", "-p", str(opened), "--format", "github").output
    assert f"::notice title=Round {ROUND} is being collected::13 of 597 values in" in github


def test_new_round_writes_labels_in_every_language_and_carries_what_does_not_apply(opened):
    rounds = yaml.safe_load((opened / "assessments" / "rounds.yaml").read_text(encoding="utf-8"))["rounds"]
    assert rounds[-1] == {
        "id": ROUND,
        "label": {"en": "Fourth quarter 2026", "fr": "Quatrième trimestre 2026"},
        "date": __import__("datetime").date(2026, 12, 31),
        "state": "collecting",
    }
    assert "I006" not in run("check", "-p", str(opened)).output  # the label is in both languages
    maritime = (opened / "assessments" / ROUND / "maritime.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(maritime)
    carried = {k: v for k, v in data["observations"].items() if v and "not_applicable" in v}
    assert set(carried) == {"HR-01", "LO-04", "LO-05", "PC-01", "PC-02", "PC-03", "TR-06"}
    assert all(v["carried_from"] == "2026-q3" for v in carried.values())
    # last round's values and evidence stay whole, as comment lines, never cut mid-word
    previous = yaml.safe_load((opened / "assessments" / "2026-q3" / "maritime.yaml").read_text(encoding="utf-8"))
    reference = previous["observations"]["BU-01"]["evidence"][0]["reference"]
    comments = " ".join(line.strip().lstrip("# ") for line in maritime.splitlines() if line.strip().startswith("#"))
    assert reference in comments


def test_a_real_mistake_in_a_collecting_round_is_still_an_error(opened):
    fill(opened, "lowa", {"HR-04": 140})
    result = run("check", "-p", str(opened))
    assert result.exit_code == 1
    assert f"assessments/{ROUND}/lowa.yaml" in result.output and "O002" in result.output
    # a value that fails its range check is not "in", and the region says why it cannot close
    assert re.search(r"\n  lowa +0/45 .*1 error in assessments/2026-q4/lowa\.yaml", result.output), result.output
    report = json.loads(run("check", "-p", str(opened), "--format", "json").stdout)
    lowa = next(r for r in report["collecting"][0]["regions"] if r["region"] == "lowa")
    assert "HR-04" in lowa["missing"] and not lowa["collected"]
    fill(opened, "lowa", {"LG-03": 50})  # a good value is counted
    assert re.search(r"\n  lowa +1/45 ", run("check", "-p", str(opened)).output)


def test_a_file_that_cannot_be_read_keeps_its_region_from_closing(opened):
    path = opened / "assessments" / ROUND / "lowa.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("observations:", 'observations: "', 1), encoding="utf-8")
    result = run("check", "-p", str(opened))
    assert result.exit_code == 1
    assert re.search(r"\n  lowa +0/45 .*it could not be read", result.output), result.output
    assert run("close-round", ROUND, "-p", str(opened)).exit_code != 0


@pytest.mark.slow
def test_build_score_explain_and_export_use_the_last_final_round_and_preview_on_request(opened, tmp_path):
    fill(opened, "lowa", {"HR-04": 40, "LG-03": 50})
    built = run("build", "-p", str(opened), "--lang", "en", "-o", str(tmp_path / "site"))
    assert built.exit_code == 0, built.output
    assert "Third quarter 2026" in built.output and "PROVISIONAL" not in built.output
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "Provisional" not in page and "Fourth quarter 2026" not in page
    table = run("score", "-p", str(opened), "-o", str(tmp_path / "r.json")).output
    assert ROUND not in table
    assert ROUND not in json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["rounds"]

    preview = run("build", "-p", str(opened), "--lang", "en", "--preview", "-o", str(tmp_path / "preview"))
    assert preview.exit_code == 0 and "PROVISIONAL" in preview.output, preview.output
    for rel in ("index.html", "regions/lowa.html", "changes.html", "methodology.html", "pages/about.html"):
        text = (tmp_path / "preview" / rel).read_text(encoding="utf-8")
        assert "Provisional" in text and "still being collected" in text, rel
    data = json.loads((tmp_path / "preview" / "downloads" / "results.json").read_text(encoding="utf-8"))
    assert data["provisional_rounds"] == [ROUND]
    table = run("score", "-p", str(opened), "--round", ROUND, "-o", str(tmp_path / "r2.json")).output
    assert "PROVISIONAL: still being collected" in table
    exported = run("export", "-p", str(opened), "--preview", "-o", str(tmp_path / "export"))
    assert exported.exit_code == 0, exported.output
    import csv

    with open(tmp_path / "export" / "results.csv", encoding="utf-8") as handle:
        marks = {(row["round"], row["provisional"]) for row in csv.DictReader(handle)}
    assert (ROUND, "yes") in marks and ("2026-q3", "no") in marks
    explained = run("explain", "lowa", "-p", str(opened), "--preview")
    assert explained.exit_code == 0 and explained.output.startswith(f"PROVISIONAL: round {ROUND}")
    assert run("build", "-p", str(opened), "--round", "2026-q9").exit_code == 2


def test_closing_is_refused_until_everything_is_in(opened):
    result = run("close-round", ROUND, "-p", str(opened))
    assert result.exit_code == 1
    assert "cannot be closed yet" in result.output and "lowa" in result.output and "LG-03" in result.output
    rounds = (opened / "assessments" / "rounds.yaml").read_text(encoding="utf-8")
    assert "state: collecting" in rounds
    # editing the state by hand instead: check lists every missing item as an error
    (opened / "assessments" / "rounds.yaml").write_text(
        rounds.replace("state: collecting", "state: final"), encoding="utf-8"
    )
    report = json.loads(run("check", "-p", str(opened), "--format", "json").stdout)
    codes = {d["code"] for d in report["diagnostics"] if d["file"].startswith(f"assessments/{ROUND}/")}
    assert {"O004", "A001"} <= codes


@pytest.mark.slow
def test_a_complete_round_closes_and_is_sealed(opened):
    previous = yaml.safe_load((opened / "assessments" / "2026-q3" / "lowa.yaml").read_text(encoding="utf-8"))
    for path in sorted((opened / "assessments" / ROUND).glob("*.yaml")):
        region = path.stem
        before = yaml.safe_load((opened / "assessments" / "2026-q3" / f"{region}.yaml").read_text(encoding="utf-8"))
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
        values = {
            k: v["value"]
            for k, v in before["observations"].items()
            if v.get("value") is not None
            and data["observations"].get(k, {}).get("not_applicable") is None
            and k != "TR-08"  # retired from 1 October 2026: the round does not ask it
        }
        sources = {
            k: sorted({e["source"] for e in v.get("evidence", [])}) or ["ADM"]
            for k, v in before["observations"].items()
        }
        fill(opened, region, values, sources=sources)
        text = path.read_text(encoding="utf-8")
        if "TR-01" in values:  # trust is reported by sex (`by_sex: true`, O009)
            at = text.index("\n", text.index("    value:", text.index("  TR-01:\n"))) + 1
            text = text[:at] + "    by_sex: {women: 60.1, men: 64.8}\n" + text[at:]
        for ind_id, obs in before["observations"].items():
            if obs.get("not_collected") is not None:
                text = text.replace(
                    f"  {ind_id}:\n",
                    f'  {ind_id}:\n    not_collected: "Not reached this round"\n    # (was empty)\n',
                    1,
                )
                start = text.index(f"  {ind_id}:\n")
                text = text[:start] + text[start:].replace("    value:\n", "", 1).replace(
                    "    evidence: []", "    evidence: []", 1
                )
        text = (
            text.replace("assessed_on:\n", "assessed_on: 2026-12-15\n")
            .replace("team: []", "team: [Field team]")
            .replace("  What the team found, in a few sentences.", "  Visited every station.")
        )
        path.write_text(text, encoding="utf-8")
    assert previous  # the example round before is whole
    progress = run("check", "-p", str(opened))
    assert progress.exit_code == 0, progress.output
    assert "597 of 597 values in - complete" in progress.output
    # a region held back only by the missing sign-off says what it would be with it
    assert re.search(
        r"\n  marun +45/45   \(would be Ready for handover but lacks the joint sign-off of UNPOL", progress.output
    )
    before = (opened / "assessments" / "rounds.yaml").read_text(encoding="utf-8")
    result = run("close-round", ROUND, "-p", str(opened))
    assert result.exit_code == 0, result.output
    after = (opened / "assessments" / "rounds.yaml").read_text(encoding="utf-8")
    # the state line changes and the seal is added under the round; every other line is kept
    assert_sealed_with_one_changed_line(before, after, opened / "assessments" / ROUND)
    built = run("build", "-p", str(opened), "--lang", "en", "-o", str(opened.parent / "site"))
    assert built.exit_code == 0 and "Fourth quarter 2026" in built.output, built.output
    assert "PROVISIONAL" not in built.output
    page = (opened.parent / "site" / "regions" / "lowa.html").read_text(encoding="utf-8")
    assert "What the team found" not in page and "Visited every station." in page


def assert_sealed_with_one_changed_line(before: str, after: str, folder: Path) -> None:
    """close-round changed `state: collecting` to final and added the seal of the round's files after it; every
    other line of rounds.yaml is as it was."""
    import difflib

    diff = [d for d in difflib.ndiff(before.splitlines(), after.splitlines()) if d[:2] in ("- ", "+ ")]
    assert [d for d in diff if d.startswith("- ")] == ["-     state: collecting"]
    added = [d[2:] for d in diff if d.startswith("+ ")]
    assert added[:2] == ["    state: final", "    seal:"] and added[3] == "      files:"
    assert re.fullmatch(r"      date: \d{4}-\d{2}-\d{2}", added[2])
    names = sorted(p.name for p in folder.glob("*.yaml"))
    assert [line.split(":")[0].strip() for line in added[4:]] == names


# ---------------------------------------------------------------- a whole round, in pull requests


def git(root: Path, *args: str) -> str:
    import os
    import subprocess

    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    # cwd: an earlier test may have left this process in a folder since removed, where git cannot start
    done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, env=env, cwd=root)
    assert done.returncode == 0, f"git {' '.join(args)}: {done.stderr}"
    return done.stdout


def commit(root: Path, message: str) -> list[tuple[str, str]]:
    """Commit everything; the lines the commit removed and added, as (sign, line)."""
    git(root, "add", "-A")
    diff = git(root, "diff", "--cached", "-U0", "--no-color")
    git(root, "commit", "-q", "-m", message)
    return [
        (line[0], line[1:]) for line in diff.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_a_whole_round_as_a_team_runs_it(tmp_path):
    """init -> new-round -> check green with progress -> partial imports in several commits, each diff only the
    changed lines -> mistakes caught with the right first message -> close -> build with no placeholder; the
    previous round's site builds throughout."""
    from tests.test_authoring import next_round, spreadsheet_rows, write_csv, write_xlsx

    project = tmp_path / "mission"
    assert run("init", str(project)).exit_code == 0
    git(project, "init", "-q")
    commit(project, "start")

    def previous_round_builds() -> None:
        built = run("build", "-p", str(project), "--lang", "en", "-o", str(tmp_path / "site"))
        assert built.exit_code == 0 and "PROVISIONAL" not in built.output, built.output

    previous_round_builds()
    round_id, cutoff = next_round()
    assert run("new-round", round_id, "--date", cutoff, "-p", str(project)).exit_code == 0
    commit(project, f"open {round_id}")
    opened = run("check", "-p", str(project))
    assert opened.exit_code == 0, opened.output
    assert "is collecting: 0 of 12 values in" in opened.output
    previous_round_builds()

    rows = spreadsheet_rows(project)
    header, body = rows[0], rows[1:]
    # first pull request: the capital's sheet, as an Excel file
    capital = write_xlsx(tmp_path / "capital.xlsx", [header] + [r for r in body if r[0] == "capital"])
    imported = run("import", str(capital), "--round", round_id, "-p", str(project))
    assert imported.exit_code == 0, imported.output
    changed = commit(project, "capital")
    removed = [line for sign, line in changed if sign == "-"]
    assert removed and all(
        line.strip() in ("value:", "evidence: []") or line.strip().startswith("evidence: []") for line in removed
    ), removed  # only the empty fields were touched
    assert all(
        line.strip().startswith(
            ("value:", "evidence:", "- source:", "source:", "reference:", "date:", "not_collected:")
        )
        for sign, line in changed
        if sign == "+"
    ), changed
    progress = run("check", "-p", str(project))
    assert progress.exit_code == 0 and "6 of 12 values in" in progress.output, progress.output
    # importing the same sheet again changes nothing at all
    assert run("import", str(capital), "--round", round_id, "-p", str(project)).exit_code == 0
    assert git(project, "status", "--porcelain") == ""
    previous_round_builds()

    # second pull request: the district's sheet, typed with a per cent sign: refused with the fix, nothing written
    district_rows = [header] + [r for r in body if r[0] == "district"]
    district_rows[1] = [*district_rows[1][:2], f"{district_rows[1][2]}%", *district_rows[1][3:]]
    refused = run(
        "import", str(write_csv(tmp_path / "district.csv", district_rows)), "--round", round_id, "-p", str(project)
    )
    assert refused.exit_code == 1
    assert refused.output.splitlines()[0].startswith("district.csv: row 2, column Value (C): ")
    assert git(project, "status", "--porcelain") == ""
    district_rows[1][2] = district_rows[1][2].rstrip("%")
    assert (
        run(
            "import", str(write_csv(tmp_path / "district.csv", district_rows)), "--round", round_id, "-p", str(project)
        ).exit_code
        == 0
    )
    commit(project, "district")

    # a value corrected by hand with a decimal comma: check names the real cause, CI would go red
    district = project / "assessments" / round_id / "district.yaml"
    text = district.read_text(encoding="utf-8")
    district.write_text(text.replace("value: 66", "value: 66,5", 1), encoding="utf-8")
    wrong = json.loads(run("check", "-p", str(project), "--format", "json").stdout)["diagnostics"]
    assert (wrong[0]["code"], wrong[0]["hint"]) == ("O001", "write 66.5")
    district.write_text(text, encoding="utf-8")

    # closing: refused while the placeholder narrative is there, then a one-line change
    refused = run("close-round", round_id, "-p", str(project))
    assert refused.exit_code == 1 and "placeholder narrative" in refused.output
    for region in ("capital", "district"):
        path = project / "assessments" / round_id / f"{region}.yaml"
        path.write_text(
            path.read_text(encoding="utf-8")
            .replace("  What the team found, in a few sentences.", f"  Stations of the {region} visited.")
            .replace("team: []", "team: [A. Mensah, J. Okoro]")
            .replace("assessed_on:\n", f"assessed_on: {(date.today()).isoformat()}\n"),
            encoding="utf-8",
        )
    commit(project, "narratives")
    closed = run("close-round", round_id, "-p", str(project))
    assert closed.exit_code == 0, closed.output
    closing = commit(project, "close")  # the state line, and the seal of the round's files after it
    assert closing[:4] == [
        ("-", "  state: collecting"),
        ("+", "  state: final"),
        ("+", "  seal:"),
        ("+", closing[3][1]),
    ]
    assert closing[3][1].startswith("    date: ") and ("+", "    files:") in closing

    built = run("build", "-p", str(project), "--lang", "en", "-o", str(tmp_path / "site"))
    assert built.exit_code == 0 and "PROVISIONAL" not in built.output, built.output
    # the rules reference quotes the placeholder in its example of P001; no page about the mission may
    pages = "".join(
        p.read_text(encoding="utf-8") for p in (tmp_path / "site").rglob("*.html") if p.name != "rules.html"
    )
    assert "What the team found" not in pages and "Stations of the district visited." in pages
