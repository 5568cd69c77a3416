"""The spreadsheet layout: what `readiness import` reads, `readiness export` writes and `readiness template`
hands to field teams. This docstring is the contract; `layout_markdown()` gives it to the README.

The table is called `observations` (a CSV file `observations.csv`, an XLSX sheet `observations`, or the
`observations` list of the JSON export, `readiness-export.json`, whose entries are objects keyed by the column
names and numbered from 1 in messages). Its first row names the columns; every other row is one evidence
entry of one observation. An observation without evidence is one row; an observation with several evidence
entries is several rows, which repeat the observation's columns (they must agree: a cell left empty in one of
them takes the others' value).

Columns (their order does not matter; case, spaces and hyphens in the names do not matter, and a group prefix
such as `group_a/region` from a KoboToolbox export is dropped):

| column | one per | what it holds |
| --- | --- | --- |
| `round` | observation | the round id; may be left out when the import names the round (`--round`) |
| `region` | observation | the region id |
| `indicator` | observation | the indicator id |
| `value` | observation | the value, in the indicator's unit (a number, or yes/no for a yes-no indicator) |
| `not_collected` | observation | instead of a value: why there is none this round |
| `not_applicable` | observation | instead of a value: why the indicator does not apply to the region |
| `confidence` | observation | low, medium or high (optional) |
| `source_type` | evidence entry | a source type of the framework (ADM, FV...) |
| `reference` | evidence entry | where the evidence is: register, file number, report |
| `date` | evidence entry | the date of the evidence, on or before the round's cut-off |
| `evidence_restricted` | evidence entry | yes: this evidence entry is restricted (kept off the public site) |
| `value_restricted` | observation | yes: the observation is restricted |
| `note` | observation | a note on the observation |
| `note_restricted` | observation | yes: the note is restricted |

Other names accepted for a column: `source` and `source type` (source_type), `evidence_date` (date),
`comment` and `notes` (note), `region_id`, `indicator_id`, `round_id`. A column may also be headed with its
name in any language the framework declares (`languages:`), as the catalogues name it (`sheet_column`), compared
without case, accents, spaces, hyphens or underscores; in French: `cycle` (round), `région`, `indicateur`,
`valeur`, `non collecté`, `sans objet`, `confiance`, `type de source`, `référence`, `date`, `preuve restreinte`,
`valeur restreinte`, `commentaire`, `commentaire restreint` (so `Type_de_source` and `non-collecte` are read too).

Informative columns, written by `readiness template` for the teams and ignored by the import:
`region_name`, `indicator_name`, `unit`, `range`, `previous_value`, `previous_evidence_date`. The
metadata columns of KoboToolbox exports (`_id`, `_uuid`, `_submission_time`, `start`, `end`, `today`,
`deviceid`, `instanceID`..., and the one-column-per-choice `source_type/ADM` columns) are ignored too. Any
other column is refused, with the nearest known name in any language of the project (`Commentaires` is the
`note` column, `valeurs` the `value` column), so that a misspelt column never drops its data. Merged cells in a
column import reads are refused (a merged cell keeps its value only in its first cell): unmerge them and fill
every row.

How cells are read (nothing is guessed; a cell that could mean two things is refused with the fix):
- A **number cell** of the spreadsheet is read exactly as the spreadsheet holds it (72.5 stays 72.5), whatever
  the options. A number cell formatted as a percentage (it shows 85%, and holds 0.85) is refused.
- A **number typed as text** is read strictly: `72.5`, `-3`, `1250`. A comma is never guessed: `72,5` and
  `1,250` are refused, unless the import is told that the whole sheet uses a decimal comma
  (`--decimal-comma`), and then `72,5` is read as 72.5 and a dot is refused instead (never both in one sheet);
  the advice to use `--decimal-comma` is given once, naming the rows, not on every row.
  Thousands separators (`1,250`; `1.250` in a decimal-comma sheet; `1 250` with a normal, no-break or
  narrow space), exponents (`1e3`) and units (`85%`) are refused: write the number in full, alone. A percent
  indicator takes `85` for 85 percent; `0.85` is read as 0.85 percent.
- A **placeholder** in the value column (`N/A`, `n.d.`, `s.o.`, `-`, `unknown`...) is not a value: it is
  refused with the column its reason goes in (`not_applicable` for `s.o.`, sans objet; `not_collected` for
  `n.d.`, non disponible; either for `N/A`).
- A **formula** is refused, with or without a saved value: copy the column and paste values.
- A **yes-no value**: yes, no, true, false, oui, non (any case), or a true/false cell.
- A **date**: a date cell, or text written `YYYY-MM-DD`. `30/09/2026` is refused unless the import is told
  the sheet writes day/month/year (`--day-first`); month/day/year is never read.
- **yes/no marks** (the three `*_restricted` columns): yes, no, true, false, oui, non, or a true/false cell;
  empty leaves the mark as it is in the files; yes sets it; no lifts it (a change, see below). Export writes
  yes or leaves the cell empty.
- **Text** (reference, note, reasons) is kept as written, without the spaces at its ends.

A row whose observation columns and evidence columns are all empty is skipped (an untouched template row). A
row without a value but with a note, and no reason, records `not_collected: <note>`. An evidence entry needs
its source type and date (dated on or before the round's cut-off, and not in the future); without a
reference it is referenced `imported row <n>`. A value needs evidence, in the sheet or already in the file.

What an import changes: a value, reason, confidence, note or mark given where the file has none is set (an
empty `value:` of a round being collected is filled, and so is a `not_applicable` that new-round carried
forward and nobody confirmed yet); one equal to the file's is no change (72.5 and 72.50 are equal); one that
differs is a conflict, refused unless the import is told to replace (`--replace`); a restriction is added
without it, but lifted only with it. An
evidence entry already in the file (same source type, reference and date) is not added again; others are
added after the file's own. Nothing else in the files changes: only the lines of the observations that change
are edited, comments and layout kept.

A value ten or a hundred times the same region's value in the round before (0.84 where it was 84) is imported
with a warning naming both values: check the decimal point and the unit; if the change is real, say why in
the note column (`readiness check` says the same, O007, until a note explains it or the round is sealed).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from ..diagnostics import show_invisible
from ..i18n import catalogue, language, say
from ..model import no_value_mark

#: The columns of the observations table, in the order export and template write them.
COLUMNS: tuple[str, ...] = (
    "round",
    "region",
    "indicator",
    "value",
    "not_collected",
    "not_applicable",
    "confidence",
    "source_type",
    "reference",
    "date",
    "evidence_restricted",
    "value_restricted",
    "note",
    "note_restricted",
)
#: Columns that describe the observation: the rows of one observation must agree on them.
OBSERVATION_COLUMNS = (
    "value",
    "not_collected",
    "not_applicable",
    "confidence",
    "value_restricted",
    "note",
    "note_restricted",
)
#: Columns that describe one evidence entry.
EVIDENCE_COLUMNS = ("source_type", "reference", "date", "evidence_restricted")
#: The columns that carry data: a row where all of them are empty is skipped.
DATA_COLUMNS = OBSERVATION_COLUMNS + EVIDENCE_COLUMNS
#: Columns the template writes for the teams' information; import ignores them.
INFORMATIVE = ("region_name", "indicator_name", "unit", "range", "previous_value", "previous_evidence_date")
#: Other names for the columns.
ALIASES = {
    "source": "source_type",
    "sourcetype": "source_type",
    "source_types": "source_type",
    "region_id": "region",
    "indicator_id": "indicator",
    "evidence_date": "date",
    "round_id": "round",
    "evidence_reference": "reference",
    "comment": "note",
    "notes": "note",
    "observation_restricted": "value_restricted",
}
#: Metadata columns of KoboToolbox (and ODK) exports: ignored. Any column starting with `_` is too.
TOOL_METADATA = frozenset(
    {
        "start",
        "end",
        "today",
        "deviceid",
        "subscriberid",
        "simserial",
        "phonenumber",
        "username",
        "audit",
        "instanceid",
        "instancename",
        "deprecatedid",
        "uuid",
        "version",
    }
)
#: What each column holds, for the README and the template's header notes.
DESCRIPTIONS = {
    "round": "the round id (may be left out when the import names the round)",
    "region": "the region id",
    "indicator": "the indicator id",
    "value": "the value, in the indicator's unit (a number, or yes/no)",
    "not_collected": "instead of a value: why there is none this round",
    "not_applicable": "instead of a value: why the indicator does not apply to the region",
    "confidence": "low, medium or high (optional)",
    "source_type": "a source type of the framework",
    "reference": "where the evidence is: register, file number, report",
    "date": "the date of the evidence (YYYY-MM-DD), on or before the round's cut-off",
    "evidence_restricted": "yes: this evidence entry is restricted",
    "value_restricted": "yes: the observation is restricted",
    "note": "a note on the observation",
    "note_restricted": "yes: the note is restricted",
    "region_name": "for information: the region's name",
    "indicator_name": "for information: the indicator's name",
    "unit": "for information: the indicator's unit",
    "range": "for information: the values the unit allows",
    "previous_value": "for information: the value in the round before",
    "previous_evidence_date": "for information: the date of the latest evidence in the round before",
}
YES = frozenset({"yes", "true", "oui", "y", "1"})
NO = frozenset({"no", "false", "non", "n", "0"})
CONFIDENCE = ("low", "medium", "high")
#: What a spreadsheet takes for the start of a formula (OWASP's list for CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def layout_markdown() -> str:
    """The layout as Markdown, for the README: the columns and the rules for reading cells."""
    doc = __doc__ or ""
    start = doc.index("The table is called")
    return doc[start:].strip() + "\n"


def column_key(name: str) -> str:
    """The canonical name of a column header: `Source type`, `group_a/source-type` -> `source_type`."""
    key = name.strip().rsplit("/", 1)[-1].strip().lower().replace(" ", "_").replace("-", "_")
    return ALIASES.get(key, key)


def ignored_column(name: str) -> bool:
    """Whether import ignores a column: informative, tool metadata, or a KoboToolbox choice column."""
    key = column_key(name)
    if key in INFORMATIVE or key in TOOL_METADATA or key.startswith("_"):
        return True
    parts = name.strip().split("/")
    return len(parts) > 1 and column_key(parts[-2]) in COLUMNS  # `source_type/ADM`: one column per choice


# ---------------------------------------------------------------- cells


class Percent(float):
    """A number cell formatted as a percentage: it shows 85% and holds 0.85."""

    __slots__ = ()


class CellProblem(ValueError):
    """A cell that cannot be read; the message says what to write instead. `advice` is what holds for the whole
    sheet (import with --decimal-comma): the import says it once, naming the rows, not on every row."""

    def __init__(self, message: str, advice: str = "") -> None:
        super().__init__(message)
        self.message, self.advice = message, advice


#: Said once for a sheet whose numbers are written with a decimal comma (the English words: a message says
#: `decimal_comma_advice()`, in the language in use).
DECIMAL_COMMA_ADVICE = (
    "if the whole sheet writes numbers with a decimal comma (72,5), import it with --decimal-comma instead of "
    "correcting every cell"
)


def unit_name(unit: str) -> str:
    """An indicator's unit as a message names it: the id the framework file uses (percent, per-100k) in English,
    the language's word for it (`units` in the catalogue: pourcentage, pour 100 000) in another."""
    lang = language()
    return unit if lang == "en" else catalogue(lang).get(f"units.{unit}", unit)


