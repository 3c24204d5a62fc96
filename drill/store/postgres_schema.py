"""drill's tables in a team's PostgreSQL database: version 1 and each migration after it, and
how a database is checked and brought up to date (SPEC 7), as ``drill.store.migrations`` and
``drill.store.database`` do for SQLite.

A database is drill's when it holds ``drill_meta`` with a schema version, or nothing at all (then
it is created, if the command may create). One newer than this drill, or holding tables but no
``drill_meta``, is refused and left untouched. Creating and migrating run in one transaction,
one drill at a time, under an advisory lock: drills started together all end up using the same
tables.
"""

from __future__ import annotations

from typing import Any, Final

import psycopg

from drill.errors import StoreError

SCHEMA_VERSION: Final = 2
_LOCK_KEY: Final = 0x4452494C  # "DRIL": serialises creating and migrating the tables

TABLES: Final = (
    "CREATE TABLE drill_meta (key text PRIMARY KEY, value text NOT NULL)",
    "CREATE TABLE learners (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
    " name text NOT NULL UNIQUE)",
    """CREATE TABLE sessions (
        id text PRIMARY KEY,
        learner integer NOT NULL REFERENCES learners(id),
        started_at timestamptz NOT NULL,
        ended_at timestamptz,
        mode text NOT NULL,
        decks text[] NOT NULL,
        planned integer NOT NULL,     -- graded cards planned (an exam is judged on all)
        seed bigint NOT NULL,
        pass_mark double precision,
        passed boolean
    )""",
    "CREATE INDEX sessions_by_learner ON sessions(learner, started_at)",
    """CREATE TABLE answers (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        session text NOT NULL REFERENCES sessions(id),
        learner integer NOT NULL REFERENCES learners(id),
        deck text NOT NULL,
        card text NOT NULL,
        card_type text NOT NULL,
        answered_at timestamptz NOT NULL,
        correct boolean,              -- NULL for breathing exercises
        rating smallint,              -- 1-4, NULL for breathing exercises
        latency_ms bigint NOT NULL,
        timed_out boolean NOT NULL,
        answer text NOT NULL,
        error text
    )""",
    "CREATE INDEX answers_by_session ON answers(session)",
    "CREATE INDEX answers_by_learner ON answers(learner, deck, correct, session)",
    "CREATE INDEX answers_by_card ON answers(deck, card)",
    """CREATE TABLE card_states (
        learner integer NOT NULL REFERENCES learners(id),
        deck text NOT NULL,
        card text NOT NULL,
        due timestamptz NOT NULL,
        state smallint NOT NULL,
        step integer,
        stability double precision,
        difficulty double precision,
        last_review timestamptz,
        reps integer NOT NULL,
        lapses integer NOT NULL,
        PRIMARY KEY (learner, deck, card)
    )""",
)
"""Version 1 of the schema; later versions append migrations, never edit this."""

WRONG_ANSWER: Final = "correct = false AND card_type <> 'flashcard' AND answer NOT IN ('', 'skip')"
"""A wrong answer given (not a self-rating, a skip or nothing): the condition of the partial
index answers_wrong (schema 2: never change it), written the same way in the queries."""

