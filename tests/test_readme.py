"""The README keeps its promises: the commands CI runs, and the rule table."""

from __future__ import annotations

from readiness.diagnostics import RULES
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
TEST_COMMAND = "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/pytest"


def test_ci_runs_the_readme_test_command():
    assert TEST_COMMAND in README
    assert TEST_COMMAND in (REPO / ".ci" / "run").read_text(encoding="utf-8")


def test_every_rule_is_documented_in_the_readme():
    for rule in RULES.values():
        assert f"| {rule.code} | {rule.name} | {rule.severity.value} | {rule.summary} |" in README


def test_the_spreadsheet_layout_in_the_readme_is_the_contract_import_reads():
    from readiness.authoring.sheet import layout_markdown

    assert layout_markdown().strip() in README
