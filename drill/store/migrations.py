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
WRONG_ANSWER: Final = "correct = 0 AND card_type <> 'flashcard' AND answer NOT IN ('', 'skip')"
"""An answer that counts as a wrong answer given (a self-rating or a skip does not): the
condition of the partial index the report's most given wrong answers are read from (schema
version 4: never change it), written the same way in the queries so SQLite uses the index."""


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


def _v4_totals(conn: sqlite3.Connection, upgrade: Upgrade) -> None:
    """Counters kept as answers arrive, so that reading progress never counts answers.

    - ``card_states`` gains per-card counters: graded answers, right ones, summed latency,
      answers rated again after the learner once got the card right, the latest answer (its
      id and time). A deck's answers, accuracy, last graded session and last activity are
      sums and maxima over its cards' states, a tenth of the rows of the answers they count;
      and they are written with the state each answer writes anyway, in the same page.
    - ``deck_totals``: per learner and deck, what the states cannot hold: the sessions that
      answered any card of the deck (written at a session's first answer to it), the time of
      the latest answer not counted in a state (a breathing exercise, or a session's first),
      and ``card_set``: the fingerprint of the deck's graded cards when every stored state is
      known to be of one of them (NULL: not known). Due counts then need no check of each
      stored card against the deck's (see ``SqliteStore.card_counts``).

    drill writes an answer, its card's state and these counters in one statement, one
    transaction (``drill.store.sqlite``); the history already stored is counted once, here.
    The answers keep two indexes where there were three, each one more page to write with
    every answer: a session's answers by deck (last scores, a session's counts, whether an
    answer is a session's first to its deck) and the wrong answers by card (the report's most
    given wrong answer). A learner's answers by time are found through their sessions.
    """
    for statement in (
        """CREATE TABLE deck_totals (
            learner INTEGER NOT NULL,
            deck TEXT NOT NULL,
            sessions INTEGER NOT NULL,    -- sessions that answered any card of the deck
            last_active TEXT NOT NULL,    -- latest answered_at of a session's first answer or
                                          -- a breathing exercise (states hold the others')
            card_set INTEGER,             -- every state is of a card of this deck version
            PRIMARY KEY (learner, deck)
        ) WITHOUT ROWID""",
        "ALTER TABLE card_states ADD COLUMN answers INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE card_states ADD COLUMN correct INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE card_states ADD COLUMN latency_ms INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE card_states ADD COLUMN again_after_right INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE card_states ADD COLUMN last_answer INTEGER",
        "ALTER TABLE card_states ADD COLUMN last_answered TEXT",
        "DROP INDEX answers_by_learner",
        "DROP INDEX answers_graded_by_learner",
        "DROP INDEX answers_by_session",
        "CREATE INDEX answers_by_session ON answers(session, deck, correct)",
        f"CREATE INDEX answers_wrong ON answers(deck, card, answer) WHERE {WRONG_ANSWER}",
        "INSERT INTO deck_totals SELECT learner, deck, count(DISTINCT session),"
        " max(answered_at), NULL FROM answers GROUP BY learner, deck",
        "UPDATE card_states SET answers = t.answers, correct = t.correct,"
        " latency_ms = t.latency_ms, again_after_right = t.again_after_right,"
        " last_answer = t.last_answer, last_answered = t.last_answered"
        " FROM (SELECT a.learner, a.deck, a.card, count(*) AS answers,"
        " sum(a.correct) AS correct, sum(a.latency_ms) AS latency_ms,"
        " coalesce(sum(a.rating = 1 AND a.id > f.first_right), 0) AS again_after_right,"
        " max(a.id) AS last_answer, max(a.answered_at) AS last_answered"
        " FROM answers a LEFT JOIN (SELECT learner, deck, card, min(id) AS first_right"
        "  FROM answers WHERE correct = 1 GROUP BY learner, deck, card) f"
        "  ON f.learner = a.learner AND f.deck = a.deck AND f.card = a.card"
        " WHERE a.correct IS NOT NULL GROUP BY a.learner, a.deck, a.card) t"
        " WHERE card_states.learner = t.learner AND card_states.deck = t.deck"
        " AND card_states.card = t.card",
    ):
        conn.execute(statement)


Migration = Callable[[sqlite3.Connection, Upgrade], None]

MIGRATIONS: Final[tuple[Migration, ...]] = (
    _v1_initial,
    _v2_indexes_for_reads,
    _v3_learners,
    _v4_totals,
)
LATEST: Final = len(MIGRATIONS)


def migrate(conn: sqlite3.Connection, current: int, upgrade: Upgrade) -> None:
    """Apply every migration after ``current``; the caller holds a write transaction."""
    for version in range(current, LATEST):
        MIGRATIONS[version](conn, upgrade)
    conn.execute(f"PRAGMA user_version = {LATEST}")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
