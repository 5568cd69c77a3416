"""The README keeps its promises: the commands CI runs, and the rule table."""

from __future__ import annotations

from readiness import rules
from readiness.rules import RULES
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
TEST_COMMAND = "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/pytest"


def test_ci_runs_the_readme_test_command():
    assert TEST_COMMAND in README
    assert TEST_COMMAND in (REPO / ".ci" / "run").read_text(encoding="utf-8")


def test_the_rule_table_is_the_catalogue_of_the_rules_package():
    """The "Rule codes" section holds the table that readiness/rules/ writes, verbatim. To regenerate it:
    .venv/bin/python -c "from readiness import rules; print(rules.catalogue_markdown(), end='')" """
    table = rules.catalogue_markdown()
    section = README.split("\n## Rule codes\n", 1)[1].split("\n## ", 1)[0]
    assert "\n" + table in section, "the README's rule table differs from rules.catalogue_markdown(): regenerate it"
    assert [line.split(" | ")[0].lstrip("| ") for line in table.splitlines()[2:]] == list(RULES)


def test_the_spreadsheet_layout_in_the_readme_is_the_contract_import_reads():
    from readiness.authoring.sheet import layout_markdown

    assert layout_markdown().strip() in README


def test_every_yaml_example_of_the_readme_follows_its_schema():
    """The README's YAML examples that name a schema (their first line) are valid files of that kind, as an
    editor with the schema would say: the tour stays true as the models change."""
    import jsonschema
    import yaml

    from readiness.schema import file_schema

    class DatesAsText(yaml.SafeLoader):
        """YAML as an editor validates it: a date stays text (the schema says `format: date`)."""

    DatesAsText.yaml_implicit_resolvers = {
        k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
        for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    blocks = [b.split("```", 1)[0] for b in README.split("```yaml\n")[1:]]
    checked = 0
    for block in blocks:
        first = block.splitlines()[0]
        if "$schema=" not in first:
            continue
        kind = first.rsplit("/", 1)[-1].removesuffix(".schema.json")
        jsonschema.validate(yaml.load(block, Loader=DatesAsText), file_schema(kind))
        checked += 1
    assert checked >= 3
