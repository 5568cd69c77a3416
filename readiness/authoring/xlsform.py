"""`readiness template --format xlsform`: the round's collection form for tablets, as an XLSForm (the `survey`,
`choices` and `settings` sheets of the standard that ODK Collect, ODK Central and KoboToolbox read).

The form is generated from the framework: the region (a list from regions.yaml, or fixed with `--region`) and the
round (fixed), then one group per pillar and, inside it, one screen (a `field-list` group) per indicator:

- `<ID>_state`, select_one (a value, not collected, not applicable), always asked: left empty, the indicator is
  not in this submission;
- `<ID>_value`, when the state is a value: decimal or integer with the unit's range as its `constraint` (and
  `constraint_message`), select_one for yes-no and rubric indicators (the rubric's levels and descriptors);
- `<ID>_not_collected`, `<ID>_not_applicable`, text: the reason, when the state is that reason;
- `<ID>_source`, `<ID>_reference`, `<ID>_date`, when the state is a value: the evidence, a source type of the
  framework (select_one), where it is, and its date (on or before the round's cut-off, not in the future);
- `<ID>_source_2`, `<ID>_reference_2`, `<ID>_date_2`: a second evidence entry, optional, of another source type
  (what a critical indicator needs when the evidence gate asks for two source types);
- `<ID>_confidence` (low, medium, high) and `<ID>_note`, optional.

`<ID>` is the indicator's id as an XML name (`question_name`, the one mapping the form and the import share):
`LO-01` -> `LO_01_value`. Labels, hints and messages are written in every language the framework declares
(`label::Français (fr)`), from the framework's texts and the catalogues (`collection.form.*`).

`settings` gives the form_id (`readiness_<round>`, with the region and `_public` when the form is narrowed) and a
version made of the framework's version, the round and a digest of the form, so that a server takes a changed
form as a new version of the same form and an unchanged one as the same.

The import side (submissions.py) rebuilds the same form to read an export: question names, group paths and labels
in any language, and choice labels, all map back to the layout's columns.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..errors import UsageRefusal
from ..fields import LocalText
from ..i18n import Translator, available, catalogue
from ..model import Indicator, _bounds
from ..outputs import save_workbook
from ..project import Project

#: The question of an indicator for each column of the layout it fills (and `state`, which says which of them
#: the team answers): the suffix after the indicator's XML name.
PARTS: dict[str, str] = {
    "state": "state",
    "value": "value",
    "not_collected": "not_collected",
    "not_applicable": "not_applicable",
    "source_type": "source",
    "reference": "reference",
    "date": "date",
    "source_type_2": "source_2",
    "reference_2": "reference_2",
    "date_2": "date_2",
    "confidence": "confidence",
    "note": "note",
}
#: The questions of the second evidence entry, by the layout column each fills.
SECOND = {"source_type_2": "source_type", "reference_2": "reference", "date_2": "date"}
#: The choices of the state question.
STATES = ("value", "not_collected", "not_applicable")
CONFIDENCE = ("low", "medium", "high")
#: The survey columns, in the order the sheet gives them (translated ones are followed by their languages).
SURVEY_COLUMNS = (
    "type",
    "name",
    "label",
    "hint",
    "required",
    "required_message",
    "relevant",
    "constraint",
    "constraint_message",
    "calculation",
    "appearance",
)
TRANSLATED = frozenset({"label", "hint", "required_message", "constraint_message"})


class FormProblem(UsageRefusal, ValueError):
    """The project cannot be written as a form (two ids that become one question name)."""


def xml_name(identifier: str) -> str:
    """An id of the project as an XML name the tools accept everywhere: letters, digits and underscores, starting
    with a letter (`LO-01` -> `LO_01`, `2-A` -> `n2_A`)."""
    name = re.sub(r"[^A-Za-z0-9_]", "_", identifier)
    return name if name[:1].isalpha() and name[:1].isascii() else f"n{name}"


def question_name(indicator_id: str, key: str) -> str:
    """The question of an indicator that fills one column of the layout (`value`, `source_type`...; `state`):
    `question_name("LO-01", "source_type")` is `LO_01_source`. The form and the import both name questions
    through here."""
    return f"{xml_name(indicator_id)}_{PARTS[key]}"


@dataclass(frozen=True)
class Question:
    """A question of the form as the import finds it in an export."""

    name: str
    key: str
    """The layout column it fills (`round`, `region`, `value`, `source_type`...), or `state`."""
    indicator: str | None
    path: tuple[str, ...]
    """The names of the groups it sits in, outermost first."""
    labels: tuple[str, ...]
    """Its label in every language, alone and after its groups' labels (`Law and order/LO-01 .../LO-01: value`)."""
    choices: str | None = None
    """The choice list of a select_one."""


