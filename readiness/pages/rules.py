"""The rules page: every rule of `readiness check`, with what it catches, how to fix it and its examples, as the
rules document themselves (`readiness.rules.reference_markdown`), in the page's language (the summaries, fixes
and the page's words from the catalogues; a rule's longer description, from its docstring, in English)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class RulesPage:
    pages: dict[str, str] = field(default_factory=dict)
    """The reference as Markdown, by language, written on first use."""

    def markdown(self, lang: str) -> str:
        if lang not in self.pages:
            from ..rules import reference_markdown

            self.pages[lang] = reference_markdown(lang)
        return self.pages[lang]


def build() -> RulesPage:
    return RulesPage()
