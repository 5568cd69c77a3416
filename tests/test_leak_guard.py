"""The final guard of a public build finds a restricted text as a whole word, the first one a page shows, as one
regular expression of every form would, but reads a page once however many forms there are."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from readiness.report import LeakGuard, RestrictedText

ALPHABET = "ab -.&;<\"'1é_"


def reference(forms: list[str], text: str) -> str | None:
    """One alternation of every form, longest first, each a whole word: the guard as it was first written."""
    ordered = sorted(set(forms), key=len, reverse=True)
    pattern = re.compile("|".join(rf"(?<![\w-]){re.escape(t)}(?![\w-])" for t in ordered))
    match = pattern.search(text)
    return match.group(0) if match else None


def item(text: str) -> RestrictedText:
    return RestrictedText(text=text, what="a test", file="", line=0)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.text(ALPHABET, min_size=1, max_size=6).filter(str.strip), min_size=1, max_size=6),
    st.text(ALPHABET, max_size=40),
)
def test_the_guard_finds_what_one_pattern_of_every_form_finds(forms, text):
    guard = LeakGuard([item(f) for f in forms])
    # each form is also looked for escaped for HTML and inside JSON: compare on the forms the guard holds
    expected = reference(list(guard.forms), text)
    found = guard.first(text)
    assert (found is None) == (expected is None), (forms, text, expected)
    if expected is not None:
        assert found is guard.forms[expected], (forms, text, expected)


def test_a_name_is_found_as_a_whole_word_among_thousands():
    names = [f"Officer Number{i}" for i in range(20000)] + ["Ibrahim Dolo"]
    guard = LeakGuard([item(n) for n in names])
    assert guard.first("The commander, Ibrahim Dolo, was recalled.").text == "Ibrahim Dolo"
    assert guard.first("Ibrahim Dolos and Ibrahim Dolo-Kanta are other people.") is None
    assert guard.first("Officer Number12 then Officer Number1").text == "Officer Number12"