@dataclass
class Form:
    survey: list[dict[str, str]] = field(default_factory=list)
    choices: list[dict[str, str]] = field(default_factory=list)
    settings: dict[str, str] = field(default_factory=dict)
    questions: list[Question] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    """The suffixes of the translated columns: `English (en)`, `Français (fr)`."""

    def choice_names(self, list_name: str) -> dict[str, str]:
        """The choices of a list by name and by label in every language (compared as `plain` compares), to
        their names: what a KoboToolbox labels export writes back to what the form stores."""
        found: dict[str, str] = {}
        for row in self.choices:
            if row["list_name"] != list_name:
                continue
            found.setdefault(plain(row["name"]), row["name"])
            for suffix in self.languages:
                label = row.get(f"label::{suffix}")
                if label:
                    found.setdefault(plain(label), row["name"])
        return found


def plain(text: str) -> str:
    """A header or label as the import compares it: case and runs of spaces (no-break ones too) ignored."""
    return " ".join(str(text).replace("\u00a0", " ").replace("\u202f", " ").split()).casefold()


def language_suffix(lang: str) -> str:
    """How XLSForm names a language in its column headers: `label::Français (fr)`."""
    if lang in available():
        name = catalogue(lang)["language_name"]
    else:
        try:
            from babel import Locale

            name = Locale.parse(lang.replace("-", "_")).get_display_name(lang.replace("-", "_")) or lang
        except Exception:  # a code Babel does not know: the code itself
            name = lang
    return f"{name[:1].upper()}{name[1:]} ({lang})"


