"""The one interface every store fills in, and the learner's view of it.

``Store`` names what drill needs from a database (record an answer, due counts, report rows,
export rows) and nothing about how: the SQLite and PostgreSQL stores implement it with their own
SQL, and nothing outside ``drill.store`` ever writes a query. One test suite runs against both.

Most of drill works for one learner at a time: ``LearnerStore`` is the store seen by one learner
(``store.learner(name)``), so a session, ``drill decks`` or ``drill stats`` cannot read or move
another learner's cards by mistake. Trainers' reads (``export``, ``report``) take a ``Scope``.

"No store yet" (a read-only command on a machine that never drilled) is ``EmptyStore``: it
answers every read with nothing, so no caller needs to handle a missing store.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from drill.store.records import (
    AnswerRecord,
    CardRow,
    DeckTotals,
    ExamRow,
    ExportRow,
    LearnerDeckRow,
    Review,
    RiskRow,
    Scope,
    SessionRow,
    SessionStart,
    WrongAnswer,
)

if TYPE_CHECKING:
    from drill.scheduling import MemoryState

CardIds = Mapping[str, Sequence[str]]
"""deck id to the ids of the (graded) cards the deck has now."""


class Store(ABC):
    """Everything drill keeps: sessions, every answer, each learner's card states (SPEC 5, 7).

    Every failure of the database surfaces as ``StoreError`` (one line, exit 2). Each write is
    one transaction, durable when the method returns.
    """

    location: str
    """Where the store is, for messages: a file path, or ``host:port/database`` (no password)."""

    def learner(self, name: str) -> LearnerStore:
        """This store as ``name`` sees it."""
        return LearnerStore(self, name)

    @abstractmethod
    def close(self) -> None: ...

    # --- one learner's writes ----------------------------------------------------------------

    @abstractmethod
    def begin_session(self, learner: str, start: SessionStart) -> None:
        """Record that a session started (adding the learner on their first session)."""

    @abstractmethod
    def record_answer(self, learner: str, record: AnswerRecord, review: Review | None) -> None:
        """Commit one answer and, for graded cards, the card's new memory state, together."""

    @abstractmethod
    def end_session(self, session: str, ended_at: datetime, passed: bool | None) -> None:
        """Record the end of a session (a session killed before this still keeps its answers)."""

    # --- one learner's reads -----------------------------------------------------------------

    @abstractmethod
    def due_dates(self, learner: str, decks: Iterable[str]) -> dict[tuple[str, str], datetime]:
        """(deck, card) to due instant for every card of ``decks`` the learner has reviewed."""

    @abstractmethod
    def state(self, learner: str, deck: str, card: str) -> MemoryState | None:
        """One card's memory state, if the learner has reviewed it."""

    @abstractmethod
    def card_counts(
        self,
        learner: str,
        cards: CardIds,
        now: datetime,
        card_sets: Mapping[str, int] | None = None,
    ) -> dict[str, tuple[int, int]]:
        """deck id to (cards reviewed, cards due at ``now``), counting only the given cards.

        ``card_sets``: each deck's fingerprint of those cards (``CardSet.digest``). A deck whose
        every stored state was written under that fingerprint holds no state of a card since
        removed, so its states are counted as they are, without checking each card id."""

    @abstractmethod
    def last_scores(self, learner: str, decks: Sequence[str]) -> dict[str, float]:
        """deck id to the score of the learner's latest session that answered any of its graded
        cards: right over answered, or for an exam right over the cards it planned."""

    @abstractmethod
    def answer_totals(self, learner: str, deck: str | None = None) -> dict[str, DeckTotals]:
        """deck id to the learner's totals, for every deck answered (or only ``deck``)."""

    @abstractmethod
    def recent_sessions(
        self, learner: str, deck: str | None = None, limit: int = 20
    ) -> list[SessionRow]:
        """The learner's latest sessions, newest first (with ``deck``, those that had it)."""

    @abstractmethod
    def due_instants(self, learner: str, cards: CardIds, before: datetime) -> list[datetime]:
        """Due instants before ``before`` of the given cards (for a due forecast)."""

    @abstractmethod
    def daily_activity(self, learner: str, since: datetime) -> dict[str, tuple[int, int]]:
        """UTC date (``YYYY-MM-DD``) to (graded answers, right ones) since ``since``."""

    @abstractmethod
    def has_answers(self, learner: str, deck: str) -> bool:
        """Whether the learner ever answered a card of ``deck`` (a deck since removed)."""

    # --- every learner: trainers' reads ------------------------------------------------------

    @abstractmethod
    def learners(self) -> list[str]:
        """Every learner with a session, by name."""

    @abstractmethod
    def export_rows(self, scope: Scope) -> Iterator[ExportRow]:
        """Every answer in ``scope``, oldest first, streamed."""

    @abstractmethod
    def exams(self, scope: Scope) -> list[ExamRow]:
        """Finished exams in ``scope`` (an exam counts for a deck it included), oldest first."""

    @abstractmethod
    def learner_decks(self, scope: Scope) -> list[LearnerDeckRow]:
        """Graded answers per learner and deck in ``scope``."""

    @abstractmethod
    def card_rows(self, scope: Scope) -> list[CardRow]:
        """Graded answers per card in ``scope``, over every learner."""

    @abstractmethod
    def top_wrong(self, scope: Scope) -> list[WrongAnswer]:
        """Per card, the wrong answer given most often (ties: the one first given)."""

    @abstractmethod
    def wrong_answers(self, scope: Scope, deck: str, card: str) -> list[WrongAnswer]:
        """Every distinct wrong answer to one card (as ``top_wrong`` counts them: no
        self-ratings, skips or blank answers), with its count, most given first."""

    @abstractmethod
    def due_counts(self, scope: Scope, now: datetime) -> dict[tuple[str, str], int]:
        """(learner, deck) to the cards due at ``now``, for the learners and decks in ``scope``
        (``since`` does not apply: a card's state is now, not a past answer)."""

    @abstractmethod
    def at_risk(self, scope: Scope, now: datetime, decay: float, factor: float) -> list[RiskRow]:
        """Learners in ``scope`` with cards due at ``now``, most due first, with the mean
        retrievability of their reviewed cards: ``(1 + factor * days / stability) ** decay``,
        FSRS's forgetting curve with the scheduler's own constants (``drill.scheduling``)."""


