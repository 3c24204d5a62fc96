"""The values that cross the store's boundary: what is written, and the typed rows read back.

Every store (SQLite, PostgreSQL, the empty one) takes and returns exactly these, so nothing
outside ``drill.store`` ever sees a cursor, a row tuple in a database's own order or a line of
SQL. Instants are aware UTC ``datetime``s going in; coming out, rows that are printed as they are
(exports, reports) carry ISO 8601 UTC text, formatted by the database, so a million-row export
never builds a million ``datetime`` objects.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:  # imported where a state is built: commands that only count never load it
    from drill.scheduling import MemoryState


class CardSet(NamedTuple):
    """A deck's graded cards as the store needs them: their ids and the fingerprint of that
    set (``drill.deck.model.card_set_digest``, computed once when the deck is loaded)."""

    ids: Sequence[str]
    digest: int


class SessionStart(NamedTuple):
    """A session as recorded when it starts, before its first card is shown."""

    session: str
    started_at: datetime
    mode: str
    decks: tuple[str, ...]
    planned: int
    """Graded cards planned: an exam is judged on all of them, answered or not."""
    seed: int
    pass_mark: float | None
    card_sets: Mapping[str, CardSet] | None = None
    """Each deck's graded cards as the session has them: every card state the session writes
    is tagged with its deck's fingerprint (see ``Store.card_counts``)."""


class AnswerRecord(NamedTuple):
    """One answer as stored and exported (the learner is the store view's)."""

    session: str
    deck: str
    card: str
    card_type: str
    answered_at: datetime
    correct: bool | None
    rating: int | None
    latency_ms: int
    timed_out: bool
    answer: str
    error: str | None = None


Review = Callable[["MemoryState | None"], "MemoryState"]
"""Computes a card's state after an answer from its state before (None for a new card).

The store calls it inside the writing transaction, with the state it has just read (and, on
PostgreSQL, locked), so two sessions reviewing one card at once never lose an update."""


class DeckTotals(NamedTuple):
    """One learner's answers to one deck."""

    answers: int
    """Graded answers (breathing exercises are not answers)."""
    correct: int
    sessions: int
    """Sessions that showed any card of the deck, breathing included."""


class SessionRow(NamedTuple):
    """A session as listed under recent activity."""

    session: str
    started_at: str
    mode: str
    decks: list[str]
    answered: int
    correct: int
    planned: int
    passed: bool | None

    @property
    def total(self) -> int:
        """What the score is over: an exam's planned cards (answered or not), else the cards
        answered."""
        return self.planned if self.mode == "exam" else self.answered

    @property
    def score(self) -> float | None:
        """Right answers over graded answers; an exam's over the cards it planned (SPEC 4)."""
        return self.correct / self.total if self.total else None


class Scope(NamedTuple):
    """Which answers a trainer's read covers: learners, decks, since when (empty = all)."""

    learners: tuple[str, ...] = ()
    decks: tuple[str, ...] = ()
    since: datetime | None = None


class ExportRow(NamedTuple):
    """One answer as ``drill export`` writes it (SPEC 5), oldest first."""

    session: str
    deck: str
    card: str
    answered_at: str
    correct: int | None
    """1 right, 0 wrong, None for a breathing exercise (as the CSV writes it)."""
    rating: str | None
    latency_ms: int
    answer: str
    learner: str
    timed_out: int
    """1 or 0."""
    card_type: str


class ExamRow(NamedTuple):
    """A finished exam: its verdict and score against the cards it planned."""

    session: str
    learner: str
    decks: list[str]
    started_at: str
    ended_at: str
    planned: int
    correct: int
    passed: bool

    @property
    def score(self) -> float:
        return self.correct / self.planned if self.planned else 0.0


class LearnerDeckRow(NamedTuple):
    """A learner's work on one deck, for the trainers' report."""

    learner: str
    deck: str
    answers: int
    correct: int
    last_active: str


class CardRow(NamedTuple):
    """How one card fared over every learner in the report's scope."""

    deck: str
    card: str
    answers: int
    correct: int
    mean_latency_ms: float
    lapses: int
    """Answers rated again after that learner had once got the card right, summed."""


class WrongAnswer(NamedTuple):
    """A wrong answer given to a card, with how often it was given."""

    deck: str
    card: str
    answer: str
    given: int
    """How many times it was given (``count`` would shadow the tuple method)."""


class RiskRow(NamedTuple):
    """A learner with cards due, for the report's at-risk list."""

    learner: str
    overdue: int
    retrievability: float | None
    """Mean predicted recall (FSRS retrievability) now, over the learner's reviewed cards."""