def _number(value: Decimal) -> str:
    """A bound as XPath writes it: its digits, no exponent (100, 0.5, -3)."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _local(text: Any, lang: str) -> str:
    return text.get(lang) if isinstance(text, LocalText) else "" if text is None else str(text)


def _all_pillars(pillars: list[Any]) -> list[Any]:
    out = []
    for pillar in pillars:
        out += [pillar, *_all_pillars(pillar.pillars)]
    return out


def form_regions(project: Project, round_id: str | None) -> list[str]:
    """The regions the form offers: those the round collects (export.template_regions), or every region when the
    form is rebuilt to read an export."""
    from .export import template_regions

    return template_regions(project, round_id) if round_id is not None else sorted(project.regions)


def build_form(project: Project, round_id: str | None, *, region: str | None = None, public_only: bool = False) -> Form:
    """The form for `round_id` (None: the form as the import rebuilds it, every indicator and region, no round
    fixed). Raises FormProblem when two ids of the project become one question name."""
    assert project.framework is not None
    fw = project.framework
    langs = list(fw.languages) or ["en"]
    words = {lang: Translator(lang if lang in available() else "en") for lang in langs}
    suffixes = {lang: language_suffix(lang) for lang in langs}
    form = Form(languages=[suffixes[lang] for lang in langs])
    rnd = project.rounds.get(round_id) if round_id is not None else None

    def say_all(key: str, **fields: Any) -> dict[str, str]:
        return {lang: words[lang](f"collection.form.{key}", **fields) for lang in langs}

    def labelled(column: str, by_lang: dict[str, str]) -> dict[str, str]:
        return {f"{column}::{suffixes[lang]}": text for lang, text in by_lang.items() if text}

    group_labels: list[dict[str, str]] = []
    group_names: list[str] = []

    def ask(row: dict[str, str], key: str, indicator: str | None = None, choices: str | None = None) -> None:
        form.survey.append(row)
        labels = [v for k, v in row.items() if k.startswith("label::")]
        if not labels:
            labels = [row["name"]]
        every = set(labels)
        for label_lang in langs:
            label = row.get(f"label::{suffixes[label_lang]}")
            chain = [g[label_lang] for g in group_labels if g.get(label_lang)]
            if label and chain:
                every.add("/".join([*chain, label]))
        form.questions.append(Question(row["name"], key, indicator, tuple(group_names), tuple(sorted(every)), choices))

    def choice(list_name: str, name: str, by_lang: dict[str, str]) -> None:
        form.choices.append({"list_name": list_name, "name": name, **labelled("label", by_lang)})

    required = labelled("required_message", say_all("required"))
    form.survey.append({"type": "start", "name": "start"})
    form.survey.append({"type": "end", "name": "end"})
    ask(
        {"type": "calculate", "name": "round", "calculation": f"'{round_id}'" if round_id else "''"},
        "round",
    )
    if region is not None:
        ask({"type": "calculate", "name": "region", "calculation": f"'{region}'"}, "region")
    else:
        ask(
            {
                "type": "select_one region",
                "name": "region",
                **labelled("label", say_all("region")),
                "required": "yes",
                **required,
            },
            "region",
            choices="region",
        )
        for region_id in form_regions(project, round_id):
            name = project.regions[region_id].name if region_id in project.regions else region_id
            choice("region", region_id, {lang: _local(name, lang) or region_id for lang in langs})

    indicators = [
        project.indicators[i]
        for i in sorted(project.indicators)
        if not (public_only and project.indicators[i].restricted)
        # an indicator retired by the round's cut-off is not asked any more
        and not (rnd is not None and (retired := project.indicators[i].retired) is not None and rnd.date >= retired)
    ]
    by_pillar: dict[str, list[Indicator]] = {}
    for ind in indicators:
        by_pillar.setdefault(ind.pillar, []).append(ind)
    pillars = {p.id: p for p in _all_pillars(fw.pillars)}
    order = [p.id for p in _all_pillars(fw.pillars)] + sorted(set(by_pillar) - set(pillars))
    sources = [s.id for s in fw.source_types]
    source_names = {s.id: s.name for s in fw.source_types}
    cutoff = rnd.date.isoformat() if rnd is not None else ""
    profiled = [r for r in form_regions(project, round_id) if r in project.regions and project.regions[r].criteria]
    if region is not None:
        profiled = [r for r in profiled if r == region]
    for pillar_id in order:
        if pillar_id not in by_pillar:
            continue
        pillar = pillars.get(pillar_id)
        pillar_label = {lang: _local(pillar.name, lang) if pillar else pillar_id for lang in langs}
        form.survey.append({"type": "begin_group", "name": xml_name(pillar_id), **labelled("label", pillar_label)})
        group_names.append(xml_name(pillar_id))
        group_labels.append(pillar_label)
        for ind in by_pillar[pillar_id]:
            # a unit with its own criteria profile is not asked the indicators outside it
            outside = [r for r in profiled if not project.regions[r].applies(ind.id)]
            if region is not None and region in outside:
                continue
            screen = {lang: f"{ind.id} {_local(ind.name, lang)}" for lang in langs}
            form.survey.append(
                {
                    "type": "begin_group",
                    "name": xml_name(ind.id),
                    **labelled("label", screen),
                    "appearance": "field-list",
                    **({"relevant": " and ".join(f"${{region}} != '{r}'" for r in outside)} if outside else {}),
                }
            )
            group_names.append(xml_name(ind.id))
            group_labels.append(screen)
            _indicator(project, ind, ask, choice, say_all, labelled, required, words, langs, sources, cutoff)
            group_names.pop()
            group_labels.pop()
            form.survey.append({"type": "end_group", "name": ""})
        group_names.pop()
        group_labels.pop()
        form.survey.append({"type": "end_group", "name": ""})
    for state in STATES:
        choice("state", state, say_all(f"choice.state.{state}"))
    for answer in ("yes", "no"):
        choice("yes_no", answer, say_all(f"choice.{answer}"))
    for source in sources:
        choice("source", source, {lang: _local(source_names[source], lang) or source for lang in langs})
    for level in CONFIDENCE:
        choice("confidence", level, say_all(f"choice.confidence.{level}"))
    _unique_names(form)
    title_lang = langs[0]
    round_label = _local(rnd.label, title_lang) if rnd is not None else ""
    form_id = "readiness_" + re.sub(r"[^A-Za-z0-9_]", "_", round_id) if round_id else "readiness"
    if region is not None:
        form_id += "_" + xml_name(region)
    if public_only:
        form_id += "_public"
    digest = hashlib.sha256(repr((form.survey, form.choices)).encode("utf-8")).hexdigest()[:8]
    form.settings = {
        "form_title": words[title_lang](
            "collection.form.title", framework=_local(fw.name, title_lang), round=round_label or (round_id or "")
        ),
        "form_id": form_id,
        "version": f"{fw.version or '0'}-{round_id or 'form'}-{digest}",
        "default_language": suffixes[title_lang],
        "instance_name": "concat(${region}, ' ', ${round})",
        "style": "pages",
    }
    return form


def _indicator(
    project: Project,
    ind: Indicator,
    ask: Any,
    choice: Any,
    say_all: Any,
    labelled: Any,
    required: dict[str, str],
    words: dict[str, Translator],
    langs: list[str],
    sources: list[str],
    cutoff: str,
) -> None:
    """The questions of one indicator's screen, and the choices of its rubric."""
    assert project.framework is not None
    state = f"${{{question_name(ind.id, 'state')}}}"
    is_value = f"{state} = 'value'"

    def q(key: str) -> str:
        return question_name(ind.id, key)

    definition = {lang: _local(ind.definition, lang) for lang in langs}
    ask(
        {
            "type": "select_one state",
            "name": q("state"),
            **labelled("label", say_all("state", indicator=ind.id)),
            **labelled("hint", definition),
        },
        "state",
        ind.id,
        "state",
    )
    low, high = _bounds(ind, project.framework.scale)
    rubric = getattr(ind.scoring, "rubric", None) if ind.unit == "ordinal" else None
    value: dict[str, str] = {
        "name": q("value"),
        **labelled("label", say_all("value", indicator=ind.id)),
        "required": "yes",
        **required,
        "relevant": is_value,
    }
    choices = None
    if ind.unit == "yes-no":
        choices = "yes_no"
        value["type"] = "select_one yes_no"
    elif rubric:
        choices = f"rubric_{xml_name(ind.id)}"
        value["type"] = f"select_one {choices}"
        for level in sorted(rubric, key=lambda r: r.level):
            choice(
                choices,
                str(level.level),
                {
                    lang: words[lang](
                        "collection.form.level", level=level.level, descriptor=_local(level.descriptor, lang)
                    )
                    for lang in langs
                },
            )
    else:
        whole = ind.unit in ("count", "ordinal")
        value["type"] = "integer" if whole else "decimal"
        bounds = [f". >= {_number(low)}"] if low is not None else []
        bounds += [f". <= {_number(high)}"] if high is not None else []
        ranges = {lang: _range(words[lang], whole, low, high) for lang in langs}
        units = {lang: _unit(words[lang], ind, lang) for lang in langs}
        value.update(
            labelled(
                "hint",
                {
                    lang: words[lang]("collection.form.value_hint", unit=units[lang], range=ranges[lang])
                    for lang in langs
                },
            )
        )
        if bounds:
            value["constraint"] = " and ".join(bounds)
            value.update(labelled("constraint_message", ranges))
    ask(value, "value", ind.id, choices)
    for reason in ("not_collected", "not_applicable"):
        ask(
            {
                "type": "text",
                "name": q(reason),
                **labelled("label", say_all(reason, indicator=ind.id)),
                "required": "yes",
                **required,
                "relevant": f"{state} = '{reason}'",
            },
            reason,
            ind.id,
        )
    expected = [s for s in ind.evidence.source_types if s in sources]
    source_row = {
        "type": "select_one source",
        "name": q("source_type"),
        **labelled("label", say_all("source", indicator=ind.id)),
        "required": "yes",
        **required,
        "relevant": is_value,
    }
    if expected:
        source_row.update(labelled("hint", say_all("source_hint", sources=", ".join(expected))))
    ask(source_row, "source_type", ind.id, "source")
    _reference_and_date(ind.id, "", is_value, ask, say_all, labelled, required, cutoff)
    _second_evidence(project, ind, ask, say_all, labelled, required, cutoff)
    ask(
        {
            "type": "select_one confidence",
            "name": q("confidence"),
            **labelled("label", say_all("confidence", indicator=ind.id)),
            "relevant": is_value,
        },
        "confidence",
        ind.id,
        "confidence",
    )
    ask(
        {
            "type": "text",
            "name": q("note"),
            **labelled("label", say_all("note", indicator=ind.id)),
            "relevant": f"{state} != ''",
        },
        "note",
        ind.id,
    )


