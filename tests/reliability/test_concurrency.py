"""SPEC 5, "two drill processes on the same data directory at once both finish, with every answer
kept", pushed to three processes answering 300 cards each, as fast as they can, into one store
that none of them has created yet.

``tests/test_store.py`` runs two processes over 60 cards and counts rows. Here every process's
printed results are matched to its stored answers one by one, and every card's FSRS state is
recomputed from its three stored reviews in commit order: if any writer had read a card's state
outside its write transaction and overwritten another's review (a lost update), the stored
state would differ from the replay even though the row counts were right.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import random
import subprocess
import threading
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from drill.clock import parse_instant
from drill.grading import Rating
from drill.scheduling import MemoryState, Scheduler

from .harness import (
    DB_NAME,
    TIMEOUT_S,
    Lines,
    Procs,
    clean_env,
    connect,
    drill_command,
    integrity,
    printed_answers,
    send,
    stored_answers,
)

PROCESSES = 3
CARDS = 300


def deck_text() -> str:
    """300 cards with one right answer, so a card can be answered without reading it."""
    cards = "".join(f"  - {{id: c{i}, prompt: Question {i}, answer: yes}}\n" for i in range(CARDS))
    return f"id: busy\ntitle: Busy\ntime_limit: 30\ncards:\n{cards}"


def answer(rng: random.Random) -> str:
    """Right (with a latency that makes it easy, good or hard) or wrong, chosen by ``rng``."""
    if rng.random() < 0.25:
        return json.dumps({"answer": "no", "latency_ms": 1000})
    return json.dumps({"answer": "yes", "latency_ms": rng.choice([2000, 15000, 28000])})


def drive(proc: subprocess.Popen[bytes], seed: int, ready: threading.Barrier) -> list[dict]:
    """Once all three are in session, answer each card as soon as it is shown, the way a script
    does. (Streaming all answers at once lets SQLite's lock backoff hand one writer the store
    for a whole run, which would test nothing concurrent.)"""
    lines = Lines(proc)
    start = lines.next()
    assert start is not None and start["event"] == "start", start
    ready.wait(timeout=TIMEOUT_S)
    rng = random.Random(seed)
    while (event := lines.next()) is not None:
        if event["event"] == "card":
            send(proc, answer(rng) + "\n")
    assert proc.stdin is not None
    proc.stdin.close()
    return lines.events


def test_three_processes_answer_300_cards_each_into_one_store(
    tmp_path: Path, procs: Procs, figures: Counter[str]
):
    deck = tmp_path / "busy.yaml"
    deck.write_text(deck_text(), encoding="utf-8")
    home = tmp_path / "shared"  # not created yet: the three race to create the store, too
    started = [
        procs.spawn(
            # One --seed for all: the same card order, so each card is reviewed by all three at
            # nearly the same moment, where a lost update would happen.
            drill_command(
                "--data-dir",
                str(home),
                "run",
                str(deck),
                "--headless",
                "--mode",
                "drill",
                "--seed",
                "1",
            ),
            clean_env(),
        )
        for _ in range(PROCESSES)
    ]
    ready = threading.Barrier(PROCESSES)
    with ThreadPoolExecutor(PROCESSES) as pool:  # one reader per process: no one waits on another
        runs = list(pool.map(drive, started, range(1, PROCESSES + 1), [ready] * PROCESSES))
    for proc in started:
        assert proc.wait(timeout=TIMEOUT_S) == 0
        assert proc.stderr is not None
        err = proc.stderr.read().decode()
        assert err == "", err  # in particular, nobody saw "database is locked"
    db = home / DB_NAME
    assert integrity(db) == "ok"
    for events in runs:
        printed = printed_answers(events)
        assert len(printed) == CARDS and events[-1]["answered"] == CARDS
        assert stored_answers(db, events[0]["session"]) == printed
        assert {rating for _, rating in printed} == {"again", "hard", "good", "easy"}
    figures["concurrent answers checked"] += PROCESSES * CARDS
    # All three were in session at once (the barrier saw their start lines) and competed for
    # the write lock. How SQLite hands the lock out is its business: a writer in its busy
    # handler's backoff can wait for most of another's run, so interleaving is reported, not
    # asserted.
    with contextlib.closing(connect(db)) as conn:
        sessions = [row[0] for row in conn.execute("SELECT session FROM answers ORDER BY id")]
    figures["concurrent writer switches"] += sum(
        1 for a, b in itertools.pairwise(sessions) if a != b
    )
    assert_states_replay(db)


def assert_states_replay(db: Path) -> None:
    """Each card's stored state equals FSRS replayed over its stored reviews in commit order."""
    conn = connect(db)
    reviews: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for card, rating, at in conn.execute(
        "SELECT card, rating, answered_at FROM answers WHERE deck = 'busy' ORDER BY id"
    ):
        reviews[card].append((rating, at))
    states = {
        row[0]: row[1:]
        for row in conn.execute(
            "SELECT card, due, state, step, stability, difficulty, last_review, reps, lapses"
            " FROM card_states WHERE deck = 'busy'"
        )
    }
    conn.close()
    assert len(reviews) == CARDS and len(states) == CARDS
    scheduler = Scheduler(fuzz=False)
    for card, chain in reviews.items():
        assert len(chain) == PROCESSES, card
        replayed: MemoryState | None = None
        for rating, at in chain:
            replayed = scheduler.review(replayed, Rating(rating), parse_instant(at))
        assert replayed is not None
        due, state, step, stability, difficulty, last_review, reps, lapses = states[card]
        assert (state, step, reps, lapses) == (
            replayed.state, replayed.step, replayed.reps, replayed.lapses,
        ), card  # fmt: skip
        assert abs(stability - replayed.stability) < 1e-6 * max(1.0, stability), card
        assert abs(difficulty - replayed.difficulty) < 1e-6 * max(1.0, difficulty), card
        # answered_at is stored to the millisecond; the review used the exact instant.
        assert abs((parse_instant(due) - replayed.due).total_seconds()) < 0.01, card
        assert replayed.last_review is not None
        assert abs((parse_instant(last_review) - replayed.last_review).total_seconds()) < 0.01
