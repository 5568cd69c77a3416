"""The rules page: the rules' own reference in the page's language, under the page's banner."""

from __future__ import annotations

import re
from typing import Any

from ..pages.rules import RulesPage


def markdown(page: RulesPage, fmt: Any, lang: str, banner: str) -> str:
    body = re.sub(r"^# .*\n+", "", page.markdown(lang), count=1)  # the page has its own title, in its language
    return f"# {fmt.t('rules.title')}\n\n{banner}\n\n" + body
