"""SPEC 5, "killing the process at any moment loses nothing that was already shown as answered":
a real ``drill run --headless`` is killed at seeded random moments, and interrupted with SIGINT
and SIGTERM, and the store is checked after every one.

``tests/test_headless.py`` kills once, at a quiet moment (waiting for input). Here the moments
are random: during start-up and the store's creation, mid-commit while answers stream in, while
a result is being printed, while waiting for input. Each trial kills twice in the same data
directory, so the second run also starts from a store recovered after a kill. A failing trial
names its seed; rerun it alone by its node id, e.g.
``pytest 'tests/reliability/test_crash_safety.py::test_sigkill_at_a_random_moment_loses_no_printed_answer[seed=7]'``.
"""

from __future__ import annotations

import json
import random
import shutil
import signal
import sqlite3
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from drill.store import EmptyStore, SessionStart, open_store
from drill.store.migrations import LATEST
from drill.store.sqlite import SqliteStore

from .harness import (
    DB_NAME,
    NOW,
    Lines,
    MixedDeck,
    Procs,
    Target,
    answer_line,
    clean_env,
    connect,
    drill_command,
    kill,
    mixed_deck,
    printed_answers,
    processes,
    script_command,
    send,
    state_mismatches,
    stored_answers,
)

GRADED_CARDS = 40
KILL_TRIALS = 36
"""Seeded trials of two SIGKILLs each (the issue asks for at least 30)."""
SIGNAL_TRIALS = 8
"""Seeded trials per signal (SIGINT, SIGTERM)."""
GENERIC_ANSWERS = ["skip", "A", "B,C", "good", "again", "1,2,3", "3,1,2", "a3", "done", "?", "{x"]
"""Answers written without looking at the card (right for some, wrong or unreadable for most):
they let a test stream every answer at once, so the process commits back to back."""


@pytest.fixture(scope="module")
def deck(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, MixedDeck]:
    mixed = mixed_deck("crash", GRADED_CARDS)
    path = tmp_path_factory.mktemp("decks") / "crash.yaml"
    path.write_text(mixed.text, encoding="utf-8")
    return path, mixed


def run_args(deck_path: Path, target: Target, seed: int, script: bool = False) -> list[str]:
    command = script_command if script else drill_command
    return command(
        *target.args(), "run", str(deck_path), "--headless", "--mode", "drill",
        "--seed", str(seed), "--now", NOW,
    )  # fmt: skip


@pytest.fixture(scope="module")
def timing(deck: tuple[Path, MixedDeck], tmp_path_factory: pytest.TempPathFactory) -> dict:
    """How long an uninterrupted run takes here (start-up, and start line to exit), so random
    kill moments can be spread over a whole run on any machine. It also checks that such a run
    completes, so a broken deck or command fails here rather than as 36 confusing kills."""
    path, _ = deck
    home = tmp_path_factory.mktemp("timing")
    with processes() as procs:
        began = time.monotonic()
        proc = procs.spawn(run_args(path, Target(home), 1), clean_env())
        send(proc, "skip\n" * (GRADED_CARDS + 1))
        lines = Lines(proc)
        assert lines.next()["event"] == "start"
        started = time.monotonic()
        events = lines.rest()
        assert proc.wait(timeout=60) == 0
        ended = time.monotonic()
    assert events[-1]["event"] == "summary" and events[-1]["answered"] == GRADED_CARDS
    return {"startup": started - began, "session": ended - started, "total": ended - began}


def check_store(target: Target, events: list[dict[str, Any]], label: str) -> int:
    """Every assertion SPEC 5 makes after a kill; returns how many printed answers it checked.

    Printed answers must be stored, same card and rating, in order. At most one more answer
    may be stored than printed: the one committed just before the kill, whose result line was
    not written yet. Answers and memory states must have been committed together.
    """
    printed = printed_answers(events)
    start = events[0] if events and events[0]["event"] == "start" else None
    if not target.exists():
        assert start is None and not printed, f"{label}: output was printed but no store exists"
        return 0
    assert target.integrity() == "ok", label
    if start is not None:
        stored = stored_answers(target, start["session"])
        assert stored[: len(printed)] == printed, f"{label}: printed answers missing or changed"
        assert len(stored) <= len(printed) + 1, f"{label}: answers stored that were never given"
    assert state_mismatches(target) == [], f"{label}: an answer and its memory state were split"
    # The store is still drill's and usable: it opens (no refusal as corrupt) at the latest schema.
    store = open_store(target.url, target.home, False, lambda: "checker")
    assert not isinstance(store, EmptyStore), label
    store.close()
    if target.url is None:
        assert target.rows("PRAGMA user_version") == [(LATEST,)]
    return len(printed)


