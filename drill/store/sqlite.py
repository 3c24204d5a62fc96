"""The embedded store: one SQLite file in the data directory (SPEC 5), nothing to set up.

One answer is one transaction: the answer row and the card's new memory state are committed
together, durably, before the caller may show feedback. The card's state is read inside that
transaction (``BEGIN IMMEDIATE`` takes the write lock first), so two sessions reviewing the same
card at once each build on the other's review instead of overwriting it.

Instants are ISO 8601 UTC text (``2026-03-01T09:00:00.000Z``): sortable as text, so ranges and
"latest" need no conversion, and printed as stored.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drill.clock import format_instant
from drill.errors import StoreError
from drill.store.base import CardIds, Store
from drill.store.database import DB_NAME, open_database, stored_instant, write_transaction
from drill.store.migrations import Upgrade
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

_SEPARATOR = "\x1f"
"""Joins card ids in one string from the store; never part of a card id."""

_RATING_LABEL = (
    "CASE a.rating WHEN 1 THEN 'again' WHEN 2 THEN 'hard' WHEN 3 THEN 'good' WHEN 4 THEN 'easy' END"
)


def _json(values: Iterable[str]) -> str:
    return json.dumps(list(values), ensure_ascii=False)


class SqliteStore(Store):
    """The open database file. Every SQLite failure surfaces as ``StoreError``."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self.path = path
        self.location = str(path)
        self._ids: dict[str, int] = {}
        """Learner ids already looked up: a name's id never changes once given."""

    @classmethod
    def open(cls, data_dir: Path, create: bool, learner: Callable[[], str]) -> SqliteStore | None:
        """The store in ``data_dir``; None if it has none and ``create`` is false. A store from
        before learners is migrated now, its history given to ``learner``."""
        conn = open_database(data_dir, create, Upgrade(learner))
        return None if conn is None else cls(conn, data_dir / DB_NAME)

    def close(self) -> None:
        self._conn.close()

    @contextlib.contextmanager
    def _guard(self) -> Iterator[sqlite3.Connection]:
        try:
            yield self._conn
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"database {self.path}: {exc}") from None

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        with self._guard() as conn:
            return conn.execute(sql, params).fetchall()

    def _learner_id(self, name: str, create: bool = False) -> int | None:
        """The learner's id; with ``create`` (inside a write transaction) added if new."""
        known = self._ids.get(name)
        if known is not None:
            return known
        row = self._conn.execute("SELECT id FROM learners WHERE name = ?", (name,)).fetchone()
        if row is None and create:
            row = self._conn.execute(
                "INSERT INTO learners (name) VALUES (?) RETURNING id", (name,)
            ).fetchone()
        if row is None:
            return None
        self._ids[name] = row[0]
        return int(row[0])

    def _reader_id(self, name: str) -> int | None:
        with self._guard():
            return self._learner_id(name)

    # --- writes ------------------------------------------------------------------------------

    def begin_session(self, learner: str, start: SessionStart) -> None:
        with self._guard() as conn, write_transaction(conn):
            learner_id = self._learner_id(learner, create=True)
            conn.execute(
                "INSERT INTO sessions (id, learner, started_at, mode, decks, planned, seed,"
                " pass_mark) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (start.session, learner_id, format_instant(start.started_at), start.mode,
                 _json(start.decks), start.planned, start.seed, start.pass_mark),
            )  # fmt: skip

    def record_answer(self, learner: str, record: AnswerRecord, review: Review | None) -> None:
        with self._guard() as conn, write_transaction(conn):
            learner_id = self._learner_id(learner, create=True)
            conn.execute(
                "INSERT INTO answers (session, learner, deck, card, card_type, answered_at,"
                " correct, rating, latency_ms, timed_out, answer, error)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (record.session, learner_id, record.deck, record.card, record.card_type,
                 format_instant(record.answered_at),
                 None if record.correct is None else int(record.correct), record.rating,
                 record.latency_ms, int(record.timed_out), record.answer, record.error),
            )  # fmt: skip
            if review is not None:
                after = review(self._state(conn, learner_id, record.deck, record.card))
                conn.execute(
                    "INSERT OR REPLACE INTO card_states (learner, deck, card, due, state, step,"
                    " stability, difficulty, last_review, reps, lapses)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (learner_id, record.deck, record.card, format_instant(after.due),
                     after.state, after.step, after.stability, after.difficulty,
                     None if after.last_review is None else format_instant(after.last_review),
                     after.reps, after.lapses),
                )  # fmt: skip

    def end_session(self, session: str, ended_at: datetime, passed: bool | None) -> None:
        with self._guard() as conn, write_transaction(conn):
            conn.execute(
                "UPDATE sessions SET ended_at = ?, passed = ? WHERE id = ?",
                (format_instant(ended_at), None if passed is None else int(passed), session),
            )

    # --- one learner's reads -----------------------------------------------------------------

    def _state(
        self, conn: sqlite3.Connection, learner_id: int | None, deck: str, card: str
    ) -> MemoryState | None:
        row = conn.execute(
            "SELECT due, state, step, stability, difficulty, last_review, reps, lapses"
            " FROM card_states WHERE learner = ? AND deck = ? AND card = ?",
            (learner_id, deck, card),
        ).fetchone()
        if row is None:
            return None
        from drill.scheduling import MemoryState

        due, state, step, stability, difficulty, last_review, reps, lapses = row
        return MemoryState(
            due=stored_instant(due, self.path, f"the due date of the card state of {deck}/{card}"),
            state=state,
            step=step,
            stability=stability,
            difficulty=difficulty,
            last_review=None
            if last_review is None
            else stored_instant(
                last_review, self.path, f"the last review of the card state of {deck}/{card}"
            ),
            reps=reps,
            lapses=lapses,
        )

    def state(self, learner: str, deck: str, card: str) -> MemoryState | None:
        with self._guard() as conn:
            learner_id = self._learner_id(learner)
            return None if learner_id is None else self._state(conn, learner_id, deck, card)

    def due_dates(self, learner: str, decks: Iterable[str]) -> dict[tuple[str, str], datetime]:
        learner_id = self._reader_id(learner)
        if learner_id is None:
            return {}
        rows = self._rows(
            "SELECT deck, card, due FROM card_states WHERE learner = ?"
            " AND deck IN (SELECT value FROM json_each(?))",
            (learner_id, _json(decks)),
        )
        return {
            (deck, card): stored_instant(
                due, self.path, f"the due date in the card state of {deck}/{card}"
            )
            for deck, card, due in rows
        }

    def card_counts(
        self, learner: str, cards: CardIds, now: datetime
    ) -> dict[str, tuple[int, int]]:
        """One pass over the learner's states of all the decks counts them per deck and lists
        their card ids. Where every stored card is still in the deck (the usual case) those
        counts are the answer; only a deck that kept states of cards since removed is counted
        again, card by card."""
        learner_id = self._reader_id(learner)
        if learner_id is None:
            return {}
        stamp = format_instant(now)
        stored = {
            deck: (seen, due, ids)
            for deck, seen, due, ids in self._rows(
                "SELECT deck, count(*), sum(due <= ?), group_concat(card, char(31))"
                " FROM card_states WHERE learner = ? AND deck IN (SELECT value FROM json_each(?))"
                " GROUP BY deck",
                (stamp, learner_id, _json(cards)),
            )
        }
        counts: dict[str, tuple[int, int]] = {}
        for deck, (seen, due, ids) in stored.items():
            if not set(cards[deck]).issuperset(ids.split(_SEPARATOR)):
                ((seen, due),) = self._rows(
                    "SELECT count(*), coalesce(sum(due <= ?), 0) FROM card_states"
                    " WHERE learner = ? AND deck = ? AND card IN (SELECT value FROM json_each(?))",
                    (stamp, learner_id, deck, _json(cards[deck])),
                )
            counts[deck] = (seen, due)
        return counts

    def last_scores(self, learner: str, decks: Sequence[str]) -> dict[str, float]:
        learner_id = self._reader_id(learner)
        if learner_id is None:
            return {}
        scores: dict[str, float] = {}
        for deck in decks:
            # The latest graded answer comes from the partial index answers_graded_by_learner;
            # then ``correct IN (0, 1)`` (what graded means) lets answers_by_learner seek the
            # deck's answers in that session.
            rows = self._rows(
                "SELECT s.mode, s.planned,"
                " (SELECT avg(correct) FROM answers WHERE learner = ?1 AND deck = ?2"
                "  AND correct IN (0, 1) AND session = s.id),"
                " (SELECT coalesce(sum(correct), 0) FROM answers WHERE session = s.id)"
                " FROM sessions s WHERE s.id = (SELECT session FROM answers WHERE learner = ?1"
                "  AND deck = ?2 AND correct IS NOT NULL ORDER BY id DESC LIMIT 1)",
                (learner_id, deck),
            )
            if rows:
                mode, planned, average, right = rows[0]
                if mode == "exam":
                    scores[deck] = right / planned if planned else 0.0
                elif average is not None:
                    scores[deck] = average
        return scores

    def answer_totals(self, learner: str, deck: str | None = None) -> dict[str, DeckTotals]:
        """Read as counts per deck, correctness and session, in the order of the
        answers_by_learner index, and summed here: SQLite's ``count(DISTINCT session)`` would
        build a temporary index per deck instead, at three times the cost over a million
        answers."""
        learner_id = self._reader_id(learner)
        if learner_id is None:
            return {}
        where, params = ("", ()) if deck is None else (" AND deck = ?", (deck,))
        totals: dict[str, DeckTotals] = {}
        sessions: set[str] = set()
        current: str | None = None
        answers = right = 0
        for deck_id, correct, session, count in self._rows(
            f"SELECT deck, correct, session, count(*) FROM answers WHERE learner = ?{where}"
            " GROUP BY deck, correct, session ORDER BY deck",
            (learner_id, *params),
        ):
            if deck_id != current:
                if current is not None:
                    totals[current] = DeckTotals(answers, right, len(sessions))
                current, answers, right = deck_id, 0, 0
                sessions = set()
            sessions.add(session)
            if correct is not None:
                answers += count
                right += count * correct
        if current is not None:
            totals[current] = DeckTotals(answers, right, len(sessions))
        return totals

    def recent_sessions(
        self, learner: str, deck: str | None = None, limit: int = 20
    ) -> list[SessionRow]:
        learner_id = self._reader_id(learner)
        if learner_id is None:
            return []
        where = (
            "" if deck is None else " AND EXISTS (SELECT 1 FROM json_each(s.decks) WHERE value = ?)"
        )
        params: list[object] = [learner_id] if deck is None else [learner_id, deck]
        rows = self._rows(
            "SELECT s.id, s.started_at, s.mode, s.decks, s.planned, s.passed,"
            " (SELECT count(correct) FROM answers WHERE session = s.id),"
            " (SELECT coalesce(sum(correct), 0) FROM answers WHERE session = s.id)"
            f" FROM sessions s WHERE s.learner = ?{where}"
            " ORDER BY s.started_at DESC, s.rowid DESC LIMIT ?",
            [*params, limit],
        )
        return [
            SessionRow(
                session=sid,
                started_at=started,
                mode=mode,
                decks=json.loads(decks),
                answered=answered,
                correct=correct,
                planned=planned,
                passed=None if passed is None else bool(passed),
            )
            for sid, started, mode, decks, planned, passed, answered, correct in rows
        ]

    def due_instants(self, learner: str, cards: CardIds, before: datetime) -> list[datetime]:
        learner_id = self._reader_id(learner)
        if learner_id is None:
            return []
        stamp = format_instant(before)
        found: list[datetime] = []
        for deck, ids in cards.items():
            found.extend(
                stored_instant(due, self.path, f"the due date of a card of {deck}")
                for (due,) in self._rows(
                    "SELECT due FROM card_states WHERE learner = ? AND deck = ? AND due < ?"
                    " AND card IN (SELECT value FROM json_each(?))",
                    (learner_id, deck, stamp, _json(ids)),
                )
            )
        return found

    def daily_activity(self, learner: str, since: datetime) -> dict[str, tuple[int, int]]:
        learner_id = self._reader_id(learner)
        if learner_id is None:
            return {}
        rows = self._rows(
            "SELECT substr(answered_at, 1, 10) AS day, count(correct), coalesce(sum(correct), 0)"
            " FROM answers WHERE learner = ? AND answered_at >= ? GROUP BY day",
            (learner_id, format_instant(since)),
        )
        return {day: (answers, right) for day, answers, right in rows}

    def has_answers(self, learner: str, deck: str) -> bool:
        learner_id = self._reader_id(learner)
        if learner_id is None:
            return False
        return bool(
            self._rows(
                "SELECT 1 FROM answers WHERE learner = ? AND deck = ? LIMIT 1", (learner_id, deck)
            )
        )

    # --- every learner -----------------------------------------------------------------------

    def learners(self) -> list[str]:
        return [name for (name,) in self._rows("SELECT name FROM learners ORDER BY name")]

    def _scope(
        self, scope: Scope, alias: str = "a", when: str | None = "answered_at"
    ) -> tuple[str, list[object]]:
        """A ``WHERE`` clause (always starting ``WHERE 1``) selecting ``scope`` in the table
        aliased ``alias``: its learner, deck and (if ``when`` names it) time column."""
        clauses: list[str] = ["1"]
        params: list[object] = []
        if scope.learners:
            clauses.append(
                f"{alias}.learner IN (SELECT id FROM learners"
                " WHERE name IN (SELECT value FROM json_each(?)))"
            )
            params.append(_json(scope.learners))
        if scope.decks:
            clauses.append(f"{alias}.deck IN (SELECT value FROM json_each(?))")
            params.append(_json(scope.decks))
        if scope.since is not None and when is not None:
            clauses.append(f"{alias}.{when} >= ?")
            params.append(format_instant(scope.since))
        return "WHERE " + " AND ".join(clauses), params

    def export_rows(self, scope: Scope) -> Iterator[ExportRow]:
        """Every answer, even one whose learner is not on record (written by another program:
        its learner is empty), so that nothing stored is ever left out of an export."""
        where, params = self._scope(scope)
        with self._guard() as conn:
            cursor = conn.execute(
                "SELECT a.session, a.deck, a.card, a.answered_at, a.correct,"
                f" {_RATING_LABEL}, a.latency_ms, a.answer, coalesce(l.name, ''), a.timed_out,"
                " a.card_type FROM answers a LEFT JOIN learners l ON l.id = a.learner"
                f" {where} ORDER BY a.id",
                params,
            )
            make = ExportRow._make
            for row in cursor:
                yield make(row)

    def exams(self, scope: Scope) -> list[ExamRow]:
        clauses: list[str] = ["s.mode = 'exam'", "s.passed IS NOT NULL"]
        params: list[object] = []
        if scope.learners:
            clauses.append("l.name IN (SELECT value FROM json_each(?))")
            params.append(_json(scope.learners))
        if scope.decks:
            clauses.append(
                "EXISTS (SELECT 1 FROM json_each(s.decks) WHERE value IN"
                " (SELECT value FROM json_each(?)))"
            )
            params.append(_json(scope.decks))
        if scope.since is not None:
            clauses.append("s.started_at >= ?")
            params.append(format_instant(scope.since))
        rows = self._rows(
            "SELECT s.id, l.name, s.decks, s.started_at, s.ended_at, s.planned,"
            " (SELECT coalesce(sum(correct), 0) FROM answers WHERE session = s.id), s.passed"
            " FROM sessions s JOIN learners l ON l.id = s.learner"
            f" WHERE {' AND '.join(clauses)} ORDER BY s.started_at, s.rowid",
            params,
        )
        return [
            ExamRow(sid, name, json.loads(decks), started, ended, planned, right, bool(passed))
            for sid, name, decks, started, ended, planned, right, passed in rows
        ]

    def learner_decks(self, scope: Scope) -> list[LearnerDeckRow]:
        where, params = self._scope(scope)
        rows = self._rows(
            "SELECT l.name, t.deck, t.answers, t.correct, t.last FROM (SELECT a.learner,"
            " a.deck, count(a.correct) AS answers, coalesce(sum(a.correct), 0) AS correct,"
            f" max(a.answered_at) AS last FROM answers a {where} GROUP BY a.learner, a.deck) t"
            " JOIN learners l ON l.id = t.learner ORDER BY l.name, t.deck",
            params,
        )
        return [LearnerDeckRow._make(row) for row in rows]

    def card_rows(self, scope: Scope) -> list[CardRow]:
        where, params = self._scope(scope)
        rows = self._rows(
            "WITH firsts AS (SELECT a.learner, a.deck, a.card, min(a.id) AS first_right"
            f" FROM answers a {where} AND a.correct = 1 GROUP BY a.learner, a.deck, a.card)"
            " SELECT a.deck, a.card, max(a.card_type), count(*), sum(a.correct),"
            " avg(a.latency_ms), coalesce(sum(a.rating = 1 AND a.id > f.first_right), 0)"
            " FROM answers a LEFT JOIN firsts f"
            " ON f.learner = a.learner AND f.deck = a.deck AND f.card = a.card"
            f" {where} AND a.correct IS NOT NULL GROUP BY a.deck, a.card",
            params + params,
        )
        return [CardRow._make(row) for row in rows]

    def top_wrong(self, scope: Scope) -> list[WrongAnswer]:
        where, params = self._scope(scope)
        rows = self._rows(
            "SELECT deck, card, answer, n FROM (SELECT a.deck, a.card, a.answer, count(*) AS n,"
            " row_number() OVER (PARTITION BY a.deck, a.card ORDER BY count(*) DESC, min(a.id))"
            f" AS rank FROM answers a {where} AND a.correct = 0 AND a.card_type <> 'flashcard'"
            " AND a.answer NOT IN ('', 'skip') GROUP BY a.deck, a.card, a.answer) WHERE rank = 1",
            params,
        )
        return [WrongAnswer._make(row) for row in rows]

    def wrong_answers(self, scope: Scope, deck: str, card: str) -> list[WrongAnswer]:
        where, params = self._scope(scope)
        rows = self._rows(
            f"SELECT a.deck, a.card, a.answer, count(*) FROM answers a {where}"
            " AND a.deck = ? AND a.card = ? AND a.correct = 0 AND a.answer NOT IN ('', 'skip')"
            " GROUP BY a.answer ORDER BY count(*) DESC, min(a.id)",
            [*params, deck, card],
        )
        return [WrongAnswer._make(row) for row in rows]

    def due_counts(self, scope: Scope, now: datetime) -> dict[tuple[str, str], int]:
        where, params = self._scope(scope, "s", when=None)
        rows = self._rows(
            "SELECT l.name, t.deck, t.due FROM (SELECT s.learner, s.deck, count(*) AS due"
            f" FROM card_states s {where} AND s.due <= ? GROUP BY s.learner, s.deck) t"
            " JOIN learners l ON l.id = t.learner",
            [*params, format_instant(now)],
        )
        return {(name, deck): due for name, deck, due in rows}

    def at_risk(self, scope: Scope, now: datetime, decay: float, factor: float) -> list[RiskRow]:
        where, params = self._scope(scope, "s", when=None)
        stamp = format_instant(now)
        rows = self._rows(
            "SELECT l.name, t.overdue, t.recall FROM (SELECT s.learner,"
            " sum(s.due <= ?1) AS overdue,"
            " avg(CASE WHEN s.stability > 0 AND s.last_review IS NOT NULL THEN"
            "  pow(1 + ?2 * max(0, CAST(julianday(?1) - julianday(s.last_review) AS INTEGER))"
            "  / s.stability, ?3) END) AS recall"
            f" FROM card_states s {where}"  # its plain ? follow ?3: SQLite numbers them 4, 5
            " GROUP BY s.learner HAVING overdue > 0) t JOIN learners l ON l.id = t.learner"
            " ORDER BY t.overdue DESC, l.name",
            [stamp, factor, decay, *params],
        )
        return [RiskRow._make(row) for row in rows]
