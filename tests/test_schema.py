"""The JSON Schemas: generated from the models, committed for editors, and accepted by a third-party
validator on every example file, so editor, CI and tool agree."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from readiness.project import load_project
from readiness.schema import schema_texts
from readiness.scoring import score_project
from tests.conftest import REPO

EXAMPLES = [REPO, REPO / "examples" / "hdi"]
MODELINE = "# yaml-language-server: $schema="


def kind_of(path: Path, root: Path) -> str:
    rel = path.relative_to(root).as_posix()
    if rel == "indicators/framework.yaml":
        return "framework"
    if rel.startswith("indicators/"):
        return "indicator"
    return {"assessments/regions.yaml": "regions", "assessments/rounds.yaml": "rounds"}.get(rel, "assessment")


def example_files() -> list[tuple[Path, Path]]:
    return [
        (root, path)
        for root in EXAMPLES
        for folder in ("indicators", "assessments")
        for path in sorted((root / folder).rglob("*.yaml"))
    ]


def test_committed_schemas_are_up_to_date():
    for name, text in schema_texts().items():
        committed = REPO / "schemas" / name
        assert committed.read_text(encoding="utf-8") == text, f"run `readiness schema` to refresh {name}"


@pytest.mark.parametrize("root,path", example_files(), ids=lambda v: str(v))
def test_every_example_file_points_at_its_schema(root, path):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith(MODELINE)
    target = (path.parent / first[len(MODELINE) :]).resolve()
    assert target == (REPO / "schemas" / f"{kind_of(path, root)}.schema.json").resolve()


@pytest.mark.parametrize("kind", ["framework", "indicator", "regions", "rounds", "assessment"])
def test_check_jsonschema_accepts_every_example_file(kind):
    files = [str(p) for root, p in example_files() if kind_of(p, root) == kind]
    assert files
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--schemafile",
            str(REPO / "schemas" / f"{kind}.schema.json"),
            *files,
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_every_results_json_the_tool_writes_follows_its_published_schema(tmp_path):
    """results.json of the example (as scored, and as a public build publishes it) validates against
    schemas/results.schema.json, which is strict (no unknown keys)."""
    import json

    import jsonschema

    from tests.conftest import run

    schema = json.loads((REPO / "schemas" / "results.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    assert run("score", "-p", str(REPO), "-o", str(tmp_path / "r.json")).exit_code == 0
    internal = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    errors = sorted(validator.iter_errors(internal), key=str)
    assert not errors, errors[0]
    assert (
        run("build", "-p", str(REPO), "--audience", "public", "--lang", "en", "-o", str(tmp_path / "site")).exit_code
        == 0
    )
    public = json.loads((tmp_path / "site" / "downloads" / "results.json").read_text(encoding="utf-8"))
    assert not list(validator.iter_errors(public))
    broken = dict(
        internal, results=[dict(internal["results"][0], gates=[{"gate": "evidence", "allows": "x", "reason": "prose"}])]
    )
    assert list(validator.iter_errors(broken)), "the schema must refuse what the tool does not write"


# ---------------------------------------------------------------- results.json as a contract


def test_results_json_reads_back_into_the_typed_results_it_was_written_from(tmp_path):
    """The one serialiser and its reader are inverses: written, read and written again, the same bytes (the
    example, whole and up to an earlier round)."""
    from readiness.scoring.results import read_results, results_json

    project, _ = load_project(REPO)
    written = results_json(score_project(project))
    again = read_results(written)
    assert results_json(again) == written
    assert again.get("2026-q3", "dabori").handover.since == ["dabori-reversion"]
    previewed = project.published("2026-q2")
    assert results_json(read_results(results_json(score_project(previewed)))) == results_json(score_project(previewed))


def test_an_older_results_json_is_upgraded_and_a_newer_one_refused():
    import json

    from readiness.scoring.results import SCHEMA_VERSION, ResultsFileError, read_results, results_json

    project, _ = load_project(REPO)
    data = json.loads(results_json(score_project(project)))
    data["schema_version"] = 3  # version 3 did not list the decisions since the cut-off
    for entry in data["results"]:
        if entry["handover"] is not None:
            del entry["handover"]["since"]
    old = read_results(json.dumps(data))
    assert all(r.handover is None or r.handover.since == [] for r in old.regions.values())
    for version in (SCHEMA_VERSION + 1, 2, None):
        data["schema_version"] = version
        with pytest.raises(ResultsFileError, match="readiness score"):
            read_results(json.dumps(data))
    with pytest.raises(ResultsFileError, match="not JSON"):
        read_results("{")


def test_the_published_schema_names_every_field_of_the_typed_results():
    """A field added to a result type without its place in the contract fails here (the schema is generated from
    the TypedDicts of readiness/scoring/contract.py, which name results.json's keys; the serialiser writes them
    field by field for speed)."""
    import dataclasses

    from readiness.scoring.contract import results_schema
    from readiness.scoring.results import HandoverState, IndicatorResult, RegionRound

    schema = results_schema()
    entry = schema["properties"]["results"]["items"]["properties"]
    renamed = {"score": "score_full", "rounded": "score"}  # results.json's names for the two scores
    assert {renamed.get(f.name, f.name) for f in dataclasses.fields(RegionRound)} == set(entry)
    indicator = entry["indicators"]["additionalProperties"]["properties"]
    assert {f.name for f in dataclasses.fields(IndicatorResult)} == set(indicator)
    handover = next(s for s in entry["handover"]["anyOf"] if s.get("type") == "object")["properties"]
    assert {f.name for f in dataclasses.fields(HandoverState)} | {"headline"} == set(handover)
