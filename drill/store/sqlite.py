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
import functools
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drill.clock import format_instant
from drill.errors import StoreError
from drill.store.base import CardIds, Store, vouched_counts
from drill.store.database import DB_NAME, open_database, stored_instant, write_transaction
from drill.store.migrations import WRONG_ANSWER, Upgrade
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


_ANSWER_COLUMNS = (
    "session, learner, deck, card, card_type, answered_at, correct, rating, latency_ms,"
    " timed_out, answer, error"
)
_STATE_COLUMNS = "due, state, step, stability, difficulty, last_review, reps, lapses"
_READ_STATE = (
    f"SELECT {_STATE_COLUMNS} FROM card_states WHERE learner = ? AND deck = ? AND card = ?"
)
_STALE = "drill: stale card state"
_WRITE = (
    "CREATE TEMP VIEW answer_write AS SELECT "
    + ", ".join(
        f"NULL AS {column}"
        for column in f"{_ANSWER_COLUMNS}, {_STATE_COLUMNS}, card_set, before_reps, first".split(
            ", "
        )
    ),
    f"""CREATE TEMP TRIGGER answer_write INSTEAD OF INSERT ON answer_write BEGIN
        INSERT INTO deck_totals (learner, deck, sessions, last_active, card_set)
        SELECT NEW.learner, NEW.deck, 1, NEW.answered_at, NEW.card_set WHERE NEW.rating IS NULL
            OR (NEW.first AND NOT EXISTS (SELECT 1 FROM answers
                WHERE session = NEW.session AND deck = NEW.deck))
        ON CONFLICT (learner, deck) DO UPDATE SET
            sessions = sessions + (NEW.first AND NOT EXISTS (SELECT 1 FROM answers
                WHERE session = NEW.session AND deck = NEW.deck)),
            last_active = max(last_active, excluded.last_active),
            card_set = CASE WHEN card_set = excluded.card_set THEN card_set END;
        UPDATE deck_totals SET card_set = NULL WHERE NEW.before_reps IS NULL
            AND NEW.rating IS NOT NULL AND learner = NEW.learner AND deck = NEW.deck
            AND card_set <> NEW.card_set;
        INSERT INTO answers ({_ANSWER_COLUMNS}) VALUES (NEW.session, NEW.learner, NEW.deck,
            NEW.card, NEW.card_type, NEW.answered_at, NEW.correct, NEW.rating, NEW.latency_ms,
            NEW.timed_out, NEW.answer, NEW.error);
        INSERT INTO card_states (learner, deck, card, {_STATE_COLUMNS}, answers, correct,
            latency_ms, last_answer, last_answered)
        SELECT NEW.learner, NEW.deck, NEW.card, NEW.due, NEW.state, NEW.step, NEW.stability,
            NEW.difficulty, NEW.last_review, NEW.reps, NEW.lapses, 1, NEW.correct,
            NEW.latency_ms, last_insert_rowid(), NEW.answered_at
        WHERE NEW.rating IS NOT NULL
        ON CONFLICT (learner, deck, card) DO UPDATE SET due = excluded.due,
            state = excluded.state, step = excluded.step, stability = excluded.stability,
            difficulty = excluded.difficulty, last_review = excluded.last_review,
            reps = excluded.reps, lapses = excluded.lapses,
            answers = answers + 1, correct = correct + excluded.correct,
            latency_ms = latency_ms + excluded.latency_ms,
            again_after_right = again_after_right + (NEW.rating = 1 AND correct > 0),
            last_answer = excluded.last_answer,
            last_answered = max(coalesce(last_answered, ''), excluded.last_answered)
        WHERE card_states.reps = NEW.before_reps;
        SELECT RAISE(ABORT, '{_STALE}') WHERE NEW.rating IS NOT NULL AND changes() = 0;
    END""",
)
"""How an answer is written: one statement (``_INSERT_WRITE``) in the transaction SQLite gives
every statement of its own, where ``BEGIN``, a read, two writes and ``COMMIT`` were five.

A graded answer's card state is written only over the state the review was computed from
(its review count, ``before_reps``; NULL for a card never reviewed), else the whole statement
fails and nothing is written: a compare-and-set, as the PostgreSQL store does. With the state
go the card's counters (``drill.store.migrations``, schema 4), in the same row, so a graded
answer writes three pages (the answer, its place in answers_by_session, the state) and the
deck's totals only at a session's first answer to the deck, for a breathing exercise, or
when a card's first state comes from a session whose deck differs from the fingerprint
``deck_totals`` holds (which it then forgets). The view and trigger are temporary, this
connection's own: how this code writes, not part of the stored schema."""
_INSERT_WRITE = (
    f"INSERT INTO answer_write ({_ANSWER_COLUMNS}, {_STATE_COLUMNS}, card_set, before_reps,"
    f" first) VALUES ({', '.join('?' * 23)})"
)
_NO_STATE = (None,) * 8
"""The state columns of a breathing answer (``_INSERT_WRITE``): it has none."""
_UNKNOWN: Any = object()
"""A card whose state this store has not read yet (unlike None: read, and never reviewed)."""

