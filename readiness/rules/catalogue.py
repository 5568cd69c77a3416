"""The catalogue written out: the README's table of rule codes and a reference page for the site."""

from __future__ import annotations

from collections.abc import Iterable

from .base import Example, Rule


def catalogue_markdown(rules: Iterable[Rule]) -> str:
    """The table of the README's "Rule codes" section: code, name, severity and summary of every rule."""
    lines = ["| code | name | severity | what it catches |", "| --- | --- | --- | --- |"]
    lines += [f"| {r.code} | {r.name} | {r.severity.value} | {r.summary} |" for r in rules]
    return "\n".join(lines) + "\n"


def reference_markdown(rules: Iterable[Rule]) -> str:
    """A Markdown page of every rule: its summary, what it catches, how to fix it, and its failing and passing
    examples as code blocks."""
    out = [
        "# Rules of `readiness check`",
        "",
        "Every problem `readiness check` reports names one of these rules. An error fails the check; a warning "
        "fails it only with `--strict`. Each example is written against a small project (two provinces of "
        'Lomara, two rounds of 2026): "in" a file shows the keys that differ, the rest of the file being as '
        'it was; "as" a file shows the whole file.',
        "",
    ]
    for rule in rules:
        out += [f"## {rule.code} {rule.name}", "", f"*{rule.severity.value}* — {rule.summary}", ""]
        description = rule.description()
        if description:
            out += [description, ""]
        out += [f"**How to fix:** {rule.fix}", ""]
        examples = rule.examples()
        for example in examples:
            out += [_heading(example), "", f"```{example.language}", example.text.rstrip("\n"), "```", ""]
        if not examples and rule.no_example():
            out += [f"*No example:* {rule.no_example()}", ""]
    return "\n".join(out).rstrip("\n") + "\n"


def _heading(example: Example) -> str:
    verdict = "Reported" if example.verdict == "fails" else "Not reported"
    where = (
        f"in `{example.path}` (the rest of the file as it is)"
        if example.how == "in"
        else f"the whole of `{example.path}`"
    )
    note = f"; {example.note}" if example.note else ""
    return f"{verdict}, {where}{note}:"
