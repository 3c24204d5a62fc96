"""Synthetic decks and stores for the benchmark, built in a temporary folder.

The decks mix every card type the way the bundled decks do (some cards with ids, some with ids
derived from their prompt, choices with and without ``why``, flow and block lists), at about
130 bytes a card, so 10,000 cards make a file of about 1.3 MB.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import time
from pathlib import Path

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


def card_ids(deck_id: str, cards: int) -> list[str]:
    """The ids the loader gives the cards of ``deck_text(deck_id, cards, graded_only=True)``."""
    from drill.deck.loader import load_text

    result = load_text(deck_text(deck_id, cards, graded_only=True), f"{deck_id}.yaml")
    assert result.deck is not None, result.problems
    return [c.id for c in result.deck.cards]


def fill_store(data_dir: Path, decks: dict[str, list[str]], answers: int, now: float) -> None:
    """A store in ``data_dir`` with a memory state for every card of ``decks`` (deck id to card
    ids) and ``answers`` answers, 100 to a session, spread over the 90 days before ``now``."""
    from datetime import UTC, datetime, timedelta

    from drill.clock import format_instant
    from drill.store import open_store

    store = open_store(None, data_dir, True, lambda: LEARNER)
    store.close()
    rng = random.Random(7)
    start = datetime.fromtimestamp(now, UTC)
    conn = sqlite3.connect(data_dir / "drill.sqlite3", isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")  # building the fixture, not measuring
    conn.execute("BEGIN")
    states = []
    for deck_id, ids in decks.items():
        for card in ids:
            due = start + timedelta(hours=rng.uniform(-30 * 24, 30 * 24))
            states.append(
                (
                    1,
                    deck_id,
                    card,
                    format_instant(due),
                    2,
                    None,
                    5.0,
                    5.0,
                    format_instant(start - timedelta(days=2)),
                    3,
                    0,
                )
            )
    conn.execute("INSERT OR IGNORE INTO learners (id, name) VALUES (1, ?)", (LEARNER,))
    conn.executemany("INSERT INTO card_states VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", states)
    deck_ids = list(decks)
    per_session = 100
    first = start - timedelta(days=90)
    step = timedelta(days=90) / max(answers, 1)
    sessions = []
    rows = []
    for n in range(answers):
        if n % per_session == 0:
            session = f"s{n // per_session:07d}"
            deck_id = deck_ids[(n // per_session) % len(deck_ids)]
            ids = decks[deck_id]
            at = first + step * n
            sessions.append(
                (
                    session,
                    format_instant(at),
                    format_instant(at + timedelta(minutes=5)),
                    "review",
                    json.dumps([deck_id]),
                    per_session,
                    1,
                )
            )
        correct = rng.random() < 0.8
        rows.append(
            (
                session,
                deck_id,
                ids[n % len(ids)],
                "choice",
                format_instant(first + step * n),
                int(correct),
                3 if correct else 1,
                4000,
                0,
                "A",
                None,
            )
        )
    conn.executemany(
        "INSERT INTO sessions (id, started_at, ended_at, mode, decks, planned, seed)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        sessions,
    )
    conn.executemany(
        "INSERT INTO answers (session, deck, card, card_type, answered_at, correct, rating,"
        " latency_ms, timed_out, answer, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
