"""The question model both bank readers produce and the deck writer consumes.

It keeps what drill can use of a Moodle question (texts already reduced to plain text, answers
with their credit and feedback) and where each part stood in its file, and nothing of Moodle's
own bookkeeping. A reader never decides what drill can ask: unsupported kinds are read as far as
their kind and place, and the deck writer warns about them, so both formats skip the same things
with the same words.
"""

from __future__ import annotations

from typing import Final, Literal, NamedTuple

Severity = Literal["warning", "error"]

SUPPORTED_KINDS: Final = frozenset(
    {"multichoice", "truefalse", "shortanswer", "numerical", "ordering"}
)
"""Question kinds (Moodle's type names) that become cards; any other kind is skipped."""


class Notice(NamedTuple):
    """A located warning or error, printed as ``PATH:LINE:COL: SEVERITY: MESSAGE``."""

    path: str
    line: int
    col: int
    message: str
    severity: Severity = "warning"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message}"

    def as_error(self) -> Notice:
        """The same notice as an error (``--strict``)."""
        return self._replace(severity="error")


class BankError(Exception):
    """A file that cannot be read as a question bank at all: its syntax, encoding or size.

    ``line`` and ``col`` are 1-based and locate the cause, so the command prints one
    ``PATH:LINE:COL: error:`` line; nothing of the file is imported.
    """

    def __init__(self, line: int, col: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.col = col
        self.message = message


class Answer(NamedTuple):
    """One answer of a question, as the bank gives it.

    ``fraction`` is the credit it earns, from -1 to 1 (Moodle's 100% is 1). For a numerical
    answer ``text`` is the number as written (``*`` for Moodle's catch-all) and ``tolerance``
    how far off still counts; for an ordering question answers come in their right order.
    """

    text: str
    fraction: float
    feedback: str | None
    line: int
    col: int
    tolerance: str | None = None


class Question(NamedTuple):
    """One question of a bank, its texts plain (HTML already reduced), located in its file.

    ``kind`` is Moodle's question type name (``multichoice``, ``truefalse``, ``shortanswer``,
    ``numerical``, ``ordering``, ``essay``, ``matching``...). ``single`` says whether a
    multiple-choice question has one right answer (None: the bank did not say). ``notes`` are
    what the reader already knows was lost (an image, units), to be warned about if the question
    is kept.
    """

    kind: str
    name: str | None
    text: str
    answers: tuple[Answer, ...]
    general_feedback: str | None
    path: str
    line: int
    col: int
    single: bool | None = None
    shuffle: bool = True
    category: str | None = None
    notes: tuple[str, ...] = ()
    idnumber: str | None = None
    """Moodle's own id of the question (GIFT's ``// [id:...]``, Moodle XML's ``<idnumber>``)."""


class Bank(NamedTuple):
    """What a reader made of one file: its questions in file order, and what it noticed."""

    questions: tuple[Question, ...]
    notices: tuple[Notice, ...]