def decimal_comma_advice() -> str:
    return say("import.number.decimal_comma_advice")


def placeholder(text: str, mark: str) -> str:
    """A placeholder (N/A, n.d., s.o.) typed in a value's place: not a value; the column its reason goes in."""
    return say(f"import.placeholder.{mark}", text=quoted(text))


def blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def escaped(text: str, limit: int | None = None) -> str:
    """Text from a sheet as a message prints it: every character a terminal would act on or not show written
    as a visible escape (`diagnostics.show_invisible`: \\x1b, \\u202e, \\n), so that a cell or sheet name cannot
    move the cursor, recolour or rewrite the terminal, or hide or reorder what the message says. Cut to `limit`
    characters when given. Every path that quotes sheet text goes through here (quoted() too)."""
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return show_invisible(text)


def quoted(text: str, limit: int = 60) -> str:
    """Text as a message shows it: in the language's quotes ("…", « … »), cut to a readable length, unprintable
    characters escaped."""
    return say("import.quoted", text=escaped(text, limit))


_SPACES = "[ \u00a0\u202f\u2009]"
_EXPONENT = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)[eE][+-]?\d+")


def _in_full(number: Decimal, decimal_comma: bool) -> str:
    text = format(number, "f")
    return text.replace(".", ",") if decimal_comma else text


