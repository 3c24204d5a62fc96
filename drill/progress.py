"""Progress read back from the store: due and new counts, accuracy, sessions, last scores.

Shared by ``drill decks``, ``drill stats`` and the TUI's deck list and stats screen, so every
place that shows a figure computes it the same way. Counts consider only the cards a deck has
now: memory states of cards removed from a deck are kept (the card may come back) but not
counted.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import NamedTuple

from drill.clock import format_instant
from drill.deck.model import Deck
from drill.store import Store
from drill.store.database import stored_instant

RECENT_SESSIONS = 20


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


class SessionProgress(NamedTuple):
    """One session as listed under recent activity."""

    session: str
    started_at: str
    mode: str
    decks: list[str]
    answered: int
    correct: int
    passed: bool | None

    @property
    def score(self) -> float | None:
        return self.correct / self.answered if self.answered else None


def _ids_json(deck: Deck) -> str:
    return json.dumps([c.id for c in deck.graded_cards], ensure_ascii=False)


_SEPARATOR = "\x1f"
"""Joins card ids in one string from the store; never part of a card id."""


def due_and_new(
    store: Store | None, decks: Iterable[Deck], now: datetime
) -> dict[str, tuple[int, int]]:
    """deck id to (cards due now, cards never reviewed), counting only the deck's current cards.

    One pass over the stored states of all ``decks`` counts them per deck and lists their card
    ids. Where every stored card is still in the deck (the usual case) those counts are the
    answer; only a deck that kept states of cards since removed is counted again card by card.
    """
    decks = list(decks)
    graded = {deck.id: [c.id for c in deck.cards if c.type != "breathing"] for deck in decks}
    if store is None:
        return {deck_id: (0, len(ids)) for deck_id, ids in graded.items()}
    stamp = format_instant(now)
    stored = {
        deck_id: (seen, due, cards)
        for deck_id, seen, due, cards in store.query(
            "SELECT deck, count(*), sum(due <= ?), group_concat(card, char(31)) FROM card_states"
            " WHERE deck IN (SELECT value FROM json_each(?)) GROUP BY deck",
            (stamp, json.dumps(list(graded), ensure_ascii=False)),
        )
    }
    counts: dict[str, tuple[int, int]] = {}
    for deck_id, ids in graded.items():
        seen, due, cards = stored.get(deck_id, (0, 0, ""))
        if seen and not set(ids).issuperset(cards.split(_SEPARATOR)):
            ((seen, due),) = store.query(
                "SELECT count(*), coalesce(sum(due <= ?), 0) FROM card_states WHERE deck = ?"
                " AND card IN (SELECT value FROM json_each(?))",
                (stamp, deck_id, json.dumps(ids, ensure_ascii=False)),
            )
        counts[deck_id] = (due, len(ids) - seen)
    return counts


def last_scores(store: Store | None, deck_ids: Sequence[str]) -> dict[str, float]:
    """deck id to its score in the latest session that answered any of its graded cards."""
    if store is None:
        return {}
    scores: dict[str, float] = {}
    for deck_id in deck_ids:
        # The latest graded answer comes from the partial index answers_graded_by_deck; then
        # ``correct IN (0, 1)`` (what graded means) lets answers_by_deck seek that session.
        rows = store.query(
            "SELECT avg(correct) FROM answers WHERE deck = ?1 AND correct IN (0, 1)"
            " AND session = (SELECT session FROM answers WHERE deck = ?1 AND correct IS NOT NULL"
            " ORDER BY id DESC LIMIT 1)",
            (deck_id,),
        )
        if rows and rows[0][0] is not None:
            scores[deck_id] = rows[0][0]
    return scores


def answer_totals(store: Store, only: str | None = None) -> dict[str, tuple[int, int, int]]:
    """deck id to (graded answers, right answers, sessions that answered any of its cards).

    Read as counts per deck, correctness and session, in the order of the answers_by_deck
    index, and summed here: SQLite's ``count(DISTINCT session)`` would build a temporary index
    per deck instead, at three times the cost over a million answers.
    """
    where, params = ("", ()) if only is None else ("WHERE deck = ?", (only,))
    totals: dict[str, tuple[int, int, int]] = {}
    sessions: set[str] = set()
    current: str | None = None
    answers = right = 0
    for deck_id, correct, session, count in store.query(
        f"SELECT deck, correct, session, count(*) FROM answers {where}"
        " GROUP BY deck, correct, session ORDER BY deck",
        params,
    ):
        if deck_id != current:
            if current is not None:
                totals[current] = (answers, right, len(sessions))
            current, answers, right = deck_id, 0, 0
            sessions = set()
        sessions.add(session)
        if correct is not None:
            answers += count
            right += count * correct
    if current is not None:
        totals[current] = (answers, right, len(sessions))
    return totals


def deck_progress(
    store: Store | None, decks: Sequence[Deck], now: datetime, only: str | None = None
) -> list[DeckProgress]:
    """Figures for every deck found, plus decks the store remembers that are no longer found."""
    totals = {} if store is None else answer_totals(store, only)
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
    store: Store | None, only: str | None = None, limit: int = RECENT_SESSIONS
) -> list[SessionProgress]:
    """The latest sessions, newest first (with ``only``, those that included that deck)."""
    if store is None:
        return []
    where = (
        "" if only is None else "WHERE EXISTS (SELECT 1 FROM json_each(s.decks) WHERE value = ?)"
    )
    params: list[object] = [] if only is None else [only]
    rows = store.query(
        "SELECT s.id, s.started_at, s.mode, s.decks, s.passed,"
        " (SELECT count(correct) FROM answers WHERE session = s.id),"
        " (SELECT coalesce(sum(correct), 0) FROM answers WHERE session = s.id)"
        f" FROM sessions s {where} ORDER BY s.started_at DESC, s.rowid DESC LIMIT ?",
        [*params, limit],
    )
    return [
        SessionProgress(
            session=sid,
            started_at=started,
            mode=mode,
            decks=json.loads(decks),
            answered=answered,
            correct=correct,
            passed=None if passed is None else bool(passed),
        )
        for sid, started, mode, decks, passed, answered, correct in rows
    ]


def due_forecast(
    store: Store | None, decks: Sequence[Deck], now: datetime, days: int = 14
) -> list[int]:
    """Cards falling due on each of the next ``days`` days (day 0 includes overdue cards)."""
    forecast = [0] * days
    if store is None:
        return forecast
    for deck in decks:
        for (due,) in store.query(
            "SELECT due FROM card_states WHERE deck = ? AND due < ?"
            " AND card IN (SELECT value FROM json_each(?))",
            (deck.id, format_instant(now + timedelta(days=days)), _ids_json(deck)),
        ):
            when = stored_instant(due, store.path, f"the due date of a card of {deck.id}")
            day = max(0, (when - now).days)
            forecast[min(day, days - 1)] += 1
    return forecast


def daily_activity(
    store: Store | None, now: datetime, days: int = 14
) -> list[tuple[str, int, int]]:
    """(date, answers, correct) for each of the last ``days`` days, oldest first (UTC dates)."""
    if store is None:
        rows = []
    else:
        start = (now - timedelta(days=days - 1)).date().isoformat()
        rows = store.query(
            "SELECT substr(answered_at, 1, 10) AS day, count(correct), coalesce(sum(correct), 0)"
            " FROM answers WHERE answered_at >= ? GROUP BY day",
            (start,),
        )
    by_day = {day: (answers, correct) for day, answers, correct in rows}
    dates = [
        (now - timedelta(days=offset)).date().isoformat() for offset in range(days - 1, -1, -1)
    ]
    return [(d, *by_day.get(d, (0, 0))) for d in dates]
