"""The rules page: the rules' own reference (English), under a title in the page's language; on a site in
another language the reference is marked as English and as not translated."""

from __future__ import annotations

import re
from typing import Any

from ..pages.rules import RulesPage


def markdown(page: RulesPage, fmt: Any, lang: str, banner: str) -> str:
    body = re.sub(r"^# .*\n+", "", page.markdown, count=1)  # the page has its own title, in its language
    title = f"# {fmt.t('rules.title')}\n\n{banner}\n\n"
    if lang == "en":
        return title + body
    return title + f"*{fmt.t('rules.untranslated')}*\n\n" + '<div lang="en" markdown="1">\n\n' + body + "\n</div>\n"
