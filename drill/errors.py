"""The errors a user can cause, each carrying the exit code SPEC section 3 assigns to it.

The CLI catches ``DrillError`` at one place and prints its message as a single line, so no
user input ever ends in a traceback.
"""

from __future__ import annotations

from typing import NamedTuple

EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
EXIT_CLOSED_PIPE = 141
"""128 + SIGPIPE: what a shell reports for a writer whose reader went away (``| head -1``)."""


class DrillError(Exception):
    """A failure caused by input or environment, reported as one line and an exit code."""

    exit_code: int = EXIT_USAGE


class UsageError(DrillError):
    """Bad command-line arguments, an unknown deck, an unreadable file (exit 2)."""


class StoreError(DrillError):
    """The data directory or its database cannot be used safely (exit 2); nothing was written."""


class Problem(NamedTuple):
    """One problem in a deck (or answers) file, located at the YAML node that caused it."""

    path: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: error: {self.message}"


class DeckError(DrillError):
    """One or more decks failed to load (exit 1); ``problems`` holds every located problem."""

    exit_code = EXIT_CHECK_FAILED

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems
