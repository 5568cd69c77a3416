"""What the user gave cannot be used: one base class for every refusal the command line says and exits on.

A refusal is never a bug. Its message (in the language of the run: the raiser takes it from the catalogue) says
what is wrong and what to do; the command line (`cli.guarded`, the only place that catches it) prints it, then
`then` (a catalogue entry saying what was left as it was), and exits with `exit_code`. A usage refusal (an
option, a round or a folder that does not fit) is said as Click says usage errors and exits 2. Every stage may
raise one; this module imports nothing of readiness.
"""

from __future__ import annotations

from typing import ClassVar

#: Exit codes of every command: clean, findings (what was given is wrong), usage, a bug.
EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


class Refusal(Exception):
    """What was given cannot be used; nothing was written or changed."""

    #: The exit code of the command that refused.
    exit_code: ClassVar[int] = EXIT_FINDINGS
    #: A catalogue entry said after the message (what was left as it was), or None.
    then: ClassVar[str | None] = None


class UsageRefusal(Refusal):
    """An option, an argument or a folder that does not fit: said as Click says usage errors (the command's
    usage, then the message), exit 2."""

    exit_code = EXIT_USAGE


__all__ = ["EXIT_CLEAN", "EXIT_FINDINGS", "EXIT_INTERNAL", "EXIT_USAGE", "Refusal", "UsageRefusal"]