def read_number(cell: Any, *, decimal_comma: bool = False, indicator: str = "", unit: str = "") -> Decimal:
    """A number from a cell: a number cell exactly, or text written strictly (see the module's rules)."""
    if isinstance(cell, bool):
        raise CellProblem(say("import.number.boolean", indicator=indicator, unit=unit_name(unit)))
    if isinstance(cell, Percent):
        shown = format(Decimal(repr(float(cell))) * 100, "f")
        shown = shown.rstrip("0").rstrip(".") if "." in shown else shown
        if unit == "percent":
            raise CellProblem(
                say("import.number.percent_cell_percent", shown=shown, held=repr(float(cell)), indicator=indicator)
            )
        raise CellProblem(say("import.number.percent_cell", shown=shown, held=repr(float(cell)), unit=unit_name(unit)))
    if isinstance(cell, int):
        return Decimal(cell)
    if isinstance(cell, float):
        if not math.isfinite(cell):
            raise CellProblem(say("import.number.not_finite"))
        return Decimal(int(cell)) if cell.is_integer() and abs(cell) < 1e15 else Decimal(repr(cell))
    if isinstance(cell, datetime | date | time):
        shown = cell.isoformat() if not isinstance(cell, datetime) else cell.date().isoformat()
        raise CellProblem(say("import.number.date_cell", shown=shown))
    text = str(cell).strip()
    if (mark := no_value_mark(text)) is not None:
        raise CellProblem(placeholder(text, mark))
    comma = decimal_comma
    pattern = r"[+-]?(\d+(,\d*)?|,\d+)" if comma else r"[+-]?(\d+(\.\d*)?|\.\d+)"
    if re.fullmatch(pattern, text):
        return Decimal(text.replace(",", "."))
    percent = re.fullmatch(rf"(.*?){_SPACES}*%", text)
    if percent and re.fullmatch(r"[+-]?[\d.,]+", percent.group(1)):
        bare = percent.group(1)
        if unit == "percent":
            raise CellProblem(say("import.number.percent_text_percent", text=text, bare=bare, indicator=indicator))
        raise CellProblem(say("import.number.percent_text", text=text, indicator=indicator, unit=unit_name(unit)))
    if _EXPONENT.fullmatch(text):
        try:
            full = _in_full(Decimal(text.replace(",", ".")), comma)
        except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
            full = say("import.number.in_full")
        raise CellProblem(say("import.number.exponent", text=text, full=full))
    grouped = re.fullmatch(rf"([+-]?\d{{1,3}})((?:{_SPACES}\d{{3}})+)([.,]\d+)?", text)
    if grouped:
        digits = re.sub(_SPACES, "", text)
        raise CellProblem(say("import.number.spaces", text=text, fix=digits))
    if not comma:
        thousands = re.fullmatch(r"([+-]?\d{1,3})((?:,\d{3})+)(\.\d+)?", text)
        if thousands:
            fix = text.replace(",", "")
            if text.count(",") == 1 and not thousands.group(3):  # 1,250: thousands, or 1.25 with a decimal comma
                raise CellProblem(
                    say("import.number.thousands_or_decimal", text=text, fix=fix, decimal=text.replace(",", ".")),
                    decimal_comma_advice(),
                )
            raise CellProblem(say("import.number.thousands", text=text, fix=fix))
        if re.fullmatch(r"[+-]?\d*,\d+", text):
            raise CellProblem(
                say("import.number.decimal_comma", text=text, fix=text.replace(",", ".")), decimal_comma_advice()
            )
    else:
        thousands = re.fullmatch(r"([+-]?\d{1,3})((?:\.\d{3})+)(,\d+)?", text)
        if thousands:
            raise CellProblem(say("import.number.thousands", text=text, fix=text.replace(".", "")))
        if re.fullmatch(r"[+-]?\d*\.\d+", text):
            raise CellProblem(say("import.number.dot_in_comma_sheet", text=text, fix=text.replace(".", ",")))
        if re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+\.\d+", text):
            raise CellProblem(say("import.number.comma_sheet", text=text, fix=text.replace(",", "").replace(".", ",")))
    raise CellProblem(say("import.number.not_a_number", indicator=indicator, unit=unit_name(unit), got=quoted(text)))