TOTALS: Final = (
    """CREATE TABLE deck_totals (
        learner integer NOT NULL,
        deck text NOT NULL,
        sessions integer NOT NULL,    -- sessions that answered any card of the deck
        last_active timestamptz NOT NULL,  -- latest answer of a session's first or a breathing
        card_set bigint,              -- every state is of a card of this deck version
        PRIMARY KEY (learner, deck)
    )""",
    "ALTER TABLE card_states ADD COLUMN answers integer NOT NULL DEFAULT 0,"
    " ADD COLUMN correct integer NOT NULL DEFAULT 0,"
    " ADD COLUMN latency_ms bigint NOT NULL DEFAULT 0,"
    " ADD COLUMN again_after_right integer NOT NULL DEFAULT 0,"
    " ADD COLUMN last_answer bigint, ADD COLUMN last_answered timestamptz",
    "ALTER TABLE answers DROP CONSTRAINT answers_session_fkey,"
    " DROP CONSTRAINT answers_learner_fkey",
    "ALTER TABLE card_states DROP CONSTRAINT card_states_learner_fkey",
    "DROP INDEX answers_by_learner",
    "DROP INDEX answers_by_card",
    "DROP INDEX answers_by_session",
    "CREATE INDEX answers_by_session ON answers(session, deck, correct)",
    f"CREATE INDEX answers_wrong ON answers(deck, card, answer) INCLUDE (id) WHERE {WRONG_ANSWER}",
    "CREATE INDEX sessions_exams ON sessions(started_at) WHERE mode = 'exam'",
    "INSERT INTO deck_totals SELECT learner, deck, count(DISTINCT session), max(answered_at),"
    " NULL FROM answers GROUP BY learner, deck",
    "UPDATE card_states s SET answers = t.answers, correct = t.correct,"
    " latency_ms = t.latency_ms, again_after_right = t.again_after_right,"
    " last_answer = t.last_answer, last_answered = t.last_answered"
    " FROM (SELECT a.learner, a.deck, a.card, count(*) AS answers,"
    " count(*) FILTER (WHERE a.correct) AS correct, sum(a.latency_ms) AS latency_ms,"
    " count(*) FILTER (WHERE a.rating = 1 AND a.id > f.first_right) AS again_after_right,"
    " max(a.id) AS last_answer, max(a.answered_at) AS last_answered"
    " FROM answers a LEFT JOIN (SELECT learner, deck, card, min(id) AS first_right"
    "  FROM answers WHERE correct GROUP BY learner, deck, card) f"
    "  ON f.learner = a.learner AND f.deck = a.deck AND f.card = a.card"
    " WHERE a.correct IS NOT NULL GROUP BY a.learner, a.deck, a.card) t"
    " WHERE s.learner = t.learner AND s.deck = t.deck AND s.card = t.card",
)
"""Version 2: counters kept as answers arrive (as the SQLite store's schema 4 does; see
``drill.store.migrations._v4_totals`` for what each is for), counted once here for the
answers already stored; the answers' indexes fitted to what is still read from them, and
finished exams found without reading every session. The foreign keys from answers and card
states go (as on SQLite, where they were never enforced): checking them took a share lock on
the answer's session and learner rows, each lock a WAL record and a page written with every
answer; drill writes a learner and a session before any answer of theirs."""

MIGRATIONS: Final[tuple[tuple[str, ...], ...]] = (TABLES, TOTALS)


def schema_version(conn: psycopg.Connection[Any], location: str) -> int | None:
    """drill's schema version in the database at ``location``, or None if it has no
    ``drill_meta`` table; refuses a database with tables that are not drill's.

    Whether ``drill_meta`` exists and how many tables there are is asked in one query over
    ``pg_tables``, so both answers come from one snapshot. (``to_regclass`` looks in the
    catalog cache, which could still miss a ``drill_meta`` another drill had just created
    when the count of its tables already saw them: the database then looked like someone
    else's, and was refused, when several drills made it at once.)"""
    meta, tables = conn.execute(
        "SELECT count(*) FILTER (WHERE tablename = 'drill_meta'), count(*)"
        " FROM pg_catalog.pg_tables WHERE schemaname = current_schema()"
    ).fetchone() or (0, 0)
    if meta:
        row = conn.execute("SELECT value FROM drill_meta WHERE key = 'schema_version'").fetchone()
        if row is None or not str(row[0]).isdigit():
            raise StoreError(
                f"database {location} has a drill_meta table without a schema version;"
                " left untouched"
            )
        return int(row[0])
    if tables:
        raise StoreError(
            f"database {location} already holds tables that are not drill's (no"
            " drill_meta table); left untouched: give drill a database of its own"
        )
    return None


def prepare(conn: psycopg.Connection[Any], location: str, create: bool) -> bool:
    """Check the schema; create or migrate it (in one transaction, one drill at a time).
    False when the database is empty and ``create`` is false.

    The check holds the advisory lock shared, so it never sees a database halfway through
    another drill's creation (its ``drill_meta`` not yet there, its other tables already)."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock_shared(%s)", (_LOCK_KEY,))
        version = schema_version(conn, location)
    if version is not None and version > SCHEMA_VERSION:
        raise StoreError(
            f"database {location} was written by a newer drill (schema {version};"
            f" this drill knows up to {SCHEMA_VERSION}); upgrade drill to use it"
        )
    if version == SCHEMA_VERSION:
        return True
    if version is None and not create:
        return False
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
        current = schema_version(conn, location) or 0  # another drill may have done it
        for statements in MIGRATIONS[current:]:
            for statement in statements:
                conn.execute(statement)
        conn.execute(
            "INSERT INTO drill_meta (key, value) VALUES ('schema_version', %s)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (str(SCHEMA_VERSION),),
        )
    return True