_EXPORT_ROW = functools.partial(tuple.__new__, ExportRow)
"""A row of the export query as an ``ExportRow``, made in C (``ExportRow._make`` is a Python
call: a third of the time of exporting a million answers to CSV)."""


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
        self._known: dict[tuple[int, str, str], tuple[Any, ...] | None] = {}
        """(learner id, deck, card) to the state row last read or written (None: no state)."""
        self._read_decks: set[tuple[str, str]] = set()
        """(learner, deck) whose states were all read: a card of one not in ``_known`` had
        none then."""
        self._write_ready = False
        """Whether this connection has the temporary view answers are written through."""
        self._card_sets: dict[str, dict[str, int]] = {}
        """session to deck to the fingerprint of the deck's cards as the session has them."""
        self._counted: set[tuple[str, str]] = set()
        """(session, deck) whose first answer this store wrote: the session is counted in the
        deck's totals, so later answers need not look (a session is written by the store that
        began it; one it did not begin is looked up, so counted once all the same)."""

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
        """Record the session; and for each of its decks the learner has answered, keep the
        deck's fingerprint in ``deck_totals`` if every stored state is of one of its current
        cards (else forget it), so that its due counts can be read without checking each
        card id while the deck stays as it is."""
        card_sets = start.card_sets or {}
        with self._guard() as conn, write_transaction(conn):
            learner_id = self._learner_id(learner, create=True)
            conn.execute(
                "INSERT INTO sessions (id, learner, started_at, mode, decks, planned, seed,"
                " pass_mark) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (start.session, learner_id, format_instant(start.started_at), start.mode,
                 _json(start.decks), start.planned, start.seed, start.pass_mark),
            )  # fmt: skip
            for deck, cards in card_sets.items():
                row = conn.execute(
                    "SELECT card_set FROM deck_totals WHERE learner = ? AND deck = ?",
                    (learner_id, deck),
                ).fetchone()
                if row is not None and row[0] != cards.digest:
                    conn.execute(
                        "UPDATE deck_totals SET card_set = CASE WHEN EXISTS (SELECT 1"
                        " FROM card_states WHERE learner = ?1 AND deck = ?2 AND card NOT IN"
                        " (SELECT value FROM json_each(?3))) THEN NULL ELSE ?4 END"
                        " WHERE learner = ?1 AND deck = ?2",
                        (learner_id, deck, _json(cards.ids), cards.digest),
                    )
        self._card_sets[start.session] = {deck: c.digest for deck, c in card_sets.items()}

    def record_answer(self, learner: str, record: AnswerRecord, review: Review | None) -> None:
        """One statement, so one transaction, in the common case (see ``_WRITE``): the review is
        computed from the state this store last read or wrote for the card, and written only
        if the card still has it. Otherwise (a card not read yet, or changed by another
        process since) the careful way: the state read and written under the write lock."""
        try:
            self._record(learner, record, review)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"database {self.path}: {exc}") from None

    def _record(self, learner: str, record: AnswerRecord, review: Review | None) -> None:
        learner_id = self._ids.get(learner) or self._new_learner(learner)
        session, deck = record.session, record.deck
        counted = (session, deck)
        first = counted not in self._counted
        card_set = self._card_sets.get(session, {}).get(deck, 0)
        correct = record.correct
        answer = (
            session, learner_id, deck, record.card, record.card_type,
            format_instant(record.answered_at), None if correct is None else int(correct),
            record.rating, record.latency_ms, int(record.timed_out), record.answer, record.error,
        )  # fmt: skip
        if review is None:
            self._prepare_writes()
            self._conn.execute(_INSERT_WRITE, (*answer, *_NO_STATE, card_set, None, first))
            self._counted.add(counted)
            return
        key = (learner_id, deck, record.card)
        before = self._known.get(key, None if (learner, deck) in self._read_decks else _UNKNOWN)
        if before is not _UNKNOWN:
            written = self._write(answer, before, review, card_set, first, fallible=True)
            if written is not None:
                self._known[key] = written
                self._counted.add(counted)
                return
        with write_transaction(self._conn):
            row = self._conn.execute(_READ_STATE, key).fetchone()
            written = self._write(answer, row, review, card_set, first)
        self._known[key] = written
        self._counted.add(counted)

    def _write(
        self,
        answer: tuple[object, ...],
        before: tuple[Any, ...] | None,
        review: Review,
        card_set: int,
        first: bool,
        fallible: bool = False,
    ) -> tuple[Any, ...] | None:
        """Write ``answer`` and the state ``review`` makes of ``before`` (a stored state row, or
        None for a card never reviewed), if the card's state is still ``before``; returns the
        state row written. With ``fallible``, None when another writer changed the card first
        (nothing was written); else the caller holds the write lock and that cannot happen.
        ``first``: whether this may be the session's first answer to the deck (else the
        statement need not look)."""
        after = review(
            None if before is None else _memory(before, self.path, str(answer[2]), str(answer[3]))
        )
        last = after.last_review
        state = (format_instant(after.due), after.state, after.step, after.stability,
                 after.difficulty, None if last is None else format_instant(last), after.reps,
                 after.lapses)  # fmt: skip
        self._prepare_writes()
        try:
            self._conn.execute(
                _INSERT_WRITE,
                (*answer, *state, card_set, None if before is None else before[6], first),
            )
        except sqlite3.IntegrityError as exc:
            if fallible and _STALE in str(exc):
                return None
            raise
        return state

    def _prepare_writes(self) -> None:
        if not self._write_ready:
            for statement in _WRITE:
                self._conn.execute(statement)
            self._write_ready = True

    def _new_learner(self, name: str) -> int:
        """Add ``name`` as a learner (a session's first write adds them; this is for a write
        without one, which only tests make)."""
        with write_transaction(self._conn):
            learner_id = self._learner_id(name, create=True)
        assert learner_id is not None
        return learner_id

    def end_session(self, session: str, ended_at: datetime, passed: bool | None) -> None:
        with self._guard() as conn, write_transaction(conn):
            conn.execute(
                "UPDATE sessions SET ended_at = ?, passed = ? WHERE id = ?",
                (format_instant(ended_at), None if passed is None else int(passed), session),
            )

    # --- one learner's reads -----------------------------------------------------------------

    def state(self, learner: str, deck: str, card: str) -> MemoryState | None:
        with self._guard() as conn:
            learner_id = self._learner_id(learner)
            if learner_id is None:
                return None
            row = conn.execute(_READ_STATE, (learner_id, deck, card)).fetchone()
            return None if row is None else _memory(row, self.path, deck, card)

    def due_dates(self, learner: str, decks: Iterable[str]) -> dict[tuple[str, str], datetime]:
        """Reads the whole state of every card of ``decks`` and remembers it, so the session's
        answers can each be written by one statement (``_WRITE``)."""
        names = list(decks)
        learner_id = self._reader_id(learner)
        self._read_decks.update((learner, deck) for deck in names)
        if learner_id is None:
            return {}
        rows = self._rows(
            f"SELECT deck, card, {_STATE_COLUMNS} FROM card_states WHERE learner = ?"
            " AND deck IN (SELECT value FROM json_each(?))",
            (learner_id, _json(names)),
        )
        known = self._known
        found: dict[tuple[str, str], datetime] = {}
        for deck, card, *state in rows:
            known[(learner_id, deck, card)] = tuple(state)
            found[(deck, card)] = stored_instant(
                state[0], self.path, f"the due date in the card state of {deck}/{card}"
            )
        return found

    def card_counts(
        self,
        learner: str,
        cards: CardIds,
        now: datetime,
        card_sets: Mapping[str, int] | None = None,
    ) -> dict[str, tuple[int, int]]:
        """One pass over the learner's states counts them per deck. A deck whose fingerprint
        now (``card_sets``) is the one ``deck_totals`` holds has only states of its current
        cards, so those counts are the answer. The others (edited since, or counted without
        fingerprints) are checked card by card, and only a deck that does keep states of
        removed cards is counted again, those left out."""
        learner_id = self._reader_id(learner)
        if learner_id is None:
            return {}
        stamp = format_instant(now)
        card_sets = card_sets or {}
        known = dict(
            self._rows(
                "SELECT deck, card_set FROM deck_totals WHERE learner = ? AND card_set IS NOT NULL",
                (learner_id,),
            )
        )
        counts, unsure = vouched_counts(
            self._rows(
                "SELECT deck, count(*), sum(due <= ?) FROM card_states WHERE learner = ?"
                " AND deck IN (SELECT value FROM json_each(?)) GROUP BY deck",
                (stamp, learner_id, _json(cards)),
            ),
            known,
            card_sets,
        )
        if not unsure:
            return counts
        for deck, seen, due, ids in self._rows(
            "SELECT deck, count(*), sum(due <= ?), group_concat(card, char(31))"
            " FROM card_states WHERE learner = ? AND deck IN (SELECT value FROM json_each(?))"
            " GROUP BY deck",
            (stamp, learner_id, _json(unsure)),
        ):
            if not set(cards[deck]).issuperset(ids.split(_SEPARATOR)):
                ((seen, due),) = self._rows(
                    "SELECT count(*), coalesce(sum(due <= ?), 0) FROM card_states"
                    " WHERE learner = ? AND deck = ? AND card IN (SELECT value FROM json_each(?))",
                    (stamp, learner_id, deck, _json(cards[deck])),
                )
            counts[deck] = (seen, due)
        return counts

    def last_scores(self, learner: str, decks: Sequence[str]) -> dict[str, float]:
        """From each deck's latest graded answer (the greatest ``last_answer`` of its card
        states), its session: that session's answers to the deck, or for an exam all its
        answers, read from answers_by_session."""
        learner_id = self._reader_id(learner)
        if learner_id is None or not decks:
            return {}
        rows = self._rows(
            "SELECT t.deck, s.mode, s.planned,"
            " (SELECT avg(correct) FROM answers WHERE session = s.id"
            "  AND deck = t.deck AND correct IS NOT NULL),"
            " (SELECT coalesce(sum(correct), 0) FROM answers WHERE session = s.id)"
            " FROM (SELECT deck, max(last_answer) AS last_answer FROM card_states"
            "  WHERE learner = ? AND deck IN (SELECT value FROM json_each(?)) GROUP BY deck) t"
            " JOIN answers a ON a.id = t.last_answer JOIN sessions s ON s.id = a.session",
            (learner_id, _json(decks)),
        )
        scores: dict[str, float] = {}
        for deck, mode, planned, average, right in rows:
            if mode == "exam":
                scores[deck] = right / planned if planned else 0.0
            elif average is not None:
                scores[deck] = average
        return scores

    def answer_totals(self, learner: str, deck: str | None = None) -> dict[str, DeckTotals]:
        """Sessions from ``deck_totals``, answers summed over the deck's card states."""
        learner_id = self._reader_id(learner)
        if learner_id is None:
            return {}
        where, params = ("", ()) if deck is None else (" AND t.deck = ?", (deck,))
        rows = self._rows(
            "SELECT t.deck, coalesce(c.answers, 0), coalesce(c.correct, 0), t.sessions"
            " FROM deck_totals t LEFT JOIN (SELECT deck, sum(answers) AS answers,"
            "  sum(correct) AS correct FROM card_states WHERE learner = ?1 GROUP BY deck) c"
            f" ON c.deck = t.deck WHERE t.learner = ?1{where} ORDER BY t.deck",
            (learner_id, *params),
        )
        return {deck_id: DeckTotals(n, right, sessions) for deck_id, n, right, sessions in rows}

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
        """The answers are found through the learner's sessions (no index of answers by
        learner and time is kept: it would be one more page to write with every answer): a
        session that ended before ``since`` has no answer after it, so only the others' answers
        are read, through answers_by_session."""
        learner_id = self._reader_id(learner)
        if learner_id is None:
            return {}
        rows = self._rows(
            "SELECT substr(a.answered_at, 1, 10) AS day, count(a.correct),"
            " coalesce(sum(a.correct), 0) FROM sessions s JOIN answers a ON a.session = s.id"
            " WHERE s.learner = ?1 AND (s.ended_at IS NULL OR s.ended_at >= ?2)"
            " AND a.answered_at >= ?2 GROUP BY day",
            (learner_id, format_instant(since)),
        )
        return {day: (answers, right) for day, answers, right in rows}

    def has_answers(self, learner: str, deck: str) -> bool:
        learner_id = self._reader_id(learner)
        if learner_id is None:
            return False
        return bool(
            self._rows(
                "SELECT 1 FROM deck_totals WHERE learner = ? AND deck = ?", (learner_id, deck)
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
            yield from map(_EXPORT_ROW, cursor)

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
        """From ``deck_totals`` and the counters of the card states; counted from the answers
        only for a report ``since`` a date."""
        if scope.since is None:
            where, params = self._scope(scope, "t", when=None)
            states, state_params = self._scope(scope, "s", when=None)
            rows = self._rows(
                "SELECT l.name, t.deck, coalesce(c.answers, 0), coalesce(c.correct, 0),"
                " max(t.last_active, coalesce(c.last, '')) FROM deck_totals t"
                " LEFT JOIN (SELECT s.learner, s.deck, sum(s.answers) AS answers,"
                "  sum(s.correct) AS correct, max(s.last_answered) AS last"
                f"  FROM card_states s {states} GROUP BY s.learner, s.deck) c"
                " ON c.learner = t.learner AND c.deck = t.deck"
                f" JOIN learners l ON l.id = t.learner {where} ORDER BY l.name, t.deck",
                [*state_params, *params],
            )
            return [LearnerDeckRow._make(row) for row in rows]
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
        """Summed from the per-card counters of ``card_states``; counted from the answers only
        for a report ``since`` a date."""
        if scope.since is None:
            where, params = self._scope(scope, "s", when=None)
            rows = self._rows(
                "SELECT s.deck, s.card, sum(s.answers), sum(s.correct),"
                " CAST(sum(s.latency_ms) AS REAL) / sum(s.answers), sum(s.again_after_right)"
                f" FROM card_states s {where} GROUP BY s.deck, s.card HAVING sum(s.answers) > 0",
                params,
            )
            return [CardRow._make(row) for row in rows]
        where, params = self._scope(scope)
        rows = self._rows(
            "WITH firsts AS (SELECT a.learner, a.deck, a.card, min(a.id) AS first_right"
            f" FROM answers a {where} AND a.correct = 1 GROUP BY a.learner, a.deck, a.card)"
            " SELECT a.deck, a.card, count(*), sum(a.correct),"
            " avg(a.latency_ms), coalesce(sum(a.rating = 1 AND a.id > f.first_right), 0)"
            " FROM answers a LEFT JOIN firsts f"
            " ON f.learner = a.learner AND f.deck = a.deck AND f.card = a.card"
            f" {where} AND a.correct IS NOT NULL GROUP BY a.deck, a.card",
            params + params,
        )
        return [CardRow._make(row) for row in rows]

    def top_wrong(self, scope: Scope) -> list[WrongAnswer]:
        """Read in the order of the answers_wrong index (its condition is the query's)."""
        where, params = self._scope(scope)
        rows = self._rows(
            "SELECT deck, card, answer, n FROM (SELECT a.deck, a.card, a.answer, count(*) AS n,"
            " row_number() OVER (PARTITION BY a.deck, a.card ORDER BY count(*) DESC, min(a.id))"
            f" AS rank FROM answers a {where} AND {WRONG_ANSWER}"
            " GROUP BY a.deck, a.card, a.answer) WHERE rank = 1",
            params,
        )
        return [WrongAnswer._make(row) for row in rows]

    def wrong_answers(self, scope: Scope, deck: str, card: str) -> list[WrongAnswer]:
        where, params = self._scope(scope)
        rows = self._rows(
            f"SELECT a.deck, a.card, a.answer, count(*) FROM answers a {where}"
            f" AND a.deck = ? AND a.card = ? AND {WRONG_ANSWER}"
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


def _memory(row: Sequence[Any], path: Path, deck: str, card: str) -> MemoryState:
    """A stored state row (``_STATE_COLUMNS``) as the scheduler takes it."""
    from drill.scheduling import MemoryState

    due, state, step, stability, difficulty, last_review, reps, lapses = row
    return MemoryState(
        due=stored_instant(due, path, f"the due date of the card state of {deck}/{card}"),
        state=state,
        step=step,
        stability=stability,
        difficulty=difficulty,
        last_review=None
        if last_review is None
        else stored_instant(
            last_review, path, f"the last review of the card state of {deck}/{card}"
        ),
        reps=reps,
        lapses=lapses,
    )