def protocol_ok(events: list[dict[str, Any]]) -> None:
    """The lines printed before the kill are a valid prefix of the protocol."""
    kinds = [e["event"] for e in events]
    if not kinds:
        return
    assert kinds[0] == "start"
    body = kinds[1:-1] if kinds[-1] == "summary" else kinds[1:]
    assert body == ["card", "result"] * (len(body) // 2) + ["card"] * (len(body) % 2), kinds
    cards = [e["card"] for e in events if e["event"] == "card"]
    results = [e["card"] for e in events if e["event"] == "result"]
    assert results == cards[: len(results)]


def kill_once(
    procs: Procs,
    deck: tuple[Path, MixedDeck],
    target: Target,
    rng: random.Random,
    timing: dict,
    tally: Counter[str],
) -> list[dict[str, Any]]:
    """One run killed at a moment chosen by ``rng``; returns every line it printed.

    ``stream``: every answer written at once, SIGKILL at a random instant of the whole run
    (start-up and store creation included), so most kills land mid-commit.
    ``lockstep``: a random number of cards answered one by one like a script would, then the
    next answer sent and the kill a few milliseconds later, while it is graded and committed.
    """
    path, mixed = deck
    proc = procs.spawn(run_args(path, target, rng.randrange(1000)), clean_env())
    lines = Lines(proc)
    mode = rng.choice(["stream", "lockstep"])
    tally[f"kills ({mode})"] += 1
    if mode == "stream":
        send(proc, "".join(rng.choice(GENERIC_ANSWERS) + "\n" for _ in range(GRADED_CARDS + 1)))
        time.sleep(rng.uniform(0, timing["total"] * 1.1))
    else:
        answered = rng.randrange(GRADED_CARDS + 1)
        for i in range(answered + 1):
            card = lines.until("card")
            if card is None:
                break
            send(proc, answer_line(card, mixed, rng) + "\n")
            if i < answered:  # the last answer is the one the kill interrupts
                assert lines.until("result") is not None
        time.sleep(rng.uniform(0, 0.005))
    status = kill(proc)
    events = lines.rest()
    assert status in (-signal.SIGKILL, 0), status
    if status == 0:
        tally["runs that finished before the kill"] += 1
    return events


@pytest.mark.parametrize("seed", range(1, KILL_TRIALS + 1), ids=lambda s: f"seed={s}")
def test_sigkill_at_a_random_moment_loses_no_printed_answer(
    seed: int, deck, timing, procs: Procs, tmp_path: Path, figures: Counter[str], target: Target
):
    rng = random.Random(seed)
    for kill_number in (1, 2):
        label = f"{target.kind} seed={seed} kill {kill_number}"
        events = kill_once(procs, deck, target, rng, timing, figures)
        protocol_ok(events)
        checked = target
        if target.url is None:
            # Checked on a copy: opening the store recovers it, and the next run must do that
            # itself, from the files exactly as the kill left them (WAL and all).
            checked = target.moved(tmp_path / f"after-kill-{kill_number}")
            if target.home.exists():
                shutil.copytree(target.home, checked.home)
        figures[f"SIGKILL answers checked ({target.kind})"] += check_store(checked, events, label)
        figures[f"SIGKILLs ({target.kind})"] += 1
        if events and events[0]["event"] == "start":
            stored = stored_answers(checked, events[0]["session"])
            if len(stored) > len(printed_answers(events)):
                figures["kills between commit and result line"] += 1
        elif not checked.exists():
            figures["kills before the store existed"] += 1
    figures[f"SIGKILL trials ({target.kind})"] += 1


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=lambda s: s.name)
@pytest.mark.parametrize("seed", range(1, SIGNAL_TRIALS + 1), ids=lambda s: f"seed={s}")
def test_sigint_and_sigterm_end_with_a_summary_and_keep_every_answer(
    sig: signal.Signals,
    seed: int,
    deck,
    timing,
    procs: Procs,
    tmp_path: Path,
    figures: Counter[str],
    target: Target,
):
    """Ctrl-C or SIGTERM at a random moment of a session: exit 130, the summary line last,
    no traceback, the session marked ended, and every printed answer stored."""
    rng = random.Random(seed * 1000 + sig)
    path, _ = deck
    proc = procs.spawn(run_args(path, target, seed, script=True), clean_env())
    lines = Lines(proc)
    assert lines.next()["event"] == "start"
    # Fewer answers than cards and stdin left open: the run never ends by itself, so the
    # signal lands while answers stream in or while drill waits for the next one.
    given = rng.randrange(GRADED_CARDS)
    send(proc, "".join(rng.choice(GENERIC_ANSWERS) + "\n" for _ in range(given)))
    time.sleep(rng.uniform(0, timing["session"] * 1.2))
    status = kill(proc, sig)
    events = lines.rest()
    assert proc.stderr is not None
    err = proc.stderr.read().decode("utf-8", "replace")
    label = f"{target.kind} {sig.name} seed={seed}"
    assert status == 130, (label, status, err, [e["event"] for e in events][-3:], given)
    assert "Traceback" not in err and err == "", (label, err)
    protocol_ok(events)
    summary = events[-1]
    assert summary["event"] == "summary", label
    figures[f"{sig.name} answers checked"] += check_store(target, events, label)
    stored = stored_answers(target, summary["session"])
    graded_printed = sum(1 for _, rating in printed_answers(events) if rating is not None)
    graded_stored = sum(1 for _, rating in stored if rating is not None)
    assert graded_printed <= summary["answered"] <= graded_stored, label
    ((ended,),) = target.rows("SELECT ended_at FROM sessions WHERE id = ?", (summary["session"],))
    assert ended is not None, f"{label}: the interrupted session was not closed"
    figures[f"{sig.name} trials"] += 1


