"""The catalogue written out: the README's table of rule codes and a reference page for the site."""

from __future__ import annotations

from collections.abc import Iterable

from ..i18n import say, speaking
from .base import Example, Rule


def catalogue_markdown(rules: Iterable[Rule]) -> str:
    """The table of the README's "Rule codes" section: code, name, severity and summary of every rule."""
    lines = ["| code | name | severity | what it catches |", "| --- | --- | --- | --- |"]
    lines += [f"| {r.code} | {r.name} | {r.severity.value} | {r.summary} |" for r in rules]
    return "\n".join(lines) + "\n"


def reference_markdown(rules: Iterable[Rule], lang: str = "en") -> str:
    """A Markdown page of every rule, in `lang`: its summary, what it catches, how to fix it, and its failing and
    passing examples as code blocks. The page's words, summaries and fixes come from the catalogues; the
    rule's longer description is its docstring, in English (marked so on a page in another language)."""
    with speaking(lang):
        out = [f"# {say('rules.title')}", "", say("rules_page.intro"), ""]
        for rule in rules:
            severity = say(f"rules_page.{rule.severity.value}")
            out += [f"## {rule.code} {rule.name}", "", f"*{severity}* — {rule.summary}", ""]
            description = rule.description()
            if description and lang == "en":
                out += [description, ""]
            elif description:
                out += [
                    f"*{say('rules_page.in_english')}*",
                    "",
                    '<div lang="en" markdown="1">',
                    "",
                    description,
                    "",
                    "</div>",
                    "",
                ]
            out += [f"**{say('rules_page.how_to_fix')}** {rule.fix}", ""]
            examples = rule.examples()
            for example in examples:
                out += [_heading(example, lang), "", f"```{example.language}", example.text.rstrip("\n"), "```", ""]
            if not examples and rule.no_example():
                out += [f'*{say("rules_page.no_example")}* <span lang="en">{rule.no_example()}</span>', ""]
    return "\n".join(out).rstrip("\n") + "\n"


def _heading(example: Example, lang: str) -> str:
    key = "reported_in" if example.how == "in" else "reported_as"
    text = say(f"rules_page.{key if example.verdict == 'fails' else 'not_' + key}", path=example.path)
    if not example.note:
        return f"{text}:" if lang == "en" else f"{text}{say('rules_page.colon')}"
    note = example.note if lang == "en" else f'<span lang="en">{example.note}</span>'
    return f"{text}; {note}:" if lang == "en" else f"{text} ({note}){say('rules_page.colon')}"
