"""YAML itself: what the loader refuses before any schema reads the file (Y001-Y005, raised in loading.py)."""

from __future__ import annotations

from .base import ERROR, Rule


class YamlSyntax(Rule):
    """A file that is not valid YAML: most often an indentation that does not line up, a missing colon, a
    bracket left open, or a value holding `: ` or ` #` without quotes. The rest of the file cannot be read, so
    what it defines is left out of the other checks.

    Fails, as assessments/rounds.yaml:

        rounds:
          - {id: 2026-q1, label: First quarter 2026, date: 2026-03-31}
          - {id: 2026-q3, label: Third quarter 2026, date: 2026-09-30

    Passes, as assessments/rounds.yaml:

        rounds:
          - {id: 2026-q1, label: First quarter 2026, date: 2026-03-31}
          - {id: 2026-q3, label: Third quarter 2026, date: 2026-09-30}
    """

    code = "Y001"
    name = "yaml-syntax"
    severity = ERROR
    raised_in = "loading.py"


class Encoding(Rule):
    """A file that is not UTF-8 text: saved by an old editor in a local encoding (a Latin-1 `é`), as UTF-16,
    or holding control characters or invisible line separators pasted from another program.

    No example: the trigger is bytes that a text snippet cannot hold.
    """

    code = "Y002"
    name = "encoding"
    severity = ERROR
    raised_in = "loading.py"


class DuplicateKey(Rule):
    """The same key twice in one mapping. YAML keeps only the last, silently, so half of what was written
    would be lost: the file is refused instead, at the second key.

    Fails, as assessments/rounds.yaml:

        rounds:
          - id: 2026-q1
            label: First quarter 2026
            date: 2026-03-31
          - id: 2026-q3
            label: Third quarter 2026
            date: 2026-09-30
            date: 2026-10-15

    Passes, as assessments/rounds.yaml:

        rounds:
          - id: 2026-q1
            label: First quarter 2026
            date: 2026-03-31
          - id: 2026-q3
            label: Third quarter 2026
            date: 2026-09-30
    """

    code = "Y003"
    name = "duplicate-key"
    severity = ERROR
    raised_in = "loading.py"


class AnchorAlias(Rule):
    """An anchor (`&name`) or an alias (`*name`): a value written once and repeated by reference. A reviewer
    reading the second place does not see the value, so every value is written out where it applies.

    Fails, as assessments/rounds.yaml:

        rounds:
          - id: 2026-q1
            label: First quarter 2026
            date: &cutoff 2026-03-31
          - id: 2026-q1-late
            label: Late returns of the first quarter
            date: *cutoff
          - id: 2026-q3
            label: Third quarter 2026
            date: 2026-09-30

    Passes, as assessments/rounds.yaml:

        rounds:
          - id: 2026-q1
            label: First quarter 2026
            date: 2026-03-31
          - id: 2026-q1-late
            label: Late returns of the first quarter
            date: 2026-03-31
          - id: 2026-q3
            label: Third quarter 2026
            date: 2026-09-30
    """

    code = "Y004"
    name = "anchor-alias"
    severity = ERROR
    raised_in = "loading.py"


class YamlFeature(Rule):
    """A YAML feature no project file needs: an empty file, several documents separated by `---`, a custom tag
    (`!!python/...`, which could make other YAML readers run code) or a complex key (`? `).

    Fails, as assessments/rounds.yaml:

        rounds:
          - {id: 2026-q1, label: First quarter 2026, date: 2026-03-31}
        ---
        rounds:
          - {id: 2026-q3, label: Third quarter 2026, date: 2026-09-30}

    Passes, as assessments/rounds.yaml:

        rounds:
          - {id: 2026-q1, label: First quarter 2026, date: 2026-03-31}
          - {id: 2026-q3, label: Third quarter 2026, date: 2026-09-30}
    """

    code = "Y005"
    name = "yaml-feature"
    severity = ERROR
    raised_in = "loading.py"
