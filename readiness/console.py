"""What the commands print: tables for the terminal (`readiness score`) and the data formats of `score` (JSON and
CSV of results, a scenario's effects, how sure each level is), so that `cli.py` only parses options and calls
the stages. Tables: columns sized to what they hold, regions nested under their parent with tree lines, nothing
cut. A cell wider than its column wraps onto the next line; no name is ever
shortened, so what a line shows can be searched for in the files.

    Fourth quarter 2025 (2025-q4, cut-off 2025-12-31)
      region                      id        level            score  change  cover  why
      Republic of Lomara          lomara    Not ready         74.7           100%  Roll-up: northern
      ├─ Central Province         central   Partially ready   83.0           100%  Roll-up: dabori, selu
      │  ├─ Dabori                dabori    Partially ready   68.0           100%
      │  └─ Selu                  selu      Partially ready   58.5           100%
      └─ Northern Province        northern  Not ready         58.4            97%  Roll-up: kurmi

Text from the project passes through `escape_controls`, so a name cannot move the cursor or recolour the
terminal.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .diagnostics import escape_controls
from .i18n import language, say, say_n
from .model import LocalText

if TYPE_CHECKING:
    from .i18n import Translator

MAX_REGION = 44
"""Widest the region column grows (tree lines included); longer names wrap."""
MAX_LEVEL = 26
MARGIN = "  "
GAP = "  "
BRANCH, LAST, PIPE, SPACE = "├─ ", "└─ ", "│  ", "   "


# ---------------------------------------------------------------- text as a terminal shows it


def display_width(text: str) -> int:
    """Columns that `text` takes on a terminal: wide (East Asian) characters take two, combining marks and
    zero-width characters none."""
    width = 0
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def pad(text: str, width: int, right: bool = False) -> str:
    space = " " * max(width - display_width(text), 0)
    return space + text if right else text + space


def wrap(text: str, width: int, later: int | None = None) -> list[str]:
    """`text` in lines of at most `width` columns (`later` for the lines after the first), broken between words
    where it can, inside a word only when the word alone is wider than a line. Every character is kept."""
    lines: list[str] = []

    def room() -> int:
        return max(width if not lines else (later if later is not None else width), 1)

    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if display_width(candidate) <= room():
            current = candidate
            continue
        if current:
            lines.append(current)
        while display_width(word) > room():  # a word wider than the column: split it, keep every character
            head = ""
            for char in word:
                if display_width(head + char) > room() and head:
                    break
                head += char
            lines.append(head)
            word = word[len(head) :]
        current = word
    lines.append(current)
    return lines


def local(text: Any, lang: str) -> str:
    """Text from the project in `lang`, safe to print."""
    value = text.get(lang) if isinstance(text, LocalText) else ("" if text is None else str(text))
    return escape_controls(" ".join(value.split()) if "\n" in value or "\r" in value else value)


# ---------------------------------------------------------------- tables


@dataclass
class Column:
    title: str
    right: bool = False
    maximum: int | None = None
    """Widest the column may grow; None: as wide as its widest cell."""
    wraps: bool = True


@dataclass
class Cell:
    text: str
    continuation: str = ""
    """What starts each further line of a wrapped cell (the tree lines of a region)."""
    prefix: str = ""
    """What starts the first line (the tree lines of a region)."""


def table(
    columns: Sequence[Column], rows: Iterable[Sequence[Cell | str]], margin: str = MARGIN, width: int | None = None
) -> list[str]:
    """Lines of a table: a header, then each row, its cells wrapped within their column. With `width` (the
    terminal's), the last column wraps to what is left of it (never narrower than 24 columns)."""
    cells = [[c if isinstance(c, Cell) else Cell(c) for c in row] for row in rows]
    widths = []
    for i, column in enumerate(columns):
        wanted = max([display_width(column.title)] + [display_width(row[i].prefix + row[i].text) for row in cells])
        if column.maximum is not None:
            # deep tree lines still leave room for a dozen columns of name
            tree = max(
                [display_width(row[i].prefix) for row in cells]
                + [display_width(row[i].continuation) for row in cells]
                + [0]
            )
            wanted = min(wanted, max(column.maximum, display_width(column.title), tree + 12))
        widths.append(wanted)
    if width is not None:
        _fit(columns, widths, cells, width - display_width(margin) - display_width(GAP) * (len(columns) - 1))
    out = _line(columns, widths, [[c.title] for c in columns], margin, [""] * len(columns))
    for row in cells:
        parts = []
        for column, size, cell in zip(columns, widths, row, strict=True):
            if not column.wraps:
                parts.append([cell.prefix + cell.text])
                continue
            lines = wrap(cell.text, size - display_width(cell.prefix), size - display_width(cell.continuation))
            parts.append([cell.prefix + lines[0]] + [cell.continuation + line for line in lines[1:]])
        # a row made taller by another cell keeps its tree lines running down to the next row
        out += _line(columns, widths, parts, margin, [cell.continuation.rstrip() for cell in row])
    return out


def _fit(columns: Sequence[Column], widths: list[int], cells: list[list[Cell]], room: int) -> None:
    """Narrow the wrapping columns until the table fits in `room` columns: the last one first (down to 24),
    then the others with a maximum (down to a dozen columns beside their tree lines), widest first. A table
    that cannot fit stays wider than the terminal: nothing is cut."""
    floors = []
    for i, column in enumerate(columns):
        lines = max(
            [display_width(row[i].prefix) for row in cells]
            + [display_width(row[i].continuation) for row in cells]
            + [0]
        )
        floor = max(display_width(column.title), lines + 12)
        if i == len(columns) - 1:
            floor = max(floor, 24)
        floors.append(min(widths[i], floor) if column.wraps else widths[i])
    last = len(columns) - 1
    order = [last] + sorted((i for i in range(last) if columns[i].maximum is not None), key=lambda i: -widths[i])
    for i in order:
        over = sum(widths) - room
        if over <= 0:
            return
        widths[i] -= min(over, widths[i] - floors[i])


def _line(
    columns: Sequence[Column], widths: list[int], parts: list[list[str]], margin: str, fillers: list[str]
) -> list[str]:
    height = max(len(p) for p in parts)
    lines = []
    for n in range(height):
        texts = [
            pad(p[n] if n < len(p) else filler, w, c.right)
            for c, w, p, filler in zip(columns, widths, parts, fillers, strict=True)
        ]
        lines.append((margin + GAP.join(texts)).rstrip())
    return lines


# ---------------------------------------------------------------- the region tree


def tree_order(regions: dict[str, Any], shown: Iterable[str], lang: str = "en") -> list[tuple[str, str, str]]:
    """The `shown` regions depth-first from the top, parents before their parts and siblings by name (as the
    site lists them), each with the tree lines of its first line and of its further lines. A region whose
    parent is not shown hangs from its nearest shown ancestor, or stands at the top."""
    shown = set(shown)

    def shown_parent(rid: str) -> str | None:
        seen = {rid}
        parent = regions[rid].parent if rid in regions else None
        while parent is not None and parent in regions and parent not in seen:
            if parent in shown:
                return parent
            seen.add(parent)
            parent = regions[parent].parent
        return None

    children: dict[str | None, list[str]] = {}
    for rid in regions:
        if rid in shown:
            children.setdefault(shown_parent(rid), []).append(rid)
    for rid in sorted(shown - set(regions)):  # not in the project's regions (should not happen): at the top
        children.setdefault(None, []).append(rid)

    def key(rid: str) -> tuple[bool, str, str]:
        national = rid in regions and regions[rid].kind == "national"  # national institutions after the country
        return (national, local(regions[rid].name, lang).casefold() if rid in regions else rid, rid)

    out: list[tuple[str, str, str]] = []

    def visit(rid: str, lines: str, connector: str, below: str) -> None:
        kids = sorted(children.get(rid, []), key=key)
        out.append((rid, lines + connector, lines + below + ("│ " if kids else "  ")))
        for i, kid in enumerate(kids):
            last = i == len(kids) - 1
            visit(kid, lines + below, LAST if last else BRANCH, SPACE if last else PIPE)

    for rid in sorted(children.get(None, []), key=key):
        visit(rid, "", "", "")
    return out


# ---------------------------------------------------------------- `readiness score`


@functools.cache
def translator(lang: str) -> Translator:
    """The words and number formats of `lang` (one per language: a table asks for them on every row)."""
    from .i18n import Translator

    return Translator(lang)


def fixed(value: float, digits: int, tr: Translator) -> str:
    """A number with `digits` decimals as Python rounds it (`f"{value:.1f}"`), with the language's decimal
    sign."""
    return f"{value:.{digits}f}".replace(".", tr.decimal)


def gate_name(code: str, lang: str | None = None) -> str:
    try:
        return translator(lang or language())(f"gate.{code}")
    except KeyError:
        return code


def gate_detail(effect: Any, labels: dict[str, str] | None = None, lang: str | None = None) -> str:
    """What made a gate bite, in a few ids (the indicators below the floor, the parts least ready...): the gate
    says it (`Gate.brief`, scoring/gates/)."""
    from .scoring.gates import GATES

    gate = GATES.get(effect.gate)
    return gate.brief(effect, translator(lang or language()), labels or {}) if gate is not None else ""


def why(result: Any, lang: str | None = None, labels: dict[str, str] | None = None) -> str:
    """The gates that set the level, named: `Critical floor: K3, K7; Evidence: coverage 45%`."""
    lang = lang or language()
    parts = []
    for effect in result.gates:
        detail = escape_controls(gate_detail(effect, labels, lang))
        name = gate_name(effect.gate, lang)
        parts.append(translator(lang)("tables.why.gate", gate=name, detail=detail) if detail else name)
    if result.override and not any(e.gate == "override" for e in result.gates):
        parts.insert(0, gate_name("override", lang))
    state = getattr(result, "handover", None)
    if state is not None and state.at_risk:
        tr = translator(lang)
        parts.insert(
            0,
            tr("explain.at_risk", text=tr("handover.reverted", decision=state.reverted_by))
            if state.reverted_by
            else tr("handover.at_risk").upper(),
        )
    if not parts:
        return ""
    tr = translator(lang)
    return functools.reduce(lambda first, then: tr("tables.why.more", first=first, then=then), parts)


def score_table(
    project: Any, results: Any, rows: Sequence[Any], lang: str | None = None, width: int | None = None
) -> str:
    """The table of `readiness score`: for each round of `rows` (RegionRound results, in any order), its
    regions as a tree with their level (by its label), score, change since the round before, coverage of
    current data and the gates that held them back, named (and, when the project keeps a handover register, who
    holds primacy after the round's decisions). With `width` (the terminal's), the why column
    wraps to fit; nothing is ever cut. `results` (optional) gives the rounds' order; default: by date. In `lang`
    (default: the language the command speaks), names from the project too."""
    lang = lang or language()
    tr = translator(lang)
    fw = project.framework
    labels = {lv.id: local(lv.label, lang) for lv in fw.levels} if fw is not None else {}
    digits = fw.rounding.digits if fw is not None else 1
    by_round: dict[str, dict[str, Any]] = {}
    for r in rows:
        by_round.setdefault(r.round, {})[r.region] = r
    order = {rid: i for i, rid in enumerate(getattr(results, "rounds", None) or project.round_order)}
    out: list[str] = []
    for round_id in sorted(by_round, key=lambda rid: (order.get(rid, len(order)), rid)):
        found = by_round[round_id]
        rnd = project.rounds.get(round_id)
        heading = (
            tr(
                "tables.score.heading",
                label=local(rnd.label, lang),
                round=escape_controls(round_id),
                date=rnd.date.isoformat(),
            )
            + ("  " + tr("tables.provisional") if getattr(rnd, "collecting", False) else "")
            if rnd is not None
            else escape_controls(round_id)
        )
        body: list[list[Cell | str]] = []
        register = bool(getattr(project, "decisions", None))
        for rid, first, rest in tree_order(project.regions, found, lang):
            r = found[rid]
            region = project.regions.get(rid)
            name = local(region.name, lang) if region is not None else rid
            primacy = [tr(f"handover.short.{r.handover.primacy}") if r.handover is not None else ""] if register else []
            body.append(
                [
                    Cell(name, prefix=first, continuation=rest),
                    escape_controls(rid),
                    labels.get(r.level, escape_controls(r.level)),
                    *primacy,
                    "" if r.rounded is None else tr.number(Decimal(r.rounded), digits),
                    "" if r.change is None else tr.number(Decimal(r.change), digits, sign=True),
                    tr.percent(r.coverage),
                    why(r, lang, labels),
                ]
            )
        columns = [
            Column(tr("tables.score.column.region"), maximum=MAX_REGION),
            Column(tr("tables.score.column.id"), wraps=False),
            Column(tr("tables.score.column.level"), maximum=MAX_LEVEL),
            *([Column(tr("tables.score.column.primacy"), wraps=False)] if register else []),
            Column(tr("tables.score.column.score"), right=True),
            Column(tr("tables.score.column.change"), right=True),
            Column(tr("tables.score.column.cover"), right=True),
            Column(tr("tables.score.column.why")),
        ]
        out += ["", heading, *table(columns, body, width=width)]
    return "\n".join(out).lstrip("\n") + "\n"


def uncertainty_table(project: Any, analysis: Any, regions: dict[str, Any], width: int | None = None) -> str:
    """The table of `readiness score --uncertainty`: each region's level, how often the samples give it, whether
    that is robust, the score's and the rank's 5-95% intervals and what moves the score most."""
    lang = language()
    tr = translator(lang)
    fw = project.framework
    labels = {lv.id: local(lv.label, lang) for lv in fw.levels}
    rnd = project.rounds.get(analysis.round)
    heading = say_n(
        "tables.uncertainty.heading", analysis.samples, seed=analysis.seed, round=escape_controls(analysis.round)
    ) + ("  " + say("tables.provisional") if getattr(rnd, "collecting", False) else "")
    body: list[list[Cell | str]] = []
    for rid, u in regions.items():
        region = project.regions.get(rid)
        moves = u.sensitivity[0]["factor"] if u.sensitivity else ""
        body.append(
            [
                local(region.name, lang) if region is not None else rid,
                labels.get(u.level, u.level),
                say("tables.percent", value=fixed(u.share_same * 100, 0, tr)),
                say("tables.uncertainty.robust") if u.robust else say("tables.uncertainty.fragile"),
                say(
                    "tables.uncertainty.interval",
                    low=fixed(u.score_interval[0], 1, tr),
                    high=fixed(u.score_interval[1], 1, tr),
                )
                if u.score_interval
                else "-",
                say("tables.uncertainty.interval", low=u.rank_interval[0], high=u.rank_interval[1])
                if u.rank_interval
                else "-",
                moves + ("  " + say("tables.uncertainty.override") if u.override else ""),
            ]
        )
    columns = [
        Column(say("tables.uncertainty.column.region"), maximum=MAX_REGION),
        Column(say("tables.uncertainty.column.level"), maximum=MAX_LEVEL),
        Column(say("tables.uncertainty.column.same"), right=True),
        Column(say("tables.uncertainty.column.robust")),
        Column(say("tables.uncertainty.column.score"), right=True),
        Column(say("tables.uncertainty.column.rank"), right=True),
        Column(say("tables.uncertainty.column.moves")),
    ]
    return "\n".join([heading, *table(columns, body, width=width)]) + "\n"


def scenario_report(
    project: Any, name: str, round_id: str, effects: Sequence[Any], paths: dict[str, Any], explainer: Any
) -> str:
    """What a scenario assumes and what it changes: levels and scores before and after, the gates that no
    longer hold a region back, the steps of its path (`paths`, by region) the scenario completes, in the
    explainer's words."""
    lang = language()
    tr = translator(lang)
    fw = project.framework
    labels = {lv.id: local(lv.label, lang) for lv in fw.levels}
    scenario = project.scenarios[name]
    lines = [
        say(
            "tables.scenario.heading",
            name=local(scenario.name, lang),
            id=escape_controls(name),
            round=escape_controls(round_id),
        )
    ]
    for change in scenario.changes:
        value = say("tables.scenario.not_collected") if change.value is None else _decimal(change.value, tr)
        lines.append(
            "  " + say("tables.scenario.assumes", region=change.region, indicator=change.indicator, value=value)
        )
    if not effects:
        lines.append(say("tables.scenario.nothing"))
    for e in effects:
        region = project.regions.get(e.region)
        change = (
            say("tables.scenario.unchanged")
            if e.level_before == e.level_after
            else say("tables.scenario.changed", level=labels[e.level_after])
        )
        lines.append(
            "  "
            + say(
                "tables.scenario.effect",
                region=local(region.name, lang) if region else e.region,
                before=labels[e.level_before],
                change=change,
                score_before=_decimal(e.score_before, tr),
                score_after=_decimal(e.score_after, tr),
            )
        )
        lines += ["      " + say("tables.scenario.cleared", gate=gate_name(gate, lang)) for gate in e.cleared]
        lines += [
            "      " + say("tables.scenario.done", step=explainer.step(step))
            for step in paths.get(e.region, [])
            if list(step.key) in e.resolved
        ]
    return "\n".join(lines) + "\n"


def _decimal(value: Any, tr: Translator) -> str:
    """A number as Python writes it (`72.5`, `None`), with the language's decimal sign; anything else as it is."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return str(value).replace(".", tr.decimal)
    return escape_controls(str(value))


# ---------------------------------------------------------------- the data formats of score


def csv_text(header: list[str], rows: list[dict[str, Any]]) -> str:
    """Rows as CSV with `header`, every text made safe for a spreadsheet (a leading `=` is not a formula)."""
    import csv
    import io

    from .authoring.export import spreadsheet_text

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows({k: spreadsheet_text(v) for k, v in row.items()} for row in rows)
    return out.getvalue()


def score_output(fmt: str, project: Any, results: Any, rows: list[Any], width: int | None = None) -> str:
    """`readiness score`'s output for the regions and rounds in `rows`: JSON (results.json's entries, a round
    still collected marked provisional), CSV (a row per region and round) or the table."""
    if fmt == "json":
        import json

        from .scoring.results import region_round_dict

        entries = [
            region_round_dict(r) | ({"provisional": True} if project.rounds[r.round].collecting else {}) for r in rows
        ]
        return json.dumps(entries, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    if fmt == "csv":
        from .checks import pillar_ids
        from .scoring.results import Results, results_csv

        subset = Results(
            results.framework,
            results.rounds,
            results.levels,
            results.handover_level,
            {(r.round, r.region): r for r in rows},
        )
        return results_csv(subset, pillar_ids(project.framework))
    return score_table(project, results, rows, width=width)


#: The columns of `readiness score --scenario --format csv`.
SCENARIO_COLUMNS = [
    "scenario",
    "round",
    "region",
    "level_before",
    "level_after",
    "score_before",
    "score_after",
    "cleared",
    "resolved",
]


def scenario_data(fmt: str, name: str, round_id: str, effects: list[Any]) -> str:
    """What a scenario changes, region by region, as JSON or CSV."""
    import dataclasses

    rows = [
        {
            k: (str(v) if v is not None and not isinstance(v, list | int) else v)
            for k, v in dataclasses.asdict(e).items()
        }
        for e in effects
    ]
    if fmt == "json":
        import json

        return json.dumps({"scenario": name, "round": round_id, "effects": rows}, indent=1) + "\n"
    return csv_text(
        SCENARIO_COLUMNS,
        [
            {
                "scenario": name,
                "round": round_id,
                **row,
                "cleared": "; ".join(effect.cleared),
                "resolved": "; ".join(" ".join(key) for key in effect.resolved),
            }
            for effect, row in zip(effects, rows, strict=True)
        ],
    )


def uncertainty_output(fmt: str, project: Any, analysis: Any, regions: dict[str, Any], width: int | None = None) -> str:
    """How sure each region's level is (`readiness score --uncertainty`): JSON, CSV or the table."""
    if fmt == "json":
        import json

        from .uncertainty import analysis_dict

        data = analysis_dict(analysis)
        data["regions"] = {k: v for k, v in data["regions"].items() if k in regions}
        return json.dumps(data, indent=1, sort_keys=True) + "\n"
    if fmt == "csv":
        levels = [lv.id for lv in project.framework.levels]
        return csv_text(
            [
                "round",
                "region",
                "level",
                "robust",
                "share_same_level",
                "score_5",
                "score_95",
                "rank_5",
                "rank_95",
                "moves_it_most",
                *(f"p_{lv}" for lv in levels),
            ],
            [
                {
                    "round": analysis.round,
                    "region": rid,
                    "level": u.level,
                    "robust": u.robust,
                    "share_same_level": round(u.share_same, 4),
                    "score_5": round(u.score_interval[0], 3) if u.score_interval else "",
                    "score_95": round(u.score_interval[1], 3) if u.score_interval else "",
                    "rank_5": u.rank_interval[0] if u.rank_interval else "",
                    "rank_95": u.rank_interval[1] if u.rank_interval else "",
                    "moves_it_most": u.sensitivity[0]["factor"] if u.sensitivity else "",
                    **{f"p_{lv}": round(u.probabilities.get(lv, 0.0), 4) for lv in levels},
                }
                for rid, u in regions.items()
            ],
        )
    return uncertainty_table(project, analysis, regions, width=width)
