"""The rules package: each rule's docstring examples hold, the runner stamps codes, the catalogue is one place.

Every rule's docstring gives a failing and a passing example (readiness/rules/README.md says how they are
written). Each is laid over the corpus's valid project (tests/corpus/base): `Fails, as PATH:` writes the snippet
as the whole file PATH (added, or replacing base's), `Fails, in PATH:` lays the snippet's keys over base's
PATH (a mapping merges key by key; any other value replaces). `readiness check` must then report the rule for a
failing example, and must not for a passing one.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from readiness import rules
from readiness.diagnostics import Severity
from readiness.project import load_project
from readiness.rules import RULES
from readiness.rules.base import ERROR, WARNING, Context, Example, Problem, Rule, at, in_file
from readiness.rules.runner import run
from tests.test_corpus import BASE, _describe, run_check

#: Rules without examples, each with the reason (their docstrings say it too, after `No example:`).
EXEMPT: dict[str, str] = {
    "P001": "triggered by a missing file, a folder named like a file, a link or an unreadable file",
    "Y002": "triggered by bytes that are not UTF-8 text, which a text snippet cannot hold",
    "J004": "needs a round still collecting and a condition met at it: two files where a snippet changes one",
}


def _examples() -> list[Any]:
    return [
        pytest.param(rule, example, id=f"{rule.code}-{example.verdict}-{i}")
        for rule in rules.ALL
        for i, example in enumerate(rule.examples())
    ]


def _merge(target: Any, patch: Any) -> None:
    for key, value in patch.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge(target[key], value)
        else:
            target[key] = value


def lay_over(example: Example, root: Path) -> None:
    """Write an example into the project at `root`."""
    target = root / example.path
    if example.how == "as":
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(example.text, encoding="utf-8")
        return
    yaml = YAML()  # round trip: quotes, flow style and unquoted text such as `NO` or `85%` stay as written
    yaml.preserve_quotes = True
    data = yaml.load(target.read_text(encoding="utf-8"))
    _merge(data, yaml.load(example.text))
    out = io.StringIO()
    yaml.dump(data, out)
    target.write_text(out.getvalue(), encoding="utf-8")


def test_every_rule_has_a_failing_and_a_passing_example_or_says_why_not() -> None:
    for rule in rules.ALL:
        verdicts = {example.verdict for example in rule.examples()}
        if rule.code in EXEMPT:
            assert not verdicts, f"{rule.code} is exempt but has examples: remove it from EXEMPT"
            assert rule.no_example(), f"{rule.code}: say why there is no example, after `No example:`"
        else:
            assert verdicts == {"fails", "passes"}, f"{rule.code} needs a `Fails, ...` and a `Passes, ...` example"
            assert not rule.no_example(), f"{rule.code} has examples, yet says `No example:`"
    assert set(EXEMPT) <= set(RULES)


def test_examples_name_files_of_the_project() -> None:
    for rule in rules.ALL:
        for example in rule.examples():
            assert not example.path.startswith(("/", "..")), f"{rule.code}: {example.path} leaves the project"
            if example.how == "in":
                assert (BASE / example.path).is_file(), f"{rule.code}: `in {example.path}`, which base does not have"
                assert isinstance(YAML().load(example.text), dict), f"{rule.code}: an `in` snippet is a mapping"


@pytest.mark.parametrize(("rule", "example"), _examples())
def test_example(rule: Rule, example: Example, tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(BASE, project)
    lay_over(example, project)
    _, output, report = run_check(project, "--strict")
    assert report is not None, f"the output is not JSON:\n{output}"
    found = report["diagnostics"]
    mine = [d for d in found if d["code"] == rule.code]
    if example.verdict == "fails":
        assert mine, f"{rule.code} is not reported for its failing example; got:\n{_describe(found)}"
        assert all(d["severity"] == rule.severity.value for d in mine)
    else:
        assert not mine, f"{rule.code} is reported for its passing example:\n{_describe(mine)}"
        assert not found, f"the passing example of {rule.code} does not check clean:\n{_describe(found)}"


def test_the_catalogue_is_the_package() -> None:
    assert list(RULES) == [r.code for r in rules.ALL]
    for rule in rules.ALL:
        assert RULES[rule.code] == rule.entry()
        assert rule.code[0] in rules.FAMILIES and rule.summary and rule.fix and rule.description()
        assert rule.severity in (Severity.ERROR, Severity.WARNING)
    assert [r.code for r in rules.ALL] == sorted(RULES, key=lambda c: (rules.FAMILIES.index(c[0]), c))


class _Stamped(Rule):
    """A rule for this test only: one problem at an object, one at a file."""

    code = "O002"
    name = "test-rule"
    severity = WARNING
    summary = "A test."
    fix = "None."
    needs_framework = False

    def check(self, ctx: Context) -> list[Problem]:
        return [
            at("indicator", "HR-01", ("weight",), "at an object", "a hint"),
            in_file("site/about.md", (3, 1), "at a file"),
        ]


def test_the_runner_stamps_the_rule_s_code_and_severity() -> None:
    project, _ = load_project(BASE)
    found = run(project, [_Stamped()])
    assert [(d.code, d.severity, d.file, d.line, d.message, d.hint) for d in found] == [
        ("O002", WARNING, "indicators/hr/HR-01.yaml", 7, "at an object", "a hint"),
        ("O002", WARNING, "site/about.md", 3, "at a file", ""),
    ]
    assert ERROR is Severity.ERROR


def test_a_rule_that_needs_the_framework_is_not_run_without_it() -> None:
    project, _ = load_project(BASE)
    project.framework = None
    assert run(project, [_Stamped()]) != []
    _Stamped.needs_framework = True
    try:
        assert run(project, [_Stamped()]) == []
    finally:
        _Stamped.needs_framework = False


def test_the_reference_page_shows_every_rule_with_its_fix_and_examples() -> None:
    page = rules.reference_markdown()
    for rule in rules.ALL:
        assert f"## {rule.code} {rule.name}\n" in page
        assert rule.fix in page
        for example in rule.examples():
            assert f"```{example.language}\n{example.text}```" in page
        if rule.code in EXEMPT:
            assert rule.no_example() in page


@pytest.mark.slow
def test_the_site_publishes_the_rules_reference_in_every_language(example_sites):
    """The rules page of the site is in the page's language: the page's words and each rule's summary and fix
    from the catalogues; a rule's longer description (its docstring) marked English on a French site."""
    import html

    from readiness.rules import RULES

    site = example_sites / "internal"  # the example's site, built once for the session
    english = html.unescape((site / "rules.html").read_text(encoding="utf-8"))
    french = html.unescape((site / "fr" / "rules.html").read_text(encoding="utf-8"))
    for rule in RULES.values():
        assert f"{rule.code} {rule.name}" in english and f"{rule.code} {rule.name}" in french
    assert "Rules of readiness check" in english and "Règles de readiness check" in french
    from selectolax.lexbor import LexborHTMLParser

    from readiness.i18n import speaking

    def words(text: str) -> str:
        return " ".join(text.replace("`", "").replace("\u00a0", " ").replace("\u202f", " ").split())

    page = words(LexborHTMLParser(french).body.text(separator=""))  # type: ignore[union-attr]
    for rule in RULES.values():
        with speaking("fr"):
            summary = rule.summary
        assert summary != rule.summary, rule.code  # translated
        assert words(summary) in page, rule.code
    assert "Correction" in french and "How to fix" not in french
    assert '<div lang="en">' in french and "provinces of Lomara" not in french and "projet de test" in french
