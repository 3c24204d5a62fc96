"""The store's schema as a list of forward migrations, applied in order and recorded in
``PRAGMA user_version`` (in the same transaction, so an interrupted migration leaves the old
version intact and readable).

Add a migration by appending to ``MIGRATIONS``; never edit one that has shipped.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Final, NamedTuple

APPLICATION_ID: Final = 0x4452494C  # "DRIL": marks a database as drill's own


class Upgrade(NamedTuple):
    """What a migration may need to know beyond the database itself."""

    learner: Callable[[], str]
    """Who runs the command that migrates: a store from before learners becomes theirs. Asked
    only when there is history to give (so a new store needs no learner name)."""


def _v1_initial(conn: sqlite3.Connection, upgrade: Upgrade) -> None:
    for statement in (
        """CREATE TABLE sessions (
            id TEXT PRIMARY KEY,
            started_at TEXT NOT NULL,
            ended_at TEXT,
            mode TEXT NOT NULL,
            decks TEXT NOT NULL,          -- JSON array of deck ids
            planned INTEGER NOT NULL,     -- graded cards planned (an exam is judged on all)
            seed INTEGER NOT NULL,
            pass_mark REAL,
            passed INTEGER
        )""",
        """CREATE TABLE answers (
            id INTEGER PRIMARY KEY,
            session TEXT NOT NULL REFERENCES sessions(id),
            deck TEXT NOT NULL,
            card TEXT NOT NULL,
            card_type TEXT NOT NULL,
            answered_at TEXT NOT NULL,    -- ISO 8601 UTC
            correct INTEGER,              -- NULL for breathing cards
            rating INTEGER,               -- 1-4, NULL for breathing cards
            latency_ms INTEGER NOT NULL,
            timed_out INTEGER NOT NULL,
            answer TEXT NOT NULL,
            error TEXT
        )""",
        "CREATE INDEX sessions_by_start ON sessions(started_at)",
        "CREATE INDEX answers_by_session ON answers(session)",
        "CREATE INDEX answers_by_deck ON answers(deck, correct, session)",
        """CREATE TABLE card_states (
            deck TEXT NOT NULL,
            card TEXT NOT NULL,
            due TEXT NOT NULL,            -- ISO 8601 UTC
            state INTEGER NOT NULL,
            step INTEGER,
            stability REAL,
            difficulty REAL,
            last_review TEXT,
            reps INTEGER NOT NULL,
            lapses INTEGER NOT NULL,
            PRIMARY KEY (deck, card)
        ) WITHOUT ROWID""",
        "CREATE INDEX card_states_by_due ON card_states(deck, due)",
    ):
        conn.execute(statement)


def _v2_indexes_for_reads(conn: sqlite3.Connection, upgrade: Upgrade) -> None:
    """Indexes fitted to the queries drill makes.

    - ``answers_graded_by_deck``: a deck's latest graded answer (for its last score) found by
      one lookup instead of sorting all its answers (``drill decks`` over 100 decks and a
      million answers: from 190 ms to 2 ms). Partial: breathing answers add nothing to it.
    - ``card_states_by_due`` goes: every query on card states names the deck and card (the
      primary key serves them), and keeping it cost every answer two more pages to write.
    """
    conn.execute("CREATE INDEX answers_graded_by_deck ON answers(deck) WHERE correct IS NOT NULL")
    conn.execute("DROP INDEX card_states_by_due")


def _v3_learners(conn: sqlite3.Connection, upgrade: Upgrade) -> None:
    """Learners (SPEC 7): every session, answer and card state belongs to one.

    History from before learners belongs to the learner who runs the migrating command: they
    get id 1, and the new columns default to 1, so a million old answers are not rewritten.
    Card states are keyed by learner first, which needs the table rebuilt (its rows are few:
    one per card reviewed). The per-deck indexes gain the learner in front, since every read of
    one learner's progress names the learner.
    """
    conn.execute("CREATE TABLE learners (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)")
    (history,) = conn.execute(
        "SELECT EXISTS (SELECT 1 FROM sessions) OR EXISTS (SELECT 1 FROM card_states)"
    ).fetchone()
    if history:
        conn.execute("INSERT INTO learners (id, name) VALUES (1, ?)", (upgrade.learner(),))
    for statement in (
        "ALTER TABLE sessions ADD COLUMN learner INTEGER NOT NULL DEFAULT 1",
        "ALTER TABLE answers ADD COLUMN learner INTEGER NOT NULL DEFAULT 1",
        """CREATE TABLE card_states_v3 (
            learner INTEGER NOT NULL,
            deck TEXT NOT NULL,
            card TEXT NOT NULL,
            due TEXT NOT NULL,            -- ISO 8601 UTC
            state INTEGER NOT NULL,
            step INTEGER,
            stability REAL,
            difficulty REAL,
            last_review TEXT,
            reps INTEGER NOT NULL,
            lapses INTEGER NOT NULL,
            PRIMARY KEY (learner, deck, card)
        ) WITHOUT ROWID""",
        "INSERT INTO card_states_v3 SELECT 1, deck, card, due, state, step, stability,"
        " difficulty, last_review, reps, lapses FROM card_states",
        "DROP TABLE card_states",
        "ALTER TABLE card_states_v3 RENAME TO card_states",
        "DROP INDEX answers_by_deck",
        "DROP INDEX answers_graded_by_deck",
        "DROP INDEX sessions_by_start",
        "CREATE INDEX answers_by_learner ON answers(learner, deck, correct, session)",
        "CREATE INDEX answers_graded_by_learner ON answers(learner, deck)"
        " WHERE correct IS NOT NULL",
        "CREATE INDEX sessions_by_learner ON sessions(learner, started_at)",
    ):
        conn.execute(statement)


Migration = Callable[[sqlite3.Connection, Upgrade], None]

MIGRATIONS: Final[tuple[Migration, ...]] = (
    _v1_initial,
    _v2_indexes_for_reads,
    _v3_learners,
)
LATEST: Final = len(MIGRATIONS)


def migrate(conn: sqlite3.Connection, current: int, upgrade: Upgrade) -> None:
    """Apply every migration after ``current``; the caller holds a write transaction."""
    for version in range(current, LATEST):
        MIGRATIONS[version](conn, upgrade)
    conn.execute(f"PRAGMA user_version = {LATEST}")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