def _second_evidence(
    project: Project, ind: Indicator, ask: Any, say_all: Any, labelled: Any, required: dict[str, str], cutoff: str
) -> None:
    """A second evidence entry, optional, of another source type: what a critical indicator needs when the
    framework's evidence gate asks for two source types (`critical_source_types`; check warns, E003)."""
    assert project.framework is not None
    gate = project.framework.gates.evidence
    needed = gate.critical_source_types if gate is not None and gate.enabled else 1

    def q(key: str) -> str:
        return question_name(ind.id, key)

    source = {
        "type": "select_one source",
        "name": q("source_type_2"),
        **labelled("label", say_all("source_2", indicator=ind.id)),
        "relevant": f"${{{q('state')}}} = 'value'",
        "constraint": f". != ${{{q('source_type')}}}",
        **labelled("constraint_message", say_all("source_2_constraint")),
    }
    if ind.critical and needed > 1:
        source.update(labelled("hint", say_all("source_2_hint", count=needed)))
    ask(source, "source_type_2", ind.id, "source")
    given = f"${{{q('source_type_2')}}} != ''"
    _reference_and_date(ind.id, "_2", given, ask, say_all, labelled, required, cutoff)


def _reference_and_date(
    ind_id: str,
    suffix: str,
    relevant: str,
    ask: Any,
    say_all: Any,
    labelled: Any,
    required: dict[str, str],
    cutoff: str,
) -> None:
    """The reference and the date of an evidence entry (`suffix` "" for the first, "_2" for the second), asked
    when `relevant` holds; the date on or before the cut-off and not in the future (the first says so in a hint)."""
    ask(
        {
            "type": "text",
            "name": question_name(ind_id, f"reference{suffix}"),
            **labelled("label", say_all(f"reference{suffix}", indicator=ind_id)),
            "required": "yes",
            **required,
            "relevant": relevant,
        },
        f"reference{suffix}",
        ind_id,
    )
    date_row = {
        "type": "date",
        "name": question_name(ind_id, f"date{suffix}"),
        **labelled("label", say_all(f"date{suffix}", indicator=ind_id)),
        "required": "yes",
        **required,
        "relevant": relevant,
    }
    if cutoff:
        date_row["constraint"] = f". <= date('{cutoff}') and . <= today()"
        if not suffix:
            date_row.update(labelled("hint", say_all("date_hint", date=cutoff)))
        date_row.update(labelled("constraint_message", say_all("date_constraint", date=cutoff)))
    ask(date_row, f"date{suffix}", ind_id)