def read_yes_no(cell: Any, what: str) -> bool:
    """yes/no from a cell: a true/false cell, 1/0, or yes, no, true, false, oui, non in any case."""
    if isinstance(cell, bool):
        return cell
    if isinstance(cell, int | float) and cell in (0, 1):
        return cell == 1
    text = str(cell).strip().lower()
    if text in YES:
        return True
    if text in NO:
        return False
    if (mark := no_value_mark(text)) is not None:
        raise CellProblem(placeholder(str(cell).strip(), mark))
    raise CellProblem(say("import.yes_no.bad", what=what, got=quoted(str(cell).strip())))


_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00(?:\.0+)?)?)?")
_DMY = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})")


def read_date(cell: Any, *, day_first: bool = False) -> date:
    """A date from a cell: a date cell, or text written YYYY-MM-DD (dd/mm/yyyy with day_first)."""
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    if isinstance(cell, bool | int | float):
        raise CellProblem(say("import.date.number_cell", number=str(cell)))
    text = str(cell).strip()
    iso = _ISO.fullmatch(text)
    if iso:
        try:
            return date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        except ValueError:
            raise CellProblem(say("import.date.not_real", text=text)) from None
    dmy = _DMY.fullmatch(text)
    if dmy:
        first, second, year = int(dmy.group(1)), int(dmy.group(3)), int(dmy.group(4))
        if day_first:
            try:
                return date(year, second, first)
            except ValueError:
                pass
        readings = []
        for day, month in ((first, second), (second, first)):
            try:
                readings.append(date(year, month, day))
            except ValueError:
                continue
        readings = sorted(set(readings))
        if day_first:
            if readings:
                raise CellProblem(say("import.date.not_day_first", text=text, fix=readings[0].isoformat()))
            raise CellProblem(say("import.date.not_day_first_nor_real", text=text))
        if len(readings) == 1:
            raise CellProblem(say("import.date.write_iso", text=text, fix=readings[0].isoformat()))
        if len(readings) == 2:
            raise CellProblem(
                say(
                    "import.date.ambiguous",
                    text=text,
                    day_month=readings[1 if first <= 12 else 0].isoformat(),
                    month_day=readings[0 if first <= 12 else 1].isoformat(),
                )
            )
        raise CellProblem(say("import.date.not_real_write", text=text))
    ymd = re.fullmatch(r"(\d{4})[/.](\d{1,2})[/.](\d{1,2})", text)
    if ymd:
        try:
            return_hint = date(int(ymd.group(1)), int(ymd.group(2)), int(ymd.group(3))).isoformat()
        except ValueError:
            raise CellProblem(say("import.date.not_real_write", text=text)) from None
        raise CellProblem(say("import.date.write_iso", text=text, fix=return_hint))
    if re.fullmatch(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2}", text):
        raise CellProblem(say("import.date.short_year", text=text))
    raise CellProblem(say("import.date.not_a_date", text=quoted(text)))


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x85\u2028\u2029]")


