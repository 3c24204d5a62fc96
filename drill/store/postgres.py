"""The team store: every learner of a team in one PostgreSQL database (SPEC 7).

The promises are the SQLite store's: each answer is committed, durably (``synchronous_commit``
is set on for drill's connection whatever the server's default), before the caller may show it;
any number of sessions at once all finish with no lost update of a card's state; the first use
of an empty database creates drill's tables in one transaction, later drills migrate them
forward; a database that is newer than this drill, or holds tables but no ``drill_meta``, is
refused and not touched.

Answering is one round trip in the common case. The store remembers the state it last read or
wrote for each card (``due_dates`` reads every state of a session's decks), computes the review
from it, and sends one statement that updates the state only if it is still the one the review
was computed from (its review count unchanged) and inserts the answer only if that update
happened. If another session got there first, nothing is written and the answer is retried the
careful way: a transaction that reads the state with a row lock, reviews it, and writes both.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Final, NoReturn

import psycopg

from drill.errors import StoreError
from drill.store.base import CardIds, Store, vouched_counts
from drill.store.postgres_schema import WRONG_ANSWER, prepare
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

_ISO: Final = "to_char({} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"
_CONNECT_TIMEOUT_S: Final = 10

_STATE_COLUMNS: Final = "due, state, step, stability, difficulty, last_review, reps, lapses"
_ANSWER_COLUMNS: Final = (
    "session, learner, deck, card, card_type, answered_at, correct, rating, latency_ms,"
    " timed_out, answer, error"
)
_ANSWER_VALUES: Final = (
    "%(session)s, %(learner)s, %(deck)s, %(card)s, %(card_type)s, %(answered_at)s,"
    " %(correct)s, %(rating)s, %(latency_ms)s, %(timed_out)s, %(answer)s, %(error)s"
)
_STATE_VALUES: Final = (
    "%(due)s, %(state)s, %(step)s, %(stability)s, %(difficulty)s, %(last_review)s,"
    " %(reps)s, %(lapses)s"
)
_STATE_SET: Final = (
    "due = %(due)s, state = %(state)s, step = %(step)s, stability = %(stability)s,"
    " difficulty = %(difficulty)s, last_review = %(last_review)s, reps = %(reps)s,"
    " lapses = %(lapses)s"
)
_CARD: Final = "learner = %(learner)s AND deck = %(deck)s AND card = %(card)s"
_SAME_SET: Final = (
    "card_set = CASE WHEN deck_totals.card_set = excluded.card_set THEN deck_totals.card_set END"
)
"""A deck's fingerprint in ``deck_totals`` kept only while every writer's deck has it."""
_TOTALS_FIRST: Final = (
    "INSERT INTO deck_totals (learner, deck, sessions, last_active, card_set)"
    " SELECT %(learner)s, %(deck)s, 1, %(answered_at)s, %(card_set)s"
    " WHERE EXISTS (SELECT 1 FROM gate) AND NOT EXISTS (SELECT 1 FROM answers"
    "  WHERE session = %(session)s AND deck = %(deck)s)"
    " ON CONFLICT (learner, deck) DO UPDATE SET sessions = deck_totals.sessions + 1,"
    f" last_active = greatest(deck_totals.last_active, excluded.last_active), {_SAME_SET}"
)
_FORGET_SET: Final = (
    "UPDATE deck_totals SET card_set = NULL WHERE EXISTS (SELECT 1 FROM gate)"
    " AND learner = %(learner)s AND deck = %(deck)s AND card_set <> %(card_set)s"
)
"""A card's first state written by a session whose deck is not the one ``deck_totals``
vouches for: the deck's states may now hold a card its current version lacks."""
_WRITE_ANSWER: Final = (
    f"INSERT INTO answers (id, {_ANSWER_COLUMNS}) OVERRIDING SYSTEM VALUE"
    f" SELECT (SELECT id FROM new), {_ANSWER_VALUES} WHERE EXISTS (SELECT 1 FROM gate)"
    " RETURNING 1"
)
_COUNT: Final = (
    "answers = card_states.answers + 1, correct = card_states.correct + %(right)s,"
    " latency_ms = card_states.latency_ms + %(latency_ms)s,"
    " again_after_right = card_states.again_after_right"
    " + (%(rating)s = 1 AND card_states.correct > 0)::int,"
    " last_answer = (SELECT id FROM new),"
    " last_answered = greatest(card_states.last_answered, %(answered_at)s)"
)
_GATE_UPDATE: Final = (
    f"UPDATE card_states SET {_STATE_SET}, {_COUNT} WHERE {_CARD}"
    " AND reps = %(before_reps)s RETURNING 1"
)
_GATE_INSERT: Final = (
    f"INSERT INTO card_states (learner, deck, card, {_STATE_COLUMNS}, answers, correct,"
    " latency_ms, last_answer, last_answered)"
    f" VALUES (%(learner)s, %(deck)s, %(card)s, {_STATE_VALUES}, 1, %(right)s,"
    " %(latency_ms)s, (SELECT id FROM new), %(answered_at)s)"
    " ON CONFLICT (learner, deck, card) DO NOTHING RETURNING 1"
)


