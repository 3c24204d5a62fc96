"""Everything drill keeps: sessions, every answer, each card's memory state (SPEC 5).

One answer is one transaction: the answer row and the card's new memory state are committed
together, durably, before the caller may show feedback. The card's state is read inside that
transaction (``BEGIN IMMEDIATE``), so two sessions reviewing the same card at once each build on
the other's review instead of overwriting it.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from drill.clock import format_instant
from drill.errors import StoreError
from drill.store.database import DB_NAME, open_database, stored_instant, write_transaction

if TYPE_CHECKING:  # imported where a state is read: commands that only count never load it
    from drill.scheduling import MemoryState


class AnswerRecord(NamedTuple):
    """One answer as stored and exported."""

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
"""Computes a card's state after an answer from its state before (None for a new card)."""


class Store:
    """The open database. Every SQLite failure surfaces as ``StoreError`` (one line, exit 2)."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self.path = path

    @classmethod
    def open(cls, data_dir: Path, create: bool = True) -> Store | None:
        """The store in ``data_dir``; None if it has none and ``create`` is false."""
        conn = open_database(data_dir, create)
        return None if conn is None else cls(conn, data_dir / DB_NAME)

    def close(self) -> None:
        self._conn.close()

    @contextlib.contextmanager
    def _guard(self) -> Iterator[sqlite3.Connection]:
        try:
            yield self._conn
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"database {self.path}: {exc}") from None

    # --- writes ------------------------------------------------------------------------------

    def begin_session(
        self,
        session: str,
        started_at: datetime,
        mode: str,
        decks: Sequence[str],
        planned: int,
        seed: int,
        pass_mark: float | None,
    ) -> None:
        """Record that a session started, before its first card is shown."""
        with self._guard() as conn, write_transaction(conn):
            conn.execute(
                "INSERT INTO sessions (id, started_at, mode, decks, planned, seed, pass_mark)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    session,
                    format_instant(started_at),
                    mode,
                    json.dumps(list(decks), ensure_ascii=False),
                    planned,
                    seed,
                    pass_mark,
                ),
            )

    def record_answer(self, record: AnswerRecord, review: Review | None) -> None:
        """Commit one answer and, for graded cards, the card's new memory state, together."""
        with self._guard() as conn, write_transaction(conn):
            conn.execute(
                "INSERT INTO answers (session, deck, card, card_type, answered_at, correct,"
                " rating, latency_ms, timed_out, answer, error)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    record.session,
                    record.deck,
                    record.card,
                    record.card_type,
                    format_instant(record.answered_at),
                    None if record.correct is None else int(record.correct),
                    record.rating,
                    record.latency_ms,
                    int(record.timed_out),
                    record.answer,
                    record.error,
                ),
            )
            if review is not None:
                before = self._state(conn, record.deck, record.card)
                after = review(before)
                conn.execute(
                    "INSERT OR REPLACE INTO card_states (deck, card, due, state, step, stability,"
                    " difficulty, last_review, reps, lapses) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (record.deck, record.card, format_instant(after.due), after.state,
                     after.step, after.stability, after.difficulty,
                     None if after.last_review is None else format_instant(after.last_review),
                     after.reps, after.lapses),
                )  # fmt: skip

    def end_session(self, session: str, ended_at: datetime, passed: bool | None) -> None:
        """Record the end of a session (a session killed before this still keeps its answers)."""
        with self._guard() as conn, write_transaction(conn):
            conn.execute(
                "UPDATE sessions SET ended_at = ?, passed = ? WHERE id = ?",
                (format_instant(ended_at), None if passed is None else int(passed), session),
            )

    # --- reads -------------------------------------------------------------------------------

    def _state(self, conn: sqlite3.Connection, deck: str, card: str) -> MemoryState | None:
        row = conn.execute(
            "SELECT due, state, step, stability, difficulty, last_review, reps, lapses"
            " FROM card_states WHERE deck = ? AND card = ?",
            (deck, card),
        ).fetchone()
        if row is None:
            return None
        from drill.scheduling import MemoryState

        due, state, step, stability, difficulty, last_review, reps, lapses = row
        where = f"the card state of {deck}/{card}"
        return MemoryState(
            due=stored_instant(due, self.path, f"the due date in {where}"),
            state=state,
            step=step,
            stability=stability,
            difficulty=difficulty,
            last_review=None
            if last_review is None
            else stored_instant(last_review, self.path, f"the last review in {where}"),
            reps=reps,
            lapses=lapses,
        )

    def due_dates(self, decks: Iterable[str]) -> dict[tuple[str, str], datetime]:
        """(deck, card) to due instant for every card of ``decks`` that has a memory state."""
        ids = list(decks)
        with self._guard() as conn:
            rows = conn.execute(
                f"SELECT deck, card, due FROM card_states WHERE deck IN ({_marks(ids)})", ids
            ).fetchall()
        return {
            (deck, card): stored_instant(
                due, self.path, f"the due date in the card state of {deck}/{card}"
            )
            for deck, card, due in rows
        }

    def state(self, deck: str, card: str) -> MemoryState | None:
        """One card's memory state, if it has been reviewed."""
        with self._guard() as conn:
            return self._state(conn, deck, card)

    def query(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        """Rows of a read-only query; for the reports in ``drill.store.reports``."""
        with self._guard() as conn:
            return conn.execute(sql, params).fetchall()

    def iterate(self, sql: str, params: Sequence[object] = ()) -> Iterator[tuple]:
        """Rows of a read-only query, streamed (exports of millions of answers)."""
        with self._guard() as conn:
            yield from conn.execute(sql, params)


def _marks(values: Sequence[object]) -> str:
    return ",".join("?" * len(values))