def vouched_counts(
    rows: Iterable[tuple[str, int, int]], known: Mapping[str, int], card_sets: Mapping[str, int]
) -> tuple[dict[str, tuple[int, int]], list[str]]:
    """Split per-deck (deck, states, due) ``rows``: the counts of decks whose fingerprint now
    (``card_sets``) is the one ``deck_totals`` holds (``known``), which hold only states of
    current cards, so the counts stand; and the other decks, to be counted card by card."""
    counts: dict[str, tuple[int, int]] = {}
    unsure: list[str] = []
    for deck, seen, due in rows:
        if deck in card_sets and known.get(deck) == card_sets[deck]:
            counts[deck] = (seen, due)
        else:
            unsure.append(deck)
    return counts, unsure


class LearnerStore:
    """The store as one learner sees it: their sessions, answers and card states only."""

    def __init__(self, store: Store, name: str) -> None:
        self.store = store
        self.name = name

    def close(self) -> None:
        """Close the store this is a view of."""
        self.store.close()

    def begin_session(self, start: SessionStart) -> None:
        self.store.begin_session(self.name, start)

    def record_answer(self, record: AnswerRecord, review: Review | None) -> None:
        self.store.record_answer(self.name, record, review)

    def end_session(self, session: str, ended_at: datetime, passed: bool | None) -> None:
        self.store.end_session(session, ended_at, passed)

    def due_dates(self, decks: Iterable[str]) -> dict[tuple[str, str], datetime]:
        return self.store.due_dates(self.name, decks)

    def state(self, deck: str, card: str) -> MemoryState | None:
        return self.store.state(self.name, deck, card)

    def card_counts(
        self, cards: CardIds, now: datetime, card_sets: Mapping[str, int] | None = None
    ) -> dict[str, tuple[int, int]]:
        return self.store.card_counts(self.name, cards, now, card_sets)

    def last_scores(self, decks: Sequence[str]) -> dict[str, float]:
        return self.store.last_scores(self.name, decks)

    def answer_totals(self, deck: str | None = None) -> dict[str, DeckTotals]:
        return self.store.answer_totals(self.name, deck)

    def recent_sessions(self, deck: str | None = None, limit: int = 20) -> list[SessionRow]:
        return self.store.recent_sessions(self.name, deck, limit)

    def due_instants(self, cards: CardIds, before: datetime) -> list[datetime]:
        return self.store.due_instants(self.name, cards, before)

    def daily_activity(self, since: datetime) -> dict[str, tuple[int, int]]:
        return self.store.daily_activity(self.name, since)

    def has_answers(self, deck: str) -> bool:
        return self.store.has_answers(self.name, deck)


class EmptyStore(Store):
    """No store yet: every read finds nothing. Never written to: a command that writes opens
    (and if need be creates) a real store instead."""

    def __init__(self, location: str) -> None:
        self.location = location

    def close(self) -> None:
        pass

    def begin_session(self, learner: str, start: SessionStart) -> None:
        raise AssertionError("an empty store is never written to")

    def record_answer(self, learner: str, record: AnswerRecord, review: Review | None) -> None:
        raise AssertionError("an empty store is never written to")

    def end_session(self, session: str, ended_at: datetime, passed: bool | None) -> None:
        raise AssertionError("an empty store is never written to")

    def due_dates(self, learner: str, decks: Iterable[str]) -> dict[tuple[str, str], datetime]:
        return {}

    def state(self, learner: str, deck: str, card: str) -> MemoryState | None:
        return None

    def card_counts(
        self,
        learner: str,
        cards: CardIds,
        now: datetime,
        card_sets: Mapping[str, int] | None = None,
    ) -> dict[str, tuple[int, int]]:
        return {}

    def last_scores(self, learner: str, decks: Sequence[str]) -> dict[str, float]:
        return {}

    def answer_totals(self, learner: str, deck: str | None = None) -> dict[str, DeckTotals]:
        return {}

    def recent_sessions(
        self, learner: str, deck: str | None = None, limit: int = 20
    ) -> list[SessionRow]:
        return []

    def due_instants(self, learner: str, cards: CardIds, before: datetime) -> list[datetime]:
        return []

    def daily_activity(self, learner: str, since: datetime) -> dict[str, tuple[int, int]]:
        return {}

    def has_answers(self, learner: str, deck: str) -> bool:
        return False

    def learners(self) -> list[str]:
        return []

    def export_rows(self, scope: Scope) -> Iterator[ExportRow]:
        return iter(())

    def exams(self, scope: Scope) -> list[ExamRow]:
        return []

    def learner_decks(self, scope: Scope) -> list[LearnerDeckRow]:
        return []

    def card_rows(self, scope: Scope) -> list[CardRow]:
        return []

    def top_wrong(self, scope: Scope) -> list[WrongAnswer]:
        return []

    def wrong_answers(self, scope: Scope, deck: str, card: str) -> list[WrongAnswer]:
        return []

    def due_counts(self, scope: Scope, now: datetime) -> dict[tuple[str, str], int]:
        return {}

    def at_risk(self, scope: Scope, now: datetime, decay: float, factor: float) -> list[RiskRow]:
        return []
