"""The CI and pre-commit files `readiness init` writes: their structure, what the pre-commit hooks watch, where
CI installs readiness from (a pinned source, never a bare name), and, the key test, the generated CI steps run
for real in a fresh virtual environment."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from readiness.authoring import source as src
from readiness.authoring.scaffold import init_project, quarter
from readiness.authoring.source import ToolSourceError, derive_tool_source, parse_tool_source
from readiness.project import load_project
from tests.conftest import REPO, run

SHA = "0123456789abcdef0123456789abcdef01234567"
HASH = "ab" * 32
PINNED = f"readiness @ git+https://example.org/team/readiness.git@{SHA}"
HAS_GIT = shutil.which("git") is not None


def init(target: Path, tool_source: str | None = PINNED, **kwargs: Any):
    return init_project(target, date.today(), tool_source=tool_source, **kwargs)


def workflows(project: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    github = yaml.safe_load((project / ".github" / "workflows" / "readiness.yml").read_text(encoding="utf-8"))
    gitlab = yaml.safe_load((project / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    return github, gitlab


def option(command: str, name: str, default: str | None = None) -> str | None:
    args = shlex.split(command)
    return args[args.index(name) + 1] if name in args else default


def steps_running(steps: list[dict[str, Any]], *words: str) -> list[int]:
    return [i for i, s in enumerate(steps) if "run" in s and all(w in shlex.split(s["run"]) for w in words)]


def steps_using(steps: list[dict[str, Any]], action: str) -> list[int]:
    return [i for i, s in enumerate(steps) if str(s.get("uses", "")).split("@")[0] == action]


# ---------------------------------------------------------------- (a) the workflows' structure


def test_the_github_workflow_uploads_the_sarif_it_writes_and_keeps_the_annotations(tmp_path):
    init(tmp_path / "m")
    github, _ = workflows(tmp_path / "m")
    job = github["jobs"]["check-and-build"]
    assert github["permissions"] == {"contents": "read"}  # nothing else for any other job
    assert job["permissions"]["security-events"] == "write" and job["permissions"]["contents"] == "read"
    steps = job["steps"]

    [sarif] = steps_running(steps, "readiness", "check", "sarif")
    [annotations] = steps_running(steps, "readiness", "check", "github")
    [upload] = steps_using(steps, "github/codeql-action/upload-sarif")
    written = option(steps[sarif]["run"], "--out") or option(steps[sarif]["run"], "-o")
    assert written and steps[upload]["with"]["sarif_file"] == written
    assert steps[upload]["uses"] == "github/codeql-action/upload-sarif@v3"

    # the SARIF report is written first, whatever the annotations step then does; the annotations still appear
    # when the SARIF step found problems, and the upload runs even when the check failed
    assert sarif < annotations < upload
    assert "if" not in steps[sarif] or "always()" in steps[sarif]["if"]
    assert "!cancelled()" in steps[annotations]["if"] or "always()" in steps[annotations]["if"]
    condition = steps[upload]["if"]
    assert condition.startswith("always()")
    assert "github.event.pull_request.head.repo.full_name == github.repository" in condition  # forks: no token
    assert "steps.sarif.outcome != 'skipped'" in condition and steps[sarif]["id"] == "sarif"
    # the report is written in a fresh folder of the runner, outside the checkout: a pull request cannot put a
    # link at its name (see test_a_committed_link_at_the_report_name_is_replaced_not_written_through)
    assert written.startswith("${{ runner.temp }}/")
    assert steps[upload]["continue-on-error"] is True  # no code scanning (a private repository): not a failure
    install = [i for i, s in enumerate(steps) if s.get("run") == "pip install -r requirements.txt"]
    assert install and install[0] < sarif
    assert steps[annotations]["if"].count(f"steps.{steps[install[0]]['id']}.outcome == 'success'") == 1

    # the artifact is the site the build step writes
    [build] = steps_running(steps, "readiness", "build")
    [artifact] = steps_using(steps, "actions/upload-artifact")
    assert option(steps[build]["run"], "--out", "build/site") == steps[artifact]["with"]["path"] == "build/site"
    assert build < artifact and "if" not in steps[build]  # no site is published from a failed check


def test_the_gitlab_pipeline_reports_what_its_steps_write(tmp_path):
    init(tmp_path / "m")
    _, gitlab = workflows(tmp_path / "m")
    [check] = [line for line in gitlab["check"]["script"] if line.startswith("readiness check")]
    assert gitlab["check"]["artifacts"]["reports"]["junit"] == option(check, "--out")
    # GitLab reads reports only inside the checkout: whatever a commit put at that name is deleted first
    script = gitlab["check"]["script"]
    assert script.index(f"rm -f {option(check, '--out')}") < script.index(check)
    assert gitlab["check"]["artifacts"]["when"] == "always"
    [build] = [line for line in gitlab["build"]["script"] if line.startswith("readiness build")]
    assert gitlab["build"]["artifacts"]["paths"] == [option(build, "--out", "build/site")]
    for job in ("check", "build"):
        assert gitlab[job]["script"][0] == "pip install -r requirements.txt"


def test_requirements_pin_the_source_and_say_where_it_came_from(tmp_path):
    result = init(tmp_path / "m")
    text = (tmp_path / "m" / "requirements.txt").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    assert lines == [PINNED]
    assert "given with --tool-source" in text and "--tool-source" in text and "sha256" in text
    assert result.source.requirement == PINNED and result.warnings == []
    assert tmp_path / "m" / "requirements.txt" in result.files and len(result) == len(result.files)


# ---------------------------------------------------------------- (b) the pre-commit hooks watch every file read


def checked_files(root: Path) -> list[str]:
    """Every file `readiness check` reads: what the project loader found (indicators/, assessments/ with
    regions.geojson, scenarios/), and the site's files (site/**, mkdocs.yml)."""
    project, _ = load_project(root)
    site = [p.relative_to(root).as_posix() for p in (root / "site").rglob("*") if p.is_file()]
    return sorted(set(project.files) | set(site) | {"mkdocs.yml"})