class InterruptedAfterBegin(sqlite3.Connection):
    """A connection on which the first ``BEGIN IMMEDIATE`` succeeds and then a Ctrl-C arrives,
    the way CPython raises a pending ``KeyboardInterrupt`` as soon as the call returns."""

    armed = True

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        cursor = super().execute(sql, *args)
        if sql == "BEGIN IMMEDIATE" and self.armed:
            self.armed = False
            raise KeyboardInterrupt
        return cursor


def test_an_interrupt_right_after_begin_leaves_the_store_writable(tmp_path: Path):
    """The random-moment trials above hit this window only now and then; this pins it: the
    interrupted write is rolled back, and the session can still be closed afterwards (which is
    what the headless runner does on Ctrl-C) instead of failing with "cannot start a transaction
    within a transaction"."""
    home = tmp_path / "home"
    open_store(None, home, True, lambda: "a").close()
    conn = sqlite3.connect(home / DB_NAME, isolation_level=None, factory=InterruptedAfterBegin)
    store = SqliteStore(conn, home / DB_NAME)
    at = datetime(2026, 3, 1, tzinfo=UTC)
    start = SessionStart("s", at, "drill", ("d",), 1, 1, None)
    with pytest.raises(KeyboardInterrupt):
        store.begin_session("a", start)
    store.begin_session("a", start)
    store.end_session("s", at, None)
    store.close()
    assert connect(home / DB_NAME).execute("SELECT count(*) FROM sessions").fetchone() == (1,)


def test_a_transaction_left_open_by_an_interrupt_is_rolled_back_by_the_next_write(tmp_path: Path):
    """An interrupt between ``BEGIN`` and the ``with`` block (inside ``contextlib``) would skip
    the rollback; the next write must not inherit that transaction or its uncommitted rows."""
    home = tmp_path / "home"
    store = open_store(None, home, True, lambda: "a")
    assert isinstance(store, SqliteStore)
    at = datetime(2026, 3, 1, tzinfo=UTC)
    store.begin_session("a", SessionStart("kept", at, "drill", ("d",), 1, 1, None))
    conn = store._conn
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("DELETE FROM sessions")  # never committed: must not survive
    store.end_session("kept", datetime(2026, 3, 1, tzinfo=UTC), None)
    store.close()
    rows = connect(home / DB_NAME).execute("SELECT id, ended_at IS NOT NULL FROM sessions")
    assert rows.fetchall() == [("kept", 1)]


