"""Progress read back from the store: due and new counts, accuracy, sessions, last scores.

Shared by ``drill decks``, ``drill stats`` and the TUI's deck list and stats screen, so every
place that shows a figure computes it the same way. Counts consider only the cards a deck has
now: memory states of cards removed from a deck are kept (the card may come back) but not
counted. The store does the reading (all SQL lives there); this module joins its figures with
the decks found.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import NamedTuple

from drill.deck.model import Deck
from drill.store import LearnerStore
from drill.store.records import SessionRow

RECENT_SESSIONS = 20
SessionProgress = SessionRow
"""One session as listed under recent activity (``score`` judges an exam on its planned cards)."""


class DeckProgress(NamedTuple):
    """One deck's figures; ``due``/``new`` are None for a deck no longer found."""

    deck: str
    answers: int
    correct: int
    sessions: int
    due: int | None
    new: int | None
    last_score: float | None

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.answers if self.answers else None


def graded_ids(decks: Iterable[Deck]) -> dict[str, Sequence[str]]:
    """deck id to the ids of its graded cards (those with a memory state to count)."""
    return {deck.id: deck.graded_ids for deck in decks}


def due_and_new(
    store: LearnerStore, decks: Iterable[Deck], now: datetime
) -> dict[str, tuple[int, int]]:
    """deck id to (cards due now, cards never reviewed), counting only the deck's current cards."""
    decks = list(decks)
    graded = graded_ids(decks)
    card_sets = {deck.id: deck.card_set for deck in decks}
    counts = store.card_counts(graded, now, card_sets) if graded else {}
    result: dict[str, tuple[int, int]] = {}
    for deck_id, ids in graded.items():
        seen, due = counts.get(deck_id, (0, 0))
        result[deck_id] = (due, len(ids) - seen)
    return result


def last_scores(store: LearnerStore, deck_ids: Sequence[str]) -> dict[str, float]:
    """deck id to its score in the latest session that answered any of its graded cards (an
    exam's score is against the cards it planned)."""
    return store.last_scores(deck_ids)


def deck_progress(
    store: LearnerStore, decks: Sequence[Deck], now: datetime, only: str | None = None
) -> list[DeckProgress]:
    """Figures for every deck found, plus decks the store remembers that are no longer found."""
    totals = store.answer_totals(only)
    found = [d for d in decks if only is None or d.id == only]
    counts = due_and_new(store, found, now)
    scores = last_scores(store, [d.id for d in found] + [k for k in totals if only in (None, k)])
    rows = [
        DeckProgress(d.id, *totals.get(d.id, (0, 0, 0)), *counts[d.id], scores.get(d.id))
        for d in found
    ]
    known = {d.id for d in decks}
    rows.extend(
        DeckProgress(deck_id, *figures, None, None, scores.get(deck_id))
        for deck_id, figures in sorted(totals.items())
        if deck_id not in known and only in (None, deck_id)
    )
    return rows


def recent_sessions(
    store: LearnerStore, only: str | None = None, limit: int = RECENT_SESSIONS
) -> list[SessionRow]:
    """The latest sessions, newest first (with ``only``, those that included that deck)."""
    return store.recent_sessions(only, limit)


def due_forecast(
    store: LearnerStore, decks: Sequence[Deck], now: datetime, days: int = 14
) -> list[int]:
    """Cards falling due on each of the next ``days`` days (day 0 includes overdue cards)."""
    forecast = [0] * days
    for due in store.due_instants(graded_ids(decks), now + timedelta(days=days)):
        day = max(0, (due - now).days)
        forecast[min(day, days - 1)] += 1
    return forecast


def daily_activity(
    store: LearnerStore, now: datetime, days: int = 14
) -> list[tuple[str, int, int]]:
    """(date, answers, correct) for each of the last ``days`` days, oldest first (UTC dates)."""
    first = now - timedelta(days=days - 1)
    since = first.replace(hour=0, minute=0, second=0, microsecond=0)
    by_day = store.daily_activity(since)
    dates = [
        (now - timedelta(days=offset)).date().isoformat() for offset in range(days - 1, -1, -1)
    ]
    return [(d, *by_day.get(d, (0, 0))) for d in dates]