def _write_statement(sequence: str, update: bool, first: bool) -> str:
    """A graded answer in one statement, one round trip: the card's state (and its counters)
    updated only if it is still the one the review was computed from (``update``; else
    inserted only if no other session inserted it first), the answer inserted and, for what
    may be a session's first answer to the deck (``first``), the session counted, only if it
    was. The answer's id is drawn first (``sequence``, the answers' identity sequence as a
    quoted literal), so the state can name it as the card's latest answer. A card's first
    state may make the deck's fingerprint in ``deck_totals`` unsure (``_FORGET_SET``; for a
    session's first answer, counting it there does it, so the two never touch one row)."""
    gate = _GATE_UPDATE if update else _GATE_INSERT
    parts = [f"new AS (SELECT nextval({sequence}::regclass) AS id)", f"gate AS ({gate})",
             f"answer AS ({_WRITE_ANSWER})"]  # fmt: skip
    if first:
        parts.append(f"totals AS ({_TOTALS_FIRST})")
    if not update:
        later = (
            " AND EXISTS (SELECT 1 FROM answers WHERE session = %(session)s AND deck = %(deck)s)"
            if first
            else ""
        )
        parts.append(f"forget AS ({_FORGET_SET}{later})")
    return f"WITH {', '.join(parts)} SELECT count(*) FROM answer"


_WRITE_BREATH: Final = (
    f"WITH answer AS (INSERT INTO answers ({_ANSWER_COLUMNS}) VALUES ({_ANSWER_VALUES}))"
    " INSERT INTO deck_totals (learner, deck, sessions, last_active, card_set)"
    " VALUES (%(learner)s, %(deck)s, 1, %(answered_at)s, %(card_set)s)"
    " ON CONFLICT (learner, deck) DO UPDATE SET sessions = deck_totals.sessions"
    " + (NOT EXISTS (SELECT 1 FROM answers WHERE session = %(session)s"
    "  AND deck = %(deck)s))::int,"
    f" last_active = greatest(deck_totals.last_active, excluded.last_active), {_SAME_SET}"
)
"""A breathing exercise: its answer, and its deck's totals (it has no state to count it)."""
_UNKNOWN: Final = object()
"""A card whose state this store has not read yet (unlike None: read, and never reviewed)."""

_EXPORT_ROW = functools.partial(tuple.__new__, ExportRow)
"""A row of the export query as an ``ExportRow``, made in C (``ExportRow._make`` is a Python
call: a third of the time of exporting a million answers to CSV)."""


def describe(url: str) -> str:
    """``user@host:port/database`` for messages: where the store is, never its password."""
    from psycopg.conninfo import conninfo_to_dict

    try:
        info = conninfo_to_dict(url)
    except psycopg.Error:
        return "the PostgreSQL server in --store/$DRILL_STORE (an invalid URL)"
    host = str(info.get("host") or "localhost")
    port = info.get("port")
    user = info.get("user")
    where = f"{host}:{port}" if port else host
    database = info.get("dbname") or user or ""
    return f"{user}@{where}/{database}" if user else f"{where}/{database}"


