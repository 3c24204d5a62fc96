"""Synthetic decks and stores for the benchmark, built in a temporary folder.

The decks mix every card type the way the bundled decks do (some cards with ids, some with ids
derived from their prompt, choices with and without ``why``, flow and block lists), at about
130 bytes a card, so 10,000 cards make a file of about 1.3 MB.

A store's history (``Layout``) is written as drill's previous schema held it (SQLite schema 3,
PostgreSQL schema 1: answers, sessions and card states, no counters) and then opened by drill,
which migrates it: the counters every read now relies on are made by the same migration a
user's store goes through, never by the benchmark. Afterwards each deck's fingerprint is
vouched for in ``deck_totals``, as the learner's next session on the deck would do.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from drill.bench.measure import LEARNER

_OLD = time.time() - 3600
"""Deck files are dated an hour back, as decks on a real disk are: the load cache does not keep
a file changed within the last moments (its timestamp cannot yet tell a later edit apart)."""


_CARDS = (
    """
  - front: Instead of saying no to caller {i}
    back: Here is what we can do
    explain: Offer what is possible.""",
    """
  - id: rings-{i}
    prompt: How many rings before you answer call {i}?
    answer: 3
    tolerance: 0""",
    """
  - id: calm-{i}
    prompt: What comes first for angry caller {i}?
    choices: [Listen, Argue, Hang up]
    answer: Listen""",
    """
  - id: steps-{i}
    prompt: Put the steps of procedure {i} in order
    steps: [Greet, Verify, Solve, Close]
    explain: Greet first.""",
    """
  - id: greet-{i}
    prompt: How do you greet caller {i}?
    answer: [hello, hi]
    explain: Either works.""",
    """
  - id: qa-{i}
    type: choice
    prompt: Which parts does QA score in case {i}?
    choices:
      - text: Voice
      - text: Lunch
        why: Not scored.
    answer: [Voice]""",
    """
  - id: say-{i}
    front: "Say it better: I don't know ({i})"
    back: Let me check that for you
    time_limit: 20""",
    """
  - id: calm-down-{i}
    type: breathing
    pattern: [4, 7, 8]
    cycles: 2""",
)
"""Card ``i`` of a deck is ``_CARDS[i % 8]``; the last is the one breathing card."""


_ANSWERS = ("good", "3", "Listen", "Greet, Verify, Solve, Close", "hello", "Voice", "good", "done")
"""A right answer to each of ``_CARDS``, as a trainee would type it."""
_WRONG = ("Argue", "Hang up", "4", "hi there", "Lunch")
"""Wrong answers as stored (the report counts the most given one per card)."""


def _kinds(cards: int, graded_only: bool) -> list[int]:
    """The numbers ``i`` of a deck's cards, in deck order."""
    return [i for i in range(cards * 8 // 7 + 8) if not (graded_only and i % 8 == 7)][:cards]


def deck_text(deck_id: str, cards: int, graded_only: bool = False) -> str:
    """YAML of a deck with ``cards`` cards (no breathing cards when ``graded_only``)."""
    head = f"id: {deck_id}\ntitle: Benchmark deck {deck_id}\nlanguage: en\ntags: [bench]\n"
    body = "".join(_CARDS[i % 8].format(i=i) for i in _kinds(cards, graded_only))
    return f"{head}time_limit: 30\ncards:{body}\n"


def answer_lines(cards: int, graded_only: bool = False) -> str:
    """stdin for a headless session over such a deck shown in deck order: one answer a card."""
    return "".join(_ANSWERS[i % 8] + "\n" for i in _kinds(cards, graded_only))


def write_deck(folder: Path, deck_id: str, cards: int, graded_only: bool = False) -> Path:
    """A deck file in ``folder``, dated an hour back."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{deck_id}.yaml"
    path.write_text(deck_text(deck_id, cards, graded_only), encoding="utf-8")
    os.utime(path, (_OLD, _OLD))
    return path


def wait_until_cacheable(folder: Path) -> None:
    """Until the deck files in ``folder`` are old enough for the deck load cache to keep them
    (it does not keep a file changed in the last ``RECENT_S`` seconds, judged by its ctime,
    which cannot be dated back as the mtime is)."""
    from drill.deck.cache import RECENT_S

    newest = max((entry.stat().st_ctime for entry in folder.iterdir()), default=0.0)
    time.sleep(max(0.0, newest + RECENT_S + 0.1 - time.time()))


def card_ids(deck_id: str, cards: int) -> list[str]:
    """The ids the loader gives the cards of ``deck_text(deck_id, cards, graded_only=True)``."""
    from drill.deck.loader import load_text

    result = load_text(deck_text(deck_id, cards, graded_only=True), f"{deck_id}.yaml")
    assert result.deck is not None, result.problems
    return [c.id for c in result.deck.cards]


@dataclass(frozen=True)
class Layout:
    """Who answered what: ``learners`` learners (the first is ``LEARNER``, the others
    ``learner-N``), each working on ``decks_each`` of ``decks`` decks of ``cards`` graded cards
    (learner ``n`` on decks ``n, n+1, ...``), on ``states_each`` cards of each of those decks,
    with ``answers`` answers in all, 100 to a session, every tenth session an exam."""

    answers: int
    learners: int
    decks: int
    cards: int
    decks_each: int
    states_each: int

    @property
    def states(self) -> int:
        return self.learners * self.decks_each * self.states_each

    def deck_ids(self) -> list[str]:
        return [f"store-deck-{n:03d}" for n in range(self.decks)]

    def describe(self) -> str:
        who = "1 learner" if self.learners == 1 else f"{self.learners:,} learners"
        return f"{self.answers:,} answers, {self.states:,} card states, {who}"


def write_decks(folder: Path, layout: Layout) -> None:
    """The layout's decks, in ``folder``."""
    for deck_id in layout.deck_ids():
        write_deck(folder, deck_id, layout.cards, graded_only=True)


@dataclass
class History:
    """The rows of a layout's history, as the previous schemas held them (learner ids from 1)."""

    learners: list[tuple[int, str]]
    sessions: list[tuple[Any, ...]]
    """id, learner, started_at, ended_at, mode, decks (JSON), planned, seed, passed"""
    answers: list[tuple[Any, ...]]
    """session, learner, deck, card, card_type, answered_at, correct, rating, latency_ms,
    timed_out, answer, error"""
    states: list[tuple[Any, ...]]
    """learner, deck, card, due, state, step, stability, difficulty, last_review, reps, lapses"""


def history(layout: Layout, now: float) -> History:
    """Every row of ``layout``'s store, its answers spread over the 90 days before ``now``."""
    from drill.clock import format_instant

    rng = random.Random(7)
    start = datetime.fromtimestamp(now, UTC)
    ids = card_ids("x", layout.cards)
    deck_ids = layout.deck_ids()
    learners = [(n + 1, LEARNER if n == 0 else f"learner-{n:04d}") for n in range(layout.learners)]
    worked: list[tuple[int, str, list[str]]] = []
    states = []
    reviewed = format_instant(start - timedelta(days=2))
    for number, (learner, _name) in enumerate(learners):
        for k in range(layout.decks_each):
            deck_id = deck_ids[(number + k) % layout.decks]
            offset = (number // layout.decks * layout.states_each) % layout.cards
            cards = (ids[offset:] + ids[:offset])[: layout.states_each]
            worked.append((learner, deck_id, cards))
            for card in cards:
                due = start + timedelta(hours=rng.uniform(-30 * 24, 30 * 24))
                states.append((learner, deck_id, card, format_instant(due), 2, None, 5.0, 5.0,
                               reviewed, 3, 0))  # fmt: skip
    per_session = 100
    first = start - timedelta(days=90)
    step = timedelta(days=90) / max(layout.answers, 1)
    sessions = []
    answers = []
    for n in range(layout.answers):
        number = n // per_session
        learner, deck_id, cards = worked[number % len(worked)]
        if n % per_session == 0:
            session = f"s{number:07d}"
            at = first + step * n
            exam = number % 10 == 9
            sessions.append((session, learner, format_instant(at),
                             format_instant(at + step * per_session), "exam" if exam else "review",
                             json.dumps([deck_id]), per_session, 1,
                             int(rng.random() < 0.7) if exam else None))  # fmt: skip
        card = cards[n % len(cards)]
        correct = rng.random() < 0.8
        given = "Listen" if correct else _WRONG[rng.randrange(len(_WRONG))]
        answers.append((session, learner, deck_id, card, "choice", format_instant(first + step * n),
                        int(correct), 3 if correct else 1, rng.randrange(1500, 9000), 0, given,
                        None))  # fmt: skip
    return History(learners, sessions, answers, states)


def fill_sqlite(data_dir: Path, layout: Layout, now: float) -> None:
    """A SQLite store in ``data_dir`` holding ``layout``'s history, written at schema 3 and
    migrated by drill."""
    from drill.store import open_store
    from drill.store.database import DB_NAME
    from drill.store.migrations import APPLICATION_ID, MIGRATIONS, Upgrade

    rows = history(layout, now)
    data_dir.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(data_dir / DB_NAME, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = OFF")  # building the fixture, not measuring
    conn.execute("BEGIN")
    for migration in MIGRATIONS[:3]:
        migration(conn, Upgrade(lambda: LEARNER))
    conn.execute("PRAGMA user_version = 3")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.executemany("INSERT INTO learners (id, name) VALUES (?, ?)", rows.learners)
    conn.executemany(
        "INSERT INTO sessions (id, learner, started_at, ended_at, mode, decks, planned, seed,"
        " passed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows.sessions,
    )
    conn.executemany(
        "INSERT INTO answers (session, learner, deck, card, card_type, answered_at, correct,"
        " rating, latency_ms, timed_out, answer, error)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows.answers,
    )
    conn.executemany(
        "INSERT INTO card_states (learner, deck, card, due, state, step, stability, difficulty,"
        " last_review, reps, lapses) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows.states,
    )
    conn.execute("COMMIT")
    conn.close()
    open_store(None, data_dir, False, lambda: LEARNER).close()  # migrates
    conn = sqlite3.connect(data_dir / DB_NAME, isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")
    conn.executemany(
        "UPDATE deck_totals SET card_set = ? WHERE deck = ?", list(_fingerprints(layout))
    )
    conn.execute("ANALYZE")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def fill_postgres(url: str, layout: Layout, now: float) -> None:
    """The same history in the empty PostgreSQL database at ``url``, written at schema 1 and
    migrated by drill."""
    import psycopg

    from drill.store import open_store
    from drill.store.postgres_schema import MIGRATIONS

    rows = history(layout, now)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SET synchronous_commit = off")  # building the fixture, not measuring
        with conn.transaction():
            for statement in MIGRATIONS[0]:
                conn.execute(statement)
            conn.execute("INSERT INTO drill_meta VALUES ('schema_version', '1')")
            with conn.cursor().copy("COPY learners (id, name) FROM STDIN") as copy:
                for row in rows.learners:
                    copy.write_row(row)
            with conn.cursor().copy(
                "COPY sessions (id, learner, started_at, ended_at, mode, decks, planned, seed,"
                " passed) FROM STDIN"
            ) as copy:
                for sid, *fields, decks, planned, seed, passed in rows.sessions:
                    copy.write_row((sid, *fields, json.loads(decks), planned, seed,
                                    None if passed is None else bool(passed)))  # fmt: skip
            with conn.cursor().copy(
                "COPY answers (session, learner, deck, card, card_type, answered_at, correct,"
                " rating, latency_ms, timed_out, answer, error) FROM STDIN"
            ) as copy:
                for *head, correct, rating, latency, late, answer, error in rows.answers:
                    copy.write_row((*head, bool(correct), rating, latency, bool(late), answer,
                                    error))  # fmt: skip
            with conn.cursor().copy(
                "COPY card_states (learner, deck, card, due, state, step, stability, difficulty,"
                " last_review, reps, lapses) FROM STDIN"
            ) as copy:
                for row in rows.states:
                    copy.write_row(row)
            conn.execute(
                "SELECT setval(pg_get_serial_sequence('learners', 'id'), %s)", (len(rows.learners),)
            )
        open_store(url, Path(), False, lambda: LEARNER).close()  # migrates
        for digest, deck_id in _fingerprints(layout):
            conn.execute("UPDATE deck_totals SET card_set = %s WHERE deck = %s", (digest, deck_id))
        conn.execute("VACUUM ANALYZE")


def _fingerprints(layout: Layout) -> Iterator[tuple[int, str]]:
    """(the fingerprint of its graded cards, deck id) for each deck of ``layout``."""
    from drill.deck.model import card_set_digest

    digest = card_set_digest(card_ids("x", layout.cards))
    for deck_id in layout.deck_ids():
        yield digest, deck_id