def read_text(cell: Any) -> str:
    """Text from a cell, without the spaces at its ends; line breaks kept as \\n."""
    if isinstance(cell, bool):
        return "yes" if cell else "no"
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() else repr(cell)
    if isinstance(cell, datetime):
        return cell.date().isoformat() if cell.time() == time() else cell.isoformat(sep=" ")
    if isinstance(cell, date):
        return cell.isoformat()
    text = str(cell).replace("\r\n", "\n").replace("\r", "\n").strip()
    bad = _CONTROL.search(text)
    if bad:
        raise CellProblem(say("import.text.control", code=f"U+{ord(bad.group()):04X}"))
    return text


_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", re.ASCII)


def formula_like(text: str) -> bool:
    """Whether a spreadsheet would take this text (after any leading single quotes) for a formula: it starts
    with =, +, -, @, a tab or a carriage return and is not just a number ("-2.5" stays a number)."""
    rest = text.lstrip("'")
    return rest.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(rest)


def unquote_csv(text: str) -> str:
    """A CSV cell as its author meant it: the single quote export puts before text a spreadsheet would take
    for a formula (`'=x`, see export.spreadsheet_text) is dropped again."""
    if text.startswith("'") and formula_like(text[1:]):
        return text[1:]
    return text


@dataclass(frozen=True)
class Column:
    """A column of a sheet as found: its position and header as written."""

    index: int
    header: str
    key: str
    lettered: bool = True
    """False for a key of a JSON entry, which has no column letter."""

    @property
    def letter(self) -> str:
        return column_letter(self.index)

    @property
    def shown(self) -> str:
        """The header as a message prints it (a header cell may hold escape codes)."""
        return escaped(self.header, 60)

    def where(self) -> str:
        if self.lettered:
            return say("import.where.column", column=self.shown, letter=self.letter)
        return say("import.where.key", key=self.shown)


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index: 0 -> A, 26 -> AA."""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out