def _reason(exc: BaseException, password: str | None) -> str:
    """The server's or libpq's own words, on one line, with any password blanked out."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    text = (
        lines[-1]
        if lines and lines[-1].startswith(("FATAL", "ERROR", "DETAIL"))
        else (" ".join(lines) or type(exc).__name__)
    )
    text = text.removeprefix("connection failed: ").replace("FATAL:  ", "").replace("ERROR:  ", "")
    if password:
        text = text.replace(password, "***")
    return text


class PostgresStore(Store):
    """An open connection to a team's database."""

    def __init__(self, conn: psycopg.Connection[Any], location: str, password: str | None) -> None:
        self._conn = conn
        self.location = location
        self._password = password
        self.url = ""
        """The URL it was opened with (it may hold a password: never print it)."""
        self._ids: dict[str, int] = {}
        self._known: dict[tuple[int, str, str], Any] = {}
        """(learner id, deck, card) to the state last read or written (None: never reviewed)."""
        self._read_decks: set[tuple[str, str]] = set()
        """(learner, deck) whose states were all read: a card of one not in ``_known`` had
        none then."""
        self._card_sets: dict[str, dict[str, int]] = {}
        """session to deck to the fingerprint its card states are tagged with."""
        self._counted: set[tuple[str, str]] = set()
        """(session, deck) whose first answer this store wrote: the session is counted in the
        deck's totals, so later answers need not look (a session is written by the store that
        began it; one it did not begin is looked up, so counted once all the same)."""
        self._cursor: psycopg.Cursor[Any] | None = None
        """The cursor answers are written through, made once."""
        self._writes: dict[tuple[bool, bool], str] = {}
        """The answer-writing statements made so far (``_write_statement``)."""

    # --- opening -----------------------------------------------------------------------------

    @classmethod
    def open(cls, url: str, create: bool) -> PostgresStore | None:
        """Connect, check the database is drill's (or empty), create or migrate the tables.

        None when the database is empty and ``create`` is false: reading commands create
        nothing. (No PostgreSQL store predates learners, so none needs history handed over.)"""
        from psycopg.conninfo import conninfo_to_dict

        location = describe(url)
        try:
            password = conninfo_to_dict(url).get("password")
        except psycopg.Error as exc:
            raise StoreError(
                f"--store: not a valid PostgreSQL URL ({_reason(exc, None)})"
            ) from None
        try:
            conn = psycopg.connect(url, autocommit=True, connect_timeout=_CONNECT_TIMEOUT_S)
        except psycopg.Error as exc:
            raise StoreError(
                f"cannot connect to PostgreSQL at {location}: {_reason(exc, str(password or ''))}"
            ) from None
        store = cls(conn, location, str(password) if password else None)
        store.url = url
        try:
            with store._guard():
                conn.execute("SET synchronous_commit = on")  # every commit durable (SPEC 7)
                conn.execute("SET TIME ZONE 'UTC'")
                if not prepare(conn, location, create):
                    conn.close()
                    return None
        except BaseException:
            conn.close()
            raise
        return store

    def close(self) -> None:
        with contextlib.suppress(psycopg.Error):
            self._conn.close()

    @contextlib.contextmanager
    def _guard(self) -> Iterator[psycopg.Connection[Any]]:
        """Database failures as one line naming the server: a lost connection, a server
        shutting down, a constraint broken by a damaged database."""
        try:
            yield self._conn
        except psycopg.OperationalError as exc:
            self._fail(f"lost the connection to PostgreSQL at {self.location}", exc)
        except psycopg.Error as exc:
            self._fail(f"PostgreSQL at {self.location}", exc)

    def _fail(self, what: str, exc: psycopg.Error) -> NoReturn:
        raise StoreError(f"{what}: {_reason(exc, self._password)}") from None

    def _rows(self, query: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[Any]:
        with self._guard() as conn:
            return conn.execute(query, params).fetchall()

    def _learner_id(self, name: str, create: bool = False) -> int | None:
        known = self._ids.get(name)
        if known is not None:
            return known
        conn = self._conn
        if create:
            conn.execute(
                "INSERT INTO learners (name) VALUES (%s) ON CONFLICT (name) DO NOTHING", (name,)
            )
        row = conn.execute("SELECT id FROM learners WHERE name = %s", (name,)).fetchone()
        if row is None:
            return None
        self._ids[name] = int(row[0])
        return int(row[0])

    def _reader_id(self, name: str) -> int | None:
        with self._guard():
            return self._learner_id(name)

    # --- writes ------------------------------------------------------------------------------

    def begin_session(self, learner: str, start: SessionStart) -> None:
        """Record the session, and vouch for each deck's fingerprint in ``deck_totals`` where
        every stored state is of one of its current cards (as ``SqliteStore.begin_session``
        does, and why)."""
        card_sets = start.card_sets or {}
        with self._guard() as conn, conn.transaction():
            learner_id = self._learner_id(learner, create=True)
            conn.execute(
                "INSERT INTO sessions (id, learner, started_at, mode, decks, planned, seed,"
                " pass_mark) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                (start.session, learner_id, start.started_at, start.mode, list(start.decks),
                 start.planned, start.seed, start.pass_mark),
            )  # fmt: skip
            for deck, cards in card_sets.items():
                row = conn.execute(
                    "SELECT card_set FROM deck_totals WHERE learner = %s AND deck = %s",
                    (learner_id, deck),
                ).fetchone()
                if row is not None and row[0] != cards.digest:
                    conn.execute(
                        "UPDATE deck_totals SET card_set = CASE WHEN EXISTS (SELECT 1"
                        " FROM card_states WHERE learner = %(l)s AND deck = %(deck)s"
                        " AND card <> ALL(%(ids)s)) THEN NULL ELSE %(set)s END"
                        " WHERE learner = %(l)s AND deck = %(deck)s",
                        {"l": learner_id, "deck": deck, "ids": list(cards.ids),
                         "set": cards.digest},
                    )  # fmt: skip
        self._card_sets[start.session] = {deck: c.digest for deck, c in card_sets.items()}

    def record_answer(self, learner: str, record: AnswerRecord, review: Review | None) -> None:
        with self._guard() as conn:
            learner_id = self._learner_id(learner, create=True)
            assert learner_id is not None
            params = _answer_params(learner_id, record)
            params["card_set"] = self._card_sets.get(record.session, {}).get(record.deck, 0)
            if review is None:
                conn.execute(_WRITE_BREATH, params)
                return
            params["right"] = int(bool(record.correct))
            key = (learner_id, record.deck, record.card)
            before = self._known.get(
                key, None if (learner, record.deck) in self._read_decks else _UNKNOWN
            )
            if before is not _UNKNOWN:
                after = self._write(params, before, review)
                if after is not None:
                    self._known[key] = after
                    return
            self._write_locked(params, key, review)

    def _write(
        self, params: dict[str, Any], before: MemoryState | None, review: Review
    ) -> MemoryState | None:
        """One statement, one round trip: the answer and the state ``review`` makes of
        ``before``, written only if the card's state is still ``before``. None if another
        session changed the card first (then nothing was written)."""
        after = review(before)
        values = params | _state_params(after)
        if before is not None:
            values["before_reps"] = before.reps
        counted = (params["session"], params["deck"])
        first = counted not in self._counted
        key = (before is not None, first)
        query = self._writes.get(key)
        if query is None:
            query = self._writes[key] = _write_statement(self._sequence(), *key)
        if self._cursor is None:
            self._cursor = self._conn.cursor()
        row = self._cursor.execute(query, values).fetchone()
        if row is None or row[0] != 1:
            return None
        self._counted.add(counted)
        return after

    def _sequence(self) -> str:
        """The answers' identity sequence, as a quoted literal (looked up once)."""
        from psycopg import sql

        (name,) = self._conn.execute(
            "SELECT pg_get_serial_sequence('answers', 'id')"
        ).fetchone() or (None,)
        return sql.Literal(name).as_string(self._conn)

    def _write_locked(
        self, params: dict[str, Any], key: tuple[int, str, str], review: Review
    ) -> None:
        """The careful way: read the state with a row lock, then write as ``_write`` does,
        inside one transaction. A card reviewed for the first time by two sessions at once
        has no row to lock: the second insert finds the first's row and reviews again."""
        conn = self._conn
        with conn.transaction():
            while True:
                row = conn.execute(
                    f"SELECT {_STATE_COLUMNS} FROM card_states WHERE {_CARD} FOR UPDATE",
                    params,
                ).fetchone()
                after = self._write(params, None if row is None else _state(row), review)
                if after is not None:
                    break
        self._known[key] = after

    def end_session(self, session: str, ended_at: datetime, passed: bool | None) -> None:
        with self._guard() as conn:
            conn.execute(
                "UPDATE sessions SET ended_at = %s, passed = %s WHERE id = %s",
                (ended_at, passed, session),
            )

    # --- one learner's reads -----------------------------------------------------------------

    def due_dates(self, learner: str, decks: Iterable[str]) -> dict[tuple[str, str], datetime]:
        """Reads every state of ``decks`` (not just due dates) and remembers them, so the
        session's answers can each be written in one round trip."""
        names = list(decks)
        learner_id = self._reader_id(learner)
        self._read_decks.update((learner, deck) for deck in names)
        if learner_id is None:
            return {}
        found: dict[tuple[str, str], datetime] = {}
        for deck, card, *state in self._rows(
            f"SELECT deck, card, {_STATE_COLUMNS} FROM card_states"
            " WHERE learner = %s AND deck = ANY(%s)",
            (learner_id, names),
        ):
            memory = _state(state)
            self._known[(learner_id, deck, card)] = memory
            found[(deck, card)] = memory.due
        return found

    def state(self, learner: str, deck: str, card: str) -> MemoryState | None:
        learner_id = self._reader_id(learner)
        if learner_id is None:
            return None
        rows = self._rows(
            f"SELECT {_STATE_COLUMNS} FROM card_states WHERE learner = %s AND deck = %s"
            " AND card = %s",
            (learner_id, deck, card),
        )
        return _state(rows[0]) if rows else None

    def card_counts(
        self,
        learner: str,
        cards: CardIds,
        now: datetime,
        card_sets: Mapping[str, int] | None = None,
    ) -> dict[str, tuple[int, int]]:
        """As ``SqliteStore.card_counts``: decks whose fingerprint ``deck_totals`` vouches for
        are counted in one pass; the others are counted over their current cards only."""
        learner_id = self._reader_id(learner)
        if learner_id is None:
            return {}
        card_sets = card_sets or {}
        known = dict(
            self._rows(
                "SELECT deck, card_set FROM deck_totals WHERE learner = %s"
                " AND card_set IS NOT NULL",
                (learner_id,),
            )
        )
        counts, unsure = vouched_counts(
            self._rows(
                "SELECT deck, count(*), count(*) FILTER (WHERE due <= %s) FROM card_states"
                " WHERE learner = %s AND deck = ANY(%s) GROUP BY deck",
                (now, learner_id, list(cards)),
            ),
            known,
            card_sets,
        )
        if not unsure:
            return counts
        pairs = [(deck, card) for deck in unsure for card in cards[deck]]
        rows = self._rows(
            "SELECT s.deck, count(*), count(*) FILTER (WHERE s.due <= %s) FROM card_states s"
            " JOIN unnest(%s::text[], %s::text[]) AS c(deck, card)"
            " ON c.deck = s.deck AND c.card = s.card WHERE s.learner = %s GROUP BY s.deck",
            (now, [d for d, _ in pairs], [c for _, c in pairs], learner_id),
        )
        counts.update((deck, (seen, due)) for deck, seen, due in rows)
        return counts

    def last_scores(self, learner: str, decks: Sequence[str]) -> dict[str, float]:
        """As ``SqliteStore.last_scores``: the session of each deck's latest graded answer."""
        learner_id = self._reader_id(learner)
        if learner_id is None or not decks:
            return {}
        rows = self._rows(
            "SELECT t.deck, s.mode, s.planned,"
            " (SELECT avg(correct::int) FROM answers WHERE session = s.id AND deck = t.deck"
            "  AND correct IS NOT NULL),"
            " (SELECT count(*) FILTER (WHERE correct) FROM answers WHERE session = s.id)"
            " FROM (SELECT deck, max(last_answer) AS last_answer FROM card_states"
            "  WHERE learner = %(l)s AND deck = ANY(%(decks)s) GROUP BY deck) t"
            " JOIN answers a ON a.id = t.last_answer JOIN sessions s ON s.id = a.session",
            {"l": learner_id, "decks": list(decks)},
        )
        scores: dict[str, float] = {}
        for deck, mode, planned, average, right in rows:
            if mode == "exam":
                scores[deck] = right / planned if planned else 0.0
            elif average is not None:
                scores[deck] = float(average)
        return scores

    def answer_totals(self, learner: str, deck: str | None = None) -> dict[str, DeckTotals]:
        """Sessions from ``deck_totals``, answers summed over the deck's card states."""
        learner_id = self._reader_id(learner)
        if learner_id is None:
            return {}
        where, params = ("", {}) if deck is None else (" AND t.deck = %(deck)s", {"deck": deck})
        rows = self._rows(
            "SELECT t.deck, coalesce(c.answers, 0), coalesce(c.correct, 0), t.sessions"
            " FROM deck_totals t LEFT JOIN (SELECT deck, sum(answers) AS answers,"
            "  sum(correct) AS correct FROM card_states WHERE learner = %(l)s GROUP BY deck) c"
            f" ON c.deck = t.deck WHERE t.learner = %(l)s{where} ORDER BY t.deck",
            {"l": learner_id, **params},
        )
        return {
            deck_id: DeckTotals(int(n), int(right), sessions)
            for deck_id, n, right, sessions in rows
        }

    def recent_sessions(
        self, learner: str, deck: str | None = None, limit: int = 20
    ) -> list[SessionRow]:
        learner_id = self._reader_id(learner)
        if learner_id is None:
            return []
        where, params = ("", ()) if deck is None else (" AND %s = ANY(s.decks)", (deck,))
        rows = self._rows(
            f"SELECT s.id, {_ISO.format('s.started_at')}, s.mode, s.decks, s.planned, s.passed,"
            " (SELECT count(correct) FROM answers WHERE session = s.id),"
            " (SELECT count(*) FILTER (WHERE correct) FROM answers WHERE session = s.id)"
            f" FROM sessions s WHERE s.learner = %s{where}"
            " ORDER BY s.started_at DESC, s.id DESC LIMIT %s",
            (learner_id, *params, limit),
        )
        return [
            SessionRow(sid, started, mode, list(decks), answered, right, planned, passed)
            for sid, started, mode, decks, planned, passed, answered, right in rows
        ]

    def due_instants(self, learner: str, cards: CardIds, before: datetime) -> list[datetime]:
        learner_id = self._reader_id(learner)
        if learner_id is None:
            return []
        pairs = [(deck, card) for deck, ids in cards.items() for card in ids]
        rows = self._rows(
            "SELECT s.due FROM card_states s JOIN unnest(%s::text[], %s::text[]) AS c(deck, card)"
            " ON c.deck = s.deck AND c.card = s.card WHERE s.learner = %s AND s.due < %s",
            ([d for d, _ in pairs], [c for _, c in pairs], learner_id, before),
        )
        return [due.astimezone(UTC) for (due,) in rows]

    def daily_activity(self, learner: str, since: datetime) -> dict[str, tuple[int, int]]:
        learner_id = self._reader_id(learner)
        if learner_id is None:
            return {}
        rows = self._rows(
            "SELECT to_char(answered_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,"
            " count(correct), count(*) FILTER (WHERE correct) FROM answers"
            " WHERE learner = %s AND answered_at >= %s GROUP BY day",
            (learner_id, since),
        )
        return {day: (answers, right) for day, answers, right in rows}

    def has_answers(self, learner: str, deck: str) -> bool:
        learner_id = self._reader_id(learner)
        if learner_id is None:
            return False
        return bool(
            self._rows(
                "SELECT 1 FROM deck_totals WHERE learner = %s AND deck = %s", (learner_id, deck)
            )
        )

    # --- every learner -----------------------------------------------------------------------

    def learners(self) -> list[str]:
        return [name for (name,) in self._rows("SELECT name FROM learners ORDER BY name")]

    @staticmethod
    def _scope(
        scope: Scope, alias: str = "a", when: str | None = "answered_at"
    ) -> tuple[str, dict[str, Any]]:
        """A ``WHERE`` clause (always starting ``WHERE true``) selecting ``scope`` in the table
        aliased ``alias``, with its named parameters."""
        clauses: list[str] = ["true"]
        params: dict[str, Any] = {}
        if scope.learners:
            clauses.append(
                f"{alias}.learner IN (SELECT id FROM learners WHERE name = ANY(%(scope_learners)s))"
            )
            params["scope_learners"] = list(scope.learners)
        if scope.decks:
            clauses.append(f"{alias}.deck = ANY(%(scope_decks)s)")
            params["scope_decks"] = list(scope.decks)
        if scope.since is not None and when is not None:
            clauses.append(f"{alias}.{when} >= %(scope_since)s")
            params["scope_since"] = scope.since
        return "WHERE " + " AND ".join(clauses), params

    def export_rows(self, scope: Scope) -> Iterator[ExportRow]:
        where, params = self._scope(scope)
        query = (
            f"SELECT a.session, a.deck, a.card, {_ISO.format('a.answered_at')}, a.correct::int,"
            " CASE a.rating WHEN 1 THEN 'again' WHEN 2 THEN 'hard' WHEN 3 THEN 'good'"
            " WHEN 4 THEN 'easy' END, a.latency_ms, a.answer, l.name, a.timed_out::int,"
            f" a.card_type FROM answers a JOIN learners l ON l.id = a.learner {where}"
            " ORDER BY a.id"
        )
        with self._guard() as conn, conn.transaction(), conn.cursor(name="drill_export") as cur:
            cur.itersize = 5000
            cur.execute(query, params)
            yield from map(_EXPORT_ROW, cur)

    def exams(self, scope: Scope) -> list[ExamRow]:
        clauses: list[str] = ["s.mode = 'exam'", "s.passed IS NOT NULL"]
        params: dict[str, Any] = {}
        if scope.learners:
            clauses.append("l.name = ANY(%(learners)s)")
            params["learners"] = list(scope.learners)
        if scope.decks:
            clauses.append("s.decks && %(decks)s::text[]")
            params["decks"] = list(scope.decks)
        if scope.since is not None:
            clauses.append("s.started_at >= %(since)s")
            params["since"] = scope.since
        rows = self._rows(
            f"SELECT s.id, l.name, s.decks, {_ISO.format('s.started_at')},"
            f" {_ISO.format('s.ended_at')}, s.planned,"
            " (SELECT count(*) FILTER (WHERE correct) FROM answers WHERE session = s.id),"
            " s.passed FROM sessions s JOIN learners l ON l.id = s.learner"
            f" WHERE {' AND '.join(clauses)} ORDER BY s.started_at, s.id",
            params,
        )
        return [
            ExamRow(sid, name, list(decks), started, ended, planned, right, passed)
            for sid, name, decks, started, ended, planned, right, passed in rows
        ]

    def learner_decks(self, scope: Scope) -> list[LearnerDeckRow]:
        """From ``deck_totals`` and the counters of the card states; counted from the answers
        only for a report ``since`` a date."""
        if scope.since is None:
            where, params = self._scope(scope, "t", when=None)
            states, _ = self._scope(scope, "s", when=None)
            rows = self._rows(
                f"SELECT l.name, t.deck, coalesce(c.answers, 0), coalesce(c.correct, 0),"
                f" {_ISO.format('greatest(t.last_active, c.last)')} FROM deck_totals t"
                " LEFT JOIN (SELECT s.learner, s.deck, sum(s.answers) AS answers,"
                "  sum(s.correct) AS correct, max(s.last_answered) AS last"
                f"  FROM card_states s {states} GROUP BY s.learner, s.deck) c"
                " ON c.learner = t.learner AND c.deck = t.deck"
                f" JOIN learners l ON l.id = t.learner {where} ORDER BY l.name, t.deck",
                params,
            )
            return [
                LearnerDeckRow(name, deck, int(n), int(right), last)
                for name, deck, n, right, last in rows
            ]
        where, params = self._scope(scope)
        rows = self._rows(
            f"SELECT l.name, t.deck, t.answers, t.correct, {_ISO.format('t.last')} FROM"
            " (SELECT a.learner, a.deck, count(a.correct) AS answers,"
            " count(*) FILTER (WHERE a.correct) AS correct, max(a.answered_at) AS last"
            f" FROM answers a {where} GROUP BY a.learner, a.deck) t"
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
                " sum(s.latency_ms)::float8 / sum(s.answers), sum(s.again_after_right)"
                f" FROM card_states s {where} GROUP BY s.deck, s.card HAVING sum(s.answers) > 0",
                params,
            )
            return [
                CardRow(deck, card, int(n), int(right), latency, int(lapses))
                for deck, card, n, right, latency, lapses in rows
            ]
        where, params = self._scope(scope)
        rows = self._rows(
            "WITH firsts AS (SELECT a.learner, a.deck, a.card, min(a.id) AS first_right"
            f" FROM answers a {where} AND a.correct GROUP BY a.learner, a.deck, a.card)"
            " SELECT a.deck, a.card, count(*),"
            " count(*) FILTER (WHERE a.correct), avg(a.latency_ms)::float8,"
            " count(*) FILTER (WHERE a.rating = 1 AND a.id > f.first_right)"
            " FROM answers a LEFT JOIN firsts f"
            " ON f.learner = a.learner AND f.deck = a.deck AND f.card = a.card"
            f" {where} AND a.correct IS NOT NULL GROUP BY a.deck, a.card",
            params,
        )
        return [CardRow._make(row) for row in rows]

    def top_wrong(self, scope: Scope) -> list[WrongAnswer]:
        """Read from the answers_wrong index (its condition is the query's)."""
        where, params = self._scope(scope)
        rows = self._rows(
            "SELECT DISTINCT ON (deck, card) deck, card, answer, n FROM (SELECT a.deck, a.card,"
            f" a.answer, count(*) AS n, min(a.id) AS first FROM answers a {where}"
            f" AND {WRONG_ANSWER} GROUP BY a.deck, a.card, a.answer) g"
            " ORDER BY deck, card, n DESC, first",
            params,
        )
        return [WrongAnswer._make(row) for row in rows]

    def wrong_answers(self, scope: Scope, deck: str, card: str) -> list[WrongAnswer]:
        where, params = self._scope(scope)
        rows = self._rows(
            f"SELECT a.deck, a.card, a.answer, count(*) FROM answers a {where}"
            f" AND a.deck = %(deck)s AND a.card = %(card)s AND {WRONG_ANSWER}"
            " GROUP BY a.deck, a.card, a.answer ORDER BY count(*) DESC, min(a.id)",
            params | {"deck": deck, "card": card},
        )
        return [WrongAnswer._make(row) for row in rows]

    def due_counts(self, scope: Scope, now: datetime) -> dict[tuple[str, str], int]:
        where, params = self._scope(scope, "s", when=None)
        rows = self._rows(
            "SELECT l.name, t.deck, t.due FROM (SELECT s.learner, s.deck, count(*) AS due"
            f" FROM card_states s {where} AND s.due <= %(now)s GROUP BY s.learner, s.deck) t"
            " JOIN learners l ON l.id = t.learner",
            params | {"now": now},
        )
        return {(name, deck): due for name, deck, due in rows}

    def at_risk(self, scope: Scope, now: datetime, decay: float, factor: float) -> list[RiskRow]:
        where, params = self._scope(scope, "s", when=None)
        rows = self._rows(
            "SELECT l.name, t.overdue, t.recall FROM (SELECT s.learner,"
            " count(*) FILTER (WHERE s.due <= %(now)s) AS overdue,"
            " avg(power(1 + %(factor)s * greatest(0, floor(extract(epoch FROM"
            "  (%(now)s - s.last_review)) / 86400)) / s.stability, %(decay)s))"
            "  FILTER (WHERE s.stability > 0 AND s.last_review IS NOT NULL) AS recall"
            f" FROM card_states s {where} GROUP BY s.learner) t"
            " JOIN learners l ON l.id = t.learner WHERE t.overdue > 0"
            " ORDER BY t.overdue DESC, l.name",
            params | {"now": now, "factor": factor, "decay": decay},
        )
        return [RiskRow(name, overdue, None if recall is None else float(recall))
                for name, overdue, recall in rows]  # fmt: skip