def _session_ended(home: Path, session: str) -> bool:
    conn = connect(home / DB_NAME)
    (ended,) = conn.execute("SELECT ended_at FROM sessions WHERE id = ?", (session,)).fetchone()
    conn.close()
    return ended is not None


def test_a_reader_that_goes_away_still_leaves_the_session_ended(deck, procs: Procs, tmp_path):
    """``drill run --headless | head -2``: the next line drill writes finds no reader. It prints
    no summary (no one would read it) but ends the session in the store, keeps the answer it had
    committed, and exits quietly (141, the status of a writer stopped by SIGPIPE)."""
    path, _ = deck
    home = tmp_path / "home"
    proc = procs.spawn(run_args(path, Target(home), 1, script=True), clean_env())
    lines = Lines(proc)
    start = lines.next()
    assert start["event"] == "start" and lines.next()["event"] == "card"
    assert proc.stdout is not None
    proc.stdout.close()
    send(proc, "skip\n")
    status = proc.wait(timeout=60)
    assert proc.stderr is not None
    assert (status, proc.stderr.read()) == (141, b"")
    assert len(stored_answers(home / DB_NAME, start["session"])) == 1
    assert _session_ended(home, start["session"])


def test_an_output_error_still_leaves_the_session_ended(deck, procs: Procs, tmp_path):
    """The terminal drill writes to goes away (EIO): one line on stderr, exit 2, and the
    session ended in the store with the answer it had committed."""
    import os
    import pty

    path, _ = deck
    home = tmp_path / "home"
    leader, follower = pty.openpty()
    proc = procs.spawn(run_args(path, Target(home), 1, script=True), clean_env(), stdout=follower)
    os.close(follower)
    seen = b""
    while seen.count(b"\n") < 2:  # the start and the first card
        seen += os.read(leader, 65536)
    session = json.loads(seen.splitlines()[0])["session"]
    os.close(leader)
    send(proc, "skip\n")
    status = proc.wait(timeout=60)
    assert proc.stderr is not None
    err = proc.stderr.read().decode()
    assert (status, err) == (2, "drill: error: input/output error\n")
    assert len(stored_answers(home / DB_NAME, session)) == 1
    assert _session_ended(home, session)


PAUSE_AFTER_START = """
import signal, sys

WATCHED = {signal.SIGINT, signal.SIGTERM}


class PausedAfterFirstLine:
    '''stdout that holds drill right after its first line (the start line) is out, until the
    test's signal comes, and then lets the signal act: the moment a loaded machine stretches
    when it preempts drill just after that write. The signals are blocked before the line is
    written (buffered or not, the test sees it only then, and only then sends its signal),
    taken with sigwait, then raised again unblocked, so Python acts on the signal at its next
    check, as it would have then.'''

    def __init__(self, inner):
        self.inner = inner
        self.first = True

    def write(self, text):
        if not self.first:
            return self.inner.write(text)
        self.first = False
        signal.pthread_sigmask(signal.SIG_BLOCK, WATCHED)
        written = self.inner.write(text)
        self.inner.flush()
        caught = signal.sigwait(WATCHED)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, WATCHED)
        signal.raise_signal(caught)
        return written

    def __getattr__(self, name):
        return getattr(self.inner, name)


sys.stdout = PausedAfterFirstLine(sys.stdout)
from drill.cli import main
sys.exit(main())
"""


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=lambda s: s.name)
def test_a_signal_just_after_the_start_line_still_ends_with_a_summary(
    sig: signal.Signals, deck, procs: Procs, tmp_path: Path
):
    """The flaky trial (``[seed=8-SIGINT]``, once in a whole-suite run on a loaded machine)
    pinned: the start line was printed before the session's ``try``, so a signal acted on
    between that write and the loop left no summary and the session open. Here drill is held
    exactly there until the signal is sent."""
    path, _ = deck
    home = tmp_path / "home"
    args = run_args(path, Target(home), 1)[3:]  # drop `python -m drill`
    proc = procs.spawn([sys.executable, "-c", PAUSE_AFTER_START, *args], clean_env())
    lines = Lines(proc)
    start = lines.next()
    assert start is not None and start["event"] == "start"
    status = kill(proc, sig)
    events = lines.rest()
    assert proc.stderr is not None
    err = proc.stderr.read().decode("utf-8", "replace")
    assert (status, err) == (130, ""), err
    assert [e["event"] for e in events] == ["start", "summary"]
    assert _session_ended(home, start["session"])