def _range(words: Translator, whole: bool, low: Decimal | None, high: Decimal | None) -> str:
    """The values a number question allows, in words (the template's words: `tables.template.range`)."""
    kind = words("tables.template.range.whole" if whole else "tables.template.range.number")

    def shown(value: Decimal) -> str:
        return _number(value).replace(".", words.decimal)

    if low is not None and high is not None:
        return words("tables.template.range.between", kind=kind, low=shown(low), high=shown(high))
    if low is not None:
        return words("tables.template.range.at_least", kind=kind, low=shown(low))
    return kind


def _unit(words: Translator, ind: Indicator, lang: str) -> str:
    label = _local(ind.unit_label, lang)
    if label:
        return label
    key = f"tables.template.unit.{ind.unit}"
    return words(key) if key in words.labels else ind.unit


def _unique_names(form: Form) -> None:
    """Refuse a form in which two ids of the project became one name (`LO-01` and `LO_01`): the tools need each
    question and group named once, and the import reads answers back by name."""
    from ..i18n import say

    seen: set[str] = set()
    for row in form.survey:
        name = row.get("name", "")
        if name and name in seen:
            raise FormProblem(say("collection.form.name_clash", name=name))
        seen.add(name)


# ---------------------------------------------------------------- writing the workbook


_XML_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _columns(rows: list[dict[str, str]], order: tuple[str, ...], languages: list[str]) -> list[str]:
    present = {k for row in rows for k in row}
    columns = []
    for column in order:
        if column in TRANSLATED:
            columns += [f"{column}::{suffix}" for suffix in languages if f"{column}::{suffix}" in present]
        elif column in present:
            columns.append(column)
    return columns


def write_xlsform(
    project: Project, round_id: str, path: Path, *, region: str | None = None, public_only: bool = False
) -> Path:
    """Write the round's XLSForm workbook (survey, choices, settings) to `path`."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    form = build_form(project, round_id, region=region, public_only=public_only)
    book = Workbook()
    book.remove(book.worksheets[0])
    sheets = [
        ("survey", form.survey, _columns(form.survey, SURVEY_COLUMNS, form.languages)),
        ("choices", form.choices, _columns(form.choices, ("list_name", "name", "label"), form.languages)),
        ("settings", [form.settings], list(form.settings)),
    ]
    for title, rows, columns in sheets:
        sheet = book.create_sheet(title)
        sheet.append(columns)
        for row in rows:
            sheet.append([_XML_FORBIDDEN.sub("", row.get(c, "")) or None for c in columns])
        for cells in sheet.iter_rows():
            for cell in cells:
                if cell.data_type == "f":
                    cell.data_type = "s"  # openpyxl takes any text starting with "=" for a formula
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for i, column in enumerate(columns):
            letter = sheet.cell(row=1, column=i + 1).column_letter
            sheet.column_dimensions[letter].width = 48 if column.startswith(("label", "hint")) else 22
    name = project.framework.name.get(project.framework.languages[0]) if project.framework else ""
    book.properties.creator = book.properties.lastModifiedBy = str(name)[:255] or None
    return save_workbook(book, path)