def _text(value: str | None) -> str | None:
    """PostgreSQL text cannot hold NUL: an answer carrying one keeps the rest, the NUL shown as
    U+FFFD (what drill does with other bytes it cannot keep)."""
    return value if value is None or "\x00" not in value else value.replace("\x00", "\ufffd")


def _answer_params(learner_id: int, record: AnswerRecord) -> dict[str, Any]:
    return {
        "session": record.session,
        "learner": learner_id,
        "deck": record.deck,
        "card": record.card,
        "card_type": record.card_type,
        "answered_at": record.answered_at,
        "correct": record.correct,
        "rating": record.rating,
        "latency_ms": record.latency_ms,
        "timed_out": record.timed_out,
        "answer": _text(record.answer),
        "error": _text(record.error),
    }


def _state_params(state: MemoryState) -> dict[str, Any]:
    return {
        "due": state.due,
        "state": state.state,
        "step": state.step,
        "stability": state.stability,
        "difficulty": state.difficulty,
        "last_review": state.last_review,
        "reps": state.reps,
        "lapses": state.lapses,
    }


def _state(row: Sequence[Any]) -> MemoryState:
    from drill.scheduling import MemoryState

    due, state, step, stability, difficulty, last_review, reps, lapses = row
    return MemoryState(
        due=due.astimezone(UTC),
        state=state,
        step=step,
        stability=stability,
        difficulty=difficulty,
        last_review=None if last_review is None else last_review.astimezone(UTC),
        reps=reps,
        lapses=lapses,
    )
