"""The YAML loader: positions kept, hazards refused, and no YAML 1.1 guessing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from readiness.loading import Plain, parse_document
from readiness.model import Observation, Region, Round
from readiness.validation import validate_document


def load(text: str | bytes):
    raw = text.encode() if isinstance(text, str) else text
    doc, problems = parse_document(raw, "f.yaml")
    return doc, problems


def test_plain_scalars_stay_text_until_the_schema_types_them():
    doc, problems = load("a: NO\nb: on\nc: 012\nd: 1:30\ne: 2026-10-01\nf: 'quoted'\ng:\n")
    assert problems == []
    assert doc.data == {"a": "NO", "b": "on", "c": "012", "d": "1:30", "e": "2026-10-01", "f": "quoted", "g": None}
    assert isinstance(doc.data["a"], Plain) and not isinstance(doc.data["f"], Plain)


def test_a_region_id_written_012_stays_the_text_012():
    doc, _ = load("id: 012\nname: 2026-01-01\n")
    region, problems = validate_document(doc, Region)
    assert problems == []
    assert region.id == "012" and region.name == "2026-01-01"


@pytest.mark.parametrize("word", ["NO", "no", "on", "yes", "Y", "True"])
def test_yaml_11_booleans_are_not_booleans(word):
    doc, _ = load(f"id: x\nname: X\nrestricted: {word}\n")
    region, problems = validate_document(doc, Region)
    assert region is None
    assert [p.code for p in problems] == ["S003"]
    assert "true or false" in problems[0].message + problems[0].hint
    assert problems[0].line == 3


def test_numbers_are_exact_decimals_and_a_quoted_number_is_refused():
    doc, _ = load("id: r\nlabel: R\ndate: 2026-03-31\n")
    round_, problems = validate_document(doc, Round)
    assert problems == [] and round_.date == date(2026, 3, 31)
    doc, _ = load("region: a\nround: b\n")
    obs = Observation.model_validate(load("value: 0.1\n")[0].data)
    assert obs.value == "0.1" and not obs.value_quoted
    assert Observation.model_validate(load("value: '0.1'\n")[0].data).value_quoted


def test_sexagesimal_is_not_a_number():
    doc, _ = load("id: x\nname: X\npopulation: 1:30\n")
    _, problems = validate_document(doc, Region)
    assert [p.code for p in problems] == ["S003"] and problems[0].line == 3


def test_duplicate_key_is_refused_at_the_second_key():
    _, problems = load("a: 1\nb: 2\na: 3\n")
    assert [(p.code, p.line, p.column) for p in problems] == [("Y003", 3, 1)]


@pytest.mark.parametrize("text,line", [("a: &x 1\nb: 2\n", 1), ("a: 1\nb: *x\n", 2)])
def test_anchors_and_aliases_are_refused(text, line):
    _, problems = load(text)
    assert [(p.code, p.line) for p in problems] == [("Y004", line)]


def test_billion_laughs_is_refused_quickly():
    lines = ["a: &a ['lol','lol','lol','lol','lol','lol','lol','lol','lol']"]
    for i in range(1, 9):
        prev, name = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]")
    _, problems = load("\n".join(lines) + "\n")
    assert problems[0].code == "Y004"


def test_non_utf8_names_the_line_of_the_bad_byte():
    _, problems = load(b"a: 1\nb: caf\xe9\n")
    assert [(p.code, p.line) for p in problems] == [("Y002", 2)]


def test_a_byte_order_mark_and_crlf_are_accepted():
    doc, problems = load(b"\xef\xbb\xbfa: 1\r\nb: two\r\n")
    assert problems == [] and doc.data == {"a": "1", "b": "two"}


def test_tabs_for_indentation_give_a_syntax_error_with_a_hint():
    _, problems = load("a:\n\tb: 1\n")
    assert problems[0].code == "Y001" and problems[0].line == 2
    assert "tab" in problems[0].hint


@pytest.mark.parametrize(
    "text,message",
    [
        ("", "empty"),
        ("a: 1\n---\nb: 2\n", "second YAML document"),
        ("a: !!python/object:os.system 1\n", "tag"),
        ("? [a, b]\n: 1\n", "key"),
    ],
)
def test_other_hazards(text, message):
    _, problems = load(text)
    assert problems[0].code == "Y005" and message in problems[0].message


def test_positions_of_keys_and_values():
    doc, _ = load("top:\n  list:\n    - x\n    - {k: v}\n")
    assert doc.position(("top", "list", 1, "k")) == (4, 11)
    assert doc.key_position(("top", "list")) == (2, 3)
    assert doc.position(("top", "missing")) == (2, 3)


def test_huge_numbers_are_refused_not_overflowed():
    doc, _ = load("id: x\nname: X\npopulation: 1e999999\n")
    _, problems = validate_document(doc, Region)
    assert problems and problems[0].code == "S003"


def test_decimal_values_keep_their_digits():
    from readiness.model import to_decimal

    assert to_decimal(Plain("84.5265")) == Decimal("84.5265")


def test_models_given_the_same_fields_share_one_set_of_their_names_and_stay_apart():
    """A large project holds hundreds of thousands of observations and evidence items; pydantic keeps a set of
    the fields given for each, a quarter of the project's memory. Models of one class given the same fields share
    one set (readiness.fields.Model.model_post_init); what each reports is still its own, a copy with an update
    does not change the others, and the models are still frozen."""
    from pydantic import ValidationError

    from tests.conftest import REPO

    one, two, other = (Observation.model_validate({"value": Plain(str(v)), "note": Plain("seen")}) for v in (1, 2, 3))
    bare = Observation.model_validate({"value": Plain("4")})
    assert one.__pydantic_fields_set__ is two.__pydantic_fields_set__ is other.__pydantic_fields_set__
    assert bare.model_fields_set == {"value"} and one.model_fields_set == {"value", "note"}
    changed = one.model_copy(update={"restricted": True})
    assert changed.model_fields_set == {"value", "note", "restricted"}
    assert two.model_fields_set == {"value", "note"} and one.model_fields_set == {"value", "note"}
    with pytest.raises(ValidationError):
        one.value = Decimal(5)  # type: ignore[misc]
    # on the example: every observation given the same fields shares one set
    from readiness.project import load_project

    project, _ = load_project(REPO)
    observations = [o for a in project.assessments.values() for o in a.observations.values()]
    sets = {id(o.__pydantic_fields_set__) for o in observations}
    kinds = {frozenset(o.model_fields_set) for o in observations}
    assert len(observations) > 1000 and len(sets) == len(kinds)
