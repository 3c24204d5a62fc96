"""SPEC 5 and 7, "two drill processes on the same store at once both finish, with every answer
kept", pushed to three processes of one learner answering 300 cards each, as fast as they can,
into one store that none of them has created yet; and to five learners at once. Both on the
SQLite file and on PostgreSQL.

``tests/test_store.py`` runs two processes over 60 cards and counts rows. Here every process's
printed results are matched to its stored answers one by one, and every card's FSRS state is
recomputed from its three stored reviews in commit order: if any writer had read a card's state
outside its write transaction and overwritten another's review (a lost update), the stored
state would differ from the replay even though the row counts were right.
"""

from __future__ import annotations

import itertools
import json
import random
import subprocess
import threading
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

from drill.clock import parse_instant
from drill.grading import Rating
from drill.scheduling import MemoryState, Scheduler

from .harness import (
    TIMEOUT_S,
    Lines,
    Procs,
    Target,
    clean_env,
    drill_command,
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
    if start is None or start["event"] != "start":
        ready.abort()  # the others fail at once instead of waiting out the barrier
        assert proc.stderr is not None
        raise AssertionError(f"no start line: {start}, {proc.stderr.read().decode()!r}")
    # Generous: on a loaded 2-core machine the last of five to start can lag the first by tens
    # of seconds (one slow start is not what this test is about); still bounded.
    ready.wait(timeout=3 * TIMEOUT_S)
    rng = random.Random(seed)
    while (event := lines.next()) is not None:
        if event["event"] == "card":
            send(proc, answer(rng) + "\n")
    assert proc.stdin is not None
    proc.stdin.close()
    return lines.events


def run_together(target: Target, deck: Path, learners: list[str], procs: Procs) -> list[list[dict]]:
    """One drill per entry of ``learners`` (names may repeat), all started at once on
    ``target``; returns each one's printed events after checking it ended cleanly."""
    started = [
        procs.spawn(
            # One --seed for all: the same card order, so each card is reviewed by all of them
            # at nearly the same moment, where a lost update would happen.
            drill_command(
                *target.args(),
                "--learner",
                learner,
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
        for learner in learners
    ]
    ready = threading.Barrier(len(started))
    with ThreadPoolExecutor(len(started)) as pool:  # a reader per process: none waits on another
        futures = [pool.submit(drive, proc, seed, ready) for seed, proc in enumerate(started, 1)]
    errors = [f.exception() for f in futures if f.exception() is not None]
    # A broken barrier only says another reader failed first: report that reader's failure.
    causes = [e for e in errors if not isinstance(e, threading.BrokenBarrierError)]
    if errors:
        raise (causes or errors)[0]
    runs = [f.result() for f in futures]
    for proc in started:
        assert proc.wait(timeout=TIMEOUT_S) == 0
        assert proc.stderr is not None
        err = proc.stderr.read().decode()
        assert err == "", err  # in particular, nobody saw "database is locked"
    assert target.integrity() == "ok"
    for events in runs:
        printed = printed_answers(events)
        assert len(printed) == CARDS and events[-1]["answered"] == CARDS
        assert stored_answers(target, events[0]["session"]) == printed
        assert {rating for _, rating in printed} == {"again", "hard", "good", "easy"}
    return runs


def test_three_sessions_of_one_learner_answer_300_cards_each_into_one_store(
    tmp_path: Path, procs: Procs, figures: Counter[str], target: Target
):
    deck = tmp_path / "busy.yaml"
    deck.write_text(deck_text(), encoding="utf-8")
    # The store is not created yet: the three race to create it, too.
    run_together(target, deck, ["agent"] * PROCESSES, procs)
    figures[f"concurrent answers checked ({target.kind})"] += PROCESSES * CARDS
    # All three were in session at once (the barrier saw their start lines) and competed for
    # the write lock. How the database hands the lock out is its business: a writer in SQLite's
    # busy handler's backoff can wait for most of another's run, so interleaving is reported,
    # not asserted.
    sessions = [row[0] for row in target.rows("SELECT session FROM answers ORDER BY id")]
    figures[f"concurrent writer switches ({target.kind})"] += sum(
        1 for a, b in itertools.pairwise(sessions) if a != b
    )
    assert_states_replay(target, "agent", PROCESSES)


def test_five_learners_at_once_keep_every_answer_and_their_own_states(
    tmp_path: Path, procs: Procs, figures: Counter[str], target: Target
):
    deck = tmp_path / "busy.yaml"
    deck.write_text(deck_text(), encoding="utf-8")
    learners = ["陈静", "李明", "王芳", "Ana", "Sam"]
    run_together(target, deck, learners, procs)
    figures[f"answers of learners at once ({target.kind})"] += len(learners) * CARDS
    for learner in learners:
        assert_states_replay(target, learner, 1)


def assert_states_replay(target: Target, learner: str, reviews_each: int) -> None:
    """Each of ``learner``'s cards has a stored state equal to FSRS replayed over that
    learner's stored reviews in commit order."""
    ((learner_id,),) = target.rows("SELECT id FROM learners WHERE name = ?", (learner,))
    reviews: dict[str, list[tuple[int, object]]] = defaultdict(list)
    for card, rating, at in target.rows(
        "SELECT card, rating, answered_at FROM answers WHERE deck = 'busy' AND learner = ?"
        " ORDER BY id",
        (learner_id,),
    ):
        reviews[card].append((rating, at))
    states = {
        row[0]: row[1:]
        for row in target.rows(
            "SELECT card, due, state, step, stability, difficulty, last_review, reps, lapses"
            " FROM card_states WHERE deck = 'busy' AND learner = ?",
            (learner_id,),
        )
    }
    assert len(reviews) == CARDS and len(states) == CARDS
    scheduler = Scheduler(fuzz=False)
    for card, chain in reviews.items():
        assert len(chain) == reviews_each, card
        replayed: MemoryState | None = None
        for rating, at in chain:
            replayed = scheduler.review(replayed, Rating(rating), _instant(at))
        assert replayed is not None
        due, state, step, stability, difficulty, last_review, reps, lapses = states[card]
        assert (state, step, reps, lapses) == (
            replayed.state, replayed.step, replayed.reps, replayed.lapses,
        ), card  # fmt: skip
        assert abs(stability - replayed.stability) < 1e-6 * max(1.0, stability), card
        assert abs(difficulty - replayed.difficulty) < 1e-6 * max(1.0, difficulty), card
        # answered_at is stored to the millisecond; the review used the exact instant.
        assert abs((_instant(due) - replayed.due).total_seconds()) < 0.01, card
        assert replayed.last_review is not None
        assert abs((_instant(last_review) - replayed.last_review).total_seconds()) < 0.01


def _instant(value: object) -> datetime:
    """An instant as the store returns it: ISO text from SQLite, a datetime from PostgreSQL."""
    return value if isinstance(value, datetime) else parse_instant(str(value))