def hook_patterns(project: Path) -> dict[str, str]:
    generated = yaml.safe_load((project / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    ours = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = generated["repos"][0]["hooks"][0]
    if generated["repos"][0]["repo"] != "local":  # readiness's own repository: its .pre-commit-hooks.yaml
        assert hook == {"id": ours[0]["id"]} and generated["repos"][0]["rev"]
        hook = ours[0]
    hooks = {"generated .pre-commit-config.yaml": hook, ".pre-commit-hooks.yaml": ours[0]}
    for where, hook in hooks.items():
        assert hook["pass_filenames"] is False, where
        assert hook["entry"] == "readiness check", where
    return {where: hook["files"] for where, hook in hooks.items()}


NOT_READ = [
    "README.md",
    "build/site/index.html",
    "build/",
    "schemas/assessment.schema.json",
    "requirements.txt",
    ".github/workflows/readiness.yml",
    ".gitlab-ci.yml",
    "docs/indicators/x.yaml",
    "mkdocs.yml.bak",
    "old-mkdocs.yml",
    "sites/x.md",
    "scenarios.yaml",
    "tests/data/site/about.md",
]


@pytest.mark.parametrize("which", ["example", "init"])
def test_the_pre_commit_hooks_run_on_every_file_the_check_reads(tmp_path, which):
    init(tmp_path / "m")
    root = REPO if which == "example" else tmp_path / "m"
    read = checked_files(root)
    for prefix in ("indicators/", "assessments/", "site/"):
        assert any(f.startswith(prefix) for f in read), prefix
    assert "mkdocs.yml" in read and "assessments/regions.yaml" in read
    if which == "example":  # the example has all of them
        assert "assessments/regions.geojson" in read and any(f.startswith("scenarios/") for f in read)
    else:  # a new project's first scenario and map are files the hook must watch too
        read += ["scenarios/what-if.yaml", "assessments/regions.geojson", "site/img/logo.png"]
    for where, pattern in hook_patterns(tmp_path / "m").items():
        missed = [f for f in read if not re.search(pattern, f)]  # pre-commit uses re.search
        assert not missed, f"{where}: files: {pattern} skips {missed}"
        wrongly = [f for f in NOT_READ if re.search(pattern, f)]
        assert not wrongly, f"{where}: files: {pattern} also runs on {wrongly}"


# ---------------------------------------------------------------- (d) where CI installs readiness from


class FakeDist:
    """A distribution's metadata as importlib.metadata gives it: direct_url.json, and METADATA (with the
    project's URLs, when `repository` is given)."""

    def __init__(self, record: dict[str, Any] | None, repository: str | None = None) -> None:
        self.record = record
        self.repository = repository

    def read_text(self, filename: str) -> str | None:
        assert filename in ("direct_url.json", "METADATA")
        if filename == "METADATA":
            return f"Name: readiness\nProject-URL: Repository, {self.repository}\n" if self.repository else None
        return None if self.record is None else json.dumps(self.record)


def git(cwd: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    return subprocess.run(
        ["git", "-C", str(cwd), *args], check=True, capture_output=True, text=True, env=env
    ).stdout.strip()


def checkout(path: Path) -> str:
    """A git repository with one commit of a tiny package; its HEAD commit."""
    (path / "readiness").mkdir(parents=True)
    (path / "pyproject.toml").write_text("[project]\nname = 'readiness'\nversion = '0'\n", encoding="utf-8")
    (path / "readiness" / "__init__.py").write_text("", encoding="utf-8")
    git(path, "init", "-q")
    git(path, "add", "-A")
    git(path, "commit", "-q", "-m", "one")
    return git(path, "rev-parse", "HEAD")


def local(path: Path, editable: bool = True, repository: str | None = None) -> FakeDist:
    return FakeDist({"url": path.as_uri(), "dir_info": {"editable": editable} if editable else {}}, repository)


def test_a_vcs_install_is_pinned_to_its_commit():
    dist = FakeDist(
        {
            "url": "https://github.com/team/readiness.git",
            "vcs_info": {"vcs": "git", "commit_id": SHA, "requested_revision": "main"},
        }
    )
    source = derive_tool_source(dist)
    assert source.requirement == f"readiness @ git+https://github.com/team/readiness.git@{SHA}"
    assert source.warnings == () and "github.com/team/readiness" in source.origin
    sub = FakeDist(
        {
            "url": "ssh://git@example.org/mono.git",
            "subdirectory": "tools/readiness",
            "vcs_info": {"vcs": "git", "commit_id": SHA},
        }
    )
    assert (
        derive_tool_source(sub).requirement
        == f"readiness @ git+ssh://git@example.org/mono.git@{SHA}#subdirectory=tools/readiness"
    )
    with pytest.raises(ToolSourceError, match="--tool-source"):
        derive_tool_source(FakeDist({"url": "https://hg.example.org/r", "vcs_info": {"vcs": "hg", "commit_id": SHA}}))


def test_an_archive_install_is_pinned_to_its_hash():
    url = "https://files.example.org/readiness-0.1.0.tar.gz"
    new = FakeDist({"url": url, "archive_info": {"hashes": {"sha256": HASH}, "hash": f"sha256={HASH}"}})
    assert derive_tool_source(new).requirement == f"readiness @ {url}#sha256={HASH}"
    old = FakeDist({"url": url, "archive_info": {"hash": f"sha256={HASH}"}})  # PEP 610's older key
    assert derive_tool_source(old).requirement == f"readiness @ {url}#sha256={HASH}"
    with pytest.raises(ToolSourceError, match="no sha256"):
        derive_tool_source(FakeDist({"url": url, "archive_info": {}}))
    wheel = FakeDist(
        {"url": "file:///tmp/readiness-0.1.0-py3-none-any.whl", "archive_info": {"hashes": {"sha256": HASH}}}
    )
    assert src.LOCAL_WARNING in derive_tool_source(wheel).warnings


@pytest.mark.skipif(not HAS_GIT, reason="git is not installed")
@pytest.mark.parametrize("editable", [True, False])
def test_a_local_git_checkout_is_pinned_to_its_head_commit(tmp_path, editable):
    head = checkout(tmp_path / "tool")
    source = derive_tool_source(local(tmp_path / "tool", editable))
    assert source.requirement == f"readiness @ git+file://localhost{(tmp_path / 'tool').resolve()}@{head}"
    assert source.warnings == (src.LOCAL_WARNING,)  # no remote: a path on this machine

    git(tmp_path / "tool", "remote", "add", "origin", "https://user:s3cret@example.org/team/readiness.git")
    source = derive_tool_source(local(tmp_path / "tool", editable))
    assert source.requirement == f"readiness @ git+https://example.org/team/readiness.git@{head}"
    assert "s3cret" not in source.requirement and "user" not in source.requirement
    assert [w for w in source.warnings if "push it" in w]  # the commit is on no fetched branch of origin

    git(tmp_path / "tool", "remote", "set-url", "origin", "git@example.org:team/readiness.git")
    (tmp_path / "tool" / "readiness" / "__init__.py").write_text("changed = True\n", encoding="utf-8")
    source = derive_tool_source(local(tmp_path / "tool", editable))
    assert source.requirement == f"readiness @ git+ssh://git@example.org/team/readiness.git@{head}"
    assert [w for w in source.warnings if "uncommitted changes" in w and head[:12] in w]


@pytest.mark.skipif(not HAS_GIT, reason="git is not installed")
def test_a_checkout_ci_cannot_reach_is_pinned_to_the_same_commit_where_readiness_is_published(tmp_path):
    """Issue 26: requirements.txt pinned git+file:// of the clone's origin, which no CI runner can reach. A
    checkout on this machine (no remote, or a remote that is a path) is pinned to its commit in the repository
    pyproject.toml publishes (project.urls), with a warning to push it."""
    head = checkout(tmp_path / "tool")
    published = "https://example.org/team/readiness"
    source = derive_tool_source(local(tmp_path / "tool", repository=published))
    assert source.requirement == f"readiness @ git+{published}@{head}"
    assert not source.local and [w for w in source.warnings if "push it" in w and published in w]
    assert "file:" not in source.requirement
    git(tmp_path / "tool", "remote", "add", "origin", str(tmp_path / "elsewhere"))  # a clone's origin: a path
    assert derive_tool_source(local(tmp_path / "tool", repository=published)).requirement.startswith(
        f"readiness @ git+{published}@"
    )
    # this very checkout, installed as the README says: the URL of its own pyproject.toml
    from readiness.authoring.source import published_repository

    assert published_repository() == "https://github.com/readiness-project/readiness"


@pytest.mark.skipif(not HAS_GIT, reason="git is not installed")
def test_a_package_in_a_subfolder_of_a_checkout_names_the_subdirectory(tmp_path):
    head = checkout(tmp_path / "mono")
    (tmp_path / "mono" / "tools").mkdir()
    git(tmp_path / "mono", "mv", "readiness", "pyproject.toml", "tools/")
    git(tmp_path / "mono", "commit", "-q", "-m", "move")
    head = git(tmp_path / "mono", "rev-parse", "HEAD")
    source = derive_tool_source(local(tmp_path / "mono" / "tools"))
    assert source.requirement.endswith(f"@{head}#subdirectory=tools")


def test_a_directory_that_is_not_a_git_checkout_is_refused(tmp_path):
    (tmp_path / "plain").mkdir()
    with pytest.raises(ToolSourceError, match="not a git checkout.*--tool-source"):
        derive_tool_source(local(tmp_path / "plain"))


def test_an_index_install_is_refused_with_what_to_pass_instead(tmp_path, monkeypatch):
    with pytest.raises(ToolSourceError, match="package index.*--tool-source"):
        derive_tool_source(FakeDist(None))
    # the whole of init: refused before anything is written
    monkeypatch.setattr(src.metadata, "distributions", lambda **_: iter([FakeDist(None)]))
    with pytest.raises(ToolSourceError, match="--tool-source"):
        init(tmp_path / "m", tool_source=None)
    assert not (tmp_path / "m").exists()


def test_the_running_install_is_pinned_to_this_checkout():
    records = [d.read_text("direct_url.json") for d in src.metadata.distributions(name="readiness")]
    record = json.loads(next((r for r in records if r), None) or "{}")
    if "dir_info" not in record or not HAS_GIT or not (REPO / ".git").exists():
        pytest.skip("readiness is not installed from this git checkout")
    head = git(REPO, "rev-parse", "HEAD")
    source = derive_tool_source()
    assert source.requirement.startswith("readiness @ git+") and source.requirement.endswith(f"@{head}")


@pytest.mark.parametrize(
    "spec",
    [
        "readiness",
        "readiness==0.1.0",
        "readiness>=0.1,<1",
        "  readiness ",
        "readiness @ readiness==0.1.0",
        "git+https://example.org/r.git",
        "git+https://example.org/r.git@main",
        "git+https://example.org/r.git@v1.0",
        f"git+https://example.org/r.git@{SHA[:12]}",
        f"git+http://example.org/r.git@{SHA}",
        f"git+git://example.org/r.git@{SHA}",
        f"git+https://tok@example.org/r.git@{SHA}",
        "https://example.org/readiness-0.1.0.tar.gz",
        f"http://example.org/readiness-0.1.0.tar.gz#sha256={HASH}",
        f"https://example.org/readiness-0.1.0.tar.gz#md5={HASH[:32]}",
        f"https://u:p@example.org/r.tar.gz#sha256={HASH}",
        f"other @ git+https://example.org/r.git@{SHA}",
        f"git+https://example.org/r.git@{SHA}\n--index-url https://evil",
        f"readiness @ git+https://example.org/r.git@{SHA} ; python_version > '3'",
        "",
    ],
)
def test_a_source_that_is_not_pinned_is_refused(tmp_path, spec):
    with pytest.raises(ToolSourceError):
        parse_tool_source(spec)
    with pytest.raises(ToolSourceError):
        init(tmp_path / "m", tool_source=spec)
    assert not (tmp_path / "m").exists()


def test_a_bare_name_is_refused_with_the_reason():
    with pytest.raises(ToolSourceError, match="anyone can register the name.*--tool-source"):
        parse_tool_source("readiness==0.1.0")


@pytest.mark.parametrize(
    "spec,requirement",
    [
        (f"git+https://example.org/r.git@{SHA.upper()}", f"readiness @ git+https://example.org/r.git@{SHA}"),
        (f"readiness@git+ssh://git@example.org/r.git@{SHA}", f"readiness @ git+ssh://git@example.org/r.git@{SHA}"),
        (
            f"Readiness @ git+file:///srv/r@{SHA}#subdirectory=py",
            f"readiness @ git+file://localhost/srv/r@{SHA}#subdirectory=py",
        ),  # pip wants a host
        (
            f"https://example.org/r-0.1.tar.gz#sha256={HASH}",
            f"readiness @ https://example.org/r-0.1.tar.gz#sha256={HASH}",
        ),
    ],
)
def test_a_pinned_source_is_normalised(spec, requirement):
    assert parse_tool_source(spec) == requirement


def test_a_source_on_this_machine_comes_with_a_warning(tmp_path):
    result = init(tmp_path / "m", tool_source=f"git+file:///srv/readiness@{SHA}")
    assert result.warnings == [src.LOCAL_WARNING] and "--tool-source" in result.warnings[0]


# ---------------------------------------------------------------- (c) the generated CI, run for real


def run_step(command: str, cwd: Path, env: dict[str, str], timeout: float = 900) -> subprocess.CompletedProcess:
    """A run: or script: line as the CI runner runs it (GitHub's `${{ runner.temp }}` is RUNNER_TEMP)."""
    return subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", github_expressions(command, env)],
        cwd=cwd,
        env=env,
        check=False,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def github_expressions(text: str, env: dict[str, str]) -> str:
    """The `${{ runner.temp }}` of a workflow, as the runner fills it in."""
    return text.replace("${{ runner.temp }}", env["RUNNER_TEMP"])


@pytest.fixture(scope="module")
def ci_venv(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """One fresh virtual environment for the module, and the environment CI steps run in: its bin/ first on
    PATH, nothing of this test run's own environment or source tree."""
    venv = tmp_path_factory.mktemp("ci") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True, timeout=300)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"
    env["VIRTUAL_ENV"] = str(venv)
    env["RUNNER_TEMP"] = str(tmp_path_factory.mktemp("runner-temp"))
    return venv, env


def assert_installed_from(venv: Path, env: dict[str, str], cwd: Path, head: str) -> None:
    assert shutil.which("readiness", path=env["PATH"]) == str(venv / "bin" / "readiness")
    probe = run_step(
        "python -c 'import json, readiness; from importlib.metadata import distribution; "
        'print(json.dumps([readiness.__file__, json.loads(distribution("readiness")'
        '.read_text("direct_url.json"))]))\'',
        cwd,
        env,
    )
    assert probe.returncode == 0, probe.stderr
    module, record = json.loads(probe.stdout)
    assert Path(module).is_relative_to(venv), module  # installed into the venv, not this checkout
    assert record["url"] in (REPO.as_uri(), f"file://localhost{REPO}"), record
    assert record["vcs_info"]["commit_id"] == head, record


@pytest.mark.slow
@pytest.mark.skipif(not HAS_GIT or not (REPO / ".git").exists(), reason="needs git and the tool's git checkout")
def test_the_generated_ci_steps_pass_then_fail_on_a_mistake(ci_venv, tmp_path):
    venv, env = ci_venv
    head = git(REPO, "rev-parse", "HEAD")
    project = tmp_path / "mission"
    init(project, tool_source=f"git+{REPO.as_uri()}@{head}")  # this checkout, pinned to its HEAD commit
    assert (project / "requirements.txt").read_text(encoding="utf-8").splitlines()[
        -1
    ] == f"readiness @ git+file://localhost{REPO}@{head}"
    github, gitlab = workflows(project)
    steps = github["jobs"]["check-and-build"]["steps"]

    def run_all(commands: list[str]) -> None:
        for command in commands:
            done = run_step(command, project, env)
            assert done.returncode == 0, f"{command!r} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
            if command.startswith("pip install"):
                assert_installed_from(venv, env, project, head)

    # GitHub Actions: every run: step in order; the uses: steps read what the run: steps wrote
    run_all([s["run"] for s in steps if "run" in s])
    for step in (s for s in steps if "uses" in s):
        action = step["uses"].split("@")[0]
        if action == "github/codeql-action/upload-sarif":
            written = Path(github_expressions(step["with"]["sarif_file"], env))
            assert not written.is_relative_to(project)
            report = json.loads(written.read_text(encoding="utf-8"))
            assert report["version"] == "2.1.0" and report["runs"][0]["results"] == []
        elif action == "actions/upload-artifact":
            assert (project / step["with"]["path"] / "index.html").is_file()
        elif action == "actions/setup-python":
            assert tuple(map(int, str(step["with"]["python-version"]).split("."))) >= (3, 11)
        else:
            assert action == "actions/checkout" and "with" not in step, step

    # GitLab CI: every script: line of every job, in stage order; the artifacts are what they wrote
    shutil.rmtree(project / "build")
    for job in ("check", "build"):
        run_all(gitlab[job]["script"])
    assert "<testsuite" in (project / gitlab["check"]["artifacts"]["reports"]["junit"]).read_text(encoding="utf-8")
    for path in gitlab["build"]["artifacts"]["paths"]:
        assert (project / path / "index.html").is_file()

    checks = [s["run"] for s in steps if "run" in s and s["run"].startswith("readiness check")]
    checks += [line for line in gitlab["check"]["script"] if line.startswith("readiness check")]
    builds = [s["run"] for s in steps if "run" in s and s["run"].startswith("readiness build")]

    # a round opened and being collected for weeks: every check and build step stays green
    cutoff = date.fromisoformat(
        str(yaml.safe_load((project / "assessments" / "rounds.yaml").read_text(encoding="utf-8"))["rounds"][-1]["date"])
    )
    next_id, next_cutoff = quarter(cutoff + timedelta(days=1))
    opened = run_step(f"readiness new-round {next_id} --date {next_cutoff.isoformat()}", project, env)
    assert opened.returncode == 0, opened.stdout + opened.stderr
    for command in checks + builds:
        done = run_step(command, project, env)
        assert done.returncode == 0, (
            f"while collecting, {command!r} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
        )
    # ... and turns red on a real mistake in what was entered
    collecting = project / "assessments" / next_id / "capital.yaml"
    text = collecting.read_text(encoding="utf-8")
    collecting.write_text(
        re.sub(r"(  HR-03:\n(?:    #.*\n)*)    value:\n", r"\1    value: 140\n", text, count=1), encoding="utf-8"
    )
    assert collecting.read_text(encoding="utf-8") != text
    for command in checks:
        done = run_step(command, project, env)
        assert done.returncode == 1, f"{command!r} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    collecting.write_text(text, encoding="utf-8")

    # a real mistake in an assessment: every check step fails, and the reports name the file
    [assessment] = sorted((project / "assessments").glob("*/capital.yaml"))[:1]
    rel = assessment.relative_to(project).as_posix()
    text = assessment.read_text(encoding="utf-8")
    assessment.write_text(re.sub(r"(HR-03:\n\s+value:) \d+", r"\1 about ninety", text, count=1), encoding="utf-8")
    assert assessment.read_text(encoding="utf-8") != text
    assert len(checks) == 3
    for command in checks:
        done = run_step(command, project, env)
        assert done.returncode == 1, f"{command!r} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    [upload] = steps_using(steps, "github/codeql-action/upload-sarif")
    sarif = json.loads(Path(github_expressions(steps[upload]["with"]["sarif_file"], env)).read_text(encoding="utf-8"))
    assert any(
        loc["physicalLocation"]["artifactLocation"]["uri"] == rel
        for result in sarif["runs"][0]["results"]
        for loc in result["locations"]
    )
    annotations = run_step("readiness check --format github", project, env).stdout
    assert f"::error file={rel}" in annotations


# ---------------------------------------------------------------- a new repository, ready to commit (issue 26)


@pytest.mark.slow
@pytest.mark.skipif(not HAS_GIT or not (REPO / ".git").exists(), reason="needs git and the tool's git checkout")
def test_a_fresh_init_commits_on_main_with_the_pre_commit_hook_installed_by_pre_commit(tmp_path):
    """`readiness init` starts a git repository on `main` (the branch its CI runs on); its .pre-commit-config.yaml
    names readiness's own hook (.pre-commit-hooks.yaml), pinned to the commit CI installs, so that after
    `pre-commit install` a commit runs `readiness check` from an environment pre-commit made itself: nothing of
    readiness is on the PATH. A commit of a broken file is refused."""
    head = git(REPO, "rev-parse", "HEAD")
    project = tmp_path / "mission"
    result = run("init", str(project), "--tool-source", f"git+{REPO.as_uri()}@{head}")
    assert result.exit_code == 0, result.output
    assert "branch main" in result.output
    assert git(project, "symbolic-ref", "--short", "HEAD") == "main"
    config = yaml.safe_load((project / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert config["repos"][0]["rev"] == head and config["repos"][0]["hooks"] == [{"id": "readiness-check"}]
    pre_commit = shutil.which("pre-commit") or str(Path(sys.executable).parent / "pre-commit")
    env = {
        "PATH": "/usr/bin:/bin",  # no readiness, no virtual environment
        "HOME": str(tmp_path / "home"),
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-cache"),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        **{k: v for k, v in os.environ.items() if k.startswith(("PIP_", "UV_")) or k in ("LANG", "LC_ALL")},
    }
    (tmp_path / "home").mkdir()

    def step(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(args, cwd=project, env=env, capture_output=True, text=True, timeout=900, check=False)

    installed = step(pre_commit, "install")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert step("git", "add", "-A").returncode == 0
    committed = step("git", "commit", "-qm", "A new mission")
    assert committed.returncode == 0, committed.stdout + committed.stderr
    assert "readiness check" in committed.stdout + committed.stderr and "Passed" in committed.stdout + committed.stderr
    broken = next((project / "assessments").rglob("*.yaml"))
    broken.write_text(broken.read_text(encoding="utf-8") + "nonsense: [\n", encoding="utf-8")
    assert step("git", "add", "-A").returncode == 0
    refused = step("git", "commit", "-qm", "A broken file")
    assert refused.returncode != 0 and "Failed" in refused.stdout + refused.stderr


def test_documents_on_a_new_mission_say_what_each_missing_document_needs(tmp_path):
    """A new mission has no register yet: `documents` writes what it can (the annex of the benchmarks init
    starts with, the gap list) and says what the others need and where they go."""
    init(tmp_path / "m")
    result = run("documents", "-p", str(tmp_path / "m"))
    assert result.exit_code == 0, result.output
    assert "benchmark-annex.en.docx" in result.output and "gap-list.en.docx" in result.output
    assert "no transition paragraph" in result.output and "handover/mandate.yaml" in result.output
    assert "no handover certificate" in result.output and "handover/decisions/" in result.output
